//! A model session after its plan is issued (seed 004, "Tổ chức thực hiện"): the units of the
//! subtree invited to send delegates, the delegates each names before the registration
//! deadline, who actually came, what the delegates thought of it (what went well, what to fix,
//! and points on the grading sheet when the committee asks), and the committee's summary issued
//! as a short report, THÔNG BÁO or BÁO CÁO kết quả.

use chrono::NaiveDate;

use super::Invalid;
use super::calendar::{parse_date, short_date};
use super::grading::{Scores, Sheet};
use super::member::MemberId;
use super::model_session::FieldMessages;
use super::org::OrgId;
use super::plan::DocNumber;
use super::text::{canonical, limit, within};
use super::user::UserId;

super::id_type!(
    /// A registered delegate.
    DelegateId
);

/// How a model session invites: the units, until when they register, whether delegates grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invitations {
    pub units: Vec<OrgId>,
    /// The last day to register; None: until the meeting's day.
    pub register_by: Option<NaiveDate>,
    /// The delegates give points on the host cell's grading sheet.
    pub scored: bool,
}

impl Invitations {
    /// The last day a unit may still name its delegates.
    pub fn deadline(&self, meeting: NaiveDate) -> NaiveDate {
        self.register_by.unwrap_or(meeting)
    }

    /// Whether registration is still open on `today`.
    pub fn open_on(&self, meeting: NaiveDate, today: NaiveDate) -> bool {
        today <= self.deadline(meeting)
    }
}

/// The most units one meeting invites (the form lists the first 500 units of the subtree).
pub const MAX_INVITED: usize = 500;

/// The invitations' form as typed: unit ids ticked, the deadline, the grading box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationsForm {
    pub units: Vec<String>,
    pub register_by: String,
    pub scored: bool,
}

impl InvitationsForm {
    pub fn of(invitations: &Invitations) -> Self {
        Self {
            units: invitations.units.iter().map(ToString::to_string).collect(),
            register_by: invitations.register_by.map(short_date).unwrap_or_default(),
            scored: invitations.scored,
        }
    }

    pub fn ticks(&self, unit: OrgId) -> bool {
        let id = unit.to_string();
        self.units.iter().any(|u| u.trim() == id)
    }

    /// The checked invitations; the deadline falls on or before the meeting's day. Whether the
    /// units belong to the committee's subtree needs the tree: the app checks it.
    pub fn parse(&self, meeting: NaiveDate) -> Result<Invitations, FieldMessages> {
        let mut errors: FieldMessages = Vec::new();
        let mut units = Vec::new();
        if self.units.len() > MAX_INVITED {
            errors.push((
                "units",
                format!("Mời tối đa {MAX_INVITED} đơn vị cho một hội nghị."),
            ));
        }
        for text in self.units.iter().take(MAX_INVITED) {
            match text.trim().parse::<OrgId>() {
                Ok(id) if !units.contains(&id) => units.push(id),
                Ok(_) => {}
                Err(_) => {
                    errors.push(("units", "Vui lòng chọn đơn vị trong danh sách.".into()));
                    break;
                }
            }
        }
        let register_by = match within(&self.register_by, limit::SHORT)
            .map_err(|_| Invalid("Ngày không hợp lệ (ví dụ 20/03/2024)."))
            .and_then(|()| parse_date(&self.register_by))
        {
            Ok(Some(date)) if date > meeting => {
                errors.push((
                    "register_by",
                    format!(
                        "Hạn đăng ký phải trước hoặc đúng ngày hội nghị ({}).",
                        short_date(meeting)
                    ),
                ));
                None
            }
            Ok(date) => date,
            Err(Invalid(message)) => {
                errors.push(("register_by", message.into()));
                None
            }
        };
        if errors.is_empty() {
            Ok(Invitations {
                units,
                register_by,
                scored: self.scored,
            })
        } else {
            Err(errors)
        }
    }
}

/// Who a delegate is: a member of the invited cell, or a staff account of the invited
/// committee. Either may sign in (a member through the account linked to them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    Member(MemberId),
    Staff(UserId),
}

impl Person {
    /// "m12" or "u7": the value of the person's box on the registration form.
    pub fn key(self) -> String {
        match self {
            Person::Member(id) => format!("m{id}"),
            Person::Staff(id) => format!("u{id}"),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        let key = key.trim();
        if let Some(id) = key.strip_prefix('m') {
            return id.parse().ok().map(Person::Member);
        }
        key.strip_prefix('u')?.parse().ok().map(Person::Staff)
    }
}

/// Someone an invited unit can name: who, and how the attendance sheet writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub person: Person,
    pub name: String,
    /// "Bí thư", "Đảng viên", "Cán bộ Đảng ủy …".
    pub title: String,
}

/// A delegate as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegate {
    pub id: DelegateId,
    pub unit: OrgId,
    pub unit_name: String,
    pub person: Person,
    /// The account that signs in as this delegate (a member's linked account, or the staff's).
    pub user: Option<UserId>,
    pub name: String,
    pub title: String,
    /// None until the committee records who came.
    pub attended: Option<bool>,
}

/// The delegates' ticked boxes as people, ignoring anything that is not one.
pub fn chosen(keys: &[&str]) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    for person in keys.iter().filter_map(|key| Person::parse(key)) {
        if !people.contains(&person) {
            people.push(person);
        }
    }
    people
}

/// A delegate's assessment of the model meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub went_well: String,
    pub to_fix: String,
    /// The points given on the sheet they were given on, when the committee asked for them.
    pub scores: Option<(Scores, Sheet)>,
}

/// The assessment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentForm {
    pub went_well: String,
    pub to_fix: String,
    /// The points per item of the sheet, when scored.
    pub points: Vec<String>,
}

/// The longest a delegate's remark may be, each of the two.
pub const REMARK_MAX: usize = 5_000;

impl AssessmentForm {
    /// The checked assessment; `sheet` when the committee asks for points.
    pub fn parse(&self, sheet: Option<&Sheet>) -> Result<Assessment, Vec<(String, String)>> {
        let mut errors: Vec<(String, String)> = Vec::new();
        for (field, text) in [("went_well", &self.went_well), ("to_fix", &self.to_fix)] {
            if let Err(too_long) = within(text, REMARK_MAX) {
                errors.push((field.into(), too_long.to_string()));
            }
        }
        let went_well = canonical(&self.went_well);
        let to_fix = canonical(&self.to_fix);
        if errors.is_empty() && went_well.is_empty() && to_fix.is_empty() {
            errors.push((
                "went_well".into(),
                "Vui lòng ghi ít nhất một ý: mặt làm được hoặc điều cần khắc phục.".into(),
            ));
        }
        let scores = match sheet {
            Some(sheet) => match Scores::parse(&self.points, sheet) {
                Ok(scores) => Some((scores, sheet.clone())),
                Err(mut messages) => {
                    errors.append(&mut messages);
                    None
                }
            },
            None => None,
        };
        if errors.is_empty() {
            Ok(Assessment {
                went_well,
                to_fix,
                scores,
            })
        } else {
            Err(errors)
        }
    }
}

/// Which short report the summary is issued as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// THÔNG BÁO kết quả (TB).
    Notice,
    /// BÁO CÁO kết quả (BC).
    Report,
}

impl ReportKind {
    pub const ALL: [ReportKind; 2] = [ReportKind::Notice, ReportKind::Report];

    /// The kind's abbreviation in the number: "TB", "BC".
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Notice => "TB",
            ReportKind::Report => "BC",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// Tên loại văn bản: "THÔNG BÁO".
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Notice => "THÔNG BÁO",
            ReportKind::Report => "BÁO CÁO",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Notice => "Thông báo kết quả",
            ReportKind::Report => "Báo cáo kết quả",
        }
    }
}

/// The committee's summary of a model meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelReport {
    /// Bumped by every save; a save from an older version is a conflict.
    pub version: i64,
    pub kind: ReportKind,
    pub number: Option<DocNumber>,
    pub issued_on: Option<NaiveDate>,
    /// The committee's summary, one paragraph per line.
    pub summary: String,
    /// Issued reports never change.
    pub issued: bool,
}

impl ModelReport {
    /// A summary not written yet: a THÔNG BÁO without number or date.
    pub fn blank() -> Self {
        Self {
            version: 0,
            kind: ReportKind::Notice,
            number: None,
            issued_on: None,
            summary: String::new(),
            issued: false,
        }
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.summary
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
    }
}

/// The summary form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportForm {
    pub kind: String,
    pub number: String,
    pub date: String,
    pub summary: String,
}

/// The summary as checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    pub kind: ReportKind,
    pub number: Option<DocNumber>,
    pub issued_on: Option<NaiveDate>,
    pub summary: String,
}

impl ReportForm {
    pub fn of(report: &ModelReport) -> Self {
        Self {
            kind: report.kind.code().into(),
            number: report
                .number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            date: report.issued_on.map(short_date).unwrap_or_default(),
            summary: report.summary.clone(),
        }
    }

    /// The checked summary: a number of the chosen kind ("15-TB/ĐU"), a date from the meeting's
    /// day on, a summary within a section's length. Number and date may wait until issuing.
    pub fn parse(&self, meeting: NaiveDate) -> Result<ReportDraft, FieldMessages> {
        let mut errors: FieldMessages = Vec::new();
        let kind = ReportKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(("kind", "Vui lòng chọn thông báo hoặc báo cáo.".into()));
        }
        let number = match within(&self.number, limit::SHORT)
            .map_err(|_| Invalid("Số văn bản quá dài."))
            .and_then(|()| DocNumber::parse(&self.number))
        {
            Ok(Some(number)) => match kind {
                Some(kind) if number.kind != kind.code() => {
                    errors.push((
                        "number",
                        format!(
                            "{} có số dạng 15-{}/ĐU (đã nhập loại {}).",
                            kind.label(),
                            kind.code(),
                            number.kind
                        ),
                    ));
                    None
                }
                _ => Some(number),
            },
            Ok(None) => None,
            Err(Invalid(message)) => {
                errors.push(("number", message.into()));
                None
            }
        };
        let issued_on = match within(&self.date, limit::SHORT)
            .map_err(|_| Invalid("Ngày không hợp lệ (ví dụ 02/04/2024)."))
            .and_then(|()| parse_date(&self.date))
        {
            Ok(Some(date)) if date < meeting => {
                errors.push((
                    "date",
                    format!(
                        "Ngày của văn bản phải từ ngày hội nghị ({}) trở đi.",
                        short_date(meeting)
                    ),
                ));
                None
            }
            Ok(date) => date,
            Err(Invalid(message)) => {
                errors.push(("date", message.into()));
                None
            }
        };
        if let Err(too_long) = within(&self.summary, limit::SECTION) {
            errors.push(("summary", too_long.to_string()));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(ReportDraft {
                kind,
                number,
                issued_on,
                summary: canonical(&self.summary),
            }),
            _ => Err(errors),
        }
    }
}

/// Why a summary cannot be issued yet, if it cannot: it needs its number, its date and a text.
pub fn not_ready(report: &ModelReport) -> Option<&'static str> {
    if report.number.is_none() || report.issued_on.is_none() {
        Some("Ghi số và ngày của văn bản trước khi ban hành.")
    } else if report.paragraphs().next().is_none() {
        Some("Viết nội dung tổng hợp trước khi ban hành.")
    } else {
        None
    }
}

/// How many delegates came, and from how many units.
pub fn came(delegates: &[Delegate]) -> (usize, usize) {
    let mut units: Vec<OrgId> = delegates
        .iter()
        .filter(|d| d.attended == Some(true))
        .map(|d| d.unit)
        .collect();
    let count = units.len();
    units.sort_unstable();
    units.dedup();
    (count, units.len())
}

/// The mean of the delegates' totals, rounded, when any gave points.
pub fn mean_points<'a>(scores: impl Iterator<Item = &'a Scores>) -> Option<u32> {
    let (sum, count) = scores.fold((0u32, 0u32), |(sum, count), s| {
        (sum + u32::from(s.total()), count + 1)
    });
    (count > 0).then(|| (sum + count / 2) / count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, d).unwrap()
    }

    #[test]
    fn registration_closes_after_its_deadline_or_the_meeting_day() {
        let form = InvitationsForm {
            units: vec!["3".into(), "4".into(), "3".into()],
            register_by: "20/03/2024".into(),
            scored: true,
        };
        let invitations = form.parse(day(28)).unwrap();
        assert_eq!(invitations.units.len(), 2, "a unit is invited once");
        assert!(invitations.open_on(day(28), day(20)));
        assert!(!invitations.open_on(day(28), day(21)));
        let late = InvitationsForm {
            register_by: "29/03/2024".into(),
            ..form.clone()
        };
        let errors = late.parse(day(28)).unwrap_err();
        assert_eq!(errors[0].0, "register_by");
        assert!(errors[0].1.contains("28/03/2024"), "{errors:?}");
        let open = Invitations::default();
        assert!(open.open_on(day(28), day(28)));
        assert!(!open.open_on(day(28), day(29)));
    }

    #[test]
    fn people_are_told_apart_by_their_keys() {
        let people = chosen(&["m12", "u7", "m12", "x", "m"]);
        assert_eq!(
            people,
            [Person::Member(MemberId(12)), Person::Staff(UserId(7))]
        );
        assert_eq!(Person::Member(MemberId(12)).key(), "m12");
    }

    #[test]
    fn an_assessment_needs_a_remark_and_points_within_the_sheet() {
        let empty = AssessmentForm::default().parse(None).unwrap_err();
        assert_eq!(empty[0].0, "went_well");
        let sheet = Sheet::standard();
        let mut form = AssessmentForm {
            went_well: "Chuẩn bị chu đáo.".into(),
            points: vec!["0".into(); sheet.item_count()],
            ..AssessmentForm::default()
        };
        form.points[0] = "120".into();
        let errors = form.parse(Some(&sheet)).unwrap_err();
        assert_eq!(errors[0].0, "point_0");
        form.points[0] = "1".into();
        let assessment = form.parse(Some(&sheet)).unwrap();
        assert_eq!(assessment.scores.unwrap().0.total(), 1);
    }

    #[test]
    fn a_report_number_is_of_its_kind_and_dated_from_the_meeting() {
        let form = ReportForm {
            kind: "TB".into(),
            number: "15-BC/ĐU".into(),
            date: "27/03/2024".into(),
            summary: "Hội nghị thành công.".into(),
        };
        let errors = form.parse(day(28)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["number", "date"]);
        let good = ReportForm {
            number: "Số 15-TB/ĐU".into(),
            date: "02/04/2024".into(),
            ..form
        };
        let draft = good.parse(day(28)).unwrap();
        assert_eq!(draft.number.unwrap().to_string(), "15-TB/ĐU");
        assert_eq!(
            mean_points([Scores(vec![90]), Scores(vec![81])].iter()),
            Some(86)
        );
    }
}

//! Model sessions (sinh hoạt chi bộ mẫu): a committee's plan (seed 004, "Kế hoạch tổ chức hội
//! nghị chuyên đề sinh hoạt chi bộ mẫu") to stage exemplary cell meetings — a regular one and a
//! thematic one, each hosted by a cell of its subtree on a set day, hour and place — for the
//! cells below to watch and learn from.
//!
//! The plan is written like the committee's other plans: the same number, basis paragraph,
//! recipients and signer types as [`super::plan`]. Not to be confused with
//! [`super::samples::model_plan_2022`], the sample *cell* plan of seed 003.

use chrono::NaiveDate;

use super::Invalid;
use super::calendar::{short_date, weekday_label};
use super::org::{Org, OrgId, Year};
use super::plan::{Authority, BasisDoc, DocNumber, Recipient, Signature, SignerTitle, TopicId};
use super::session::StartTime;
use super::text::{Line, limit};

super::id_type!(
    /// A model-session plan's id.
    ModelPlanId
);
super::id_type!(
    /// A model session's id.
    ModelSessionId
);

/// A model-session plan is drafted by the committee's staff, then issued to the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelPlanStatus {
    Draft,
    Issued,
}

impl ModelPlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelPlanStatus::Draft => "draft",
            ModelPlanStatus::Issued => "issued",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [ModelPlanStatus::Draft, ModelPlanStatus::Issued]
            .into_iter()
            .find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ModelPlanStatus::Draft => "Dự thảo",
            ModelPlanStatus::Issued => "Đã ban hành",
        }
    }
}

/// Which meeting is staged as the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Sinh hoạt chi bộ thường kỳ: the monthly meeting.
    Regular,
    /// Sinh hoạt chi bộ chuyên đề: a thematic session.
    Thematic,
}

impl ModelKind {
    pub const ALL: [ModelKind; 2] = [ModelKind::Regular, ModelKind::Thematic];

    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Regular => "regular",
            ModelKind::Thematic => "thematic",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn loại hội nghị mẫu."))
    }

    /// "sinh hoạt chi bộ thường kỳ", as the plan quotes it.
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::Regular => "sinh hoạt chi bộ thường kỳ",
            ModelKind::Thematic => "sinh hoạt chi bộ chuyên đề",
        }
    }

    /// The heading of its part of the plan: Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu.
    pub fn heading(self) -> String {
        format!("Hội nghị “{}” mẫu", self.label())
    }
}

/// The plan's text parts, everything of the document but its number, date and sessions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelPlanParts {
    /// Trích yếu: "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu".
    pub subject: String,
    pub basis_lead: String,
    pub basis: Vec<BasisDoc>,
    pub basis_closing: String,
    /// I. Mục đích, yêu cầu.
    pub purposes: Vec<String>,
    pub requirements: Vec<String>,
    /// II. Thành phần tham dự: a group of attendees per line.
    pub attendees: Vec<String>,
    /// III. Tổ chức thực hiện: a line "1. Ban Tổ chức Đảng ủy" starts an office's duties, the
    /// lines under it are its tasks.
    pub duties: Vec<String>,
    pub recipients: Vec<Recipient>,
    /// The archive line: "Lưu Văn phòng Đảng ủy".
    pub archive: String,
    pub signature: Signature,
}

/// One model meeting of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSession {
    pub id: ModelSessionId,
    pub kind: ModelKind,
    pub host: Host,
    pub date: NaiveDate,
    pub start: StartTime,
    /// "Hội trường Trường Cao đẳng Lý Tự Trọng".
    pub venue: String,
    /// "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình"; may be empty.
    pub address: String,
    /// A thematic model's topic, from the host cell's plan when it is there.
    pub topic: Option<TopicId>,
    pub topic_title: String,
}

/// The cell that holds a model meeting, as the plan names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub id: OrgId,
    /// "Chi bộ 01"
    pub name: String,
    /// "Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh"
    pub superior_name: String,
}

impl Host {
    pub fn of(org: &Org) -> Self {
        Self {
            id: org.id,
            name: org.name.clone(),
            superior_name: org.superior_name.clone(),
        }
    }

    /// "Chi bộ 01 thuộc Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh".
    pub fn described(&self) -> String {
        if self.superior_name.trim().is_empty() {
            self.name.clone()
        } else {
            format!("{} thuộc {}", self.name, self.superior_name)
        }
    }
}

impl ModelSession {
    /// "08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024", as the plan writes the expected time.
    pub fn when(&self) -> String {
        let minutes = self.start.minutes();
        format!(
            "{:02} giờ {:02} {}, ngày {}",
            minutes / 60,
            minutes % 60,
            weekday_label(self.date).to_lowercase(),
            long_date(self.date)
        )
    }

    /// "Hội trường …, địa chỉ: 390 Hoàng Văn Thụ …".
    pub fn place(&self) -> String {
        if self.address.trim().is_empty() {
            self.venue.clone()
        } else {
            format!("{}, địa chỉ: {}", self.venue, self.address)
        }
    }
}

/// "28 tháng 3 năm 2024" (days below 10 and months below 3 with a leading zero, as in the
/// document's date line).
pub fn long_date(date: NaiveDate) -> String {
    let line = super::calendar::date_line("", date);
    line.trim_start_matches([',', ' '])
        .trim_start_matches("ngày ")
        .to_owned()
}

/// The whole plan as stored and as its document is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSessionPlan {
    pub id: ModelPlanId,
    pub org_id: OrgId,
    pub year: Year,
    /// Bumped by every save; a save from an older version is a conflict.
    pub version: i64,
    pub status: ModelPlanStatus,
    pub number: Option<DocNumber>,
    pub place: String,
    pub issued_on: Option<NaiveDate>,
    pub parts: ModelPlanParts,
    pub sessions: Vec<ModelSession>,
}

impl ModelSessionPlan {
    /// "Kế hoạch số 82-KH/ĐU", or the subject while it has no number.
    pub fn name(&self) -> String {
        match &self.number {
            Some(number) => format!("Kế hoạch số {number}"),
            None => format!("Kế hoạch {}", self.parts.subject),
        }
    }

    pub fn is_draft(&self) -> bool {
        self.status == ModelPlanStatus::Draft
    }
}

/// The default subject line, as seed 004 has it.
pub const DEFAULT_SUBJECT: &str = "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu";

/// A blank plan of `committee` with the seed's frame to fill: the closing sentence of the
/// basis, the attendee groups every model meeting has, the recipients and the signer.
pub fn blank(committee: &Org, year: Year, number: Option<DocNumber>) -> ModelSessionPlan {
    ModelSessionPlan {
        id: ModelPlanId::NEW,
        org_id: committee.id,
        year,
        version: 0,
        status: ModelPlanStatus::Draft,
        number,
        place: committee.place_name.clone(),
        issued_on: None,
        parts: ModelPlanParts {
            subject: DEFAULT_SUBJECT.into(),
            basis_lead: "Thực hiện".into(),
            basis: Vec::new(),
            basis_closing: format!(
                "{} xây dựng kế hoạch tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu như sau:",
                committee.name
            ),
            purposes: Vec::new(),
            requirements: Vec::new(),
            attendees: vec![
                "Cấp ủy các chi bộ trực thuộc".into(),
                "Đảng viên các chi bộ thực hiện sinh hoạt mẫu".into(),
            ],
            duties: Vec::new(),
            recipients: vec![
                Recipient {
                    name: "Ban Thường vụ Đảng ủy".into(),
                    for_report: false,
                },
                Recipient {
                    name: "Các cấp ủy cơ sở".into(),
                    for_report: false,
                },
            ],
            archive: "Lưu Văn phòng Đảng ủy".into(),
            signature: Signature {
                authority: Authority::StandingCommittee,
                title: SignerTitle::Secretary,
                signer: None,
                signer_name: String::new(),
            },
        },
        sessions: Vec::new(),
    }
}

/// A model session as its form describes it, checked but for what needs the tree (the host is
/// a cell of the committee's subtree) and the host's plan (the topic), checked by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSessionDraft {
    pub kind: ModelKind,
    pub host: OrgId,
    pub date: NaiveDate,
    pub start: StartTime,
    pub venue: String,
    pub address: String,
    pub topic: Option<TopicId>,
    pub topic_title: String,
}

/// A model session's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelSessionForm {
    pub kind: String,
    pub host: String,
    pub date: String,
    pub start: String,
    pub venue: String,
    pub address: String,
    pub topic: String,
    pub topic_title: String,
}

/// Messages by field name.
pub type FieldMessages = Vec<(&'static str, String)>;

impl ModelSessionForm {
    pub fn of(session: &ModelSession) -> Self {
        Self {
            kind: session.kind.as_str().into(),
            host: session.host.id.to_string(),
            date: short_date(session.date),
            start: session.start.to_string(),
            venue: session.venue.clone(),
            address: session.address.clone(),
            topic: session.topic.map(|t| t.to_string()).unwrap_or_default(),
            topic_title: session.topic_title.clone(),
        }
    }

    pub fn blank() -> Self {
        Self {
            kind: ModelKind::Regular.as_str().into(),
            start: "08:00".into(),
            ..Self::default()
        }
    }

    /// The checked draft, or every field's message. `not_before` is the plan's date: a model
    /// meeting is held after the plan that announces it.
    pub fn parse(&self, not_before: Option<NaiveDate>) -> Result<ModelSessionDraft, FieldMessages> {
        let mut errors: FieldMessages = Vec::new();
        let mut note = |field: &'static str, message: &str| errors.push((field, message.into()));
        let kind = ModelKind::parse(&self.kind)
            .map_err(|Invalid(m)| note("kind", m))
            .ok();
        let host = self.host.trim().parse::<OrgId>().ok();
        if host.is_none() {
            note("host", "Vui lòng chọn chi bộ thực hiện.");
        }
        let date = match super::text::within(&self.date, limit::SHORT)
            .map_err(|_| Invalid("Ngày không hợp lệ (ví dụ 28/03/2024)."))
            .and_then(|()| super::calendar::parse_date(&self.date))
        {
            Ok(Some(date)) => match not_before {
                Some(plan_date) if date < plan_date => {
                    note(
                        "date",
                        &format!(
                            "Ngày tổ chức phải từ ngày ban hành kế hoạch ({}) trở đi.",
                            short_date(plan_date)
                        ),
                    );
                    None
                }
                _ => Some(date),
            },
            Ok(None) => {
                note("date", "Vui lòng nhập ngày tổ chức (ví dụ 28/03/2024).");
                None
            }
            Err(Invalid(m)) => {
                note("date", m);
                None
            }
        };
        let start = super::text::within(&self.start, limit::SHORT)
            .map_err(|_| Invalid("Giờ bắt đầu không hợp lệ (ví dụ 08:00)."))
            .and_then(|()| StartTime::parse(&self.start))
            .map_err(|Invalid(m)| note("start", m))
            .ok();
        let venue = match Line::read(&self.venue, limit::NAME) {
            Ok(line) => Some(line.as_str().to_owned()),
            Err(super::text::LineError::Empty) => {
                note(
                    "venue",
                    "Vui lòng nhập địa điểm (ví dụ Hội trường Trường Cao đẳng Lý Tự Trọng).",
                );
                None
            }
            Err(error) => {
                note("venue", Invalid::from(error).0);
                None
            }
        };
        let address = super::plan::free_text(&self.address, limit::TITLE)
            .map_err(|Invalid(m)| note("address", m))
            .ok();
        let topic_title = super::plan::free_text(&self.topic_title, limit::TITLE)
            .map_err(|Invalid(m)| note("topic_title", m))
            .ok();
        let topic = match self.topic.trim() {
            "" => Some(None),
            text => match text.parse::<TopicId>() {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    note(
                        "topic",
                        "Vui lòng chọn chuyên đề trong kế hoạch của chi bộ.",
                    );
                    None
                }
            },
        };
        match (kind, host, date, start, venue, address, topic, topic_title) {
            (
                Some(kind),
                Some(host),
                Some(date),
                Some(start),
                Some(venue),
                Some(address),
                Some(topic),
                Some(topic_title),
            ) if errors.is_empty() => Ok(ModelSessionDraft {
                kind,
                host,
                date,
                start,
                venue,
                address,
                // A regular meeting has no topic.
                topic: topic.filter(|_| kind == ModelKind::Thematic),
                topic_title: if kind == ModelKind::Thematic {
                    topic_title
                } else {
                    String::new()
                },
            }),
            _ => Err(errors),
        }
    }
}

/// The duties grouped by office: "1. Ban Tổ chức Đảng ủy" and its tasks. Lines before the
/// first numbered one stand alone (an office of `None`).
pub fn duty_groups(duties: &[String]) -> Vec<(Option<String>, Vec<String>)> {
    let mut groups: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for line in duties {
        match numbered(line) {
            Some(office) => groups.push((Some(office.to_owned()), Vec::new())),
            None => match groups.last_mut() {
                Some((_, tasks)) => tasks.push(line.clone()),
                None => groups.push((None, vec![line.clone()])),
            },
        }
    }
    groups
}

/// "1. Ban Tổ chức Đảng ủy" → "Ban Tổ chức Đảng ủy"; "1- …" too.
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = &line[digits..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix('-'))?;
    let rest = rest.trim_start();
    (!rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ModelSessionForm {
        ModelSessionForm {
            kind: "regular".into(),
            host: "7".into(),
            date: "28/03/2024".into(),
            start: "08:00".into(),
            venue: "Hội trường Trường Cao đẳng Lý Tự Trọng".into(),
            address: "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình".into(),
            topic: String::new(),
            topic_title: "bỏ qua".into(),
        }
    }

    #[test]
    fn a_regular_model_parses_and_reads_like_the_seed() {
        let draft = form().parse(NaiveDate::from_ymd_opt(2024, 3, 1)).unwrap();
        assert_eq!(draft.topic_title, "", "a regular meeting has no topic");
        let session = ModelSession {
            id: ModelSessionId::NEW,
            kind: draft.kind,
            host: Host {
                id: draft.host,
                name: "Chi bộ 01".into(),
                superior_name: "Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh".into(),
            },
            date: draft.date,
            start: draft.start,
            venue: draft.venue,
            address: draft.address,
            topic: None,
            topic_title: String::new(),
        };
        assert_eq!(
            session.when(),
            "08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024"
        );
        assert_eq!(
            session.place(),
            "Hội trường Trường Cao đẳng Lý Tự Trọng, địa chỉ: 390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình"
        );
        assert_eq!(
            session.host.described(),
            "Chi bộ 01 thuộc Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh"
        );
        assert_eq!(
            ModelKind::Regular.heading(),
            "Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu"
        );
    }

    #[test]
    fn bad_fields_each_get_a_message() {
        let mut bad = form();
        bad.venue = "  ".into();
        bad.host = String::new();
        bad.start = "25:00".into();
        let errors = bad.parse(None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["host", "start", "venue"]);
        let early = form()
            .parse(NaiveDate::from_ymd_opt(2024, 4, 1))
            .unwrap_err();
        assert_eq!(early[0].0, "date");
        assert!(early[0].1.contains("01/04/2024"), "{early:?}");
    }

    #[test]
    fn duties_group_under_their_office() {
        let duties: Vec<String> = [
            "Chung cho mọi đơn vị.",
            "1. Ban Tổ chức Đảng ủy",
            "Thẩm định nội dung.",
            "Tổng hợp ý kiến.",
            "2- Văn phòng Đảng ủy",
            "Phát hành giấy mời.",
        ]
        .map(String::from)
        .to_vec();
        let groups = duty_groups(&duties);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0], (None, vec!["Chung cho mọi đơn vị.".into()]));
        assert_eq!(groups[1].0.as_deref(), Some("Ban Tổ chức Đảng ủy"));
        assert_eq!(groups[1].1.len(), 2);
        assert_eq!(groups[2].0.as_deref(), Some("Văn phòng Đảng ủy"));
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2024, 2, 5).unwrap()),
            "05 tháng 02 năm 2024"
        );
    }
}

//! The annual thematic-session plan (kế hoạch sinh hoạt chuyên đề năm …) and its parts.

use chrono::NaiveDate;

use super::Invalid;
use super::calendar::{Due, Quarter};
use super::member::MemberId;
use super::org::{OrgId, Year};
use super::text::{canonical, limit};

super::id_type!(
    /// A plan's id.
    PlanId
);
super::id_type!(
    /// A topic's id.
    TopicId
);
super::id_type!(
    /// A preparation step's id.
    StepId
);

/// Where a plan is in its life: drafted by the cell, adopted at a cell meeting, submitted to
/// the higher committee, then returned for changes or accepted. A committee's directive plan
/// goes from draft to issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PlanStatus {
    Draft,
    Adopted,
    Submitted,
    Returned,
    Accepted,
    Issued,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 6] = [
        PlanStatus::Draft,
        PlanStatus::Adopted,
        PlanStatus::Submitted,
        PlanStatus::Returned,
        PlanStatus::Accepted,
        PlanStatus::Issued,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Adopted => "adopted",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Returned => "returned",
            PlanStatus::Accepted => "accepted",
            PlanStatus::Issued => "issued",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Dự thảo",
            PlanStatus::Adopted => "Đã thông qua chi bộ",
            PlanStatus::Submitted => "Đã báo cáo cấp trên",
            PlanStatus::Returned => "Cấp trên trả lại",
            PlanStatus::Accepted => "Cấp trên đã duyệt",
            PlanStatus::Issued => "Đã ban hành",
        }
    }

    /// Before adoption the document is marked "DỰ THẢO".
    pub fn is_draft(self) -> bool {
        matches!(self, PlanStatus::Draft)
    }
}

/// A document number: `05-KH/CB` — serial, kind of document, issuer's abbreviation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocNumber {
    pub serial: u32,
    pub kind: String,
    pub issuer: String,
}

impl DocNumber {
    pub fn plan(serial: u32, issuer: &str) -> Self {
        Self {
            serial,
            kind: "KH".into(),
            issuer: issuer.into(),
        }
    }

    /// "05-KH/CB", "5-KH/CB", "Số 82-KH/ĐU".
    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        let text = canonical(input);
        let text = text
            .strip_prefix("Số")
            .or_else(|| text.strip_prefix("số"))
            .unwrap_or(&text)
            .trim();
        if text.is_empty() {
            return Ok(None);
        }
        let invalid =
            Invalid("Số văn bản có dạng 05-KH/CB: số thứ tự, loại văn bản, cơ quan ban hành.");
        let (serial, rest) = text.split_once('-').ok_or(invalid.clone())?;
        let (kind, issuer) = rest.split_once('/').ok_or(invalid.clone())?;
        let serial: u32 = serial.trim().parse().map_err(|_| invalid.clone())?;
        let word = |s: &str| !s.is_empty() && s.chars().all(char::is_alphanumeric);
        if serial == 0 || serial > 99_999 || !word(kind.trim()) || !word(issuer.trim()) {
            return Err(invalid);
        }
        Ok(Some(Self {
            serial,
            kind: kind.trim().to_owned(),
            issuer: issuer.trim().to_owned(),
        }))
    }
}

impl std::fmt::Display for DocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{}/{}", self.serial, self.kind, self.issuer)
    }
}

/// Kinds of the documents a plan is issued under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BasisKind {
    Directive,
    Resolution,
    Conclusion,
    Guidance,
    Plan,
    Decision,
    Regulation,
    Notice,
    Letter,
}

impl BasisKind {
    pub const ALL: [BasisKind; 9] = [
        BasisKind::Directive,
        BasisKind::Resolution,
        BasisKind::Conclusion,
        BasisKind::Guidance,
        BasisKind::Plan,
        BasisKind::Decision,
        BasisKind::Regulation,
        BasisKind::Notice,
        BasisKind::Letter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BasisKind::Directive => "directive",
            BasisKind::Resolution => "resolution",
            BasisKind::Conclusion => "conclusion",
            BasisKind::Guidance => "guidance",
            BasisKind::Plan => "plan",
            BasisKind::Decision => "decision",
            BasisKind::Regulation => "regulation",
            BasisKind::Notice => "notice",
            BasisKind::Letter => "letter",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn loại văn bản."))
    }

    /// "Chỉ thị", as written before the number.
    pub fn label(self) -> &'static str {
        match self {
            BasisKind::Directive => "Chỉ thị",
            BasisKind::Resolution => "Nghị quyết",
            BasisKind::Conclusion => "Kết luận",
            BasisKind::Guidance => "Hướng dẫn",
            BasisKind::Plan => "Kế hoạch",
            BasisKind::Decision => "Quyết định",
            BasisKind::Regulation => "Quy định",
            BasisKind::Notice => "Thông báo",
            BasisKind::Letter => "Công văn",
        }
    }
}

/// A document the plan is issued under: "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về …".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BasisDoc {
    pub kind: BasisKind,
    /// "05-CT/TW"
    pub number: String,
    pub date: Option<NaiveDate>,
    /// "Bộ Chính trị"
    pub issuer: String,
    /// What it is about, without the leading "về".
    pub subject: String,
}

impl BasisDoc {
    /// The citation as a plan's basis paragraph writes it.
    pub fn citation(&self) -> String {
        let mut text = format!("{} số {}", self.kind.label(), self.number);
        if let Some(date) = self.date {
            text.push_str(&format!(", ngày {}", date.format("%d/%m/%Y")));
        }
        if !self.issuer.is_empty() {
            text.push_str(&format!(" của {}", self.issuer));
        }
        if !self.subject.is_empty() {
            text.push_str(&format!(" về {}", self.subject));
        }
        text
    }
}

/// Who signs on behalf of whom: "T/M CHI BỘ" …
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Authority {
    Cell,
    CellCommittee,
    StandingCommittee,
    PartyCommittee,
}

impl Authority {
    pub const ALL: [Authority; 4] = [
        Authority::Cell,
        Authority::CellCommittee,
        Authority::StandingCommittee,
        Authority::PartyCommittee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Cell => "cell",
            Authority::CellCommittee => "cell_committee",
            Authority::StandingCommittee => "standing_committee",
            Authority::PartyCommittee => "party_committee",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn thẩm quyền ký."))
    }

    pub fn label(self) -> &'static str {
        match self {
            Authority::Cell => "T/M CHI BỘ",
            Authority::CellCommittee => "T/M CHI ỦY",
            Authority::StandingCommittee => "T/M BAN THƯỜNG VỤ",
            Authority::PartyCommittee => "T/M ĐẢNG ỦY",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SignerTitle {
    Secretary,
    DeputySecretary,
}

impl SignerTitle {
    pub const ALL: [SignerTitle; 2] = [SignerTitle::Secretary, SignerTitle::DeputySecretary];

    pub fn as_str(self) -> &'static str {
        match self {
            SignerTitle::Secretary => "secretary",
            SignerTitle::DeputySecretary => "deputy_secretary",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn chức danh người ký."))
    }

    pub fn label(self) -> &'static str {
        match self {
            SignerTitle::Secretary => "BÍ THƯ",
            SignerTitle::DeputySecretary => "PHÓ BÍ THƯ",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    pub authority: Authority,
    pub title: SignerTitle,
    /// The signing member, if chosen from the cell's members.
    pub signer: Option<MemberId>,
    /// The name printed under the signature.
    pub signer_name: String,
}

/// One line of "Nơi nhận".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recipient {
    pub name: String,
    /// Receives it for report: "(để b/c)".
    pub for_report: bool,
}

/// Who presents a topic.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Presenter {
    Nobody,
    Member {
        id: MemberId,
        name: String,
    },
    /// A group of members or a party group, written as text.
    Group(String),
}

impl Presenter {
    pub fn name(&self) -> Option<&str> {
        match self {
            Presenter::Nobody => None,
            Presenter::Member { name, .. } => Some(name),
            Presenter::Group(text) => Some(text),
        }
    }
}

/// Where a topic comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TopicSource {
    /// Chosen by the cell.
    Own,
    /// Mandated from above; the text says by what ("Theo Kế hoạch số 46-KH/ĐUK").
    Mandated(String),
}

/// The five standard preparation steps, in order, and steps a cell adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepKind {
    Outline,
    Draft1,
    Comments,
    Draft2,
    Session,
    Other,
}

impl StepKind {
    pub const STANDARD: [StepKind; 5] = [
        StepKind::Outline,
        StepKind::Draft1,
        StepKind::Comments,
        StepKind::Draft2,
        StepKind::Session,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Outline => "outline",
            StepKind::Draft1 => "draft1",
            StepKind::Comments => "comments",
            StepKind::Draft2 => "draft2",
            StepKind::Session => "session",
            StepKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::STANDARD
            .into_iter()
            .chain([StepKind::Other])
            .find(|k| k.as_str() == code)
    }

    /// The standard wording of the step in a timeline table.
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Outline => "Chuẩn bị đề cương",
            StepKind::Draft1 => "Xây dựng dự thảo lần 1",
            StepKind::Comments => "Lấy ý kiến tham gia",
            StepKind::Draft2 => "Tiếp thu hoàn chỉnh dự thảo lần 2",
            StepKind::Session => "Tổ chức sinh hoạt chuyên đề",
            StepKind::Other => "Việc khác",
        }
    }
}

/// A member assigned to a step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Assignee {
    pub member: MemberId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub id: StepId,
    pub kind: StepKind,
    /// What is done, as printed in the timeline ("Chuẩn bị đề cương").
    pub label: String,
    pub due: Option<Due>,
    pub assignees: Vec<Assignee>,
    pub note: String,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub id: TopicId,
    pub title: String,
    /// Nội dung công việc.
    pub content: String,
    pub quarter: Option<Quarter>,
    /// The planned session: a month, or an exact date.
    pub session: Option<Due>,
    pub presenter: Presenter,
    pub source: TopicSource,
    pub materials: String,
    pub steps: Vec<Step>,
    /// The committee's topic this one was pulled from, if any.
    #[serde(default)]
    pub mandated_from: Option<TopicId>,
    /// In a committee's directive plan: the deadline as written ("Hoàn thành trong tháng 3").
    #[serde(default)]
    pub deadline: String,
}

impl Topic {
    /// The quarter the topic belongs to: given, or that of its session.
    pub fn effective_quarter(&self) -> Option<Quarter> {
        self.quarter.or_else(|| {
            self.session
                .map(|s| Quarter::of_month(chrono::Datelike::month(&s.start())))
        })
    }

    /// Steps done out of all steps.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.steps.iter().filter(|s| s.done_on.is_some()).count();
        (done, self.steps.len())
    }
}

/// The whole plan, as stored and as documents are built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub org_id: OrgId,
    pub year: Year,
    /// Bumped by every save; a save from an older version is a conflict.
    pub version: i64,
    pub status: PlanStatus,
    pub number: Option<DocNumber>,
    /// Place name of the date line.
    pub place: String,
    pub issued_on: Option<NaiveDate>,
    /// Trích yếu: "sinh hoạt chuyên đề năm 2024".
    pub subject: String,
    /// The basis paragraph: lead-in, the documents, and the closing sentence.
    pub basis_lead: String,
    pub basis: Vec<BasisDoc>,
    pub basis_closing: String,
    pub purposes: Vec<String>,
    pub requirements: Vec<String>,
    pub topics: Vec<Topic>,
    /// Hình thức tổ chức.
    pub format: Vec<String>,
    /// Study materials for the year.
    pub materials: Vec<String>,
    /// Tổ chức thực hiện: who does what, a paragraph each.
    pub duties: Vec<String>,
    pub recipients: Vec<Recipient>,
    /// The archive line: "Lưu Chi bộ".
    pub archive: String,
    pub signature: Signature,
}

/// The default subject line.
pub fn default_subject(year: Year) -> String {
    format!("sinh hoạt chuyên đề năm {year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_parse_and_print_with_two_digits() {
        let number = DocNumber::parse("Số 5-KH/CB").unwrap().unwrap();
        assert_eq!(number.to_string(), "05-KH/CB");
        assert_eq!(
            DocNumber::parse("82-KH/ĐU").unwrap().unwrap().to_string(),
            "82-KH/ĐU"
        );
        assert!(DocNumber::parse("KH/CB").is_err());
        assert!(DocNumber::parse("0-KH/CB").is_err());
        assert_eq!(DocNumber::parse("").unwrap(), None);
    }

    #[test]
    fn a_citation_reads_like_a_plan() {
        let doc = BasisDoc {
            kind: BasisKind::Directive,
            number: "05-CT/TW".into(),
            date: NaiveDate::from_ymd_opt(2016, 5, 15),
            issuer: "Bộ Chính trị".into(),
            subject: "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
                .into(),
        };
        assert_eq!(
            doc.citation(),
            "Chỉ thị số 05-CT/TW, ngày 15/05/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
        );
    }
}

/// The sections made of ordered paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextSection {
    Purposes,
    Requirements,
    Format,
    Materials,
    Duties,
}

impl TextSection {
    pub const ALL: [TextSection; 5] = [
        TextSection::Purposes,
        TextSection::Requirements,
        TextSection::Format,
        TextSection::Materials,
        TextSection::Duties,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TextSection::Purposes => "purposes",
            TextSection::Requirements => "requirements",
            TextSection::Format => "format",
            TextSection::Materials => "materials",
            TextSection::Duties => "duties",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TextSection::Purposes => "Mục đích",
            TextSection::Requirements => "Yêu cầu",
            TextSection::Format => "Hình thức tổ chức",
            TextSection::Materials => "Tài liệu học tập",
            TextSection::Duties => "Tổ chức thực hiện",
        }
    }

    pub fn of(self, plan: &Plan) -> &[String] {
        match self {
            TextSection::Purposes => &plan.purposes,
            TextSection::Requirements => &plan.requirements,
            TextSection::Format => &plan.format,
            TextSection::Materials => &plan.materials,
            TextSection::Duties => &plan.duties,
        }
    }

    pub fn of_mut(self, plan: &mut Plan) -> &mut Vec<String> {
        match self {
            TextSection::Purposes => &mut plan.purposes,
            TextSection::Requirements => &mut plan.requirements,
            TextSection::Format => &mut plan.format,
            TextSection::Materials => &mut plan.materials,
            TextSection::Duties => &mut plan.duties,
        }
    }
}

/// Paragraphs typed in a text area, one per line: NFC, trimmed, empty lines dropped.
pub fn paragraphs(input: &str) -> Result<Vec<String>, Invalid> {
    let list: Vec<String> = input
        .lines()
        .map(|line| {
            // A bullet pasted from a document: the renderers add their own.
            let line = line.trim();
            let line = ["- ", "– ", "• ", "· ", "+ "]
                .iter()
                .find_map(|bullet| line.strip_prefix(bullet))
                .unwrap_or(line);
            canonical(line)
        })
        .filter(|line| !line.is_empty())
        .collect();
    if list.len() > 100 || list.iter().any(|p| p.chars().count() > limit::PARAGRAPH) {
        return Err(Invalid(
            "Nội dung quá dài (tối đa 100 đoạn, mỗi đoạn 10.000 ký tự).",
        ));
    }
    Ok(list)
}

/// Free text of bounded length, possibly empty, kept on one paragraph.
pub fn free_text(input: &str, max_chars: usize) -> Result<String, Invalid> {
    let text = canonical(input);
    if text.chars().count() > max_chars {
        return Err(Invalid("Nội dung quá dài."));
    }
    Ok(text)
}

/// Standard duties of the implementation section, as in the template plan (seed 000), for a
/// new plan to start from.
const STANDARD_DUTIES: [&str; 3] = [
    "Bí thư chi bộ có trách nhiệm chỉ đạo, đôn đốc việc chuẩn bị xây dựng đề cương và tiến hành dự thảo, lấy ý kiến tham gia, thống nhất nội dung các chuyên đề trước khi họp chi bộ; chủ trì buổi sinh hoạt và chuẩn bị nội dung kết luận.",
    "Các đảng viên được phân công có trách nhiệm chuẩn bị chuyên đề đúng thời gian; các đảng viên trong chi bộ nghiên cứu dự thảo và chuẩn bị nội dung tham gia ý kiến tại buổi sinh hoạt chuyên đề.",
    "Bí thư chi bộ thông qua chi bộ kế hoạch sinh hoạt chuyên đề và kịp thời báo cáo cấp ủy cấp trên theo quy định; thường xuyên theo dõi, đôn đốc việc triển khai; đánh giá, sơ kết, tổng kết việc thực hiện.",
];

/// What a new plan needs to know about its cell.
pub struct NewPlan<'a> {
    pub cell: &'a super::org::Org,
    pub year: Year,
    /// The cell's secretary, who signs by default.
    pub secretary: Option<(MemberId, String)>,
    /// The committee the plan is reported to, for the recipients.
    pub superior_committee: Option<String>,
    pub number: Option<DocNumber>,
}

/// A blank plan with the standard sections ready to fill. A cell's plan starts with the
/// template's duties and is signed on behalf of the cell; a committee's (directive) plan is
/// signed on behalf of its standing committee and goes to the units below.
pub fn blank_plan(new: &NewPlan) -> Plan {
    let cell = new.cell.is_cell();
    let (signer, signer_name) = match &new.secretary {
        Some((id, name)) => (Some(*id), name.clone()),
        None => (None, String::new()),
    };
    let mut recipients: Vec<Recipient> = new
        .superior_committee
        .iter()
        .map(|name| Recipient {
            name: name.clone(),
            for_report: true,
        })
        .collect();
    recipients.push(Recipient {
        name: if cell {
            "Đảng viên trong chi bộ"
        } else {
            "Các chi bộ trực thuộc"
        }
        .into(),
        for_report: false,
    });
    let (subject, basis_closing) = if cell {
        (
            default_subject(new.year),
            format!(
                "{} xây dựng kế hoạch sinh hoạt chuyên đề năm {} như sau:",
                new.cell.name, new.year
            ),
        )
    } else {
        (
            format!("tổ chức sinh hoạt chuyên đề của chi bộ năm {}", new.year),
            format!(
                "{} xây dựng kế hoạch tổ chức sinh hoạt chuyên đề của chi bộ năm {}, cụ thể như sau:",
                new.cell.name, new.year
            ),
        )
    };
    Plan {
        id: PlanId::NEW,
        org_id: new.cell.id,
        year: new.year,
        version: 0,
        status: PlanStatus::Draft,
        number: new.number.clone(),
        place: new.cell.place_name.clone(),
        issued_on: None,
        subject,
        basis_lead: "Thực hiện".into(),
        basis: Vec::new(),
        basis_closing,
        purposes: Vec::new(),
        requirements: Vec::new(),
        topics: Vec::new(),
        format: Vec::new(),
        materials: Vec::new(),
        duties: if cell {
            STANDARD_DUTIES.iter().map(|d| (*d).to_owned()).collect()
        } else {
            Vec::new()
        },
        recipients,
        archive: if cell {
            "Lưu Chi bộ"
        } else {
            "Lưu Văn phòng"
        }
        .into(),
        signature: Signature {
            authority: if cell {
                Authority::Cell
            } else {
                Authority::StandingCommittee
            },
            title: SignerTitle::Secretary,
            signer,
            signer_name,
        },
    }
}

/// Last year's plan carried to `year`: topics, texts, duties and recipients kept; months moved
/// by the years between; progress, date of issue and status reset; a fresh number.
pub fn copy_to_year(previous: &Plan, year: Year, number: Option<DocNumber>) -> Plan {
    let shift = year.get() - previous.year.get();
    let (old, new) = (previous.year.to_string(), year.to_string());
    let topics = previous
        .topics
        .iter()
        .map(|topic| Topic {
            id: TopicId::NEW,
            session: topic.session.and_then(|d| d.shift_years(shift)),
            steps: topic
                .steps
                .iter()
                .map(|step| Step {
                    id: StepId::NEW,
                    due: step.due.and_then(|d| d.shift_years(shift)),
                    done_on: None,
                    ..step.clone()
                })
                .collect(),
            ..topic.clone()
        })
        .collect();
    Plan {
        id: PlanId::NEW,
        year,
        version: 0,
        status: PlanStatus::Draft,
        number,
        issued_on: None,
        subject: previous.subject.replace(&old, &new),
        basis_closing: previous.basis_closing.replace(&old, &new),
        topics,
        ..previous.clone()
    }
}

//! The papers of a topic (tài liệu chuyên đề): the drafts its presenter writes in the app or
//! uploads as a file, each kept as a version; the secretary's approval that sends one to the
//! members (circulation) and how long before the session that was; and the members' comments
//! on it, which the presenter takes in or not before closing them.

use std::io::{Cursor, Read};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::Invalid;
use super::calendar::short_date;
use super::calendar_feed::vietnam_instant;
use super::session::{Session, StartTime};
use super::text::{canonical, limit, within};

super::id_type!(
    /// A paper's id: one version of a topic's draft.
    PaperId
);
super::id_type!(
    /// A member's comment on a circulated paper.
    CommentId
);

/// Longest text written in the app: a topic's paper runs to some ten pages (about 30,000
/// characters); the bound leaves room for a long one without letting a form carry a book.
pub const BODY_MAX: usize = 100_000;
/// Largest uploaded file: a scanned or illustrated paper fits; a video does not.
pub const FILE_MAX: usize = 20 * 1024 * 1024;
/// Longest comment or reply: one paragraph.
pub const COMMENT_MAX: usize = limit::PARAGRAPH;
/// Hướng dẫn 42-HD/BTCTW: the papers reach the members at least one day before the session.
pub const LEAD_GUIDANCE: TimeDelta = TimeDelta::hours(24);

/// Which draft a version is, as the timeline names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft1,
    Draft2,
    Final,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Draft1, Stage::Draft2, Stage::Final];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft1 => "draft1",
            Stage::Draft2 => "draft2",
            Stage::Final => "final",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == code)
            .ok_or(Invalid(
                "Vui lòng chọn bản dự thảo lần 1, lần 2 hoặc bản hoàn chỉnh.",
            ))
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft1 => "Dự thảo lần 1",
            Stage::Draft2 => "Dự thảo lần 2",
            Stage::Final => "Bản hoàn chỉnh",
        }
    }

    /// The stage a new version most likely is, after the latest one.
    pub fn after(latest: Option<Stage>) -> Stage {
        match latest {
            None => Stage::Draft1,
            Some(Stage::Draft1) => Stage::Draft2,
            Some(later) => later,
        }
    }
}

/// The kinds of file a paper may be uploaded as, told from the content, never the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Docx,
    Pdf,
    Odt,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Docx, FileKind::Pdf, FileKind::Odt];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Docx => "docx",
            FileKind::Pdf => "pdf",
            FileKind::Odt => "odt",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Pdf => "application/pdf",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileKind::Docx => "Word (DOCX)",
            FileKind::Pdf => "PDF",
            FileKind::Odt => "OpenDocument (ODT)",
        }
    }

    /// What the bytes are: a PDF by its header; a DOCX or an ODT by the parts of its ZIP
    /// package (an ODT names its type in its first, stored entry; a DOCX holds
    /// `word/document.xml`). Anything else is refused with what it seems to be.
    pub fn sniff(bytes: &[u8]) -> Result<Self, Invalid> {
        if bytes.is_empty() {
            return Err(Invalid("Tệp rỗng: vui lòng chọn lại tệp dự thảo."));
        }
        if bytes.starts_with(b"%PDF-") {
            return Ok(FileKind::Pdf);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(Invalid(
                "Tệp Word 97–2003 (.doc) chưa được nhận: vui lòng lưu lại thành .docx hoặc PDF rồi tải lên.",
            ));
        }
        let not_a_paper = Invalid(
            "Tệp không phải văn bản DOCX, PDF hay ODT (kiểm tra theo nội dung tệp, không theo tên).",
        );
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(not_a_paper);
        }
        let Ok(mut package) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return Err(Invalid(
                "Tệp nén bị hỏng hoặc không đọc được: vui lòng lưu lại rồi tải lên.",
            ));
        };
        if let Ok(entry) = package.by_name("mimetype") {
            let mut kind = String::new();
            if entry.take(100).read_to_string(&mut kind).is_ok()
                && kind.trim() == FileKind::Odt.mime()
            {
                return Ok(FileKind::Odt);
            }
        }
        if package.index_for_name("word/document.xml").is_some()
            && package.index_for_name("[Content_Types].xml").is_some()
        {
            return Ok(FileKind::Docx);
        }
        Err(not_a_paper)
    }
}

/// An uploaded file's name made safe to store and to offer back: the last component of any
/// path, letters, digits and a few marks kept, the extension that of its real kind.
pub fn safe_file_name(name: &str, kind: FileKind) -> String {
    let name = canonical(name);
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let mut clean = String::new();
    for c in stem.chars() {
        let keep = c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')' | ',');
        let c = if keep { c } else { '_' };
        if !(c == ' ' && clean.ends_with(' ')) {
            clean.push(c);
        }
    }
    let clean: String = clean.trim().chars().take(100).collect();
    let stem = if clean.trim_matches('_').is_empty() {
        "du-thao".to_owned()
    } else {
        clean
    };
    format!("{stem}.{}", kind.as_str())
}

/// A file as it arrives in a form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl Upload {
    pub fn read(name: &str, bytes: Vec<u8>) -> Result<Self, Invalid> {
        if bytes.len() > FILE_MAX {
            return Err(too_large());
        }
        let kind = FileKind::sniff(&bytes)?;
        Ok(Self {
            name: safe_file_name(name, kind),
            kind,
            bytes,
        })
    }
}

pub fn too_large() -> Invalid {
    Invalid(
        "Tệp quá lớn: tối đa 20 MB. Vui lòng giảm dung lượng (ví dụ lưu PDF với ảnh nén) rồi tải lên lại.",
    )
}

/// A new version as the form gives it, checked: text, a file, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperDraft {
    pub stage: Stage,
    pub body: String,
    pub upload: Option<Upload>,
}

/// The typed text of a paper: canonical and bounded (empty allowed when a file comes with it).
pub fn parse_body(input: &str) -> Result<String, String> {
    within(input, BODY_MAX).map_err(|too_long| format!("Nội dung quá dài. {too_long}"))?;
    Ok(canonical(input))
}

/// The paragraphs of a written paper, numbered from 1 as comments refer to them: every line
/// with text is one (a text area's Enter starts a paragraph).
pub fn paragraphs(body: &str) -> Vec<&str> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A stored file's description (the content is read only to be downloaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
}

impl Attachment {
    /// "1,2 MB", "350 KB"
    pub fn size_label(&self) -> String {
        size_label(self.size)
    }
}

pub fn size_label(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Who did something to a paper, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deed {
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A stored version of a topic's paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub id: PaperId,
    pub topic_id: super::plan::TopicId,
    /// Its place among the topic's versions, from 1.
    pub number: i64,
    pub stage: Stage,
    pub body: String,
    pub attachment: Option<Attachment>,
    pub created: Deed,
    pub created_by: Option<super::user::UserId>,
    /// Approved and sent to the members.
    pub circulated: Option<Deed>,
    /// The presenter closed the comments on it.
    pub closed: Option<Deed>,
}

impl Paper {
    pub fn paragraphs(&self) -> Vec<&str> {
        paragraphs(&self.body)
    }

    /// Open to comments: circulated and not closed.
    pub fn is_open(&self) -> bool {
        self.circulated.is_some() && self.closed.is_none()
    }

    /// How long before `session` it went out, when it did and a session is scheduled.
    pub fn lead(&self, session: Option<&Session>) -> Option<Lead> {
        Some(Lead::of(self.circulated.as_ref()?.at, session?))
    }

    /// "Dự thảo lần 1 (bản 2)"
    pub fn title(&self) -> String {
        format!("{} (bản {})", self.stage.label(), self.number)
    }
}

/// How long before the session a paper went out, against the one day 42-HD/BTCTW asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// At least a day ahead.
    InTime(TimeDelta),
    /// Ahead, but by less than a day.
    Short(TimeDelta),
    /// When the session had begun.
    Late,
}

impl Lead {
    pub fn of(circulated: DateTime<Utc>, session: &Session) -> Self {
        Self::before(circulated, session.date, session.start)
    }

    /// How long before a session on `date` at `start` (Vietnam's time) a paper went out.
    pub fn before(circulated: DateTime<Utc>, date: NaiveDate, start: StartTime) -> Self {
        let ahead = vietnam_instant(date, start) - circulated;
        if ahead <= TimeDelta::zero() {
            Lead::Late
        } else if ahead < LEAD_GUIDANCE {
            Lead::Short(ahead)
        } else {
            Lead::InTime(ahead)
        }
    }

    pub fn is_warning(self) -> bool {
        !matches!(self, Lead::InTime(_))
    }

    /// "Gửi đảng viên trước buổi sinh hoạt 2 ngày 3 giờ."
    pub fn message(self) -> String {
        match self {
            Lead::InTime(ahead) => format!(
                "Gửi đảng viên trước buổi sinh hoạt {}.",
                span_label(ahead)
            ),
            Lead::Short(ahead) => format!(
                "Gửi đảng viên chỉ {} trước buổi sinh hoạt: Hướng dẫn 42-HD/BTCTW yêu cầu gửi trước ít nhất 1 ngày.",
                span_label(ahead)
            ),
            Lead::Late => "Gửi đảng viên sau khi buổi sinh hoạt đã bắt đầu: Hướng dẫn 42-HD/BTCTW yêu cầu gửi trước ít nhất 1 ngày.".to_owned(),
        }
    }
}

/// "2 ngày 3 giờ", "23 giờ", "45 phút"
pub fn span_label(span: TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} phút"),
        (0, h) => format!("{h} giờ"),
        (d, 0) => format!("{d} ngày"),
        (d, h) => format!("{d} ngày {h} giờ"),
    }
}

/// Why the secretary may not send a paper to the members now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CirculationRefusal {
    AlreadyCirculated,
    /// The session it prepares was held already.
    SessionPast(chrono::NaiveDate),
}

impl CirculationRefusal {
    pub fn message(&self) -> String {
        match self {
            CirculationRefusal::AlreadyCirculated => "Bản này đã được gửi đảng viên.".to_owned(),
            CirculationRefusal::SessionPast(date) => format!(
                "Buổi sinh hoạt đã diễn ra ngày {}: không thể gửi dự thảo để chuẩn bị cho buổi đó nữa. Nếu chi bộ sinh hoạt lại, hãy lên lịch buổi mới trước.",
                short_date(*date)
            ),
        }
    }
}

/// Whether `paper` may be circulated at `now` for the topic's open `session` (if any). A draft
/// prepares the session and is too late once it was held; the final paper is made after it
/// and goes to the members then.
pub fn may_circulate(
    paper: &Paper,
    session: Option<&Session>,
    today: chrono::NaiveDate,
) -> Result<(), CirculationRefusal> {
    if paper.circulated.is_some() {
        return Err(CirculationRefusal::AlreadyCirculated);
    }
    match session {
        Some(session) if session.date < today && paper.stage != Stage::Final => {
            Err(CirculationRefusal::SessionPast(session.date))
        }
        _ => Ok(()),
    }
}

/// What the presenter made of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Tiếp thu.
    Taken,
    /// Không tiếp thu (with the reason in the reply).
    Rejected,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Taken => "taken",
            Verdict::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        match code {
            "taken" => Ok(Verdict::Taken),
            "rejected" => Ok(Verdict::Rejected),
            _ => Err(Invalid("Vui lòng chọn tiếp thu hoặc không tiếp thu.")),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Taken => "Tiếp thu",
            Verdict::Rejected => "Không tiếp thu",
        }
    }
}

/// A member's comment as the form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentDraft {
    /// The paragraph it is about, or the whole paper.
    pub paragraph: Option<u32>,
    pub body: String,
}

/// The paragraph field: empty (the whole paper) or one of the paper's paragraphs.
pub fn parse_paragraph(input: &str, count: usize) -> Result<Option<u32>, Invalid> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<u32>() {
        Ok(n) if n >= 1 && (n as usize) <= count => Ok(Some(n)),
        _ => Err(Invalid("Đoạn được chọn không có trong dự thảo.")),
    }
}

/// A comment's text: required, one paragraph's length at most.
pub fn parse_comment(input: &str) -> Result<String, Invalid> {
    let text = canonical(input);
    if text.is_empty() {
        return Err(Invalid("Vui lòng nhập ý kiến."));
    }
    Ok(text)
}

/// The presenter's answer as the form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub verdict: Verdict,
    pub reply: String,
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub paper_id: PaperId,
    pub paragraph: Option<u32>,
    pub body: String,
    pub created: Deed,
    pub created_by: Option<super::user::UserId>,
    pub answer: Option<(Answer, Deed)>,
    pub version: i64,
}

impl Comment {
    /// "Đoạn 3" or "Toàn bộ dự thảo"
    pub fn about(&self) -> String {
        match self.paragraph {
            Some(n) => format!("Đoạn {n}"),
            None => "Toàn bộ dự thảo".to_owned(),
        }
    }
}

/// History lines, as the paper's page and the plan's history show them.
pub fn added_summary(topic: &str, paper: &Paper) -> String {
    let what = match (&paper.attachment, paper.body.is_empty()) {
        (Some(file), true) => format!("tệp {}", file.name),
        (Some(file), false) => format!("văn bản và tệp {}", file.name),
        (None, _) => "văn bản".to_owned(),
    };
    format!(
        "Thêm {} chuyên đề “{topic}” (bản {}): {what}",
        paper.stage.label().to_lowercase(),
        paper.number
    )
}

pub fn circulated_summary(topic: &str, paper: &Paper, lead: Option<Lead>) -> String {
    let lead = lead
        .map(|l| format!(" {}", l.message()))
        .unwrap_or_default();
    format!(
        "Thông qua {} chuyên đề “{topic}” (bản {}), gửi đảng viên.{lead}",
        paper.stage.label().to_lowercase(),
        paper.number
    )
}

pub fn commented_summary(topic: &str, paper: &Paper, comment: &CommentDraft) -> String {
    let about = match comment.paragraph {
        Some(n) => format!("đoạn {n}"),
        None => "toàn bộ".to_owned(),
    };
    format!(
        "Góp ý {about} {} chuyên đề “{topic}” (bản {})",
        paper.stage.label().to_lowercase(),
        paper.number
    )
}

pub fn answered_summary(topic: &str, author: &str, answer: &Answer) -> String {
    format!(
        "{} ý kiến của đồng chí {author} về chuyên đề “{topic}”",
        answer.verdict.label()
    )
}

pub fn closed_summary(topic: &str, paper: &Paper, count: usize) -> String {
    format!(
        "Kết thúc lấy ý kiến {} chuyên đề “{topic}” (bản {}): {count} ý kiến",
        paper.stage.label().to_lowercase(),
        paper.number
    )
}

#[cfg(test)]
mod tests;

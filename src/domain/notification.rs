//! Notifications: what happened, for whom, in Vietnamese, with a link to the page concerned;
//! and the rules of their e-mail copies (retry schedule) and of "coming due" reminders.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::calendar::Due;
use super::org::Year;
use super::plan::{PlanId, TopicId};
use super::text::canonical;

/// What a notification is about; stored as [`NoticeKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// A cell reported its plan to the committee (to the committee's reviewers).
    Submitted,
    /// The committee sent the plan back (to the cell's secretary and deputy).
    Returned,
    /// The committee accepted the plan (to the cell's secretary and deputy).
    Accepted,
    /// A member was given a step of a plan (to the assignee).
    Assigned,
    /// A step is coming due (to the assignee).
    DueSoon,
    /// A committee issued its directive plan (to the secretaries of the cells below).
    DirectiveIssued,
    /// A session's day, time or place changed (to the cell's members).
    SessionMoved,
    /// A session was cancelled (to the cell's members).
    SessionCancelled,
    /// A topic's draft was sent to the members (to the cell's members).
    PaperCirculated,
    /// The presenter answered a comment (to the member who made it).
    CommentAnswered,
    /// A cell reported a held session's minutes (to the committee's reviewers).
    MinutesReported,
    /// A committee invited a unit to send delegates to a model session (to its leaders).
    ModelInvited,
    /// A committee issued the summary of a model session (to the host's and invited leaders).
    ModelReported,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 13] = [
        NoticeKind::Submitted,
        NoticeKind::Returned,
        NoticeKind::Accepted,
        NoticeKind::Assigned,
        NoticeKind::DueSoon,
        NoticeKind::DirectiveIssued,
        NoticeKind::SessionMoved,
        NoticeKind::SessionCancelled,
        NoticeKind::PaperCirculated,
        NoticeKind::CommentAnswered,
        NoticeKind::MinutesReported,
        NoticeKind::ModelInvited,
        NoticeKind::ModelReported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Submitted => "submitted",
            NoticeKind::Returned => "returned",
            NoticeKind::Accepted => "accepted",
            NoticeKind::Assigned => "assigned",
            NoticeKind::DueSoon => "due_soon",
            NoticeKind::DirectiveIssued => "directive_issued",
            NoticeKind::SessionMoved => "session_moved",
            NoticeKind::SessionCancelled => "session_cancelled",
            NoticeKind::PaperCirculated => "paper_circulated",
            NoticeKind::CommentAnswered => "comment_answered",
            NoticeKind::MinutesReported => "minutes_reported",
            NoticeKind::ModelInvited => "model_invited",
            NoticeKind::ModelReported => "model_reported",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Submitted => "Kế hoạch chờ xem xét",
            NoticeKind::Returned => "Kế hoạch bị trả lại",
            NoticeKind::Accepted => "Kế hoạch được duyệt",
            NoticeKind::Assigned => "Được phân công",
            NoticeKind::DueSoon => "Sắp đến hạn",
            NoticeKind::DirectiveIssued => "Kế hoạch của cấp trên",
            NoticeKind::SessionMoved => "Đổi lịch sinh hoạt chuyên đề",
            NoticeKind::SessionCancelled => "Hủy buổi sinh hoạt chuyên đề",
            NoticeKind::PaperCirculated => "Dự thảo chuyên đề gửi đảng viên",
            NoticeKind::CommentAnswered => "Ý kiến góp ý được trả lời",
            NoticeKind::MinutesReported => "Báo cáo kết quả sinh hoạt chuyên đề",
            NoticeKind::ModelInvited => "Mời dự hội nghị sinh hoạt chi bộ mẫu",
            NoticeKind::ModelReported => "Kết quả hội nghị sinh hoạt chi bộ mẫu",
        }
    }
}

/// Where a notification leads when none is given, or when the given one is not ours.
pub const FALLBACK_LINK: &str = "/notifications";

/// One notification as created for its recipients: the message in Vietnamese (NFC) and the
/// local page it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub message: String,
    pub link: String,
}

/// True for a path of this application (plain ASCII, fit for a `Location` header): never send
/// a reader off-site.
pub fn is_local_link(link: &str) -> bool {
    link.starts_with('/')
        && !link.starts_with("//")
        && !link.starts_with("/\\")
        && link.bytes().all(|b| b.is_ascii_graphic())
}

impl Notice {
    /// The message is made canonical (NFC, trimmed); a link that is not a local path becomes
    /// the notifications page.
    pub fn new(kind: NoticeKind, message: &str, link: &str) -> Self {
        let link = if is_local_link(link) {
            link.to_owned()
        } else {
            FALLBACK_LINK.to_owned()
        };
        Self {
            kind,
            message: canonical(message),
            link,
        }
    }

    /// To the reviewers of the committee: a cell reported its plan.
    pub fn submitted(cell: &str, year: Year, plan: PlanId) -> Self {
        Self::new(
            NoticeKind::Submitted,
            &format!("{cell} đã báo cáo kế hoạch sinh hoạt chuyên đề năm {year}, chờ xem xét."),
            &format!("/plans/{plan}"),
        )
    }

    /// To the cell's secretary and deputy: the committee sent the plan back.
    pub fn returned(committee: &str, year: Year, plan: PlanId) -> Self {
        Self::new(
            NoticeKind::Returned,
            &format!(
                "{committee} đã trả lại kế hoạch sinh hoạt chuyên đề năm {year}, \
                 yêu cầu bổ sung, chỉnh sửa."
            ),
            &format!("/plans/{plan}"),
        )
    }

    /// To the cell's secretary and deputy: the committee accepted the plan.
    pub fn accepted(committee: &str, year: Year, plan: PlanId) -> Self {
        Self::new(
            NoticeKind::Accepted,
            &format!("{committee} đã duyệt kế hoạch sinh hoạt chuyên đề năm {year}."),
            &format!("/plans/{plan}"),
        )
    }

    /// To a member given a step of a topic.
    pub fn assigned(step: &str, topic_title: &str, plan: PlanId, topic: TopicId) -> Self {
        Self::new(
            NoticeKind::Assigned,
            &format!("Đồng chí được phân công “{step}” của chuyên đề “{topic_title}”."),
            &format!("/plans/{plan}#topic-{topic}"),
        )
    }

    /// To the assignee of a step coming due.
    pub fn due_soon(step: &str, topic_title: &str, due: Due) -> Self {
        let when = match due {
            Due::Month(_) => format!("trong {}", due.label().to_lowercase()),
            Due::Date(_) => format!("ngày {}", due.label()),
        };
        Self::new(
            NoticeKind::DueSoon,
            &format!("Sắp đến hạn {when}: “{step}” của chuyên đề “{topic_title}”."),
            "/me/work",
        )
    }

    /// To the secretaries of the cells below: a committee issued its directive plan.
    pub fn directive_issued(committee: &str, year: Year, plan: PlanId) -> Self {
        Self::new(
            NoticeKind::DirectiveIssued,
            &format!(
                "{committee} đã ban hành kế hoạch sinh hoạt chuyên đề năm {year}; \
                 chi bộ xây dựng kế hoạch của mình theo hướng dẫn của cấp trên."
            ),
            &format!("/plans/{plan}"),
        )
    }

    /// To the leaders of an invited unit: name the delegates to a model session by `deadline`.
    pub fn model_invited(
        committee: &str,
        heading: &str,
        host: &str,
        deadline: &str,
        meeting: i64,
    ) -> Self {
        Self::new(
            NoticeKind::ModelInvited,
            &format!(
                "{committee} mời đơn vị cử đại biểu dự {heading} do {host} thực hiện; \
                 đăng ký đại biểu đến hết ngày {deadline}."
            ),
            &format!("/model-sessions/{meeting}/meeting"),
        )
    }

    /// To the host's and the invited units' leaders: the committee issued its summary.
    pub fn model_reported(committee: &str, heading: &str, meeting: i64) -> Self {
        Self::new(
            NoticeKind::ModelReported,
            &format!("{committee} đã ban hành văn bản kết quả {heading}."),
            &format!("/model-sessions/{meeting}/meeting"),
        )
    }

    /// To the cell's members: the session of a topic moved to another day, time or place.
    pub fn session_moved(topic_title: &str, when: &str, venue: &str, topic: TopicId) -> Self {
        Self::new(
            NoticeKind::SessionMoved,
            &format!("Buổi sinh hoạt chuyên đề “{topic_title}” đổi lịch: {when}, tại {venue}."),
            &format!("/topics/{topic}/session"),
        )
    }

    /// To the cell's members: a topic's draft was approved and sent to them to study.
    pub fn paper_circulated(
        topic_title: &str,
        stage: &str,
        session: Option<&str>,
        paper: super::paper::PaperId,
    ) -> Self {
        let session = session
            .map(|when| format!(" Buổi sinh hoạt: {when}."))
            .unwrap_or_default();
        Self::new(
            NoticeKind::PaperCirculated,
            &format!(
                "{stage} chuyên đề “{topic_title}” đã được gửi đến đảng viên để nghiên cứu, góp ý.{session}"
            ),
            &format!("/papers/{paper}"),
        )
    }

    /// To a member: the presenter answered their comment on a topic's draft.
    pub fn comment_answered(
        topic_title: &str,
        verdict: &str,
        paper: super::paper::PaperId,
    ) -> Self {
        Self::new(
            NoticeKind::CommentAnswered,
            &format!("Ý kiến của đồng chí về dự thảo chuyên đề “{topic_title}”: {verdict}."),
            &format!("/papers/{paper}"),
        )
    }

    /// To the reviewers of the committee: a cell reported the minutes of a held session.
    pub fn minutes_reported(
        cell: &str,
        topic_title: &str,
        held_on: NaiveDate,
        session: super::session::SessionId,
    ) -> Self {
        Self::new(
            NoticeKind::MinutesReported,
            &format!(
                "{cell} đã báo cáo biên bản buổi sinh hoạt chuyên đề “{topic_title}” ngày {}, chờ xếp loại.",
                held_on.format("%d/%m/%Y")
            ),
            &format!("/sessions/{session}/minutes"),
        )
    }

    /// To the cell's members: the session of a topic was cancelled.
    pub fn session_cancelled(topic_title: &str, when: &str, reason: &str, topic: TopicId) -> Self {
        Self::new(
            NoticeKind::SessionCancelled,
            &format!("Buổi sinh hoạt chuyên đề “{topic_title}” ({when}) đã hủy. Lý do: {reason}"),
            &format!("/topics/{topic}/session"),
        )
    }

    /// The subject of its e-mail copy.
    pub fn subject(&self) -> String {
        format!("[Sinh hoạt chuyên đề] {}", self.kind.label())
    }

    /// What its e-mail copy says, as queued in the outbox; the link is added when it is sent
    /// ([`email_text`]), made absolute with the deployment's public address.
    pub fn email_body(&self) -> String {
        self.message.clone()
    }
}

/// The whole text of an e-mail: what it says (its queued body) and the absolute address of
/// the page concerned.
pub fn email_text(body: &str, url: &str) -> String {
    format!("{body}\n\nXem chi tiết: {url}\n\nThư này được gửi tự động; vui lòng không trả lời.\n")
}

/// The address at which people reach the app (`--public-url`, e.g.
/// `https://chuyende.example.vn`): e-mails carry links, and a page path alone is no link in a
/// mail reader. Kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// An `http://` or `https://` address with a host, without query, fragment, credentials,
    /// whitespace or control characters.
    pub fn parse(input: &str) -> Option<Self> {
        let text = input.trim().trim_end_matches('/');
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))?;
        let host = rest.split('/').next().unwrap_or_default();
        let clean = !text.contains(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '@' | '\\')
        });
        (clean && !host.is_empty() && !host.starts_with(':')).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The absolute address of a page of the app (`link` is a path of this site, as every
    /// notification's is); anything else links the home page.
    pub fn link(&self, link: &str) -> String {
        if is_local_link(link) {
            format!("{}{link}", self.0)
        } else {
            format!("{}/", self.0)
        }
    }
}

/// A stored notification, as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: NoticeKind,
    pub message: String,
    pub link: String,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    pub fn is_unread(&self) -> bool {
        self.read_at.is_none()
    }
}

/// After this many failed attempts an e-mail is given up (kept, with its last error).
pub const MAX_ATTEMPTS: i32 = 8;

/// How long to wait before the next attempt after `failures` failed ones; `None` once the
/// e-mail is given up. 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h: about two days in all.
pub fn retry_delay(failures: i32) -> Option<TimeDelta> {
    let minutes = match failures {
        ..=1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        5 => 360,
        6 => 720,
        7 => 1440,
        _ => return None,
    };
    Some(TimeDelta::minutes(minutes))
}

/// Whether an unfinished step due at `due` should be reminded of on `today`, `days` ahead:
/// an exact date within `[today, today + days]`; a month that starts within the window, or
/// the current month (started already, not over yet).
pub fn is_coming_due(due: Due, today: NaiveDate, days: u32) -> bool {
    let horizon = today + TimeDelta::days(i64::from(days));
    due.start() <= horizon && due.deadline() >= today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::YearMonth;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn kinds_round_trip() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.label().is_empty());
        }
        assert_eq!(NoticeKind::parse("nope"), None);
    }

    #[test]
    fn messages_are_nfc_and_links_local() {
        let decomposed = "Chi bo\u{0302}\u{0323} Ma\u{0302}\u{0300}m non";
        let notice = Notice::new(NoticeKind::Submitted, decomposed, "https://evil.example/");
        assert_eq!(notice.message, "Chi bộ Mầm non");
        assert_eq!(notice.link, FALLBACK_LINK);
        assert_eq!(
            Notice::new(NoticeKind::Submitted, "x", "//evil").link,
            FALLBACK_LINK
        );
        let year = Year::new(2024).unwrap();
        let notice = Notice::submitted("Chi bộ Mầm non Định An", year, PlanId(7));
        assert_eq!(notice.link, "/plans/7");
        assert!(notice.message.contains("năm 2024"));
        assert!(notice.subject().contains("Kế hoạch chờ xem xét"));
        assert!(notice.email_body().starts_with(&notice.message));
    }

    #[test]
    fn email_links_are_absolute_on_the_public_address() {
        let public = PublicUrl::parse(" https://chuyende.example.vn/ ").unwrap();
        assert_eq!(public.as_str(), "https://chuyende.example.vn");
        assert_eq!(
            public.link("/plans/7"),
            "https://chuyende.example.vn/plans/7"
        );
        assert_eq!(
            public.link("//evil.example"),
            "https://chuyende.example.vn/"
        );
        assert!(PublicUrl::parse("http://127.0.0.1:3000").is_some());
        for bad in [
            "",
            "chuyende.example.vn",
            "ftp://x",
            "https://",
            "https://a b",
            "https://u@evil",
            "https://x/?q",
            "https://:80",
        ] {
            assert_eq!(PublicUrl::parse(bad), None, "{bad}");
        }
        let text = email_text("Kế hoạch đã được duyệt.", &public.link("/plans/7"));
        assert!(text.starts_with(
            "Kế hoạch đã được duyệt.\n\nXem chi tiết: https://chuyende.example.vn/plans/7\n"
        ));
    }

    #[test]
    fn retries_back_off_then_give_up() {
        assert_eq!(retry_delay(1), Some(TimeDelta::minutes(1)));
        assert_eq!(retry_delay(2), Some(TimeDelta::minutes(5)));
        assert_eq!(retry_delay(3), Some(TimeDelta::minutes(30)));
        assert_eq!(retry_delay(4), Some(TimeDelta::hours(2)));
        assert!(retry_delay(MAX_ATTEMPTS - 1).is_some());
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
    }

    #[test]
    fn coming_due_windows() {
        let today = date(2024, 4, 26);
        assert!(is_coming_due(Due::Date(date(2024, 4, 26)), today, 7));
        assert!(is_coming_due(Due::Date(date(2024, 5, 3)), today, 7));
        assert!(!is_coming_due(Due::Date(date(2024, 5, 4)), today, 7));
        assert!(!is_coming_due(Due::Date(date(2024, 4, 25)), today, 7));
        let month = |y, m| Due::Month(YearMonth::of(date(y, m, 1)));
        assert!(is_coming_due(month(2024, 5), today, 7));
        assert!(is_coming_due(month(2024, 4), today, 7));
        assert!(!is_coming_due(month(2024, 6), today, 7));
        assert!(!is_coming_due(month(2024, 3), today, 7));
    }
}

//! The session of a topic (buổi sinh hoạt chuyên đề): when and where the cell meets to hear and
//! discuss it, who chairs and who takes the minutes, and whether it shares the sitting with the
//! regular monthly meeting. Scheduled, moved and cancelled by the cell's secretary or deputy.

use chrono::{Datelike, NaiveDate};

use super::Invalid;
use super::calendar::{parse_date, short_date, weekday_label};
use super::member::{CellRole, Member, MemberId};
use super::org::Year;
use super::plan::Assignee;
use super::text::{Line, LineError, limit, within};

super::id_type!(
    /// A session's id.
    SessionId
);

/// Longest venue, in characters: a place's name.
pub const VENUE_MAX: usize = limit::NAME;
/// Longest reason given for cancelling: a line, like a step's note.
pub const REASON_MAX: usize = limit::TITLE;
/// Shortest and longest expected duration, in minutes: a session is a sitting, not a day.
pub const DURATION_MIN: u16 = 30;
pub const DURATION_MAX: u16 = 480;
/// Hướng dẫn 42-HD/BTCTW: a meeting lasts at least 90 minutes, 120 when the thematic and the
/// regular parts share one sitting.
pub const GUIDANCE_MINUTES: u16 = 90;
pub const GUIDANCE_COMBINED_MINUTES: u16 = 120;

/// A time of day to the minute (giờ bắt đầu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StartTime(u16);

impl StartTime {
    pub fn new(minutes_after_midnight: u16) -> Option<Self> {
        (minutes_after_midnight < 24 * 60).then_some(Self(minutes_after_midnight))
    }

    /// "8:00", "08:30", "14h", "14h30", "7 giờ 30" (and an HTML time input's "07:30:00").
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = super::text::fold(input);
        if text.is_empty() {
            return Err(Invalid("Vui lòng nhập giờ bắt đầu (ví dụ 08:00)."));
        }
        let invalid =
            Invalid("Giờ bắt đầu không hợp lệ: giờ từ 0 đến 23, phút từ 0 đến 59 (ví dụ 08:00).");
        let text = text.replace("gio", "h").replace(' ', "");
        let text = text.strip_suffix("phut").unwrap_or(&text);
        let mut parts = text.split([':', 'h']);
        let hour = parts.next().unwrap_or("");
        let minute = parts.next().unwrap_or("");
        // An HTML time input may send seconds: only ":00" is a time to the minute.
        if parts.next().is_some_and(|s| s != "00") || parts.next().is_some() {
            return Err(invalid);
        }
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(hour) || !(minute.is_empty() || digits(minute)) {
            return Err(invalid);
        }
        let hour: u16 = hour.parse().map_err(|_| invalid.clone())?;
        let minute: u16 = if minute.is_empty() {
            0
        } else {
            minute.parse().map_err(|_| invalid.clone())?
        };
        if hour > 23 || minute > 59 {
            return Err(invalid);
        }
        Ok(Self(hour * 60 + minute))
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The time `minutes` later, wrapping past midnight.
    pub fn plus(self, minutes: u16) -> Self {
        Self((self.0 + minutes) % (24 * 60))
    }
}

impl std::fmt::Display for StartTime {
    /// "08:00"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// "2 giờ", "1 giờ 30 phút", "45 phút".
pub fn duration_label(minutes: u16) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} phút"),
        (h, 0) => format!("{h} giờ"),
        (h, m) => format!("{h} giờ {m} phút"),
    }
}

/// A session as the form describes it, checked: what scheduling and moving store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub date: NaiveDate,
    pub start: StartTime,
    pub duration: u16,
    pub venue: Line,
    pub chair: Option<Assignee>,
    pub minute_taker: Option<Assignee>,
    /// Held in one sitting with the regular monthly meeting.
    pub combined: bool,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInput {
    pub date: String,
    pub start: String,
    pub duration: String,
    pub venue: String,
    pub chair: String,
    pub minute_taker: String,
    pub combined: bool,
}

/// Why a form is not a [`SessionDraft`]: one message per field, under the field's name.
pub type FieldMessages = Vec<(&'static str, String)>;

/// What parsing needs to know besides the input.
#[derive(Debug, Clone, Copy)]
pub struct Bounds<'a> {
    pub today: NaiveDate,
    /// The plan's year: the session is one of that year's.
    pub year: Year,
    /// The cell's active members: the chair and the minute-taker are chosen among them.
    pub members: &'a [Member],
    /// A moved session may keep a date that has passed (the day of the session itself, a
    /// correction after the fact); a new one may not be set in the past.
    pub new: bool,
}

impl SessionInput {
    /// The typed form of a stored session, for the form that moves it.
    pub fn of(session: &Session) -> Self {
        Self {
            date: short_date(session.date),
            start: session.start.to_string(),
            duration: session.duration.to_string(),
            venue: session.venue.clone(),
            chair: session
                .chair
                .as_ref()
                .map(|a| a.member.to_string())
                .unwrap_or_default(),
            minute_taker: session
                .minute_taker
                .as_ref()
                .map(|a| a.member.to_string())
                .unwrap_or_default(),
            combined: session.combined,
        }
    }

    /// A blank form: the secretary chairs unless someone else is chosen.
    pub fn blank(members: &[Member]) -> Self {
        Self {
            chair: secretary(members)
                .map(|m| m.id.to_string())
                .unwrap_or_default(),
            duration: GUIDANCE_MINUTES.to_string(),
            ..Self::default()
        }
    }

    pub fn parse(&self, bounds: Bounds) -> Result<SessionDraft, FieldMessages> {
        let mut errors: FieldMessages = Vec::new();
        let mut refuse = |field: &'static str, message: &str| errors.push((field, message.into()));
        let date = match parse_date(&self.date) {
            Ok(Some(date)) if bounds.new && date < bounds.today => {
                refuse(
                    "date",
                    "Ngày sinh hoạt đã qua; vui lòng chọn hôm nay hoặc một ngày sắp tới.",
                );
                None
            }
            Ok(Some(date)) if date.year() != bounds.year.get() => {
                refuse("date", "Ngày sinh hoạt phải trong năm của kế hoạch.");
                None
            }
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                refuse("date", "Vui lòng nhập ngày sinh hoạt (ví dụ 15/06/2026).");
                None
            }
            Err(invalid) => {
                refuse("date", invalid.0);
                None
            }
        };
        let start = StartTime::parse(&self.start)
            .map_err(|e| refuse("start", e.0))
            .ok();
        let duration = parse_duration(&self.duration)
            .map_err(|e| refuse("duration", e.0))
            .ok();
        let venue = match Line::read(&self.venue, VENUE_MAX) {
            Ok(venue) => Some(venue),
            Err(LineError::TooLong) => {
                let too_long = within(&self.venue, VENUE_MAX).err();
                let detail = too_long.map(|t| t.to_string()).unwrap_or_default();
                refuse("venue", &format!("Địa điểm quá dài. {detail}"));
                None
            }
            Err(LineError::Multiline) => {
                refuse("venue", "Địa điểm chỉ được có một dòng.");
                None
            }
            Err(LineError::Empty) => {
                refuse("venue", "Vui lòng nhập địa điểm sinh hoạt.");
                None
            }
        };
        let chair = match self.chair.trim() {
            "" => match secretary(bounds.members) {
                Some(secretary) => Some(Some(assignee(secretary))),
                None => {
                    refuse("chair", "Vui lòng chọn người chủ trì.");
                    None
                }
            },
            id => match member(bounds.members, id) {
                Some(m) => Some(Some(assignee(m))),
                None => {
                    refuse("chair", "Người chủ trì phải là đảng viên của chi bộ.");
                    None
                }
            },
        };
        let minute_taker = match self.minute_taker.trim() {
            "" => Some(None),
            id => match member(bounds.members, id) {
                Some(m) => Some(Some(assignee(m))),
                None => {
                    refuse(
                        "minute_taker",
                        "Người ghi biên bản phải là đảng viên của chi bộ.",
                    );
                    None
                }
            },
        };
        match (date, start, duration, venue, chair, minute_taker) {
            (
                Some(date),
                Some(start),
                Some(duration),
                Some(venue),
                Some(chair),
                Some(minute_taker),
            ) if errors.is_empty() => Ok(SessionDraft {
                date,
                start,
                duration,
                venue,
                chair,
                minute_taker,
                combined: self.combined,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_duration(input: &str) -> Result<u16, Invalid> {
    let folded = super::text::fold(input);
    let text = folded.trim().trim_end_matches("phut").trim();
    if text.is_empty() {
        return Err(Invalid("Vui lòng nhập thời lượng dự kiến, tính bằng phút."));
    }
    let invalid = Invalid("Thời lượng dự kiến từ 30 đến 480 phút.");
    if !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 4 {
        return Err(invalid);
    }
    match text.parse::<u16>() {
        Ok(minutes) if (DURATION_MIN..=DURATION_MAX).contains(&minutes) => Ok(minutes),
        _ => Err(invalid),
    }
}

fn secretary(members: &[Member]) -> Option<&Member> {
    members.iter().find(|m| m.role == CellRole::Secretary)
}

fn member<'a>(members: &'a [Member], id: &str) -> Option<&'a Member> {
    let id: MemberId = id.parse().ok()?;
    members.iter().find(|m| m.id == id)
}

fn assignee(member: &Member) -> Assignee {
    Assignee {
        member: member.id,
        name: member.full_name.clone(),
    }
}

/// The reason for cancelling: required, one paragraph, bounded.
pub fn parse_reason(input: &str) -> Result<String, String> {
    let text = super::text::canonical(input);
    if text.is_empty() {
        return Err("Vui lòng ghi lý do hủy buổi sinh hoạt.".into());
    }
    within(&text, REASON_MAX).map_err(|too_long| format!("Lý do quá dài. {too_long}"))?;
    Ok(text)
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub topic_id: super::plan::TopicId,
    pub date: NaiveDate,
    pub start: StartTime,
    pub duration: u16,
    pub venue: String,
    pub chair: Option<Assignee>,
    pub minute_taker: Option<Assignee>,
    pub combined: bool,
    /// Bumped by every change; a move made from an older version is refused.
    pub version: i64,
    /// Set when the session was cancelled, with the reason.
    pub cancelled: Option<(chrono::DateTime<chrono::Utc>, String)>,
}

impl Session {
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_some()
    }

    pub fn ends(&self) -> StartTime {
        self.start.plus(self.duration)
    }

    /// "08:00–09:30, Thứ Hai 15/06/2026"
    pub fn when(&self) -> String {
        format!(
            "{}–{}, {} {}",
            self.start,
            self.ends(),
            weekday_label(self.date),
            short_date(self.date)
        )
    }

    pub fn duration_label(&self) -> String {
        duration_label(self.duration)
    }

    /// The least duration Hướng dẫn 42-HD/BTCTW asks for this sitting, when the expected one is
    /// shorter: worth a warning, not a refusal (the guidance is for the meeting as held).
    pub fn short_of_guidance(&self) -> Option<u16> {
        let least = if self.combined {
            GUIDANCE_COMBINED_MINUTES
        } else {
            GUIDANCE_MINUTES
        };
        (self.duration < least).then_some(least)
    }

    /// The same session with a draft's details.
    pub fn with(&self, draft: &SessionDraft) -> Self {
        Self {
            date: draft.date,
            start: draft.start,
            duration: draft.duration,
            venue: draft.venue.as_str().to_owned(),
            chair: draft.chair.clone(),
            minute_taker: draft.minute_taker.clone(),
            combined: draft.combined,
            ..self.clone()
        }
    }

    /// True when members must be told: the day, the time or the place changed.
    pub fn moved_from(&self, before: &Session) -> bool {
        self.date != before.date || self.start != before.start || self.venue != before.venue
    }
}

/// History lines, as the session's page and the plan's history show them.
pub fn scheduled_summary(title: &str, session: &Session) -> String {
    format!(
        "Lên lịch sinh hoạt chuyên đề “{title}”: {} tại {}",
        session.when(),
        session.venue
    )
}

/// What changed between two versions of a session, or a plain line when nothing did.
pub fn moved_summary(title: &str, before: &Session, after: &Session) -> String {
    let mut changes = Vec::new();
    if before.date != after.date || before.start != after.start || before.duration != after.duration
    {
        changes.push(format!("thời gian {} → {}", before.when(), after.when()));
    }
    if before.venue != after.venue {
        changes.push(format!("địa điểm “{}” → “{}”", before.venue, after.venue));
    }
    let name = |a: &Option<Assignee>| {
        a.as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "chưa chọn".into())
    };
    if before.chair != after.chair {
        changes.push(format!(
            "chủ trì {} → {}",
            name(&before.chair),
            name(&after.chair)
        ));
    }
    if before.minute_taker != after.minute_taker {
        changes.push(format!(
            "ghi biên bản {} → {}",
            name(&before.minute_taker),
            name(&after.minute_taker)
        ));
    }
    if before.combined != after.combined {
        changes.push(if after.combined {
            "gộp với sinh hoạt chi bộ thường kỳ".to_owned()
        } else {
            "không gộp với sinh hoạt chi bộ thường kỳ".to_owned()
        });
    }
    if changes.is_empty() {
        format!("Lưu lại lịch sinh hoạt chuyên đề “{title}”, không thay đổi")
    } else {
        format!(
            "Đổi lịch sinh hoạt chuyên đề “{title}”: {}",
            changes.join("; ")
        )
    }
}

pub fn cancelled_summary(title: &str, session: &Session, reason: &str) -> String {
    format!(
        "Hủy buổi sinh hoạt chuyên đề “{title}” ({}): {reason}",
        session.when()
    )
}

pub fn relaid_summary(title: &str, date: NaiveDate) -> String {
    format!(
        "Lập lại lịch chuẩn bị chuyên đề “{title}” tính ngược từ ngày sinh hoạt {}",
        short_date(date)
    )
}

#[cfg(test)]
mod tests;

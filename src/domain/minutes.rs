//! The minutes of a session (biên bản sinh hoạt chuyên đề): the record of the sitting as the
//! minute-taker writes it — when it started and ended, who chaired, took the minutes and
//! presented, the agenda, each speaker in order, the chair's conclusion and any vote — then
//! closed by the secretary (frozen from then on) and reported to the higher committee.

use chrono::{DateTime, NaiveDate, Utc};

use super::access::Actor;
use super::attendance::{Attendance, one_line};
use super::member::MemberId;
use super::org::Org;
use super::session::{GUIDANCE_COMBINED_MINUTES, GUIDANCE_MINUTES, Session, StartTime};
use super::text::{canonical, limit, within};

super::id_type!(
    /// The id of a set of minutes.
    MinutesId
);

/// Messages keyed by form field, shown beside each field.
pub type Messages = Vec<(String, String)>;

/// Longest agenda and conclusion: a section of text.
pub const TEXT_MAX: usize = limit::SECTION;
/// Speakers a form offers blank rows for beyond those recorded.
pub const BLANK_SPEECH_ROWS: usize = 3;
/// The most speeches a form takes.
pub const SPEECHES_MAX: usize = 100;

/// The order of a thematic session (seed 003, "các bước hoạt động của chi bộ"): what the agenda
/// holds until the minute-taker edits it.
pub const DEFAULT_AGENDA: [&str; 7] = [
    "Tuyên bố lý do, giới thiệu đại biểu; cử thư ký ghi biên bản; thông báo số đảng viên có mặt, vắng mặt (có lý do, không lý do); thông qua nội dung, chương trình sinh hoạt.",
    "Đồng chí bí thư nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề.",
    "Đảng viên được phân công trình bày dự thảo chuyên đề.",
    "Đảng viên phát biểu, nêu nhận thức của cá nhân về chuyên đề, liên hệ với cơ quan, đơn vị; trao đổi, đóng góp ý kiến hoàn thiện dự thảo.",
    "Đảng viên được phân công chuẩn bị chuyên đề tiếp thu ý kiến đóng góp.",
    "Bí thư chi bộ đánh giá công tác chuẩn bị và chất lượng chuyên đề; kết luận những nội dung cần tiếp thu để bổ sung, hoàn thiện.",
    "Biểu quyết (nếu có); bế mạc.",
];

/// One speaker and what they said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Speech {
    pub speaker: String,
    pub summary: String,
}

/// A vote on the conclusion: for, against, abstaining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Vote {
    /// Passed with a majority of the members present.
    pub fn passed(&self, present: usize) -> bool {
        (self.yes as usize) * 2 > present
    }

    /// "Tán thành 9/10 đồng chí có mặt (90%), không tán thành 1, không biểu quyết 0."
    pub fn line(&self, present: usize) -> String {
        let share = (self.yes as usize * 100)
            .checked_div(present)
            .map(|p| format!(" ({p}%)"))
            .unwrap_or_default();
        format!(
            "Tán thành {}/{present} đồng chí có mặt{share}; không tán thành {}; không biểu quyết {}.",
            self.yes, self.no, self.abstain
        )
    }
}

/// The record of the sitting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub started: Option<StartTime>,
    pub ended: Option<StartTime>,
    pub chair: String,
    pub minute_taker: String,
    pub presenter: String,
    /// One item per line.
    pub agenda: Vec<String>,
    pub speeches: Vec<Speech>,
    pub conclusion: String,
    pub vote: Option<Vote>,
}

impl Record {
    /// The record of a session not yet written: the people of its schedule, the standard agenda.
    pub fn prefilled(session: &Session, presenter: Option<&str>) -> Self {
        Self {
            chair: session
                .chair
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            minute_taker: session
                .minute_taker
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            presenter: presenter.unwrap_or_default().to_owned(),
            agenda: DEFAULT_AGENDA.iter().map(|s| (*s).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// Minutes from start to end, when both are recorded (an end past midnight wraps).
    pub fn duration(&self) -> Option<u16> {
        Some(duration(self.started?, self.ended?))
    }

    /// The least duration Hướng dẫn 42-HD/BTCTW asks for, when the session as held was shorter.
    pub fn short_of_guidance(&self, combined: bool) -> Option<u16> {
        short_of_guidance(self.duration()?, combined)
    }
}

/// Minutes from `start` to `end` (an end past midnight wraps).
pub fn duration(start: StartTime, end: StartTime) -> u16 {
    if end >= start {
        end.minutes() - start.minutes()
    } else {
        24 * 60 - start.minutes() + end.minutes()
    }
}

/// The least duration of a sitting (90 minutes, 120 combined with the regular meeting) when
/// `minutes` falls short of it.
pub fn short_of_guidance(minutes: u16, combined: bool) -> Option<u16> {
    let least = if combined {
        GUIDANCE_COMBINED_MINUTES
    } else {
        GUIDANCE_MINUTES
    };
    (minutes < least).then_some(least)
}

/// Where a set of minutes is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Being written: the recorders change it.
    Open,
    /// Closed by the secretary: frozen, read by the cell's members.
    Closed,
    /// Sent to the higher committee: read by its reviewers too.
    Reported,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Open => "Đang ghi",
            Stage::Closed => "Đã khóa",
            Stage::Reported => "Đã báo cáo cấp ủy cấp trên",
        }
    }
}

/// Who records a session's minutes: the cell's secretary and deputy (and administrators, as on
/// plans), and that session's minute-taker.
pub fn may_record(actor: &Actor, cell: &Org, minute_taker: Option<MemberId>) -> bool {
    actor.can_edit_plans(cell) || minute_taker.is_some_and(|m| actor.member_in(cell.id) == Some(m))
}

/// Who reads them: those who record them; the cell's members once closed; whoever reads the
/// cell (the reviewers of the committees above, administrators) once reported.
pub fn may_read(actor: &Actor, cell: &Org, minute_taker: Option<MemberId>, stage: Stage) -> bool {
    may_record(actor, cell, minute_taker)
        || actor.is_admin()
        || (stage != Stage::Open && actor.member_in(cell.id).is_some())
        || (stage == Stage::Reported && actor.can_read_org(cell))
}

/// A stored set of minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    pub id: MinutesId,
    pub session: super::session::SessionId,
    /// The minutes this set corrects (biên bản bổ sung).
    pub amends: Option<MinutesId>,
    pub version: i64,
    pub attendance: Attendance,
    /// True once the attendance form was saved.
    pub attendance_taken: bool,
    pub record: Record,
    /// The number's serial and issuer, given at closing: "Số 3-BB/CB".
    pub number: Option<(u32, String)>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
    pub closed: Option<(DateTime<Utc>, NaiveDate)>,
    pub reported: Option<DateTime<Utc>>,
    /// The final paper sent up with them.
    pub reported_paper: Option<super::paper::PaperId>,
}

impl Minutes {
    /// The minutes of a session not recorded yet (version 0: nothing stored): every active
    /// member called, the people of the schedule, the standard agenda.
    pub fn blank(
        session: &Session,
        members: &[super::member::Member],
        presenter: Option<&str>,
    ) -> Self {
        Self {
            id: MinutesId::NEW,
            session: session.id,
            amends: None,
            version: 0,
            attendance: Attendance::called(members),
            attendance_taken: false,
            record: Record::prefilled(session, presenter),
            number: None,
            updated_at: DateTime::<Utc>::MIN_UTC,
            updated_by: None,
            closed: None,
            reported: None,
            reported_paper: None,
        }
    }

    pub fn stage(&self) -> Stage {
        match (self.closed, self.reported) {
            (_, Some(_)) => Stage::Reported,
            (Some(_), None) => Stage::Closed,
            (None, None) => Stage::Open,
        }
    }

    pub fn is_open(&self) -> bool {
        self.stage() == Stage::Open
    }

    /// "Số 3-BB/CB"
    pub fn number_label(&self) -> Option<String> {
        self.number
            .as_ref()
            .map(|(serial, issuer)| format!("Số {serial}-BB/{issuer}"))
    }

    /// What closing needs that is missing, in the words the page shows.
    pub fn missing_for_close(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if !self.attendance_taken {
            missing.push("điểm danh");
        }
        if self.record.started.is_none() || self.record.ended.is_none() {
            missing.push("giờ bắt đầu và kết thúc");
        }
        if self.record.chair.is_empty() || self.record.minute_taker.is_empty() {
            missing.push("người chủ trì và thư ký");
        }
        if self.record.conclusion.is_empty() {
            missing.push("kết luận của chủ trì");
        }
        let present = self.attendance.total().present;
        if let Some(vote) = self.record.vote
            && (vote.yes + vote.no + vote.abstain) as usize > present
        {
            missing.push("kết quả biểu quyết khớp với số đảng viên có mặt");
        }
        missing
    }
}

/// The times as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimesInput {
    pub started: String,
    pub ended: String,
}

impl TimesInput {
    pub fn of(record: &Record) -> Self {
        let show = |t: Option<StartTime>| t.map(|t| t.to_string()).unwrap_or_default();
        Self {
            started: show(record.started),
            ended: show(record.ended),
        }
    }

    /// Both times, or neither yet; the end after the start (the same day).
    pub fn parse(&self) -> Result<(Option<StartTime>, Option<StartTime>), Messages> {
        let mut errors = Messages::new();
        let mut time = |field: &str, input: &str, missing: &str| {
            if input.trim().is_empty() {
                return None;
            }
            match within(input, limit::SHORT) {
                Err(too_long) => {
                    errors.push((field.to_owned(), too_long.to_string()));
                    None
                }
                Ok(()) => match StartTime::parse(input) {
                    Ok(time) => Some(time),
                    Err(invalid) => {
                        let message = invalid.0.replace("Giờ bắt đầu", missing);
                        errors.push((field.to_owned(), message));
                        None
                    }
                },
            }
        };
        let started = time("started", &self.started, "Giờ bắt đầu");
        let ended = time("ended", &self.ended, "Giờ kết thúc");
        if let (Some(start), Some(end)) = (started, ended)
            && end <= start
        {
            errors.push((
                "ended".to_owned(),
                format!("Giờ kết thúc phải sau giờ bắt đầu ({start})."),
            ));
        }
        if errors.is_empty() {
            Ok((started, ended))
        } else {
            Err(errors)
        }
    }
}

/// A one-line name of at most [`limit::NAME`] characters, possibly empty.
pub fn parse_name(field: &str, input: &str) -> Result<String, Messages> {
    let text = one_line(input);
    within(&text, limit::NAME)
        .map_err(|too_long| vec![(field.to_owned(), too_long.to_string())])?;
    Ok(text)
}

/// The agenda: one item per line, blank lines dropped.
pub fn parse_agenda(input: &str) -> Result<Vec<String>, Messages> {
    within(input, TEXT_MAX)
        .map_err(|too_long| vec![("agenda".to_owned(), too_long.to_string())])?;
    Ok(canonical(input)
        .lines()
        .map(one_line)
        .filter(|line| !line.is_empty())
        .collect())
}

/// The conclusion: free text, paragraphs kept.
pub fn parse_conclusion(input: &str) -> Result<String, Messages> {
    within(input, TEXT_MAX)
        .map_err(|too_long| vec![("conclusion".to_owned(), too_long.to_string())])?;
    Ok(canonical(input))
}

/// The speeches' rows as typed: a row with neither speaker nor summary is dropped; a summary
/// needs its speaker.
pub fn parse_speeches(rows: &[Speech]) -> Result<Vec<Speech>, Messages> {
    let mut errors = Messages::new();
    let mut speeches = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let speaker = one_line(&row.speaker);
        if let Err(too_long) = within(&speaker, limit::NAME) {
            errors.push((format!("speaker_{i}"), too_long.to_string()));
            continue;
        }
        if let Err(too_long) = within(&row.summary, limit::PARAGRAPH) {
            errors.push((format!("summary_{i}"), too_long.to_string()));
            continue;
        }
        let summary = canonical(&row.summary);
        match (speaker.is_empty(), summary.is_empty()) {
            (true, true) => {}
            (true, false) => errors.push((
                format!("speaker_{i}"),
                "Vui lòng ghi tên người phát biểu.".to_owned(),
            )),
            _ => speeches.push(Speech { speaker, summary }),
        }
    }
    if errors.is_empty() {
        Ok(speeches)
    } else {
        Err(errors)
    }
}

/// The vote as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoteInput {
    pub yes: String,
    pub no: String,
    pub abstain: String,
}

impl VoteInput {
    pub fn of(vote: Option<Vote>) -> Self {
        match vote {
            None => Self::default(),
            Some(v) => Self {
                yes: v.yes.to_string(),
                no: v.no.to_string(),
                abstain: v.abstain.to_string(),
            },
        }
    }

    /// No vote (all three empty), or three counts that together do not exceed `present`.
    pub fn parse(&self, present: usize) -> Result<Option<Vote>, Messages> {
        let fields = [
            ("vote_yes", &self.yes),
            ("vote_no", &self.no),
            ("vote_abstain", &self.abstain),
        ];
        if fields.iter().all(|(_, v)| v.trim().is_empty()) {
            return Ok(None);
        }
        let mut errors = Messages::new();
        let mut counts = [0u32; 3];
        for (i, (field, input)) in fields.iter().enumerate() {
            let text = input.trim();
            let parsed = if text.is_empty() {
                Some(0)
            } else if text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()) {
                text.parse::<u32>().ok()
            } else {
                None
            };
            match parsed {
                Some(n) if n as usize <= present => counts[i] = n,
                Some(n) => errors.push((
                    (*field).to_owned(),
                    format!("{n} lớn hơn số đảng viên có mặt ({present})."),
                )),
                None => errors.push((
                    (*field).to_owned(),
                    "Vui lòng nhập số đồng chí (một số nguyên, ví dụ 9).".to_owned(),
                )),
            }
        }
        let [yes, no, abstain] = counts;
        if errors.is_empty() && (yes + no + abstain) as usize > present {
            errors.push((
                "vote_yes".to_owned(),
                format!(
                    "Tổng số phiếu ({}) lớn hơn số đảng viên có mặt ({present}).",
                    yes + no + abstain
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Some(Vote { yes, no, abstain }))
        } else {
            Err(errors)
        }
    }
}

/// History lines, as the session's page and the audit log keep them.
pub fn saved_summary(part: &str, title: &str) -> String {
    format!("Ghi biên bản sinh hoạt chuyên đề “{title}”: {part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(started: &str, ended: &str) -> Record {
        let (started, ended) = TimesInput {
            started: started.into(),
            ended: ended.into(),
        }
        .parse()
        .unwrap();
        Record {
            started,
            ended,
            ..Record::default()
        }
    }

    #[test]
    fn guidance_is_90_minutes_or_120_combined() {
        assert_eq!(times("08:00", "09:29").short_of_guidance(false), Some(90));
        assert_eq!(times("08:00", "09:30").short_of_guidance(false), None);
        assert_eq!(times("14:00", "15:59").short_of_guidance(true), Some(120));
        assert_eq!(times("14:00", "16:00").short_of_guidance(true), None);
    }

    #[test]
    fn the_end_comes_after_the_start() {
        let errors = TimesInput {
            started: "10:00".into(),
            ended: "09:00".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors[0].0, "ended");
        assert!(errors[0].1.contains("Giờ kết thúc phải sau giờ bắt đầu"));
        let errors = TimesInput {
            started: "25:00".into(),
            ended: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors[0].0, "started");
    }

    #[test]
    fn a_vote_counts_no_more_than_those_present() {
        let vote = |yes: &str, no: &str| {
            VoteInput {
                yes: yes.into(),
                no: no.into(),
                abstain: String::new(),
            }
            .parse(10)
        };
        assert_eq!(vote("", ""), Ok(None));
        assert_eq!(vote("11", "").unwrap_err()[0].0, "vote_yes");
        assert!(vote("6", "5").is_err());
        assert!(vote("nhiều", "").is_err());
        let passed = vote("6", "4").unwrap().unwrap();
        assert!(passed.passed(10));
        assert!(!vote("5", "5").unwrap().unwrap().passed(10));
    }

    #[test]
    fn a_summary_needs_its_speaker() {
        let rows = [
            Speech {
                speaker: "Nguyễn Thị Ly".into(),
                summary: "Đồng ý với dự thảo.".into(),
            },
            Speech::default(),
            Speech {
                speaker: String::new(),
                summary: "Không tên".into(),
            },
        ];
        assert_eq!(parse_speeches(&rows).unwrap_err()[0].0, "speaker_2");
        assert_eq!(parse_speeches(&rows[..2]).unwrap().len(), 1);
    }
}

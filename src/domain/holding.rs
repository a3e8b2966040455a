//! The committee's view of the sessions of a cell (issue "Holding the session", item 7): for
//! each quarter of a year, whether the sessions of the plan's topics were held, not yet held or
//! overdue; whether the papers went out in time; how many sittings were too short; the share
//! present; the grade. Raw figures come from storage; every label is decided here with the
//! rules of the other rooms (42-HD/BTCTW durations, the 24-hour lead of papers, the half
//! present, the 100-point grades), never re-stated.

use chrono::{DateTime, NaiveDate, Utc};

use super::attendance::Count;
use super::calendar::{Due, Quarter};
use super::grading::Grade;
use super::minutes::{duration, short_of_guidance};
use super::paper::Lead;
use super::session::StartTime;

/// A topic of a cell's plan for the year, as the dashboard reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicFigures {
    /// The topic's quarter, else that of its planned session.
    pub quarter: Quarter,
    /// The session as the plan foresees it (a month or a day), if it says.
    pub planned: Option<Due>,
    /// The scheduled session (not cancelled), if any.
    pub session: Option<SessionFigures>,
}

/// A scheduled session and its first minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFigures {
    pub date: NaiveDate,
    pub start: StartTime,
    /// Shares the sitting with the regular monthly meeting.
    pub combined: bool,
    /// The first minutes are closed: the session was held.
    pub held: bool,
    /// The actual start and end the minutes record.
    pub started: Option<StartTime>,
    pub ended: Option<StartTime>,
    /// When the latest paper before the session (drafts, not the final paper) went to the
    /// members.
    pub circulated: Option<DateTime<Utc>>,
    /// The members called and present.
    pub attendance: Count,
    /// The committee's grade, else the cell's proposal.
    pub grade_total: Option<u8>,
}

impl SessionFigures {
    /// Sat for less than 42-HD/BTCTW asks (90 minutes, 120 combined).
    pub fn too_short(&self) -> bool {
        match (self.started, self.ended) {
            (Some(start), Some(end)) => {
                short_of_guidance(duration(start, end), self.combined).is_some()
            }
            _ => false,
        }
    }

    /// How long before the session its paper went out, when one did.
    pub fn lead(&self) -> Option<Lead> {
        Some(Lead::before(self.circulated?, self.date, self.start))
    }
}

/// Where the sessions of a quarter stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Every topic of the quarter had its session.
    Held,
    /// Some are still to come, none is past its deadline.
    NotHeld,
    /// A topic's session was not held by its deadline (its planned day or month, else the end
    /// of the quarter).
    Overdue,
}

impl Holding {
    pub const ALL: [Holding; 3] = [Holding::Held, Holding::NotHeld, Holding::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Holding::Held => "held",
            Holding::NotHeld => "not-held",
            Holding::Overdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Holding::Held => "Đã sinh hoạt",
            Holding::NotHeld => "Chưa sinh hoạt",
            Holding::Overdue => "Quá hạn",
        }
    }
}

/// One quarter of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuarterSummary {
    pub quarter: Quarter,
    /// Topics planned in the quarter.
    pub topics: usize,
    /// Of them, held.
    pub held: usize,
    /// `None` when no topic falls in the quarter.
    pub holding: Option<Holding>,
    /// Held sessions whose paper went out at least a day ahead, and those whose did not.
    pub papers_on_time: usize,
    pub papers_late: usize,
    /// Held sessions shorter than 42-HD/BTCTW asks.
    pub too_short: usize,
    /// The held sessions' attendance, added up.
    pub attendance: Count,
    /// The grade of the held sessions' graded totals (their mean, rounded down, when several).
    pub grade: Option<Grade>,
}

impl QuarterSummary {
    pub fn share_percent(&self) -> Option<usize> {
        self.attendance.share_percent()
    }

    /// Not more than half present.
    pub fn half_or_less(&self) -> bool {
        self.attendance.half_or_less()
    }
}

/// The four quarters of `year` for a cell whose plan has `topics`, as of `today`.
pub fn quarters(year: i32, topics: &[TopicFigures], today: NaiveDate) -> [QuarterSummary; 4] {
    [1, 2, 3, 4].map(|n| {
        let quarter = Quarter::new(n).expect("1 to 4");
        summary(year, quarter, topics, today)
    })
}

fn summary(
    year: i32,
    quarter: Quarter,
    topics: &[TopicFigures],
    today: NaiveDate,
) -> QuarterSummary {
    let mut out = QuarterSummary {
        quarter,
        topics: 0,
        held: 0,
        holding: None,
        papers_on_time: 0,
        papers_late: 0,
        too_short: 0,
        attendance: Count::default(),
        grade: None,
    };
    let mut overdue = false;
    let mut grades = Vec::new();
    for topic in topics.iter().filter(|t| t.quarter == quarter) {
        out.topics += 1;
        match topic.session.as_ref().filter(|s| s.held) {
            Some(session) => {
                out.held += 1;
                match session.lead() {
                    Some(lead) if lead.is_warning() => out.papers_late += 1,
                    Some(_) => out.papers_on_time += 1,
                    None => {}
                }
                if session.too_short() {
                    out.too_short += 1;
                }
                out.attendance = out.attendance.plus(session.attendance);
                grades.extend(session.grade_total.map(u32::from));
            }
            None => {
                let deadline = topic
                    .planned
                    .map_or_else(|| quarter.last_day(year), Due::deadline);
                overdue |= deadline < today;
            }
        }
    }
    out.holding = match (out.topics, overdue) {
        (0, _) => None,
        (_, true) => Some(Holding::Overdue),
        (n, false) if out.held == n => Some(Holding::Held),
        _ => Some(Holding::NotHeld),
    };
    if !grades.is_empty() {
        let mean = grades.iter().sum::<u32>() / grades.len() as u32;
        out.grade = Some(Grade::of(u8::try_from(mean).unwrap_or(u8::MAX)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::YearMonth;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn at(h: u16) -> StartTime {
        StartTime::new(h * 60).unwrap()
    }

    fn held(started: u16, minutes: u16, combined: bool) -> SessionFigures {
        SessionFigures {
            date: day(5, 20),
            start: at(14),
            combined,
            held: true,
            started: Some(StartTime::new(started).unwrap()),
            ended: Some(StartTime::new(started + minutes).unwrap()),
            circulated: None,
            attendance: Count {
                called: 10,
                present: 8,
            },
            grade_total: Some(95),
        }
    }

    fn topic(quarter: u8, planned: Option<Due>, session: Option<SessionFigures>) -> TopicFigures {
        TopicFigures {
            quarter: Quarter::new(quarter).unwrap(),
            planned,
            session,
        }
    }

    #[test]
    fn held_not_held_and_overdue() {
        let today = day(7, 10);
        let may = Some(Due::Month(YearMonth::new(2026, 5).unwrap()));
        let august = Some(Due::Month(YearMonth::new(2026, 8).unwrap()));
        let topics = [
            topic(2, may, Some(held(840, 90, false))),
            topic(3, august, None),
            topic(4, Some(Due::Date(day(7, 1))), None),
        ];
        let q = quarters(2026, &topics, today);
        assert_eq!(q[0].holding, None);
        assert_eq!(q[1].holding, Some(Holding::Held));
        assert_eq!((q[1].topics, q[1].held), (1, 1));
        assert_eq!(q[2].holding, Some(Holding::NotHeld));
        assert_eq!(
            q[3].holding,
            Some(Holding::Overdue),
            "its planned day passed"
        );
        // Without a planned session, the quarter's end is the deadline.
        let q = quarters(2026, &[topic(2, None, None)], day(7, 1));
        assert_eq!(q[1].holding, Some(Holding::Overdue));
        let q = quarters(2026, &[topic(2, None, None)], day(6, 30));
        assert_eq!(q[1].holding, Some(Holding::NotHeld));
        // A scheduled session whose minutes are not closed is not held.
        let mut open = held(840, 90, false);
        open.held = false;
        let q = quarters(2026, &[topic(2, None, Some(open))], day(6, 1));
        assert_eq!((q[1].held, q[1].holding), (0, Some(Holding::NotHeld)));
    }

    #[test]
    fn warnings_share_and_grade_follow_the_rules() {
        let mut short = held(840, 89, false);
        short.circulated = Some(
            crate::domain::calendar_feed::vietnam_instant(day(5, 20), at(14))
                - chrono::TimeDelta::hours(23),
        );
        short.grade_total = Some(70);
        short.attendance = Count {
            called: 10,
            present: 2,
        };
        let mut long = held(840, 120, true);
        long.circulated = Some(
            crate::domain::calendar_feed::vietnam_instant(day(5, 20), at(14))
                - chrono::TimeDelta::hours(24),
        );
        let q = quarters(
            2026,
            &[topic(2, None, Some(short)), topic(2, None, Some(long))],
            day(5, 21),
        );
        let q2 = q[1];
        assert_eq!((q2.papers_on_time, q2.papers_late), (1, 1));
        assert_eq!(q2.too_short, 1);
        assert_eq!(q2.share_percent(), Some(50));
        assert!(q2.half_or_less());
        assert_eq!(q2.grade, Some(Grade::of(82)));
        assert!(held(840, 119, true).too_short());
        assert!(!held(840, 90, false).too_short());
    }
}

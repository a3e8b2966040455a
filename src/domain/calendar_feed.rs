//! Calendar feeds (iCalendar, RFC 5545): the sessions and the dated preparation steps a member
//! subscribes to from a calendar app, built from plain values so it needs no storage.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use super::session::StartTime;

/// Vietnam has kept UTC+07:00 all year, with no daylight saving, since 1975: a fixed offset
/// gives the right instant for every date a plan can hold. Instants are written in UTC
/// (`DTSTART:…Z`), which every calendar app reads the same way, so the feed needs no
/// VTIMEZONE (that apps handle unevenly) and the server no time-zone database.
const VIETNAM_UTC_OFFSET_MINUTES: i64 = 7 * 60;

/// The instant of a local time in Vietnam.
pub fn vietnam_instant(date: NaiveDate, start: StartTime) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(start.minutes()));
    (local - Duration::minutes(VIETNAM_UTC_OFFSET_MINUTES)).and_utc()
}

/// A session as a feed shows it.
#[derive(Debug, Clone)]
pub struct FeedSession {
    pub id: i64,
    pub date: NaiveDate,
    pub start: StartTime,
    pub duration: u16,
    pub venue: String,
    pub topic_title: String,
    pub cell_name: String,
}

/// A preparation step (or a topic one presents) with the last day it is due.
#[derive(Debug, Clone)]
pub struct FeedStep {
    /// Unique within the feed: a step's id, or a topic's for presenting it.
    pub uid: String,
    pub label: String,
    pub due_label: String,
    pub deadline: NaiveDate,
    pub topic_title: String,
    pub cell_name: String,
}

/// The feed's text. Steps are all-day events on their last day (VALUE=DATE), not VTODOs: the
/// common calendar apps (Google Calendar, Outlook) ignore VTODO in a subscribed feed, and a
/// step is due by a day (a month's due is its last day), not at an hour.
pub fn feed(name: &str, sessions: &[FeedSession], steps: &[FeedStep]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for s in sessions {
        let starts = vietnam_instant(s.date, s.start);
        calendar.push(
            Event::new()
                .uid(&format!("session-{}@chuyende", s.id))
                .summary(&format!("Sinh hoạt chuyên đề: {}", s.topic_title))
                .location(&s.venue)
                .description(&s.cell_name)
                .starts(starts)
                .ends(starts + Duration::minutes(i64::from(s.duration)))
                .done(),
        );
    }
    for step in steps {
        calendar.push(
            Event::new()
                .uid(&format!("{}@chuyende", step.uid))
                .summary(&format!("Hạn: {} — {}", step.label, step.topic_title))
                .description(&format!("{} (hạn: {})", step.cell_name, step.due_label))
                .all_day(step.deadline)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_morning_in_vietnam_is_the_small_hours_in_utc() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let at = vietnam_instant(date, StartTime::new(8 * 60).unwrap());
        assert_eq!(at.format("%Y%m%dT%H%M%SZ").to_string(), "20260305T010000Z");
        // Before 7:00 it is the day before in UTC.
        let early = vietnam_instant(date, StartTime::new(6 * 60 + 30).unwrap());
        assert_eq!(
            early.format("%Y%m%dT%H%M%SZ").to_string(),
            "20260304T233000Z"
        );
    }

    #[test]
    fn the_feed_holds_sessions_at_instants_and_steps_on_days() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let text = feed(
            "Lịch",
            &[FeedSession {
                id: 7,
                date,
                start: StartTime::new(14 * 60).unwrap(),
                duration: 90,
                venue: "Hội trường".into(),
                topic_title: "Chuyên đề".into(),
                cell_name: "Chi bộ".into(),
            }],
            &[FeedStep {
                uid: "step-3".into(),
                label: "Viết đề dẫn".into(),
                due_label: "05/03/2026".into(),
                deadline: date,
                topic_title: "Chuyên đề".into(),
                cell_name: "Chi bộ".into(),
            }],
        );
        assert!(text.contains("DTSTART:20260305T070000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20260305T083000Z\r\n"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20260305\r\n"), "{text}");
        assert!(text.contains("UID:session-7@chuyende\r\n"), "{text}");
    }
}

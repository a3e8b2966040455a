//! The sessions' side of the dashboard (the committee's view of sessions): the raw figures of
//! each topic of the page's plans, the cells with a session held per quarter, and the filter
//! "no session held in this quarter". Only facts are read here — whether the first minutes are
//! closed, the times, the counts of each presence, the grades' totals, the circulation time;
//! every label is decided by [`crate::domain::holding`].

use chrono::{DateTime, NaiveDate, Utc};

use super::Dialect;
use crate::db::corrupt;
use crate::db::plans::due_of;
use crate::domain::attendance::{Count, Presence};
use crate::domain::calendar::Quarter;
use crate::domain::holding::{SessionFigures, TopicFigures};
use crate::domain::session::StartTime;

/// The quarter of topic `alias`: its own, else that of its planned session's month.
pub(super) fn quarter_of(dialect: Dialect, alias: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "COALESCE({alias}.quarter, (CAST(strftime('%m', {alias}.session_on) AS INTEGER) + 2) / 3)"
        ),
        Dialect::Postgres => format!(
            "COALESCE({alias}.quarter, (CAST(EXTRACT(MONTH FROM {alias}.session_on) AS INTEGER) + 2) / 3)"
        ),
    }
}

/// The joins from topic `t` to its held session: the session not cancelled, its first
/// minutes closed.
fn held_joins(t: &str) -> String {
    format!(
        "JOIN topic_sessions {t}s ON {t}s.topic_id = {t}.id AND {t}s.cancelled_at IS NULL \
         JOIN session_minutes {t}m ON {t}m.session_id = {t}s.id AND {t}m.amends_id IS NULL \
           AND {t}m.closed_at IS NOT NULL"
    )
}

/// A condition on plan `p` (possibly NULL): no topic of quarter `quarter` (a placeholder) had
/// its session held. Written as `NOT IN` an uncorrelated list (planned from the few closed
/// minutes), which both databases compute once per statement (a hashed subplan, an ephemeral index): as a
/// correlated `NOT EXISTS`, PostgreSQL hashed every topic of the database for it and took five
/// seconds on a province of a national tree.
pub(super) fn none_held_in(dialect: Dialect, quarter: &str) -> String {
    format!(
        "(p.id IS NULL OR p.id NOT IN (SELECT ht.plan_id FROM topics ht {} WHERE {} = {quarter}))",
        held_joins("ht"),
        quarter_of(dialect, "ht")
    )
}

/// A subquery, to LEFT JOIN as `h` ON `h.plan_id = p.id`: per plan of year `year` (a
/// placeholder), 1 in `h1`…`h4` when a session of that quarter was held.
pub(super) fn held_by_plan(dialect: Dialect, year: &str) -> String {
    let quarter = quarter_of(dialect, "ht");
    let columns: Vec<String> = (1..=4)
        .map(|n| format!("MAX(CASE WHEN {quarter} = {n} THEN 1 ELSE 0 END) AS h{n}"))
        .collect();
    format!(
        "(SELECT ht.plan_id, {} FROM plans hp JOIN topics ht ON ht.plan_id = hp.id {} \
          WHERE hp.year = {year} GROUP BY ht.plan_id)",
        columns.join(", "),
        held_joins("ht")
    )
}

/// The columns of one topic of the page (alias `t`, with `s` its session and `m` its first
/// minutes LEFT JOINed, see [`topic_joins`]). The subqueries run only for held sessions.
pub(super) fn topic_columns(dialect: Dialect) -> String {
    let held = "m.closed_at IS NOT NULL";
    let presence = |code: &str| {
        format!(
            "CASE WHEN {held} THEN (SELECT COUNT(*) FROM minutes_attendance a \
               WHERE a.minutes_id = m.id AND a.presence = '{code}') END"
        )
    };
    let grade = |stage: &str| {
        format!(
            "(SELECT g.total FROM minutes_grades g WHERE g.minutes_id = m.id AND g.stage = '{stage}')"
        )
    };
    format!(
        "t.id AS topic_id, {quarter} AS topic_quarter, t.session_on, t.session_exact, \
         s.held_on, s.start_minute, s.combined, \
         ({held}) AS held, m.started_minute, m.ended_minute, \
         CASE WHEN {held} THEN (SELECT MAX(pa.circulated_at) FROM papers pa \
           WHERE pa.topic_id = t.id AND pa.stage <> 'final') END AS circulated_at, \
         {present} AS present, {excused} AS excused, {absent} AS absent, \
         CASE WHEN {held} THEN COALESCE({decided}, {proposed}) END AS grade_total",
        quarter = quarter_of(dialect, "t"),
        present = presence(Presence::Present.as_str()),
        excused = presence(Presence::Excused.as_str()),
        absent = presence(Presence::Absent.as_str()),
        decided = grade("decided"),
        proposed = grade("proposed"),
    )
}

/// From topic `t` to its session `s` (not cancelled) and first minutes `m`, both optional.
pub(super) const TOPIC_JOINS: &str = "LEFT JOIN topic_sessions s ON s.topic_id = t.id AND s.cancelled_at IS NULL \
     LEFT JOIN session_minutes m ON m.session_id = s.id AND m.amends_id IS NULL";

/// The figures of one topic as read; all `None` for a cell without a plan or a plan without
/// topics in any quarter.
#[derive(sqlx::FromRow, Debug, Default)]
pub(super) struct TopicRecord {
    topic_id: Option<i64>,
    topic_quarter: Option<i32>,
    session_on: Option<NaiveDate>,
    session_exact: Option<bool>,
    held_on: Option<NaiveDate>,
    start_minute: Option<i32>,
    combined: Option<bool>,
    held: Option<bool>,
    started_minute: Option<i32>,
    ended_minute: Option<i32>,
    circulated_at: Option<DateTime<Utc>>,
    present: Option<i64>,
    excused: Option<i64>,
    absent: Option<i64>,
    grade_total: Option<i32>,
}

fn minute(value: Option<i32>) -> sqlx::Result<Option<StartTime>> {
    value
        .map(|m| {
            u16::try_from(m)
                .ok()
                .and_then(StartTime::new)
                .ok_or_else(|| corrupt("session minute"))
        })
        .transpose()
}

impl TopicRecord {
    /// The topic, when there is one and it falls in a quarter.
    pub(super) fn figures(&self) -> sqlx::Result<Option<TopicFigures>> {
        if self.topic_id.is_none() {
            return Ok(None);
        }
        let Some(quarter) = self.topic_quarter else {
            return Ok(None);
        };
        let quarter = u8::try_from(quarter)
            .ok()
            .and_then(Quarter::new)
            .ok_or_else(|| corrupt("topic quarter"))?;
        let session = match (self.held_on, minute(self.start_minute)?) {
            (Some(date), Some(start)) => {
                let count = |n: Option<i64>| usize::try_from(n.unwrap_or(0)).unwrap_or(0);
                Some(SessionFigures {
                    date,
                    start,
                    combined: self.combined.unwrap_or(false),
                    held: self.held == Some(true),
                    started: minute(self.started_minute)?,
                    ended: minute(self.ended_minute)?,
                    circulated: self.circulated_at,
                    attendance: Count::tally([
                        (Presence::Present, count(self.present)),
                        (Presence::Excused, count(self.excused)),
                        (Presence::Absent, count(self.absent)),
                    ]),
                    grade_total: self.grade_total.and_then(|t| u8::try_from(t).ok()),
                })
            }
            _ => None,
        };
        Ok(Some(TopicFigures {
            quarter,
            planned: due_of(self.session_on, self.session_exact.unwrap_or(false)),
            session,
        }))
    }
}

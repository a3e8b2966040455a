//! The minutes of sessions: the stored record with its attendance list, guests and speeches,
//! written whole while open (each save checked against the version it was drawn from), then
//! closed (numbered, frozen), reported and graded; each change with its audit entry in the
//! caller's transaction.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, Tx, audit, corrupt, on_pool, on_tx};
use crate::domain::attendance::{Attendance, Attendee, Guest, Presence};
use crate::domain::grading::{Grading, Scores, Sheet};
use crate::domain::member::{MemberId, Standing};
use crate::domain::minutes::{Minutes, MinutesId, Record, Speech, Vote};
use crate::domain::org::{OrgId, Year};
use crate::domain::paper::PaperId;
use crate::domain::plan::{PlanId, TopicId};
use crate::domain::session::{SessionId, StartTime};
use crate::domain::user::UserId;

/// What the audit log calls a set of minutes.
pub(super) const ENTITY: &str = "session_minutes";

#[derive(sqlx::FromRow)]
struct Row {
    id: MinutesId,
    session_id: SessionId,
    amends_id: Option<MinutesId>,
    version: i64,
    started_minute: Option<i32>,
    ended_minute: Option<i32>,
    chair_name: String,
    minute_taker_name: String,
    presenter_name: String,
    agenda: String,
    conclusion: String,
    vote_for: Option<i32>,
    vote_against: Option<i32>,
    vote_abstain: Option<i32>,
    attendance_taken: bool,
    serial: Option<i32>,
    issuer: Option<String>,
    updated_at: DateTime<Utc>,
    updated_by_name: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    closed_on: Option<NaiveDate>,
    reported_at: Option<DateTime<Utc>>,
    reported_paper_id: Option<PaperId>,
}

#[derive(sqlx::FromRow)]
struct AttendeeRow {
    member_id: MemberId,
    full_name: String,
    standing: String,
    presence: String,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct GuestRow {
    full_name: String,
    title: String,
    unit: String,
}

#[derive(sqlx::FromRow)]
struct SpeechRow {
    speaker: String,
    summary: String,
}

const SELECT: &str = "SELECT m.id, m.session_id, m.amends_id, m.version, m.started_minute, \
       m.ended_minute, m.chair_name, m.minute_taker_name, m.presenter_name, m.agenda, \
       m.conclusion, m.vote_for, m.vote_against, m.vote_abstain, m.attendance_taken, m.serial, \
       m.issuer, m.updated_at, u.full_name AS updated_by_name, m.closed_at, m.closed_on, \
       m.reported_at, m.reported_paper_id \
     FROM session_minutes m LEFT JOIN users u ON u.id = m.updated_by";

fn time(minute: Option<i32>) -> sqlx::Result<Option<StartTime>> {
    minute
        .map(|m| {
            u16::try_from(m)
                .ok()
                .and_then(StartTime::new)
                .ok_or_else(|| corrupt("time of day"))
        })
        .transpose()
}

fn count(n: i32) -> sqlx::Result<u32> {
    u32::try_from(n).map_err(|_| corrupt("vote count"))
}

fn assemble(
    row: Row,
    attendees: Vec<AttendeeRow>,
    guests: Vec<GuestRow>,
    speeches: Vec<SpeechRow>,
) -> sqlx::Result<Minutes> {
    let attendees = attendees
        .into_iter()
        .map(|a| {
            Ok(Attendee {
                member: a.member_id,
                name: a.full_name,
                standing: Standing::parse(&a.standing).map_err(|_| corrupt("standing"))?,
                presence: Presence::parse(&a.presence).ok_or_else(|| corrupt("presence"))?,
                reason: a.reason,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let vote = match (row.vote_for, row.vote_against, row.vote_abstain) {
        (Some(yes), Some(no), Some(abstain)) => Some(Vote {
            yes: count(yes)?,
            no: count(no)?,
            abstain: count(abstain)?,
        }),
        _ => None,
    };
    let number = match (row.serial, row.issuer) {
        (Some(serial), Some(issuer)) => Some((
            u32::try_from(serial).map_err(|_| corrupt("minutes number"))?,
            issuer,
        )),
        _ => None,
    };
    Ok(Minutes {
        id: row.id,
        session: row.session_id,
        amends: row.amends_id,
        version: row.version,
        attendance: Attendance {
            attendees,
            guests: guests
                .into_iter()
                .map(|g| Guest {
                    name: g.full_name,
                    title: g.title,
                    unit: g.unit,
                })
                .collect(),
        },
        attendance_taken: row.attendance_taken,
        record: Record {
            started: time(row.started_minute)?,
            ended: time(row.ended_minute)?,
            chair: row.chair_name,
            minute_taker: row.minute_taker_name,
            presenter: row.presenter_name,
            agenda: row
                .agenda
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            speeches: speeches
                .into_iter()
                .map(|s| Speech {
                    speaker: s.speaker,
                    summary: s.summary,
                })
                .collect(),
            conclusion: row.conclusion,
            vote,
        },
        number,
        updated_at: row.updated_at,
        updated_by: row.updated_by_name,
        closed: row.closed_at.zip(row.closed_on),
        reported: row.reported_at,
        reported_paper: row.reported_paper_id,
    })
}

/// The minutes `condition` picks (one row), with their lists, read inside `tx`.
async fn load_where(tx: &mut Tx, condition: &str, id: i64) -> sqlx::Result<Option<Minutes>> {
    let sql = format!("{SELECT} WHERE {condition}");
    on_tx!(tx, conn => async {
        let Some(row): Option<Row> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await? else {
            return Ok(None);
        };
        let attendees: Vec<AttendeeRow> = sqlx::query_as(
            "SELECT member_id, full_name, standing, presence, reason FROM minutes_attendance \
             WHERE minutes_id = $1 ORDER BY position",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        let guests: Vec<GuestRow> = sqlx::query_as(
            "SELECT full_name, title, unit FROM minutes_guests WHERE minutes_id = $1 ORDER BY position",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        let speeches: Vec<SpeechRow> = sqlx::query_as(
            "SELECT speaker, summary FROM minutes_speeches WHERE minutes_id = $1 ORDER BY position",
        )
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        assemble(row, attendees, guests, speeches).map(Some)
    }.await)
}

/// The minutes of a session (the first set, not a correction), read inside `tx`.
pub async fn of_session_in(tx: &mut Tx, session: SessionId) -> sqlx::Result<Option<Minutes>> {
    load_where(
        tx,
        "m.session_id = $1 AND m.amends_id IS NULL",
        session.get(),
    )
    .await
}

/// The minutes of a session, from one snapshot.
pub async fn of_session(db: &Db, session: SessionId) -> sqlx::Result<Option<Minutes>> {
    let mut tx = db.begin_read().await?;
    let minutes = of_session_in(&mut tx, session).await?;
    tx.commit().await?;
    Ok(minutes)
}

/// The topic a session belongs to.
pub async fn topic_of_session(db: &Db, session: SessionId) -> sqlx::Result<Option<TopicId>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT topic_id FROM topic_sessions WHERE id = $1")
        .bind(session)
        .fetch_optional(pool)
        .await)
}

/// Stores a new, empty set of minutes for `session` from `minutes` (its id and version ignored).
pub async fn insert(
    tx: &mut Tx,
    minutes: &Minutes,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<MinutesId> {
    let now = Utc::now();
    let id: MinutesId = on_tx!(tx, conn => async {
        let id: MinutesId = sqlx::query_scalar(
            "INSERT INTO session_minutes (session_id, amends_id, version, chair_name, \
               minute_taker_name, presenter_name, agenda, conclusion, attendance_taken, \
               created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, 0, '', '', '', '', '', FALSE, $3, $4, $3, $4) RETURNING id",
        )
        .bind(minutes.session)
        .bind(minutes.amends)
        .bind(now)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?;
        audit::record!(&mut *conn, by, "create", ENTITY, id, summary).await?;
        Ok::<_, sqlx::Error>(id)
    }.await)?;
    let stored = Minutes {
        id,
        version: 0,
        ..minutes.clone()
    };
    write(tx, &stored, 0, by, summary).await?;
    Ok(id)
}

/// Writes the whole record and lists of open minutes still at `version`; false otherwise.
pub async fn write(
    tx: &mut Tx,
    minutes: &Minutes,
    version: i64,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    let record = &minutes.record;
    let minute = |t: Option<StartTime>| t.map(|t| i32::from(t.minutes()));
    let vote = |f: fn(&Vote) -> u32| {
        record
            .vote
            .as_ref()
            .map(|v| i32::try_from(f(v)).unwrap_or(i32::MAX))
    };
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE session_minutes SET started_minute = $1, ended_minute = $2, chair_name = $3, \
               minute_taker_name = $4, presenter_name = $5, agenda = $6, conclusion = $7, \
               vote_for = $8, vote_against = $9, vote_abstain = $10, attendance_taken = $11, \
               version = version + 1, updated_at = $12, updated_by = $13 \
             WHERE id = $14 AND version = $15 AND closed_at IS NULL",
        )
        .bind(minute(record.started))
        .bind(minute(record.ended))
        .bind(&record.chair)
        .bind(&record.minute_taker)
        .bind(&record.presenter)
        .bind(record.agenda.join("\n"))
        .bind(&record.conclusion)
        .bind(vote(|v| v.yes))
        .bind(vote(|v| v.no))
        .bind(vote(|v| v.abstain))
        .bind(minutes.attendance_taken)
        .bind(Utc::now())
        .bind(by)
        .bind(minutes.id)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed != 1 {
            return Ok(false);
        }
        for table in ["minutes_attendance", "minutes_guests", "minutes_speeches"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE minutes_id = $1"))
                .bind(minutes.id)
                .execute(&mut *conn)
                .await?;
        }
        for (position, a) in minutes.attendance.attendees.iter().enumerate() {
            sqlx::query(
                "INSERT INTO minutes_attendance (minutes_id, member_id, position, full_name, \
                   standing, presence, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(minutes.id)
            .bind(a.member)
            .bind(position as i32)
            .bind(&a.name)
            .bind(a.standing.as_str())
            .bind(a.presence.as_str())
            .bind(&a.reason)
            .execute(&mut *conn)
            .await?;
        }
        for (position, g) in minutes.attendance.guests.iter().enumerate() {
            sqlx::query(
                "INSERT INTO minutes_guests (minutes_id, position, full_name, title, unit) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(minutes.id)
            .bind(position as i32)
            .bind(&g.name)
            .bind(&g.title)
            .bind(&g.unit)
            .execute(&mut *conn)
            .await?;
        }
        for (position, s) in record.speeches.iter().enumerate() {
            sqlx::query(
                "INSERT INTO minutes_speeches (minutes_id, position, speaker, summary) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(minutes.id)
            .bind(position as i32)
            .bind(&s.speaker)
            .bind(&s.summary)
            .execute(&mut *conn)
            .await?;
        }
        if version > 0 {
            audit::record!(&mut *conn, by, "record", ENTITY, minutes.id, summary).await?;
        }
        Ok(true)
    }.await)
}

/// The next free serial of minutes (BB) of `cell` in the term that started in `term_start`:
/// minutes and their corrections (biên bản bổ sung) are one series.
pub async fn next_serial(tx: &mut Tx, cell: OrgId, term_start: Year) -> sqlx::Result<u32> {
    let max: Option<i32> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT MAX(n) FROM ( \
           SELECT m.serial AS n FROM session_minutes m \
           JOIN topic_sessions s ON s.id = m.session_id JOIN topics t ON t.id = s.topic_id \
           JOIN plans p ON p.id = t.plan_id WHERE p.org_id = $1 AND m.term_start = $2 \
           UNION ALL \
           SELECT c.serial AS n FROM minutes_corrections c \
           JOIN session_minutes m ON m.id = c.minutes_id \
           JOIN topic_sessions s ON s.id = m.session_id JOIN topics t ON t.id = s.topic_id \
           JOIN plans p ON p.id = t.plan_id WHERE p.org_id = $1 AND c.term_start = $2 \
         ) AS serials",
    )
    .bind(cell)
    .bind(term_start.get())
    .fetch_one(conn)
    .await)?;
    Ok(max.map_or(1, |n| u32::try_from(n).unwrap_or(0) + 1))
}

/// What closing stores: the number and the day.
pub struct Closing<'a> {
    pub term_start: Year,
    pub serial: u32,
    pub issuer: &'a str,
    pub on: NaiveDate,
}

/// Closes open minutes still at `version`: numbered and frozen; false otherwise.
pub async fn close(
    tx: &mut Tx,
    id: MinutesId,
    version: i64,
    closing: &Closing<'_>,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE session_minutes SET term_start = $1, serial = $2, issuer = $3, closed_on = $4, \
               closed_at = $5, closed_by = $6, version = version + 1 \
             WHERE id = $7 AND version = $8 AND closed_at IS NULL",
        )
        .bind(closing.term_start.get())
        .bind(i32::try_from(closing.serial).unwrap_or(i32::MAX))
        .bind(closing.issuer)
        .bind(closing.on)
        .bind(Utc::now())
        .bind(by)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 1 {
            audit::record!(&mut *conn, by, "close", ENTITY, id, summary).await?;
        }
        Ok(changed == 1)
    }.await)
}

/// Marks closed minutes as reported to the higher committee, once; false otherwise.
pub async fn report(
    tx: &mut Tx,
    id: MinutesId,
    paper: PaperId,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE session_minutes SET reported_at = $1, reported_by = $2, reported_paper_id = $3, \
               version = version + 1 \
             WHERE id = $4 AND closed_at IS NOT NULL AND reported_at IS NULL",
        )
        .bind(Utc::now())
        .bind(by)
        .bind(paper)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 1 {
            audit::record!(&mut *conn, by, "report", ENTITY, id, summary).await?;
        }
        Ok(changed == 1)
    }.await)
}

/// Who graded: the cell's secretary proposes, the committee decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeStage {
    Proposed,
    Decided,
}

impl GradeStage {
    fn as_str(self) -> &'static str {
        match self {
            GradeStage::Proposed => "proposed",
            GradeStage::Decided => "decided",
        }
    }
}

/// Stores (or replaces) the grade of `stage`.
pub async fn grade(
    tx: &mut Tx,
    id: MinutesId,
    stage: GradeStage,
    (sheet, scores): (&Sheet, &Scores),
    reason: &str,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => async {
        sqlx::query("DELETE FROM minutes_grades WHERE minutes_id = $1 AND stage = $2")
            .bind(id)
            .bind(stage.as_str())
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO minutes_grades (minutes_id, stage, points, total, reason, by_user, \
               graded_at, sheet) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(stage.as_str())
        .bind(scores.stored())
        .bind(i32::from(scores.total()))
        .bind(reason)
        .bind(by)
        .bind(Utc::now())
        .bind((!sheet.is_standard()).then(|| sheet.text()))
        .execute(&mut *conn)
        .await?;
        audit::record!(&mut *conn, by, "grade", ENTITY, id, summary).await?;
        Ok(())
    }.await)
}

#[derive(sqlx::FromRow)]
struct GradeRow {
    stage: String,
    points: String,
    sheet: Option<String>,
    reason: String,
    by_name: Option<String>,
    graded_at: DateTime<Utc>,
}

/// The proposed and the decided grade, where given.
pub async fn grades(db: &Db, id: MinutesId) -> sqlx::Result<(Option<Grading>, Option<Grading>)> {
    let rows: Vec<GradeRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT g.stage, g.points, g.sheet, g.reason, u.full_name AS by_name, g.graded_at \
         FROM minutes_grades g LEFT JOIN users u ON u.id = g.by_user WHERE g.minutes_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await)?;
    let mut proposed = None;
    let mut decided = None;
    for row in rows {
        let sheet = match &row.sheet {
            Some(text) => Sheet::parse(text).map_err(|_| corrupt("grading sheet"))?,
            None => Sheet::standard(),
        };
        let grading = Grading {
            scores: Scores::from_stored(&row.points, &sheet)
                .ok_or_else(|| corrupt("grade points"))?,
            sheet,
            reason: row.reason,
            by: row.by_name,
            at: row.graded_at,
        };
        match row.stage.as_str() {
            "proposed" => proposed = Some(grading),
            _ => decided = Some(grading),
        }
    }
    Ok((proposed, decided))
}

/// The history of a session's minutes, newest first.
pub async fn history(db: &Db, id: MinutesId) -> sqlx::Result<Vec<audit::Entry>> {
    audit::history(db, ENTITY, id.get(), 200).await
}

/// Minutes reported to a committee, for its reviewers' inbox and a cell's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reported {
    pub session_id: SessionId,
    pub plan_id: PlanId,
    pub topic_title: String,
    pub cell_id: OrgId,
    pub cell_name: String,
    pub held_on: NaiveDate,
    pub reported_at: DateTime<Utc>,
    /// The committee's grade, once decided.
    pub decided_total: Option<i32>,
}

const REPORTED: &str = "SELECT s.id AS session_id, t.plan_id, t.title AS topic_title, \
       o.id AS cell_id, o.name AS cell_name, s.held_on, m.reported_at, g.total AS decided_total \
     FROM session_minutes m JOIN topic_sessions s ON s.id = m.session_id \
     JOIN topics t ON t.id = s.topic_id JOIN plans p ON p.id = t.plan_id \
     JOIN orgs o ON o.id = p.org_id \
     LEFT JOIN minutes_grades g ON g.minutes_id = m.id AND g.stage = 'decided' \
     WHERE m.reported_at IS NOT NULL";

/// Minutes reported by the cells directly below `committee`, newest first.
pub async fn reported_to(db: &Db, committee: OrgId, limit: i64) -> sqlx::Result<Vec<Reported>> {
    let sql = format!("{REPORTED} AND o.parent_id = $1 ORDER BY m.reported_at DESC LIMIT $2");
    on_pool!(db, pool => sqlx::query_as(&sql).bind(committee).bind(limit).fetch_all(pool).await)
}

/// Minutes a cell reported, newest first.
pub async fn reported_by(db: &Db, cell: OrgId, limit: i64) -> sqlx::Result<Vec<Reported>> {
    let sql = format!("{REPORTED} AND o.id = $1 ORDER BY m.reported_at DESC LIMIT $2");
    on_pool!(db, pool => sqlx::query_as(&sql).bind(cell).bind(limit).fetch_all(pool).await)
}

/// Marks the topic's session step done on `on` (if it is not done yet), with a line in the
/// plan's history: the session was held and its minutes closed.
pub async fn mark_session_step(
    tx: &mut Tx,
    topic: TopicId,
    on: NaiveDate,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE steps SET done_on = $1, done_by = $2 \
             WHERE topic_id = $3 AND kind = 'session' AND done_on IS NULL",
        )
        .bind(on)
        .bind(by)
        .bind(topic)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed > 0 {
            sqlx::query(
                "INSERT INTO plan_changes (plan_id, version, part, at, user_id, summary) \
                 SELECT p.id, p.version, 'progress', $1, $2, $3 FROM topics t \
                 JOIN plans p ON p.id = t.plan_id WHERE t.id = $4",
            )
            .bind(Utc::now())
            .bind(by)
            .bind(summary)
            .bind(topic)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }.await)
}

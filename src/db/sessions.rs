//! Sessions of topics: the stored schedule, its changes (each with an audit entry, in the
//! caller's transaction), and the lists the pages show.

use chrono::{DateTime, NaiveDate, Utc};

use super::papers::TopicPapers;
use super::{Db, Tx, audit, corrupt, on_pool, on_tx};
use crate::domain::member::MemberId;
use crate::domain::org::OrgId;
use crate::domain::plan::{Assignee, PlanId, TopicId};
use crate::domain::session::{Session, SessionDraft, SessionId, StartTime};
use crate::domain::user::UserId;

/// What the audit log calls a session.
const ENTITY: &str = "topic_session";

#[derive(sqlx::FromRow)]
struct Row {
    id: SessionId,
    topic_id: TopicId,
    held_on: NaiveDate,
    start_minute: i32,
    duration_minutes: i32,
    venue: String,
    chair_member_id: Option<MemberId>,
    chair_name: Option<String>,
    minute_taker_member_id: Option<MemberId>,
    minute_taker_name: Option<String>,
    combined: bool,
    version: i64,
    cancelled_at: Option<DateTime<Utc>>,
    cancel_reason: Option<String>,
}

fn assignee(member: Option<MemberId>, name: Option<String>) -> Option<Assignee> {
    match (member, name) {
        (Some(member), Some(name)) => Some(Assignee { member, name }),
        _ => None,
    }
}

impl TryFrom<Row> for Session {
    type Error = sqlx::Error;

    fn try_from(row: Row) -> sqlx::Result<Self> {
        let start = u16::try_from(row.start_minute)
            .ok()
            .and_then(StartTime::new)
            .ok_or_else(|| corrupt("start time"))?;
        Ok(Session {
            id: row.id,
            topic_id: row.topic_id,
            date: row.held_on,
            start,
            duration: u16::try_from(row.duration_minutes).map_err(|_| corrupt("duration"))?,
            venue: row.venue,
            chair: assignee(row.chair_member_id, row.chair_name),
            minute_taker: assignee(row.minute_taker_member_id, row.minute_taker_name),
            combined: row.combined,
            version: row.version,
            cancelled: row
                .cancelled_at
                .map(|at| (at, row.cancel_reason.unwrap_or_default())),
        })
    }
}

const SELECT: &str = "SELECT s.id, s.topic_id, s.held_on, s.start_minute, s.duration_minutes, \
       s.venue, s.chair_member_id, c.full_name AS chair_name, s.minute_taker_member_id, \
       k.full_name AS minute_taker_name, s.combined, s.version, s.cancelled_at, s.cancel_reason \
     FROM topic_sessions s LEFT JOIN members c ON c.id = s.chair_member_id \
     LEFT JOIN members k ON k.id = s.minute_taker_member_id";

fn sessions(rows: Vec<Row>) -> sqlx::Result<Vec<Session>> {
    rows.into_iter().map(Session::try_from).collect()
}

/// The topic's session that is not cancelled, read inside the transaction about to change it.
pub async fn open_in(tx: &mut Tx, topic: TopicId) -> sqlx::Result<Option<Session>> {
    let sql = format!("{SELECT} WHERE s.topic_id = $1 AND s.cancelled_at IS NULL");
    let row: Option<Row> =
        on_tx!(tx, conn => sqlx::query_as(&sql).bind(topic).fetch_optional(conn).await)?;
    row.map(Session::try_from).transpose()
}

/// Every session of the topic, the open one first, then the cancelled ones, newest first.
pub async fn of_topic(db: &Db, topic: TopicId) -> sqlx::Result<Vec<Session>> {
    let sql = format!(
        "{SELECT} WHERE s.topic_id = $1 \
         ORDER BY CASE WHEN s.cancelled_at IS NULL THEN 0 ELSE 1 END, s.id DESC"
    );
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(topic).fetch_all(pool).await)?;
    sessions(rows)
}

/// The open sessions of a plan's topics, one statement.
pub async fn open_of_plan(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Session>> {
    let sql = format!(
        "{SELECT} JOIN topics t ON t.id = s.topic_id \
         WHERE t.plan_id = $1 AND s.cancelled_at IS NULL ORDER BY s.held_on, s.id"
    );
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(plan).fetch_all(pool).await)?;
    sessions(rows)
}

#[derive(sqlx::FromRow)]
struct PreparationRow {
    topic_id: TopicId,
    session_id: Option<SessionId>,
    held_on: Option<NaiveDate>,
    start_minute: Option<i32>,
    duration_minutes: Option<i32>,
    venue: Option<String>,
    chair_member_id: Option<MemberId>,
    chair_name: Option<String>,
    minute_taker_member_id: Option<MemberId>,
    minute_taker_name: Option<String>,
    combined: Option<bool>,
    version: Option<i64>,
    versions: Option<i64>,
    circulated_at: Option<DateTime<Utc>>,
    comments: Option<i64>,
    open: Option<i64>,
    closed: Option<i64>,
}

/// The open sessions of a plan's topics and how far each topic is with its papers, in one
/// statement (the plan page's budget): a row per topic that has either.
pub async fn preparation_of_plan(
    db: &Db,
    plan: PlanId,
) -> sqlx::Result<(Vec<Session>, Vec<TopicPapers>)> {
    let rows: Vec<PreparationRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT t.id AS topic_id, s.id AS session_id, s.held_on, s.start_minute, \
           s.duration_minutes, s.venue, s.chair_member_id, c.full_name AS chair_name, \
           s.minute_taker_member_id, k.full_name AS minute_taker_name, s.combined, s.version, \
           pa.versions, pa.circulated_at, pa.comments, pa.open, pa.closed \
         FROM topics t \
         LEFT JOIN topic_sessions s ON s.topic_id = t.id AND s.cancelled_at IS NULL \
         LEFT JOIN members c ON c.id = s.chair_member_id \
         LEFT JOIN members k ON k.id = s.minute_taker_member_id \
         LEFT JOIN (SELECT p.topic_id, COUNT(*) AS versions, \
             MAX(p.circulated_at) AS circulated_at, \
             (SELECT COUNT(*) FROM paper_comments m JOIN papers q ON q.id = m.paper_id \
               WHERE q.topic_id = p.topic_id) AS comments, \
             SUM(CASE WHEN p.circulated_at IS NOT NULL AND p.comments_closed_at IS NULL \
               THEN 1 ELSE 0 END) AS open, \
             SUM(CASE WHEN p.comments_closed_at IS NOT NULL THEN 1 ELSE 0 END) AS closed \
           FROM papers p JOIN topics pt ON pt.id = p.topic_id WHERE pt.plan_id = $1 \
           GROUP BY p.topic_id) pa ON pa.topic_id = t.id \
         WHERE t.plan_id = $1 AND (s.id IS NOT NULL OR pa.topic_id IS NOT NULL) \
         ORDER BY s.held_on, s.id, t.id",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)?;
    let mut sessions = Vec::new();
    let mut papers = Vec::new();
    for r in rows {
        if let (Some(id), Some(held_on), Some(start), Some(duration), Some(venue)) = (
            r.session_id,
            r.held_on,
            r.start_minute,
            r.duration_minutes,
            r.venue,
        ) {
            sessions.push(Session::try_from(Row {
                id,
                topic_id: r.topic_id,
                held_on,
                start_minute: start,
                duration_minutes: duration,
                venue,
                chair_member_id: r.chair_member_id,
                chair_name: r.chair_name,
                minute_taker_member_id: r.minute_taker_member_id,
                minute_taker_name: r.minute_taker_name,
                combined: r.combined.unwrap_or(false),
                version: r.version.unwrap_or(0),
                cancelled_at: None,
                cancel_reason: None,
            })?);
        }
        if let Some(versions) = r.versions {
            papers.push(TopicPapers {
                topic_id: r.topic_id,
                versions,
                circulated_at: r.circulated_at,
                comments: r.comments.unwrap_or(0),
                open: r.open.unwrap_or(0),
                closed: r.closed.unwrap_or(0),
            });
        }
    }
    Ok((sessions, papers))
}

/// Stores a new session of `topic`, with its audit entry.
pub async fn insert(
    tx: &mut Tx,
    topic: TopicId,
    draft: &SessionDraft,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<SessionId> {
    let now = Utc::now();
    on_tx!(tx, conn => async {
        let id: SessionId = sqlx::query_scalar(
            "INSERT INTO topic_sessions (topic_id, held_on, start_minute, duration_minutes, venue, \
               chair_member_id, minute_taker_member_id, combined, version, created_at, created_by, \
               updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $9) RETURNING id",
        )
        .bind(topic)
        .bind(draft.date)
        .bind(i32::from(draft.start.minutes()))
        .bind(i32::from(draft.duration))
        .bind(draft.venue.as_str())
        .bind(draft.chair.as_ref().map(|a| a.member))
        .bind(draft.minute_taker.as_ref().map(|a| a.member))
        .bind(draft.combined)
        .bind(now)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?;
        audit::record!(&mut *conn, by, "schedule", ENTITY, id, summary).await?;
        Ok(id)
    }.await)
}

/// Writes a session's new details if it is still at `version` and open; false otherwise.
pub async fn update(
    tx: &mut Tx,
    id: SessionId,
    version: i64,
    draft: &SessionDraft,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE topic_sessions SET held_on = $1, start_minute = $2, duration_minutes = $3, \
               venue = $4, chair_member_id = $5, minute_taker_member_id = $6, combined = $7, \
               version = version + 1, updated_at = $8 \
             WHERE id = $9 AND version = $10 AND cancelled_at IS NULL",
        )
        .bind(draft.date)
        .bind(i32::from(draft.start.minutes()))
        .bind(i32::from(draft.duration))
        .bind(draft.venue.as_str())
        .bind(draft.chair.as_ref().map(|a| a.member))
        .bind(draft.minute_taker.as_ref().map(|a| a.member))
        .bind(draft.combined)
        .bind(Utc::now())
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 1 {
            audit::record!(&mut *conn, by, "move", ENTITY, id, summary).await?;
        }
        Ok(changed == 1)
    }.await)
}

/// Cancels a session still at `version` and open; false otherwise.
pub async fn cancel(
    tx: &mut Tx,
    id: SessionId,
    version: i64,
    reason: &str,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    let now = Utc::now();
    on_tx!(tx, conn => async {
        let changed = sqlx::query(
            "UPDATE topic_sessions SET cancelled_at = $1, cancelled_by = $2, cancel_reason = $3, \
               version = version + 1, updated_at = $1 \
             WHERE id = $4 AND version = $5 AND cancelled_at IS NULL",
        )
        .bind(now)
        .bind(by)
        .bind(reason)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 1 {
            audit::record!(&mut *conn, by, "cancel", ENTITY, id, summary).await?;
        }
        Ok(changed == 1)
    }.await)
}

/// Records a change that concerns the session but is stored elsewhere (its topic's steps laid
/// out again from it).
pub async fn note(
    tx: &mut Tx,
    id: SessionId,
    action: &str,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => audit::record!(conn, by, action, ENTITY, id, summary).await.map(|_| ()))
}

/// The history of every session of a topic, newest first.
pub async fn history(db: &Db, topic: TopicId) -> sqlx::Result<Vec<audit::Entry>> {
    on_pool!(db, pool => sqlx::query_as::<_, audit::Entry>(
        "SELECT a.at, u.full_name AS user_name, a.action, a.detail FROM audit_log a \
         JOIN topic_sessions s ON s.id = a.entity_id LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.entity = $1 AND s.topic_id = $2 ORDER BY a.id DESC",
    )
    .bind(ENTITY)
    .bind(topic)
    .fetch_all(pool)
    .await)
}

/// An open session of one of the user's cells, for "Việc của tôi".
#[derive(Debug, Clone)]
pub struct Upcoming {
    pub session: Session,
    pub plan_id: PlanId,
    pub topic_title: String,
    pub cell_name: String,
}

#[derive(sqlx::FromRow)]
struct UpcomingRow {
    #[sqlx(flatten)]
    row: Row,
    plan_id: PlanId,
    topic_title: String,
    cell_name: String,
}

fn upcoming_sql(condition: &str) -> String {
    format!(
        "{SELECT} JOIN topics t ON t.id = s.topic_id JOIN plans p ON p.id = t.plan_id \
         JOIN orgs o ON o.id = p.org_id \
         WHERE s.cancelled_at IS NULL AND {condition} \
         ORDER BY s.held_on, s.start_minute, s.id"
    )
    .replacen(
        " FROM topic_sessions",
        ", t.plan_id, t.title AS topic_title, o.name AS cell_name FROM topic_sessions",
        1,
    )
}

fn upcoming(rows: Vec<UpcomingRow>) -> sqlx::Result<Vec<Upcoming>> {
    rows.into_iter()
        .map(|r| {
            Ok(Upcoming {
                session: Session::try_from(r.row)?,
                plan_id: r.plan_id,
                topic_title: r.topic_title,
                cell_name: r.cell_name,
            })
        })
        .collect()
}

/// The open sessions on or after `from` of the cells where `user` is an active member,
/// nearest first.
pub async fn upcoming_for_user(
    db: &Db,
    user: UserId,
    from: NaiveDate,
) -> sqlx::Result<Vec<Upcoming>> {
    let sql = upcoming_sql(
        "s.held_on >= $2 AND p.org_id IN \
           (SELECT m.cell_id FROM members m WHERE m.user_id = $1 AND m.active)",
    );
    let rows: Vec<UpcomingRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(user).bind(from).fetch_all(pool).await)?;
    upcoming(rows)
}

/// Every open session of the cell, of every plan, earliest first (its calendar feed).
pub async fn open_of_cell(db: &Db, cell: OrgId) -> sqlx::Result<Vec<Upcoming>> {
    let sql = upcoming_sql("p.org_id = $1");
    let rows: Vec<UpcomingRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(cell).fetch_all(pool).await)?;
    upcoming(rows)
}

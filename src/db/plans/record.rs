//! The plan's record as its page shows it: the transitions (adopted, submitted, returned …),
//! the reviewers' comments, and a page of its submitted revisions and of its change history,
//! read in one statement (`UNION ALL` of the four lists, each numbered in its own order).

use chrono::{DateTime, NaiveDate, Utc};

use super::super::review::{Comment, EventRow, RevisionEntry, RevisionId};
use super::super::{Db, on_pool};
use crate::domain::lifecycle::Event;
use crate::domain::plan::PlanId;
use crate::domain::plan_edit::Change;

/// Which rows of a list to read: `limit` of them after the first `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: i64,
    pub limit: i64,
}

/// What [`record`] reads.
#[derive(Debug, Default)]
pub struct Record {
    /// Every transition, oldest first.
    pub events: Vec<Event>,
    /// Every comment, newest revision first.
    pub comments: Vec<Comment>,
    /// The revisions in the window, newest first, and how many there are in all.
    pub revisions: Vec<RevisionEntry>,
    pub revision_count: i64,
    /// The changes in the window, newest first, and how many there are in all.
    pub history: Vec<Change>,
    pub change_count: i64,
}

const EVENTS: i32 = 1;
const COMMENTS: i32 = 2;
const REVISIONS: i32 = 3;
const CHANGES: i32 = 4;

/// One row of any of the four lists; `listed` is the size of its whole list.
#[derive(sqlx::FromRow)]
struct Row {
    kind: i32,
    listed: i64,
    at: DateTime<Utc>,
    user_name: Option<String>,
    action: String,
    /// An event's comment, a review comment's body, a change's summary.
    body: String,
    revision_number: Option<i32>,
    meeting_on: Option<NaiveDate>,
    present: Option<i32>,
    total: Option<i32>,
    votes_for: Option<i32>,
    votes_against: Option<i32>,
    revision_id: Option<RevisionId>,
    version: Option<i64>,
    part: String,
}

const RECORD: &str = "\
    SELECT 1 AS kind, ROW_NUMBER() OVER (ORDER BY e.id) AS ord, COUNT(*) OVER () AS listed, \
      e.at, u.full_name AS user_name, e.action, e.comment AS body, \
      r.number AS revision_number, e.meeting_on, e.present, e.total, e.votes_for, \
      e.votes_against, CAST(NULL AS BIGINT) AS revision_id, CAST(NULL AS BIGINT) AS version, \
      '' AS part \
    FROM plan_events e LEFT JOIN users u ON u.id = e.user_id \
    LEFT JOIN plan_revisions r ON r.id = e.revision_id WHERE e.plan_id = $1 \
    UNION ALL \
    SELECT 2, ROW_NUMBER() OVER (ORDER BY r.number DESC, c.id), COUNT(*) OVER (), \
      c.at, u.full_name, '', c.body, r.number, CAST(NULL AS DATE), CAST(NULL AS INTEGER), \
      CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), \
      CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), c.part \
    FROM review_comments c JOIN plan_revisions r ON r.id = c.revision_id \
    LEFT JOIN users u ON u.id = c.user_id WHERE c.plan_id = $1 \
    UNION ALL \
    SELECT * FROM (SELECT 3 AS kind, ROW_NUMBER() OVER (ORDER BY v.number DESC) AS ord, \
      COUNT(*) OVER () AS listed, v.submitted_at AS at, CAST(NULL AS TEXT) AS user_name, \
      '' AS action, '' AS body, v.number AS revision_number, CAST(NULL AS DATE) AS meeting_on, \
      CAST(NULL AS INTEGER) AS present, CAST(NULL AS INTEGER) AS total, \
      CAST(NULL AS INTEGER) AS votes_for, CAST(NULL AS INTEGER) AS votes_against, \
      v.id AS revision_id, CAST(NULL AS BIGINT) AS version, '' AS part \
      FROM plan_revisions v WHERE v.plan_id = $1) revisions WHERE ord > $2 AND ord <= $3 \
    UNION ALL \
    SELECT * FROM (SELECT 4 AS kind, ROW_NUMBER() OVER (ORDER BY h.version DESC, h.id DESC) AS ord, \
      COUNT(*) OVER () AS listed, h.at, u.full_name AS user_name, '' AS action, \
      h.summary AS body, CAST(NULL AS INTEGER) AS revision_number, \
      CAST(NULL AS DATE) AS meeting_on, CAST(NULL AS INTEGER) AS present, \
      CAST(NULL AS INTEGER) AS total, CAST(NULL AS INTEGER) AS votes_for, \
      CAST(NULL AS INTEGER) AS votes_against, CAST(NULL AS BIGINT) AS revision_id, \
      h.version, h.part \
      FROM plan_changes h LEFT JOIN users u ON u.id = h.user_id WHERE h.plan_id = $1) changes \
      WHERE ord > $4 AND ord <= $5 \
    ORDER BY 1, 2";

/// The plan's transitions and comments, and the windows of its revisions and changes.
pub async fn record(
    db: &Db,
    plan: PlanId,
    revisions: Window,
    changes: Window,
) -> sqlx::Result<Record> {
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(RECORD)
        .bind(plan)
        .bind(revisions.offset)
        .bind(revisions.offset.saturating_add(revisions.limit))
        .bind(changes.offset)
        .bind(changes.offset.saturating_add(changes.limit))
        .fetch_all(pool)
        .await)?;
    let mut record = Record::default();
    for row in rows {
        match row.kind {
            EVENTS => record.events.push(Event::try_from(EventRow {
                at: row.at,
                user_name: row.user_name,
                action: row.action,
                comment: row.body,
                revision_number: row.revision_number,
                meeting_on: row.meeting_on,
                present: row.present,
                total: row.total,
                votes_for: row.votes_for,
                votes_against: row.votes_against,
            })?),
            COMMENTS => record.comments.push(Comment {
                revision_number: row.revision_number.unwrap_or_default(),
                part: row.part,
                author: row.user_name,
                at: row.at,
                body: row.body,
            }),
            REVISIONS => {
                record.revision_count = row.listed;
                record.revisions.push(RevisionEntry {
                    id: row.revision_id.unwrap_or(RevisionId(0)),
                    number: row.revision_number.unwrap_or_default(),
                    submitted_at: row.at,
                });
            }
            CHANGES => {
                record.change_count = row.listed;
                record.history.push(Change {
                    version: row.version.unwrap_or_default(),
                    part: row.part,
                    at: row.at,
                    user_name: row.user_name,
                    summary: row.body,
                });
            }
            _ => return Err(super::super::corrupt("plan record")),
        }
    }
    Ok(record)
}

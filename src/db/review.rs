//! The life of a plan after drafting: transitions with their history, frozen revisions of what
//! was submitted, reviewers' comments, the review inbox, and directive plans seen from below.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, Tx, corrupt, doc_number, on_pool, on_tx, placeholders};
use crate::domain::access::Deed;
use crate::domain::lifecycle::{Action, Adoption, Event};
use crate::domain::org::{Org, OrgId};
use crate::domain::plan::{DocNumber, Plan, PlanId, PlanStatus};
use crate::domain::user::UserId;

/// What a revision freezes: the plan and its issuer as they were when submitted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub plan: Plan,
    pub org: Org,
}

crate::domain::id_type!(
    /// A submitted revision's id.
    RevisionId
);

#[derive(Debug, Clone)]
pub struct Revision {
    pub id: RevisionId,
    pub plan_id: PlanId,
    pub number: i32,
    pub submitted_at: DateTime<Utc>,
    pub snapshot: Snapshot,
}

#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    /// The plan is not in a state the action starts from (someone acted first).
    #[error("wrong state")]
    WrongState,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// One transition to record.
pub struct Transition<'a> {
    pub action: Action,
    pub comment: &'a str,
    pub adoption: Option<Adoption>,
    /// For a submission: what is frozen.
    pub snapshot: Option<&'a Snapshot>,
}

/// Moves the plan along inside `tx` if it is in a state the action starts from, recording the
/// event (and, for a submission, a new revision). Returns the new status.
pub async fn transition(
    tx: &mut Tx,
    plan: PlanId,
    transition: &Transition<'_>,
    by: Option<UserId>,
) -> Result<PlanStatus, TransitionError> {
    let from: Vec<&str> = PlanStatus::ALL
        .into_iter()
        .filter(|s| transition.action.transition(*s).is_some())
        .map(PlanStatus::as_str)
        .collect();
    let Some(target) = PlanStatus::ALL
        .into_iter()
        .find_map(|s| transition.action.transition(s))
    else {
        return Err(TransitionError::WrongState);
    };
    let snapshot = transition.snapshot.map(serde_json::to_string).transpose()?;
    let sql = format!(
        "UPDATE plans SET status = $1 WHERE id = $2 AND status IN ({})",
        placeholders(3, from.len())
    );
    let now = Utc::now();
    let adoption = transition.adoption;
    let result: Result<PlanStatus, TransitionError> = on_tx!(tx, conn => async {
        let mut update = sqlx::query(&sql).bind(target.as_str()).bind(plan);
        for state in &from {
            update = update.bind(*state);
        }
        if update.execute(&mut *conn).await?.rows_affected() == 0 {
            return Err(TransitionError::WrongState);
        }
        let mut revision: Option<i64> = None;
        if let Some(snapshot) = &snapshot {
            let number: i32 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM plan_revisions WHERE plan_id = $1",
            )
            .bind(plan)
            .fetch_one(&mut *conn)
            .await?;
            revision = Some(
                sqlx::query_scalar(
                    "INSERT INTO plan_revisions (plan_id, number, submitted_at, submitted_by, snapshot) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(plan)
                .bind(number)
                .bind(now)
                .bind(by)
                .bind(snapshot.as_str())
                .fetch_one(&mut *conn)
                .await?,
            );
            sqlx::query("UPDATE plans SET submitted_at = $1 WHERE id = $2")
                .bind(now)
                .bind(plan)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(
            "INSERT INTO plan_events (plan_id, at, user_id, action, comment, revision_id, meeting_on, \
               present, total, votes_for, votes_against) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(plan)
        .bind(now)
        .bind(by)
        .bind(transition.action.as_str())
        .bind(transition.comment)
        .bind(revision)
        .bind(adoption.map(|a| a.meeting_on))
        .bind(adoption.map(|a| a.present as i32))
        .bind(adoption.map(|a| a.total as i32))
        .bind(adoption.map(|a| a.votes_for as i32))
        .bind(adoption.map(|a| a.votes_against as i32))
        .execute(&mut *conn)
        .await?;
        Ok(target)
    }.await);
    result
}

/// Who did what to the plan, ever, as far as deciding on it is concerned: content changes
/// (not progress marks), adoptions and submissions, each pair once. Read inside the
/// decision's transaction.
pub async fn deeds(tx: &mut Tx, plan: PlanId) -> sqlx::Result<Vec<(UserId, Deed)>> {
    let rows: Vec<(UserId, String)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT DISTINCT user_id, CAST('edit' AS TEXT) FROM plan_changes \
         WHERE plan_id = $1 AND user_id IS NOT NULL AND part <> 'progress' \
         UNION SELECT DISTINCT user_id, action FROM plan_events \
         WHERE plan_id = $1 AND user_id IS NOT NULL AND action IN ('adopt', 'submit')",
    )
    .bind(plan)
    .fetch_all(&mut *conn)
    .await)?;
    rows.into_iter()
        .map(|(user, deed)| {
            let deed = match deed.as_str() {
                "edit" => Deed::Edited,
                "adopt" => Deed::Adopted,
                "submit" => Deed::Submitted,
                _ => return Err(corrupt("plan deed")),
            };
            Ok((user, deed))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub(super) at: DateTime<Utc>,
    pub(super) user_name: Option<String>,
    pub(super) action: String,
    pub(super) comment: String,
    pub(super) revision_number: Option<i32>,
    pub(super) meeting_on: Option<NaiveDate>,
    pub(super) present: Option<i32>,
    pub(super) total: Option<i32>,
    pub(super) votes_for: Option<i32>,
    pub(super) votes_against: Option<i32>,
}

impl TryFrom<EventRow> for Event {
    type Error = sqlx::Error;

    fn try_from(row: EventRow) -> sqlx::Result<Event> {
        let count = |n: i32| u32::try_from(n).map_err(|_| corrupt("adoption figure"));
        let adoption = match (
            row.meeting_on,
            row.present,
            row.total,
            row.votes_for,
            row.votes_against,
        ) {
            (Some(meeting_on), Some(present), Some(total), Some(yes), Some(no)) => Some(Adoption {
                meeting_on,
                present: count(present)?,
                total: count(total)?,
                votes_for: count(yes)?,
                votes_against: count(no)?,
            }),
            _ => None,
        };
        Ok(Event {
            at: row.at,
            user_name: row.user_name,
            action: Action::parse(&row.action).ok_or_else(|| corrupt("plan action"))?,
            comment: row.comment,
            revision_number: row.revision_number,
            adoption,
        })
    }
}

/// The plan's transitions, oldest first.
pub async fn events(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Event>> {
    let rows: Vec<EventRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT e.at, u.full_name AS user_name, e.action, e.comment, r.number AS revision_number, \
           e.meeting_on, e.present, e.total, e.votes_for, e.votes_against \
         FROM plan_events e LEFT JOIN users u ON u.id = e.user_id \
         LEFT JOIN plan_revisions r ON r.id = e.revision_id \
         WHERE e.plan_id = $1 ORDER BY e.id",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(Event::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    id: RevisionId,
    plan_id: PlanId,
    number: i32,
    submitted_at: DateTime<Utc>,
    snapshot: String,
}

impl TryFrom<RevisionRow> for Revision {
    type Error = sqlx::Error;

    fn try_from(row: RevisionRow) -> sqlx::Result<Revision> {
        Ok(Revision {
            id: row.id,
            plan_id: row.plan_id,
            number: row.number,
            submitted_at: row.submitted_at,
            snapshot: serde_json::from_str(&row.snapshot).map_err(|_| corrupt("revision"))?,
        })
    }
}

pub async fn revision(db: &Db, id: RevisionId) -> sqlx::Result<Option<Revision>> {
    let row: Option<RevisionRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, plan_id, number, submitted_at, snapshot FROM plan_revisions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    row.map(Revision::try_from).transpose()
}

/// The plan's latest `count` revisions with their snapshots, newest first.
pub async fn latest_revisions(db: &Db, plan: PlanId, count: i64) -> sqlx::Result<Vec<Revision>> {
    let rows: Vec<RevisionRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, plan_id, number, submitted_at, snapshot FROM plan_revisions \
         WHERE plan_id = $1 ORDER BY number DESC LIMIT $2",
    )
    .bind(plan)
    .bind(count)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(Revision::try_from).collect()
}

/// A revision as listed: which one and when, without what it froze.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionEntry {
    pub id: RevisionId,
    pub number: i32,
    pub submitted_at: DateTime<Utc>,
}

/// The plan's revisions, newest first, without their snapshots.
pub async fn revisions(db: &Db, plan: PlanId) -> sqlx::Result<Vec<RevisionEntry>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT id, number, submitted_at FROM plan_revisions WHERE plan_id = $1 ORDER BY number DESC",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Comment {
    pub revision_number: i32,
    pub part: String,
    pub author: Option<String>,
    pub at: DateTime<Utc>,
    pub body: String,
}

pub async fn add_comment(
    db: &Db,
    plan: PlanId,
    revision: RevisionId,
    part: &str,
    by: Option<UserId>,
    body: &str,
) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query(
        "INSERT INTO review_comments (plan_id, revision_id, part, user_id, at, body) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(plan)
    .bind(revision)
    .bind(part)
    .bind(by)
    .bind(Utc::now())
    .bind(body)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Every comment on the plan, newest revision first.
pub async fn comments(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Comment>> {
    on_pool!(db, pool => sqlx::query_as::<_, Comment>(
        "SELECT r.number AS revision_number, c.part, u.full_name AS author, c.at, c.body \
         FROM review_comments c JOIN plan_revisions r ON r.id = c.revision_id \
         LEFT JOIN users u ON u.id = c.user_id WHERE c.plan_id = $1 ORDER BY r.number DESC, c.id",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)
}

/// A submitted plan waiting for a committee.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub plan_id: PlanId,
    pub year: i32,
    pub cell_id: i64,
    pub cell_name: String,
    pub committee_name: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub revisions: i64,
}

/// Submitted plans of the cells directly below `committees`, oldest submission first.
pub async fn inbox(db: &Db, committees: &[OrgId]) -> sqlx::Result<Vec<InboxRow>> {
    if committees.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id AS plan_id, p.year, o.id AS cell_id, o.name AS cell_name, c.name AS committee_name, \
           p.submitted_at, (SELECT COUNT(*) FROM plan_revisions r WHERE r.plan_id = p.id) AS revisions \
         FROM plans p JOIN orgs o ON o.id = p.org_id JOIN orgs c ON c.id = o.parent_id \
         WHERE p.status = 'submitted' AND o.parent_id IN ({}) ORDER BY p.submitted_at, p.id",
        placeholders(1, committees.len())
    );
    on_pool!(db, pool => {
        let mut query = sqlx::query_as::<_, InboxRow>(&sql);
        for id in committees {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })
}

/// An issued directive plan as the cells below see it.
#[derive(Debug, Clone)]
pub struct Directive {
    pub id: PlanId,
    pub year: i32,
    pub number: Option<DocNumber>,
    pub committee: String,
}

#[derive(sqlx::FromRow)]
struct DirectiveRow {
    id: PlanId,
    year: i32,
    number_serial: Option<i32>,
    number_kind: Option<String>,
    number_issuer: Option<String>,
    committee: String,
}

/// Issued directive plans of `year` (or of any year) from the committees above `cell`, with
/// their numbers and committees: newest year first, then nearest committee last.
pub async fn directives_above(
    db: &Db,
    cell: &Org,
    year: Option<i32>,
) -> sqlx::Result<Vec<Directive>> {
    let mut ancestors = cell.path.ids();
    ancestors.pop();
    if ancestors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id, p.year, p.number_serial, p.number_kind, p.number_issuer, o.name AS committee \
         FROM plans p JOIN orgs o ON o.id = p.org_id \
         WHERE p.status = 'issued' AND ($1 IS NULL OR p.year = $1) AND p.org_id IN ({}) \
         ORDER BY p.year DESC, LENGTH(o.path), p.id",
        placeholders(2, ancestors.len())
    );
    let rows: Vec<DirectiveRow> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(year);
        for id in &ancestors {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| {
            let number = doc_number(row.number_serial, row.number_kind, row.number_issuer)?;
            Ok(Directive {
                id: row.id,
                year: row.year,
                number,
                committee: row.committee,
            })
        })
        .collect()
}

//! The life of a plan after drafting: transitions with their history, frozen revisions of what
//! was submitted, reviewers' comments, the review inbox, and directive plans seen from below.

use chrono::{DateTime, NaiveDate, Utc};

use super::{BeginWrite, Db, corrupt, on_pool, placeholders};
use crate::domain::lifecycle::{Action, Adoption};
use crate::domain::org::{Org, OrgId};
use crate::domain::plan::{Plan, PlanId, PlanStatus};
use crate::domain::user::UserId;

/// What a revision freezes: the plan and its issuer as they were when submitted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub plan: Plan,
    pub org: Org,
}

pub type RevisionId = i64;

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

/// Moves the plan along if it is in a state the action starts from, recording the event (and,
/// for a submission, a new revision). Returns the new status.
pub async fn transition(
    db: &Db,
    plan: PlanId,
    step: &Transition<'_>,
    by: Option<UserId>,
) -> Result<PlanStatus, TransitionError> {
    let from: Vec<&str> = PlanStatus::ALL
        .into_iter()
        .filter(|s| step.action.transition(*s).is_some())
        .map(PlanStatus::as_str)
        .collect();
    let Some(target) = PlanStatus::ALL
        .into_iter()
        .find_map(|s| step.action.transition(s))
    else {
        return Err(TransitionError::WrongState);
    };
    let snapshot = step.snapshot.map(serde_json::to_string).transpose()?;
    let sql = format!(
        "UPDATE plans SET status = $1 WHERE id = $2 AND status IN ({})",
        placeholders(3, from.len())
    );
    let now = Utc::now();
    let adoption = step.adoption;
    let result: Result<PlanStatus, TransitionError> = on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let mut update = sqlx::query(&sql).bind(target.as_str()).bind(plan);
        for state in &from {
            update = update.bind(*state);
        }
        if update.execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(TransitionError::WrongState);
        }
        let mut revision: Option<i64> = None;
        if let Some(snapshot) = &snapshot {
            let number: i32 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM plan_revisions WHERE plan_id = $1",
            )
            .bind(plan)
            .fetch_one(&mut *tx)
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
                .fetch_one(&mut *tx)
                .await?,
            );
            sqlx::query("UPDATE plans SET submitted_at = $1 WHERE id = $2")
                .bind(now)
                .bind(plan)
                .execute(&mut *tx)
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
        .bind(step.action.as_str())
        .bind(step.comment)
        .bind(revision)
        .bind(adoption.map(|a| a.meeting_on))
        .bind(adoption.map(|a| a.present as i32))
        .bind(adoption.map(|a| a.total as i32))
        .bind(adoption.map(|a| a.votes_for as i32))
        .bind(adoption.map(|a| a.votes_against as i32))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(target)
    }.await);
    result
}

/// One entry of a plan's timeline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub action: String,
    pub comment: String,
    pub revision_number: Option<i32>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub total: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
}

impl Event {
    pub fn label(&self) -> &'static str {
        Action::parse(&self.action).map(Action::label).unwrap_or("")
    }

    /// The adoption meeting, for an "adopt" event.
    pub fn adoption(&self) -> Option<String> {
        match (
            self.meeting_on,
            self.present,
            self.total,
            self.votes_for,
            self.votes_against,
        ) {
            (Some(day), Some(present), Some(total), Some(yes), Some(no)) => Some(
                Adoption {
                    meeting_on: day,
                    present: present.unsigned_abs(),
                    total: total.unsigned_abs(),
                    votes_for: yes.unsigned_abs(),
                    votes_against: no.unsigned_abs(),
                }
                .summary(),
            ),
            _ => None,
        }
    }
}

/// The plan's transitions, oldest first.
pub async fn events(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Event>> {
    on_pool!(db, pool => sqlx::query_as::<_, Event>(
        "SELECT e.at, u.full_name AS user_name, e.action, e.comment, r.number AS revision_number, \
           e.meeting_on, e.present, e.total, e.votes_for, e.votes_against \
         FROM plan_events e LEFT JOIN users u ON u.id = e.user_id \
         LEFT JOIN plan_revisions r ON r.id = e.revision_id \
         WHERE e.plan_id = $1 ORDER BY e.id",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    id: i64,
    plan_id: i64,
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

/// The plan's revisions, newest first.
pub async fn revisions(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Revision>> {
    let rows: Vec<RevisionRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, plan_id, number, submitted_at, snapshot FROM plan_revisions \
         WHERE plan_id = $1 ORDER BY number DESC",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(Revision::try_from).collect()
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
    pub plan_id: i64,
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

/// Issued directive plans of `year` (or of any year) from the committees above `cell`,
/// nearest committee last.
pub async fn directives_above(db: &Db, cell: &Org, year: Option<i32>) -> sqlx::Result<Vec<PlanId>> {
    let mut ancestors = cell.path.ids();
    ancestors.pop();
    if ancestors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id FROM plans p JOIN orgs o ON o.id = p.org_id \
                  WHERE p.status = 'issued' AND ($1 IS NULL OR p.year = $1) AND p.org_id IN ({}) \
         ORDER BY p.year DESC, LENGTH(o.path), p.id",
        placeholders(2, ancestors.len())
    );
    on_pool!(db, pool => {
        let mut query = sqlx::query_scalar(&sql).bind(year);
        for id in &ancestors {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })
}

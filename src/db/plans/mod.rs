//! Plans with their sections, topics, steps and assignments, and their change history.
//!
//! A plan is saved part by part (the header, one section, one topic …). Each save bumps the
//! plan's version and records the part it changed; a save made from an older version conflicts
//! only if the same part changed since, so two people editing different sections both succeed.
//! Reading is here (a plan whole: [`load`]); writing (in a caller's transaction) is in [`write`].

mod load;
mod record;
mod write;

pub use load::{Placed, get, get_placed, load};
pub use record::{Record, Window, record};
pub use write::{
    Inserted, Written, create, insert, is_taken_in, lock_status, mark_step, next_serial, save,
    taken_in, topic_assigned,
};

use chrono::{DateTime, NaiveDate, Utc};

use super::json;
use super::{Db, corrupt, on_pool};
use crate::domain::calendar::{Due, Quarter, YearMonth};
use crate::domain::member::MemberId;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{
    DocNumber, PlanId, PlanStatus, Presenter, StepId, Topic, TopicId, TopicSource,
};
pub use crate::domain::plan_edit::{Change, Edit};
use crate::domain::user::UserId;

#[derive(sqlx::FromRow)]
struct ChangeRow {
    version: i64,
    part: String,
    at: DateTime<Utc>,
    user_name: Option<String>,
    summary: String,
}

impl From<ChangeRow> for Change {
    fn from(row: ChangeRow) -> Self {
        Change {
            version: row.version,
            part: row.part,
            at: row.at,
            user_name: row.user_name,
            summary: row.summary,
        }
    }
}

const CHANGE_COLUMNS: &str = "c.version, c.part, c.at, u.full_name AS user_name, c.summary FROM plan_changes c \
     LEFT JOIN users u ON u.id = c.user_id";

pub(crate) fn due_of(date: Option<NaiveDate>, exact: bool) -> Option<Due> {
    date.map(|d| {
        if exact {
            Due::Date(d)
        } else {
            Due::Month(YearMonth::of(d))
        }
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone saved the same part since the form was drawn.
    #[error("conflicting change")]
    Conflict(Vec<Change>),
    #[error("document number already used")]
    NumberTaken,
    #[error("this cell already has a plan for that year")]
    YearTaken,
    /// The plan or topic no longer exists.
    #[error("gone")]
    Gone,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

fn classify(error: sqlx::Error) -> SaveError {
    match error
        .as_database_error()
        .and_then(|e| e.constraint().map(str::to_owned))
    {
        Some(name) if name.contains("plans_number") => SaveError::NumberTaken,
        Some(name) if name.contains("plans_org_year") => SaveError::YearTaken,
        _ if super::is_unique_violation(&error) => {
            // SQLite names the columns, not the index.
            let message = error
                .as_database_error()
                .map(|e| e.message().to_owned())
                .unwrap_or_default();
            if message.contains("number_serial") {
                SaveError::NumberTaken
            } else {
                SaveError::YearTaken
            }
        }
        _ => SaveError::Sqlx(error),
    }
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct TopicRow {
    id: TopicId,
    title: String,
    content: String,
    quarter: Option<i32>,
    session_on: Option<NaiveDate>,
    #[serde(deserialize_with = "json::flag")]
    session_exact: bool,
    presenter_member_id: Option<MemberId>,
    presenter_name: Option<String>,
    presenter_text: Option<String>,
    mandate: Option<String>,
    materials: String,
    mandated_topic_id: Option<TopicId>,
    deadline_text: Option<String>,
}

impl TopicRow {
    /// The topic, without its steps.
    fn into_topic(self) -> Topic {
        let presenter = match (
            self.presenter_member_id,
            self.presenter_name,
            self.presenter_text,
        ) {
            (Some(id), Some(name), _) => Presenter::Member { id, name },
            (_, _, Some(text)) => Presenter::Group(text),
            _ => Presenter::Nobody,
        };
        Topic {
            id: self.id,
            title: self.title,
            content: self.content,
            quarter: self
                .quarter
                .and_then(|q| u8::try_from(q).ok())
                .and_then(Quarter::new),
            session: due_of(self.session_on, self.session_exact),
            presenter,
            source: self
                .mandate
                .map(TopicSource::Mandated)
                .unwrap_or(TopicSource::Own),
            materials: self.materials,
            steps: Vec::new(),
            mandated_from: self.mandated_topic_id,
            deadline: self.deadline_text.unwrap_or_default(),
        }
    }
}

const TOPICS: &str = "SELECT t.id, t.title, t.content, t.quarter, t.session_on, t.session_exact, \
       t.presenter_member_id, m.full_name AS presenter_name, t.presenter_text, t.mandate, \
       t.materials, t.mandated_topic_id, t.deadline_text \
     FROM topics t LEFT JOIN members m ON m.id = t.presenter_member_id";

#[derive(sqlx::FromRow)]
struct MandatedRow {
    directive_id: PlanId,
    directive_year: i32,
    number_serial: Option<i32>,
    number_kind: Option<String>,
    number_issuer: Option<String>,
    committee: String,
    #[sqlx(flatten)]
    topic: TopicRow,
}

/// The topics (without steps) of the issued directive plans of `year` from the committees
/// above `cell`, each with its directive, in one statement: newest year first, then nearest
/// committee last, then each directive's topics in their order.
pub async fn mandated_above(
    db: &Db,
    cell: &Org,
    year: Year,
) -> sqlx::Result<Vec<(super::review::Directive, Topic)>> {
    let mut ancestors = cell.path.ids();
    ancestors.pop();
    if ancestors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id AS directive_id, p.year AS directive_year, p.number_serial, p.number_kind, \
           p.number_issuer, o.name AS committee, {} \
         JOIN plans p ON p.id = t.plan_id JOIN orgs o ON o.id = p.org_id \
         WHERE p.status = 'issued' AND p.year = $1 AND p.org_id IN ({}) \
         ORDER BY p.year DESC, LENGTH(o.path), p.id, t.position, t.id",
        TOPICS.trim_start_matches("SELECT "),
        super::placeholders(2, ancestors.len())
    );
    let rows: Vec<MandatedRow> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(year.get());
        for id in &ancestors {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| {
            let number = super::doc_number(row.number_serial, row.number_kind, row.number_issuer)?;
            let directive = super::review::Directive {
                id: row.directive_id,
                year: row.directive_year,
                number,
                committee: row.committee,
            };
            Ok((directive, row.topic.into_topic()))
        })
        .collect()
}

/// A plan as listed on its cell's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Summary {
    pub id: i64,
    pub year: i32,
    pub status: String,
    pub number_serial: Option<i32>,
    pub number_kind: Option<String>,
    pub number_issuer: Option<String>,
    pub topics: i64,
}

impl Summary {
    pub fn status_label(&self) -> &'static str {
        PlanStatus::parse(&self.status)
            .map(PlanStatus::label)
            .unwrap_or("")
    }

    pub fn number(&self) -> Option<String> {
        match (&self.number_serial, &self.number_kind, &self.number_issuer) {
            (Some(serial), Some(kind), Some(issuer)) => {
                Some(format!("{serial:02}-{kind}/{issuer}"))
            }
            _ => None,
        }
    }
}

pub async fn list_for_org(db: &Db, org: OrgId) -> sqlx::Result<Vec<Summary>> {
    on_pool!(db, pool => sqlx::query_as::<_, Summary>(
        "SELECT p.id, p.year, p.status, p.number_serial, p.number_kind, p.number_issuer, \
           (SELECT COUNT(*) FROM topics t WHERE t.plan_id = p.id) AS topics \
         FROM plans p WHERE p.org_id = $1 ORDER BY p.year DESC",
    )
    .bind(org)
    .fetch_all(pool)
    .await)
}

pub async fn find(db: &Db, org: OrgId, year: Year) -> sqlx::Result<Option<PlanId>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT id FROM plans WHERE org_id = $1 AND year = $2")
        .bind(org)
        .bind(year.get())
        .fetch_optional(pool)
        .await)
}

/// True when another plan of `org` in that term already has this number: an annual or
/// directive plan, or a model-session plan (one series per kind, as
/// [`super::model_sessions::number_taken`] counts it from the other side).
pub async fn number_taken(
    db: &Db,
    org: OrgId,
    term_start: Year,
    number: &DocNumber,
    except: PlanId,
) -> sqlx::Result<bool> {
    let count: i64 = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM plans WHERE org_id = $1 AND term_start = $2 \
             AND number_kind = $3 AND number_serial = $4 AND id <> $5) \
          + (SELECT COUNT(*) FROM model_plans WHERE org_id = $1 AND term_start = $2 \
             AND number_kind = $3 AND number_serial = $4)",
    )
    .bind(org)
    .bind(term_start.get())
    .bind(number.kind.as_str())
    .bind(number.serial as i32)
    .bind(except)
    .fetch_one(pool)
    .await)?;
    Ok(count > 0)
}

pub async fn term_start(db: &Db, plan: PlanId) -> sqlx::Result<Option<Year>> {
    let year: Option<i32> = on_pool!(db, pool => sqlx::query_scalar("SELECT term_start FROM plans WHERE id = $1")
        .bind(plan)
        .fetch_optional(pool)
        .await)?;
    year.map(|y| Year::new(y).map_err(|_| corrupt("term year")))
        .transpose()
}

/// The plan's history, newest first.
pub async fn history(db: &Db, plan: PlanId) -> sqlx::Result<Vec<Change>> {
    let sql =
        format!("SELECT {CHANGE_COLUMNS} WHERE c.plan_id = $1 ORDER BY c.version DESC, c.id DESC");
    let rows: Vec<ChangeRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(plan).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(Change::from).collect())
}

/// The plan and topic a step belongs to.
pub async fn step_owner(db: &Db, step: StepId) -> sqlx::Result<Option<(PlanId, TopicId)>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT t.plan_id, s.topic_id FROM steps s JOIN topics t ON t.id = s.topic_id WHERE s.id = $1",
    )
    .bind(step)
    .fetch_optional(pool)
    .await)
}

pub async fn topic_plan(db: &Db, topic: TopicId) -> sqlx::Result<Option<PlanId>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT plan_id FROM topics WHERE id = $1")
        .bind(topic)
        .fetch_optional(pool)
        .await)
}

/// A step or topic assigned to a member, for "Việc của tôi".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkRow {
    pub plan_id: i64,
    pub year: i32,
    pub cell_name: String,
    pub topic_id: i64,
    pub topic_title: String,
    /// None for a topic one presents (its session is the due date).
    pub step_id: Option<i64>,
    pub label: String,
    pub due_on: Option<NaiveDate>,
    pub due_exact: bool,
    pub done_on: Option<NaiveDate>,
}

impl WorkRow {
    pub fn due(&self) -> Option<Due> {
        due_of(self.due_on, self.due_exact)
    }
}

/// Every step assigned to, and every topic presented by, the members linked to `user`.
pub async fn work_of(db: &Db, user: UserId) -> sqlx::Result<Vec<WorkRow>> {
    on_pool!(db, pool => sqlx::query_as::<_, WorkRow>(
        "SELECT p.id AS plan_id, p.year, o.name AS cell_name, t.id AS topic_id, t.title AS topic_title, \
           s.id AS step_id, s.label, s.due_on, s.due_exact, s.done_on \
         FROM members m \
         JOIN step_assignees a ON a.member_id = m.id \
         JOIN steps s ON s.id = a.step_id \
         JOIN topics t ON t.id = s.topic_id \
         JOIN plans p ON p.id = t.plan_id \
         JOIN orgs o ON o.id = p.org_id \
         WHERE m.user_id = $1 AND m.active \
         UNION ALL \
         SELECT p.id, p.year, o.name, t.id, t.title, NULL, 'Trình bày chuyên đề', t.session_on, \
           t.session_exact, NULL \
         FROM members m \
         JOIN topics t ON t.presenter_member_id = m.id \
         JOIN plans p ON p.id = t.plan_id \
         JOIN orgs o ON o.id = p.org_id \
         WHERE m.user_id = $1 AND m.active",
    )
    .bind(user)
    .fetch_all(pool)
    .await)
}

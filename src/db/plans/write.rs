//! Writing plans, inside a transaction the caller (a use case of `crate::app`) opened, so that
//! what goes with a write (its history entry, the notifications it causes) commits with it.

use chrono::{NaiveDate, Utc};

use super::{CHANGE_COLUMNS, ChangeRow, SaveError, classify};
use crate::db::{BeginWrite, Db, Tx, on_pool, on_tx};
use crate::domain::calendar::Due;
use crate::domain::member::MemberId;
use crate::domain::org::{OrgId, Year};
use crate::domain::plan::{
    Plan, PlanId, PlanStatus, Presenter, StepId, TextSection, TopicId, TopicSource,
};
use crate::domain::plan_edit::{Assigned, Change, Edit, created_summary, progress_summary};
use crate::domain::user::UserId;

fn due_columns(due: Option<Due>) -> (Option<NaiveDate>, bool) {
    match due {
        None => (None, false),
        Some(Due::Month(month)) => (Some(month.first_day()), false),
        Some(Due::Date(date)) => (Some(date), true),
    }
}

fn presenter_columns(presenter: &Presenter) -> (Option<MemberId>, Option<&str>) {
    match presenter {
        Presenter::Nobody => (None, None),
        Presenter::Member { id, .. } => (Some(*id), None),
        Presenter::Group(text) => (None, Some(text.as_str())),
    }
}

fn mandate_column(source: &TopicSource) -> Option<&str> {
    match source {
        TopicSource::Own => None,
        TopicSource::Mandated(text) => Some(text),
    }
}

// The statements below run inside transactions on either backend; macros let one text serve
// both connection types.

macro_rules! replace_texts {
    ($tx:expr, $plan:expr, $section:expr, $paragraphs:expr) => {{
        sqlx::query("DELETE FROM plan_texts WHERE plan_id = $1 AND section = $2")
            .bind($plan)
            .bind($section.as_str())
            .execute(&mut *$tx)
            .await?;
        for (position, body) in $paragraphs.iter().enumerate() {
            sqlx::query(
                "INSERT INTO plan_texts (plan_id, section, position, body) VALUES ($1, $2, $3, $4)",
            )
            .bind($plan)
            .bind($section.as_str())
            .bind(position as i32)
            .bind(body.as_str())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! replace_basis {
    ($tx:expr, $plan:expr, $docs:expr) => {{
        sqlx::query("DELETE FROM plan_basis WHERE plan_id = $1")
            .bind($plan)
            .execute(&mut *$tx)
            .await?;
        for (position, doc) in $docs.iter().enumerate() {
            sqlx::query(
                "INSERT INTO plan_basis (plan_id, position, kind, number, issued_on, issuer, subject) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind($plan)
            .bind(position as i32)
            .bind(doc.kind.as_str())
            .bind(doc.number.as_str())
            .bind(doc.date)
            .bind(doc.issuer.as_str())
            .bind(doc.subject.as_str())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! replace_recipients {
    ($tx:expr, $plan:expr, $recipients:expr) => {{
        sqlx::query("DELETE FROM plan_recipients WHERE plan_id = $1")
            .bind($plan)
            .execute(&mut *$tx)
            .await?;
        for (position, recipient) in $recipients.iter().enumerate() {
            sqlx::query(
                "INSERT INTO plan_recipients (plan_id, position, name, for_report) VALUES ($1, $2, $3, $4)",
            )
            .bind($plan)
            .bind(position as i32)
            .bind(recipient.name.as_str())
            .bind(recipient.for_report)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! set_assignees {
    ($tx:expr, $step:expr, $assignees:expr) => {{
        sqlx::query("DELETE FROM step_assignees WHERE step_id = $1")
            .bind($step)
            .execute(&mut *$tx)
            .await?;
        for assignee in $assignees.iter() {
            sqlx::query("INSERT INTO step_assignees (step_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind($step)
                .bind(assignee.member)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

macro_rules! insert_step {
    ($tx:expr, $topic:expr, $position:expr, $step:expr) => {{
        let (due_on, due_exact) = due_columns($step.due);
        let id: StepId = sqlx::query_scalar(
            "INSERT INTO steps (topic_id, position, kind, label, due_on, due_exact, note, done_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind($topic)
        .bind($position as i32)
        .bind($step.kind.as_str())
        .bind($step.label.as_str())
        .bind(due_on)
        .bind(due_exact)
        .bind($step.note.as_str())
        .bind($step.done_on)
        .fetch_one(&mut *$tx)
        .await?;
        set_assignees!($tx, id, $step.assignees);
        id
    }};
}

macro_rules! write_topic_fields {
    ($tx:expr, $id:expr, $topic:expr) => {{
        let (session_on, session_exact) = due_columns($topic.session);
        let (presenter_member, presenter_text) = presenter_columns(&$topic.presenter);
        sqlx::query(
            "UPDATE topics SET title = $1, content = $2, quarter = $3, session_on = $4, \
               session_exact = $5, presenter_member_id = $6, presenter_text = $7, mandate = $8, \
               materials = $9, mandated_topic_id = $10, deadline_text = $11 WHERE id = $12",
        )
        .bind($topic.title.as_str())
        .bind($topic.content.as_str())
        .bind($topic.quarter.map(|q| i32::from(q.get())))
        .bind(session_on)
        .bind(session_exact)
        .bind(presenter_member)
        .bind(presenter_text)
        .bind(mandate_column(&$topic.source))
        .bind($topic.materials.as_str())
        .bind($topic.mandated_from)
        .bind(Some($topic.deadline.as_str()).filter(|d| !d.is_empty()))
        .bind($id)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
    }};
}

/// Appends to the plan's history.
macro_rules! record_change {
    ($tx:expr, $plan:expr, $version:expr, $part:expr, $by:expr, $summary:expr) => {
        sqlx::query(
            "INSERT INTO plan_changes (plan_id, version, part, at, user_id, summary) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($plan)
        .bind($version)
        .bind($part)
        .bind(Utc::now())
        .bind($by)
        .bind($summary)
        .execute(&mut *$tx)
        .await?
    };
}

macro_rules! insert_topic {
    ($tx:expr, $plan:expr, $topic:expr) => {{
        let id: TopicId = sqlx::query_scalar(
            "INSERT INTO topics (plan_id, position, title, content, materials) \
             VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM topics WHERE plan_id = $1), '', '', '') \
             RETURNING id",
        )
        .bind($plan)
        .fetch_one(&mut *$tx)
        .await?;
        write_topic_fields!($tx, id, $topic);
        for (position, step) in $topic.steps.iter().enumerate() {
            insert_step!($tx, id, position, step);
        }
        id
    }};
}

/// Stores a whole plan (a new one: blank, copied, or from the demo) in its own transaction
/// and returns its id.
pub async fn create(
    db: &Db,
    plan: &Plan,
    term_start: Year,
    by: Option<UserId>,
) -> Result<PlanId, SaveError> {
    let mut tx = db.begin_write().await?;
    let inserted = insert(&mut tx, plan, term_start, by).await?;
    tx.commit().await?;
    Ok(inserted.plan)
}

/// The next free serial for a plan of `org` in the term that started in `term_start`, read
/// inside the transaction that stores the plan (on SQLite it holds the write lock; on
/// PostgreSQL a concurrent taker makes the insert fail with `NumberTaken`, and it is retried).
pub async fn next_serial(tx: &mut Tx, org: OrgId, term_start: Year) -> sqlx::Result<u32> {
    let max: Option<i32> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT MAX(number_serial) FROM plans WHERE org_id = $1 AND term_start = $2 AND number_kind = 'KH'",
    )
    .bind(org)
    .bind(term_start.get())
    .fetch_one(conn)
    .await)?;
    Ok(max.map_or(1, |n| u32::try_from(n).unwrap_or(0) + 1))
}

/// A plan just stored: its id and its topics' ids, in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    pub plan: PlanId,
    pub topics: Vec<TopicId>,
}

/// A saved edit: the plan's new version, and the id of the topic it added, if it added one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub version: i64,
    pub new_topic: Option<TopicId>,
}

/// Stores a whole plan inside `tx`.
pub async fn insert(
    tx: &mut Tx,
    plan: &Plan,
    term_start: Year,
    by: Option<UserId>,
) -> Result<Inserted, SaveError> {
    let summary = created_summary(plan.year);
    let result: sqlx::Result<Inserted> = on_tx!(tx, conn => async {
        let now = Utc::now();
        let number = plan.number.as_ref();
        let id: PlanId = sqlx::query_scalar(
            "INSERT INTO plans (org_id, year, version, status, term_start, number_serial, number_kind, \
               number_issuer, place, issued_on, subject, basis_lead, basis_closing, archive, \
               sign_authority, sign_title, signer_member_id, signer_name, created_at, updated_at, \
               cell_path) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, \
               (SELECT path FROM orgs WHERE id = $1 AND kind = 'cell')) \
             RETURNING id",
        )
        .bind(plan.org_id)
        .bind(plan.year.get())
        .bind(plan.status.as_str())
        .bind(term_start.get())
        .bind(number.map(|n| n.serial as i32))
        .bind(number.map(|n| n.kind.as_str()))
        .bind(number.map(|n| n.issuer.as_str()))
        .bind(plan.place.as_str())
        .bind(plan.issued_on)
        .bind(plan.subject.as_str())
        .bind(plan.basis_lead.as_str())
        .bind(plan.basis_closing.as_str())
        .bind(plan.archive.as_str())
        .bind(plan.signature.authority.as_str())
        .bind(plan.signature.title.as_str())
        .bind(plan.signature.signer)
        .bind(plan.signature.signer_name.as_str())
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        for section in TextSection::ALL {
            replace_texts!(conn, id, section, section.of(plan));
        }
        replace_basis!(conn, id, plan.basis);
        replace_recipients!(conn, id, plan.recipients);
        let mut topics = Vec::with_capacity(plan.topics.len());
        for topic in &plan.topics {
            topics.push(insert_topic!(conn, id, topic));
        }
        record_change!(conn, id, 1i64, "create", by, summary.as_str());
        Ok(Inserted { plan: id, topics })
    }.await);
    result.map_err(classify)
}

/// Applies one edit made from `base_version` inside `tx`, or explains why it cannot be (then
/// the caller drops `tx`, which rolls back what the edit began).
pub async fn save(
    tx: &mut Tx,
    plan: PlanId,
    base_version: i64,
    edit: &Edit,
    by: Option<UserId>,
) -> Result<Written, SaveError> {
    let part = edit.part();
    let summary = edit.summary();
    let conflict_sql = format!(
        "SELECT {CHANGE_COLUMNS} WHERE c.plan_id = $1 AND c.version > $2 AND c.part = $3 \
         ORDER BY c.version"
    );
    on_tx!(tx, conn => async {
        // Taking the new version first also locks the plan's row until commit (PostgreSQL).
        let Some(version): Option<i64> = sqlx::query_scalar(
            "UPDATE plans SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING version",
        )
        .bind(plan)
        .bind(Utc::now())
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Err(SaveError::Gone);
        };
        // A new topic is a part of its own: it conflicts with nothing.
        if let Some(part) = &part {
            let conflicts: Vec<ChangeRow> = sqlx::query_as(&conflict_sql)
                .bind(plan)
                .bind(base_version)
                .bind(part)
                .fetch_all(&mut *conn)
                .await?;
            if !conflicts.is_empty() {
                return Err(SaveError::Conflict(conflicts.into_iter().map(Change::from).collect()));
            }
        }
        let mut new_topic = None;
        match edit {
            Edit::Header { number, place, issued_on, subject } => {
                sqlx::query(
                    "UPDATE plans SET number_serial = $1, number_kind = $2, number_issuer = $3, \
                       place = $4, issued_on = $5, subject = $6 WHERE id = $7",
                )
                .bind(number.as_ref().map(|n| n.serial as i32))
                .bind(number.as_ref().map(|n| n.kind.as_str()))
                .bind(number.as_ref().map(|n| n.issuer.as_str()))
                .bind(place.as_str())
                .bind(issued_on)
                .bind(subject.as_str())
                .bind(plan)
                .execute(&mut *conn)
                .await
                .map_err(classify)?;
            }
            Edit::Basis { lead, docs, closing } => {
                sqlx::query("UPDATE plans SET basis_lead = $1, basis_closing = $2 WHERE id = $3")
                    .bind(lead.as_str())
                    .bind(closing.as_str())
                    .bind(plan)
                    .execute(&mut *conn)
                    .await?;
                replace_basis!(conn, plan, docs);
            }
            Edit::AddBasisDocs(docs) => {
                for doc in docs {
                    sqlx::query(
                        "INSERT INTO plan_basis (plan_id, position, kind, number, issued_on, issuer, subject) \
                         VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM plan_basis WHERE plan_id = $1), \
                           $2, $3, $4, $5, $6)",
                    )
                    .bind(plan)
                    .bind(doc.kind.as_str())
                    .bind(doc.number.as_str())
                    .bind(doc.date)
                    .bind(doc.issuer.as_str())
                    .bind(doc.subject.as_str())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Edit::Texts { section, paragraphs } => replace_texts!(conn, plan, section, paragraphs),
            Edit::Recipients { recipients, archive } => {
                sqlx::query("UPDATE plans SET archive = $1 WHERE id = $2")
                    .bind(archive.as_str())
                    .bind(plan)
                    .execute(&mut *conn)
                    .await?;
                replace_recipients!(conn, plan, recipients);
            }
            Edit::AddRecipients(recipients) => {
                for recipient in recipients {
                    sqlx::query(
                        "INSERT INTO plan_recipients (plan_id, position, name, for_report) \
                         VALUES ($1, (SELECT COALESCE(MAX(position), -1) + 1 FROM plan_recipients WHERE plan_id = $1), $2, $3)",
                    )
                    .bind(plan)
                    .bind(recipient.name.as_str())
                    .bind(recipient.for_report)
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Edit::Signature(signature) => {
                sqlx::query(
                    "UPDATE plans SET sign_authority = $1, sign_title = $2, signer_member_id = $3, \
                       signer_name = $4 WHERE id = $5",
                )
                .bind(signature.authority.as_str())
                .bind(signature.title.as_str())
                .bind(signature.signer)
                .bind(signature.signer_name.as_str())
                .bind(plan)
                .execute(&mut *conn)
                .await?;
            }
            Edit::AddTopic(topic) => {
                new_topic = Some(insert_topic!(conn, plan, topic));
            }
            Edit::UpdateTopic(topic) | Edit::TopicDates { topic, .. } => {
                let owned: Option<TopicId> = sqlx::query_scalar("SELECT id FROM topics WHERE id = $1 AND plan_id = $2")
                    .bind(topic.id)
                    .bind(plan)
                    .fetch_optional(&mut *conn)
                    .await?;
                if owned.is_none() {
                    return Err(SaveError::Gone);
                }
                write_topic_fields!(conn, topic.id, topic);
                let existing: Vec<StepId> = sqlx::query_scalar("SELECT id FROM steps WHERE topic_id = $1")
                    .bind(topic.id)
                    .fetch_all(&mut *conn)
                    .await?;
                let kept: Vec<StepId> = topic.steps.iter().map(|s| s.id).filter(|id| !id.is_new()).collect();
                for id in existing.iter().filter(|id| !kept.contains(id)) {
                    sqlx::query("DELETE FROM steps WHERE id = $1").bind(*id).execute(&mut *conn).await?;
                }
                for (position, step) in topic.steps.iter().enumerate() {
                    if !step.id.is_new() && existing.contains(&step.id) {
                        // Progress (done_on) is not part of editing: it is kept as it is.
                        let (due_on, due_exact) = due_columns(step.due);
                        sqlx::query(
                            "UPDATE steps SET position = $1, kind = $2, label = $3, due_on = $4, \
                               due_exact = $5, note = $6 WHERE id = $7",
                        )
                        .bind(position as i32)
                        .bind(step.kind.as_str())
                        .bind(step.label.as_str())
                        .bind(due_on)
                        .bind(due_exact)
                        .bind(step.note.as_str())
                        .bind(step.id)
                        .execute(&mut *conn)
                        .await?;
                        set_assignees!(conn, step.id, step.assignees);
                    } else {
                        insert_step!(conn, topic.id, position, step);
                    }
                }
            }
            Edit::RemoveTopic(id) => {
                let removed = sqlx::query("DELETE FROM topics WHERE id = $1 AND plan_id = $2")
                    .bind(*id)
                    .bind(plan)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                if removed == 0 {
                    return Err(SaveError::Gone);
                }
            }
            Edit::MoveTopic { id, up } => {
                let order: Vec<TopicId> = sqlx::query_scalar("SELECT id FROM topics WHERE plan_id = $1 ORDER BY position, id")
                    .bind(plan)
                    .fetch_all(&mut *conn)
                    .await?;
                let Some(index) = order.iter().position(|t| t == id) else {
                    return Err(SaveError::Gone);
                };
                let other = if *up { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < order.len()) };
                if let Some(other) = other {
                    let mut order = order.clone();
                    order.swap(index, other);
                    for (position, topic) in order.iter().enumerate() {
                        sqlx::query("UPDATE topics SET position = $1 WHERE id = $2")
                            .bind(position as i32)
                            .bind(*topic)
                            .execute(&mut *conn)
                            .await?;
                    }
                }
            }
        }
        let recorded = edit.recorded_part(new_topic);
        record_change!(conn, plan, version, recorded.as_str(), by, summary.as_str());
        Ok(Written { version, new_topic })
    }.await)
}

/// Marks a step done on `done_on`, or not done. Progress is not an edit of the plan's text:
/// it does not bump the version, so it never conflicts with someone editing.
pub async fn mark_step(
    db: &Db,
    step: StepId,
    done_on: Option<NaiveDate>,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let conn = &mut *tx;
        let owner: Option<(PlanId, i64, String)> = sqlx::query_as(
            "SELECT t.plan_id, p.version, s.label FROM steps s JOIN topics t ON t.id = s.topic_id \
             JOIN plans p ON p.id = t.plan_id WHERE s.id = $1",
        )
        .bind(step)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((plan, version, label)) = owner else { return Ok(()) };
        sqlx::query("UPDATE steps SET done_on = $1, done_by = $2 WHERE id = $3")
            .bind(done_on)
            .bind(if done_on.is_some() { by } else { None })
            .bind(step)
            .execute(&mut *conn)
            .await?;
        let summary = progress_summary(&label, done_on);
        record_change!(conn, plan, version, "progress", by, summary.as_str());
        tx.commit().await?;
        Ok(())
    }.await)
}

/// Who the stored topic assigns (its presenter and each step's members), read inside the
/// transaction about to change it.
pub async fn topic_assigned(tx: &mut Tx, topic: TopicId) -> sqlx::Result<Assigned> {
    let presenter: Option<Option<MemberId>> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT presenter_member_id FROM topics WHERE id = $1",
    )
    .bind(topic)
    .fetch_optional(conn)
    .await)?;
    let steps: Vec<(StepId, MemberId)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT a.step_id, a.member_id FROM step_assignees a JOIN steps s ON s.id = a.step_id \
         WHERE s.topic_id = $1",
    )
    .bind(topic)
    .fetch_all(conn)
    .await)?;
    Ok(Assigned {
        presenter: presenter.flatten(),
        steps,
    })
}

/// The plan's status, read inside `tx` with the plan's row locked until commit (PostgreSQL;
/// SQLite's write transaction holds the database), so that the state an edit is judged by is
/// the state it is saved in. `None` when the plan does not exist.
pub async fn lock_status(tx: &mut Tx, plan: PlanId) -> sqlx::Result<Option<PlanStatus>> {
    let status: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "UPDATE plans SET status = status WHERE id = $1 RETURNING status",
    )
    .bind(plan)
    .fetch_optional(conn)
    .await)?;
    status
        .map(|s| PlanStatus::parse(&s).ok_or_else(|| crate::db::corrupt("plan status")))
        .transpose()
}

/// Whether a topic of some cell's plan was taken in from `topic` (a directive's topic).
pub async fn taken_in(tx: &mut Tx, topic: TopicId) -> sqlx::Result<bool> {
    let count: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM topics WHERE mandated_topic_id = $1",
    )
    .bind(topic)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// [`taken_in`] outside a transaction, for pages that say why a topic cannot be removed.
pub async fn is_taken_in(db: &Db, topic: TopicId) -> sqlx::Result<bool> {
    let count: i64 = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM topics WHERE mandated_topic_id = $1",
    )
    .bind(topic)
    .fetch_one(pool)
    .await)?;
    Ok(count > 0)
}

//! Plans with their sections, topics, steps and assignments, and their change history.
//!
//! A plan is saved part by part (the header, one section, one topic …). Each save bumps the
//! plan's version and records the part it changed; a save made from an older version conflicts
//! only if the same part changed since, so two people editing different sections both succeed.

use chrono::{DateTime, NaiveDate, Utc};

use super::{BeginWrite, Db, corrupt, on_pool};
use crate::domain::calendar::{Due, Quarter};
use crate::domain::member::MemberId;
use crate::domain::org::{OrgId, Year};
use crate::domain::plan::{
    Assignee, Authority, BasisDoc, BasisKind, DocNumber, Plan, PlanId, PlanStatus, Presenter,
    Recipient, Signature, SignerTitle, Step, StepId, StepKind, TextSection, Topic, TopicId,
    TopicSource,
};
use crate::domain::user::UserId;

/// One change to a plan.
#[derive(Debug, Clone)]
pub enum Edit {
    Header {
        number: Option<DocNumber>,
        place: String,
        issued_on: Option<NaiveDate>,
        subject: String,
    },
    Basis {
        lead: String,
        docs: Vec<BasisDoc>,
        closing: String,
    },
    Texts {
        section: TextSection,
        paragraphs: Vec<String>,
    },
    Recipients {
        recipients: Vec<Recipient>,
        archive: String,
    },
    Signature(Signature),
    /// A new topic (its `id` and its steps' ids are ignored).
    AddTopic(Topic),
    /// A topic and its steps as edited: steps with id 0 are new, missing ones are removed.
    UpdateTopic(Topic),
    RemoveTopic(TopicId),
    MoveTopic {
        id: TopicId,
        up: bool,
    },
}

impl Edit {
    /// The part of the plan the edit touches; concurrent edits of the same part conflict.
    pub fn part(&self) -> String {
        match self {
            Edit::Header { .. } => "header".into(),
            Edit::Basis { .. } => "basis".into(),
            Edit::Texts { section, .. } => format!("texts:{}", section.as_str()),
            Edit::Recipients { .. } => "recipients".into(),
            Edit::Signature(_) => "signature".into(),
            Edit::AddTopic(_) => "topics:add".into(),
            Edit::UpdateTopic(topic) => format!("topic:{}", topic.id),
            Edit::RemoveTopic(id) => format!("topic:{id}"),
            Edit::MoveTopic { .. } => "topics:order".into(),
        }
    }

    /// What the history shows.
    pub fn summary(&self) -> String {
        match self {
            Edit::Header { .. } => "Sửa số, ngày ban hành và trích yếu".into(),
            Edit::Basis { .. } => "Sửa căn cứ ban hành".into(),
            Edit::Texts { section, .. } => format!("Sửa mục “{}”", section.label()),
            Edit::Recipients { .. } => "Sửa nơi nhận".into(),
            Edit::Signature(_) => "Sửa người ký".into(),
            Edit::AddTopic(topic) => format!("Thêm chuyên đề “{}”", topic.title),
            Edit::UpdateTopic(topic) => format!("Sửa chuyên đề “{}”", topic.title),
            Edit::RemoveTopic(_) => "Xóa một chuyên đề".into(),
            Edit::MoveTopic { .. } => "Đổi thứ tự chuyên đề".into(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Change {
    pub version: i64,
    pub part: String,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub summary: String,
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

fn due_columns(due: Option<Due>) -> (Option<NaiveDate>, bool) {
    match due {
        None => (None, false),
        Some(Due::Month(month)) => (Some(month.first_day()), false),
        Some(Due::Date(date)) => (Some(date), true),
    }
}

fn due_of(date: Option<NaiveDate>, exact: bool) -> Option<Due> {
    date.map(|d| {
        if exact {
            Due::Date(d)
        } else {
            Due::Month(crate::domain::calendar::YearMonth::of(d))
        }
    })
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
        let id: i64 = sqlx::query_scalar(
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

macro_rules! insert_topic {
    ($tx:expr, $plan:expr, $topic:expr) => {{
        let id: i64 = sqlx::query_scalar(
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

/// Stores a whole plan (a new one: blank, copied, or from the demo) and returns its id.
pub async fn create(
    db: &Db,
    plan: &Plan,
    term_start: Year,
    by: Option<UserId>,
) -> Result<PlanId, SaveError> {
    let result: sqlx::Result<PlanId> = on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let now = Utc::now();
        let number = plan.number.as_ref();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (org_id, year, version, status, term_start, number_serial, number_kind, \
               number_issuer, place, issued_on, subject, basis_lead, basis_closing, archive, \
               sign_authority, sign_title, signer_member_id, signer_name, created_at, updated_at) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
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
        .fetch_one(&mut *tx)
        .await?;
        for section in TextSection::ALL {
            replace_texts!(tx, id, section, section.of(plan));
        }
        replace_basis!(tx, id, plan.basis);
        replace_recipients!(tx, id, plan.recipients);
        for topic in &plan.topics {
            insert_topic!(tx, id, topic);
        }
        let summary = format!("Lập kế hoạch năm {}", plan.year);
        record_change(&mut tx, id, 1, "create", by, &summary).await?;
        tx.commit().await?;
        Ok(id)
    }.await);
    result.map_err(classify)
}

/// Appends to the plan's history (a generic helper: both transaction types implement it).
async fn record_change<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    plan: PlanId,
    version: i64,
    part: &str,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<()>
where
    DB: sqlx::Database,
    for<'e> &'e mut <DB as sqlx::Database>::Connection: sqlx::Executor<'e, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        "INSERT INTO plan_changes (plan_id, version, part, at, user_id, summary) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(plan)
    .bind(version)
    .bind(part)
    .bind(Utc::now())
    .bind(by)
    .bind(summary)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Applies one edit made from `base_version`, or explains why it cannot be.
pub async fn save(
    db: &Db,
    plan: PlanId,
    base_version: i64,
    edit: &Edit,
    by: Option<UserId>,
) -> Result<i64, SaveError> {
    let part = edit.part();
    let summary = edit.summary();
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        // Taking the new version first also locks the plan's row until commit (PostgreSQL).
        let Some(version): Option<i64> = sqlx::query_scalar(
            "UPDATE plans SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING version",
        )
        .bind(plan)
        .bind(Utc::now())
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Err(SaveError::Gone);
        };
        let conflicts: Vec<Change> = sqlx::query_as(
            "SELECT c.version, c.part, c.at, u.full_name AS user_name, c.summary FROM plan_changes c \
             LEFT JOIN users u ON u.id = c.user_id \
             WHERE c.plan_id = $1 AND c.version > $2 AND c.part = $3 ORDER BY c.version",
        )
        .bind(plan)
        .bind(base_version)
        .bind(&part)
        .fetch_all(&mut *tx)
        .await?;
        if !conflicts.is_empty() {
            return Err(SaveError::Conflict(conflicts));
        }
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
                .execute(&mut *tx)
                .await
                .map_err(classify)?;
            }
            Edit::Basis { lead, docs, closing } => {
                sqlx::query("UPDATE plans SET basis_lead = $1, basis_closing = $2 WHERE id = $3")
                    .bind(lead.as_str())
                    .bind(closing.as_str())
                    .bind(plan)
                    .execute(&mut *tx)
                    .await?;
                replace_basis!(tx, plan, docs);
            }
            Edit::Texts { section, paragraphs } => replace_texts!(tx, plan, section, paragraphs),
            Edit::Recipients { recipients, archive } => {
                sqlx::query("UPDATE plans SET archive = $1 WHERE id = $2")
                    .bind(archive.as_str())
                    .bind(plan)
                    .execute(&mut *tx)
                    .await?;
                replace_recipients!(tx, plan, recipients);
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
                .execute(&mut *tx)
                .await?;
            }
            Edit::AddTopic(topic) => {
                insert_topic!(tx, plan, topic);
            }
            Edit::UpdateTopic(topic) => {
                let owned: Option<i64> = sqlx::query_scalar("SELECT id FROM topics WHERE id = $1 AND plan_id = $2")
                    .bind(topic.id)
                    .bind(plan)
                    .fetch_optional(&mut *tx)
                    .await?;
                if owned.is_none() {
                    return Err(SaveError::Gone);
                }
                write_topic_fields!(tx, topic.id, topic);
                let existing: Vec<i64> = sqlx::query_scalar("SELECT id FROM steps WHERE topic_id = $1")
                    .bind(topic.id)
                    .fetch_all(&mut *tx)
                    .await?;
                let kept: Vec<StepId> = topic.steps.iter().map(|s| s.id).filter(|id| *id != 0).collect();
                for id in existing.iter().filter(|id| !kept.contains(id)) {
                    sqlx::query("DELETE FROM steps WHERE id = $1").bind(*id).execute(&mut *tx).await?;
                }
                for (position, step) in topic.steps.iter().enumerate() {
                    if step.id != 0 && existing.contains(&step.id) {
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
                        .execute(&mut *tx)
                        .await?;
                        set_assignees!(tx, step.id, step.assignees);
                    } else {
                        insert_step!(tx, topic.id, position, step);
                    }
                }
            }
            Edit::RemoveTopic(id) => {
                let removed = sqlx::query("DELETE FROM topics WHERE id = $1 AND plan_id = $2")
                    .bind(*id)
                    .bind(plan)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if removed == 0 {
                    return Err(SaveError::Gone);
                }
            }
            Edit::MoveTopic { id, up } => {
                let order: Vec<i64> = sqlx::query_scalar("SELECT id FROM topics WHERE plan_id = $1 ORDER BY position, id")
                    .bind(plan)
                    .fetch_all(&mut *tx)
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
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
        }
        record_change(&mut tx, plan, version, &part, by, &summary).await?;
        tx.commit().await?;
        Ok(version)
    }.await)
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    org_id: i64,
    year: i32,
    version: i64,
    status: String,
    number_serial: Option<i32>,
    number_kind: Option<String>,
    number_issuer: Option<String>,
    place: String,
    issued_on: Option<NaiveDate>,
    subject: String,
    basis_lead: String,
    basis_closing: String,
    archive: String,
    sign_authority: String,
    sign_title: String,
    signer_member_id: Option<i64>,
    signer_name: String,
}

#[derive(sqlx::FromRow)]
struct BasisRow {
    kind: String,
    number: String,
    issued_on: Option<NaiveDate>,
    issuer: String,
    subject: String,
}

#[derive(sqlx::FromRow)]
struct TopicRow {
    id: i64,
    title: String,
    content: String,
    quarter: Option<i32>,
    session_on: Option<NaiveDate>,
    session_exact: bool,
    presenter_member_id: Option<i64>,
    presenter_name: Option<String>,
    presenter_text: Option<String>,
    mandate: Option<String>,
    materials: String,
    mandated_topic_id: Option<i64>,
    deadline_text: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    id: i64,
    topic_id: i64,
    kind: String,
    label: String,
    due_on: Option<NaiveDate>,
    due_exact: bool,
    note: String,
    done_on: Option<NaiveDate>,
}

const PLAN_COLUMNS: &str = "id, org_id, year, version, status, number_serial, number_kind, \
     number_issuer, place, issued_on, subject, basis_lead, basis_closing, archive, sign_authority, \
     sign_title, signer_member_id, signer_name";

/// The whole plan, or `None`.
pub async fn get(db: &Db, id: PlanId) -> sqlx::Result<Option<Plan>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1");
    let row: Option<PlanRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    let Some(row) = row else { return Ok(None) };

    let texts: Vec<(String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT section, body FROM plan_texts WHERE plan_id = $1 ORDER BY section, position",
    ).bind(id).fetch_all(pool).await)?;
    let basis: Vec<BasisRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT kind, number, issued_on, issuer, subject FROM plan_basis WHERE plan_id = $1 ORDER BY position",
    ).bind(id).fetch_all(pool).await)?;
    let recipients: Vec<(String, bool)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT name, for_report FROM plan_recipients WHERE plan_id = $1 ORDER BY position",
    ).bind(id).fetch_all(pool).await)?;
    let topics: Vec<TopicRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT t.id, t.title, t.content, t.quarter, t.session_on, t.session_exact, \
           t.presenter_member_id, m.full_name AS presenter_name, t.presenter_text, t.mandate, t.materials, \
           t.mandated_topic_id, t.deadline_text \
         FROM topics t LEFT JOIN members m ON m.id = t.presenter_member_id \
         WHERE t.plan_id = $1 ORDER BY t.position, t.id",
    ).bind(id).fetch_all(pool).await)?;
    let steps: Vec<StepRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT s.id, s.topic_id, s.kind, s.label, s.due_on, s.due_exact, s.note, s.done_on \
         FROM steps s JOIN topics t ON t.id = s.topic_id WHERE t.plan_id = $1 ORDER BY s.position, s.id",
    ).bind(id).fetch_all(pool).await)?;
    let assignees: Vec<(i64, i64, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT a.step_id, m.id, m.full_name FROM step_assignees a \
         JOIN steps s ON s.id = a.step_id JOIN topics t ON t.id = s.topic_id \
         JOIN members m ON m.id = a.member_id WHERE t.plan_id = $1 ORDER BY m.full_name, m.id",
    ).bind(id).fetch_all(pool).await)?;

    let section_texts = |section: TextSection| -> Vec<String> {
        texts
            .iter()
            .filter(|(s, _)| s == section.as_str())
            .map(|(_, body)| body.clone())
            .collect()
    };
    let number = match (row.number_serial, row.number_kind, row.number_issuer) {
        (Some(serial), Some(kind), Some(issuer)) => Some(DocNumber {
            serial: u32::try_from(serial).map_err(|_| corrupt("document number"))?,
            kind,
            issuer,
        }),
        _ => None,
    };
    let mut topic_list = Vec::with_capacity(topics.len());
    for topic in topics {
        let presenter = match (
            topic.presenter_member_id,
            topic.presenter_name,
            topic.presenter_text,
        ) {
            (Some(id), Some(name), _) => Presenter::Member { id, name },
            (_, _, Some(text)) => Presenter::Group(text),
            _ => Presenter::Nobody,
        };
        let mut topic_steps = Vec::new();
        for step in steps.iter().filter(|s| s.topic_id == topic.id) {
            topic_steps.push(Step {
                id: step.id,
                kind: StepKind::parse(&step.kind).ok_or_else(|| corrupt("step kind"))?,
                label: step.label.clone(),
                due: due_of(step.due_on, step.due_exact),
                assignees: assignees
                    .iter()
                    .filter(|(s, _, _)| *s == step.id)
                    .map(|(_, member, name)| Assignee {
                        member: *member,
                        name: name.clone(),
                    })
                    .collect(),
                note: step.note.clone(),
                done_on: step.done_on,
            });
        }
        topic_list.push(Topic {
            id: topic.id,
            title: topic.title,
            content: topic.content,
            quarter: topic
                .quarter
                .and_then(|q| u8::try_from(q).ok())
                .and_then(Quarter::new),
            session: due_of(topic.session_on, topic.session_exact),
            presenter,
            source: topic
                .mandate
                .map(TopicSource::Mandated)
                .unwrap_or(TopicSource::Own),
            materials: topic.materials,
            steps: topic_steps,
            mandated_from: topic.mandated_topic_id,
            deadline: topic.deadline_text.unwrap_or_default(),
        });
    }
    Ok(Some(Plan {
        id: row.id,
        org_id: row.org_id,
        year: Year::new(row.year).map_err(|_| corrupt("plan year"))?,
        version: row.version,
        status: PlanStatus::parse(&row.status).ok_or_else(|| corrupt("plan status"))?,
        number,
        place: row.place,
        issued_on: row.issued_on,
        subject: row.subject,
        basis_lead: row.basis_lead,
        basis: basis
            .into_iter()
            .map(|b| {
                Ok(BasisDoc {
                    kind: BasisKind::parse(&b.kind).map_err(|_| corrupt("basis kind"))?,
                    number: b.number,
                    date: b.issued_on,
                    issuer: b.issuer,
                    subject: b.subject,
                })
            })
            .collect::<sqlx::Result<_>>()?,
        basis_closing: row.basis_closing,
        purposes: section_texts(TextSection::Purposes),
        requirements: section_texts(TextSection::Requirements),
        topics: topic_list,
        format: section_texts(TextSection::Format),
        materials: section_texts(TextSection::Materials),
        duties: section_texts(TextSection::Duties),
        recipients: recipients
            .into_iter()
            .map(|(name, for_report)| Recipient { name, for_report })
            .collect(),
        archive: row.archive,
        signature: Signature {
            authority: Authority::parse(&row.sign_authority).map_err(|_| corrupt("authority"))?,
            title: SignerTitle::parse(&row.sign_title).map_err(|_| corrupt("signer title"))?,
            signer: row.signer_member_id,
            signer_name: row.signer_name,
        },
    }))
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

/// The next free serial for a plan of `org` in the term that started in `term_start`.
pub async fn next_serial(db: &Db, org: OrgId, term_start: Year) -> sqlx::Result<u32> {
    let max: Option<i32> = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT MAX(number_serial) FROM plans WHERE org_id = $1 AND term_start = $2 AND number_kind = 'KH'",
    )
    .bind(org)
    .bind(term_start.get())
    .fetch_one(pool)
    .await)?;
    Ok(max.map_or(1, |n| u32::try_from(n).unwrap_or(0) + 1))
}

/// True when another plan of `org` in that term already has this number.
pub async fn number_taken(
    db: &Db,
    org: OrgId,
    term_start: Year,
    number: &DocNumber,
    except: PlanId,
) -> sqlx::Result<bool> {
    let count: i64 = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM plans WHERE org_id = $1 AND term_start = $2 AND number_kind = $3 \
           AND number_serial = $4 AND id <> $5",
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
    on_pool!(db, pool => sqlx::query_as::<_, Change>(
        "SELECT c.version, c.part, c.at, u.full_name AS user_name, c.summary FROM plan_changes c \
         LEFT JOIN users u ON u.id = c.user_id WHERE c.plan_id = $1 ORDER BY c.version DESC, c.id DESC",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)
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
        let owner: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT t.plan_id, p.version, s.label FROM steps s JOIN topics t ON t.id = s.topic_id \
             JOIN plans p ON p.id = t.plan_id WHERE s.id = $1",
        )
        .bind(step)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((plan, version, label)) = owner else { return Ok(()) };
        sqlx::query("UPDATE steps SET done_on = $1, done_by = $2 WHERE id = $3")
            .bind(done_on)
            .bind(if done_on.is_some() { by } else { None })
            .bind(step)
            .execute(&mut *tx)
            .await?;
        let summary = match done_on {
            Some(date) => format!("Đánh dấu hoàn thành “{label}” ngày {}", date.format("%d/%m/%Y")),
            None => format!("Bỏ đánh dấu hoàn thành “{label}”"),
        };
        record_change(&mut tx, plan, version, "progress", by, &summary).await?;
        tx.commit().await?;
        Ok(())
    }.await)
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

//! Plans with their sections, topics, steps and assignments, and their change history.
//!
//! A plan is saved part by part (the header, one section, one topic …). Each save bumps the
//! plan's version and records the part it changed; a save made from an older version conflicts
//! only if the same part changed since, so two people editing different sections both succeed.
//! Reading is here; writing (in a caller's transaction) is in [`write`].

mod record;
mod write;

pub use record::{Record, Window, record};
pub use write::{
    Inserted, Written, create, insert, is_taken_in, lock_status, mark_step, next_serial, save,
    taken_in, topic_assigned,
};

use chrono::{DateTime, NaiveDate, Utc};

use std::sync::LazyLock;

use super::json::{self, JsonSql};
use super::{Db, Tx, corrupt, on_pool, on_tx, orgs};
use crate::domain::calendar::{Due, Quarter, YearMonth};
use crate::domain::member::MemberId;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{
    Assignee, Authority, BasisDoc, BasisKind, DocNumber, Plan, PlanId, PlanStatus, Presenter,
    Recipient, Signature, SignerTitle, Step, StepId, StepKind, TextSection, Topic, TopicId,
    TopicSource,
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

fn due_of(date: Option<NaiveDate>, exact: bool) -> Option<Due> {
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

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: PlanId,
    org_id: OrgId,
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
    signer_member_id: Option<MemberId>,
    signer_name: String,
    texts: Option<String>,
    basis: Option<String>,
    recipients: Option<String>,
    topics: Option<String>,
    steps: Option<String>,
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

const PLAN_COLUMNS: &str = "p.id, p.org_id, p.year, p.version, p.status, p.number_serial, \
     p.number_kind, p.number_issuer, p.place, p.issued_on, p.subject, p.basis_lead, \
     p.basis_closing, p.archive, p.sign_authority, p.sign_title, p.signer_member_id, \
     p.signer_name";

/// The whole plan, or `None`: one statement, so one snapshot without a transaction.
pub async fn get(db: &Db, id: PlanId) -> sqlx::Result<Option<Plan>> {
    let row: Option<PlanRow> =
        on_pool!(db, pool => sqlx::query_as(PLAN.on(db)).bind(id).fetch_optional(pool).await)?;
    row.map(PlanRow::into_plan).transpose()
}

/// A plan with its org, read together for a page about the plan, and whether another plan of
/// the org's term already carries the plan's number (a blocking finding).
pub struct Placed {
    pub plan: Plan,
    pub org: Org,
    pub number_taken: bool,
}

#[derive(sqlx::FromRow)]
struct PlacedRow {
    #[sqlx(flatten)]
    plan: PlanRow,
    #[sqlx(flatten)]
    org: orgs::PrefixedRow,
    number_taken: bool,
}

/// [`get`] with the plan's org and its number check, still one statement.
pub async fn get_placed(db: &Db, id: PlanId) -> sqlx::Result<Option<Placed>> {
    let row: Option<PlacedRow> =
        on_pool!(db, pool => sqlx::query_as(PLACED.on(db)).bind(id).fetch_optional(pool).await)?;
    let Some(row) = row else { return Ok(None) };
    let org = row.org.into_org(row.plan.org_id)?;
    Ok(Some(Placed {
        plan: row.plan.into_plan()?,
        org,
        number_taken: row.number_taken,
    }))
}

/// A paragraph of one of the plan's text sections.
#[derive(serde::Deserialize)]
struct TextItem {
    section: String,
    body: String,
}

#[derive(serde::Deserialize)]
struct BasisItem {
    kind: String,
    number: String,
    issued_on: Option<NaiveDate>,
    issuer: String,
    subject: String,
}

#[derive(serde::Deserialize)]
struct RecipientItem {
    name: String,
    #[serde(deserialize_with = "json::flag")]
    for_report: bool,
}

/// A step with one of its assignees (or none), in order.
#[derive(serde::Deserialize)]
struct StepItem {
    id: StepId,
    topic_id: TopicId,
    kind: String,
    label: String,
    due_on: Option<NaiveDate>,
    #[serde(deserialize_with = "json::flag")]
    due_exact: bool,
    note: String,
    done_on: Option<NaiveDate>,
    member_id: Option<MemberId>,
    member_name: Option<String>,
}

const TOPICS: &str = "SELECT t.id, t.title, t.content, t.quarter, t.session_on, t.session_exact, \
       t.presenter_member_id, m.full_name AS presenter_name, t.presenter_text, t.mandate, \
       t.materials, t.mandated_topic_id, t.deadline_text \
     FROM topics t LEFT JOIN members m ON m.id = t.presenter_member_id";

/// The plan's columns and, as JSON arrays, its texts, basis, recipients, topics and steps with
/// their assignees (see [`json`]): the whole plan in one row.
fn plan_select() -> String {
    format!(
        "SELECT {PLAN_COLUMNS}, \
         CAST((SELECT json_agg(json_build_object('section', x.section, 'body', x.body) \
             ORDER BY x.section, x.position) \
           FROM plan_texts x WHERE x.plan_id = p.id) AS TEXT) AS texts, \
         CAST((SELECT json_agg(json_build_object('kind', b.kind, 'number', b.number, \
             'issued_on', b.issued_on, 'issuer', b.issuer, 'subject', b.subject) ORDER BY b.position) \
           FROM plan_basis b WHERE b.plan_id = p.id) AS TEXT) AS basis, \
         CAST((SELECT json_agg(json_build_object('name', r.name, 'for_report', r.for_report) \
             ORDER BY r.position) \
           FROM plan_recipients r WHERE r.plan_id = p.id) AS TEXT) AS recipients, \
         CAST((SELECT json_agg(json_build_object('id', t.id, 'title', t.title, \
             'content', t.content, 'quarter', t.quarter, 'session_on', t.session_on, \
             'session_exact', t.session_exact, 'presenter_member_id', t.presenter_member_id, \
             'presenter_name', m.full_name, 'presenter_text', t.presenter_text, \
             'mandate', t.mandate, 'materials', t.materials, \
             'mandated_topic_id', t.mandated_topic_id, 'deadline_text', t.deadline_text) \
             ORDER BY t.position, t.id) \
           FROM topics t LEFT JOIN members m ON m.id = t.presenter_member_id \
           WHERE t.plan_id = p.id) AS TEXT) AS topics, \
         CAST((SELECT json_agg(json_build_object('id', s.id, 'topic_id', s.topic_id, \
             'kind', s.kind, 'label', s.label, 'due_on', s.due_on, 'due_exact', s.due_exact, \
             'note', s.note, 'done_on', s.done_on, 'member_id', m.id, 'member_name', m.full_name) \
             ORDER BY s.position, s.id, m.full_name, m.id) \
           FROM steps s JOIN topics t ON t.id = s.topic_id \
           LEFT JOIN step_assignees a ON a.step_id = s.id \
           LEFT JOIN members m ON m.id = a.member_id \
           WHERE t.plan_id = p.id) AS TEXT) AS steps"
    )
}

static PLAN: LazyLock<JsonSql> =
    LazyLock::new(|| JsonSql::new(format!("{} FROM plans p WHERE p.id = $1", plan_select())));

static PLACED: LazyLock<JsonSql> = LazyLock::new(|| {
    JsonSql::new(format!(
        "{}, {}, EXISTS (SELECT 1 FROM plans q WHERE q.org_id = p.org_id \
           AND q.term_start = p.term_start AND q.number_kind = p.number_kind \
           AND q.number_serial = p.number_serial AND q.id <> p.id) AS number_taken \
         FROM plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1",
        plan_select(),
        orgs::PREFIXED_COLUMNS
    ))
});

/// The whole plan inside an open transaction (one statement, see [`get`]).
pub async fn load(tx: &mut Tx, id: PlanId) -> sqlx::Result<Option<Plan>> {
    let sql = PLAN.in_tx(tx);
    let row: Option<PlanRow> =
        on_tx!(tx, conn => sqlx::query_as(sql).bind(id).fetch_optional(conn).await)?;
    row.map(PlanRow::into_plan).transpose()
}

impl PlanRow {
    fn into_plan(self) -> sqlx::Result<Plan> {
        let row = self;
        let texts: Vec<TextItem> = json::list(row.texts.as_deref(), "plan texts")?;
        let basis: Vec<BasisItem> = json::list(row.basis.as_deref(), "plan basis")?;
        let recipients: Vec<RecipientItem> =
            json::list(row.recipients.as_deref(), "plan recipients")?;
        let topics: Vec<TopicRow> = json::list(row.topics.as_deref(), "plan topics")?;
        let steps: Vec<StepItem> = json::list(row.steps.as_deref(), "plan steps")?;

        let section_texts = |section: TextSection| -> Vec<String> {
            texts
                .iter()
                .filter(|l| l.section == section.as_str())
                .map(|l| l.body.clone())
                .collect()
        };
        let number = super::doc_number(row.number_serial, row.number_kind, row.number_issuer)?;
        let mut all_steps: Vec<(TopicId, Step)> = Vec::new();
        for row in steps {
            let assignee = match (row.member_id, row.member_name) {
                (Some(member), Some(name)) => Some(Assignee { member, name }),
                _ => None,
            };
            if let Some((_, step)) = all_steps.last_mut().filter(|(_, s)| s.id == row.id) {
                step.assignees.extend(assignee);
                continue;
            }
            all_steps.push((
                row.topic_id,
                Step {
                    id: row.id,
                    kind: StepKind::parse(&row.kind).ok_or_else(|| corrupt("step kind"))?,
                    label: row.label,
                    due: due_of(row.due_on, row.due_exact),
                    assignees: assignee.into_iter().collect(),
                    note: row.note,
                    done_on: row.done_on,
                },
            ));
        }
        let mut topic_list = Vec::with_capacity(topics.len());
        for row in topics {
            let mut topic = row.into_topic();
            topic.steps = all_steps
                .iter()
                .filter(|(owner, _)| *owner == topic.id)
                .map(|(_, step)| step.clone())
                .collect();
            topic_list.push(topic);
        }
        Ok(Plan {
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
                .map(|r| Recipient {
                    name: r.name,
                    for_report: r.for_report,
                })
                .collect(),
            archive: row.archive,
            signature: Signature {
                authority: Authority::parse(&row.sign_authority)
                    .map_err(|_| corrupt("authority"))?,
                title: SignerTitle::parse(&row.sign_title).map_err(|_| corrupt("signer title"))?,
                signer: row.signer_member_id,
                signer_name: row.signer_name,
            },
        })
    }
}

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

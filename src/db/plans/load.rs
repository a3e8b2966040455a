//! A plan read whole in one statement: its row with its texts, basis, recipients, topics and
//! steps (with their assignees) as JSON arrays (see [`super::super::json`]), so a page needs no
//! transaction to see it in one snapshot.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::super::json::{self, JsonSql};
use super::super::{Db, Tx, corrupt, on_pool, on_tx, orgs};
use super::{TopicRow, due_of};
use crate::domain::member::MemberId;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{
    Assignee, Authority, BasisDoc, BasisKind, Plan, PlanId, PlanStatus, Recipient, Signature,
    SignerTitle, Step, StepId, StepKind, TextSection, TopicId,
};

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
        "{}, {}, (EXISTS (SELECT 1 FROM plans q WHERE q.org_id = p.org_id \
           AND q.term_start = p.term_start AND q.number_kind = p.number_kind \
           AND q.number_serial = p.number_serial AND q.id <> p.id) \
           OR EXISTS (SELECT 1 FROM model_plans m WHERE m.org_id = p.org_id \
           AND m.term_start = p.term_start AND m.number_kind = p.number_kind \
           AND m.number_serial = p.number_serial)) AS number_taken \
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
        let number =
            super::super::doc_number(row.number_serial, row.number_kind, row.number_issuer)?;
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

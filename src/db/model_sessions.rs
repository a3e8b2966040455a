//! Model-session plans (migration 0014): the plan row with its text parts as one JSON value,
//! and its model sessions with their host cells.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, Tx, corrupt, doc_number, on_pool, on_tx};
use crate::domain::model_session::{
    Host, ModelKind, ModelPlanId, ModelPlanStatus, ModelSession, ModelSessionDraft, ModelSessionId,
    ModelSessionPlan,
};
use crate::domain::org::{OrgId, Year};
use crate::domain::plan::{DocNumber, TopicId};
use crate::domain::session::StartTime;
use crate::domain::user::UserId;

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: ModelPlanId,
    org_id: OrgId,
    year: i32,
    version: i64,
    status: String,
    number_serial: Option<i32>,
    number_kind: Option<String>,
    number_issuer: Option<String>,
    place: String,
    issued_on: Option<NaiveDate>,
    parts: String,
}

impl PlanRow {
    fn into_plan(self, sessions: Vec<ModelSession>) -> sqlx::Result<ModelSessionPlan> {
        Ok(ModelSessionPlan {
            id: self.id,
            org_id: self.org_id,
            year: Year::new(self.year).map_err(|_| corrupt("year"))?,
            version: self.version,
            status: ModelPlanStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            number: doc_number(self.number_serial, self.number_kind, self.number_issuer)?,
            place: self.place,
            issued_on: self.issued_on,
            parts: serde_json::from_str(&self.parts).map_err(|_| corrupt("model plan parts"))?,
            sessions,
        })
    }
}

const PLAN_COLUMNS: &str = "id, org_id, year, version, status, number_serial, number_kind, \
     number_issuer, place, issued_on, parts";

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: ModelSessionId,
    kind: String,
    host_org_id: OrgId,
    host_name: String,
    host_superior_name: String,
    held_on: NaiveDate,
    start_minute: i32,
    venue: String,
    address: String,
    topic_id: Option<TopicId>,
    topic_title: String,
}

impl TryFrom<SessionRow> for ModelSession {
    type Error = sqlx::Error;

    fn try_from(row: SessionRow) -> sqlx::Result<Self> {
        Ok(ModelSession {
            id: row.id,
            kind: ModelKind::parse(&row.kind).map_err(|_| corrupt("model session kind"))?,
            host: Host {
                id: row.host_org_id,
                name: row.host_name,
                superior_name: row.host_superior_name,
            },
            date: row.held_on,
            start: u16::try_from(row.start_minute)
                .ok()
                .and_then(StartTime::new)
                .ok_or_else(|| corrupt("start time"))?,
            venue: row.venue,
            address: row.address,
            topic: row.topic_id,
            topic_title: row.topic_title,
        })
    }
}

const SESSION_SELECT: &str = "SELECT s.id, s.kind, s.host_org_id, o.name AS host_name, \
       o.superior_name AS host_superior_name, s.held_on, s.start_minute, s.venue, s.address, \
       s.topic_id, s.topic_title \
     FROM model_sessions s JOIN orgs o ON o.id = s.host_org_id";

/// The plan with its sessions in their order.
pub async fn get(db: &Db, id: ModelPlanId) -> sqlx::Result<Option<ModelSessionPlan>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM model_plans WHERE id = $1");
    let row: Option<PlanRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let sql = format!("{SESSION_SELECT} WHERE s.plan_id = $1 ORDER BY s.position, s.id");
    let rows: Vec<SessionRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_all(pool).await)?;
    let sessions = rows
        .into_iter()
        .map(ModelSession::try_from)
        .collect::<sqlx::Result<_>>()?;
    row.into_plan(sessions).map(Some)
}

/// A line of a committee's list of model-session plans.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: ModelPlanId,
    pub year: i32,
    pub status: String,
    pub number_serial: Option<i32>,
    pub number_kind: Option<String>,
    pub number_issuer: Option<String>,
    pub sessions: i64,
}

impl Listed {
    pub fn number(&self) -> Option<DocNumber> {
        doc_number(
            self.number_serial,
            self.number_kind.clone(),
            self.number_issuer.clone(),
        )
        .ok()
        .flatten()
    }

    pub fn status_label(&self) -> &'static str {
        ModelPlanStatus::parse(&self.status)
            .map(ModelPlanStatus::label)
            .unwrap_or_default()
    }
}

/// The committee's model-session plans, newest first.
pub async fn of_org(db: &Db, org: OrgId) -> sqlx::Result<Vec<Listed>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT p.id, p.year, p.status, p.number_serial, p.number_kind, p.number_issuer, \
           (SELECT COUNT(*) FROM model_sessions s WHERE s.plan_id = p.id) AS sessions \
         FROM model_plans p WHERE p.org_id = $1 ORDER BY p.id DESC",
    )
    .bind(org)
    .fetch_all(pool)
    .await)
}

/// Whether another plan of the org's term (a model-session plan, or an annual or directive
/// plan: their numbers run through one series per kind) has this number.
pub async fn number_taken(
    db: &Db,
    org: OrgId,
    term_start: Year,
    number: &DocNumber,
    except: ModelPlanId,
) -> sqlx::Result<bool> {
    let count: i64 = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM model_plans WHERE org_id = $1 AND term_start = $2 \
             AND number_kind = $3 AND number_serial = $4 AND id <> $5) \
          + (SELECT COUNT(*) FROM plans WHERE org_id = $1 AND term_start = $2 \
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

fn number_columns(number: Option<&DocNumber>) -> (Option<i32>, Option<&str>, Option<&str>) {
    match number {
        Some(n) => (
            Some(n.serial as i32),
            Some(n.kind.as_str()),
            Some(n.issuer.as_str()),
        ),
        None => (None, None, None),
    }
}

/// Stores a new plan (without sessions) and returns its id.
pub async fn insert(
    tx: &mut Tx,
    plan: &ModelSessionPlan,
    term_start: Year,
    by: Option<UserId>,
) -> sqlx::Result<ModelPlanId> {
    let parts = serde_json::to_string(&plan.parts).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let (serial, kind, issuer) = number_columns(plan.number.as_ref());
    let now = Utc::now();
    on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO model_plans (org_id, year, version, status, term_start, number_serial, \
           number_kind, number_issuer, place, issued_on, parts, created_at, created_by, updated_at) \
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11) RETURNING id",
    )
    .bind(plan.org_id)
    .bind(plan.year.get())
    .bind(plan.status.as_str())
    .bind(term_start.get())
    .bind(serial)
    .bind(kind)
    .bind(issuer)
    .bind(&plan.place)
    .bind(plan.issued_on)
    .bind(parts)
    .bind(now)
    .bind(by)
    .fetch_one(conn)
    .await)
}

/// Writes the plan's number, place, date and parts if it is still at `version`; false when
/// someone saved since (nothing written).
pub async fn update(tx: &mut Tx, plan: &ModelSessionPlan, version: i64) -> sqlx::Result<bool> {
    let parts = serde_json::to_string(&plan.parts).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let (serial, kind, issuer) = number_columns(plan.number.as_ref());
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE model_plans SET version = version + 1, number_serial = $1, number_kind = $2, \
           number_issuer = $3, place = $4, issued_on = $5, parts = $6, updated_at = $7 \
         WHERE id = $8 AND version = $9",
    )
    .bind(serial)
    .bind(kind)
    .bind(issuer)
    .bind(&plan.place)
    .bind(plan.issued_on)
    .bind(parts)
    .bind(Utc::now())
    .bind(plan.id)
    .bind(version)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Marks the plan issued if it is a draft still at `version`.
pub async fn issue(
    tx: &mut Tx,
    id: ModelPlanId,
    version: i64,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE model_plans SET version = version + 1, status = 'issued', issued_at = $1, \
           issued_by = $2, updated_at = $1 WHERE id = $3 AND version = $4 AND status = 'draft'",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// One more change to the plan's sessions: its version moves on, so a form of the plan drawn
/// before does not save over it unnoticed.
async fn touch(tx: &mut Tx, plan: ModelPlanId) -> sqlx::Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE model_plans SET version = version + 1, updated_at = $1 WHERE id = $2",
    )
    .bind(Utc::now())
    .bind(plan)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Adds a session at the end of the plan's list.
pub async fn insert_session(
    tx: &mut Tx,
    plan: ModelPlanId,
    draft: &ModelSessionDraft,
) -> sqlx::Result<ModelSessionId> {
    let id = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO model_sessions (plan_id, position, kind, host_org_id, held_on, start_minute, \
           venue, address, topic_id, topic_title) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM model_sessions WHERE plan_id = $1), \
           $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(plan)
    .bind(draft.kind.as_str())
    .bind(draft.host)
    .bind(draft.date)
    .bind(i32::from(draft.start.minutes()))
    .bind(&draft.venue)
    .bind(&draft.address)
    .bind(draft.topic)
    .bind(&draft.topic_title)
    .fetch_one(conn)
    .await)?;
    touch(tx, plan).await?;
    Ok(id)
}

/// Changes a session of the plan; false when it is not there any more.
pub async fn update_session(
    tx: &mut Tx,
    plan: ModelPlanId,
    id: ModelSessionId,
    draft: &ModelSessionDraft,
) -> sqlx::Result<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE model_sessions SET kind = $1, host_org_id = $2, held_on = $3, start_minute = $4, \
           venue = $5, address = $6, topic_id = $7, topic_title = $8 \
         WHERE id = $9 AND plan_id = $10",
    )
    .bind(draft.kind.as_str())
    .bind(draft.host)
    .bind(draft.date)
    .bind(i32::from(draft.start.minutes()))
    .bind(&draft.venue)
    .bind(&draft.address)
    .bind(draft.topic)
    .bind(&draft.topic_title)
    .bind(id)
    .bind(plan)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    touch(tx, plan).await?;
    Ok(done == 1)
}

/// Removes a session of the plan.
pub async fn delete_session(
    tx: &mut Tx,
    plan: ModelPlanId,
    id: ModelSessionId,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM model_sessions WHERE id = $1 AND plan_id = $2")
        .bind(id)
        .bind(plan)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    touch(tx, plan).await
}

/// The plan a session belongs to.
pub async fn plan_of_session(db: &Db, id: ModelSessionId) -> sqlx::Result<Option<ModelPlanId>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT plan_id FROM model_sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// The status of the plan, read inside the transaction about to change it.
pub async fn status_in(tx: &mut Tx, id: ModelPlanId) -> sqlx::Result<Option<ModelPlanStatus>> {
    let status: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT status FROM model_plans WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await)?;
    status
        .map(|s| ModelPlanStatus::parse(&s).ok_or_else(|| corrupt("status")))
        .transpose()
}

/// A model session of an issued plan, as the host cell sees it.
#[derive(Debug, Clone)]
pub struct Hosted {
    pub plan: ModelPlanId,
    pub plan_number: Option<DocNumber>,
    pub committee_name: String,
    pub session: ModelSession,
}

#[derive(sqlx::FromRow)]
struct HostedRow {
    plan_id: ModelPlanId,
    number_serial: Option<i32>,
    number_kind: Option<String>,
    number_issuer: Option<String>,
    committee_name: String,
    #[sqlx(flatten)]
    session: SessionRow,
}

/// The model sessions of issued plans that the cell hosts, by date.
pub async fn hosted_by(db: &Db, cell: OrgId) -> sqlx::Result<Vec<Hosted>> {
    issued_where(db, "s.host_org_id = $1", cell).await
}

/// The model sessions of issued plans that invite `unit` to send delegates, by date.
pub async fn inviting(db: &Db, unit: OrgId) -> sqlx::Result<Vec<Hosted>> {
    issued_where(
        db,
        "s.id IN (SELECT model_session_id FROM model_invitations WHERE org_id = $1)",
        unit,
    )
    .await
}

/// The model sessions of issued plans that meet `condition` on `$1` = `unit`, by date.
async fn issued_where(db: &Db, condition: &str, unit: OrgId) -> sqlx::Result<Vec<Hosted>> {
    let sql = format!(
        "{} , p.id AS plan_id, p.number_serial, p.number_kind, p.number_issuer, \
           c.name AS committee_name \
         FROM model_sessions s JOIN orgs o ON o.id = s.host_org_id \
         JOIN model_plans p ON p.id = s.plan_id JOIN orgs c ON c.id = p.org_id \
         WHERE {condition} AND p.status = 'issued' ORDER BY s.held_on, s.id",
        SESSION_SELECT
            .split(" FROM ")
            .next()
            .expect("the select has a FROM")
    );
    let rows: Vec<HostedRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(unit).fetch_all(pool).await)?;
    rows.into_iter()
        .map(|row| {
            Ok(Hosted {
                plan: row.plan_id,
                plan_number: doc_number(row.number_serial, row.number_kind, row.number_issuer)?,
                committee_name: row.committee_name,
                session: ModelSession::try_from(row.session)?,
            })
        })
        .collect()
}

/// Marks the topic's open session as the model session's: fixed by the committee.
pub async fn fix_session(
    tx: &mut Tx,
    session: crate::domain::session::SessionId,
    model: ModelSessionId,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => sqlx::query("UPDATE topic_sessions SET model_session_id = $1 WHERE id = $2")
        .bind(model)
        .bind(session)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Who fixed a topic's session: the committee's name and its plan's number, when the session
/// is a model session's.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FixedBy {
    pub plan_id: ModelPlanId,
    pub committee_name: String,
    pub number_serial: Option<i32>,
    pub number_kind: Option<String>,
    pub number_issuer: Option<String>,
}

impl FixedBy {
    /// "Đảng ủy xã Định An (Kế hoạch số 82-KH/ĐU)".
    pub fn label(&self) -> String {
        match doc_number(
            self.number_serial,
            self.number_kind.clone(),
            self.number_issuer.clone(),
        ) {
            Ok(Some(number)) => format!("{} (Kế hoạch số {number})", self.committee_name),
            _ => self.committee_name.clone(),
        }
    }
}

const FIXED_BY: &str = "SELECT p.id AS plan_id, c.name AS committee_name, p.number_serial, \
       p.number_kind, p.number_issuer \
     FROM topic_sessions t JOIN model_sessions s ON s.id = t.model_session_id \
     JOIN model_plans p ON p.id = s.plan_id JOIN orgs c ON c.id = p.org_id WHERE t.id = $1";

/// Whether (and by whom) the session's day, hour and venue are fixed.
pub async fn fixed_by(
    db: &Db,
    session: crate::domain::session::SessionId,
) -> sqlx::Result<Option<FixedBy>> {
    on_pool!(db, pool => sqlx::query_as(FIXED_BY).bind(session).fetch_optional(pool).await)
}

/// [`fixed_by`], inside the transaction about to change the session.
pub async fn fixed_in(
    tx: &mut Tx,
    session: crate::domain::session::SessionId,
) -> sqlx::Result<bool> {
    let found: Option<FixedBy> =
        on_tx!(tx, conn => sqlx::query_as(FIXED_BY).bind(session).fetch_optional(conn).await)?;
    Ok(found.is_some())
}

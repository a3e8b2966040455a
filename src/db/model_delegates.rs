//! A model session's invitations, delegates, assessments and summary report (migration 0016).

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, Tx, audit, corrupt, doc_number, on_pool, on_tx};
use crate::domain::grading::{Scores, Sheet};
use crate::domain::member::MemberId;
use crate::domain::model_delegates::{
    Assessment, Candidate, Delegate, DelegateId, Invitations, ModelReport, Person, ReportDraft,
    ReportKind,
};
use crate::domain::model_session::ModelSessionId;
use crate::domain::org::{Org, OrgId, OrgKind};
use crate::domain::user::UserId;

/// What the audit log calls a model session.
const ENTITY: &str = "model_session";

/// Records a change of the model session's invitations, delegates or summary in the audit log,
/// inside the transaction that makes it.
pub async fn audit(
    tx: &mut Tx,
    by: Option<UserId>,
    action: &str,
    session: ModelSessionId,
    detail: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => audit::record!(conn, by, action, ENTITY, session.get(), detail)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The model session's history, newest first.
pub async fn history(db: &Db, session: ModelSessionId) -> sqlx::Result<Vec<audit::Entry>> {
    audit::history(db, ENTITY, session.get(), 100).await
}

/// The session's invitations: the units (by name), the deadline, whether delegates grade.
pub async fn invitations(db: &Db, session: ModelSessionId) -> sqlx::Result<Invitations> {
    let settings: Option<(Option<NaiveDate>, bool)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT register_by, scored FROM model_sessions WHERE id = $1",
    )
    .bind(session)
    .fetch_optional(pool)
    .await)?;
    let (register_by, scored) = settings.unwrap_or((None, false));
    let units: Vec<OrgId> = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT i.org_id FROM model_invitations i JOIN orgs o ON o.id = i.org_id \
         WHERE i.model_session_id = $1 ORDER BY o.path",
    )
    .bind(session)
    .fetch_all(pool)
    .await)?;
    Ok(Invitations {
        units,
        register_by,
        scored,
    })
}

/// Replaces the session's invitations; returns the units invited now that were not before.
pub async fn set_invitations(
    tx: &mut Tx,
    session: ModelSessionId,
    invitations: &Invitations,
) -> sqlx::Result<Vec<OrgId>> {
    let before: Vec<OrgId> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT org_id FROM model_invitations WHERE model_session_id = $1",
    )
    .bind(session)
    .fetch_all(conn)
    .await)?;
    on_tx!(tx, conn => sqlx::query(
        "UPDATE model_sessions SET register_by = $1, scored = $2 WHERE id = $3",
    )
    .bind(invitations.register_by)
    .bind(invitations.scored)
    .bind(session)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    for gone in before.iter().filter(|u| !invitations.units.contains(u)) {
        // A unit no longer invited takes its delegates with it.
        for sql in [
            "DELETE FROM model_delegates WHERE model_session_id = $1 AND org_id = $2",
            "DELETE FROM model_invitations WHERE model_session_id = $1 AND org_id = $2",
        ] {
            on_tx!(tx, conn => sqlx::query(sql)
                .bind(session)
                .bind(*gone)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    let added: Vec<OrgId> = invitations
        .units
        .iter()
        .copied()
        .filter(|u| !before.contains(u))
        .collect();
    for unit in &added {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO model_invitations (model_session_id, org_id) VALUES ($1, $2)",
        )
        .bind(session)
        .bind(*unit)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(added)
}

/// The people `unit` can name: the active members of a cell, the staff accounts of a committee.
pub async fn candidates(db: &Db, unit: &Org) -> sqlx::Result<Vec<Candidate>> {
    match unit.kind {
        OrgKind::Cell => {
            let rows: Vec<(MemberId, String, String)> = on_pool!(db, pool => sqlx::query_as(
                "SELECT id, full_name, role FROM members WHERE cell_id = $1 AND active \
                 ORDER BY full_name, id",
            )
            .bind(unit.id)
            .fetch_all(pool)
            .await)?;
            rows.into_iter()
                .map(|(id, name, role)| {
                    let role = crate::domain::member::CellRole::parse(&role)
                        .map_err(|_| corrupt("member role"))?;
                    Ok(Candidate {
                        person: Person::Member(id),
                        name,
                        title: format!("{} {}", role.label(), unit.name),
                    })
                })
                .collect()
        }
        OrgKind::Committee => {
            let rows: Vec<(UserId, String)> = on_pool!(db, pool => sqlx::query_as(
                "SELECT u.id, u.full_name FROM reviewers r JOIN users u ON u.id = r.user_id \
                 WHERE r.committee_id = $1 ORDER BY u.full_name, u.id",
            )
            .bind(unit.id)
            .fetch_all(pool)
            .await)?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| Candidate {
                    person: Person::Staff(id),
                    name,
                    title: format!("Cán bộ {}", unit.name),
                })
                .collect())
        }
    }
}

#[derive(sqlx::FromRow)]
struct DelegateRow {
    id: DelegateId,
    org_id: OrgId,
    unit_name: String,
    member_id: Option<MemberId>,
    staff_id: Option<UserId>,
    account: Option<UserId>,
    full_name: String,
    title: String,
    attended: Option<bool>,
}

impl TryFrom<DelegateRow> for Delegate {
    type Error = sqlx::Error;

    fn try_from(row: DelegateRow) -> sqlx::Result<Self> {
        let person = match (row.member_id, row.staff_id) {
            (Some(member), _) => Person::Member(member),
            (None, Some(user)) => Person::Staff(user),
            (None, None) => return Err(corrupt("delegate without a person")),
        };
        Ok(Delegate {
            id: row.id,
            unit: row.org_id,
            unit_name: row.unit_name,
            person,
            user: row.account,
            name: row.full_name,
            title: row.title,
            attended: row.attended,
        })
    }
}

/// The session's delegates, by unit (in tree order) and name.
pub async fn delegates(db: &Db, session: ModelSessionId) -> sqlx::Result<Vec<Delegate>> {
    let rows: Vec<DelegateRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT d.id, d.org_id, o.name AS unit_name, d.member_id, d.user_id AS staff_id, \
           COALESCE(d.user_id, m.user_id) AS account, d.full_name, d.title, d.attended \
         FROM model_delegates d JOIN orgs o ON o.id = d.org_id \
         LEFT JOIN members m ON m.id = d.member_id \
         WHERE d.model_session_id = $1 ORDER BY o.path, d.full_name, d.id",
    )
    .bind(session)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(Delegate::try_from).collect()
}

/// Replaces the delegates `unit` named for the session with `people`.
pub async fn register(
    tx: &mut Tx,
    session: ModelSessionId,
    unit: OrgId,
    people: &[Candidate],
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let before: Vec<(DelegateId, Option<MemberId>, Option<UserId>)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT id, member_id, user_id FROM model_delegates \
             WHERE model_session_id = $1 AND org_id = $2",
        )
        .bind(session)
        .bind(unit)
        .fetch_all(conn)
        .await)?;
    let person_of = |member: Option<MemberId>, user: Option<UserId>| match (member, user) {
        (Some(member), _) => Some(Person::Member(member)),
        (None, Some(user)) => Some(Person::Staff(user)),
        (None, None) => None,
    };
    for (id, member, user) in &before {
        let kept = person_of(*member, *user).is_some_and(|p| people.iter().any(|c| c.person == p));
        if !kept {
            on_tx!(tx, conn => sqlx::query("DELETE FROM model_delegates WHERE id = $1")
                .bind(*id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    for candidate in people {
        let known = before
            .iter()
            .any(|(_, m, u)| person_of(*m, *u) == Some(candidate.person));
        if known {
            continue;
        }
        let (member, user) = match candidate.person {
            Person::Member(member) => (Some(member), None),
            Person::Staff(user) => (None, Some(user)),
        };
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO model_delegates (model_session_id, org_id, member_id, user_id, full_name, \
               title, registered_at, registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(session)
        .bind(unit)
        .bind(member)
        .bind(user)
        .bind(&candidate.name)
        .bind(&candidate.title)
        .bind(at)
        .bind(by)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Records who came: the delegates in `came` attended, every other one did not.
pub async fn record_attendance(
    tx: &mut Tx,
    session: ModelSessionId,
    came: &[DelegateId],
) -> sqlx::Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE model_delegates SET attended = FALSE WHERE model_session_id = $1",
    )
    .bind(session)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    for id in came {
        on_tx!(tx, conn => sqlx::query(
            "UPDATE model_delegates SET attended = TRUE WHERE id = $1 AND model_session_id = $2",
        )
        .bind(*id)
        .bind(session)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    delegate_id: DelegateId,
    went_well: String,
    to_fix: String,
    points: Option<String>,
    sheet: Option<String>,
}

/// The delegates' assessments of the session, by delegate.
pub async fn assessments(
    db: &Db,
    session: ModelSessionId,
) -> sqlx::Result<Vec<(DelegateId, Assessment)>> {
    let rows: Vec<AssessmentRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT a.delegate_id, a.went_well, a.to_fix, a.points, a.sheet \
         FROM model_assessments a JOIN model_delegates d ON d.id = a.delegate_id \
         WHERE d.model_session_id = $1 ORDER BY a.delegate_id",
    )
    .bind(session)
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|row| {
            let scores = match (row.points, row.sheet) {
                (Some(points), Some(sheet)) => {
                    let sheet = Sheet::parse(&sheet).map_err(|_| corrupt("assessment sheet"))?;
                    let scores = Scores::from_stored(&points, &sheet)
                        .ok_or_else(|| corrupt("assessment points"))?;
                    Some((scores, sheet))
                }
                _ => None,
            };
            Ok((
                row.delegate_id,
                Assessment {
                    went_well: row.went_well,
                    to_fix: row.to_fix,
                    scores,
                },
            ))
        })
        .collect()
}

/// Stores a delegate's assessment, over their earlier one.
pub async fn save_assessment(
    tx: &mut Tx,
    delegate: DelegateId,
    assessment: &Assessment,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (points, sheet) = match &assessment.scores {
        Some((scores, sheet)) => (Some(scores.stored()), Some(sheet.text())),
        None => (None, None),
    };
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO model_assessments (delegate_id, went_well, to_fix, points, sheet, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (delegate_id) DO UPDATE SET went_well = excluded.went_well, \
           to_fix = excluded.to_fix, points = excluded.points, sheet = excluded.sheet, \
           updated_at = excluded.updated_at",
    )
    .bind(delegate)
    .bind(&assessment.went_well)
    .bind(&assessment.to_fix)
    .bind(points)
    .bind(sheet)
    .bind(at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    version: i64,
    number_serial: Option<i32>,
    number_kind: String,
    number_issuer: Option<String>,
    issued_on: Option<NaiveDate>,
    summary: String,
    issued: bool,
}

const REPORT_SELECT: &str = "SELECT version, number_serial, number_kind, number_issuer, \
       issued_on, summary, issued_at IS NOT NULL AS issued \
     FROM model_reports WHERE model_session_id = $1";

fn report_of(row: ReportRow) -> sqlx::Result<ModelReport> {
    let kind = ReportKind::parse(&row.number_kind).ok_or_else(|| corrupt("report kind"))?;
    let number = match (row.number_serial, row.number_issuer) {
        (Some(serial), Some(issuer)) => {
            doc_number(Some(serial), Some(kind.code().to_owned()), Some(issuer))?
        }
        _ => None,
    };
    Ok(ModelReport {
        version: row.version,
        kind,
        number,
        issued_on: row.issued_on,
        summary: row.summary,
        issued: row.issued,
    })
}

/// The committee's summary of the session, if one was written.
pub async fn report(db: &Db, session: ModelSessionId) -> sqlx::Result<Option<ModelReport>> {
    let row: Option<ReportRow> = on_pool!(db, pool => sqlx::query_as(REPORT_SELECT)
        .bind(session)
        .fetch_optional(pool)
        .await)?;
    row.map(report_of).transpose()
}

/// [`report`], inside the transaction about to change it.
pub async fn report_in(tx: &mut Tx, session: ModelSessionId) -> sqlx::Result<Option<ModelReport>> {
    let row: Option<ReportRow> = on_tx!(tx, conn => sqlx::query_as(REPORT_SELECT)
        .bind(session)
        .fetch_optional(conn)
        .await)?;
    row.map(report_of).transpose()
}

/// Saves the summary as drawn at `version` (0: none yet); false when someone saved since.
pub async fn save_report(
    tx: &mut Tx,
    session: ModelSessionId,
    draft: &ReportDraft,
    version: i64,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let serial = draft
        .number
        .as_ref()
        .map(|n| i32::try_from(n.serial).unwrap_or(i32::MAX));
    let issuer = draft.number.as_ref().map(|n| n.issuer.clone());
    let done = if version == 0 {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO model_reports (model_session_id, version, number_serial, number_kind, \
               number_issuer, issued_on, summary, updated_at, updated_by) \
             VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (model_session_id) DO NOTHING",
        )
        .bind(session)
        .bind(serial)
        .bind(draft.kind.code())
        .bind(issuer)
        .bind(draft.issued_on)
        .bind(&draft.summary)
        .bind(at)
        .bind(by)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?
    } else {
        on_tx!(tx, conn => sqlx::query(
            "UPDATE model_reports SET version = version + 1, number_serial = $1, number_kind = $2, \
               number_issuer = $3, issued_on = $4, summary = $5, updated_at = $6, updated_by = $7 \
             WHERE model_session_id = $8 AND version = $9 AND issued_at IS NULL",
        )
        .bind(serial)
        .bind(draft.kind.code())
        .bind(issuer)
        .bind(draft.issued_on)
        .bind(&draft.summary)
        .bind(at)
        .bind(by)
        .bind(session)
        .bind(version)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?
    };
    Ok(done == 1)
}

/// Issues the summary as drawn at `version`; false when someone saved since.
pub async fn issue_report(
    tx: &mut Tx,
    session: ModelSessionId,
    version: i64,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE model_reports SET version = version + 1, issued_at = $1, issued_by = $2 \
         WHERE model_session_id = $3 AND version = $4 AND issued_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(session)
    .bind(version)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

//! Committees' own grading sheets, and the sheet that applies to a unit: its nearest
//! committee's own, else the standard one (domain::grading).

use chrono::{DateTime, Utc};

use super::{Db, Tx, audit, corrupt, on_pool, on_tx, placeholders};
use crate::domain::grading::Sheet;
use crate::domain::org::{Org, OrgId};
use crate::domain::user::UserId;

const ENTITY: &str = "grading_sheet";

/// A committee's own sheet as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub sheet: Sheet,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    sheet: String,
    version: i64,
    updated_at: DateTime<Utc>,
    updated_by: Option<String>,
}

fn sheet_of(text: &str) -> sqlx::Result<Sheet> {
    Sheet::parse(text).map_err(|_| corrupt("grading sheet"))
}

/// The sheet `committee` set for its subtree, if it set one.
pub async fn of_committee(db: &Db, committee: OrgId) -> sqlx::Result<Option<Stored>> {
    let row: Option<Row> = on_pool!(db, pool => sqlx::query_as(
        "SELECT g.sheet, g.version, g.updated_at, u.full_name AS updated_by \
         FROM grading_sheets g LEFT JOIN users u ON u.id = g.updated_by WHERE g.committee_id = $1",
    )
    .bind(committee)
    .fetch_optional(pool)
    .await)?;
    row.map(|r| {
        Ok(Stored {
            sheet: sheet_of(&r.sheet)?,
            version: r.version,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        })
    })
    .transpose()
}

/// The sheet `org`'s sessions are graded on, and the committee whose own sheet it is (`None`
/// for the standard sheet). One statement over the org's ancestors.
pub async fn applying_to(db: &Db, org: &Org) -> sqlx::Result<(Sheet, Option<OrgId>)> {
    let ids = org.path.ids();
    let sql = format!(
        "SELECT g.committee_id, g.sheet FROM grading_sheets g JOIN orgs o ON o.id = g.committee_id \
         WHERE g.committee_id IN ({}) ORDER BY LENGTH(o.path) DESC LIMIT 1",
        placeholders(1, ids.len())
    );
    let row: Option<(OrgId, String)> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_optional(pool).await
    })?;
    match row {
        Some((committee, text)) => Ok((sheet_of(&text)?, Some(committee))),
        None => Ok((Sheet::standard(), None)),
    }
}

/// Stores `committee`'s own sheet as drawn at `version` (0: none was stored), or removes it
/// (`None`: its subtree goes back to the sheet above). False when someone saved since.
pub async fn save(
    tx: &mut Tx,
    committee: OrgId,
    sheet: Option<&Sheet>,
    version: i64,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, conn => async {
        let changed = match sheet {
            None => sqlx::query(
                "DELETE FROM grading_sheets WHERE committee_id = $1 AND version = $2",
            )
            .bind(committee)
            .bind(version)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
            Some(sheet) if version == 0 => sqlx::query(
                "INSERT INTO grading_sheets (committee_id, sheet, version, updated_at, updated_by) \
                 VALUES ($1, $2, 1, $3, $4) ON CONFLICT (committee_id) DO NOTHING",
            )
            .bind(committee)
            .bind(sheet.text())
            .bind(Utc::now())
            .bind(by)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
            Some(sheet) => sqlx::query(
                "UPDATE grading_sheets SET sheet = $1, version = version + 1, updated_at = $2, \
                   updated_by = $3 WHERE committee_id = $4 AND version = $5",
            )
            .bind(sheet.text())
            .bind(Utc::now())
            .bind(by)
            .bind(committee)
            .bind(version)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
        };
        if changed == 1 {
            audit::record!(&mut *conn, by, "save", ENTITY, committee, summary).await?;
        }
        Ok(changed == 1)
    }.await)
}

/// The history of `committee`'s sheet, newest first.
pub async fn history(db: &Db, committee: OrgId) -> sqlx::Result<Vec<audit::Entry>> {
    audit::history(db, ENTITY, committee.get(), 50).await
}

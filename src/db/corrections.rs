//! Corrections of closed minutes (biên bản bổ sung): stored once, never changed.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, Tx, audit, on_pool, on_tx};
use crate::domain::correction::{Correction, CorrectionId};
use crate::domain::minutes::MinutesId;
use crate::domain::org::Year;
use crate::domain::user::UserId;

#[derive(sqlx::FromRow)]
struct Row {
    id: CorrectionId,
    minutes_id: MinutesId,
    serial: i32,
    issuer: String,
    body: String,
    made_on: NaiveDate,
    created_at: DateTime<Utc>,
    created_by: Option<String>,
}

impl From<Row> for Correction {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            minutes: r.minutes_id,
            number: (u32::try_from(r.serial).unwrap_or(0), r.issuer),
            body: r.body,
            made_on: r.made_on,
            created_at: r.created_at,
            created_by: r.created_by,
        }
    }
}

/// The corrections of `minutes`, oldest first.
pub async fn of_minutes(db: &Db, minutes: MinutesId) -> sqlx::Result<Vec<Correction>> {
    let rows: Vec<Row> = on_pool!(db, pool => sqlx::query_as(
        "SELECT c.id, c.minutes_id, c.serial, c.issuer, c.body, c.made_on, c.created_at, \
           u.full_name AS created_by \
         FROM minutes_corrections c LEFT JOIN users u ON u.id = c.created_by \
         WHERE c.minutes_id = $1 ORDER BY c.id",
    )
    .bind(minutes)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(Correction::from).collect())
}

/// What a new correction stores besides its text.
pub struct Made<'a> {
    pub minutes: MinutesId,
    pub term_start: Year,
    pub serial: u32,
    pub issuer: &'a str,
    pub on: NaiveDate,
}

/// Stores a correction, with its audit entry on the minutes it corrects.
pub async fn insert(
    tx: &mut Tx,
    made: &Made<'_>,
    body: &str,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<CorrectionId> {
    on_tx!(tx, conn => async {
        let id: CorrectionId = sqlx::query_scalar(
            "INSERT INTO minutes_corrections (minutes_id, term_start, serial, issuer, body, made_on, \
               created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(made.minutes)
        .bind(made.term_start.get())
        .bind(i32::try_from(made.serial).unwrap_or(i32::MAX))
        .bind(made.issuer)
        .bind(body)
        .bind(made.on)
        .bind(Utc::now())
        .bind(by)
        .fetch_one(&mut *conn)
        .await?;
        audit::record!(&mut *conn, by, "correct", super::minutes::ENTITY, made.minutes, summary)
            .await?;
        Ok(id)
    }.await)
}

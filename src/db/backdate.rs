//! Dates for the demo's replayed story: the use cases stamp what they store "now"; the demo's
//! sessions of 2022 are put back on the days they were held. Nothing else calls this.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, on_pool};
use crate::domain::minutes::MinutesId;
use crate::domain::paper::PaperId;
use crate::domain::session::SessionId;

/// A session scheduled `at`.
pub async fn session(db: &Db, id: SessionId, at: DateTime<Utc>) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE topic_sessions SET created_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// A paper added `created` and sent to the members `circulated`.
pub async fn paper(
    db: &Db,
    id: PaperId,
    created: DateTime<Utc>,
    circulated: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE papers SET created_at = $1, circulated_at = $2 \
         WHERE id = $3 AND circulated_at IS NOT NULL",
    )
    .bind(created)
    .bind(circulated)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Minutes written on the day (`written`), closed on `closed_on`, then reported and graded at
/// `reported`.
pub async fn minutes(
    db: &Db,
    id: MinutesId,
    written: DateTime<Utc>,
    closed_on: NaiveDate,
    reported: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => async {
        sqlx::query(
            "UPDATE session_minutes SET created_at = $1, updated_at = $1, closed_at = $1, \
               closed_on = $2, reported_at = CASE WHEN reported_at IS NULL THEN NULL ELSE $3 END \
             WHERE id = $4",
        )
        .bind(written)
        .bind(closed_on)
        .bind(reported)
        .bind(id)
        .execute(pool)
        .await?;
        sqlx::query("UPDATE minutes_grades SET graded_at = $1 WHERE minutes_id = $2")
            .bind(reported)
            .bind(id)
            .execute(pool)
            .await?;
        Ok(())
    }.await)
}

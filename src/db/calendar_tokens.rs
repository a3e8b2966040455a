//! The secret addresses of calendar feeds (see migration 0009).

use chrono::Utc;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::org::OrgId;
use crate::domain::user::UserId;

/// A reader's feed address: their own feed (`cell` None) or a cell's.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedToken {
    pub user_id: UserId,
    pub cell_id: Option<OrgId>,
    pub token: String,
}

/// Every feed address of the reader.
pub async fn of_user(db: &Db, user: UserId) -> sqlx::Result<Vec<FeedToken>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT user_id, cell_id, token FROM calendar_tokens WHERE user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(pool)
    .await)
}

/// The feed behind an address; a cell's only while its reader is an active member of the cell.
pub async fn find(db: &Db, token: &str) -> sqlx::Result<Option<FeedToken>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT c.user_id, c.cell_id, c.token FROM calendar_tokens c WHERE c.token = $1 \
           AND (c.cell_id IS NULL OR EXISTS (SELECT 1 FROM members m \
             WHERE m.cell_id = c.cell_id AND m.user_id = c.user_id AND m.active))",
    )
    .bind(token)
    .fetch_optional(pool)
    .await)
}

/// Puts `token` in place of the reader's address for the feed: the old one stops working.
pub async fn replace(
    tx: &mut Tx,
    user: UserId,
    cell: Option<OrgId>,
    token: &str,
) -> sqlx::Result<()> {
    let now = Utc::now();
    let feed_key = cell.map(OrgId::get).unwrap_or(0);
    on_tx!(tx, conn => async {
        sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1 AND COALESCE(cell_id, 0) = $2")
            .bind(user)
            .bind(feed_key)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_tokens (user_id, cell_id, token, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user)
        .bind(cell)
        .bind(token)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }.await)
}

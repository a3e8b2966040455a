//! The audit trail: who changed what, and when.

use chrono::{DateTime, Utc};

use super::{Db, on_pool};

pub const INSERT: &str = "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail) \
                          VALUES ($1, $2, $3, $4, $5, $6)";

/// Appends one entry through `$conn` (a pool or an open transaction), so the entry commits or
/// rolls back with the change it describes.
macro_rules! record {
    ($conn:expr, $user:expr, $action:expr, $entity:expr, $entity_id:expr, $detail:expr) => {
        sqlx::query($crate::db::audit::INSERT)
            .bind(chrono::Utc::now())
            .bind($user)
            .bind($action)
            .bind($entity)
            .bind($entity_id)
            .bind($detail)
            .execute($conn)
    };
}
pub(crate) use record;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The history of one entity, newest first.
pub async fn history(
    db: &Db,
    entity: &str,
    entity_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<Entry>> {
    on_pool!(db, pool => sqlx::query_as::<_, Entry>(
        "SELECT a.at, u.full_name AS user_name, a.action, a.detail FROM audit_log a \
         LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.entity = $1 AND a.entity_id = $2 ORDER BY a.id DESC LIMIT $3",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

//! Moving a unit with its subtree: one statement rewrites every path below it, inside the
//! caller's transaction, with the unit's new parent and the history lines of the move.

use chrono::Utc;

use super::{Tx, audit, on_tx};
use crate::domain::org::Org;
use crate::domain::org_move::{MoveRecord, new_path};
use crate::domain::user::UserId;

/// PostgreSQL advisory lock that serialises moves (and keeps two of them from reading the tree
/// before either rewrote it: A under B and B under A at once would make a loop). SQLite's
/// write transaction serialises every write already.
const MOVE_LOCK: i64 = 0x6f72_675f_6d6f_7665;

/// Waits for any other move to finish; held until the transaction ends. Call it before
/// reading the units to move.
pub async fn lock(tx: &mut Tx) -> sqlx::Result<()> {
    if let Tx::Postgres(tx) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MOVE_LOCK)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The superior body a unit below `parent` prints at the top of its documents: what most of
/// the parent's units print already ("Đảng bộ xã Định An" below "Đảng ủy xã Định An"), else
/// the parent's own name.
pub async fn superior_below(tx: &mut Tx, parent: &Org, unit: &Org) -> sqlx::Result<String> {
    let usual: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT superior_name FROM orgs WHERE parent_id = $1 AND id <> $2 \
         GROUP BY superior_name ORDER BY COUNT(*) DESC, superior_name LIMIT 1",
    )
    .bind(parent.id)
    .bind(unit.id)
    .fetch_optional(conn)
    .await)?;
    Ok(usual.unwrap_or_else(|| parent.name.clone()))
}

/// Puts `unit` and everything below it under `parent` (checked by the caller with
/// [`crate::domain::org_move::check`]): the unit's parent, the superior body printed in its
/// documents (`superior`), and the paths of its whole subtree; then the history lines.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    tx: &mut Tx,
    unit: &Org,
    old_parent: Option<&Org>,
    parent: &Org,
    superior: &str,
    by: Option<UserId>,
    record: &MoveRecord,
) -> sqlx::Result<()> {
    let (lo, hi) = unit.path.subtree_range();
    let old_len = i32::try_from(unit.path.as_str().len()).unwrap_or(i32::MAX);
    let moved = new_path(unit, parent);
    let lock = match tx {
        Tx::Sqlite(_) => "",
        Tx::Postgres(_) => " FOR UPDATE",
    };
    let subtree = format!("SELECT id FROM orgs WHERE path >= $1 AND path < $2{lock}");
    on_tx!(tx, conn => async {
        // On PostgreSQL: wait for units being added below (they hold their parent FOR SHARE),
        // so the rewrite below sees them.
        let _ids: Vec<i64> =
            sqlx::query_scalar(&subtree).bind(&lo).bind(&hi).fetch_all(&mut *conn).await?;
        sqlx::query(
            "UPDATE orgs SET path = $1 || SUBSTR(path, $2) WHERE path >= $3 AND path < $4",
        )
        .bind(moved.as_str())
        .bind(old_len + 1)
        .bind(&lo)
        .bind(&hi)
        .execute(&mut *conn)
        .await?;
        // The cells' plans carry their paths (migration 0017): rewritten the same way.
        sqlx::query(
            "UPDATE plans SET cell_path = $1 || SUBSTR(cell_path, $2) \
             WHERE cell_path >= $3 AND cell_path < $4",
        )
        .bind(moved.as_str())
        .bind(old_len + 1)
        .bind(&lo)
        .bind(&hi)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE orgs SET parent_id = $1, superior_name = $2, updated_at = $3, \
               version = version + 1 WHERE id = $4",
        )
        .bind(parent.id)
        .bind(superior)
        .bind(Utc::now())
        .bind(unit.id)
        .execute(&mut *conn)
        .await?;
        audit::record!(&mut *conn, by, "move", "org", unit.id, &record.on_unit).await?;
        if let Some(old) = old_parent {
            audit::record!(&mut *conn, by, "move", "org", old.id, &record.on_old_parent).await?;
        }
        audit::record!(&mut *conn, by, "move", "org", parent.id, &record.on_new_parent).await?;
        Ok(())
    }.await)
}

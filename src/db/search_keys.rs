//! The search keys stored beside names (`orgs.name_key`, `members.name_key`, `users.name_key`:
//! [`search_key`] of the name), so that "dinh an" finds "Định An" with one indexed `LIKE` on
//! either database. Every write of a name writes its key; [`fill`] computes the keys of rows
//! written before migration 0012 (or by an older instance still running during an upgrade),
//! in Rust, so both databases fold exactly alike.

use super::{BeginWrite, Db, on_pool};
use crate::domain::text::search_key;

/// Rows keyed per transaction, so that filling a large tree never holds the write lock long.
const BATCH: i64 = 500;

/// The tables with a searchable name: (table, name column).
const TABLES: [(&str, &str); 3] = [
    ("orgs", "name"),
    ("members", "full_name"),
    ("users", "full_name"),
];

/// Gives every row without a search key its key; returns how many it keyed. Run at every
/// start, right after the migrations: once everything is keyed it is one indexed look-up per
/// table.
pub async fn fill(db: &Db) -> sqlx::Result<u64> {
    let mut keyed = 0;
    for (table, column) in TABLES {
        let select =
            format!("SELECT id, {column} FROM {table} WHERE name_key IS NULL ORDER BY id LIMIT $1");
        let update = format!("UPDATE {table} SET name_key = $1 WHERE id = $2");
        loop {
            let done: u64 = on_pool!(db, pool => async {
                let mut tx = pool.begin_write().await?;
                let rows: Vec<(i64, String)> =
                    sqlx::query_as(&select).bind(BATCH).fetch_all(&mut *tx).await?;
                for (id, name) in &rows {
                    sqlx::query(&update)
                        .bind(search_key(name))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(rows.len() as u64)
            }.await)?;
            keyed += done;
            if done < BATCH as u64 {
                break;
            }
        }
    }
    if keyed > 0 {
        tracing::info!(rows = keyed, "search keys computed for names stored before");
    }
    Ok(keyed)
}

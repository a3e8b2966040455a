//! Failed logins, kept in the database so that every app instance sees the same counts.

use chrono::{DateTime, Utc};

use super::{Db, on_pool};

/// Failures for `login` and from `address` since `since`.
pub async fn count_since(
    db: &Db,
    login: &str,
    address: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<(i64, i64)> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $3), \
                (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at > $3)",
    )
    .bind(login)
    .bind(address)
    .bind(since)
    .fetch_one(pool)
    .await)
}

/// Records a failure and forgets those older than `forget_before`.
pub async fn record(
    db: &Db,
    login: &str,
    address: &str,
    forget_before: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => async {
        sqlx::query("INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3)")
            .bind(login)
            .bind(address)
            .bind(Utc::now())
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(forget_before)
            .execute(pool)
            .await?;
        Ok(())
    }.await)
}

/// A successful login clears the account's count.
pub async fn clear(db: &Db, login: &str) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE login = $1")
        .bind(login)
        .execute(pool)
        .await
        .map(|_| ()))
}

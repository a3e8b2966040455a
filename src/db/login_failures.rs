//! Failed logins, kept in the database so that every app instance sees the same counts.
//!
//! An attempt is reserved (its row written) before the password is checked, and only then
//! counted: of N attempts racing for one login, the last one to be written counts every other
//! that was allowed, so no more than the limit ever reach the password check. A successful
//! attempt deletes its row (and the failures before it); a failed one leaves it as the record.

use chrono::{DateTime, Utc};

use super::{Db, on_pool};

/// A reserved attempt, with the failures (itself included) counted right after writing it.
#[derive(Debug, Clone, Copy)]
pub struct Reservation {
    pub id: i64,
    pub by_login: i64,
    pub by_address: i64,
}

/// Writes an attempt for `login` from `address`, then counts attempts since `since`.
pub async fn reserve(
    db: &Db,
    login: &str,
    address: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<Reservation> {
    on_pool!(db, pool => async {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(login)
        .bind(address)
        .bind(Utc::now())
        .fetch_one(pool)
        .await?;
        let (by_login, by_address): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $3), \
                    (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at > $3)",
        )
        .bind(login)
        .bind(address)
        .bind(since)
        .fetch_one(pool)
        .await?;
        Ok(Reservation { id, by_login, by_address })
    }.await)
}

/// Withdraws an attempt that was refused before its password was checked: a locked login
/// stays locked for the window after its last real failure, not after every refused try.
pub async fn release(db: &Db, reservation: Reservation) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(reservation.id)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// A successful attempt: clears its own row and the login's failures before it (attempts
/// reserved after it, still in flight, keep counting).
pub async fn succeeded(db: &Db, login: &str, reservation: Reservation) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE login = $1 AND id <= $2")
        .bind(login)
        .bind(reservation.id)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// A failed attempt stays recorded; failures from before `before` are dropped.
pub async fn forget_older_than(db: &Db, before: DateTime<Utc>) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map(|_| ()))
}

//! Accounts: signing in (with its throttle), passwords, reviewers' committees, the actor a
//! request acts as.

use chrono::{TimeDelta, Utc};

pub use crate::db::login_failures;
pub use crate::db::users::{
    CreateError, NewUser, SignedIn, actor, add_review, any, create, credentials, get, list,
    password_hash, remove_review, session_epoch, set_password_hash, signed_in,
};
pub use crate::password::{hash, verify};

use crate::config::Throttle;
use crate::db::Db;
use crate::domain::text::canonical;
use crate::domain::user::{User, UserId};

/// The most characters of a typed login name that are kept (as the throttle's key, in the log):
/// more than any real login has (32), so an overlong name never counts against a real account,
/// yet bounded, so a 2 MB name is not written on every try.
pub const LOGIN_KEY_CHARS: usize = 200;

/// A typed login name as it is looked up, throttled and logged: NFC, lower-case, bounded.
pub fn login_key(typed: &str) -> String {
    let head: String = typed.chars().take(LOGIN_KEY_CHARS).collect();
    canonical(&head)
        .to_lowercase()
        .chars()
        .take(LOGIN_KEY_CHARS)
        .collect()
}

/// What became of a password typed for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Valid,
    Wrong,
    /// Too many failures for this account lately: the password was not even checked.
    Throttled,
}

/// Checks `password` against `stored` under the throttle of account `key` (its login) and of
/// `address`. The attempt is reserved before hashing, so parallel guesses cannot overrun the
/// account's limit; an address past its limit waits longer at each attempt but is never shut
/// out, because behind a proxy one address may be everyone.
async fn check(
    db: &Db,
    throttle: &Throttle,
    key: &str,
    address: &str,
    password: String,
    stored: Option<String>,
) -> anyhow::Result<Check> {
    let window = TimeDelta::from_std(throttle.window)?;
    let now = Utc::now();
    let reservation = login_failures::reserve(db, key, address, now - window).await?;
    if reservation.by_login > throttle.per_login {
        login_failures::release(db, reservation).await?;
        tracing::warn!(login = key, address, "password check throttled");
        return Ok(Check::Throttled);
    }
    if let Some(delay) = throttle.address_delay(reservation.by_address) {
        tracing::warn!(
            address,
            delay_ms = delay.as_millis(),
            "many failed password checks from one address: slowing it down"
        );
        tokio::time::sleep(delay).await;
    }
    if verify(password, stored).await? {
        login_failures::succeeded(db, key, reservation).await?;
        Ok(Check::Valid)
    } else {
        login_failures::forget_older_than(db, now - window * 4).await?;
        Ok(Check::Wrong)
    }
}

/// Signing in with a typed login name (see [`login_key`]) and password: the account when the
/// password is right.
pub async fn sign_in(
    db: &Db,
    throttle: &Throttle,
    key: &str,
    address: &str,
    password: String,
) -> anyhow::Result<(Check, Option<UserId>)> {
    let (user, stored) = match credentials(db, key).await? {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let outcome = check(db, throttle, key, address, password, stored).await?;
    Ok((outcome, user.filter(|_| outcome == Check::Valid)))
}

/// Checks a signed-in user's current password (before changing it) under the same throttle as
/// signing in, counted against the same account: a stolen session gets no extra guesses.
pub async fn check_current_password(
    db: &Db,
    throttle: &Throttle,
    user: &User,
    address: &str,
    password: String,
) -> anyhow::Result<Check> {
    let stored = password_hash(db, user.id).await?;
    check(db, throttle, &user.login, address, password, stored).await
}

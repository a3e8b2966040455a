//! Password hashing with argon2id, off the async workers (a hash takes tens of milliseconds).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::domain::user::Password;

/// A hash to verify against when the login is unknown, so that the response takes as long as
/// for a real account and timing does not reveal which logins exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_now("không có tài khoản này"));

fn hash_now(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub async fn hash(password: &Password) -> anyhow::Result<String> {
    let password = password.expose().to_owned();
    Ok(tokio::task::spawn_blocking(move || hash_now(&password)).await?)
}

/// Checks `password` against `stored`; with no stored hash, spends the same time and fails.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        let stored = stored.as_deref().unwrap_or(DUMMY_HASH.as_str());
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let valid = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        valid && !std::ptr::eq(stored, DUMMY_HASH.as_str())
    })
    .await?)
}

//! Accounts: signing in (with its throttle), passwords, reviewers' committees, the actor a
//! request acts as.

pub use crate::db::login_failures;
pub use crate::db::users::{
    CreateError, NewUser, actor, add_review, create, credentials, get, list, password_hash,
    remove_review, set_password_hash,
};
pub use crate::password::{hash, verify};

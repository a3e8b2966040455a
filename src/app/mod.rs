//! The use cases: one function per thing a person does (create a plan, save a part of it,
//! adopt, submit, accept …). Each runs in one transaction over [`crate::db`] with the rules of
//! [`crate::domain`] and returns a typed outcome. Nothing here knows of HTTP or pages, so the
//! web handlers, the demo and the tests call the same functions.
//!
//! A read or a write that is one statement with no rule around it is re-exported from `db` as
//! it is (named one by one, so this layer lists everything the pages can reach); anything with
//! a rule or more than one step is a function here.

pub mod accounts;
pub mod calendar;
pub mod dashboard;
pub mod grading_sheets;
pub mod members;
pub mod minutes;
pub mod model_delegates;
pub mod model_sessions;
pub mod notifications;
pub mod org_move;
pub mod orgs;
pub mod papers;
pub mod plans;
pub mod review;
pub mod sessions;

use crate::db::Db;

/// What a use case works with: the database, and whether e-mail copies of the notifications it
/// causes are queued (only when SMTP is configured, so nothing piles up while it is off).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a Db,
    pub mail: bool,
}

/// A use case that could not run at all: storage failed, or stored data broke a rule that
/// storage itself guarantees. Refusals a person can act on are outcomes, not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("broken invariant: {0}")]
    Invariant(&'static str),
}

pub type Result<T> = std::result::Result<T, Error>;

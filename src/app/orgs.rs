//! The party tree: units, what lies below and above them, their history.

pub use crate::db::audit::{Entry, history};
pub use crate::db::orgs::{Child, ancestors, children, create, get, get_versioned, roots, update};
pub use crate::db::review::{Directive, directives_above};

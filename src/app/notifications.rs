//! What a user is told: their notifications, read or not, and the address e-mail copies go to.

pub use crate::db::notifications::{
    account_email, count, list, mark_all_read, mark_read, set_account_email, unread_count,
};

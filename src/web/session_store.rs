//! The session store: the database's (tower-sessions' sqlx store), made to let a page be read
//! when the database cannot be written.
//!
//! A session is written when its data changes: at sign-in, at a password change, when a notice
//! is left for the next page or shown, and when its expiry is moved on (at most once a minute,
//! see `auth`). The last two do not matter to the request itself: if such a save fails because
//! the database is read-only, full or gone, the page is answered anyway (the expiry simply is
//! not moved, the notice shows again). Any other failed save is an error, as before, and its
//! storage fault is noted for the request (`fault::note_session_fault`) so that its answer says
//! what happened instead of being an empty 500.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::fault;
use crate::db::fault::of_message;

/// Keys whose change alone is not worth failing a request for.
pub const DISPOSABLE: [&str; 2] = [super::auth::REFRESHED, super::auth::NOTICE];

#[derive(Debug, Clone)]
pub struct Tolerant<S>(pub S);

#[async_trait]
impl<S: SessionStore> SessionStore for Tolerant<S> {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.0.create(record).await.inspect_err(note)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let Err(error) = self.0.save(record).await else {
            return Ok(());
        };
        if of_message(&error.to_string()).is_some()
            && let Ok(Some(stored)) = self.0.load(&record.id).await
            && same_but_disposable(&stored, record)
        {
            tracing::warn!(%error, "session not refreshed: the database cannot be written");
            return Ok(());
        }
        note(&error);
        Err(error)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.0.load(id).await
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0.delete(id).await.inspect_err(note)
    }
}

fn note(error: &session_store::Error) {
    if let Some(fault) = of_message(&error.to_string()) {
        fault::note_session_fault(fault);
    }
}

/// Whether `record` differs from `stored` only in the disposable keys.
fn same_but_disposable(stored: &Record, record: &Record) -> bool {
    let keys = stored.data.keys().chain(record.data.keys());
    keys.filter(|key| !DISPOSABLE.contains(&key.as_str()))
        .all(|key| stored.data.get(key) == record.data.get(key))
}

//! chuyende: Party cells plan, prepare and report their thematic sessions; their higher
//! committees follow and review them.
//!
//! [`app`] builds the whole web application from an [`AppState`]; `main.rs` serves it and tests
//! call it directly.

pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod document;
pub mod domain;
pub mod mail;
pub mod password;
pub mod web;

use std::sync::Arc;

pub use config::Settings;
pub use web::app;

/// What every request handler can reach: the database, the deployment's settings, and the
/// PDF typesetter they bound.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub settings: Arc<Settings>,
    pub typesetter: document::typesetter::Typesetter,
    /// What requests have seen of the storage lately (for `/healthz`).
    pub storage: db::fault::Watch,
}

impl AppState {
    pub fn new(db: db::Db, settings: Settings) -> Self {
        Self {
            db,
            typesetter: document::typesetter::Typesetter::new(
                settings.pdf_renders,
                settings.pdf_budget,
            ),
            settings: Arc::new(settings),
            storage: db::fault::Watch::default(),
        }
    }

    /// What the use cases need of the state.
    pub fn ctx(&self) -> app::Ctx<'_> {
        app::Ctx {
            db: &self.db,
            // E-mail copies are queued only when SMTP is configured.
            mail: self.settings.mail.is_some(),
        }
    }
}

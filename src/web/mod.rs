//! The web layer: each area's routes, extractors, the error page, CSRF. Handlers are thin:
//! extract the actor and a typed form, check scope (`scope`), call `app`, render. No area
//! imports another; what they share is in `scope`, `form`, `page`, `extract` and `auth`.

mod account;
mod admin;
mod assets;
mod attachment;
mod auth;
mod calendar;
mod csrf;
mod dashboard;
mod doc_parts;
mod documents;
mod download;
mod error;
mod extract;
mod fault;
mod form;
mod grading_sheets;
mod headers;
mod health;
mod home;
mod members;
mod minutes;
mod model_sessions;
mod notifications;
mod org_move;
mod orgs;
mod page;
mod papers;
mod plans;
mod refused;
mod review;
mod routes;
mod rows;
mod scope;
mod session_store;
mod sessions;
mod work;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::AppState;
use crate::db::Db;

pub use error::AppError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The name of the session cookie.
const SESSION_COOKIE: &str = "chuyende_session";

/// Largest request body accepted but on the upload routes (a CSV file of members is the
/// largest thing a form takes).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The largest body the route `route` (as matched, with its `{param}`s) takes: a paper's upload
/// and the comments on it have their own limits, everything else [`BODY_LIMIT`].
pub fn body_limit(route: Option<&str>) -> usize {
    papers::LARGE_BODIES
        .iter()
        .find(|(large, _)| Some(*large) == route)
        .map_or(BODY_LIMIT, |(_, limit)| *limit)
}

/// Every route of the app, from each area's own table.
fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(assets::routes())
        .merge(health::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(home::routes())
        .merge(work::routes())
        .merge(calendar::routes())
        .merge(orgs::routes())
        .merge(org_move::routes())
        .merge(members::routes())
        .merge(plans::routes())
        .merge(review::routes())
        .merge(sessions::routes())
        .merge(minutes::routes())
        .merge(grading_sheets::routes())
        .merge(model_sessions::routes())
        .merge(papers::routes())
        .merge(documents::routes())
        .merge(dashboard::routes())
        .merge(notifications::routes())
        .merge(admin::routes())
}

/// The path of every route (with `{param}` placeholders), for tests that walk them all.
pub fn route_paths() -> Vec<&'static str> {
    routes().paths().to_vec()
}

pub fn app(state: AppState) -> Router {
    let router = routes()
        .into_router()
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(fault::note_outcome));

    let router = match &state.db {
        Db::Sqlite(pool) => router.layer(sessions(
            SqliteStore::new(pool.clone())
                .with_table_name("sessions")
                .expect("valid table name"),
            &state,
        )),
        Db::Postgres(pool) => router.layer(sessions(
            PostgresStore::new(pool.clone())
                .with_schema_name("public")
                .and_then(|s| s.with_table_name("sessions"))
                .expect("valid table name"),
            &state,
        )),
    }
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        fault::watch,
    ));

    headers::add(router, &state.settings)
        .layer(compression())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Bodies compressed with gzip when the browser accepts it (a plan page shrinks several times
/// over, which a phone on a weak connection feels), except what is compressed already — PDF
/// and DOCX files — and bodies too small to gain (tower-http's default predicate).
fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new()
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats-officedocument",
        ));
    CompressionLayer::new().compress_when(predicate)
}

/// The session layer, over the store made tolerant of a refresh it cannot write. A session is
/// saved only when its data changes (tower-sessions 0.14), and each save moves its expiry to
/// `idle` from then; `auth` moves it on at most once a minute.
fn sessions<S: SessionStore + Clone>(
    store: S,
    state: &AppState,
) -> SessionManagerLayer<session_store::Tolerant<S>> {
    let idle =
        time::Duration::try_from(state.settings.session_idle).unwrap_or(time::Duration::hours(2));
    SessionManagerLayer::new(session_store::Tolerant(store))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle))
}

/// How often expired sessions are swept from the database.
pub const SESSION_SWEEP: Duration = Duration::from_secs(3600);

/// Sweeps expired sessions from the database in the background. A sweep that fails (the
/// database read-only or away) is logged and tried again at the next one.
pub fn spawn_session_sweeper(db: &Db) {
    use tower_sessions::ExpiredDeletion;
    async fn sweep(store: impl ExpiredDeletion) {
        let mut interval = tokio::time::interval(SESSION_SWEEP);
        loop {
            interval.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "expired sessions not swept; trying again later");
            }
        }
    }
    match db.clone() {
        Db::Sqlite(pool) => {
            let store = SqliteStore::new(pool)
                .with_table_name("sessions")
                .expect("valid table name");
            tokio::spawn(sweep(store));
        }
        Db::Postgres(pool) => {
            let store = PostgresStore::new(pool)
                .with_schema_name("public")
                .and_then(|s| s.with_table_name("sessions"))
                .expect("valid table name");
            tokio::spawn(sweep(store));
        }
    }
}

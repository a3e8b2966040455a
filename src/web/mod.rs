//! The web layer: routes, extractors, the error page, CSRF. Handlers are thin: extract the
//! actor and a typed form, check scope, call `db`/`domain`, render.

mod account;
mod admin;
mod auth;
mod csrf;
mod dashboard;
mod documents;
mod error;
mod extract;
mod form;
mod health;
mod home;
mod members;
mod notifications;
mod orgs;
mod page;
mod plans;
mod review;
mod work;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::AppState;
use crate::db::Db;

pub use error::AppError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Largest request body accepted (a CSV file of members is the largest thing we take).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .route("/", get(home::show))
        .route("/healthz", get(health::check))
        .route("/static/app.css", get(stylesheet))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/account/password",
            get(account::password_page).post(account::change_password),
        )
        .route(
            "/orgs/new",
            get(orgs::new_root_page).post(orgs::create_root),
        )
        .route("/orgs/{id}", get(orgs::show))
        .route("/orgs/{id}/edit", get(orgs::edit_page).post(orgs::update))
        .route(
            "/orgs/{id}/children/new",
            get(orgs::new_child_page).post(orgs::create_child),
        )
        .route(
            "/orgs/{id}/members/new",
            get(members::new_page).post(members::create),
        )
        .route(
            "/orgs/{id}/members/import",
            get(members::import_page).post(members::import_preview),
        )
        .route(
            "/orgs/{id}/members/import/confirm",
            post(members::import_confirm),
        )
        .route(
            "/members/{id}/edit",
            get(members::edit_page).post(members::update),
        )
        .route(
            "/orgs/{id}/plans/new",
            get(plans::new_page).post(plans::create),
        )
        .route("/plans/{id}", get(plans::show))
        .route(
            "/plans/{id}/header",
            get(plans::sections::header_page).post(plans::sections::save_header),
        )
        .route(
            "/plans/{id}/basis",
            get(plans::sections::basis_page).post(plans::sections::save_basis),
        )
        .route(
            "/plans/{id}/texts/{section}",
            get(plans::sections::texts_page).post(plans::sections::save_texts),
        )
        .route(
            "/plans/{id}/recipients",
            get(plans::sections::recipients_page).post(plans::sections::save_recipients),
        )
        .route(
            "/plans/{id}/signature",
            get(plans::sections::signature_page).post(plans::sections::save_signature),
        )
        .route(
            "/plans/{id}/topics/new",
            get(plans::topics::new_page).post(plans::topics::create),
        )
        .route(
            "/topics/{id}",
            get(plans::topics::edit_page).post(plans::topics::update),
        )
        .route("/topics/{id}/standard", post(plans::topics::standard))
        .route("/topics/{id}/move", post(plans::topics::move_topic))
        .route("/topics/{id}/delete", post(plans::topics::delete))
        .route("/steps/{id}/mark", post(plans::progress::mark))
        .route(
            "/plans/{id}/adopt",
            get(review::adopt_page).post(review::adopt),
        )
        .route("/plans/{id}/submit", post(review::submit))
        .route("/plans/{id}/review", get(review::review_show))
        .route("/plans/{id}/comments", post(review::comment))
        .route("/plans/{id}/accept", post(review::accept))
        .route("/plans/{id}/return", post(review::return_plan))
        .route("/plans/{id}/issue", post(review::issue))
        .route("/plans/{id}/pull", post(review::pull))
        .route("/reviews", get(review::inbox))
        .route("/plans/{id}/document", get(documents::plan_print))
        .route("/plans/{id}/document.docx", get(documents::plan_docx))
        .route("/plans/{id}/document.pdf", get(documents::plan_pdf))
        .route("/revisions/{id}/document", get(documents::revision_print))
        .route(
            "/revisions/{id}/document.docx",
            get(documents::revision_docx),
        )
        .route("/revisions/{id}/document.pdf", get(documents::revision_pdf))
        .route("/me/work", get(work::show))
        //
        // notifications
        .route("/notifications", get(notifications::list))
        .route("/notifications/{id}/read", post(notifications::read))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/account/email", post(account::save_email))
        .route("/admin/users/{id}/email", post(admin::set_email))
        .route("/orgs/{id}/dashboard", get(dashboard::show))
        .route("/orgs/{id}/dashboard.csv", get(dashboard::csv))
        .route("/admin/users", get(admin::users))
        .route(
            "/admin/users/new",
            get(admin::new_user_page).post(admin::create_user),
        )
        .route("/admin/users/{id}", get(admin::user))
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/users/{id}/reviews", post(admin::add_review))
        .route(
            "/admin/users/{id}/reviews/{org}/delete",
            post(admin::remove_review),
        )
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT));

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
    };

    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
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

fn sessions<S: SessionStore + Clone>(store: S, state: &AppState) -> SessionManagerLayer<S> {
    let idle =
        time::Duration::try_from(state.settings.session_idle).unwrap_or(time::Duration::hours(2));
    SessionManagerLayer::new(store)
        .with_name("chuyende_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

/// How often expired sessions are swept from the database.
pub const SESSION_SWEEP: Duration = Duration::from_secs(3600);

/// Sweeps expired sessions from the database in the background.
pub fn spawn_session_sweeper(db: &Db) {
    use tower_sessions::ExpiredDeletion;
    match db.clone() {
        Db::Sqlite(pool) => {
            let store = SqliteStore::new(pool)
                .with_table_name("sessions")
                .expect("valid table name");
            tokio::spawn(store.continuously_delete_expired(SESSION_SWEEP));
        }
        Db::Postgres(pool) => {
            let store = PostgresStore::new(pool)
                .with_schema_name("public")
                .and_then(|s| s.with_table_name("sessions"))
                .expect("valid table name");
            tokio::spawn(store.continuously_delete_expired(SESSION_SWEEP));
        }
    }
}

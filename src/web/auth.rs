//! Signing in and out, and the extractor that gives every handler its actor.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};

use super::extract::Form;
use crate::web::routes::Routes;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;
use tower_sessions::Session;

use super::fault::{LastCookie, StorageFault};
use super::page::{NavUser, Page};
use super::{AppError, csrf};
use crate::AppState;
use crate::app::accounts::{self as users, Check, SignedIn};
use crate::db::fault::Fault;
use crate::domain::access::Actor;
use crate::domain::notification::is_local_link;
use crate::domain::user::UserId;

pub fn routes() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";
/// The account's session epoch at sign-in; a password change moves the account's on, which
/// ends every session stamped with the old one (the sessions' data is an opaque blob in the
/// store, so they cannot be found by account and deleted).
const SESSION_EPOCH: &str = "session_epoch";
pub const NOTICE: &str = "notice";
/// When the session's expiry was last moved on (Unix seconds).
pub const REFRESHED: &str = "refreshed_at";

/// How long a session's expiry stays where it is before a request moves it on: a tenth of the
/// idle timeout, at most a minute. Moving it writes the session, and no page view should write
/// each time; so a session ends after between `idle - this` and `idle` of inactivity (119 to
/// 120 minutes by default) instead of exactly `idle`.
pub fn refresh_after(idle: std::time::Duration) -> i64 {
    let seconds = (idle / 10)
        .min(std::time::Duration::from_secs(60))
        .as_secs();
    i64::try_from(seconds).unwrap_or(60)
}

/// The signed-in user, with their roles, the CSRF token for forms, and any one-time notice.
pub struct Auth {
    pub actor: Actor,
    pub session: Session,
    csrf: String,
    notice: Option<String>,
    unread: i64,
}

impl Auth {
    pub fn user_id(&self) -> Option<UserId> {
        Some(self.actor.user.id)
    }

    /// The frame of a page for this user.
    pub fn page(&self, title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            user: Some(NavUser {
                name: self.actor.user.full_name.clone(),
                is_admin: self.actor.is_admin(),
                reviewer: !self.actor.reviews.is_empty(),
                unread: self.unread,
            }),
            csrf: csrf::masked(&self.csrf),
            crumbs: Vec::new(),
            notice: self.notice.clone(),
        }
    }

    /// A notice shown once on the next page (after a redirect).
    pub async fn flash(&self, message: &str) -> Result<(), AppError> {
        self.session.insert(NOTICE, message).await?;
        Ok(())
    }

    pub fn require(&self, allowed: bool) -> Result<(), AppError> {
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| anyhow::anyhow!("session layer missing: {message}"))?;
        let next = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let login_required = || AppError::LoginRequired { next: next.clone() };
        if csrf::is_visitor(&session) {
            return Err(login_required());
        }

        let Some(user_id) = session.get::<UserId>(USER_ID).await? else {
            return Err(login_required());
        };
        // From here on the session was signed in: if it has ended, say so (a form posted into
        // an ended session gets its typed text back, see `csrf`).
        let ended = || AppError::SessionEnded { next: next.clone() };
        let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
        let max_age = i64::try_from(state.settings.session_max.as_secs()).unwrap_or(i64::MAX);
        if Utc::now().timestamp().saturating_sub(signed_in_at) > max_age {
            session.flush().await?;
            return Err(ended());
        }
        let epoch = session.get::<i64>(SESSION_EPOCH).await?.unwrap_or(0);
        // The account, its roles, its epoch and its unread count: one statement.
        let Some(signed_in) = users::signed_in(&state.db, user_id)
            .await?
            .filter(|s| s.session_epoch == epoch)
        else {
            session.flush().await?;
            return Err(ended());
        };
        let csrf = csrf::token(&session).await?;
        // Only a session that changes is written: a notice is removed when there is one, and
        // the expiry moves on once `refresh_after` has passed.
        let notice = match session.get::<String>(NOTICE).await? {
            Some(_) => session.remove::<String>(NOTICE).await?,
            None => None,
        };
        let now = Utc::now().timestamp();
        let refreshed = session.get::<i64>(REFRESHED).await?.unwrap_or(0);
        if now.saturating_sub(refreshed) >= refresh_after(state.settings.session_idle) {
            session.insert(REFRESHED, now).await?;
        }
        let SignedIn { actor, unread, .. } = signed_in;
        Ok(Auth {
            actor,
            session,
            csrf,
            notice,
            unread,
        })
    }
}

/// Whether the warning below was logged already (once per process is enough).
static UNTRUSTED_PROXY_WARNED: AtomicBool = AtomicBool::new(false);

/// The client's address, for throttling failed logins.
fn client_address(parts: &Parts, trust_proxy: bool) -> String {
    if !trust_proxy
        && parts.headers.contains_key("x-forwarded-for")
        && !UNTRUSTED_PROXY_WARNED.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(
            "requests arrive with X-Forwarded-For but --trust-proxy is off: every client behind \
             the proxy shares its address, so the per-address login throttle slows them all \
             down; set --trust-proxy (CHUYENDE_TRUST_PROXY) if a reverse proxy you run sets it"
        );
    }
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim);
        if let Some(address) = forwarded.filter(|a| !a.is_empty()) {
            return address.to_owned();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(
            parts,
            state.settings.trust_proxy,
        )))
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    login: String,
    next: String,
    error: Option<String>,
    /// No account exists yet: the page says how to create the first administrator.
    first_run: bool,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only a path of this site, fit for a `Location` header (one leading `/`, no `//` or `/\\`, no
/// whitespace or control character anywhere): never send a user off-site after login, and
/// never build a header from unchecked input.
fn safe_next(next: &str) -> &str {
    if is_local_link(next) { next } else { "/" }
}

/// The login page. Nothing is stored for a signed-out visitor: their session cookie is a visitor
/// id, whose token the form carries (see `csrf`), so showing this page never writes.
pub async fn login_page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let visitor = csrf::is_visitor(&session);
    if !visitor && session.get::<UserId>(USER_ID).await?.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    let id = match session.id() {
        Some(id) if visitor => id,
        _ => csrf::new_visitor(),
    };
    let page = LoginPage {
        page: Page::bare("Đăng nhập").with_csrf(id.to_string()),
        login: String::new(),
        next: query.next,
        error: None,
        // The first-run hint is only a hint: with the database away the form still shows, and
        // signing in says why it cannot.
        first_run: users::any(&state.db).await.is_ok_and(|any| !any),
    };
    let mut response = Html(page.render()?).into_response();
    if !visitor {
        let cookie = tower_sessions::cookie::Cookie::build((super::SESSION_COOKIE, id.to_string()))
            .http_only(true)
            .same_site(tower_sessions::cookie::SameSite::Lax)
            .secure(state.settings.secure_cookies)
            .path("/")
            .build();
        // After the session layer's own cookie, which removes a stale session's.
        response
            .extensions_mut()
            .insert(LastCookie(cookie.to_string()));
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub const WRONG_CREDENTIALS: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
pub const THROTTLED: &str =
    "Đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng chờ 15 phút rồi thử lại.";

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let login = users::login_key(&form.login);
    let refuse = |status: StatusCode, message: &str, csrf: String| -> Result<Response, AppError> {
        let page = LoginPage {
            page: Page::bare("Đăng nhập").with_csrf(csrf),
            login: login.clone(),
            next: form.next.clone(),
            error: Some(message.to_owned()),
            first_run: false,
        };
        Ok((status, Html(page.render()?)).into_response())
    };

    let signed_in = users::sign_in(
        &state.db,
        &state.settings.throttle,
        &login,
        &address,
        form.password.clone(),
    )
    .await;
    let (outcome, user_id) = match signed_in {
        Ok(signed_in) => signed_in,
        Err(error) => {
            // The attempt is recorded before the password is checked: a database that cannot
            // be written cannot sign anyone in, and the page says so plainly.
            let response = AppError::from(error).into_response();
            let Some(&StorageFault { fault, .. }) = response.extensions().get::<StorageFault>()
            else {
                return Ok(response);
            };
            let mut response = refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                &not_signed_in(fault),
                login_token(&session).await?,
            )?;
            response.extensions_mut().insert(StorageFault {
                fault,
                form_kept: true,
            });
            return Ok(response);
        }
    };
    let user_id = match (outcome, user_id) {
        (Check::Valid, Some(user_id)) => user_id,
        (Check::Throttled, _) => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                THROTTLED,
                login_token(&session).await?,
            );
        }
        _ => {
            tracing::info!(login, address, "login failed");
            return refuse(
                StatusCode::UNAUTHORIZED,
                WRONG_CREDENTIALS,
                login_token(&session).await?,
            );
        }
    };

    let epoch = users::session_epoch(&state.db, user_id)
        .await?
        .unwrap_or_default();
    // A new session id at login defeats session fixation. A visitor's id was never stored:
    // its session starts empty (not loaded) before it gets the new id.
    if csrf::is_visitor(&session) {
        session.clear().await;
    }
    session.cycle_id().await?;
    let now = Utc::now().timestamp();
    session.insert(USER_ID, user_id).await?;
    session.insert(SIGNED_IN_AT, now).await?;
    session.insert(REFRESHED, now).await?;
    session.insert(SESSION_EPOCH, epoch).await?;
    csrf::rotate(&session).await?;
    tracing::info!(login, "signed in");
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

/// The login form's token again: a visitor's id (or, for a session stored before sign-in was
/// write-free, its stored token).
async fn login_token(session: &Session) -> Result<String, AppError> {
    match session.id() {
        Some(id) if csrf::is_visitor(session) => Ok(id.to_string()),
        _ => csrf::token(session).await,
    }
}

/// What the login page says when the storage stops a sign-in.
fn not_signed_in(fault: Fault) -> String {
    match fault {
        Fault::ReadOnly => "Hệ thống đang tạm thời ở chế độ chỉ đọc (cơ sở dữ liệu chỉ cho phép \
                            đọc), nên chưa đăng nhập được. Vui lòng thử lại sau ít phút."
            .into(),
        _ => format!(
            "Chưa đăng nhập được: {}. Vui lòng thử lại sau ít phút.",
            super::error::fault_words(fault).1
        ),
    }
}

pub async fn logout(session: Session) -> Result<Response, AppError> {
    if !csrf::is_visitor(&session) {
        session.flush().await?;
    }
    Ok(Redirect::to("/login").into_response())
}

/// After one's own password change (which moved the account to `epoch`, ending its other
/// sessions): keeps this session signed in, under a new id.
pub async fn renew(session: &Session, epoch: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(SESSION_EPOCH, epoch).await?;
    Ok(())
}

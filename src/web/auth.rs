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

use super::page::{NavUser, Page};
use super::{AppError, csrf};
use crate::AppState;
use crate::app::accounts::{self as users, Check, SignedIn};
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
const NOTICE: &str = "notice";

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
            csrf: self.csrf.clone(),
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
        let notice = session.remove::<String>(NOTICE).await?;
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

pub async fn login_page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if session.get::<UserId>(USER_ID).await?.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    let page = LoginPage {
        page: Page::bare("Đăng nhập").with_csrf(csrf::token(&session).await?),
        login: String::new(),
        next: query.next,
        error: None,
        first_run: !users::any(&state.db).await?,
    };
    Ok(Html(page.render()?).into_response())
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

    let (outcome, user_id) = users::sign_in(
        &state.db,
        &state.settings.throttle,
        &login,
        &address,
        form.password.clone(),
    )
    .await?;
    let user_id = match (outcome, user_id) {
        (Check::Valid, Some(user_id)) => user_id,
        (Check::Throttled, _) => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                THROTTLED,
                csrf::token(&session).await?,
            );
        }
        _ => {
            tracing::info!(login, address, "login failed");
            return refuse(
                StatusCode::UNAUTHORIZED,
                WRONG_CREDENTIALS,
                csrf::token(&session).await?,
            );
        }
    };

    let epoch = users::session_epoch(&state.db, user_id)
        .await?
        .unwrap_or_default();
    // A new session id at login defeats session fixation.
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await?;
    session.insert(SESSION_EPOCH, epoch).await?;
    csrf::rotate(&session).await?;
    tracing::info!(login, "signed in");
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

pub async fn logout(session: Session) -> Result<Response, AppError> {
    session.flush().await?;
    Ok(Redirect::to("/login").into_response())
}

/// After one's own password change (which moved the account to `epoch`, ending its other
/// sessions): keeps this session signed in, under a new id.
pub async fn renew(session: &Session, epoch: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(SESSION_EPOCH, epoch).await?;
    Ok(())
}

//! Signing in and out, and the extractor that gives every handler its actor.

use std::net::SocketAddr;

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
use crate::app::accounts::{self as users, login_failures};
use crate::app::notifications;
use crate::domain::access::Actor;
use crate::domain::notification::is_local_link;
use crate::domain::text::canonical;
use crate::domain::user::UserId;

pub fn routes() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";
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
        let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
        let max_age = i64::try_from(state.settings.session_max.as_secs()).unwrap_or(i64::MAX);
        if Utc::now().timestamp().saturating_sub(signed_in_at) > max_age {
            session.flush().await?;
            return Err(login_required());
        }
        let Some(actor) = users::actor(&state.db, user_id).await? else {
            session.flush().await?;
            return Err(login_required());
        };
        let csrf = csrf::token(&session).await?;
        let notice = session.remove::<String>(NOTICE).await?;
        let unread = notifications::unread_count(&state.db, user_id).await?;
        Ok(Auth {
            actor,
            session,
            csrf,
            notice,
            unread,
        })
    }
}

/// The client's address, for throttling failed logins.
fn client_address(parts: &Parts, trust_proxy: bool) -> String {
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
    let login = canonical(&form.login).to_lowercase();
    let throttle = &state.settings.throttle;
    let window = chrono::TimeDelta::from_std(throttle.window)?;
    let window_start = Utc::now() - window;
    let refuse = |status: StatusCode, message: &str, csrf: String| -> Result<Response, AppError> {
        let page = LoginPage {
            page: Page::bare("Đăng nhập").with_csrf(csrf),
            login: form.login.clone(),
            next: form.next.clone(),
            error: Some(message.to_owned()),
        };
        Ok((status, Html(page.render()?)).into_response())
    };

    let (by_login, by_address) =
        login_failures::count_since(&state.db, &login, &address, window_start).await?;
    if by_login >= throttle.per_login || by_address >= throttle.per_address {
        tracing::warn!(login, address, "login throttled");
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            THROTTLED,
            csrf::token(&session).await?,
        );
    }

    let credentials = users::credentials(&state.db, &login).await?;
    let (user_id, stored) = match credentials {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let valid = users::verify(form.password.clone(), stored).await?;
    let Some(user_id) = user_id.filter(|_| valid) else {
        let forget_before = Utc::now() - window * 4;
        login_failures::record(&state.db, &login, &address, forget_before).await?;
        tracing::info!(login, address, "login failed");
        return refuse(
            StatusCode::UNAUTHORIZED,
            WRONG_CREDENTIALS,
            csrf::token(&session).await?,
        );
    };

    login_failures::clear(&state.db, &login).await?;
    // A new session id at login defeats session fixation.
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp()).await?;
    csrf::rotate(&session).await?;
    tracing::info!(login, "signed in");
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

pub async fn logout(session: Session) -> Result<Response, AppError> {
    session.flush().await?;
    Ok(Redirect::to("/login").into_response())
}

/// Re-issues the session id (after a password change) without signing out.
pub async fn renew(session: &Session) -> Result<(), AppError> {
    session.cycle_id().await?;
    Ok(())
}

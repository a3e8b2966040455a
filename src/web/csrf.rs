//! CSRF protection for every state-changing request, in two layers:
//! 1. the browser's own word: a `Sec-Fetch-Site` or `Origin` that says cross-site is refused;
//! 2. a per-session token every form carries (`csrf_token` field, or the `X-CSRF-Token` header,
//!    or the query string for multipart uploads), compared in constant time.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rand::distributions::Alphanumeric;
use tower_sessions::Session;

use super::{AppError, BODY_LIMIT};
use crate::AppState;

const KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(KEY).await? {
        return Ok(token);
    }
    rotate(session).await
}

/// A fresh token (at login, so a token seen before authentication is worthless after).
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let token: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect();
    session.insert(KEY, &token).await?;
    Ok(token)
}

pub async fn protect(
    State(_): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers()) {
        tracing::warn!("refused a cross-site request");
        return AppError::Csrf.into_response();
    }
    let expected = match session.get::<String>(KEY).await {
        Ok(Some(token)) => token,
        Ok(None) => return AppError::Csrf.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };

    let (parts, body) = request.into_parts();
    let mut provided = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.query().and_then(field_of));
    let body = if provided.is_none() && is_urlencoded(&parts.headers) {
        let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
            return AppError::Csrf.into_response();
        };
        provided = std::str::from_utf8(&bytes).ok().and_then(field_of);
        Body::from(bytes)
    } else {
        body
    };
    match provided {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => AppError::Csrf.into_response(),
    }
}

fn field_of(encoded: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(encoded)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value)
}

fn is_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Modern browsers say where a request comes from; older ones at least send `Origin`.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let authority = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(origin);
            authority != host
        }
        _ => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

//! CSRF protection for every state-changing request, in two layers:
//! 1. the browser's own word: a `Sec-Fetch-Site` or `Origin` that says cross-site is refused;
//! 2. a per-session token every form carries (`csrf_token` field, multipart forms included, or
//!    the `X-CSRF-Token` header; never the URL), compared in constant time.
//!
//! A form refused for its token is answered with what the user typed (see `refused`), and so is
//! one whose signed-in session turns out to have ended, and one whose save the storage refused.
//!
//! Sessions are stored only from sign-in on, so that no page view writes to the database. A
//! signed-out visitor (the login form) gets a *visitor* cookie instead: an id in the session
//! cookie that no stored session has, recognisable by its high half, which is the token of the
//! login form (a double-submit cookie: another site can neither read nor set it, and its
//! request is refused by the browser's word first).

use std::pin::Pin;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRequest, MatchedPath, Multipart, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rand::distributions::Alphanumeric;
use tower_sessions::Session;
use tower_sessions::session::Id;

use super::error::SessionEnded;
use super::fault::StorageFault;
use super::refused::{self, Sent, Why};
use super::{AppError, BODY_LIMIT, body_limit};
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

/// The token as one page carries it: a fresh random pad, then the token XOR the pad, in hex. No
/// two responses carry the same bytes, so a compressed page (gzip) gives away nothing about the
/// token to someone who can put text beside it and watch the response sizes (BREACH).
pub fn masked(token: &str) -> String {
    let token = token.as_bytes();
    let pad: Vec<u8> = (0..token.len())
        .map(|_| rand::thread_rng().r#gen())
        .collect();
    let xored = token.iter().zip(&pad).map(|(t, p)| t ^ p);
    pad.iter()
        .copied()
        .chain(xored)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The token a form sent, unmasked; `None` for anything [`masked`] did not make.
fn unmasked(sent: &str) -> Option<Vec<u8>> {
    if !sent.len().is_multiple_of(4) || !sent.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..sent.len() / 2)
        .map(|i| u8::from_str_radix(&sent[2 * i..2 * i + 2], 16).ok())
        .collect();
    let bytes = bytes?;
    let (pad, xored) = bytes.split_at(bytes.len() / 2);
    Some(pad.iter().zip(xored).map(|(p, x)| p ^ x).collect())
}

/// The high half of every visitor id ("chuyende").
const VISITOR: i128 = 0x6368_7579_656e_6465;

/// A new visitor id: the marker and 64 random bits.
pub fn new_visitor() -> Id {
    Id((VISITOR << 64) | i128::from(rand::thread_rng().r#gen::<u64>()))
}

/// Whether the session cookie is a visitor's (never stored, never loaded).
pub fn is_visitor(session: &Session) -> bool {
    session.id().is_some_and(|Id(id)| id >> 64 == VISITOR)
}

/// The token a form must carry for this session: a visitor's is its id; a stored session's is
/// kept in it (none when there is no session, or it has ended).
async fn expected(session: &Session) -> Result<Option<String>, tower_sessions::session::Error> {
    match session.id() {
        Some(id) if is_visitor(session) => Ok(Some(id.to_string())),
        _ => session.get::<String>(KEY).await,
    }
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

/// Set on a request whose body was larger than its route's limit ([`body_limit`]): the handler's own body extractor
/// refuses it, and a handler that can say "too large" (the member import) looks for this.
#[derive(Debug, Clone, Copy)]
pub struct Oversized;

/// How much of an oversized body is still read (and thrown away), as a multiple of the route's
/// limit, so that the answer reaches the browser: a server that answers while the client is
/// still sending resets the connection, and the browser shows its own error instead of ours.
const DRAIN_FACTOR: usize = 16;

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
    // The token is a field of the form (multipart forms included, so that it never travels in
    // a URL and lands in a log), so the body is read here, bounded, and handed on as read.
    let (mut parts, body) = request.into_parts();
    let limit = body_limit(
        parts
            .extensions
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
    );
    let Ok((bytes, oversized)) = read_bounded(body, limit).await else {
        return AppError::BadRequest.into_response();
    };
    if oversized {
        parts.extensions.insert(Oversized);
    }
    let fields = form_fields(&parts.headers, &bytes, oversized).await;
    let from = same_site_referer(&parts.headers).unwrap_or_else(|| parts.uri.path().to_owned());
    let action = parts.uri.path().to_owned();
    let sent = Sent {
        action: &action,
        from: &from,
        multipart: is_multipart(&parts.headers),
    };
    let expected = match expected(&session).await {
        Ok(token) => token,
        Err(error) => {
            let response = AppError::from(error).into_response();
            return match response.extensions().get::<StorageFault>() {
                Some(StorageFault { fault, .. }) => refused::not_saved(*fault, &fields, &sent),
                None => response,
            };
        }
    };
    let provided = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            fields
                .iter()
                .find(|(name, _)| name == FIELD)
                .map(|(_, value)| value.as_str())
        });
    let Some(expected) = expected else {
        // No session, or one that expired: whatever was typed is shown back.
        return refused::page(Why::SessionEnded, &fields);
    };
    match provided {
        Some(token)
            if unmasked(token).is_some_and(|sent| constant_time_eq(&sent, expected.as_bytes())) =>
        {
            let bytes = if oversized && is_multipart(&parts.headers) {
                // Cut at the limit, a multipart form still yields the fields before the cut
                // (its text, which comes before its file: the handler shows it back); whole, it
                // would be refused at once. Its handler knows from `Oversized` what happened.
                // Any other form keeps the byte past the limit, so its extractor refuses it.
                parts.headers.remove(header::CONTENT_LENGTH);
                bytes.slice(..limit)
            } else {
                bytes
            };
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            if response.extensions().get::<SessionEnded>().is_some() {
                return refused::page(Why::SessionEnded, &fields);
            }
            match response.extensions().get::<StorageFault>() {
                Some(StorageFault {
                    fault,
                    form_kept: false,
                }) => refused::not_saved(*fault, &fields, &sent),
                _ => response,
            }
        }
        _ => refused::page(Why::StaleForm, &fields),
    }
}

/// The body, up to `limit` bytes plus one when there was more (so that the handler's
/// extractor still sees it is too large), and whether there was more.
async fn read_bounded(mut body: Body, limit: usize) -> Result<(Bytes, bool), axum::Error> {
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if bytes.len() <= limit {
            let room = limit + 1 - bytes.len();
            bytes.extend_from_slice(&data[..data.len().min(room)]);
        }
        if seen > DRAIN_FACTOR * limit {
            break;
        }
    }
    Ok((Bytes::from(bytes), seen > limit))
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|kind| kind.starts_with("multipart/form-data"))
}

/// The text fields of a urlencoded or multipart form (files left out), in order. Of an
/// oversized body only the fields that arrived whole within the limit are read.
async fn form_fields(headers: &HeaderMap, bytes: &Bytes, oversized: bool) -> Vec<(String, String)> {
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        return Vec::new();
    };
    let kind = content_type.to_str().unwrap_or_default();
    if kind.starts_with("application/x-www-form-urlencoded") {
        let whole = if oversized {
            let end = bytes.iter().rposition(|b| *b == b'&').unwrap_or(0);
            &bytes[..end]
        } else {
            &bytes[..]
        };
        return serde_urlencoded::from_bytes(whole).unwrap_or_default();
    }
    if !kind.starts_with("multipart/form-data") {
        return Vec::new();
    }
    // Within the limit, or the multipart reader refuses the whole (one-frame) body at once.
    // The text fields come before any file, so a cut at the ordinary limit keeps them whole.
    let within = bytes.slice(..bytes.len().min(BODY_LIMIT));
    let Ok(request) = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(within))
    else {
        return Vec::new();
    };
    let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.file_name().is_some() {
            continue;
        }
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(value) = field.text().await else {
            break;
        };
        fields.push((name, value));
    }
    fields
}

/// The path of the page a form was sent from, when the browser says and it is of this site.
fn same_site_referer(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.split_once("://")?.1;
    let path = rest.strip_prefix(host)?;
    crate::domain::notification::is_local_link(path).then(|| path.to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_differs_every_time_and_unmasks_to_itself() {
        let token = "abcXYZ0123456789";
        let (one, two) = (masked(token), masked(token));
        assert_ne!(one, two);
        assert_eq!(unmasked(&one).as_deref(), Some(token.as_bytes()));
        assert_eq!(unmasked(&two).as_deref(), Some(token.as_bytes()));
        // The bare token, odd lengths and non-hex are not masked tokens.
        for sent in [token, "abc", "zzzz", "ổổ", ""] {
            assert!(
                unmasked(sent).is_none_or(|t| t != token.as_bytes()),
                "{sent}"
            );
        }
    }
}

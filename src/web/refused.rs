//! The page for a form the CSRF layer could not let through because its session has ended or
//! its token is stale: it says why and shows what the user typed, so a long edit is never lost.
//!
//! The text is shown in read-only boxes to copy rather than re-offered as a form to send again:
//! a resent form would carry the same stale token (signing in again issues a new one), and
//! re-opening the real form pre-filled would need every handler to take its input from
//! somewhere else than the request.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::page::Page;

/// Why the form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The session is gone (idle timeout, signed out, too old, password changed).
    SessionEnded,
    /// The session lives but the form's token is not its token (a page older than the last
    /// sign-in, or a forgery).
    StaleForm,
}

/// Fields never shown again: the token, and passwords.
const HIDDEN: [&str; 5] = [super::csrf::FIELD, "password", "current", "new", "confirm"];

struct Kept {
    name: String,
    value: String,
    rows: usize,
}

#[derive(Template)]
#[template(path = "refused.html")]
struct RefusedPage {
    page: Page,
    session_ended: bool,
    kept: Vec<Kept>,
}

/// 403 with the reason and every non-empty text field of the form (passwords excepted).
pub fn page(why: Why, fields: &[(String, String)]) -> Response {
    let kept: Vec<Kept> = fields
        .iter()
        .filter(|(name, value)| !HIDDEN.contains(&name.as_str()) && !value.trim().is_empty())
        .map(|(name, value)| Kept {
            name: name.clone(),
            value: value.clone(),
            rows: value.lines().count().clamp(2, 20),
        })
        .collect();
    let title = match why {
        Why::SessionEnded => "Phiên đăng nhập đã hết hạn",
        Why::StaleForm => "Yêu cầu không hợp lệ",
    };
    let template = RefusedPage {
        page: Page::bare(title),
        session_ended: why == Why::SessionEnded,
        kept,
    };
    match template.render() {
        Ok(body) => (StatusCode::FORBIDDEN, Html(body)).into_response(),
        Err(error) => super::AppError::from(error).into_response(),
    }
}

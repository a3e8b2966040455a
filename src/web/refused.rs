//! The page for a form the CSRF layer could not let through because its session has ended or
//! its token is stale, or whose save the storage refused (read-only, full, unreachable): it
//! says why and shows what the user typed, so a long edit is never lost.
//!
//! The text is shown in read-only boxes to copy rather than re-offered as a form to send again:
//! a resent form would carry the same stale token (signing in again issues a new one), and
//! re-opening the real form pre-filled would need every handler to take its input from
//! somewhere else than the request. A form the storage refused keeps a valid token, so its page
//! also offers to send exactly the same again once the database is back ("Gửi lại"); a save
//! whose commit broke off may have been stored, so that page links the page to check instead.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::fault::StorageFault;
use super::page::Page;
use crate::db::fault::Fault;

/// Why the form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The session is gone (idle timeout, signed out, too old, password changed).
    SessionEnded,
    /// The session lives but the form's token is not its token (a page older than the last
    /// sign-in, or a forgery).
    StaleForm,
}

/// The request a refused form was: where it went and where it came from.
pub struct Sent<'a> {
    pub action: &'a str,
    /// The page the form was on (the same-site `Referer`), or the action.
    pub from: &'a str,
    /// A file upload: its file cannot be sent again from here.
    pub multipart: bool,
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
    /// The storage's reason, when it refused the save.
    not_saved: Option<&'static str>,
    /// The page to check, when the save may have been stored.
    check: Option<String>,
    /// The form to send again, as it was sent (passwords excepted).
    resend: Option<(String, Vec<(String, String)>)>,
    status: u16,
    request_id: Option<String>,
    kept: Vec<Kept>,
}

/// 503 (or, when the commit broke off, 200 with a link to check) with the storage's reason and
/// every non-empty text field of the form.
pub fn not_saved(fault: Fault, fields: &[(String, String)], sent: &Sent) -> Response {
    let (title, why) = super::error::fault_words(fault);
    let maybe_saved = fault == Fault::CommitUnknown;
    let status = if maybe_saved {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let resend = (!maybe_saved && !sent.multipart).then(|| {
        let fields = fields
            .iter()
            .filter(|(name, _)| !HIDDEN[1..].contains(&name.as_str()))
            .cloned()
            .collect();
        (sent.action.to_owned(), fields)
    });
    let template = RefusedPage {
        page: Page::bare(title),
        session_ended: false,
        not_saved: Some(why),
        check: maybe_saved.then(|| sent.from.to_owned()),
        resend,
        status: status.as_u16(),
        request_id: super::fault::request_id(),
        kept: kept(fields),
    };
    let mut response = match template.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => return super::AppError::from(error).into_response(),
    };
    response.extensions_mut().insert(StorageFault {
        fault,
        form_kept: true,
    });
    response
}

/// 403 with the reason and every non-empty text field of the form (passwords excepted).
pub fn page(why: Why, fields: &[(String, String)]) -> Response {
    let title = match why {
        Why::SessionEnded => "Phiên đăng nhập đã hết hạn",
        Why::StaleForm => "Yêu cầu không hợp lệ",
    };
    let template = RefusedPage {
        page: Page::bare(title),
        session_ended: why == Why::SessionEnded,
        not_saved: None,
        check: None,
        resend: None,
        status: 403,
        request_id: None,
        kept: kept(fields),
    };
    match template.render() {
        Ok(body) => (StatusCode::FORBIDDEN, Html(body)).into_response(),
        Err(error) => super::AppError::from(error).into_response(),
    }
}

/// Every non-empty text field of the form, passwords and the token excepted.
fn kept(fields: &[(String, String)]) -> Vec<Kept> {
    fields
        .iter()
        .filter(|(name, value)| !HIDDEN.contains(&name.as_str()) && !value.trim().is_empty())
        .map(|(name, value)| Kept {
            name: name.clone(),
            value: value.clone(),
            rows: value.lines().count().clamp(2, 20),
        })
        .collect()
}

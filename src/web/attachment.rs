//! Files offered for download: always as attachments, never shown inline (so nothing a user
//! uploaded can run as a page of ours), under a name every browser saves correctly.

use std::fmt::Write;

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::domain::text::fold;

/// `bytes` as a download named `name` (any Unicode), with `fallback` (ASCII) for the few
/// clients that do not read RFC 5987 names; neither is ever cached.
pub fn attachment(
    bytes: impl Into<axum::body::Body>,
    mime: &str,
    name: &str,
    fallback: &str,
) -> Response {
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(name)
    );
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes.into(),
    )
        .into_response()
}

/// An ASCII stand-in for a name: its letters without marks, runs of anything else as one `-`.
pub fn ascii_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// RFC 5987 `value-chars`: attr-chars as they are, every other byte percent-encoded.
pub fn rfc5987(name: &str) -> String {
    let mut encoded = String::new();
    for byte in name.bytes().filter(|b| !b.is_ascii_control()) {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

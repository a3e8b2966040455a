//! The static files compiled into the binary (the stylesheets, the screen pages' script and the
//! print script), served so that browsers and proxies keep them: each carries an `ETag` made from
//! its content (a browser holding a copy asks again with `If-None-Match` and gets an empty 304),
//! and pages link the screen stylesheet and script under their content hash
//! (`/static/app.css?v=…`), a URL whose content never changes and may be kept for a year; a new
//! release links a new URL.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/static/app.css",
            get(|headers: HeaderMap, RawQuery(query): RawQuery| async move {
                APP_CSS.serve(&headers, query.as_deref())
            }),
        )
        .route(
            "/static/app.js",
            get(|headers: HeaderMap, RawQuery(query): RawQuery| async move {
                APP_JS.serve(&headers, query.as_deref())
            }),
        )
        .route(
            "/static/print.css",
            get(|headers: HeaderMap, RawQuery(query): RawQuery| async move {
                PRINT_CSS.serve(&headers, query.as_deref())
            }),
        )
        .route(
            "/static/print.js",
            get(|headers: HeaderMap, RawQuery(query): RawQuery| async move {
                PRINT_JS.serve(&headers, query.as_deref())
            }),
        )
}

/// Under its plain URL a file may change with a release: kept an hour, then asked again.
const PLAIN: &str = "public, max-age=3600";
/// Under its content-hashed URL it never changes.
const VERSIONED: &str = "public, max-age=31536000, immutable";

pub struct Asset {
    content_type: &'static str,
    body: &'static str,
    /// A hash of the content, in hex: the `v` of the versioned URL and the `ETag`.
    version: String,
    etag: String,
    /// The path with the version: what pages link.
    href: String,
}

impl Asset {
    fn new(path: &'static str, content_type: &'static str, body: &'static str) -> Self {
        // SipHash with fixed keys: the same content gives the same version in every process of
        // a build (and, in practice, across builds), which is all a cache key needs.
        let mut hasher = std::hash::DefaultHasher::new();
        body.hash(&mut hasher);
        let version = format!("{:016x}", hasher.finish());
        Self {
            content_type,
            body,
            etag: format!("\"{version}\""),
            href: format!("{path}?v={version}"),
            version,
        }
    }

    fn serve(&self, headers: &HeaderMap, query: Option<&str>) -> Response {
        let versioned = query
            .and_then(|q| q.strip_prefix("v="))
            .is_some_and(|v| v == self.version);
        let cache = if versioned { VERSIONED } else { PLAIN };
        let fresh = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.trim_start_matches("W/") == self.etag
            });
        let common = [
            (header::CACHE_CONTROL, cache),
            (header::ETAG, self.etag.as_str()),
        ];
        if fresh {
            (StatusCode::NOT_MODIFIED, common).into_response()
        } else {
            (
                common,
                [(header::CONTENT_TYPE, self.content_type)],
                self.body,
            )
                .into_response()
        }
    }
}

static APP_CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "/static/app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    )
});

static APP_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "/static/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/app.js"),
    )
});

static PRINT_CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "/static/print.css",
        "text/css; charset=utf-8",
        crate::document::html::STYLESHEET,
    )
});

static PRINT_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "/static/print.js",
        "text/javascript; charset=utf-8",
        crate::document::html::SCRIPT,
    )
});

/// The screen stylesheet's versioned URL, for the templates.
pub fn app_css() -> &'static str {
    &APP_CSS.href
}

/// The screen pages' script's versioned URL, for the templates.
pub fn app_js() -> &'static str {
    &APP_JS.href
}

//! Headers every response carries: what the browser may load and frame, what it may cache, and
//! (behind HTTPS) that it must come back over HTTPS. A handler that sets one of them itself
//! (a static file's caching, a download's) keeps its own.

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Settings;

/// Only this site's own files: no inline script or style (the templates have none), no
/// plugins, no `<base>` to redirect relative links, no framing, forms posted only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; base-uri 'none'; \
     object-src 'none'; frame-ancestors 'none'; form-action 'self'";

/// Pages hold personal data: no browser or proxy keeps a copy unless a handler says otherwise.
pub const CACHE_CONTROL: &str = "no-store";

/// A year, sent only when the deployment says users come over HTTPS (`--secure-cookies`).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

pub fn add<S: Clone + Send + Sync + 'static>(router: Router<S>, settings: &Settings) -> Router<S> {
    let hsts = settings
        .secure_cookies
        .then(|| HeaderValue::from_static(STRICT_TRANSPORT_SECURITY));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
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
}

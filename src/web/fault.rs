//! What a request answers when the storage fails, and what `/healthz` learns from it.
//!
//! Every request runs in a scope that knows its request id (shown on every error page) and what
//! went wrong below the handler: the session layer of tower-sessions answers an empty 500 when
//! it cannot save a session, after the handler has already done its work. [`watch`] replaces
//! that empty answer: with the error page (and the storage fault, when it was one), or, when
//! the handler had succeeded — a save committed — with a page saying so and linking to it, never
//! with a failure.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::REQUEST_ID;
use crate::AppState;
use crate::db::fault::Fault;

/// Marks a response that met a storage fault. `form_kept`: the handler answered with its own
/// form and the typed text already (the login page), so the CSRF layer leaves it as it is;
/// otherwise a form's answer is replaced by the page of what was typed (`refused`).
#[derive(Debug, Clone, Copy)]
pub struct StorageFault {
    pub fault: Fault,
    pub form_kept: bool,
}

/// A `Set-Cookie` a handler wants to come last, after the session layer's own (see `auth`).
#[derive(Debug, Clone)]
pub struct LastCookie(pub String);

#[derive(Default)]
struct Seen {
    /// The handler's status and redirect target, before the session layer saved the session.
    handler: Option<(StatusCode, Option<String>)>,
    /// A storage fault the session store met.
    session_fault: Option<Fault>,
}

struct Scope {
    id: String,
    seen: Mutex<Seen>,
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

impl Scope {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The id of the request being answered (as in the log and the `x-request-id` header).
pub fn request_id() -> Option<String> {
    SCOPE.try_with(|scope| scope.id.clone()).ok()
}

/// Called by the session store when it meets a storage fault.
pub fn note_session_fault(fault: Fault) {
    let _ = SCOPE.try_with(|scope| scope.seen().session_fault = Some(fault));
}

/// The outermost layer below the request id: runs the request in its scope, replaces an empty
/// 5xx, adds a handler's last cookie, and tells the storage watch what writes met.
pub async fn watch(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path().to_owned();
    let scope = Arc::new(Scope {
        id,
        seen: Mutex::default(),
    });
    let mut response = SCOPE
        .scope(scope.clone(), async move {
            let response = next.run(request).await;
            if response.status().is_server_error()
                && !response.headers().contains_key(header::CONTENT_TYPE)
            {
                replace_empty(&scope, &path)
            } else {
                response
            }
        })
        .await;
    if let Some(LastCookie(cookie)) = response.extensions().get::<LastCookie>().cloned()
        && let Ok(value) = cookie.parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    match response.extensions().get::<StorageFault>() {
        Some(StorageFault { fault, .. }) => state.storage.failed(*fault),
        None if writes
            && (response.status().is_success() || response.status().is_redirection()) =>
        {
            state.storage.succeeded();
        }
        None => {}
    }
    response
}

/// Remembers the handler's answer, for [`watch`]: placed just inside the session layer.
pub async fn note_outcome(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = SCOPE.try_with(|scope| scope.seen().handler = Some((response.status(), location)));
    response
}

/// The answer for an empty 5xx (the session layer could not save the session).
fn replace_empty(scope: &Scope, path: &str) -> Response {
    let (handler, fault) = {
        let seen = scope.seen();
        (seen.handler.clone(), seen.session_fault)
    };
    tracing::warn!(?fault, "the session could not be saved");
    match handler {
        Some((status, location)) if status.is_success() || status.is_redirection() => {
            let link = location
                .filter(|l| crate::domain::notification::is_local_link(l))
                .unwrap_or_else(|| path.to_owned());
            let mut response = super::error::done_but_session_lost(fault, &link);
            if let Some(fault) = fault {
                response.extensions_mut().insert(StorageFault {
                    fault,
                    form_kept: true,
                });
            }
            response
        }
        _ => match fault {
            Some(fault) => super::error::storage_page(fault),
            None => super::AppError::Internal(anyhow::anyhow!("the session could not be saved"))
                .into_response(),
        },
    }
}

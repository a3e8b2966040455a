use crate::web::routes::Routes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().route("/healthz", get(check))
}

/// For load balancers and monitors: 200 "ok" when the database answers and takes writes; 503
/// otherwise, with the reason — "database unavailable" (no reads either), "database read-only:
/// not writable" or "database full: not writable" (pages are still read). A read-only database
/// is found by asking it (without writing); a full disk only by a write that met it, so that
/// one is reported from the last failed write until a write succeeds.
pub async fn check(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if let Err(error) = state.db.ping().await {
        tracing::error!(%error, "health check: database unreachable");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    let fault = match state.db.probe_write().await {
        Ok(()) => state
            .storage
            .last()
            .filter(|f| *f == crate::db::fault::Fault::Full),
        Err(fault) => Some(fault),
    };
    match fault {
        None => (StatusCode::OK, "ok"),
        Some(fault) => {
            tracing::warn!(?fault, "health check: database not writable");
            (StatusCode::SERVICE_UNAVAILABLE, fault.health())
        }
    }
}

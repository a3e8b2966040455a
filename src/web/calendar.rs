//! Calendar feeds: the public feed at its secret address (read-only, no sign-in: a calendar app
//! cannot sign in), and renewing one's addresses from "Việc của tôi".

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::app::calendar;
use crate::domain::org::OrgId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::Path;
use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/calendar/{feed}", get(feed))
        .route("/me/calendar", post(renew_own))
        .route("/orgs/{id}/calendar", post(renew_cell))
}

/// `/calendar/<token>.ics`: an unknown or revoked token is a 404, like any missing page.
async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let today = chrono::Local::now().date_naive();
    let text = calendar::feed_of(&state.db, token, today)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response())
}

/// A new address for the reader's own feed; the old one stops working.
async fn renew_own(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    calendar::renew(&state.db, auth.actor.user.id, None).await?;
    Ok(Redirect::to("/me/work#calendar").into_response())
}

/// A new address for a cell's feed, for one of its active members only (others: 404).
async fn renew_cell(
    State(state): State<AppState>,
    auth: Auth,
    Path(cell): Path<OrgId>,
) -> Result<Response, AppError> {
    if !auth.actor.memberships.iter().any(|m| m.cell_id == cell) {
        return Err(AppError::NotFound);
    }
    calendar::renew(&state.db, auth.actor.user.id, Some(cell)).await?;
    Ok(Redirect::to("/me/work#calendar").into_response())
}

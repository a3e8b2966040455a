//! "Thông báo": one's own notifications, newest first, unread ones highlighted; opening one
//! marks it read and goes to its page.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppError;
use super::auth::Auth;
use super::extract::{Path, Query};
use super::form::render;
use super::page::Page;
use crate::AppState;
use crate::app::notifications;
use crate::domain::notification::{FALLBACK_LINK, Notification, is_local_link};

pub fn routes() -> Routes {
    Routes::new()
        .route("/notifications", get(list))
        .route("/notifications/{id}/read", post(read))
        .route("/notifications/read-all", post(read_all))
}

/// Notifications per page.
pub const PER_PAGE: i64 = 30;

pub struct Item {
    pub notification: Notification,
    /// "14:05 26/04/2024", local time.
    pub at: String,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    unread: i64,
    number: i64,
    previous: Option<i64>,
    next: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: String,
}

pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = auth.actor.user.id;
    let total = notifications::count(&state.db, user).await?;
    let last = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let number = query.page.trim().parse::<i64>().unwrap_or(1).clamp(1, last);
    let items = notifications::list(&state.db, user, PER_PAGE, (number - 1) * PER_PAGE)
        .await?
        .into_iter()
        .map(|notification| Item {
            at: notification
                .at
                .with_timezone(&chrono::Local)
                .format("%H:%M %d/%m/%Y")
                .to_string(),
            notification,
        })
        .collect();
    let unread = notifications::unread_count(&state.db, user).await?;
    render(&ListPage {
        page: auth.page("Thông báo"),
        items,
        unread,
        number,
        previous: (number > 1).then(|| number - 1),
        next: (number < last).then(|| number + 1),
    })
}

/// Marks one's own notification read and goes to its page; anyone else's is not found.
pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let link = notifications::mark_read(&state.db, auth.actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = if is_local_link(&link) && HeaderValue::from_str(&link).is_ok() {
        link.as_str()
    } else {
        FALLBACK_LINK
    };
    Ok(Redirect::to(target).into_response())
}

pub async fn read_all(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let marked = notifications::mark_all_read(&state.db, auth.actor.user.id).await?;
    if marked > 0 {
        auth.flash(&format!("Đã đánh dấu {marked} thông báo là đã đọc."))
            .await?;
    }
    Ok(Redirect::to("/notifications").into_response())
}

//! "Việc của tôi": the coming sessions of the member's cells, and every step and topic
//! assigned to the signed-in member, nearest first.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::AppError;
use super::auth::Auth;
use super::form::render;
use super::page::Page;
use crate::AppState;
use crate::app::plans::{self, WorkRow};
use crate::app::sessions::{self, Upcoming};

pub fn routes() -> Routes {
    Routes::new().route("/me/work", get(show))
}

pub struct Item {
    pub row: WorkRow,
    pub due_label: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    page: Page,
    open: Vec<Item>,
    done: Vec<Item>,
    today: String,
    sessions: Vec<Upcoming>,
}

pub async fn show(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let today = chrono::Local::now().date_naive();
    let mut rows = plans::work_of(&state.db, auth.actor.user.id).await?;
    // Nearest due first; things without a date after them.
    rows.sort_by_key(|r| {
        (
            r.due().map(|d| d.start()).unwrap_or(chrono::NaiveDate::MAX),
            r.topic_id,
            r.step_id,
        )
    });
    let (done, open): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|row| {
            let due = row.due();
            Item {
                due_label: due
                    .map(|d| d.label())
                    .unwrap_or_else(|| "Chưa có thời gian".into()),
                overdue: row.done_on.is_none()
                    && row.step_id.is_some()
                    && due.is_some_and(|d| d.deadline() < today),
                row,
            }
        })
        .partition(|item| item.row.done_on.is_some());
    render(&WorkPage {
        page: auth.page("Việc của tôi"),
        sessions: sessions::upcoming_for_user(&state.db, auth.actor.user.id, today).await?,
        open,
        done,
        today: today.format("%d/%m/%Y").to_string(),
    })
}

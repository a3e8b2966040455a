//! "Việc của tôi": the coming sessions of the member's cells, every step and topic assigned
//! to the signed-in member, nearest first, and marking a step done (`mark`).

mod mark;

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::app::plans::{self, WorkRow};
use crate::app::sessions::{self, Upcoming};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::form::{rejected, render};
use crate::web::page::Page;

pub fn routes() -> Routes {
    Routes::new()
        .route("/me/work", get(show))
        .merge(mark::routes())
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
    refused: Option<Refused>,
}

/// A step's "done" that was not recorded because of its date: the date as typed and why.
pub struct Refused {
    pub step: i64,
    pub done_on: String,
    pub message: String,
}

impl WorkPage {
    fn refused_for(&self, step: &i64) -> Option<&Refused> {
        self.refused.as_ref().filter(|r| r.step == *step)
    }
}

pub async fn show(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    page(&state, &auth, None).await
}

/// The page again after a refused mark (422), the typed date and its message in the step's row.
async fn refused(state: &AppState, auth: &Auth, refused: Refused) -> Result<Response, AppError> {
    page(state, auth, Some(refused)).await
}

async fn page(
    state: &AppState,
    auth: &Auth,
    refused: Option<Refused>,
) -> Result<Response, AppError> {
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
    let template = WorkPage {
        page: auth.page("Việc của tôi"),
        sessions: sessions::upcoming_for_user(&state.db, auth.actor.user.id, today).await?,
        open,
        done,
        today: today.format("%d/%m/%Y").to_string(),
        refused,
    };
    if template.refused.is_some() {
        rejected(&template)
    } else {
        render(&template)
    }
}

//! "Việc của tôi": the coming sessions of the member's cells, every step and topic assigned
//! to the signed-in member, nearest first, and marking a step done (`mark`); and the same on a
//! large-type sheet for members who prefer paper.

mod mark;

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::app::calendar;
use crate::app::plans::{self, WorkRow};
use crate::app::sessions::{self, Upcoming};
use crate::domain::org::OrgId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::form::{rejected, render};
use crate::web::page::Page;

pub fn routes() -> Routes {
    Routes::new()
        .route("/me/work", get(show))
        .route("/me/work/sheet", get(sheet))
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
    feeds: Vec<Feed>,
}

/// A calendar feed the reader may subscribe to: their own, or one of their cells'.
pub struct Feed {
    pub label: String,
    /// Where the form posts to make a new address.
    pub renew: String,
    /// The address, once made.
    pub url: Option<String>,
}

async fn feeds_of(state: &AppState, auth: &Auth) -> Result<Vec<Feed>, AppError> {
    let tokens = calendar::tokens_of(&state.db, auth.actor.user.id).await?;
    let url = |cell: Option<OrgId>| {
        tokens
            .iter()
            .find(|t| t.cell_id == cell)
            .map(|t| format!("/calendar/{}.ics", t.token))
    };
    let mut feeds = vec![Feed {
        label: "Lịch của tôi: buổi sinh hoạt sắp tới và hạn các việc được giao".into(),
        renew: "/me/calendar".into(),
        url: url(None),
    }];
    feeds.extend(auth.actor.memberships.iter().map(|m| Feed {
        label: format!("Lịch sinh hoạt chuyên đề của {}", m.cell_name),
        renew: format!("/orgs/{}/calendar", m.cell_id),
        url: url(Some(m.cell_id)),
    }));
    Ok(feeds)
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

/// What "Việc của tôi" holds: the coming sessions, then what is open and what is done, nearest
/// due first (things without a date after them).
struct Work {
    today: chrono::NaiveDate,
    sessions: Vec<Upcoming>,
    open: Vec<Item>,
    done: Vec<Item>,
}

async fn work_of(state: &AppState, auth: &Auth) -> Result<Work, AppError> {
    let today = chrono::Local::now().date_naive();
    let mut rows = plans::work_of(&state.db, auth.actor.user.id).await?;
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
    Ok(Work {
        sessions: sessions::upcoming_for_user(&state.db, auth.actor.user.id, today).await?,
        today,
        open,
        done,
    })
}

async fn page(
    state: &AppState,
    auth: &Auth,
    refused: Option<Refused>,
) -> Result<Response, AppError> {
    let work = work_of(state, auth).await?;
    let template = WorkPage {
        page: auth.page("Việc của tôi"),
        sessions: work.sessions,
        open: work.open,
        done: work.done,
        today: work.today.format("%d/%m/%Y").to_string(),
        refused,
        feeds: feeds_of(state, auth).await?,
    };
    if template.refused.is_some() {
        rejected(&template)
    } else {
        render(&template)
    }
}

/// "Việc của tôi" on paper: A4, large type, no navigation and no forms.
#[derive(Template)]
#[template(path = "work_sheet.html")]
struct WorkSheet {
    name: String,
    today: String,
    sessions: Vec<Upcoming>,
    open: Vec<Item>,
}

pub async fn sheet(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let work = work_of(&state, &auth).await?;
    render(&WorkSheet {
        name: auth.actor.user.full_name.clone(),
        today: work.today.format("%d/%m/%Y").to_string(),
        sessions: work.sessions,
        open: work.open,
    })
}

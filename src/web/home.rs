//! The start page: the units one belongs to or follows.

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
use crate::app::orgs;
use crate::domain::access::{Membership, Reviewership};
use crate::domain::org::Org;

pub fn routes() -> Routes {
    Routes::new().route("/", get(show))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    memberships: Vec<Membership>,
    reviews: Vec<Reviewership>,
    /// Top of the tree, for administrators.
    roots: Vec<Org>,
    is_admin: bool,
}

pub async fn show(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let roots = if auth.actor.is_admin() {
        orgs::roots(&state.db).await?
    } else {
        Vec::new()
    };
    render(&HomePage {
        page: auth.page("Trang chủ"),
        memberships: auth.actor.memberships.clone(),
        reviews: auth.actor.reviews.clone(),
        roots,
        is_admin: auth.actor.is_admin(),
    })
}

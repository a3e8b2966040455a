//! Moving a unit to another parent committee (administrators only): a form that takes the new
//! parent's number, and the move itself.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppError;
use super::auth::Auth;
use super::extract::{Form, Path};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::scope::{org_page, readable_org};
use crate::AppState;
use crate::app::org_move::{Outcome, move_unit};
use crate::domain::Invalid;
use crate::domain::org::{Org, OrgId};
use crate::domain::text::limit;

pub fn routes() -> Routes {
    Routes::new().route("/orgs/{id}/move", get(move_page).post(submit))
}

#[derive(Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    parent: String,
}

#[derive(Template)]
#[template(path = "orgs/move.html")]
struct MovePage {
    page: Page,
    org: Org,
    parent: String,
    errors: FieldErrors,
}

/// The unit, if the actor may read it (else 404) and move it (else 403): administrators.
async fn movable(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    auth.require(auth.actor.is_admin())?;
    Ok(org)
}

async fn page(state: &AppState, auth: &Auth, org: &Org) -> Result<Page, AppError> {
    org_page(state, auth, org, "Chuyển sang đảng bộ khác").await
}

pub async fn move_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let org = movable(&state, &auth, id).await?;
    render(&MovePage {
        page: page(&state, &auth, &org).await?,
        org,
        parent: String::new(),
        errors: FieldErrors::default(),
    })
}

fn parse_number(text: &str) -> Result<OrgId, Invalid> {
    text.trim()
        .trim_start_matches('#')
        .parse::<OrgId>()
        .map_err(|_| Invalid("Vui lòng nhập mã số của đảng bộ cấp trên mới (ghi trên trang của đảng bộ, ví dụ #12)."))
}

pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let org = movable(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    if let Some(parent) = errors.text("parent", &form.parent, limit::SHORT, parse_number) {
        match move_unit(&state.db, id, parent, auth.user_id()).await? {
            Outcome::Moved {
                unit,
                parent,
                superior,
            } => {
                auth.flash(&format!(
                    "Đã chuyển {unit} về trực thuộc {parent}. Tổ chức cấp trên in ở tiêu đề văn \
                     bản nay là “{superior}” (sửa được ở Sửa thông tin)."
                ))
                .await?;
                return Ok(Redirect::to(&format!("/orgs/{id}")).into_response());
            }
            Outcome::Refused(refusal) => errors.add("parent", refusal.message()),
            Outcome::NoSuchParent => errors.add("parent", "Không có tổ chức với mã số này."),
            Outcome::Gone => return Err(AppError::NotFound),
        }
    }
    rejected(&MovePage {
        page: page(&state, &auth, &org).await?,
        org,
        parent: form.parent,
        errors,
    })
}

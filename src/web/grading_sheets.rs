//! A committee's grading sheet for the sessions of its subtree (`/orgs/{id}/grading-sheet`):
//! read by whoever reads the committee, set by its own staff and administrators.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::AppError;
use super::auth::Auth;
use super::extract::{Fields, Path};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::routes::Routes;
use super::scope::{org_page, readable_org};
use crate::AppState;
use crate::app;
use crate::app::grading_sheets::Entry;
use crate::domain::grading::{Criterion, Sheet};
use crate::domain::org::{Org, OrgId};
use crate::domain::text::{canonical, limit, within};

pub fn routes() -> Routes {
    Routes::new().route("/orgs/{id}/grading-sheet", get(show).post(save))
}

#[derive(Template)]
#[template(path = "grading_sheets/edit.html")]
struct SheetPage {
    page: Page,
    org: Org,
    /// The sheet in force for the committee's subtree.
    sheet: Sheet,
    /// Where it comes from: "" for the committee's own, else the committee above or the
    /// standard sheet, in words.
    source: String,
    own: bool,
    can_edit: bool,
    version: i64,
    typed: String,
    errors: FieldErrors,
    refused: Option<String>,
    history: Vec<Entry>,
}

impl SheetPage {
    fn criteria(&self) -> &[Criterion] {
        self.sheet.criteria()
    }
}

/// A committee the actor may read; the sheet is a committee's (cells have none of their own).
async fn committee(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    if org.is_cell() {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

async fn page(
    state: &AppState,
    auth: &Auth,
    org: Org,
    typed: Option<String>,
    errors: FieldErrors,
    refused: Option<String>,
) -> Result<SheetPage, AppError> {
    let own = app::grading_sheets::of_committee(&state.db, org.id).await?;
    let (sheet, from) = app::grading_sheets::applying_to(&state.db, &org).await?;
    let source = match from {
        Some(id) if id == org.id => String::new(),
        Some(id) => app::orgs::get(&state.db, id)
            .await?
            .map(|o| format!("Đang dùng bảng điểm của {}.", o.name))
            .unwrap_or_default(),
        None => "Đang dùng bảng điểm chung (100 điểm, theo hướng dẫn của các tỉnh).".to_owned(),
    };
    let history = app::grading_sheets::history(&state.db, org.id).await?;
    Ok(SheetPage {
        page: org_page(state, auth, &org, "Bảng điểm xếp loại sinh hoạt chuyên đề").await?,
        can_edit: auth.actor.can_edit_plans(&org),
        version: own.as_ref().map_or(0, |s| s.version),
        own: own.is_some(),
        typed: typed.unwrap_or_else(|| sheet.text()),
        sheet,
        source,
        org,
        errors,
        refused,
        history,
    })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let org = committee(&state, &auth, id).await?;
    render(&page(&state, &auth, org, None, FieldErrors::default(), None).await?)
}

/// Saves the typed sheet as the committee's own, or (`remove`) drops its own.
pub async fn save(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let org = committee(&state, &auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&org))?;
    let version: i64 = fields.get("version").parse().unwrap_or(-1);
    let typed = fields.get("sheet").to_owned();
    let remove = !fields.get("remove").is_empty();
    let mut errors = FieldErrors::default();
    let sheet = if remove {
        None
    } else {
        match within(&typed, limit::SECTION)
            .map_err(|too_long| too_long.to_string())
            .and_then(|()| Sheet::parse(&canonical(&typed)))
        {
            Ok(sheet) => Some(sheet),
            Err(message) => {
                errors.add("sheet", message);
                let page = page(&state, &auth, org, Some(typed), errors, None).await?;
                return rejected(&page);
            }
        }
    };
    if app::grading_sheets::save(state.ctx(), auth.user_id(), &org, sheet.as_ref(), version).await?
    {
        auth.flash(if remove {
            "Đã bỏ bảng điểm riêng; các chi bộ dùng bảng điểm cấp trên hoặc bảng điểm chung."
        } else {
            "Đã lưu bảng điểm xếp loại."
        })
        .await?;
        return Ok(Redirect::to(&format!("/orgs/{id}/grading-sheet")).into_response());
    }
    let refused = "Trong lúc đồng chí sửa, bảng điểm đã được người khác lưu. Nội dung đồng chí vừa \
                   nhập vẫn còn trong ô; hãy đối chiếu với bảng điểm đang dùng rồi lưu lại.";
    let page = page(
        &state,
        &auth,
        org,
        Some(typed),
        errors,
        Some(refused.into()),
    )
    .await?;
    rejected(&page)
}

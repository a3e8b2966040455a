//! Model sessions (sinh hoạt chi bộ mẫu): a committee's list of model-session plans, a new
//! plan, its page, issuing it, and its document (print view, DOCX, PDF). The plan's text parts
//! and its sessions are edited in the submodules.

mod delegates;
mod edit;
mod meeting;
mod sessions;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;

use crate::AppState;
use crate::app::model_sessions::{self as model, Listed, Outcome};
use crate::document;
use crate::domain::model_session::{ModelPlanId, ModelSessionPlan};
use crate::domain::org::{Org, OrgId, Year};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::download;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{
    draftable_model_plan, model_committee, model_plan_page, org_page, readable_model_plan,
};

pub fn routes() -> Routes {
    Routes::new()
        .route("/orgs/{id}/model-plans", get(list).post(create))
        .route("/model-plans/{id}", get(show))
        .route("/model-plans/{id}/issue", post(issue))
        .route("/model-plans/{id}/document", get(print))
        .route("/model-plans/{id}/document.docx", get(docx))
        .route("/model-plans/{id}/document.pdf", get(pdf))
        .merge(edit::routes())
        .merge(sessions::routes())
        .merge(meeting::routes())
}

#[derive(Template)]
#[template(path = "model_sessions/list.html")]
struct ListPage {
    page: Page,
    committee: Org,
    plans: Vec<Listed>,
    year: String,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    auth: &Auth,
    committee: Org,
    year: String,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    Ok(ListPage {
        page: org_page(state, auth, &committee, "Sinh hoạt chi bộ mẫu").await?,
        plans: model::of_org(&state.db, committee.id).await?,
        committee,
        year,
        errors,
    })
}

pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let committee = model_committee(&state, &auth, id).await?;
    let year = chrono::Local::now().year().to_string();
    render(&list_page(&state, &auth, committee, year, FieldErrors::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let committee = model_committee(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let year = errors.text("year", fields.get("year"), 4, |text| {
        text.trim()
            .parse::<i32>()
            .ok()
            .and_then(|y| Year::new(y).ok())
            .ok_or(crate::domain::Invalid("Năm không hợp lệ (ví dụ 2024)."))
    });
    match year {
        Some(year) => {
            let plan = model::create(state.ctx(), auth.user_id(), &committee, year).await?;
            Ok(Redirect::to(&format!("/model-plans/{plan}")).into_response())
        }
        None => {
            let year = fields.get("year").to_owned();
            rejected(&list_page(&state, &auth, committee, year, errors).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "model_sessions/show.html")]
struct ShowPage {
    page: Page,
    plan: ModelSessionPlan,
    committee: Org,
    can_draft: bool,
    refused: Option<&'static str>,
}

async fn show_page(
    state: &AppState,
    auth: &Auth,
    plan: ModelSessionPlan,
    committee: Org,
    refused: Option<&'static str>,
) -> Result<ShowPage, AppError> {
    let title = plan.name();
    Ok(ShowPage {
        page: model_plan_page(state, auth, &committee, &plan, &title).await?,
        can_draft: auth.actor.can_draft_model_sessions(&committee),
        plan,
        committee,
        refused,
    })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (plan, committee) = readable_model_plan(&state, &auth, id).await?;
    render(&show_page(&state, &auth, plan, committee, None).await?)
}

pub async fn issue(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, committee) = draftable_model_plan(&state, &auth, id).await?;
    let version = fields.get("version").parse().unwrap_or(0);
    let refused = match model::issue(state.ctx(), auth.user_id(), id, version).await? {
        Outcome::Done => {
            auth.flash("Đã ban hành kế hoạch; các chi bộ thực hiện đã thấy hội nghị mẫu của mình.")
                .await?;
            return Ok(Redirect::to(&format!("/model-plans/{id}")).into_response());
        }
        other => Some(other.message().1),
    };
    let (plan, committee) = match model::get(&state.db, id).await? {
        Some(now) => (now, committee),
        None => (plan, committee),
    };
    rejected(&show_page(&state, &auth, plan, committee, refused).await?)
}

/// The plan's document, its file name, and where "back" goes.
async fn built(
    state: &AppState,
    auth: &Auth,
    id: ModelPlanId,
) -> Result<(document::Document, String, String), AppError> {
    let (plan, committee) = readable_model_plan(state, auth, id).await?;
    let stem = document::model_plan_file_stem(&plan, &committee);
    Ok((
        document::model_plan::build(&plan, &committee),
        stem,
        format!("/model-plans/{id}"),
    ))
}

pub async fn print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (doc, _, back) = built(&state, &auth, id).await?;
    download::print_view(&doc, &back)
}

pub async fn docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (doc, stem, _) = built(&state, &auth, id).await?;
    download::docx(&doc, &stem)
}

pub async fn pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (doc, stem, _) = built(&state, &auth, id).await?;
    download::pdf(&state, doc, &stem).await
}

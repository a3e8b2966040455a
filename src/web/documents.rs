//! The plan as the official KẾ HOẠCH: print view, DOCX and PDF, of the plan as it is now or of
//! a submitted revision exactly as it was submitted.

use crate::web::routes::Routes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::AppError;
use super::auth::Auth;
use super::download;
use super::extract::Path;
use super::scope::readable_plan;
use crate::AppState;
use crate::app::review::{self, RevisionId};
use crate::document::{self, Document};
use crate::domain::org::Org;
use crate::domain::plan::{Plan, PlanId};

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans/{id}/document", get(plan_print))
        .route("/plans/{id}/document.docx", get(plan_docx))
        .route("/plans/{id}/document.pdf", get(plan_pdf))
        .route("/revisions/{id}/document", get(revision_print))
        .route("/revisions/{id}/document.docx", get(revision_docx))
        .route("/revisions/{id}/document.pdf", get(revision_pdf))
}

/// The document of a plan the actor may read, its file name, and where "back" goes.
async fn live(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Document, String, String), AppError> {
    let (plan, org) = readable_plan(state, auth, id).await?;
    Ok(built(&plan, &org, None, format!("/plans/{id}")))
}

/// The document of a submitted revision (readable by whoever may read its plan).
async fn frozen(
    state: &AppState,
    auth: &Auth,
    id: RevisionId,
) -> Result<(Document, String, String), AppError> {
    let revision = review::revision(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    readable_plan(state, auth, revision.plan_id).await?;
    let snapshot = &revision.snapshot;
    Ok(built(
        &snapshot.plan,
        &snapshot.org,
        Some(revision.number),
        format!("/plans/{}", revision.plan_id),
    ))
}

fn built(
    plan: &Plan,
    org: &Org,
    revision: Option<i32>,
    back: String,
) -> (Document, String, String) {
    let mut stem = document::file_stem(plan, org);
    if let Some(number) = revision {
        stem.push_str(&format!("-lan-{number}"));
    }
    (document::plan::build(plan, org), stem, back)
}

fn print_view((doc, _, back): (Document, String, String)) -> Result<Response, AppError> {
    download::print_view(&doc, &back)
}

fn docx((doc, stem, _): (Document, String, String)) -> Result<Response, AppError> {
    download::docx(&doc, &stem)
}

async fn pdf(
    state: &AppState,
    (doc, stem, _): (Document, String, String),
) -> Result<Response, AppError> {
    download::pdf(state, doc, &stem).await
}

pub async fn plan_print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    print_view(live(&state, &auth, id).await?)
}

pub async fn plan_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    docx(live(&state, &auth, id).await?)
}

pub async fn plan_pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    pdf(&state, live(&state, &auth, id).await?).await
}

pub async fn revision_print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<RevisionId>,
) -> Result<Response, AppError> {
    print_view(frozen(&state, &auth, id).await?)
}

pub async fn revision_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<RevisionId>,
) -> Result<Response, AppError> {
    docx(frozen(&state, &auth, id).await?)
}

pub async fn revision_pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<RevisionId>,
) -> Result<Response, AppError> {
    pdf(&state, frozen(&state, &auth, id).await?).await
}

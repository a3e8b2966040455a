//! Corrections of closed minutes (biên bản bổ sung): the secretary's form, and each
//! correction's document (print view, DOCX, PDF) for whoever may read the minutes.

use axum::extract::State;
use axum::response::Response;

use super::forms::{after, messages, refusal};
use super::{Forms, Scope, Typed, page, readable};
use crate::AppState;
use crate::app;
use crate::app::minutes::Outcome;
use crate::document::{self, Document};
use crate::domain::correction::{CorrectionId, parse_body};
use crate::domain::session::SessionId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::download;
use crate::web::extract::{Fields, Path};
use crate::web::form::rejected;

/// The secretary (or deputy) sets down a correction of the closed minutes.
pub async fn make(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_manage)?;
    let mut typed = Typed::of(&scope);
    typed.correction = fields.get("correction").to_owned();
    let mut forms = Forms::fresh();
    match parse_body(&typed.correction) {
        Ok(body) => {
            let today = chrono::Local::now().date_naive();
            let outcome =
                app::minutes::correct(state.ctx(), auth.user_id(), scope.target(), &body, today)
                    .await?;
            if outcome == Outcome::Done {
                auth.flash("Đã lập biên bản bổ sung.").await?;
                return Ok(after(id, "corrections"));
            }
            forms.refused = Some(refusal(&outcome));
        }
        Err(message) => messages(&mut forms.errors, vec![("correction".to_owned(), message)]),
    }
    forms.typed = Some(typed);
    rejected(&page(&state, &auth, scope, forms).await?)
}

/// The correction `cid` of the session's minutes as a document, and its file name.
async fn document_of(
    state: &AppState,
    auth: &Auth,
    id: SessionId,
    cid: CorrectionId,
) -> Result<(Document, String), AppError> {
    let scope: Scope = readable(state, auth, id).await?;
    let correction = app::minutes::corrections_of(state.ctx(), &scope.minutes)
        .await?
        .into_iter()
        .find(|c| c.id == cid)
        .ok_or(AppError::NotFound)?;
    let doc = document::correction::build(&correction, &scope.minutes, &scope.context());
    let stem = document::minutes_file_stem(
        Some(&correction.number),
        &scope.cell.abbreviation,
        scope.plan.year.get(),
    );
    Ok((doc, stem))
}

pub async fn print(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cid)): Path<(SessionId, CorrectionId)>,
) -> Result<Response, AppError> {
    let (doc, _) = document_of(&state, &auth, id, cid).await?;
    download::print_view(&doc, &format!("/sessions/{id}/minutes#corrections"))
}

pub async fn docx(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cid)): Path<(SessionId, CorrectionId)>,
) -> Result<Response, AppError> {
    let (doc, stem) = document_of(&state, &auth, id, cid).await?;
    download::docx(&doc, &stem)
}

pub async fn pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cid)): Path<(SessionId, CorrectionId)>,
) -> Result<Response, AppError> {
    let (doc, stem) = document_of(&state, &auth, id, cid).await?;
    download::pdf(&state, doc, &stem).await
}

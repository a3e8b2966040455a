//! The model sessions of a draft plan: adding one, changing it, removing it. The host is picked
//! from the cells of the committee's subtree; once a host is saved, a thematic model can be
//! linked to a topic of the host cell's plans.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::app::model_sessions::{self as model, Outcome};
use crate::domain::model_session::{
    ModelKind, ModelPlanId, ModelSessionForm, ModelSessionId, ModelSessionPlan,
};
use crate::domain::org::Org;
use crate::domain::plan::Topic;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{draftable_model_plan, model_plan_page};

pub fn routes() -> Routes {
    Routes::new()
        .route("/model-plans/{id}/sessions/new", get(new_page).post(create))
        .route("/model-sessions/{id}", get(edit_page).post(update))
        .route("/model-sessions/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "model_sessions/session.html")]
struct SessionPage {
    page: Page,
    plan_id: ModelPlanId,
    /// The session being changed; None for a new one.
    session: Option<ModelSessionId>,
    locked: bool,
    refused: Option<&'static str>,
    form: ModelSessionForm,
    kinds: [ModelKind; 2],
    hosts: Vec<Org>,
    /// The topics of the host cell's plans, for a thematic model.
    topics: Vec<Topic>,
    errors: FieldErrors,
}

impl SessionPage {
    fn action(&self) -> String {
        match self.session {
            Some(id) => format!("/model-sessions/{id}"),
            None => format!("/model-plans/{}/sessions/new", self.plan_id),
        }
    }
}

fn read(fields: &Fields) -> ModelSessionForm {
    let get = |name: &str| fields.get(name).to_owned();
    ModelSessionForm {
        kind: get("kind"),
        host: get("host"),
        date: get("date"),
        start: get("start"),
        venue: get("venue"),
        address: get("address"),
        topic: get("topic"),
        topic_title: get("topic_title"),
    }
}

#[allow(clippy::too_many_arguments)]
async fn session_page(
    state: &AppState,
    auth: &Auth,
    (plan, committee): (&ModelSessionPlan, &Org),
    session: Option<ModelSessionId>,
    form: ModelSessionForm,
    refused: Option<&'static str>,
    errors: FieldErrors,
) -> Result<SessionPage, AppError> {
    let title = if session.is_some() {
        "Sửa hội nghị mẫu"
    } else {
        "Thêm hội nghị mẫu"
    };
    let hosts = model::host_choices(state.ctx(), committee).await?;
    let topics = match hosts.iter().find(|h| h.id.to_string() == form.host.trim()) {
        Some(host) => model::host_topics(state.ctx(), host).await?,
        None => Vec::new(),
    };
    Ok(SessionPage {
        page: model_plan_page(state, auth, committee, plan, title).await?,
        plan_id: plan.id,
        session,
        locked: !plan.is_draft(),
        refused,
        form,
        kinds: ModelKind::ALL,
        hosts,
        topics,
        errors,
    })
}

/// Saves the form as a new session (`session` None) or over `session`.
async fn submit(
    state: &AppState,
    auth: &Auth,
    (plan, committee): (ModelSessionPlan, Org),
    session: Option<ModelSessionId>,
    fields: &Fields,
) -> Result<Response, AppError> {
    let form = read(fields);
    let mut errors = FieldErrors::default();
    let mut refused = None;
    match form.parse(plan.issued_on) {
        Ok(draft) => {
            let outcome = match session {
                Some(id) => {
                    model::update_session(state.ctx(), &committee, plan.id, id, &draft).await?
                }
                None => model::add_session(state.ctx(), &committee, plan.id, &draft).await?,
            };
            match outcome {
                Outcome::Done => {
                    return Ok(Redirect::to(&format!("/model-plans/{}", plan.id)).into_response());
                }
                other => match other.message() {
                    (Some(field), message) => errors.add(field, message),
                    (None, message) => refused = Some(message),
                },
            }
        }
        Err(messages) => {
            for (field, message) in messages {
                errors.add(field, message);
            }
        }
    }
    rejected(
        &session_page(
            state,
            auth,
            (&plan, &committee),
            session,
            form,
            refused,
            errors,
        )
        .await?,
    )
}

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (plan, committee) = draftable_model_plan(&state, &auth, id).await?;
    render(
        &session_page(
            &state,
            &auth,
            (&plan, &committee),
            None,
            ModelSessionForm::blank(),
            None,
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let found = draftable_model_plan(&state, &auth, id).await?;
    submit(&state, &auth, found, None, &fields).await
}

/// The session's plan (which the actor may draft) and the session.
async fn session_of(
    state: &AppState,
    auth: &Auth,
    id: ModelSessionId,
) -> Result<(ModelSessionPlan, Org, ModelSessionForm), AppError> {
    let plan_id = model::plan_of_session(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, committee) = draftable_model_plan(state, auth, plan_id).await?;
    let form = plan
        .sessions
        .iter()
        .find(|s| s.id == id)
        .map(ModelSessionForm::of)
        .ok_or(AppError::NotFound)?;
    Ok((plan, committee, form))
}

pub async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (plan, committee, form) = session_of(&state, &auth, id).await?;
    render(
        &session_page(
            &state,
            &auth,
            (&plan, &committee),
            Some(id),
            form,
            None,
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, committee, _) = session_of(&state, &auth, id).await?;
    submit(&state, &auth, (plan, committee), Some(id), &fields).await
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (plan, _, _) = session_of(&state, &auth, id).await?;
    match model::delete_session(state.ctx(), plan.id, id).await? {
        Outcome::Done => auth.flash("Đã bỏ hội nghị mẫu khỏi kế hoạch.").await?,
        other => auth.flash(other.message().1).await?,
    }
    Ok(Redirect::to(&format!("/model-plans/{}", plan.id)).into_response())
}

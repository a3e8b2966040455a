//! What is done on a model meeting's page: inviting units, naming delegates, recording who
//! came, assessing, and the summary (saved, then issued). Each refused form comes back on the
//! page with what was typed and the message beside its field or above its form.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use super::meeting::{Typed, meeting_page};
use crate::AppState;
use crate::app::model_delegates::{self as delegates, Outcome};
use crate::domain::model_delegates::{AssessmentForm, InvitationsForm, ReportForm, chosen};
use crate::domain::model_session::ModelSessionId;
use crate::domain::org::OrgId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::rejected;
use crate::web::routes::Routes;
use crate::web::scope::{MeetingScope, organised_meeting, readable_meeting};

pub fn routes() -> Routes {
    Routes::new()
        .route("/model-sessions/{id}/invitations", post(invite))
        .route("/model-sessions/{id}/units/{org}/delegates", post(register))
        .route("/model-sessions/{id}/attendance", post(attendance))
        .route("/model-sessions/{id}/assessment", post(assess))
        .route("/model-sessions/{id}/summary", post(save_summary))
        .route("/model-sessions/{id}/summary/issue", post(issue_summary))
}

/// Back to the meeting's page at `section` with `done` shown; or the page again, 422, with the
/// typed form and the outcome's message beside its field or at the top of the page.
async fn finish(
    state: &AppState,
    auth: &Auth,
    scope: MeetingScope,
    outcome: Outcome,
    (section, done): (&'static str, &str),
    mut typed: Typed,
) -> Result<Response, AppError> {
    if outcome == Outcome::Done {
        auth.flash(done).await?;
        let id = scope.session.id;
        return Ok(
            Redirect::to(&format!("/model-sessions/{id}/meeting#{section}")).into_response(),
        );
    }
    match outcome.message() {
        (Some(field), message) => typed.errors.add(field, message),
        (None, message) => typed.refused = Some(message),
    }
    rejected(&meeting_page(state, auth, scope, typed).await?)
}

/// The page again with the messages of a form that did not parse.
async fn invalid(
    state: &AppState,
    auth: &Auth,
    scope: MeetingScope,
    messages: impl IntoIterator<Item = (impl Into<String>, String)>,
    mut typed: Typed,
) -> Result<Response, AppError> {
    for (field, message) in messages {
        typed.errors.add(field, message);
    }
    rejected(&meeting_page(state, auth, scope, typed).await?)
}

pub async fn invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = organised_meeting(&state, &auth, id).await?;
    let form = InvitationsForm {
        units: fields.all("units").into_iter().map(str::to_owned).collect(),
        register_by: fields.get("register_by").to_owned(),
        scored: !fields.get("scored").is_empty(),
    };
    let typed = Typed {
        invitations: Some(form.clone()),
        ..Typed::default()
    };
    let invitations = match form.parse(scope.session.date) {
        Ok(invitations) => invitations,
        Err(messages) => return invalid(&state, &auth, scope, messages, typed).await,
    };
    let outcome =
        delegates::set_invitations(state.ctx(), auth.user_id(), scope.meeting(), &invitations)
            .await?;
    let done = "Đã lưu các đơn vị được mời.";
    finish(&state, &auth, scope, outcome, ("invitations", done), typed).await
}

pub async fn register(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, unit)): Path<(ModelSessionId, OrgId)>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable_meeting(&state, &auth, id).await?;
    let Some(org) = scope.registering_unit(unit).cloned() else {
        // Invited units the actor does not speak for are theirs to name, not the actor's.
        return Err(if scope.invited.iter().any(|u| u.id == unit) {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    };
    let keys = fields.all("delegates");
    let typed = Typed {
        registration: Some((unit, keys.iter().map(|k| (*k).to_owned()).collect())),
        ..Typed::default()
    };
    let people = chosen(&keys);
    let organiser = scope.rights.staff;
    let outcome = delegates::register(
        state.ctx(),
        auth.user_id(),
        scope.meeting(),
        &org,
        &people,
        organiser,
    )
    .await?;
    let done = format!("Đã đăng ký {} đại biểu của {}.", people.len(), org.name);
    let section = "registration";
    finish(&state, &auth, scope, outcome, (section, &done), typed).await
}

pub async fn attendance(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = organised_meeting(&state, &auth, id).await?;
    let ticked: Vec<String> = fields.all("came").into_iter().map(str::to_owned).collect();
    let came: Vec<_> = scope
        .delegates
        .iter()
        .filter(|d| ticked.iter().any(|t| t.trim() == d.id.to_string()))
        .map(|d| d.id)
        .collect();
    let typed = Typed {
        came: Some(ticked),
        ..Typed::default()
    };
    let outcome =
        delegates::record_attendance(state.ctx(), auth.user_id(), scope.meeting(), &came).await?;
    let done = format!("Đã ghi nhận {} đại biểu có mặt.", came.len());
    finish(&state, &auth, scope, outcome, ("attendance", &done), typed).await
}

pub async fn assess(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable_meeting(&state, &auth, id).await?;
    let delegate = scope.own_delegate().cloned().ok_or(AppError::Forbidden)?;
    if delegate.attended == Some(false) {
        // Said before the form is read: the points of an absent delegate are not asked for.
        let done = ("assessment", "");
        return finish(
            &state,
            &auth,
            scope,
            Outcome::Absent,
            done,
            Typed::default(),
        )
        .await;
    }
    let sheet = if scope.invitations.scored {
        delegates::sheet_for(state.ctx(), scope.session.host.id).await?
    } else {
        None
    };
    let count = sheet.as_ref().map_or(0, |s| s.item_count());
    let form = AssessmentForm {
        went_well: fields.get("went_well").to_owned(),
        to_fix: fields.get("to_fix").to_owned(),
        points: (0..count)
            .map(|i| fields.get(&format!("point_{i}")).to_owned())
            .collect(),
    };
    let typed = Typed {
        assessment: Some(form.clone()),
        ..Typed::default()
    };
    let assessment = match form.parse(sheet.as_ref()) {
        Ok(assessment) => assessment,
        Err(messages) => return invalid(&state, &auth, scope, messages, typed).await,
    };
    let outcome = delegates::assess(
        state.ctx(),
        auth.user_id(),
        scope.meeting(),
        &delegate,
        &assessment,
    )
    .await?;
    let done = "Đã gửi ý kiến đánh giá của đồng chí.";
    finish(&state, &auth, scope, outcome, ("assessment", done), typed).await
}

fn report_form(fields: &Fields) -> ReportForm {
    ReportForm {
        kind: fields.get("kind").to_owned(),
        number: fields.get("number").to_owned(),
        date: fields.get("date").to_owned(),
        summary: fields.get("summary").to_owned(),
    }
}

pub async fn save_summary(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = organised_meeting(&state, &auth, id).await?;
    let form = report_form(&fields);
    let typed = Typed {
        report: Some(form.clone()),
        ..Typed::default()
    };
    let draft = match form.parse(scope.session.date) {
        Ok(draft) => draft,
        Err(messages) => return invalid(&state, &auth, scope, messages, typed).await,
    };
    let version = fields.get("version").parse().unwrap_or(-1);
    let outcome = delegates::save_report(
        state.ctx(),
        auth.user_id(),
        scope.meeting(),
        &draft,
        version,
    )
    .await?;
    let done = "Đã lưu nội dung tổng hợp.";
    finish(&state, &auth, scope, outcome, ("report", done), typed).await
}

pub async fn issue_summary(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = organised_meeting(&state, &auth, id).await?;
    let version = fields.get("version").parse().unwrap_or(-1);
    let outcome =
        delegates::issue_report(state.ctx(), auth.user_id(), scope.meeting(), version).await?;
    let done = "Đã ban hành văn bản kết quả hội nghị.";
    finish(
        &state,
        &auth,
        scope,
        outcome,
        ("report", done),
        Typed::default(),
    )
    .await
}

//! The session of a topic: its page (read by the cell's members and the committees above),
//! and the forms of the cell's secretary and deputy that schedule, move and cancel it and lay
//! the topic's preparation out backwards from it.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::app;
use crate::app::papers::Paper;
use crate::app::sessions::Entry;
use crate::app::sessions::{Outcome, Target};
use crate::domain::member::Member;
use crate::domain::org::Org;
use crate::domain::paper::Lead;
use crate::domain::plan::{Plan, Topic, TopicId};
use crate::domain::session::{
    Bounds, Session, SessionDraft, SessionId, SessionInput, parse_reason,
};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, refusal_message, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{plan_page, readable_topic};

pub fn routes() -> Routes {
    Routes::new()
        .route("/topics/{id}/session", get(show).post(schedule))
        .route("/topics/{id}/session/move", post(reschedule))
        .route("/topics/{id}/session/cancel", post(cancel))
        .route("/topics/{id}/session/relay", post(relay))
}

#[derive(Template)]
#[template(path = "sessions/show.html")]
struct SessionPage {
    page: Page,
    plan: Plan,
    topic: Topic,
    /// The session that is not cancelled, if any.
    session: Option<Session>,
    cancelled: Vec<Session>,
    history: Vec<Entry>,
    can_edit: bool,
    members: Vec<Member>,
    /// The schedule form (no session yet) or the move form, as typed.
    form: SessionInput,
    relay: bool,
    errors: FieldErrors,
    reason: String,
    refused: Option<String>,
    /// The open session's minutes are the reader's to open.
    minutes_readable: bool,
    /// The topic's papers, if the actor may open them: the latest circulated version and how
    /// long before this session it went out.
    papers: Option<Option<(Paper, Option<Lead>)>>,
    /// Who fixed the open session's day, hour and venue (a committee's model session).
    fixed: Option<String>,
}

impl SessionPage {
    fn selected(&self, field: &str, member: &Member) -> bool {
        let value = match field {
            "chair" => &self.form.chair,
            _ => &self.form.minute_taker,
        };
        *value == member.id.to_string()
    }

    fn version(&self) -> i64 {
        self.session.as_ref().map_or(0, |s| s.version)
    }
}

/// What a session page is about: the topic of a cell's plan the actor may read.
struct Scope {
    plan: Plan,
    cell: Org,
    topic: Topic,
}

impl Scope {
    fn target(&self) -> Target<'_> {
        Target::of(&self.plan, &self.cell, &self.topic)
    }
}

async fn readable(state: &AppState, auth: &Auth, id: TopicId) -> Result<Scope, AppError> {
    let (plan, cell, topic) = readable_topic(state, auth, id).await?;
    Ok(Scope { plan, cell, topic })
}

async fn editable(state: &AppState, auth: &Auth, id: TopicId) -> Result<Scope, AppError> {
    let scope = readable(state, auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&scope.cell))?;
    Ok(scope)
}

/// The page, with the forms as given (fresh, or as typed with their messages).
struct Forms {
    form: Option<SessionInput>,
    relay: bool,
    errors: FieldErrors,
    reason: String,
    refused: Option<String>,
}

impl Forms {
    fn fresh() -> Self {
        Self {
            form: None,
            relay: false,
            errors: FieldErrors::default(),
            reason: String::new(),
            refused: None,
        }
    }
}

async fn page(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    forms: Forms,
) -> Result<SessionPage, AppError> {
    let all = app::sessions::of_topic(&state.db, scope.topic.id).await?;
    let (open, cancelled): (Vec<Session>, Vec<Session>) =
        all.into_iter().partition(|s| !s.is_cancelled());
    let session = open.into_iter().next();
    let members = app::plans::active_members(state.ctx(), scope.cell.id).await?;
    let form = forms.form.unwrap_or_else(|| match &session {
        Some(session) => SessionInput::of(session),
        None => SessionInput::blank(&members),
    });
    let minutes_readable = match &session {
        Some(s) => crate::domain::minutes::may_read(
            &auth.actor,
            &scope.cell,
            s.minute_taker.as_ref().map(|a| a.member),
            app::minutes::stage_of(state.ctx(), s.id).await?,
        ),
        None => false,
    };
    let papers = if auth.actor.paper_rights(&scope.cell, &scope.topic).reads() {
        let latest = app::papers::of_topic(&state.db, scope.topic.id)
            .await?
            .into_iter()
            .rfind(|p| p.circulated.is_some());
        Some(latest.map(|paper| {
            let lead = paper.lead(session.as_ref());
            (paper, lead)
        }))
    } else {
        None
    };
    let fixed = match &session {
        Some(s) => app::model_sessions::fixed_by(&state.db, s.id)
            .await?
            .map(|by| by.label()),
        None => None,
    };
    let title = format!("Buổi sinh hoạt chuyên đề: {}", scope.topic.title);
    Ok(SessionPage {
        minutes_readable,
        page: plan_page(state, auth, &scope.cell, &scope.plan, &title).await?,
        history: app::sessions::history(&state.db, scope.topic.id).await?,
        can_edit: auth.actor.can_edit_plans(&scope.cell),
        session,
        cancelled,
        members,
        form,
        relay: forms.relay,
        errors: forms.errors,
        reason: forms.reason,
        refused: forms.refused,
        papers,
        fixed,
        plan: scope.plan,
        topic: scope.topic,
    })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    render(&page(&state, &auth, scope, Forms::fresh()).await?)
}

fn read(fields: &Fields) -> SessionInput {
    SessionInput {
        date: fields.get("date").to_owned(),
        start: fields.get("start").to_owned(),
        duration: fields.get("duration").to_owned(),
        venue: fields.get("venue").to_owned(),
        chair: fields.get("chair").to_owned(),
        minute_taker: fields.get("minute_taker").to_owned(),
        combined: !fields.get("combined").is_empty(),
    }
}

fn after(id: TopicId) -> Response {
    Redirect::to(&format!("/topics/{id}/session")).into_response()
}

/// The message above the form when a use case did nothing.
fn refusal(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done(_) => String::new(),
        Outcome::AlreadyScheduled => {
            "Chuyên đề đã có lịch sinh hoạt; nội dung vừa nhập vẫn còn trong biểu mẫu, hãy dùng \
             biểu mẫu đổi lịch bên dưới."
                .into()
        }
        Outcome::NotScheduled => {
            "Buổi sinh hoạt này không còn trong lịch (đã hủy hoặc chưa lên lịch).".into()
        }
        Outcome::Stale => "Trong lúc đồng chí sửa, lịch sinh hoạt đã được người khác thay đổi. \
             Nội dung đồng chí vừa nhập vẫn còn trong biểu mẫu; hãy đối chiếu với lịch đang lưu \
             rồi bấm Lưu lần nữa."
            .into(),
        Outcome::Refused(refusal) => refusal_message(refusal),
        Outcome::Fixed => "Đây là buổi sinh hoạt mẫu: ngày, giờ và địa điểm do cấp ủy cấp trên \
             ấn định, chi bộ không tự đổi hoặc hủy. Các nội dung khác vẫn sửa được."
            .into(),
    }
}

/// Schedules the topic's session (the form of a topic with none).
pub async fn schedule(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = editable(&state, &auth, id).await?;
    let (draft, mut forms) = session_form(&state, &scope, &fields, true).await?;
    if let Some(draft) = draft {
        let outcome = app::sessions::schedule(
            state.ctx(),
            auth.user_id(),
            scope.target(),
            &draft,
            forms.relay,
        )
        .await?;
        if let Outcome::Done(_) = outcome {
            auth.flash(&format!(
                "Đã lên lịch buổi sinh hoạt chuyên đề ngày {}.",
                draft.date.format("%d/%m/%Y")
            ))
            .await?;
            return Ok(after(id));
        }
        forms.refused = Some(refusal(&outcome));
    }
    rejected(&page(&state, &auth, scope, forms).await?)
}

/// The session form as typed, parsed against the cell's active members and the plan's year:
/// the draft when it is valid, and the forms to draw again (the input kept, any messages beside
/// their fields) should the draft be missing or refused.
async fn session_form(
    state: &AppState,
    scope: &Scope,
    fields: &Fields,
    new: bool,
) -> Result<(Option<SessionDraft>, Forms), AppError> {
    let input = read(fields);
    let members = app::plans::active_members(state.ctx(), scope.cell.id).await?;
    let bounds = Bounds {
        today: chrono::Local::now().date_naive(),
        year: scope.plan.year,
        members: &members,
        new,
    };
    let mut forms = Forms {
        relay: !fields.get("relay").is_empty(),
        ..Forms::fresh()
    };
    let draft = match input.parse(bounds) {
        Ok(draft) => Some(draft),
        Err(messages) => {
            for (field, message) in messages {
                forms.errors.add(field, message);
            }
            None
        }
    };
    forms.form = Some(input);
    Ok((draft, forms))
}

fn session_and_version(fields: &Fields) -> (SessionId, i64) {
    (
        fields.get("session").parse().unwrap_or(SessionId::NEW),
        fields.get("version").parse().unwrap_or(0),
    )
}

/// Moves the open session (its day, time, place, chair, minute-taker …).
pub async fn reschedule(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = editable(&state, &auth, id).await?;
    let (session, version) = session_and_version(&fields);
    let (draft, mut forms) = session_form(&state, &scope, &fields, false).await?;
    if let Some(draft) = draft {
        let outcome = app::sessions::reschedule(
            state.ctx(),
            auth.user_id(),
            scope.target(),
            session,
            version,
            &draft,
            forms.relay,
        )
        .await?;
        if let Outcome::Done(_) = outcome {
            auth.flash("Đã lưu lịch sinh hoạt chuyên đề.").await?;
            return Ok(after(id));
        }
        forms.refused = Some(refusal(&outcome));
    }
    rejected(&page(&state, &auth, scope, forms).await?)
}

/// Cancels the open session, with the reason.
pub async fn cancel(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = editable(&state, &auth, id).await?;
    let (session, version) = session_and_version(&fields);
    let typed = fields.get("reason").to_owned();
    let mut forms = Forms::fresh();
    match parse_reason(&typed) {
        Ok(reason) => {
            let outcome = app::sessions::cancel(
                state.ctx(),
                auth.user_id(),
                scope.target(),
                session,
                version,
                &reason,
            )
            .await?;
            if let Outcome::Done(_) = outcome {
                auth.flash("Đã hủy buổi sinh hoạt chuyên đề và báo cho đảng viên.")
                    .await?;
                return Ok(after(id));
            }
            forms.refused = Some(refusal(&outcome));
        }
        Err(message) => forms.errors.add("reason", message),
    }
    forms.reason = typed;
    rejected(&page(&state, &auth, scope, forms).await?)
}

/// Lays the topic's preparation steps out backwards from the open session's date.
pub async fn relay(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
) -> Result<Response, AppError> {
    let scope = editable(&state, &auth, id).await?;
    let outcome = app::sessions::relay(state.ctx(), auth.user_id(), scope.target()).await?;
    let message = match &outcome {
        Outcome::Done(_) => "Đã lập lại lịch chuẩn bị tính ngược từ ngày sinh hoạt.".to_owned(),
        other => format!("Chưa lập lại lịch chuẩn bị: {}", refusal(other)),
    };
    auth.flash(&message).await?;
    Ok(after(id))
}

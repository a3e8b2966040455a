//! Topics of a plan and their preparation timelines.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::sections::{Saved, apply, version_of};
use crate::AppState;
use crate::app;
use crate::domain::calendar::{Due, Quarter};
use crate::domain::lifecycle::Lock;
use crate::domain::member::{Member, MemberId};
use crate::domain::org::Org;
use crate::domain::plan::{
    Assignee, Plan, PlanId, PlanStatus, Presenter, Step, StepId, StepKind, Topic, TopicId,
    TopicSource,
};
use crate::domain::plan_check::step_order;
use crate::domain::plan_edit::Edit;
use crate::domain::text::{Line, LineError, limit};
use crate::domain::timeline::{laid_out, relaid};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::scope::{editable_plan, plan_page};

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans/{id}/topics/new", get(new_page).post(create))
        .route("/topics/{id}", get(edit_page).post(update))
        .route("/topics/{id}/standard", post(standard))
        .route("/topics/{id}/move", post(move_topic))
        .route("/topics/{id}/delete", post(delete))
}

/// A step row as the form shows it.
pub struct StepRow {
    pub id: StepId,
    pub kind: String,
    pub label: String,
    pub due: String,
    pub assignees: Vec<MemberId>,
    pub note: String,
    pub done: String,
}

/// The topic form as typed.
pub struct TopicForm {
    pub title: String,
    pub content: String,
    pub quarter: String,
    pub session: String,
    pub presenter: String,
    pub presenter_text: String,
    pub mandate: String,
    pub materials: String,
    /// Directive plans only: the deadline as written.
    pub deadline: String,
    pub steps: Vec<StepRow>,
}

impl TopicForm {
    fn blank() -> Self {
        Self {
            title: String::new(),
            content: String::new(),
            quarter: String::new(),
            session: String::new(),
            presenter: String::new(),
            presenter_text: String::new(),
            mandate: String::new(),
            materials: String::new(),
            deadline: String::new(),
            steps: Vec::new(),
        }
    }

    fn of(topic: &Topic) -> Self {
        let (presenter, presenter_text) = match &topic.presenter {
            Presenter::Nobody => (String::new(), String::new()),
            Presenter::Member { id, .. } => (id.to_string(), String::new()),
            Presenter::Group(text) => ("group".into(), text.clone()),
        };
        Self {
            title: topic.title.clone(),
            content: topic.content.clone(),
            quarter: topic
                .quarter
                .map(|q| q.get().to_string())
                .unwrap_or_default(),
            session: topic.session.map(Due::input_value).unwrap_or_default(),
            presenter,
            presenter_text,
            mandate: match &topic.source {
                TopicSource::Own => String::new(),
                TopicSource::Mandated(text) => text.clone(),
            },
            materials: topic.materials.clone(),
            deadline: topic.deadline.clone(),
            steps: topic
                .steps
                .iter()
                .map(|s| StepRow {
                    id: s.id,
                    kind: s.kind.as_str().into(),
                    label: s.label.clone(),
                    due: s.due.map(Due::input_value).unwrap_or_default(),
                    assignees: s.assignees.iter().map(|a| a.member).collect(),
                    note: s.note.clone(),
                    done: s
                        .done_on
                        .map(crate::domain::calendar::short_date)
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }

    fn read(fields: &Fields) -> Self {
        let steps = fields
            .rows("step_label_")
            .into_iter()
            .map(|row| {
                let get = |name: &str| fields.get(&format!("step_{name}_{row}")).to_owned();
                StepRow {
                    id: get("id").parse().unwrap_or(StepId::NEW),
                    kind: get("kind"),
                    label: get("label"),
                    due: get("due"),
                    assignees: fields
                        .all(&format!("step_assignee_{row}"))
                        .iter()
                        .filter_map(|v| v.parse().ok())
                        .collect(),
                    note: get("note"),
                    done: String::new(),
                }
            })
            .collect();
        Self {
            title: fields.get("title").to_owned(),
            content: fields.get("content").to_owned(),
            quarter: fields.get("quarter").to_owned(),
            session: fields.get("session").to_owned(),
            presenter: fields.get("presenter").to_owned(),
            presenter_text: fields.get("presenter_text").to_owned(),
            mandate: fields.get("mandate").to_owned(),
            materials: fields.get("materials").to_owned(),
            deadline: fields.get("deadline").to_owned(),
            steps,
        }
    }

    /// Parses the topic's own fields (not its steps) into a topic with no steps.
    fn parse(&self, year: i32, members: &[Member], errors: &mut FieldErrors) -> Option<Topic> {
        let title = errors.text("title", &self.title, limit::TITLE, |text| {
            Line::read(text, limit::TITLE).map_err(|e| match e {
                LineError::Empty => crate::domain::Invalid("Vui lòng nhập tên chuyên đề."),
                _ => crate::domain::Invalid("Tên chuyên đề chỉ một dòng, tối đa 1000 ký tự."),
            })
        });
        let content = errors.free("content", &self.content, limit::PARAGRAPH);
        let quarter = errors.check("quarter", Quarter::parse(&self.quarter));
        let mut session = errors.text("session", &self.session, limit::SHORT, Due::parse);
        if let Some(Some(due)) = session
            && chrono::Datelike::year(&due.start()) != year
        {
            errors.add(
                "session",
                format!("Thời gian sinh hoạt phải trong năm {year}."),
            );
            session = None;
        }
        let presenter = match self.presenter.as_str() {
            "" => Some(Presenter::Nobody),
            "group" => match errors.free("presenter_text", &self.presenter_text, limit::NAME) {
                None => None,
                Some(text) if text.is_empty() => {
                    errors.add(
                        "presenter_text",
                        "Vui lòng ghi tên nhóm đảng viên hoặc tổ đảng.",
                    );
                    None
                }
                Some(text) => Some(Presenter::Group(text)),
            },
            id => match members.iter().find(|m| m.id.to_string() == id) {
                Some(member) => Some(Presenter::Member {
                    id: member.id,
                    name: member.full_name.clone(),
                }),
                None => {
                    errors.add("presenter", "Người trình bày phải là đảng viên của chi bộ.");
                    None
                }
            },
        };
        let mandate = errors.free("mandate", &self.mandate, limit::TITLE);
        let materials = errors.free("materials", &self.materials, limit::PARAGRAPH);
        let deadline = errors.free("deadline", &self.deadline, limit::TITLE);
        Some(Topic {
            id: TopicId::NEW,
            title: title?.into_string(),
            content: content?,
            quarter: quarter?,
            session: session?,
            presenter: presenter?,
            source: match mandate? {
                text if text.is_empty() => TopicSource::Own,
                text => TopicSource::Mandated(text),
            },
            materials: materials?,
            steps: Vec::new(),
            mandated_from: None,
            deadline: deadline?,
        })
    }

    /// Parses the step rows; a row whose label is cleared is removed.
    fn parse_steps(&self, members: &[Member], errors: &mut FieldErrors) -> Option<Vec<Step>> {
        let mut steps = Vec::new();
        let mut valid = true;
        for (row, input) in self.steps.iter().enumerate() {
            let Some(label) = errors.free(format!("step_label_{row}"), &input.label, limit::NAME)
            else {
                valid = false;
                continue;
            };
            if label.is_empty() {
                continue;
            }
            let due = errors.text(
                format!("step_due_{row}"),
                &input.due,
                limit::SHORT,
                Due::parse,
            );
            let note = errors.free(format!("step_note_{row}"), &input.note, limit::TITLE);
            let mut assignees = Vec::new();
            for id in &input.assignees {
                match members.iter().find(|m| m.id == *id) {
                    Some(m) => assignees.push(Assignee {
                        member: m.id,
                        name: m.full_name.clone(),
                    }),
                    None => errors.add(
                        format!("step_assignee_{row}"),
                        "Người thực hiện phải là đảng viên của chi bộ.",
                    ),
                }
            }
            match (due, note) {
                (Some(due), Some(note)) => steps.push(Step {
                    id: input.id,
                    kind: StepKind::parse(&input.kind).unwrap_or(StepKind::Other),
                    label,
                    due,
                    assignees,
                    note,
                    done_on: None,
                }),
                _ => valid = false,
            }
        }
        if valid && let Err(message) = step_order(&steps) {
            errors.add("steps", message);
        }
        (valid && errors.is_empty()).then_some(steps)
    }
}

#[derive(Template)]
#[template(path = "plans/topic.html")]
struct TopicPage {
    page: Page,
    plan_id: PlanId,
    topic_id: Option<TopicId>,
    version: i64,
    refused: Option<String>,
    /// The stored text, shown beside the user's after a refused save.
    current: String,
    /// Why the plan cannot change in its state: the form is shown without a way to save.
    locked: Option<Lock>,
    /// Cells below took this directive topic in: it cannot be removed.
    taken_in: bool,
    form: TopicForm,
    members: Vec<Member>,
    errors: FieldErrors,
}

/// A stored topic as the conflict box shows it.
fn topic_text(topic: &Topic) -> String {
    let mut lines = vec![topic.title.clone()];
    if !topic.content.is_empty() {
        lines.push(format!("Nội dung công việc: {}", topic.content));
    }
    if let Some(quarter) = topic.quarter {
        lines.push(quarter.label());
    }
    if let Some(session) = topic.session {
        lines.push(format!("Sinh hoạt: {}", session.label()));
    }
    if let Some(name) = topic.presenter.name() {
        lines.push(format!("Trình bày: {name}"));
    }
    if let TopicSource::Mandated(text) = &topic.source {
        lines.push(text.clone());
    }
    if !topic.materials.is_empty() {
        lines.push(format!("Tài liệu: {}", topic.materials));
    }
    if !topic.deadline.is_empty() {
        lines.push(format!("Thời hạn: {}", topic.deadline));
    }
    for step in &topic.steps {
        let names: Vec<&str> = step.assignees.iter().map(|a| a.name.as_str()).collect();
        lines.push(format!(
            "- {}{}{}",
            step.label,
            step.due
                .map(|d| format!(" · {}", d.label()))
                .unwrap_or_default(),
            if names.is_empty() {
                String::new()
            } else {
                format!(" · {}", names.join(", "))
            }
        ));
    }
    lines.join("\n")
}

/// The topics of a plan as stored, for a refused "add topic".
fn topics_text(plan: &Plan) -> String {
    let titles: Vec<String> = plan
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| format!("Chuyên đề {}: {}", i + 1, t.title))
        .collect();
    titles.join("\n")
}

/// Whether cells below took `topic` in from the issued directive `plan`.
async fn taken_in(state: &AppState, plan: &Plan, topic: TopicId) -> Result<bool, AppError> {
    Ok(plan.status == PlanStatus::Issued && app::plans::is_taken_in(&state.db, topic).await?)
}

impl TopicPage {
    fn action(&self) -> String {
        match self.topic_id {
            Some(id) => format!("/topics/{id}"),
            None => format!("/plans/{}/topics/new", self.plan_id),
        }
    }
}

fn blank_step_row() -> StepRow {
    StepRow {
        id: StepId::NEW,
        kind: StepKind::Other.as_str().into(),
        label: String::new(),
        due: String::new(),
        assignees: Vec::new(),
        note: String::new(),
        done: String::new(),
    }
}

async fn topic_of(
    state: &AppState,
    auth: &Auth,
    id: TopicId,
) -> Result<(Plan, Org, Topic), AppError> {
    let plan_id = app::plans::topic_plan(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, cell) = editable_plan(state, auth, plan_id).await?;
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((plan, cell, topic))
}

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    render(&TopicPage {
        page: plan_page(&state, &auth, &cell, &plan, "Thêm chuyên đề").await?,
        plan_id: id,
        topic_id: None,
        version: plan.version,
        refused: None,
        current: String::new(),
        locked: plan.status.frozen(),
        taken_in: false,
        form: TopicForm::blank(),
        members: app::plans::active_members(state.ctx(), cell.id).await?,
        errors: FieldErrors::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let members = app::plans::active_members(state.ctx(), cell.id).await?;
    let form = TopicForm::read(&fields);
    let mut errors = FieldErrors::default();
    let mut refused = None;
    if let (Some(mut topic), true) = (
        form.parse(plan.year.get(), &members, &mut errors),
        errors.is_empty(),
    ) {
        // The five standard steps are laid out as soon as a cell's topic has a time; a
        // committee's directive topics carry a deadline instead.
        if cell.is_cell() {
            topic.steps = laid_out(&plan, &topic, &members);
        }
        match apply(
            &state,
            &auth,
            id,
            version_of(&fields),
            &Edit::AddTopic(topic),
        )
        .await?
        {
            Saved::Done => {
                auth.flash("Đã thêm chuyên đề.").await?;
                return Ok(Redirect::to(&format!("/plans/{id}")).into_response());
            }
            Saved::Refused(message) => refused = Some(message),
        }
    }
    // After a refused save the form is drawn against the plan as it is now, so that saving
    // again is judged against what the user has seen.
    let (version, current, locked) = match &refused {
        Some(_) => {
            let (now, _) = editable_plan(&state, &auth, id).await?;
            (now.version, topics_text(&now), now.status.frozen())
        }
        None => (version_of(&fields), String::new(), plan.status.frozen()),
    };
    rejected(&TopicPage {
        page: plan_page(&state, &auth, &cell, &plan, "Thêm chuyên đề").await?,
        plan_id: id,
        topic_id: None,
        version,
        refused,
        current,
        locked,
        taken_in: false,
        form,
        members,
        errors,
    })
}

pub async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
) -> Result<Response, AppError> {
    let (plan, cell, topic) = topic_of(&state, &auth, id).await?;
    let mut form = TopicForm::of(&topic);
    form.steps.push(blank_step_row());
    render(&TopicPage {
        page: plan_page(&state, &auth, &cell, &plan, &topic.title).await?,
        plan_id: plan.id,
        topic_id: Some(id),
        version: plan.version,
        refused: None,
        current: String::new(),
        locked: plan.status.frozen(),
        taken_in: taken_in(&state, &plan, id).await?,
        form,
        members: app::plans::active_members(state.ctx(), cell.id).await?,
        errors: FieldErrors::default(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell, stored) = topic_of(&state, &auth, id).await?;
    let members = app::plans::active_members(state.ctx(), cell.id).await?;
    let mut form = TopicForm::read(&fields);
    let mut errors = FieldErrors::default();
    let topic = form.parse(plan.year.get(), &members, &mut errors);
    let steps = form.parse_steps(&members, &mut errors);
    let mut refused = None;
    if let (Some(mut topic), Some(steps), true) = (topic, steps, errors.is_empty()) {
        topic.id = id;
        topic.mandated_from = stored.mandated_from;
        topic.steps = if steps.is_empty() && stored.steps.is_empty() && cell.is_cell() {
            laid_out(&plan, &topic, &members)
        } else {
            steps
        };
        match apply(
            &state,
            &auth,
            plan.id,
            version_of(&fields),
            &Edit::UpdateTopic(topic),
        )
        .await?
        {
            Saved::Done => {
                auth.flash("Đã lưu chuyên đề.").await?;
                return Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response());
            }
            Saved::Refused(message) => refused = Some(message),
        }
    }
    if !form.steps.iter().any(|s| s.label.is_empty()) {
        form.steps.push(blank_step_row());
    }
    // After a refused save the form is drawn against the topic as it is now (shown beside
    // the user's text), so that saving again succeeds unless someone saves it once more.
    let (version, current, locked) = match &refused {
        Some(_) => {
            let (now, _) = editable_plan(&state, &auth, plan.id).await?;
            let current = now
                .topics
                .iter()
                .find(|t| t.id == id)
                .map(topic_text)
                .unwrap_or_default();
            (now.version, current, now.status.frozen())
        }
        None => (version_of(&fields), String::new(), plan.status.frozen()),
    };
    rejected(&TopicPage {
        page: plan_page(&state, &auth, &cell, &plan, &stored.title).await?,
        plan_id: plan.id,
        topic_id: Some(id),
        version,
        refused,
        current,
        locked,
        taken_in: taken_in(&state, &plan, id).await?,
        form,
        members,
        errors,
    })
}

/// Lays the standard steps out again from the topic's time: standard steps get their new
/// dates (keeping assignees, notes and progress), missing ones are added, others stay.
pub async fn standard(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell, mut topic) = topic_of(&state, &auth, id).await?;
    let members = app::plans::active_members(state.ctx(), cell.id).await?;
    let fresh = laid_out(&plan, &topic, &members);
    if fresh.is_empty() {
        auth.flash("Chuyên đề chưa có quý hoặc thời gian sinh hoạt để lập lịch chuẩn bị.")
            .await?;
        return Ok(Redirect::to(&format!("/topics/{id}")).into_response());
    }
    topic.steps = relaid(&topic.steps, fresh);
    match apply(
        &state,
        &auth,
        plan.id,
        version_of(&fields),
        &Edit::UpdateTopic(topic),
    )
    .await?
    {
        Saved::Done => {
            auth.flash("Đã lập lại lịch chuẩn bị theo thời gian của chuyên đề.")
                .await?
        }
        Saved::Refused(message) => auth.flash(&message).await?,
    }
    Ok(Redirect::to(&format!("/topics/{id}")).into_response())
}

pub async fn move_topic(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, _, _) = topic_of(&state, &auth, id).await?;
    let edit = Edit::MoveTopic {
        id,
        up: fields.get("direction") == "up",
    };
    if let Saved::Refused(message) =
        apply(&state, &auth, plan.id, version_of(&fields), &edit).await?
    {
        auth.flash(&message).await?;
    }
    Ok(Redirect::to(&format!("/plans/{}#topics", plan.id)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, _, topic) = topic_of(&state, &auth, id).await?;
    if fields.get("confirm") != "yes" {
        auth.flash("Chưa xóa: hãy đánh dấu ô xác nhận trước khi bấm Xóa chuyên đề.")
            .await?;
        return Ok(Redirect::to(&format!("/topics/{id}")).into_response());
    }
    match apply(
        &state,
        &auth,
        plan.id,
        version_of(&fields),
        &Edit::RemoveTopic(id),
    )
    .await?
    {
        Saved::Done => {
            auth.flash(&format!("Đã xóa chuyên đề “{}”.", topic.title))
                .await?
        }
        Saved::Refused(message) => auth.flash(&message).await?,
    }
    Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response())
}

//! Adopting, submitting, reviewing and issuing plans; pulling a committee's mandated topics
//! into a cell's plan.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppError;
use super::auth::Auth;
use super::extract::{Fields, Path};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::plans::{editable_plan, plan_page, readable_plan};
use crate::AppState;
use crate::db::plans::{self, Edit, SaveError};
use crate::db::review::{self, Comment, InboxRow, Revision, Snapshot, Transition, TransitionError};
use crate::db::{notifications, orgs};
use crate::domain::calendar::parse_date;
use crate::domain::lifecycle::{Action, Adoption};
use crate::domain::notification::Notice;
use crate::domain::org::Org;
use crate::domain::plan::free_text;
use crate::domain::plan::{Plan, PlanId, PlanStatus, Topic, TopicSource};
use crate::domain::plan_parts::{self, Part, PartChange};

/// Records a transition, or explains in a notice why it did not happen.
async fn record(
    state: &AppState,
    auth: &Auth,
    plan: PlanId,
    step: &Transition<'_>,
) -> Result<bool, AppError> {
    match review::transition(&state.db, plan, step, auth.user_id()).await {
        Ok(_) => Ok(true),
        Err(TransitionError::WrongState) => {
            auth.notify("Thao tác không thực hiện được ở trạng thái hiện tại của kế hoạch (có thể người khác vừa thao tác). Vui lòng xem lại.")
                .await?;
            Ok(false)
        }
        Err(TransitionError::Sqlx(error)) => Err(error.into()),
        Err(TransitionError::Json(error)) => Err(error.into()),
    }
}

fn to_plan(id: PlanId) -> Response {
    Redirect::to(&format!("/plans/{id}")).into_response()
}

/// Blocking errors of the plan as it is now.
async fn blocking(state: &AppState, plan: &Plan, org: &Org) -> Result<Vec<String>, AppError> {
    Ok(super::plans::findings(state, plan, org)
        .await?
        .into_iter()
        .filter(|f| f.is_blocking())
        .map(|f| f.message)
        .collect())
}

/// E-mail copies are queued only when SMTP is configured.
pub fn mail_on(state: &AppState) -> bool {
    state.settings.mail.is_some()
}

async fn committee_name(state: &AppState, cell: &Org) -> Result<String, AppError> {
    Ok(match cell.parent_id {
        Some(parent) => orgs::get(&state.db, parent)
            .await?
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Tells the cell's secretary and deputy.
async fn tell_cell(state: &AppState, cell: &Org, notice: &Notice) -> Result<(), AppError> {
    let leaders = notifications::cell_leaders(&state.db, cell.id).await?;
    notifications::notify(&state.db, &leaders, notice, mail_on(state)).await?;
    Ok(())
}

// ---------------------------------------------------------------- adopt

#[derive(Template)]
#[template(path = "review/adopt.html")]
struct AdoptPage {
    page: Page,
    plan_id: PlanId,
    meeting_on: String,
    present: String,
    total: String,
    votes_for: String,
    votes_against: String,
    errors: FieldErrors,
    blocking: Vec<String>,
}

/// A cell plan its secretary (or deputy) may move along.
async fn own_cell_plan(state: &AppState, auth: &Auth, id: PlanId) -> Result<(Plan, Org), AppError> {
    let (plan, org) = editable_plan(state, auth, id).await?;
    if !org.is_cell() {
        return Err(AppError::NotFound);
    }
    Ok((plan, org))
}

pub async fn adopt_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let active = super::plans::active_members(&state, cell.id)
        .await?
        .len()
        .to_string();
    render(&AdoptPage {
        page: plan_page(
            &state,
            &auth,
            &cell,
            &plan,
            "Thông qua kế hoạch tại cuộc họp chi bộ",
        )
        .await?,
        plan_id: id,
        meeting_on: chrono::Local::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string(),
        present: active.clone(),
        total: active,
        votes_for: String::new(),
        votes_against: "0".into(),
        errors: FieldErrors::default(),
        blocking: blocking(&state, &plan, &cell).await?,
    })
}

fn count(errors: &mut FieldErrors, fields: &Fields, name: &'static str) -> Option<u32> {
    match fields.get(name).trim().parse::<u32>() {
        Ok(n) if n <= 10_000 => Some(n),
        _ => {
            errors.add(name, "Vui lòng nhập một số (ví dụ 9).");
            None
        }
    }
}

pub async fn adopt(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let meeting_on = match parse_date(fields.get("meeting_on")) {
        Ok(Some(day)) if day <= chrono::Local::now().date_naive() => Some(day),
        Ok(Some(_)) => {
            errors.add("meeting_on", "Ngày họp không thể ở tương lai.");
            None
        }
        Ok(None) => {
            errors.add("meeting_on", "Vui lòng nhập ngày họp chi bộ.");
            None
        }
        Err(invalid) => {
            errors.add("meeting_on", invalid.0);
            None
        }
    };
    let figures = (
        count(&mut errors, &fields, "present"),
        count(&mut errors, &fields, "total"),
        count(&mut errors, &fields, "votes_for"),
        count(&mut errors, &fields, "votes_against"),
    );
    let blocking = blocking(&state, &plan, &cell).await?;
    if let (Some(day), (Some(present), Some(total), Some(yes), Some(no)), true) =
        (meeting_on, figures, blocking.is_empty())
    {
        match Adoption::new(day, present, total, yes, no) {
            Ok(adoption) => {
                let step = Transition {
                    action: Action::Adopt,
                    comment: "",
                    adoption: Some(adoption),
                    snapshot: None,
                };
                if record(&state, &auth, id, &step).await? {
                    auth.notify("Đã ghi nhận chi bộ thông qua kế hoạch.")
                        .await?;
                }
                return Ok(to_plan(id));
            }
            Err((field, invalid)) => errors.add(field, invalid.0),
        }
    }
    rejected(&AdoptPage {
        page: plan_page(
            &state,
            &auth,
            &cell,
            &plan,
            "Thông qua kế hoạch tại cuộc họp chi bộ",
        )
        .await?,
        plan_id: id,
        meeting_on: fields.get("meeting_on").to_owned(),
        present: fields.get("present").to_owned(),
        total: fields.get("total").to_owned(),
        votes_for: fields.get("votes_for").to_owned(),
        votes_against: fields.get("votes_against").to_owned(),
        errors,
        blocking,
    })
}

// ---------------------------------------------------------------- submit

pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let Some(parent) = cell.parent_id else {
        auth.notify("Chi bộ chưa có cấp ủy cấp trên trong hệ thống để báo cáo.")
            .await?;
        return Ok(to_plan(id));
    };
    let blocking = blocking(&state, &plan, &cell).await?;
    if !blocking.is_empty() {
        auth.notify(&format!("Chưa báo cáo được: {}", blocking.join(" ")))
            .await?;
        return Ok(to_plan(id));
    }
    let year = plan.year;
    let snapshot = Snapshot { plan, org: cell };
    let step = Transition {
        action: Action::Submit,
        comment: "",
        adoption: None,
        snapshot: Some(&snapshot),
    };
    if record(&state, &auth, id, &step).await? {
        let committee = orgs::get(&state.db, parent)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        let reviewers = notifications::reviewers_of(&state.db, parent).await?;
        let notice = Notice::submitted(&snapshot.org.name, year, id);
        notifications::notify(&state.db, &reviewers, &notice, mail_on(&state)).await?;
        auth.notify(&format!("Đã báo cáo kế hoạch lên {committee}."))
            .await?;
    }
    Ok(to_plan(id))
}

// ---------------------------------------------------------------- review

/// A submitted cell plan the actor may review.
async fn reviewable(state: &AppState, auth: &Auth, id: PlanId) -> Result<(Plan, Org), AppError> {
    let (plan, cell) = readable_plan(state, auth, id).await?;
    auth.require(auth.actor.can_review(&cell))?;
    Ok((plan, cell))
}

#[derive(Template)]
#[template(path = "review/inbox.html")]
struct InboxPage {
    page: Page,
    rows: Vec<InboxRow>,
    reviews_anything: bool,
}

pub async fn inbox(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let committees: Vec<i64> = auth.actor.reviews.iter().map(|r| r.committee_id).collect();
    render(&InboxPage {
        page: auth.page("Kế hoạch chờ xem xét"),
        rows: review::inbox(&state.db, &committees).await?,
        reviews_anything: !committees.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "review/review.html")]
struct ReviewPage {
    page: Page,
    plan: Plan,
    cell: Org,
    revision: Option<Revision>,
    parts: Vec<Part>,
    changes: Option<Vec<PartChange>>,
    comments: Vec<Comment>,
    errors: FieldErrors,
    part: String,
    body: String,
    return_comment: String,
}

impl ReviewPage {
    fn comments_on(&self, key: &str) -> Vec<&Comment> {
        self.comments.iter().filter(|c| c.part == key).collect()
    }

    fn is_submitted(&self) -> bool {
        self.plan.status == PlanStatus::Submitted
    }
}

async fn review_page(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
    errors: FieldErrors,
    fields: Option<&Fields>,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable(state, auth, id).await?;
    let revisions = review::revisions(&state.db, id).await?;
    let latest = revisions.first().cloned();
    let changes = match (revisions.first(), revisions.get(1)) {
        (Some(new), Some(old)) => Some(plan_parts::diff(&old.snapshot.plan, &new.snapshot.plan)),
        _ => None,
    };
    let parts = latest
        .as_ref()
        .map(|r| plan_parts::parts(&r.snapshot.plan))
        .unwrap_or_default();
    let get = |name: &str| fields.map(|f| f.get(name).to_owned()).unwrap_or_default();
    let template = ReviewPage {
        page: plan_page(state, auth, &cell, &plan, "Xem xét kế hoạch").await?,
        comments: review::comments(&state.db, id).await?,
        revision: latest,
        parts,
        changes,
        part: get("part"),
        body: get("body"),
        return_comment: get("comment"),
        errors,
        plan,
        cell,
    };
    if template.errors.is_empty() {
        render(&template)
    } else {
        rejected(&template)
    }
}

pub async fn review_show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    review_page(&state, &auth, id, FieldErrors::default(), None).await
}

pub async fn comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, _) = reviewable(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let revision = review::revisions(&state.db, id).await?.into_iter().next();
    let Some(revision) = revision.filter(|_| plan.status == PlanStatus::Submitted) else {
        auth.notify("Chỉ góp ý được khi kế hoạch đang chờ xem xét.")
            .await?;
        return Ok(Redirect::to(&format!("/plans/{id}/review")).into_response());
    };
    let part = fields.get("part");
    let known = part == "plan"
        || plan_parts::parts(&revision.snapshot.plan)
            .iter()
            .any(|p| p.key == part);
    if !known {
        errors.add("part", "Vui lòng chọn phần của kế hoạch cần góp ý.");
    }
    let body = errors.check("body", free_text(fields.get("body"), 5000));
    if matches!(&body, Some(text) if text.is_empty()) {
        errors.add("body", "Vui lòng nhập nội dung góp ý.");
    }
    match body {
        Some(body) if errors.is_empty() => {
            review::add_comment(&state.db, id, revision.id, part, auth.user_id(), &body).await?;
            auth.notify("Đã ghi góp ý.").await?;
            Ok(Redirect::to(&format!("/plans/{id}/review#comments")).into_response())
        }
        _ => review_page(&state, &auth, id, errors, Some(&fields)).await,
    }
}

pub async fn accept(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable(&state, &auth, id).await?;
    let comment = free_text(fields.get("comment"), 5000).unwrap_or_default();
    decide(&state, &auth, (&plan, &cell), Action::Accept, &comment).await
}

/// Records a reviewer's decision (accept or return) and tells the cell's leaders.
async fn decide(
    state: &AppState,
    auth: &Auth,
    (plan, cell): (&Plan, &Org),
    action: Action,
    comment: &str,
) -> Result<Response, AppError> {
    let step = Transition {
        action,
        comment,
        adoption: None,
        snapshot: None,
    };
    if record(state, auth, plan.id, &step).await? {
        let committee = committee_name(state, cell).await?;
        let (notice, done) = if action == Action::Accept {
            (
                Notice::accepted(&committee, plan.year, plan.id),
                "Đã duyệt kế hoạch.",
            )
        } else {
            let notice = Notice::returned(&committee, plan.year, plan.id);
            (notice, "Đã trả lại kế hoạch cho chi bộ.")
        };
        tell_cell(state, cell, &notice).await?;
        auth.notify(done).await?;
    }
    Ok(Redirect::to("/reviews").into_response())
}

pub async fn return_plan(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let comment = errors
        .check("comment", free_text(fields.get("comment"), 5000))
        .unwrap_or_default();
    if comment.is_empty() && errors.is_empty() {
        errors.add(
            "comment",
            "Khi trả lại, vui lòng ghi rõ yêu cầu bổ sung, sửa đổi.",
        );
    }
    if !errors.is_empty() {
        return review_page(&state, &auth, id, errors, Some(&fields)).await;
    }
    decide(&state, &auth, (&plan, &cell), Action::Return, &comment).await
}

// ---------------------------------------------------------------- directive plans

/// A committee's staff issue its directive plan to the cells below.
pub async fn issue(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, org) = editable_plan(&state, &auth, id).await?;
    if org.is_cell() {
        return Err(AppError::NotFound);
    }
    let blocking = blocking(&state, &plan, &org).await?;
    if !blocking.is_empty() {
        auth.notify(&format!("Chưa ban hành được: {}", blocking.join(" ")))
            .await?;
        return Ok(to_plan(id));
    }
    let step = Transition {
        action: Action::Issue,
        comment: "",
        adoption: None,
        snapshot: None,
    };
    if record(&state, &auth, id, &step).await? {
        let secretaries = notifications::secretaries_below(&state.db, &org).await?;
        let notice = Notice::directive_issued(&org.name, plan.year, id);
        notifications::notify(&state.db, &secretaries, &notice, mail_on(&state)).await?;
        auth.notify("Đã ban hành kế hoạch; các chi bộ trực thuộc đã thấy các chuyên đề được giao.")
            .await?;
    }
    Ok(to_plan(id))
}

/// The mandated topics a cell's plan may take in, with whether it already has each.
pub struct Mandated {
    pub directive: Plan,
    pub committee: String,
    pub topic: Topic,
    pub included: bool,
}

pub async fn mandated_for(
    state: &AppState,
    plan: &Plan,
    cell: &Org,
) -> Result<Vec<Mandated>, AppError> {
    let mut list = Vec::new();
    for directive_id in review::directives_above(&state.db, cell, Some(plan.year.get())).await? {
        let Some(directive) = plans::get(&state.db, directive_id).await? else {
            continue;
        };
        let committee = orgs::get(&state.db, directive.org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        for topic in &directive.topics {
            list.push(Mandated {
                included: plan
                    .topics
                    .iter()
                    .any(|t| t.mandated_from == Some(topic.id)),
                topic: topic.clone(),
                committee: committee.clone(),
                directive: directive.clone(),
            });
        }
    }
    Ok(list)
}

/// The topic a cell's plan gets from a mandated one: its text, the committee's deadline as a
/// note of where it comes from, and the standard timeline for its time.
pub fn pulled_topic(
    mandated: &Mandated,
    plan: &Plan,
    members: &[crate::domain::member::Member],
) -> Topic {
    let source = match &mandated.directive.number {
        Some(number) => format!("Theo Kế hoạch số {number} của {}", mandated.committee),
        None => format!("Theo kế hoạch của {}", mandated.committee),
    };
    let mut topic = Topic {
        id: 0,
        source: TopicSource::Mandated(source),
        mandated_from: Some(mandated.topic.id),
        steps: Vec::new(),
        presenter: crate::domain::plan::Presenter::Nobody,
        deadline: String::new(),
        ..mandated.topic.clone()
    };
    topic.steps = super::plans::topics::laid_out(plan, &topic, members);
    topic
}

/// Takes the mandated topics (all of them, or only `wanted`) that `plan` does not have yet
/// into it, one save each, and returns how many were added.
pub async fn pull_mandated(
    state: &AppState,
    by: Option<crate::domain::user::UserId>,
    plan: &Plan,
    cell: &Org,
    wanted: Option<&str>,
) -> Result<usize, AppError> {
    let members = super::plans::active_members(state, cell.id).await?;
    let mut version = plan.version;
    let mut added = 0;
    for mandated in mandated_for(state, plan, cell).await? {
        let chosen = wanted.is_none_or(|id| id == mandated.topic.id.to_string());
        if mandated.included || !chosen {
            continue;
        }
        let topic = pulled_topic(&mandated, plan, &members);
        let edit = Edit::AddTopic(topic);
        match super::plans::save_and_tell(state, by, plan.id, version, &edit).await? {
            // Each save bumps the version; the next one starts from it.
            Ok(new_version) => {
                version = new_version;
                added += 1;
            }
            Err(SaveError::Sqlx(error)) => return Err(error.into()),
            Err(_) => {}
        }
    }
    Ok(added)
}

/// Pulls one mandated topic (`topic` field) or all of them (`all`) into the cell's plan.
pub async fn pull(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let wanted = Some(fields.get("topic")).filter(|topic| *topic != "all");
    let added = pull_mandated(&state, auth.user_id(), &plan, &cell, wanted).await?;
    auth.notify(&format!(
        "Đã đưa {added} chuyên đề cấp trên giao vào kế hoạch."
    ))
    .await?;
    Ok(Redirect::to(&format!("/plans/{id}#topics")).into_response())
}

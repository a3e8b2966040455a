//! Plans: creating a year's plan, its page, and (in the submodules) editing it part by part,
//! its topics and their timelines, and marking progress.

pub mod progress;
pub mod sections;
pub mod topics;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

use super::AppError;
use super::auth::Auth;
use super::extract::{Form, Path};
use super::form::{FieldErrors, rejected, render};
use super::orgs::{org_page, readable};
use super::page::Page;
use crate::AppState;
use crate::db::plans::{self, Change, SaveError};
use crate::db::review::{self, Comment, Event, Revision};
use crate::db::{members, notifications, orgs};
use crate::domain::calendar::date_line;
use crate::domain::member::{CellRole, Member};
use crate::domain::notification::Notice;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{DocNumber, NewPlan, Plan, PlanId, PlanStatus, blank_plan, copy_to_year};
use crate::domain::plan_check::{self, Finding};

/// A plan the actor may read, with its org: any plan of an org they may read, and the issued
/// directive plans of the committees above their cell.
pub async fn readable_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let plan = plans::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let org = orgs::get(&state.db, plan.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let directive = plan.status == PlanStatus::Issued && auth.actor.can_read_directive(&org);
    auth.require(directive || auth.actor.can_read_org(&org))?;
    Ok((plan, org))
}

/// A plan the actor may edit, with its cell.
pub async fn editable_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let (plan, cell) = readable_plan(state, auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&cell))?;
    Ok((plan, cell))
}

/// The frame of a page about a plan: the tree, the cell, the plan.
pub async fn plan_page(
    state: &AppState,
    auth: &Auth,
    cell: &Org,
    plan: &Plan,
    title: &str,
) -> Result<Page, AppError> {
    let mut page = org_page(state, auth, cell, title).await?;
    page.title = title.to_owned();
    Ok(page.crumb(
        format!("/plans/{}", plan.id),
        format!("Kế hoạch năm {}", plan.year),
    ))
}

/// Active members of the cell, for choosing presenters, assignees and the signer.
pub async fn active_members(state: &AppState, cell: OrgId) -> Result<Vec<Member>, AppError> {
    Ok(members::list(&state.db, cell)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

/// The message shown when someone else saved the same part first.
pub fn conflict_message(changes: &[Change]) -> String {
    let who: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{} lúc {} ({})",
                c.user_name.as_deref().unwrap_or("hệ thống"),
                c.at.with_timezone(&chrono::Local).format("%H:%M %d/%m/%Y"),
                c.summary
            )
        })
        .collect();
    format!(
        "Trong lúc đồng chí sửa, phần này đã được lưu bởi {}. Nội dung đồng chí vừa nhập vẫn còn \
         trong biểu mẫu; hãy đối chiếu với bản đang lưu bên dưới rồi bấm Lưu lần nữa.",
        who.join("; ")
    )
}

/// The plan's warnings and blocking errors, with what only storage knows: whether another
/// plan of the issuer's term already carries its number.
pub async fn findings(state: &AppState, plan: &Plan, org: &Org) -> Result<Vec<Finding>, AppError> {
    let number_taken = match (&plan.number, plans::term_start(&state.db, plan.id).await?) {
        (Some(number), Some(term)) => {
            plans::number_taken(&state.db, org.id, term, number, plan.id).await?
        }
        _ => false,
    };
    Ok(plan_check::check(plan, number_taken, !org.is_cell()))
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct ShowPage {
    page: Page,
    plan: Plan,
    cell: Org,
    can_edit: bool,
    findings: Vec<Finding>,
    history: Vec<Change>,
    date_line: String,
    events: Vec<Event>,
    comments: Vec<Comment>,
    revisions: Vec<Revision>,
    mandated: Vec<super::review::Mandated>,
    can_review: bool,
}

impl ShowPage {
    fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_blocking())
    }

    fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_blocking())
    }

    fn has_blocking(&self) -> bool {
        self.findings.iter().any(Finding::is_blocking)
    }

    /// Reviewers' comments on one part, from the latest revision that has any.
    fn comments_on(&self, key: &str) -> Vec<&Comment> {
        let latest = self.comments.first().map(|c| c.revision_number);
        self.comments
            .iter()
            .filter(|c| Some(c.revision_number) == latest && c.part == key)
            .collect()
    }

    fn topic_comments(&self, topic: &i64) -> Vec<&Comment> {
        self.comments_on(&format!("topic:{topic}"))
    }

    fn is_cell(&self) -> bool {
        self.cell.is_cell()
    }

    fn has_pending_mandates(&self) -> bool {
        self.mandated.iter().any(|m| !m.included)
    }
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = readable_plan(&state, &auth, id).await?;
    let date_line = plan
        .issued_on
        .map(|d| date_line(&plan.place, d))
        .unwrap_or_else(|| "Chưa ghi ngày ban hành".into());
    let can_edit = auth.actor.can_edit_plans(&cell);
    let mandated = if can_edit && cell.is_cell() {
        super::review::mandated_for(&state, &plan, &cell).await?
    } else {
        Vec::new()
    };
    render(&ShowPage {
        page: plan_page(
            &state,
            &auth,
            &cell,
            &plan,
            &format!("Kế hoạch sinh hoạt chuyên đề năm {}", plan.year),
        )
        .await?,
        can_edit,
        can_review: auth.actor.can_review(&cell),
        events: review::events(&state.db, id).await?,
        comments: review::comments(&state.db, id).await?,
        revisions: review::revisions(&state.db, id).await?,
        mandated,
        findings: findings(&state, &plan, &cell).await?,
        history: plans::history(&state.db, id).await?,
        date_line,
        plan,
        cell,
    })
}

#[derive(Deserialize, Default)]
pub struct NewPlanForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    start: String,
    /// Checkbox: take in the topics mandated by the committees above.
    #[serde(default)]
    mandated: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/new.html")]
struct NewPage {
    page: Page,
    cell: Org,
    form: NewPlanForm,
    errors: FieldErrors,
    /// Years that already have a plan, newest first (copy sources).
    years: Vec<i32>,
}

async fn plannable_cell(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let cell = readable(state, auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&cell))?;
    Ok(cell)
}

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let cell = plannable_cell(&state, &auth, id).await?;
    let years: Vec<i32> = plans::list_for_org(&state.db, id)
        .await?
        .iter()
        .map(|p| p.year)
        .collect();
    let this_year = chrono::Local::now().year();
    // Plans are usually drawn up late in the year before, or early in the year itself.
    let year = (this_year..=this_year + 1)
        .find(|y| !years.contains(y))
        .unwrap_or(this_year + 1);
    let start = if years.is_empty() { "blank" } else { "copy" };
    render(&NewPage {
        page: org_page(&state, &auth, &cell, "Lập kế hoạch sinh hoạt chuyên đề").await?,
        form: NewPlanForm {
            year: year.to_string(),
            start: start.into(),
            mandated: Some("on".into()),
        },
        errors: FieldErrors::default(),
        years,
        cell,
    })
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(form): Form<NewPlanForm>,
) -> Result<Response, AppError> {
    let cell = plannable_cell(&state, &auth, id).await?;
    let existing = plans::list_for_org(&state.db, id).await?;
    let years: Vec<i32> = existing.iter().map(|p| p.year).collect();
    let mut errors = FieldErrors::default();
    let year = errors.check("year", Year::parse(&form.year));
    if let Some(year) = year
        && years.contains(&year.get())
    {
        errors.add("year", "Chi bộ đã có kế hoạch của năm này.");
    }
    let previous = year.and_then(|y| existing.iter().find(|p| p.year < y.get()));
    if form.start == "copy" && previous.is_none() {
        errors.add("start", "Chưa có kế hoạch năm trước để sao chép.");
    }
    let Some(year) = year.filter(|_| errors.is_empty()) else {
        return rejected(&NewPage {
            page: org_page(&state, &auth, &cell, "Lập kế hoạch sinh hoạt chuyên đề").await?,
            form,
            errors,
            years,
            cell,
        });
    };

    let term = cell.term_start;
    let serial = plans::next_serial(&state.db, cell.id, term).await?;
    let number = Some(DocNumber::plan(serial, &cell.abbreviation));
    let plan = match previous.filter(|_| form.start == "copy") {
        Some(previous) => {
            let previous = plans::get(&state.db, previous.id)
                .await?
                .ok_or(AppError::NotFound)?;
            copy_to_year(&previous, year, number)
        }
        None => {
            let secretary = active_members(&state, cell.id)
                .await?
                .into_iter()
                .find(|m| m.role == CellRole::Secretary)
                .map(|m| (m.id, m.full_name));
            let superior = match cell.parent_id {
                Some(parent) => orgs::get(&state.db, parent).await?.map(|p| p.name),
                None => None,
            };
            blank_plan(&NewPlan {
                cell: &cell,
                year,
                secretary,
                superior_committee: superior,
                number,
            })
        }
    };
    match plans::create(&state.db, &plan, term, auth.user_id()).await {
        Ok(plan_id) => {
            if form.mandated.is_some()
                && cell.is_cell()
                && let Some(plan) = plans::get(&state.db, plan_id).await?
            {
                super::review::pull_mandated(&state, auth.user_id(), &plan, &cell, None).await?;
            }
            auth.notify(&format!("Đã lập kế hoạch năm {year}.")).await?;
            Ok(Redirect::to(&format!("/plans/{plan_id}")).into_response())
        }
        // Two people creating the same year at once: the second one sees it exists.
        Err(SaveError::YearTaken | SaveError::NumberTaken) => {
            errors.add("year", "Chi bộ đã có kế hoạch của năm này.");
            rejected(&NewPage {
                page: org_page(&state, &auth, &cell, "Lập kế hoạch sinh hoạt chuyên đề").await?,
                form,
                errors,
                years,
                cell,
            })
        }
        Err(error) => Err(anyhow::Error::new(error).into()),
    }
}

/// Who is assigned to what in a plan: (step or topic, member) pairs. Steps and topics are
/// told apart by the sign of the key so both fit in one set.
fn assignments(plan: &Plan) -> std::collections::HashSet<(i64, i64)> {
    let mut pairs = std::collections::HashSet::new();
    for topic in &plan.topics {
        if let crate::domain::plan::Presenter::Member { id, .. } = topic.presenter {
            pairs.insert((-topic.id, id));
        }
        for step in &topic.steps {
            for assignee in &step.assignees {
                pairs.insert((step.id, assignee.member));
            }
        }
    }
    pairs
}

/// Saves an edit; when it touches topics, tells the members newly assigned to a step or a
/// topic (in the app, and by e-mail when that is on).
pub async fn save_and_tell(
    state: &AppState,
    by: Option<crate::domain::user::UserId>,
    plan_id: PlanId,
    version: i64,
    edit: &plans::Edit,
) -> Result<Result<i64, SaveError>, AppError> {
    let touches_topics = matches!(edit, plans::Edit::AddTopic(_) | plans::Edit::UpdateTopic(_));
    let before = if touches_topics {
        plans::get(&state.db, plan_id)
            .await?
            .map(|p| assignments(&p))
            .unwrap_or_default()
    } else {
        Default::default()
    };
    let saved = plans::save(&state.db, plan_id, version, edit, by).await;
    if saved.is_ok()
        && touches_topics
        && let Some(after) = plans::get(&state.db, plan_id).await?
    {
        let mail = super::review::mail_on(state);
        // (what, topic title, topic, member) for every assignment the edit created; collected
        // first so that no borrow of the plan is held across the awaits below.
        let mut fresh: Vec<(String, String, i64, i64)> = Vec::new();
        for topic in &after.topics {
            if let crate::domain::plan::Presenter::Member { id, .. } = topic.presenter
                && !before.contains(&(-topic.id, id))
            {
                fresh.push((
                    "Trình bày chuyên đề".into(),
                    topic.title.clone(),
                    topic.id,
                    id,
                ));
            }
            for step in &topic.steps {
                for assignee in &step.assignees {
                    if !before.contains(&(step.id, assignee.member)) {
                        fresh.push((
                            step.label.clone(),
                            topic.title.clone(),
                            topic.id,
                            assignee.member,
                        ));
                    }
                }
            }
        }
        // One notification per member and topic, naming every new task in it.
        let mut grouped: Vec<(i64, i64, String, Vec<String>)> = Vec::new();
        for (label, title, topic, member) in fresh {
            match grouped.iter_mut().find(|g| g.0 == topic && g.1 == member) {
                Some(group) => group.3.push(label),
                None => grouped.push((topic, member, title, vec![label])),
            }
        }
        for (topic, member, title, labels) in grouped {
            if let Some(user) = notifications::member_user(&state.db, member).await?
                && Some(user) != by
            {
                let notice = Notice::assigned(&labels.join(", "), &title, plan_id, topic);
                notifications::notify(&state.db, &[user], &notice, mail).await?;
            }
        }
    }
    Ok(saved)
}

//! Plans: creating a year's plan, its page, and (in the submodules) editing it part by part,
//! its topics and their timelines.

pub mod basis;
pub mod recipients;
pub mod sections;
pub mod topics;

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;

use super::AppError;
use super::auth::Auth;
use super::extract::{Form, Path};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::scope::{org_page, plan_page, plannable_org, readable_placed};
use crate::AppState;
use crate::app;
use crate::app::papers::TopicPapers;
use crate::app::plans::{Created, Placed, Start, Window};
use crate::app::review::{Comment, RevisionEntry};
use crate::domain::calendar::date_line;
use crate::domain::lifecycle::{Event, Lock, amended_after_adoption};
use crate::domain::mandate::Mandated;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::paper::Lead;
use crate::domain::plan::{Plan, PlanId, StepKind, TopicId};
use crate::domain::plan_check::Finding;
use crate::domain::plan_edit::Change;
use crate::domain::session::Session;
use crate::domain::text::limit;

pub fn routes() -> Routes {
    Routes::new()
        .route("/orgs/{id}/plans/new", get(new_page).post(create))
        .route("/plans/{id}", get(show))
        .merge(sections::routes())
        .merge(basis::routes())
        .merge(recipients::routes())
        .merge(topics::routes())
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
    revisions: Vec<RevisionEntry>,
    revisions_pager: ListPage,
    history_pager: ListPage,
    mandated: Vec<Mandated>,
    can_review: bool,
    /// The topics' scheduled sessions.
    sessions: Vec<Session>,
    /// How far each topic is with its papers.
    papers: Vec<TopicPapers>,
    /// The topics whose papers the actor may open.
    paper_readers: Vec<TopicId>,
}

const AMENDED: &str = "Kế hoạch đã sửa sau khi chi bộ thông qua, cần thông qua lại.";

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

    fn topic_comments(&self, topic: &TopicId) -> Vec<&Comment> {
        self.comments_on(&format!("topic:{topic}"))
    }

    fn is_cell(&self) -> bool {
        self.cell.is_cell()
    }

    fn session_of(&self, topic: &TopicId) -> Option<&Session> {
        self.sessions.iter().find(|s| s.topic_id == *topic)
    }

    fn papers_of(&self, topic: &TopicId) -> Option<&TopicPapers> {
        self.papers.iter().find(|p| p.topic_id == *topic)
    }

    /// How long before the session the topic's latest circulated paper went out.
    fn papers_lead(&self, topic: &TopicId) -> Option<Lead> {
        let at = self.papers_of(topic)?.circulated_at?;
        Some(Lead::of(at, self.session_of(topic)?))
    }

    fn reads_papers(&self, topic: &TopicId) -> bool {
        self.paper_readers.contains(topic)
    }

    /// The comments on the topic's papers, for its "Lấy ý kiến tham gia" step, once one went out.
    fn comment_count(&self, topic: &TopicId, step: &StepKind) -> Option<i64> {
        let papers = self.papers_of(topic)?;
        (*step == StepKind::Comments && self.reads_papers(topic) && papers.circulated_at.is_some())
            .then_some(papers.comments)
    }

    fn has_pending_mandates(&self) -> bool {
        self.mandated.iter().any(|m| !m.included)
    }

    /// Why nothing of the plan may change now, if nothing may.
    fn frozen(&self) -> Option<Lock> {
        self.plan.status.frozen()
    }

    /// Whether the actor may change the plan's text in its state.
    fn can_change(&self) -> bool {
        self.can_edit && self.frozen().is_none()
    }

    fn can_change_header(&self) -> bool {
        self.can_edit && self.plan.status.header_frozen().is_none()
    }

    /// Edited after adoption: to be adopted again before it goes up.
    fn amended(&self) -> Option<&'static str> {
        amended_after_adoption(self.plan.status, &self.events).then_some(AMENDED)
    }
}

/// Changes and revisions shown per page; the page's query string (`?history=2`,
/// `?revisions=2`) picks further pages.
const HISTORY_PAGE: i64 = 30;
const REVISIONS_PAGE: i64 = 10;

/// A page of one of the plan page's long lists, and the links to its neighbours.
pub struct ListPage {
    pub number: i64,
    pub last: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl ListPage {
    /// Page `number` of `count` items, linked as `?{name}=N` (keeping the other list's page).
    fn linked(number: i64, count: i64, size: i64, link: impl Fn(i64) -> String) -> Self {
        let last = ((count + size - 1) / size).max(1);
        Self {
            number,
            last,
            newer: (number > 1).then(|| link(number - 1)),
            older: (number < last).then(|| link(number + 1)),
        }
    }
}

/// `?history=N&revisions=M`: the pages asked for, 1 when missing or not a page number.
fn list_pages(query: Option<&str>) -> (i64, i64) {
    let mut history = 1;
    let mut revisions = 1;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    for (key, value) in pairs {
        let page = value
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n));
        match (key.as_str(), page) {
            ("history", Some(n)) => history = n,
            ("revisions", Some(n)) => revisions = n,
            _ => {}
        }
    }
    (history, revisions)
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let placed = readable_placed(&state, &auth, id).await?;
    let findings = app::plans::findings_of(&placed);
    let Placed {
        plan, org: cell, ..
    } = placed;
    let date_line = plan
        .issued_on
        .map(|d| date_line(&plan.place, d))
        .unwrap_or_else(|| "Chưa ghi ngày ban hành".into());
    let can_edit = auth.actor.can_edit_plans(&cell);
    let ctx = state.ctx();
    let mandated = if can_edit && cell.is_cell() {
        app::plans::mandated_for(ctx, &plan, &cell).await?
    } else {
        Vec::new()
    };
    let (sessions, papers) = app::sessions::preparation_of_plan(&state.db, id).await?;
    let (history_page, revisions_page) = list_pages(query.as_deref());
    let window = |size: i64, page: i64| Window {
        offset: (page - 1).saturating_mul(size),
        limit: size,
    };
    let record = app::plans::record(
        &state.db,
        id,
        window(REVISIONS_PAGE, revisions_page),
        window(HISTORY_PAGE, history_page),
    )
    .await?;
    let history_pager = ListPage::linked(history_page, record.change_count, HISTORY_PAGE, |n| {
        format!("/plans/{id}?history={n}&revisions={revisions_page}#history")
    });
    let revisions_pager =
        ListPage::linked(revisions_page, record.revision_count, REVISIONS_PAGE, |n| {
            format!("/plans/{id}?history={history_page}&revisions={n}#revisions")
        });
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
        events: record.events,
        comments: record.comments,
        revisions: record.revisions,
        revisions_pager,
        mandated,
        sessions,
        papers,
        paper_readers: plan
            .topics
            .iter()
            .filter(|t| cell.is_cell() && auth.actor.paper_rights(&cell, t).reads())
            .map(|t| t.id)
            .collect(),
        findings,
        history: record.history,
        history_pager,
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

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let cell = plannable_org(&state, &auth, id).await?;
    let years: Vec<i32> = app::plans::list_for_org(&state.db, id)
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
    let cell = plannable_org(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let year = errors.text("year", &form.year, limit::SHORT, Year::parse);
    let start = if form.start == "copy" {
        Start::CopyPrevious
    } else {
        Start::Blank
    };
    if let Some(year) = year {
        let take_mandated = form.mandated.is_some();
        let by = auth.user_id();
        match app::plans::create(state.ctx(), by, &cell, year, start, take_mandated).await? {
            Created::Created(plan_id) => {
                auth.flash(&format!("Đã lập kế hoạch năm {year}.")).await?;
                return Ok(Redirect::to(&format!("/plans/{plan_id}")).into_response());
            }
            Created::YearTaken => errors.add("year", "Chi bộ đã có kế hoạch của năm này."),
            Created::NoPreviousPlan => {
                errors.add("start", "Chưa có kế hoạch năm trước để sao chép.")
            }
        }
    }
    let years = app::plans::list_for_org(&state.db, id)
        .await?
        .iter()
        .map(|p| p.year)
        .collect();
    rejected(&NewPage {
        page: org_page(&state, &auth, &cell, "Lập kế hoạch sinh hoạt chuyên đề").await?,
        form,
        errors,
        years,
        cell,
    })
}

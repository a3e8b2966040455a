//! The minutes of a session (`/sessions/{id}/minutes…`, the id of the topic's session): the
//! page the minute-taker fills in on the day, part by part; its BIÊN BẢN as print view, DOCX
//! and PDF; closing, reporting and grading. Who may: the cell's secretary and deputy and that
//! session's minute-taker record; members of the cell read closed minutes; reviewers of the
//! committees above read reported ones; administrators read and help as on plans.

mod corrections;
mod forms;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::app;
use crate::app::minutes::{Entry, Target};
use crate::document::minutes::Context;
use crate::document::{self, Document};
use crate::domain::attendance::{AttendanceInput, Attendee, Presence};
use crate::domain::correction::Correction;
use crate::domain::grading::{Grading, Sheet};
use crate::domain::member::Member;
use crate::domain::minutes::{Minutes, Speech, TimesInput, VoteInput, may_read, may_record};
use crate::domain::org::Org;
use crate::domain::paper::Paper;
use crate::domain::plan::{Plan, Topic};
use crate::domain::session::{Session, SessionId};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::download;
use crate::web::extract::Path;
use crate::web::form::{FieldErrors, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{plan_page, readable_plan};

pub fn routes() -> Routes {
    Routes::new()
        .route("/sessions/{id}/minutes", get(show))
        .route(
            "/sessions/{id}/minutes/parts/{part}",
            post(forms::save_part),
        )
        .route("/sessions/{id}/minutes/close", post(forms::close))
        .route("/sessions/{id}/minutes/report", post(forms::report))
        .route("/sessions/{id}/minutes/grade", post(forms::propose_grade))
        .route("/sessions/{id}/minutes/decide", post(forms::decide_grade))
        .route("/sessions/{id}/minutes/document", get(print))
        .route("/sessions/{id}/minutes/document.docx", get(docx))
        .route("/sessions/{id}/minutes/document.pdf", get(pdf))
        .route(
            "/sessions/{id}/minutes/corrections",
            post(corrections::make),
        )
        .route(
            "/sessions/{id}/minutes/corrections/{cid}/document",
            get(corrections::print),
        )
        .route(
            "/sessions/{id}/minutes/corrections/{cid}/document.docx",
            get(corrections::docx),
        )
        .route(
            "/sessions/{id}/minutes/corrections/{cid}/document.pdf",
            get(corrections::pdf),
        )
}

/// What a minutes page is about, loaded and checked: the session of a cell's topic the actor
/// may read, its minutes (blank ones when none are stored), and what the actor may do.
struct Scope {
    plan: Plan,
    cell: Org,
    topic: Topic,
    session: Session,
    minutes: Minutes,
    members: Vec<Member>,
    /// Secretary, deputy, administrator, or this session's minute-taker.
    can_record: bool,
    /// Secretary, deputy or administrator: closes, reports, proposes the grade.
    can_manage: bool,
    /// A reviewer of the committee directly above: decides the grade.
    can_decide: bool,
    /// The secretary's proposed grade and the committee's decision, where given.
    proposed: Option<Grading>,
    decided: Option<Grading>,
    /// The sheet the session is graded on: the proposal's, else the one that applies to the
    /// cell now (its nearest committee's own, or the standard sheet).
    sheet: Sheet,
}

impl Scope {
    fn target(&self) -> Target<'_> {
        Target {
            session: &self.session,
            topic: self.topic.id,
            title: &self.topic.title,
            presenter: self.topic.presenter.name(),
            cell: &self.cell,
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            session: &self.session,
            cell: &self.cell,
            topic_title: &self.topic.title,
        }
    }

    /// The minutes' document.
    fn document(&self) -> Document {
        document::minutes::build(&self.minutes, &self.context())
    }

    fn file_stem(&self) -> String {
        document::minutes_file_stem(
            self.minutes.number.as_ref(),
            &self.cell.abbreviation,
            self.plan.year.get(),
        )
    }
}

/// The scope of a session's minutes for a reader: 404 when the session is not theirs to see,
/// 403 when it is but its minutes are not (yet) (a member before closing, a reviewer before
/// the report).
async fn readable(state: &AppState, auth: &Auth, id: SessionId) -> Result<Scope, AppError> {
    let topic_id = app::minutes::topic_of_session(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan_id = app::plans::topic_plan(&state.db, topic_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, cell) = readable_plan(state, auth, plan_id).await?;
    if !cell.is_cell() || !auth.actor.can_read_org(&cell) {
        return Err(AppError::NotFound);
    }
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == topic_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let session = app::sessions::of_topic(&state.db, topic_id)
        .await?
        .into_iter()
        .find(|s| s.id == id && !s.is_cancelled())
        .ok_or(AppError::NotFound)?;
    let actor = &auth.actor;
    let minute_taker = session.minute_taker.as_ref().map(|a| a.member);
    let mut scope = Scope {
        members: app::plans::active_members(state.ctx(), cell.id).await?,
        minutes: Minutes::blank(&session, &[], None),
        can_record: may_record(actor, &cell, minute_taker),
        can_manage: actor.can_edit_plans(&cell),
        can_decide: actor.can_review(&cell),
        proposed: None,
        decided: None,
        sheet: Sheet::standard(),
        plan,
        cell,
        topic,
        session,
    };
    scope.minutes = app::minutes::current(state.ctx(), scope.target()).await?;
    let may_read = may_read(actor, &scope.cell, minute_taker, scope.minutes.stage());
    auth.require(may_read)?;
    if !scope.minutes.id.is_new() {
        (scope.proposed, scope.decided) = app::minutes::grades(&state.db, scope.minutes.id).await?;
    }
    scope.sheet = match &scope.proposed {
        Some(proposed) => proposed.sheet.clone(),
        None => app::minutes::sheet_for(state.ctx(), &scope.cell).await?.0,
    };
    Ok(scope)
}

/// The page, with every form as typed (fresh ones from the minutes) and any messages.
#[derive(Template)]
#[template(path = "minutes/show.html")]
struct MinutesPage {
    page: Page,
    topic: Topic,
    session: Session,
    minutes: Minutes,
    /// The list the attendance form shows: recorded members, then those who joined since.
    listed: Vec<Attendee>,
    can_record: bool,
    can_manage: bool,
    can_decide: bool,
    typed: Typed,
    errors: FieldErrors,
    refused: Option<String>,
    proposed: Option<Grading>,
    decided: Option<Grading>,
    history: Vec<Entry>,
    presences: [Presence; 4],
    /// The grading sheet: each criterion's heading, and its items' labels with their index in
    /// the whole sheet.
    criteria: Vec<(String, Vec<(usize, String)>)>,
    /// The sheet is a committee's own, not the standard one.
    own_sheet: bool,
    /// The topic's final paper (its latest version of that stage), if there is one.
    final_paper: Option<Paper>,
    corrections: Vec<Correction>,
}

/// Every form of the page as typed.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    attendance: AttendanceInput,
    times: TimesInput,
    chair: String,
    minute_taker: String,
    presenter: String,
    agenda: String,
    speeches: Vec<Speech>,
    conclusion: String,
    vote: VoteInput,
    /// The secretary's proposal: points per item, and a note.
    points: Vec<String>,
    note: String,
    /// The committee's decision: points per item, and the reason of a change.
    decided_points: Vec<String>,
    reason: String,
    /// A correction of the closed minutes (biên bản bổ sung).
    correction: String,
}

impl Typed {
    fn of(scope: &Scope) -> Self {
        let (minutes, proposed, decided) = (
            &scope.minutes,
            scope.proposed.as_ref(),
            scope.decided.as_ref(),
        );
        let record = &minutes.record;
        let points = |g: Option<&Grading>| -> Vec<String> {
            g.map(|g| g.scores.0.iter().map(u8::to_string).collect())
                .unwrap_or_else(|| vec![String::new(); scope.sheet.item_count()])
        };
        let mut speeches = record.speeches.clone();
        speeches.extend((0..crate::domain::minutes::BLANK_SPEECH_ROWS).map(|_| Speech::default()));
        Self {
            attendance: AttendanceInput::of(&minutes.attendance),
            times: TimesInput::of(record),
            chair: record.chair.clone(),
            minute_taker: record.minute_taker.clone(),
            presenter: record.presenter.clone(),
            agenda: record.agenda.join("\n"),
            speeches,
            conclusion: record.conclusion.clone(),
            vote: VoteInput::of(record.vote),
            points: points(proposed),
            note: proposed.map(|g| g.reason.clone()).unwrap_or_default(),
            // The committee starts from the proposal.
            decided_points: points(decided.or(proposed)),
            reason: decided.map(|g| g.reason.clone()).unwrap_or_default(),
            correction: String::new(),
        }
    }
}

impl MinutesPage {
    fn checked(&self, attendee: &Attendee, presence: &Presence) -> bool {
        self.typed.attendance.presence(attendee.member) == presence.as_str()
    }

    fn reason(&self, attendee: &Attendee) -> &str {
        self.typed.attendance.reason(attendee.member)
    }

    fn proposed_point(&self, i: &usize) -> &str {
        self.typed.points.get(*i).map_or("", String::as_str)
    }

    fn decided_point(&self, i: &usize) -> &str {
        self.typed.decided_points.get(*i).map_or("", String::as_str)
    }

    fn closed_on(&self) -> String {
        self.minutes
            .closed
            .map(|(_, on)| on.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }

    fn short_of_guidance(&self) -> Option<u16> {
        self.minutes.record.short_of_guidance(self.session.combined)
    }

    fn duration(&self) -> String {
        self.minutes
            .record
            .duration()
            .map(crate::domain::session::duration_label)
            .unwrap_or_default()
    }

    fn share(&self) -> String {
        self.minutes
            .attendance
            .share_percent()
            .map(|p| format!("{p}%"))
            .unwrap_or_default()
    }

    fn vote_line(&self) -> String {
        let present = self.minutes.attendance.total().present;
        self.minutes
            .record
            .vote
            .map(|v| {
                let result = if v.passed(present) {
                    "thông qua"
                } else {
                    "chưa thông qua"
                };
                format!("{} — {result}", v.line(present))
            })
            .unwrap_or_default()
    }

    fn missing(&self) -> String {
        self.minutes.missing_for_close().join(", ")
    }

    fn total_of(&self, grading: &Grading) -> String {
        format!(
            "{} điểm — {}",
            grading.scores.total(),
            grading.scores.grade().label()
        )
    }
}

/// The forms to draw: fresh, or as typed with their messages.
pub(crate) struct Forms {
    typed: Option<Typed>,
    errors: FieldErrors,
    refused: Option<String>,
}

impl Forms {
    fn fresh() -> Self {
        Self {
            typed: None,
            errors: FieldErrors::default(),
            refused: None,
        }
    }
}

async fn page(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    forms: Forms,
) -> Result<MinutesPage, AppError> {
    let history = if scope.minutes.id.is_new() {
        Vec::new()
    } else {
        app::minutes::history(&state.db, scope.minutes.id).await?
    };
    let typed = forms.typed.unwrap_or_else(|| Typed::of(&scope));
    let listed = if scope.minutes.is_open() {
        scope
            .minutes
            .attendance
            .clone()
            .with_members(&scope.members)
            .attendees
    } else {
        scope.minutes.attendance.attendees.clone()
    };
    let final_paper = app::minutes::final_paper(state.ctx(), scope.topic.id).await?;
    let corrections = app::minutes::corrections_of(state.ctx(), &scope.minutes).await?;
    let title = format!("Biên bản sinh hoạt chuyên đề: {}", scope.topic.title);
    let page = plan_page(state, auth, &scope.cell, &scope.plan, &title)
        .await?
        .crumb(
            format!("/topics/{}/session", scope.topic.id),
            "Buổi sinh hoạt",
        );
    Ok(MinutesPage {
        page,
        listed,
        can_record: scope.can_record && scope.minutes.is_open(),
        can_manage: scope.can_manage,
        can_decide: scope.can_decide,
        typed,
        errors: forms.errors,
        refused: forms.refused,
        history,
        presences: Presence::ALL,
        criteria: scope.sheet.form_rows(),
        own_sheet: !scope.sheet.is_standard(),
        final_paper,
        corrections,
        proposed: scope.proposed,
        decided: scope.decided,
        topic: scope.topic,
        session: scope.session,
        minutes: scope.minutes,
    })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    render(&page(&state, &auth, scope, Forms::fresh()).await?)
}

fn back(id: SessionId) -> String {
    format!("/sessions/{id}/minutes")
}

pub async fn print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    download::print_view(&scope.document(), &back(id))
}

pub async fn docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    download::docx(&scope.document(), &scope.file_stem())
}

pub async fn pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    let stem = scope.file_stem();
    download::pdf(&state, scope.document(), &stem).await
}

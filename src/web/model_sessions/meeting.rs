//! A model meeting's own page, for everyone it concerns: the committee's staff invite units
//! and follow the registration, record who came and write the summary; an invited unit's
//! leaders name its delegates; a delegate assesses the meeting; the host cell's members follow
//! it. Also the documents: the attendance sheet and the summary (print view, DOCX, PDF).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::app::model_delegates::{self as delegates, Entry};
use crate::document::{self, model_report};
use crate::domain::grading::Sheet;
use crate::domain::model_delegates::{
    Assessment, AssessmentForm, Candidate, Delegate, InvitationsForm, ModelReport, ReportForm,
    ReportKind,
};
use crate::domain::model_session::ModelSessionId;
use crate::domain::org::Org;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::download;
use crate::web::extract::Path;
use crate::web::form::{FieldErrors, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{
    MeetingScope, model_plan_page, org_page, organised_meeting, readable_meeting,
};

pub fn routes() -> Routes {
    Routes::new()
        .route("/model-sessions/{id}/meeting", get(show))
        .route("/model-sessions/{id}/attendance-sheet", get(sheet_print))
        .route(
            "/model-sessions/{id}/attendance-sheet.docx",
            get(sheet_docx),
        )
        .route("/model-sessions/{id}/attendance-sheet.pdf", get(sheet_pdf))
        .route("/model-sessions/{id}/summary/document", get(summary_print))
        .route(
            "/model-sessions/{id}/summary/document.docx",
            get(summary_docx),
        )
        .route(
            "/model-sessions/{id}/summary/document.pdf",
            get(summary_pdf),
        )
        .merge(super::delegates::routes())
}

/// An invited unit on the page: its delegates, and the people it can name when the actor may.
pub(super) struct Roll {
    pub unit: Org,
    pub delegates: Vec<Delegate>,
    /// Empty unless the actor may name this unit's delegates.
    pub candidates: Vec<Candidate>,
    /// The boxes ticked (as stored, or as typed in a refused form).
    pub ticked: Vec<String>,
}

impl Roll {
    pub fn ticks(&self, candidate: &Candidate) -> bool {
        let key = candidate.person.key();
        self.ticked.contains(&key)
    }
}

/// What a refused form brings back: the section it belongs to, and what was typed there.
#[derive(Default)]
pub(super) struct Typed {
    pub invitations: Option<InvitationsForm>,
    /// The unit whose registration came back, with the boxes ticked.
    pub registration: Option<(crate::domain::org::OrgId, Vec<String>)>,
    pub came: Option<Vec<String>>,
    pub assessment: Option<AssessmentForm>,
    pub report: Option<ReportForm>,
    /// Why the form was refused, shown at the top of the page.
    pub refused: Option<String>,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "model_sessions/meeting.html")]
pub(super) struct MeetingPage {
    page: Page,
    scope: MeetingScope,
    /// The units the staff can invite.
    units: Vec<Org>,
    invitations: InvitationsForm,
    deadline: String,
    registration_open: bool,
    /// The meeting's day has come: who came and what they thought can be recorded.
    held: bool,
    rolls: Vec<Roll>,
    came: Vec<String>,
    /// The sheet the actor (a delegate) gives points on, when the committee asks for them.
    sheet: Option<Sheet>,
    assessment: AssessmentForm,
    /// The assessments given, for the staff.
    assessments: Vec<(Delegate, Assessment)>,
    report: ModelReport,
    report_form: ReportForm,
    kinds: [ReportKind; 2],
    history: Vec<Entry>,
    refused: Option<String>,
    errors: FieldErrors,
}

impl MeetingPage {
    fn is_came(&self, delegate: &Delegate) -> bool {
        let id = delegate.id.to_string();
        self.came.contains(&id)
    }

    fn point(&self, i: &usize) -> &str {
        self.assessment.points.get(*i).map_or("", String::as_str)
    }

    fn criteria(&self) -> Vec<(String, Vec<(usize, String)>)> {
        self.sheet
            .as_ref()
            .map(Sheet::form_rows)
            .unwrap_or_default()
    }

    fn own_absent(&self) -> bool {
        self.scope
            .own_delegate()
            .is_some_and(|d| d.attended == Some(false))
    }

    fn own_assessment(&self) -> Option<&Assessment> {
        let own = self.scope.rights.delegate?;
        self.assessments
            .iter()
            .find(|(d, _)| d.id == own)
            .map(|(_, a)| a)
    }
}

/// The page, fresh (`typed` default) or with a refused form as typed.
pub(super) async fn meeting_page(
    state: &AppState,
    auth: &Auth,
    scope: MeetingScope,
    typed: Typed,
) -> Result<MeetingPage, AppError> {
    let ctx = state.ctx();
    let session = &scope.session;
    let today = chrono::Local::now().date_naive();
    let staff = scope.rights.staff;
    let units = if staff {
        delegates::invitable(ctx, &scope.committee).await?
    } else {
        Vec::new()
    };
    let mut rolls = Vec::new();
    for unit in &scope.invited {
        let named: Vec<Delegate> = scope
            .delegates
            .iter()
            .filter(|d| d.unit == unit.id)
            .cloned()
            .collect();
        let candidates = if scope.registering_unit(unit.id).is_some() {
            delegates::candidates(&state.db, unit).await?
        } else {
            Vec::new()
        };
        let ticked = match &typed.registration {
            Some((id, keys)) if *id == unit.id => keys.clone(),
            _ => named.iter().map(|d| d.person.key()).collect(),
        };
        rolls.push(Roll {
            unit: unit.clone(),
            delegates: named,
            candidates,
            ticked,
        });
    }
    let stored = delegates::assessments(&state.db, session.id).await?;
    let assessments: Vec<(Delegate, Assessment)> = stored
        .into_iter()
        .filter_map(|(id, a)| {
            let delegate = scope.delegates.iter().find(|d| d.id == id)?;
            let visible = staff || scope.rights.delegate == Some(id);
            visible.then(|| (delegate.clone(), a))
        })
        .collect();
    let sheet = if scope.invitations.scored && scope.rights.delegate.is_some() {
        delegates::sheet_for(ctx, session.host.id).await?
    } else {
        None
    };
    let own = scope.rights.delegate.and_then(|own| {
        assessments
            .iter()
            .find(|(d, _)| d.id == own)
            .map(|(_, a)| a.clone())
    });
    let assessment = typed.assessment.unwrap_or_else(|| match own {
        Some(a) => AssessmentForm {
            points: a
                .scores
                .as_ref()
                .map(|(s, _)| s.0.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            went_well: a.went_well,
            to_fix: a.to_fix,
        },
        None => AssessmentForm::default(),
    });
    let report = delegates::report(&state.db, session.id)
        .await?
        .unwrap_or_else(ModelReport::blank);
    let came = typed.came.unwrap_or_else(|| {
        scope
            .delegates
            .iter()
            .filter(|d| d.attended == Some(true))
            .map(|d| d.id.to_string())
            .collect()
    });
    let history = if staff {
        delegates::history(&state.db, session.id).await?
    } else {
        Vec::new()
    };
    let deadline = scope.invitations.deadline(session.date);
    let title = session.kind.heading();
    // The plan itself is read by its staff and the host cell; for the others it is not a link.
    let page = if staff || scope.rights.host_member {
        model_plan_page(state, auth, &scope.committee, &scope.plan, &title).await?
    } else {
        let mut page = org_page(state, auth, &scope.committee, &title).await?;
        page.title = title.clone();
        page
    };
    Ok(MeetingPage {
        page,
        units,
        invitations: typed
            .invitations
            .unwrap_or_else(|| InvitationsForm::of(&scope.invitations)),
        deadline: deadline.format("%d/%m/%Y").to_string(),
        registration_open: today <= deadline,
        held: today >= session.date,
        rolls,
        came,
        sheet,
        assessment,
        assessments,
        report_form: typed.report.unwrap_or_else(|| ReportForm::of(&report)),
        report,
        kinds: ReportKind::ALL,
        history,
        refused: typed.refused,
        errors: typed.errors,
        scope,
    })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let scope = readable_meeting(&state, &auth, id).await?;
    render(&meeting_page(&state, &auth, scope, Typed::default()).await?)
}

/// The attendance sheet of the registered delegates: the committee's staff print it.
async fn sheet(
    state: &AppState,
    auth: &Auth,
    id: ModelSessionId,
) -> Result<(document::Document, String), AppError> {
    let scope = organised_meeting(state, auth, id).await?;
    let doc = model_report::attendance_sheet(
        &scope.plan,
        &scope.committee,
        &scope.session,
        &scope.delegates,
    );
    Ok((doc, model_report::sheet_file_stem(&scope.session)))
}

pub async fn sheet_print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, _) = sheet(&state, &auth, id).await?;
    download::print_view(&doc, &format!("/model-sessions/{id}/meeting"))
}

pub async fn sheet_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, stem) = sheet(&state, &auth, id).await?;
    download::docx(&doc, &stem)
}

pub async fn sheet_pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, stem) = sheet(&state, &auth, id).await?;
    download::pdf(&state, doc, &stem).await
}

/// The summary as a THÔNG BÁO or BÁO CÁO: the staff see it as it is drafted; once issued,
/// everyone the meeting concerns reads it. 404 while there is none (or none issued, for the
/// others).
async fn summary(
    state: &AppState,
    auth: &Auth,
    id: ModelSessionId,
) -> Result<(document::Document, String), AppError> {
    let scope = readable_meeting(state, auth, id).await?;
    let report = delegates::report(&state.db, id)
        .await?
        .filter(|r| r.issued || scope.rights.staff)
        .ok_or(AppError::NotFound)?;
    let assessments = delegates::assessments(&state.db, id).await?;
    let scores: Vec<_> = assessments
        .iter()
        .filter_map(|(_, a)| a.scores.as_ref().map(|(s, _)| s))
        .collect();
    let doc = model_report::summary(
        &scope.plan,
        &scope.committee,
        &scope.session,
        &report,
        &scope.delegates,
        &scores,
    );
    let year = chrono::Datelike::year(&report.issued_on.unwrap_or(scope.session.date));
    Ok((
        doc,
        model_report::summary_file_stem(&report, &scope.committee, year),
    ))
}

pub async fn summary_print(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, _) = summary(&state, &auth, id).await?;
    download::print_view(&doc, &format!("/model-sessions/{id}/meeting"))
}

pub async fn summary_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, stem) = summary(&state, &auth, id).await?;
    download::docx(&doc, &stem)
}

pub async fn summary_pdf(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelSessionId>,
) -> Result<Response, AppError> {
    let (doc, stem) = summary(&state, &auth, id).await?;
    download::pdf(&state, doc, &stem).await
}

//! Editing a plan part by part: number and date, the paragraph sections, signature, and what
//! every part's form shares (the frame, saving, a refusal). The basis and the recipients, forms
//! of rows, have their own rooms. Each form carries the plan version it was drawn from; see
//! `app::plans::save_part`.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::app;
use crate::app::plans::Saved as Stored;
use crate::domain::calendar::short_date;
use crate::domain::lifecycle::Lock;
use crate::domain::member::Member;
use crate::domain::org::Org;
use crate::domain::plan::{
    Authority, Plan, PlanId, PlanStatus, Signature, SignerTitle, TextSection, paragraphs,
};
use crate::domain::plan_edit::Edit;
use crate::domain::text::limit;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::doc_parts::parse_header;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, refusal_message, rejected, render};
use crate::web::page::Page;
use crate::web::scope::{editable_plan, plan_page};

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans/{id}/header", get(header_page).post(save_header))
        .route(
            "/plans/{id}/texts/{section}",
            get(texts_page).post(save_texts),
        )
        .route(
            "/plans/{id}/signature",
            get(signature_page).post(save_signature),
        )
}

/// What happened to a save, for the handler to show.
pub enum Saved {
    Done,
    /// Not saved: the message to put above the form, which comes back as typed.
    Refused(String),
}

/// Saves `edit` made from `version`; conflicts and vanished parts become a message.
pub async fn apply(
    state: &AppState,
    auth: &Auth,
    plan: PlanId,
    version: i64,
    edit: &Edit,
) -> Result<Saved, AppError> {
    match app::plans::save_part(state.ctx(), auth.user_id(), plan, version, edit).await? {
        Stored::Done { .. } => Ok(Saved::Done),
        Stored::Refused(refusal) => Ok(Saved::Refused(refusal_message(&refusal))),
    }
}

pub fn version_of(fields: &Fields) -> i64 {
    fields.get("version").parse().unwrap_or(0)
}

pub(super) fn after_save(plan: PlanId) -> Response {
    Redirect::to(&format!("/plans/{plan}")).into_response()
}

/// Common frame of every section form.
pub struct SectionFrame {
    pub plan_id: PlanId,
    pub version: i64,
    /// Why the last submission was not saved.
    pub refused: Option<String>,
    /// The stored text of the part, shown when a conflict happened.
    pub current: String,
    /// The plan's state as the form was drawn.
    pub status: PlanStatus,
    /// Why the part cannot change in that state: the form is shown without a way to save.
    pub locked: Option<Lock>,
}

pub(super) async fn frame(
    state: &AppState,
    auth: &Auth,
    cell: &Org,
    plan: &Plan,
    title: &str,
) -> Result<(Page, SectionFrame), AppError> {
    Ok((
        plan_page(state, auth, cell, plan, title).await?,
        SectionFrame {
            plan_id: plan.id,
            version: plan.version,
            refused: None,
            current: String::new(),
            status: plan.status,
            locked: plan.status.frozen(),
        },
    ))
}

/// The frame of a form that comes back unsaved. After a refused save it is drawn against the
/// plan as it is now, with the stored text of the part shown; after invalid input, as before,
/// keeping the version the user started from so a later conflict is still noticed.
pub(super) async fn returned_frame(
    state: &AppState,
    auth: &Auth,
    (cell, plan): (&Org, &Plan),
    title: &str,
    fields: &Fields,
    refused: Option<String>,
    current: impl Fn(&Plan) -> String,
) -> Result<(Page, SectionFrame), AppError> {
    match refused {
        Some(message) => {
            let (plan, cell) = editable_plan(state, auth, plan.id).await?;
            let (page, mut frame) = frame(state, auth, &cell, &plan, title).await?;
            frame.current = current(&plan);
            frame.refused = Some(message);
            Ok((page, frame))
        }
        None => {
            let (page, frame) = frame(state, auth, cell, plan, title).await?;
            Ok((
                page,
                SectionFrame {
                    version: version_of(fields),
                    ..frame
                },
            ))
        }
    }
}

// ---------------------------------------------------------------- number, date and subject

#[derive(Template)]
#[template(path = "plans/header.html")]
struct HeaderPage {
    page: Page,
    frame: SectionFrame,
    number: String,
    place: String,
    issued_on: String,
    subject: String,
    errors: FieldErrors,
}

const HEADER_TITLE: &str = "Số, ngày ban hành và trích yếu";

fn header_text(plan: &Plan) -> String {
    format!(
        "Số {} · {}, {} · {}",
        plan.number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        plan.place,
        plan.issued_on.map(short_date).unwrap_or_default(),
        plan.subject
    )
}

pub async fn header_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let (page, mut frame) = frame(&state, &auth, &cell, &plan, HEADER_TITLE).await?;
    frame.locked = plan.status.header_frozen();
    render(&HeaderPage {
        page,
        frame,
        number: plan
            .number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        place: plan.place.clone(),
        issued_on: plan.issued_on.map(short_date).unwrap_or_default(),
        subject: plan.subject.clone(),
        errors: FieldErrors::default(),
    })
}

pub async fn save_header(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let header = parse_header(&fields, &mut errors);
    let number = header.as_ref().and_then(|h| h.number.clone());
    if let Some(number) = &number
        && app::plans::number_taken(state.ctx(), id, &cell, number).await?
    {
        errors.add(
            "number",
            "Số này đã dùng cho một kế hoạch khác trong nhiệm kỳ.",
        );
    }
    let mut refused = None;
    if let (Some(header), true) = (header, errors.is_empty()) {
        let edit = Edit::Header {
            number,
            place: header.place,
            issued_on: header.issued_on,
            subject: header.subject,
        };
        match apply(&state, &auth, id, version_of(&fields), &edit).await? {
            Saved::Done => return Ok(after_save(id)),
            Saved::Refused(message) => refused = Some(message),
        }
    }
    let (page, mut frame) = returned_frame(
        &state,
        &auth,
        (&cell, &plan),
        HEADER_TITLE,
        &fields,
        refused,
        header_text,
    )
    .await?;
    frame.locked = frame.status.header_frozen();
    rejected(&HeaderPage {
        page,
        frame,
        number: fields.get("number").to_owned(),
        place: fields.get("place").to_owned(),
        issued_on: fields.get("issued_on").to_owned(),
        subject: fields.get("subject").to_owned(),
        errors,
    })
}

// ---------------------------------------------------------------- paragraph sections

#[derive(Template)]
#[template(path = "plans/texts.html")]
struct TextsPage {
    page: Page,
    frame: SectionFrame,
    section: TextSection,
    text: String,
    errors: FieldErrors,
}

fn section_of(code: &str) -> Result<TextSection, AppError> {
    TextSection::parse(code).ok_or(AppError::NotFound)
}

pub async fn texts_page(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(PlanId, String)>,
) -> Result<Response, AppError> {
    let section = section_of(&code)?;
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let (page, frame) = frame(&state, &auth, &cell, &plan, section.label()).await?;
    render(&TextsPage {
        page,
        frame,
        text: section.of(&plan).join("\n"),
        section,
        errors: FieldErrors::default(),
    })
}

pub async fn save_texts(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(PlanId, String)>,
    fields: Fields,
) -> Result<Response, AppError> {
    let section = section_of(&code)?;
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let mut refused = None;
    if let Some(list) = errors.text("text", fields.get("text"), limit::SECTION, paragraphs) {
        let edit = Edit::Texts {
            section,
            paragraphs: list,
        };
        match apply(&state, &auth, id, version_of(&fields), &edit).await? {
            Saved::Done => return Ok(after_save(id)),
            Saved::Refused(message) => refused = Some(message),
        }
    }
    let (page, frame) = returned_frame(
        &state,
        &auth,
        (&cell, &plan),
        section.label(),
        &fields,
        refused,
        |p| section.of(p).join("\n"),
    )
    .await?;
    rejected(&TextsPage {
        page,
        frame,
        section,
        text: fields.get("text").to_owned(),
        errors,
    })
}

// ---------------------------------------------------------------- signature

#[derive(Template)]
#[template(path = "plans/signature.html")]
struct SignaturePage {
    page: Page,
    frame: SectionFrame,
    authority: String,
    title: String,
    signer: String,
    signer_name: String,
    members: Vec<Member>,
    authorities: [Authority; 4],
    titles: [SignerTitle; 2],
    errors: FieldErrors,
}

const SIGNATURE_TITLE: &str = "Người ký";

fn signature_text(plan: &Plan) -> String {
    format!(
        "{} · {} · {}",
        plan.signature.authority.label(),
        plan.signature.title.label(),
        plan.signature.signer_name
    )
}

pub async fn signature_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let (page, frame) = frame(&state, &auth, &cell, &plan, SIGNATURE_TITLE).await?;
    render(&SignaturePage {
        page,
        frame,
        authority: plan.signature.authority.as_str().into(),
        title: plan.signature.title.as_str().into(),
        signer: plan
            .signature
            .signer
            .map(|m| m.to_string())
            .unwrap_or_default(),
        signer_name: plan.signature.signer_name.clone(),
        members: app::plans::active_members(state.ctx(), cell.id).await?,
        authorities: Authority::ALL,
        titles: SignerTitle::ALL,
        errors: FieldErrors::default(),
    })
}

pub async fn save_signature(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let members = app::plans::active_members(state.ctx(), cell.id).await?;
    let mut errors = FieldErrors::default();
    let authority = errors.check("authority", Authority::parse(fields.get("authority")));
    let title = errors.check("title", SignerTitle::parse(fields.get("title")));
    let chosen = fields.get("signer");
    let (signer, name) = if chosen.is_empty() {
        let typed = errors.free("signer_name", fields.get("signer_name"), limit::NAME);
        (None, typed.unwrap_or_default())
    } else {
        match members.iter().find(|m| m.id.to_string() == chosen) {
            Some(member) => (Some(member.id), member.full_name.clone()),
            None => {
                errors.add("signer", "Người ký phải là đảng viên của chi bộ.");
                (None, String::new())
            }
        }
    };
    if name.is_empty() && errors.get("signer").is_none() && errors.get("signer_name").is_none() {
        errors.add("signer_name", "Vui lòng chọn người ký hoặc ghi họ tên.");
    }
    let mut refused = None;
    if let (Some(authority), Some(title), true) = (authority, title, errors.is_empty()) {
        let edit = Edit::Signature(Signature {
            authority,
            title,
            signer,
            signer_name: name,
        });
        match apply(&state, &auth, id, version_of(&fields), &edit).await? {
            Saved::Done => return Ok(after_save(id)),
            Saved::Refused(message) => refused = Some(message),
        }
    }
    let (page, frame) = returned_frame(
        &state,
        &auth,
        (&cell, &plan),
        SIGNATURE_TITLE,
        &fields,
        refused,
        signature_text,
    )
    .await?;
    rejected(&SignaturePage {
        page,
        frame,
        authority: fields.get("authority").to_owned(),
        title: fields.get("title").to_owned(),
        signer: chosen.to_owned(),
        signer_name: fields.get("signer_name").to_owned(),
        members,
        authorities: Authority::ALL,
        titles: SignerTitle::ALL,
        errors,
    })
}

//! The model-session plan's document in one form: number, place and date, subject, basis
//! (lead-in, documents as rows, closing), purposes and requirements, attendees, duties,
//! recipients (rows) and signer. The rows and their parsing are the plan editor's
//! ([`crate::web::doc_parts`]); "Thêm dòng" brings the form back with a row more in each table.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::app::model_sessions::{self as model, Outcome};
use crate::domain::calendar::short_date;
use crate::domain::model_session::{ModelPlanId, ModelPlanParts, ModelSessionPlan};
use crate::domain::org::Org;
use crate::domain::plan::{Authority, BasisKind, Signature, SignerTitle, paragraphs};
use crate::domain::text::{Line, limit};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::doc_parts::{
    BasisRow, RecipientRow, blank_basis, blank_recipient, parse_basis, parse_header,
    parse_recipients, typed_basis_rows, typed_recipient_rows,
};
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::rows::{adds_row, with_blank_rows, with_one_more};
use crate::web::scope::{draftable_model_plan, model_plan_page};

pub fn routes() -> Routes {
    Routes::new().route("/model-plans/{id}/edit", get(edit_page).post(save))
}

/// The form's text fields as typed (or as stored, when first drawn).
#[derive(Default)]
struct Typed {
    number: String,
    place: String,
    issued_on: String,
    subject: String,
    lead: String,
    closing: String,
    purposes: String,
    requirements: String,
    attendees: String,
    duties: String,
    archive: String,
    authority: String,
    title: String,
    signer_name: String,
}

impl Typed {
    fn of(plan: &ModelSessionPlan) -> Self {
        let parts = &plan.parts;
        Self {
            number: plan
                .number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            place: plan.place.clone(),
            issued_on: plan.issued_on.map(short_date).unwrap_or_default(),
            subject: parts.subject.clone(),
            lead: parts.basis_lead.clone(),
            closing: parts.basis_closing.clone(),
            purposes: parts.purposes.join("\n"),
            requirements: parts.requirements.join("\n"),
            attendees: parts.attendees.join("\n"),
            duties: parts.duties.join("\n"),
            archive: parts.archive.clone(),
            authority: parts.signature.authority.as_str().into(),
            title: parts.signature.title.as_str().into(),
            signer_name: parts.signature.signer_name.clone(),
        }
    }

    fn read(fields: &Fields) -> Self {
        let get = |name: &str| fields.get(name).to_owned();
        Self {
            number: get("number"),
            place: get("place"),
            issued_on: get("issued_on"),
            subject: get("subject"),
            lead: get("lead"),
            closing: get("closing"),
            purposes: get("purposes"),
            requirements: get("requirements"),
            attendees: get("attendees"),
            duties: get("duties"),
            archive: get("archive"),
            authority: get("authority"),
            title: get("title"),
            signer_name: get("signer_name"),
        }
    }
}

#[derive(Template)]
#[template(path = "model_sessions/edit.html")]
struct EditPage {
    page: Page,
    plan_id: ModelPlanId,
    version: i64,
    locked: bool,
    refused: Option<&'static str>,
    typed: Typed,
    basis_rows: Vec<BasisRow>,
    recipient_rows: Vec<RecipientRow>,
    kinds: [BasisKind; 9],
    authorities: [Authority; 4],
    titles: [SignerTitle; 2],
    errors: FieldErrors,
}

const TITLE: &str = "Soạn kế hoạch";

/// Most documents of the basis, and most recipients, a plan lists.
const MAX_ROWS: usize = 30;

async fn page(
    state: &AppState,
    auth: &Auth,
    committee: &Org,
    plan: &ModelSessionPlan,
) -> Result<Page, AppError> {
    model_plan_page(state, auth, committee, plan, TITLE).await
}

pub async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
) -> Result<Response, AppError> {
    let (plan, committee) = draftable_model_plan(&state, &auth, id).await?;
    render(&EditPage {
        page: page(&state, &auth, &committee, &plan).await?,
        plan_id: plan.id,
        version: plan.version,
        locked: !plan.is_draft(),
        refused: None,
        typed: Typed::of(&plan),
        basis_rows: with_blank_rows(
            plan.parts.basis.iter().map(BasisRow::of).collect(),
            blank_basis,
        ),
        recipient_rows: with_blank_rows(
            plan.parts.recipients.iter().map(RecipientRow::of).collect(),
            blank_recipient,
        ),
        kinds: BasisKind::ALL,
        authorities: Authority::ALL,
        titles: SignerTitle::ALL,
        errors: FieldErrors::default(),
    })
}

/// The whole form parsed into the plan's new number, place, date and parts; None when a field
/// has an error (recorded in `errors`).
fn parse(
    plan: &ModelSessionPlan,
    fields: &Fields,
    basis_rows: &[BasisRow],
    recipient_rows: &[RecipientRow],
    errors: &mut FieldErrors,
) -> Option<ModelSessionPlan> {
    let header = parse_header(fields, errors);
    // The parts are stored as one value: the lists of rows are bounded too.
    if basis_rows.len() > MAX_ROWS {
        errors.add("basis", format!("Tối đa {MAX_ROWS} văn bản căn cứ."));
    }
    if recipient_rows.len() > MAX_ROWS {
        errors.add("recipients", format!("Tối đa {MAX_ROWS} nơi nhận."));
    }
    let lead = errors.free("lead", fields.get("lead"), limit::PARAGRAPH);
    let closing = errors.free("closing", fields.get("closing"), limit::PARAGRAPH);
    let basis = parse_basis(basis_rows, errors);
    let mut texts =
        |name: &'static str| errors.text(name, fields.get(name), limit::SECTION, paragraphs);
    let purposes = texts("purposes");
    let requirements = texts("requirements");
    let attendees = texts("attendees");
    let duties = texts("duties");
    let recipients = parse_recipients(recipient_rows, errors);
    let archive = errors.text("archive", fields.get("archive"), limit::NAME, |t| {
        Line::parse(t, limit::NAME)
    });
    let authority = errors.check("authority", Authority::parse(fields.get("authority")));
    let title = errors.check("title", SignerTitle::parse(fields.get("title")));
    let signer_name = errors.free("signer_name", fields.get("signer_name"), limit::NAME);
    if let (Some(issued_on), Some(first)) = (
        header.as_ref().and_then(|h| h.issued_on),
        plan.sessions.iter().map(|s| s.date).min(),
    ) && first < issued_on
    {
        errors.add(
            "issued_on",
            format!(
                "Ngày ban hành phải trước các hội nghị mẫu (hội nghị đầu tiên ngày {}).",
                short_date(first)
            ),
        );
    }
    if !errors.is_empty() {
        return None;
    }
    let header = header?;
    Some(ModelSessionPlan {
        number: header.number,
        place: header.place.into_string(),
        issued_on: header.issued_on,
        parts: ModelPlanParts {
            subject: header.subject.into_string(),
            basis_lead: lead?,
            basis,
            basis_closing: closing?,
            purposes: purposes?,
            requirements: requirements?,
            attendees: attendees?,
            duties: duties?,
            recipients,
            archive: archive?.into_string(),
            signature: Signature {
                authority: authority?,
                title: title?,
                signer: None,
                signer_name: signer_name?,
            },
        },
        ..plan.clone()
    })
}

pub async fn save(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<ModelPlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, committee) = draftable_model_plan(&state, &auth, id).await?;
    let basis_rows = typed_basis_rows(&fields);
    let recipient_rows = typed_recipient_rows(&fields);
    let version: i64 = fields.get("version").parse().unwrap_or(0);
    let mut errors = FieldErrors::default();
    let mut refused = None;
    let adding = adds_row(&fields);
    let (rows, recipients) = if adding {
        // "Thêm dòng": the form again with a row more in each table; nothing is saved.
        (
            with_one_more(basis_rows, blank_basis),
            with_one_more(recipient_rows, blank_recipient),
        )
    } else {
        let basis_rows: Vec<BasisRow> = basis_rows.into_iter().filter(|r| !r.is_blank()).collect();
        let recipient_rows: Vec<RecipientRow> = recipient_rows
            .into_iter()
            .filter(|r| !r.name.trim().is_empty())
            .collect();
        if let Some(changed) = parse(&plan, &fields, &basis_rows, &recipient_rows, &mut errors) {
            match model::save(state.ctx(), &committee, &changed, version).await? {
                Outcome::Done => {
                    return Ok(Redirect::to(&format!("/model-plans/{id}")).into_response());
                }
                other => match other.message() {
                    (Some(field), message) => errors.add(field, message),
                    (None, message) => refused = Some(message),
                },
            }
        }
        (
            with_blank_rows(basis_rows, blank_basis),
            with_blank_rows(recipient_rows, blank_recipient),
        )
    };
    let template = EditPage {
        page: page(&state, &auth, &committee, &plan).await?,
        plan_id: plan.id,
        version,
        locked: !plan.is_draft(),
        refused,
        typed: Typed::read(&fields),
        basis_rows: rows,
        recipient_rows: recipients,
        kinds: BasisKind::ALL,
        authorities: Authority::ALL,
        titles: SignerTitle::ALL,
        errors,
    };
    if adding {
        render(&template)
    } else {
        rejected(&template)
    }
}

//! The basis of a plan: its lead-in, the documents it is issued under (a form of rows, with
//! "Thêm dòng"), and its closing sentence.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::sections::{Saved, SectionFrame, after_save, apply, frame, returned_frame, version_of};
use crate::AppState;
use crate::domain::plan::{BasisDoc, BasisKind, Plan, PlanId};
use crate::domain::plan_edit::{Edit, added_rows};
use crate::domain::text::limit;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::doc_parts::{BasisRow, blank_basis, parse_basis, typed_basis_rows};
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::rows::{adds_row, drawn, with_blank_rows, with_one_more};
use crate::web::scope::editable_plan;

pub fn routes() -> Routes {
    Routes::new().route("/plans/{id}/basis", get(basis_page).post(save_basis))
}

#[derive(Template)]
#[template(path = "plans/basis.html")]
struct BasisPage {
    page: Page,
    frame: SectionFrame,
    lead: String,
    closing: String,
    basis_rows: Vec<BasisRow>,
    /// How many documents the basis had when the form was first drawn.
    drawn: String,
    kinds: [BasisKind; 9],
    errors: FieldErrors,
}

const BASIS_TITLE: &str = "Căn cứ ban hành";

fn basis_text(plan: &Plan) -> String {
    let docs: Vec<String> = plan.basis.iter().map(BasisDoc::citation).collect();
    format!(
        "{} {}; {}",
        plan.basis_lead,
        docs.join("; "),
        plan.basis_closing
    )
}

pub async fn basis_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let rows = plan.basis.iter().map(BasisRow::of).collect();
    let (page, frame) = frame(&state, &auth, &cell, &plan, BASIS_TITLE).await?;
    render(&BasisPage {
        page,
        frame,
        lead: plan.basis_lead.clone(),
        closing: plan.basis_closing.clone(),
        drawn: plan.basis.len().to_string(),
        basis_rows: with_blank_rows(rows, blank_basis),
        kinds: BasisKind::ALL,
        errors: FieldErrors::default(),
    })
}

pub async fn save_basis(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let typed = typed_basis_rows(&fields);
    let adding = adds_row(&fields);
    let mut errors = FieldErrors::default();
    let mut refused = None;
    let rows = if adding {
        // "Thêm dòng": the form again with one more row; nothing is checked or saved.
        with_one_more(typed, blank_basis)
    } else {
        let lead = errors.free("lead", fields.get("lead"), limit::PARAGRAPH);
        let closing = errors.free("closing", fields.get("closing"), limit::PARAGRAPH);
        let typed: Vec<BasisRow> = typed.into_iter().filter(|r| !r.is_blank()).collect();
        let docs = parse_basis(&typed, &mut errors);
        if let (Some(lead), Some(closing), true) = (lead, closing, errors.is_empty()) {
            // Documents only added below the ones drawn are a part of their own: they go
            // below whatever is stored now, whoever else added or edited since.
            let unchanged = lead == plan.basis_lead && closing == plan.basis_closing;
            let added = drawn(&fields).and_then(|n| added_rows(&docs, n, &plan.basis));
            let edit = match added {
                Some(new) if unchanged => Edit::AddBasisDocs(new),
                _ => Edit::Basis {
                    lead,
                    docs,
                    closing,
                },
            };
            match apply(&state, &auth, id, version_of(&fields), &edit).await? {
                Saved::Done => return Ok(after_save(id)),
                Saved::Refused(message) => refused = Some(message),
            }
        }
        with_blank_rows(typed, blank_basis)
    };
    let (page, frame) = returned_frame(
        &state,
        &auth,
        (&cell, &plan),
        BASIS_TITLE,
        &fields,
        refused,
        basis_text,
    )
    .await?;
    let template = BasisPage {
        page,
        frame,
        lead: fields.get("lead").to_owned(),
        closing: fields.get("closing").to_owned(),
        basis_rows: rows,
        drawn: fields.get("drawn").to_owned(),
        kinds: BasisKind::ALL,
        errors,
    };
    if adding {
        render(&template)
    } else {
        rejected(&template)
    }
}

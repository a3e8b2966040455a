//! The basis of a plan: its lead-in, the documents it is issued under (a form of rows, with
//! "Thêm dòng"), and its closing sentence.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::rows::{adds_row, drawn, ordered_rows, with_blank_rows, with_one_more};
use super::sections::{Saved, SectionFrame, after_save, apply, frame, returned_frame, version_of};
use crate::AppState;
use crate::domain::calendar::{parse_date, short_date};
use crate::domain::plan::{BasisDoc, BasisKind, Plan, PlanId};
use crate::domain::plan_edit::{Edit, added_rows};
use crate::domain::text::limit;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::editable_plan;

pub fn routes() -> Routes {
    Routes::new().route("/plans/{id}/basis", get(basis_page).post(save_basis))
}

pub struct BasisRow {
    pub kind: String,
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub subject: String,
}

impl BasisRow {
    fn is_blank(&self) -> bool {
        [&self.number, &self.date, &self.issuer, &self.subject]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

#[derive(Template)]
#[template(path = "plans/basis.html")]
struct BasisPage {
    page: Page,
    frame: SectionFrame,
    lead: String,
    closing: String,
    rows: Vec<BasisRow>,
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

fn blank_basis() -> BasisRow {
    BasisRow {
        kind: BasisKind::Directive.as_str().into(),
        number: String::new(),
        date: String::new(),
        issuer: String::new(),
        subject: String::new(),
    }
}

pub async fn basis_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let rows = plan
        .basis
        .iter()
        .map(|doc| BasisRow {
            kind: doc.kind.as_str().into(),
            number: doc.number.clone(),
            date: doc.date.map(short_date).unwrap_or_default(),
            issuer: doc.issuer.clone(),
            subject: doc.subject.clone(),
        })
        .collect();
    let (page, frame) = frame(&state, &auth, &cell, &plan, BASIS_TITLE).await?;
    render(&BasisPage {
        page,
        frame,
        lead: plan.basis_lead.clone(),
        closing: plan.basis_closing.clone(),
        drawn: plan.basis.len().to_string(),
        rows: with_blank_rows(rows, blank_basis),
        kinds: BasisKind::ALL,
        errors: FieldErrors::default(),
    })
}

/// The documents' rows as sent, in the user's order, blank ones included.
fn typed_rows(fields: &Fields) -> Vec<BasisRow> {
    ordered_rows(fields, "basis_")
        .into_iter()
        .map(|row| {
            let get = |name: &str| fields.get(&format!("basis_{name}_{row}")).to_owned();
            BasisRow {
                kind: get("kind"),
                number: get("number"),
                date: get("date"),
                issuer: get("issuer"),
                subject: get("subject"),
            }
        })
        .collect()
}

/// Parses the filled rows (shown again in that order, numbered from 0) into documents; a row
/// with an error is left out, its message recorded.
fn parse_docs(typed: &[BasisRow], errors: &mut FieldErrors) -> Vec<BasisDoc> {
    let mut docs = Vec::new();
    for (shown, entry) in typed.iter().enumerate() {
        let kind = errors.check(format!("basis_kind_{shown}"), BasisKind::parse(&entry.kind));
        let date = errors.text(
            format!("basis_date_{shown}"),
            &entry.date,
            limit::SHORT,
            parse_date,
        );
        let number = errors.free(format!("basis_number_{shown}"), &entry.number, limit::NAME);
        if number.as_ref().is_some_and(String::is_empty) {
            errors.add(
                format!("basis_number_{shown}"),
                "Vui lòng nhập số, ký hiệu (ví dụ 05-CT/TW).",
            );
        }
        let issuer = errors.free(format!("basis_issuer_{shown}"), &entry.issuer, limit::NAME);
        let subject = errors.free(
            format!("basis_subject_{shown}"),
            &entry.subject,
            limit::TITLE,
        );
        if let (Some(kind), Some(date), Some(number), Some(issuer), Some(subject)) =
            (kind, date, number, issuer, subject)
        {
            docs.push(BasisDoc {
                kind,
                number,
                date,
                issuer,
                subject,
            });
        }
    }
    docs
}

pub async fn save_basis(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let typed = typed_rows(&fields);
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
        let docs = parse_docs(&typed, &mut errors);
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
        rows,
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

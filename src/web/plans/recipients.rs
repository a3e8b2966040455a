//! The recipients of a plan (nơi nhận): a form of rows, with "Thêm dòng", and the archive line.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::sections::{Saved, SectionFrame, after_save, apply, frame, returned_frame, version_of};
use crate::AppState;
use crate::domain::plan::{Plan, PlanId};
use crate::domain::plan_edit::{Edit, added_rows};
use crate::domain::text::{Line, limit};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::doc_parts::{
    RecipientRow, blank_recipient, parse_recipients, typed_recipient_rows,
};
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::rows::{adds_row, drawn, with_blank_rows, with_one_more};
use crate::web::scope::editable_plan;

pub fn routes() -> Routes {
    Routes::new().route(
        "/plans/{id}/recipients",
        get(recipients_page).post(save_recipients),
    )
}

#[derive(Template)]
#[template(path = "plans/recipients.html")]
struct RecipientsPage {
    page: Page,
    frame: SectionFrame,
    recipient_rows: Vec<RecipientRow>,
    /// How many recipients the plan had when the form was first drawn.
    drawn: String,
    archive: String,
    errors: FieldErrors,
}

const RECIPIENTS_TITLE: &str = "Nơi nhận";

fn recipients_text(plan: &Plan) -> String {
    let mut lines: Vec<String> = plan
        .recipients
        .iter()
        .map(|r| {
            format!(
                "- {}{}",
                r.name,
                if r.for_report { " (để b/c)" } else { "" }
            )
        })
        .collect();
    lines.push(format!("- {}", plan.archive));
    lines.join("\n")
}

pub async fn recipients_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let rows = plan.recipients.iter().map(RecipientRow::of).collect();
    let (page, frame) = frame(&state, &auth, &cell, &plan, RECIPIENTS_TITLE).await?;
    render(&RecipientsPage {
        page,
        frame,
        recipient_rows: with_blank_rows(rows, blank_recipient),
        drawn: plan.recipients.len().to_string(),
        archive: plan.archive.clone(),
        errors: FieldErrors::default(),
    })
}

pub async fn save_recipients(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = editable_plan(&state, &auth, id).await?;
    let typed = typed_recipient_rows(&fields);
    let adding = adds_row(&fields);
    let mut errors = FieldErrors::default();
    let mut refused = None;
    let rows = if adding {
        // "Thêm dòng": the form again with one more row; nothing is checked or saved.
        with_one_more(typed, blank_recipient)
    } else {
        let typed: Vec<RecipientRow> = typed
            .into_iter()
            .filter(|r| !r.name.trim().is_empty())
            .collect();
        let recipients = parse_recipients(&typed, &mut errors);
        let archive = errors.text("archive", fields.get("archive"), limit::NAME, |text| {
            Line::parse(text, limit::NAME)
        });
        if let (Some(archive), true) = (archive, errors.is_empty()) {
            // Recipients only added below the ones drawn are a part of their own: they go
            // below whatever is stored now, whoever else added or edited since.
            let added = drawn(&fields).and_then(|n| added_rows(&recipients, n, &plan.recipients));
            let edit = match added {
                Some(new) if archive.as_str() == plan.archive => Edit::AddRecipients(new),
                _ => Edit::Recipients {
                    recipients,
                    archive,
                },
            };
            match apply(&state, &auth, id, version_of(&fields), &edit).await? {
                Saved::Done => return Ok(after_save(id)),
                Saved::Refused(message) => refused = Some(message),
            }
        }
        with_blank_rows(typed, blank_recipient)
    };
    let (page, frame) = returned_frame(
        &state,
        &auth,
        (&cell, &plan),
        RECIPIENTS_TITLE,
        &fields,
        refused,
        recipients_text,
    )
    .await?;
    let template = RecipientsPage {
        page,
        frame,
        recipient_rows: rows,
        drawn: fields.get("drawn").to_owned(),
        archive: fields.get("archive").to_owned(),
        errors,
    };
    if adding {
        render(&template)
    } else {
        rejected(&template)
    }
}

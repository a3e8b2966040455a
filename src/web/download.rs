//! Serving a document: the print view, and files as attachments (DOCX, PDF typeset within its
//! budget). Shared by every area that prints an official document.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::AppError;
use crate::AppState;
use crate::document::typesetter::RenderError;
use crate::document::{self, Document};

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The print view, with its back link.
pub fn print_view(doc: &Document, back: &str) -> Result<Response, AppError> {
    Ok(Html(document::html::render(doc, Some(back))?).into_response())
}

/// A download: the file name is ASCII already; `filename*` repeats it for agents that prefer it.
pub fn attachment(bytes: Vec<u8>, stem: &str, extension: &str, mime: &'static str) -> Response {
    let name = format!("{stem}.{extension}");
    let disposition = format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}");
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub fn docx(doc: &Document, stem: &str) -> Result<Response, AppError> {
    Ok(attachment(document::docx::render(doc)?, stem, "docx", DOCX))
}

/// Typeset off the async workers, a bounded number at once, within the time budget.
pub async fn pdf(state: &AppState, doc: Document, stem: &str) -> Result<Response, AppError> {
    let bytes = state.typesetter.pdf(doc).await.map_err(|err| match err {
        RenderError::OverBudget => {
            tracing::warn!("PDF not typeset within its time budget");
            AppError::PdfOverloaded
        }
        RenderError::Failed(err) => AppError::Internal(err),
    })?;
    Ok(attachment(bytes, stem, "pdf", "application/pdf"))
}

//! Form plumbing: per-field Vietnamese messages, and rendering a template into a response.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::AppError;
use crate::app::plans::Refusal;
use crate::domain::Invalid;
use crate::domain::plan_edit::Change;
use crate::domain::text::{canonical, within};

/// Messages keyed by form field name, shown beside the field.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// Keeps the parsed value, or records its message under `field`.
    pub fn check<T>(&mut self, field: impl Into<String>, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Invalid(message)) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Parses a text field with `parse` if it fits in `max` characters ([`crate::domain::text::limit`]);
    /// longer, the field gets the message that names the limit and the count, and `parse` is
    /// not run on it.
    pub fn text<T>(
        &mut self,
        field: impl Into<String>,
        input: &str,
        max: usize,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        match within(input, max) {
            Ok(()) => self.check(field, parse(input)),
            Err(too_long) => {
                self.add(field, too_long.to_string());
                None
            }
        }
    }

    /// A free text field of at most `max` characters, canonical; possibly empty.
    pub fn free(&mut self, field: impl Into<String>, input: &str, max: usize) -> Option<String> {
        self.text(field, input, max, |text| Ok(canonical(text)))
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// The message of field `name` in table row `row` (fields named `{name}_{row}`).
    pub fn row(&self, name: &str, row: &usize) -> Option<&str> {
        self.get(&format!("{name}_{row}"))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Renders a page with 200.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    Ok(Html(template.render()?).into_response())
}

/// Renders a form that came back with errors: 422, the user's input kept in `template`.
pub fn rejected(template: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(template.render()?)).into_response())
}

/// The message shown above a form whose save was refused; the typed input stays in the form.
pub fn refusal_message(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Conflict(changes) => conflict_message(changes),
        Refusal::NumberTaken => {
            "Số văn bản này đã dùng cho một kế hoạch khác trong nhiệm kỳ.".into()
        }
        Refusal::Gone => "Phần này vừa bị người khác xóa; không còn gì để lưu.".into(),
        Refusal::Locked(lock) => format!("Chưa lưu: {}", lock.reason()),
    }
}

/// The message shown when someone else saved the same part first.
fn conflict_message(changes: &[Change]) -> String {
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

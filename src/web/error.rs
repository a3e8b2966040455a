//! The one error type of the web layer: each variant becomes the right page and status.
//! Internal causes are logged (with the request id of the surrounding span), never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::page::Page;

#[derive(Debug)]
pub enum AppError {
    /// Not signed in (or the session ended): go to the login page, then come back.
    LoginRequired {
        next: String,
    },
    /// A signed-in session that has ended (too old, or its password changed): like
    /// `LoginRequired`, but its response is marked [`SessionEnded`] so that a form posted into
    /// it can get its typed text back.
    SessionEnded {
        next: String,
    },
    Forbidden,
    /// A state-changing request without a valid CSRF proof.
    Csrf,
    NotFound,
    /// A request no page of ours would send (a malformed form).
    BadRequest,
    /// A PDF that could not be typeset within its time budget (too many at once, or too big).
    PdfOverloaded,
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(error: E) -> Self {
        AppError::Internal(error.into())
    }
}

/// Marks the response to a request whose signed-in session had ended.
#[derive(Debug, Clone, Copy)]
pub struct SessionEnded;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            AppError::LoginRequired { next } => return to_login(next),
            AppError::SessionEnded { next } => {
                let mut response = to_login(next);
                response.extensions_mut().insert(SessionEnded);
                return response;
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Không có quyền truy cập",
                "Tài khoản của đồng chí không có quyền xem hoặc thay đổi nội dung này.",
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Yêu cầu không hợp lệ",
                "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của ứng dụng. \
                 Vui lòng tải lại trang và thử lại.",
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Không tìm thấy trang",
                "Trang đồng chí tìm không tồn tại hoặc đã được chuyển đi.",
            ),
            AppError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Yêu cầu không hợp lệ",
                "Nội dung gửi lên không đúng định dạng. Vui lòng quay lại trang trước và thử lại.",
            ),
            AppError::PdfOverloaded => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Chưa dựng được tệp PDF",
                "Tệp PDF đang quá tải hoặc quá lớn để dựng lúc này. Vui lòng thử lại sau ít \
                 phút, hoặc dùng bản in hay tệp DOCX của văn bản.",
            ),
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Đã xảy ra lỗi",
                    "Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu chưa được thay đổi; \
                     vui lòng thử lại sau ít phút.",
                )
            }
        };
        let body = ErrorPage {
            page: Page::bare(title),
            status: status.as_u16(),
            message,
        }
        .render()
        .unwrap_or_else(|_| message.to_owned());
        (status, Html(body)).into_response()
    }
}

fn to_login(next: String) -> Response {
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    Redirect::to(&format!("/login?{query}")).into_response()
}

//! The one error type of the web layer: each variant becomes the right page and status.
//! Internal causes are logged (with the request id of the surrounding span), never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::fault::StorageFault;
use super::page::Page;
use crate::db::fault::{self, Fault};

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
struct ErrorPage<'a> {
    page: Page,
    status: u16,
    message: &'a str,
    /// Where to go next, with its label (the home page when none).
    link: Option<(&'a str, &'a str)>,
    request_id: Option<String>,
}

impl ErrorPage<'_> {
    fn respond(self, status: StatusCode) -> Response {
        let body = self.render().unwrap_or_else(|_| self.message.to_owned());
        (status, Html(body)).into_response()
    }
}

/// The title and the reason of a storage fault, in the words shown to people.
pub fn fault_words(fault: Fault) -> (&'static str, &'static str) {
    match fault {
        Fault::ReadOnly => (
            "Hệ thống đang ở chế độ chỉ đọc",
            "cơ sở dữ liệu tạm thời chỉ cho phép đọc (chế độ chỉ đọc): các trang vẫn xem được \
             nhưng chưa ghi được thay đổi nào",
        ),
        Fault::Full => (
            "Ổ đĩa của máy chủ đã đầy",
            "ổ đĩa chứa cơ sở dữ liệu đã đầy nên không ghi thêm được; quản trị viên cần giải \
             phóng dung lượng",
        ),
        Fault::Unavailable => (
            "Tạm thời không truy cập được cơ sở dữ liệu",
            "hệ thống tạm thời không kết nối được cơ sở dữ liệu",
        ),
        Fault::CommitUnknown => (
            "Chưa rõ đã lưu hay chưa",
            "kết nối tới cơ sở dữ liệu bị ngắt đúng lúc đang lưu, nên thay đổi có thể đã được lưu",
        ),
    }
}

/// The storage fault behind an internal error, if it is one.
fn storage_fault(error: &anyhow::Error) -> Option<Fault> {
    error
        .chain()
        .find_map(|cause| match cause.downcast_ref::<crate::app::Error>() {
            // A transparent wrapper: its source is sqlx's source, not sqlx's error.
            Some(crate::app::Error::Storage(error)) => fault::of_sqlx(error),
            // The session store hands sqlx's errors on as text.
            _ if cause.is::<tower_sessions::session::Error>()
                || cause.is::<tower_sessions::session_store::Error>() =>
            {
                fault::of_message(&cause.to_string())
            }
            _ => fault::of_source(cause),
        })
}

/// The page of a storage fault: 503 (the database cannot do it now), marked so that the CSRF
/// layer gives a form's typed text back and `/healthz` hears of it. A commit whose outcome is
/// unknown is not called a failure: it may have been saved, and the page says to check.
pub fn storage_page(fault: Fault) -> Response {
    let (title, why) = fault_words(fault);
    let (status, message) = match fault {
        Fault::CommitUnknown => (
            StatusCode::OK,
            format!(
                "Có thể đã được lưu: {why}. Vui lòng mở lại trang để kiểm tra trước khi lưu lần nữa."
            ),
        ),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "Chưa thực hiện được: {why}. Vui lòng thử lại sau ít phút; nếu vẫn vậy, báo quản trị viên."
            ),
        ),
    };
    let mut response = ErrorPage {
        page: Page::bare(title),
        status: status.as_u16(),
        message: &message,
        link: None,
        request_id: super::fault::request_id(),
    }
    .respond(status);
    response.extensions_mut().insert(StorageFault {
        fault,
        form_kept: false,
    });
    response
}

/// The handler did its work (a save committed) but the session could not be saved afterwards:
/// never a failure; the page says what was done may have been saved and links to it.
pub fn done_but_session_lost(fault: Option<Fault>, link: &str) -> Response {
    let why = fault.map_or("hệ thống gặp sự cố", |f| fault_words(f).1);
    let message = format!(
        "Yêu cầu đã được xử lý và thay đổi (nếu có) có thể đã được lưu, nhưng không ghi được \
         phiên đăng nhập: {why}. Vui lòng mở trang dưới đây để kiểm tra trước khi làm lại."
    );
    ErrorPage {
        page: Page::bare("Có thể đã được lưu — vui lòng kiểm tra"),
        status: 200,
        message: &message,
        link: Some((link, "Mở trang để kiểm tra")),
        request_id: super::fault::request_id(),
    }
    .respond(StatusCode::OK)
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
                if let Some(fault) = storage_fault(&error) {
                    tracing::warn!(error = format!("{error:#}"), ?fault, "storage fault");
                    return storage_page(fault);
                }
                tracing::error!(error = format!("{error:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Đã xảy ra lỗi",
                    "Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu chưa được thay đổi; \
                     vui lòng thử lại sau ít phút.",
                )
            }
        };
        ErrorPage {
            page: Page::bare(title),
            status: status.as_u16(),
            message,
            link: None,
            // On a failure of ours, to quote to an administrator. Not on a 404: what is out of
            // one's scope answers exactly like what does not exist.
            request_id: status
                .is_server_error()
                .then(super::fault::request_id)
                .flatten(),
        }
        .respond(status)
    }
}

fn to_login(next: String) -> Response {
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    Redirect::to(&format!("/login?{query}")).into_response()
}

//! One's own account: changing one's password, the e-mail address for notifications.

use super::extract::Form;
use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppError;
use super::auth::{self, Auth, ClientAddress};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use crate::AppState;
use crate::app::accounts::{self as users, Check};
use crate::app::notifications;
use crate::domain::member::Email;
use crate::domain::text::limit;
use crate::domain::user::Password;

pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
        .route("/account/email", post(save_email))
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    page: Page,
    errors: FieldErrors,
    /// The account's own e-mail address, for notifications.
    email: String,
}

pub async fn password_page(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Response, AppError> {
    render(&PasswordPage {
        page: auth.page("Đổi mật khẩu"),
        errors: FieldErrors::default(),
        email: own_email(&state, &auth).await?,
    })
}

async fn own_email(state: &AppState, auth: &Auth) -> Result<String, AppError> {
    Ok(notifications::account_email(&state.db, auth.actor.user.id)
        .await?
        .unwrap_or_default())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

const THROTTLED: &str =
    "Nhập sai mật khẩu quá nhiều lần. Vì an toàn, vui lòng chờ 15 phút rồi thử lại.";

pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    ClientAddress(address): ClientAddress,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let throttle = &state.settings.throttle;
    // A longer text cannot be the password: not worth hashing, nor counting as a guess.
    let typed = errors.text("current", &form.current, Password::MAX_CHARS, |_| Ok(()));
    let check = match typed {
        Some(()) => {
            users::check_current_password(
                &state.db,
                throttle,
                &auth.actor.user,
                &address,
                form.current,
            )
            .await?
        }
        None => Check::Wrong,
    };
    match check {
        Check::Valid => {}
        Check::Wrong => errors.add("current", "Mật khẩu hiện tại không đúng."),
        Check::Throttled => {
            errors.add("current", THROTTLED);
            let page = PasswordPage {
                page: auth.page("Đổi mật khẩu"),
                errors,
                email: own_email(&state, &auth).await?,
            };
            return Ok((StatusCode::TOO_MANY_REQUESTS, Html(page.render()?)).into_response());
        }
    }
    let new = errors.check("new", Password::parse(&form.new));
    if new.is_some() && form.new != form.confirm {
        errors.add("confirm", "Hai lần nhập mật khẩu mới không khớp.");
    }
    let (Some(new), true) = (new, errors.is_empty()) else {
        // Passwords are never echoed back into the form.
        return rejected(&PasswordPage {
            page: auth.page("Đổi mật khẩu"),
            errors,
            email: own_email(&state, &auth).await?,
        });
    };
    let hash = users::hash(&new).await?;
    let epoch = users::set_password_hash(&state.db, auth.actor.user.id, &hash, auth.user_id())
        .await?
        .ok_or(AppError::NotFound)?;
    auth::renew(&auth.session, epoch).await?;
    auth.flash("Đã đổi mật khẩu.").await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sets one's own e-mail address for notifications; an empty field clears it.
pub async fn save_email(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    match errors.text("email", &form.email, limit::EMAIL, Email::parse_optional) {
        Some(email) => {
            let user = auth.actor.user.id;
            notifications::set_account_email(&state.db, user, email.as_ref(), auth.user_id())
                .await?;
            auth.flash(match email {
                Some(_) => "Đã lưu địa chỉ thư điện tử nhận thông báo.",
                None => "Đã xóa địa chỉ thư điện tử nhận thông báo.",
            })
            .await?;
            Ok(Redirect::to("/account/password").into_response())
        }
        None => rejected(&PasswordPage {
            page: auth.page("Đổi mật khẩu"),
            errors,
            email: form.email,
        }),
    }
}

//! One's own account: changing one's password.

use super::extract::Form;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppError;
use super::auth::{self, Auth};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use crate::AppState;
use crate::db::users;
use crate::domain::user::Password;
use crate::password;

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    page: Page,
    errors: FieldErrors,
}

pub async fn password_page(auth: Auth) -> Result<Response, AppError> {
    render(&PasswordPage {
        page: auth.page("Đổi mật khẩu"),
        errors: FieldErrors::default(),
    })
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

pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let stored = users::password_hash(&state.db, auth.actor.user.id).await?;
    if !password::verify(form.current, stored).await? {
        errors.add("current", "Mật khẩu hiện tại không đúng.");
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
        });
    };
    let hash = password::hash(&new).await?;
    users::set_password_hash(&state.db, auth.actor.user.id, &hash, auth.user_id()).await?;
    auth::renew(&auth.session).await?;
    auth.notify("Đã đổi mật khẩu.").await?;
    Ok(Redirect::to("/").into_response())
}

//! System administration: accounts, passwords, and who reviews for which committee.

use super::extract::Path;
use super::extract::{Form, Query};
use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppError;
use super::auth::{self, Auth};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use crate::AppState;
use crate::app::accounts as users;
use crate::app::{notifications, orgs};
use crate::domain::Invalid;
use crate::domain::access::Actor;
use crate::domain::member::Email;
use crate::domain::org::{OrgId, OrgKind};
use crate::domain::text::{Line, limit};
use crate::domain::user::{Login, Password, User, UserId};

pub fn routes() -> Routes {
    Routes::new()
        .route("/admin/users", get(users))
        .route("/admin/users/new", get(new_user_page).post(create_user))
        .route("/admin/users/{id}", get(user))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/users/{id}/email", post(set_email))
        .route("/admin/users/{id}/reviews", post(add_review))
        .route(
            "/admin/users/{id}/reviews/{org}/delete",
            post(remove_review),
        )
}

fn admin_only(auth: &Auth) -> Result<(), AppError> {
    auth.require(auth.actor.is_admin())
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    q: String,
    users: Vec<User>,
}

pub async fn users(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    // A search is not stored: a longer one is cut to the longest name, not refused.
    let q: String = query.q.trim().chars().take(limit::NAME).collect();
    let users = users::list(&state.db, &q, 200).await?;
    render(&UsersPage {
        page: auth.page("Tài khoản").crumb("/admin/users", "Tài khoản"),
        q: query.q,
        users,
    })
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    is_admin: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage {
    page: Page,
    form: NewUserForm,
    errors: FieldErrors,
}

pub async fn new_user_page(auth: Auth) -> Result<Response, AppError> {
    admin_only(&auth)?;
    render(&NewUserPage {
        page: auth
            .page("Tạo tài khoản")
            .crumb("/admin/users", "Tài khoản"),
        form: NewUserForm::default(),
        errors: FieldErrors::default(),
    })
}

pub async fn create_user(
    State(state): State<AppState>,
    auth: Auth,
    Form(mut form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    let mut errors = FieldErrors::default();
    let login = errors.text("login", &form.login, limit::NAME, Login::parse);
    let name = errors.text("full_name", &form.full_name, limit::NAME, |text| {
        Line::parse(text, limit::NAME)
    });
    let secret = errors.check("password", Password::parse(&form.password));
    if let (Some(login), Some(name), Some(secret)) = (login, name, secret) {
        let hash = users::hash(&secret).await?;
        let new = users::NewUser {
            login: &login,
            full_name: name.as_str(),
            password_hash: &hash,
            is_admin: form.is_admin.is_some(),
        };
        match users::create(&state.db, &new, auth.user_id()).await {
            Ok(id) => {
                auth.flash(&format!("Đã tạo tài khoản {}.", login.as_str()))
                    .await?;
                return Ok(Redirect::to(&format!("/admin/users/{id}")).into_response());
            }
            Err(users::CreateError::Taken) => {
                errors.add("login", "Tên đăng nhập này đã có người dùng.")
            }
            Err(users::CreateError::Sqlx(error)) => return Err(error.into()),
        }
    }
    form.password.clear();
    rejected(&NewUserPage {
        page: auth
            .page("Tạo tài khoản")
            .crumb("/admin/users", "Tài khoản"),
        form,
        errors,
    })
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    page: Page,
    account: Actor,
    errors: FieldErrors,
    committee: String,
    /// The account's own e-mail address, for notifications.
    email: String,
}

async fn user_page(
    state: &AppState,
    auth: &Auth,
    id: UserId,
    errors: FieldErrors,
    committee: String,
) -> Result<Response, AppError> {
    let account = users::actor(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let template = UserPage {
        page: auth
            .page(account.user.full_name.clone())
            .crumb("/admin/users", "Tài khoản")
            .crumb(format!("/admin/users/{id}"), account.user.login.clone()),
        account,
        committee,
        errors,
        email: notifications::account_email(&state.db, id)
            .await?
            .unwrap_or_default(),
    };
    if template.errors.is_empty() {
        render(&template)
    } else {
        rejected(&template)
    }
}

pub async fn user(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<UserId>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    user_page(&state, &auth, id, FieldErrors::default(), String::new()).await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<UserId>,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    let mut errors = FieldErrors::default();
    if let Some(secret) = errors.check("password", Password::parse(&form.password)) {
        let hash = users::hash(&secret).await?;
        // Ends every session of the account; an administrator resetting their own keeps this one.
        let epoch = users::set_password_hash(&state.db, id, &hash, auth.user_id())
            .await?
            .ok_or(AppError::NotFound)?;
        if id == auth.actor.user.id {
            auth::renew(&auth.session, epoch).await?;
        }
        auth.flash("Đã đặt lại mật khẩu.").await?;
        return Ok(Redirect::to(&format!("/admin/users/{id}")).into_response());
    }
    user_page(&state, &auth, id, errors, String::new()).await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    committee: String,
}

/// Makes the account a reviewer of a committee, given the committee's number (shown on its page).
pub async fn add_review(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<UserId>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    users::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let number = errors.text("committee", &form.committee, limit::SHORT, |text| {
        text.trim()
            .trim_start_matches('#')
            .parse::<OrgId>()
            .map_err(|_| Invalid("Vui lòng nhập mã số của đảng bộ (ghi trên trang của đảng bộ)."))
    });
    let committee = match number {
        None => None,
        Some(org_id) => match orgs::get(&state.db, org_id).await? {
            Some(org) if org.kind == OrgKind::Committee => Some(org),
            Some(_) => {
                errors.add(
                    "committee",
                    "Đây là một chi bộ; chỉ giao quyền theo dõi cho đảng bộ.",
                );
                None
            }
            None => {
                errors.add("committee", "Không có tổ chức với mã số này.");
                None
            }
        },
    };
    let Some(committee) = committee else {
        return user_page(&state, &auth, id, errors, form.committee).await;
    };
    users::add_review(&state.db, id, committee.id, auth.user_id()).await?;
    auth.flash(&format!("Đã giao quyền theo dõi {}.", committee.name))
        .await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

pub async fn remove_review(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, committee)): Path<(UserId, OrgId)>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    users::remove_review(&state.db, id, committee, auth.user_id()).await?;
    auth.flash("Đã thu hồi quyền theo dõi.").await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sets the account's e-mail address for notifications; an empty field clears it.
pub async fn set_email(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<UserId>,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    admin_only(&auth)?;
    let mut errors = FieldErrors::default();
    match errors.text("email", &form.email, limit::EMAIL, Email::parse_optional) {
        Some(email) => {
            if !notifications::set_account_email(&state.db, id, email.as_ref(), auth.user_id())
                .await?
            {
                return Err(AppError::NotFound);
            }
            auth.flash(match email {
                Some(_) => "Đã lưu địa chỉ thư điện tử.",
                None => "Đã xóa địa chỉ thư điện tử.",
            })
            .await?;
            Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
        }
        None => {
            let account = users::actor(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            rejected(&UserPage {
                page: auth
                    .page(account.user.full_name.clone())
                    .crumb("/admin/users", "Tài khoản")
                    .crumb(format!("/admin/users/{id}"), account.user.login.clone()),
                account,
                errors,
                committee: String::new(),
                email: form.email,
            })
        }
    }
}

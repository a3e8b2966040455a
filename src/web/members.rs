//! Members of a cell: adding, editing (including moving away), importing from a CSV file.

use super::extract::Form;
use super::extract::Path;
use crate::web::routes::Routes;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::Deserialize;

use super::auth::Auth;
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::scope::{org_page, readable_org};
use super::{AppError, csrf};
use crate::AppState;
use crate::app::members;
use crate::domain::member::{
    BirthYear, CellRole, Email, Member, MemberDraft, MemberId, Phone, Standing, parse_full_name,
};
use crate::domain::member_import::{self, Import};
use crate::domain::org::{Org, OrgId};
use crate::domain::text::limit;
use crate::domain::user::Login;

pub fn routes() -> Routes {
    Routes::new()
        .route("/orgs/{id}/members/new", get(new_page).post(create))
        .route(
            "/orgs/{id}/members/import",
            get(import_page).post(import_preview),
        )
        .route("/orgs/{id}/members/import/confirm", post(import_confirm))
        .route("/members/{id}/edit", get(edit_page).post(update))
}

fn current_year() -> i32 {
    chrono::Local::now().year()
}

/// A cell whose members the actor may manage.
async fn managed_cell(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let cell = readable_org(state, auth, id).await?;
    auth.require(auth.actor.can_manage_members(&cell))?;
    Ok(cell)
}

#[derive(Deserialize, Default, Clone)]
pub struct MemberForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    standing: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    /// Login of the account to link; only on the edit form.
    #[serde(default)]
    login: String,
    /// Checkbox: present when the member still belongs to the cell.
    #[serde(default)]
    active: Option<String>,
}

impl MemberForm {
    fn parse(&self, errors: &mut FieldErrors) -> Option<MemberDraft> {
        let full_name = errors.text("full_name", &self.full_name, limit::NAME, parse_full_name);
        let standing = errors.check("standing", Standing::parse(&self.standing));
        let role = errors.check("role", CellRole::parse(&self.role));
        let birth_year = errors.text("birth_year", &self.birth_year, limit::SHORT, |text| {
            BirthYear::parse_optional(text, current_year())
        });
        let phone = errors.text("phone", &self.phone, limit::SHORT, Phone::parse_optional);
        let email = errors.text("email", &self.email, limit::EMAIL, Email::parse_optional);
        Some(MemberDraft {
            full_name: full_name?,
            standing: standing?,
            role: role?,
            birth_year: birth_year?,
            phone: phone?,
            email: email?,
        })
    }

    fn of(member: &Member) -> Self {
        Self {
            full_name: member.full_name.clone(),
            standing: member.standing.as_str().into(),
            role: member.role.as_str().into(),
            birth_year: member.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            phone: member.phone.clone().unwrap_or_default(),
            email: member.email.clone().unwrap_or_default(),
            login: member.login.clone().unwrap_or_default(),
            active: member.active.then(|| "on".into()),
        }
    }

    fn blank() -> Self {
        Self {
            standing: Standing::Full.as_str().into(),
            role: CellRole::Member.as_str().into(),
            active: Some("on".into()),
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "members/form.html")]
struct FormPage {
    page: Page,
    action: String,
    editing: bool,
    form: MemberForm,
    errors: FieldErrors,
    standings: [Standing; 2],
    roles: [CellRole; 4],
}

impl FormPage {
    fn new(
        page: Page,
        action: String,
        editing: bool,
        form: MemberForm,
        errors: FieldErrors,
    ) -> Self {
        Self {
            page,
            action,
            editing,
            form,
            errors,
            standings: Standing::ALL,
            roles: CellRole::ALL,
        }
    }
}

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let page = org_page(&state, &auth, &cell, "Thêm đảng viên").await?;
    render(&FormPage::new(
        page,
        format!("/orgs/{id}/members/new"),
        false,
        MemberForm::blank(),
        FieldErrors::default(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    match form.parse(&mut errors) {
        Some(draft) => {
            members::create(&state.db, id, &draft, auth.user_id()).await?;
            auth.flash(&format!("Đã thêm đồng chí {}.", draft.full_name.as_str()))
                .await?;
            Ok(Redirect::to(&format!("/orgs/{id}")).into_response())
        }
        None => {
            let page = org_page(&state, &auth, &cell, "Thêm đảng viên").await?;
            rejected(&FormPage::new(
                page,
                format!("/orgs/{id}/members/new"),
                false,
                form,
                errors,
            ))
        }
    }
}

/// A member and their cell, if the actor may manage the cell.
async fn managed_member(
    state: &AppState,
    auth: &Auth,
    id: MemberId,
) -> Result<(Member, Org), AppError> {
    let member = members::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cell = managed_cell(state, auth, member.cell_id).await?;
    Ok((member, cell))
}

pub async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<MemberId>,
) -> Result<Response, AppError> {
    let (member, cell) = managed_member(&state, &auth, id).await?;
    let page = org_page(&state, &auth, &cell, &member.full_name).await?;
    render(&FormPage::new(
        page,
        format!("/members/{id}/edit"),
        true,
        MemberForm::of(&member),
        FieldErrors::default(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<MemberId>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let (member, cell) = managed_member(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let draft = form.parse(&mut errors);
    let user = if form.login.trim().is_empty() {
        None
    } else {
        match errors.text("login", &form.login, limit::NAME, Login::parse) {
            Some(login) => match members::find_by_login(&state.db, login.as_str()).await? {
                Some(user) => Some(user.id),
                None => {
                    errors.add("login", "Không có tài khoản với tên đăng nhập này.");
                    None
                }
            },
            None => None,
        }
    };
    if let (Some(draft), true) = (&draft, errors.is_empty()) {
        let change = members::Update {
            draft,
            active: form.active.is_some(),
            user,
        };
        match members::update(&state.db, id, &change, auth.user_id()).await {
            Ok(()) => {
                auth.flash("Đã lưu thông tin đảng viên.").await?;
                return Ok(Redirect::to(&format!("/orgs/{}", member.cell_id)).into_response());
            }
            Err(members::UpdateError::AccountTaken) => errors.add(
                "login",
                "Tài khoản này đã gắn với một đảng viên khác của chi bộ.",
            ),
            Err(members::UpdateError::Sqlx(error)) => return Err(error.into()),
        }
    }
    let page = org_page(&state, &auth, &cell, &member.full_name).await?;
    rejected(&FormPage::new(
        page,
        format!("/members/{id}/edit"),
        true,
        form,
        errors,
    ))
}

#[derive(Template)]
#[template(path = "members/import.html")]
struct ImportPage {
    page: Page,
    cell: Org,
    /// Problem with the file as a whole.
    error: Option<String>,
    import: Option<Import>,
    /// The file's text, carried to the confirmation form so nothing is stored in between.
    csv: String,
}

impl ImportPage {
    fn upload_action(&self) -> String {
        format!(
            "/orgs/{}/members/import?{}",
            self.cell.id,
            serde_urlencoded::to_string([(csrf::FIELD, &self.page.csrf)]).unwrap_or_default()
        )
    }
}

pub async fn import_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    render(&ImportPage {
        page: org_page(&state, &auth, &cell, "Nhập đảng viên từ tệp CSV").await?,
        cell,
        error: None,
        import: None,
        csv: String::new(),
    })
}

/// Reads the uploaded file and shows every row with its errors; nothing is stored yet.
pub async fn import_preview(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            bytes = field.bytes().await.ok();
        }
    }
    let page = org_page(&state, &auth, &cell, "Nhập đảng viên từ tệp CSV").await?;
    let outcome = match bytes.filter(|b| !b.is_empty()) {
        None => Err("Vui lòng chọn một tệp CSV.".to_owned()),
        Some(bytes) => member_import::decode(&bytes)
            .and_then(|csv| Ok((member_import::read(&csv, current_year())?, csv)))
            .map_err(|e| e.0.to_owned()),
    };
    show_import(page, cell, outcome)
}

fn show_import(
    page: Page,
    cell: Org,
    outcome: Result<(Import, String), String>,
) -> Result<Response, AppError> {
    let (import, csv, error) = match outcome {
        Ok((import, csv)) => (Some(import), csv, None),
        Err(error) => (None, String::new(), Some(error)),
    };
    let valid = import.as_ref().is_some_and(Import::is_valid);
    let template = ImportPage {
        page,
        cell,
        error,
        import,
        csv,
    };
    if valid {
        render(&template)
    } else {
        rejected(&template)
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csv: String,
}

/// Imports every row of a file whose preview was valid, in one transaction.
pub async fn import_confirm(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let parsed = member_import::read(&form.csv, current_year());
    if let Some(drafts) = parsed
        .as_ref()
        .ok()
        .filter(|i| i.is_valid())
        .and_then(Import::drafts)
    {
        let count = members::import(&state.db, id, &drafts, auth.user_id()).await?;
        auth.flash(&format!("Đã nhập {count} đảng viên.")).await?;
        return Ok(Redirect::to(&format!("/orgs/{id}")).into_response());
    }
    let page = org_page(&state, &auth, &cell, "Nhập đảng viên từ tệp CSV").await?;
    let outcome = parsed
        .map(|import| (import, form.csv.clone()))
        .map_err(|e| e.0.to_owned());
    show_import(page, cell, outcome)
}

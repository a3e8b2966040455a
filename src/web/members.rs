//! Members of a cell: adding, editing (including moving away), importing from a CSV file.

use super::extract::Form;
use super::extract::Path;
use crate::web::routes::Routes;
use askama::Template;
use axum::extract::{Extension, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::Deserialize;

use super::auth::Auth;
use super::csrf::Oversized;
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::scope::{org_page, readable_org};
use super::{AppError, BODY_LIMIT};
use crate::AppState;
use crate::app::{accounts, members};
use crate::domain::access::LinkRefusal;
use crate::domain::member::{
    BirthYear, CellRole, Email, Member, MemberDraft, MemberId, Phone, Standing, parse_full_name,
};
use crate::domain::member_import::{self, Import};
use crate::domain::org::{Org, OrgId};
use crate::domain::text::limit;
use crate::domain::user::{Login, UserId};

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
    /// Login of the account to link: on the edit form, and on the new member's form for those
    /// who may link accounts.
    #[serde(default)]
    login: String,
    /// Checkbox: present when the member still belongs to the cell.
    #[serde(default)]
    active: Option<String>,
    /// The version of the member the edit form was drawn from.
    #[serde(default)]
    version: String,
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
            version: member.version.to_string(),
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
    /// Whether the form offers "Tài khoản đăng nhập": always when editing (a cell's leaders
    /// keep or clear a link), on a new member only for those who may link accounts.
    offers_login: bool,
    form: MemberForm,
    errors: FieldErrors,
    standings: [Standing; 2],
    roles: [CellRole; 4],
    /// The member as stored, shown when someone else saved it since the form was drawn.
    current: String,
}

/// A stored member as the conflict box shows it.
fn member_text(member: &Member) -> String {
    let optional = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".into());
    [
        format!("Họ và tên: {}", member.full_name),
        format!("Đảng viên: {}", member.standing.label()),
        format!("Chức vụ: {}", member.role.label()),
        format!(
            "Năm sinh: {}",
            optional(&member.birth_year.map(|y| y.to_string()))
        ),
        format!("Điện thoại: {}", optional(&member.phone)),
        format!("Thư điện tử: {}", optional(&member.email)),
        format!("Tài khoản đăng nhập: {}", optional(&member.login)),
        if member.active {
            "Đang sinh hoạt tại chi bộ".into()
        } else {
            "Đã chuyển sinh hoạt đi nơi khác".into()
        },
    ]
    .join("\n")
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
            offers_login: editing,
            form,
            errors,
            standings: Standing::ALL,
            roles: CellRole::ALL,
            current: String::new(),
        }
    }
}

/// The form of a new member of `cell`.
fn new_member_form(
    auth: &Auth,
    page: Page,
    cell: &Org,
    form: MemberForm,
    errors: FieldErrors,
) -> FormPage {
    let action = format!("/orgs/{}/members/new", cell.id);
    // A login typed anyway comes back with the reason it was refused.
    let offers_login = auth.actor.can_link_accounts(cell) || !form.login.trim().is_empty();
    let mut template = FormPage::new(page, action, false, form, errors);
    template.offers_login = offers_login;
    template
}

pub async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let page = org_page(&state, &auth, &cell, "Thêm đảng viên").await?;
    render(&new_member_form(
        &auth,
        page,
        &cell,
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
    let draft = form.parse(&mut errors);
    let user = linked_account(&state, &auth, (None, &cell), &form, &mut errors).await?;
    if let (Some(draft), true) = (&draft, errors.is_empty()) {
        match members::create(&state.db, id, draft, user, auth.user_id()).await {
            Ok(_) => {
                auth.flash(&format!("Đã thêm đồng chí {}.", draft.full_name.as_str()))
                    .await?;
                return Ok(Redirect::to(&format!("/orgs/{id}")).into_response());
            }
            Err(members::CreateError::AccountTaken) => errors.add("login", ACCOUNT_TAKEN),
            Err(members::CreateError::Sqlx(error)) => return Err(error.into()),
        }
    }
    let page = org_page(&state, &auth, &cell, "Thêm đảng viên").await?;
    rejected(&new_member_form(&auth, page, &cell, form, errors))
}

const ACCOUNT_TAKEN: &str = "Tài khoản này đã gắn với một đảng viên khác của chi bộ.";

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

/// The account the form links to the member (`None`: the member being added). A link the member
/// does not already hold grants the account a role in the cell, so it must pass
/// [`Actor::may_link`]; keeping or clearing the member's link is the cell's own business.
///
/// [`Actor::may_link`]: crate::domain::access::Actor::may_link
async fn linked_account(
    state: &AppState,
    auth: &Auth,
    (member, cell): (Option<&Member>, &Org),
    form: &MemberForm,
    errors: &mut FieldErrors,
) -> Result<Option<UserId>, AppError> {
    if form.login.trim().is_empty() {
        return Ok(None);
    }
    let Some(login) = errors.text("login", &form.login, limit::NAME, Login::parse) else {
        return Ok(None);
    };
    // Re-activating a member who left gives their account the cell's access again.
    let kept = member.is_some_and(|member| {
        member.login.as_deref() == Some(login.as_str()) && (member.active || form.active.is_none())
    });
    // Asked before the account is looked up, so that who may not link learns nothing of it.
    if !kept && !auth.actor.can_link_accounts(cell) {
        errors.add("login", LinkRefusal::NotAbove.message());
        return Ok(None);
    }
    let account = match members::find_by_login(&state.db, login.as_str()).await? {
        Some(user) => accounts::actor(&state.db, user.id).await?,
        None => None,
    };
    let Some(account) = account else {
        errors.add("login", "Không có tài khoản với tên đăng nhập này.");
        return Ok(None);
    };
    if !kept && let Err(refusal) = auth.actor.may_link(cell, member.map(|m| m.id), &account) {
        errors.add("login", refusal.message());
        return Ok(None);
    }
    Ok(Some(account.user.id))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<MemberId>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let (member, cell) = managed_member(&state, &auth, id).await?;
    let mut form = form;
    let mut errors = FieldErrors::default();
    let draft = form.parse(&mut errors);
    let user = linked_account(&state, &auth, (Some(&member), &cell), &form, &mut errors).await?;
    let mut stale = false;
    if let (Some(draft), true) = (&draft, errors.is_empty()) {
        let change = members::Update {
            draft,
            version: form.version.trim().parse().unwrap_or(0),
            active: form.active.is_some(),
            user,
        };
        match members::update(&state.db, id, &change, auth.user_id()).await {
            Ok(()) => {
                auth.flash("Đã lưu thông tin đảng viên.").await?;
                return Ok(Redirect::to(&format!("/orgs/{}", member.cell_id)).into_response());
            }
            Err(members::UpdateError::AccountTaken) => errors.add("login", ACCOUNT_TAKEN),
            Err(members::UpdateError::Stale) => stale = true,
            Err(members::UpdateError::Sqlx(error)) => return Err(error.into()),
        }
    }
    // Someone saved the member since the form was drawn: the form comes back as typed, with
    // the member as stored now and its version, so that saving again is a deliberate choice.
    let mut current = String::new();
    if stale {
        let (now, _) = managed_member(&state, &auth, id).await?;
        current = member_text(&now);
        form.version = now.version.to_string();
    }
    let page = org_page(&state, &auth, &cell, &member.full_name).await?;
    let mut template = FormPage::new(page, format!("/members/{id}/edit"), true, form, errors);
    template.current = current;
    rejected(&template)
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

/// The largest CSV file taken. The confirmation carries the file's text back as a form field,
/// percent-encoded (up to three bytes for one), so a file of this size still confirms within
/// the request limit.
const IMPORT_LIMIT: usize = BODY_LIMIT / 4;

impl ImportPage {
    fn limit_kb(&self) -> usize {
        IMPORT_LIMIT / 1024
    }
}

fn too_large() -> String {
    format!("Tệp quá lớn: tối đa {} KB.", IMPORT_LIMIT / 1024)
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
    oversized: Option<Extension<Oversized>>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    let page = org_page(&state, &auth, &cell, "Nhập đảng viên từ tệp CSV").await?;
    if oversized.is_some() {
        return show_import(page, cell, Err(too_large()));
    }
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            bytes = field.bytes().await.ok();
        }
    }
    let outcome = match bytes.filter(|b| !b.is_empty()) {
        None => Err("Vui lòng chọn một tệp CSV.".to_owned()),
        Some(bytes) if bytes.len() > IMPORT_LIMIT => Err(too_large()),
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
    oversized: Option<Extension<Oversized>>,
    form: Result<Form<ConfirmForm>, AppError>,
) -> Result<Response, AppError> {
    let cell = managed_cell(&state, &auth, id).await?;
    if oversized.is_some() {
        let page = org_page(&state, &auth, &cell, "Nhập đảng viên từ tệp CSV").await?;
        return show_import(page, cell, Err(too_large()));
    }
    let Form(form) = form?;
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

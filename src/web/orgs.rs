//! The party tree: a unit's page, adding units below a committee, editing a unit's details.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppError;
use super::auth::Auth;
use super::extract::{Form, Path, Query};
use super::form::{FieldErrors, rejected, render};
use super::page::Page;
use super::scope::{org_page, readable_org};
use crate::AppState;
use crate::app::{self, orgs};
use crate::domain::member::Member;
use crate::domain::org::{Abbreviation, Org, OrgDraft, OrgId, OrgKind, Year};
use crate::domain::text::{Line, limit};

pub fn routes() -> Routes {
    Routes::new()
        .route("/orgs/new", get(new_root_page).post(create_root))
        .route("/orgs/{id}", get(show))
        .route("/orgs/{id}/edit", get(edit_page).post(update))
        .route(
            "/orgs/{id}/children/new",
            get(new_child_page).post(create_child),
        )
}

#[derive(Template)]
#[template(path = "orgs/show.html")]
struct ShowPage {
    page: Page,
    org: Org,
    children: Vec<orgs::Child>,
    members: Vec<Member>,
    history: Vec<orgs::Entry>,
    plans: Vec<app::plans::Summary>,
    /// Issued directive plans of the committees above a cell.
    directives: Vec<orgs::Directive>,
    /// Session minutes the cell reported to the committee above, newest first.
    minutes: Vec<app::minutes::Reported>,
    can_plan: bool,
    can_edit: bool,
    can_add_child: bool,
    can_manage_members: bool,
    can_move: bool,
    /// A committee's staff draft its model-session plans.
    can_draft_models: bool,
    /// The model sessions of issued plans that the cell hosts.
    model_sessions: Vec<app::model_sessions::Hosted>,
    /// The model sessions the unit is invited to, for those who name its delegates.
    invitations: Vec<app::model_sessions::Hosted>,
    /// The search in the cell's members, as typed.
    q: String,
}

#[derive(Deserialize, Default)]
pub struct MemberSearch {
    #[serde(default)]
    q: String,
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Query(search): Query<MemberSearch>,
) -> Result<Response, AppError> {
    let org = readable_org(&state, &auth, id).await?;
    // A search is not stored: a longer one is cut to the longest name, not refused.
    let q: String = search.q.trim().chars().take(limit::NAME).collect();
    let (children, members) = match org.kind {
        OrgKind::Committee => (orgs::children(&state.db, id).await?, Vec::new()),
        OrgKind::Cell if q.is_empty() => (Vec::new(), app::members::list(&state.db, id).await?),
        OrgKind::Cell => (Vec::new(), app::members::search(&state.db, id, &q).await?),
    };
    let can_edit = auth.actor.can_edit_org(&org);
    let can_manage_members = auth.actor.can_manage_members(&org);
    let history = if can_edit || can_manage_members {
        orgs::history(&state.db, "org", id.get(), 10).await?
    } else {
        Vec::new()
    };
    let plans = app::plans::list_for_org(&state.db, id).await?;
    let (directives, minutes, model_sessions) = if org.is_cell() {
        (
            orgs::directives_above(&state.db, &org, None).await?,
            app::minutes::reported_by(&state.db, id, 20).await?,
            app::model_sessions::hosted_by(&state.db, id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let invitations = if auth.actor.leads_unit(&org) || auth.actor.is_admin() {
        app::model_sessions::inviting(&state.db, id).await?
    } else {
        Vec::new()
    };
    render(&ShowPage {
        page: org_page(&state, &auth, &org, &org.name).await?,
        can_plan: auth.actor.can_edit_plans(&org),
        plans,
        directives,
        minutes,
        can_add_child: auth.actor.can_add_org_under(&org),
        can_move: auth.actor.is_admin(),
        can_draft_models: auth.actor.can_draft_model_sessions(&org),
        model_sessions,
        invitations,
        q: search.q,
        can_edit,
        can_manage_members,
        children,
        members,
        history,
        org,
    })
}

/// The org form as typed: kept verbatim so an invalid form comes back as it was.
#[derive(Deserialize, Default, Clone)]
pub struct OrgForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    superior_name: String,
    #[serde(default)]
    abbreviation: String,
    #[serde(default)]
    place_name: String,
    #[serde(default)]
    term_start: String,
    /// The version of the unit the edit form was drawn from.
    #[serde(default)]
    version: String,
}

impl OrgForm {
    fn parse(&self) -> Result<OrgDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = errors.check("kind", OrgKind::parse(&self.kind));
        let name = errors.text("name", &self.name, limit::NAME, |text| {
            Line::parse(text, limit::NAME)
        });
        let superior_name =
            errors.text("superior_name", &self.superior_name, limit::NAME, |text| {
                Line::parse(text, limit::NAME)
            });
        let abbreviation = errors.text(
            "abbreviation",
            &self.abbreviation,
            limit::SHORT,
            Abbreviation::parse,
        );
        let place_name = errors.text("place_name", &self.place_name, limit::NAME, |text| {
            Line::parse(text, limit::NAME)
        });
        let term_start = errors.text("term_start", &self.term_start, limit::SHORT, Year::parse);
        match (
            kind,
            name,
            superior_name,
            abbreviation,
            place_name,
            term_start,
        ) {
            (
                Some(kind),
                Some(name),
                Some(superior_name),
                Some(abbreviation),
                Some(place_name),
                Some(term_start),
            ) => Ok(OrgDraft {
                kind,
                name,
                superior_name,
                abbreviation,
                place_name,
                term_start,
            }),
            _ => Err(errors),
        }
    }

    fn of(org: &Org) -> Self {
        Self {
            kind: org.kind.as_str().into(),
            name: org.name.clone(),
            superior_name: org.superior_name.clone(),
            abbreviation: org.abbreviation.clone(),
            place_name: org.place_name.clone(),
            term_start: org.term_start.to_string(),
            version: String::new(),
        }
    }

    /// A new unit below `parent` inherits what is usually the same.
    fn below(parent: &Org) -> Self {
        Self {
            kind: OrgKind::Cell.as_str().into(),
            name: String::new(),
            superior_name: parent.name.clone(),
            abbreviation: "CB".into(),
            place_name: parent.place_name.clone(),
            term_start: parent.term_start.to_string(),
            version: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "orgs/form.html")]
struct FormPage {
    page: Page,
    action: String,
    /// Kind can be chosen only when creating.
    choose_kind: bool,
    form: OrgForm,
    errors: FieldErrors,
    /// The unit as stored, shown when someone else saved it since the form was drawn.
    current: String,
}

/// A stored unit as the conflict box shows it.
fn org_text(org: &Org) -> String {
    [
        format!("Tên đầy đủ: {}", org.name),
        format!("Tổ chức cấp trên trực tiếp: {}", org.superior_name),
        format!("Chữ viết tắt: {}", org.abbreviation),
        format!("Địa danh: {}", org.place_name),
        format!("Năm bắt đầu nhiệm kỳ: {}", org.term_start),
    ]
    .join("\n")
}

pub async fn new_root_page(auth: Auth) -> Result<Response, AppError> {
    auth.require(auth.actor.is_admin())?;
    render(&FormPage {
        page: auth
            .page("Thêm tổ chức cấp cao nhất")
            .crumb("/", "Trang chủ"),
        action: "/orgs/new".into(),
        choose_kind: true,
        form: OrgForm {
            kind: OrgKind::Committee.as_str().into(),
            ..OrgForm::default()
        },
        errors: FieldErrors::default(),
        current: String::new(),
    })
}

pub async fn create_root(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    auth.require(auth.actor.is_admin())?;
    match form.parse() {
        Ok(draft) => {
            let id = orgs::create(&state.db, None, &draft, auth.user_id()).await?;
            auth.flash("Đã thêm tổ chức.").await?;
            Ok(Redirect::to(&format!("/orgs/{id}")).into_response())
        }
        Err(errors) => rejected(&FormPage {
            page: auth
                .page("Thêm tổ chức cấp cao nhất")
                .crumb("/", "Trang chủ"),
            action: "/orgs/new".into(),
            choose_kind: true,
            form,
            errors,
            current: String::new(),
        }),
    }
}

async fn parent_for_child(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let parent = readable_org(state, auth, id).await?;
    auth.require(auth.actor.can_add_org_under(&parent))?;
    Ok(parent)
}

pub async fn new_child_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    let parent = parent_for_child(&state, &auth, id).await?;
    render(&FormPage {
        page: org_page(&state, &auth, &parent, "Thêm đơn vị trực thuộc").await?,
        action: format!("/orgs/{id}/children/new"),
        choose_kind: true,
        form: OrgForm::below(&parent),
        errors: FieldErrors::default(),
        current: String::new(),
    })
}

pub async fn create_child(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let parent = parent_for_child(&state, &auth, id).await?;
    match form.parse() {
        Ok(draft) => {
            let child = orgs::create(&state.db, Some(&parent), &draft, auth.user_id()).await?;
            auth.flash("Đã thêm đơn vị trực thuộc.").await?;
            Ok(Redirect::to(&format!("/orgs/{child}")).into_response())
        }
        Err(errors) => rejected(&FormPage {
            page: org_page(&state, &auth, &parent, "Thêm đơn vị trực thuộc").await?,
            action: format!("/orgs/{id}/children/new"),
            choose_kind: true,
            form,
            errors,
            current: String::new(),
        }),
    }
}

async fn editable(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    auth.require(auth.actor.can_edit_org(&org))?;
    Ok(org)
}

pub async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
) -> Result<Response, AppError> {
    editable(&state, &auth, id).await?;
    let (org, version) = orgs::get_versioned(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&FormPage {
        page: org_page(&state, &auth, &org, "Sửa thông tin").await?,
        action: format!("/orgs/{id}/edit"),
        choose_kind: false,
        form: OrgForm {
            version: version.to_string(),
            ..OrgForm::of(&org)
        },
        errors: FieldErrors::default(),
        current: String::new(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    Form(mut form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let org = editable(&state, &auth, id).await?;
    // The kind of a unit is fixed once it has been created.
    form.kind = org.kind.as_str().into();
    let (errors, current) = match form.parse() {
        Ok(draft) => {
            let version = form.version.trim().parse().unwrap_or(0);
            if orgs::update(&state.db, id, version, &draft, auth.user_id()).await? {
                auth.flash("Đã lưu thông tin.").await?;
                return Ok(Redirect::to(&format!("/orgs/{id}")).into_response());
            }
            // Someone saved the unit since the form was drawn: the form comes back as typed,
            // with the unit as stored now and its version.
            let (now, version) = orgs::get_versioned(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            form.version = version.to_string();
            (FieldErrors::default(), org_text(&now))
        }
        Err(errors) => (errors, String::new()),
    };
    rejected(&FormPage {
        page: org_page(&state, &auth, &org, "Sửa thông tin").await?,
        action: format!("/orgs/{id}/edit"),
        choose_kind: false,
        form,
        errors,
        current,
    })
}

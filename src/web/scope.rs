//! Loading what a request is about and checking that the actor may see or change it: one place
//! for the scope rules every area shares (404 when it does not exist, 403 when it is not
//! theirs), and the page frames that place a page in the party tree.

use super::AppError;
use super::auth::Auth;
use super::page::Page;
use crate::AppState;
use crate::app;
use crate::domain::org::{Org, OrgId};
use crate::domain::plan::{Plan, PlanId, PlanStatus};

/// An org the actor may read.
pub async fn readable_org(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = app::orgs::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(auth.actor.can_read_org(&org))?;
    Ok(org)
}

/// An org (a cell, or a committee for its directive plans) whose plans the actor may draft.
pub async fn plannable_org(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&org))?;
    Ok(org)
}

/// A plan the actor may read, with its org: any plan of an org they may read, and the issued
/// directive plans of the committees above their cell.
pub async fn readable_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let plan = app::plans::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = app::orgs::get(&state.db, plan.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let directive = plan.status == PlanStatus::Issued && auth.actor.can_read_directive(&org);
    auth.require(directive || auth.actor.can_read_org(&org))?;
    Ok((plan, org))
}

/// A plan the actor may edit, with its org.
pub async fn editable_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let (plan, org) = readable_plan(state, auth, id).await?;
    auth.require(auth.actor.can_edit_plans(&org))?;
    Ok((plan, org))
}

/// A cell's plan its secretary (or deputy) may move along (adopt, submit, pull mandates).
pub async fn own_cell_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let (plan, org) = editable_plan(state, auth, id).await?;
    if !org.is_cell() {
        return Err(AppError::NotFound);
    }
    Ok((plan, org))
}

/// A plan the actor may review (a plan of a cell below a committee they review for).
pub async fn reviewable_plan(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<(Plan, Org), AppError> {
    let (plan, org) = readable_plan(state, auth, id).await?;
    auth.require(auth.actor.can_review(&org))?;
    Ok((plan, org))
}

/// The page frame for anything about `org`: the breadcrumb runs from the root down to it,
/// linking the units the actor may open.
pub async fn org_page(
    state: &AppState,
    auth: &Auth,
    org: &Org,
    title: &str,
) -> Result<Page, AppError> {
    let chain = org.path.ids();
    let reviewed = |depth: usize| {
        chain[..=depth]
            .iter()
            .any(|id| auth.actor.reviews.iter().any(|r| r.committee_id == *id))
    };
    let mut page = auth.page(title);
    for (depth, (id, name)) in app::orgs::ancestors(&state.db, org)
        .await?
        .into_iter()
        .enumerate()
    {
        let href = if auth.actor.is_admin() || reviewed(depth) {
            format!("/orgs/{id}")
        } else {
            String::new()
        };
        page = page.crumb(href, name);
    }
    Ok(page.crumb(format!("/orgs/{}", org.id), org.name.clone()))
}

/// The frame of a page about a plan: the tree, the org, the plan.
pub async fn plan_page(
    state: &AppState,
    auth: &Auth,
    org: &Org,
    plan: &Plan,
    title: &str,
) -> Result<Page, AppError> {
    let mut page = org_page(state, auth, org, title).await?;
    page.title = title.to_owned();
    Ok(page.crumb(
        format!("/plans/{}", plan.id),
        format!("Kế hoạch năm {}", plan.year),
    ))
}

//! Loading what a request is about and checking that the actor may see or change it: one place
//! for the scope rules every area shares, and the page frames that place a page in the party
//! tree. What the actor may not even read answers 404 exactly like what does not exist, so ids
//! outside one's scope cannot be told from missing ones; 403 is kept for what the actor can
//! see but may not do.

use super::AppError;
use super::auth::Auth;
use super::page::Page;
use crate::AppState;
use crate::app;
use crate::app::plans::Placed;
use crate::domain::access::MeetingRights;
use crate::domain::model_delegates::{Delegate, Invitations};
use crate::domain::model_session::{
    ModelPlanId, ModelPlanStatus, ModelSession, ModelSessionId, ModelSessionPlan,
};
use crate::domain::org::{Org, OrgId, OrgPath};
use crate::domain::plan::{Plan, PlanId, PlanStatus, Topic, TopicId};

/// Not found, unless the actor may read it: the answer for anything outside one's scope.
fn visible<T>(thing: Option<T>, readable: impl FnOnce(&T) -> bool) -> Result<T, AppError> {
    thing.filter(readable).ok_or(AppError::NotFound)
}

/// An org the actor may read.
pub async fn readable_org(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    visible(app::orgs::get(&state.db, id).await?, |org| {
        auth.actor.can_read_org(org)
    })
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
    let placed = readable_placed(state, auth, id).await?;
    Ok((placed.plan, placed.org))
}

/// [`readable_plan`] with the plan's number check, read in the same statement.
pub async fn readable_placed(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
) -> Result<Placed, AppError> {
    let placed = app::plans::get_placed(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    visible(Some(placed), |p| {
        (p.plan.status == PlanStatus::Issued && auth.actor.can_read_directive(&p.org))
            || auth.actor.can_read_org(&p.org)
    })
}

/// A topic of a cell's plan the actor may read, with its plan and cell. A committee's directive
/// topics are held by the cells below, not by the committee: they have no session or papers.
pub async fn readable_topic(
    state: &AppState,
    auth: &Auth,
    id: TopicId,
) -> Result<(Plan, Org, Topic), AppError> {
    let plan_id = app::plans::topic_plan(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, cell) = readable_plan(state, auth, plan_id).await?;
    if !cell.is_cell() {
        return Err(AppError::NotFound);
    }
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((plan, cell, topic))
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
/// linking only the units the actor may open (the others are named without a link).
pub async fn org_page(
    state: &AppState,
    auth: &Auth,
    org: &Org,
    title: &str,
) -> Result<Page, AppError> {
    // Each unit above sits at a prefix of the org's path.
    let mut above: Vec<(OrgId, OrgPath)> = Vec::new();
    for id in org.path.ids() {
        let path = match above.last() {
            None => OrgPath::root(id),
            Some((_, parent)) => parent.child(id),
        };
        above.push((id, path));
    }
    let link = |id: OrgId, path: Option<&OrgPath>| match path {
        Some(path) if auth.actor.can_read_at(id, path) => format!("/orgs/{id}"),
        _ => String::new(),
    };
    let mut page = auth.page(title);
    for (id, name) in app::orgs::ancestors(&state.db, org).await? {
        let path = above.iter().find(|(i, _)| *i == id).map(|(_, p)| p);
        page = page.crumb(link(id, path), name);
    }
    // A directive plan's reader may be someone below the committee who cannot open its page.
    Ok(page.crumb(link(org.id, Some(&org.path)), org.name.clone()))
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

/// A committee whose model-session plans the actor may draft (its staff, administrators).
pub async fn model_committee(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    auth.require(auth.actor.can_draft_model_sessions(&org))?;
    Ok(org)
}

/// A model-session plan the actor may read, with its committee: its drafters; once issued,
/// the members of its host cells. Anyone else gets 404.
pub async fn readable_model_plan(
    state: &AppState,
    auth: &Auth,
    id: ModelPlanId,
) -> Result<(ModelSessionPlan, Org), AppError> {
    let plan = app::model_sessions::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let committee = app::orgs::get(&state.db, plan.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let hosts: Vec<OrgId> = plan.sessions.iter().map(|s| s.host.id).collect();
    let issued = plan.status == ModelPlanStatus::Issued;
    if !auth.actor.can_read_model_plan(&committee, issued, &hosts) {
        return Err(AppError::NotFound);
    }
    Ok((plan, committee))
}

/// A model-session plan the actor may draft (403 for a host cell's member who reads it).
pub async fn draftable_model_plan(
    state: &AppState,
    auth: &Auth,
    id: ModelPlanId,
) -> Result<(ModelSessionPlan, Org), AppError> {
    let (plan, committee) = readable_model_plan(state, auth, id).await?;
    auth.require(auth.actor.can_draft_model_sessions(&committee))?;
    Ok((plan, committee))
}

/// The frame of a page about a model-session plan: the tree, the committee, the plan.
pub async fn model_plan_page(
    state: &AppState,
    auth: &Auth,
    committee: &Org,
    plan: &ModelSessionPlan,
    title: &str,
) -> Result<Page, AppError> {
    let mut page = org_page(state, auth, committee, title).await?;
    page.title = title.to_owned();
    Ok(page.crumb(format!("/model-plans/{}", plan.id), plan.name()))
}

/// A model meeting with everything its page and actions decide on: its plan and committee,
/// the units invited, the delegates they named, and what the actor may do.
pub struct MeetingScope {
    pub plan: ModelSessionPlan,
    pub committee: Org,
    pub session: ModelSession,
    pub invitations: Invitations,
    pub invited: Vec<Org>,
    pub delegates: Vec<Delegate>,
    pub rights: MeetingRights,
}

impl MeetingScope {
    pub fn meeting(&self) -> app::model_delegates::Meeting<'_> {
        app::model_delegates::Meeting {
            plan: &self.plan,
            committee: &self.committee,
            session: &self.session,
        }
    }

    /// The actor's own registration as a delegate.
    pub fn own_delegate(&self) -> Option<&Delegate> {
        let id = self.rights.delegate?;
        self.delegates.iter().find(|d| d.id == id)
    }

    /// An invited unit the actor may name the delegates of: one they speak for, or any for the
    /// committee's staff.
    pub fn registering_unit(&self, unit: OrgId) -> Option<&Org> {
        self.invited
            .iter()
            .find(|u| u.id == unit && (self.rights.staff || self.rights.leads(unit)))
    }
}

/// A model meeting the actor may read: 404 for anyone it does not concern, and for everyone but
/// the committee's staff while the plan is a draft.
pub async fn readable_meeting(
    state: &AppState,
    auth: &Auth,
    id: ModelSessionId,
) -> Result<MeetingScope, AppError> {
    let plan_id = app::model_sessions::plan_of_session(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = app::model_sessions::get(&state.db, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let committee = app::orgs::get(&state.db, plan.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = plan
        .sessions
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let invitations = app::model_delegates::invitations(&state.db, id).await?;
    let mut invited = Vec::new();
    for unit in &invitations.units {
        if let Some(org) = app::orgs::get(&state.db, *unit).await? {
            invited.push(org);
        }
    }
    let delegates = app::model_delegates::delegates(&state.db, id).await?;
    let rights = auth
        .actor
        .meeting_rights(&committee, session.host.id, &invited, &delegates);
    if !rights.reads(plan.status == ModelPlanStatus::Issued) {
        return Err(AppError::NotFound);
    }
    Ok(MeetingScope {
        plan,
        committee,
        session,
        invitations,
        invited,
        delegates,
        rights,
    })
}

/// A model meeting the actor organises (403 for those it only concerns).
pub async fn organised_meeting(
    state: &AppState,
    auth: &Auth,
    id: ModelSessionId,
) -> Result<MeetingScope, AppError> {
    let scope = readable_meeting(state, auth, id).await?;
    auth.require(scope.rights.staff)?;
    Ok(scope)
}

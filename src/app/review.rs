//! A plan's way up: the cell adopts and submits it, the committee above accepts or returns it
//! (with comments on its parts); a committee issues its own directive plan to the cells below.
//! Each transition is recorded with whoever must hear of it told, in one transaction.

use super::plans::blocking;
use super::{Ctx, Error, Result};
use crate::db::review::{self, Snapshot, Transition, TransitionError};
use crate::db::{Tx, notifications, orgs, plans};
use crate::domain::access::{self, Deed};
use crate::domain::lifecycle::{Action, Adoption};
use crate::domain::notification::Notice;
use crate::domain::org::Org;
use crate::domain::plan::{Plan, PlanId, PlanStatus};
use crate::domain::plan_check::Finding;
use crate::domain::plan_parts;
use crate::domain::user::UserId;

pub use crate::db::review::{
    Comment, InboxRow, Revision, RevisionEntry, RevisionId, add_comment, comments, events, inbox,
    latest_revisions, revision, revisions,
};

/// What became of a transition someone asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    Done,
    /// The plan is not in a state the action starts from (someone may have acted first).
    WrongState,
    /// The plan has errors that must be fixed first.
    Blocked(Vec<Finding>),
    /// The cell has no committee above it in the system to report to.
    NoCommittee,
    /// The reviewer had a hand in the plan and may not decide on it (separation of duties).
    Involved(Deed),
}

/// A committee's decision on a submitted plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Return,
}

/// Records the transition inside `tx`; false when the plan was not in a state it starts from.
async fn record(
    tx: &mut Tx,
    plan: PlanId,
    transition: &Transition<'_>,
    by: Option<UserId>,
) -> Result<bool> {
    match review::transition(tx, plan, transition, by).await {
        Ok(_) => Ok(true),
        Err(TransitionError::WrongState) => Ok(false),
        Err(TransitionError::Sqlx(error)) => Err(error.into()),
        Err(TransitionError::Json(error)) => Err(error.into()),
    }
}

/// The plan as stored now, read inside the transition's transaction.
async fn current(tx: &mut Tx, plan: PlanId) -> Result<Plan> {
    plans::load(tx, plan)
        .await?
        .ok_or(Error::Invariant("a plan being moved vanished"))
}

/// The cell adopted its plan at a meeting.
pub async fn adopt(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: PlanId,
    cell: &Org,
    adoption: Adoption,
) -> Result<Moved> {
    let mut tx = ctx.db.begin_write().await?;
    let stored = current(&mut tx, plan).await?;
    let blocking = blocking(ctx, &stored, cell).await?;
    if !blocking.is_empty() {
        return Ok(Moved::Blocked(blocking));
    }
    let transition = Transition {
        action: Action::Adopt,
        comment: "",
        adoption: Some(adoption),
        snapshot: None,
    };
    if !record(&mut tx, plan, &transition, by).await? {
        return Ok(Moved::WrongState);
    }
    tx.commit().await?;
    Ok(Moved::Done)
}

/// The cell reports its plan to the committee directly above: what is stored now is frozen as
/// a revision, and the committee's reviewers are told.
pub async fn submit(ctx: Ctx<'_>, by: Option<UserId>, plan: PlanId, cell: &Org) -> Result<Moved> {
    let Some(parent) = cell.parent_id else {
        return Ok(Moved::NoCommittee);
    };
    let mut tx = ctx.db.begin_write().await?;
    let stored = current(&mut tx, plan).await?;
    let blocking = blocking(ctx, &stored, cell).await?;
    if !blocking.is_empty() {
        return Ok(Moved::Blocked(blocking));
    }
    let year = stored.year;
    let snapshot = Snapshot {
        plan: stored,
        org: cell.clone(),
    };
    let transition = Transition {
        action: Action::Submit,
        comment: "",
        adoption: None,
        snapshot: Some(&snapshot),
    };
    if !record(&mut tx, plan, &transition, by).await? {
        return Ok(Moved::WrongState);
    }
    let reviewers = notifications::reviewers_of(ctx.db, parent).await?;
    let notice = Notice::submitted(&cell.name, year, plan);
    notifications::notify_in(&mut tx, &reviewers, &notice, ctx.mail).await?;
    tx.commit().await?;
    Ok(Moved::Done)
}

/// A reviewer accepts or returns a submitted plan; the cell's secretary and deputy are told.
/// Refused to anyone who edited, adopted or submitted the plan, whatever their roles now.
pub async fn decide(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: &Plan,
    cell: &Org,
    decision: Decision,
    comment: &str,
) -> Result<Moved> {
    let action = match decision {
        Decision::Accept => Action::Accept,
        Decision::Return => Action::Return,
    };
    let committee = committee_name(ctx, cell).await?;
    let notice = match decision {
        Decision::Accept => Notice::accepted(&committee, plan.year, plan.id),
        Decision::Return => Notice::returned(&committee, plan.year, plan.id),
    };
    let leaders = notifications::cell_leaders(ctx.db, cell.id).await?;
    let mut tx = ctx.db.begin_write().await?;
    if let Some(reviewer) = by
        && let Some(deed) = access::involvement(&review::deeds(&mut tx, plan.id).await?, reviewer)
    {
        return Ok(Moved::Involved(deed));
    }
    let transition = Transition {
        action,
        comment,
        adoption: None,
        snapshot: None,
    };
    if !record(&mut tx, plan.id, &transition, by).await? {
        return Ok(Moved::WrongState);
    }
    notifications::notify_in(&mut tx, &leaders, &notice, ctx.mail).await?;
    tx.commit().await?;
    Ok(Moved::Done)
}

/// What `user` did to the plan that bars them from deciding on it, for the review page, which
/// offers the decision only to who may take it.
pub async fn involvement(ctx: Ctx<'_>, plan: PlanId, user: UserId) -> Result<Option<Deed>> {
    let mut tx = ctx.db.begin_read().await?;
    Ok(access::involvement(
        &review::deeds(&mut tx, plan).await?,
        user,
    ))
}

/// A committee issues its directive plan; the secretaries and deputies of every cell below are
/// told.
pub async fn issue(ctx: Ctx<'_>, by: Option<UserId>, plan: PlanId, org: &Org) -> Result<Moved> {
    let mut tx = ctx.db.begin_write().await?;
    let stored = current(&mut tx, plan).await?;
    let blocking = blocking(ctx, &stored, org).await?;
    if !blocking.is_empty() {
        return Ok(Moved::Blocked(blocking));
    }
    let transition = Transition {
        action: Action::Issue,
        comment: "",
        adoption: None,
        snapshot: None,
    };
    if !record(&mut tx, plan, &transition, by).await? {
        return Ok(Moved::WrongState);
    }
    let secretaries = notifications::secretaries_below(ctx.db, org).await?;
    let notice = Notice::directive_issued(&org.name, stored.year, plan);
    notifications::notify_in(&mut tx, &secretaries, &notice, ctx.mail).await?;
    tx.commit().await?;
    Ok(Moved::Done)
}

/// The name of the committee directly above `org` ("" at the root).
pub async fn committee_name(ctx: Ctx<'_>, org: &Org) -> Result<String> {
    Ok(match org.parent_id {
        Some(parent) => orgs::get(ctx.db, parent)
            .await?
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// What became of a reviewer's comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commented {
    Done,
    /// Comments go on the latest revision of a plan under review, and there is none.
    NotUnderReview,
    /// The part named is not a part of the revision under review.
    UnknownPart,
}

/// A reviewer comments on one part (`plan` for the whole) of the revision under review.
pub async fn comment(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: &Plan,
    part: &str,
    body: &str,
) -> Result<Commented> {
    let latest = latest_revisions(ctx.db, plan.id, 1)
        .await?
        .into_iter()
        .next();
    let Some(revision) = latest.filter(|_| plan.status == PlanStatus::Submitted) else {
        return Ok(Commented::NotUnderReview);
    };
    let known = part == "plan"
        || plan_parts::parts(&revision.snapshot.plan)
            .iter()
            .any(|p| p.key == part);
    if !known {
        return Ok(Commented::UnknownPart);
    }
    add_comment(ctx.db, plan.id, revision.id, part, by, body).await?;
    Ok(Commented::Done)
}

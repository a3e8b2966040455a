//! Drafting a plan: creating the year's plan, saving it part by part (telling members of what
//! a save newly assigns them), its findings, and the topics the committees above mandate.

use super::{Ctx, Error, Result};
use crate::db::plans::{self, SaveError, Written};
use crate::db::review::{Transition, TransitionError};
use crate::db::{Tx, members, notifications, orgs, review};
use crate::domain::lifecycle::{Action, EditRule, Lock, edit_rule};
use crate::domain::mandate::{self, Mandated};
use crate::domain::member::{CellRole, Member};
use crate::domain::notification::Notice;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{
    DocNumber, NewPlan, Plan, PlanId, PlanStatus, Topic, TopicId, blank_plan, copy_to_year,
};
use crate::domain::plan_check::{self, Finding};
use crate::domain::plan_edit::{Assigned, Change, Edit, new_tasks};
use crate::domain::user::UserId;

pub use crate::db::plans::{
    Placed, Record, Summary, Window, WorkRow, get, get_placed, history, is_taken_in, list_for_org,
    mark_step, record, step_owner, topic_plan, work_of,
};

/// Why a save did not happen; the user's input is kept and they may try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Someone saved the same part since the form was drawn: who, when, what.
    Conflict(Vec<Change>),
    /// The document number is another plan's in the same term.
    NumberTaken,
    /// The plan or the topic no longer exists.
    Gone,
    /// The plan's state does not allow this change (see `domain::lifecycle::edit_rule`).
    Locked(Lock),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Done { version: i64 },
    Refused(Refusal),
}

/// How a new plan should start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Blank,
    /// A copy of the latest earlier year's plan.
    CopyPrevious,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Created(PlanId),
    YearTaken,
    NoPreviousPlan,
}

/// How many times the plan's serial is taken again when a concurrent creation took it first.
const NUMBER_ATTEMPTS: usize = 3;

/// Active members of the cell, for presenters, assignees and the signer.
pub async fn active_members(ctx: Ctx<'_>, cell: OrgId) -> Result<Vec<Member>> {
    Ok(members::list(ctx.db, cell)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

/// Creates `org`'s plan for `year`: blank (with the secretary as signer and the committee above
/// among the recipients) or copied from the latest earlier year; numbered with the org's next
/// serial of the term; with the mandated topics of the committees above taken in when
/// `take_mandated` (a cell only). One transaction: the number is taken inside it.
pub async fn create(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    org: &Org,
    year: Year,
    start: Start,
    take_mandated: bool,
) -> Result<Created> {
    let existing = plans::list_for_org(ctx.db, org.id).await?;
    if existing.iter().any(|p| p.year == year.get()) {
        return Ok(Created::YearTaken);
    }
    let members = active_members(ctx, org.id).await?;
    let mut plan = match start {
        Start::CopyPrevious => {
            // Listed newest first: the first earlier year is the latest.
            let Some(previous) = existing.iter().find(|p| p.year < year.get()) else {
                return Ok(Created::NoPreviousPlan);
            };
            let previous = plans::get(ctx.db, PlanId(previous.id))
                .await?
                .ok_or(Error::Invariant("a listed plan vanished"))?;
            copy_to_year(&previous, year, None)
        }
        Start::Blank => {
            let secretary = members
                .iter()
                .find(|m| m.role == CellRole::Secretary)
                .map(|m| (m.id, m.full_name.clone()));
            let superior = match org.parent_id {
                Some(parent) => orgs::get(ctx.db, parent).await?.map(|p| p.name),
                None => None,
            };
            blank_plan(&NewPlan {
                cell: org,
                year,
                secretary,
                superior_committee: superior,
                number: None,
            })
        }
    };
    let mut pulled = 0;
    if take_mandated && org.is_cell() {
        for m in mandated_for(ctx, &plan, org).await? {
            if !m.included {
                plan.topics.push(m.pulled_topic(&plan, &members));
                pulled += 1;
            }
        }
    }
    // Only the pulled topics (the last ones) assign anybody new: a copy keeps its year's
    // assignees, who were told when they were assigned.
    let told_from = plan.topics.len() - pulled;
    match store_numbered(ctx, by, org, &mut plan, told_from).await? {
        Some(id) => Ok(Created::Created(id)),
        None => Ok(Created::YearTaken),
    }
}

/// Stores `plan` for `org` under the org's next serial of the term, taken inside the storing
/// transaction (retried when a concurrent creation took it first); members assigned in the
/// topics from `told_from` on are told. `None` when the org already has a plan for the year.
pub async fn store_numbered(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    org: &Org,
    plan: &mut Plan,
    told_from: usize,
) -> Result<Option<PlanId>> {
    for _ in 0..NUMBER_ATTEMPTS {
        let mut tx = ctx.db.begin_write().await?;
        let serial = plans::next_serial(&mut tx, org.id, org.term_start).await?;
        plan.number = Some(DocNumber::plan(serial, &org.abbreviation));
        match plans::insert(&mut tx, plan, org.term_start, by).await {
            Ok(inserted) => {
                let topics = plan.topics.iter().zip(&inserted.topics).skip(told_from);
                for (topic, id) in topics {
                    let none = Assigned::default();
                    tell_new_tasks(&mut tx, ctx, by, inserted.plan, *id, topic, &none).await?;
                }
                tx.commit().await?;
                return Ok(Some(inserted.plan));
            }
            Err(SaveError::NumberTaken) => continue,
            Err(SaveError::YearTaken) => return Ok(None),
            Err(SaveError::Sqlx(error)) => return Err(error.into()),
            Err(SaveError::Conflict(_) | SaveError::Gone) => {
                return Err(Error::Invariant("a new plan cannot conflict"));
            }
        }
    }
    Err(Error::Invariant("no free plan number after retries"))
}

/// Saves one part of a plan, edited from `version`, if the plan's state allows it; a topic's
/// newly assigned members are told in the same transaction. Every edit of a plan's text comes
/// here: an adopted plan becomes a draft again (recorded as an `amend` event) in the same
/// transaction; a submitted or accepted plan, and what cells took in from an issued directive,
/// are refused.
pub async fn save_part(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: PlanId,
    version: i64,
    edit: &Edit,
) -> Result<Saved> {
    let mut tx = ctx.db.begin_write().await?;
    let saved = save_in(&mut tx, ctx, by, plan, version, edit).await?;
    if matches!(saved, Saved::Done { .. }) {
        tx.commit().await?;
    }
    Ok(saved)
}

/// [`save_part`] inside `tx`; a refusal leaves `tx` to be dropped (rolled back).
pub(super) async fn save_in(
    tx: &mut Tx,
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: PlanId,
    version: i64,
    edit: &Edit,
) -> Result<Saved> {
    let Some(status) = plans::lock_status(tx, plan).await? else {
        return Ok(Saved::Refused(Refusal::Gone));
    };
    let taken = taken_in(tx, plan, status, edit).await?;
    let rule = edit_rule(status, edit, taken.as_ref());
    if let EditRule::Locked(lock) = rule {
        return Ok(Saved::Refused(Refusal::Locked(lock)));
    }
    let before = match edit {
        Edit::UpdateTopic(topic) | Edit::TopicDates { topic, .. } => {
            plans::topic_assigned(tx, topic.id).await?
        }
        _ => Assigned::default(),
    };
    let written: Written = match plans::save(tx, plan, version, edit, by).await {
        Ok(written) => written,
        Err(SaveError::Conflict(changes)) => return Ok(Saved::Refused(Refusal::Conflict(changes))),
        Err(SaveError::NumberTaken) => return Ok(Saved::Refused(Refusal::NumberTaken)),
        Err(SaveError::Gone) => return Ok(Saved::Refused(Refusal::Gone)),
        Err(SaveError::YearTaken) => return Err(Error::Invariant("an edit changed the year")),
        Err(SaveError::Sqlx(error)) => return Err(error.into()),
    };
    if let Some(topic) = edit.written_topic() {
        let id = written.new_topic.unwrap_or(topic.id);
        tell_new_tasks(tx, ctx, by, plan, id, topic, &before).await?;
    }
    if rule == EditRule::BackToDraft {
        let amend = Transition {
            action: Action::Amend,
            comment: "",
            adoption: None,
            snapshot: None,
        };
        match review::transition(tx, plan, &amend, by).await {
            Ok(_) => {}
            Err(TransitionError::WrongState) => {
                return Err(Error::Invariant("a locked adopted plan changed state"));
            }
            Err(TransitionError::Sqlx(error)) => return Err(error.into()),
            Err(TransitionError::Json(error)) => return Err(error.into()),
        }
    }
    Ok(Saved::Done {
        version: written.version,
    })
}

/// The stored topic `edit` removes or rewrites, when it belongs to an issued directive and
/// cells below took it in; read inside `tx`.
async fn taken_in(
    tx: &mut Tx,
    plan: PlanId,
    status: PlanStatus,
    edit: &Edit,
) -> Result<Option<Topic>> {
    let id = match edit {
        Edit::UpdateTopic(topic) => topic.id,
        Edit::RemoveTopic(id) => *id,
        _ => return Ok(None),
    };
    if status != PlanStatus::Issued || !plans::taken_in(tx, id).await? {
        return Ok(None);
    }
    Ok(plans::load(tx, plan)
        .await?
        .and_then(|p| p.topics.into_iter().find(|t| t.id == id)))
}

/// One notification per member newly assigned in `topic` (stored as `topic_id`), naming every
/// new task; nobody is told of what they assigned themselves.
async fn tell_new_tasks(
    tx: &mut Tx,
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: PlanId,
    topic_id: TopicId,
    topic: &Topic,
    before: &Assigned,
) -> Result<()> {
    let tasks = new_tasks(before, topic);
    if tasks.is_empty() {
        return Ok(());
    }
    let members: Vec<_> = tasks.iter().map(|t| t.member).collect();
    let accounts = notifications::member_users(tx, &members).await?;
    for task in tasks {
        let users: Vec<UserId> = accounts
            .iter()
            .filter(|(member, user)| *member == task.member && Some(*user) != by)
            .map(|(_, user)| *user)
            .collect();
        let notice = Notice::assigned(&task.labels.join(", "), &topic.title, plan, topic_id);
        notifications::notify_in(tx, &users, &notice, ctx.mail).await?;
    }
    Ok(())
}

/// The plan's warnings and blocking errors, with what only storage knows: whether another
/// plan of the issuer's term already carries its number.
pub async fn findings(ctx: Ctx<'_>, plan: &Plan, org: &Org) -> Result<Vec<Finding>> {
    let taken = match &plan.number {
        Some(number) => number_taken(ctx, plan.id, org, number).await?,
        None => false,
    };
    Ok(plan_check::check(plan, taken, !org.is_cell()))
}

/// [`findings`] of a plan read with its number check ([`get_placed`]): no further query.
pub fn findings_of(placed: &Placed) -> Vec<Finding> {
    plan_check::check(&placed.plan, placed.number_taken, !placed.org.is_cell())
}

/// Whether another plan of `org` in `plan`'s term already carries `number`.
pub async fn number_taken(
    ctx: Ctx<'_>,
    plan: PlanId,
    org: &Org,
    number: &DocNumber,
) -> Result<bool> {
    Ok(match plans::term_start(ctx.db, plan).await? {
        Some(term) => plans::number_taken(ctx.db, org.id, term, number, plan).await?,
        None => false,
    })
}

/// The blocking findings only.
pub async fn blocking(ctx: Ctx<'_>, plan: &Plan, org: &Org) -> Result<Vec<Finding>> {
    let mut found = findings(ctx, plan, org).await?;
    found.retain(Finding::is_blocking);
    Ok(found)
}

/// The topics the committees above `cell` mandate for `plan`'s year, with whether the plan has
/// each already: one query, whatever the number of directives.
pub async fn mandated_for(ctx: Ctx<'_>, plan: &Plan, cell: &Org) -> Result<Vec<Mandated>> {
    Ok(plans::mandated_above(ctx.db, cell, plan.year)
        .await?
        .into_iter()
        .map(|(directive, topic)| Mandated {
            directive: directive.id,
            directive_number: directive.number,
            committee: directive.committee,
            included: mandate::includes(plan, &topic),
            topic,
        })
        .collect())
}

/// What pulling mandated topics did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    Added(usize),
    Refused(Refusal),
}

/// Takes the mandated topics (all of them, or only `wanted`) that the plan does not have yet
/// into it, in one transaction against the plan as it is now.
pub async fn pull_mandated(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: PlanId,
    cell: &Org,
    wanted: Option<TopicId>,
) -> Result<Pulled> {
    let members = active_members(ctx, cell.id).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(current) = plans::load(&mut tx, plan).await? else {
        return Ok(Pulled::Refused(Refusal::Gone));
    };
    let mut version = current.version;
    let mut added = 0;
    for m in mandated_for(ctx, &current, cell).await? {
        if m.included || wanted.is_some_and(|id| id != m.topic.id) {
            continue;
        }
        let edit = Edit::AddTopic(m.pulled_topic(&current, &members));
        match save_in(&mut tx, ctx, by, plan, version, &edit).await? {
            Saved::Done { version: next } => {
                version = next;
                added += 1;
            }
            Saved::Refused(refusal) => return Ok(Pulled::Refused(refusal)),
        }
    }
    tx.commit().await?;
    Ok(Pulled::Added(added))
}

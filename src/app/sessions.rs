//! The session of a topic: scheduling it, moving it, cancelling it, and laying the topic's
//! preparation out again backwards from it. Each runs in one transaction: the session row, the
//! topic's dates in the plan (with the plan's history line, so a topic form drawn before
//! conflicts instead of writing the old date back), the audit entry, the members' notices.

use chrono::NaiveDate;

use super::notifications::tell_members;
use super::plans::{Refusal, Saved, active_members, save_in};
use super::{Ctx, Result};
use crate::db::{Tx, model_sessions, plans, sessions};
use crate::domain::calendar::Due;
use crate::domain::member::Member;
use crate::domain::notification::Notice;
use crate::domain::org::{Org, OrgId};
use crate::domain::plan::{Plan, PlanId, StepKind, Topic, TopicId};
use crate::domain::plan_edit::Edit;
use crate::domain::session::{
    Session, SessionDraft, SessionId, cancelled_summary, moved_summary, relaid_summary,
    scheduled_summary,
};
use crate::domain::timeline::{laid_out, relaid};
use crate::domain::user::UserId;

pub use crate::db::audit::Entry;
pub use crate::db::sessions::{
    Upcoming, history, of_topic, open_of_plan, preparation_of_plan, upcoming_for_user,
};

/// What a use case did, or why it did nothing (the form comes back with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(SessionId),
    /// The topic has a session already: move it instead.
    AlreadyScheduled,
    /// The session to change is not open any more (cancelled, or never scheduled).
    NotScheduled,
    /// Someone changed the session since the form was drawn.
    Stale,
    /// The committee fixed the day, hour and venue (a model session): the cell cannot move or
    /// cancel it on its own.
    Fixed,
    /// The plan refused the new dates (the topic or plan is gone, or its part conflicts).
    Refused(Refusal),
}

/// The topic and plan a session is about, as the web layer has checked them.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub plan: PlanId,
    pub topic: TopicId,
    pub cell: OrgId,
    pub title: &'a str,
}

impl<'a> Target<'a> {
    /// `topic` of `plan`, held by `cell`.
    pub fn of(plan: &Plan, cell: &Org, topic: &'a Topic) -> Self {
        Self {
            plan: plan.id,
            topic: topic.id,
            cell: cell.id,
            title: &topic.title,
        }
    }
}

/// Schedules the topic's session; its session step (and the topic's planned session) take
/// the date, and with `relay` the preparation steps are laid out backwards from it.
pub async fn schedule(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    draft: &SessionDraft,
    relay: bool,
) -> Result<Outcome> {
    let members = active_members(ctx, target.cell).await?;
    let mut tx = ctx.db.begin_write().await?;
    if sessions::open_in(&mut tx, target.topic).await?.is_some() {
        return Ok(Outcome::AlreadyScheduled);
    }
    let preview = preview(target.topic, draft);
    let summary = scheduled_summary(target.title, &preview);
    if let Some(refusal) = set_dates(
        &mut tx, ctx, by, target, draft.date, relay, &members, &summary,
    )
    .await?
    {
        return Ok(Outcome::Refused(refusal));
    }
    let id = sessions::insert(&mut tx, target.topic, draft, by, &summary).await?;
    tx.commit().await?;
    Ok(Outcome::Done(id))
}

/// Changes the open session `id` as drawn at `version`. A new day moves the session step with
/// it; a new day, time or place is told to the cell's members.
#[allow(clippy::too_many_arguments)]
pub async fn reschedule(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    id: SessionId,
    version: i64,
    draft: &SessionDraft,
    relay: bool,
) -> Result<Outcome> {
    let members = active_members(ctx, target.cell).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(before) = sessions::open_in(&mut tx, target.topic).await? else {
        return Ok(Outcome::NotScheduled);
    };
    if before.id != id {
        return Ok(Outcome::NotScheduled);
    }
    if before.version != version {
        return Ok(Outcome::Stale);
    }
    let after = before.with(draft);
    if after.moved_from(&before) && model_sessions::fixed_in(&mut tx, id).await? {
        return Ok(Outcome::Fixed);
    }
    let summary = moved_summary(target.title, &before, &after);
    if (relay || after.date != before.date)
        && let Some(refusal) = set_dates(
            &mut tx, ctx, by, target, draft.date, relay, &members, &summary,
        )
        .await?
    {
        return Ok(Outcome::Refused(refusal));
    }
    if !sessions::update(&mut tx, id, version, draft, by, &summary).await? {
        return Ok(Outcome::Stale);
    }
    if after.moved_from(&before) {
        let notice = Notice::session_moved(target.title, &after.when(), &after.venue, target.topic);
        tell_members(&mut tx, ctx, by, &members, &notice).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Done(id))
}

/// Cancels the open session `id` as drawn at `version`, with the reason; the members are told.
/// The topic's session step keeps its date: the topic still has to be held.
pub async fn cancel(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    id: SessionId,
    version: i64,
    reason: &str,
) -> Result<Outcome> {
    let members = active_members(ctx, target.cell).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(session) = sessions::open_in(&mut tx, target.topic).await? else {
        return Ok(Outcome::NotScheduled);
    };
    if session.id != id {
        return Ok(Outcome::NotScheduled);
    }
    if model_sessions::fixed_in(&mut tx, id).await? {
        return Ok(Outcome::Fixed);
    }
    let summary = cancelled_summary(target.title, &session, reason);
    if !sessions::cancel(&mut tx, id, version, reason, by, &summary).await? {
        return Ok(Outcome::Stale);
    }
    let notice = Notice::session_cancelled(target.title, &session.when(), reason, target.topic);
    tell_members(&mut tx, ctx, by, &members, &notice).await?;
    tx.commit().await?;
    Ok(Outcome::Done(id))
}

/// Lays the topic's preparation steps out again backwards from its open session's date:
/// standard steps get new dates and keep their assignees, notes and progress; missing ones
/// are added (and their assignees told); the cell's own steps stay.
pub async fn relay(ctx: Ctx<'_>, by: Option<UserId>, target: Target<'_>) -> Result<Outcome> {
    let members = active_members(ctx, target.cell).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(session) = sessions::open_in(&mut tx, target.topic).await? else {
        return Ok(Outcome::NotScheduled);
    };
    let summary = relaid_summary(target.title, session.date);
    if let Some(refusal) = set_dates(
        &mut tx,
        ctx,
        by,
        target,
        session.date,
        true,
        &members,
        &summary,
    )
    .await?
    {
        return Ok(Outcome::Refused(refusal));
    }
    sessions::note(&mut tx, session.id, "relay", by, &summary).await?;
    tx.commit().await?;
    Ok(Outcome::Done(session.id))
}

/// The session a draft would store, for its history line.
fn preview(topic: TopicId, draft: &SessionDraft) -> Session {
    Session {
        id: SessionId::NEW,
        topic_id: topic,
        date: draft.date,
        start: draft.start,
        duration: draft.duration,
        venue: draft.venue.as_str().to_owned(),
        chair: draft.chair.clone(),
        minute_taker: draft.minute_taker.clone(),
        combined: draft.combined,
        version: 0,
        cancelled: None,
    }
}

/// Sets the topic's planned session and its session step to `date` (adding the step if the
/// topic has none), or with `relay` lays every standard step out backwards from it; saved as
/// a change of the topic against the plan as it is now, with `summary` in its history.
#[allow(clippy::too_many_arguments)]
async fn set_dates(
    tx: &mut Tx,
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    date: NaiveDate,
    relay: bool,
    members: &[Member],
    summary: &str,
) -> Result<Option<Refusal>> {
    let Some(plan) = plans::load(tx, target.plan).await? else {
        return Ok(Some(Refusal::Gone));
    };
    let Some(mut topic) = plan.topics.iter().find(|t| t.id == target.topic).cloned() else {
        return Ok(Some(Refusal::Gone));
    };
    topic.session = Some(Due::Date(date));
    let fresh = laid_out(&plan, &topic, members);
    if relay {
        topic.steps = relaid(&topic.steps, fresh);
    } else if let Some(step) = topic.steps.iter_mut().find(|s| s.kind == StepKind::Session) {
        step.due = Some(Due::Date(date));
    } else {
        topic
            .steps
            .extend(fresh.into_iter().filter(|s| s.kind == StepKind::Session));
    }
    let edit = Edit::TopicDates {
        topic,
        summary: summary.to_owned(),
    };
    Ok(
        match save_in(tx, ctx, by, plan.id, plan.version, &edit).await? {
            Saved::Done { .. } => None,
            Saved::Refused(refusal) => Some(refusal),
        },
    )
}

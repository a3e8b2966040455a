//! Model sessions: a committee's staff drafting the plan (its text parts and its sessions) and
//! issuing it. Each use case is one transaction; a plan that is issued no longer changes.

use chrono::Utc;

use super::sessions::{self, Target};
use super::{Ctx, Result};
use crate::db::{Tx, model_sessions, orgs, plans};
use crate::domain::model_session::{
    ModelPlanId, ModelPlanStatus, ModelSession, ModelSessionDraft, ModelSessionId,
    ModelSessionPlan, blank,
};
use crate::domain::org::{Org, Year};
use crate::domain::plan::{DocNumber, Topic};
use crate::domain::session::{GUIDANCE_MINUTES, SessionDraft, VENUE_MAX};
use crate::domain::text::Line;
use crate::domain::user::UserId;

pub use crate::db::model_sessions::{
    FixedBy, Hosted, Listed, fixed_by, get, hosted_by, inviting, of_org, plan_of_session,
};

/// What a change did, or why it did nothing (the form comes back with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Someone saved the plan since the form was drawn.
    Stale,
    /// The plan is issued: it does not change any more.
    Issued,
    /// The number is another plan's of the committee's term.
    NumberTaken,
    /// The host is not a cell of the committee's subtree.
    HostOutside,
    /// The topic is not one of the host cell's.
    TopicElsewhere,
    /// The plan or session is not there any more.
    Gone,
    /// Issuing a plan without a model meeting.
    NoSessions,
    /// Issuing a plan without its number or date.
    Unnumbered,
}

impl Outcome {
    /// The message for the person, and the field it belongs beside (None: above the form).
    pub fn message(&self) -> (Option<&'static str>, &'static str) {
        match self {
            Outcome::Done => (None, ""),
            Outcome::Stale => (
                None,
                "Trong lúc đồng chí sửa, kế hoạch đã được người khác lưu. Nội dung đồng chí vừa \
                 nhập vẫn còn trong biểu mẫu; hãy xem lại rồi bấm Lưu lần nữa.",
            ),
            Outcome::Issued => (None, "Kế hoạch đã ban hành, không sửa được nữa."),
            Outcome::NumberTaken => (
                Some("number"),
                "Số này đã dùng cho một kế hoạch khác trong nhiệm kỳ.",
            ),
            Outcome::HostOutside => (
                Some("host"),
                "Chi bộ thực hiện phải là một chi bộ thuộc đảng bộ ban hành kế hoạch.",
            ),
            Outcome::TopicElsewhere => (
                Some("topic"),
                "Chuyên đề phải thuộc kế hoạch của chi bộ thực hiện.",
            ),
            Outcome::Gone => (None, "Phần này vừa bị người khác xóa; không còn gì để lưu."),
            Outcome::NoSessions => (
                None,
                "Kế hoạch chưa có hội nghị mẫu nào: thêm ít nhất một hội nghị trước khi ban hành.",
            ),
            Outcome::Unnumbered => (
                None,
                "Ghi số và ngày ban hành của kế hoạch trước khi ban hành.",
            ),
        }
    }
}

/// Why the plan cannot change, read inside the transaction about to change it: gone, or
/// issued already.
async fn not_a_draft(tx: &mut Tx, plan: ModelPlanId) -> Result<Option<Outcome>> {
    Ok(match model_sessions::status_in(tx, plan).await? {
        None => Some(Outcome::Gone),
        Some(ModelPlanStatus::Issued) => Some(Outcome::Issued),
        Some(ModelPlanStatus::Draft) => None,
    })
}

/// A new draft plan of `committee` for `year`, with the seed's frame to fill.
pub async fn create(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    committee: &Org,
    year: Year,
) -> Result<ModelPlanId> {
    let plan = blank(committee, year, None);
    let mut tx = ctx.db.begin_write().await?;
    let id = model_sessions::insert(&mut tx, &plan, committee.term_start, by).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the plan's number, place, date and text parts, as drawn at `version`.
pub async fn save(
    ctx: Ctx<'_>,
    committee: &Org,
    plan: &ModelSessionPlan,
    version: i64,
) -> Result<Outcome> {
    if let Some(number) = &plan.number
        && number_taken(ctx, committee, plan.id, number).await?
    {
        return Ok(Outcome::NumberTaken);
    }
    let mut tx = ctx.db.begin_write().await?;
    if let Some(refused) = not_a_draft(&mut tx, plan.id).await? {
        return Ok(refused);
    }
    if !model_sessions::update(&mut tx, plan, version).await? {
        return Ok(Outcome::Stale);
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}

async fn number_taken(
    ctx: Ctx<'_>,
    committee: &Org,
    plan: ModelPlanId,
    number: &DocNumber,
) -> Result<bool> {
    Ok(
        model_sessions::number_taken(ctx.db, committee.id, committee.term_start, number, plan)
            .await?,
    )
}

/// Checks the draft against the tree: the host is a cell of the committee's subtree, the topic
/// one of the host's. A linked topic with no title typed gives the draft its title.
async fn placed(
    ctx: Ctx<'_>,
    committee: &Org,
    draft: &ModelSessionDraft,
) -> Result<std::result::Result<ModelSessionDraft, Outcome>> {
    let host = orgs::get(ctx.db, draft.host).await?;
    let inside = host.is_some_and(|h| h.is_cell() && h.path.is_within(&committee.path));
    if !inside {
        return Ok(Err(Outcome::HostOutside));
    }
    let mut draft = draft.clone();
    if let Some(topic) = draft.topic {
        let plan = match plans::topic_plan(ctx.db, topic).await? {
            Some(plan) => plans::get(ctx.db, plan).await?,
            None => None,
        };
        let Some(plan) = plan.filter(|p| p.org_id == draft.host) else {
            return Ok(Err(Outcome::TopicElsewhere));
        };
        if draft.topic_title.is_empty()
            && let Some(found) = plan.topics.iter().find(|t| t.id == topic)
        {
            draft.topic_title = found.title.clone();
        }
    }
    Ok(Ok(draft))
}

/// Adds a model session to a draft plan.
pub async fn add_session(
    ctx: Ctx<'_>,
    committee: &Org,
    plan: ModelPlanId,
    draft: &ModelSessionDraft,
) -> Result<Outcome> {
    let draft = match placed(ctx, committee, draft).await? {
        Ok(draft) => draft,
        Err(refused) => return Ok(refused),
    };
    let mut tx = ctx.db.begin_write().await?;
    if let Some(refused) = not_a_draft(&mut tx, plan).await? {
        return Ok(refused);
    }
    model_sessions::insert_session(&mut tx, plan, &draft).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Changes a model session of a draft plan.
pub async fn update_session(
    ctx: Ctx<'_>,
    committee: &Org,
    plan: ModelPlanId,
    id: ModelSessionId,
    draft: &ModelSessionDraft,
) -> Result<Outcome> {
    let draft = match placed(ctx, committee, draft).await? {
        Ok(draft) => draft,
        Err(refused) => return Ok(refused),
    };
    let mut tx = ctx.db.begin_write().await?;
    if let Some(refused) = not_a_draft(&mut tx, plan).await? {
        return Ok(refused);
    }
    if !model_sessions::update_session(&mut tx, plan, id, &draft).await? {
        return Ok(Outcome::Gone);
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Removes a model session from a draft plan.
pub async fn delete_session(
    ctx: Ctx<'_>,
    plan: ModelPlanId,
    id: ModelSessionId,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    if let Some(refused) = not_a_draft(&mut tx, plan).await? {
        return Ok(refused);
    }
    model_sessions::delete_session(&mut tx, plan, id).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Issues the draft plan as drawn at `version`: from now on the host cells see their model
/// sessions and the plan no longer changes. A thematic model linked to a topic of its host's
/// plan gets that topic's session with the committee's day, hour and venue (scheduled, or the
/// open one moved there), fixed so that the cell cannot move it on its own.
pub async fn issue(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    plan: ModelPlanId,
    version: i64,
) -> Result<Outcome> {
    // The plan as drawn; issuing below holds only while it is still at `version`.
    let Some(drawn) = model_sessions::get(ctx.db, plan).await? else {
        return Ok(Outcome::Gone);
    };
    if drawn.version == version && drawn.is_draft() {
        if drawn.sessions.is_empty() {
            return Ok(Outcome::NoSessions);
        }
        if drawn.number.is_none() || drawn.issued_on.is_none() {
            return Ok(Outcome::Unnumbered);
        }
    }
    let mut tx = ctx.db.begin_write().await?;
    if let Some(refused) = not_a_draft(&mut tx, plan).await? {
        return Ok(refused);
    }
    if !model_sessions::issue(&mut tx, plan, version, by, Utc::now()).await? {
        return Ok(Outcome::Stale);
    }
    tx.commit().await?;
    if let Some(issued) = model_sessions::get(ctx.db, plan).await? {
        for model in &issued.sessions {
            fix_topic_session(ctx, by, model).await?;
        }
        if let Some(committee) = orgs::get(ctx.db, issued.org_id).await? {
            super::model_delegates::plan_issued(ctx, &issued, &committee).await?;
        }
    }
    Ok(Outcome::Done)
}

/// Schedules (or moves) the linked topic's session to the model's day, hour and venue, and
/// marks it the model's. Nothing for a regular model, or when the topic or its plan is gone.
async fn fix_topic_session(ctx: Ctx<'_>, by: Option<UserId>, model: &ModelSession) -> Result<()> {
    let Some(topic_id) = model.topic else {
        return Ok(());
    };
    let Some(plan_id) = plans::topic_plan(ctx.db, topic_id).await? else {
        return Ok(());
    };
    let (Some(plan), Some(host)) = (
        plans::get(ctx.db, plan_id).await?,
        orgs::get(ctx.db, model.host.id).await?,
    ) else {
        return Ok(());
    };
    let Some(topic) = plan.topics.iter().find(|t| t.id == topic_id) else {
        return Ok(());
    };
    let target = Target::of(&plan, &host, topic);
    let venue = Line::parse(&model.place(), VENUE_MAX)
        .or_else(|_| Line::parse(&model.venue, VENUE_MAX))
        .map_err(|_| sqlx::Error::Decode("model session venue".into()))?;
    let open = sessions::of_topic(ctx.db, topic_id)
        .await?
        .into_iter()
        .find(|s| !s.is_cancelled());
    let outcome = match open {
        Some(open) => {
            let draft = SessionDraft {
                date: model.date,
                start: model.start,
                duration: open.duration,
                venue,
                chair: open.chair.clone(),
                minute_taker: open.minute_taker.clone(),
                combined: open.combined,
            };
            sessions::reschedule(ctx, by, target, open.id, open.version, &draft, false).await?
        }
        None => {
            let draft = SessionDraft {
                date: model.date,
                start: model.start,
                duration: GUIDANCE_MINUTES,
                venue,
                chair: None,
                minute_taker: None,
                combined: false,
            };
            sessions::schedule(ctx, by, target, &draft, false).await?
        }
    };
    if let sessions::Outcome::Done(session) = outcome {
        let mut tx = ctx.db.begin_write().await?;
        model_sessions::fix_session(&mut tx, session, model.id).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The host cell's topics a thematic model can be linked to: those of its plans.
pub async fn host_topics(ctx: Ctx<'_>, host: &Org) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    for summary in plans::list_for_org(ctx.db, host.id).await? {
        if let Some(plan) = plans::get(ctx.db, crate::domain::plan::PlanId(summary.id)).await? {
            topics.extend(plan.topics);
        }
    }
    Ok(topics)
}

/// Cells of the committee's subtree a model session can be hosted by (the first 500 by name).
pub async fn host_choices(ctx: Ctx<'_>, committee: &Org) -> Result<Vec<Org>> {
    Ok(orgs::cells_within(ctx.db, committee, 500).await?)
}

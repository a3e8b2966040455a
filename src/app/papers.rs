//! The papers of a topic: adding a version, sending one to the members, the members' comments,
//! the presenter's answers and the close of the comments (which completes the topic's
//! "Lấy ý kiến tham gia" step). Each runs in one transaction with its history and notices.

use chrono::NaiveDate;

use super::notifications::tell_members;
use super::plans::active_members;
use super::{Ctx, Result};
use crate::db::{papers, sessions};
use crate::domain::notification::Notice;
use crate::domain::paper::{
    Answer, CirculationRefusal, Comment, CommentDraft, CommentId, Lead, PaperDraft, PaperId,
    added_summary, answered_summary, circulated_summary, closed_summary, commented_summary,
    may_circulate,
};
use crate::domain::user::UserId;

pub use crate::db::papers::{
    TopicPapers, comment, comments, file, get, history, of_plan, of_topic,
};
pub use crate::domain::paper::Paper;

/// The topic a paper is about, as the web layer has checked it.
pub use super::sessions::Target;

/// Adds a version of the topic's paper.
pub async fn add(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    draft: &PaperDraft,
) -> Result<PaperId> {
    let mut tx = ctx.db.begin_write().await?;
    let id = papers::insert(&mut tx, target.plan, target.topic, draft, by, |paper| {
        added_summary(target.title, paper)
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What sending a paper to the members did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Circulated {
    /// Sent; how long before the open session, if one is scheduled.
    Done(Option<Lead>),
    Refused(CirculationRefusal),
    /// The paper is gone, or belongs to another topic.
    Gone,
}

/// The secretary's approval: the paper goes to every active member of the cell, now; refused
/// when it went already or its session was held.
pub async fn circulate(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    id: PaperId,
    today: NaiveDate,
) -> Result<Circulated> {
    let members = active_members(ctx, target.cell).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(paper) = papers::get_in(&mut tx, id)
        .await?
        .filter(|p| p.topic_id == target.topic)
    else {
        return Ok(Circulated::Gone);
    };
    let session = sessions::open_in(&mut tx, target.topic).await?;
    if let Err(refusal) = may_circulate(&paper, session.as_ref(), today) {
        return Ok(Circulated::Refused(refusal));
    }
    let lead = session.as_ref().map(|s| Lead::of(chrono::Utc::now(), s));
    let summary = circulated_summary(target.title, &paper, lead);
    if !papers::circulate(&mut tx, target.plan, id, by, &summary).await? {
        return Ok(Circulated::Refused(CirculationRefusal::AlreadyCirculated));
    }
    let when = session.as_ref().map(|s| s.when());
    let notice = Notice::paper_circulated(target.title, paper.stage.label(), when.as_deref(), id);
    tell_members(&mut tx, ctx, by, &members, &notice).await?;
    tx.commit().await?;
    Ok(Circulated::Done(lead))
}

/// A member's comment on an open paper; `None` when the paper is not open to comments.
pub async fn add_comment(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    paper: &Paper,
    draft: &CommentDraft,
) -> Result<Option<CommentId>> {
    let mut tx = ctx.db.begin_write().await?;
    let summary = commented_summary(target.title, paper, draft);
    let id = papers::add_comment(&mut tx, target.plan, paper.id, draft, by, &summary).await?;
    tx.commit().await?;
    Ok(id)
}

/// The presenter's answer to a comment as drawn at `version`; false when someone answered it
/// since, or the comments were closed. The member who commented is told.
pub async fn answer(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    comment: &Comment,
    version: i64,
    answer: &Answer,
) -> Result<bool> {
    let mut tx = ctx.db.begin_write().await?;
    let summary = answered_summary(target.title, &comment.created.by, answer);
    if !papers::answer(
        &mut tx,
        target.plan,
        comment.id,
        version,
        answer,
        by,
        &summary,
    )
    .await?
    {
        return Ok(false);
    }
    if let Some(author) = comment.created_by.filter(|a| Some(*a) != by) {
        let notice =
            Notice::comment_answered(target.title, answer.verdict.label(), comment.paper_id);
        crate::db::notifications::notify_in(&mut tx, &[author], &notice, ctx.mail).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Closes the comments on a paper; the topic's "Lấy ý kiến tham gia" step is done today if it
/// was not. False when they were closed already (or the paper never went out).
pub async fn close(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    paper: &Paper,
    count: usize,
    today: NaiveDate,
) -> Result<bool> {
    let mut tx = ctx.db.begin_write().await?;
    let summary = closed_summary(target.title, paper, count);
    if !papers::close(&mut tx, target.plan, paper.id, by, &summary).await? {
        return Ok(false);
    }
    papers::finish_comments_step(&mut tx, target.topic, today, by).await?;
    tx.commit().await?;
    Ok(true)
}

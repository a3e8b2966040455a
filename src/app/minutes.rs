//! Holding the session: recording its minutes part by part (attendance, times, people, agenda,
//! speeches, conclusion, vote), closing them (numbered and frozen; the topic's session step
//! done), reporting them to the higher committee, and grading the session. Each use case is one
//! transaction and returns what it did or why it did nothing.

use chrono::NaiveDate;

use super::{Ctx, Result};
use crate::db::minutes::{self as stored, Closing};
use crate::db::{corrections, notifications};
use crate::domain::attendance::Attendance;
use crate::domain::correction::Correction;
use crate::domain::grading::{Scores, Sheet};
use crate::domain::minutes::{Minutes, Speech, Stage, Vote, saved_summary};
use crate::domain::notification::Notice;
use crate::domain::org::Org;
use crate::domain::paper::{Paper, Stage as PaperStage};
use crate::domain::plan::TopicId;
use crate::domain::session::{Session, SessionId, StartTime};
use crate::domain::user::UserId;

pub use crate::db::audit::Entry;
pub use crate::db::minutes::{GradeStage, topic_of_session};
pub use crate::db::minutes::{Reported, grades, history, of_session, reported_by, reported_to};

/// One part of the record, as a form saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Attendance(Attendance),
    Times(Option<StartTime>, Option<StartTime>),
    People {
        chair: String,
        minute_taker: String,
        presenter: String,
    },
    Agenda(Vec<String>),
    Speeches(Vec<Speech>),
    Conclusion(String),
    Vote(Option<Vote>),
}

impl Change {
    /// The part's name in the history.
    fn label(&self) -> &'static str {
        match self {
            Change::Attendance(_) => "điểm danh",
            Change::Times(..) => "thời gian bắt đầu, kết thúc",
            Change::People { .. } => "chủ trì, thư ký, người trình bày",
            Change::Agenda(_) => "chương trình",
            Change::Speeches(_) => "ý kiến phát biểu",
            Change::Conclusion(_) => "kết luận",
            Change::Vote(_) => "biểu quyết",
        }
    }

    fn apply(self, minutes: &mut Minutes) {
        let record = &mut minutes.record;
        match self {
            Change::Attendance(attendance) => {
                minutes.attendance = attendance;
                minutes.attendance_taken = true;
            }
            Change::Times(started, ended) => {
                record.started = started;
                record.ended = ended;
            }
            Change::People {
                chair,
                minute_taker,
                presenter,
            } => {
                record.chair = chair;
                record.minute_taker = minute_taker;
                record.presenter = presenter;
            }
            Change::Agenda(agenda) => record.agenda = agenda,
            Change::Speeches(speeches) => record.speeches = speeches,
            Change::Conclusion(conclusion) => record.conclusion = conclusion,
            Change::Vote(vote) => record.vote = vote,
        }
    }
}

/// What a use case did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Someone saved the minutes since the form was drawn: who and when.
    Stale {
        by: Option<String>,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The minutes are closed: they never change (a correction is a new record).
    Frozen,
    /// Closing needs these parts first.
    Incomplete(Vec<&'static str>),
    /// Reporting or proposing a grade needs closed minutes; the committee's grade, reported ones.
    NotReady,
    /// Reported already.
    AlreadyReported,
    /// Reporting sends the final paper with the minutes: none was sent to the members yet.
    NoFinalPaper,
}

/// The session the minutes are about, as the web layer has checked it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub session: &'a Session,
    pub topic: TopicId,
    pub title: &'a str,
    pub presenter: Option<&'a str>,
    pub cell: &'a Org,
}

/// The sheet the sessions of `org` are graded on, and the committee whose own it is (`None`:
/// the standard sheet).
pub async fn sheet_for(
    ctx: Ctx<'_>,
    org: &Org,
) -> Result<(Sheet, Option<crate::domain::org::OrgId>)> {
    Ok(super::grading_sheets::applying_to(ctx.db, org).await?)
}

/// The topic's final paper (chuyên đề hoàn chỉnh): its latest version of that stage.
pub async fn final_paper(ctx: Ctx<'_>, topic: TopicId) -> Result<Option<Paper>> {
    Ok(crate::db::papers::of_topic(ctx.db, topic)
        .await?
        .into_iter()
        .filter(|p| p.stage == PaperStage::Final)
        .max_by_key(|p| p.number))
}

/// The stage of a session's minutes, for the pages that link them (Open when none are stored).
pub async fn stage_of(ctx: Ctx<'_>, session: SessionId) -> Result<Stage> {
    Ok(stored::of_session(ctx.db, session)
        .await?
        .map_or(Stage::Open, |m| m.stage()))
}

/// The minutes of the session, or blank ones (version 0) when none are stored: every active
/// member of the cell called, the people of the schedule, the standard agenda.
pub async fn current(ctx: Ctx<'_>, target: Target<'_>) -> Result<Minutes> {
    let members = super::plans::active_members(ctx, target.cell.id).await?;
    Ok(match stored::of_session(ctx.db, target.session.id).await? {
        Some(minutes) => minutes,
        None => Minutes::blank(target.session, &members, target.presenter),
    })
}

/// Saves one part of the minutes as drawn at `version` (0: none were stored when the form was
/// drawn; the first save stores them).
pub async fn save(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    version: i64,
    change: Change,
) -> Result<Outcome> {
    let members = super::plans::active_members(ctx, target.cell.id).await?;
    let mut tx = ctx.db.begin_write().await?;
    let existing = stored::of_session_in(&mut tx, target.session.id).await?;
    let summary = saved_summary(change.label(), target.title);
    let outcome = match existing {
        None if version != 0 => Outcome::Stale {
            by: None,
            at: chrono::Utc::now(),
        },
        None => {
            let mut minutes = Minutes::blank(target.session, &members, target.presenter);
            change.apply(&mut minutes);
            stored::insert(&mut tx, &minutes, by, &summary).await?;
            Outcome::Done
        }
        Some(minutes) if !minutes.is_open() => Outcome::Frozen,
        Some(minutes) if minutes.version != version => Outcome::Stale {
            by: minutes.updated_by,
            at: minutes.updated_at,
        },
        Some(mut minutes) => {
            change.apply(&mut minutes);
            if stored::write(&mut tx, &minutes, version, by, &summary).await? {
                Outcome::Done
            } else {
                Outcome::Stale {
                    by: minutes.updated_by,
                    at: minutes.updated_at,
                }
            }
        }
    };
    if outcome == Outcome::Done {
        tx.commit().await?;
    }
    Ok(outcome)
}

/// Closes the minutes as drawn at `version`: numbered `Số n-BB/{cell}` through the cell's term,
/// frozen from then on; the topic's session step is done on the session's day.
pub async fn close(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    version: i64,
    today: NaiveDate,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(minutes) = stored::of_session_in(&mut tx, target.session.id).await? else {
        return Ok(Outcome::Incomplete(vec!["điểm danh"]));
    };
    if !minutes.is_open() {
        return Ok(Outcome::Frozen);
    }
    if minutes.version != version {
        return Ok(Outcome::Stale {
            by: minutes.updated_by,
            at: minutes.updated_at,
        });
    }
    let missing = minutes.missing_for_close();
    if !missing.is_empty() {
        return Ok(Outcome::Incomplete(missing));
    }
    let cell = target.cell;
    let serial = stored::next_serial(&mut tx, cell.id, cell.term_start).await?;
    let closing = Closing {
        term_start: cell.term_start,
        serial,
        issuer: &cell.abbreviation,
        on: today,
    };
    let summary = format!(
        "Khóa biên bản sinh hoạt chuyên đề “{}”, Số {serial}-BB/{}",
        target.title, cell.abbreviation
    );
    if !stored::close(&mut tx, minutes.id, version, &closing, by, &summary).await? {
        return Ok(Outcome::Stale {
            by: minutes.updated_by,
            at: minutes.updated_at,
        });
    }
    let step = format!(
        "Tổ chức sinh hoạt chuyên đề “{}”: đã tổ chức ngày {}, biên bản đã khóa",
        target.title,
        target.session.date.format("%d/%m/%Y")
    );
    stored::mark_session_step(&mut tx, target.topic, target.session.date, by, &step).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Sets down a correction of the closed minutes (biên bản bổ sung): numbered in the minutes'
/// series and frozen at once. The minutes themselves never change.
pub async fn correct(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    body: &str,
    today: NaiveDate,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(minutes) = stored::of_session_in(&mut tx, target.session.id).await? else {
        return Ok(Outcome::NotReady);
    };
    let Some((number, _)) = minutes.number.as_ref().zip(minutes.closed) else {
        return Ok(Outcome::NotReady);
    };
    let cell = target.cell;
    let serial = stored::next_serial(&mut tx, cell.id, cell.term_start).await?;
    let made = corrections::Made {
        minutes: minutes.id,
        term_start: cell.term_start,
        serial,
        issuer: &cell.abbreviation,
        on: today,
    };
    let summary = format!(
        "Lập biên bản bổ sung Số {serial}-BB/{} cho biên bản Số {}-BB/{}",
        cell.abbreviation, number.0, number.1
    );
    corrections::insert(&mut tx, &made, body, by, &summary).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// The corrections of the minutes, oldest first.
pub async fn corrections_of(ctx: Ctx<'_>, minutes: &Minutes) -> Result<Vec<Correction>> {
    if minutes.id.is_new() {
        return Ok(Vec::new());
    }
    Ok(corrections::of_minutes(ctx.db, minutes.id).await?)
}

/// Sends the closed minutes up to the direct higher committee, once.
pub async fn report(ctx: Ctx<'_>, by: Option<UserId>, target: Target<'_>) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(minutes) = stored::of_session_in(&mut tx, target.session.id).await? else {
        return Ok(Outcome::NotReady);
    };
    if minutes.is_open() {
        return Ok(Outcome::NotReady);
    }
    if minutes.reported.is_some() {
        return Ok(Outcome::AlreadyReported);
    }
    let Some(paper) = final_paper(ctx, target.topic).await? else {
        return Ok(Outcome::NoFinalPaper);
    };
    if paper.circulated.is_none() {
        return Ok(Outcome::NoFinalPaper);
    }
    let summary = format!(
        "Báo cáo cấp ủy cấp trên biên bản sinh hoạt chuyên đề “{}”",
        target.title
    );
    if !stored::report(&mut tx, minutes.id, paper.id, by, &summary).await? {
        return Ok(Outcome::AlreadyReported);
    }
    if let Some(committee) = target.cell.parent_id {
        let reviewers = notifications::reviewers_of(ctx.db, committee).await?;
        let notice = Notice::minutes_reported(
            &target.cell.name,
            target.title,
            target.session.date,
            target.session.id,
        );
        notifications::notify_in(&mut tx, &reviewers, &notice, ctx.mail).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Grades the session: the secretary's proposal (closed minutes), or the committee's decision
/// (reported minutes with a proposal; a change from the proposal needs its reason, which the
/// web edge asks for).
pub async fn grade(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    target: Target<'_>,
    stage: GradeStage,
    (sheet, scores): (&Sheet, &Scores),
    reason: &str,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(minutes) = stored::of_session_in(&mut tx, target.session.id).await? else {
        return Ok(Outcome::NotReady);
    };
    let ready = match stage {
        GradeStage::Proposed => !minutes.is_open(),
        GradeStage::Decided => minutes.reported.is_some(),
    };
    if !ready {
        return Ok(Outcome::NotReady);
    }
    let who = match stage {
        GradeStage::Proposed => "Đề xuất xếp loại",
        GradeStage::Decided => "Cấp ủy cấp trên xếp loại",
    };
    let summary = format!(
        "{who} buổi sinh hoạt chuyên đề “{}”: {} điểm, {}",
        target.title,
        scores.total(),
        scores.grade().label()
    );
    stored::grade(
        &mut tx,
        minutes.id,
        stage,
        (sheet, scores),
        reason,
        by,
        &summary,
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

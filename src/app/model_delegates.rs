//! A model session after its plan: the committee invites units of its subtree, their leaders
//! name delegates until the deadline, the committee records who came, the delegates assess the
//! meeting, and the committee issues its summary as THÔNG BÁO or BÁO CÁO kết quả.

use chrono::{NaiveDate, Utc};

use super::{Ctx, Result};
use crate::db::{Tx, model_delegates as stored, notifications, orgs};
use crate::domain::calendar::short_date;
use crate::domain::grading::Sheet;
use crate::domain::model_delegates::{
    Assessment, Delegate, DelegateId, Invitations, MAX_INVITED, Person, ReportDraft, not_ready,
};
use crate::domain::model_session::{ModelSession, ModelSessionId, ModelSessionPlan};
use crate::domain::notification::Notice;
use crate::domain::org::{Org, OrgId, OrgKind};
use crate::domain::user::UserId;

pub use crate::db::audit::Entry;
pub use crate::db::model_delegates::{
    assessments, candidates, delegates, history, invitations, report,
};

/// What a change did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A unit outside the committee's subtree (or the committee itself).
    UnitOutside,
    /// The unit is not invited to the session.
    NotInvited,
    /// The registration closed at the end of that day.
    Closed(NaiveDate),
    /// A person ticked is not one of the unit's.
    NotOfUnit,
    /// A person ticked is a delegate of another invited unit already (a staff account of two
    /// committees): named once.
    Elsewhere(String),
    /// Who came and what they thought wait for the meeting's day.
    TooEarly,
    /// The delegate was recorded as not having come.
    Absent,
    /// The summary is issued: nothing after the meeting changes any more.
    Reported,
    /// Someone saved the summary since the form was drawn.
    Stale,
    /// Issuing a summary without its number, date or text.
    NotReady(&'static str),
}

impl Outcome {
    /// The message for the person, and the field it belongs beside (None: above the form).
    pub fn message(&self) -> (Option<&'static str>, String) {
        match self {
            Outcome::Done => (None, String::new()),
            Outcome::UnitOutside => (
                Some("units"),
                "Chỉ mời được các đơn vị thuộc đảng bộ ban hành kế hoạch.".into(),
            ),
            Outcome::NotInvited => (None, "Đơn vị không được mời dự hội nghị này.".into()),
            Outcome::Closed(day) => (
                None,
                format!(
                    "Đã hết hạn đăng ký đại biểu (ngày {}); liên hệ cấp ủy tổ chức hội nghị.",
                    short_date(*day)
                ),
            ),
            Outcome::NotOfUnit => (
                Some("delegates"),
                "Chỉ đăng ký được người của đơn vị mình.".into(),
            ),
            Outcome::Elsewhere(name) => (
                Some("delegates"),
                format!("Đồng chí {name} đã được một đơn vị khác đăng ký dự hội nghị này."),
            ),
            Outcome::TooEarly => (
                None,
                "Hội nghị chưa diễn ra: việc này làm từ ngày hội nghị.".into(),
            ),
            Outcome::Absent => (
                None,
                "Đồng chí được ghi là không tham dự hội nghị nên không gửi đánh giá.".into(),
            ),
            Outcome::Reported => (
                None,
                "Văn bản kết quả đã ban hành; hội nghị không sửa được nữa.".into(),
            ),
            Outcome::Stale => (
                None,
                "Trong lúc đồng chí sửa, văn bản đã được người khác lưu. Nội dung đồng chí vừa \
                 nhập vẫn còn trong biểu mẫu; hãy xem lại rồi bấm Lưu lần nữa."
                    .into(),
            ),
            Outcome::NotReady(why) => (None, (*why).into()),
        }
    }
}

/// A model meeting with its plan and the committee that stages it.
#[derive(Clone, Copy)]
pub struct Meeting<'a> {
    pub plan: &'a ModelSessionPlan,
    pub committee: &'a Org,
    pub session: &'a ModelSession,
}

impl Meeting<'_> {
    fn heading(&self) -> String {
        format!("hội nghị “{}” mẫu", self.session.kind.label())
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The summary was issued: nothing after the meeting changes any more.
async fn reported(tx: &mut Tx, session: ModelSessionId) -> Result<bool> {
    Ok(stored::report_in(tx, session)
        .await?
        .is_some_and(|r| r.issued))
}

/// The accounts that speak for `units`: a cell's secretary and deputy, a committee's staff.
async fn leaders(ctx: Ctx<'_>, units: &[OrgId]) -> Result<Vec<UserId>> {
    let mut users = Vec::new();
    for id in units {
        let Some(unit) = orgs::get(ctx.db, *id).await? else {
            continue;
        };
        users.extend(match unit.kind {
            OrgKind::Cell => notifications::cell_leaders(ctx.db, unit.id).await?,
            OrgKind::Committee => notifications::reviewers_of(ctx.db, unit.id).await?,
        });
    }
    Ok(users)
}

/// Tells the leaders of `units` they are invited under `invitations`, once the plan is issued.
async fn tell_invited(
    ctx: Ctx<'_>,
    meeting: Meeting<'_>,
    invitations: &Invitations,
    units: &[OrgId],
) -> Result<()> {
    let deadline = invitations.deadline(meeting.session.date);
    let notice = Notice::model_invited(
        &meeting.committee.name,
        &meeting.heading(),
        &meeting.session.host.name,
        &short_date(deadline),
        meeting.session.id.get(),
    );
    let users = leaders(ctx, units).await?;
    notifications::notify(ctx.db, &users, &notice, ctx.mail).await?;
    Ok(())
}

/// The plan was issued: every unit invited to its meetings hears of it.
pub async fn plan_issued(ctx: Ctx<'_>, plan: &ModelSessionPlan, committee: &Org) -> Result<()> {
    for session in &plan.sessions {
        let invited = invitations(ctx.db, session.id).await?;
        let meeting = Meeting {
            plan,
            committee,
            session,
        };
        tell_invited(ctx, meeting, &invited, &invited.units).await?;
    }
    Ok(())
}

/// Sets the units invited to the meeting, the registration deadline and whether delegates give
/// points. Units newly invited to an issued plan's meeting are told at once.
pub async fn set_invitations(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    invitations: &Invitations,
) -> Result<Outcome> {
    for unit in &invitations.units {
        let inside = orgs::get(ctx.db, *unit).await?.is_some_and(|u| {
            u.path.is_within(&meeting.committee.path) && u.id != meeting.committee.id
        });
        if !inside {
            return Ok(Outcome::UnitOutside);
        }
    }
    let mut tx = ctx.db.begin_write().await?;
    if reported(&mut tx, meeting.session.id).await? {
        return Ok(Outcome::Reported);
    }
    let added = stored::set_invitations(&mut tx, meeting.session.id, invitations).await?;
    let detail = format!(
        "Mời {} đơn vị dự {}, hạn đăng ký {}",
        invitations.units.len(),
        meeting.heading(),
        short_date(invitations.deadline(meeting.session.date))
    );
    stored::audit(&mut tx, by, "invite", meeting.session.id, &detail).await?;
    tx.commit().await?;
    if !meeting.plan.is_draft() && !added.is_empty() {
        tell_invited(ctx, meeting, invitations, &added).await?;
    }
    Ok(Outcome::Done)
}

/// `unit` names its delegates (replacing the ones it named before) from its own people. The
/// registration closes after its deadline, except for the committee's own staff (`organiser`),
/// who may correct the list until the summary is issued.
pub async fn register(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    unit: &Org,
    people: &[Person],
    organiser: bool,
) -> Result<Outcome> {
    let settings = invitations(ctx.db, meeting.session.id).await?;
    if !settings.units.contains(&unit.id) {
        return Ok(Outcome::NotInvited);
    }
    if !organiser && !settings.open_on(meeting.session.date, today()) {
        return Ok(Outcome::Closed(settings.deadline(meeting.session.date)));
    }
    let known = candidates(ctx.db, unit).await?;
    let mut chosen = Vec::new();
    for person in people {
        match known.iter().find(|c| c.person == *person) {
            Some(candidate) => chosen.push(candidate.clone()),
            None => return Ok(Outcome::NotOfUnit),
        }
    }
    let named = delegates(ctx.db, meeting.session.id).await?;
    if let Some(twice) = named
        .iter()
        .find(|d| d.unit != unit.id && chosen.iter().any(|c| c.person == d.person))
    {
        return Ok(Outcome::Elsewhere(twice.name.clone()));
    }
    let mut tx = ctx.db.begin_write().await?;
    if reported(&mut tx, meeting.session.id).await? {
        return Ok(Outcome::Reported);
    }
    stored::register(
        &mut tx,
        meeting.session.id,
        unit.id,
        &chosen,
        by,
        Utc::now(),
    )
    .await?;
    let names: Vec<&str> = chosen.iter().map(|c| c.name.as_str()).collect();
    let detail = format!("{} đăng ký đại biểu: {}", unit.name, names.join(", "));
    stored::audit(&mut tx, by, "register", meeting.session.id, &detail).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// The committee records which registered delegates came, from the meeting's day.
pub async fn record_attendance(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    came: &[DelegateId],
) -> Result<Outcome> {
    if today() < meeting.session.date {
        return Ok(Outcome::TooEarly);
    }
    let mut tx = ctx.db.begin_write().await?;
    if reported(&mut tx, meeting.session.id).await? {
        return Ok(Outcome::Reported);
    }
    stored::record_attendance(&mut tx, meeting.session.id, came).await?;
    let detail = format!("Ghi nhận {} đại biểu có mặt", came.len());
    stored::audit(&mut tx, by, "attendance", meeting.session.id, &detail).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// A delegate's assessment of the meeting, from its day until the summary is issued; a
/// delegate recorded as absent has none to give.
pub async fn assess(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    delegate: &Delegate,
    assessment: &Assessment,
) -> Result<Outcome> {
    if today() < meeting.session.date {
        return Ok(Outcome::TooEarly);
    }
    if delegate.attended == Some(false) {
        return Ok(Outcome::Absent);
    }
    let mut tx = ctx.db.begin_write().await?;
    if reported(&mut tx, meeting.session.id).await? {
        return Ok(Outcome::Reported);
    }
    stored::save_assessment(&mut tx, delegate.id, assessment, Utc::now()).await?;
    let detail = format!("{} gửi ý kiến đánh giá hội nghị", delegate.name);
    stored::audit(&mut tx, by, "assess", meeting.session.id, &detail).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Saves the committee's summary as drawn at `version` (0: none yet).
pub async fn save_report(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    draft: &ReportDraft,
    version: i64,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    if reported(&mut tx, meeting.session.id).await? {
        return Ok(Outcome::Reported);
    }
    let now = Utc::now();
    if !stored::save_report(&mut tx, meeting.session.id, draft, version, by, now).await? {
        return Ok(Outcome::Stale);
    }
    let detail = format!(
        "Lưu {} {}",
        draft.kind.label().to_lowercase(),
        meeting.heading()
    );
    stored::audit(&mut tx, by, "summary", meeting.session.id, &detail).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// Issues the summary as drawn at `version`: it is frozen, and the host's and the invited
/// units' leaders are told.
pub async fn issue_report(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    meeting: Meeting<'_>,
    version: i64,
) -> Result<Outcome> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(drawn) = stored::report_in(&mut tx, meeting.session.id).await? else {
        return Ok(Outcome::NotReady(
            "Viết nội dung tổng hợp trước khi ban hành.",
        ));
    };
    if drawn.issued {
        return Ok(Outcome::Reported);
    }
    if drawn.version != version {
        return Ok(Outcome::Stale);
    }
    if let Some(why) = not_ready(&drawn) {
        return Ok(Outcome::NotReady(why));
    }
    if !stored::issue_report(&mut tx, meeting.session.id, version, by, Utc::now()).await? {
        return Ok(Outcome::Stale);
    }
    let detail = format!(
        "Ban hành {} số {}",
        drawn.kind.label().to_lowercase(),
        drawn
            .number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    stored::audit(&mut tx, by, "issue_summary", meeting.session.id, &detail).await?;
    let mut users = notifications::cell_leaders(ctx.db, meeting.session.host.id).await?;
    let invited = invitations(ctx.db, meeting.session.id).await?;
    users.extend(leaders(ctx, &invited.units).await?);
    let notice = Notice::model_reported(
        &meeting.committee.name,
        &meeting.heading(),
        meeting.session.id.get(),
    );
    notifications::notify_in(&mut tx, &users, &notice, ctx.mail).await?;
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// The units of the committee's subtree a meeting can invite (the first ones, in tree order).
pub async fn invitable(ctx: Ctx<'_>, committee: &Org) -> Result<Vec<Org>> {
    let most = i64::try_from(MAX_INVITED).unwrap_or(i64::MAX);
    Ok(orgs::units_below(ctx.db, committee, most).await?)
}

/// The grading sheet the delegates give points on: the host cell's.
pub async fn sheet_for(ctx: Ctx<'_>, host: OrgId) -> Result<Option<Sheet>> {
    Ok(match orgs::get(ctx.db, host).await? {
        Some(cell) => Some(
            crate::db::grading_sheets::applying_to(ctx.db, &cell)
                .await?
                .0,
        ),
        None => None,
    })
}

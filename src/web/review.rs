//! Adopting, submitting, reviewing and issuing plans; pulling a committee's mandated topics
//! into a cell's plan.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::AppError;
use super::auth::Auth;
use super::extract::{Fields, Path};
use super::form::{FieldErrors, refusal_message, rejected, render};
use super::page::Page;
use super::scope::{editable_plan, own_cell_plan, plan_page, reviewable_plan};
use crate::AppState;
use crate::app;
use crate::app::plans::Pulled;
use crate::app::review::{Comment, Commented, Decision, InboxRow, Moved, Revision};
use crate::domain::Invalid;
use crate::domain::access::Deed;
use crate::domain::calendar::parse_date;
use crate::domain::lifecycle::Adoption;
use crate::domain::org::Org;
use crate::domain::plan::{Plan, PlanId, PlanStatus, TopicId};
use crate::domain::plan_parts::{self, Part, PartChange};
use crate::domain::text::limit;

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans/{id}/adopt", get(adopt_page).post(adopt))
        .route("/plans/{id}/submit", post(submit))
        .route("/plans/{id}/review", get(review_show))
        .route("/plans/{id}/comments", post(comment))
        .route("/plans/{id}/accept", post(accept))
        .route("/plans/{id}/return", post(return_plan))
        .route("/plans/{id}/issue", post(issue))
        .route("/plans/{id}/pull", post(pull))
        .route("/reviews", get(inbox))
}

const WRONG_STATE: &str = "Thao tác không thực hiện được ở trạng thái hiện tại của kế hoạch \
     (có thể người khác vừa thao tác). Vui lòng xem lại.";

fn to_plan(id: PlanId) -> Response {
    Redirect::to(&format!("/plans/{id}")).into_response()
}

/// Blocking errors of the plan as it is now, as the pages list them.
async fn blocking(state: &AppState, plan: &Plan, org: &Org) -> Result<Vec<String>, AppError> {
    Ok(app::plans::blocking(state.ctx(), plan, org)
        .await?
        .into_iter()
        .map(|f| f.message)
        .collect())
}

/// Tells the user what became of a transition: `done` when it happened.
async fn report(auth: &Auth, moved: Moved, done: &str, blocked: &str) -> Result<(), AppError> {
    let message = match moved {
        Moved::Done => done.to_owned(),
        Moved::WrongState => WRONG_STATE.to_owned(),
        Moved::Blocked(findings) => {
            let messages: Vec<String> = findings.into_iter().map(|f| f.message).collect();
            format!("{blocked}: {}", messages.join(" "))
        }
        Moved::NoCommittee => "Chi bộ chưa có cấp ủy cấp trên trong hệ thống để báo cáo.".into(),
        Moved::Involved(deed) => deed.refusal().into(),
    };
    auth.flash(&message).await
}

// ---------------------------------------------------------------- adopt

#[derive(Template)]
#[template(path = "review/adopt.html")]
struct AdoptPage {
    page: Page,
    plan_id: PlanId,
    meeting_on: String,
    present: String,
    total: String,
    votes_for: String,
    votes_against: String,
    errors: FieldErrors,
    blocking: Vec<String>,
}

pub async fn adopt_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let active = app::plans::active_members(state.ctx(), cell.id)
        .await?
        .len()
        .to_string();
    render(&AdoptPage {
        page: plan_page(
            &state,
            &auth,
            &cell,
            &plan,
            "Thông qua kế hoạch tại cuộc họp chi bộ",
        )
        .await?,
        plan_id: id,
        meeting_on: chrono::Local::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string(),
        present: active.clone(),
        total: active,
        votes_for: String::new(),
        votes_against: "0".into(),
        errors: FieldErrors::default(),
        blocking: blocking(&state, &plan, &cell).await?,
    })
}

fn count(errors: &mut FieldErrors, fields: &Fields, name: &'static str) -> Option<u32> {
    errors.text(name, fields.get(name), limit::SHORT, |text| {
        match text.trim().parse::<u32>() {
            Ok(n) if n <= 10_000 => Ok(n),
            _ => Err(Invalid("Vui lòng nhập một số (ví dụ 9).")),
        }
    })
}

pub async fn adopt(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = own_cell_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let meeting_on = errors.text(
        "meeting_on",
        fields.get("meeting_on"),
        limit::SHORT,
        |text| match parse_date(text)? {
            Some(day) if day <= chrono::Local::now().date_naive() => Ok(day),
            Some(_) => Err(Invalid("Ngày họp không thể ở tương lai.")),
            None => Err(Invalid("Vui lòng nhập ngày họp chi bộ.")),
        },
    );
    let figures = (
        count(&mut errors, &fields, "present"),
        count(&mut errors, &fields, "total"),
        count(&mut errors, &fields, "votes_for"),
        count(&mut errors, &fields, "votes_against"),
    );
    // The use case checks the plan's blocking errors itself; they are looked up here only for
    // a form that comes back.
    let mut blocked = None;
    if let (Some(day), (Some(present), Some(total), Some(yes), Some(no))) = (meeting_on, figures) {
        match Adoption::new(day, present, total, yes, no) {
            Ok(adoption) => {
                match app::review::adopt(state.ctx(), auth.user_id(), id, &cell, adoption).await? {
                    Moved::Blocked(findings) => {
                        blocked = Some(findings.into_iter().map(|f| f.message).collect())
                    }
                    moved => {
                        report(
                            &auth,
                            moved,
                            "Đã ghi nhận chi bộ thông qua kế hoạch.",
                            "Chưa thông qua được",
                        )
                        .await?;
                        return Ok(to_plan(id));
                    }
                }
            }
            Err((field, invalid)) => errors.add(field, invalid.0),
        }
    }
    let blocking = match blocked {
        Some(blocking) => blocking,
        None => blocking(&state, &plan, &cell).await?,
    };
    rejected(&AdoptPage {
        page: plan_page(
            &state,
            &auth,
            &cell,
            &plan,
            "Thông qua kế hoạch tại cuộc họp chi bộ",
        )
        .await?,
        plan_id: id,
        meeting_on: fields.get("meeting_on").to_owned(),
        present: fields.get("present").to_owned(),
        total: fields.get("total").to_owned(),
        votes_for: fields.get("votes_for").to_owned(),
        votes_against: fields.get("votes_against").to_owned(),
        errors,
        blocking,
    })
}

// ---------------------------------------------------------------- submit

pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (_, cell) = own_cell_plan(&state, &auth, id).await?;
    let ctx = state.ctx();
    let moved = app::review::submit(ctx, auth.user_id(), id, &cell).await?;
    let done = match moved {
        Moved::Done => {
            let committee = app::review::committee_name(ctx, &cell).await?;
            format!("Đã báo cáo kế hoạch lên {committee}.")
        }
        _ => String::new(),
    };
    report(&auth, moved, &done, "Chưa báo cáo được").await?;
    Ok(to_plan(id))
}

// ---------------------------------------------------------------- review

#[derive(Template)]
#[template(path = "review/inbox.html")]
struct InboxPage {
    page: Page,
    rows: Vec<InboxRow>,
    reviews_anything: bool,
    /// Session minutes the cells below reported, newest first.
    minutes: Vec<app::minutes::Reported>,
}

pub async fn inbox(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let committees: Vec<_> = auth.actor.reviews.iter().map(|r| r.committee_id).collect();
    let mut minutes = Vec::new();
    for committee in &committees {
        minutes.extend(app::minutes::reported_to(&state.db, *committee, 50).await?);
    }
    render(&InboxPage {
        minutes,
        page: auth.page("Kế hoạch chờ xem xét"),
        rows: app::review::inbox(&state.db, &committees).await?,
        reviews_anything: !committees.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "review/review.html")]
struct ReviewPage {
    page: Page,
    plan: Plan,
    cell: Org,
    revision: Option<Revision>,
    parts: Vec<Part>,
    changes: Option<Vec<PartChange>>,
    comments: Vec<Comment>,
    errors: FieldErrors,
    part: String,
    body: String,
    accept_comment: String,
    return_comment: String,
    /// Why this reviewer may not decide on the plan (they had a hand in it), if so.
    involved: Option<&'static str>,
}

/// The error key of the accept form's comment (the return form's is `comment`).
const ACCEPT_COMMENT: &str = "accept_comment";

impl ReviewPage {
    fn comments_on(&self, key: &str) -> Vec<&Comment> {
        self.comments.iter().filter(|c| c.part == key).collect()
    }

    fn is_submitted(&self) -> bool {
        self.plan.status == PlanStatus::Submitted
    }
}

async fn review_page(
    state: &AppState,
    auth: &Auth,
    id: PlanId,
    errors: FieldErrors,
    fields: Option<&Fields>,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable_plan(state, auth, id).await?;
    let revisions = app::review::latest_revisions(&state.db, id, 2).await?;
    let latest = revisions.first().cloned();
    let changes = match (revisions.first(), revisions.get(1)) {
        (Some(new), Some(old)) => Some(plan_parts::diff(&old.snapshot.plan, &new.snapshot.plan)),
        _ => None,
    };
    let parts = latest
        .as_ref()
        .map(|r| plan_parts::parts(&r.snapshot.plan))
        .unwrap_or_default();
    let get = |name: &str| fields.map(|f| f.get(name).to_owned()).unwrap_or_default();
    // The accept and the return form both name their text `comment`: it goes back to the
    // form whose message is shown.
    let (accept_comment, return_comment) = if errors.get(ACCEPT_COMMENT).is_some() {
        (get("comment"), String::new())
    } else {
        (String::new(), get("comment"))
    };
    let template = ReviewPage {
        page: plan_page(state, auth, &cell, &plan, "Xem xét kế hoạch").await?,
        comments: app::review::comments(&state.db, id).await?,
        revision: latest,
        parts,
        changes,
        part: get("part"),
        body: get("body"),
        accept_comment,
        return_comment,
        involved: app::review::involvement(state.ctx(), id, auth.actor.user.id)
            .await?
            .map(Deed::refusal),
        errors,
        plan,
        cell,
    };
    if template.errors.is_empty() {
        render(&template)
    } else {
        rejected(&template)
    }
}

pub async fn review_show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    review_page(&state, &auth, id, FieldErrors::default(), None).await
}

pub async fn comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, _) = reviewable_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let body = errors.free("body", fields.get("body"), limit::PARAGRAPH);
    if matches!(&body, Some(text) if text.is_empty()) {
        errors.add("body", "Vui lòng nhập nội dung góp ý.");
    }
    if let Some(body) = body.filter(|_| errors.is_empty()) {
        let part = fields.get("part");
        match app::review::comment(state.ctx(), auth.user_id(), &plan, part, &body).await? {
            Commented::Done => {
                auth.flash("Đã ghi góp ý.").await?;
                return Ok(Redirect::to(&format!("/plans/{id}/review#comments")).into_response());
            }
            Commented::NotUnderReview => {
                auth.flash("Chỉ góp ý được khi kế hoạch đang chờ xem xét.")
                    .await?;
                return Ok(Redirect::to(&format!("/plans/{id}/review")).into_response());
            }
            Commented::UnknownPart => {
                errors.add("part", "Vui lòng chọn phần của kế hoạch cần góp ý.")
            }
        }
    }
    review_page(&state, &auth, id, errors, Some(&fields)).await
}

pub async fn accept(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let Some(comment) = errors.free(ACCEPT_COMMENT, fields.get("comment"), limit::PARAGRAPH) else {
        return review_page(&state, &auth, id, errors, Some(&fields)).await;
    };
    decide(&state, &auth, (&plan, &cell), Decision::Accept, &comment).await
}

/// Records a reviewer's decision (accept or return); the cell's leaders are told.
async fn decide(
    state: &AppState,
    auth: &Auth,
    (plan, cell): (&Plan, &Org),
    decision: Decision,
    comment: &str,
) -> Result<Response, AppError> {
    let moved =
        app::review::decide(state.ctx(), auth.user_id(), plan, cell, decision, comment).await?;
    if let Moved::Involved(deed) = moved {
        let mut errors = FieldErrors::default();
        errors.add("decision", deed.refusal());
        return review_page(state, auth, plan.id, errors, None).await;
    }
    let done = match decision {
        Decision::Accept => "Đã duyệt kế hoạch.",
        Decision::Return => "Đã trả lại kế hoạch cho chi bộ.",
    };
    report(auth, moved, done, "").await?;
    Ok(Redirect::to("/reviews").into_response())
}

pub async fn return_plan(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan, cell) = reviewable_plan(&state, &auth, id).await?;
    let mut errors = FieldErrors::default();
    let comment = errors
        .free("comment", fields.get("comment"), limit::PARAGRAPH)
        .unwrap_or_default();
    if comment.is_empty() && errors.is_empty() {
        errors.add(
            "comment",
            "Khi trả lại, vui lòng ghi rõ yêu cầu bổ sung, sửa đổi.",
        );
    }
    if !errors.is_empty() {
        return review_page(&state, &auth, id, errors, Some(&fields)).await;
    }
    decide(&state, &auth, (&plan, &cell), Decision::Return, &comment).await
}

// ---------------------------------------------------------------- directive plans

/// A committee's staff issue its directive plan to the cells below.
pub async fn issue(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    let (_, org) = editable_plan(&state, &auth, id).await?;
    if org.is_cell() {
        return Err(AppError::NotFound);
    }
    let moved = app::review::issue(state.ctx(), auth.user_id(), id, &org).await?;
    report(
        &auth,
        moved,
        "Đã ban hành kế hoạch; các chi bộ trực thuộc đã thấy các chuyên đề được giao.",
        "Chưa ban hành được",
    )
    .await?;
    Ok(to_plan(id))
}

/// Pulls one mandated topic (`topic` field) or all of them (`all`) into the cell's plan.
pub async fn pull(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PlanId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (_, cell) = own_cell_plan(&state, &auth, id).await?;
    let message = match fields.get("topic") {
        "all" => pulled(&state, &auth, id, &cell, None).await?,
        topic => match topic.parse() {
            Ok(topic) => pulled(&state, &auth, id, &cell, Some(topic)).await?,
            // A tampered or stale button: there is no such topic to take in.
            Err(_) => "Không tìm thấy chuyên đề cấp trên giao này.".to_owned(),
        },
    };
    auth.flash(&message).await?;
    Ok(Redirect::to(&format!("/plans/{id}#topics")).into_response())
}

/// Takes the mandated topics (all, or one) into the plan; the outcome as a message.
async fn pulled(
    state: &AppState,
    auth: &Auth,
    plan: PlanId,
    cell: &Org,
    wanted: Option<TopicId>,
) -> Result<String, AppError> {
    Ok(
        match app::plans::pull_mandated(state.ctx(), auth.user_id(), plan, cell, wanted).await? {
            Pulled::Added(added) => format!("Đã đưa {added} chuyên đề cấp trên giao vào kế hoạch."),
            Pulled::Refused(refusal) => refusal_message(&refusal),
        },
    )
}

//! The forms of the minutes page: a save per part of the record, closing, reporting, grading.
//! Each reads its fields into typed values; refused input comes back as typed with the message
//! beside the field (422), a refusal of the use case above the form.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Forms, Scope, Typed, page, readable};
use crate::AppState;
use crate::app;
use crate::app::minutes::{Change, GradeStage, Outcome};
use crate::domain::attendance::{AttendanceInput, GUESTS_MAX, Guest};
use crate::domain::grading::{Scores, Sheet};
use crate::domain::minutes::{
    Messages, SPEECHES_MAX, Speech, TimesInput, VoteInput, parse_agenda, parse_conclusion,
    parse_name, parse_speeches,
};
use crate::domain::session::SessionId;
use crate::domain::text::{canonical, limit, within};
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::{FieldErrors, rejected};

fn version(fields: &Fields) -> i64 {
    fields.get("version").parse().unwrap_or(-1)
}

pub(super) fn after(id: SessionId, anchor: &str) -> Response {
    Redirect::to(&format!("/sessions/{id}/minutes#{anchor}")).into_response()
}

/// The message above the forms when a use case did nothing.
pub(super) fn refusal(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done => String::new(),
        Outcome::Stale { by, at } => format!(
            "Trong lúc đồng chí ghi, biên bản đã được {} lưu lúc {}. Nội dung đồng chí vừa nhập \
             vẫn còn trong biểu mẫu; hãy đối chiếu với biên bản đang lưu rồi bấm Lưu lần nữa.",
            by.as_deref().unwrap_or("người khác"),
            at.with_timezone(&chrono::Local).format("%H:%M %d/%m/%Y")
        ),
        Outcome::Frozen => "Biên bản đã khóa, không sửa được nữa; việc đính chính cần một biên \
                            bản bổ sung."
            .into(),
        Outcome::Incomplete(missing) => {
            format!("Chưa khóa được biên bản: còn thiếu {}.", missing.join(", "))
        }
        Outcome::NotReady => "Chưa làm được: biên bản cần được khóa (và báo cáo cấp ủy cấp \
                              trên, với việc xếp loại của cấp ủy) trước."
            .into(),
        Outcome::AlreadyReported => "Biên bản đã được báo cáo cấp ủy cấp trên.".into(),
        Outcome::NoFinalPaper => "Chưa báo cáo được: báo cáo gửi kèm chuyên đề hoàn chỉnh. Người \
                                  trình bày đưa bản hoàn chỉnh lên trang dự thảo của chuyên đề và \
                                  chi ủy gửi bản đó đến đảng viên trước."
            .into(),
    }
}

/// Puts a part's messages beside their fields.
pub(super) fn messages(errors: &mut FieldErrors, messages: Messages) {
    for (field, message) in messages {
        errors.add(field, message);
    }
}

/// Reads the part `part` of the form into its change, keeping what was typed in `typed`.
fn read_part(
    part: &str,
    fields: &Fields,
    scope: &Scope,
    typed: &mut Typed,
) -> Result<Option<Result<Change, Messages>>, AppError> {
    Ok(Some(match part {
        "attendance" => {
            let listed = scope
                .minutes
                .attendance
                .clone()
                .with_members(&scope.members)
                .attendees;
            let input = AttendanceInput {
                rows: listed
                    .iter()
                    .map(|a| {
                        (
                            a.member,
                            fields.get(&format!("presence_{}", a.member)).to_owned(),
                            fields.get(&format!("reason_{}", a.member)).to_owned(),
                        )
                    })
                    .collect(),
                guests: (0..GUESTS_MAX)
                    .map(|i| Guest {
                        name: fields.get(&format!("guest_name_{i}")).to_owned(),
                        title: fields.get(&format!("guest_title_{i}")).to_owned(),
                        unit: fields.get(&format!("guest_unit_{i}")).to_owned(),
                    })
                    .collect::<Vec<_>>(),
            };
            let parsed = input.parse(&listed).map(Change::Attendance);
            let mut kept = input;
            // Keep the typed guests, without the trailing blank rows (the form adds its own).
            while kept.guests.last().is_some_and(|g| *g == Guest::default()) {
                kept.guests.pop();
            }
            typed.attendance = kept;
            parsed
        }
        "times" => {
            let input = TimesInput {
                started: fields.get("started").to_owned(),
                ended: fields.get("ended").to_owned(),
            };
            let parsed = input.parse().map(|(s, e)| Change::Times(s, e));
            typed.times = input;
            parsed
        }
        "people" => {
            typed.chair = fields.get("chair").to_owned();
            typed.minute_taker = fields.get("minute_taker").to_owned();
            typed.presenter = fields.get("presenter").to_owned();
            let mut errors = Messages::new();
            let mut name = |field: &str, input: &str| {
                parse_name(field, input)
                    .map_err(|m| errors.extend(m))
                    .unwrap_or_default()
            };
            let change = Change::People {
                chair: name("chair", &typed.chair),
                minute_taker: name("minute_taker", &typed.minute_taker),
                presenter: name("presenter", &typed.presenter),
            };
            if errors.is_empty() {
                Ok(change)
            } else {
                Err(errors)
            }
        }
        "agenda" => {
            typed.agenda = fields.get("agenda").to_owned();
            parse_agenda(&typed.agenda).map(Change::Agenda)
        }
        "speeches" => {
            let rows: Vec<Speech> = (0..SPEECHES_MAX)
                .map(|i| Speech {
                    speaker: fields.get(&format!("speaker_{i}")).to_owned(),
                    summary: fields.get(&format!("summary_{i}")).to_owned(),
                })
                .collect();
            let parsed = parse_speeches(&rows).map(Change::Speeches);
            let mut kept = rows;
            while kept.last().is_some_and(|s| *s == Speech::default()) {
                kept.pop();
            }
            kept.extend((0..crate::domain::minutes::BLANK_SPEECH_ROWS).map(|_| Speech::default()));
            typed.speeches = kept;
            parsed
        }
        "conclusion" => {
            typed.conclusion = fields.get("conclusion").to_owned();
            parse_conclusion(&typed.conclusion).map(Change::Conclusion)
        }
        "vote" => {
            let input = VoteInput {
                yes: fields.get("vote_yes").to_owned(),
                no: fields.get("vote_no").to_owned(),
                abstain: fields.get("vote_abstain").to_owned(),
            };
            let present = scope.minutes.attendance.total().present;
            let parsed = input.parse(present).map(Change::Vote);
            typed.vote = input;
            parsed
        }
        _ => return Ok(None),
    }))
}

/// Saves one part of the record (`attendance`, `times`, `people`, `agenda`, `speeches`,
/// `conclusion`, `vote`) as drawn at the form's version.
pub async fn save_part(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, part)): Path<(SessionId, String)>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_record)?;
    let mut typed = Typed::of(&scope);
    let Some(change) = read_part(&part, &fields, &scope, &mut typed)? else {
        return Err(AppError::NotFound);
    };
    let mut forms = Forms::fresh();
    match change {
        Ok(change) => {
            let outcome = app::minutes::save(
                state.ctx(),
                auth.user_id(),
                scope.target(),
                version(&fields),
                change,
            )
            .await?;
            if outcome == Outcome::Done {
                auth.flash("Đã lưu biên bản.").await?;
                return Ok(after(id, &part));
            }
            forms.refused = Some(refusal(&outcome));
        }
        Err(found) => messages(&mut forms.errors, found),
    }
    forms.typed = Some(typed);
    rejected(&page(&state, &auth, scope, forms).await?)
}

/// The secretary closes the minutes: numbered, frozen; the session step done.
pub async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_manage)?;
    let today = chrono::Local::now().date_naive();
    let outcome = app::minutes::close(
        state.ctx(),
        auth.user_id(),
        scope.target(),
        version(&fields),
        today,
    )
    .await?;
    let done = "Đã khóa biên bản; bước tổ chức sinh hoạt chuyên đề đã xong.";
    finish(&state, &auth, scope, &outcome, done, "close").await
}

/// After a step without input: back to the page with `done` as its notice, or the page again
/// with the reason the step was not taken.
async fn finish(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    outcome: &Outcome,
    done: &str,
    anchor: &str,
) -> Result<Response, AppError> {
    if *outcome == Outcome::Done {
        auth.flash(done).await?;
        return Ok(after(scope.session.id, anchor));
    }
    let forms = Forms {
        refused: Some(refusal(outcome)),
        ..Forms::fresh()
    };
    rejected(&page(state, auth, scope, forms).await?)
}

/// The secretary sends the closed minutes to the higher committee.
pub async fn report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_manage)?;
    let outcome = app::minutes::report(state.ctx(), auth.user_id(), scope.target()).await?;
    let done = "Đã báo cáo biên bản lên cấp ủy cấp trên.";
    finish(&state, &auth, scope, &outcome, done, "report").await
}

/// The points typed on a grade form, under `prefix{i}`.
fn points(fields: &Fields, prefix: &str, sheet: &Sheet) -> Vec<String> {
    (0..sheet.item_count())
        .map(|i| fields.get(&format!("{prefix}{i}")).to_owned())
        .collect()
}

/// A note or reason of at most a line's length.
fn note(field: &str, input: &str, errors: &mut Messages) -> String {
    match within(input, limit::TITLE) {
        Ok(()) => canonical(input),
        Err(too_long) => {
            errors.push((field.to_owned(), too_long.to_string()));
            String::new()
        }
    }
}

/// The secretary (or deputy) proposes the grade of the session.
pub async fn propose_grade(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_manage)?;
    let mut typed = Typed::of(&scope);
    typed.points = points(&fields, "point_", &scope.sheet);
    typed.note = fields.get("note").to_owned();
    let mut errors = Messages::new();
    let note = note("note", &typed.note, &mut errors);
    let scores = Scores::parse(&typed.points, &scope.sheet).map_err(|m| errors.extend(m));
    grade(
        &state,
        &auth,
        scope,
        typed,
        errors,
        scores,
        &note,
        GradeStage::Proposed,
    )
    .await
}

/// A reviewer of the committee above confirms the proposed grade or changes it, with a reason.
pub async fn decide_grade(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<SessionId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let scope = readable(&state, &auth, id).await?;
    auth.require(scope.can_decide)?;
    let mut typed = Typed::of(&scope);
    typed.decided_points = points(&fields, "decided_", &scope.sheet);
    typed.reason = fields.get("reason").to_owned();
    let mut errors = Messages::new();
    let reason = note("reason", &typed.reason, &mut errors);
    let scores = Scores::parse(&typed.decided_points, &scope.sheet).map_err(|m| {
        errors.extend(
            m.into_iter()
                .map(|(f, message)| (f.replacen("point_", "decided_", 1), message)),
        )
    });
    if let Ok(scores) = &scores
        && scope.proposed.as_ref().is_none_or(|p| p.scores != *scores)
        && reason.is_empty()
    {
        errors.push((
            "reason".to_owned(),
            "Vui lòng ghi lý do khi xếp loại khác với đề xuất của chi bộ.".to_owned(),
        ));
    }
    grade(
        &state,
        &auth,
        scope,
        typed,
        errors,
        scores,
        &reason,
        GradeStage::Decided,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn grade(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    typed: Typed,
    errors: Messages,
    scores: Result<Scores, ()>,
    reason: &str,
    stage: GradeStage,
) -> Result<Response, AppError> {
    let id = scope.session.id;
    let mut forms = Forms::fresh();
    match scores {
        Ok(scores) if errors.is_empty() => {
            let outcome = app::minutes::grade(
                state.ctx(),
                auth.user_id(),
                scope.target(),
                stage,
                (&scope.sheet, &scores),
                reason,
            )
            .await?;
            if outcome == Outcome::Done {
                auth.flash(&format!(
                    "Đã ghi xếp loại: {} điểm, {}.",
                    scores.total(),
                    scores.grade().label()
                ))
                .await?;
                return Ok(after(id, "grade"));
            }
            forms.refused = Some(refusal(&outcome));
        }
        _ => messages(&mut forms.errors, errors),
    }
    forms.typed = Some(typed);
    rejected(&page(state, auth, scope, forms).await?)
}

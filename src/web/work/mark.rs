//! Marking a step done (or not), from "Việc của tôi" or the plan page: by one of its
//! assignees, or by those who edit the plan.

use crate::web::routes::Routes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use super::Refused;
use crate::AppState;
use crate::app::plans;
use crate::domain::Invalid;
use crate::domain::calendar::parse_date;
use crate::domain::plan::StepId;
use crate::domain::text::limit;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
use crate::web::form::FieldErrors;
use crate::web::scope::readable_plan;

pub fn routes() -> Routes {
    Routes::new().route("/steps/{id}/mark", post(mark))
}

pub async fn mark(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<StepId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (plan_id, topic_id) = plans::step_owner(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (plan, cell) = readable_plan(&state, &auth, plan_id).await?;
    let step = plan
        .topics
        .iter()
        .filter(|t| t.id == topic_id)
        .flat_map(|t| &t.steps)
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let me = auth.actor.member_in(cell.id);
    let assigned = me.is_some_and(|m| step.assignees.iter().any(|a| a.member == m));
    auth.require(assigned || auth.actor.can_edit_plans(&cell))?;

    let from_work = fields.get("back") == "work";
    let back = if from_work {
        "/me/work".to_owned()
    } else {
        format!("/plans/{plan_id}#topic-{topic_id}")
    };
    if fields.get("done") == "no" {
        plans::mark_step(&state.db, id, None, auth.user_id()).await?;
        auth.flash(&format!("Đã bỏ đánh dấu hoàn thành “{}”.", step.label))
            .await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let today = chrono::Local::now().date_naive();
    let mut errors = FieldErrors::default();
    let typed = fields.get("done_on");
    let date = errors.text("done_on", typed, limit::SHORT, |text| {
        match parse_date(text)?.unwrap_or(today) {
            date if date <= today => Ok(date),
            _ => Err(Invalid("Ngày hoàn thành không thể ở tương lai.")),
        }
    });
    if let Some(date) = date {
        plans::mark_step(&state.db, id, Some(date), auth.user_id()).await?;
        auth.flash(&format!("Đã đánh dấu hoàn thành “{}”.", step.label))
            .await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let message = errors.get("done_on").unwrap_or_default().to_owned();
    if from_work {
        // The date was typed on "Việc của tôi": it comes back there, beside its field.
        let refused = Refused {
            step: id.get(),
            done_on: typed.to_owned(),
            message,
        };
        return super::refused(&state, &auth, refused).await;
    }
    // The plan page has no date field (it marks today): a crafted date is only reported.
    auth.flash(&format!("Chưa lưu: {message}")).await?;
    Ok(Redirect::to(&back).into_response())
}

//! Marking a step done (or not): by one of its assignees, or by those who edit the plan.

use crate::web::routes::Routes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use crate::AppState;
use crate::app::plans;
use crate::domain::calendar::parse_date;
use crate::domain::plan::StepId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path};
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

    let back = match fields.get("back") {
        "work" => "/me/work".to_owned(),
        _ => format!("/plans/{plan_id}#topic-{topic_id}"),
    };
    if fields.get("done") == "no" {
        plans::mark_step(&state.db, id, None, auth.user_id()).await?;
        auth.flash(&format!("Đã bỏ đánh dấu hoàn thành “{}”.", step.label))
            .await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let today = chrono::Local::now().date_naive();
    match parse_date(fields.get("done_on")) {
        Ok(date) if date.unwrap_or(today) <= today => {
            let date = date.unwrap_or(today);
            plans::mark_step(&state.db, id, Some(date), auth.user_id()).await?;
            auth.flash(&format!("Đã đánh dấu hoàn thành “{}”.", step.label))
                .await?;
        }
        Ok(_) => {
            auth.flash("Chưa lưu: ngày hoàn thành không thể ở tương lai.")
                .await?
        }
        Err(invalid) => auth.flash(&format!("Chưa lưu: {invalid}")).await?,
    }
    Ok(Redirect::to(&back).into_response())
}

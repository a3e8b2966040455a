//! A committee's own grading sheet for the sessions of its subtree: set, changed, or dropped
//! (its cells then use the sheet above, or the standard one). Grades given before keep the
//! sheet they were given on.

use super::{Ctx, Result};
use crate::db::grading_sheets;
use crate::domain::grading::Sheet;
use crate::domain::org::Org;
use crate::domain::user::UserId;

pub use crate::db::audit::Entry;
pub use crate::db::grading_sheets::{Stored, applying_to, history, of_committee};

/// Stores `sheet` as `committee`'s own (or drops its own, `None`), as drawn at `version` (0: it
/// had none). False when someone saved since.
pub async fn save(
    ctx: Ctx<'_>,
    by: Option<UserId>,
    committee: &Org,
    sheet: Option<&Sheet>,
    version: i64,
) -> Result<bool> {
    let summary = match sheet {
        Some(_) => format!(
            "Ban hành bảng điểm xếp loại sinh hoạt chuyên đề của {}",
            committee.name
        ),
        None => format!(
            "Bỏ bảng điểm riêng của {}, dùng bảng điểm chung",
            committee.name
        ),
    };
    let mut tx = ctx.db.begin_write().await?;
    if !grading_sheets::save(&mut tx, committee.id, sheet, version, by, &summary).await? {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

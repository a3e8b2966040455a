//! Moving a unit, with everything below it, to another parent committee.

use super::Result;
use crate::db::{Db, org_move, orgs};
use crate::domain::org::OrgId;
use crate::domain::org_move::{MoveRefusal, check, record};
use crate::domain::user::UserId;

/// What became of a move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The unit (named) is now under the committee `parent` (named), and prints `superior`
    /// as its superior body.
    Moved {
        unit: String,
        parent: String,
        superior: String,
    },
    Refused(MoveRefusal),
    /// No unit has the number given as the new parent.
    NoSuchParent,
    /// The unit itself is gone.
    Gone,
}

/// Moves `unit` and its subtree under `parent` in one transaction: paths, parent, the superior
/// body printed in its documents, and the move in the history of the unit and of both
/// committees. Plans, members and their history stay with the units (they refer to ids).
pub async fn move_unit(db: &Db, unit: OrgId, parent: OrgId, by: Option<UserId>) -> Result<Outcome> {
    let mut tx = db.begin_write().await?;
    org_move::lock(&mut tx).await?;
    let Some(unit) = orgs::get_in(&mut tx, unit).await? else {
        return Ok(Outcome::Gone);
    };
    let Some(parent) = orgs::get_in(&mut tx, parent).await? else {
        return Ok(Outcome::NoSuchParent);
    };
    if let Err(refusal) = check(&unit, &parent) {
        return Ok(Outcome::Refused(refusal));
    }
    let old_parent = match unit.parent_id {
        Some(id) => orgs::get_in(&mut tx, id).await?,
        None => None,
    };
    let lines = record(&unit, old_parent.as_ref(), &parent);
    let superior = org_move::superior_below(&mut tx, &parent, &unit).await?;
    org_move::apply(
        &mut tx,
        &unit,
        old_parent.as_ref(),
        &parent,
        &superior,
        by,
        &lines,
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Moved {
        unit: unit.name,
        parent: parent.name,
        superior,
    })
}

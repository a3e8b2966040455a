//! What a user is told: their notifications, read or not, and the address e-mail copies go to.

use super::{Ctx, Result};
use crate::db::{Tx, notifications};
use crate::domain::member::Member;
use crate::domain::notification::Notice;
use crate::domain::user::UserId;

pub use crate::db::notifications::{
    account_email, count, list, mark_all_read, mark_read, set_account_email, unread_count,
};

/// Notifies every active member of the cell who has an account, except the one acting.
pub(crate) async fn tell_members(
    tx: &mut Tx,
    ctx: Ctx<'_>,
    by: Option<UserId>,
    members: &[Member],
    notice: &Notice,
) -> Result<()> {
    let ids: Vec<_> = members.iter().map(|m| m.id).collect();
    let users: Vec<UserId> = notifications::member_users(tx, &ids)
        .await?
        .into_iter()
        .map(|(_, user)| user)
        .filter(|user| Some(*user) != by)
        .collect();
    notifications::notify_in(tx, &users, notice, ctx.mail).await?;
    Ok(())
}

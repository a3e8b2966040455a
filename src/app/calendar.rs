//! Calendar feeds: a reader's secret feed addresses, renewing one (which revokes the old), and
//! the iCalendar text behind an address.

use rand::Rng;
use rand::distributions::Alphanumeric;

use super::Result;
use crate::db::{Db, calendar_tokens, plans, sessions};
use crate::domain::calendar_feed::{FeedSession, FeedStep, feed};
use crate::domain::org::OrgId;
use crate::domain::user::UserId;

pub use crate::db::calendar_tokens::FeedToken;

/// Characters of a feed token: 64 alphanumerics, about 380 bits, unguessable.
const TOKEN_LEN: usize = 64;

/// Every feed address of the reader.
pub async fn tokens_of(db: &Db, user: UserId) -> Result<Vec<FeedToken>> {
    Ok(calendar_tokens::of_user(db, user).await?)
}

/// A new address for the reader's own feed (`cell` None) or a cell's; the old one, if any,
/// stops working at once. The caller checks the reader belongs to the cell.
pub async fn renew(db: &Db, user: UserId, cell: Option<OrgId>) -> Result<String> {
    let token: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(TOKEN_LEN)
        .map(char::from)
        .collect();
    let mut tx = db.begin_write().await?;
    calendar_tokens::replace(&mut tx, user, cell, &token).await?;
    tx.commit().await?;
    Ok(token)
}

/// The feed behind an address, or None when the address is unknown or revoked, or its reader
/// no longer belongs to the cell.
pub async fn feed_of(db: &Db, token: &str, today: chrono::NaiveDate) -> Result<Option<String>> {
    let Some(found) = calendar_tokens::find(db, token).await? else {
        return Ok(None);
    };
    let to_feed = |u: sessions::Upcoming| FeedSession {
        id: u.session.id.get(),
        date: u.session.date,
        start: u.session.start,
        duration: u.session.duration,
        venue: u.session.venue,
        topic_title: u.topic_title,
        cell_name: u.cell_name,
    };
    match found.cell_id {
        Some(cell) => {
            let all: Vec<FeedSession> = sessions::open_of_cell(db, cell)
                .await?
                .into_iter()
                .map(to_feed)
                .collect();
            let name = all
                .first()
                .map(|s| format!("Sinh hoạt chuyên đề — {}", s.cell_name))
                .unwrap_or_else(|| "Sinh hoạt chuyên đề".into());
            Ok(Some(feed(&name, &all, &[])))
        }
        None => {
            let coming: Vec<FeedSession> = sessions::upcoming_for_user(db, found.user_id, today)
                .await?
                .into_iter()
                .map(to_feed)
                .collect();
            let steps: Vec<FeedStep> = plans::work_of(db, found.user_id)
                .await?
                .into_iter()
                .filter(|row| row.done_on.is_none())
                .filter_map(|row| {
                    let due = row.due()?;
                    Some(FeedStep {
                        uid: match row.step_id {
                            Some(step) => format!("step-{step}"),
                            None => format!("present-{}", row.topic_id),
                        },
                        label: row.label,
                        due_label: due.label(),
                        deadline: due.deadline(),
                        topic_title: row.topic_title,
                        cell_name: row.cell_name,
                    })
                })
                .collect();
            Ok(Some(feed("Việc của tôi — chuyên đề", &coming, &steps)))
        }
    }
}

//! Notifications, their e-mail copies waiting in the outbox, and "coming due" reminders; who is
//! concerned by an event; and an account's e-mail address.
//!
//! A notification is written in the same transaction as its e-mail copy, so sending (later, by
//! `crate::mail`) can fail as often as it likes without losing what the user sees in the app.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::{BeginWrite, Db, Tx, audit, corrupt, on_pool, on_tx};
use crate::domain::calendar::{Due, YearMonth};
use crate::domain::member::{Email, MemberId};
use crate::domain::notification::{
    self, MAX_ATTEMPTS, Notice, NoticeKind, Notification, is_coming_due,
};
use crate::domain::org::{Org, OrgId};
use crate::domain::user::UserId;

/// The address to write to: the account's own, else that of an active member record linked to
/// the account.
const ADDRESS: &str = "SELECT COALESCE(NULLIF(TRIM(u.email), ''), \
       (SELECT m.email FROM members m WHERE m.user_id = u.id AND m.active \
          AND m.email IS NOT NULL AND TRIM(m.email) <> '' ORDER BY m.id LIMIT 1)) \
     FROM users u WHERE u.id = $1";

/// Inserts one notification for `$user` inside the open transaction `$tx` and, when `$email`,
/// queues its e-mail copy if the user has an address. Evaluates to whether the user exists.
macro_rules! insert_notice {
    ($tx:expr, $user:expr, $notice:expr, $email:expr, $now:expr) => {{
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO notifications (user_id, at, kind, message, link) \
             SELECT id, $2, $3, $4, $5 FROM users WHERE id = $1 RETURNING id",
        )
        .bind($user)
        .bind($now)
        .bind($notice.kind.as_str())
        .bind(&$notice.message)
        .bind(&$notice.link)
        .fetch_optional(&mut *$tx)
        .await?;
        if let (Some(id), true) = (id, $email) {
            let address: Option<Option<String>> = sqlx::query_scalar(ADDRESS)
                .bind($user)
                .fetch_optional(&mut *$tx)
                .await?;
            if let Some(address) = address.flatten() {
                sqlx::query(
                    "INSERT INTO email_outbox (notification_id, recipient, subject, body, \
                       attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 0, $5, $5)",
                )
                .bind(id)
                .bind(address.trim())
                .bind($notice.subject())
                .bind($notice.email_body())
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            }
        }
        id.is_some()
    }};
}

/// Notifies each of `users` (once each, however often listed; unknown ids are skipped), in one
/// transaction. With `email`, also queues an e-mail to each of them who has an address: pass
/// `state.settings.mail.is_some()`, so that nothing piles up while e-mail is off.
pub async fn notify(db: &Db, users: &[UserId], notice: &Notice, email: bool) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    notify_in(&mut tx, users, notice, email).await?;
    tx.commit().await
}

/// [`notify`] inside the caller's transaction, so the notices commit with what they announce.
pub async fn notify_in(
    tx: &mut Tx,
    users: &[UserId],
    notice: &Notice,
    email: bool,
) -> sqlx::Result<()> {
    let mut users = users.to_vec();
    users.sort_unstable();
    users.dedup();
    let now = Utc::now();
    on_tx!(tx, conn => async {
        for user in &users {
            let _exists = insert_notice!(conn, *user, notice, email, now);
        }
        Ok(())
    }.await)
}

// Who is concerned.

/// The accounts reviewing for `committee` (to tell them a plan was submitted).
pub async fn reviewers_of(db: &Db, committee: OrgId) -> sqlx::Result<Vec<UserId>> {
    on_pool!(db, pool => sqlx::query_scalar(
        "SELECT user_id FROM reviewers WHERE committee_id = $1 ORDER BY user_id",
    )
    .bind(committee)
    .fetch_all(pool)
    .await)
}

const LEADERS: &str = "m.active AND m.user_id IS NOT NULL \
                       AND m.role IN ('secretary', 'deputy_secretary')";

/// The accounts of the active secretary and deputy of `cell`.
pub async fn cell_leaders(db: &Db, cell: OrgId) -> sqlx::Result<Vec<UserId>> {
    let sql = format!(
        "SELECT DISTINCT m.user_id FROM members m WHERE m.cell_id = $1 AND {LEADERS} \
         ORDER BY m.user_id"
    );
    on_pool!(db, pool => sqlx::query_scalar(&sql).bind(cell).fetch_all(pool).await)
}

/// The accounts of the active secretaries and deputies of every cell in the subtree of
/// `committee` (one range scan on the tree's paths).
pub async fn secretaries_below(db: &Db, committee: &Org) -> sqlx::Result<Vec<UserId>> {
    let (lo, hi) = committee.path.subtree_range();
    let sql = format!(
        "SELECT DISTINCT m.user_id FROM members m JOIN orgs o ON o.id = m.cell_id \
         WHERE o.path >= $1 AND o.path < $2 AND o.kind = 'cell' AND {LEADERS} \
         ORDER BY m.user_id"
    );
    on_pool!(db, pool => sqlx::query_scalar(&sql).bind(&lo).bind(&hi).fetch_all(pool).await)
}

/// The accounts linked to `members` still in their cells, as (member, account) pairs, read
/// inside the caller's transaction.
pub async fn member_users(
    tx: &mut Tx,
    members: &[MemberId],
) -> sqlx::Result<Vec<(MemberId, UserId)>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, user_id FROM members WHERE active AND user_id IS NOT NULL AND id IN ({})",
        super::placeholders(1, members.len())
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query_as(&sql);
        for member in members {
            query = query.bind(*member);
        }
        query.fetch_all(conn).await
    })
}

/// The account linked to a member still in their cell, if any.
pub async fn member_user(db: &Db, member: MemberId) -> sqlx::Result<Option<UserId>> {
    let user: Option<Option<UserId>> = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT user_id FROM members WHERE id = $1 AND active",
    )
    .bind(member)
    .fetch_optional(pool)
    .await)?;
    Ok(user.flatten())
}

// What a user sees.

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    at: DateTime<Utc>,
    kind: String,
    message: String,
    link: String,
    read_at: Option<DateTime<Utc>>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = sqlx::Error;

    fn try_from(row: NotificationRow) -> sqlx::Result<Self> {
        Ok(Notification {
            id: row.id,
            at: row.at,
            kind: NoticeKind::parse(&row.kind).ok_or_else(|| corrupt("notification kind"))?,
            message: row.message,
            link: row.link,
            read_at: row.read_at,
        })
    }
}

/// The user's notifications, newest first: `limit` of them after skipping `offset`.
pub async fn list(
    db: &Db,
    user: UserId,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Notification>> {
    let rows: Vec<NotificationRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, at, kind, message, link, read_at FROM notifications WHERE user_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(Notification::try_from).collect()
}

/// How many notifications the user has in all.
pub async fn count(db: &Db, user: UserId) -> sqlx::Result<i64> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
        .bind(user)
        .fetch_one(pool)
        .await)
}

/// How many of them are unread (the number in the navigation).
pub async fn unread_count(db: &Db, user: UserId) -> sqlx::Result<i64> {
    on_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user)
    .fetch_one(pool)
    .await)
}

/// Marks one of the user's own notifications read and returns its link; `None` when there is
/// no such notification of this user.
pub async fn mark_read(db: &Db, user: UserId, id: i64) -> sqlx::Result<Option<String>> {
    on_pool!(db, pool => sqlx::query_scalar(
        "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 \
         RETURNING link",
    )
    .bind(id)
    .bind(user)
    .bind(Utc::now())
    .fetch_optional(pool)
    .await)
}

/// Marks all the user's notifications read; returns how many were unread.
pub async fn mark_all_read(db: &Db, user: UserId) -> sqlx::Result<u64> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user)
    .bind(Utc::now())
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

// An account's e-mail address.

/// The address set on the account itself (not the member records').
pub async fn account_email(db: &Db, user: UserId) -> sqlx::Result<Option<String>> {
    let email: Option<Option<String>> = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT email FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_optional(pool)
    .await)?;
    Ok(email.flatten())
}

/// Sets (or clears) the account's address; false when there is no such account.
pub async fn set_account_email(
    db: &Db,
    user: UserId,
    email: Option<&Email>,
    by: Option<UserId>,
) -> sqlx::Result<bool> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
            .bind(email.map(Email::as_str))
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if done {
            let detail = match email {
                Some(email) => format!("Đặt địa chỉ thư điện tử {}", email.as_str()),
                None => "Xóa địa chỉ thư điện tử".to_owned(),
            };
            audit::record!(&mut *tx, by, "set_email", "user", user, detail).await?;
        }
        tx.commit().await?;
        Ok(done)
    }.await)
}

// Reminders.

#[derive(sqlx::FromRow)]
struct Candidate {
    step_id: i64,
    member_id: MemberId,
    user_id: UserId,
    label: String,
    due_on: NaiveDate,
    due_exact: bool,
    topic_title: String,
}

/// Reminds the assignees (with an account, still in their cell) of every unfinished step coming
/// due within `days` of `today` (see [`is_coming_due`]) who were not reminded of it for its
/// present due date yet, and records them as reminded for that date in the same transaction:
/// running it again, here or on another instance, reminds nobody twice of one date, and a step
/// whose date moved after its reminder is reminded again for the new date. Returns how many
/// reminders were created.
pub async fn due_soon(db: &Db, today: NaiveDate, days: u32, email: bool) -> sqlx::Result<u64> {
    // A month step's first day is stored; its month may have begun up to 30 days ago.
    let from = today - TimeDelta::days(31);
    let to = today + TimeDelta::days(i64::from(days));
    let now = Utc::now();
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let candidates: Vec<Candidate> = sqlx::query_as(
            "SELECT s.id AS step_id, m.id AS member_id, m.user_id, s.label, s.due_on, \
               s.due_exact, t.title AS topic_title \
             FROM steps s \
             JOIN step_assignees a ON a.step_id = s.id \
             JOIN members m ON m.id = a.member_id \
             JOIN topics t ON t.id = s.topic_id \
             WHERE s.done_on IS NULL AND s.due_on IS NOT NULL \
               AND s.due_on >= $1 AND s.due_on <= $2 \
               AND m.active AND m.user_id IS NOT NULL \
               AND NOT EXISTS (SELECT 1 FROM due_reminders r \
                               WHERE r.step_id = s.id AND r.member_id = m.id \
                                 AND r.due_on = s.due_on AND r.due_exact = s.due_exact) \
             ORDER BY s.due_on, s.id, m.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *tx)
        .await?;
        let mut created = 0;
        for candidate in candidates {
            let due = if candidate.due_exact {
                Due::Date(candidate.due_on)
            } else {
                Due::Month(YearMonth::of(candidate.due_on))
            };
            if !is_coming_due(due, today, days) {
                continue;
            }
            // A reminder sent for another date is replaced: the step moved since.
            let recorded = sqlx::query(
                "INSERT INTO due_reminders (step_id, member_id, due_on, due_exact) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (step_id, member_id) DO UPDATE \
                   SET due_on = excluded.due_on, due_exact = excluded.due_exact \
                 WHERE due_reminders.due_on IS NULL OR due_reminders.due_exact IS NULL \
                   OR due_reminders.due_on <> excluded.due_on \
                   OR due_reminders.due_exact <> excluded.due_exact",
            )
            .bind(candidate.step_id)
            .bind(candidate.member_id)
            .bind(candidate.due_on)
            .bind(candidate.due_exact)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if recorded == 1 {
                let notice = Notice::due_soon(&candidate.label, &candidate.topic_title, due);
                if insert_notice!(tx, candidate.user_id, notice, email, now) {
                    created += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(created)
    }.await)
}

// The e-mail outbox.

/// An e-mail to send, as claimed from the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutgoingMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// The page its notification links to (a path of this site), if it has a notification.
    pub link: Option<String>,
    /// Failed attempts so far.
    pub attempts: i32,
}

/// Claims up to `limit` unsent e-mails whose time has come and that were not given up: each is
/// put off by `lease` first, so that another worker (another instance) does not send it too,
/// and so that it is retried after the lease if this worker dies while sending.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    limit: i64,
    lease: TimeDelta,
) -> sqlx::Result<Vec<OutgoingMail>> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let due: Vec<OutgoingMail> = sqlx::query_as(
            "SELECT e.id, e.recipient, e.subject, e.body, n.link, e.attempts \
             FROM email_outbox e LEFT JOIN notifications n ON n.id = e.notification_id \
             WHERE e.sent_at IS NULL AND e.attempts < $1 AND e.next_attempt_at <= $2 \
             ORDER BY e.next_attempt_at, e.id LIMIT $3",
        )
        .bind(MAX_ATTEMPTS)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for mail in due {
            // Re-checked in the UPDATE: on PostgreSQL a concurrent claim of the same row waits
            // for ours to commit, then finds it put off and takes nothing.
            let taken = sqlx::query(
                "UPDATE email_outbox SET next_attempt_at = $1 \
                 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at <= $3",
            )
            .bind(now + lease)
            .bind(mail.id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 1 {
                claimed.push(mail);
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }.await)
}

pub async fn mark_sent(db: &Db, id: i64) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query(
        "UPDATE email_outbox SET sent_at = $1, last_error = NULL WHERE id = $2",
    )
    .bind(Utc::now())
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// Records a failed attempt of `mail` with its error and schedules the next one by
/// [`notification::retry_delay`]; `give_up` (an address that can never work) stops at once.
/// Returns when it will be tried again, `None` once given up. The notification stays.
pub async fn record_failure(
    db: &Db,
    mail: &OutgoingMail,
    error: &str,
    give_up: bool,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let now = Utc::now();
    let attempts = if give_up {
        MAX_ATTEMPTS.max(mail.attempts + 1)
    } else {
        mail.attempts + 1
    };
    let next = notification::retry_delay(attempts).map(|delay| now + delay);
    let error: String = error.chars().take(1000).collect();
    on_pool!(db, pool => sqlx::query(
        "UPDATE email_outbox SET attempts = $1, last_error = $2, next_attempt_at = $3 \
         WHERE id = $4",
    )
    .bind(attempts)
    .bind(&error)
    .bind(next.unwrap_or(now))
    .bind(mail.id)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(next)
}

/// A row of the outbox with its whole state, for inspection.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxEntry {
    pub id: i64,
    pub notification_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The newest `limit` rows of the outbox, newest first.
pub async fn outbox(db: &Db, limit: i64) -> sqlx::Result<Vec<OutboxEntry>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT id, notification_id, recipient, subject, body, attempts, next_attempt_at, \
           sent_at, last_error, created_at FROM email_outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Removes the notifications that lead to `link` and were never e-mailed: what the demo data
/// set leaves behind when it replays a story, which nobody needs told "just now".
pub async fn forget_unsent(db: &Db, link: &str) -> sqlx::Result<u64> {
    on_pool!(db, pool => sqlx::query(
        "DELETE FROM notifications WHERE link = $1 \
           AND id NOT IN (SELECT notification_id FROM email_outbox WHERE notification_id IS NOT NULL)",
    )
    .bind(link)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
}

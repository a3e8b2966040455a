//! E-mail notifications and reminders in the background.
//!
//! Handlers never send mail: [`crate::db::notifications::notify`] queues a copy of each
//! notification in the `email_outbox` table, in the same transaction as the notification. The
//! worker started by [`spawn`] sends what is due every [`POLL`]; a failure is logged, kept on the
//! row and retried later with a growing delay (1 min, 5 min, 30 min, 2 h … then given up), so a
//! mail server that is down never fails a user's action nor loses an in-app notification. A
//! second task creates the "coming due" reminders once a day, with or without e-mail.

use std::future::Future;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailSettings;
use crate::db::Db;
use crate::db::notifications::{self, OutgoingMail};
use crate::domain::notification::{PublicUrl, email_text};

/// How often the outbox is looked at.
pub const POLL: Duration = Duration::from_secs(30);
/// How often the "coming due" reminders are made.
pub const REMINDER_EVERY: Duration = Duration::from_secs(24 * 3600);
/// How far ahead a step is "coming due".
pub const REMINDER_DAYS: u32 = 7;
/// E-mails sent per pass; the rest wait for the next pass.
const BATCH: i64 = 10;
/// Longest wait for the SMTP server on one e-mail.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// A claimed e-mail is not claimed again (by this or another instance) for this long.
const LEASE: TimeDelta = TimeDelta::minutes(15);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("địa chỉ máy chủ thư (--smtp-url / CHUYENDE_SMTP_URL) không hợp lệ")]
    Url(#[source] lettre::transport::smtp::Error),
    #[error("địa chỉ người gửi (--mail-from / CHUYENDE_MAIL_FROM) không hợp lệ hoặc còn trống")]
    From(#[source] lettre::address::AddressError),
    #[error(
        "gửi thư cần địa chỉ công khai của ứng dụng (--public-url / CHUYENDE_PUBLIC_URL), \
         bắt đầu bằng https:// hoặc http://, ví dụ https://chuyende.example.vn: \
         đường dẫn trong thư phải là địa chỉ đầy đủ"
    )]
    PublicUrl,
}

/// An SMTP connection setting and the sender, checked once at start.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: PublicUrl,
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(MailError::Url)?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = settings.from.trim().parse().map_err(MailError::From)?;
        let public_url = PublicUrl::parse(&settings.public_url).ok_or(MailError::PublicUrl)?;
        Ok(Self {
            transport,
            from,
            public_url,
        })
    }

    /// The whole text of `mail` as it goes out, its link made absolute on the public address.
    pub fn text(&self, mail: &OutgoingMail) -> String {
        let url = self.public_url.link(mail.link.as_deref().unwrap_or("/"));
        email_text(&mail.body, &url)
    }

    /// Sends the e-mails that are due, once. Failures are recorded on their rows and logged;
    /// only a database error is returned.
    pub async fn send_due(&self, db: &Db) -> sqlx::Result<Pass> {
        let mut pass = Pass::default();
        for mail in notifications::claim_due(db, Utc::now(), BATCH, LEASE).await? {
            match self.send(&mail).await {
                Ok(()) => {
                    notifications::mark_sent(db, mail.id).await?;
                    pass.sent += 1;
                }
                Err(failure) => {
                    let next =
                        notifications::record_failure(db, &mail, &failure.message, failure.final_)
                            .await?;
                    pass.failed += 1;
                    match next {
                        Some(next) => tracing::warn!(
                            id = mail.id,
                            attempts = mail.attempts + 1,
                            error = %failure.message,
                            next_attempt = %next,
                            "e-mail not sent; will retry"
                        ),
                        None => tracing::warn!(
                            id = mail.id,
                            attempts = mail.attempts + 1,
                            error = %failure.message,
                            "e-mail not sent; given up (the in-app notification stays)"
                        ),
                    }
                }
            }
        }
        if pass.sent > 0 {
            tracing::info!(sent = pass.sent, "e-mail notifications sent");
        }
        Ok(pass)
    }

    async fn send(&self, mail: &OutgoingMail) -> Result<(), Failure> {
        let to: Mailbox = mail.recipient.parse().map_err(|e| Failure {
            message: format!("invalid recipient address: {e}"),
            final_: true,
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(self.text(mail))
            .map_err(|e| Failure {
                message: format!("cannot build the message: {e}"),
                final_: true,
            })?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Failure {
                message: e.to_string(),
                final_: false,
            })
    }
}

struct Failure {
    message: String,
    /// Retrying cannot help (a malformed address).
    final_: bool,
}

/// Makes today's "coming due" reminders ([`REMINDER_DAYS`] ahead); `email` queues their copies.
pub async fn remind(db: &Db, email: bool) -> sqlx::Result<u64> {
    let today = chrono::Local::now().date_naive();
    notifications::due_soon(db, today, REMINDER_DAYS, email).await
}

/// Starts the background tasks: the daily reminders always, the outbox worker when `mail` is
/// configured. Fails (before starting anything) only on invalid mail settings.
pub fn spawn(db: Db, mail: Option<MailSettings>) -> Result<(), MailError> {
    let mailer = mail.as_ref().map(Mailer::new).transpose()?;
    let email = mailer.is_some();
    let reminders_db = db.clone();
    every(REMINDER_EVERY, "reminders", move || {
        let db = reminders_db.clone();
        async move {
            match remind(&db, email).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "coming-due reminders created"),
                Err(error) => tracing::warn!(%error, "coming-due reminders failed; next run later"),
            }
        }
    });
    match (mailer, mail) {
        (Some(mailer), Some(settings)) => {
            tracing::info!(
                smtp = %settings.redacted_url(),
                from = %settings.from,
                public_url = %settings.public_url,
                "e-mail notifications on"
            );
            every(POLL, "e-mail outbox", move || {
                let (db, mailer) = (db.clone(), mailer.clone());
                async move {
                    if let Err(error) = mailer.send_due(&db).await {
                        tracing::warn!(%error, "e-mail outbox unavailable; next pass later");
                    }
                }
            });
        }
        _ => tracing::info!("e-mail notifications off (no --smtp-url)"),
    }
    Ok(())
}

/// Runs `job` now and then every `period`, each run in its own task so that even a panic in
/// one run only ends that run.
fn every<F, Fut>(period: Duration, name: &'static str, job: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = tokio::spawn(job()).await {
                tracing::warn!(task = name, %error, "background task failed; next run later");
            }
        }
    });
}

//! The command line and its CHUYENDE_* environment variables, with defaults that just work.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/chuyende.db";

#[derive(Debug, Parser)]
#[command(
    name = "chuyende",
    version,
    about = "Kế hoạch sinh hoạt chuyên đề của chi bộ: lập, theo dõi, báo cáo.",
    long_about = "Kế hoạch sinh hoạt chuyên đề của chi bộ: lập, theo dõi, báo cáo.\n\n\
                  Chạy không có lệnh con thì tương đương `chuyende serve`."
)]
pub struct Cli {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    #[arg(long, env = "CHUYENDE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Log filter (tracing's EnvFilter syntax), e.g. info or chuyende=debug.
    #[arg(long, env = "CHUYENDE_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format.
    #[arg(long, env = "CHUYENDE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Server options when no subcommand is given (same as `chuyende serve`).
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage login accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the demo data set (idempotent) and print its accounts.
    Demo,
    /// Write a consistent copy of the SQLite database to FILE while the server runs (on
    /// PostgreSQL: print the pg_dump command to use instead).
    Backup {
        /// The copy to write; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Put a backup FILE back as the database, into an empty place only (stop the server and
    /// move the old files aside first), then migrate it (on PostgreSQL: print the pg_restore
    /// command to use instead).
    Restore {
        /// A file written by `chuyende backup`.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "CHUYENDE_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Mark session cookies Secure: set this when users reach the server over HTTPS.
    #[arg(long, env = "CHUYENDE_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Take the client address from the last X-Forwarded-For entry (behind a reverse proxy).
    #[arg(long, env = "CHUYENDE_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "CHUYENDE_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: u64,

    /// Hours after login after which a session ends, however active.
    #[arg(long, env = "CHUYENDE_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,

    /// PDFs typeset at once; further requests wait their turn. Default: the number of CPUs.
    #[arg(long, env = "CHUYENDE_PDF_RENDERS")]
    pub pdf_renders: Option<usize>,

    /// Seconds a PDF request may take, waiting included, before it is answered "try later".
    #[arg(long, env = "CHUYENDE_PDF_SECONDS", default_value_t = 20)]
    pub pdf_seconds: u64,

    /// SMTP server for e-mail notifications: smtps://user:pass@host[:465], or
    /// smtp://user:pass@host:587?tls=required for STARTTLS. E-mail is off when absent.
    #[arg(
        long,
        env = "CHUYENDE_SMTP_URL",
        hide_env_values = true,
        requires = "mail_from"
    )]
    pub smtp_url: Option<String>,

    /// Sender of e-mail notifications, e.g. "Sinh hoạt chuyên đề <noreply@example.vn>".
    #[arg(long, env = "CHUYENDE_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// The address people reach the app at, e.g. https://chuyende.example.vn: links in e-mails
    /// are made absolute with it (required with --smtp-url).
    #[arg(long, env = "CHUYENDE_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:3000".parse().expect("valid default address"),
            secure_cookies: false,
            trust_proxy: false,
            session_idle_minutes: 120,
            session_max_hours: 12,
            pdf_renders: None,
            pdf_seconds: 20,
            smtp_url: None,
            mail_from: None,
            public_url: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input (prompted on a terminal).
    Create {
        #[arg(long)]
        login: String,
        /// Full name, as shown in pages.
        #[arg(long)]
        name: String,
        /// Make the account a system administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Set an account's password, read from standard input (prompted on a terminal).
    SetPassword {
        #[arg(long)]
        login: String,
    },
}

/// What the web application needs to know about its deployment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub session_idle: Duration,
    pub session_max: Duration,
    pub throttle: Throttle,
    /// PDFs typeset at once (at least one).
    pub pdf_renders: usize,
    /// How long a PDF request may take, waiting for its turn included.
    pub pdf_budget: Duration,
    /// E-mail notifications; `None` (the default) when no SMTP server is configured.
    pub mail: Option<MailSettings>,
}

/// Where e-mail notifications go out: the SMTP server's URL (credentials included) and the
/// sender. `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub smtp_url: String,
    pub from: String,
    /// `--public-url`, as given (checked by `crate::mail::Mailer::new`); empty when absent.
    pub public_url: String,
}

impl MailSettings {
    /// The URL without its credentials, for logs.
    pub fn redacted_url(&self) -> String {
        match self.smtp_url.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://***@{host}"),
                None => self.smtp_url.clone(),
            },
            None => "***".to_owned(),
        }
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &self.redacted_url())
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// Limits on failed password checks within a sliding window. An account is locked after
/// `per_login` failures; an address is only slowed down after `per_address` (behind a proxy
/// without `--trust-proxy`, every user shares one address, and a lock would shut out everyone).
#[derive(Debug, Clone)]
pub struct Throttle {
    pub window: Duration,
    pub per_login: i64,
    pub per_address: i64,
    /// The wait of the first attempt past `per_address`; each further one waits twice as long…
    pub address_delay: Duration,
    /// … up to this.
    pub max_address_delay: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_login: 5,
            per_address: 30,
            address_delay: Duration::from_millis(250),
            max_address_delay: Duration::from_secs(4),
        }
    }
}

impl Throttle {
    /// How long an attempt waits before its password is checked, given the attempts from its
    /// address in the window (itself included): none up to `per_address`, then growing.
    pub fn address_delay(&self, attempts: i64) -> Option<Duration> {
        let over = attempts.saturating_sub(self.per_address);
        if over <= 0 {
            return None;
        }
        let doublings = u32::try_from(over - 1).unwrap_or(u32::MAX).min(20);
        Some(
            self.address_delay
                .saturating_mul(1 << doublings)
                .min(self.max_address_delay),
        )
    }
}

impl From<&ServeArgs> for Settings {
    fn from(args: &ServeArgs) -> Self {
        Self {
            secure_cookies: args.secure_cookies,
            trust_proxy: args.trust_proxy,
            session_idle: Duration::from_secs(args.session_idle_minutes * 60),
            session_max: Duration::from_secs(args.session_max_hours * 3600),
            throttle: Throttle::default(),
            pdf_renders: args.pdf_renders.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            }),
            pdf_budget: Duration::from_secs(args.pdf_seconds),
            mail: args
                .smtp_url
                .as_ref()
                .filter(|url| !url.trim().is_empty())
                .map(|url| MailSettings {
                    smtp_url: url.trim().to_owned(),
                    from: args.mail_from.clone().unwrap_or_default(),
                    public_url: args.public_url.clone().unwrap_or_default(),
                }),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::from(&ServeArgs::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_past_its_limit_waits_longer_each_time_up_to_a_bound() {
        let throttle = Throttle::default();
        assert_eq!(throttle.address_delay(0), None);
        assert_eq!(throttle.address_delay(30), None);
        let ms = |n: u64| Some(Duration::from_millis(n));
        assert_eq!(throttle.address_delay(31), ms(250));
        assert_eq!(throttle.address_delay(32), ms(500));
        assert_eq!(throttle.address_delay(33), ms(1000));
        assert_eq!(throttle.address_delay(35), ms(4000));
        assert_eq!(throttle.address_delay(36), ms(4000));
        assert_eq!(throttle.address_delay(i64::MAX), ms(4000));
    }
}

//! Storage on SQLite (embedded default) or PostgreSQL, chosen by the URL's scheme.
//!
//! Queries are written once with `$n` placeholders, which both backends accept, and run on
//! whichever pool is open through [`on_pool!`]; functions take and return domain types.

pub mod audit;
pub mod backdate;
pub mod backup;
pub mod calendar_tokens;
pub mod corrections;
pub mod dashboard;
pub mod fault;
pub mod grading_sheets;
mod json;
pub mod login_failures;
pub mod members;
pub mod minutes;
pub mod model_delegates;
pub mod model_sessions;
pub mod notifications;
pub mod org_move;
pub mod orgs;
pub mod papers;
pub mod plans;
pub mod review;
pub mod search_keys;
pub mod sessions;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to whichever pool `$db` holds. The body is compiled once
/// per backend, so the same query text serves both.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A transaction for read-then-write work. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`) so that concurrent requests queue on the busy timeout instead of
/// failing with "database is locked" when a reader upgrades to a writer.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, Self::Database>>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        self.begin().await
    }
}

/// An open transaction on either backend: what a use case (`crate::app`) runs its steps in, so
/// that a workflow of several writes (a save and the notifications it causes, say) lands whole
/// or not at all. Dropped without [`Tx::commit`], it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$conn` bound to the connection of whichever transaction `$tx` (a
/// `&mut Tx`) holds; like [`on_pool!`], one query text serves both backends.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Tx {
    /// Commits. SQLite answers a COMMIT whole or not at all; on PostgreSQL a connection that
    /// breaks after the COMMIT was sent leaves it unknown whether it took effect: that error is
    /// a [`fault::CommitUnknown`], so nobody is told "not saved" about a save that was.
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await.map_err(|error| match error {
                sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => {
                    sqlx::Error::Io(std::io::Error::other(fault::CommitUnknown(error)))
                }
                error => error,
            }),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL (expected sqlite://… or postgres://…): {0}")]
    Scheme(String),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens the database named by `url`, creating an SQLite file and its folder if needed.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(15));
            if let Some(folder) = options.get_filename().parent()
                && !folder.as_os_str().is_empty()
            {
                std::fs::create_dir_all(folder)
                    .map_err(|e| ConnectError::Folder(folder.display().to_string(), e))?;
            }
            if let Some(advice) = fault::stuck_sqlite_files(options.get_filename(), fault::writable)
            {
                tracing::error!("{advice}");
            }
            // No ping before each acquire: a connection to a local file does not go stale, and
            // sqlx runs each SQLite connection on a thread of its own, so the ping was one more
            // hand-off between threads for every statement a page runs.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(ConnectError::Scheme(url.to_owned()))
        }
    }

    /// Applies the migrations of this backend's folder. A database that cannot be written (a
    /// read-only file, a read-only PostgreSQL database) but has every migration applied already
    /// is served as it is, read-only, rather than refused.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        let migrator = match self {
            Db::Sqlite(_) => sqlx::migrate!("migrations/sqlite"),
            Db::Postgres(_) => sqlx::migrate!("migrations/postgres"),
        };
        let result = match self {
            Db::Sqlite(pool) => migrator.run(pool).await,
            Db::Postgres(pool) => migrator.run(pool).await,
        };
        let Err(error) = result else {
            // Names stored before their search keys existed get them now (they need writing).
            search_keys::fill(self).await?;
            return Ok(());
        };
        let applied: Vec<(i64, Vec<u8>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT version, checksum FROM _sqlx_migrations WHERE success"
        )
        .fetch_all(pool)
        .await)
        .unwrap_or_default();
        let all_applied = migrator.iter().all(|m| {
            applied
                .iter()
                .any(|(version, checksum)| *version == m.version && **checksum == *m.checksum)
        });
        if all_applied {
            tracing::warn!(
                error = %error,
                "the migrations could not run (is the database read-only?), but every one is \
                 applied already: serving the database as it is"
            );
            return Ok(());
        }
        Err(error.into())
    }

    /// A transaction for read-then-write work (see [`BeginWrite`]).
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write().await?),
        })
    }

    /// A read-only transaction that sees one snapshot, so an aggregate read in several
    /// statements never mixes data from before and after a concurrent save. SQLite (WAL) fixes
    /// the snapshot at the first read of a deferred transaction; PostgreSQL needs REPEATABLE READ.
    pub async fn begin_read(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Ids are stored as BIGINT / INTEGER: each id newtype encodes and decodes as its `i64`.
macro_rules! stored_as_i64 {
    ($($id:ty),*) => {$(
        impl<DB: sqlx::Database> sqlx::Type<DB> for $id
        where
            i64: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <i64 as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <i64 as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $id
        where
            i64: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<'q, DB>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $id
        where
            i64: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self(<i64 as sqlx::Decode<'r, DB>>::decode(value)?))
            }
        }
    )*};
}

stored_as_i64!(
    crate::domain::plan::PlanId,
    crate::domain::plan::TopicId,
    crate::domain::plan::StepId,
    crate::domain::org::OrgId,
    crate::domain::member::MemberId,
    crate::domain::user::UserId,
    crate::domain::session::SessionId,
    crate::domain::minutes::MinutesId,
    crate::domain::paper::PaperId,
    crate::domain::paper::CommentId,
    crate::domain::correction::CorrectionId,
    crate::domain::model_session::ModelPlanId,
    crate::domain::model_session::ModelSessionId,
    crate::domain::model_delegates::DelegateId,
    crate::db::review::RevisionId
);

/// True when the error is a UNIQUE constraint violation (a duplicate login, say).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// A stored value that no longer parses as its domain type: a bug or a hand-edited row.
fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored value is not a valid {what}").into())
}

/// A document number from its stored columns (all three, or none).
fn doc_number(
    serial: Option<i32>,
    kind: Option<String>,
    issuer: Option<String>,
) -> sqlx::Result<Option<crate::domain::plan::DocNumber>> {
    Ok(match (serial, kind, issuer) {
        (Some(serial), Some(kind), Some(issuer)) => Some(crate::domain::plan::DocNumber {
            serial: u32::try_from(serial).map_err(|_| corrupt("document number"))?,
            kind,
            issuer,
        }),
        _ => None,
    })
}

/// `$from, $from+1, …` placeholders for an `IN (…)` list of `count` values.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

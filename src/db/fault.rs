//! When the storage itself fails: which of its faults an error is, whether the database takes
//! writes right now, and what the requests have seen of it lately.
//!
//! A fault of the storage (a read-only file or database, a full disk, a database that does not
//! answer) is not a bug: pages say what happened in words, forms keep what was typed, and
//! `/healthz` reports it. Everything else stays an internal error.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::Db;

/// A fault of the storage, as a person or a monitor is told of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The database takes reads but refuses writes (a read-only file, volume or database, a
    /// PostgreSQL standby or `default_transaction_read_only`).
    ReadOnly,
    /// The disk (or the database's size limit) is full.
    Full,
    /// The database does not answer (server down, file or volume gone, no free connection).
    Unavailable,
    /// The connection broke while a transaction was committing: it may have been saved.
    CommitUnknown,
}

impl Fault {
    /// What `/healthz` answers (a monitor alerts on the 503 and may read this).
    pub fn health(self) -> &'static str {
        match self {
            Fault::ReadOnly => "database read-only: not writable",
            Fault::Full => "database full: not writable",
            Fault::Unavailable | Fault::CommitUnknown => "database unavailable",
        }
    }
}

/// The connection broke after the COMMIT was sent: nobody knows whether it took effect.
#[derive(Debug, thiserror::Error)]
#[error("the connection failed while committing; the transaction may have been saved: {0}")]
pub struct CommitUnknown(pub sqlx::Error);

/// The storage fault `error` is, if it is one.
pub fn of_sqlx(error: &sqlx::Error) -> Option<Fault> {
    match error {
        sqlx::Error::Io(io) if io.get_ref().is_some_and(|e| e.is::<CommitUnknown>()) => {
            Some(Fault::CommitUnknown)
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(Fault::Unavailable),
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                of_sqlite_code(code.parse().unwrap_or_default())
            } else {
                of_sqlstate(&code)
            }
        }
        _ => None,
    }
}

/// The storage fault one error of a chain is, if it is one: sqlx's error, or what a transparent
/// wrapper of it shows of it (its source: the database's own error).
pub fn of_source(error: &(dyn std::error::Error + 'static)) -> Option<Fault> {
    if let Some(error) = error.downcast_ref::<sqlx::Error>() {
        of_sqlx(error)
    } else if let Some(error) = error.downcast_ref::<sqlx::sqlite::SqliteError>() {
        use sqlx::error::DatabaseError;
        of_sqlite_code(
            error
                .code()
                .and_then(|c| c.parse().ok())
                .unwrap_or_default(),
        )
    } else if let Some(error) = error.downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        of_sqlstate(error.code())
    } else if error.is::<CommitUnknown>() {
        Some(Fault::CommitUnknown)
    } else {
        None
    }
}

/// SQLite's (extended) result codes that are storage faults: the primary code is the low byte.
fn of_sqlite_code(extended: i32) -> Option<Fault> {
    match extended & 0xff {
        8 => Some(Fault::ReadOnly), // SQLITE_READONLY and its extended codes
        13 => Some(Fault::Full),    // SQLITE_FULL
        10 | 14 => Some(Fault::Unavailable), // SQLITE_IOERR, SQLITE_CANTOPEN
        _ => None,
    }
}

/// PostgreSQL's SQLSTATEs that are storage faults.
fn of_sqlstate(code: &str) -> Option<Fault> {
    match code {
        "25006" => Some(Fault::ReadOnly), // read_only_sql_transaction
        "53100" => Some(Fault::Full),     // disk_full
        "57P01" | "57P02" | "57P03" | "53300" => Some(Fault::Unavailable),
        _ if code.starts_with("08") => Some(Fault::Unavailable), // connection exceptions
        _ => None,
    }
}

/// The storage fault named in an error that reached us only as text (the session store turns
/// sqlx's errors into strings).
pub fn of_message(message: &str) -> Option<Fault> {
    let message = message.to_lowercase();
    if message.contains("readonly database") || message.contains("read-only transaction") {
        Some(Fault::ReadOnly)
    } else if message.contains("disk is full") || message.contains("no space left") {
        Some(Fault::Full)
    } else if message.contains("pool timed out")
        || message.contains("error communicating with database")
        || message.contains("unable to open database file")
        || message.contains("pool was closed")
    {
        Some(Fault::Unavailable)
    } else {
        None
    }
}

/// What requests have seen of the storage lately: the fault of the last write that failed for
/// a storage reason, cleared by the next write that succeeds. A full disk shows only when a
/// write meets it, so `/healthz` reports it from here.
#[derive(Debug, Clone, Default)]
pub struct Watch(Arc<Mutex<Option<Fault>>>);

impl Watch {
    pub fn failed(&self, fault: Fault) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(fault);
    }

    pub fn succeeded(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub fn last(&self) -> Option<Fault> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Db {
    /// Whether the database takes writes now, without writing: on SQLite an update of no row
    /// under the write lock, rolled back (refused on a read-only file or connection); on
    /// PostgreSQL a new transaction says whether it is read-only. A connection found read-only
    /// is closed, and the idle ones with it: SQLite keeps a connection read-only once it opened
    /// a read-only file, and PostgreSQL keeps a session's `default_transaction_read_only`, so
    /// only new connections see the database writable again.
    pub async fn probe_write(&self) -> Result<(), Fault> {
        let fault = |e: sqlx::Error| of_sqlx(&e).unwrap_or(Fault::Unavailable);
        match self {
            Db::Sqlite(pool) => {
                // BEGIN IMMEDIATE alone passes on a read-only file (SQLite skips it); a write
                // statement that changes no row is refused there, and writes nothing here.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(fault)?;
                let written = sqlx::query("UPDATE sessions SET id = id WHERE 0 = 1")
                    .execute(&mut *tx)
                    .await;
                let _ = tx.rollback().await;
                if let Err(error) = written {
                    let found = fault(error);
                    if found == Fault::ReadOnly {
                        self.reopen_idle().await;
                    }
                    return Err(found);
                }
                Ok(())
            }
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await.map_err(fault)?;
                let read_only: String =
                    sqlx::query_scalar("SELECT current_setting('transaction_read_only')")
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(fault)?;
                if read_only == "on" {
                    let _ = conn.close().await;
                    self.reopen_idle().await;
                    return Err(Fault::ReadOnly);
                }
                Ok(())
            }
        }
    }

    /// Closes the pool's idle connections, so that the next requests open new ones (after a
    /// read-only period, see [`Db::probe_write`]).
    pub async fn reopen_idle(&self) {
        super::on_pool!(self, pool => {
            while let Some(conn) = pool.try_acquire() {
                let _ = conn.close().await;
            }
        })
    }
}

/// Whether this process may write the file (opening it for writing changes nothing).
pub fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// What to do when the SQLite database can be written but its `-wal` or `-shm` file cannot
/// (left so by a read-only period, or created by another user): SQLite then refuses every
/// write, or every read, until the file is fixed by hand.
pub fn stuck_sqlite_files(database: &Path, writable: impl Fn(&Path) -> bool) -> Option<String> {
    if !database.exists() || !writable(database) {
        return None;
    }
    let stuck: Vec<String> = ["-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            std::path::PathBuf::from(name)
        })
        .filter(|file| file.exists() && !writable(file))
        .map(|file| file.display().to_string())
        .collect();
    if stuck.is_empty() {
        return None;
    }
    Some(format!(
        "the SQLite database {} is writable but {} is not: writes (and possibly reads) will \
         fail. Give the account that runs chuyende write permission on it (chown/chmod, the \
         same owner as the database), or stop every process using the database and delete \
         the -shm file (SQLite re-creates it; never delete a -wal file, it may hold saved \
         data), then restart",
        database.display(),
        stuck.join(" and ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_both_databases() {
        assert_eq!(of_sqlite_code(8), Some(Fault::ReadOnly));
        assert_eq!(of_sqlite_code(1032), Some(Fault::ReadOnly)); // SQLITE_READONLY_DBMOVED
        assert_eq!(of_sqlite_code(13), Some(Fault::Full));
        assert_eq!(of_sqlite_code(14), Some(Fault::Unavailable));
        assert_eq!(of_sqlite_code(19), None); // a constraint: the user's input, not the storage
        assert_eq!(of_sqlite_code(2067), None); // SQLITE_CONSTRAINT_UNIQUE
        assert_eq!(of_sqlstate("25006"), Some(Fault::ReadOnly));
        assert_eq!(of_sqlstate("53100"), Some(Fault::Full));
        assert_eq!(of_sqlstate("08006"), Some(Fault::Unavailable));
        assert_eq!(of_sqlstate("23505"), None);
    }

    #[test]
    fn messages_of_the_session_store() {
        assert_eq!(
            of_message(
                "error returned from database: (code: 8) attempt to write a readonly database"
            ),
            Some(Fault::ReadOnly)
        );
        assert_eq!(
            of_message(
                "error returned from database: cannot execute INSERT in a read-only transaction"
            ),
            Some(Fault::ReadOnly)
        );
        assert_eq!(
            of_message("error returned from database: (code: 13) database or disk is full"),
            Some(Fault::Full)
        );
        assert_eq!(
            of_message("pool timed out while waiting for an open connection"),
            Some(Fault::Unavailable)
        );
        assert_eq!(of_message("failed to deserialize"), None);
    }

    #[test]
    fn a_read_only_shm_beside_a_writable_database_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("app.db");
        let shm = dir.path().join("app.db-shm");
        std::fs::write(&database, b"").unwrap();
        std::fs::write(&shm, b"").unwrap();
        let all = |_: &Path| true;
        assert_eq!(stuck_sqlite_files(&database, all), None);
        let shm_read_only = |file: &Path| !file.to_string_lossy().ends_with("-shm");
        let advice = stuck_sqlite_files(&database, shm_read_only).expect("advice");
        assert!(
            advice.contains("app.db-shm") && advice.contains("delete the -shm"),
            "{advice}"
        );
        // A database that is read-only as a whole is served read-only: nothing to fix here.
        assert_eq!(stuck_sqlite_files(&database, |_: &Path| false), None);
    }

    #[test]
    fn a_broken_commit_may_have_been_saved() {
        let error = sqlx::Error::Io(std::io::Error::other(CommitUnknown(
            sqlx::Error::PoolClosed,
        )));
        assert_eq!(of_sqlx(&error), Some(Fault::CommitUnknown));
        assert_eq!(
            of_sqlx(&sqlx::Error::PoolTimedOut),
            Some(Fault::Unavailable)
        );
        assert_eq!(of_sqlx(&sqlx::Error::RowNotFound), None);
    }
}

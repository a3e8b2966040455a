//! Backups: a consistent copy of a running SQLite database (`VACUUM INTO`, which reads one
//! snapshot while the server goes on writing), and the way back into an empty place. On
//! PostgreSQL both are PostgreSQL's own tools; here they are named with the right arguments.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use super::Db;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("tệp {0} đã có; sao lưu không ghi đè, hãy chọn tên tệp khác")]
    Exists(PathBuf),
    #[error(
        "cơ sở dữ liệu là PostgreSQL: sao lưu bằng công cụ của PostgreSQL (mật khẩu lấy từ \
         PGPASSWORD hoặc ~/.pgpass):\n  {0}"
    )]
    PostgresBackup(String),
    #[error(
        "cơ sở dữ liệu là PostgreSQL: khôi phục bằng công cụ của PostgreSQL vào một cơ sở dữ \
         liệu mới, trống (mật khẩu lấy từ PGPASSWORD hoặc ~/.pgpass):\n  {0}"
    )]
    PostgresRestore(String),
    #[error(
        "đã có cơ sở dữ liệu ở {0}; khôi phục chỉ ghi vào chỗ trống: dừng máy chủ, chuyển các \
         tệp {0}, {0}-wal, {0}-shm sang chỗ khác (giữ lại phòng khi cần), rồi chạy lại lệnh"
    )]
    TargetExists(String),
    #[error("tệp {0} không phải bản sao lưu dùng được của ứng dụng ({1})")]
    NotABackup(PathBuf, String),
    #[error("địa chỉ cơ sở dữ liệu không hợp lệ: {0}")]
    Url(String),
    #[error("không ghi được {0}: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Writes a consistent copy of the database to `file`, which must not exist yet. On SQLite
/// the server may go on running and writing: the copy is one snapshot, every save committed
/// before it started is in it. On PostgreSQL it refuses, naming the `pg_dump` command to run.
pub async fn backup(db: &Db, database_url: &str, file: &Path) -> Result<(), BackupError> {
    match db {
        Db::Postgres(_) => Err(BackupError::PostgresBackup(pg_dump_command(
            database_url,
            file,
        ))),
        Db::Sqlite(pool) => {
            if file.exists() {
                return Err(BackupError::Exists(file.to_owned()));
            }
            let target = file.to_str().ok_or_else(|| {
                BackupError::Io(
                    file.display().to_string(),
                    std::io::Error::other("tên tệp không phải UTF-8"),
                )
            })?;
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(pool)
                .await?;
            Ok(())
        }
    }
}

/// Puts the backup `file` where `database_url` says the database lives, which must be empty
/// (no database file, no leftover `-wal` or `-shm`): it never overwrites a database. The
/// backup is checked first (SQLite's integrity check, and the app's migration table). The
/// caller migrates it afterwards, so an older backup is brought up to date. On PostgreSQL it
/// refuses, naming the `pg_restore` command to run.
pub async fn restore(file: &Path, database_url: &str) -> Result<(), BackupError> {
    if !database_url.starts_with("sqlite:") {
        return Err(BackupError::PostgresRestore(pg_restore_command(
            database_url,
            file,
        )));
    }
    let target = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| BackupError::Url(e.to_string()))?
        .get_filename()
        .to_owned();
    let shown = target.display().to_string();
    for suffix in ["", "-wal", "-shm"] {
        let mut path = target.clone().into_os_string();
        path.push(suffix);
        if Path::new(&path).exists() {
            return Err(BackupError::TargetExists(shown));
        }
    }
    check(file).await?;
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| BackupError::Io(shown.clone(), e))?;
    }
    // Copied beside the target, then renamed: the database appears whole or not at all.
    let mut partial = target.clone().into_os_string();
    partial.push(".restoring");
    let partial = PathBuf::from(partial);
    std::fs::copy(file, &partial).map_err(|e| BackupError::Io(shown.clone(), e))?;
    std::fs::rename(&partial, &target).map_err(|e| BackupError::Io(shown, e))?;
    Ok(())
}

/// Opens `file` read-only and checks it is a whole SQLite database of this app.
async fn check(file: &Path) -> Result<(), BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup(file.to_owned(), why);
    if !file.is_file() {
        return Err(not_a_backup("không có tệp này".into()));
    }
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
    let verdict: sqlx::Result<(String, i64)> = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await?;
        let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await?;
        Ok((integrity, migrations))
    }
    .await;
    pool.close().await;
    match verdict {
        Ok((integrity, migrations)) if integrity == "ok" && migrations > 0 => Ok(()),
        Ok((integrity, _)) if integrity != "ok" => Err(not_a_backup(integrity)),
        Ok(_) => Err(not_a_backup("chưa có bảng nào của ứng dụng".into())),
        Err(e) => Err(not_a_backup(e.to_string())),
    }
}

/// The URL without its password (the tools read it from PGPASSWORD or ~/.pgpass), quoted for
/// a POSIX shell.
fn shell_url(database_url: &str) -> String {
    let url = match database_url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((credentials, host)) if !credentials.contains('/') => {
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{host}")
            }
            _ => database_url.to_owned(),
        },
        None => database_url.to_owned(),
    };
    shell_quote(&url)
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `pg_dump` in its custom format (compressed, restored selectively by `pg_restore`).
pub fn pg_dump_command(database_url: &str, file: &Path) -> String {
    format!(
        "pg_dump --format=custom --file={} --dbname={}",
        shell_quote(&file.display().to_string()),
        shell_url(database_url)
    )
}

/// `pg_restore` of such a dump into the (new, empty) database of `database_url`.
pub fn pg_restore_command(database_url: &str, file: &Path) -> String {
    format!(
        "pg_restore --no-owner --exit-on-error --dbname={} {}",
        shell_url(database_url),
        shell_quote(&file.display().to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_commands_leave_the_password_out_and_quote_for_the_shell() {
        let url = "postgres://chuyende:bi-mat@db.example.vn:5432/chuyende";
        let file = Path::new("/var/backups/chuyende it's.dump");
        assert_eq!(
            pg_dump_command(url, file),
            "pg_dump --format=custom --file='/var/backups/chuyende it'\\''s.dump' \
             --dbname='postgres://chuyende@db.example.vn:5432/chuyende'"
        );
        assert_eq!(
            pg_restore_command("postgres://postgres@127.0.0.1/new", Path::new("a.dump")),
            "pg_restore --no-owner --exit-on-error --dbname='postgres://postgres@127.0.0.1/new' 'a.dump'"
        );
    }
}

//! Backups under write load: `chuyende backup` copies a running SQLite database while members
//! are being added, `chuyende restore` puts the copy back into an empty place, and every save
//! acknowledged before the backup began is in it. On PostgreSQL the commands refuse, naming
//! the `pg_dump` / `pg_restore` lines, and those lines do the same job.

use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::both;
use crate::harness::{POSTGRES_DEFAULT, POSTGRES_ENV};
use chuyende::db::{Db, members};
use chuyende::domain::member::{CellRole, MemberDraft, Standing};
use chuyende::domain::org::OrgId;
use chuyende::domain::text::Line;

const PREFIX: &str = "Đảng viên tải";

async fn chuyende(database_url: &str, args: &[&str]) -> Output {
    let (url, args): (String, Vec<String>) = (
        database_url.to_owned(),
        args.iter().map(|a| (*a).to_owned()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_chuyende"))
            .args(&args)
            .env("CHUYENDE_DATABASE_URL", url)
            .env("CHUYENDE_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

async fn shell(command: &str) -> Output {
    let command = command.to_owned();
    tokio::task::spawn_blocking(move || Command::new("sh").arg("-c").arg(command).output().unwrap())
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Members being added to a cell by four writers until stopped: the names attempted, and
/// the names whose save was acknowledged (in order).
struct Load {
    stop: Arc<AtomicBool>,
    attempted: Arc<Mutex<BTreeSet<String>>>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    writers: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(db: &Db, cell: OrgId) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let attempted = Arc::new(Mutex::new(BTreeSet::new()));
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let writers = (0..4)
            .map(|writer| {
                let (db, stop) = (db.clone(), stop.clone());
                let (attempted, acknowledged) = (attempted.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    // Bounded: the test stops it long before.
                    for n in 0..5_000 {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let name = format!("{PREFIX} {writer}-{n}");
                        attempted.lock().unwrap().insert(name.clone());
                        let draft = MemberDraft {
                            full_name: Line::parse(&name, 200).unwrap(),
                            standing: Standing::Full,
                            role: CellRole::Member,
                            birth_year: None,
                            phone: None,
                            email: None,
                        };
                        members::create(&db, cell, &draft, None, None)
                            .await
                            .unwrap();
                        acknowledged.lock().unwrap().push(name);
                    }
                })
            })
            .collect();
        Self {
            stop,
            attempted,
            acknowledged,
            writers,
        }
    }

    async fn acknowledged_at_least(&self, count: usize) -> BTreeSet<String> {
        for _ in 0..600 {
            let acknowledged = self.acknowledged.lock().unwrap().clone();
            if acknowledged.len() >= count {
                return acknowledged.into_iter().collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the writers did not get {count} saves through");
    }

    async fn stop(self) -> BTreeSet<String> {
        self.stop.store(true, Ordering::SeqCst);
        for writer in self.writers {
            writer.await.unwrap();
        }
        self.attempted.lock().unwrap().clone()
    }
}

/// The load's members found in a database.
async fn loaded_names(db: &Db, cell: OrgId) -> BTreeSet<String> {
    members::list(db, cell)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.full_name)
        .filter(|name| name.starts_with(PREFIX))
        .collect()
}

/// Every save acknowledged before the backup began is in the restored copy, and nothing that
/// was never attempted.
fn assert_consistent(
    restored: &BTreeSet<String>,
    before: &BTreeSet<String>,
    attempted: &BTreeSet<String>,
) {
    let missing: Vec<_> = before.difference(restored).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing from it: {missing:?}"
    );
    assert!(restored.is_subset(attempted));
}

both! {
    async fn a_backup_taken_under_write_load_restores_every_acknowledged_save(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("sao-luu.db");
        let file_arg = file.to_str().unwrap().to_owned();
        let load = Load::start(&app.db, cell);
        let before = load.acknowledged_at_least(20).await;

        let backup = chuyende(&app.database_url, &["backup", &file_arg]).await;
        match app.db {
            Db::Sqlite(_) => {
                assert!(backup.status.success(), "{}", text(&backup.stderr));
                assert!(text(&backup.stdout).contains("Đã sao lưu vào"));
                let attempted = load.stop().await;

                // Never over an existing file.
                let again = chuyende(&app.database_url, &["backup", &file_arg]).await;
                assert!(!again.status.success());
                assert!(text(&again.stderr).contains("đã có"), "{}", text(&again.stderr));

                // Restored into an empty place, and migrated.
                let target = format!("sqlite://{}/khoi-phuc/chuyende.db", folder.path().display());
                let restore = chuyende(&target, &["restore", &file_arg]).await;
                assert!(restore.status.success(), "{}", text(&restore.stderr));
                let restored = Db::connect(&target).await.unwrap();
                assert_consistent(&loaded_names(&restored, cell).await, &before, &attempted);
                // The rest of the data came along: the demo accounts sign in to the copy.
                assert_eq!(
                    chuyende::db::users::count(&restored).await.unwrap(),
                    chuyende::db::users::count(&app.db).await.unwrap()
                );
                restored.close().await;

                // Never over a database; never from a file that is not a backup.
                let over = chuyende(&target, &["restore", &file_arg]).await;
                assert!(!over.status.success());
                assert!(text(&over.stderr).contains("đã có cơ sở dữ liệu"), "{}", text(&over.stderr));
                let junk = folder.path().join("junk.db");
                std::fs::write(&junk, "không phải cơ sở dữ liệu").unwrap();
                let elsewhere = format!("sqlite://{}/khac/chuyende.db", folder.path().display());
                let refused = chuyende(&elsewhere, &["restore", junk.to_str().unwrap()]).await;
                assert!(!refused.status.success());
                assert!(text(&refused.stderr).contains("không phải bản sao lưu"), "{}", text(&refused.stderr));
                assert!(!folder.path().join("khac/chuyende.db").exists());
            }
            Db::Postgres(_) => {
                // Refused, with the pg_dump line to run instead (no password in it).
                assert!(!backup.status.success());
                let stderr = text(&backup.stderr);
                let dump = stderr.lines().map(str::trim).find(|l| l.starts_with("pg_dump "))
                    .unwrap_or_else(|| panic!("no pg_dump line in {stderr}"));
                assert!(dump.contains(&file_arg), "{dump}");
                assert!(!file.exists());
                // That line, run under the same load, makes a dump …
                let dumped = shell(dump).await;
                assert!(dumped.status.success(), "{}", text(&dumped.stderr));
                let attempted = load.stop().await;

                // … that the printed pg_restore line puts into a new, empty database.
                let admin_url = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| POSTGRES_DEFAULT.into());
                let name = format!("chuyende_restore_{}", std::process::id());
                let admin = Db::connect(&admin_url).await.unwrap();
                let Db::Postgres(pool) = &admin else { unreachable!() };
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(pool).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(pool).await.unwrap();
                let (prefix, _) = admin_url.rsplit_once('/').unwrap();
                let target = format!("{prefix}/{name}");
                let restore = chuyende(&target, &["restore", &file_arg]).await;
                assert!(!restore.status.success());
                let stderr = text(&restore.stderr);
                let line = stderr.lines().map(str::trim).find(|l| l.starts_with("pg_restore "))
                    .unwrap_or_else(|| panic!("no pg_restore line in {stderr}"));
                let restored_ok = shell(line).await;
                assert!(restored_ok.status.success(), "{}", text(&restored_ok.stderr));
                let restored = Db::connect(&target).await.unwrap();
                restored.migrate().await.unwrap();
                assert_consistent(&loaded_names(&restored, cell).await, &before, &attempted);
                restored.close().await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(pool).await.unwrap();
                admin.close().await;
            }
        }
    }
}

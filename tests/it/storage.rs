//! When storage fails (issue 18), and no write on a read (issue 12): a read-only database, a
//! full one, one that does not answer. Each fault is produced for real on a second server over
//! the test's database: SQLite opened `mode=ro` (chmod does not stop root) or with its size
//! capped (`max_page_count`: SQLite's own "database or disk is full"), PostgreSQL with
//! `default_transaction_read_only` on the test's database, and pools pointing where nothing
//! answers.

use std::str::FromStr;
use std::time::Duration;

use chuyende::Settings;
use chuyende::db::Db;
use reqwest::StatusCode;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use crate::both;
use crate::harness::{Backend, TestApp, kindergarten_2022, serve, version_in};

/// The stored sessions: id, data, expiry (as text, to compare).
async fn sessions(db: &Db) -> Vec<(String, Vec<u8>, String)> {
    match db {
        Db::Sqlite(pool) => {
            sqlx::query_as("SELECT id, data, CAST(expiry_date AS TEXT) FROM sessions ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap()
        }
        Db::Postgres(pool) => {
            sqlx::query_as("SELECT id, data, CAST(expiry_date AS TEXT) FROM sessions ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap()
        }
    }
}

/// Runs one statement on the server's maintenance database (not the test's).
async fn on_postgres_server(sql: &str) {
    let url = std::env::var(crate::harness::POSTGRES_ENV)
        .unwrap_or_else(|_| crate::harness::POSTGRES_DEFAULT.into());
    let admin = Db::connect(&url).await.unwrap();
    let Db::Postgres(pool) = &admin else {
        unreachable!()
    };
    sqlx::query(sql).execute(pool).await.unwrap();
    admin.close().await;
}

/// The test's database opened again as a fresh server would, read-only: SQLite `mode=ro`;
/// PostgreSQL with the database set `default_transaction_read_only` (new connections only).
/// The migrations run as at a server's start, and must let a read-only database through.
async fn read_only_view(app: &TestApp) -> Db {
    let url = match app.postgres_name() {
        None => format!("{}?mode=ro", app.database_url),
        Some(name) => {
            on_postgres_server(&format!(
                "ALTER DATABASE {name} SET default_transaction_read_only = on"
            ))
            .await;
            app.database_url.clone()
        }
    };
    let db = Db::connect(&url).await.expect("a read-only database opens");
    db.migrate()
        .await
        .expect("a read-only database with every migration applied is served");
    db
}

/// A member's new form, posted: the name typed.
const TYPED: &str = "Trần Thị Chưa Lưu Được";

both! {
    async fn a_page_view_writes_nothing(app: TestApp) {
        let before = sessions(&app.db).await;
        let visitor = app.browser();
        visitor.get("/login").await.ok();
        visitor.get("/").await.redirects_to("/login");
        assert_eq!(sessions(&app.db).await, before, "a signed-out visitor stores no session");

        let browser = app.login("bithu").await;
        let signed_in = sessions(&app.db).await;
        assert_eq!(signed_in.len(), before.len() + 1, "signing in stores the session");
        let plan = kindergarten_2022(&app).await;
        for path in ["/", "/me/work", &format!("/plans/{plan}"), "/notifications"] {
            browser.get(path).await.ok();
        }
        assert_eq!(sessions(&app.db).await, signed_in, "page views write nothing");

        // A notice is written (after a save) and removed once shown: both are writes of a POST
        // and of the page that shows it, and then the pages write nothing again.
        let cell = app.demo.kindergarten.id;
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        browser
            .post(&format!("/orgs/{cell}/members/new"), &[("full_name", "Lê Văn Mới"), ("standing", "full"), ("role", "member")])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        browser.get(&format!("/orgs/{cell}")).await.ok();
        let shown = sessions(&app.db).await;
        browser.get(&format!("/orgs/{cell}")).await.ok();
        browser.get("/").await.ok();
        assert_eq!(sessions(&app.db).await, shown);
    }

    async fn a_read_only_database_keeps_reading_and_says_so(app: TestApp) {
        let browser = app.login("bithu").await;
        let cell = app.demo.kindergarten.id;
        let plan = kindergarten_2022(&app).await;
        // The sessions' expiry moves on after a tenth of the idle time: here, a second.
        let settings = Settings {
            session_idle: Duration::from_secs(10),
            ..Settings::default()
        };
        let read_only = serve(&read_only_view(&app).await, settings).await;
        let reader = browser.at(&read_only);
        tokio::time::sleep(Duration::from_millis(1100)).await;

        // Pages read, though the session's expiry cannot be moved on.
        reader.get("/").await.ok();
        reader.get(&format!("/plans/{plan}")).await.ok();
        reader.get(&format!("/orgs/{cell}")).await.ok();
        app.browser().at(&read_only).get("/login").await.ok().contains("Đăng nhập");

        let health = app.browser().at(&read_only).get("/healthz").await;
        assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(health.body.contains("read-only"), "{}", health.body);

        // A save comes back with the typed text, why it was not saved, and a way to send it again.
        let path = format!("/orgs/{cell}/members/new");
        reader.get(&path).await.ok();
        let refused = reader.post(&path, &[("full_name", TYPED), ("standing", "full"), ("role", "member")]).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        refused
            .contains("chưa được lưu")
            .contains("chỉ đọc")
            .contains(TYPED)
            .contains("Gửi lại")
            .contains("mã yêu cầu");
        let members = chuyende::db::members::list(&app.db, cell).await.unwrap();
        assert!(members.iter().all(|m| m.full_name != TYPED), "nothing stored");

        // Signing in says plainly that the system is read-only.
        let visitor = app.browser().at(&read_only);
        visitor.get("/login").await.ok();
        let login = visitor.post("/login", &[("login", "dangvien"), ("password", "chuyende-demo")]).await;
        assert_eq!(login.status, StatusCode::SERVICE_UNAVAILABLE);
        login.contains("chế độ chỉ đọc").contains("chưa đăng nhập được").contains("dangvien");

        // The writable server meanwhile reports nothing wrong.
        if app.postgres_name().is_none() {
            assert_eq!(app.browser().get("/healthz").await.status, StatusCode::OK);
        }

        // PostgreSQL: the database made writable again, the same server recovers on its own
        // (the health check drops connections that were opened read-only), and the form sent
        // again from the refusal page is saved.
        if let Some(name) = app.postgres_name() {
            on_postgres_server(&format!("ALTER DATABASE {name} SET default_transaction_read_only = off")).await;
            let mut status = StatusCode::SERVICE_UNAVAILABLE;
            for _ in 0..5 {
                status = app.browser().at(&read_only).get("/healthz").await.status;
                if status == StatusCode::OK {
                    break;
                }
            }
            assert_eq!(status, StatusCode::OK, "the server sees the database writable again");
            reader.post(&path, &[("full_name", TYPED), ("standing", "full"), ("role", "member")])
                .await
                .redirects_to(&format!("/orgs/{cell}"));
            let members = chuyende::db::members::list(&app.db, cell).await.unwrap();
            assert!(members.iter().any(|m| m.full_name == TYPED), "saved once writable");
        }
    }

    async fn an_unreachable_database_says_so_and_keeps_the_typed_text(app: TestApp) {
        let browser = app.login("bithu").await;
        let cell = app.demo.kindergarten.id;
        let path = format!("/orgs/{cell}/members/new");
        browser.get(&path).await.ok();
        let nowhere = match app.postgres_name() {
            Some(_) => Db::Postgres(
                PgPoolOptions::new()
                    .acquire_timeout(Duration::from_millis(500))
                    .connect_lazy("postgres://postgres@127.0.0.1:1/nowhere")
                    .unwrap(),
            ),
            None => Db::Sqlite(
                SqlitePoolOptions::new()
                    .acquire_timeout(Duration::from_millis(500))
                    .connect_lazy_with(SqliteConnectOptions::new().filename("/nonexistent-volume/chuyende.db")),
            ),
        };
        let down = serve(&nowhere, Settings::default()).await;
        let reader = browser.at(&down);

        let health = app.browser().at(&down).get("/healthz").await;
        assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(health.body.contains("unavailable"), "{}", health.body);

        let page = reader.get(&format!("/orgs/{cell}")).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        page.contains("Tạm thời không truy cập được cơ sở dữ liệu").contains("mã yêu cầu");

        let refused = reader.post(&path, &[("full_name", TYPED), ("standing", "full"), ("role", "member")]).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        refused.contains("chưa được lưu").contains("không kết nối được cơ sở dữ liệu").contains(TYPED);

        let visitor = app.browser().at(&down);
        visitor.get("/login").await.ok();
        let login = visitor.post("/login", &[("login", "dangvien"), ("password", "chuyende-demo")]).await;
        assert_eq!(login.status, StatusCode::SERVICE_UNAVAILABLE);
        login.contains("Chưa đăng nhập được").contains("không kết nối được cơ sở dữ liệu");
    }
}

/// SQLite's own "database or disk is full", from a database whose size is capped where it is
/// (PostgreSQL's full disk cannot be produced in a test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_database_keeps_the_typed_text() {
    let app = TestApp::start(Backend::Sqlite).await;
    let browser = app.login("bithu").await;
    let plan = kindergarten_2022(&app).await;
    let options = SqliteConnectOptions::from_str(&app.database_url)
        .unwrap()
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(15))
        // Below the current size, SQLite caps the database where it is.
        .pragma("max_page_count", "1");
    let full = Db::Sqlite(
        SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .unwrap(),
    );
    let full = serve(&full, Settings::default()).await;
    let writer = browser.at(&full);

    let path = format!("/plans/{plan}/texts/purposes");
    let form = writer.get(&path).await;
    form.ok();
    // Fifteen thousand characters need pages the database may not grow.
    let line = format!(
        "{}\n",
        "Đoạn thử khi ổ đĩa của máy chủ đã đầy. "
            .repeat(6)
            .trim_end()
    );
    let text = line.repeat(60);
    let refused = writer
        .post(
            &path,
            &[("version", &version_in(&form.body)), ("text", &text)],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    refused
        .contains("chưa được lưu")
        .contains("ổ đĩa")
        .contains(&line);

    let health = app.browser().at(&full).get("/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(health.body.contains("full"), "{}", health.body);
    writer
        .get(&format!("/plans/{plan}"))
        .await
        .ok()
        .lacks("Đoạn thử khi ổ đĩa");
}

/// The session's expiry moves on, but not at every page: once a tenth of the idle time passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_expiry_moves_on_once_in_a_while() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let settings = Settings {
            session_idle: Duration::from_secs(20),
            ..Settings::default()
        };
        let app = TestApp::start_with(backend, settings).await;
        let browser = app.login("bithu").await;
        let at_login = sessions(&app.db).await;
        browser.get("/").await.ok();
        assert_eq!(
            sessions(&app.db).await,
            at_login,
            "{backend:?}: not within two seconds"
        );
        tokio::time::sleep(Duration::from_millis(2100)).await;
        browser.get("/").await.ok();
        let moved = sessions(&app.db).await;
        assert_ne!(
            moved[0].2, at_login[0].2,
            "{backend:?}: the expiry moved on"
        );
        browser.get("/").await.ok();
        assert_eq!(
            sessions(&app.db).await,
            moved,
            "{backend:?}: and stays for a while"
        );
    }
}

/// A TCP relay to the PostgreSQL server that can be cut (the server "stops": every connection
/// breaks, new ones are refused) and restored.
struct Relay {
    port: u16,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(target: String) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            port: listener.local_addr().unwrap().port(),
            open: Default::default(),
            links: Default::default(),
        };
        relay.open.store(true, Ordering::SeqCst);
        let (open, links) = (relay.open.clone(), relay.links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !open.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                links.lock().unwrap().push(link.abort_handle());
            }
        });
        relay
    }

    fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A PostgreSQL server that stops and comes back: pages say the database is unavailable, then
/// the same server recovers on its own with the pool's own settings (connections tested before
/// use, a bounded wait for a new one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_recovers_when_the_database_comes_back() {
    let app = TestApp::start(Backend::Postgres).await;
    let browser = app.login("bithu").await;
    let cell = app.demo.kindergarten.id;
    // postgres://user@host:port/name → the same through the relay.
    let (scheme_user, rest) = app.database_url.split_once('@').unwrap();
    let (authority, name) = rest.split_once('/').unwrap();
    let relay = Relay::to(authority.to_owned()).await;
    let url = format!("{scheme_user}@127.0.0.1:{}/{name}", relay.port);
    let through = serve(&Db::connect(&url).await.unwrap(), Settings::default()).await;
    let reader = browser.at(&through);
    reader.get(&format!("/orgs/{cell}")).await.ok();

    relay.cut();
    let page = reader.get(&format!("/orgs/{cell}")).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    page.contains("Tạm thời không truy cập được cơ sở dữ liệu");

    relay.restore();
    reader.get(&format!("/orgs/{cell}")).await.ok();
    assert_eq!(
        app.browser().at(&through).get("/healthz").await.status,
        StatusCode::OK
    );
}

/// Makes the sessions table refuse new rows as a read-only database does (a trigger raising
/// its error), or lifts that: the session cannot be saved after a save has committed.
async fn freeze_new_sessions(db: &Db, frozen: bool) {
    let statements: &[&str] = match (db, frozen) {
        (Db::Sqlite(_), true) => &["CREATE TRIGGER sessions_frozen BEFORE INSERT ON sessions \
             BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"],
        (Db::Sqlite(_), false) => &["DROP TRIGGER sessions_frozen"],
        (Db::Postgres(_), true) => &[
            "CREATE FUNCTION sessions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION 'cannot execute INSERT in a read-only transaction' \
             USING ERRCODE = '25006'; END $$",
            "CREATE TRIGGER sessions_frozen BEFORE INSERT ON sessions \
             FOR EACH ROW EXECUTE FUNCTION sessions_frozen()",
        ],
        (Db::Postgres(_), false) => &["DROP TRIGGER sessions_frozen ON sessions"],
    };
    for sql in statements {
        match db {
            Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        }
        .unwrap();
    }
}

both! {
    async fn a_committed_save_is_never_reported_as_failed(app: TestApp) {
        let browser = app.login("dangvien").await;
        browser.get("/account/password").await.ok();
        // The password change commits, then its session (under a new id) cannot be stored.
        freeze_new_sessions(&app.db, true).await;
        let response = browser
            .post("/account/password", &[("current", "chuyende-demo"), ("new", "mat-khau-moi-2"), ("confirm", "mat-khau-moi-2")])
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response
            .contains("Có thể đã được lưu")
            .contains("chỉ đọc")
            .contains("Mở trang để kiểm tra")
            .contains("mã yêu cầu");
        freeze_new_sessions(&app.db, false).await;
        app.login_with("dangvien", "mat-khau-moi-2").await.get("/").await.ok();
    }
}

//! Starts the app on a fresh database — a temporary SQLite file, or a new PostgreSQL database —
//! on a free port, with the demo data loaded, and drives it as a browser would.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chuyende::db::Db;
use chuyende::demo::{self, Loaded};
use chuyende::{AppState, Settings};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};

pub const POSTGRES_ENV: &str = "CHUYENDE_TEST_POSTGRES_URL";
pub const POSTGRES_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($app: $crate::harness::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::harness::TestApp::start($crate::harness::Backend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::harness::TestApp::start($crate::harness::Backend::Postgres).await).await
                }
            }
        )*
    };
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub demo: Loaded,
    pub database_url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a dedicated thread may block.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    if let Ok(db) = Db::connect(&admin_url).await {
                        if let Db::Postgres(pool) = &db {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .execute(pool)
                            .await;
                        }
                        db.close().await;
                    }
                });
            })
            .join();
        }
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    format!("{n:016x}")
}

/// A new empty database: its URL, and what drops it.
async fn fresh_database(backend: Backend) -> (String, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Cleanup::Sqlite(dir))
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| POSTGRES_DEFAULT.into());
            let admin = Db::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is unreachable at {admin_url} ({e}). Every test also runs on \
                     PostgreSQL: start it (see README) or set {POSTGRES_ENV}."
                )
            });
            let name = format!("chuyende_test_{}", random_suffix());
            let Db::Postgres(pool) = &admin else {
                unreachable!()
            };
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await
                .expect("create test database");
            admin.close().await;
            let (prefix, _) = admin_url
                .rsplit_once('/')
                .expect("database URL with a path");
            let url = format!("{prefix}/{name}");
            (url, Cleanup::Postgres { admin_url, name })
        }
    }
}

/// A new database with the migrations applied and nothing else (no demo data, no app), dropped
/// with the value.
pub struct FreshDb {
    pub db: Db,
    _cleanup: Cleanup,
}

impl FreshDb {
    pub async fn migrated(backend: Backend) -> Self {
        let (url, cleanup) = fresh_database(backend).await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        FreshDb {
            db,
            _cleanup: cleanup,
        }
    }
}

/// Serves the app on `db` on a free port of this machine; answers its base address.
pub async fn serve(db: &Db, settings: Settings) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = chuyende::app(AppState::new(db.clone(), settings));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{address}")
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, Settings::default()).await
    }

    pub async fn start_with(backend: Backend, settings: Settings) -> Self {
        let (database_url, cleanup) = fresh_database(backend).await;
        let db = Db::connect(&database_url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let demo = demo::load(&db).await.expect("demo data");
        TestApp {
            base: serve(&db, settings).await,
            db,
            demo,
            database_url,
            _cleanup: cleanup,
        }
    }

    /// The name of this test's PostgreSQL database.
    pub fn postgres_name(&self) -> Option<&str> {
        match &self._cleanup {
            Cleanup::Postgres { name, .. } => Some(name),
            Cleanup::Sqlite(_) => None,
        }
    }

    /// A fresh browser with its own cookie jar.
    pub fn browser(&self) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
            token: Arc::new(Mutex::new(String::new())),
        }
    }

    /// A browser signed in as a demo account (password `chuyende-demo`).
    pub async fn login(&self, login: &str) -> Browser {
        self.login_with(login, demo::PASSWORD).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> Browser {
        let browser = self.browser();
        browser.get("/login").await.ok();
        let response = browser
            .post("/login", &[("login", login), ("password", password)])
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login as {login}: {}",
            response.body
        );
        browser
    }
}

#[derive(Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    /// The CSRF token of the last page seen, as a form on it would carry.
    token: Arc<Mutex<String>>,
}

#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.status, StatusCode::OK, "body: {}", self.body);
        self
    }

    #[track_caller]
    pub fn status_is(&self, status: StatusCode) -> &Self {
        assert_eq!(self.status, status, "body: {}", self.body);
        self
    }

    #[track_caller]
    pub fn redirects_to(&self, prefix: &str) -> &Self {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "body: {}", self.body);
        assert!(
            self.location().starts_with(prefix),
            "redirects to {}",
            self.location()
        );
        self
    }

    #[track_caller]
    pub fn contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, text: &str) -> &Self {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} in:\n{}",
            self.body
        );
        self
    }
}

impl Browser {
    async fn finish(&self, response: reqwest::Response) -> Response {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        if let Some(token) = csrf_token_in(&body) {
            *self.token.lock().unwrap() = token;
        }
        Response {
            status,
            headers,
            body,
        }
    }

    /// The same browser (its cookies and last token) talking to another server.
    pub fn at(&self, base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    pub fn token(&self) -> String {
        self.token.lock().unwrap().clone()
    }

    pub async fn get(&self, path: &str) -> Response {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        self.finish(response).await
    }

    /// Submits a form with the CSRF token of the last page seen.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.token();
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.post_raw(path, &fields, &[]).await
    }

    /// Submits exactly these fields, with extra headers: for forging requests.
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self.http.post(format!("{}{path}", self.base)).form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        self.finish(response).await
    }

    /// Uploads a file as the import form does (the token a field before the file).
    pub async fn upload(
        &self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let form = reqwest::multipart::Form::new().text("csrf_token", self.token());
        self.upload_raw(path, form, field, file_name, bytes).await
    }

    /// Uploads a file after the fields of `form`, exactly: for forging requests.
    pub async fn upload_raw(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
        field: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str("text/csv")
            .unwrap();
        self.post_multipart(path, form.part(field.to_owned(), part))
            .await
    }

    /// Posts a multipart form exactly as given (its fields in order, files included).
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Response {
        let url = format!("{}{path}", self.base);
        let response = self.http.post(url).multipart(form).send().await.unwrap();
        self.finish(response).await
    }

    /// A download: its status, headers and bytes as sent.
    pub async fn bytes(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.unwrap().to_vec())
    }
}

fn csrf_token_in(body: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

impl TestApp {
    /// Creates an account with the demo password, through the app's own functions.
    pub async fn add_account(&self, login: &str, name: &str) -> chuyende::domain::user::UserId {
        use chuyende::domain::user::{Login, Password};
        let hash = chuyende::password::hash(&Password::parse(demo::PASSWORD).unwrap())
            .await
            .unwrap();
        let login = Login::parse(login).unwrap();
        let new = chuyende::db::users::NewUser {
            login: &login,
            full_name: name,
            password_hash: &hash,
            is_admin: false,
        };
        chuyende::db::users::create(&self.db, &new, None)
            .await
            .unwrap()
    }

    /// The id of the account signed in as `login`.
    pub async fn user(&self, login: &str) -> chuyende::domain::user::UserId {
        chuyende::db::users::find_by_login(&self.db, login)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no account {login}"))
            .id
    }

    /// The messages of `user`'s unread notifications of `kind`, newest first.
    pub async fn unread_of(
        &self,
        user: chuyende::domain::user::UserId,
        kind: chuyende::domain::notification::NoticeKind,
    ) -> Vec<String> {
        chuyende::db::notifications::list(&self.db, user, 100, 0)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == kind && n.is_unread())
            .map(|n| n.message)
            .collect()
    }

    /// The id of the member of `cell` with this name.
    pub async fn member_id(
        &self,
        cell: chuyende::domain::org::OrgId,
        name: &str,
    ) -> chuyende::domain::member::MemberId {
        chuyende::db::members::list(&self.db, cell)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.full_name == name)
            .unwrap_or_else(|| panic!("no member {name}"))
            .id
    }
}

/// The plan (or member, or unit) version a form was drawn from: what a browser sends back.
pub fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("a version field") + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

/// The kindergarten's 2022 plan: the demo's draft that most tests work on.
pub async fn kindergarten_2022(app: &TestApp) -> chuyende::domain::plan::PlanId {
    chuyende::db::plans::find(
        &app.db,
        app.demo.kindergarten.id,
        chuyende::domain::org::Year::new(2022).unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
}

/// A plan's status as stored.
pub async fn status(
    app: &TestApp,
    plan: chuyende::domain::plan::PlanId,
) -> chuyende::domain::plan::PlanStatus {
    chuyende::db::plans::get(&app.db, plan)
        .await
        .unwrap()
        .unwrap()
        .status
}

/// Adopts a plan as its cell meeting did: all eight members present and in favour.
pub async fn adopt(browser: &Browser, plan: chuyende::domain::plan::PlanId) {
    browser.get(&format!("/plans/{plan}/adopt")).await.ok();
    browser
        .post(
            &format!("/plans/{plan}/adopt"),
            &[
                ("meeting_on", "10/01/2022"),
                ("present", "8"),
                ("total", "8"),
                ("votes_for", "8"),
                ("votes_against", "0"),
            ],
        )
        .await
        .redirects_to(&format!("/plans/{plan}"));
}

/// Adopts a plan, then submits it to the committee above.
pub async fn adopt_and_submit(browser: &Browser, plan: chuyende::domain::plan::PlanId) {
    adopt(browser, plan).await;
    browser.get(&format!("/plans/{plan}")).await.ok();
    browser
        .post(&format!("/plans/{plan}/submit"), &[])
        .await
        .redirects_to(&format!("/plans/{plan}"));
}

/// Runs the futures concurrently on the runtime's workers.
pub async fn join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

/// The body of a DOCX file: `word/document.xml`.
pub fn docx_document_xml(file: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(file)).expect("a zip file");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The text of a PDF file.
pub fn pdf_text(file: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(file).expect("a readable PDF")
}

/// A draft model-session plan of the commune with one model meeting at the kindergarten, made
/// through the app's functions: what the route sweeps open.
pub async fn model_plan_draft(
    app: &TestApp,
) -> (
    chuyende::domain::model_session::ModelPlanId,
    chuyende::domain::model_session::ModelSessionId,
) {
    use chuyende::app::model_sessions as model;
    use chuyende::domain::model_session::{ModelKind, ModelSessionDraft};
    let ctx = chuyende::app::Ctx {
        db: &app.db,
        mail: false,
    };
    let year = chuyende::domain::org::Year::new(2024).unwrap();
    let plan = model::create(ctx, None, &app.demo.commune, year)
        .await
        .unwrap();
    let meeting = ModelSessionDraft {
        kind: ModelKind::Regular,
        host: app.demo.kindergarten.id,
        date: chrono::NaiveDate::from_ymd_opt(2024, 3, 28).unwrap(),
        start: chuyende::domain::session::StartTime::new(8 * 60).unwrap(),
        venue: "Hội trường xã".into(),
        address: String::new(),
        topic: None,
        topic_title: String::new(),
    };
    let added = model::add_session(ctx, &app.demo.commune, plan, &meeting)
        .await
        .unwrap();
    assert_eq!(added, model::Outcome::Done);
    let session = model::get(&app.db, plan).await.unwrap().unwrap().sessions[0].id;
    (plan, session)
}

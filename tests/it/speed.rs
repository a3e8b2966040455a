//! Page speed: each main page keeps to a budget of SQL statements (so a later feature that adds
//! a query per row, or per part of a plan, fails here rather than in production), the plan
//! page's long lists come in pages, pages are compressed when the browser asks, and static
//! files are cached for good under a name that changes with their content.
//!
//! Statements are counted from sqlx's own log events (target `sqlx::query`, one per statement
//! executed), attributed to the request whose span they ran in: the test sends its own
//! `x-request-id`, which the app's request span records. The session store's housekeeping
//! (reading and saving the signed-in session, whatever store keeps it) is not the page's
//! work and is left out, as are BEGIN/COMMIT (which SQLite's driver does not log) and the
//! settings a newly opened connection runs.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use chrono::Datelike;
use chuyende::db::plans;
use chuyende::domain::org::Year;
use chuyende::domain::plan::PlanId;
use tracing::field::{Field, Visit};
use tracing::{Event, Metadata, Subscriber, span};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

use crate::both;
use crate::harness::{Browser, TestApp, version_in};

/// The tables of the session store, whose statements are not counted.
const SESSION_STORE_TABLES: &[&str] = &["sessions"];

/// Statements run per request id.
static STATEMENTS: Mutex<Option<HashMap<String, Vec<String>>>> = Mutex::new(None);

/// What the request ids of counted requests start with.
const PREFIX: &str = "budget-";

struct RequestId(String);

/// The fields of a span or event that matter here.
#[derive(Default)]
struct Fields(HashMap<&'static str, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
}

/// Records which request each statement ran for.
struct Counter;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Counter {
    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        (meta.is_span() && meta.name() == "request") || meta.target() == "sqlx::query"
    }

    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        // Only this module's requests: other tests' pages are not kept.
        let request = fields.0.remove("id").filter(|id| id.starts_with(PREFIX));
        if let (Some(span), Some(request)) = (ctx.span(id), request) {
            span.extensions_mut().insert(RequestId(request));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            let extensions = span.extensions();
            let Some(RequestId(request)) = extensions.get::<RequestId>() else {
                continue;
            };
            let mut fields = Fields::default();
            event.record(&mut fields);
            // Short statements are logged whole as the summary, long ones in `db.statement`.
            let statement = fields
                .0
                .remove("db.statement")
                .filter(|s| !s.trim().is_empty())
                .or_else(|| fields.0.remove("summary"))
                .unwrap_or_default();
            let mut all = STATEMENTS.lock().unwrap();
            all.get_or_insert_with(HashMap::new)
                .entry(request.clone())
                .or_default()
                .push(statement.trim().to_owned());
            return;
        }
    }
}

fn install_counter() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Counter))
            .expect("no other global tracing subscriber in the tests");
    });
}

fn is_session_store(statement: &str) -> bool {
    statement
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| {
            SESSION_STORE_TABLES
                .iter()
                .any(|t| word.eq_ignore_ascii_case(t))
        })
}

/// Transactions' BEGIN/COMMIT, and the settings the pool runs on a connection it opens
/// (`PRAGMA …` on SQLite) whichever request happens to need it.
fn is_housekeeping(statement: &str) -> bool {
    let first = statement.split_whitespace().next().unwrap_or("");
    [
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
        "PRAGMA",
        "SET",
    ]
    .iter()
    .any(|word| first.eq_ignore_ascii_case(word))
}

/// The page's own statements, counted for one GET of `path`.
async fn statements_of(browser: &Browser, path: &str) -> Vec<String> {
    install_counter();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let request = format!(
        "{PREFIX}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let response = browser
        .http
        .get(format!("{}{path}", browser.base))
        .header("x-request-id", &request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {path}");
    response.bytes().await.unwrap();
    // SQLite's driver logs a statement on its worker thread as it finishes, which may be a
    // moment after the rows reached the handler: wait until the count stays put.
    let counted = || {
        STATEMENTS
            .lock()
            .unwrap()
            .as_ref()
            .and_then(|m| m.get(&request).map(Vec::len))
            .unwrap_or(0)
    };
    let (mut last, mut steady) = (counted(), 0);
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = counted();
        steady = if now == last { steady + 1 } else { 0 };
        last = now;
        if steady == 4 {
            break;
        }
    }
    let all = STATEMENTS
        .lock()
        .unwrap()
        .as_mut()
        .and_then(|m| m.remove(&request))
        .unwrap_or_default();
    let own: Vec<String> = all
        .into_iter()
        .filter(|s| !is_session_store(s) && !is_housekeeping(s))
        .collect();
    assert!(
        !own.is_empty(),
        "GET {path}: no statement counted (every page reads its actor): is the counter installed?"
    );
    own
}

#[track_caller]
fn within(path: &str, statements: &[String], budget: usize) {
    eprintln!("GET {path}: {} statements", statements.len());
    assert!(
        statements.len() <= budget,
        "GET {path} ran {} statements, its budget is {budget}:\n{}",
        statements.len(),
        statements.join("\n---\n")
    );
}

async fn this_years_plan(app: &TestApp) -> PlanId {
    let year = Year::new(chrono::Local::now().year()).unwrap();
    plans::find(&app.db, app.demo.kindergarten.id, year)
        .await
        .unwrap()
        .expect("this year's demo plan")
}

both! {
    async fn main_pages_keep_their_statement_budget(app: TestApp) {
        let plan = this_years_plan(&app).await;
        let plan_path = format!("/plans/{plan}");

        // The secretary sees the most of a plan: its mandated topics too.
        let secretary = app.login("bithu").await;
        let home = statements_of(&secretary, "/").await;
        within("/", &home, 4);
        let page = statements_of(&secretary, &plan_path).await;
        within(&plan_path, &page, 6);
        let work = statements_of(&secretary, "/me/work").await;
        within("/me/work", &work, 4);

        let member = app.login("dangvien").await;
        within("/me/work", &statements_of(&member, "/me/work").await, 4);
        within(&plan_path, &statements_of(&member, &plan_path).await, 6);

        let reviewer = app.login("danguy").await;
        within(&plan_path, &statements_of(&reviewer, &plan_path).await, 6);

        let admin = app.login("admin").await;
        within("/", &statements_of(&admin, "/").await, 4);

        // The dashboard: the same few statements whatever the size of the tree below, the
        // filter or the page (a committee at the root skips its breadcrumb's query).
        let commune = app.demo.commune.id;
        let bloc = app.demo.bloc.id;
        for committee in [commune, bloc] {
            let mut counts = Vec::new();
            for query in ["", "?q=M%E1%BA%A7m+non", "?state=draft", "?page=2"] {
                let path = format!("/orgs/{committee}/dashboard{query}");
                let statements = statements_of(&admin, &path).await;
                within(&path, &statements, 6);
                counts.push(statements.len());
            }
            assert!(counts.iter().all(|&n| n == counts[0]), "dashboard statements: {counts:?}");
        }
    }

    async fn the_plan_page_pages_its_history(app: TestApp) {
        let plan = this_years_plan(&app).await;
        let browser = app.login("bithu").await;
        let path = format!("/plans/{plan}/texts/format");
        // 31 saves: one more than a page of history.
        for n in 1..=31 {
            let form = browser.get(&path).await;
            browser
                .post(&path, &[("version", &version_in(&form.body)), ("text", &format!("Hình thức lần {n}."))])
                .await
                .redirects_to(&format!("/plans/{plan}"));
        }
        let changes = plans::history(&app.db, plan).await.unwrap();
        assert!(changes.len() > 31, "{}", changes.len());
        let last = changes.len().div_ceil(30);

        let first = browser.get(&format!("/plans/{plan}")).await;
        first.ok()
            .contains(&changes[0].summary)
            .contains(&format!("Trang 1/{last}"))
            .contains(&format!("/plans/{plan}?history=2&#38;revisions=1#history"));
        let oldest = &changes[changes.len() - 1];
        let older = browser.get(&format!("/plans/{plan}?history={last}")).await;
        older.ok()
            .contains(&format!("Trang {last}/{last}"))
            .contains(&oldest.summary)
            .contains(&format!("/plans/{plan}?history={}&#38;revisions=1#history", last - 1));
        // Nonsense page numbers give the first page.
        browser.get(&format!("/plans/{plan}?history=-4&revisions=x")).await.ok().contains("Trang 1/");
    }
}

both! {
    async fn pages_are_gzipped_when_asked_and_static_files_cached_for_good(app: TestApp) {
        let plan = this_years_plan(&app).await;
        let browser = app.login("bithu").await;
        let url = format!("{}/plans/{plan}", app.base);

        let plain = browser.http.get(&url).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "not asked, not compressed");
        let plain = plain.bytes().await.unwrap();
        let gzipped = browser.http.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(gzipped.headers()["content-encoding"], "gzip");
        assert!(gzipped.headers()["vary"].to_str().unwrap().contains("accept-encoding"));
        assert!(gzipped.headers().contains_key("content-security-policy"), "still the security headers");
        assert_eq!(gzipped.headers()["cache-control"], "no-store");
        let gzipped = gzipped.bytes().await.unwrap();
        assert_eq!(&gzipped[..2], &[0x1f, 0x8b], "a gzip stream");
        assert!(gzipped.len() * 3 < plain.len(), "{} bytes gzipped, {} plain", gzipped.len(), plain.len());

        // A DOCX is a zip already: sent as it is.
        let docx = browser
            .http
            .get(format!("{url}/document.docx"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(docx.status(), reqwest::StatusCode::OK);
        assert!(docx.headers().get("content-encoding").is_none());

        // The page links the stylesheet under its content's version, kept for a year.
        let page = String::from_utf8(plain.to_vec()).unwrap();
        let start = page.find("/static/app.css?v=").expect("versioned stylesheet link");
        let href = &page[start..start + page[start..].find('"').unwrap()];
        let css = browser.http.get(format!("{}{href}", app.base)).send().await.unwrap();
        assert_eq!(css.status(), reqwest::StatusCode::OK);
        assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
        let etag = css.headers()["etag"].to_str().unwrap().to_owned();
        assert!(css.text().await.unwrap().contains("body"));
        // Asked again with the copy's tag: nothing to send.
        let again = browser
            .http
            .get(format!("{}{href}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), reqwest::StatusCode::NOT_MODIFIED);
        assert!(again.bytes().await.unwrap().is_empty());
        // Under a plain or stale URL, an hour, with the same tag.
        for stale in ["/static/app.css", "/static/app.css?v=0"] {
            let css = browser.http.get(format!("{}{stale}", app.base)).send().await.unwrap();
            assert_eq!(css.headers()["cache-control"], "public, max-age=3600", "{stale}");
            assert_eq!(css.headers()["etag"].to_str().unwrap(), etag);
        }
    }
}

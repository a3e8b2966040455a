//! The committee dashboard on a large tree: `cargo bench --bench dashboard`.
//!
//! Builds, on SQLite (a temporary file) and on PostgreSQL (a fresh database on
//! `postgres://postgres@127.0.0.1:5432/postgres`, or `CHUYENDE_TEST_POSTGRES_URL`, dropped
//! afterwards), one committee with 50 intermediate committees (10 below it, 4 below each of
//! those) and 5,000 cells: for the chosen year 6 in 7 cells have a plan in a mixed state, each
//! with 4 topics of 5 steps, and as many plans of the year before; the top committee has an
//! issued directive plan whose first topic half the cells pulled in.
//!
//! The committees, the administrator and the directive plan go through the app's own
//! functions; the cells, their plans, topics and steps are bulk SQL inserts (`INSERT … SELECT`
//! and multi-row `VALUES`), which take seconds where 5,000 `plans::create` calls would take
//! minutes on PostgreSQL. PostgreSQL is `ANALYZE`d afterwards, as autovacuum would; SQLite
//! is left without statistics, as the app runs it.
//!
//! Each scenario is a request over HTTP to the app on a local port, signed in as an
//! administrator: median of 20 runs after one warm-up. "queries" counts the SQL statements
//! one request ran (fewest–most over the 20; the session and the actor's roles included),
//! from sqlx's own `sqlx::query` events; the "db" column times the dashboard's own queries
//! alone, called directly.
//!
//! `CHUYENDE_BENCH_SCALE=national` (PostgreSQL, about 297,000 cells) and
//! `CHUYENDE_BENCH_SCALE=province` (SQLite, about 10,000) run the national-scale benchmark
//! instead: see `benches/dashboard/scale.rs`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{Datelike, Local, NaiveDate, Utc};
use chuyende::db::dashboard::{self, CellState, Filter};
use chuyende::db::{Db, orgs, plans, users};
use chuyende::domain::org::{Abbreviation, Org, OrgDraft, OrgKind, Year};
use chuyende::domain::plan::PlanStatus;
use chuyende::domain::text::Line;
use chuyende::domain::user::{Login, Password};
use chuyende::{AppState, Settings};
use tracing_subscriber::layer::SubscriberExt as _;

const RUNS: usize = 20;
const CELLS_PER_COMMITTEE: usize = 100;
const PASSWORD: &str = "bench-password";

/// Counts the statements sqlx runs: it reports each one as an event with target `sqlx::query`.
struct QueryCounter(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for QueryCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn main() -> anyhow::Result<()> {
    let queries = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(QueryCounter(queries.clone())),
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        if let Some(scale) = scale::Scale::from_env() {
            return scale::run(scale).await;
        }
        let mut results = Vec::new();
        results.extend(run_sqlite(&queries).await?);
        results.extend(run_postgres(&queries).await?);
        print_table(&results);
        Ok(())
    })
}

/// `CHUYENDE_BENCH_KEEP=1` keeps both databases afterwards, to study query plans.
fn keep() -> bool {
    std::env::var_os("CHUYENDE_BENCH_KEEP").is_some()
}

struct Outcome {
    backend: &'static str,
    scenario: String,
    rows: usize,
    /// The fewest and the most statements one request ran.
    queries: (usize, usize),
    http: Duration,
    db: Duration,
}

async fn run_sqlite(queries: &Arc<AtomicUsize>) -> anyhow::Result<Vec<Outcome>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    if keep() {
        eprintln!("sqlite: keeping {url}");
        std::mem::forget(dir);
    }
    let db = Db::connect(&url).await?;
    let results = run("sqlite", db.clone(), queries).await;
    db.close().await;
    results
}

async fn run_postgres(queries: &Arc<AtomicUsize>) -> anyhow::Result<Vec<Outcome>> {
    let admin_url = std::env::var("CHUYENDE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("chuyende_bench_{}", std::process::id());
    let admin = Db::connect(&admin_url)
        .await
        .with_context(|| format!("PostgreSQL at {admin_url}"))?;
    let Db::Postgres(pool) = &admin else {
        anyhow::bail!("not a PostgreSQL URL: {admin_url}");
    };
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(pool)
        .await?;
    let (prefix, _) = admin_url
        .rsplit_once('/')
        .context("a database URL with a path")?;
    let db = Db::connect(&format!("{prefix}/{name}")).await?;
    let results = run("postgres", db.clone(), queries).await;
    db.close().await;
    if keep() {
        eprintln!("postgres: keeping {prefix}/{name}");
    } else {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(pool)
            .await?;
    }
    admin.close().await;
    results
}

async fn run(
    backend: &'static str,
    db: Db,
    queries: &Arc<AtomicUsize>,
) -> anyhow::Result<Vec<Outcome>> {
    db.migrate().await?;
    let year = Year::new(Local::now().year()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    let tree = generate(&db, year).await?;
    eprintln!(
        "{backend}: generated {} cells below {} committees in {:.1} s",
        tree.cells,
        tree.committees,
        started.elapsed().as_secs_f64()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = chuyende::app(AppState::new(db.clone(), Settings::default()));
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let client = sign_in(&base).await?;

    let top = tree.top.id;
    let y = year.get();
    let today = Local::now().date_naive();
    let all = Filter::year(year);
    let submitted = Filter {
        state: Some(CellState::Plan(PlanStatus::Submitted)),
        ..all.clone()
    };
    let search = Filter {
        search: "trường".into(),
        ..all.clone()
    };
    type Scenario = (String, String, Org, Filter, i64, bool);
    let scenarios: Vec<Scenario> = vec![
        (
            "first page, 5,000 cells".into(),
            format!("/orgs/{top}/dashboard?year={y}"),
            tree.top.clone(),
            all.clone(),
            0,
            false,
        ),
        (
            "filtered: submitted, page 3".into(),
            format!("/orgs/{top}/dashboard?year={y}&state=submitted&page=3"),
            tree.top.clone(),
            submitted,
            100,
            false,
        ),
        (
            "search “trường”".into(),
            format!("/orgs/{top}/dashboard?year={y}&q=tr%C6%B0%E1%BB%9Dng"),
            tree.top.clone(),
            search,
            0,
            false,
        ),
        (
            "last page (100)".into(),
            format!("/orgs/{top}/dashboard?year={y}&page=100"),
            tree.top.clone(),
            all.clone(),
            4950,
            false,
        ),
        (
            "intermediate, 500 cells".into(),
            format!("/orgs/{}/dashboard?year={y}", tree.middle.id),
            tree.middle.clone(),
            all.clone(),
            0,
            false,
        ),
        (
            "CSV export, 5,000 rows".into(),
            format!("/orgs/{top}/dashboard.csv?year={y}"),
            tree.top.clone(),
            all.clone(),
            0,
            true,
        ),
    ];

    let mut results = Vec::new();
    for (scenario, path, org, filter, offset, export) in scenarios {
        let url = format!("{base}{path}");
        // A warm-up, which also gives the rows shown.
        let body = client
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        let rows = if export {
            body.lines().count().saturating_sub(1)
        } else {
            body.matches("<tr")
                .count()
                .saturating_sub(1 + mandated_rows(&body))
        };
        let mut http = Vec::with_capacity(RUNS);
        let mut counts = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            queries.store(0, Ordering::SeqCst);
            let start = Instant::now();
            client
                .get(&url)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            http.push(start.elapsed());
            counts.push(queries.load(Ordering::SeqCst));
        }
        counts.sort_unstable();
        // The dashboard's own queries, as the handlers run them.
        let mut db_times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            dashboard::mandated(&db, &org, year).await?;
            if export {
                dashboard::all_rows(&db, &org, &filter, today).await?;
            } else {
                dashboard::totals(&db, &org, &filter).await?;
                dashboard::rows(&db, &org, &filter, today, 50, offset).await?;
            }
            db_times.push(start.elapsed());
        }
        results.push(Outcome {
            backend,
            scenario,
            rows,
            queries: (counts[0], counts[counts.len() - 1]),
            http: median(http),
            db: median(db_times),
        });
    }
    server.abort();
    Ok(results)
}

/// Table rows of the mandated-topics section (its header and one per topic), which are not
/// cells.
fn mandated_rows(body: &str) -> usize {
    match body.find("Chuyên đề cấp trên giao") {
        None => 0,
        Some(at) => {
            let section = &body[at..];
            let end = section.find("</table>").unwrap_or(section.len());
            section[..end].matches("<tr").count()
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn print_table(results: &[Outcome]) {
    println!();
    println!(
        "| backend  | scenario                      | rows  | queries | HTTP median | db median |"
    );
    println!(
        "|----------|-------------------------------|-------|---------|-------------|-----------|"
    );
    for r in results {
        println!(
            "| {:<8} | {:<29} | {:>5} | {:>7} | {:>8.1} ms | {:>6.1} ms |",
            r.backend,
            r.scenario,
            r.rows,
            if r.queries.0 == r.queries.1 {
                r.queries.0.to_string()
            } else {
                format!("{}–{}", r.queries.0, r.queries.1)
            },
            r.http.as_secs_f64() * 1e3,
            r.db.as_secs_f64() * 1e3,
        );
    }
}

/// A cookie-keeping client signed in as the bench's administrator.
async fn sign_in(base: &str) -> anyhow::Result<reqwest::Client> {
    sign_in_as(base, "bench").await
}

/// A cookie-keeping client signed in as `login` (whose password is [`PASSWORD`]).
async fn sign_in_as(base: &str, login: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).context("a CSRF token")? + marker.len();
    let token = &page[start..start + page[start..].find('"').context("token end")?];
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("login", login),
            ("password", PASSWORD),
            ("csrf_token", token),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == reqwest::StatusCode::SEE_OTHER,
        "sign-in failed: {}",
        response.status()
    );
    Ok(client)
}

struct Tree {
    top: Org,
    /// A committee below the top, with 500 cells below it.
    middle: Org,
    committees: usize,
    cells: usize,
}

fn draft(kind: OrgKind, name: &str, superior: &str) -> anyhow::Result<OrgDraft> {
    let line = |text: &str| Line::parse(text, 200).map_err(|e| anyhow::anyhow!("{e}"));
    Ok(OrgDraft {
        kind,
        name: line(name)?,
        superior_name: line(superior)?,
        abbreviation: Abbreviation::parse("ĐU").map_err(|e| anyhow::anyhow!("{e}"))?,
        place_name: line("Hà Tĩnh")?,
        term_start: Year::new(2020).map_err(|e| anyhow::anyhow!("{e}"))?,
    })
}

/// Runs one statement with positional parameters on either pool.
macro_rules! exec {
    ($db:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $db {
            Db::Sqlite(pool) => sqlx::query($sql)$(.bind($arg))*.execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query($sql)$(.bind($arg))*.execute(pool).await.map(|_| ()),
        }
    };
}

#[path = "dashboard/scale.rs"]
mod scale;

async fn generate(db: &Db, year: Year) -> anyhow::Result<Tree> {
    // The administrator, through the app.
    let hash =
        chuyende::password::hash(&Password::parse(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?)
            .await?;
    let login = Login::parse("bench").map_err(|e| anyhow::anyhow!("{e}"))?;
    users::create(
        db,
        &users::NewUser {
            login: &login,
            full_name: "Quản trị",
            password_hash: &hash,
            is_admin: true,
        },
        None,
    )
    .await?;

    // Committees, through the app: the top, 10 below it, 4 below each of those.
    let top_id = orgs::create(
        db,
        None,
        &draft(
            OrgKind::Committee,
            "Đảng bộ tỉnh Thử nghiệm",
            "Đảng Cộng sản Việt Nam",
        )?,
        None,
    )
    .await?;
    let top = orgs::get(db, top_id).await?.context("top")?;
    let mut parents = Vec::new();
    let mut committees = 1;
    for district in 1..=10 {
        let name = format!("Đảng bộ huyện số {district:02}");
        let id = orgs::create(
            db,
            Some(&top),
            &draft(OrgKind::Committee, &name, &top.name)?,
            None,
        )
        .await?;
        let district = orgs::get(db, id).await?.context("district")?;
        committees += 1;
        for commune in 1..=4 {
            let name = format!("Đảng bộ xã {commune} – {}", district.name);
            let id = orgs::create(
                db,
                Some(&district),
                &draft(OrgKind::Committee, &name, &district.name)?,
                None,
            )
            .await?;
            parents.push(orgs::get(db, id).await?.context("commune")?);
            committees += 1;
        }
        parents.push(district);
    }
    let middle = parents
        .iter()
        .find(|p| p.name == "Đảng bộ huyện số 01")
        .cloned()
        .context("district 1")?;

    // Cells: bulk inserts, 100 below each of the 50 committees; paths filled in afterwards.
    let now = Utc::now();
    let kinds = [
        "Chi bộ Trường Tiểu học số",
        "Chi bộ Thôn",
        "Chi bộ Cơ quan",
        "Chi bộ Ấp",
    ];
    let mut number = 0usize;
    for parent in &parents {
        let mut sql = String::from(
            "INSERT INTO orgs (parent_id, kind, name, superior_name, abbreviation, place_name, \
               term_start, path, created_at, updated_at) VALUES ",
        );
        let mut names = Vec::new();
        for i in 0..CELLS_PER_COMMITTEE {
            number += 1;
            names.push(format!("{} {number}", kinds[number % kinds.len()]));
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "($1, 'cell', ${}, 'Đảng bộ cấp trên', 'CB', 'Hà Tĩnh', 2020, '', $2, $2)",
                i + 3
            ));
        }
        match db {
            Db::Sqlite(pool) => {
                let mut query = sqlx::query(&sql).bind(parent.id).bind(now);
                for name in &names {
                    query = query.bind(name);
                }
                query.execute(pool).await?;
            }
            Db::Postgres(pool) => {
                let mut query = sqlx::query(&sql).bind(parent.id).bind(now);
                for name in &names {
                    query = query.bind(name);
                }
                query.execute(pool).await?;
            }
        }
    }
    exec!(
        db,
        "UPDATE orgs SET path = (SELECT p.path FROM orgs p WHERE p.id = orgs.parent_id) \
           || CAST(id AS TEXT) || '/' WHERE path = ''"
    )?;
    // The cells' search keys, as the app computes them for rows it did not write itself.
    chuyende::db::search_keys::fill(db).await?;

    // Plans of this year and the one before, topics and steps: bulk INSERT … SELECT.
    for plan_year in [year.get() - 1, year.get()] {
        bulk_plans(db, plan_year, now).await?;
    }

    // The top committee's directive plan, through the app, then issued; half the cells pulled
    // its first topic into their plan.
    let none = |_: &str| None;
    let mut directive = chuyende::domain::samples::model_plan_2022(&top, &none, "");
    directive.year = year;
    let directive_id = plans::create(db, &directive, top.term_start, None).await?;
    exec!(
        db,
        "UPDATE plans SET status = 'issued' WHERE id = $1",
        directive_id
    )?;
    let first_topic: i64 = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT id FROM topics WHERE plan_id = $1 AND position = 0")
                .bind(directive_id)
                .fetch_one(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT id FROM topics WHERE plan_id = $1 AND position = 0")
                .bind(directive_id)
                .fetch_one(pool)
                .await?
        }
    };
    exec!(
        db,
        "UPDATE topics SET mandated_topic_id = $1 WHERE position = 0 AND plan_id IN \
           (SELECT p.id FROM plans p JOIN orgs o ON o.id = p.org_id \
            WHERE o.kind = 'cell' AND p.year = $2 AND o.id % 2 = 0)",
        first_topic,
        year.get()
    )?;
    if let Db::Postgres(_) = db {
        exec!(db, "ANALYZE")?;
    }
    Ok(Tree {
        top,
        middle,
        committees,
        cells: number,
    })
}

async fn bulk_plans(db: &Db, year: i32, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    // 6 in 7 cells have a plan; states spread over the five a cell's plan can be in.
    exec!(
        db,
        "INSERT INTO plans (org_id, year, version, status, term_start, place, subject, \
           basis_lead, basis_closing, archive, sign_authority, sign_title, signer_name, \
           created_at, updated_at, submitted_at, cell_path) \
         SELECT id, $1, 1, \
           CASE id % 5 WHEN 0 THEN 'draft' WHEN 1 THEN 'adopted' WHEN 2 THEN 'submitted' \
             WHEN 3 THEN 'returned' ELSE 'accepted' END, \
           2020, 'Hà Tĩnh', 'sinh hoạt chuyên đề', 'Thực hiện', '', 'Lưu Chi bộ', 'cell', \
           'secretary', '', $2, $2, CASE WHEN id % 5 >= 2 THEN $2 ELSE NULL END, path \
         FROM orgs WHERE kind = 'cell' AND id % 7 <> 0",
        year,
        now
    )?;
    exec!(
        db,
        "INSERT INTO topics (plan_id, position, title, content, quarter, session_exact, materials) \
         SELECT p.id, q.n - 1, 'Chuyên đề quý ' || CAST(q.n AS TEXT), '', q.n, FALSE, '' \
         FROM plans p JOIN orgs o ON o.id = p.org_id \
         CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) q \
         WHERE p.year = $1 AND o.kind = 'cell'",
        year
    )?;
    let first = |month: u32| NaiveDate::from_ymd_opt(year, month, 1).context("a month");
    // The five standard steps, each due in the first month of its topic's quarter; one in
    // three done.
    exec!(
        db,
        "INSERT INTO steps (topic_id, position, kind, label, due_on, due_exact, note, done_on) \
         SELECT t.id, k.n - 1, k.kind, k.label, \
           CASE t.quarter WHEN 1 THEN $2 WHEN 2 THEN $3 WHEN 3 THEN $4 ELSE $5 END, FALSE, '', \
           CASE WHEN (t.id + k.n) % 3 = 0 THEN $2 ELSE NULL END \
         FROM topics t JOIN plans p ON p.id = t.plan_id \
         CROSS JOIN (SELECT 1 AS n, 'outline' AS kind, 'Chuẩn bị đề cương' AS label \
           UNION ALL SELECT 2, 'draft1', 'Xây dựng dự thảo lần 1' \
           UNION ALL SELECT 3, 'comments', 'Lấy ý kiến tham gia' \
           UNION ALL SELECT 4, 'draft2', 'Tiếp thu hoàn chỉnh dự thảo lần 2' \
           UNION ALL SELECT 5, 'session', 'Tổ chức sinh hoạt chuyên đề') k \
         WHERE p.year = $1",
        year,
        first(1)?,
        first(4)?,
        first(7)?,
        first(10)?
    )?;
    Ok(())
}

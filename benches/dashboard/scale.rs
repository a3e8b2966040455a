//! The dashboard at national and province scale (issue "National scale"):
//! `CHUYENDE_BENCH_SCALE=national` (PostgreSQL) or `CHUYENDE_BENCH_SCALE=province` (SQLite).
//!
//! National: 1 root, 34 provinces, 3,298 communes (97 a province), 10 to 170 cells a commune
//! (about 297,000), 6 in 7 cells with a plan of this year in one of the five states, 4 topics
//! a plan, 5 steps a topic; the root's issued directive plan, whose first topic half the cells
//! pulled in. Province: the same shape with 4 districts and 112 communes (about 10,000 cells).
//! Members and step assignees, which no dashboard statement reads, are not generated.
//!
//! Everything below the provinces is set-based SQL (a recursive CTE counts, which both
//! databases have), so the national tree takes minutes, not hours. With
//! `CHUYENDE_BENCH_KEEP=1` the database is kept and its URL printed; `CHUYENDE_BENCH_URL=…`
//! reuses a kept one instead of generating (the app's migrations still run first, so a new
//! index is measured at once).
//!
//! Each page is timed over HTTP, median of `CHUYENDE_BENCH_RUNS` (5) after one warm-up, signed
//! in as a reviewer of the root, of a province and of a commune; the CSV also gives its size
//! and the time to its first byte, and the process's resident memory is read after it.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{Datelike, Local, Utc};
use chuyende::db::{Db, orgs, plans, users};
use chuyende::domain::org::{Org, OrgId, OrgKind, Year};
use chuyende::domain::user::{Login, Password};
use chuyende::{AppState, Settings};

use super::{PASSWORD, bulk_plans, draft, median};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    National,
    Province,
}

impl Scale {
    pub fn from_env() -> Option<Self> {
        match std::env::var("CHUYENDE_BENCH_SCALE").ok()?.as_str() {
            "national" => Some(Scale::National),
            "province" => Some(Scale::Province),
            _ => None,
        }
    }

    /// Units directly below the root, and communes below each.
    fn shape(self) -> (usize, usize) {
        match self {
            Scale::National => (34, 97),
            Scale::Province => (4, 28),
        }
    }
}

fn runs() -> usize {
    std::env::var("CHUYENDE_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// The process's resident memory, in MB (Linux).
fn rss_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1e6
}

pub async fn run(scale: Scale) -> anyhow::Result<()> {
    let (db, url, _dir) = match scale {
        Scale::National => {
            let (db, url) = postgres().await?;
            (db, url, None)
        }
        Scale::Province => sqlite()?,
    };
    let db = db.await?;
    db.migrate().await?;
    let year = Year::new(Local::now().year()).map_err(|e| anyhow::anyhow!("{e}"))?;
    if std::env::var_os("CHUYENDE_BENCH_URL").is_none() {
        let started = Instant::now();
        let cells = generate(&db, scale, year).await?;
        eprintln!(
            "generated {cells} cells in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    if super::keep() || std::env::var_os("CHUYENDE_BENCH_URL").is_some() {
        eprintln!("database kept: CHUYENDE_BENCH_URL={url}");
    }
    let levels = levels(&db).await?;

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
    let y = year.get();
    println!();
    println!("| page | level | cells | median | first byte | size |");
    println!("|---|---|---|---|---|---|");
    for (level, org, cells) in &levels {
        let client = super::sign_in_as(&base, &reviewer_login(level)).await?;
        let id = org.id;
        let pages = [
            (
                "dashboard, page 1",
                format!("/orgs/{id}/dashboard?year={y}"),
            ),
            (
                "dashboard, page 100",
                format!("/orgs/{id}/dashboard?year={y}&page=100"),
            ),
            (
                "dashboard, search",
                format!("/orgs/{id}/dashboard?year={y}&q=truong"),
            ),
            (
                "dashboard, state filter",
                format!("/orgs/{id}/dashboard?year={y}&state=submitted"),
            ),
            (
                "dashboard, no session this quarter",
                format!(
                    "/orgs/{id}/dashboard?year={y}&unheld={}",
                    chuyende::domain::calendar::Quarter::of_date(Local::now().date_naive()).get()
                ),
            ),
            ("committee page", format!("/orgs/{id}")),
            (
                "dashboard CSV",
                format!("/orgs/{id}/dashboard.csv?year={y}"),
            ),
        ];
        for (name, path) in pages {
            let url = format!("{base}{path}");
            let mut times = Vec::new();
            let mut firsts = Vec::new();
            let mut size = 0;
            for run in 0..=runs() {
                let start = Instant::now();
                let mut response = client.get(&url).send().await?.error_for_status()?;
                let mut first = None;
                let mut bytes = 0;
                while let Some(chunk) = response.chunk().await? {
                    first.get_or_insert_with(|| start.elapsed());
                    bytes += chunk.len();
                }
                if run > 0 {
                    times.push(start.elapsed());
                    firsts.push(first.unwrap_or_default());
                }
                size = bytes;
            }
            let csv = name.ends_with("CSV");
            println!(
                "| {name} | {level} | {cells} | {} | {} | {} |",
                ms(median(times)),
                if csv {
                    ms(median(firsts))
                } else {
                    String::new()
                },
                if csv {
                    format!("{:.1} MB, RSS {:.0} MB", size as f64 / 1e6, rss_mb())
                } else {
                    String::new()
                },
            );
        }
    }
    server.abort();
    db.close().await;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn reviewer_login(level: &str) -> String {
    format!("theodoi.{level}")
}

type Connect = std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<Db>>>>;

async fn postgres() -> anyhow::Result<(Connect, String)> {
    if let Ok(url) = std::env::var("CHUYENDE_BENCH_URL") {
        let connect = url.clone();
        return Ok((
            Box::pin(async move { Ok(Db::connect(&connect).await?) }),
            url,
        ));
    }
    let admin_url = std::env::var("CHUYENDE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("chuyende_national_{}", std::process::id());
    let admin = Db::connect(&admin_url).await?;
    exec!(&admin, &format!("CREATE DATABASE {name}"))?;
    admin.close().await;
    let (prefix, _) = admin_url.rsplit_once('/').context("a URL with a path")?;
    let url = format!("{prefix}/{name}");
    let connect = url.clone();
    Ok((
        Box::pin(async move { Ok(Db::connect(&connect).await?) }),
        url,
    ))
}

/// A temporary file, removed at the end unless kept (then the directory is left behind).
fn sqlite() -> anyhow::Result<(Connect, String, Option<tempfile::TempDir>)> {
    let (url, dir) = match std::env::var("CHUYENDE_BENCH_URL") {
        Ok(url) => (url, None),
        Err(_) => {
            let dir = tempfile::tempdir()?;
            let url = format!("sqlite://{}/province.db", dir.path().display());
            if super::keep() {
                std::mem::forget(dir);
                (url, None)
            } else {
                (url, Some(dir))
            }
        }
    };
    let connect = url.clone();
    Ok((
        Box::pin(async move { Ok(Db::connect(&connect).await?) }),
        url,
        dir,
    ))
}

/// The root, the first province and the commune whose cell count is nearest 19, with their
/// cells.
async fn levels(db: &Db) -> anyhow::Result<Vec<(&'static str, Org, i64)>> {
    let sql = "SELECT o.id, (SELECT COUNT(*) FROM orgs c WHERE c.kind = 'cell' \
                 AND c.path >= o.path AND c.path < o.path || '~') AS cells \
               FROM orgs o WHERE o.kind = 'committee' AND o.parent_id IS NULL";
    let root: (OrgId, i64) = match db {
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_one(pool).await?,
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_one(pool).await?,
    };
    let province_sql = "SELECT o.id, (SELECT COUNT(*) FROM orgs c WHERE c.kind = 'cell' \
                 AND c.path >= o.path AND c.path < o.path || '~') AS cells \
               FROM orgs o WHERE o.parent_id = $1 ORDER BY o.id LIMIT 1";
    let province: (OrgId, i64) = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(province_sql)
                .bind(root.0)
                .fetch_one(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(province_sql)
                .bind(root.0)
                .fetch_one(pool)
                .await?
        }
    };
    let commune_sql = "SELECT o.id, COUNT(*) AS cells FROM orgs o JOIN orgs c ON c.parent_id = o.id \
               WHERE o.parent_id = $1 GROUP BY o.id ORDER BY ABS(COUNT(*) - 19), o.id LIMIT 1";
    let commune: (OrgId, i64) = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(commune_sql)
                .bind(province.0)
                .fetch_one(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(commune_sql)
                .bind(province.0)
                .fetch_one(pool)
                .await?
        }
    };
    let mut out = Vec::new();
    for (level, (id, cells)) in [("root", root), ("province", province), ("commune", commune)] {
        out.push((level, orgs::get(db, id).await?.context("a level")?, cells));
    }
    Ok(out)
}

/// Generates the tree; returns the number of cells.
async fn generate(db: &Db, scale: Scale, year: Year) -> anyhow::Result<i64> {
    let hash =
        chuyende::password::hash(&Password::parse(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?)
            .await?;
    let account = |login: String, admin: bool| {
        let hash = hash.clone();
        async move {
            let login = Login::parse(&login).map_err(|e| anyhow::anyhow!("{e}"))?;
            let id = users::create(
                db,
                &users::NewUser {
                    login: &login,
                    full_name: "Theo dõi",
                    password_hash: &hash,
                    is_admin: admin,
                },
                None,
            )
            .await?;
            anyhow::Ok(id)
        }
    };
    account("bench".into(), true).await?;

    let root_id = orgs::create(
        db,
        None,
        &draft(
            OrgKind::Committee,
            "Đảng bộ Thử nghiệm toàn quốc",
            "Đảng Cộng sản Việt Nam",
        )?,
        None,
    )
    .await?;
    let root = orgs::get(db, root_id).await?.context("root")?;
    let (provinces, communes) = scale.shape();
    let now = Utc::now();
    // The counting CTE: 1..=n.
    let numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 170)";
    let mut first_province = None;
    for p in 1..=provinces {
        let name = format!("Đảng bộ tỉnh số {p:02}");
        let id = orgs::create(
            db,
            Some(&root),
            &draft(OrgKind::Committee, &name, &root.name)?,
            None,
        )
        .await?;
        first_province.get_or_insert(id);
        exec!(
            db,
            &format!(
                "{numbers} INSERT INTO orgs (parent_id, kind, name, name_key, superior_name, \
                   abbreviation, place_name, term_start, path, created_at, updated_at) \
                 SELECT $1, 'committee', 'Đảng bộ xã số ' || CAST(i AS TEXT) || ' tỉnh ' || $2, \
                   'dang bo xa so ' || CAST(i AS TEXT) || ' tinh ' || $2, 'Đảng bộ tỉnh', 'ĐU', \
                   'Hà Tĩnh', 2020, '', $3, $3 FROM n WHERE i <= $4"
            ),
            id,
            format!("{p:02}"),
            now,
            communes as i64
        )?;
    }
    let fill_paths = "UPDATE orgs SET path = (SELECT p.path FROM orgs p WHERE p.id = orgs.parent_id) \
           || CAST(id AS TEXT) || '/' WHERE path = ''";
    exec!(db, fill_paths)?;
    // Cells: 10 to 170 a commune, named four ways, their search keys written alongside.
    exec!(
        db,
        &format!(
            "{numbers} INSERT INTO orgs (parent_id, kind, name, name_key, superior_name, \
               abbreviation, place_name, term_start, path, created_at, updated_at) \
             SELECT c.id, 'cell', \
               CASE (c.id + n.i) % 4 WHEN 0 THEN 'Chi bộ Trường Tiểu học số ' \
                 WHEN 1 THEN 'Chi bộ Thôn ' WHEN 2 THEN 'Chi bộ Cơ quan ' ELSE 'Chi bộ Ấp ' END \
                 || CAST(c.id * 1000 + n.i AS TEXT), \
               CASE (c.id + n.i) % 4 WHEN 0 THEN 'chi bo truong tieu hoc so ' \
                 WHEN 1 THEN 'chi bo thon ' WHEN 2 THEN 'chi bo co quan ' ELSE 'chi bo ap ' END \
                 || CAST(c.id * 1000 + n.i AS TEXT), \
               'Đảng bộ xã', 'CB', 'Hà Tĩnh', 2020, '', $1, $1 \
             FROM orgs c JOIN orgs pr ON pr.id = c.parent_id AND pr.parent_id = $2 \
             JOIN n ON n.i <= 10 + (c.id * 7919) % 161 \
             WHERE c.kind = 'committee'"
        ),
        now,
        root.id
    )?;
    exec!(db, fill_paths)?;
    chuyende::db::search_keys::fill(db).await?;
    bulk_plans(db, year.get(), now).await?;

    // The root's directive plan, issued; half the cells pulled its first topic in.
    let none = |_: &str| None;
    let mut directive = chuyende::domain::samples::model_plan_2022(&root, &none, "");
    directive.year = year;
    let directive_id = plans::create(db, &directive, root.term_start, None).await?;
    exec!(
        db,
        "UPDATE plans SET status = 'issued' WHERE id = $1",
        directive_id
    )?;
    exec!(
        db,
        "UPDATE topics SET mandated_topic_id = (SELECT t.id FROM topics t \
           WHERE t.plan_id = $1 AND t.position = 0) \
         WHERE position = 0 AND plan_id IN (SELECT p.id FROM plans p JOIN orgs o ON o.id = p.org_id \
           WHERE o.kind = 'cell' AND p.year = $2 AND o.id % 2 = 0)",
        directive_id,
        year.get()
    )?;

    // Reviewers of the three levels.
    for (level, (id, _)) in levels(db)
        .await?
        .into_iter()
        .map(|(level, org, cells)| (level, (org.id, cells)))
    {
        let user = account(reviewer_login(level), false).await?;
        users::add_review(db, user, id, None).await?;
    }
    if let Db::Postgres(_) = db {
        exec!(db, "VACUUM ANALYZE")?;
    }
    let count = "SELECT COUNT(*) FROM orgs WHERE kind = 'cell'";
    Ok(match db {
        Db::Sqlite(pool) => sqlx::query_scalar(count).fetch_one(pool).await?,
        Db::Postgres(pool) => sqlx::query_scalar(count).fetch_one(pool).await?,
    })
}

//! Every page is valid HTML5 and accessible: the Nu HTML checker (vnu, from the `vnu-jar`
//! package) reads every page each role gets, in one run, and axe-core (the `axe-core` package)
//! runs in Chromium on every page. Pages come from the router (every GET route, as each role
//! that may open it), so a new page is checked without editing this test.
//!
//! The checkers are installed by `npm ci --prefix tests/tools` (`.ci/run` does it); without them
//! (or without Java) the tests fail and say so.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::both;
use crate::browser::Chromium;
use crate::harness::{Browser, TestApp, adopt_and_submit};
use crate::hostile::{Ids, resolve};
use chuyende::db;
use chuyende::domain::org::Year;

const TOOLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools");

/// A file of the checkers' packages, or a failure that says how to install them.
fn tool(relative: &str) -> PathBuf {
    let path = Path::new(TOOLS).join("node_modules").join(relative);
    assert!(
        path.exists(),
        "{} is missing: install the page checkers with `npm ci --prefix tests/tools` \
         (needs Node.js and npm; .ci/run does it)",
        path.display()
    );
    path
}

/// The accounts pages are read as: no one, a member, the cell's secretary, the committee's
/// reviewer, an administrator.
const ROLES: [Option<&str>; 5] = [
    None,
    Some("dangvien"),
    Some("bithu"),
    Some("danguy"),
    Some("admin"),
];

/// One page as a role got it.
struct Page {
    role: &'static str,
    path: String,
    status: StatusCode,
    html: String,
}

/// Every HTML page of every GET route, as every role gets it (pages refused to a role are its
/// 403 and 404 pages, checked too): once with the kindergarten's draft plan and cell, once with
/// the plan a cell submitted (its review page, its revision) and the committee above.
async fn every_page(app: &TestApp) -> Vec<Page> {
    let demo = &app.demo;
    let year = Year::new(2022).unwrap();
    let plan = db::plans::find(&app.db, demo.kindergarten.id, year)
        .await
        .unwrap()
        .unwrap();
    let stored = db::plans::get(&app.db, plan).await.unwrap().unwrap();
    let submitted = db::plans::find(&app.db, demo.school.id, year)
        .await
        .unwrap()
        .unwrap();
    // The school's secretary sends its plan up, so a revision and a review page exist.
    let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
    let thanh = app.member_id(demo.school.id, "Đỗ Văn Thành").await;
    db::members::link_user(&app.db, thanh, secretary_b)
        .await
        .unwrap();
    adopt_and_submit(&app.login("bithu.b").await, submitted).await;
    let revision = db::review::latest_revisions(&app.db, submitted, 1)
        .await
        .unwrap()[0]
        .id;
    let user = db::users::find_by_login(&app.db, "dangvien")
        .await
        .unwrap()
        .unwrap()
        .id;
    let notification = db::notifications::list(
        &app.db,
        db::users::find_by_login(&app.db, "danguy")
            .await
            .unwrap()
            .unwrap()
            .id,
        1,
        0,
    )
    .await
    .unwrap()
    .first()
    .map(|n| n.id.to_string())
    .unwrap_or_else(|| "999999".into());
    // The demo's papers: the latest version of its session's topic, open to comments.
    let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
    let current = db::plans::find(&app.db, demo.kindergarten.id, this_year)
        .await
        .unwrap()
        .unwrap();
    let demo_session = db::sessions::open_of_plan(&app.db, current).await.unwrap()[0].clone();
    let paper_topic = demo_session.topic_id;
    let paper = db::papers::of_topic(&app.db, paper_topic)
        .await
        .unwrap()
        .pop()
        .unwrap()
        .id;
    let comment = db::papers::comments(&app.db, paper).await.unwrap()[0].id;
    let (model_plan, model_session) = crate::harness::model_plan_draft(app).await;
    let cell_ids = Ids {
        plan: plan.to_string(),
        cell: demo.kindergarten.id.to_string(),
        committee: demo.commune.id.to_string(),
        member: app
            .member_id(demo.kindergarten.id, "Nguyễn Thị Ly")
            .await
            .to_string(),
        topic: stored.topics[0].id.to_string(),
        step: stored.topics[0].steps[0].id.to_string(),
        user: user.to_string(),
        revision: revision.to_string(),
        notification: notification.clone(),
        session: demo_session.id.to_string(),
        paper: paper.to_string(),
        comment: comment.to_string(),
        model_plan: model_plan.to_string(),
        model_session: model_session.to_string(),
    };
    let committee_ids = Ids {
        plan: submitted.to_string(),
        cell: demo.commune.id.to_string(),
        committee: cell_ids.committee.clone(),
        member: cell_ids.member.clone(),
        topic: cell_ids.topic.clone(),
        step: cell_ids.step.clone(),
        user: cell_ids.user.clone(),
        revision: cell_ids.revision.clone(),
        notification,
        session: cell_ids.session.clone(),
        paper: cell_ids.paper.clone(),
        comment: cell_ids.comment.clone(),
        model_plan: cell_ids.model_plan.clone(),
        model_session: cell_ids.model_session.clone(),
    };
    let mut paths = Vec::new();
    for route in chuyende::web::route_paths() {
        for ids in [&cell_ids, &committee_ids] {
            if let Some(path) = resolve(route, ids)
                && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
    }
    let mut browsers: Vec<(&'static str, Browser)> = Vec::new();
    for role in ROLES {
        browsers.push(match role {
            None => ("anonymous", app.browser()),
            Some(login) => (login, app.login(login).await),
        });
    }
    let mut pages = Vec::new();
    for path in &paths {
        for (role, browser) in &browsers {
            let response = browser.get(path).await;
            let html = response
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if html {
                pages.push(Page {
                    role,
                    path: path.clone(),
                    status: response.status,
                    html: response.body,
                });
            }
        }
    }
    pages
}

/// The messages of type "error" vnu reports on `pages`, checked in one run.
fn vnu_errors(pages: &[Page]) -> Vec<String> {
    let jar = tool("vnu-jar/build/dist/vnu.jar");
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = pages
        .iter()
        .enumerate()
        .map(|(n, page)| {
            let file = dir.path().join(format!("{n:04}.html"));
            std::fs::write(&file, &page.html).unwrap();
            file
        })
        .collect();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--exit-zero-always"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run java ({e}): the HTML checker needs a Java runtime: `apt-get install default-jre-headless` (.ci/run does it)")
        });
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu did not answer in JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut errors = Vec::new();
    for message in report["messages"].as_array().expect("vnu's messages") {
        let kind = message["type"].as_str().unwrap_or_default();
        if kind == "info" {
            continue;
        }
        let url = message["url"].as_str().unwrap_or_default();
        let page = url
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".html"))
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| &pages[n]);
        let (role, path) = page.map_or(("?", url), |p| (p.role, p.path.as_str()));
        errors.push(format!(
            "{path} ({role}), line {}: {} [{}]",
            message["lastLine"],
            message["message"].as_str().unwrap_or_default(),
            message["extract"].as_str().unwrap_or_default().trim(),
        ));
    }
    errors
}

both! {
    async fn every_page_is_valid_html(app: TestApp) {
        let pages = every_page(&app).await;
        let ok = pages.iter().filter(|p| p.status == StatusCode::OK).count();
        assert!(ok >= 30, "only {ok} pages answered 200: the sweep lost its way");
        assert!(pages.iter().any(|p| p.status == StatusCode::NOT_FOUND), "a 404 page is checked too");
        let errors = vnu_errors(&pages);
        assert!(errors.is_empty(), "the Nu HTML checker found {} errors in {} pages:\n{}", errors.len(), pages.len(), errors.join("\n"));
    }

    async fn every_page_passes_axe_in_chromium(app: TestApp) {
        let axe = std::fs::read_to_string(tool("axe-core/axe.min.js")).unwrap();
        let pages = every_page(&app).await;
        let chromium = Chromium::start().await;
        let browser = &chromium.client;
        let mut failures = Vec::new();
        let mut checked = 0;
        // Each path as the first and the last role that may open it (the last, an administrator
        // or a reviewer, sees the most controls); one 403 and one 404 page.
        let errors: Vec<&Page> = [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].iter()
            .filter_map(|status| pages.iter().find(|p| p.status == *status))
            .collect();
        assert_eq!(errors.len(), 2, "a 403 and a 404 page are checked too");
        for (role, login) in ROLES.iter().map(|r| (r.unwrap_or("anonymous"), *r)) {
            let mine: Vec<&Page> = pages.iter()
                .filter(|p| p.role == role && p.status == StatusCode::OK)
                .filter(|p| {
                    let may: Vec<&str> = pages.iter().filter(|q| q.path == p.path && q.status == StatusCode::OK).map(|q| q.role).collect();
                    may.first() == Some(&p.role) || may.last() == Some(&p.role)
                })
                .chain(errors.iter().copied().filter(|p| p.role == role))
                .collect();
            browser.delete_all_cookies().await.ok();
            if let Some(login) = login {
                browser.goto(&format!("{}/login", app.base)).await.unwrap();
                chromium.fill("login", login).await;
                chromium.fill("password", chuyende::demo::PASSWORD).await;
                chromium.click("form[action='/login'] button[type='submit']").await;
                chromium.wait_for("Đăng xuất").await;
            }
            for page in mine {
                browser.goto(&format!("{}{}", app.base, page.path)).await.unwrap();
                browser.execute(&axe, Vec::new()).await.expect("axe-core loads in the page");
                let found = browser.execute_async(
                    "const done = arguments[arguments.length - 1];
                     axe.run(document, { resultTypes: ['violations'] })
                        .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                            + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                        .catch(e => done(['axe failed: ' + e]));",
                    Vec::new(),
                ).await.unwrap();
                checked += 1;
                for violation in found.as_array().into_iter().flatten() {
                    failures.push(format!("{} ({role}): {}", page.path, violation.as_str().unwrap_or_default()));
                }
            }
        }
        assert!(checked >= 40, "axe ran on only {checked} pages");
        assert!(failures.is_empty(), "axe-core found {} violations:\n{}", failures.len(), failures.join("\n"));
        chromium.client.clone().close().await.unwrap();
    }
}

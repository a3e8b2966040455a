//! The committee dashboard over HTTP: counts on a generated tree, filters and search, pages,
//! the mandated topics of directive plans, the CSV export, who may see it.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Local, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;

use crate::both;
use crate::harness::{Response, TestApp};
use chuyende::db::{Db, orgs, plans, users};
use chuyende::domain::org::{Abbreviation, Org, OrgDraft, OrgKind, Year};
use chuyende::domain::plan::Plan;
use chuyende::domain::samples;
use chuyende::domain::text::Line;

/// Runs one statement on whichever database the app uses (states and dates are set this way:
/// the plan life cycle is another part of the application).
macro_rules! sql {
    ($app:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &$app.db {
            Db::Sqlite(pool) => {
                sqlx::query($sql)$(.bind($arg))*.execute(pool).await.unwrap();
            }
            Db::Postgres(pool) => {
                sqlx::query($sql)$(.bind($arg))*.execute(pool).await.unwrap();
            }
        }
    };
}

fn draft(kind: OrgKind, name: &str) -> OrgDraft {
    OrgDraft {
        kind,
        name: Line::parse(name, 200).unwrap(),
        superior_name: Line::parse("Đảng bộ cấp trên", 200).unwrap(),
        abbreviation: Abbreviation::parse(if kind == OrgKind::Cell { "CB" } else { "ĐU" }).unwrap(),
        place_name: Line::parse("Định An", 100).unwrap(),
        term_start: Year::new(2020).unwrap(),
    }
}

async fn add(app: &TestApp, parent: Option<&Org>, kind: OrgKind, name: &str) -> Org {
    let id = orgs::create(&app.db, parent, &draft(kind, name), None)
        .await
        .unwrap();
    orgs::get(&app.db, id).await.unwrap().unwrap()
}

/// Stores the seed plan (seed 003 by default, seed 002 when `kindergarten`) for `org` in 2022.
async fn plan_2022(app: &TestApp, org: &Org, kindergarten: bool) -> Plan {
    let none = |_: &str| None;
    let plan = if kindergarten {
        samples::kindergarten_plan_2022(org, &none, "")
    } else {
        samples::model_plan_2022(org, &none, "")
    };
    let id = plans::create(&app.db, &plan, org.term_start, None)
        .await
        .unwrap();
    plans::get(&app.db, id).await.unwrap().unwrap()
}

/// (name, parent: 'A' | 'B' | '1' for B1, state in 2022 or "none", submitted on)
type CellSeed = (&'static str, char, &'static str, Option<(u32, u32)>);

const CELLS: [CellSeed; 12] = [
    ("Chi bộ An Bình", 'A', "submitted", Some((3, 10))),
    ("Chi bộ Bến Tre", 'A', "draft", None),
    ("Chi bộ Định Hòa", 'A', "accepted", Some((2, 1))),
    ("Chi bộ Giáo viên", 'A', "none", None),
    ("Chi bộ Hải Đăng", 'A', "adopted", None),
    ("Chi bộ Khánh Hội", '1', "returned", Some((2, 15))),
    ("Chi bộ Long Hòa", '1', "draft", None),
    ("Chi bộ Mỹ Định", '1', "none", None),
    ("Chi bộ Nam Định", '1', "submitted", Some((4, 1))),
    ("Chi bộ Phú Lợi", 'B', "draft", None),
    ("Chi bộ Quang Trung", 'B', "accepted", Some((1, 20))),
    ("Chi bộ Tân Định", 'B', "none", None),
];

/// Đảng bộ Thử nghiệm ─┬─ Đảng ủy Khối A ── 5 cells
///                     └─ Đảng ủy Khối B ─┬─ Đảng bộ cơ sở B1 ── 4 cells
///                                        └─ 3 cells
struct Tree {
    top: Org,
    a: Org,
    b: Org,
    b1: Org,
    cells: HashMap<&'static str, Org>,
    plans: HashMap<&'static str, Plan>,
    /// The issued directive plans of the top committee and of B for 2022.
    top_directive: Plan,
    b_directive: Plan,
}

impl Tree {
    fn cell(&self, name: &str) -> &Org {
        &self.cells[name]
    }

    fn plan(&self, name: &str) -> &Plan {
        &self.plans[name]
    }
}

async fn build(app: &TestApp) -> Tree {
    let top = add(app, None, OrgKind::Committee, "Đảng bộ Thử nghiệm").await;
    let a = add(app, Some(&top), OrgKind::Committee, "Đảng ủy Khối A").await;
    let b = add(app, Some(&top), OrgKind::Committee, "Đảng ủy Khối B").await;
    let b1 = add(app, Some(&b), OrgKind::Committee, "Đảng bộ cơ sở B1").await;
    let mut cells = HashMap::new();
    let mut stored = HashMap::new();
    for (name, parent, state, submitted) in CELLS {
        let parent = match parent {
            'A' => &a,
            'B' => &b,
            _ => &b1,
        };
        let cell = add(app, Some(parent), OrgKind::Cell, name).await;
        if state != "none" {
            let plan = plan_2022(app, &cell, name == "Chi bộ Long Hòa").await;
            let at = submitted.map(|(m, d)| Utc.with_ymd_and_hms(2022, m, d, 10, 0, 0).unwrap());
            sql!(
                app,
                "UPDATE plans SET status = $1, submitted_at = $2 WHERE id = $3",
                state,
                at,
                plan.id
            );
            stored.insert(name, plan);
        }
        cells.insert(name, cell);
    }
    // A plan of another year, which the 2022 dashboard must not see.
    let mut other = samples::model_plan_2022(&cells["Chi bộ Giáo viên"], &|_| None, "");
    other.year = Year::new(2023).unwrap();
    plans::create(&app.db, &other, Year::new(2020).unwrap(), None)
        .await
        .unwrap();

    // Quarters: Bến Tre's first topic has only a session in August (quarter III), its second
    // neither quarter nor session (counted in no quarter).
    let ben_tre = &stored["Chi bộ Bến Tre"];
    let august = NaiveDate::from_ymd_opt(2022, 8, 1).unwrap();
    sql!(
        app,
        "UPDATE topics SET quarter = NULL, session_on = $1 WHERE id = $2",
        august,
        ben_tre.topics[0].id
    );
    sql!(
        app,
        "UPDATE topics SET quarter = NULL, session_on = NULL WHERE id = $1",
        ben_tre.topics[1].id
    );
    // Overdue: of its 20 steps (all due in 2022), four are not overdue and one is.
    let today = Local::now().date_naive();
    let steps: Vec<i64> = ben_tre.topics[2].steps.iter().map(|s| s.id.get()).collect();
    sql!(
        app,
        "UPDATE steps SET done_on = $1 WHERE id = $2",
        august,
        steps[0]
    );
    sql!(
        app,
        "UPDATE steps SET due_on = $1, due_exact = TRUE WHERE id = $2",
        today + Duration::days(10),
        steps[1]
    );
    sql!(
        app,
        "UPDATE steps SET due_on = $1, due_exact = FALSE WHERE id = $2",
        today.with_day(1).unwrap(),
        steps[2]
    );
    sql!(
        app,
        "UPDATE steps SET due_on = $1, due_exact = TRUE WHERE id = $2",
        today - Duration::days(1),
        steps[3]
    );
    sql!(
        app,
        "UPDATE steps SET due_on = NULL WHERE id = $1",
        steps[4]
    );

    // Directive plans: the top committee's and B's are issued, A's is still a draft.
    let top_directive = plan_2022(app, &top, false).await;
    let b_directive = plan_2022(app, &b, true).await;
    let a_directive = plan_2022(app, &a, false).await;
    sql!(
        app,
        "UPDATE plans SET status = 'issued' WHERE id = $1 OR id = $2",
        top_directive.id,
        b_directive.id
    );
    for (cell, topic) in [
        ("Chi bộ An Bình", top_directive.topics[0].id),
        ("Chi bộ Định Hòa", top_directive.topics[0].id),
        ("Chi bộ Khánh Hội", top_directive.topics[0].id),
        ("Chi bộ Quang Trung", top_directive.topics[1].id),
        ("Chi bộ Long Hòa", b_directive.topics[0].id),
        // Pulled from a draft: not a mandated topic of anyone's dashboard.
        ("Chi bộ Hải Đăng", a_directive.topics[0].id),
    ] {
        sql!(
            app,
            "UPDATE topics SET mandated_topic_id = $1 WHERE id = $2",
            topic,
            stored[cell].topics[0].id
        );
    }
    Tree {
        top,
        a,
        b,
        b1,
        cells,
        plans: stored,
        top_directive,
        b_directive,
    }
}

fn dashboard(org: &Org, query: &str) -> String {
    format!("/orgs/{}/dashboard?{query}", org.id)
}

/// The cells of the tree listed on a dashboard page, by name.
fn listed(page: &Response, tree: &Tree) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = CELLS
        .iter()
        .map(|(name, ..)| *name)
        .filter(|name| {
            page.body
                .contains(&format!("href=\"/orgs/{}\">{name}</a>", tree.cell(name).id))
        })
        .collect();
    names.sort_unstable();
    names
}

#[track_caller]
fn assert_total(page: &Response, label: &str, count: u32) {
    page.contains(&format!("<strong>{count}</strong><span>{label}</span>"));
}

/// The CSV body without its byte-order mark, as rows of fields keyed by the cell's name.
pub(crate) async fn csv_rows(
    browser: &crate::harness::Browser,
    path: &str,
) -> (reqwest::header::HeaderMap, Vec<Vec<String>>) {
    let response = browser
        .http
        .get(format!("{}{path}", browser.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte-order mark for Excel"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

both! {
    async fn counts_states_quarters_and_overdue_steps_of_the_whole_subtree(app: TestApp) {
        let tree = build(&app).await;
        let admin = app.login("admin").await;

        let page = admin.get(&dashboard(&tree.top, "year=2022")).await;
        page.ok()
            .contains("Theo dõi kế hoạch năm 2022")
            .contains("12 chi bộ trực thuộc");
        for (label, n) in [("Tất cả", 12), ("Chưa có kế hoạch", 3), ("Dự thảo", 3), ("Đã thông qua chi bộ", 1),
                           ("Đã báo cáo cấp trên", 2), ("Cấp trên trả lại", 1), ("Cấp trên đã duyệt", 2)] {
            assert_total(&page, label, n);
        }
        assert_eq!(listed(&page, &tree).len(), 12);
        // Links to each cell, its plan, and the unit above it.
        page.contains(&format!("href=\"/plans/{}\"", tree.plan("Chi bộ An Bình").id))
            .contains(&format!("href=\"/orgs/{}\">Đảng bộ cơ sở B1</a>", tree.b1.id))
            .contains("10/03/2022");

        // The subtree only: B has B1's four cells and its own three.
        let page = admin.get(&dashboard(&tree.b, "year=2022")).await;
        page.ok().contains("7 chi bộ trực thuộc");
        assert_total(&page, "Tất cả", 7);
        assert_total(&page, "Chưa có kế hoạch", 2);
        assert_total(&page, "Dự thảo", 2);
        assert_total(&page, "Đã thông qua chi bộ", 0);
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Khánh Hội", "Chi bộ Long Hòa", "Chi bộ Mỹ Định",
                                             "Chi bộ Nam Định", "Chi bộ Phú Lợi", "Chi bộ Quang Trung", "Chi bộ Tân Định"]);

        // Another year: the one 2023 plan, every other cell without a plan.
        let page = admin.get(&dashboard(&tree.top, "year=2023")).await;
        assert_total(&page, "Chưa có kế hoạch", 11);
        assert_total(&page, "Dự thảo", 1);

        // The figures of each row, read from the export.
        let (_, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv?year=2022", tree.top.id)).await;
        let by_name: HashMap<&str, &Vec<String>> = rows[1..].iter().map(|r| (r[1].as_str(), r)).collect();
        let row = |name: &str| by_name[name][2..10].join("|");
        assert_eq!(tree.plan("Chi bộ Phú Lợi").topics.iter().map(|t| t.steps.len()).sum::<usize>(), 20);
        assert_eq!(row("Chi bộ Phú Lợi"), "Đảng ủy Khối B|Dự thảo||1|1|1|1|20");
        assert_eq!(row("Chi bộ Bến Tre"), "Đảng ủy Khối A|Dự thảo||0|0|2|1|16", "quarter from the session date; overdue cut-offs");
        assert_eq!(row("Chi bộ Long Hòa"), "Đảng bộ cơ sở B1|Dự thảo||0|1|1|1|15");
        assert_eq!(row("Chi bộ An Bình"), "Đảng ủy Khối A|Đã báo cáo cấp trên|10/03/2022|1|1|1|1|20");
        assert_eq!(row("Chi bộ Khánh Hội"), "Đảng bộ cơ sở B1|Cấp trên trả lại|15/02/2022|1|1|1|1|20");
        assert_eq!(row("Chi bộ Giáo viên"), "Đảng ủy Khối A|Chưa có kế hoạch||0|0|0|0|0");
        assert_eq!(by_name["Chi bộ Giáo viên"][10], "", "no plan id");
        assert_eq!(by_name["Chi bộ An Bình"][10], tree.plan("Chi bộ An Bình").id.to_string());
    }

    async fn filters_by_state_and_searches_names_in_vietnamese(app: TestApp) {
        let tree = build(&app).await;
        let admin = app.login("admin").await;

        let page = admin.get(&dashboard(&tree.top, "year=2022&state=submitted")).await;
        page.ok();
        assert_eq!(listed(&page, &tree), vec!["Chi bộ An Bình", "Chi bộ Nam Định"]);
        assert_total(&page, "Tất cả", 12);
        page.contains("<option value=\"submitted\" selected>");

        let page = admin.get(&dashboard(&tree.top, "year=2022&state=none")).await;
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Giáo viên", "Chi bộ Mỹ Định", "Chi bộ Tân Định"]);

        // Each total links to its filter, keeping the year and the search.
        let page = admin.get(&dashboard(&tree.top, "year=2022&q=h%C3%B2a")).await;
        page.contains(&format!("/orgs/{}/dashboard?year=2022&#38;state=draft&#38;q=h%C3%B2a", tree.top.id));

        // Case- and diacritic-insensitive, on both databases; the totals follow.
        for q in ["%C4%91%E1%BB%8Bnh", "%C4%90%E1%BB%8ANH", "%C4%90%E1%BB%8Bnh", "dinh", "DINH", "%C4%91inh"] {
            // định, ĐỊNH, Định, dinh, DINH, đinh
            let page = admin.get(&dashboard(&tree.top, &format!("year=2022&q={q}"))).await;
            page.ok();
            assert_eq!(listed(&page, &tree), vec!["Chi bộ Mỹ Định", "Chi bộ Nam Định", "Chi bộ Tân Định", "Chi bộ Định Hòa"], "{q}");
            assert_total(&page, "Tất cả", 4);
            assert_total(&page, "Chưa có kế hoạch", 2);
            page.contains("12 chi bộ trực thuộc");
        }
        let page = admin.get(&dashboard(&tree.top, "year=2022&q=H%C3%92A&state=draft")).await;
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Long Hòa"]);
        // Typed without marks, several words: "chi bo my dinh" finds "Chi bộ Mỹ Định".
        let page = admin.get(&dashboard(&tree.top, "year=2022&q=bo%20my%20%20dinh")).await;
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Mỹ Định"]);
        // Wildcards are plain characters.
        for q in ["%25", "_", "*", "%5B", "dinhx"] {
            let page = admin.get(&dashboard(&tree.top, &format!("year=2022&q={q}"))).await;
            page.ok().contains("Không có chi bộ nào phù hợp.");
            assert_total(&page, "Tất cả", 0);
        }
        // Text typed with combining marks is the same name.
        let page = admin.get(&dashboard(&tree.top, "year=2022&q=M%E1%BB%B9%20%C4%90i%CC%A3nh")).await;
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Mỹ Định"]);
    }

    async fn mandated_topics_count_and_list_the_cells_that_included_them(app: TestApp) {
        let tree = build(&app).await;
        let admin = app.login("admin").await;
        let titles = samples::MODEL_TOPICS;
        let topic = |n: usize| tree.top_directive.topics[n].id;

        let page = admin.get(&dashboard(&tree.top, "year=2022")).await;
        page.ok().contains("Chuyên đề cấp trên giao năm 2022").contains(titles[0]);
        let included = format!("/orgs/{}/dashboard?year=2022&#38;mandated={}&#38;included=yes", tree.top.id, topic(0));
        let missing = format!("/orgs/{}/dashboard?year=2022&#38;mandated={}&#38;included=no", tree.top.id, topic(0));
        page.contains(&format!("<a href=\"{included}\">3 chi bộ</a>"))
            .contains(&format!("<a href=\"{missing}\">9 chi bộ</a>"))
            .contains(&format!("mandated={}&#38;included=yes\">1 chi bộ</a>", topic(1)))
            .contains(&format!("mandated={}&#38;included=yes\">0 chi bộ</a>", topic(2)))
            // B's directive plan concerns B's subtree only; A's is not issued.
            .lacks(samples::KINDERGARTEN_TOPICS[0]);

        let page = admin.get(&included.replace("&#38;", "&")).await;
        page.ok().contains("Các chi bộ đã đưa chuyên đề");
        assert_eq!(listed(&page, &tree), vec!["Chi bộ An Bình", "Chi bộ Khánh Hội", "Chi bộ Định Hòa"]);
        assert_total(&page, "Tất cả", 3);
        let page = admin.get(&missing.replace("&#38;", "&")).await;
        page.ok().contains("Các chi bộ chưa đưa chuyên đề");
        assert_eq!(listed(&page, &tree).len(), 9);
        let page = admin.get(&dashboard(&tree.top, &format!("year=2022&mandated={}&included=no&state=none", topic(0)))).await;
        assert_eq!(listed(&page, &tree), vec!["Chi bộ Giáo viên", "Chi bộ Mỹ Định", "Chi bộ Tân Định"]);

        // Below: the ancestor's topics, counted in this subtree; and B's own directive plan.
        let page = admin.get(&dashboard(&tree.a, "year=2022")).await;
        page.contains(&format!("mandated={}&#38;included=yes\">2 chi bộ</a>", topic(0)))
            .contains(&format!("mandated={}&#38;included=no\">3 chi bộ</a>", topic(0)))
            .lacks(samples::KINDERGARTEN_TOPICS[0]);
        let page = admin.get(&dashboard(&tree.b1, "year=2022")).await;
        page.contains(samples::KINDERGARTEN_TOPICS[0])
            .contains(&format!("mandated={}&#38;included=yes\">1 chi bộ</a>", tree.b_directive.topics[0].id))
            .contains(&format!("mandated={}&#38;included=yes\">1 chi bộ</a>", topic(0)));

        // A topic that is not mandated for this dashboard is dropped, with a note.
        let page = admin.get(&dashboard(&tree.a, &format!("year=2022&mandated={}", tree.b_directive.topics[0].id))).await;
        page.ok().contains("Không có chuyên đề được giao này");
        assert_eq!(listed(&page, &tree).len(), 5);
        // Another year has no directive plan.
        admin.get(&dashboard(&tree.top, "year=2023")).await.ok().lacks("Chuyên đề cấp trên giao");

        // The export follows the same filter.
        let (_, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv?year=2022&mandated={}&included=yes", tree.top.id, topic(0))).await;
        assert_eq!(rows.len(), 4);
    }

    async fn pages_of_fifty(app: TestApp) {
        let top = add(&app, None, OrgKind::Committee, "Đảng bộ Phân trang").await;
        let mut ids = Vec::new();
        for n in 1..=120 {
            ids.push(add(&app, Some(&top), OrgKind::Cell, &format!("Chi bộ số {n:03}")).await.id);
        }
        let admin = app.login("admin").await;
        let shown = |page: &Response| (1..=120).filter(|n| page.body.contains(&format!(">Chi bộ số {n:03}</a>"))).collect::<Vec<_>>();

        // The year defaults to the current one.
        let year = Local::now().year();
        let first = admin.get(&format!("/orgs/{}/dashboard", top.id)).await;
        first.ok()
            .contains(&format!("Theo dõi kế hoạch năm {year}"))
            .contains("Trang 1/3 · 1–50 trên 120")
            .contains(&format!("/orgs/{}/dashboard?year={year}&#38;page=2\" rel=\"next\"", top.id))
            .lacks("rel=\"prev\"");
        assert_eq!(shown(&first), (1..=50).collect::<Vec<_>>());
        assert_total(&first, "Chưa có kế hoạch", 120);

        let second = admin.get(&format!("/orgs/{}/dashboard?page=2", top.id)).await;
        assert_eq!(shown(&second), (51..=100).collect::<Vec<_>>());
        second.contains("rel=\"prev\"").contains("rel=\"next\"");
        let last = admin.get(&format!("/orgs/{}/dashboard?page=3", top.id)).await;
        assert_eq!(shown(&last), (101..=120).collect::<Vec<_>>());
        last.contains("Trang 3/3 · 101–120 trên 120").lacks("rel=\"next\"");
        // Past the end: the last page; not a number: the first, with a note.
        let past = admin.get(&format!("/orgs/{}/dashboard?page=99", top.id)).await;
        assert_eq!(shown(&past), (101..=120).collect::<Vec<_>>());
        let bad = admin.get(&format!("/orgs/{}/dashboard?page=abc&year=20x5&state=bogus", top.id)).await;
        bad.ok()
            .contains("Số trang không hợp lệ")
            .contains("Năm phải là một số")
            .contains("Trạng thái không hợp lệ");
        assert_eq!(shown(&bad).len(), 50);
        admin.get(&format!("/orgs/{}/dashboard?year=1800", top.id)).await.ok()
            .contains("Năm không hợp lệ (từ 1930 đến 2100).")
            .contains(&format!("Theo dõi kế hoạch năm {year}"));

        // Search and state narrow what is paginated.
        let page = admin.get(&format!("/orgs/{}/dashboard?q=11", top.id)).await;
        assert_eq!(shown(&page), vec![11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119]);
        page.contains("Trang 1/1");
        admin.get(&format!("/orgs/{}/dashboard?state=draft", top.id)).await.ok()
            .contains("Không có chi bộ nào phù hợp.")
            .contains("Trang 1/1");

        // The export has every row, not a page.
        let (_, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv", top.id)).await;
        assert_eq!(rows.len(), 121);
        assert_eq!(rows[1][0], ids[0].to_string());
        assert_eq!(rows[120][1], "Chi bộ số 120");
    }

    async fn exports_csv_for_excel(app: TestApp) {
        let tree = build(&app).await;
        let admin = app.login("admin").await;
        let page = admin.get(&dashboard(&tree.top, "year=2022&state=none&q=%C4%91%E1%BB%8Bnh")).await;
        page.contains(&format!("/orgs/{}/dashboard.csv?year=2022&#38;state=none&#38;q=%C4%91%E1%BB%8Bnh", tree.top.id));

        let (headers, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv?year=2022", tree.top.id)).await;
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"theo-doi-dang-bo-thu-nghiem-2022.csv\"; "), "{disposition}");
        assert!(disposition.ends_with("filename*=UTF-8''Theo%20d%C3%B5i%20k%E1%BA%BF%20ho%E1%BA%A1ch%20%C4%90%E1%BA%A3ng%20b%E1%BB%99%20Th%E1%BB%AD%20nghi%E1%BB%87m%202022.csv"), "{disposition}");
        assert_eq!(rows[0][..11], ["Mã chi bộ", "Chi bộ", "Trực thuộc", "Trạng thái", "Ngày báo cáo", "Quý I", "Quý II", "Quý III", "Quý IV", "Việc quá hạn", "Mã kế hoạch"]);
        // Then six columns per quarter for the sessions (tests/it/dashboard_sessions.rs).
        assert_eq!(rows[0].len(), 11 + 4 * 6);
        assert_eq!(rows.len(), 13, "a header and one row per cell");
        let mut names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        names.sort_unstable();
        let mut expected: Vec<&str> = CELLS.iter().map(|(n, ..)| *n).collect();
        expected.sort_unstable();
        assert_eq!(names, expected);

        // Same filters as the page.
        let (_, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv?year=2022&state=none&q=%C4%91%E1%BB%8Bnh", tree.top.id)).await;
        let names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(names, ["Chi bộ Mỹ Định", "Chi bộ Tân Định"]);

        // A name a spreadsheet would run as a formula is written as text.
        let formula = add(&app, Some(&tree.a), OrgKind::Cell, "=HYPERLINK(\"http://x\")").await;
        let (_, rows) = csv_rows(&admin, &format!("/orgs/{}/dashboard.csv?year=2022", tree.a.id)).await;
        let row = rows.iter().find(|r| r[0] == formula.id.to_string()).unwrap();
        assert_eq!(row[1], "'=HYPERLINK(\"http://x\")");
    }

    async fn only_admins_and_reviewers_at_or_above_may_look(app: TestApp) {
        let tree = build(&app).await;
        let top_reviewer = app.add_account("theodoi.tong", "Trần Văn Tổng").await;
        users::add_review(&app.db, top_reviewer, tree.top.id, None).await.unwrap();
        let a_reviewer = app.add_account("theodoi.a", "Lê Thị Khối A").await;
        users::add_review(&app.db, a_reviewer, tree.a.id, None).await.unwrap();

        let pages = |org: &Org| [format!("/orgs/{}/dashboard?year=2022", org.id), format!("/orgs/{}/dashboard.csv?year=2022", org.id)];
        let status = |browser: crate::harness::Browser, path: String| async move {
            browser.http.get(format!("{}{path}", browser.base)).send().await.unwrap().status()
        };

        let admin = app.login("admin").await;
        let above = app.login("theodoi.tong").await;
        let at_a = app.login("theodoi.a").await;
        for org in [&tree.top, &tree.a, &tree.b, &tree.b1] {
            for path in pages(org) {
                assert_eq!(status(admin.clone(), path.clone()).await, StatusCode::OK, "admin {path}");
                assert_eq!(status(above.clone(), path.clone()).await, StatusCode::OK, "reviewer above {path}");
            }
        }
        for path in pages(&tree.a) {
            assert_eq!(status(at_a.clone(), path).await, StatusCode::OK);
        }
        for org in [&tree.top, &tree.b] {
            for path in pages(org) {
                assert_eq!(status(at_a.clone(), path.clone()).await, StatusCode::NOT_FOUND, "reviewer of A on {path}");
            }
        }

        // The demo's people: a reviewer of an unrelated committee, the commune's own cell people.
        let commune = &app.demo.commune;
        let danguy = app.login("danguy").await;
        for path in pages(&tree.top) {
            assert_eq!(status(danguy.clone(), path).await, StatusCode::NOT_FOUND);
        }
        for path in pages(commune) {
            assert_eq!(status(danguy.clone(), path).await, StatusCode::OK);
        }
        for login in ["bithu", "dangvien"] {
            let browser = app.login(login).await;
            for path in pages(commune) {
                assert_eq!(status(browser.clone(), path.clone()).await, StatusCode::NOT_FOUND, "{login} {path}");
            }
        }
        let anonymous = app.browser();
        for path in pages(commune) {
            let response = anonymous.get(&path).await;
            response.redirects_to("/login");
        }

        // Cells have no dashboard; nor do units that do not exist.
        for path in pages(tree.cell("Chi bộ An Bình")).into_iter().chain(pages(&app.demo.kindergarten)) {
            assert_eq!(status(admin.clone(), path.clone()).await, StatusCode::NOT_FOUND, "{path}");
        }
        for path in ["/orgs/999999/dashboard", "/orgs/abc/dashboard", "/orgs/999999/dashboard.csv"] {
            assert_eq!(status(admin.clone(), path.into()).await, StatusCode::NOT_FOUND, "{path}");
        }

        // The committee's page links to its dashboard; a cell's does not.
        danguy.get(&format!("/orgs/{}", commune.id)).await.ok()
            .contains(&format!("href=\"/orgs/{}/dashboard\"", commune.id));
        admin.get(&format!("/orgs/{}", app.demo.kindergarten.id)).await.ok()
            .lacks("/dashboard\"");
        // The demo's commune: its three cells, the kindergarten's plan for this year a draft.
        let page = danguy.get(&format!("/orgs/{}/dashboard", commune.id)).await;
        page.ok().contains("3 chi bộ trực thuộc").contains("Chi bộ Mầm non Định An");
        assert_total(&page, "Dự thảo", 1);
        assert_total(&page, "Chưa có kế hoạch", 2);
    }
}

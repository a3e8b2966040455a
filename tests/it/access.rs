//! Who may and who may not: every route of the router, every role, over HTTP.
//!
//! The matrix is checked against `chuyende::web::route_paths()`: a route without a row, or a
//! method a route answers that no row tries, fails the test, so a new page or form cannot ship
//! without saying who may use it.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, Response, TestApp, adopt_and_submit, version_in};
use chuyende::domain::org::{Abbreviation, OrgDraft, OrgKind, Year};
use chuyende::domain::plan::PlanId;
use chuyende::domain::text::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    MemberA,
    DeputyA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    /// Reviews a sub-committee of the same committee, which has none of cell A below it.
    ReviewerSub,
    ReviewerElsewhere,
    Admin,
}

use Role::*;

const ALL: [Role; 9] = [
    Anonymous,
    MemberA,
    DeputyA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    ReviewerSub,
    ReviewerElsewhere,
    Admin,
];
const SIGNED_IN: &[Role] = &[
    MemberA,
    DeputyA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    ReviewerSub,
    ReviewerElsewhere,
    Admin,
];

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// 403: the reader may see the thing but not do this.
    Denied,
    /// 404: the reader may not even know the thing exists.
    Hidden,
    SentToLogin,
    /// Anything else: always a failure.
    Other(StatusCode),
}

fn outcome(response: &Response) -> Outcome {
    match response.status {
        StatusCode::FORBIDDEN => Outcome::Denied,
        StatusCode::NOT_FOUND => Outcome::Hidden,
        StatusCode::SEE_OTHER if response.location().starts_with("/login") => Outcome::SentToLogin,
        // A page, a redirect after success, or the form coming back with its errors.
        StatusCode::OK | StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY => {
            Outcome::Allowed
        }
        other => Outcome::Other(other),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Method {
    Get,
    Post,
    /// A POST of a file, as the import form sends it.
    Upload,
}

impl Method {
    /// The HTTP method, for matching rows with routes.
    fn http(self) -> Method {
        match self {
            Method::Upload => Method::Post,
            other => other,
        }
    }
}

/// One request of the matrix: who may make it, and who may at least see what it is about (the
/// others get 404, as if it did not exist).
struct Row {
    method: Method,
    /// The route as registered, `{id}` and all.
    route: &'static str,
    path: String,
    fields: Vec<(&'static str, String)>,
    allowed: Vec<Role>,
    sees: Vec<Role>,
}

fn get(route: &'static str, path: String, allowed: &[Role], sees: &[Role]) -> Row {
    Row {
        method: Method::Get,
        route,
        path,
        fields: Vec::new(),
        allowed: allowed.to_vec(),
        sees: sees.to_vec(),
    }
}

/// Posts input that an allowed role gets back as a form with errors (or as a refusal), so the
/// matrix changes as little as it can; rows that do change something come last.
fn post(
    route: &'static str,
    path: String,
    fields: &[(&'static str, &str)],
    allowed: &[Role],
    sees: &[Role],
) -> Row {
    Row {
        method: Method::Post,
        route,
        path,
        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        allowed: allowed.to_vec(),
        sees: sees.to_vec(),
    }
}

fn union(a: &[Role], b: &[Role]) -> Vec<Role> {
    let mut all = a.to_vec();
    all.extend(b.iter().filter(|r| !a.contains(r)));
    all
}

async fn sign_in(app: &TestApp, role: Role) -> Browser {
    let browser = match role {
        Anonymous => {
            let b = app.browser();
            b.get("/login").await;
            return b;
        }
        MemberA => app.login("dangvien").await,
        DeputyA => app.login("phobithu").await,
        SecretaryA => app.login("bithu").await,
        SecretaryB => app.login("bithu.b").await,
        ReviewerAbove => app.login("danguy").await,
        ReviewerSub => app.login("danguy.bp").await,
        ReviewerElsewhere => app.login("danguy.khoi").await,
        Admin => app.login("admin").await,
    };
    browser.get("/").await.ok();
    browser
}

both! {
    async fn every_route_checks_scope_for_every_role(app: TestApp) {
        use chuyende::db;
        let demo = &app.demo;
        let cell_a = demo.kindergarten.id;
        let cell_b = demo.school.id;
        let committee = demo.commune.id;
        let elsewhere = demo.bloc_cell.id;

        // The roles the demo does not have: a deputy secretary of cell A, the secretary of cell
        // B, a reviewer of a sub-committee beside cell A, a reviewer of an unrelated committee.
        let deputy = app.add_account("phobithu", "Nguyễn Thanh Tâm").await;
        db::members::link_user(&app.db, app.member_id(cell_a, "Nguyễn Thanh Tâm").await, deputy).await.unwrap();
        let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        db::members::link_user(&app.db, app.member_id(cell_b, "Đỗ Văn Thành").await, secretary_b).await.unwrap();
        let line = |text: &str| Line::parse(text, 200).unwrap();
        let sub = db::orgs::create(&app.db, Some(&demo.commune), &OrgDraft {
            kind: OrgKind::Committee,
            name: line("Đảng bộ bộ phận ấp Định Thành"),
            superior_name: line("Đảng bộ xã Định An"),
            abbreviation: Abbreviation::parse("ĐBBP").unwrap(),
            place_name: line("Định An"),
            term_start: Year::new(2020).unwrap(),
        }, None).await.unwrap();
        let reviewer_sub = app.add_account("danguy.bp", "Cán bộ bộ phận").await;
        db::users::add_review(&app.db, reviewer_sub, sub, None).await.unwrap();
        let reviewer_elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        db::users::add_review(&app.db, reviewer_elsewhere, demo.bloc.id, None).await.unwrap();
        let some_user = db::users::find_by_login(&app.db, "dangvien").await.unwrap().unwrap().id;
        let member_ly = app.member_id(cell_a, "Nguyễn Thị Ly").await;
        // A feed address of an account none of the roles is, so no row renews it away.
        let reader = app.add_account("lich", "Người đọc lịch").await;
        let feed_token = chuyende::app::calendar::renew(&app.db, reader, None).await.unwrap();

        // Cell A's plan is a draft; cell B's went up, so it has a revision and is under review;
        // the committee drafts a directive plan with one topic.
        let year_2022 = Year::new(2022).unwrap();
        let plan = db::plans::find(&app.db, cell_a, year_2022).await.unwrap().unwrap();
        let stored = db::plans::get(&app.db, plan).await.unwrap().unwrap();
        let topic = stored.topics[0].id;
        let step = stored.topics[0].steps[0].id;
        let plan_b = db::plans::find(&app.db, cell_b, year_2022).await.unwrap().unwrap();
        adopt_and_submit(&sign_in(&app, SecretaryB).await, plan_b).await;
        let revision = db::review::latest_revisions(&app.db, plan_b, 1).await.unwrap()[0].id;
        let staff = sign_in(&app, ReviewerAbove).await;
        staff.get(&format!("/orgs/{committee}/plans/new")).await.ok();
        let created = staff.post(&format!("/orgs/{committee}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let form = staff.get(&format!("/plans/{directive}/topics/new")).await;
        let version = version_in(&form.body);
        staff.post(&format!("/plans/{directive}/topics/new"), &[
            ("version", &version), ("title", "Học tập và làm theo tư tưởng Hồ Chí Minh"), ("quarter", "2"),
            ("deadline", "Hoàn thành trong tháng 6 năm 2027"), ("materials", "Có đề dẫn kèm theo."),
        ]).await.redirects_to(&format!("/plans/{directive}"));
        // The reviewer's notice of cell B's submission.
        let notice = first_notification(&app, "danguy").await;
        // The demo's scheduled session of this year, its minutes not recorded yet.
        let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now().date_naive())).unwrap();
        let plan_now = db::plans::find(&app.db, cell_a, this_year).await.unwrap().unwrap();
        let session = chuyende::app::sessions::open_of_plan(&app.db, plan_now).await.unwrap()[0].id;
        // Papers: the demo's session topic, presented by member A, has draft 1 (sent, comments
        // closed) and draft 2 (sent, a comment open); the secretary adds a final version with a
        // file, not sent, which only its authors and the cell's leaders see.
        let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
        let current = db::plans::get(&app.db, db::plans::find(&app.db, cell_a, this_year).await.unwrap().unwrap()).await.unwrap().unwrap();
        let paper_topic = db::sessions::open_of_plan(&app.db, current.id).await.unwrap()[0].topic_id;
        let papers = db::papers::of_topic(&app.db, paper_topic).await.unwrap();
        let (closed_paper, open_paper) = (papers[0].id, papers[1].id);
        let open_comment = db::papers::comments(&app.db, open_paper).await.unwrap()[0].id;
        let unsent = {
            use chuyende::domain::paper::{PaperDraft, Stage, Upload};
            let topic = current.topics.iter().find(|t| t.id == paper_topic).unwrap();
            let target = chuyende::app::sessions::Target::of(&current, &demo.kindergarten, topic);
            let draft = PaperDraft { stage: Stage::Final, body: String::new(), upload: Some(Upload::read("du-thao.pdf", b"%PDF-1.7\n".to_vec()).unwrap()) };
            let by = db::users::find_by_login(&app.db, "bithu").await.unwrap().map(|u| u.id);
            chuyende::app::papers::add(chuyende::app::Ctx { db: &app.db, mail: false }, by, target, &draft).await.unwrap()
        };

        // Model sessions: the committee's draft plan with a model meeting at cell A, and an
        // issued one, which cell A's members read.
        let (model_draft, model_issued, model_session, issued_session) = {
            use chuyende::app::model_sessions as model;
            use chuyende::domain::model_session::{ModelKind, ModelSessionDraft};
            let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
            let year = Year::new(2024).unwrap();
            let draft = model::create(ctx, None, &demo.commune, year).await.unwrap();
            let issued = model::create(ctx, None, &demo.commune, year).await.unwrap();
            let meeting = ModelSessionDraft {
                kind: ModelKind::Regular,
                host: cell_a,
                date: chrono::NaiveDate::from_ymd_opt(2024, 3, 28).unwrap(),
                start: chuyende::domain::session::StartTime::new(8 * 60).unwrap(),
                venue: "Hội trường xã".into(),
                address: String::new(),
                topic: None,
                topic_title: String::new(),
            };
            for plan in [draft, issued] {
                assert_eq!(model::add_session(ctx, &demo.commune, plan, &meeting).await.unwrap(), model::Outcome::Done);
            }
            let mut numbered = model::get(&app.db, issued).await.unwrap().unwrap();
            numbered.number = chuyende::domain::plan::DocNumber::parse("82-KH/ĐU").unwrap();
            numbered.issued_on = chrono::NaiveDate::from_ymd_opt(2024, 3, 1);
            assert_eq!(model::save(ctx, &demo.commune, &numbered, numbered.version).await.unwrap(), model::Outcome::Done);
            assert_eq!(model::issue(ctx, None, issued, numbered.version + 1).await.unwrap(), model::Outcome::Done);
            let session = model::get(&app.db, draft).await.unwrap().unwrap().sessions[0].id;
            let issued_session = model::get(&app.db, issued).await.unwrap().unwrap().sessions[0].id;
            (draft, issued, session, issued_session)
        };
        // The issued plan's meeting invites cell B, whose secretary is its delegate; the
        // committee has drafted its summary (not issued).
        {
            use chuyende::app::model_delegates as delegates;
            use chuyende::domain::model_delegates::{Invitations, Person, ReportForm};
            let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
            let plan = chuyende::app::model_sessions::get(&app.db, model_issued).await.unwrap().unwrap();
            let meeting = delegates::Meeting { plan: &plan, committee: &demo.commune, session: &plan.sessions[0] };
            let invitations = Invitations { units: vec![cell_b], register_by: None, scored: false };
            assert_eq!(delegates::set_invitations(ctx, None, meeting, &invitations).await.unwrap(), delegates::Outcome::Done);
            let thanh = Person::Member(app.member_id(cell_b, "Đỗ Văn Thành").await);
            assert_eq!(delegates::register(ctx, None, meeting, &demo.school, &[thanh], true).await.unwrap(), delegates::Outcome::Done);
            let form = ReportForm { kind: "TB".into(), summary: "Hội nghị thành công.".into(), ..ReportForm::default() };
            let draft = form.parse(meeting.session.date).unwrap();
            assert_eq!(delegates::save_report(ctx, None, meeting, &draft, 0).await.unwrap(), delegates::Outcome::Done);
        }

        let cell_a_readers = &[MemberA, DeputyA, SecretaryA, ReviewerAbove, Admin];
        let cell_a_writers = &[DeputyA, SecretaryA, Admin];
        let cell_a_members = &[MemberA, DeputyA, SecretaryA];
        let cell_a_managers = &[DeputyA, SecretaryA, ReviewerAbove, Admin];
        let cell_b_readers = &[SecretaryB, ReviewerAbove, Admin];
        let committee_staff = &[ReviewerAbove, Admin];
        let meeting_readers = [ReviewerAbove, Admin, MemberA, DeputyA, SecretaryA, SecretaryB];
        // An issued directive plan: its committee's readers, the members of the cells below and
        // the staff of the committees below, whose cells carry it out.
        let below_committee = &[MemberA, DeputyA, SecretaryA, SecretaryB, ReviewerAbove, ReviewerSub, Admin];
        let reviewers_of_b = &[ReviewerAbove];
        // Drafts sent to the members: the cell and the committees above; not administrators.
        let paper_readers = &[MemberA, DeputyA, SecretaryA, ReviewerAbove];
        let admin = &[Admin];
        let public = ALL;
        let bad_org = [("name", ""), ("abbreviation", "C B")];
        let too_long = "x".repeat(20_000);
        let step_assignees: Vec<Role> = if stored.topics[0].steps[0].assignees.iter().any(|a| a.member == member_ly) {
            vec![MemberA]
        } else {
            Vec::new()
        };

        let rows = vec![
            get("/healthz", "/healthz".into(), &public, &public),
            get("/static/app.css", "/static/app.css".into(), &public, &public),
            get("/static/app.js", "/static/app.js".into(), &public, &public),
            get("/static/print.css", "/static/print.css".into(), &public, &public),
            get("/static/print.js", "/static/print.js".into(), &public, &public),
            get("/login", "/login".into(), &public, &public),
            get("/", "/".into(), SIGNED_IN, SIGNED_IN),
            get("/me/work", "/me/work".into(), SIGNED_IN, SIGNED_IN),
            get("/me/work/sheet", "/me/work/sheet".into(), SIGNED_IN, SIGNED_IN),
            // Whoever has the address reads the feed: a calendar app cannot sign in.
            get("/calendar/{feed}", format!("/calendar/{feed_token}.ics"), &public, &public),
            post("/me/calendar", "/me/calendar".into(), &[], SIGNED_IN, SIGNED_IN),
            post("/orgs/{id}/calendar", format!("/orgs/{cell_a}/calendar"), &[], cell_a_members, cell_a_members),
            get("/reviews", "/reviews".into(), SIGNED_IN, SIGNED_IN),
            get("/notifications", "/notifications".into(), SIGNED_IN, SIGNED_IN),
            get("/account/password", "/account/password".into(), SIGNED_IN, SIGNED_IN),
            post("/account/password", "/account/password".into(), &[("current", "x")], SIGNED_IN, SIGNED_IN),
            post("/account/email", "/account/email".into(), &[("email", "không phải thư")], SIGNED_IN, SIGNED_IN),

            // Orgs and members.
            get("/orgs/{id}", format!("/orgs/{cell_a}"), cell_a_readers, cell_a_readers),
            get("/orgs/{id}", format!("/orgs/{elsewhere}"), &[ReviewerElsewhere, Admin], &[ReviewerElsewhere, Admin]),
            get("/orgs/{id}", format!("/orgs/{committee}"), committee_staff, committee_staff),
            get("/orgs/{id}", format!("/orgs/{sub}"), &[ReviewerSub, ReviewerAbove, Admin], &[ReviewerSub, ReviewerAbove, Admin]),
            get("/orgs/new", "/orgs/new".into(), admin, SIGNED_IN),
            post("/orgs/new", "/orgs/new".into(), &bad_org, admin, SIGNED_IN),
            get("/orgs/{id}/edit", format!("/orgs/{cell_a}/edit"), committee_staff, cell_a_readers),
            post("/orgs/{id}/edit", format!("/orgs/{cell_a}/edit"), &bad_org, committee_staff, cell_a_readers),
            get("/orgs/{id}/edit", format!("/orgs/{committee}/edit"), admin, committee_staff),
            post("/orgs/{id}/edit", format!("/orgs/{committee}/edit"), &bad_org, admin, committee_staff),
            // Moving a unit is the administrators' alone, even for the staff above it.
            get("/orgs/{id}/move", format!("/orgs/{cell_a}/move"), admin, cell_a_readers),
            post("/orgs/{id}/move", format!("/orgs/{cell_a}/move"), &[("parent", "không phải số")], admin, cell_a_readers),
            get("/orgs/{id}/move", format!("/orgs/{committee}/move"), admin, committee_staff),
            post("/orgs/{id}/move", format!("/orgs/{committee}/move"), &[("parent", "")], admin, committee_staff),
            get("/orgs/{id}/children/new", format!("/orgs/{committee}/children/new"), committee_staff, committee_staff),
            post("/orgs/{id}/children/new", format!("/orgs/{committee}/children/new"), &bad_org, committee_staff, committee_staff),
            get("/orgs/{id}/members/new", format!("/orgs/{cell_a}/members/new"), cell_a_managers, cell_a_readers),
            post("/orgs/{id}/members/new", format!("/orgs/{cell_a}/members/new"), &[("full_name", "")], cell_a_managers, cell_a_readers),
            get("/orgs/{id}/members/import", format!("/orgs/{cell_a}/members/import"), cell_a_managers, cell_a_readers),
            Row { method: Method::Upload, ..post("/orgs/{id}/members/import", format!("/orgs/{cell_a}/members/import"), &[], cell_a_managers, cell_a_readers) },
            post("/orgs/{id}/members/import/confirm", format!("/orgs/{cell_a}/members/import/confirm"), &[("csv", "")], cell_a_managers, cell_a_readers),
            get("/members/{id}/edit", format!("/members/{member_ly}/edit"), cell_a_managers, cell_a_readers),
            post("/members/{id}/edit", format!("/members/{member_ly}/edit"), &[("full_name", "")], cell_a_managers, cell_a_readers),

            // Dashboards.
            get("/orgs/{id}/dashboard", format!("/orgs/{committee}/dashboard"), committee_staff, committee_staff),
            get("/orgs/{id}/dashboard.csv", format!("/orgs/{committee}/dashboard.csv"), committee_staff, committee_staff),

            // A cell's plan: reading, its documents, every editing form.
            get("/orgs/{id}/plans/new", format!("/orgs/{cell_a}/plans/new"), cell_a_writers, cell_a_readers),
            post("/orgs/{id}/plans/new", format!("/orgs/{cell_a}/plans/new"), &[("year", "năm nay"), ("start", "blank")], cell_a_writers, cell_a_readers),
            get("/orgs/{id}/plans/new", format!("/orgs/{committee}/plans/new"), committee_staff, committee_staff),
            get("/plans/{id}", format!("/plans/{plan}"), cell_a_readers, cell_a_readers),
            get("/plans/{id}/document", format!("/plans/{plan}/document"), cell_a_readers, cell_a_readers),
            get("/plans/{id}/document.docx", format!("/plans/{plan}/document.docx"), cell_a_readers, cell_a_readers),
            get("/plans/{id}/document.pdf", format!("/plans/{plan}/document.pdf"), cell_a_readers, cell_a_readers),
            get("/plans/{id}/header", format!("/plans/{plan}/header"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/header", format!("/plans/{plan}/header"), &[("version", "1"), ("number", "số")], cell_a_writers, cell_a_readers),
            get("/plans/{id}/basis", format!("/plans/{plan}/basis"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/basis", format!("/plans/{plan}/basis"), &[("version", "1"), ("kind_0", "?"), ("order_0", "1")], cell_a_writers, cell_a_readers),
            get("/plans/{id}/texts/{section}", format!("/plans/{plan}/texts/purposes"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/texts/{section}", format!("/plans/{plan}/texts/purposes"), &[("version", "1"), ("text", "")], cell_a_writers, cell_a_readers),
            get("/plans/{id}/recipients", format!("/plans/{plan}/recipients"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/recipients", format!("/plans/{plan}/recipients"), &[("version", "1"), ("name_0", ""), ("order_0", "1"), ("name_1", ""), ("order_1", "x")], cell_a_writers, cell_a_readers),
            get("/plans/{id}/signature", format!("/plans/{plan}/signature"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/signature", format!("/plans/{plan}/signature"), &[("version", "1"), ("signer", "")], cell_a_writers, cell_a_readers),
            get("/plans/{id}/topics/new", format!("/plans/{plan}/topics/new"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/topics/new", format!("/plans/{plan}/topics/new"), &[("version", "1"), ("title", "")], cell_a_writers, cell_a_readers),
            get("/topics/{id}", format!("/topics/{topic}"), cell_a_writers, cell_a_readers),
            post("/topics/{id}", format!("/topics/{topic}"), &[("version", "1"), ("title", "")], cell_a_writers, cell_a_readers),
            // The session of a topic: read by the cell and the committees above, scheduled,
            // moved and cancelled by its secretary and deputy (refused input, or nothing to do).
            get("/topics/{id}/session", format!("/topics/{topic}/session"), cell_a_readers, cell_a_readers),
            post("/topics/{id}/session", format!("/topics/{topic}/session"), &[("date", "")], cell_a_writers, cell_a_readers),
            post("/topics/{id}/session/move", format!("/topics/{topic}/session/move"), &[("date", "")], cell_a_writers, cell_a_readers),
            post("/topics/{id}/session/cancel", format!("/topics/{topic}/session/cancel"), &[("reason", "")], cell_a_writers, cell_a_readers),
            post("/topics/{id}/session/relay", format!("/topics/{topic}/session/relay"), &[], cell_a_writers, cell_a_readers),
            // The minutes of a session: recorded by the cell's secretary and deputy (and the
            // session's minute-taker); open minutes are theirs alone (the cell's readers see
            // that they exist: 403); nobody decides a grade before the report.
            get("/sessions/{id}/minutes", format!("/sessions/{session}/minutes"), cell_a_writers, cell_a_readers),
            get("/sessions/{id}/minutes/document", format!("/sessions/{session}/minutes/document"), cell_a_writers, cell_a_readers),
            get("/sessions/{id}/minutes/document.docx", format!("/sessions/{session}/minutes/document.docx"), cell_a_writers, cell_a_readers),
            get("/sessions/{id}/minutes/document.pdf", format!("/sessions/{session}/minutes/document.pdf"), cell_a_writers, cell_a_readers),
            post("/sessions/{id}/minutes/parts/{part}", format!("/sessions/{session}/minutes/parts/times"), &[("version", "0"), ("started", "25:00")], cell_a_writers, cell_a_readers),
            post("/sessions/{id}/minutes/close", format!("/sessions/{session}/minutes/close"), &[("version", "0")], cell_a_writers, cell_a_readers),
            post("/sessions/{id}/minutes/report", format!("/sessions/{session}/minutes/report"), &[], cell_a_writers, cell_a_readers),
            post("/sessions/{id}/minutes/grade", format!("/sessions/{session}/minutes/grade"), &[], cell_a_writers, cell_a_readers),
            post("/sessions/{id}/minutes/decide", format!("/sessions/{session}/minutes/decide"), &[], &[], cell_a_readers),
            // Corrections of closed minutes: made by the secretary and deputy (these minutes
            // are open, so an empty one comes back to them); read like the minutes they
            // correct: there is none here, so the writers find nothing and the readers of the
            // cell may not look (tests/it/minutes_after.rs reads real ones, role by role).
            post("/sessions/{id}/minutes/corrections", format!("/sessions/{session}/minutes/corrections"), &[("correction", "")], cell_a_writers, cell_a_readers),
            get("/sessions/{id}/minutes/corrections/{cid}/document", format!("/sessions/{session}/minutes/corrections/1/document"), &[], &[MemberA, ReviewerAbove]),
            get("/sessions/{id}/minutes/corrections/{cid}/document.docx", format!("/sessions/{session}/minutes/corrections/1/document.docx"), &[], &[MemberA, ReviewerAbove]),
            get("/sessions/{id}/minutes/corrections/{cid}/document.pdf", format!("/sessions/{session}/minutes/corrections/1/document.pdf"), &[], &[MemberA, ReviewerAbove]),
            // A committee's grading sheet: read by whoever reads the committee, set by its staff.
            get("/orgs/{id}/grading-sheet", format!("/orgs/{committee}/grading-sheet"), committee_staff, committee_staff),
            post("/orgs/{id}/grading-sheet", format!("/orgs/{committee}/grading-sheet"), &[("version", "0"), ("sheet", "")], committee_staff, committee_staff),
            get("/orgs/{id}/grading-sheet", format!("/orgs/{sub}/grading-sheet"), &[ReviewerSub, ReviewerAbove, Admin], &[ReviewerSub, ReviewerAbove, Admin]),
            // The papers of a topic: member A presents it, the leaders approve them for the
            // members, who comment; the presenter and the leaders answer and close.
            get("/topics/{id}/papers", format!("/topics/{paper_topic}/papers"), paper_readers, paper_readers),
            Row { method: Method::Upload, ..post("/topics/{id}/papers", format!("/topics/{paper_topic}/papers"), &[], cell_a_members, paper_readers) },
            get("/papers/{id}", format!("/papers/{open_paper}"), paper_readers, paper_readers),
            get("/papers/{id}", format!("/papers/{unsent}"), cell_a_members, cell_a_members),
            get("/papers/{id}/file", format!("/papers/{unsent}/file"), cell_a_members, cell_a_members),
            // Sent already, or closed already: the allowed get the page back with the reason.
            post("/papers/{id}/circulate", format!("/papers/{open_paper}/circulate"), &[], &[DeputyA, SecretaryA], paper_readers),
            post("/papers/{id}/comments", format!("/papers/{open_paper}/comments"), &[("body", "")], cell_a_members, paper_readers),
            post("/papers/{id}/close", format!("/papers/{closed_paper}/close"), &[], cell_a_members, paper_readers),
            post("/paper-comments/{id}/answer", format!("/paper-comments/{open_comment}/answer"), &[("verdict", "")], cell_a_members, paper_readers),
            post("/steps/{id}/mark", format!("/steps/{step}/mark"), &[("done_on", "không phải ngày")], &union(cell_a_writers, &step_assignees), cell_a_readers),

            // The path up: adopt, submit, review, decide; revisions and their documents.
            get("/plans/{id}/adopt", format!("/plans/{plan}/adopt"), cell_a_writers, cell_a_readers),
            post("/plans/{id}/adopt", format!("/plans/{plan}/adopt"), &[("meeting_on", "")], cell_a_writers, cell_a_readers),
            // A draft cannot go up: the allowed get the plan back with the reason.
            post("/plans/{id}/submit", format!("/plans/{plan}/submit"), &[], cell_a_writers, cell_a_readers),
            get("/plans/{id}/review", format!("/plans/{plan_b}/review"), reviewers_of_b, cell_b_readers),
            post("/plans/{id}/comments", format!("/plans/{plan_b}/comments"), &[("part", "purposes"), ("body", "")], reviewers_of_b, cell_b_readers),
            post("/plans/{id}/return", format!("/plans/{plan_b}/return"), &[("comment", "")], reviewers_of_b, cell_b_readers),
            post("/plans/{id}/accept", format!("/plans/{plan_b}/accept"), &[("comment", &too_long)], reviewers_of_b, cell_b_readers),
            get("/revisions/{id}/document", format!("/revisions/{revision}/document"), cell_b_readers, cell_b_readers),
            get("/revisions/{id}/document.docx", format!("/revisions/{revision}/document.docx"), cell_b_readers, cell_b_readers),
            get("/revisions/{id}/document.pdf", format!("/revisions/{revision}/document.pdf"), cell_b_readers, cell_b_readers),

            // Directive plans: drafted and issued by the committee's staff, then read and pulled
            // in by the cells below.
            get("/plans/{id}", format!("/plans/{directive}"), committee_staff, committee_staff),
            post("/plans/{id}/issue", format!("/plans/{directive}/issue"), &[], committee_staff, committee_staff),
            get("/plans/{id}", format!("/plans/{directive}"), below_committee, below_committee),
            post("/plans/{id}/pull", format!("/plans/{plan}/pull"), &[("topic", "none")], cell_a_writers, cell_a_readers),

            // Model sessions: drafted and issued by the committee's staff; once issued, read
            // by the members of the host cells.
            get("/orgs/{id}/model-plans", format!("/orgs/{committee}/model-plans"), committee_staff, committee_staff),
            post("/orgs/{id}/model-plans", format!("/orgs/{committee}/model-plans"), &[("year", "năm nay")], committee_staff, committee_staff),
            get("/model-plans/{id}", format!("/model-plans/{model_draft}"), committee_staff, committee_staff),
            get("/model-plans/{id}", format!("/model-plans/{model_issued}"), &union(committee_staff, cell_a_members), &union(committee_staff, cell_a_members)),
            get("/model-plans/{id}/document", format!("/model-plans/{model_issued}/document"), &union(committee_staff, cell_a_members), &union(committee_staff, cell_a_members)),
            get("/model-plans/{id}/document.docx", format!("/model-plans/{model_issued}/document.docx"), &union(committee_staff, cell_a_members), &union(committee_staff, cell_a_members)),
            get("/model-plans/{id}/document.pdf", format!("/model-plans/{model_draft}/document.pdf"), committee_staff, committee_staff),
            get("/model-plans/{id}/edit", format!("/model-plans/{model_draft}/edit"), committee_staff, committee_staff),
            get("/model-plans/{id}/edit", format!("/model-plans/{model_issued}/edit"), committee_staff, &union(committee_staff, cell_a_members)),
            post("/model-plans/{id}/edit", format!("/model-plans/{model_draft}/edit"), &[("version", "1"), ("number", "số")], committee_staff, committee_staff),
            // Without a number the draft cannot be issued: the allowed get the page back.
            post("/model-plans/{id}/issue", format!("/model-plans/{model_draft}/issue"), &[("version", "1")], committee_staff, committee_staff),
            post("/model-plans/{id}/issue", format!("/model-plans/{model_issued}/issue"), &[("version", "1")], committee_staff, &union(committee_staff, cell_a_members)),
            get("/model-plans/{id}/sessions/new", format!("/model-plans/{model_draft}/sessions/new"), committee_staff, committee_staff),
            post("/model-plans/{id}/sessions/new", format!("/model-plans/{model_draft}/sessions/new"), &[("kind", "regular"), ("venue", "")], committee_staff, committee_staff),
            get("/model-sessions/{id}", format!("/model-sessions/{model_session}"), committee_staff, committee_staff),
            post("/model-sessions/{id}", format!("/model-sessions/{model_session}"), &[("kind", "?")], committee_staff, committee_staff),
            // An issued plan's meeting is not removed: the allowed are sent back to the plan.
            post("/model-sessions/{id}/delete", format!("/model-sessions/{issued_session}/delete"), &[], committee_staff, &union(committee_staff, cell_a_members)),

            // A model meeting: its staff organise it; the host cell's members, the invited
            // cell's secretary (also its delegate) read it; the secretary names the delegates,
            // the delegate assesses. Nobody else knows of it.
            get("/model-sessions/{id}/meeting", format!("/model-sessions/{model_session}/meeting"), committee_staff, committee_staff),
            get("/model-sessions/{id}/meeting", format!("/model-sessions/{issued_session}/meeting"), &meeting_readers, &meeting_readers),
            get("/model-sessions/{id}/attendance-sheet", format!("/model-sessions/{issued_session}/attendance-sheet"), committee_staff, &meeting_readers),
            get("/model-sessions/{id}/attendance-sheet.docx", format!("/model-sessions/{issued_session}/attendance-sheet.docx"), committee_staff, &meeting_readers),
            get("/model-sessions/{id}/attendance-sheet.pdf", format!("/model-sessions/{issued_session}/attendance-sheet.pdf"), committee_staff, &meeting_readers),
            // A summary not issued: its drafters only.
            get("/model-sessions/{id}/summary/document", format!("/model-sessions/{issued_session}/summary/document"), committee_staff, committee_staff),
            get("/model-sessions/{id}/summary/document.docx", format!("/model-sessions/{issued_session}/summary/document.docx"), committee_staff, committee_staff),
            get("/model-sessions/{id}/summary/document.pdf", format!("/model-sessions/{issued_session}/summary/document.pdf"), committee_staff, committee_staff),
            post("/model-sessions/{id}/invitations", format!("/model-sessions/{issued_session}/invitations"), &[("units", &cell_b.to_string()), ("register_by", "không phải ngày")], committee_staff, &meeting_readers),
            post("/model-sessions/{id}/units/{org}/delegates", format!("/model-sessions/{issued_session}/units/{cell_b}/delegates"), &[("delegates", "m999999")], &union(committee_staff, &[SecretaryB]), &meeting_readers),
            post("/model-sessions/{id}/assessment", format!("/model-sessions/{issued_session}/assessment"), &[("went_well", "")], &[SecretaryB], &meeting_readers),
            post("/model-sessions/{id}/summary", format!("/model-sessions/{issued_session}/summary"), &[("kind", "?")], committee_staff, &meeting_readers),
            post("/model-sessions/{id}/summary/issue", format!("/model-sessions/{issued_session}/summary/issue"), &[("version", "0")], committee_staff, &meeting_readers),

            // Administration.
            get("/admin/users", "/admin/users".into(), admin, SIGNED_IN),
            get("/admin/users/new", "/admin/users/new".into(), admin, SIGNED_IN),
            post("/admin/users/new", "/admin/users/new".into(), &[("login", "")], admin, SIGNED_IN),
            get("/admin/users/{id}", format!("/admin/users/{some_user}"), admin, SIGNED_IN),
            post("/admin/users/{id}/password", format!("/admin/users/{some_user}/password"), &[("password", "x")], admin, SIGNED_IN),
            post("/admin/users/{id}/email", format!("/admin/users/{some_user}/email"), &[("email", "không phải thư")], admin, SIGNED_IN),
            post("/admin/users/{id}/reviews", format!("/admin/users/{some_user}/reviews"), &[("committee", "x")], admin, SIGNED_IN),
            // Removing a role the account does not have: allowed for admins, changes nothing.
            post("/admin/users/{id}/reviews/{org}/delete", format!("/admin/users/{some_user}/reviews/{}/delete", demo.bloc.id), &[], admin, SIGNED_IN),

            // Rows that change what they touch come last.
            post("/model-sessions/{id}/attendance", format!("/model-sessions/{issued_session}/attendance"), &[], committee_staff, &meeting_readers),
            post("/notifications/{id}/read", format!("/notifications/{notice}/read"), &[], &[ReviewerAbove], &[ReviewerAbove]),
            post("/notifications/read-all", "/notifications/read-all".into(), &[], SIGNED_IN, SIGNED_IN),
            post("/topics/{id}/standard", format!("/topics/{topic}/standard"), &[("version", "1")], cell_a_writers, cell_a_readers),
            post("/topics/{id}/move", format!("/topics/{topic}/move"), &[("version", "1"), ("direction", "down")], cell_a_writers, cell_a_readers),
            post("/topics/{id}/delete", format!("/topics/{topic}/delete"), &[("version", "1")], cell_a_writers, cell_a_readers),
            post("/login", "/login".into(), &[("login", ""), ("password", "")], &public, &public),
            // Anyone may sign out; it ends on the sign-in page.
            post("/logout", "/logout".into(), &[], &public, &public),
        ];

        // Every route has a row; every method a route answers is tried by some row.
        let routes: BTreeSet<&str> = chuyende::web::route_paths().into_iter().collect();
        let covered: BTreeSet<(&str, Method)> = rows.iter().map(|r| (r.route, r.method.http())).collect();
        let unknown: Vec<&str> = rows.iter().map(|r| r.route).filter(|r| !routes.contains(r)).collect();
        assert!(unknown.is_empty(), "rows for routes the app does not have: {unknown:?}");
        let admin_browser = sign_in(&app, Admin).await;
        let mut missing = Vec::new();
        for route in &routes {
            let probe = route.replace("{id}", "1").replace("{section}", "purposes").replace("{org}", "1");
            for method in [Method::Get, Method::Post] {
                if covered.contains(&(*route, method)) {
                    continue;
                }
                let response = match method {
                    Method::Get => admin_browser.get(&probe).await,
                    _ => admin_browser.post(&probe, &[]).await,
                };
                if response.status != StatusCode::METHOD_NOT_ALLOWED {
                    missing.push(format!("{method:?} {route}"));
                }
            }
        }
        assert!(missing.is_empty(), "routes without a row in the access matrix: {missing:?}");

        let mut browsers = Vec::new();
        for role in ALL {
            browsers.push((role, sign_in(&app, role).await));
        }
        let mut failures = Vec::new();
        for row in &rows {
            // Those who may go last, so a row that changes something is refused to the others
            // against the state it was written for.
            let order = browsers.iter().filter(|(r, _)| !row.allowed.contains(r))
                .chain(browsers.iter().filter(|(r, _)| row.allowed.contains(r)));
            for (role, browser) in order {
                let response = match row.method {
                    Method::Get => browser.get(&row.path).await,
                    Method::Post => {
                        let fields: Vec<(&str, &str)> = row.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        browser.post(&row.path, &fields).await
                    }
                    Method::Upload => browser.upload(&row.path, "file", "dang-vien.csv", b"not;a;csv\n".to_vec()).await,
                };
                let expected = if row.allowed.contains(role) {
                    Outcome::Allowed
                } else if *role == Anonymous {
                    Outcome::SentToLogin
                } else if row.sees.contains(role) {
                    Outcome::Denied
                } else {
                    Outcome::Hidden
                };
                let mut got = outcome(&response);
                // A public route may end on the sign-in page (signing out does), and the sign-in
                // form may refuse a wrong password or slow down an address that guesses.
                let refused_sign_in = [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]
                    .map(Outcome::Other)
                    .contains(&got);
                if row.allowed.contains(&Anonymous) && (got == Outcome::SentToLogin || refused_sign_in) {
                    got = Outcome::Allowed;
                }
                if got != expected {
                    failures.push(format!("{role:?} {:?} {}: expected {expected:?}, got {got:?}", row.method, row.path));
                }
                if got == Outcome::Denied {
                    response.contains("Không có quyền truy cập");
                }
            }
        }
        assert!(failures.is_empty(), "access rules broken:\n{}", failures.join("\n"));
    }

    async fn pages_show_only_what_the_role_may_use(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let member = app.login("dangvien").await;
        member.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Nguyễn Thị Ly")
            .lacks("Thêm đảng viên")
            .lacks("/edit\"");
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Thêm đảng viên")
            .contains("Nhập từ tệp CSV")
            .lacks("Sửa thông tin");
        // The breadcrumb names the tree above without linking what a secretary cannot open.
        secretary.get(&format!("/orgs/{cell}")).await
            .contains("<span>Đảng ủy xã Định An</span>")
            .lacks(&format!("href=\"/orgs/{}\"", app.demo.commune.id));
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Sửa thông tin")
            .contains(&format!("href=\"/orgs/{}\"", app.demo.commune.id));
    }
}

/// The newest notification of an account.
async fn first_notification(app: &TestApp, login: &str) -> i64 {
    let user = chuyende::db::users::find_by_login(&app.db, login)
        .await
        .unwrap()
        .unwrap()
        .id;
    let list = chuyende::db::notifications::list(&app.db, user, 1, 0)
        .await
        .unwrap();
    list.first().expect("a notification").id
}

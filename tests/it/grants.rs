//! Who may grant access (linking accounts to members), who reviews, what one sees of what is
//! not theirs, and separation of duties on a plan's way up.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{
    Browser, Response, TestApp, adopt_and_submit, kindergarten_2022, status, version_in,
};
use chuyende::db::{members, plans};
use chuyende::domain::member::MemberId;
use chuyende::domain::org::OrgId;
use chuyende::domain::plan::{PlanId, PlanStatus};

/// Saves a member's edit form as its page would send it.
async fn edit_member(
    browser: &Browser,
    member: MemberId,
    name: &str,
    role: &str,
    login: &str,
) -> Response {
    let form = browser.get(&format!("/members/{member}/edit")).await;
    form.ok();
    let version = &version_in(&form.body);
    browser
        .post(
            &format!("/members/{member}/edit"),
            &[
                ("version", version),
                ("full_name", name),
                ("standing", "full"),
                ("role", role),
                ("login", login),
                ("active", "on"),
            ],
        )
        .await
}

/// Adds a member with the new member's form as its page would send it.
async fn add_member(
    browser: &Browser,
    cell: OrgId,
    name: &str,
    role: &str,
    login: &str,
) -> Response {
    browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
    browser
        .post(
            &format!("/orgs/{cell}/members/new"),
            &[
                ("full_name", name),
                ("standing", "full"),
                ("role", role),
                ("login", login),
                ("active", "on"),
            ],
        )
        .await
}

/// The login linked to a member, as stored.
async fn linked(app: &TestApp, member: MemberId) -> Option<String> {
    members::get(&app.db, member).await.unwrap().unwrap().login
}

#[track_caller]
fn refused(response: &Response, message: &str) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    response.contains(message);
}

const NOT_ABOVE: &str =
    "Chỉ quản trị viên hoặc cán bộ theo dõi của cấp ủy cấp trên mới gắn được tài khoản";

both! {
    async fn only_someone_above_the_cell_links_an_account(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let tam = app.member_id(cell, "Nguyễn Thanh Tâm").await;
        let hoa = app.member_id(cell, "Trần Thị Kim Hoa").await;
        // Another cell's secretary, and a reviewer of another committee.
        let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        let thanh = app.member_id(app.demo.school.id, "Đỗ Văn Thành").await;
        members::link_user(&app.db, thanh, secretary_b).await.unwrap();
        let other_reviewer = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, other_reviewer, app.demo.bloc.id, None).await.unwrap();
        app.add_account("moi", "Trần Thị Kim Hoa").await;

        // The secretary links the committee's reviewer: refused beside the field, typed text kept.
        let secretary = app.login("bithu").await;
        let response = edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "member", "danguy").await;
        refused(&response, NOT_ABOVE);
        response.contains("value=\"danguy\"");
        // … another cell's secretary as deputy, or even a fresh account: refused too.
        refused(&edit_member(&secretary, tam, "Nguyễn Thanh Tâm", "deputy_secretary", "bithu.b").await, NOT_ABOVE);
        refused(&edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "member", "moi").await, NOT_ABOVE);
        // An unknown login tells the secretary nothing more.
        refused(&edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "member", "khongco").await, NOT_ABOVE);
        assert_eq!(linked(&app, hoa).await, None);
        assert_eq!(linked(&app, tam).await, None);

        // The reviewer above: not their own account, not another reviewer's, not one that is
        // another active member's.
        let reviewer = app.login("danguy").await;
        refused(
            &edit_member(&reviewer, tam, "Nguyễn Thanh Tâm", "secretary", "danguy").await,
            "không thể tự gắn tài khoản của chính mình",
        );
        refused(
            &edit_member(&reviewer, hoa, "Trần Thị Kim Hoa", "member", "danguy.khoi").await,
            "chỉ quản trị viên mới gắn được tài khoản này",
        );
        refused(
            &edit_member(&reviewer, hoa, "Trần Thị Kim Hoa", "member", "bithu.b").await,
            "đang gắn với một đảng viên khác",
        );
        assert_eq!(linked(&app, tam).await, None);
        // A fresh account: linked.
        edit_member(&reviewer, hoa, "Trần Thị Kim Hoa", "member", "moi").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, hoa).await.as_deref(), Some("moi"));
        app.login("moi").await.get(&format!("/orgs/{cell}")).await.ok();

        // The secretary keeps managing that member: the link she already has is no grant.
        edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "cell_committee_member", "moi").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, hoa).await.as_deref(), Some("moi"));
        // Moving the member away keeps the link; bringing them back with it is a new grant.
        let form = secretary.get(&format!("/members/{hoa}/edit")).await;
        secretary
            .post(&format!("/members/{hoa}/edit"), &[
                ("version", &version_in(&form.body)), ("full_name", "Trần Thị Kim Hoa"), ("standing", "full"), ("role", "member"), ("login", "moi"),
            ])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(app.login("moi").await.get(&format!("/orgs/{cell}")).await.status, StatusCode::NOT_FOUND);
        refused(&edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "member", "moi").await, NOT_ABOVE);
        assert!(!members::get(&app.db, hoa).await.unwrap().unwrap().active);
        edit_member(&secretary, hoa, "Trần Thị Kim Hoa", "member", "").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, hoa).await, None);

        // An administrator links a reviewer's account, never their own.
        let admin = app.login("admin").await;
        refused(&edit_member(&admin, tam, "Nguyễn Thanh Tâm", "deputy_secretary", "admin").await, "không thể tự gắn");
        edit_member(&admin, tam, "Nguyễn Thanh Tâm", "deputy_secretary", "danguy.khoi").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, tam).await.as_deref(), Some("danguy.khoi"));
    }

    async fn a_member_is_added_with_their_account_in_one_visit(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let count = || async { members::list(&app.db, cell).await.unwrap().len() };
        let before = count().await;
        let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        let thanh = app.member_id(app.demo.school.id, "Đỗ Văn Thành").await;
        members::link_user(&app.db, thanh, secretary_b).await.unwrap();
        app.add_account("moi", "Phan Văn Mới").await;

        // The form offers the account to those who may link one, not to the cell's secretary.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/orgs/{cell}/members/new")).await.ok().contains("name=\"login\"").contains("Tài khoản đăng nhập");
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/orgs/{cell}/members/new")).await.ok().lacks("name=\"login\"");
        // Posted anyway, it is refused beside the field with everything typed kept.
        let response = add_member(&secretary, cell, "Phan Văn Mới", "member", "moi").await;
        refused(&response, NOT_ABOVE);
        response.contains("value=\"Phan Văn Mới\"");

        // The rules of linking hold on creation: not one's own account, not an account another
        // active member holds, not an unknown one; nothing is added.
        refused(&add_member(&reviewer, cell, "Phan Văn Mới", "member", "danguy").await, "không thể tự gắn tài khoản của chính mình");
        refused(&add_member(&reviewer, cell, "Phan Văn Mới", "member", "bithu.b").await, "đang gắn với một đảng viên khác");
        let unknown = add_member(&reviewer, cell, "Phan Văn Mới", "member", "khongco").await;
        refused(&unknown, "Không có tài khoản với tên đăng nhập này.");
        unknown.contains("value=\"khongco\"");
        assert_eq!(count().await, before);

        // A fresh account: the member is added linked, and the account reads the cell at once.
        add_member(&reviewer, cell, "Phan Văn Mới", "cell_committee_member", "moi").await.redirects_to(&format!("/orgs/{cell}"));
        let added = app.member_id(cell, "Phan Văn Mới").await;
        assert_eq!(linked(&app, added).await.as_deref(), Some("moi"));
        assert_eq!(count().await, before + 1);
        app.login("moi").await.get(&format!("/orgs/{cell}")).await.ok().contains("Phan Văn Mới");
        // The same account for a second new member: it is the first one's now.
        let admin = app.login("admin").await;
        refused(&add_member(&admin, cell, "Phan Văn Hai", "member", "moi").await, "đang gắn với một đảng viên khác");
        // Without an account, the form adds as before.
        add_member(&secretary, cell, "Phan Văn Hai", "member", "").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, app.member_id(cell, "Phan Văn Hai").await).await, None);
    }

    async fn a_cell_role_never_takes_a_reviewers_rights_away(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let hoa = app.member_id(app.demo.kindergarten.id, "Trần Thị Kim Hoa").await;
        // The reviewer also belongs to the cell (linked by an administrator).
        let admin = app.login("admin").await;
        edit_member(&admin, hoa, "Trần Thị Kim Hoa", "member", "danguy").await.redirects_to("/orgs/");
        adopt_and_submit(&app.login("bithu").await, plan).await;

        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/plans/{plan}")).await.ok().contains("Xem xét kế hoạch");
        reviewer.get(&format!("/plans/{plan}/review")).await.ok().contains("Duyệt kế hoạch");
        reviewer.post(&format!("/plans/{plan}/accept"), &[("comment", "Đồng ý.")]).await.redirects_to("/reviews");
        assert_eq!(status(&app, plan).await, PlanStatus::Accepted);
    }

    async fn administrators_manage_but_do_not_review(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        adopt_and_submit(&app.login("bithu").await, plan).await;
        let admin = app.login("admin").await;
        admin.get(&format!("/plans/{plan}")).await.ok().lacks(&format!("/plans/{plan}/review"));
        assert_eq!(admin.get(&format!("/plans/{plan}/review")).await.status, StatusCode::FORBIDDEN);
        for (path, fields) in [
            ("comments", &[("part", "plan"), ("body", "Góp ý.")][..]),
            ("accept", &[("comment", "")][..]),
            ("return", &[("comment", "Bổ sung.")][..]),
        ] {
            let response = admin.post(&format!("/plans/{plan}/{path}"), fields).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        assert!(chuyende::db::review::comments(&app.db, plan).await.unwrap().is_empty());
        // The README says so.
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        assert!(readme.contains("does **not** review"), "the README's roles state that admins do not review");
    }

    async fn breadcrumbs_link_only_what_the_reader_may_open(app: TestApp) {
        let commune = app.demo.commune.id;
        let staff = app.login("danguy").await;
        staff.get(&format!("/orgs/{commune}/plans/new")).await.ok();
        let created = staff.post(&format!("/orgs/{commune}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let form = staff.get(&format!("/plans/{directive}/topics/new")).await;
        staff.post(&format!("/plans/{directive}/topics/new"), &[("version", &version_in(&form.body)), ("title", "Chuyên đề chung"), ("quarter", "2")]).await;
        staff.get(&format!("/plans/{directive}")).await;
        staff.post(&format!("/plans/{directive}/issue"), &[]).await.redirects_to(&format!("/plans/{directive}"));

        // A member of a cell below reads the directive plan; the committee is named, not linked.
        let member = app.login("dangvien").await;
        let page = member.get(&format!("/plans/{directive}")).await;
        page.ok().contains("<span>Đảng ủy xã Định An</span>").lacks(&format!("href=\"/orgs/{commune}\""));
        assert_eq!(member.get(&format!("/orgs/{commune}")).await.status, StatusCode::NOT_FOUND);
        // Every link on the page answers.
        for href in page.body.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()) {
            // (The PDF is typeset: slow in a debug build, and covered by the documents tests.)
            if href.starts_with('/') && !href.starts_with("/static") && !href.ends_with(".pdf") {
                let status = member.get(href).await.status;
                assert!(status == StatusCode::OK, "{href}: {status}");
            }
        }
        // The committee's staff get the link.
        staff.get(&format!("/plans/{directive}")).await.ok().contains(&format!("href=\"/orgs/{commune}\""));

        // The staff of a committee below find the directive's topics on their dashboard, and
        // its link opens (their cells carry it out), though the commune's page stays closed.
        let admin = app.login("admin").await;
        admin.get(&format!("/orgs/{commune}/children/new")).await.ok();
        let created = admin.post(&format!("/orgs/{commune}/children/new"), &[
            ("kind", "committee"), ("name", "Đảng bộ Khối trường học"), ("superior_name", "Đảng bộ xã Định An"),
            ("abbreviation", "ĐB"), ("place_name", "Định An"), ("term_start", "2020"),
        ]).await;
        let sub: i64 = created.location().trim_start_matches("/orgs/").parse().unwrap();
        let sub_staff = app.add_account("theodoi.khoi", "Lê Văn Khối").await;
        chuyende::db::users::add_review(&app.db, sub_staff, chuyende::domain::org::OrgId(sub), None).await.unwrap();
        let sub_staff = app.login("theodoi.khoi").await;
        sub_staff.get(&format!("/orgs/{sub}/dashboard?year=2027")).await.ok().contains(&format!("href=\"/plans/{directive}\""));
        sub_staff.get(&format!("/plans/{directive}")).await.ok()
            .contains("Chuyên đề chung")
            .lacks(&format!("href=\"/orgs/{commune}\""));
        assert_eq!(sub_staff.get(&format!("/orgs/{commune}")).await.status, StatusCode::NOT_FOUND);
    }

    async fn what_one_may_not_read_is_not_there(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let ly = app.member_id(app.demo.kindergarten.id, "Nguyễn Thị Ly").await;
        let step = plans::get(&app.db, plan).await.unwrap().unwrap().topics[0].steps[0].id;
        let outsider = app.add_account("bithu.khoi", "Đặng Ngọc Sơn").await;
        let son = app.member_id(app.demo.bloc_cell.id, "Đặng Ngọc Sơn").await;
        members::link_user(&app.db, son, outsider).await.unwrap();
        let outsider = app.login("bithu.khoi").await;
        outsider.get("/").await.ok();

        // An existing id outside one's scope answers exactly like a missing one.
        let missing = outsider.get("/plans/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        for path in [
            format!("/plans/{plan}"),
            format!("/orgs/{}", app.demo.kindergarten.id),
            format!("/orgs/{}/dashboard", app.demo.commune.id),
            format!("/members/{ly}/edit"),
        ] {
            let response = outsider.get(&path).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(response.body.replace(&outsider.token(), ""), missing.body.replace(&outsider.token(), ""), "{path}");
        }
        for path in [format!("/steps/{step}/mark"), format!("/plans/{plan}/texts/purposes"), format!("/plans/{plan}/accept")] {
            assert_eq!(outsider.post(&path, &[("version", "1")]).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        // What one can see but may not do stays 403: a member posting to their cell's plan editor.
        let member = app.login("dangvien").await;
        member.get(&format!("/plans/{plan}")).await.ok();
        let response = member.post(&format!("/plans/{plan}/texts/purposes"), &[("version", "1"), ("text", "x")]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        assert_eq!(member.get(&format!("/members/{ly}/edit")).await.status, StatusCode::FORBIDDEN);
    }

    async fn nobody_decides_on_a_plan_they_had_a_hand_in(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let cell = app.demo.kindergarten.id;
        let tam = app.member_id(cell, "Nguyễn Thanh Tâm").await;
        // The walk-around: the reviewer becomes deputy secretary of the cell below (an
        // administrator links the account), edits, adopts and submits its plan, is unlinked…
        let admin = app.login("admin").await;
        edit_member(&admin, tam, "Nguyễn Thanh Tâm", "deputy_secretary", "danguy").await.redirects_to(&format!("/orgs/{cell}"));
        let reviewer = app.login("danguy").await;
        let form = reviewer.get(&format!("/plans/{plan}/texts/purposes")).await;
        reviewer
            .post(&format!("/plans/{plan}/texts/purposes"), &[("version", &version_in(&form.body)), ("text", "Mục đích do cán bộ theo dõi viết.")])
            .await
            .redirects_to(&format!("/plans/{plan}"));
        adopt_and_submit(&reviewer, plan).await;
        edit_member(&admin, tam, "Nguyễn Thanh Tâm", "deputy_secretary", "").await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(linked(&app, tam).await, None);

        // … then may read and comment, but neither accept nor return it, and is told why.
        let page = reviewer.get(&format!("/plans/{plan}/review")).await;
        page.ok()
            .contains("Đồng chí đã soạn kế hoạch này nên không thể duyệt hay trả lại nó.")
            .lacks("Duyệt kế hoạch</button>");
        let accept = reviewer.post(&format!("/plans/{plan}/accept"), &[("comment", "Đồng ý.")]).await;
        refused(&accept, "Đồng chí đã soạn kế hoạch này nên không thể duyệt hay trả lại nó.");
        let give_back = reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "Bổ sung.")]).await;
        refused(&give_back, "không thể duyệt hay trả lại nó");
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        let events = chuyende::db::review::events(&app.db, plan).await.unwrap();
        assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["adopt", "submit"]);

        // Another reviewer of the committee, who had no hand in it, decides.
        let other = app.add_account("theodoi.xa", "Võ Văn Hai").await;
        chuyende::db::users::add_review(&app.db, other, app.demo.commune.id, None).await.unwrap();
        let other = app.login("theodoi.xa").await;
        other.get(&format!("/plans/{plan}/review")).await.ok().contains("Duyệt kế hoạch</button>");
        other.post(&format!("/plans/{plan}/accept"), &[("comment", "Đồng ý.")]).await.redirects_to("/reviews");
        assert_eq!(status(&app, plan).await, PlanStatus::Accepted);
    }
}

//! Who may and who may not: every route, every role, over HTTP.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    MemberA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    ReviewerElsewhere,
    Admin,
}

use Role::*;

const ALL: [Role; 7] = [
    Anonymous,
    MemberA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    ReviewerElsewhere,
    Admin,
];
const SIGNED_IN: &[Role] = &[
    MemberA,
    SecretaryA,
    SecretaryB,
    ReviewerAbove,
    ReviewerElsewhere,
    Admin,
];

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Denied,
    SentToLogin,
}

fn outcome(response: &Response) -> Outcome {
    match response.status {
        StatusCode::FORBIDDEN => Outcome::Denied,
        StatusCode::SEE_OTHER if response.location().starts_with("/login") => Outcome::SentToLogin,
        // A page, a redirect after success, or the form coming back with its errors.
        StatusCode::OK | StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY => {
            Outcome::Allowed
        }
        other => panic!("unexpected status {other}: {}", response.body),
    }
}

struct Check {
    post: bool,
    path: String,
    fields: Vec<(&'static str, &'static str)>,
    allowed: &'static [Role],
}

fn get(path: String, allowed: &'static [Role]) -> Check {
    Check {
        post: false,
        path,
        fields: Vec::new(),
        allowed,
    }
}

/// Posts invalid input, so that an allowed role gets its form back (422) and nothing changes.
fn post(path: String, fields: &[(&'static str, &'static str)], allowed: &'static [Role]) -> Check {
    Check {
        post: true,
        path,
        fields: fields.to_vec(),
        allowed,
    }
}

both! {
    async fn every_route_checks_scope_for_every_role(app: TestApp) {
        let demo = &app.demo;
        let cell_a = demo.kindergarten.id;
        let committee = demo.commune.id;
        let elsewhere = demo.bloc_cell.id;
        let member_ly = app.member_id(cell_a, "Nguyễn Thị Ly").await;

        // Secretary of cell B (same committee) and a reviewer of an unrelated committee.
        let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        let thanh = app.member_id(demo.school.id, "Đỗ Văn Thành").await;
        chuyende::db::members::link_user(&app.db, thanh, secretary_b).await.unwrap();
        let reviewer_elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, reviewer_elsewhere, demo.bloc.id, None).await.unwrap();
        let some_user = chuyende::db::users::find_by_login(&app.db, "dangvien").await.unwrap().unwrap().id;

        let cell_readers: &'static [Role] = &[MemberA, SecretaryA, ReviewerAbove, Admin];
        let cell_managers: &'static [Role] = &[SecretaryA, ReviewerAbove, Admin];
        let committee_staff: &'static [Role] = &[ReviewerAbove, Admin];
        let admin: &'static [Role] = &[Admin];
        let bad_org = [("name", ""), ("abbreviation", "C B")];

                let plan = chuyende::db::plans::find(&app.db, cell_a, chuyende::domain::org::Year::new(2022).unwrap())
            .await
            .unwrap()
            .unwrap();
        let checks = vec![
            get("/me/work".into(), SIGNED_IN),
            get("/reviews".into(), SIGNED_IN),
            get("/notifications".into(), SIGNED_IN),
            post("/notifications/read-all".into(), &[], SIGNED_IN),
            get(format!("/plans/{plan}"), cell_readers),
            get(format!("/plans/{plan}/document"), cell_readers),
            get(format!("/plans/{plan}/document.docx"), cell_readers),
            get(format!("/plans/{plan}/texts/purposes"), &[SecretaryA, Admin]),
            post(format!("/plans/{plan}/texts/purposes"), &[("version", "1"), ("text", "")], &[SecretaryA, Admin]),
            get(format!("/plans/{plan}/adopt"), &[SecretaryA, Admin]),
            get(format!("/orgs/{committee}/dashboard"), committee_staff),
            get(format!("/orgs/{committee}/dashboard.csv"), committee_staff),
            get(format!("/orgs/{committee}/plans/new"), committee_staff),
            get("/".into(), SIGNED_IN),
            get("/account/password".into(), SIGNED_IN),
            post("/account/password".into(), &[("current", "x")], SIGNED_IN),
            get(format!("/orgs/{cell_a}"), cell_readers),
            get(format!("/orgs/{elsewhere}"), &[ReviewerElsewhere, Admin]),
            get(format!("/orgs/{committee}"), committee_staff),
            get(format!("/orgs/{cell_a}/edit"), committee_staff),
            post(format!("/orgs/{cell_a}/edit"), &bad_org, committee_staff),
            get(format!("/orgs/{committee}/edit"), admin),
            post(format!("/orgs/{committee}/edit"), &bad_org, admin),
            get(format!("/orgs/{committee}/children/new"), committee_staff),
            post(format!("/orgs/{committee}/children/new"), &bad_org, committee_staff),
            get("/orgs/new".into(), admin),
            post("/orgs/new".into(), &bad_org, admin),
            get(format!("/orgs/{cell_a}/members/new"), cell_managers),
            post(format!("/orgs/{cell_a}/members/new"), &[("full_name", "")], cell_managers),
            get(format!("/orgs/{cell_a}/members/import"), cell_managers),
            post(format!("/orgs/{cell_a}/members/import/confirm"), &[("csv", "")], cell_managers),
            get(format!("/members/{member_ly}/edit"), cell_managers),
            post(format!("/members/{member_ly}/edit"), &[("full_name", "")], cell_managers),
            get("/admin/users".into(), admin),
            get("/admin/users/new".into(), admin),
            post("/admin/users/new".into(), &[("login", "")], admin),
            get(format!("/admin/users/{some_user}"), admin),
            post(format!("/admin/users/{some_user}/password"), &[("password", "x")], admin),
            post(format!("/admin/users/{some_user}/reviews"), &[("committee", "x")], admin),
            // Removing a role the account does not have: allowed for admins, changes nothing.
            post(format!("/admin/users/{some_user}/reviews/{}/delete", demo.bloc.id), &[], admin),
        ];

        let mut failures = Vec::new();
        for role in ALL {
            let browser: Browser = match role {
                Anonymous => {
                    let b = app.browser();
                    b.get("/login").await;
                    b
                }
                MemberA => app.login("dangvien").await,
                SecretaryA => app.login("bithu").await,
                SecretaryB => app.login("bithu.b").await,
                ReviewerAbove => app.login("danguy").await,
                ReviewerElsewhere => app.login("danguy.khoi").await,
                Admin => app.login("admin").await,
            };
            if role != Anonymous {
                browser.get("/").await.ok();
            }
            for check in &checks {
                let response = if check.post {
                    browser.post(&check.path, &check.fields).await
                } else {
                    browser.get(&check.path).await
                };
                let expected = if check.allowed.contains(&role) {
                    Outcome::Allowed
                } else if role == Anonymous {
                    Outcome::SentToLogin
                } else {
                    Outcome::Denied
                };
                let got = outcome(&response);
                if got != expected {
                    let method = if check.post { "POST" } else { "GET" };
                    failures.push(format!("{role:?} {method} {}: expected {expected:?}, got {got:?}", check.path));
                }
                if got == Outcome::Denied {
                    response.contains("Không có quyền truy cập");
                }
            }
        }
        assert!(failures.is_empty(), "access rules broken:\n{}", failures.join("\n"));

        // The health check is public.
        assert_eq!(app.browser().get("/healthz").await.status, StatusCode::OK);
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

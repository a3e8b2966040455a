//! The path of a plan from the cell to its higher committee, and directive plans.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{TestApp, adopt, kindergarten_2022, status, version_in};
use chuyende::db::{plans, review};
use chuyende::domain::plan::{PlanId, PlanStatus};

both! {
    async fn draft_adopt_submit_return_revise_resubmit_accept(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        let reviewer = app.login("danguy").await;

        // Adopt: the meeting is recorded; a vote without majority is refused with the figures kept.
        secretary.get(&format!("/plans/{plan}/adopt")).await.ok().contains("value=\"8\"");
        let bad = secretary.post(&format!("/plans/{plan}/adopt"), &[
            ("meeting_on", "10/01/2022"), ("present", "8"), ("total", "8"), ("votes_for", "4"), ("votes_against", "4"),
        ]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        bad.contains("quá nửa số đảng viên có mặt tán thành").contains("value=\"4\"");
        assert_eq!(status(&app, plan).await, PlanStatus::Draft);
        adopt(&secretary, plan).await;
        assert_eq!(status(&app, plan).await, PlanStatus::Adopted);
        secretary.get(&format!("/plans/{plan}")).await.contains("Chi bộ thông qua kế hoạch").contains("có mặt 8/8 đồng chí");

        // Submit: revision 1 is frozen, the reviewer's inbox lists it.
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        let revisions = review::revisions(&app.db, plan).await.unwrap();
        assert_eq!(revisions.len(), 1);
        let first = review::revision(&app.db, revisions[0].id).await.unwrap().unwrap().snapshot.plan;
        reviewer.get("/reviews").await.ok().contains("Chi bộ Mầm non Định An").contains(&format!("/plans/{plan}/review"));

        // Under review the plan cannot change: the form says why, a save is refused.
        let form = secretary.get(&format!("/plans/{plan}/texts/purposes")).await;
        form.ok().contains("đang chờ xem xét").lacks("<button type=\"submit\">Lưu</button>");
        let refused = secretary.post(&format!("/plans/{plan}/texts/purposes"), &[("version", &version_in(&form.body)), ("text", "Mục đích sửa sau khi báo cáo.")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Chưa lưu: Kế hoạch đã báo cáo cấp trên").contains("Mục đích sửa sau khi báo cáo.");
        assert_eq!(plans::get(&app.db, plan).await.unwrap().unwrap().purposes, first.purposes, "the live plan is what was submitted");
        let page = reviewer.get(&format!("/plans/{plan}/review")).await;
        page.ok().contains(&first.purposes[0]).lacks("Mục đích sửa sau khi báo cáo.");

        // Comments on a topic and on the whole plan, then return with a comment.
        let topic = first.topics[0].id;
        reviewer.post(&format!("/plans/{plan}/comments"), &[("part", &format!("topic:{topic}")), ("body", "Đề nghị ghi rõ người chuẩn bị đề cương.")])
            .await
            .redirects_to(&format!("/plans/{plan}/review"));
        reviewer.post(&format!("/plans/{plan}/comments"), &[("part", "plan"), ("body", "")]).await.contains("Vui lòng nhập nội dung góp ý.");
        let no_reason = reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        no_reason.contains("vui lòng ghi rõ yêu cầu bổ sung");
        reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "Bổ sung tài liệu học tập.")]).await.redirects_to("/reviews");
        assert_eq!(status(&app, plan).await, PlanStatus::Returned);

        // The cell sees the comments beside the parts they concern, revises and submits again.
        let page = secretary.get(&format!("/plans/{plan}")).await;
        page.ok()
            .contains("Cấp trên đã trả lại kế hoạch")
            .contains("Bổ sung tài liệu học tập.")
            .contains("Góp ý của cấp trên:</b> Đề nghị ghi rõ người chuẩn bị đề cương.");
        for (section, text) in [("materials", "Tài liệu do Đảng ủy xã cung cấp."), ("purposes", "Mục đích sửa sau khi cấp trên trả lại.")] {
            let form = secretary.get(&format!("/plans/{plan}/texts/{section}")).await;
            secretary.post(&format!("/plans/{plan}/texts/{section}"), &[("version", &version_in(&form.body)), ("text", text)])
                .await
                .redirects_to(&format!("/plans/{plan}"));
        }
        assert_eq!(status(&app, plan).await, PlanStatus::Returned, "a returned plan is revised as it is");
        secretary.get(&format!("/plans/{plan}")).await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        assert_eq!(review::revisions(&app.db, plan).await.unwrap().len(), 2);

        // The reviewer sees what changed since the last submitted revision, section by section.
        let page = reviewer.get(&format!("/plans/{plan}/review")).await;
        page.ok()
            .contains("Thay đổi so với lần báo cáo trước")
            .contains("<h3 class=\"changed\">Tài liệu học tập</h3>")
            .contains("Tài liệu do Đảng ủy xã cung cấp.")
            .contains("<h3 class=\"changed\">Mục đích</h3>")
            .lacks("<h3 class=\"changed\">Người ký</h3>");
        reviewer.post(&format!("/plans/{plan}/accept"), &[("comment", "Đồng ý.")]).await.redirects_to("/reviews");
        assert_eq!(status(&app, plan).await, PlanStatus::Accepted);

        // Every transition is in the timeline with who and when.
        let events = review::events(&app.db, plan).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["adopt", "submit", "return", "submit", "accept"]);
        assert_eq!(events[2].user_name.as_deref(), Some("Phạm Văn Hùng"));
        assert_eq!(events[3].revision_number, Some(2));
        secretary.get(&format!("/plans/{plan}")).await.contains("Cấp trên duyệt").contains("Đồng ý.");
        reviewer.get("/reviews").await.contains("Không có kế hoạch nào đang chờ xem xét.");
    }

    async fn forbidden_transitions_and_roles_are_refused(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        let member = app.login("dangvien").await;
        let elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, elsewhere, app.demo.bloc.id, None).await.unwrap();
        let other_reviewer = app.login("danguy.khoi").await;
        let reviewer = app.login("danguy").await;

        // Wrong state: a draft cannot be submitted, accepted or returned.
        secretary.get("/").await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        secretary.get("/").await.contains("không thực hiện được ở trạng thái hiện tại");
        assert_eq!(status(&app, plan).await, PlanStatus::Draft);
        reviewer.get("/").await;
        reviewer.post(&format!("/plans/{plan}/accept"), &[]).await;
        assert_eq!(status(&app, plan).await, PlanStatus::Draft);

        // Wrong role: a member cannot adopt; nobody outside the cell's committee may review.
        member.get("/").await;
        assert_eq!(member.post(&format!("/plans/{plan}/adopt"), &[("meeting_on", "10/01/2022")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(member.get(&format!("/plans/{plan}/adopt")).await.status, StatusCode::FORBIDDEN);
        adopt(&secretary, plan).await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        // The secretary cannot accept their own plan.
        assert_eq!(secretary.post(&format!("/plans/{plan}/accept"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(secretary.get(&format!("/plans/{plan}/review")).await.status, StatusCode::FORBIDDEN);
        // A reviewer of another committee cannot touch it, nor see it in their inbox: to them
        // it is not there at all.
        other_reviewer.get("/").await;
        assert_eq!(other_reviewer.get(&format!("/plans/{plan}/review")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(other_reviewer.post(&format!("/plans/{plan}/accept"), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(other_reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "x")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(other_reviewer.post(&format!("/plans/{plan}/comments"), &[("part", "plan"), ("body", "x")]).await.status, StatusCode::NOT_FOUND);
        other_reviewer.get("/reviews").await.lacks("Chi bộ Mầm non Định An");
        // Even an administrator does not review in a committee's name.
        let admin = app.login("admin").await;
        assert_eq!(admin.post(&format!("/plans/{plan}/accept"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        // A submitted plan cannot be adopted again or submitted twice.
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        assert_eq!(review::revisions(&app.db, plan).await.unwrap().len(), 1);
        assert_eq!(secretary.get(&format!("/plans/{plan}/adopt")).await.status, StatusCode::OK);
        secretary.post(&format!("/plans/{plan}/adopt"), &[
            ("meeting_on", "10/01/2022"), ("present", "8"), ("total", "8"), ("votes_for", "8"), ("votes_against", "0"),
        ]).await;
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        // A plan with blocking errors cannot be adopted.
        let empty = {
            secretary.get(&format!("/orgs/{}/plans/new", app.demo.kindergarten.id)).await;
            let created = secretary.post(&format!("/orgs/{}/plans/new", app.demo.kindergarten.id), &[("year", "2030"), ("start", "blank")]).await;
            created.location().trim_start_matches("/plans/").parse::<PlanId>().unwrap()
        };
        secretary.get(&format!("/plans/{empty}/adopt")).await.contains("Kế hoạch chưa có chuyên đề nào.");
        let refused = secretary.post(&format!("/plans/{empty}/adopt"), &[
            ("meeting_on", "10/01/2022"), ("present", "8"), ("total", "8"), ("votes_for", "8"), ("votes_against", "0"),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status(&app, empty).await, PlanStatus::Draft);
    }

    async fn a_committee_issues_topics_that_cells_pull_into_their_plans(app: TestApp) {
        let commune = app.demo.commune.id;
        let staff = app.login("danguy").await;
        // The committee drafts its directive plan with the same editor.
        staff.get(&format!("/orgs/{commune}")).await.ok().contains("Lập kế hoạch chỉ đạo");
        staff.get(&format!("/orgs/{commune}/plans/new")).await.ok();
        let created = staff.post(&format!("/orgs/{commune}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let page = staff.get(&format!("/plans/{directive}")).await;
        page.ok().contains("T/M BAN THƯỜNG VỤ").contains("Các chi bộ trực thuộc");
        for (title, quarter, deadline) in [
            ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2027", "2", "Hoàn thành trong tháng 3 năm 2027"),
            ("Tự soi, tự sửa gắn với khắc phục hạn chế, khuyết điểm", "3", "Từ tháng 4 năm 2027"),
        ] {
            let form = staff.get(&format!("/plans/{directive}/topics/new")).await;
            staff.post(&format!("/plans/{directive}/topics/new"), &[
                ("version", &version_in(&form.body)), ("title", title), ("quarter", quarter), ("deadline", deadline),
                ("materials", "Có đề dẫn sinh hoạt và gợi ý thảo luận kèm theo."),
            ]).await.redirects_to(&format!("/plans/{directive}"));
        }
        let stored = plans::get(&app.db, directive).await.unwrap().unwrap();
        assert!(stored.topics.iter().all(|t| t.steps.is_empty()), "directive topics carry deadlines, not timelines");
        assert_eq!(stored.topics[0].deadline, "Hoàn thành trong tháng 3 năm 2027");

        // Before it is issued, cells below do not see it.
        let member = app.login("dangvien").await;
        assert_eq!(member.get(&format!("/plans/{directive}")).await.status, StatusCode::NOT_FOUND);
        staff.get(&format!("/plans/{directive}")).await;
        staff.post(&format!("/plans/{directive}/issue"), &[]).await.redirects_to(&format!("/plans/{directive}"));
        assert_eq!(status(&app, directive).await, PlanStatus::Issued);

        // Every cell below sees it; a cell elsewhere does not.
        member.get(&format!("/orgs/{}", app.demo.kindergarten.id)).await.contains(&format!("/plans/{directive}"));
        member.get(&format!("/plans/{directive}")).await.ok().contains("Hoàn thành trong tháng 3 năm 2027");
        let outsider = app.add_account("bithu.khoi", "Đặng Ngọc Sơn").await;
        let son = app.member_id(app.demo.bloc_cell.id, "Đặng Ngọc Sơn").await;
        chuyende::db::members::link_user(&app.db, son, outsider).await.unwrap();
        assert_eq!(app.login("bithu.khoi").await.get(&format!("/plans/{directive}")).await.status, StatusCode::NOT_FOUND);

        // A new plan of the cell takes the mandated topics in at once.
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/orgs/{}/plans/new", app.demo.kindergarten.id)).await;
        let created = secretary.post(&format!("/orgs/{}/plans/new", app.demo.kindergarten.id), &[("year", "2027"), ("start", "blank"), ("mandated", "on")]).await;
        let plan: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let cell_plan = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(cell_plan.topics.len(), 2);
        assert_eq!(cell_plan.topics[0].mandated_from, Some(stored.topics[0].id));
        assert_eq!(cell_plan.topics[0].steps.len(), 5, "a timeline from the mandated quarter");
        secretary.get(&format!("/plans/{plan}")).await.ok().contains("Đã có trong kế hoạch").contains("Theo Kế hoạch số 01-KH/ĐU của Đảng ủy xã Định An");

        // Another cell pulls them into an existing plan in one action.
        let school = app.demo.school.id;
        let admin = app.login("admin").await;
        admin.get(&format!("/orgs/{school}/plans/new")).await;
        let created = admin.post(&format!("/orgs/{school}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let school_plan: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        assert!(plans::get(&app.db, school_plan).await.unwrap().unwrap().topics.is_empty());
        admin.get(&format!("/plans/{school_plan}")).await.contains("Đưa tất cả vào kế hoạch");
        admin.post(&format!("/plans/{school_plan}/pull"), &[("topic", "all")]).await.redirects_to(&format!("/plans/{school_plan}"));
        let pulled = plans::get(&app.db, school_plan).await.unwrap().unwrap();
        assert_eq!(pulled.topics.len(), 2);
        admin.post(&format!("/plans/{school_plan}/pull"), &[("topic", "all")]).await;
        assert_eq!(plans::get(&app.db, school_plan).await.unwrap().unwrap().topics.len(), 2, "pulling twice adds nothing");
        // A member cannot pull.
        member.get("/").await;
        assert_eq!(member.post(&format!("/plans/{plan}/pull"), &[("topic", "all")]).await.status, StatusCode::FORBIDDEN);
    }
}

/// The kinds of the notifications of an account, newest first.
async fn notices(app: &TestApp, login: &str) -> Vec<String> {
    let user = chuyende::db::users::find_by_login(&app.db, login)
        .await
        .unwrap()
        .unwrap();
    chuyende::db::notifications::list(&app.db, user.id, 100, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.kind.as_str().to_owned())
        .collect()
}

both! {
    async fn notifications_reach_the_people_concerned_only(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, elsewhere, app.demo.bloc.id, None).await.unwrap();
        let outsider = app.add_account("bithu.khoi", "Đặng Ngọc Sơn").await;
        let son = app.member_id(app.demo.bloc_cell.id, "Đặng Ngọc Sơn").await;
        chuyende::db::members::link_user(&app.db, son, outsider).await.unwrap();
        let before: Vec<usize> = {
            let mut counts = Vec::new();
            for login in ["bithu", "dangvien", "danguy", "danguy.khoi", "bithu.khoi", "admin"] {
                counts.push(notices(&app, login).await.len());
            }
            counts
        };
        assert!(before.iter().all(|n| *n == 0), "{before:?}");

        let secretary = app.login("bithu").await;
        adopt(&secretary, plan).await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        assert_eq!(notices(&app, "danguy").await, ["submitted"]);
        assert!(notices(&app, "danguy.khoi").await.is_empty());
        assert!(notices(&app, "bithu").await.is_empty());

        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/plans/{plan}/review")).await;
        reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "Bổ sung.")]).await;
        assert_eq!(notices(&app, "bithu").await, ["returned"]);
        assert!(notices(&app, "dangvien").await.is_empty(), "a plain member is not told");
        secretary.get("/").await.contains("Thông báo (1)");

        // A new assignment tells the assignee, not the one who made it.
        let form = secretary.get(&format!("/plans/{plan}/topics/new")).await;
        let ly = app.member_id(app.demo.kindergarten.id, "Nguyễn Thị Ly").await.to_string();
        secretary.post(&format!("/plans/{plan}/topics/new"), &[
            ("version", &version_in(&form.body)), ("title", "Chuyên đề bổ sung"), ("quarter", "1"), ("presenter", &ly),
        ]).await;
        assert_eq!(notices(&app, "dangvien").await, ["assigned"]);
        assert_eq!(notices(&app, "bithu").await.len(), 1, "nobody is told of an assignment they made themselves");

        secretary.get("/").await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        reviewer.get("/").await;
        reviewer.post(&format!("/plans/{plan}/accept"), &[]).await;
        assert_eq!(notices(&app, "bithu").await[0], "accepted");

        // A directive plan issued: the secretaries below, nobody elsewhere.
        let commune = app.demo.commune.id;
        reviewer.get(&format!("/orgs/{commune}/plans/new")).await;
        let created = reviewer.post(&format!("/orgs/{commune}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let form = reviewer.get(&format!("/plans/{directive}/topics/new")).await;
        reviewer.post(&format!("/plans/{directive}/topics/new"), &[("version", &version_in(&form.body)), ("title", "Chuyên đề chung"), ("quarter", "2")]).await;
        reviewer.get(&format!("/plans/{directive}")).await;
        reviewer.post(&format!("/plans/{directive}/issue"), &[]).await;
        assert_eq!(notices(&app, "bithu").await[0], "directive_issued");
        assert!(notices(&app, "bithu.khoi").await.is_empty());
        assert!(notices(&app, "admin").await.is_empty());
    }
}

//! What each state of a plan allows (an adopted plan edited becomes a draft again; a submitted
//! or accepted plan is read-only; an issued directive keeps what cells took in), and forms
//! refused as stale that succeed when saved again: topics, members, units.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, TestApp, adopt, kindergarten_2022, status, version_in};
use chuyende::db::{members, orgs, plans, review};
use chuyende::domain::org::Year;
use chuyende::domain::plan::{PlanId, PlanStatus};

const AMENDED: &str = "Kế hoạch đã sửa sau khi chi bộ thông qua, cần thông qua lại.";

async fn edit_purposes(browser: &Browser, plan: PlanId, text: &str) -> crate::harness::Response {
    let form = browser.get(&format!("/plans/{plan}/texts/purposes")).await;
    browser
        .post(
            &format!("/plans/{plan}/texts/purposes"),
            &[("version", &version_in(&form.body)), ("text", text)],
        )
        .await
}

/// The plan adopted, submitted and accepted by the committee's reviewer.
async fn accepted(app: &TestApp, secretary: &Browser, plan: PlanId) {
    adopt(secretary, plan).await;
    secretary
        .post(&format!("/plans/{plan}/submit"), &[])
        .await
        .redirects_to(&format!("/plans/{plan}"));
    let reviewer = app.login("danguy").await;
    reviewer.get(&format!("/plans/{plan}/review")).await.ok();
    reviewer
        .post(&format!("/plans/{plan}/accept"), &[("comment", "Đồng ý.")])
        .await
        .redirects_to("/reviews");
    assert_eq!(status(app, plan).await, PlanStatus::Accepted);
}

both! {
    async fn editing_an_adopted_plan_makes_it_a_draft_to_adopt_again(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        adopt(&secretary, plan).await;
        secretary.get(&format!("/plans/{plan}")).await.ok().lacks(AMENDED);

        edit_purposes(&secretary, plan, "Mục đích sửa sau khi chi bộ thông qua.").await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(status(&app, plan).await, PlanStatus::Draft, "the edit and the way back to draft are one");
        let events = review::events(&app.db, plan).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["adopt", "amend"]);
        assert_eq!(events[1].user_name.as_deref(), events[0].user_name.as_deref(), "who edited is recorded");
        secretary.get(&format!("/plans/{plan}")).await.ok()
            .contains(AMENDED)
            .contains("Sửa sau khi chi bộ thông qua, trở lại dự thảo")
            .contains("Ghi nhận chi bộ thông qua")
            .lacks("Báo cáo cấp ủy cấp trên</button>");

        // It cannot go up without the cell adopting what it now says.
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        secretary.get("/").await.contains("không thực hiện được ở trạng thái hiện tại");
        assert_eq!(status(&app, plan).await, PlanStatus::Draft);
        assert!(review::revisions(&app.db, plan).await.unwrap().is_empty());

        // A second edit of the draft records no second transition.
        edit_purposes(&secretary, plan, "Mục đích đã thống nhất.").await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(review::events(&app.db, plan).await.unwrap().len(), 2);

        adopt(&secretary, plan).await;
        secretary.get(&format!("/plans/{plan}")).await.ok().lacks(AMENDED);
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(status(&app, plan).await, PlanStatus::Submitted);
        let revisions = review::revisions(&app.db, plan).await.unwrap();
        let submitted = review::revision(&app.db, revisions[0].id).await.unwrap().unwrap();
        assert_eq!(submitted.snapshot.plan.purposes, ["Mục đích đã thống nhất."], "what goes up is what the cell adopted");

        // Any edit of the text counts, moving a topic too.
        let other = app.demo.school.id;
        let school = plans::find(&app.db, other, Year::new(2022).unwrap()).await.unwrap().unwrap();
        let admin = app.login("admin").await;
        adopt(&admin, school).await;
        let topic = plans::get(&app.db, school).await.unwrap().unwrap().topics[0].id;
        let form = admin.get(&format!("/topics/{topic}")).await;
        admin.post(&format!("/topics/{topic}/move"), &[("version", &version_in(&form.body)), ("direction", "down")])
            .await
            .redirects_to(&format!("/plans/{school}"));
        assert_eq!(status(&app, school).await, PlanStatus::Draft);
    }

    async fn an_accepted_plan_cannot_be_rewritten(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        accepted(&app, &secretary, plan).await;
        let before = plans::get(&app.db, plan).await.unwrap().unwrap();

        // The page offers no edit and says why; the edit page shows no way to save.
        let page = secretary.get(&format!("/plans/{plan}")).await;
        page.ok()
            .contains("Cấp trên đã duyệt kế hoạch: nội dung đã duyệt không sửa được nữa.")
            .lacks(&format!("href=\"/plans/{plan}/texts/purposes\""))
            .lacks(&format!("href=\"/plans/{plan}/topics/new\""))
            .lacks(&format!("href=\"/topics/{}\"", before.topics[0].id));
        let form = secretary.get(&format!("/plans/{plan}/texts/purposes")).await;
        form.ok().contains("nội dung đã duyệt không sửa được nữa").contains(" disabled>").lacks("<button type=\"submit\">Lưu</button>");
        secretary.get(&format!("/topics/{}", before.topics[0].id)).await.ok()
            .lacks("Lưu chuyên đề</button>")
            .lacks("Xóa chuyên đề</button>");

        // A save is refused with the typed text kept, and nothing changes anywhere.
        let refused = edit_purposes(&secretary, plan, "Mục đích không ai duyệt.").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Chưa lưu: Cấp trên đã duyệt kế hoạch").contains("Mục đích không ai duyệt.");
        let version = before.version.to_string();
        let topic = before.topics[0].id;
        secretary.post(&format!("/topics/{topic}/delete"), &[("version", &version), ("confirm", "yes")]).await;
        secretary.get("/").await.contains("nội dung đã duyệt không sửa được nữa");
        let added = secretary.post(&format!("/plans/{plan}/topics/new"), &[("version", &version), ("title", "Chuyên đề thêm sau khi duyệt")]).await;
        assert_eq!(added.status, StatusCode::UNPROCESSABLE_ENTITY);
        let after = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(after.purposes, before.purposes);
        assert_eq!(after.topics.len(), before.topics.len());
        assert_eq!(after.version, before.version);
        assert_eq!(status(&app, plan).await, PlanStatus::Accepted);
        secretary.get(&format!("/plans/{plan}/document")).await.ok()
            .contains(&before.purposes[0])
            .lacks("Mục đích không ai duyệt.")
            .lacks("Chuyên đề thêm sau khi duyệt");

        // Progress is not an edit of the text: a step is still marked done.
        let step = before.topics[0].steps[0].id;
        secretary.post(&format!("/steps/{step}/mark"), &[("done_on", "05/10/2022")]).await.redirects_to(&format!("/plans/{plan}"));
        let marked = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(marked.topics[0].steps[0].done_on.unwrap().to_string(), "2022-10-05");
    }

    async fn an_issued_directive_keeps_what_cells_took_in(app: TestApp) {
        let commune = app.demo.commune.id;
        let staff = app.login("danguy").await;
        staff.get(&format!("/orgs/{commune}/plans/new")).await.ok();
        let created = staff.post(&format!("/orgs/{commune}/plans/new"), &[("year", "2027"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        for (title, quarter) in [("Học tập và làm theo tư tưởng Hồ Chí Minh", "2"), ("Tự soi, tự sửa", "3")] {
            let form = staff.get(&format!("/plans/{directive}/topics/new")).await;
            staff.post(&format!("/plans/{directive}/topics/new"), &[
                ("version", &version_in(&form.body)), ("title", title), ("quarter", quarter), ("deadline", "Trong quý"),
            ]).await.redirects_to(&format!("/plans/{directive}"));
        }
        staff.get(&format!("/plans/{directive}")).await;
        staff.post(&format!("/plans/{directive}/issue"), &[]).await.redirects_to(&format!("/plans/{directive}"));
        let secretary = app.login("bithu").await;
        let cell = app.demo.kindergarten.id;
        secretary.get(&format!("/orgs/{cell}/plans/new")).await;
        let created = secretary.post(&format!("/orgs/{cell}/plans/new"), &[("year", "2027"), ("start", "blank"), ("mandated", "on")]).await;
        let cell_plan: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let issued = plans::get(&app.db, directive).await.unwrap().unwrap();
        let taken = issued.topics[0].id;

        // Deleting a topic a cell took in is refused, and the page does not offer it.
        let form = staff.get(&format!("/topics/{taken}")).await;
        form.ok().contains("không xóa được").lacks("Xóa chuyên đề</button>");
        staff.post(&format!("/topics/{taken}/delete"), &[("version", &version_in(&form.body)), ("confirm", "yes")]).await
            .redirects_to(&format!("/plans/{directive}"));
        staff.get(&format!("/plans/{directive}")).await.contains("Chi bộ trực thuộc đã đưa chuyên đề này vào kế hoạch");
        assert_eq!(plans::get(&app.db, directive).await.unwrap().unwrap().topics.len(), 2);
        let pulled = plans::get(&app.db, cell_plan).await.unwrap().unwrap();
        assert_eq!(pulled.topics[0].mandated_from, Some(taken), "the cell's topic stays linked");

        // Moving it to another quarter is refused; correcting its text is not.
        let form = staff.get(&format!("/topics/{taken}")).await;
        let moved = staff.post(&format!("/topics/{taken}"), &[
            ("version", &version_in(&form.body)), ("title", "Học tập và làm theo tư tưởng Hồ Chí Minh"), ("quarter", "4"), ("deadline", "Trong quý"),
        ]).await;
        assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
        moved.contains("không đổi được quý");
        let form = staff.get(&format!("/topics/{taken}")).await;
        staff.post(&format!("/topics/{taken}"), &[
            ("version", &version_in(&form.body)), ("title", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"), ("quarter", "2"), ("deadline", "Trong quý II"),
        ]).await.redirects_to(&format!("/plans/{directive}"));
        let now = plans::get(&app.db, directive).await.unwrap().unwrap();
        assert_eq!(now.topics[0].quarter.map(|q| q.get()), Some(2));
        assert_eq!(now.topics[0].title, "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh");

        // Its number and date are what cells cite: locked.
        let form = staff.get(&format!("/plans/{directive}/header")).await;
        form.ok().contains("Kế hoạch đã ban hành");
        let header = staff.post(&format!("/plans/{directive}/header"), &[
            ("version", &version_in(&form.body)), ("number", "99-KH/ĐU"), ("place", "Định An"), ("issued_on", ""), ("subject", "x"),
        ]).await;
        assert_eq!(header.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(plans::get(&app.db, directive).await.unwrap().unwrap().number, issued.number);

        // A topic added after issuing, which no cell took in yet, can still go.
        let form = staff.get(&format!("/plans/{directive}/topics/new")).await;
        staff.post(&format!("/plans/{directive}/topics/new"), &[
            ("version", &version_in(&form.body)), ("title", "Chuyên đề bổ sung"), ("quarter", "4"),
        ]).await.redirects_to(&format!("/plans/{directive}"));
        let extra = plans::get(&app.db, directive).await.unwrap().unwrap().topics[2].id;
        let form = staff.get(&format!("/topics/{extra}")).await;
        form.ok().contains("Xóa chuyên đề</button>");
        staff.post(&format!("/topics/{extra}/delete"), &[("version", &version_in(&form.body)), ("confirm", "yes")]).await;
        assert_eq!(plans::get(&app.db, directive).await.unwrap().unwrap().topics.len(), 2);
    }

    async fn a_refused_topic_save_keeps_the_typed_text_and_succeeds_next_time(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let topic = plans::get(&app.db, plan).await.unwrap().unwrap().topics[0].id;
        let first = app.login("bithu").await;
        let second = app.login("bithu").await;
        let mine = first.get(&format!("/topics/{topic}")).await;
        let theirs = second.get(&format!("/topics/{topic}")).await;
        first.post(&format!("/topics/{topic}"), &[("version", &version_in(&mine.body)), ("title", "Tên do người thứ nhất lưu"), ("quarter", "2")])
            .await
            .redirects_to(&format!("/plans/{plan}"));

        let refused = second.post(&format!("/topics/{topic}"), &[("version", &version_in(&theirs.body)), ("title", "Tên do người thứ hai gõ"), ("quarter", "3")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("đã được lưu bởi").contains("Tên do người thứ hai gõ").contains("Bản đang lưu").contains("Tên do người thứ nhất lưu");
        let stored = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(stored.topics[0].title, "Tên do người thứ nhất lưu");
        assert_eq!(version_in(&refused.body), stored.version.to_string(), "the form carries the version it now shows");
        second.post(&format!("/topics/{topic}"), &[("version", &version_in(&refused.body)), ("title", "Tên do người thứ hai gõ"), ("quarter", "3")])
            .await
            .redirects_to(&format!("/plans/{plan}"));
        assert_eq!(plans::get(&app.db, plan).await.unwrap().unwrap().topics[0].title, "Tên do người thứ hai gõ");

        // "Thêm chuyên đề" is not an edit of a part someone else saved: a new topic is a part of
        // its own, so both additions land (tests/it/concurrent_edits.rs adds twenty at once).
        let mine = first.get(&format!("/plans/{plan}/topics/new")).await;
        let theirs = second.get(&format!("/plans/{plan}/topics/new")).await;
        first.post(&format!("/plans/{plan}/topics/new"), &[("version", &version_in(&mine.body)), ("title", "Chuyên đề người thứ nhất thêm")])
            .await
            .redirects_to(&format!("/plans/{plan}"));
        second.post(&format!("/plans/{plan}/topics/new"), &[("version", &version_in(&theirs.body)), ("title", "Chuyên đề người thứ hai thêm")])
            .await
            .redirects_to(&format!("/plans/{plan}"));
        let titles: Vec<String> = plans::get(&app.db, plan).await.unwrap().unwrap().topics.into_iter().map(|t| t.title).collect();
        assert!(titles.contains(&"Chuyên đề người thứ nhất thêm".to_owned()) && titles.contains(&"Chuyên đề người thứ hai thêm".to_owned()), "{titles:?}");
    }

    async fn a_stale_member_save_is_refused_and_the_next_succeeds(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let first = app.login("bithu").await;
        let second = app.login("bithu").await;
        first.get(&format!("/orgs/{cell}/members/new")).await.ok();
        first.post(&format!("/orgs/{cell}/members/new"), &[("full_name", "Trần Văn Thử"), ("standing", "full"), ("role", "member"), ("active", "on")])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let id = app.member_id(cell, "Trần Văn Thử").await;
        let mine = first.get(&format!("/members/{id}/edit")).await;
        let theirs = second.get(&format!("/members/{id}/edit")).await;
        let fields = |version: &str, phone: &'static str| -> Vec<(&'static str, String)> {
            vec![("full_name", "Trần Văn Thử".into()), ("standing", "full".into()), ("role", "member".into()),
                 ("phone", phone.into()), ("active", "on".into()), ("version", version.into())]
        };
        let post = |browser: &Browser, fields: Vec<(&'static str, String)>| {
            let browser = browser.clone();
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.post(&format!("/members/{id}/edit"), &fields).await
            }
        };
        post(&first, fields(&version_in(&mine.body), "0901 111 111")).await.redirects_to(&format!("/orgs/{cell}"));
        let refused = post(&second, fields(&version_in(&theirs.body), "0902 222 222")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("đã được người khác lưu").contains("value=\"0902 222 222\"").contains("Điện thoại: 0901 111 111");
        let stored = members::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(stored.phone.as_deref(), Some("0901 111 111"));
        assert_eq!(version_in(&refused.body), stored.version.to_string());
        post(&second, fields(&version_in(&refused.body), "0902 222 222")).await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(members::get(&app.db, id).await.unwrap().unwrap().phone.as_deref(), Some("0902 222 222"));
    }

    async fn a_stale_unit_save_is_refused_and_the_next_succeeds(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let first = app.login("danguy").await;
        let second = app.login("danguy").await;
        let mine = first.get(&format!("/orgs/{cell}/edit")).await;
        let theirs = second.get(&format!("/orgs/{cell}/edit")).await;
        let org = orgs::get(&app.db, cell).await.unwrap().unwrap();
        let term = org.term_start.to_string();
        let form = |version: String, place: &'static str| {
            vec![("name", org.name.clone()), ("superior_name", org.superior_name.clone()), ("abbreviation", "CB".to_owned()),
                 ("place_name", place.to_owned()), ("term_start", term.clone()), ("version", version)]
        };
        let post = |browser: &Browser, fields: Vec<(&'static str, String)>| {
            let browser = browser.clone();
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.post(&format!("/orgs/{cell}/edit"), &fields).await
            }
        };
        post(&first, form(version_in(&mine.body), "Định An Một")).await.redirects_to(&format!("/orgs/{cell}"));
        let refused = post(&second, form(version_in(&theirs.body), "Định An Hai")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("đã được người khác lưu").contains("value=\"Định An Hai\"").contains("Địa danh: Định An Một");
        assert_eq!(orgs::get(&app.db, cell).await.unwrap().unwrap().place_name, "Định An Một");
        let (_, version) = orgs::get_versioned(&app.db, cell).await.unwrap().unwrap();
        assert_eq!(version_in(&refused.body), version.to_string());
        post(&second, form(version_in(&refused.body), "Định An Hai")).await.redirects_to(&format!("/orgs/{cell}"));
        assert_eq!(orgs::get(&app.db, cell).await.unwrap().unwrap().place_name, "Định An Hai");
    }
}

//! Plan authoring over HTTP: the seed plans read back, every section edited, timelines laid
//! out, copying, conflicts, validation, "Việc của tôi", progress, access.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, TestApp, version_in};
use chuyende::db::plans;
use chuyende::domain::org::{OrgId, Year};
use chuyende::domain::plan::PlanId;
use chuyende::domain::samples::{KINDERGARTEN_TOPICS, MODEL_TOPICS};

async fn plan_id(app: &TestApp, cell: OrgId, year: i32) -> PlanId {
    plans::find(&app.db, cell, Year::new(year).unwrap())
        .await
        .unwrap()
        .expect("a plan")
}

/// Creates a blank plan for `year` through the form and returns its id.
async fn new_plan(browser: &Browser, cell: OrgId, year: &str, start: &str) -> PlanId {
    browser.get(&format!("/orgs/{cell}/plans/new")).await.ok();
    let created = browser
        .post(
            &format!("/orgs/{cell}/plans/new"),
            &[("year", year), ("start", start)],
        )
        .await;
    created.redirects_to("/plans/");
    created
        .location()
        .trim_start_matches("/plans/")
        .parse()
        .unwrap()
}

both! {
    async fn the_seed_plans_read_back_through_the_pages(app: TestApp) {
        let member = app.login("dangvien").await;
        let kindergarten = plan_id(&app, app.demo.kindergarten.id, 2022).await;
        let page = member.get(&format!("/plans/{kindergarten}")).await;
        page.ok();
        for title in KINDERGARTEN_TOPICS {
            page.contains(title);
        }
        // Each topic reported by its member in its month, as in seed 002; the demo's sessions
        // were held on a day of that month, which the plan now shows.
        for (name, month) in [("Nguyễn Thanh Tâm", "20/04/2022"), ("Nguyễn Thị Thanh Tâm", "19/10/2022"), ("Nguyễn Thị Ly", "21/12/2022")] {
            page.contains(&format!("Trình bày: {name}")).contains(&format!("Sinh hoạt: {month}"));
        }
        page.contains("Chỉ thị số 10-CT/TW, ngày 30/03/2007 của Ban Bí thư")
            .contains("Hướng dẫn số 12-HD/BTCTW")
            .contains("Đảng ủy xã Định An (để b/c)")
            .contains("Lê Thị Bích Ngọc");

        let school = plan_id(&app, app.demo.school.id, 2022).await;
        let reviewer = app.login("danguy").await;
        let page = reviewer.get(&format!("/plans/{school}")).await;
        page.ok();
        for title in MODEL_TOPICS {
            page.contains(title);
        }
        // Seed 003's table: five steps per topic, months 1 to 12 of 2022 in order.
        let body = &page.body;
        let mut from = 0;
        for month in [1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 8, 9, 10, 10, 11, 11, 12] {
            let needle = format!("<td>Tháng {month}/2022</td>");
            let at = body[from..].find(&needle).unwrap_or_else(|| panic!("{needle} after {from}"));
            from += at + needle.len();
        }
        for step in ["Chuẩn bị đề cương", "Xây dựng dự thảo lần 1", "Lấy ý kiến tham gia", "Tiếp thu hoàn chỉnh dự thảo lần 2", "Tổ chức sinh hoạt chuyên đề"] {
            assert_eq!(body.matches(&format!("<td>{step}</td>")).count(), 4, "{step}");
        }
    }

    async fn a_secretary_builds_a_plan_section_by_section(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        let id = new_plan(&browser, cell, "2027", "blank").await;
        let page = browser.get(&format!("/plans/{id}")).await;
        page.ok()
            .contains("Đã lập kế hoạch năm 2027.")
            .contains("sinh hoạt chuyên đề năm 2027")
            .contains("Kế hoạch chưa có chuyên đề nào.")
            .contains("Đảng ủy xã Định An (để b/c)")
            .contains("Lê Thị Bích Ngọc");
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.number.unwrap().to_string(), "03-KH/CB", "the next free number of the term");

        browser.get(&format!("/plans/{id}/header")).await.ok();
        browser.post(&format!("/plans/{id}/header"), &[
            ("version", &plan.version.to_string()), ("number", "7-KH/CB"), ("place", "Định An"),
            ("issued_on", "15/1/2027"), ("subject", "sinh hoạt chuyên đề năm 2027"),
        ]).await.redirects_to(&format!("/plans/{id}"));

        let form = browser.get(&format!("/plans/{id}/basis")).await;
        browser.post(&format!("/plans/{id}/basis"), &[
            ("version", &version_in(&form.body)), ("lead", "Thực hiện"),
            ("basis_order_0", "2"), ("basis_kind_0", "guidance"), ("basis_number_0", "42-HD/BTCTW"),
            ("basis_date_0", "28/10/2025"), ("basis_issuer_0", "Ban Tổ chức Trung ương"), ("basis_subject_0", "nâng cao chất lượng sinh hoạt chi bộ"),
            ("basis_order_1", "1"), ("basis_kind_1", "directive"), ("basis_number_1", "50-CT/TW"),
            ("basis_date_1", "23/7/2025"), ("basis_issuer_1", "Ban Bí thư"), ("basis_subject_1", ""),
            ("basis_order_2", "3"), ("basis_kind_2", "directive"), ("basis_number_2", ""), ("basis_date_2", ""),
            ("basis_issuer_2", ""), ("basis_subject_2", ""),
            ("closing", "Chi bộ Mầm non Định An xây dựng kế hoạch như sau:"),
        ]).await.redirects_to(&format!("/plans/{id}"));

        for (section, text) in [
            ("purposes", "- Nâng cao chất lượng sinh hoạt chi bộ.\n\nGắn với nhiệm vụ chính trị của nhà trường."),
            ("requirements", "Nghiêm túc, thiết thực."),
            ("format", "Sinh hoạt chuyên đề mỗi quý một lần."),
            ("materials", "Tài liệu do Đảng ủy xã cung cấp."),
            ("duties", "Chi ủy chỉ đạo.\nĐảng viên thực hiện."),
        ] {
            let form = browser.get(&format!("/plans/{id}/texts/{section}")).await;
            form.ok();
            browser.post(&format!("/plans/{id}/texts/{section}"), &[("version", &version_in(&form.body)), ("text", text)])
                .await
                .redirects_to(&format!("/plans/{id}"));
        }

        let form = browser.get(&format!("/plans/{id}/recipients")).await;
        browser.post(&format!("/plans/{id}/recipients"), &[
            ("version", &version_in(&form.body)),
            ("recipient_order_0", "2"), ("recipient_name_0", "Đảng viên trong chi bộ"), ("recipient_report_0", "0"),
            ("recipient_order_1", "1"), ("recipient_name_1", "Đảng ủy xã Định An"), ("recipient_report_1", "1"),
            ("recipient_order_2", "3"), ("recipient_name_2", ""), ("recipient_report_2", "0"),
            ("archive", "Lưu Chi bộ"),
        ]).await.redirects_to(&format!("/plans/{id}"));

        let deputy = app.member_id(cell, "Nguyễn Thanh Tâm").await.to_string();
        let form = browser.get(&format!("/plans/{id}/signature")).await;
        browser.post(&format!("/plans/{id}/signature"), &[
            ("version", &version_in(&form.body)), ("authority", "cell_committee"), ("title", "deputy_secretary"),
            ("signer", &deputy), ("signer_name", ""),
        ]).await.redirects_to(&format!("/plans/{id}"));

        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.number.as_ref().unwrap().to_string(), "07-KH/CB");
        assert_eq!(plan.issued_on.unwrap().to_string(), "2027-01-15");
        assert_eq!(plan.basis.len(), 2, "the empty row is dropped");
        assert_eq!(plan.basis[0].number, "50-CT/TW", "rows follow the order typed");
        assert_eq!(plan.purposes, vec!["Nâng cao chất lượng sinh hoạt chi bộ.", "Gắn với nhiệm vụ chính trị của nhà trường."]);
        assert_eq!(plan.duties.len(), 2);
        assert_eq!(plan.recipients[0].name, "Đảng ủy xã Định An");
        assert!(plan.recipients[0].for_report);
        assert_eq!(plan.signature.signer_name, "Nguyễn Thanh Tâm");

        let page = browser.get(&format!("/plans/{id}")).await;
        page.ok()
            .contains("Số 07-KH/CB")
            .contains("Định An, ngày 15 tháng 01 năm 2027")
            .contains("Chỉ thị số 50-CT/TW, ngày 23/07/2025 của Ban Bí thư")
            .contains("T/M CHI ỦY")
            .contains("PHÓ BÍ THƯ");
        // Every change is in the history, with who made it.
        let history = plans::history(&app.db, id).await.unwrap();
        assert_eq!(history.len(), 10, "{history:?}");
        page.contains("Lê Thị Bích Ngọc: Sửa nơi nhận").contains("Sửa mục “Tổ chức thực hiện”");
    }

    async fn topics_get_their_timeline_from_a_quarter_or_an_exact_date(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        let id = new_plan(&browser, cell, "2027", "blank").await;
        let ly = app.member_id(cell, "Nguyễn Thị Ly").await.to_string();
        let page = browser.get(&format!("/plans/{id}/topics/new")).await;
        browser.post(&format!("/plans/{id}/topics/new"), &[
            ("version", &version_in(&page.body)), ("title", "Học tập và làm theo tư tưởng Hồ Chí Minh"),
            ("content", "Xây dựng chuyên đề"), ("quarter", "2"), ("session", ""), ("presenter", &ly),
        ]).await.redirects_to(&format!("/plans/{id}"));
        let page = browser.get(&format!("/plans/{id}/topics/new")).await;
        browser.post(&format!("/plans/{id}/topics/new"), &[
            ("version", &version_in(&page.body)), ("title", "Phòng, chống tai nạn thương tích cho trẻ"),
            ("quarter", "3"), ("session", "20/9/2027"), ("presenter", "group"), ("presenter_text", "Tổ đảng khối lớp Lá"),
        ]).await.redirects_to(&format!("/plans/{id}"));

        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        let quarter: Vec<String> = plan.topics[0].steps.iter().map(|s| s.due.unwrap().label()).collect();
        assert_eq!(quarter, ["Tháng 4/2027", "Tháng 4/2027", "Tháng 5/2027", "Tháng 5/2027", "Tháng 6/2027"]);
        assert_eq!(plan.topics[0].steps[0].assignees[0].name, "Nguyễn Thị Ly", "the presenter prepares the outline");
        assert_eq!(plan.topics[0].steps[2].assignees[0].name, "Lê Thị Bích Ngọc", "the secretary collects comments");
        let exact: Vec<String> = plan.topics[1].steps.iter().map(|s| s.due.unwrap().label()).collect();
        assert_eq!(exact, ["09/08/2027", "23/08/2027", "06/09/2027", "13/09/2027", "20/09/2027"]);

        // Editing steps: an order that puts the session before draft 2 is refused, as typed.
        let topic = plan.topics[1].id;
        let form = browser.get(&format!("/topics/{topic}")).await;
        form.ok().contains("value=\"13/09/2027\"").contains("Tổ đảng khối lớp Lá");
        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), version_in(&form.body)), ("title".into(), "Phòng, chống tai nạn thương tích cho trẻ".into()),
            ("quarter".into(), "3".into()), ("session".into(), "20/9/2027".into()),
            ("presenter".into(), "group".into()), ("presenter_text".into(), "Tổ đảng khối lớp Lá".into()),
        ];
        for (row, step) in plan.topics[1].steps.iter().enumerate() {
            let due = if step.kind.as_str() == "session" { "01/09/2027".to_owned() } else { step.due.unwrap().input_value() };
            fields.push((format!("step_id_{row}"), step.id.to_string()));
            fields.push((format!("step_kind_{row}"), step.kind.as_str().into()));
            fields.push((format!("step_label_{row}"), step.label.clone()));
            fields.push((format!("step_due_{row}"), due));
            fields.push((format!("step_note_{row}"), String::new()));
            fields.push((format!("step_assignee_{row}"), ly.clone()));
        }
        fields.push(("step_label_5".into(), "Gửi tài liệu cho đảng viên".into()));
        fields.push(("step_due_5".into(), "15/09/2027".into()));
        fields.push(("step_kind_5".into(), "other".into()));
        fields.push(("step_id_5".into(), "0".into()));
        fields.push(("step_assignee_5".into(), ly.clone()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = browser.post(&format!("/topics/{topic}"), &borrowed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Bước “Tổ chức sinh hoạt chuyên đề” không thể diễn ra trước bước")
            .contains("value=\"01/09/2027\"")
            .contains("value=\"Gửi tài liệu cho đảng viên\"");

        // Fixed, it saves: the new step is added and every step assigned.
        let fixed: Vec<(&str, &str)> = borrowed.iter().map(|(k, v)| if *v == "01/09/2027" { (*k, "20/09/2027") } else { (*k, *v) }).collect();
        browser.post(&format!("/topics/{topic}"), &fixed).await.redirects_to(&format!("/plans/{id}"));
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.topics[1].steps.len(), 6);
        assert_eq!(plan.topics[1].steps[5].label, "Gửi tài liệu cho đảng viên");
        assert!(plan.topics[1].steps.iter().all(|s| s.assignees.len() == 1));

        // Reordering topics.
        let page = browser.get(&format!("/plans/{id}")).await;
        browser.post(&format!("/topics/{topic}/move"), &[("version", &version_in(&page.body)), ("direction", "up")])
            .await
            .redirects_to(&format!("/plans/{id}#topics"));
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.topics[0].id, topic);

        // Removing needs the confirmation box: without it, back to the topic, told why.
        let form = browser.get(&format!("/topics/{topic}")).await;
        browser.post(&format!("/topics/{topic}/delete"), &[("version", &version_in(&form.body))])
            .await
            .redirects_to(&format!("/topics/{topic}"));
        browser.get(&format!("/topics/{topic}")).await.ok()
            .contains("Chưa xóa: hãy đánh dấu ô xác nhận trước khi bấm Xóa chuyên đề.");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap().topics.len(), 2);
        let form = browser.get(&format!("/topics/{topic}")).await;
        browser.post(&format!("/topics/{topic}/delete"), &[("version", &version_in(&form.body)), ("confirm", "yes")])
            .await
            .redirects_to(&format!("/plans/{id}"));
        browser.get(&format!("/plans/{id}")).await.ok()
            .contains("Đã xóa chuyên đề “Phòng, chống tai nạn thương tích cho trẻ”.")
            .lacks("Tổ đảng khối lớp Lá");
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.topics.len(), 1);
        assert_eq!(plan.topics[0].title, "Học tập và làm theo tư tưởng Hồ Chí Minh", "the other topic stays");
    }

    async fn copying_last_years_plan(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        let previous = plans::get(&app.db, plan_id(&app, cell, 2022).await).await.unwrap().unwrap();
        let id = new_plan(&browser, cell, "2023", "copy").await;
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.topics.len(), previous.topics.len());
        assert_eq!(plan.topics[0].title, previous.topics[0].title);
        assert_eq!(plan.topics[3].steps[4].due.unwrap().label(), "Tháng 12/2023", "months move to the new year");
        assert_eq!(plan.duties, previous.duties);
        assert_eq!(plan.recipients, previous.recipients);
        assert_eq!(plan.subject, "sinh hoạt chuyên đề năm 2023");
        assert!(plan.topics.iter().flat_map(|t| &t.steps).all(|s| s.done_on.is_none()), "progress reset");
        assert_ne!(plan.number, previous.number, "a fresh number");
        // One plan per cell and year.
        browser.get(&format!("/orgs/{cell}/plans/new")).await;
        let again = browser.post(&format!("/orgs/{cell}/plans/new"), &[("year", "2023"), ("start", "blank")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        again.contains("Chi bộ đã có kế hoạch của năm này.").contains("value=\"2023\"");
        let bad = browser.post(&format!("/orgs/{cell}/plans/new"), &[("year", "năm sau"), ("start", "blank")]).await;
        bad.contains("Năm phải là một số").contains("value=\"năm sau\"");
    }

    async fn concurrent_edits_never_overwrite_silently(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let id = plan_id(&app, cell, 2022).await;
        let secretary = app.login("bithu").await;
        let admin = app.login("admin").await;
        let first = secretary.get(&format!("/plans/{id}/texts/purposes")).await;
        let second = admin.get(&format!("/plans/{id}/texts/purposes")).await;
        let format_form = admin.get(&format!("/plans/{id}/texts/format")).await;
        secretary.post(&format!("/plans/{id}/texts/purposes"), &[("version", &version_in(&first.body)), ("text", "Mục đích của bí thư.")])
            .await
            .redirects_to(&format!("/plans/{id}"));
        let conflict = admin.post(&format!("/plans/{id}/texts/purposes"), &[("version", &version_in(&second.body)), ("text", "Mục đích của quản trị.")]).await;
        assert_eq!(conflict.status, StatusCode::UNPROCESSABLE_ENTITY);
        conflict.contains("đã được lưu bởi Lê Thị Bích Ngọc")
            .contains("Sửa mục “Mục đích”")
            .contains("Mục đích của quản trị.")
            .contains("Bản đang lưu")
            .contains("Mục đích của bí thư.");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap().purposes, vec!["Mục đích của bí thư."]);
        // Another section, drawn from the same old version, saves: no false conflict.
        admin.post(&format!("/plans/{id}/texts/format"), &[("version", &version_in(&format_form.body)), ("text", "Hình thức mới.")])
            .await
            .redirects_to(&format!("/plans/{id}"));
        // Re-applying after reading the conflict succeeds.
        admin.post(&format!("/plans/{id}/texts/purposes"), &[("version", &version_in(&conflict.body)), ("text", "Mục đích của quản trị.")])
            .await
            .redirects_to(&format!("/plans/{id}"));
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.purposes, vec!["Mục đích của quản trị."]);
        assert_eq!(plan.format, vec!["Hình thức mới."]);
    }

    async fn invalid_input_comes_back_as_typed(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let id = plan_id(&app, cell, 2022).await;
        let browser = app.login("bithu").await;
        let form = browser.get(&format!("/plans/{id}/header")).await;
        let before = plans::get(&app.db, id).await.unwrap().unwrap();
        let response = browser.post(&format!("/plans/{id}/header"), &[
            ("version", &version_in(&form.body)), ("number", "KH năm nay"), ("place", "Định An"),
            ("issued_on", "31/02/2022"), ("subject", ""),
        ]).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        response.contains("value=\"KH năm nay\"").contains("value=\"31/02/2022\"")
            .contains("Số văn bản có dạng 05-KH/CB").contains("Ngày không hợp lệ").contains("Vui lòng nhập nội dung này.");
        // A number used by the other plan of the term is refused beside the field.
        let taken = browser.post(&format!("/plans/{id}/header"), &[
            ("version", &version_in(&form.body)), ("number", "02-KH/CB"), ("place", "Định An"),
            ("issued_on", "10/01/2022"), ("subject", "x"),
        ]).await;
        taken.contains("Số này đã dùng cho một kế hoạch khác trong nhiệm kỳ.");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap(), before, "nothing stored");

        let topic_form = browser.get(&format!("/plans/{id}/topics/new")).await;
        let bad = browser.post(&format!("/plans/{id}/topics/new"), &[
            ("version", &version_in(&topic_form.body)), ("title", ""), ("content", "Nội dung <giữ lại>"),
            ("quarter", "2"), ("session", "5/2023"), ("presenter", "999999"),
        ]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        bad.contains("Vui lòng nhập tên chuyên đề.").contains("Thời gian sinh hoạt phải trong năm 2022.")
            .contains("Người trình bày phải là đảng viên của chi bộ.").contains("Nội dung &#60;giữ lại&#62;")
            .contains("value=\"5/2023\"");
    }

    async fn hostile_and_vietnamese_text_round_trips_exactly(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        let id = new_plan(&browser, cell, "2028", "blank").await;
        let long = "Rất".to_owned() + &" dài".repeat(120);
        let title = format!("Chuyên đề “Học tập” ‘và’ \"làm theo\" 'Bác' <script>alert(1)</script> & {{{{x}}}} #[$\\] {long}");
        // Typed with combining marks: stored precomposed.
        let decomposed = title.replace('ệ', "e\u{323}\u{302}");
        let form = browser.get(&format!("/plans/{id}/topics/new")).await;
        browser.post(&format!("/plans/{id}/topics/new"), &[("version", &version_in(&form.body)), ("title", &decomposed), ("quarter", "1")])
            .await
            .redirects_to(&format!("/plans/{id}"));
        let stored = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(stored.topics[0].title, title);
        let page = browser.get(&format!("/plans/{id}")).await;
        page.ok()
            .contains("Chuyên đề “Học tập” ‘và’ &#34;làm theo&#34; &#39;Bác&#39; &#60;script&#62;alert(1)&#60;/script&#62; &#38; {{x}} #[$\\]")
            .lacks("<script>alert(1)");
    }

    async fn my_work_and_marking_steps_done(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let member = app.login("dangvien").await;
        let page = member.get("/me/work").await;
        page.ok()
            .contains("Việc của tôi")
            .contains(KINDERGARTEN_TOPICS[2])
            .contains("Quá hạn")
            .contains("Trình bày chuyên đề");
        // The 2022 steps are overdue and listed before this year's.
        let first_2022 = page.body.find("Tháng 10/2022").unwrap();
        let plan = plans::get(&app.db, plan_id(&app, cell, 2022).await).await.unwrap().unwrap();
        let step = plan.topics[2].steps[0].clone();
        assert_eq!(step.assignees[0].name, "Nguyễn Thị Ly");
        assert!(first_2022 > 0);

        member.post(&format!("/steps/{}/mark", step.id), &[("done_on", "05/10/2022"), ("back", "work")])
            .await
            .redirects_to("/me/work");
        let page = member.get("/me/work").await;
        page.contains("Đã đánh dấu hoàn thành “Chuẩn bị đề cương”.").contains("(xong 05/10/2022)");
        let plan = plans::get(&app.db, plan.id).await.unwrap().unwrap();
        assert_eq!(plan.topics[2].steps[0].done_on.unwrap().to_string(), "2022-10-05");
        member.get(&format!("/plans/{}", plan.id)).await.contains("Tiến độ: 1/5 bước");

        // A future date is refused; a member cannot mark a step not assigned to them.
        member.post(&format!("/steps/{}/mark", step.id), &[("done_on", "01/01/2100")]).await;
        member.get("/").await.contains("Chưa lưu: Ngày hoàn thành không thể ở tương lai.");
        let kept = plans::get(&app.db, plan.id).await.unwrap().unwrap().topics[2].steps[0].done_on;
        assert_eq!(kept.unwrap().to_string(), "2022-10-05", "the refused date is not stored");
        let not_mine = plan.topics[0].steps[0].id;
        assert_eq!(member.post(&format!("/steps/{not_mine}/mark"), &[]).await.status, StatusCode::FORBIDDEN);
        // The secretary can, and can undo it.
        let secretary = app.login("bithu").await;
        secretary.get("/").await;
        secretary.post(&format!("/steps/{not_mine}/mark"), &[]).await.redirects_to(&format!("/plans/{}", plan.id));
        secretary.post(&format!("/steps/{not_mine}/mark"), &[("done", "no")]).await;
        let plan = plans::get(&app.db, plan.id).await.unwrap().unwrap();
        assert!(plan.topics[0].steps[0].done_on.is_none());
    }

    async fn plans_are_scoped_like_their_cell(app: TestApp) {
        let kindergarten = plan_id(&app, app.demo.kindergarten.id, 2022).await;
        let topic = plans::get(&app.db, kindergarten).await.unwrap().unwrap().topics[0].id;
        let secretary_b = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        let thanh = app.member_id(app.demo.school.id, "Đỗ Văn Thành").await;
        chuyende::db::members::link_user(&app.db, thanh, secretary_b).await.unwrap();
        let reviewer_elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, reviewer_elsewhere, app.demo.bloc.id, None).await.unwrap();

        let readers = ["dangvien", "bithu", "danguy", "admin"];
        let editors = ["bithu", "admin"];
        for login in ["dangvien", "bithu", "bithu.b", "danguy", "danguy.khoi", "admin"] {
            let browser = app.login(login).await;
            browser.get("/").await;
            let read = browser.get(&format!("/plans/{kindergarten}")).await.status;
            assert_eq!(read == StatusCode::OK, readers.contains(&login), "{login} reads the plan: {read}");
            // Who cannot even read the plan is told it is not there, like a missing id.
            let denied = if readers.contains(&login) { StatusCode::FORBIDDEN } else { StatusCode::NOT_FOUND };
            for path in [
                format!("/plans/{kindergarten}/header"), format!("/plans/{kindergarten}/basis"),
                format!("/plans/{kindergarten}/texts/duties"), format!("/plans/{kindergarten}/recipients"),
                format!("/plans/{kindergarten}/signature"), format!("/plans/{kindergarten}/topics/new"),
                format!("/topics/{topic}"), format!("/orgs/{}/plans/new", app.demo.kindergarten.id),
            ] {
                let status = browser.get(&path).await.status;
                assert_eq!(status == StatusCode::OK, editors.contains(&login), "{login} GET {path}: {status}");
                assert!(status == StatusCode::OK || status == denied, "{login} GET {path}: {status}");
                let post = browser.post(&path, &[("version", "1")]).await.status;
                assert_eq!(post == denied, !editors.contains(&login), "{login} POST {path}: {post}");
            }
            for path in [format!("/topics/{topic}/move"), format!("/topics/{topic}/delete"), format!("/topics/{topic}/standard")] {
                let post = browser.post(&path, &[("version", "0")]).await.status;
                assert_eq!(post == denied, !editors.contains(&login), "{login} POST {path}: {post}");
            }
            let work = browser.get("/me/work").await.status;
            assert_eq!(work, StatusCode::OK);
        }
        assert_eq!(plans::get(&app.db, kindergarten).await.unwrap().unwrap().topics.len(), 3, "refused posts changed nothing");
        let anonymous = app.browser();
        anonymous.get("/login").await;
        anonymous.get(&format!("/plans/{kindergarten}")).await.redirects_to("/login");
        assert_eq!(app.browser().get("/plans/999999").await.status, StatusCode::SEE_OTHER);
        // Signed in, even with every right, a plan that does not exist is "not found".
        let missing = app.login("admin").await.get("/plans/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "body: {}", missing.body);
        missing.contains("Không tìm thấy trang").lacks("Kế hoạch sinh hoạt chuyên đề");
    }
}

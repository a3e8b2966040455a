//! Model sessions (issue 10, seed 004): the committee's plan to stage model cell meetings,
//! entered over HTTP as its staff would, its document, bad input, issuing, and who may do what.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, TestApp, docx_document_xml, pdf_text, version_in};

/// A new model-session plan of the commune, made by its staff; its page's path.
async fn new_plan(app: &TestApp, staff: &Browser) -> String {
    let commune = app.demo.commune.id;
    staff
        .get(&format!("/orgs/{commune}/model-plans"))
        .await
        .ok();
    let created = staff
        .post(&format!("/orgs/{commune}/model-plans"), &[("year", "2024")])
        .await;
    created.redirects_to("/model-plans/");
    created.location().to_owned()
}

const PURPOSES: &str = "- Tạo sự chuyển biến, khắc phục những hạn chế, yếu kém trong thực hiện nội dung sinh hoạt chi bộ.\n- Nâng cao nhận thức, trách nhiệm của các cấp ủy, tổ chức đảng về vai trò, vị trí của chi bộ.\n- Qua hội nghị, rút ra kinh nghiệm, chỉ rõ những hạn chế, nguyên nhân và giải pháp khắc phục.";
const ATTENDEES: &str = "Đại diện Thường trực Thành ủy; lãnh đạo Ban Tổ chức Thành ủy.\nĐại diện Ban Thường vụ; Ủy viên Ban Chấp hành Đảng bộ Sở.\nCấp ủy đảng bộ, chi bộ cơ sở\nCấp ủy các chi bộ trực thuộc đảng bộ cơ sở\nĐảng viên các chi bộ thực hiện sinh hoạt mẫu.";
const DUTIES: &str = "1. Ban Tổ chức Đảng ủy\n- Thẩm định nội dung sinh hoạt chi bộ mẫu.\n- Tổng hợp ý kiến của các đại biểu tham dự hội nghị.\n2. Văn phòng Đảng ủy\n- Phát hành giấy mời theo thành phần.\n- Diễm danh hội nghị.\n3. Cấp ủy các Đảng bộ, chi bộ: cử cán bộ tham dự theo đúng thành phần.";

/// The seed's document parts, typed into the plan's form.
async fn write_seed_parts(staff: &Browser, plan: &str) {
    let form = staff.get(&format!("{plan}/edit")).await;
    form.ok().contains("Thực hiện");
    let version = version_in(&form.body);
    staff
        .post(
            &format!("{plan}/edit"),
            &[
                ("version", &version),
                ("number", "82-KH/ĐU"),
                ("place", "Thành phố Hồ Chí Minh"),
                ("issued_on", "01/03/2024"),
                ("subject", "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu"),
                ("lead", "Thực hiện"),
                ("basis_order_0", "1"),
                ("basis_kind_0", "directive"),
                ("basis_number_0", "10-CT/TW"),
                ("basis_date_0", "30/03/2007"),
                ("basis_issuer_0", "Ban Bí thư"),
                ("basis_subject_0", "nâng cao chất lượng sinh hoạt chi bộ"),
                ("basis_order_1", "2"),
                ("basis_kind_1", "guidance"),
                ("basis_number_1", "12-HD/BTCTW"),
                ("basis_date_1", "06/07/2017"),
                ("basis_issuer_1", "Ban Tổ chức Trung ương"),
                ("basis_subject_1", "một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ"),
                (
                    "closing",
                    "Đảng ủy xã Định An xây dựng kế hoạch tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu như sau:",
                ),
                ("purposes", PURPOSES),
                ("requirements", ""),
                ("attendees", ATTENDEES),
                ("duties", DUTIES),
                ("recipient_order_0", "1"),
                ("recipient_name_0", "Ban Thường vụ Đảng ủy"),
                ("recipient_report_0", "0"),
                ("recipient_order_1", "2"),
                ("recipient_name_1", "Ban Tổ chức Đảng ủy"),
                ("recipient_report_1", "0"),
                ("recipient_order_2", "3"),
                ("recipient_name_2", "Các cấp ủy cơ sở"),
                ("recipient_report_2", "0"),
                ("archive", "Lưu Văn phòng Đảng ủy"),
                ("authority", "standing_committee"),
                ("title", "secretary"),
                ("signer_name", "Nguyễn Văn Hiếu"),
            ],
        )
        .await
        .redirects_to(plan);
}

/// The seed's two model sessions, hosted by the commune's two cells.
async fn add_seed_sessions(app: &TestApp, staff: &Browser, plan: &str) {
    let kindergarten = app.demo.kindergarten.id.to_string();
    let school = app.demo.school.id.to_string();
    staff.get(&format!("{plan}/sessions/new")).await.ok();
    staff
        .post(
            &format!("{plan}/sessions/new"),
            &[
                ("kind", "regular"),
                ("host", &kindergarten),
                ("date", "28/03/2024"),
                ("start", "08:00"),
                ("venue", "Hội trường Trường Cao đẳng Lý Tự Trọng"),
                ("address", "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình"),
            ],
        )
        .await
        .redirects_to(plan);
    staff
        .post(
            &format!("{plan}/sessions/new"),
            &[
                ("kind", "thematic"),
                ("host", &school),
                ("date", "18/04/2024"),
                ("start", "8h"),
                (
                    "venue",
                    "Hội trường Trường Trung cấp Kinh tế - Kỹ thuật Quận 12",
                ),
                (
                    "address",
                    "592 Nguyễn Ảnh Thủ, Phường Trung Mỹ Tây, Quận 12",
                ),
                ("topic_title", "Nâng cao chất lượng sinh hoạt chi bộ"),
            ],
        )
        .await
        .redirects_to(plan);
}

fn assert_in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match text[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("{needle:?} missing (or out of order) after byte {from} in:\n{text}"),
        }
    }
}

both! {
    async fn the_seed_plan_entered_over_http_reproduces_its_document(app: TestApp) {
        let staff = app.login("danguy").await;
        let plan = new_plan(&app, &staff).await;
        write_seed_parts(&staff, &plan).await;
        add_seed_sessions(&app, &staff, &plan).await;

        let page = staff.get(&plan).await;
        page.ok()
            .contains("Kế hoạch số 82-KH/ĐU")
            .contains("Chi bộ Mầm non Định An thuộc")
            .contains("08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024");

        let seed_order = [
            "ĐẢNG ỦY XÃ ĐỊNH AN",
            "Số 82-KH/ĐU",
            "Thành phố Hồ Chí Minh, ngày 01 tháng 3 năm 2024",
            "KẾ HOẠCH",
            "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu",
            "Chỉ thị số 10-CT/TW",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Tạo sự chuyển biến",
            "II. NỘI DUNG",
            "1. Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu",
            "Chi bộ Mầm non Định An thuộc",
            "Thời gian dự kiến: Lúc 08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024.",
            "Địa điểm: Hội trường Trường Cao đẳng Lý Tự Trọng, địa chỉ: 390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình.",
            "2. Hội nghị “sinh hoạt chi bộ chuyên đề” mẫu",
            "Chuyên đề: Nâng cao chất lượng sinh hoạt chi bộ.",
            "Thời gian dự kiến: Lúc 08 giờ 00 thứ năm, ngày 18 tháng 4 năm 2024.",
            "592 Nguyễn Ảnh Thủ, Phường Trung Mỹ Tây, Quận 12",
            "3. Thành phần tham dự",
            "Đảng viên các chi bộ thực hiện sinh hoạt mẫu.",
            "III. TỔ CHỨC THỰC HIỆN",
            "1. Ban Tổ chức Đảng ủy",
            "Thẩm định nội dung sinh hoạt chi bộ mẫu.",
            "2. Văn phòng Đảng ủy",
            "Diễm danh hội nghị.",
            "3. Cấp ủy các Đảng bộ, chi bộ: cử cán bộ tham dự theo đúng thành phần.",
            "Nơi nhận:",
            "Ban Thường vụ Đảng ủy;",
            "Lưu Văn phòng Đảng ủy.",
            "T/M BAN THƯỜNG VỤ",
            "BÍ THƯ",
            "Nguyễn Văn Hiếu",
        ];

        let print = staff.get(&format!("{plan}/document")).await;
        print.ok().contains("DỰ THẢO");
        assert_in_order(&print.body, &seed_order);

        let (status, headers, docx) = staff.bytes(&format!("{plan}/document.docx")).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(disposition.contains("KH-82-DU-2024-mau.docx"), "{disposition}");
        let xml = docx_document_xml(&docx);
        for needle in seed_order {
            assert!(xml.contains(needle), "{needle:?} in the DOCX");
        }

        let (status, _, pdf) = staff.bytes(&format!("{plan}/document.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        let text = pdf_text(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in ["Số 82-KH/ĐU", "T/M BAN THƯỜNG VỤ", "Nguyễn Văn Hiếu", "Thành phần tham dự", "390 Hoàng Văn Thụ"] {
            assert!(flat.contains(needle), "{needle:?} in the PDF:\n{flat}");
        }

        // Issued: no longer a draft, no longer editable.
        let page = staff.get(&plan).await;
        let version = version_in(&page.body);
        staff.post(&format!("{plan}/issue"), &[("version", &version)]).await.redirects_to(&plan);
        staff.get(&format!("{plan}/document")).await.ok().lacks("DỰ THẢO");
        let form = staff.get(&format!("{plan}/edit")).await;
        form.ok().contains("Kế hoạch đã ban hành");
        let version = version_in(&form.body);
        staff
            .post(&format!("{plan}/edit"), &[("version", &version), ("number", "83-KH/ĐU")])
            .await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY);
        staff.get(&format!("{plan}/document")).await.ok().contains("Số 82-KH/ĐU");
    }

    async fn bad_input_comes_back_beside_the_field_and_keeps_what_was_typed(app: TestApp) {
        let staff = app.login("danguy").await;
        let plan = new_plan(&app, &staff).await;
        write_seed_parts(&staff, &plan).await;
        let outside = app.demo.bloc_cell.id.to_string();
        staff.get(&format!("{plan}/sessions/new")).await.ok();
        let refused = staff
            .post(
                &format!("{plan}/sessions/new"),
                &[
                    ("kind", "regular"),
                    ("host", &outside),
                    ("date", "28/03/2024"),
                    ("start", "08:00"),
                    ("venue", "Hội trường Khối"),
                    ("address", "Số 1 đường Một"),
                ],
            )
            .await;
        refused
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Chi bộ thực hiện phải là một chi bộ thuộc đảng bộ ban hành kế hoạch.")
            .contains("Hội trường Khối")
            .contains("Số 1 đường Một");
        let kindergarten = app.demo.kindergarten.id.to_string();
        let refused = staff
            .post(
                &format!("{plan}/sessions/new"),
                &[
                    ("kind", "regular"),
                    ("host", &kindergarten),
                    ("date", "15/02/2024"),
                    ("start", "08:00"),
                    ("venue", "   "),
                    ("address", "Địa chỉ vẫn còn"),
                ],
            )
            .await;
        refused
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Ngày tổ chức phải từ ngày ban hành kế hoạch (01/03/2024) trở đi.")
            .contains("Vui lòng nhập địa điểm")
            .contains("15/02/2024")
            .contains("Địa chỉ vẫn còn");
        // Nothing was stored.
        staff.get(&plan).await.ok().contains("Chưa có hội nghị mẫu nào.");

        // The plan's own form: a bad number and date, the rest kept.
        let form = staff.get(&format!("{plan}/edit")).await;
        let version = version_in(&form.body);
        let refused = staff
            .post(
                &format!("{plan}/edit"),
                &[
                    ("version", &version),
                    ("number", "KH không số"),
                    ("place", "Định An"),
                    ("issued_on", "31/02/2024"),
                    ("subject", "Tổ chức hội nghị mẫu"),
                    ("purposes", "Một mục đích còn nguyên."),
                    ("archive", "Lưu Văn phòng"),
                    ("authority", "standing_committee"),
                    ("title", "secretary"),
                ],
            )
            .await;
        refused
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Số văn bản có dạng 05-KH/CB")
            .contains("Ngày không hợp lệ")
            .contains("Một mục đích còn nguyên.");
        staff.get(&format!("{plan}/document")).await.ok().contains("Số 82-KH/ĐU");
    }

    async fn only_the_committee_staff_draft_and_host_cells_read_once_issued(app: TestApp) {
        let staff = app.login("danguy").await;
        let plan = new_plan(&app, &staff).await;
        write_seed_parts(&staff, &plan).await;
        add_seed_sessions(&app, &staff, &plan).await;
        let commune = app.demo.commune.id;
        let session_link = {
            let page = staff.get(&plan).await;
            // The link "Sửa" of the first model session (its meeting's page is linked too).
            let edit = page.body.find("\">Sửa</a>").expect("a session's edit link");
            let at = page.body[..edit].rfind("href=\"").unwrap() + 6;
            page.body[at..edit].to_owned()
        };
        let admin = app.login("admin").await;
        admin.get(&format!("/orgs/{commune}/model-plans")).await.ok();
        admin.get(&format!("{plan}/edit")).await.ok();
        admin.get(&session_link).await.ok();

        // A cell's secretary (of a host cell, before the plan is issued) and a reviewer of
        // another committee see nothing of it.
        let secretary = app.login("bithu").await;
        let elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, elsewhere, app.demo.bloc.id, None).await.unwrap();
        let elsewhere = app.login("danguy.khoi").await;
        for outsider in [&secretary, &elsewhere] {
            for path in [
                format!("/orgs/{commune}/model-plans"),
                plan.clone(),
                format!("{plan}/edit"),
                format!("{plan}/sessions/new"),
                format!("{plan}/document"),
                format!("{plan}/document.docx"),
                format!("{plan}/document.pdf"),
                session_link.clone(),
            ] {
                let (status, _, _) = outsider.bytes(&path).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            }
        }
        secretary.get("/").await;
        let forged = secretary.post(&format!("{plan}/issue"), &[("version", "1")]).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        let forged = secretary.post(&format!("{session_link}/delete"), &[]).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        let anonymous = app.browser();
        anonymous.get(&plan).await.redirects_to("/login");

        // A committee's plan is made on a committee: a cell has no model-session plans.
        let cell = app.demo.kindergarten.id;
        assert_eq!(admin.get(&format!("/orgs/{cell}/model-plans")).await.status, StatusCode::FORBIDDEN);

        // Issued: the host cells' members read it (not edit it); others still see nothing.
        let page = staff.get(&plan).await;
        let version = version_in(&page.body);
        staff.post(&format!("{plan}/issue"), &[("version", &version)]).await.redirects_to(&plan);
        let member = app.login("dangvien").await;
        member.get(&plan).await.ok().contains("Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu").lacks("Soạn kế hoạch");
        member.get(&format!("{plan}/document")).await.ok();
        assert_eq!(member.get(&format!("{plan}/edit")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(member.get(&session_link).await.status, StatusCode::FORBIDDEN);
        member.get(&plan).await;
        assert_eq!(member.post(&format!("{plan}/issue"), &[("version", "1")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(elsewhere.get(&plan).await.status, StatusCode::NOT_FOUND);
        // An issued plan's sessions no longer change.
        let refused = staff.post(&format!("{session_link}/delete"), &[]).await;
        refused.redirects_to(&plan);
        staff.get(&plan).await.ok().contains("Kế hoạch đã ban hành, không sửa được nữa.").contains("Hội nghị “sinh hoạt chi bộ chuyên đề” mẫu");
    }
}

/// The topic of the kindergarten's plan of this year whose session the demo scheduled.
async fn scheduled_topic(app: &TestApp) -> (chuyende::domain::plan::TopicId, String) {
    use chuyende::db;
    use chuyende::domain::org::Year;
    let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
    let plan = db::plans::find(&app.db, app.demo.kindergarten.id, this_year)
        .await
        .unwrap()
        .unwrap();
    let session = db::sessions::open_of_plan(&app.db, plan).await.unwrap()[0].clone();
    let stored = db::plans::get(&app.db, plan).await.unwrap().unwrap();
    let title = stored
        .topics
        .iter()
        .find(|t| t.id == session.topic_id)
        .unwrap()
        .title
        .clone();
    (session.topic_id, title)
}

both! {
    async fn issuing_fixes_the_host_cells_session(app: TestApp) {
        let staff = app.login("danguy").await;
        let plan = new_plan(&app, &staff).await;
        // Nothing to issue yet.
        let page = staff.get(&plan).await;
        let version = version_in(&page.body);
        staff.post(&format!("{plan}/issue"), &[("version", &version)]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Kế hoạch chưa có hội nghị mẫu nào");
        let today = chrono::Local::now().date_naive();
        // A day of this year (the plan's), after the plan's date.
        let later = today + chrono::Days::new(10);
        let day = if chrono::Datelike::year(&later) == chrono::Datelike::year(&today) { later } else { today };
        let form = staff.get(&format!("{plan}/edit")).await;
        let version = version_in(&form.body);
        staff.post(&format!("{plan}/edit"), &[
            ("version", &version), ("number", "83-KH/ĐU"), ("place", "Định An"),
            ("issued_on", &today.format("%d/%m/%Y").to_string()), ("subject", "Tổ chức sinh hoạt chi bộ mẫu"),
            ("lead", "Thực hiện"), ("closing", ""), ("purposes", "Rút kinh nghiệm."), ("attendees", "Cấp ủy các chi bộ"),
            ("archive", "Lưu Văn phòng Đảng ủy"), ("authority", "standing_committee"), ("title", "secretary"), ("signer_name", ""),
        ]).await.redirects_to(&plan);
        let (topic, title) = scheduled_topic(&app).await;
        let kindergarten = app.demo.kindergarten.id.to_string();
        staff.get(&format!("{plan}/sessions/new")).await.ok();
        // A topic of another cell is refused beside the field.
        let school = app.demo.school.id.to_string();
        staff.post(&format!("{plan}/sessions/new"), &[
            ("kind", "thematic"), ("host", &school), ("date", &day.format("%d/%m/%Y").to_string()), ("start", "14:00"),
            ("venue", "Hội trường xã"), ("address", ""), ("topic", &topic.to_string()),
        ]).await.status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("Chuyên đề phải thuộc kế hoạch của chi bộ thực hiện.");
        staff.post(&format!("{plan}/sessions/new"), &[
            ("kind", "thematic"), ("host", &kindergarten), ("date", &day.format("%d/%m/%Y").to_string()), ("start", "14:00"),
            ("venue", "Hội trường xã"), ("address", "Ấp Định Thành"), ("topic", &topic.to_string()), ("topic_title", ""),
        ]).await.redirects_to(&plan);
        // The topic's own title is taken.
        staff.get(&plan).await.ok().contains(&format!("Chuyên đề: {title}"));

        // Before issuing, the host cell sees nothing.
        let secretary = app.login("bithu").await;
        let cell = app.demo.kindergarten.id;
        secretary.get(&format!("/orgs/{cell}")).await.ok().lacks("Sinh hoạt chi bộ mẫu do chi bộ thực hiện");

        let page = staff.get(&plan).await;
        let version = version_in(&page.body);
        staff.post(&format!("{plan}/issue"), &[("version", &version)]).await.redirects_to(&plan);

        // The host cell's page shows what is expected of it; its topic's session moved to the
        // committee's day, hour and venue.
        secretary.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Sinh hoạt chi bộ mẫu do chi bộ thực hiện")
            .contains("Kế hoạch số 83-KH/ĐU")
            .contains("Hội nghị “sinh hoạt chi bộ chuyên đề” mẫu");
        let session_page = secretary.get(&format!("/topics/{topic}/session")).await;
        session_page.ok()
            .contains("Buổi sinh hoạt mẫu: ngày, giờ và địa điểm do Đảng ủy xã Định An (Kế hoạch số 83-KH/ĐU) ấn định")
            .contains("Hội trường xã, địa chỉ: Ấp Định Thành")
            .contains(&day.format("%d/%m/%Y").to_string())
            .lacks("Hủy buổi sinh hoạt");
        let session = chuyende::db::sessions::of_topic(&app.db, topic).await.unwrap().into_iter().find(|s| !s.is_cancelled()).unwrap();
        assert_eq!(session.date, day);
        assert_eq!(session.start.to_string(), "14:00");

        // The cell cannot move or cancel it on its own.
        let moved = secretary.post(&format!("/topics/{topic}/session/move"), &[
            ("session", &session.id.to_string()), ("version", &session.version.to_string()),
            ("date", &day.format("%d/%m/%Y").to_string()), ("start", "15:30"),
            ("duration", &session.duration.to_string()), ("venue", &session.venue),
        ]).await;
        moved.status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("ngày, giờ và địa điểm do cấp ủy cấp trên");
        let cancelled = secretary.post(&format!("/topics/{topic}/session/cancel"), &[
            ("session", &session.id.to_string()), ("version", &session.version.to_string()), ("reason", "Bận việc khác"),
        ]).await;
        cancelled.status_is(StatusCode::UNPROCESSABLE_ENTITY);
        let after = chuyende::db::sessions::of_topic(&app.db, topic).await.unwrap().into_iter().find(|s| !s.is_cancelled()).unwrap();
        assert_eq!((after.date, after.version), (day, session.version), "nothing changed");
        // What is not fixed still changes: a longer sitting.
        secretary.get(&format!("/topics/{topic}/session")).await;
        secretary.post(&format!("/topics/{topic}/session/move"), &[
            ("session", &session.id.to_string()), ("version", &session.version.to_string()),
            ("date", &day.format("%d/%m/%Y").to_string()), ("start", "14:00"),
            ("duration", "150"), ("venue", &session.venue),
        ]).await.redirects_to(&format!("/topics/{topic}/session"));
    }
}

both! {
    async fn the_demo_holds_the_seed_plan_of_the_department_committee(app: TestApp) {
        // Loading the demo again changes nothing.
        chuyende::demo::load(&app.db).await.unwrap();
        let staff = app.login("vanphong.so").await;
        let home = staff.get("/").await;
        home.ok();
        let committee = chuyende::db::orgs::roots(&app.db).await.unwrap().into_iter()
            .find(|o| o.name == "Đảng ủy Sở Giáo dục và Đào tạo").unwrap();
        let list = staff.get(&format!("/orgs/{}/model-plans", committee.id)).await;
        list.ok().contains("Số 82-KH/ĐU");
        let plans = chuyende::app::model_sessions::of_org(&app.db, committee.id).await.unwrap();
        assert_eq!(plans.len(), 1, "one plan, however often the demo loads");
        let plan = format!("/model-plans/{}", plans[0].id);
        staff.get(&plan).await.ok().contains("Đã ban hành").lacks("Soạn kế hoạch");
        staff.get(&format!("{plan}/document")).await.ok()
            .lacks("DỰ THẢO")
            .contains("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH")
            .contains("ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO")
            .contains("Số 82-KH/ĐU")
            .contains("Chi bộ 01 thuộc Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh thực hiện;")
            .contains("Chi bộ 4 thuộc Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12 thực hiện;")
            .contains("Thời gian dự kiến: Lúc 08 giờ 00 thứ năm, ngày 18 tháng 4 năm 2024.")
            .contains("Nguyễn Văn Hiếu");
        // The commune's staff see nothing of it.
        let other = app.login("danguy").await;
        assert_eq!(other.get(&plan).await.status, StatusCode::NOT_FOUND);
    }
}

both! {
    async fn a_committees_plans_and_model_plans_share_one_series_of_numbers(app: TestApp) {
        use chuyende::domain::plan::{DocNumber, PlanId};
        // The commune's model-session plan takes 83-KH/ĐU.
        let staff = app.login("danguy").await;
        let plan = new_plan(&app, &staff).await;
        let form = staff.get(&format!("{plan}/edit")).await;
        let version = version_in(&form.body);
        staff.post(&format!("{plan}/edit"), &[
            ("version", &version), ("number", "83-KH/ĐU"), ("place", "Định An"), ("issued_on", "01/03/2024"),
            ("subject", "Tổ chức sinh hoạt chi bộ mẫu"), ("lead", "Thực hiện"), ("closing", ""),
            ("archive", "Lưu Văn phòng Đảng ủy"), ("authority", "standing_committee"), ("title", "secretary"),
        ]).await.redirects_to(&plan);
        // Its directive plan of the same term may not carry the same number, whichever is first.
        let commune = app.demo.commune.id;
        staff.get(&format!("/orgs/{commune}/plans/new")).await.ok();
        let created = staff.post(&format!("/orgs/{commune}/plans/new"), &[("year", "2024"), ("start", "blank")]).await;
        let directive: PlanId = created.location().trim_start_matches("/plans/").parse().unwrap();
        let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
        let taken = DocNumber::parse("83-KH/ĐU").unwrap().unwrap();
        let free = DocNumber::parse("84-KH/ĐU").unwrap().unwrap();
        assert!(chuyende::app::plans::number_taken(ctx, directive, &app.demo.commune, &taken).await.unwrap());
        assert!(!chuyende::app::plans::number_taken(ctx, directive, &app.demo.commune, &free).await.unwrap());
    }
}

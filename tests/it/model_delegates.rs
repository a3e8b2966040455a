//! A model meeting after its plan (issue 10, parts 3 and 4), over HTTP as each person would:
//! the committee invites a cell, the cell's secretary names two delegates, the committee prints
//! the attendance sheet and records who came, the delegates assess, the committee issues its
//! summary; bad input beside its field; what each may not do.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, TestApp, docx_document_xml, pdf_text, version_in};
use chuyende::domain::notification::NoticeKind;

/// An issued plan of the commune with one regular model meeting today, hosted by the school;
/// the meeting's page.
async fn meeting_today(app: &TestApp, staff: &Browser) -> String {
    let commune = app.demo.commune.id;
    staff
        .get(&format!("/orgs/{commune}/model-plans"))
        .await
        .ok();
    let today = chrono::Local::now().date_naive();
    let year = chrono::Datelike::year(&today).to_string();
    let created = staff
        .post(&format!("/orgs/{commune}/model-plans"), &[("year", &year)])
        .await;
    let plan = created.location().to_owned();
    let day = today.format("%d/%m/%Y").to_string();
    let form = staff.get(&format!("{plan}/edit")).await;
    let version = version_in(&form.body);
    staff
        .post(
            &format!("{plan}/edit"),
            &[
                ("version", &version),
                ("number", "84-KH/ĐU"),
                ("place", "Định An"),
                ("issued_on", &day),
                ("subject", "Tổ chức sinh hoạt chi bộ mẫu"),
                ("lead", "Thực hiện"),
                ("closing", ""),
                ("purposes", "Rút kinh nghiệm."),
                ("attendees", "Cấp ủy các chi bộ"),
                ("recipient_order_0", "1"),
                ("recipient_name_0", "Các chi bộ trực thuộc"),
                ("recipient_report_0", "0"),
                ("archive", "Lưu Văn phòng Đảng ủy"),
                ("authority", "standing_committee"),
                ("title", "secretary"),
                ("signer_name", "Trần Văn Bình"),
            ],
        )
        .await
        .redirects_to(&plan);
    let school = app.demo.school.id.to_string();
    staff.get(&format!("{plan}/sessions/new")).await.ok();
    staff
        .post(
            &format!("{plan}/sessions/new"),
            &[
                ("kind", "regular"),
                ("host", &school),
                ("date", &day),
                ("start", "08:00"),
                ("venue", "Hội trường Trường Tiểu học Định An"),
                ("address", "Ấp Định Thành"),
            ],
        )
        .await
        .redirects_to(&plan);
    let page = staff.get(&plan).await;
    let at = page.body.find("/meeting\"").expect("the meeting's link");
    let start = page.body[..at].rfind("/model-sessions/").unwrap();
    let meeting = format!("{}/meeting", &page.body[start..at]);
    // The invitations are set before the plan is issued; the invited hear of it at issue.
    staff.get(&meeting).await.ok().contains("Đơn vị được mời");
    let kindergarten = app.demo.kindergarten.id.to_string();
    let invitations = meeting.replace("/meeting", "/invitations");
    // A deadline after the meeting, and a unit outside the subtree: refused, the ticks kept.
    let refused = staff
        .post(
            &invitations,
            &[
                ("units", &kindergarten),
                ("register_by", "31/12/2099"),
                ("scored", "on"),
            ],
        )
        .await;
    refused
        .status_is(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("Hạn đăng ký phải trước hoặc đúng ngày hội nghị")
        .contains("31/12/2099")
        .contains(&format!("value=\"{kindergarten}\" checked"));
    let outside = app.demo.bloc_cell.id.to_string();
    staff
        .post(&invitations, &[("units", &outside)])
        .await
        .status_is(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("Chỉ mời được các đơn vị thuộc đảng bộ ban hành kế hoạch.");
    staff
        .post(
            &invitations,
            &[
                ("units", &kindergarten),
                ("register_by", &day),
                ("scored", "on"),
            ],
        )
        .await
        .redirects_to(&meeting);
    let page = staff.get(&plan).await;
    let version = version_in(&page.body);
    staff
        .post(&format!("{plan}/issue"), &[("version", &version)])
        .await
        .redirects_to(&plan);
    meeting
}

both! {
    async fn invited_cells_register_delegates_who_assess_and_the_committee_reports(app: TestApp) {
        let staff = app.login("danguy").await;
        let meeting = meeting_today(&app, &staff).await;
        let base = meeting.trim_end_matches("/meeting").to_owned();
        let cell = app.demo.kindergarten.id;

        // The kindergarten's secretary is told, and sees the invitation on the cell's page.
        let bithu = app.user("bithu").await;
        let told = app.unread_of(bithu, NoticeKind::ModelInvited).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("Đảng ủy xã Định An mời đơn vị cử đại biểu"), "{told:?}");
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Được mời dự hội nghị sinh hoạt chi bộ mẫu")
            .contains(&meeting);

        // She names two members; a member of another cell is refused, the ticks kept.
        let ly = app.member_id(cell, "Nguyễn Thị Ly").await;
        let duyen = app.member_id(cell, "Võ Thị Mỹ Duyên").await;
        let stranger = app.member_id(app.demo.school.id, "Đỗ Văn Thành").await;
        let register = format!("{base}/units/{cell}/delegates");
        secretary.get(&meeting).await.ok().contains("Cử đại biểu tham dự");
        let refused = secretary.post(&register, &[("delegates", &format!("m{ly}")), ("delegates", &format!("m{stranger}"))]).await;
        refused.status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Chỉ đăng ký được người của đơn vị mình.")
            .contains(&format!("value=\"m{ly}\" checked"));
        secretary.post(&register, &[("delegates", &format!("m{ly}")), ("delegates", &format!("m{duyen}"))]).await
            .redirects_to(&meeting);
        let session: chuyende::domain::model_session::ModelSessionId =
            base.trim_start_matches("/model-sessions/").parse().unwrap();
        let delegates = chuyende::app::model_delegates::delegates(&app.db, session).await.unwrap();
        let names: Vec<&str> = delegates.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Thị Ly", "Võ Thị Mỹ Duyên"]);
        assert!(delegates.iter().all(|d| d.user.is_some()), "both sign in with their accounts");

        // The committee's attendance sheet lists them, in every format.
        let sheet = staff.get(&format!("{base}/attendance-sheet")).await;
        sheet.ok().contains("DANH SÁCH").contains("Nguyễn Thị Ly").contains("Võ Thị Mỹ Duyên").contains("Ký tên");
        let (status, _, docx) = staff.bytes(&format!("{base}/attendance-sheet.docx")).await;
        assert_eq!(status, StatusCode::OK);
        let xml = docx_document_xml(&docx);
        assert!(xml.contains("Nguyễn Thị Ly") && xml.contains("Võ Thị Mỹ Duyên"));
        let (status, _, pdf) = staff.bytes(&format!("{base}/attendance-sheet.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        let text = pdf_text(&pdf);
        assert!(text.contains("Nguyễn Thị Ly"), "{text}");
        assert!(secretary.bytes(&format!("{base}/attendance-sheet")).await.0 == StatusCode::FORBIDDEN);

        // The committee records who came: Ly did, Duyên did not.
        let ly_delegate = delegates.iter().find(|d| d.name == "Nguyễn Thị Ly").unwrap().id.to_string();
        staff.get(&meeting).await.ok().contains("Đại biểu có mặt");
        staff.post(&format!("{base}/attendance"), &[("came", &ly_delegate)]).await.redirects_to(&meeting);

        // Ly assesses, with points on the host's sheet: 120 is refused beside its field.
        let member = app.login("dangvien").await;
        let page = member.get(&meeting).await;
        page.ok().contains("Ý kiến đánh giá của đồng chí").contains("point_0").lacks("Đơn vị được mời");
        let items = chuyende::domain::grading::Sheet::standard().item_count();
        let mut fields: Vec<(String, String)> = (0..items).map(|i| (format!("point_{i}"), "1".to_owned())).collect();
        fields.push(("went_well".into(), "Chuẩn bị chu đáo, đúng quy trình.".into()));
        fields.push(("to_fix".into(), "Thời gian phát biểu còn ngắn.".into()));
        fields[0].1 = "120".into();
        let as_pairs = |fields: &[(String, String)]| fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
        let typed = as_pairs(&fields);
        let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        member.post(&format!("{base}/assessment"), &refs).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("120 điểm vượt mức tối đa")
            .contains("Chuẩn bị chu đáo, đúng quy trình.");
        fields[0].1 = "5".into();
        let typed = as_pairs(&fields);
        let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        member.post(&format!("{base}/assessment"), &refs).await.redirects_to(&meeting);
        let stored = chuyende::app::model_delegates::assessments(&app.db, session).await.unwrap();
        assert_eq!(stored.len(), 1);
        let total = stored[0].1.scores.as_ref().unwrap().0.total();
        assert_eq!(usize::from(total), items - 1 + 5);
        // Duyên, recorded as absent, has none to give; the secretary is no delegate.
        let duyen_browser = app.login("myduyen").await;
        duyen_browser.get(&meeting).await.ok();
        duyen_browser.post(&format!("{base}/assessment"), &[("went_well", "Tốt")]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("không tham dự hội nghị");
        assert_eq!(secretary.post(&format!("{base}/assessment"), &[("went_well", "Tốt")]).await.status, StatusCode::FORBIDDEN);
        staff.get(&meeting).await.ok().contains("Thời gian phát biểu còn ngắn.").contains(&format!("{} điểm", items - 1 + 5));

        // The summary: a number of another kind is refused beside it; then saved and issued.
        let page = staff.get(&meeting).await;
        let version = version_in(&page.body);
        let summary = "Hội nghị diễn ra đúng chương trình, đảm bảo quy trình.\nCần rút kinh nghiệm về thời lượng phát biểu.";
        staff.post(&format!("{base}/summary"), &[("version", &version), ("kind", "TB"), ("number", "15-BC/ĐU"), ("date", ""), ("summary", summary)]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Thông báo kết quả có số dạng 15-TB/ĐU")
            .contains("Cần rút kinh nghiệm về thời lượng phát biểu.");
        // Issuing without a number is refused.
        staff.post(&format!("{base}/summary"), &[("version", &version), ("kind", "TB"), ("number", ""), ("date", ""), ("summary", summary)]).await
            .redirects_to(&meeting);
        let page = staff.get(&meeting).await;
        let version = version_in(&page.body);
        staff.post(&format!("{base}/summary/issue"), &[("version", &version)]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Ghi số và ngày của văn bản trước khi ban hành.");
        // Before it is issued, the others do not see it.
        assert_eq!(secretary.get(&format!("{base}/summary/document")).await.status, StatusCode::NOT_FOUND);
        staff.get(&format!("{base}/summary/document")).await.ok().contains("DỰ THẢO");
        let today = chrono::Local::now().date_naive().format("%d/%m/%Y").to_string();
        staff.post(&format!("{base}/summary"), &[("version", &version), ("kind", "TB"), ("number", "15-TB/ĐU"), ("date", &today), ("summary", summary)]).await
            .redirects_to(&meeting);
        let page = staff.get(&meeting).await;
        let version = version_in(&page.body);
        staff.post(&format!("{base}/summary/issue"), &[("version", &version)]).await.redirects_to(&meeting);

        // The issued THÔNG BÁO, read by the invited cell's secretary too; she is told.
        let told = app.unread_of(bithu, NoticeKind::ModelReported).await;
        assert_eq!(told.len(), 1, "{told:?}");
        let document = secretary.get(&format!("{base}/summary/document")).await;
        document.ok()
            .lacks("DỰ THẢO")
            .contains("THÔNG BÁO")
            .contains("Số 15-TB/ĐU")
            .contains("kết quả hội nghị “sinh hoạt chi bộ thường kỳ” mẫu")
            .contains("Thực hiện Kế hoạch số 84-KH/ĐU của Đảng ủy xã Định An")
            .contains("Tham dự hội nghị có 1 đại biểu của 1 đơn vị được mời.")
            .contains(&format!("bình quân {}/100 điểm (1 phiếu)", items - 1 + 5))
            .contains("Cần rút kinh nghiệm về thời lượng phát biểu.")
            .contains("Trần Văn Bình");
        let (status, headers, docx) = staff.bytes(&format!("{base}/summary/document.docx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-disposition"].to_str().unwrap().contains("TB-15-DU-"), "{headers:?}");
        assert!(docx_document_xml(&docx).contains("Số 15-TB/ĐU"));
        let (_, _, pdf) = staff.bytes(&format!("{base}/summary/document.pdf")).await;
        assert!(pdf_text(&pdf).contains("THÔNG BÁO"));

        // Issued, nothing of the meeting changes any more.
        staff.post(&format!("{base}/attendance"), &[]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Văn bản kết quả đã ban hành");
        let after = chuyende::app::model_delegates::delegates(&app.db, session).await.unwrap();
        assert_eq!(after.iter().filter(|d| d.attended == Some(true)).count(), 1, "attendance kept");
        staff.get(&meeting).await.ok().lacks("Lưu điểm danh").lacks("Lưu đơn vị được mời");
    }

    async fn registration_closes_after_its_deadline_and_outsiders_see_nothing(app: TestApp) {
        use chuyende::app::model_delegates as delegates;
        let staff = app.login("danguy").await;
        let meeting = meeting_today(&app, &staff).await;
        let base = meeting.trim_end_matches("/meeting").to_owned();
        let session: chuyende::domain::model_session::ModelSessionId =
            base.trim_start_matches("/model-sessions/").parse().unwrap();
        let cell = app.demo.kindergarten.id;
        // The deadline moved to yesterday (as if it had passed): the secretary is refused,
        // the committee's staff may still correct the list.
        let plan = chuyende::app::model_sessions::get(&app.db, chuyende::app::model_sessions::plan_of_session(&app.db, session).await.unwrap().unwrap()).await.unwrap().unwrap();
        let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
        let meeting_value = delegates::Meeting { plan: &plan, committee: &app.demo.commune, session: &plan.sessions[0] };
        let yesterday = chrono::Local::now().date_naive().pred_opt().unwrap();
        let invitations = chuyende::domain::model_delegates::Invitations { units: vec![cell], register_by: Some(yesterday), scored: false };
        delegates::set_invitations(ctx, None, meeting_value, &invitations).await.unwrap();
        let ly = app.member_id(cell, "Nguyễn Thị Ly").await;
        let secretary = app.login("bithu").await;
        secretary.get(&meeting).await.ok().contains("(đã hết hạn)").lacks("Cử đại biểu tham dự");
        secretary.post(&format!("{base}/units/{cell}/delegates"), &[("delegates", &format!("m{ly}"))]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Đã hết hạn đăng ký đại biểu");
        assert!(delegates::delegates(&app.db, session).await.unwrap().is_empty(), "nothing stored");
        staff.post(&format!("{base}/units/{cell}/delegates"), &[("delegates", &format!("m{ly}"))]).await
            .redirects_to(&meeting);
        // A member of the invited cell who is no delegate and no leader, and a reviewer of
        // another committee, know nothing of the meeting.
        let duyen = app.login("myduyen").await;
        let elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, elsewhere, app.demo.bloc.id, None).await.unwrap();
        let elsewhere = app.login("danguy.khoi").await;
        for outsider in [&duyen, &elsewhere] {
            for path in [meeting.clone(), format!("{base}/attendance-sheet"), format!("{base}/summary/document")] {
                assert_eq!(outsider.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
            }
            outsider.get("/").await;
            assert_eq!(outsider.post(&format!("{base}/units/{cell}/delegates"), &[]).await.status, StatusCode::NOT_FOUND);
        }
        // The delegate, once registered, reads the meeting; she may not name delegates.
        let member = app.login("dangvien").await;
        member.get(&meeting).await.ok().contains("Ý kiến đánh giá của đồng chí");
        assert_eq!(member.post(&format!("{base}/units/{cell}/delegates"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(member.post(&format!("{base}/summary"), &[("kind", "TB")]).await.status, StatusCode::FORBIDDEN);
    }
}

both! {
    async fn a_person_is_named_by_one_unit_only(app: TestApp) {
        use chuyende::app::model_delegates as delegates;
        use chuyende::domain::model_delegates::{Invitations, Person};
        use chuyende::domain::org::{Abbreviation, OrgDraft, OrgKind, Year};
        use chuyende::domain::text::Line;
        let staff = app.login("danguy").await;
        let meeting = meeting_today(&app, &staff).await;
        let session: chuyende::domain::model_session::ModelSessionId =
            meeting.trim_end_matches("/meeting").trim_start_matches("/model-sessions/").parse().unwrap();
        // Two committees below the commune, with one account on the staff of both.
        let line = |text: &str| Line::parse(text, 200).unwrap();
        let mut units = Vec::new();
        for name in ["Đảng bộ bộ phận ấp Định Thành", "Đảng bộ bộ phận ấp Định Hòa"] {
            let id = chuyende::db::orgs::create(&app.db, Some(&app.demo.commune), &OrgDraft {
                kind: OrgKind::Committee, name: line(name), superior_name: line("Đảng bộ xã Định An"),
                abbreviation: Abbreviation::parse("ĐBBP").unwrap(), place_name: line("Định An"),
                term_start: Year::new(2020).unwrap(),
            }, None).await.unwrap();
            units.push(chuyende::db::orgs::get(&app.db, id).await.unwrap().unwrap());
        }
        let both_staff = app.add_account("danguy.bp", "Cán bộ hai ấp").await;
        for unit in &units {
            chuyende::db::users::add_review(&app.db, both_staff, unit.id, None).await.unwrap();
        }
        let plan_id = chuyende::app::model_sessions::plan_of_session(&app.db, session).await.unwrap().unwrap();
        let plan = chuyende::app::model_sessions::get(&app.db, plan_id).await.unwrap().unwrap();
        let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
        let meeting_value = delegates::Meeting { plan: &plan, committee: &app.demo.commune, session: &plan.sessions[0] };
        let invitations = Invitations { units: units.iter().map(|u| u.id).collect(), register_by: None, scored: false };
        assert_eq!(delegates::set_invitations(ctx, None, meeting_value, &invitations).await.unwrap(), delegates::Outcome::Done);
        let person = [Person::Staff(both_staff)];
        assert_eq!(delegates::register(ctx, None, meeting_value, &units[0], &person, false).await.unwrap(), delegates::Outcome::Done);
        // Named by the second unit too: refused over HTTP beside the field, nothing stored twice.
        let browser = app.login("danguy.bp").await;
        browser.get(&meeting).await.ok().contains("Cử đại biểu tham dự");
        let base = meeting.trim_end_matches("/meeting");
        browser.post(&format!("{base}/units/{}/delegates", units[1].id), &[("delegates", &format!("u{both_staff}"))]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Đồng chí Cán bộ hai ấp đã được một đơn vị khác đăng ký dự hội nghị này.");
        let named = delegates::delegates(&app.db, session).await.unwrap();
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].unit, units[0].id);
    }
}

//! After the minutes are closed: a correction is a new, numbered record (biên bản bổ sung),
//! never a change; a committee grades its cells' sessions on its own sheet, and a grade keeps
//! the sheet it was given on.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{TestApp, docx_document_xml, pdf_text, version_in};
use crate::minutes::{attendance, demo_session, minutes_path, points_on, save};
use chuyende::domain::grading::Sheet;
use chuyende::domain::plan::Plan;
use chuyende::domain::session::Session;

/// The demo session with its minutes recorded and closed by the secretary (Số 4-BB/CB: the
/// demo's sessions of 2022 are 1 to 3 of the same term).
async fn closed(app: &TestApp) -> (Session, Plan, String) {
    let (session, plan, members) = demo_session(app).await;
    let path = minutes_path(&session);
    let secretary = app.login("bithu").await;
    attendance(&secretary, &session, &members, 0, false)
        .await
        .redirects_to(&path);
    save(
        &secretary,
        &session,
        "times",
        &[("started", "14:00"), ("ended", "16:30")],
    )
    .await
    .redirects_to(&path);
    save(
        &secretary,
        &session,
        "conclusion",
        &[("conclusion", "Chi bộ thống nhất nội dung chuyên đề.")],
    )
    .await
    .redirects_to(&path);
    let page = secretary.get(&path).await;
    secretary
        .post(
            &format!("{path}/close"),
            &[("version", &version_in(&page.body))],
        )
        .await
        .redirects_to(&path);
    (session, plan, path)
}

both! {
    async fn a_correction_is_a_new_numbered_record(app: TestApp) {
        let (session, _, path) = closed(&app).await;
        let secretary = app.login("bithu").await;
        let member = app.login("dangvien").await;
        let outsider = app.login("danguy").await;
        let corrections = format!("{path}/corrections");

        // Members may not make one; an empty one comes back with the reason beside the field.
        member.get(&path).await.ok().contains("Chưa có biên bản bổ sung nào").lacks("name=\"correction\"");
        assert_eq!(member.post(&corrections, &[("correction", "Sửa")]).await.status, StatusCode::FORBIDDEN);
        secretary.get(&path).await.ok();
        let refused = secretary.post(&corrections, &[("correction", "   ")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Vui lòng ghi nội dung bổ sung, đính chính");

        let body = "Sửa tên người phát biểu thứ hai: Trần <b>Hoa</b>.\nBổ sung: đồng chí Ly vắng có lý do.";
        secretary.post(&corrections, &[("correction", body)]).await.redirects_to(&format!("{path}#corrections"));
        // Numbered after the minutes in the same series; the minutes themselves unchanged.
        let minutes = chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap();
        assert_eq!(minutes.number_label().as_deref(), Some("Số 4-BB/CB"));
        assert_eq!(minutes.record.conclusion, "Chi bộ thống nhất nội dung chuyên đề.");
        let ctx = chuyende::app::Ctx { db: &app.db, mail: false };
        let stored = chuyende::app::minutes::corrections_of(ctx, &minutes).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].number_label(), "Số 5-BB/CB");
        let doc = format!("{path}/corrections/{}/document", stored[0].id);

        // The cell's members read it in the three formats; hostile text stays literal.
        member.get(&path).await.ok().contains("Số 5-BB/CB").contains(&doc);
        member.get(&doc).await.ok().contains("BIÊN BẢN BỔ SUNG").contains("Số 5-BB/CB")
            .contains("Số 4-BB/CB").contains("Trần &#60;b&#62;Hoa&#60;/b&#62;.").contains("THƯ KÝ").lacks("DỰ THẢO");
        let (status, headers, docx) = member.bytes(&format!("{doc}.docx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-disposition"].to_str().unwrap().contains("BB-05-CB-"));
        let xml = docx_document_xml(&docx);
        let mut at = 0;
        for wanted in ["Số 5-BB/CB", "BIÊN BẢN BỔ SUNG", "bổ sung, đính chính", "Số 4-BB/CB", "Trần &lt;b&gt;Hoa&lt;/b&gt;.", "giữ nguyên", "THƯ KÝ", "CHỦ TRÌ"] {
            at += xml[at..].find(wanted).unwrap_or_else(|| panic!("{wanted} not in the DOCX after {at}")) + wanted.len();
        }
        let (status, _, pdf) = member.bytes(&format!("{doc}.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdf_text(&pdf).contains("BIÊN BẢN BỔ SUNG"));
        // The committee reads it only once the minutes are reported; other cells never.
        assert_eq!(outsider.get(&doc).await.status, StatusCode::FORBIDDEN);
        let other_secretary = app.add_account("bithu.th", "Đỗ Văn Thành").await;
        let thanh = app.member_id(app.demo.school.id, "Đỗ Văn Thành").await;
        chuyende::db::members::link_user(&app.db, thanh, other_secretary).await.unwrap();
        let other_cell = app.login("bithu.th").await;
        assert_eq!(other_cell.get(&doc).await.status, StatusCode::NOT_FOUND);
        assert_eq!(member.get(&format!("{path}/corrections/999999/document")).await.status, StatusCode::NOT_FOUND);

        // One series: the next minutes of the term would be number 6.
        let history = secretary.get(&path).await;
        history.ok().contains("Lập biên bản bổ sung Số 5-BB/CB cho biên bản Số 4-BB/CB");
    }

    async fn a_committee_grades_on_its_own_sheet(app: TestApp) {
        let commune = app.demo.commune.id;
        let sheet_page = format!("/orgs/{commune}/grading-sheet");
        let reviewer = app.login("danguy").await;
        let secretary = app.login("bithu").await;

        // The standard sheet until the committee sets its own; its staff edit it, nobody else.
        reviewer.get(&sheet_page).await.ok().contains("bảng điểm chung").contains("Chuẩn bị (15 điểm)");
        assert_eq!(secretary.get(&sheet_page).await.status, StatusCode::NOT_FOUND);
        secretary.get("/").await.ok();
        assert_eq!(secretary.post(&sheet_page, &[("version", "0"), ("sheet", "x")]).await.status, StatusCode::NOT_FOUND);
        let cell = app.demo.kindergarten.id;
        assert_eq!(reviewer.get(&format!("/orgs/{cell}/grading-sheet")).await.status, StatusCode::NOT_FOUND);

        // A sheet that does not add up to 100 comes back as typed, with the reason.
        let short = "Chuẩn bị\n- Dự thảo gửi trước một ngày: 40\nTiến hành\n- Thảo luận sôi nổi: 50";
        let refused = reviewer.post(&sheet_page, &[("version", "0"), ("sheet", short)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("hiện là 90").contains("Thảo luận sôi nổi: 50");
        let own = "Chuẩn bị\n- Dự thảo gửi trước một ngày: 40\nTiến hành\n- Thảo luận sôi nổi: 60";
        reviewer.post(&sheet_page, &[("version", "0"), ("sheet", own)]).await.redirects_to(&sheet_page);
        reviewer.get(&sheet_page).await.ok().contains("Tiến hành (60 điểm)").contains("Ban hành bảng điểm xếp loại");
        // A stale form does not overwrite.
        let stale = reviewer.post(&sheet_page, &[("version", "0"), ("sheet", own)]).await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        stale.contains("đã được người khác lưu");

        // The cell's secretary proposes on the committee's sheet.
        let (session, _, path) = closed(&app).await;
        secretary.get(&path).await.ok().contains("Thảo luận sôi nổi (tối đa 60)").contains("Bảng điểm do cấp ủy cấp trên ban hành")
            .lacks("Chất lượng trình bày chuyên đề");
        let sheet = Sheet::parse(own).unwrap();
        let fields = points_on(&sheet, 15);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        secretary.post(&format!("{path}/grade"), &borrowed).await.redirects_to(&path);
        secretary.get(&path).await.ok().contains("Chi bộ đề xuất: <b>85 điểm — Khá</b>");

        // The committee changes its sheet later: the grade keeps the sheet it was given on.
        let version = version_in(&reviewer.get(&sheet_page).await.body);
        reviewer.post(&sheet_page, &[("version", &version), ("remove", "1")]).await.redirects_to(&sheet_page);
        reviewer.get(&sheet_page).await.ok().contains("bảng điểm chung");
        let minutes = chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap();
        let (proposed, _) = chuyende::app::minutes::grades(&app.db, minutes.id).await.unwrap();
        let proposed = proposed.unwrap();
        assert_eq!(proposed.sheet, sheet);
        assert_eq!(proposed.scores.total(), 85);
        secretary.get(&path).await.ok().contains("Thảo luận sôi nổi (tối đa 60)");
    }
}

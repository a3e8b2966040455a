//! The official documents over HTTP: who may download them, what the files are, and that a
//! submitted revision's files never change.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{docx_document_xml, kindergarten_2022, version_in};
use chuyende::db::review;

fn pdf_text(file: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(file).expect("a readable PDF")
}

both! {
    async fn the_three_formats_follow_the_plan_page_rules(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let member = app.login("dangvien").await;

        let print = member.get(&format!("/plans/{plan}/document")).await;
        print.ok()
            .contains("ĐẢNG BỘ XÃ ĐỊNH AN")
            .contains("CHI BỘ MẦM NON ĐỊNH AN")
            .contains("ĐẢNG CỘNG SẢN VIỆT NAM")
            .contains("Số 01-KH/CB")
            .contains("KẾ HOẠCH")
            .contains("DỰ THẢO")
            .contains(r#"<link rel="stylesheet" href="/static/print.css">"#);
        member.get("/static/print.css").await.ok().contains("@page");

        let (status, headers, docx) = member.bytes(&format!("/plans/{plan}/document.docx")).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"KH-01-CB-2022.docx\""), "{disposition}");
        let xml = docx_document_xml(&docx);
        assert!(xml.contains("Nguyễn Thị Ly"), "the assignee is in the DOCX");

        let (status, headers, pdf) = member.bytes(&format!("/plans/{plan}/document.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
        let text = pdf_text(&pdf);
        assert!(text.contains("Bảo vệ và phòng, chống tai nạn thương tích"), "{text}");

        // Outside the cell: no documents either.
        let outsider = app.add_account("bithu.khoi", "Đặng Ngọc Sơn").await;
        let son = app.member_id(app.demo.bloc_cell.id, "Đặng Ngọc Sơn").await;
        chuyende::db::members::link_user(&app.db, son, outsider).await.unwrap();
        let outsider = app.login("bithu.khoi").await;
        for path in ["document", "document.docx", "document.pdf"] {
            let (status, _, _) = outsider.bytes(&format!("/plans/{plan}/{path}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let anonymous = app.browser();
        assert_eq!(anonymous.get(&format!("/plans/{plan}/document.pdf")).await.status, StatusCode::SEE_OTHER);
    }

    async fn a_submitted_revision_keeps_its_files_whatever_is_edited_later(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/plans/{plan}/adopt")).await;
        secretary.post(&format!("/plans/{plan}/adopt"), &[
            ("meeting_on", "10/01/2022"), ("present", "8"), ("total", "8"), ("votes_for", "8"), ("votes_against", "0"),
        ]).await;
        // Adopted: no longer a draft.
        secretary.get(&format!("/plans/{plan}/document")).await.ok().lacks("DỰ THẢO");
        secretary.get(&format!("/plans/{plan}")).await;
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await;
        let revision = review::revisions(&app.db, plan).await.unwrap()[0].id;

        let (_, headers, docx_before) = secretary.bytes(&format!("/revisions/{revision}/document.docx")).await;
        assert!(headers.get("content-disposition").unwrap().to_str().unwrap().contains("KH-01-CB-2022-lan-1.docx"));
        let (_, _, pdf_before) = secretary.bytes(&format!("/revisions/{revision}/document.pdf")).await;
        let before_xml = docx_document_xml(&docx_before);
        let before_pdf = pdf_text(&pdf_before);

        // A submitted plan cannot change; once returned, the cell edits it.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/plans/{plan}/review")).await.ok();
        reviewer.post(&format!("/plans/{plan}/return"), &[("comment", "Bổ sung mục đích.")]).await.redirects_to("/reviews");
        let form = secretary.get(&format!("/plans/{plan}/texts/purposes")).await;
        let version = &version_in(&form.body);
        secretary.post(&format!("/plans/{plan}/texts/purposes"), &[("version", version), ("text", "Một mục đích viết sau khi báo cáo.")]).await;

        let (_, _, docx_after) = secretary.bytes(&format!("/revisions/{revision}/document.docx")).await;
        let (_, _, pdf_after) = secretary.bytes(&format!("/revisions/{revision}/document.pdf")).await;
        assert_eq!(docx_document_xml(&docx_after), before_xml, "the revision's DOCX did not change");
        assert_eq!(pdf_text(&pdf_after), before_pdf, "the revision's PDF did not change");
        assert!(!before_xml.contains("Một mục đích viết sau khi báo cáo."));
        // The live plan's document has the edit.
        let (_, _, live) = secretary.bytes(&format!("/plans/{plan}/document.docx")).await;
        assert!(docx_document_xml(&live).contains("Một mục đích viết sau khi báo cáo."));
        // The reviewer reads the revision's documents; a reviewer elsewhere does not.
        assert_eq!(reviewer.bytes(&format!("/revisions/{revision}/document.pdf")).await.0, StatusCode::OK);
        let elsewhere = app.add_account("danguy.khoi", "Cán bộ Khối").await;
        chuyende::db::users::add_review(&app.db, elsewhere, app.demo.bloc.id, None).await.unwrap();
        let elsewhere = app.login("danguy.khoi").await;
        assert_eq!(elsewhere.bytes(&format!("/revisions/{revision}/document.pdf")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(secretary.get("/revisions/999999/document").await.status, StatusCode::NOT_FOUND);
    }
}

//! Members of a cell: forms, moving away, linking accounts, CSV import, concurrent writes.

use reqwest::StatusCode;

use crate::both;
use crate::harness::join_all;
use chuyende::db::members;

both! {
    async fn an_invalid_form_comes_back_with_what_was_typed(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        let before = members::list(&app.db, cell).await.unwrap().len();
        let response = browser
            .post(&format!("/orgs/{cell}/members/new"), &[
                ("full_name", "Trần “Thị” <b>Hồng</b> & Co"),
                ("standing", "probationary"),
                ("role", "member"),
                ("birth_year", "năm 85"),
                ("phone", "0912 345 678"),
                ("email", "hong@"),
            ])
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        response
            .contains("value=\"Trần “Thị” &#60;b&#62;Hồng&#60;/b&#62; &#38; Co\"")
            .contains("value=\"năm 85\"")
            .contains("Năm sinh không hợp lệ")
            .contains("Địa chỉ thư điện tử không hợp lệ.")
            .contains("value=\"0912 345 678\"")
            .contains("value=\"probationary\" checked")
            .lacks("<b>Hồng</b>");
        assert_eq!(members::list(&app.db, cell).await.unwrap().len(), before, "nothing stored");
    }

    async fn a_member_is_added_in_nfc_and_shown_escaped(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        // "Nguyễn" typed with combining marks, as some keyboards send it.
        let decomposed = "  Nguye\u{302}\u{303}n <Văn> A  ";
        browser
            .post(&format!("/orgs/{cell}/members/new"), &[
                ("full_name", decomposed),
                ("standing", "full"),
                ("role", "cell_committee_member"),
                ("birth_year", "1985"),
            ])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let stored = members::list(&app.db, cell).await.unwrap();
        let added = stored.iter().find(|m| m.full_name == "Nguyễn <Văn> A").expect("stored in NFC, trimmed");
        assert_eq!(added.birth_year, Some(1985));
        browser.get(&format!("/orgs/{cell}")).await.ok()
            .contains("Đã thêm đồng chí Nguyễn &#60;Văn&#62; A.")
            .contains("Nguyễn &#60;Văn&#62; A");
        let history = chuyende::db::audit::history(&app.db, "member", added.id.get(), 5).await.unwrap();
        assert_eq!(history[0].user_name.as_deref(), Some("Lê Thị Bích Ngọc"), "the change is recorded with who made it");
    }

    async fn a_member_moves_away_and_gets_an_account(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let tam = app.member_id(cell, "Nguyễn Thanh Tâm").await;
        app.add_account("phobithu", "Nguyễn Thanh Tâm").await;
        // The account is given by the committee above; the secretary then manages the member.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/members/{tam}/edit")).await.ok().contains("value=\"Nguyễn Thanh Tâm\"");
        let unknown = reviewer
            .post(&format!("/members/{tam}/edit"), &[
                ("full_name", "Nguyễn Thanh Tâm"), ("standing", "full"), ("role", "deputy_secretary"),
                ("login", "khongco"), ("active", "on"), ("version", "1"),
            ])
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        unknown.contains("Không có tài khoản với tên đăng nhập này.").contains("value=\"khongco\"");
        reviewer
            .post(&format!("/members/{tam}/edit"), &[
                ("full_name", "Nguyễn Thanh Tâm"), ("standing", "full"), ("role", "deputy_secretary"),
                ("login", "phobithu"), ("active", "on"), ("version", "1"),
            ])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        // The deputy now manages the cell with their own account.
        let deputy = app.login("phobithu").await;
        deputy.get(&format!("/orgs/{cell}")).await.ok().contains("Thêm đảng viên");

        // Moving away: no checkbox. The record stays, marked, and the account loses the cell.
        let browser = app.login("bithu").await;
        browser.get(&format!("/members/{tam}/edit")).await.ok();
        browser
            .post(&format!("/members/{tam}/edit"), &[
                ("full_name", "Nguyễn Thanh Tâm"), ("standing", "full"), ("role", "deputy_secretary"),
                ("login", "phobithu"), ("version", "2"),
            ])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let stored = members::get(&app.db, tam).await.unwrap().unwrap();
        assert!(!stored.active);
        browser.get(&format!("/orgs/{cell}")).await.ok().contains("đã chuyển đi");
        assert_eq!(deputy.get(&format!("/orgs/{cell}")).await.status, StatusCode::NOT_FOUND);
    }

    async fn importing_a_valid_csv_file(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        browser.get(&format!("/orgs/{cell}/members/import")).await.ok();
        let before = members::list(&app.db, cell).await.unwrap().len();
        let file = "Họ và tên,Năm sinh,Loại đảng viên,Chức vụ,Điện thoại\n\
                    Ngô Thị Thu,1979,Chính thức,Chi ủy viên,0913 111 222\n\
                    \"Trịnh, Văn Bảo\",1995,Dự bị,Đảng viên,\n";
        let preview = browser.upload(&format!("/orgs/{cell}/members/import"), "file", "dv.csv", file.into()).await;
        preview.ok().contains("Xem trước: 2 dòng").contains("Ngô Thị Thu").contains("Trịnh, Văn Bảo").contains("Nhập 2 đảng viên");
        assert_eq!(members::list(&app.db, cell).await.unwrap().len(), before, "a preview stores nothing");
        // The confirmation carries the file's text as the page does.
        browser
            .post(&format!("/orgs/{cell}/members/import/confirm"), &[("csv", file)])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let stored = members::list(&app.db, cell).await.unwrap();
        assert_eq!(stored.len(), before + 2);
        let bao = stored.iter().find(|m| m.full_name == "Trịnh, Văn Bảo").unwrap();
        assert_eq!(bao.standing, chuyende::domain::member::Standing::Probationary);
        assert_eq!(bao.birth_year, Some(1995));
        browser.get(&format!("/orgs/{cell}")).await.contains("Đã nhập 2 đảng viên.");
    }

    async fn a_csv_file_with_one_bad_row_imports_nothing(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        browser.get(&format!("/orgs/{cell}/members/import")).await.ok();
        let before = members::list(&app.db, cell).await.unwrap().len();
        let file = "Họ và tên,Năm sinh,Chức vụ\nNgô Thị Thu,1979,Đảng viên\nLê Văn Tám,19x5,Chủ tịch\n";
        let preview = browser.upload(&format!("/orgs/{cell}/members/import"), "file", "dv.csv", file.into()).await;
        assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
        preview
            .contains("1 dòng có lỗi")
            .contains("<td>3</td><td>Lê Văn Tám</td>")
            .contains("Năm sinh: Năm sinh không hợp lệ")
            .contains("Chức vụ: Chức vụ phải là")
            .lacks("Nhập 2 đảng viên");
        // Forcing the confirmation with the bad file stores nothing either.
        let forced = browser.post(&format!("/orgs/{cell}/members/import/confirm"), &[("csv", file)]).await;
        assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(members::list(&app.db, cell).await.unwrap().len(), before);

        let no_name_column = browser
            .upload(&format!("/orgs/{cell}/members/import"), "file", "dv.csv", "Tên đầy đủ\nA\n".into())
            .await;
        no_name_column.contains("Tệp cần có cột “Họ và tên”");
        let not_utf8 = browser
            .upload(&format!("/orgs/{cell}/members/import"), "file", "dv.csv", vec![b'H', 0xE4, b'\n'])
            .await;
        not_utf8.contains("Tệp không phải văn bản UTF-8");
    }

    async fn a_csv_file_with_a_bom_windows_line_endings_and_semicolons(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        browser.get(&format!("/orgs/{cell}/members/import")).await.ok();
        let mut file = vec![0xEF, 0xBB, 0xBF];
        file.extend_from_slice("HỌ VÀ TÊN;Năm sinh\r\nPhạm Thị Xuân;1988\r\nĐoàn Văn Hậu;1990\r\n".as_bytes());
        let preview = browser.upload(&format!("/orgs/{cell}/members/import"), "file", "excel.csv", file.clone()).await;
        preview.ok().contains("Phạm Thị Xuân").contains("Đoàn Văn Hậu").contains("Nhập 2 đảng viên");
        let text = String::from_utf8(file).unwrap();
        browser
            .post(&format!("/orgs/{cell}/members/import/confirm"), &[("csv", &text)])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let stored = members::list(&app.db, cell).await.unwrap();
        assert!(stored.iter().any(|m| m.full_name == "Phạm Thị Xuân" && m.birth_year == Some(1988)));
        assert!(stored.iter().any(|m| m.full_name == "Đoàn Văn Hậu"), "no stray BOM or CR in names");
    }

    async fn the_import_token_travels_in_the_form_not_the_url(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        let page = browser.get(&format!("/orgs/{cell}/members/import")).await;
        page.ok()
            .contains(&format!("action=\"/orgs/{cell}/members/import\""))
            .lacks("csrf_token=");
        let path = format!("/orgs/{cell}/members/import");
        let file = "Họ và tên\nNgô Thị Thu\n";
        let without = browser.upload_raw(&path, reqwest::multipart::Form::new(), "file", "dv.csv", file.into()).await;
        assert_eq!(without.status, StatusCode::FORBIDDEN);
        // A token in the URL is not taken any more: it would land in request logs.
        let in_url = format!("{path}?csrf_token={}", browser.token());
        let query = browser.upload_raw(&in_url, reqwest::multipart::Form::new(), "file", "dv.csv", file.into()).await;
        assert_eq!(query.status, StatusCode::FORBIDDEN);
        let wrong = reqwest::multipart::Form::new().text("csrf_token", "sai");
        assert_eq!(browser.upload_raw(&path, wrong, "file", "dv.csv", file.into()).await.status, StatusCode::FORBIDDEN);
        browser.get(&path).await.ok();
        browser.upload(&path, "file", "dv.csv", file.into()).await.ok().contains("Nhập 1 đảng viên");
    }

    async fn a_csv_file_over_the_limit_says_so_with_the_form(app: TestApp) {
        let cell = app.demo.school.id;
        let browser = app.login("admin").await;
        let path = format!("/orgs/{cell}/members/import");
        browser.get(&path).await.ok();
        let before = members::list(&app.db, cell).await.unwrap().len();
        let mut file = String::from("Họ và tên,Điện thoại\n");
        while file.len() <= 600 * 1024 {
            file.push_str("Nguyễn Văn Một,0913 111 222\n");
        }
        // Over the file limit, and over the request limit.
        for bytes in [file.clone().into_bytes(), file.repeat(5).into_bytes()] {
            let response = browser.upload(&path, "file", "dv.csv", bytes).await;
            assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
            response
                .contains("Tệp quá lớn: tối đa 512 KB.")
                .lacks("Vui lòng chọn một tệp CSV.")
                .contains("type=\"file\"");
        }
        // A confirmation over the request limit is not an expired form either.
        let huge = file.repeat(4);
        let token = browser.token();
        // As the page's form sends it: the token first, then the file's text.
        let response = browser.post_raw(&format!("{path}/confirm"), &[("csrf_token", &token), ("csv", &huge)], &[]).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        response.contains("Tệp quá lớn: tối đa 512 KB.").contains("type=\"file\"");
        assert_eq!(members::list(&app.db, cell).await.unwrap().len(), before);
    }

    async fn many_simultaneous_form_posts_all_succeed(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let before = members::list(&app.db, cell).await.unwrap().len();
        let mut browsers = Vec::new();
        for login in ["bithu", "danguy", "admin"] {
            let browser = app.login(login).await;
            browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
            browsers.push(browser);
        }
        let posts = (0..45).map(|i| {
            let browser = browsers[i % browsers.len()].clone();
            async move {
                let name = format!("Đảng viên số {i}");
                browser
                    .post(&format!("/orgs/{cell}/members/new"), &[
                        ("full_name", &name), ("standing", "full"), ("role", "member"),
                    ])
                    .await
                    .status
            }
        });
        let statuses = join_all(posts).await;
        assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER), "{statuses:?}");
        assert_eq!(members::list(&app.db, cell).await.unwrap().len(), before + 45);
    }
}

//! Refused fields as assistive technology meets them: each control whose value was refused says
//! so (aria-invalid) and points at its message (aria-describedby), whatever kind of control.

use reqwest::StatusCode;

use crate::both;
use crate::harness::version_in;
use chuyende::db::plans;
use chuyende::domain::org::Year;

both! {
    async fn refused_controls_point_at_their_messages(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let plan = plans::find(&app.db, cell, Year::new(2022).unwrap()).await.unwrap().expect("a plan");
        let browser = app.login("bithu").await;

        // A text area and a drop-down list; the field that was accepted stays unmarked.
        let form = browser.get(&format!("/plans/{plan}/topics/new")).await;
        let topic = browser.post(&format!("/plans/{plan}/topics/new"), &[
            ("version", &version_in(&form.body)), ("title", ""), ("content", "Nội dung"),
            ("quarter", "2"), ("presenter", "999999"),
        ]).await;
        assert_eq!(topic.status, StatusCode::UNPROCESSABLE_ENTITY);
        topic
            .contains(r#"<textarea id="title" name="title" rows="2" aria-invalid="true" aria-describedby="title-error">"#)
            .contains(r#"<p class="error" id="title-error">Vui lòng nhập tên chuyên đề.</p>"#)
            .contains(r#"<select id="presenter" name="presenter" aria-invalid="true" aria-describedby="presenter-error">"#)
            .contains(r#"<p class="error" id="presenter-error">Người trình bày phải là đảng viên của chi bộ.</p>"#)
            .contains(r#"<textarea id="content" name="content" rows="4">"#)
            .contains(r#"<select id="quarter" name="quarter">"#)
            .lacks(r#"id="content-error""#);

        // A field in a row of a table.
        let form = browser.get(&format!("/plans/{plan}/basis")).await;
        let basis = browser.post(&format!("/plans/{plan}/basis"), &[
            ("version", &version_in(&form.body)), ("lead", "Thực hiện"),
            ("basis_order_0", "1"), ("basis_kind_0", "directive"), ("basis_number_0", "05-CT/TW"),
            ("basis_date_0", "31/02/2016"), ("basis_issuer_0", "Bộ Chính trị"), ("basis_subject_0", ""),
            ("closing", "Chi bộ xây dựng kế hoạch như sau:"),
        ]).await;
        assert_eq!(basis.status, StatusCode::UNPROCESSABLE_ENTITY);
        basis
            .contains(r#"name="basis_date_0" value="31/02/2016" aria-label="Ngày" placeholder="15/05/2016" aria-invalid="true" aria-describedby="basis_date_0-error">"#)
            .contains(r#"<p class="error" id="basis_date_0-error">"#)
            .lacks(r#"aria-describedby="basis_number_0-error""#);

        // Radio buttons and a one-line field.
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        let member = browser.post(&format!("/orgs/{cell}/members/new"), &[
            ("full_name", "Trần Thị Hồng"), ("standing", "x"), ("role", "member"), ("birth_year", "năm 85"),
        ]).await;
        assert_eq!(member.status, StatusCode::UNPROCESSABLE_ENTITY);
        member
            .contains(r#"<input type="radio" name="standing" value="full" aria-invalid="true" aria-describedby="standing-error">"#)
            .contains(r#"<p class="error" id="standing-error">"#)
            .contains(r#"<input id="birth_year" name="birth_year" value="năm 85" aria-invalid="true" aria-describedby="birth_year-error">"#)
            .contains(r#"<p class="error" id="birth_year-error">"#);

        // A password.
        browser.get("/account/password").await.ok();
        let password = browser
            .post("/account/password", &[("current", "khong-dung"), ("new", "mat-khau-moi"), ("confirm", "mat-khau-moi")])
            .await;
        assert_eq!(password.status, StatusCode::UNPROCESSABLE_ENTITY);
        password
            .contains(r#"<input id="current" name="current" type="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="current-error">"#)
            .contains(r#"<p class="error" id="current-error">Mật khẩu hiện tại không đúng.</p>"#)
            .contains(r#"<input id="new" name="new" type="password" autocomplete="new-password" minlength="8" required>"#);
    }
}

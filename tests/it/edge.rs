//! Text at the edge: what a person sends is made clean once (NFC, `\n`, no controls or
//! non-characters) so both databases store the same thing and every document opens; a field
//! sent twice counts once; every text field has a limit, with a message that names it, and the
//! databases keep the same limits as a last line.

use std::io::Read;

use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, kindergarten_2022, version_in};
use chuyende::db::{Db, plans};
use chuyende::domain::org::Year;
use chuyende::domain::plan::{PlanId, PlanStatus};

/// Opens the form at `path` and returns the plan version it carries.
async fn version(browser: &Browser, path: &str) -> String {
    let form = browser.get(path).await;
    form.ok();
    version_in(&form.body)
}

/// What `clean` must have removed: a character XML 1.0 cannot carry or Word refuses.
fn is_unwanted(c: char) -> bool {
    (c.is_control() && !['\n', '\t'].contains(&c))
        || (0xFDD0..=0xFDEF).contains(&u32::from(c))
        || u32::from(c) & 0xFFFE == 0xFFFE
}

async fn docx_xml(browser: &Browser, plan: PlanId) -> String {
    let response = browser
        .http
        .get(format!("{}/plans/{plan}/document.docx", browser.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Runs one statement with one text parameter on whichever database the app has.
async fn execute(db: &Db, sql: &str, text: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).bind(text).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::query(sql).bind(text).execute(pool).await.map(drop),
    }
}

/// A typed value as the form gives it back inside `value="…"` or a text area.
fn shown(text: &str) -> String {
    text.replace('&', "&#38;").replace('"', "&#34;")
}

both! {
    async fn hostile_characters_are_stored_clean_and_the_docx_opens(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let browser = app.login("bithu").await;

        // A paragraph section: NUL, U+FFFF, DEL, CR LF, and NFD letters.
        let path = format!("/plans/{plan}/texts/purposes");
        let text = "Mục đích\u{0} một\u{ffff}\r\nNguye\u{302}\u{303}n Va\u{306}n\u{7f}\rhai\u{fdd0}\u{1fffe}";
        browser.post(&path, &[("version", &version(&browser, &path).await), ("text", text)])
            .await
            .redirects_to(&format!("/plans/{plan}"));

        // A document of the basis: subject and issuer.
        let path = format!("/plans/{plan}/basis");
        browser.post(&path, &[
            ("version", &version(&browser, &path).await), ("lead", "Thực hiện\u{0}"),
            ("basis_order_0", "1"), ("basis_kind_0", "directive"), ("basis_number_0", "05-CT/TW\u{fffe}"),
            ("basis_date_0", "15/05/2016"), ("basis_issuer_0", "Bộ Chi\u{301}nh trị\u{0}"),
            ("basis_subject_0", "về\u{0} đẩy mạnh\u{ffff} học tập\u{1b}[31m"),
            ("closing", "Chi bộ xây dựng kế hoạch như sau:"),
        ]).await.redirects_to(&format!("/plans/{plan}"));

        // A recipient.
        let path = format!("/plans/{plan}/recipients");
        browser.post(&path, &[
            ("version", &version(&browser, &path).await),
            ("recipient_order_0", "1"), ("recipient_name_0", "Đảng ủy\u{0} xã\u{ffff} Đi\u{323}nh An"),
            ("recipient_report_0", "1"), ("archive", "Lưu Chi bộ\u{85}"),
        ]).await.redirects_to(&format!("/plans/{plan}"));

        let stored = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(stored.purposes, ["Mục đích một", "Nguyễn Văn", "hai"]);
        assert_eq!(stored.basis_lead, "Thực hiện");
        assert_eq!(stored.basis.len(), 1);
        assert_eq!(stored.basis[0].number, "05-CT/TW");
        assert_eq!(stored.basis[0].issuer, "Bộ Chính trị");
        assert_eq!(stored.basis[0].subject, "về đẩy mạnh học tập[31m");
        assert_eq!(stored.recipients[0].name, "Đảng ủy xã Định An");
        assert_eq!(stored.archive, "Lưu Chi bộ");

        // The page and the DOCX carry the clean text and nothing Word refuses.
        browser.get(&format!("/plans/{plan}")).await.ok().contains("Nguyễn Văn").contains("Đảng ủy xã Định An");
        let xml = docx_xml(&browser, plan).await;
        assert!(xml.contains("Nguyễn Văn") && xml.contains("Bộ Chính trị"), "the DOCX holds the text");
        assert!(!xml.chars().any(is_unwanted), "the DOCX holds no control or non-character");

        // The member import reads the file the same way.
        let cell = app.demo.kindergarten.id;
        browser.get(&format!("/orgs/{cell}/members/import")).await.ok();
        let file = "Họ và tên,Điện thoại\r\nTra\u{302}\u{300}n\u{0} Thị\u{ffff} Hoa,0912\u{7} 345 678\r\n";
        let preview = browser.upload(&format!("/orgs/{cell}/members/import"), "file", "dv.csv", file.into()).await;
        preview.ok().contains("Trần Thị Hoa");
        assert!(!preview.body.contains('\u{0}') && !preview.body.contains('\u{ffff}'));
        let csv = "Họ và tên,Điện thoại\nTrần Thị Hoa,0912 345 678\n";
        assert!(preview.body.contains(csv), "the file carried to the confirmation is the clean text");
        browser.post(&format!("/orgs/{cell}/members/import/confirm"), &[("csv", csv)])
            .await
            .redirects_to(&format!("/orgs/{cell}"));
        let hoa = app.member_id(cell, "Trần Thị Hoa").await;
        let member = chuyende::db::members::get(&app.db, hoa).await.unwrap().unwrap();
        assert_eq!(member.phone.as_deref(), Some("0912 345 678"));

        // A query string too: a NUL in a search is no error.
        let admin = app.login("admin").await;
        admin.get("/admin/users?q=bi%00thu").await.ok();
    }

    async fn a_field_sent_twice_counts_once(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;

        // The member form (struct-parsed): the first value wins, the form is not a bare 400.
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        browser.post(&format!("/orgs/{cell}/members/new"), &[
            ("full_name", "Lê Văn Một"), ("full_name", "Lê Văn Hai"), ("standing", "full"),
            ("standing", "probationary"), ("role", "member"),
        ]).await.redirects_to(&format!("/orgs/{cell}"));
        let member = app.member_id(cell, "Lê Văn Một").await;
        let member = chuyende::db::members::get(&app.db, member).await.unwrap().unwrap();
        assert_eq!(member.standing.as_str(), "full");

        // The new plan form.
        browser.get(&format!("/orgs/{cell}/plans/new")).await.ok();
        browser.post(&format!("/orgs/{cell}/plans/new"), &[
            ("year", "2031"), ("year", "2032"), ("start", "blank"), ("start", "copy"),
        ]).await.redirects_to("/plans/");
        assert!(plans::find(&app.db, cell, Year::new(2031).unwrap()).await.unwrap().is_some());
        assert!(plans::find(&app.db, cell, Year::new(2032).unwrap()).await.unwrap().is_none());

        // An account's form and the query strings.
        let admin = app.login("admin").await;
        admin.get("/admin/users/new").await.ok();
        admin.post("/admin/users/new", &[
            ("login", "hai.lan"), ("login", "ba.lan"), ("full_name", "Hai Lần"), ("password", "mật khẩu dài"),
        ]).await.redirects_to("/admin/users/");
        admin.get("/admin/users?q=hai&q=ba").await.ok().contains("hai.lan");
        browser.get("/notifications?page=2&page=1").await.ok();
    }

    async fn over_long_text_comes_back_with_its_limit(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        let before = plans::get(&app.db, plan).await.unwrap().unwrap();

        // A million characters in a basis subject: refused beside the field, typed text kept.
        let million = "a".repeat(1_000_000);
        let path = format!("/plans/{plan}/basis");
        let basis = browser.post(&path, &[
            ("version", &version(&browser, &path).await), ("lead", "Thực hiện"),
            ("basis_order_0", "1"), ("basis_kind_0", "directive"), ("basis_number_0", "05-CT/TW"),
            ("basis_date_0", "15/05/2016"), ("basis_issuer_0", "Bộ Chính trị"), ("basis_subject_0", &million),
            ("closing", "Chi bộ xây dựng kế hoạch như sau:"),
        ]).await;
        assert_eq!(basis.status, StatusCode::UNPROCESSABLE_ENTITY);
        basis
            .contains(r#"<p class="error" id="basis_subject_0-error">Tối đa 1.000 ký tự; đồng chí đã nhập 1.000.000.</p>"#)
            .contains(&format!("value=\"{million}\""));

        // The subject of the plan, a recipient and the signer's name.
        let path = format!("/plans/{plan}/header");
        let subject = "â".repeat(1_001);
        let header = browser.post(&path, &[
            ("version", &version(&browser, &path).await), ("number", "01-KH/CB"), ("place", "Định An"),
            ("issued_on", "10/01/2022"), ("subject", &subject),
        ]).await;
        assert_eq!(header.status, StatusCode::UNPROCESSABLE_ENTITY);
        header.contains("Tối đa 1.000 ký tự; đồng chí đã nhập 1.001.").contains(&subject);

        let path = format!("/plans/{plan}/recipients");
        let recipient = "r".repeat(1_001);
        let recipients = browser.post(&path, &[
            ("version", &version(&browser, &path).await),
            ("recipient_order_0", "1"), ("recipient_name_0", &recipient), ("recipient_report_0", "0"),
            ("archive", "Lưu Chi bộ"),
        ]).await;
        assert_eq!(recipients.status, StatusCode::UNPROCESSABLE_ENTITY);
        recipients
            .contains(r#"<p class="error" id="recipient_name_0-error">Tối đa 1.000 ký tự; đồng chí đã nhập 1.001.</p>"#)
            .contains(&recipient);

        let path = format!("/plans/{plan}/signature");
        let signer = "S".repeat(201);
        let signature = browser.post(&path, &[
            ("version", &version(&browser, &path).await), ("authority", "cell_committee"),
            ("title", "secretary"), ("signer", ""), ("signer_name", &signer),
        ]).await;
        assert_eq!(signature.status, StatusCode::UNPROCESSABLE_ENTITY);
        signature.contains("Tối đa 200 ký tự; đồng chí đã nhập 201.").contains(&signer);

        // A step's label.
        let topic = before.topics[0].id;
        let form = browser.get(&format!("/topics/{topic}")).await;
        let version_now = &version_in(&form.body);
        let label = "b".repeat(201);
        let steps = browser.post(&format!("/topics/{topic}"), &[
            ("version", version_now), ("title", &before.topics[0].title), ("content", ""), ("quarter", ""),
            ("session", ""), ("presenter", ""), ("step_id_0", "0"), ("step_kind_0", "other"),
            ("step_label_0", &label), ("step_due_0", ""), ("step_note_0", ""),
        ]).await;
        assert_eq!(steps.status, StatusCode::UNPROCESSABLE_ENTITY);
        steps
            .contains(r#"<p class="error" id="step_label_0-error">Tối đa 200 ký tự; đồng chí đã nhập 201.</p>"#)
            .contains(&label);

        // Nothing of it was stored.
        let after = plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(after.version, before.version);
        assert_eq!(after.basis, before.basis);
        assert_eq!(after.subject, before.subject);

        // A member's name: 201 characters refused, 200 (as stored: composed) kept.
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        let long = "ệ".repeat(201);
        let member = browser.post(&format!("/orgs/{cell}/members/new"), &[
            ("full_name", &long), ("standing", "full"), ("role", "member"),
        ]).await;
        assert_eq!(member.status, StatusCode::UNPROCESSABLE_ENTITY);
        member
            .contains(r#"<p class="error" id="full_name-error">Tối đa 200 ký tự; đồng chí đã nhập 201.</p>"#)
            .contains(&shown(&long));
        let exact = "e\u{302}\u{323}".repeat(200);
        browser.post(&format!("/orgs/{cell}/members/new"), &[
            ("full_name", &exact), ("standing", "full"), ("role", "member"),
        ]).await.redirects_to(&format!("/orgs/{cell}"));
        app.member_id(cell, &"ệ".repeat(200)).await;

        // At the limit a basis subject and a step label are stored.
        let path = format!("/plans/{plan}/basis");
        let subject = "s".repeat(1_000);
        browser.post(&path, &[
            ("version", &version(&browser, &path).await), ("lead", "Thực hiện"),
            ("basis_order_0", "1"), ("basis_kind_0", "directive"), ("basis_number_0", "05-CT/TW"),
            ("basis_date_0", "15/05/2016"), ("basis_issuer_0", "Bộ Chính trị"), ("basis_subject_0", &subject),
            ("closing", "Chi bộ xây dựng kế hoạch như sau:"),
        ]).await.redirects_to(&format!("/plans/{plan}"));
        assert_eq!(plans::get(&app.db, plan).await.unwrap().unwrap().basis[0].subject, subject);

        // A unit's name.
        let org = app.demo.commune.id;
        let admin = app.login("admin").await;
        admin.get(&format!("/orgs/{org}/edit")).await.ok();
        let name = "n".repeat(201);
        let edited = admin.post(&format!("/orgs/{org}/edit"), &[
            ("kind", "committee"), ("name", &name), ("superior_name", "Huyện ủy"),
            ("abbreviation", "ĐU"), ("place_name", "Định An"), ("term_start", "2020"),
        ]).await;
        assert_eq!(edited.status, StatusCode::UNPROCESSABLE_ENTITY);
        edited.contains("Tối đa 200 ký tự; đồng chí đã nhập 201.").contains(&name);
    }

    async fn the_databases_refuse_over_long_text_as_a_last_line(app: TestApp) {
        let plan = kindergarten_2022(&app).await.to_string();
        let update = format!("UPDATE plans SET subject = $1 WHERE id = {plan}");
        assert!(execute(&app.db, &update, &"x".repeat(1_001)).await.is_err(), "1,001 characters refused");
        execute(&app.db, &update, &"ữ".repeat(1_000)).await.expect("1,000 characters stored");
        let insert = format!(
            "INSERT INTO plan_texts (plan_id, section, position, body) VALUES ({plan}, 'duties', 99, $1)"
        );
        assert!(execute(&app.db, &insert, &"x".repeat(10_001)).await.is_err());
        execute(&app.db, &insert, &"x".repeat(10_000)).await.expect("a paragraph at its limit");
        let steps = "UPDATE steps SET label = $1";
        assert!(execute(&app.db, steps, &"x".repeat(201)).await.is_err());
    }

    async fn a_refused_done_date_comes_back_beside_its_field(app: TestApp) {
        let plan = plans::get(&app.db, kindergarten_2022(&app).await).await.unwrap().unwrap();
        let step = plan.topics[2].steps[0].id;
        let member = app.login("dangvien").await;
        member.get("/me/work").await.ok();
        for (typed, message) in [
            ("31/02/2022", "Ngày không hợp lệ"),
            ("01/01/2100", "Ngày hoàn thành không thể ở tương lai."),
        ] {
            let page = member.post(&format!("/steps/{step}/mark"), &[("done_on", typed), ("back", "work")]).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
            page.contains("Việc của tôi")
                .contains(&format!(r#"name="done_on" value="{typed}" size="10" aria-invalid="true" aria-describedby="done_on_{step}-error""#))
                .contains(&format!(r#"<p class="error" id="done_on_{step}-error">{message}"#));
        }
        let stored = plans::get(&app.db, plan.id).await.unwrap().unwrap();
        assert!(stored.topics[2].steps[0].done_on.is_none(), "nothing stored");
    }

    async fn an_over_long_accept_comment_comes_back_and_nothing_is_accepted(app: TestApp) {
        let plan = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/plans/{plan}/adopt")).await.ok();
        secretary.post(&format!("/plans/{plan}/adopt"), &[
            ("meeting_on", "10/01/2022"), ("present", "8"), ("total", "8"), ("votes_for", "8"), ("votes_against", "0"),
        ]).await.redirects_to(&format!("/plans/{plan}"));
        secretary.post(&format!("/plans/{plan}/submit"), &[]).await.redirects_to(&format!("/plans/{plan}"));
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/plans/{plan}/review")).await.ok();
        let comment = "đ".repeat(10_001);
        let page = reviewer.post(&format!("/plans/{plan}/accept"), &[("comment", &comment)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        page.contains(r#"<p class="error" id="accept_comment-error">Tối đa 10.000 ký tự; đồng chí đã nhập 10.001.</p>"#)
            .contains(&format!(r#"aria-describedby="accept_comment-error">{comment}</textarea>"#))
            .contains(r#"id="return-comment" name="comment" rows="2"></textarea>"#);
        let status = plans::get(&app.db, plan).await.unwrap().unwrap().status;
        assert_eq!(status, PlanStatus::Submitted, "nothing accepted");
        // At the limit it is accepted with its comment.
        let comment = "đ".repeat(10_000);
        reviewer.post(&format!("/plans/{plan}/accept"), &[("comment", &comment)]).await.redirects_to("/reviews");
        assert_eq!(plans::get(&app.db, plan).await.unwrap().unwrap().status, PlanStatus::Accepted);
        let events = chuyende::db::review::events(&app.db, plan).await.unwrap();
        assert_eq!(events.last().unwrap().comment, comment);
    }
}

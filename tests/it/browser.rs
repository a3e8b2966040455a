//! Main journeys in headless Chromium (Debian's `chromium` and `chromium-driver`), driven over
//! WebDriver: what a secretary and a member do, with real forms, cookies and CSRF tokens.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::both;
use chuyende::domain::samples::KINDERGARTEN_TOPICS;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process and a browser session, closed on drop.
pub struct Chromium {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Chromium {
    /// A desktop-sized window.
    pub async fn start() -> Chromium {
        Self::launch(1280, 1800, serde_json::json!({})).await
    }

    /// A phone's screen of `width` × `height` CSS pixels (e.g. 390 × 844), touch and all, as
    /// Chromium's device emulation gives it (a headless window is never under 500 px wide).
    pub async fn start_phone(width: u32, height: u32) -> Chromium {
        let metrics = serde_json::json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true, "mobile": true },
        });
        Self::launch(width.max(500), height, metrics).await
    }

    async fn launch(width: u32, height: u32, emulation: serde_json::Value) -> Chromium {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(program).exists(),
                "{program} is missing: install Debian's chromium and chromium-driver \
                 (`apt-get install chromium chromium-driver`; .ci/run does it)"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "mobileEmulation": emulation,
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Chromium {
                        client,
                        driver,
                        _profile: profile,
                    };
                }
                Err(error) => {
                    last_error = Some(error);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("chromedriver did not start: {last_error:?}");
    }

    /// The text of the page as rendered (what is hidden is left out).
    pub async fn text(&self) -> Result<String, fantoccini::error::CmdError> {
        self.client.find(Locator::Css("body")).await?.text().await
    }

    /// The page text once it contains `needle` (navigation after a click may still be going).
    pub async fn wait_for(&self, needle: &str) -> String {
        let mut text = String::new();
        for _ in 0..50 {
            // Mid-navigation the body found may be gone before its text is read: try again.
            text = match self.text().await {
                Ok(text) => text,
                Err(error) => format!("(unreadable: {error})"),
            };
            if text.contains(needle) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {needle:?} in the page:\n{text}");
    }

    /// Opens `path` (a page behind the sign-in) and signs in there with the form as `login`.
    pub async fn sign_in(&self, base: &str, path: &str, login: &str) {
        self.client.goto(&format!("{base}{path}")).await.unwrap();
        self.fill("login", login).await;
        self.fill("password", "chuyende-demo").await;
        self.click("form[action='/login'] button[type='submit']")
            .await;
    }

    pub async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
}

/// Each of `expected` in `text`, each after the one before.
#[track_caller]
pub fn assert_in_order(text: &str, expected: &[&str]) {
    let mut from = 0;
    for needle in expected {
        match text[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!(
                "expected {needle:?} after {:?} in the page:\n{text}",
                &text[..from]
            ),
        }
    }
}

both! {
    async fn a_secretary_signs_in_edits_a_section_and_a_member_marks_work_done(app: TestApp) {
        let chromium = Chromium::start().await;
        let browser = &chromium.client;
        let plan = chuyende::db::plans::find(&app.db, app.demo.kindergarten.id, chuyende::domain::org::Year::new(2022).unwrap())
            .await
            .unwrap()
            .unwrap();

        // Sign in with the form, as a person would.
        browser.goto(&format!("{}/plans/{plan}", app.base)).await.unwrap();
        assert!(browser.current_url().await.unwrap().path().starts_with("/login"));
        chromium.fill("login", "bithu").await;
        chromium.fill("password", "chuyende-demo").await;
        chromium.click("form[action='/login'] button[type='submit']").await;
        chromium.wait_for("Kế hoạch sinh hoạt chuyên đề năm 2022").await;
        assert_eq!(browser.current_url().await.unwrap().path(), format!("/plans/{plan}"));

        // Edit a section: the link, the text area, the save button.
        chromium.click(&format!("a[href='/plans/{plan}/texts/requirements']")).await;
        chromium.fill("text", "Nghiêm túc, thiết thực, hiệu quả.\nĐúng quy trình “5 bước”.").await;
        chromium.click("main form button[type='submit']").await;
        chromium.wait_for("Đúng quy trình “5 bước”.").await;
        let stored = chuyende::db::plans::get(&app.db, plan).await.unwrap().unwrap();
        assert_eq!(stored.requirements, vec!["Nghiêm túc, thiết thực, hiệu quả.", "Đúng quy trình “5 bước”."]);

        // An invalid form comes back with what was typed.
        browser.goto(&format!("{}/plans/{plan}/header", app.base)).await.unwrap();
        chromium.fill("issued_on", "32/13/2022").await;
        chromium.click("main form button[type='submit']").await;
        chromium.wait_for("Ngày không hợp lệ").await;
        let typed = browser.find(Locator::Css("[name='issued_on']")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(typed.as_deref(), Some("32/13/2022"));

        // The print view renders in the browser as the official document: what Chromium shows,
        // in reading order, is the header, the title, the body with the edit just made and every
        // topic, then the signature; the app's own menu is not part of it.
        browser.goto(&format!("{}/plans/{plan}/document", app.base)).await.unwrap();
        let text = chromium.wait_for("KẾ HOẠCH").await;
        let mut reading_order = vec![
            "ĐẢNG BỘ XÃ ĐỊNH AN", "CHI BỘ MẦM NON ĐỊNH AN", "Số 01-KH/CB", "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Định An, ngày 10 tháng 01 năm 2022", "DỰ THẢO", "KẾ HOẠCH",
            "triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022", "Đúng quy trình “5 bước”.",
        ];
        reading_order.extend(KINDERGARTEN_TOPICS);
        reading_order.extend(["Nơi nhận:", "T/M CHI BỘ", "BÍ THƯ", "Lê Thị Bích Ngọc"]);
        assert_in_order(&text, &reading_order);
        assert!(!text.contains("Đăng xuất"), "the print view is the document alone:\n{text}");
        // Its stylesheet and script are files the Content-Security-Policy lets in: the sheet
        // is A4 wide (210 mm = 794 px), the print button shown by the script.
        let sheet = browser.find(Locator::Css("article.sheet")).await.unwrap();
        let (_, _, width, _) = sheet.rectangle().await.unwrap();
        assert!((width - 793.7).abs() < 2.0, "the sheet is {width} px wide");
        let print = browser.find(Locator::Css("button.print")).await.unwrap();
        assert!(print.is_displayed().await.unwrap(), "the print button is shown");
        let table = browser.find(Locator::Css("table.timeline")).await.unwrap();
        let (_, _, table, _) = table.rectangle().await.unwrap();
        let content = browser.find(Locator::Css("table.timeline th:nth-child(2)")).await.unwrap();
        let (_, _, content, _) = content.rectangle().await.unwrap();
        let share = content / table;
        assert!((0.33..0.37).contains(&share), "the content column is 35% wide, not {share}");
        assert_eq!(browser.title().await.unwrap(), "Kế hoạch triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022");
        // Kept for a person to look at when the layout is in doubt.
        let print = browser.screenshot().await.unwrap();
        let out = std::env::temp_dir().join(format!("chuyende-print-view-{}.png", app.db.backend()));
        std::fs::write(&out, &print).unwrap();
        browser.goto(&format!("{}/plans/{plan}", app.base)).await.unwrap();

        // Sign out; the member signs in and marks her first step done from "Việc của tôi".
        chromium.click("form[action='/logout'] button").await;
        chromium.wait_for("Tên đăng nhập").await;
        browser.goto(&format!("{}/me/work", app.base)).await.unwrap();
        chromium.fill("login", "dangvien").await;
        chromium.fill("password", "chuyende-demo").await;
        chromium.click("form[action='/login'] button[type='submit']").await;
        chromium.wait_for("Đang cần làm").await;
        chromium.click("form.mark button").await;
        let today = chrono::Local::now().date_naive();
        let text = chromium.wait_for("Đã đánh dấu hoàn thành").await;
        assert!(text.contains("Đã đánh dấu hoàn thành “Chuẩn bị đề cương”."), "{text}");
        assert!(text.contains(&format!("(xong {})", today.format("%d/%m/%Y"))), "{text}");
        let stored = chuyende::db::plans::get(&app.db, plan).await.unwrap().unwrap();
        // The demo's sessions of 2022 were held (their session steps done on their days): one
        // step more is done, today.
        let done: Vec<_> = stored.topics.iter().flat_map(|t| &t.steps).filter(|s| s.done_on == Some(today)).collect();
        assert_eq!(done.len(), 1, "one step marked: {done:?}");
        assert_eq!(done[0].label, "Chuẩn bị đề cương");
        assert_eq!(done[0].done_on, Some(today));
        assert_eq!(done[0].assignees[0].name, "Nguyễn Thị Ly", "her own step");
        chromium.client.clone().close().await.unwrap();
    }
}

both! {
    async fn a_member_reads_the_circulated_draft_and_comments_on_a_paragraph(app: TestApp) {
        use chuyende::db;
        let chromium = Chromium::start().await;
        let browser = &chromium.client;
        // The demo's draft 2 was sent to the members; Mỹ Duyên opens it and signs in.
        let year = chuyende::domain::org::Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
        let plan = db::plans::find(&app.db, app.demo.kindergarten.id, year).await.unwrap().unwrap();
        let topic = db::sessions::open_of_plan(&app.db, plan).await.unwrap()[0].topic_id;
        let paper = db::papers::of_topic(&app.db, topic).await.unwrap().pop().unwrap();
        assert!(paper.is_open());
        browser.goto(&format!("{}/papers/{}", app.base, paper.id)).await.unwrap();
        chromium.fill("login", "myduyen").await;
        chromium.fill("password", "chuyende-demo").await;
        chromium.click("form[action='/login'] button[type='submit']").await;
        let text = chromium.wait_for("Dự thảo lần 2 (bản 2)").await;
        assert_in_order(&text, &["Nội dung", "I. Sự cần thiết", "II. Thực trạng", "III. Giải pháp", "Ý kiến góp ý"]);

        // "Góp ý đoạn 2" brings the form with the paragraph chosen; she writes and sends.
        chromium.click(&format!("a[href='/papers/{}?paragraph=2#comment']", paper.id)).await;
        chromium.wait_for("Gửi ý kiến").await;
        let chosen = browser.find(Locator::Css("select[name='paragraph']")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(chosen.as_deref(), Some("2"));
        chromium.fill("body", "Đề nghị nêu kết quả khắc phục bằng số liệu cụ thể.").await;
        chromium.click("form[action$='/comments'] button[type='submit']").await;
        let text = chromium.wait_for("Đã gửi ý kiến").await;
        assert!(text.contains("Đề nghị nêu kết quả khắc phục bằng số liệu cụ thể."), "{text}");
        let comments = db::papers::comments(&app.db, paper.id).await.unwrap();
        let last = comments.last().unwrap();
        assert_eq!(last.paragraph, Some(2));
        assert_eq!(last.created.by, "Võ Thị Mỹ Duyên");
        assert_eq!(last.body, "Đề nghị nêu kết quả khắc phục bằng số liệu cụ thể.");
        chromium.client.clone().close().await.unwrap();
    }
}

both! {
    async fn a_member_is_picked_from_a_list_by_typing_the_name_without_diacritics(app: TestApp) {
        use chuyende::domain::plan::Presenter;
        let chromium = Chromium::start().await;
        let browser = &chromium.client;
        let plan = crate::harness::kindergarten_2022(&app).await;
        let stored = chuyende::db::plans::get(&app.db, plan).await.unwrap().unwrap();
        let topic = &stored.topics[1];
        let ly = app.member_id(app.demo.kindergarten.id, "Nguyễn Thị Ly").await;
        let han = app.member_id(app.demo.kindergarten.id, "Huỳnh Thị Ngọc Hân").await;
        assert!(!matches!(&topic.presenter, Presenter::Member { id, .. } if *id == ly));
        assert!(!topic.steps[0].assignees.iter().any(|a| a.member == han));
        let before: Vec<_> = topic.steps[0].assignees.iter().map(|a| a.member).collect();
        chromium.sign_in(&app.base, &format!("/topics/{}", topic.id), "bithu").await;
        chromium.wait_for("Sửa chuyên đề").await;

        // The presenter's search box, shown by the script and named for screen readers: typing
        // the name without marks chooses her in the list, other members are hidden.
        let presenter_box = browser.find(Locator::Css("input.pick-filter[aria-controls='presenter']")).await.unwrap();
        assert!(presenter_box.is_displayed().await.unwrap(), "the search box is shown");
        let label = presenter_box.attr("aria-label").await.unwrap().unwrap();
        assert!(label.contains("Người trình bày"), "{label}");
        presenter_box.send_keys("nguyen thi ly").await.unwrap();
        let chosen = browser.find(Locator::Css("select#presenter")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(chosen, Some(ly.to_string()));

        // In a step's list of people, "huynh" leaves Huỳnh Thị Ngọc Hân; a click adds her to
        // those already chosen, who stay chosen though hidden.
        let step_box = browser.find(Locator::Css("input.pick-filter[aria-controls='step_assignee_0']")).await.unwrap();
        step_box.send_keys("HUYNH").await.unwrap();
        let shown = browser
            .execute(
                "return Array.from(document.getElementById('step_assignee_0').options).filter(o => !o.hidden).map(o => o.text)",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(shown, serde_json::json!(["Huỳnh Thị Ngọc Hân"]));
        browser
            .find(Locator::Css(&format!("select#step_assignee_0 option[value='{han}']")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();

        // "đ" is typed as "d": "dinh" would find a "Đinh"; the page's fold matches the server's.
        let folded = browser
            .execute("return [searchKey('Đỗ  Văn Thành'), searchKey('NGUYỄN Thị Ly')]", vec![])
            .await
            .unwrap();
        assert_eq!(
            folded,
            serde_json::json!([
                chuyende::domain::text::search_key("Đỗ  Văn Thành"),
                chuyende::domain::text::search_key("NGUYỄN Thị Ly"),
            ])
        );

        // The form saves what was chosen.
        chromium.click("main form button[type='submit']").await;
        chromium.wait_for("Đã lưu chuyên đề.").await;
        let stored = chuyende::db::plans::get(&app.db, plan).await.unwrap().unwrap();
        let topic = stored.topics.iter().find(|t| t.id == topic.id).unwrap();
        assert!(matches!(&topic.presenter, Presenter::Member { id, name } if *id == ly && name == "Nguyễn Thị Ly"), "{:?}", topic.presenter);
        let mut after: Vec<_> = topic.steps[0].assignees.iter().map(|a| a.member).collect();
        let mut expected = before;
        expected.push(han);
        after.sort();
        expected.sort();
        assert_eq!(after, expected);
        chromium.client.clone().close().await.unwrap();
    }
}

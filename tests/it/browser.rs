//! Main journeys in headless Chromium (Debian's `chromium` and `chromium-driver`), driven over
//! WebDriver: what a secretary and a member do, with real forms, cookies and CSRF tokens.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::both;

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
    pub async fn start() -> Chromium {
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
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1800",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
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

    /// The page text; None while a navigation replaces the page (the body went stale or is
    /// not there yet).
    pub async fn text(&self) -> Option<String> {
        let body = self.client.find(Locator::Css("body")).await.ok()?;
        body.text().await.ok()
    }

    /// The page text once it contains `needle` (navigation after a click may still be going).
    pub async fn wait_for(&self, needle: &str) -> String {
        let mut text = String::new();
        for _ in 0..50 {
            if let Some(now) = self.text().await {
                text = now;
            }
            if text.contains(needle) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {needle:?} in the page:\n{text}");
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

        // The print view renders in the browser as the official document.
        browser.goto(&format!("{}/plans/{plan}/document", app.base)).await.unwrap();
        let text = chromium.wait_for("KẾ HOẠCH").await;
        assert!(text.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && text.contains("CHI BỘ MẦM NON ĐỊNH AN"), "{text}");
        let print = browser.screenshot().await.unwrap();
        assert!(print.starts_with(b"\x89PNG") && print.len() > 10_000, "a real screenshot of the print view");
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
        chromium.wait_for("Đã đánh dấu hoàn thành").await;
        let screenshot = browser.screenshot().await.unwrap();
        assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
        chromium.client.clone().close().await.unwrap();
    }
}

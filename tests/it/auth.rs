//! Signing in and out, throttling, sessions, passwords, CSRF.

use std::time::Duration;

use chuyende::Settings;
use reqwest::StatusCode;

use chuyende::config::Throttle;
use chuyende::db::Db;

use crate::both;
use crate::harness::{Backend, TestApp};

const WRONG: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

fn session_cookie(response: &crate::harness::Response) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("chuyende_session="))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

both! {
    async fn after_login_only_a_path_of_this_site_is_followed(app: TestApp) {
        let hostile = ["/\t/evil.example/phish", "/\nabc", "//evil.example", "/\\evil.example", "https://evil.example/", "/ /evil"];
        for next in hostile {
            let browser = app.browser();
            browser.get("/login").await;
            let response = browser.post("/login", &[("login", "bithu"), ("password", "chuyende-demo"), ("next", next)]).await;
            assert_eq!(response.status, StatusCode::SEE_OTHER, "POST next={next:?}");
            assert_eq!(response.location(), "/", "POST next={next:?}");
            // Signed in, the login page sends one on at once: the same rule.
            let query = serde_urlencoded::to_string([("next", next)]).unwrap();
            let again = browser.get(&format!("/login?{query}")).await;
            assert_eq!(again.status, StatusCode::SEE_OTHER, "GET next={next:?}");
            assert_eq!(again.location(), "/", "GET next={next:?}");
        }
        let browser = app.login("bithu").await;
        assert_eq!(browser.get("/login?next=/plans%3Fx%3D1").await.location(), "/plans?x=1");
    }

    async fn login_and_logout(app: TestApp) {
        let browser = app.browser();
        browser.get("/").await.redirects_to("/login?next=%2F");
        browser.get("/login").await.ok().contains("Đăng nhập");
        browser
            .post("/login", &[("login", "BiThu"), ("password", "chuyende-demo"), ("next", "/account/password")])
            .await
            .redirects_to("/account/password");
        browser.get("/").await.ok().contains("Lê Thị Bích Ngọc").contains("Chi bộ Mầm non Định An");
        browser.post("/logout", &[]).await.redirects_to("/login");
        browser.get("/").await.redirects_to("/login");
    }

    async fn wrong_password_and_unknown_login_look_the_same(app: TestApp) {
        let browser = app.browser();
        browser.get("/login").await;
        let wrong = browser.post("/login", &[("login", "bithu"), ("password", "sai-mat-khau")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        wrong.contains(WRONG).contains("value=\"bithu\"");
        let unknown = browser.post("/login", &[("login", "khongco"), ("password", "sai-mat-khau")]).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        unknown.contains(WRONG);
        browser.get("/").await.redirects_to("/login");
    }

    async fn repeated_failures_lock_the_account_for_a_while(app: TestApp) {
        let browser = app.browser();
        browser.get("/login").await;
        for _ in 0..5 {
            let response = browser.post("/login", &[("login", "bithu"), ("password", "doan-sai")]).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        }
        // Even the right password is refused while locked, with a clear message.
        let locked = browser.post("/login", &[("login", "bithu"), ("password", "chuyende-demo")]).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        locked.contains("Đăng nhập sai quá nhiều lần").contains("15 phút");
        // Another account from the same address is not locked by it.
        app.login("dangvien").await.get("/").await.ok().contains("Nguyễn Thị Ly");
    }

    async fn parallel_guesses_cannot_overrun_the_account_limit(app: TestApp) {
        let browser = app.browser();
        browser.get("/login").await;
        let guesses = (0..10).map(|i| {
            let browser = browser.clone();
            async move {
                let guess = format!("doan-sai-{i}");
                browser.post("/login", &[("login", "bithu"), ("password", &guess)]).await.status
            }
        });
        let statuses = join_all(guesses).await;
        let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!(checked + refused, 10, "{statuses:?}");
        assert!(checked <= 5, "at most the limit of 5 guesses is checked: {statuses:?}");
        assert_eq!(failures_of(&app, "bithu").await, checked as i64, "one row per checked guess");
        // Racing guesses refused one another without being checked; what is left of the
        // budget is spent one by one, and then the account is locked.
        for _ in checked..5 {
            let response = browser.post("/login", &[("login", "bithu"), ("password", "doan-sai")]).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        }
        let locked = browser.post("/login", &[("login", "bithu"), ("password", "chuyende-demo")]).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(failures_of(&app, "bithu").await, 5);
    }

    async fn an_overlong_login_name_is_not_stored_as_such(app: TestApp) {
        let browser = app.browser();
        browser.get("/login").await;
        let huge = "a".repeat(2_000_000);
        let response = browser.post("/login", &[("login", &huge), ("password", "doan-sai")]).await;
        assert!(!response.status.is_server_error(), "{}", response.status);
        assert!(response.body.len() < 100_000, "the name is not echoed back whole");
        let longest: Option<i64> = match &app.db {
            Db::Sqlite(pool) => sqlx::query_scalar("SELECT MAX(LENGTH(login)) FROM login_failures").fetch_one(pool).await.unwrap(),
            Db::Postgres(pool) => sqlx::query_scalar("SELECT MAX(LENGTH(login))::BIGINT FROM login_failures").fetch_one(pool).await.unwrap(),
        };
        assert!(longest.unwrap_or(0) <= 200, "stored login of {longest:?} characters");
    }

    async fn wrong_current_passwords_are_throttled_like_logins(app: TestApp) {
        let browser = app.login("dangvien").await;
        browser.get("/account/password").await.ok();
        let user = chuyende::db::users::find_by_login(&app.db, "dangvien").await.unwrap().unwrap().id;
        let before = chuyende::db::users::password_hash(&app.db, user).await.unwrap();
        for i in 0..5 {
            let guess = format!("doan-sai-{i}");
            let wrong = browser
                .post("/account/password", &[("current", &guess), ("new", "mat-khau-moi"), ("confirm", "mat-khau-moi")])
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        // Even the right one is no longer checked, and the account's login is locked with it.
        let throttled = browser
            .post("/account/password", &[("current", "chuyende-demo"), ("new", "mat-khau-moi"), ("confirm", "mat-khau-moi")])
            .await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        throttled.contains("Nhập sai mật khẩu quá nhiều lần");
        assert_eq!(chuyende::db::users::password_hash(&app.db, user).await.unwrap(), before);
        let other = app.browser();
        other.get("/login").await;
        let locked = other.post("/login", &[("login", "dangvien"), ("password", "chuyende-demo")]).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    }

    async fn a_password_change_ends_the_accounts_other_sessions(app: TestApp) {
        let here = app.login("dangvien").await;
        let elsewhere = app.login("dangvien").await;
        here.get("/account/password").await.ok();
        here.post("/account/password", &[("current", "chuyende-demo"), ("new", "mat-khau-moi"), ("confirm", "mat-khau-moi")])
            .await
            .redirects_to("/");
        here.get("/").await.ok().contains("Đã đổi mật khẩu.");
        elsewhere.get("/").await.redirects_to("/login");
        // Another account's sessions are untouched.
        let secretary = app.login("bithu").await;
        let secretary_too = app.login("bithu").await;
        here.get("/").await.ok();

        // An administrator's reset ends every session of the account.
        let admin = app.login("admin").await;
        let bithu = chuyende::db::users::find_by_login(&app.db, "bithu").await.unwrap().unwrap().id;
        admin.get(&format!("/admin/users/{bithu}")).await.ok();
        admin.post(&format!("/admin/users/{bithu}/password"), &[("password", "mat-khau-dat-lai")])
            .await
            .redirects_to(&format!("/admin/users/{bithu}"));
        admin.get("/").await.ok();
        secretary.get("/").await.redirects_to("/login");
        secretary_too.get("/").await.redirects_to("/login");
        app.login_with("bithu", "mat-khau-dat-lai").await.get("/").await.ok();
    }

    async fn a_form_posted_into_an_ended_session_keeps_its_text(app: TestApp) {
        let cell = app.demo.kindergarten.id;
        let browser = app.login("bithu").await;
        let path = format!("/orgs/{cell}/members/new");
        browser.get(&path).await.ok();
        forget_sessions(&app).await;
        let long = format!("Phó Thị Soạn Dài {}", "chữ ".repeat(2000));
        let response = browser.post(&path, &[("full_name", &long), ("standing", "full"), ("role", "member")]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        response
            .contains("Phiên đăng nhập đã hết hạn")
            .contains("chưa được lưu")
            .contains(long.trim_end())
            .contains("readonly")
            .lacks(&browser.token());
        let members = chuyende::db::members::list(&app.db, cell).await.unwrap();
        assert!(members.iter().all(|m| !m.full_name.starts_with("Phó Thị Soạn")), "nothing stored");

        // Passwords are never shown back.
        let other = app.login("dangvien").await;
        other.get("/account/password").await.ok();
        forget_sessions(&app).await;
        let response = other
            .post("/account/password", &[("current", "bi-mat-cu-123"), ("new", "bi-mat-moi-456"), ("confirm", "bi-mat-moi-456")])
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        response.contains("Phiên đăng nhập đã hết hạn").lacks("bi-mat-cu-123").lacks("bi-mat-moi-456");

        // A form from before the last sign-in (another tab signed in again since: the token
        // changed) keeps its text too.
        let browser = app.login("bithu").await;
        browser.get(&path).await.ok();
        let old_token = browser.token();
        browser.post("/logout", &[]).await.redirects_to("/login");
        browser.get("/login").await.ok();
        browser.post("/login", &[("login", "bithu"), ("password", "chuyende-demo")]).await.redirects_to("/");
        let fields = [("csrf_token", old_token.as_str()), ("full_name", "Văn bản gõ dở"), ("standing", "full"), ("role", "member")];
        let response = browser.post_raw(&path, &fields, &[]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        response.contains("Yêu cầu không hợp lệ").contains("Văn bản gõ dở").contains("chưa được lưu");
    }

    async fn session_id_changes_at_login_and_the_old_one_is_dead(app: TestApp) {
        let browser = app.browser();
        let before = session_cookie(&browser.get("/login").await).expect("a session before login");
        let login = browser.post("/login", &[("login", "bithu"), ("password", "chuyende-demo")]).await;
        let after = session_cookie(&login).expect("a new session cookie at login");
        assert_ne!(before, after);
        let stale = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let response = stale.get(format!("{}/", app.base)).header("cookie", &before).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = stale.get(format!("{}/", app.base)).header("cookie", &after).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        // The token seen before login was rotated with the session: a page load brings the new one.
        assert_eq!(browser.post("/logout", &[]).await.status, StatusCode::FORBIDDEN);
        browser.get("/").await.ok();
        // Logging out kills the session on the server, not just in this browser.
        browser.post("/logout", &[]).await.redirects_to("/login");
        let response = stale.get(format!("{}/", app.base)).header("cookie", &after).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    async fn cookies_are_http_only_and_same_site(app: TestApp) {
        let response = app.browser().get("/login").await;
        let cookie = response.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "not Secure unless configured: {cookie}");
    }

    async fn changing_ones_password(app: TestApp) {
        let browser = app.login("dangvien").await;
        browser.get("/account/password").await.ok();
        let wrong = browser
            .post("/account/password", &[("current", "khong-dung"), ("new", "mat-khau-moi"), ("confirm", "mat-khau-moi")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        wrong.contains("Mật khẩu hiện tại không đúng.");
        let short = browser
            .post("/account/password", &[("current", "chuyende-demo"), ("new", "ngan"), ("confirm", "ngan")])
            .await;
        short.contains("Mật khẩu cần ít nhất 8 ký tự.");
        let mismatch = browser
            .post("/account/password", &[("current", "chuyende-demo"), ("new", "mat-khau-moi"), ("confirm", "mat-khau-khac")])
            .await;
        mismatch.contains("Hai lần nhập mật khẩu mới không khớp.");
        browser
            .post("/account/password", &[("current", "chuyende-demo"), ("new", "mật khẩu mới"), ("confirm", "mật khẩu mới")])
            .await
            .redirects_to("/");
        browser.get("/").await.ok().contains("Đã đổi mật khẩu.");
        app.login_with("dangvien", "mật khẩu mới").await;
        let old = app.browser();
        old.get("/login").await;
        let refused = old.post("/login", &[("login", "dangvien"), ("password", "chuyende-demo")]).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_post_without_a_valid_csrf_proof_is_refused(app: TestApp) {
        let browser = app.login("bithu").await;
        let cell = app.demo.kindergarten.id;
        browser.get(&format!("/orgs/{cell}/members/new")).await.ok();
        let path = format!("/orgs/{cell}/members/new");
        let fields = [("full_name", "Kẻ Giả Mạo"), ("standing", "full"), ("role", "member")];

        let missing = browser.post_raw(&path, &fields, &[]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        missing.contains("Yêu cầu không hợp lệ");

        let wrong = [fields.as_slice(), &[("csrf_token", "sai")]].concat();
        assert_eq!(browser.post_raw(&path, &wrong, &[]).await.status, StatusCode::FORBIDDEN);

        let token = browser.token();
        let valid = [fields.as_slice(), &[("csrf_token", token.as_str())]].concat();
        let cross_site = browser.post_raw(&path, &valid, &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        let foreign_origin = browser.post_raw(&path, &valid, &[("origin", "https://evil.example")]).await;
        assert_eq!(foreign_origin.status, StatusCode::FORBIDDEN);

        let members = chuyende::db::members::list(&app.db, cell).await.unwrap();
        assert!(members.iter().all(|m| m.full_name != "Kẻ Giả Mạo"), "nothing stored by refused posts");

        let same_origin = browser
            .post_raw(&path, &valid, &[("sec-fetch-site", "same-origin"), ("origin", &app.base)])
            .await;
        same_origin.redirects_to(&format!("/orgs/{cell}"));

        // The login form is protected too.
        let anonymous = app.browser();
        let forged = anonymous.post_raw("/login", &[("login", "bithu"), ("password", "chuyende-demo")], &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    }

    async fn unknown_pages_and_bad_ids_get_vietnamese_pages(app: TestApp) {
        let browser = app.login("admin").await;
        let missing = browser.get("/orgs/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        missing.contains("Không tìm thấy trang");
        let malformed = browser.get("/orgs/abc").await;
        assert_eq!(malformed.status, StatusCode::NOT_FOUND);
        malformed.contains("Không tìm thấy trang");
        let nowhere = browser.get("/khong-co-trang-nay").await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        let health = app.browser().get("/healthz").await;
        assert_eq!(health.status, StatusCode::OK);
        assert!(health.headers.get("x-request-id").is_some(), "responses carry a request id");
    }
}

async fn sessions_end_after_their_maximum_age(backend: Backend) {
    let settings = Settings {
        session_max: Duration::ZERO,
        ..Settings::default()
    };
    let app = TestApp::start_with(backend, settings).await;
    let browser = app.login("bithu").await;
    let cell = app.demo.kindergarten.id;
    let path = format!("/orgs/{cell}/members/new");
    browser.get("/").await.ok();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // A form sent into the ended session gets its text back rather than a trip to the login page.
    let response = browser
        .post(
            &path,
            &[
                ("full_name", "Nội dung gõ rất lâu"),
                ("standing", "full"),
                ("role", "member"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    response
        .contains("Phiên đăng nhập đã hết hạn")
        .contains("Nội dung gõ rất lâu");
    browser.get("/").await.redirects_to("/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_after_their_maximum_age_sqlite() {
    sessions_end_after_their_maximum_age(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_after_their_maximum_age_postgres() {
    sessions_end_after_their_maximum_age(Backend::Postgres).await;
}

/// Runs the futures concurrently on the runtime's workers.
async fn join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

async fn failures_of(app: &TestApp, login: &str) -> i64 {
    let query = "SELECT COUNT(*) FROM login_failures WHERE login = $1";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query_scalar(query)
            .bind(login)
            .fetch_one(pool)
            .await
            .unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(query)
            .bind(login)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

/// Many failures from one address slow it down, but lock no one out: behind a proxy without
/// `--trust-proxy`, that address is everyone's.
async fn one_address_is_slowed_down_not_locked_out(backend: Backend) {
    let delay = Duration::from_millis(100);
    let settings = Settings {
        throttle: Throttle {
            per_address: 3,
            address_delay: delay,
            max_address_delay: delay * 4,
            ..Throttle::default()
        },
        ..Settings::default()
    };
    let app = TestApp::start_with(backend, settings).await;
    let browser = app.browser();
    browser.get("/login").await;
    for i in 0..6 {
        let login = format!("khongco{i}");
        let response = browser
            .post("/login", &[("login", &login), ("password", "doan-sai")])
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    // Another account's right password still signs in, only later.
    let started = std::time::Instant::now();
    browser
        .post(
            "/login",
            &[("login", "bithu"), ("password", "chuyende-demo")],
        )
        .await
        .redirects_to("/");
    assert!(
        started.elapsed() >= delay * 4,
        "waited {:?}",
        started.elapsed()
    );

    // The account's own lock still holds.
    let other = app.browser();
    other.get("/login").await;
    for _ in 0..5 {
        let response = other
            .post("/login", &[("login", "dangvien"), ("password", "doan-sai")])
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let locked = other
        .post(
            "/login",
            &[("login", "dangvien"), ("password", "chuyende-demo")],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_is_slowed_down_not_locked_out_sqlite() {
    one_address_is_slowed_down_not_locked_out(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_is_slowed_down_not_locked_out_postgres() {
    one_address_is_slowed_down_not_locked_out(Backend::Postgres).await;
}

/// What the idle timeout does: the store no longer has any session.
async fn forget_sessions(app: &TestApp) {
    match &app.db {
        Db::Sqlite(pool) => sqlx::query("DELETE FROM sessions")
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query("DELETE FROM sessions")
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

//! The first run in a browser: on a database without any account, the login page says so and
//! gives the command that creates the first administrator (there is no setup form to abuse).

use crate::both;
use crate::harness::{Backend, FreshDb, serve};
use chuyende::Settings;
use chuyende::domain::user::{Login, Password};

const COMMAND: &str = "chuyende user create --login admin --name";

async fn login_page(base: &str) -> String {
    let response = reqwest::get(format!("{base}/login")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.text().await.unwrap()
}

async fn first_run(backend: Backend) {
    let fresh = FreshDb::migrated(backend).await;
    let base = serve(&fresh.db, Settings::default()).await;
    let page = login_page(&base).await;
    assert!(page.contains("Chưa có tài khoản nào."), "{page}");
    assert!(page.contains(COMMAND), "{page}");
    // The home page sends the visitor to sign in, where the hint is.
    let home = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap();
    assert!(home.status().is_redirection());

    // Once the first administrator exists, the hint is gone.
    let hash = chuyende::password::hash(&Password::parse("mật khẩu đầu tiên").unwrap())
        .await
        .unwrap();
    let login = Login::parse("admin").unwrap();
    let new = chuyende::db::users::NewUser {
        login: &login,
        full_name: "Quản trị hệ thống",
        password_hash: &hash,
        is_admin: true,
    };
    chuyende::db::users::create(&fresh.db, &new, None)
        .await
        .unwrap();
    let page = login_page(&base).await;
    assert!(
        !page.contains("Chưa có tài khoản nào.") && !page.contains(COMMAND),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_says_how_to_create_the_first_administrator_sqlite() {
    first_run(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_database_says_how_to_create_the_first_administrator_postgres() {
    first_run(Backend::Postgres).await;
}

both! {
    async fn with_accounts_the_login_page_gives_no_setup_hint(app: TestApp) {
        app.browser().get("/login").await.ok().lacks("Chưa có tài khoản nào.").lacks(COMMAND);
    }
}

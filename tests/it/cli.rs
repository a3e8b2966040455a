//! The command line: creating an account with the password on standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::both;

fn chuyende(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chuyende"))
        .args(args)
        .env("CHUYENDE_DATABASE_URL", database_url)
        .env("CHUYENDE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

both! {
    async fn user_create_and_set_password_from_the_command_line(app: TestApp) {
        let url = app.database_url.clone();
        let created = tokio::task::spawn_blocking(move || {
            chuyende(&url, &["user", "create", "--login", "Tho.Ky", "--name", "Nguyễn Văn Thư", "--admin"], "mật khẩu dài\n")
        })
        .await
        .unwrap();
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
        assert!(String::from_utf8_lossy(&created.stdout).contains("Đã tạo tài khoản tho.ky."));
        app.login_with("tho.ky", "mật khẩu dài").await.get("/admin/users").await.ok().contains("Nguyễn Văn Thư");

        let url = app.database_url.clone();
        let duplicate = tokio::task::spawn_blocking(move || {
            chuyende(&url, &["user", "create", "--login", "tho.ky", "--name", "X"], "mat-khau-khac\n")
        })
        .await
        .unwrap();
        assert!(!duplicate.status.success());
        assert!(String::from_utf8_lossy(&duplicate.stderr).contains("đã có"));

        let url = app.database_url.clone();
        let reset = tokio::task::spawn_blocking(move || {
            chuyende(&url, &["user", "set-password", "--login", "tho.ky"], "mat-khau-moi-nhe\n")
        })
        .await
        .unwrap();
        assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
        app.login_with("tho.ky", "mat-khau-moi-nhe").await;
    }
}

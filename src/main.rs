//! The `chuyende` command: serve (default) · migrate · user … · demo.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use tracing_subscriber::EnvFilter;

use chuyende::config::{Cli, Command, LogFormat, ServeArgs, UserCommand};
use chuyende::db::{Db, backup, users};
use chuyende::domain::text::Line;
use chuyende::domain::user::{Login, Password};
use chuyende::{AppState, Settings, demo, password, web};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Lỗi: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(cli: &Cli) {
    let filter = EnvFilter::try_new(&cli.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Before anything opens the database: restoring needs its place empty, and a backup
    // copies the database as it is, without migrating it first.
    match &cli.command {
        Some(Command::Restore { file }) => return restore(&cli.database_url, file).await,
        Some(Command::Backup { file }) => {
            let db = connect(&cli.database_url).await?;
            let result = backup::backup(&db, &cli.database_url, file).await;
            db.close().await;
            result?;
            println!("Đã sao lưu vào {}.", file.display());
            return Ok(());
        }
        _ => {}
    }
    let db = connect(&cli.database_url).await?;
    db.migrate().await.context("không áp dụng được migration")?;
    let result = match cli.command {
        None => serve(&db, &cli.serve).await,
        Some(Command::Serve(args)) => serve(&db, &args).await,
        Some(Command::Migrate) => {
            println!("Cơ sở dữ liệu đã được cập nhật ({}).", db.backend());
            Ok(())
        }
        Some(Command::User(command)) => user(&db, command).await,
        Some(Command::Demo) => load_demo(&db).await,
        Some(Command::Backup { .. } | Command::Restore { .. }) => Ok(()),
    };
    db.close().await;
    result
}

async fn connect(database_url: &str) -> anyhow::Result<Db> {
    Db::connect(database_url)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {database_url}"))
}

async fn restore(database_url: &str, file: &std::path::Path) -> anyhow::Result<()> {
    backup::restore(file, database_url).await?;
    let db = connect(database_url).await?;
    let migrated = db.migrate().await.context("không áp dụng được migration");
    db.close().await;
    migrated?;
    println!(
        "Đã khôi phục {} vào {database_url}. Khởi động lại máy chủ.",
        file.display()
    );
    Ok(())
}

async fn serve(db: &Db, args: &ServeArgs) -> anyhow::Result<()> {
    if !users::any(db).await? {
        tracing::warn!(
            "Chưa có tài khoản nào. Tạo quản trị viên đầu tiên bằng lệnh: \
             chuyende user create --login admin --name \"Quản trị hệ thống\" --admin \
             (hoặc nạp dữ liệu mẫu: chuyende demo)"
        );
    }
    web::spawn_session_sweeper(db);
    let settings = Settings::from(args);
    chuyende::mail::spawn(db.clone(), settings.mail.clone())?;
    let state = AppState::new(db.clone(), settings);
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("không mở được cổng {}", args.bind))?;
    tracing::info!(
        backend = db.backend(),
        "listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(
        listener,
        web::app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Reads a password: prompted twice without echo on a terminal, else one line of stdin.
fn read_password() -> anyhow::Result<Password> {
    let text = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mật khẩu: ")?;
        let second = rpassword::prompt_password("Nhập lại mật khẩu: ")?;
        if first != second {
            bail!("hai lần nhập mật khẩu không khớp");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Password::parse(&text).map_err(|e| anyhow::anyhow!("{e}"))
}

async fn user(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create { login, name, admin } => {
            let login = Login::parse(&login).map_err(|e| anyhow::anyhow!("{e}"))?;
            let name = Line::parse(&name, 100).map_err(|e| anyhow::anyhow!("họ và tên: {e}"))?;
            let hash = password::hash(&read_password()?).await?;
            let new = users::NewUser {
                login: &login,
                full_name: name.as_str(),
                password_hash: &hash,
                is_admin: admin,
            };
            match users::create(db, &new, None).await {
                Ok(_) => println!("Đã tạo tài khoản {}.", login.as_str()),
                Err(users::CreateError::Taken) => bail!("tên đăng nhập {} đã có", login.as_str()),
                Err(users::CreateError::Sqlx(error)) => return Err(error.into()),
            }
        }
        UserCommand::SetPassword { login } => {
            let user = users::find_by_login(db, &login.to_lowercase())
                .await?
                .with_context(|| format!("không có tài khoản {login}"))?;
            let hash = password::hash(&read_password()?).await?;
            users::set_password_hash(db, user.id, &hash, None).await?;
            println!("Đã đặt mật khẩu mới cho {}.", user.login);
        }
    }
    Ok(())
}

async fn load_demo(db: &Db) -> anyhow::Result<()> {
    demo::load(db).await?;
    println!(
        "Dữ liệu mẫu đã sẵn sàng. Các tài khoản (mật khẩu: {}):",
        demo::PASSWORD
    );
    for account in &demo::ACCOUNTS {
        println!(
            "  {:<10} {} — {}",
            account.login, account.name, account.role
        );
    }
    Ok(())
}

//! PDF typesetting is bounded: a render over its time budget answers a Vietnamese "try later"
//! page, and renders beyond the cap wait their turn instead of failing.

use std::time::Duration;

use reqwest::StatusCode;

use crate::harness::{Backend, TestApp, kindergarten_2022};
use chuyende::Settings;

async fn a_pdf_over_its_time_budget_gets_a_page_saying_so(backend: Backend) {
    let settings = Settings {
        pdf_budget: Duration::ZERO,
        ..Settings::default()
    };
    let app = TestApp::start_with(backend, settings).await;
    let plan = kindergarten_2022(&app).await;
    let member = app.login("dangvien").await;
    let response = member.get(&format!("/plans/{plan}/document.pdf")).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    response
        .contains("Chưa dựng được tệp PDF")
        .contains("Tệp PDF đang quá tải hoặc quá lớn để dựng lúc này")
        .contains("tệp DOCX");
    assert_eq!(
        response.headers.get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    // The other formats do not wait for the typesetter.
    member
        .get(&format!("/plans/{plan}/document.docx"))
        .await
        .ok();
    member.get(&format!("/plans/{plan}/document")).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_over_its_time_budget_gets_a_page_saying_so_sqlite() {
    a_pdf_over_its_time_budget_gets_a_page_saying_so(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_over_its_time_budget_gets_a_page_saying_so_postgres() {
    a_pdf_over_its_time_budget_gets_a_page_saying_so(Backend::Postgres).await;
}

async fn pdfs_beyond_the_cap_wait_their_turn(backend: Backend) {
    let settings = Settings {
        pdf_renders: 1,
        pdf_budget: Duration::from_secs(300),
        ..Settings::default()
    };
    let app = TestApp::start_with(backend, settings).await;
    let plan = kindergarten_2022(&app).await;
    let member = app.login("dangvien").await;
    let path = format!("{}/plans/{plan}/document.pdf", app.base);
    let requests = (0..3).map(|_| {
        let (http, path) = (member.http.clone(), path.clone());
        tokio::spawn(async move {
            let response = http.get(path).send().await.unwrap();
            (response.status(), response.bytes().await.unwrap())
        })
    });
    for request in requests.collect::<Vec<_>>() {
        let (status, body) = request.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with(b"%PDF-"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdfs_beyond_the_cap_wait_their_turn_sqlite() {
    pdfs_beyond_the_cap_wait_their_turn(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdfs_beyond_the_cap_wait_their_turn_postgres() {
    pdfs_beyond_the_cap_wait_their_turn(Backend::Postgres).await;
}

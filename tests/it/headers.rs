//! The headers every response carries (Content-Security-Policy, caching, HSTS), and pages that
//! need nothing the policy forbids: no inline script, style or event handler anywhere.

use std::collections::{BTreeSet, VecDeque};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::both;
use crate::harness::{Backend, Browser, TestApp};
use chuyende::Settings;
use chuyende::db::plans;
use chuyende::domain::org::Year;

const CSP: &str = "default-src 'self'; base-uri 'none'; object-src 'none'; \
                   frame-ancestors 'none'; form-action 'self'";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

/// The headers of a response, whatever it is.
#[track_caller]
fn assert_protected(headers: &HeaderMap) {
    assert_eq!(header(headers, "content-security-policy"), CSP);
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(headers, "referrer-policy"), "same-origin");
    assert_eq!(header(headers, "x-frame-options"), "DENY");
}

async fn headers_of(browser: &Browser, path: &str) -> (StatusCode, HeaderMap) {
    let response = browser
        .http
        .get(format!("{}{path}", browser.base))
        .send()
        .await
        .unwrap();
    (response.status(), response.headers().clone())
}

both! {
    async fn every_kind_of_response_carries_the_security_headers(app: TestApp) {
        let plan = plans::find(&app.db, app.demo.kindergarten.id, Year::new(2022).unwrap())
            .await
            .unwrap()
            .unwrap();
        let anonymous = app.browser();
        let secretary = app.login("bithu").await;

        // A page, before and after signing in: personal data, never cached.
        for (browser, path) in [(&anonymous, "/login"), (&secretary, "/"), (&secretary, &*format!("/plans/{plan}"))] {
            let (status, headers) = headers_of(browser, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_protected(&headers);
            assert_eq!(header(&headers, "cache-control"), "no-store", "{path}");
            assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        }

        // An error page and a redirect.
        let (status, headers) = headers_of(&secretary, "/khong-co-trang-nay").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_protected(&headers);
        assert_eq!(header(&headers, "cache-control"), "no-store");
        let (status, headers) = headers_of(&anonymous, &format!("/plans/{plan}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_protected(&headers);

        // Static files: the same for everyone, so they keep their public caching.
        for path in ["/static/app.css", "/static/app.js", "/static/print.css", "/static/print.js"] {
            let (status, headers) = headers_of(&anonymous, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_protected(&headers);
            assert_eq!(header(&headers, "cache-control"), "public, max-age=3600", "{path}");
        }

        // Documents: downloads of personal data, kept by no cache.
        for path in [format!("/plans/{plan}/document"), format!("/plans/{plan}/document.docx")] {
            let (status, headers) = headers_of(&secretary, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_protected(&headers);
            assert!(header(&headers, "cache-control").contains("no-store"), "{path}");
        }
    }

    async fn no_page_has_inline_script_style_or_event_handlers(app: TestApp) {
        // Every page reachable by links from the home page of each kind of account, the print
        // view among them: what the Content-Security-Policy would block must not be there.
        let mut seen = BTreeSet::new();
        for login in ["admin", "bithu", "danguy", "dangvien"] {
            seen.extend(crawl(&app.login(login).await, 120).await);
        }
        seen.extend(crawl(&app.browser(), 5).await);
        assert!(seen.len() > 40, "the crawl reached only {seen:?}");
        assert!(seen.iter().any(|path| path.ends_with("/document")), "no print view in {seen:?}");
    }
}

/// Follows same-site links breadth-first from `/` (downloads left out: they are not HTML),
/// checks each page, and answers which pages it checked.
async fn crawl(browser: &Browser, limit: usize) -> BTreeSet<String> {
    let mut queue = VecDeque::from(["/".to_owned(), "/login".to_owned()]);
    let mut visited = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if visited.len() == limit {
            break;
        }
        if !visited.insert(path.clone()) {
            continue;
        }
        let response = browser.get(&path).await;
        if response.status != StatusCode::OK {
            continue;
        }
        assert_no_inline_code(&path, &response.body);
        for link in links(&response.body) {
            let download = [".docx", ".pdf", ".csv"]
                .iter()
                .any(|ext| link.ends_with(ext));
            if link.starts_with('/')
                && !link.starts_with("//")
                && !download
                && !visited.contains(&link)
            {
                queue.push_back(link);
            }
        }
    }
    visited
}

/// Every tag of the page (askama escapes `<` in text, so each `<` opens one).
fn tags(body: &str) -> impl Iterator<Item = &str> {
    body.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
}

fn links(body: &str) -> Vec<String> {
    tags(body)
        .filter(|tag| tag.starts_with("a "))
        .filter_map(|tag| {
            tag.split_once("href=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
        })
        .map(|(href, _)| href.replace("&amp;", "&").replace("&#38;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| !href.is_empty())
        .collect()
}

#[track_caller]
fn assert_no_inline_code(path: &str, body: &str) {
    for tag in tags(body) {
        let lower = tag.to_ascii_lowercase();
        let name = lower.split_whitespace().next().unwrap_or_default();
        assert_ne!(name, "style", "{path}: an inline stylesheet");
        if name == "script" {
            assert!(lower.contains(" src="), "{path}: an inline script <{tag}>");
        }
        // Attribute names: what follows a space and precedes `=`.
        for attribute in lower.split_whitespace().skip(1) {
            let attribute = attribute.split('=').next().unwrap_or_default();
            assert!(
                attribute != "style" && !attribute.starts_with("on"),
                "{path}: <{tag}> has an inline {attribute}"
            );
        }
        assert!(
            !lower.contains("javascript:"),
            "{path}: <{tag}> links to script"
        );
    }
}

async fn hsts_when_cookies_are_secure(backend: Backend) {
    let settings = Settings {
        secure_cookies: true,
        ..Settings::default()
    };
    let app = TestApp::start_with(backend, settings).await;
    for path in ["/login", "/khong-co-trang-nay", "/static/app.css"] {
        let (_, headers) = headers_of(&app.browser(), path).await;
        assert_eq!(
            header(&headers, "strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
        assert_protected(&headers);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_when_cookies_are_secure_sqlite() {
    hsts_when_cookies_are_secure(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_when_cookies_are_secure_postgres() {
    hsts_when_cookies_are_secure(Backend::Postgres).await;
}

//! The hostile-input sweep: every form the app shows, found by walking every GET route of the
//! router as the roles that may open it, posted with hostile values one field at a time, with
//! invalid percent-encoding and with duplicated fields. Nothing may answer 5xx or a bare 400;
//! a form that comes back shows what was typed; the documents still render afterwards.
//!
//! Routes come from `chuyende::web::route_paths()` and forms from the pages themselves, so a
//! new page or form is swept without editing this test.

use std::collections::BTreeSet;

use html5gum::{Token, Tokenizer};
use reqwest::StatusCode;

use crate::both;
use crate::harness::Browser;
use chuyende::domain::org::Year;

/// The values a hostile user types, each into every field in turn.
fn hostile_values() -> Vec<(&'static str, String)> {
    vec![
        ("long", "ê".repeat(100_001)),
        ("NUL", "Chi bộ\u{0}ẩn".into()),
        ("controls", "a\u{1}\u{7}\u{1b}[31mb\u{7f}\u{85}c".into()),
        ("RTL override", "\u{202E}fdp.exe".into()),
        (
            "HTML",
            "<script>alert(1)</script><b onmouseover=\"x\">'".into(),
        ),
        (
            "typst",
            "#panic(\"x\") $ x^2 $ *đậm* _nghiêng_ = Tiêu đề \\ #set page(width: 1pt) ] }".into(),
        ),
        ("NFD", "Nguye\u{302}\u{303}n Thi\u{323} Ly\u{301}".into()),
        ("huge number", "99999999999999999999999999999".into()),
        ("negative", "-1".into()),
        ("float", "1e309".into()),
        ("non-characters", "a\u{FFFE}\u{FFFF}\u{FDD0}b".into()),
        ("newlines", "dòng 1\r\ndòng 2\rdòng 3".into()),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Typed by the user: must come back as typed when the form is refused.
    Text,
    /// Never echoed (passwords), chosen from a list, hidden or ticked.
    Other,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    value: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
struct Form {
    /// The page the form was found on.
    page: String,
    action: String,
    multipart: bool,
    fields: Vec<Field>,
}

fn attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes
        .get(name.as_bytes())
        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
}

/// The POST forms of a page with the values a browser would send as drawn.
fn forms_in(page: &str, html: &str) -> Vec<Form> {
    let mut forms = Vec::new();
    let mut form: Option<Form> = None;
    let mut textarea: Option<(String, String)> = None;
    // A select's name, its first option and its selected option.
    let mut select: Option<(String, Option<String>, Option<String>)> = None;
    let mut radios = BTreeSet::new();
    // Whether the form's first submit button, the one a browser presses on Enter, was seen:
    // the others (such as "Thêm dòng") are not sent.
    let mut pressed = false;
    for Ok(token) in Tokenizer::new(html) {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                match name.as_str() {
                    "form" => {
                        let post =
                            attr(&tag, "method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
                        form = post.then(|| Form {
                            page: page.to_owned(),
                            action: attr(&tag, "action").unwrap_or_else(|| page.to_owned()),
                            multipart: attr(&tag, "enctype")
                                .is_some_and(|e| e.contains("multipart")),
                            fields: Vec::new(),
                        });
                        radios.clear();
                        pressed = false;
                    }
                    "input" | "button" => {
                        let submits = match attr(&tag, "type").map(|t| t.to_ascii_lowercase()) {
                            None => name == "button",
                            Some(kind) => kind == "submit",
                        };
                        if submits && std::mem::replace(&mut pressed, true) {
                            continue;
                        }
                        let (Some(form), Some(field)) = (form.as_mut(), attr(&tag, "name")) else {
                            continue;
                        };
                        let kind = attr(&tag, "type")
                            .unwrap_or_else(|| "text".into())
                            .to_ascii_lowercase();
                        let value = attr(&tag, "value").unwrap_or_default();
                        let checked = attr(&tag, "checked").is_some();
                        // A row's order box says where the row goes: the form comes back with
                        // the rows in that order, renumbered, not with the number typed.
                        let is_order =
                            attr(&tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "order"));
                        let field_kind = match kind.as_str() {
                            "text" | "search" | "email" | "tel" | "number" | "url" if !is_order => {
                                Kind::Text
                            }
                            _ => Kind::Other,
                        };
                        let sent = match kind.as_str() {
                            "checkbox" => checked,
                            "radio" => radios.insert(field.clone()) || checked,
                            "submit" | "button" => !form.fields.iter().any(|f| f.name == field),
                            "file" => false,
                            _ => true,
                        };
                        if kind == "radio" && checked {
                            form.fields.retain(|f| f.name != field);
                        }
                        if sent {
                            form.fields.push(Field {
                                name: field,
                                value,
                                kind: field_kind,
                            });
                        }
                    }
                    "textarea" => {
                        if let Some(field) = attr(&tag, "name") {
                            textarea = Some((field, String::new()));
                        }
                    }
                    "select" => {
                        if let Some(field) = attr(&tag, "name") {
                            select = Some((field, None, None));
                        }
                    }
                    "option" => {
                        if let Some((_, first, selected)) = select.as_mut() {
                            let value = attr(&tag, "value").unwrap_or_default();
                            if attr(&tag, "selected").is_some() {
                                *selected = Some(value.clone());
                            }
                            first.get_or_insert(value);
                        }
                    }
                    _ => {}
                }
            }
            Token::String(text) => {
                if let Some((_, content)) = textarea.as_mut() {
                    content.push_str(&String::from_utf8_lossy(&text));
                }
            }
            Token::EndTag(tag) => match tag.name.as_slice() {
                b"form" => forms.extend(form.take()),
                b"textarea" => {
                    if let (Some(form), Some((name, content))) = (form.as_mut(), textarea.take()) {
                        // The parser drops one newline right after <textarea>.
                        let value = content.strip_prefix('\n').unwrap_or(&content).to_owned();
                        form.fields.push(Field {
                            name,
                            value,
                            kind: Kind::Text,
                        });
                    }
                }
                b"select" => {
                    if let (Some(form), Some((name, first, selected))) =
                        (form.as_mut(), select.take())
                    {
                        let value = selected.or(first).unwrap_or_default();
                        form.fields.push(Field {
                            name,
                            value,
                            kind: Kind::Other,
                        });
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    forms
}

/// A route with its parameters filled in from the demo data, or `None` for the routes that are
/// not pages (documents and files are fetched at the end). The page checks use it too.
pub(crate) fn resolve(route: &str, ids: &Ids) -> Option<String> {
    if [".docx", ".pdf", ".csv", ".css", ".js"]
        .iter()
        .any(|end| route.ends_with(end))
        || route == "/healthz"
        // A feed's secret address: nothing to post, and a made-up one is a 404 (tests/it/calendar.rs).
        || route == "/calendar/{feed}"
    {
        return None;
    }
    let segments: Vec<&str> = route.split('/').collect();
    let mut path = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let value = match *segment {
            "{id}" => match segments[i - 1] {
                "plans" => ids.plan.to_string(),
                "orgs" => ids.cell.to_string(),
                "members" => ids.member.to_string(),
                "topics" => ids.topic.to_string(),
                "steps" => ids.step.to_string(),
                "users" => ids.user.to_string(),
                "revisions" => ids.revision.to_string(),
                "notifications" => ids.notification.to_string(),
                "sessions" => ids.session.to_string(),
                "papers" => ids.paper.to_string(),
                "paper-comments" => ids.comment.to_string(),
                "model-plans" => ids.model_plan.to_string(),
                "model-sessions" => ids.model_session.to_string(),
                other => panic!("teach the sweep the {{id}} after /{other}/ in {route}"),
            },
            "{section}" => "purposes".to_owned(),
            "{part}" => "times".to_owned(),
            "{org}" => ids.committee.to_string(),
            // A correction exists only once minutes are closed (tests/it/minutes_after.rs).
            "{cid}" => return None,
            other if other.starts_with('{') => {
                panic!("teach the sweep the parameter {other} of {route}")
            }
            other => other.to_owned(),
        };
        path.push(value);
    }
    Some(path.join("/"))
}

pub(crate) struct Ids {
    pub plan: String,
    pub cell: String,
    pub committee: String,
    pub member: String,
    pub topic: String,
    pub step: String,
    pub user: String,
    pub revision: String,
    pub notification: String,
    pub session: String,
    pub paper: String,
    pub comment: String,
    pub model_plan: String,
    pub model_session: String,
}

/// The form as its page draws it now (current version, current values), if it is still there.
async fn fresh(browser: &Browser, found: &Form) -> Option<Form> {
    let page = browser.get(&found.page).await;
    let action = found.action.split('?').next().unwrap_or_default();
    forms_in(&found.page, &page.body)
        .into_iter()
        .find(|f| f.action.split('?').next() == Some(action))
}

/// Posts raw `application/x-www-form-urlencoded` bytes with the browser's CSRF token first.
async fn post_encoded(browser: &Browser, action: &str, body: String) -> (StatusCode, String) {
    let body = format!("csrf_token={}&{body}", browser.token());
    let response = browser
        .http
        .post(format!("{}{action}", browser.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

both! {
    async fn every_form_survives_hostile_input(app: TestApp) {
        use chuyende::db;
        let demo = &app.demo;
        let plan = db::plans::find(&app.db, demo.kindergarten.id, Year::new(2022).unwrap()).await.unwrap().unwrap();
        let stored = db::plans::get(&app.db, plan).await.unwrap().unwrap();
        let user = db::users::find_by_login(&app.db, "dangvien").await.unwrap().unwrap().id;
        // The demo's papers: the latest version of its session's topic is open to comments.
        let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
        let current = db::plans::find(&app.db, demo.kindergarten.id, this_year).await.unwrap().unwrap();
        let paper_topic = db::sessions::open_of_plan(&app.db, current).await.unwrap()[0].topic_id;
        let paper = db::papers::of_topic(&app.db, paper_topic).await.unwrap().pop().unwrap().id;
        let comment = db::papers::comments(&app.db, paper).await.unwrap()[0].id;
        let (model_plan, model_session) = crate::harness::model_plan_draft(&app).await;
        let ids = Ids {
            plan: plan.to_string(),
            cell: demo.kindergarten.id.to_string(),
            committee: demo.commune.id.to_string(),
            member: app.member_id(demo.kindergarten.id, "Nguyễn Thị Ly").await.to_string(),
            topic: stored.topics[0].id.to_string(),
            step: stored.topics[0].steps[0].id.to_string(),
            user: user.to_string(),
            // Pages of things that do not exist answer 404 and show no form; that is enough.
            revision: "999999".into(),
            notification: "999999".into(),
            // The demo's scheduled session of this year: its minutes' page has every record form.
            session: {
                let this_year = Year::new(chrono::Datelike::year(&chrono::Local::now().date_naive())).unwrap();
                let plan_now = db::plans::find(&app.db, demo.kindergarten.id, this_year).await.unwrap().unwrap();
                chuyende::app::sessions::open_of_plan(&app.db, plan_now).await.unwrap()[0].id.to_string()
            },
            paper: paper.to_string(),
            comment: comment.to_string(),
            model_plan: model_plan.to_string(),
            model_session: model_session.to_string(),
        };

        // Every form, as first seen by the roles that may open its page.
        let roles = [("bithu", app.login("bithu").await), ("danguy", app.login("danguy").await), ("admin", app.login("admin").await)];
        let mut forms: Vec<(usize, Form)> = Vec::new();
        let mut seen = BTreeSet::new();
        for route in chuyende::web::route_paths() {
            let Some(path) = resolve(route, &ids) else { continue };
            for (i, (_, browser)) in roles.iter().enumerate() {
                let page = browser.get(&path).await;
                assert!(!page.status.is_server_error(), "GET {path}: {}", page.status);
                if page.status != StatusCode::OK {
                    continue;
                }
                for form in forms_in(&path, &page.body) {
                    // Signing out would end the sweep; it has no input anyway.
                    if form.action.starts_with("/logout") {
                        continue;
                    }
                    let key = (form.action.split('?').next().unwrap_or_default().to_owned(),
                        form.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
                    if seen.insert(key) {
                        forms.push((i, form));
                    }
                }
            }
        }
        assert!(forms.len() >= 15, "the sweep found only {} forms", forms.len());

        let values = hostile_values();
        let mut failures = Vec::new();
        for (role, found) in &forms {
            let (login, browser) = &roles[*role];
            if found.multipart {
                browser.get(&found.page).await;
                for (label, value) in &values {
                    let response = browser.upload(&found.action, "file", "dang-vien.csv", value.clone().into_bytes()).await;
                    if response.status.is_server_error() || response.status == StatusCode::BAD_REQUEST {
                        failures.push(format!("{login} upload {label} to {}: {}", found.action, response.status));
                    }
                }
                continue;
            }
            // The rows of a table form are handled alike: the first row stands for them all.
            let swept: Vec<&Field> = found.fields.iter()
                .filter(|f| f.name != "csrf_token")
                .filter(|f| match f.name.rsplit_once('_') {
                    Some((stem, row)) if row.parse::<usize>().is_ok_and(|n| n > 0) =>
                        !found.fields.iter().any(|g| g.name == format!("{stem}_0")),
                    _ => true,
                })
                .collect();
            for field in &swept {
                for (label, value) in &values {
                    // As a person would: open the form, type into one field, send it.
                    let Some(form) = fresh(browser, found).await else { continue };
                    let mut sent: Vec<(&str, &str)> = form.fields.iter()
                        .filter(|f| f.name != "csrf_token")
                        .map(|f| (f.name.as_str(), f.value.as_str()))
                        .collect();
                    for pair in sent.iter_mut().filter(|(name, _)| *name == field.name) {
                        pair.1 = value;
                    }
                    let (status, body) = post_encoded(browser, &form.action, encode(&sent)).await;
                    if status.is_server_error() || status == StatusCode::BAD_REQUEST {
                        failures.push(format!("{login} {} field {} = {label}: {status}", form.action, field.name));
                        continue;
                    }
                    if status == StatusCode::UNPROCESSABLE_ENTITY && field.kind == Kind::Text {
                        let expected = chuyende::domain::text::canonical(value);
                        let returned = forms_in(&form.action, &body);
                        let shown = returned.iter().flat_map(|f| &f.fields).find(|f| f.name == field.name);
                        if shown.is_none_or(|f| f.value != expected) {
                            failures.push(format!("{login} {} field {} = {label}: the form came back without the typed text", form.action, field.name));
                        }
                    }
                }
            }
            // Duplicated fields, and bytes that are not valid percent-encoding.
            let Some(form) = fresh(browser, found).await else { continue };
            let editable: Vec<&Field> = form.fields.iter().filter(|f| f.name != "csrf_token").collect();
            let mut doubled: Vec<(&str, &str)> = Vec::new();
            for field in &editable {
                doubled.push((field.name.as_str(), field.value.as_str()));
                doubled.push((field.name.as_str(), "<b>lần hai</b>"));
            }
            let broken = editable.iter().map(|f| format!("{}=%ZZ%E1%BB%", percent(&f.name))).collect::<Vec<_>>().join("&");
            for (label, body) in [("duplicated fields", encode(&doubled)), ("invalid percent-encoding", broken)] {
                let (status, _) = post_encoded(browser, &form.action, body).await;
                if status.is_server_error() || status == StatusCode::BAD_REQUEST {
                    failures.push(format!("{login} {} with {label}: {status}", form.action));
                }
            }
        }
        assert!(failures.is_empty(), "{} hostile posts failed:\n{}", failures.len(), failures.join("\n"));

        // Whatever was stored, the plan's documents still render.
        let admin = &roles[2].1;
        for plan in db::plans::list_for_org(&app.db, demo.kindergarten.id).await.unwrap() {
            for document in ["document", "document.docx", "document.pdf"] {
                let response = admin.get(&format!("/plans/{}/{document}", plan.id)).await;
                assert_eq!(response.status, StatusCode::OK, "/plans/{}/{document}", plan.id);
            }
        }
    }
}

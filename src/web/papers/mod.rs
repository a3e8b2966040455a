//! The papers of a topic: the list of its versions with the form that adds one (text, a file,
//! or both), and the download of an uploaded file. One version's page, with its circulation
//! and the members' comments, is in [`paper`].

mod paper;

use askama::Template;
use axum::extract::{Extension, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::attachment::{ascii_slug, attachment};
use super::csrf::Oversized;
use crate::AppState;
use crate::app;
use crate::app::papers::{Paper, Target};
use crate::app::sessions::Entry;
use crate::domain::access::PaperRights;
use crate::domain::org::Org;
use crate::domain::paper::{Lead, PaperDraft, PaperId, Stage, Upload, parse_body, too_large};
use crate::domain::plan::{Plan, Topic, TopicId};
use crate::domain::session::Session;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::Path;
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::{plan_page, readable_topic};

/// The largest request the paper form may send: the largest file and its text fields.
pub const UPLOAD_LIMIT: usize = crate::domain::paper::FILE_MAX + 512 * 1024;
/// The largest comment or answer form: a million characters of Vietnamese pasted in, percent-
/// encoded (up to 9 bytes a character), still arrives whole, so that it comes back beside its
/// field with "too long" instead of being cut.
pub const PROSE_LIMIT: usize = 10 * 1024 * 1024;
/// The routes of this area that take more than the ordinary body, with their limits.
pub const LARGE_BODIES: [(&str, usize); 3] = [
    ("/topics/{id}/papers", UPLOAD_LIMIT),
    ("/papers/{id}/comments", PROSE_LIMIT),
    ("/paper-comments/{id}/answer", PROSE_LIMIT),
];

pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/topics/{id}/papers",
            get(list)
                .post(add)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/papers/{id}/file", get(download))
        .merge(paper::routes())
}

/// What a papers page is about: a topic of a cell's plan, and what the actor may do with it.
struct Scope {
    plan: Plan,
    cell: Org,
    topic: Topic,
    rights: PaperRights,
}

impl Scope {
    fn target(&self) -> Target<'_> {
        Target::of(&self.plan, &self.cell, &self.topic)
    }
}

/// The topic, if the actor may read its papers at all (404 otherwise: nobody else learns the
/// papers exist).
async fn topic_scope(state: &AppState, auth: &Auth, id: TopicId) -> Result<Scope, AppError> {
    let (plan, cell, topic) = readable_topic(state, auth, id).await?;
    let rights = auth.actor.paper_rights(&cell, &topic);
    if !rights.reads() {
        return Err(AppError::NotFound);
    }
    Ok(Scope {
        plan,
        cell,
        topic,
        rights,
    })
}

/// A paper the actor may see, with its topic's scope.
async fn paper_scope(
    state: &AppState,
    auth: &Auth,
    id: PaperId,
) -> Result<(Scope, Paper), AppError> {
    let paper = app::papers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = topic_scope(state, auth, paper.topic_id).await?;
    if !scope.rights.sees(&paper) {
        return Err(AppError::NotFound);
    }
    Ok((scope, paper))
}

/// The topic's open session, if it has one scheduled.
async fn open_session(state: &AppState, topic: TopicId) -> Result<Option<Session>, AppError> {
    Ok(app::sessions::of_topic(&state.db, topic)
        .await?
        .into_iter()
        .find(|s| !s.is_cancelled()))
}

#[derive(Template)]
#[template(path = "papers/list.html")]
struct ListPage {
    page: Page,
    plan: Plan,
    topic: Topic,
    session: Option<Session>,
    /// The versions the actor may see, newest first.
    papers: Vec<Paper>,
    rights: PaperRights,
    stage: String,
    body: String,
    errors: FieldErrors,
    history: Vec<Entry>,
}

impl ListPage {
    fn lead(&self, paper: &Paper) -> Option<Lead> {
        paper.lead(self.session.as_ref())
    }

    fn stages(&self) -> [Stage; 3] {
        Stage::ALL
    }
}

async fn list_page(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    stage: Option<String>,
    body: String,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let mut papers: Vec<Paper> = app::papers::of_topic(&state.db, scope.topic.id)
        .await?
        .into_iter()
        .filter(|p| scope.rights.sees(p))
        .collect();
    let stage = stage.unwrap_or_else(|| {
        Stage::after(papers.last().map(|p| p.stage))
            .as_str()
            .to_owned()
    });
    papers.reverse();
    let history = if scope.rights.writes() {
        app::papers::history(&state.db, scope.topic.id).await?
    } else {
        Vec::new()
    };
    let title = format!("Tài liệu chuyên đề: {}", scope.topic.title);
    Ok(ListPage {
        page: plan_page(state, auth, &scope.cell, &scope.plan, &title).await?,
        session: open_session(state, scope.topic.id).await?,
        papers,
        rights: scope.rights,
        stage,
        body,
        errors,
        history,
        plan: scope.plan,
        topic: scope.topic,
    })
}

pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
) -> Result<Response, AppError> {
    let scope = topic_scope(&state, &auth, id).await?;
    render(
        &list_page(
            &state,
            &auth,
            scope,
            None,
            String::new(),
            FieldErrors::default(),
        )
        .await?,
    )
}

/// The form as sent: its text fields in order, and the file if one was chosen. The file comes
/// last in the form, so when it is too large the text typed before it still arrives whole.
struct Sent {
    stage: String,
    body: String,
    file: Option<(String, Result<Vec<u8>, ()>)>,
}

async fn read_form(mut multipart: Multipart) -> Sent {
    let mut sent = Sent {
        stage: String::new(),
        body: String::new(),
        file: None,
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            // A body cut off at the limit: what arrived whole is kept.
            Ok(None) | Err(_) => break,
        };
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let bytes = field.bytes().await.map(|b| b.to_vec()).map_err(|_| ());
            // A file input left empty still sends a part, with no name and no content.
            let chosen = !file_name.is_empty() || bytes.as_ref().map_or(true, |b| !b.is_empty());
            if name == "file" && chosen && sent.file.is_none() {
                sent.file = Some((file_name, bytes));
            }
            continue;
        }
        let Ok(text) = field.text().await else { break };
        let text = crate::domain::text::clean(&text).into_owned();
        match name.as_str() {
            "stage" if sent.stage.is_empty() => sent.stage = text,
            "body" if sent.body.is_empty() => sent.body = text,
            _ => {}
        }
    }
    sent
}

/// Adds a version: the presenter, or the cell's secretary or deputy.
pub async fn add(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<TopicId>,
    oversized: Option<Extension<Oversized>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let scope = topic_scope(&state, &auth, id).await?;
    auth.require(scope.rights.writes())?;
    let sent = match multipart {
        Ok(multipart) => read_form(multipart).await,
        Err(_) => Sent {
            stage: String::new(),
            body: String::new(),
            file: None,
        },
    };
    let mut errors = FieldErrors::default();
    let stage = errors.check("stage", Stage::parse(&sent.stage));
    let body = match parse_body(&sent.body) {
        Ok(body) => Some(body),
        Err(message) => {
            errors.add("body", message);
            None
        }
    };
    let upload = match sent.file {
        _ if oversized.is_some() => {
            errors.add("file", too_large().0.to_owned());
            None
        }
        None => Some(None),
        Some((_, Err(()))) => {
            errors.add("file", too_large().0.to_owned());
            None
        }
        Some((name, Ok(bytes))) => errors.check("file", Upload::read(&name, bytes)).map(Some),
    };
    if let (Some(body), Some(None)) = (&body, &upload)
        && body.is_empty()
    {
        errors.add(
            "body",
            "Vui lòng viết nội dung dự thảo hoặc chọn tệp để tải lên.".to_owned(),
        );
    }
    match (stage, body, upload) {
        (Some(stage), Some(body), Some(upload)) if errors.is_empty() => {
            let draft = PaperDraft {
                stage,
                body,
                upload,
            };
            let paper =
                app::papers::add(state.ctx(), auth.user_id(), scope.target(), &draft).await?;
            auth.flash(&format!(
                "Đã lưu {} chuyên đề. Bản này chỉ người soạn và bí thư chi bộ xem được cho đến khi được thông qua, gửi đảng viên.",
                draft.stage.label().to_lowercase()
            ))
            .await?;
            Ok(Redirect::to(&format!("/papers/{paper}")).into_response())
        }
        _ => rejected(&list_page(&state, &auth, scope, Some(sent.stage), sent.body, errors).await?),
    }
}

/// The uploaded file of a version the actor may see, as an attachment under its safe name.
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PaperId>,
) -> Result<Response, AppError> {
    let (_, paper) = paper_scope(&state, &auth, id).await?;
    let (file, content) = app::papers::file(&state.db, paper.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let extension = file.kind.as_str();
    let slug = ascii_slug(file.name.trim_end_matches(&format!(".{extension}")));
    let stem = if slug.is_empty() { "du-thao" } else { &slug };
    let fallback = format!("{stem}.{extension}");
    Ok(attachment(content, file.kind.mime(), &file.name, &fallback))
}

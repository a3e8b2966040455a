//! One version of a topic's paper: its text, paragraph by paragraph, and its file; the
//! secretary's "Thông qua dự thảo, gửi đảng viên"; the members' comments, whole or on one
//! paragraph; the presenter's answers; the close of the comments.

use askama::Template;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Scope, open_session, paper_scope};
use crate::AppState;
use crate::app;
use crate::app::papers::{Circulated, Paper};
use crate::domain::access::PaperRights;
use crate::domain::paper::{
    Answer, COMMENT_MAX, Comment, CommentDraft, CommentId, Lead, PaperId, Verdict, parse_comment,
    parse_paragraph,
};
use crate::domain::plan::{Plan, Topic};
use crate::domain::session::Session;
use crate::domain::user::UserId;
use crate::web::AppError;
use crate::web::auth::Auth;
use crate::web::extract::{Fields, Path, Query};
use crate::web::form::{FieldErrors, rejected, render};
use crate::web::page::Page;
use crate::web::routes::Routes;
use crate::web::scope::plan_page;

pub fn routes() -> Routes {
    Routes::new()
        .route("/papers/{id}", get(show))
        .route("/papers/{id}/circulate", post(circulate))
        .route(
            "/papers/{id}/comments",
            post(comment).layer(DefaultBodyLimit::max(super::PROSE_LIMIT)),
        )
        .route("/papers/{id}/close", post(close))
        .route(
            "/paper-comments/{id}/answer",
            post(answer).layer(DefaultBodyLimit::max(super::PROSE_LIMIT)),
        )
}

/// The answer form of one comment, as typed.
#[derive(Debug, Clone)]
struct AnswerInput {
    comment: CommentId,
    verdict: String,
    reply: String,
}

#[derive(Template)]
#[template(path = "papers/show.html")]
struct PaperPage {
    page: Page,
    plan: Plan,
    topic: Topic,
    paper: Paper,
    session: Option<Session>,
    comments: Vec<Comment>,
    rights: PaperRights,
    me: Option<UserId>,
    /// The comment form as typed: the paragraph ("" for the whole paper) and the text.
    paragraph: String,
    body: String,
    /// The answer form that came back refused, if one did.
    answering: Option<AnswerInput>,
    errors: FieldErrors,
    refused: Option<String>,
}

impl PaperPage {
    fn paragraphs(&self) -> Vec<&str> {
        self.paper.paragraphs()
    }

    fn lead(&self) -> Option<Lead> {
        self.paper.lead(self.session.as_ref())
    }

    /// How many comments are about paragraph `n` (from 1).
    fn count_on(&self, n: &usize) -> usize {
        self.comments
            .iter()
            .filter(|c| c.paragraph.is_some_and(|p| p as usize == *n))
            .count()
    }

    fn answered(&self) -> usize {
        self.comments.iter().filter(|c| c.answer.is_some()).count()
    }

    fn is_mine(&self, comment: &Comment) -> bool {
        self.me.is_some() && comment.created_by == self.me
    }

    /// The answer form of `comment`: as typed when it came back refused, else as stored.
    fn answer_of(&self, comment: &Comment) -> AnswerInput {
        match &self.answering {
            Some(typed) if typed.comment == comment.id => typed.clone(),
            _ => match &comment.answer {
                Some((answer, _)) => AnswerInput {
                    comment: comment.id,
                    verdict: answer.verdict.as_str().to_owned(),
                    reply: answer.reply.clone(),
                },
                None => AnswerInput {
                    comment: comment.id,
                    verdict: String::new(),
                    reply: String::new(),
                },
            },
        }
    }

    /// The message of the answer form of `comment`, for `field`.
    fn answer_error(&self, comment: &Comment, field: &str) -> Option<&str> {
        self.answering
            .as_ref()
            .filter(|a| a.comment == comment.id)
            .and_then(|_| self.errors.get(field))
    }
}

/// The page, with the forms as given.
struct Forms {
    paragraph: String,
    body: String,
    answering: Option<AnswerInput>,
    errors: FieldErrors,
    refused: Option<String>,
}

impl Forms {
    fn fresh(paragraph: String) -> Self {
        Self {
            paragraph,
            body: String::new(),
            answering: None,
            errors: FieldErrors::default(),
            refused: None,
        }
    }

    fn refused(message: String) -> Self {
        Self {
            refused: Some(message),
            ..Self::fresh(String::new())
        }
    }
}

async fn page(
    state: &AppState,
    auth: &Auth,
    scope: Scope,
    paper: Paper,
    forms: Forms,
) -> Result<PaperPage, AppError> {
    let title = format!("{}: {}", paper.title(), scope.topic.title);
    Ok(PaperPage {
        page: plan_page(state, auth, &scope.cell, &scope.plan, &title).await?,
        session: open_session(state, scope.topic.id).await?,
        comments: app::papers::comments(&state.db, paper.id).await?,
        rights: scope.rights,
        me: auth.user_id(),
        paragraph: forms.paragraph,
        body: forms.body,
        answering: forms.answering,
        errors: forms.errors,
        refused: forms.refused,
        plan: scope.plan,
        topic: scope.topic,
        paper,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// The paragraph the comment form starts on ("Góp ý đoạn này").
    #[serde(default)]
    paragraph: String,
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PaperId>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (scope, paper) = paper_scope(&state, &auth, id).await?;
    let count = paper.paragraphs().len();
    let paragraph = match parse_paragraph(&query.paragraph, count) {
        Ok(Some(n)) => n.to_string(),
        _ => String::new(),
    };
    render(&page(&state, &auth, scope, paper, Forms::fresh(paragraph)).await?)
}

/// "Thông qua dự thảo, gửi đảng viên": the cell's secretary or deputy.
pub async fn circulate(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PaperId>,
) -> Result<Response, AppError> {
    let (scope, paper) = paper_scope(&state, &auth, id).await?;
    auth.require(scope.rights.circulates())?;
    let today = chrono::Local::now().date_naive();
    match app::papers::circulate(state.ctx(), auth.user_id(), scope.target(), id, today).await? {
        Circulated::Done(lead) => {
            let mut message = format!(
                "Đã thông qua {}, gửi đến các đảng viên trong chi bộ.",
                paper.stage.label().to_lowercase()
            );
            if let Some(lead) = lead.filter(|l| l.is_warning()) {
                message = format!("{message} Lưu ý: {}", lead.message());
            }
            auth.flash(&message).await?;
            Ok(Redirect::to(&format!("/papers/{id}")).into_response())
        }
        Circulated::Refused(refusal) => {
            let forms = Forms::refused(refusal.message());
            let paper = app::papers::get(&state.db, id).await?.unwrap_or(paper);
            rejected(&page(&state, &auth, scope, paper, forms).await?)
        }
        Circulated::Gone => Err(AppError::NotFound),
    }
}

/// A member's comment on the whole paper or on one paragraph.
pub async fn comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PaperId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let (scope, paper) = paper_scope(&state, &auth, id).await?;
    auth.require(scope.rights.comments())?;
    let typed_paragraph = fields.get("paragraph").to_owned();
    let typed_body = fields.get("body").to_owned();
    let mut errors = FieldErrors::default();
    let paragraph = errors.check(
        "paragraph",
        parse_paragraph(&typed_paragraph, paper.paragraphs().len()),
    );
    let body = errors.text("body", &typed_body, COMMENT_MAX, parse_comment);
    let refused = (!paper.is_open()).then(closed_message);
    if let (Some(paragraph), Some(body), None) = (paragraph, body, &refused) {
        let draft = CommentDraft { paragraph, body };
        let target = scope.target();
        if app::papers::add_comment(state.ctx(), auth.user_id(), target, &paper, &draft)
            .await?
            .is_some()
        {
            auth.flash("Đã gửi ý kiến. Người trình bày chuyên đề sẽ xem xét, tiếp thu.")
                .await?;
            return Ok(Redirect::to(&format!("/papers/{id}#comments")).into_response());
        }
    }
    let paper = app::papers::get(&state.db, id).await?.unwrap_or(paper);
    let refused = refused.or_else(|| (!paper.is_open()).then(closed_message));
    let forms = Forms {
        paragraph: typed_paragraph,
        body: typed_body,
        answering: None,
        errors,
        refused,
    };
    rejected(&page(&state, &auth, scope, paper, forms).await?)
}

fn closed_message() -> String {
    "Việc lấy ý kiến về bản dự thảo này đã kết thúc (hoặc bản này chưa được gửi đảng viên); ý kiến chưa được gửi. Nội dung đồng chí đã nhập vẫn còn bên dưới."
        .to_owned()
}

/// The presenter's answer to a comment: taken in or not, with a reply.
pub async fn answer(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<CommentId>,
    fields: Fields,
) -> Result<Response, AppError> {
    let comment = app::papers::comment(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (scope, paper) = paper_scope(&state, &auth, comment.paper_id).await?;
    auth.require(scope.rights.answers())?;
    let typed = AnswerInput {
        comment: id,
        verdict: fields.get("verdict").to_owned(),
        reply: fields.get("reply").to_owned(),
    };
    let mut errors = FieldErrors::default();
    let verdict = errors.check("verdict", Verdict::parse(&typed.verdict));
    let reply = errors.free("reply", &typed.reply, COMMENT_MAX);
    if verdict == Some(Verdict::Rejected) && reply.as_deref().is_some_and(str::is_empty) {
        errors.add(
            "reply",
            "Khi không tiếp thu, vui lòng ghi lý do để đồng chí góp ý được biết.",
        );
    }
    let version: i64 = fields.get("version").parse().unwrap_or(-1);
    let mut refused = None;
    if let (Some(verdict), Some(reply)) = (verdict, reply)
        && errors.is_empty()
    {
        let answer = Answer { verdict, reply };
        let target = scope.target();
        if app::papers::answer(
            state.ctx(),
            auth.user_id(),
            target,
            &comment,
            version,
            &answer,
        )
        .await?
        {
            auth.flash(&format!(
                "Đã ghi “{}” ý kiến của đồng chí {}.",
                verdict.label(),
                comment.created.by
            ))
            .await?;
            return Ok(Redirect::to(&format!("/papers/{}#comment-{id}", paper.id)).into_response());
        }
        refused = Some(
            "Ý kiến này vừa được trả lời bởi người khác, hoặc việc lấy ý kiến đã kết thúc; câu trả lời của đồng chí chưa được lưu và vẫn còn trong ô bên dưới. Xem câu trả lời hiện tại rồi lưu lại nếu cần."
                .to_owned(),
        );
    }
    let paper = app::papers::get(&state.db, paper.id)
        .await?
        .unwrap_or(paper);
    let forms = Forms {
        paragraph: String::new(),
        body: String::new(),
        answering: Some(typed),
        errors,
        refused,
    };
    rejected(&page(&state, &auth, scope, paper, forms).await?)
}

/// Closes the comments: no more come in, and the topic's "Lấy ý kiến tham gia" step is done.
pub async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<PaperId>,
) -> Result<Response, AppError> {
    let (scope, paper) = paper_scope(&state, &auth, id).await?;
    auth.require(scope.rights.answers())?;
    let count = app::papers::comments(&state.db, id).await?.len();
    let today = chrono::Local::now().date_naive();
    if app::papers::close(
        state.ctx(),
        auth.user_id(),
        scope.target(),
        &paper,
        count,
        today,
    )
    .await?
    {
        auth.flash(&format!(
            "Đã kết thúc lấy ý kiến: {count} ý kiến. Bước “Lấy ý kiến tham gia” được đánh dấu hoàn thành."
        ))
        .await?;
        return Ok(Redirect::to(&format!("/papers/{id}")).into_response());
    }
    let forms = Forms::refused(
        "Không thể kết thúc: bản này chưa được gửi đảng viên, hoặc việc lấy ý kiến đã kết thúc."
            .to_owned(),
    );
    let paper = app::papers::get(&state.db, id).await?.unwrap_or(paper);
    rejected(&page(&state, &auth, scope, paper, forms).await?)
}

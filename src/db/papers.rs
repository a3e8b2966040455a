//! The papers of topics and the members' comments on them. Versions are only ever added; a
//! change of state (circulated, comments closed, a comment answered) is a guarded UPDATE that
//! reports whether it took, so two people acting at once cannot both succeed. Each change
//! writes its audit entry and a line of the plan's history in the caller's transaction.

use chrono::{DateTime, Utc};

use super::{Db, Tx, audit, corrupt, on_pool, on_tx};
use crate::domain::paper::{
    Answer, Attachment, Comment, CommentDraft, CommentId, Deed, FileKind, Paper, PaperDraft,
    PaperId, Stage, Verdict,
};
use crate::domain::plan::{PlanId, TopicId};
use crate::domain::user::UserId;

const PAPER: &str = "paper";
const COMMENT: &str = "paper_comment";
/// The part of the plan's history the papers' lines belong to.
const PART: &str = "papers";

#[derive(sqlx::FromRow)]
struct PaperRow {
    id: PaperId,
    topic_id: TopicId,
    number: i64,
    stage: String,
    body: String,
    file_name: Option<String>,
    file_kind: Option<String>,
    file_size: Option<i64>,
    created_at: DateTime<Utc>,
    created_by: Option<UserId>,
    created_name: Option<String>,
    circulated_at: Option<DateTime<Utc>>,
    circulated_name: Option<String>,
    comments_closed_at: Option<DateTime<Utc>>,
    closed_name: Option<String>,
}

fn deed(at: Option<DateTime<Utc>>, by: Option<String>) -> Option<Deed> {
    at.map(|at| Deed {
        at,
        by: by.unwrap_or_default(),
    })
}

impl TryFrom<PaperRow> for Paper {
    type Error = sqlx::Error;

    fn try_from(row: PaperRow) -> sqlx::Result<Self> {
        let attachment = match (row.file_name, row.file_kind, row.file_size) {
            (Some(name), Some(kind), Some(size)) => Some(Attachment {
                name,
                kind: FileKind::parse(&kind).ok_or_else(|| corrupt("file kind"))?,
                size: u64::try_from(size).map_err(|_| corrupt("file size"))?,
            }),
            _ => None,
        };
        Ok(Paper {
            id: row.id,
            topic_id: row.topic_id,
            number: row.number,
            stage: Stage::parse(&row.stage).map_err(|_| corrupt("paper stage"))?,
            body: row.body,
            attachment,
            created: Deed {
                at: row.created_at,
                by: row.created_name.unwrap_or_default(),
            },
            created_by: row.created_by,
            circulated: deed(row.circulated_at, row.circulated_name),
            closed: deed(row.comments_closed_at, row.closed_name),
        })
    }
}

/// Every column of a paper but the file's content, numbered within its topic.
const SELECT_PAPER: &str = "SELECT p.id, p.topic_id, \
       (SELECT COUNT(*) FROM papers e WHERE e.topic_id = p.topic_id AND e.id <= p.id) AS number, \
       p.stage, p.body, p.file_name, p.file_kind, p.file_size, p.created_at, p.created_by, \
       a.full_name AS created_name, p.circulated_at, c.full_name AS circulated_name, \
       p.comments_closed_at, k.full_name AS closed_name \
     FROM papers p LEFT JOIN users a ON a.id = p.created_by \
     LEFT JOIN users c ON c.id = p.circulated_by LEFT JOIN users k ON k.id = p.comments_closed_by";

fn papers(rows: Vec<PaperRow>) -> sqlx::Result<Vec<Paper>> {
    rows.into_iter().map(Paper::try_from).collect()
}

/// Every version of the topic's paper, oldest first.
pub async fn of_topic(db: &Db, topic: TopicId) -> sqlx::Result<Vec<Paper>> {
    let sql = format!("{SELECT_PAPER} WHERE p.topic_id = $1 ORDER BY p.id");
    let rows: Vec<PaperRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(topic).fetch_all(pool).await)?;
    papers(rows)
}

pub async fn get(db: &Db, id: PaperId) -> sqlx::Result<Option<Paper>> {
    let sql = format!("{SELECT_PAPER} WHERE p.id = $1");
    let row: Option<PaperRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(Paper::try_from).transpose()
}

/// The paper as it is inside the transaction about to change it.
pub async fn get_in(tx: &mut Tx, id: PaperId) -> sqlx::Result<Option<Paper>> {
    let sql = format!("{SELECT_PAPER} WHERE p.id = $1");
    let row: Option<PaperRow> =
        on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?;
    row.map(Paper::try_from).transpose()
}

/// The uploaded file of a paper: its description and content.
pub async fn file(db: &Db, id: PaperId) -> sqlx::Result<Option<(Attachment, Vec<u8>)>> {
    let row: Option<(String, String, Vec<u8>)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT p.file_name, p.file_kind, f.content FROM papers p \
         JOIN paper_files f ON f.paper_id = p.id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    row.map(|(name, kind, content)| {
        let kind = FileKind::parse(&kind).ok_or_else(|| corrupt("file kind"))?;
        let size = content.len() as u64;
        Ok((Attachment { name, kind, size }, content))
    })
    .transpose()
}

/// Adds a version of the topic's paper, with its file if any, its audit entry and the plan's
/// history line.
pub async fn insert(
    tx: &mut Tx,
    plan: PlanId,
    topic: TopicId,
    draft: &PaperDraft,
    by: Option<UserId>,
    summary: impl Fn(&Paper) -> String,
) -> sqlx::Result<PaperId> {
    let upload = draft.upload.as_ref();
    let id: PaperId = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO papers (topic_id, stage, body, file_name, file_kind, file_size, created_at, \
           created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(topic)
    .bind(draft.stage.as_str())
    .bind(&draft.body)
    .bind(upload.map(|u| u.name.as_str()))
    .bind(upload.map(|u| u.kind.as_str()))
    .bind(upload.map(|u| u.bytes.len() as i64))
    .bind(Utc::now())
    .bind(by)
    .fetch_one(&mut *conn)
    .await)?;
    if let Some(upload) = upload {
        on_tx!(tx, conn => sqlx::query("INSERT INTO paper_files (paper_id, content) VALUES ($1, $2)")
            .bind(id)
            .bind(upload.bytes.as_slice())
            .execute(&mut *conn)
            .await
            .map(|_| ()))?;
    }
    let paper = get_in(tx, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    record(tx, plan, "add", PAPER, id.get(), by, &summary(&paper)).await?;
    Ok(id)
}

/// Marks the paper circulated now, unless it was already; false then.
pub async fn circulate(
    tx: &mut Tx,
    plan: PlanId,
    id: PaperId,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE papers SET circulated_at = $1, circulated_by = $2 \
         WHERE id = $3 AND circulated_at IS NULL",
    )
    .bind(Utc::now())
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    if changed == 1 {
        record(tx, plan, "circulate", PAPER, id.get(), by, summary).await?;
    }
    Ok(changed == 1)
}

/// Closes the comments on a circulated paper, unless they were closed already; false then.
pub async fn close(
    tx: &mut Tx,
    plan: PlanId,
    id: PaperId,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE papers SET comments_closed_at = $1, comments_closed_by = $2 \
         WHERE id = $3 AND circulated_at IS NOT NULL AND comments_closed_at IS NULL",
    )
    .bind(Utc::now())
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    if changed == 1 {
        record(tx, plan, "close", PAPER, id.get(), by, summary).await?;
    }
    Ok(changed == 1)
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: CommentId,
    paper_id: PaperId,
    paragraph: Option<i32>,
    body: String,
    created_at: DateTime<Utc>,
    created_by: Option<UserId>,
    created_name: Option<String>,
    verdict: Option<String>,
    reply: String,
    answered_at: Option<DateTime<Utc>>,
    answered_name: Option<String>,
    version: i64,
}

impl TryFrom<CommentRow> for Comment {
    type Error = sqlx::Error;

    fn try_from(row: CommentRow) -> sqlx::Result<Self> {
        let answer = match (row.verdict, row.answered_at) {
            (Some(verdict), Some(at)) => Some((
                Answer {
                    verdict: Verdict::parse(&verdict).map_err(|_| corrupt("verdict"))?,
                    reply: row.reply,
                },
                Deed {
                    at,
                    by: row.answered_name.unwrap_or_default(),
                },
            )),
            _ => None,
        };
        Ok(Comment {
            id: row.id,
            paper_id: row.paper_id,
            paragraph: row
                .paragraph
                .map(|n| u32::try_from(n).map_err(|_| corrupt("paragraph")))
                .transpose()?,
            body: row.body,
            created: Deed {
                at: row.created_at,
                by: row.created_name.unwrap_or_default(),
            },
            created_by: row.created_by,
            answer,
            version: row.version,
        })
    }
}

const SELECT_COMMENT: &str = "SELECT m.id, m.paper_id, m.paragraph, m.body, m.created_at, \
       m.created_by, a.full_name AS created_name, m.verdict, m.reply, m.answered_at, \
       r.full_name AS answered_name, m.version \
     FROM paper_comments m LEFT JOIN users a ON a.id = m.created_by \
     LEFT JOIN users r ON r.id = m.answered_by";

/// The comments on a paper, in the order they came.
pub async fn comments(db: &Db, paper: PaperId) -> sqlx::Result<Vec<Comment>> {
    let sql = format!("{SELECT_COMMENT} WHERE m.paper_id = $1 ORDER BY m.id");
    let rows: Vec<CommentRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(paper).fetch_all(pool).await)?;
    rows.into_iter().map(Comment::try_from).collect()
}

pub async fn comment(db: &Db, id: CommentId) -> sqlx::Result<Option<Comment>> {
    let sql = format!("{SELECT_COMMENT} WHERE m.id = $1");
    let row: Option<CommentRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(Comment::try_from).transpose()
}

/// Adds a comment to a paper that is open to comments (circulated, not closed); `None` when
/// it is not, checked in the same statement so a comment cannot slip in after the close.
pub async fn add_comment(
    tx: &mut Tx,
    plan: PlanId,
    paper: PaperId,
    draft: &CommentDraft,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<Option<CommentId>> {
    let id: Option<CommentId> = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO paper_comments (paper_id, paragraph, body, created_at, created_by, reply, \
           version) \
         SELECT id, $2, $3, $4, $5, '', 1 FROM papers \
         WHERE id = $1 AND circulated_at IS NOT NULL AND comments_closed_at IS NULL \
         RETURNING id",
    )
    .bind(paper)
    .bind(draft.paragraph.map(|n| n as i32))
    .bind(&draft.body)
    .bind(Utc::now())
    .bind(by)
    .fetch_optional(&mut *conn)
    .await)?;
    if let Some(id) = id {
        record(tx, plan, "comment", COMMENT, id.get(), by, summary).await?;
    }
    Ok(id)
}

/// Records the presenter's answer to a comment still at `version`, on a paper still open.
pub async fn answer(
    tx: &mut Tx,
    plan: PlanId,
    id: CommentId,
    version: i64,
    answer: &Answer,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<bool> {
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE paper_comments SET verdict = $1, reply = $2, answered_at = $3, answered_by = $4, \
           version = version + 1 \
         WHERE id = $5 AND version = $6 AND paper_id IN \
           (SELECT p.id FROM papers p WHERE p.comments_closed_at IS NULL)",
    )
    .bind(answer.verdict.as_str())
    .bind(&answer.reply)
    .bind(Utc::now())
    .bind(by)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    if changed == 1 {
        record(tx, plan, "answer", COMMENT, id.get(), by, summary).await?;
    }
    Ok(changed == 1)
}

/// How far a plan's topics are with their papers, for the plan page: one row per topic that
/// has a paper.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicPapers {
    pub topic_id: TopicId,
    pub versions: i64,
    /// When the latest circulated version went out.
    pub circulated_at: Option<DateTime<Utc>>,
    pub comments: i64,
    /// Versions circulated and still open to comments.
    pub open: i64,
    /// Versions whose comments were closed.
    pub closed: i64,
}

pub async fn of_plan(db: &Db, plan: PlanId) -> sqlx::Result<Vec<TopicPapers>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT p.topic_id, COUNT(*) AS versions, MAX(p.circulated_at) AS circulated_at, \
           (SELECT COUNT(*) FROM paper_comments m JOIN papers q ON q.id = m.paper_id \
             WHERE q.topic_id = p.topic_id) AS comments, \
           COALESCE(SUM(CASE WHEN p.circulated_at IS NOT NULL AND p.comments_closed_at IS NULL \
             THEN 1 ELSE 0 END), 0) AS open, \
           COALESCE(SUM(CASE WHEN p.comments_closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             AS closed \
         FROM papers p JOIN topics t ON t.id = p.topic_id WHERE t.plan_id = $1 \
         GROUP BY p.topic_id",
    )
    .bind(plan)
    .fetch_all(pool)
    .await)
}

/// The history of a topic's papers and their comments, newest first.
pub async fn history(db: &Db, topic: TopicId) -> sqlx::Result<Vec<audit::Entry>> {
    on_pool!(db, pool => sqlx::query_as::<_, audit::Entry>(
        "SELECT a.at, u.full_name AS user_name, a.action, a.detail FROM audit_log a \
         LEFT JOIN users u ON u.id = a.user_id \
         WHERE (a.entity = $1 AND a.entity_id IN (SELECT id FROM papers WHERE topic_id = $3)) \
            OR (a.entity = $2 AND a.entity_id IN (SELECT m.id FROM paper_comments m \
                 JOIN papers p ON p.id = m.paper_id WHERE p.topic_id = $3)) \
         ORDER BY a.id DESC",
    )
    .bind(PAPER)
    .bind(COMMENT)
    .bind(topic)
    .fetch_all(pool)
    .await)
}

/// The audit entry and the plan's history line of a change.
async fn record(
    tx: &mut Tx,
    plan: PlanId,
    action: &str,
    entity: &str,
    entity_id: i64,
    by: Option<UserId>,
    summary: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => async {
        audit::record!(&mut *conn, by, action, entity, entity_id, summary).await?;
        sqlx::query(
            "INSERT INTO plan_changes (plan_id, version, part, at, user_id, summary) \
             SELECT id, version, $2, $3, $4, $5 FROM plans WHERE id = $1",
        )
        .bind(plan)
        .bind(PART)
        .bind(Utc::now())
        .bind(by)
        .bind(summary)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }.await)
}

/// Marks the topic's "Lấy ý kiến tham gia" step done on `date`, if it is not done already: the
/// comments it stands for are closed.
pub async fn finish_comments_step(
    tx: &mut Tx,
    topic: TopicId,
    date: chrono::NaiveDate,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE steps SET done_on = $1, done_by = $2 \
         WHERE topic_id = $3 AND kind = 'comments' AND done_on IS NULL",
    )
    .bind(date)
    .bind(by)
    .bind(topic)
    .execute(&mut *conn)
    .await
    .map(|_| ()))
}

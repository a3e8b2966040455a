//! The demo's session on the kindergarten's plan of this year: scheduled, with its papers.

use super::{Loaded, incomplete, line};
use crate::app;
use crate::db::{Db, members, plans, users};
use crate::domain::org::Year;
use crate::domain::session::{SessionDraft, StartTime};
use crate::domain::user::UserId;

/// A scheduled session on the kindergarten's plan of this year, so that the plan page, the
/// session page and "Việc của tôi" show one: the first topic not yet held, a week or more
/// from today, in the afternoon, with the regular monthly meeting. Scheduled once.
pub(super) async fn load_session(db: &Db, loaded: &Loaded) -> anyhow::Result<()> {
    let ctx = app::Ctx { db, mail: false };
    let today = chrono::Local::now().date_naive();
    let year = Year::new(chrono::Datelike::year(&today)).expect("a current year");
    let cell = &loaded.kindergarten;
    let Some(plan_id) = plans::find(db, cell.id, year).await? else {
        return Ok(());
    };
    if !app::sessions::open_of_plan(db, plan_id).await?.is_empty() {
        return Ok(());
    }
    let plan = plans::get(db, plan_id).await?.ok_or_else(incomplete)?;
    let due = |t: &crate::domain::plan::Topic| t.session.map(|d| d.deadline());
    let Some(topic) = plan
        .topics
        .iter()
        .find(|t| due(t).is_some_and(|d| d >= today))
        .or(plan.topics.last())
    else {
        return Ok(());
    };
    let week_on = today + chrono::Days::new(7);
    let planned = topic
        .session
        .map(|d| d.start() + chrono::Days::new(14))
        .unwrap_or(week_on);
    let last_day = chrono::NaiveDate::from_ymd_opt(year.get(), 12, 31).expect("a last day");
    let date = planned.max(week_on).min(last_day).max(today);
    let people = members::list(db, cell.id).await?;
    let person = |name: &str| {
        people
            .iter()
            .find(|m| m.full_name == name)
            .map(|m| crate::domain::plan::Assignee {
                member: m.id,
                name: m.full_name.clone(),
            })
    };
    let draft = SessionDraft {
        date,
        start: StartTime::new(14 * 60).expect("a time"),
        duration: 150,
        venue: line("Phòng họp Trường Mầm non Định An"),
        chair: person("Lê Thị Bích Ngọc"),
        minute_taker: person("Nguyễn Thị Thanh Tâm"),
        combined: true,
    };
    let target = app::sessions::Target::of(&plan, cell, topic);
    app::sessions::schedule(ctx, None, target, &draft, false).await?;
    Ok(())
}

/// The papers of the demo session's topic, presented by Nguyễn Thị Ly: draft 1 sent to the
/// members, commented on, answered and closed; draft 2 sent, with a comment not yet answered.
/// Added once.
pub(super) async fn load_papers(db: &Db, loaded: &Loaded) -> anyhow::Result<()> {
    use crate::domain::paper::{Answer, CommentDraft, PaperDraft, Stage, Verdict};
    let ctx = app::Ctx { db, mail: false };
    let today = chrono::Local::now().date_naive();
    let year = Year::new(chrono::Datelike::year(&today)).expect("a current year");
    let cell = &loaded.kindergarten;
    let Some(plan_id) = plans::find(db, cell.id, year).await? else {
        return Ok(());
    };
    let Some(session) = app::sessions::open_of_plan(db, plan_id).await?.pop() else {
        return Ok(());
    };
    if !app::papers::of_topic(db, session.topic_id)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let plan = plans::get(db, plan_id).await?.ok_or_else(incomplete)?;
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == session.topic_id)
        .ok_or_else(incomplete)?;
    let target = app::sessions::Target::of(&plan, cell, topic);
    let mut accounts = Vec::new();
    for login in ["dangvien", "bithu", "myduyen"] {
        accounts.push(users::find_by_login(db, login).await?.map(|u| u.id));
    }
    let [presenter, secretary, member] = accounts[..] else {
        unreachable!("three logins")
    };
    let body = |lines: &[&str]| lines.join("\n");
    let mut first = None;
    for (stage, text) in [
        (
            Stage::Draft1,
            body(&[
                "I. Sự cần thiết của chuyên đề: tai nạn thương tích ở trẻ mầm non vẫn xảy ra, phần lớn có thể phòng tránh.",
                "II. Thực trạng tại trường: cơ sở vật chất đã được rà soát; còn khu vực sân chơi chưa có rào chắn.",
                "III. Giải pháp: kiểm tra an toàn hằng tháng, tập huấn sơ cứu cho giáo viên, phối hợp với cha mẹ trẻ.",
                "IV. Trách nhiệm của đảng viên: gương mẫu thực hiện, phát hiện và báo cáo kịp thời nguy cơ mất an toàn.",
            ]),
        ),
        (
            Stage::Draft2,
            body(&[
                "I. Sự cần thiết của chuyên đề (đã bổ sung số liệu năm học trước).",
                "II. Thực trạng tại trường và kết quả khắc phục khu vực sân chơi.",
                "III. Giải pháp và phân công thực hiện đến từng tổ chuyên môn.",
            ]),
        ),
    ] {
        let draft = PaperDraft {
            stage,
            body: text,
            upload: None,
        };
        let id = app::papers::add(ctx, presenter, target, &draft).await?;
        app::papers::circulate(ctx, secretary, target, id, today).await?;
        let paper = app::papers::get(db, id).await?.ok_or_else(incomplete)?;
        first.get_or_insert(paper.clone());
        let comments: &[(Option<u32>, &str, Option<UserId>)] = if stage == Stage::Draft1 {
            &[
                (
                    Some(2),
                    "Đề nghị nêu rõ số vụ tai nạn của năm học trước để thấy mức độ.",
                    member,
                ),
                (
                    None,
                    "Bố cục nên thêm phần kiến nghị với nhà trường.",
                    secretary,
                ),
            ]
        } else {
            &[(
                Some(3),
                "Nên ghi thời hạn hoàn thành cho từng giải pháp.",
                member,
            )]
        };
        for (paragraph, text, by) in comments {
            let draft = CommentDraft {
                paragraph: *paragraph,
                body: (*text).to_owned(),
            };
            app::papers::add_comment(ctx, *by, target, &paper, &draft).await?;
        }
    }
    let first = first.ok_or_else(incomplete)?;
    let comments = app::papers::comments(db, first.id).await?;
    let answers = [
        (Verdict::Taken, "Đã bổ sung số liệu vào dự thảo lần 2."),
        (
            Verdict::Rejected,
            "Kiến nghị sẽ nêu trong báo cáo kết quả sinh hoạt, không đưa vào chuyên đề.",
        ),
    ];
    for (comment, (verdict, reply)) in comments.iter().zip(answers) {
        let answer = Answer {
            verdict,
            reply: reply.to_owned(),
        };
        app::papers::answer(ctx, presenter, target, comment, comment.version, &answer).await?;
    }
    app::papers::close(ctx, presenter, target, &first, comments.len(), today).await?;
    // The story is replayed at load time: its notices would all say "just now" to the demo's
    // accounts, so they are not kept.
    for paper in app::papers::of_topic(db, topic.id).await? {
        crate::db::notifications::forget_unsent(db, &format!("/papers/{}", paper.id)).await?;
    }
    Ok(())
}

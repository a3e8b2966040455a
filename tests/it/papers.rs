//! The papers of a topic over HTTP: the presenter writes and uploads a draft; the secretary
//! sends it to the members (who are told, and see how long before the session it went out);
//! members comment on the whole or on a paragraph; the presenter takes comments in or not and
//! closes them, which completes the "Lấy ý kiến tham gia" step. Who may see and do what.

use chrono::{Datelike, Days, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::both;
use crate::harness::{Browser, TestApp};
use chuyende::db::{audit, plans, sessions};
use chuyende::domain::notification::NoticeKind;
use chuyende::domain::org::Year;
use chuyende::domain::plan::{Plan, PlanId, StepKind, Topic};

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

async fn this_years_plan(app: &TestApp) -> Plan {
    let year = Year::new(today().year()).unwrap();
    let id: PlanId = plans::find(&app.db, app.demo.kindergarten.id, year)
        .await
        .unwrap()
        .expect("this year's plan");
    plans::get(&app.db, id).await.unwrap().unwrap()
}

/// The first topic of this year's plan with no session and no papers yet (the demo's session
/// and papers are on another).
async fn fresh_topic(app: &TestApp) -> Topic {
    let plan = this_years_plan(app).await;
    let (scheduled, with_papers) = sessions::preparation_of_plan(&app.db, plan.id)
        .await
        .unwrap();
    plan.topics
        .into_iter()
        .find(|t| {
            scheduled.iter().all(|s| s.topic_id != t.id)
                && with_papers.iter().all(|p| p.topic_id != t.id)
        })
        .expect("a topic with no session")
}

/// Signs in the account of a member of the kindergarten, made and linked for the test.
async fn member_account(app: &TestApp, login: &str, name: &str) -> Browser {
    let account = app.add_account(login, name).await;
    let member = app.member_id(app.demo.kindergarten.id, name).await;
    chuyende::db::members::link_user(&app.db, member, account)
        .await
        .unwrap();
    app.login(login).await
}

/// The paper form as a browser sends it: the token, the stage, the text, then the file.
async fn send_paper(
    browser: &Browser,
    topic: &Topic,
    stage: &str,
    body: &str,
    file: Option<(&str, Vec<u8>)>,
) -> crate::harness::Response {
    // The form is drawn first (its token); names go as raw UTF-8, as browsers send them.
    browser.get(&format!("/topics/{}/papers", topic.id)).await;
    let mut form = Form::new()
        .percent_encode_noop()
        .text("csrf_token", browser.token())
        .text("stage", stage.to_owned())
        .text("body", body.to_owned());
    form = match file {
        Some((name, bytes)) => form.part("file", Part::bytes(bytes).file_name(name.to_owned())),
        // An empty file input still sends its part.
        None => form.part("file", Part::bytes(Vec::new()).file_name(String::new())),
    };
    browser
        .post_multipart(&format!("/topics/{}/papers", topic.id), form)
        .await
}

/// The id at the end of a redirect's path (`/papers/12` → 12).
fn id_in(location: &str) -> i64 {
    let path = location.split(['#', '?']).next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

async fn schedule(secretary: &Browser, topic: &Topic, date: NaiveDate, start: &str) {
    let path = format!("/topics/{}/session", topic.id);
    secretary.get(&path).await.ok();
    secretary
        .post(
            &path,
            &[
                ("date", &date.format("%d/%m/%Y").to_string()),
                ("start", start),
                ("duration", "120"),
                ("venue", "Phòng họp"),
                ("chair", ""),
                ("minute_taker", ""),
            ],
        )
        .await
        .redirects_to(&path);
}

/// A day `days` from today, kept within this year (a session belongs to its plan's year).
fn soon(days: u64) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(today().year(), 12, 31).unwrap();
    (today() + Days::new(days)).min(last)
}

const TEXT: &str = "Mở đầu: vì sao chuyên đề này cần thiết.\n\
    Thực trạng sinh hoạt chi bộ năm qua.\n\
    Giải pháp: chuẩn bị kỹ nội dung, phát huy dân chủ.";

both! {
    async fn a_draft_is_written_circulated_commented_answered_and_closed(app: TestApp) {
        let secretary = app.login("bithu").await;
        let ly = app.login("dangvien").await;
        // Thanh Tâm presents the second topic, which has no session yet; Mỹ Duyên comments.
        let plan = this_years_plan(&app).await;
        let topic = plan.topics.iter().find(|t| t.presenter.name() == Some("Nguyễn Thị Thanh Tâm")).unwrap().clone();
        let presenter = member_account(&app, "thanhtam", "Nguyễn Thị Thanh Tâm").await;
        let duyen = app.login("myduyen").await;
        schedule(&secretary, &topic, soon(3), "08:00").await;
        let papers = format!("/topics/{}/papers", topic.id);

        // The presenter writes draft 1 and attaches a file; nobody else sees it yet.
        presenter.get(&papers).await.ok().contains("Thêm bản dự thảo").contains("Chưa có bản dự thảo nào");
        let (_, _, docx) = secretary.bytes(&format!("/plans/{}/document.docx", plan.id)).await;
        let response = send_paper(&presenter, &topic, "draft1", TEXT, Some(("../tài liệu/Dự thảo 1.docx", docx.clone()))).await;
        response.redirects_to("/papers/");
        let paper = id_in(response.location());
        let page = presenter.get(&format!("/papers/{paper}")).await;
        page.ok().contains("Dự thảo lần 1 (bản 1)").contains("Chưa gửi đảng viên")
            .contains("Dự thảo 1.docx").contains("Thực trạng sinh hoạt chi bộ năm qua.");
        ly.get(&format!("/papers/{paper}")).await.status_is(StatusCode::NOT_FOUND);
        ly.get(&papers).await.ok().lacks("Dự thảo lần 1").lacks("Thêm bản dự thảo");
        assert_eq!(ly.bytes(&format!("/papers/{paper}/file")).await.0, StatusCode::NOT_FOUND);
        // A member may not send it out, nor the presenter: only the secretary or deputy.
        presenter.post(&format!("/papers/{paper}/circulate"), &[]).await.status_is(StatusCode::FORBIDDEN);

        // The file comes back as it went in, as an attachment under its safe name.
        let (status, headers, file) = presenter.bytes(&format!("/papers/{paper}/file")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(file, docx);
        assert_eq!(headers["content-type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"du-thao-1.docx\"; filename*=UTF-8''D%E1%BB%B1%20th%E1%BA%A3o%201.docx"), "{disposition}");

        // The secretary sends it; every member with an account is told, the secretary is not.
        secretary.post(&format!("/papers/{paper}/circulate"), &[]).await.redirects_to(&format!("/papers/{paper}"));
        let page = secretary.get(&format!("/papers/{paper}")).await;
        page.ok().contains("Đã thông qua dự thảo lần 1, gửi đến các đảng viên trong chi bộ.")
            .contains("Đang lấy ý kiến").contains("Gửi đảng viên trước buổi sinh hoạt");
        for account in ["dangvien", "myduyen", "thanhtam"] {
            // The demo's own drafts were sent before: only this topic's notice counts here.
            let told: Vec<String> = app.unread_of(app.user(account).await, NoticeKind::PaperCirculated).await
                .into_iter().filter(|m| m.contains(&topic.title)).collect();
            assert_eq!(told.len(), 1, "{account}: {told:?}");
        }
        assert!(app.unread_of(app.user("bithu").await, NoticeKind::PaperCirculated).await.is_empty());
        // Sending twice is refused, and says so.
        secretary.post(&format!("/papers/{paper}/circulate"), &[]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("Bản này đã được gửi đảng viên.");

        // Two members comment: one on the second paragraph, one on the whole.
        let page = ly.get(&format!("/papers/{paper}?paragraph=2")).await;
        page.ok().contains("Thực trạng sinh hoạt chi bộ năm qua.").contains("<option value=\"2\" selected>");
        ly.post(&format!("/papers/{paper}/comments"), &[("paragraph", "2"), ("body", "Nên nêu số liệu cụ thể của năm 2025.")])
            .await.redirects_to(&format!("/papers/{paper}#comments"));
        duyen.get(&format!("/papers/{paper}")).await.ok().contains("Góp ý đoạn 3");
        duyen.post(&format!("/papers/{paper}/comments"), &[("paragraph", ""), ("body", "Bố cục nên ngắn gọn hơn.")])
            .await.redirects_to(&format!("/papers/{paper}"));
        // A comment with no text, on a paragraph the paper does not have, or of 1 MB comes back.
        let long = "ý".repeat(1_000_000);
        ly.post(&format!("/papers/{paper}/comments"), &[("paragraph", "9"), ("body", &long)])
            .await.status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Đoạn được chọn không có trong dự thảo.").contains("Tối đa 10.000 ký tự");
        // Reviewers read, and may not comment; members of another cell do not even see it.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/papers/{paper}")).await.ok().contains("Nên nêu số liệu cụ thể").lacks("Gửi ý kiến");
        reviewer.post(&format!("/papers/{paper}/comments"), &[("body", "x")]).await.status_is(StatusCode::FORBIDDEN);
        let admin = app.login("admin").await;
        admin.get(&format!("/papers/{paper}")).await.status_is(StatusCode::NOT_FOUND);

        // The presenter takes one in and rejects the other; a rejection needs its reason.
        let comments = chuyende::db::papers::comments(&app.db, chuyende::domain::paper::PaperId(paper)).await.unwrap();
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[0].paragraph, Some(2));
        assert_eq!(comments[0].created.by, "Nguyễn Thị Ly");
        let (first, second) = (comments[0].id, comments[1].id);
        ly.post(&format!("/paper-comments/{first}/answer"), &[("verdict", "taken"), ("reply", ""), ("version", "1")])
            .await.status_is(StatusCode::FORBIDDEN);
        presenter.post(&format!("/paper-comments/{first}/answer"), &[("verdict", "taken"), ("reply", "Đã bổ sung số liệu."), ("version", "1")])
            .await.redirects_to(&format!("/papers/{paper}#comment-{first}"));
        presenter.post(&format!("/paper-comments/{second}/answer"), &[("verdict", "rejected"), ("reply", ""), ("version", "1")])
            .await.status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Khi không tiếp thu, vui lòng ghi lý do");
        // An answer drawn before someone else's is refused, with what was typed kept.
        presenter.post(&format!("/paper-comments/{first}/answer"), &[("verdict", "rejected"), ("reply", "Bản cũ của tôi"), ("version", "1")])
            .await.status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("vừa được trả lời").contains("Bản cũ của tôi");
        presenter.post(&format!("/paper-comments/{second}/answer"), &[("verdict", "rejected"), ("reply", "Bố cục theo hướng dẫn của Đảng ủy."), ("version", "1")])
            .await.redirects_to(&format!("/papers/{paper}"));
        // Each member sees what became of their comment, and is told.
        ly.get(&format!("/papers/{paper}")).await.ok().contains("Tiếp thu").contains("Đã bổ sung số liệu.");
        let told = app.unread_of(app.user("dangvien").await, NoticeKind::CommentAnswered).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("Tiếp thu"), "{told:?}");

        // The presenter closes the comments: the step is done today, the plan page counts them.
        presenter.post(&format!("/papers/{paper}/close"), &[]).await.redirects_to(&format!("/papers/{paper}"));
        let stored = plans::get(&app.db, plan.id).await.unwrap().unwrap();
        let step = stored.topics.iter().find(|t| t.id == topic.id).unwrap()
            .steps.iter().find(|s| s.kind == StepKind::Comments).unwrap().clone();
        assert_eq!(step.done_on, Some(today()));
        ly.get(&format!("/plans/{}", plan.id)).await.ok().contains("(2 ý kiến)").contains("đã kết thúc lấy ý kiến");
        // No comment comes in after the close; the typed text is kept.
        ly.post(&format!("/papers/{paper}/comments"), &[("paragraph", "1"), ("body", "Ý kiến muộn")])
            .await.status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("đã kết thúc").contains("Ý kiến muộn");

        // Everything is in the plan's history and the audit log.
        let history: Vec<String> = plans::history(&app.db, plan.id).await.unwrap().into_iter()
            .filter(|c| c.part == "papers" && c.summary.contains(&topic.title)).map(|c| c.summary).collect();
        // Added, sent, two comments, two answers, closed.
        assert_eq!(history.len(), 7, "{history:?}");
        assert!(history.iter().any(|h| h.starts_with("Thông qua dự thảo lần 1 chuyên đề")), "{history:?}");
        assert!(history.iter().any(|h| h.starts_with("Kết thúc lấy ý kiến dự thảo lần 1") && h.ends_with("2 ý kiến")), "{history:?}");
        let entries = audit::history(&app.db, "paper", paper, 10).await.unwrap();
        assert_eq!(entries.len(), 3, "add, circulate, close: {entries:?}");
    }

    async fn papers_go_out_a_day_ahead_or_get_a_warning(app: TestApp) {
        // A session starting 23½ hours from now gets the 42-HD/BTCTW warning; 25½ hours, none.
        let secretary = app.login("bithu").await;
        let vietnam_now = Utc::now().naive_utc() + Duration::hours(7);
        let plan = this_years_plan(&app).await;
        for (hours, warned) in [(23, true), (25, false)] {
            let at = vietnam_now + Duration::hours(hours) + Duration::minutes(30);
            if at.year() != today().year() {
                eprintln!("skipped at the turn of the year: the session would fall in the next one");
                return;
            }
            let topic = fresh_topic(&app).await;
            schedule(&secretary, &topic, at.date(), &at.format("%H:%M").to_string()).await;
            let response = send_paper(&secretary, &topic, "draft2", "Nội dung.", None).await;
            let paper = id_in(response.location());
            secretary.post(&format!("/papers/{paper}/circulate"), &[]).await;
            let page = secretary.get(&format!("/papers/{paper}")).await;
            let warning = "Hướng dẫn 42-HD/BTCTW yêu cầu gửi trước ít nhất 1 ngày";
            if warned {
                page.ok().contains("Gửi đảng viên chỉ 23 giờ trước buổi sinh hoạt").contains(warning);
                secretary.get(&format!("/plans/{}", plan.id)).await.ok().contains("chỉ 23 giờ");
                secretary.get(&format!("/topics/{}/session", topic.id)).await.ok().contains("chỉ 23 giờ");
            } else {
                page.ok().contains("Gửi đảng viên trước buổi sinh hoạt 1 ngày 1 giờ.").lacks(warning);
            }
        }
    }

    async fn a_paper_cannot_go_out_after_its_session(app: TestApp) {
        // The demo's session is moved to yesterday (a correction after the fact is allowed);
        // sending a paper for it then is refused.
        let secretary = app.login("bithu").await;
        let plan = this_years_plan(&app).await;
        let session = sessions::open_of_plan(&app.db, plan.id).await.unwrap().remove(0);
        let topic = plan.topics.iter().find(|t| t.id == session.topic_id).unwrap().clone();
        let yesterday = today() - Days::new(1);
        if yesterday.year() != today().year() {
            eprintln!("skipped on the first day of the year");
            return;
        }
        let path = format!("/topics/{}/session", topic.id);
        secretary.get(&path).await.ok();
        secretary.post(&format!("{path}/move"), &[
            ("session", &session.id.to_string()), ("version", &session.version.to_string()),
            ("date", &yesterday.format("%d/%m/%Y").to_string()), ("start", "08:00"), ("duration", "120"),
            ("venue", "Phòng họp"), ("chair", ""), ("minute_taker", ""),
        ]).await.redirects_to(&path);
        let response = send_paper(&secretary, &topic, "draft2", "Dự thảo muộn.", None).await;
        let paper = id_in(response.location());
        secretary.post(&format!("/papers/{paper}/circulate"), &[]).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains(&format!("Buổi sinh hoạt đã diễn ra ngày {}", yesterday.format("%d/%m/%Y")));
        let stored = chuyende::db::papers::get(&app.db, chuyende::domain::paper::PaperId(paper)).await.unwrap().unwrap();
        assert!(stored.circulated.is_none());
        // The final paper is made after the session: it goes out then.
        let response = send_paper(&secretary, &topic, "final", "Bản hoàn chỉnh.", None).await;
        let paper = id_in(response.location());
        secretary.post(&format!("/papers/{paper}/circulate"), &[]).await.redirects_to(&format!("/papers/{paper}"));
        let stored = chuyende::db::papers::get(&app.db, chuyende::domain::paper::PaperId(paper)).await.unwrap().unwrap();
        assert!(stored.circulated.is_some());
    }

    async fn uploads_are_checked_by_content_and_size_and_lose_no_typed_text(app: TestApp) {
        let secretary = app.login("bithu").await;
        let topic = fresh_topic(&app).await;
        let typed = "Đoạn đã gõ, không được mất.";
        // HTML named .pdf: refused by its content.
        send_paper(&secretary, &topic, "draft1", typed, Some(("bai.pdf", b"<html><script>alert(1)</script></html>".to_vec()))).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("Tệp không phải văn bản DOCX, PDF hay ODT").contains(typed);
        // Over 20 MB, and far over (200 MB): refused with the size, the text kept.
        for size in [20 * 1024 * 1024 + 1, 200 * 1024 * 1024] {
            let mut big = b"%PDF-1.7\n".to_vec();
            big.resize(size, b' ');
            send_paper(&secretary, &topic, "draft1", typed, Some(("lon.pdf", big))).await
                .status_is(StatusCode::UNPROCESSABLE_ENTITY)
                .contains("Tệp quá lớn: tối đa 20 MB").contains(typed);
        }
        // Neither text nor file; an unknown stage; text over the limit.
        send_paper(&secretary, &topic, "draft1", "  ", None).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("Vui lòng viết nội dung dự thảo hoặc chọn tệp");
        send_paper(&secretary, &topic, "draft9", typed, None).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("Vui lòng chọn bản dự thảo").contains(typed);
        send_paper(&secretary, &topic, "draft1", &"a".repeat(100_001), None).await
            .status_is(StatusCode::UNPROCESSABLE_ENTITY).contains("Nội dung quá dài");
        assert!(chuyende::db::papers::of_topic(&app.db, topic.id).await.unwrap().is_empty(), "nothing stored");

        // A PDF of just under 20 MB is taken, and every version is kept with who and when.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(20 * 1024 * 1024, b' ');
        send_paper(&secretary, &topic, "draft1", "", Some(("ban.pdf", pdf.clone()))).await.redirects_to("/papers/");
        send_paper(&secretary, &topic, "draft2", typed, None).await.redirects_to("/papers/");
        let stored = chuyende::db::papers::of_topic(&app.db, topic.id).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].attachment.as_ref().unwrap().size, pdf.len() as u64);
        assert_eq!(stored[0].created.by, "Lê Thị Bích Ngọc");
        assert_eq!((stored[0].number, stored[1].number), (1, 2));
        let list = secretary.get(&format!("/topics/{}/papers", topic.id)).await;
        list.ok().contains("Dự thảo lần 2 (bản 2)").contains("Dự thảo lần 1 (bản 1)").contains("tệp PDF (20,0 MB)");
        let (_, headers, file) = secretary.bytes(&format!("/papers/{}/file", stored[0].id)).await;
        assert_eq!(file.len(), pdf.len());
        assert_eq!(headers["content-type"], "application/pdf");
    }

    async fn only_the_cell_and_the_committees_above_see_papers(app: TestApp) {
        let secretary = app.login("bithu").await;
        let topic = fresh_topic(&app).await;
        let response = send_paper(&secretary, &topic, "draft1", TEXT, None).await;
        let paper = id_in(response.location());
        let other_secretary = app.add_account("bithu.b", "Đỗ Văn Thành").await;
        chuyende::db::members::link_user(&app.db, app.member_id(app.demo.school.id, "Đỗ Văn Thành").await, other_secretary).await.unwrap();
        let outsider = app.login("bithu.b").await;
        outsider.get("/").await.ok();
        for path in [format!("/topics/{}/papers", topic.id), format!("/papers/{paper}")] {
            outsider.get(&path).await.status_is(StatusCode::NOT_FOUND);
        }
        outsider.post(&format!("/papers/{paper}/comments"), &[("body", "x")]).await.status_is(StatusCode::NOT_FOUND);
        // The reviewer above sees the topic's papers page, but not a draft not yet sent.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/topics/{}/papers", topic.id)).await.ok().lacks("Dự thảo lần 1").lacks("Thêm bản dự thảo");
        reviewer.get(&format!("/papers/{paper}")).await.status_is(StatusCode::NOT_FOUND);
        // A member may not add a version of a topic she does not present.
        let ly = app.login("dangvien").await;
        send_paper(&ly, &topic, "draft1", TEXT, None).await.status_is(StatusCode::FORBIDDEN);
    }
}

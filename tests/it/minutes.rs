//! Holding the session over HTTP: attendance on the day, the record part by part, the minutes
//! closed (numbered, frozen, the session step done), graded by the secretary, reported, read and
//! graded by the committee's reviewer; the BIÊN BẢN in its three formats; bad input back beside
//! its field; the 42-HD/BTCTW warnings; who may read and who may record.

use chrono::Datelike;
use reqwest::StatusCode;

use crate::both;
use crate::harness::{Browser, TestApp, docx_document_xml, pdf_text, version_in};
use chuyende::domain::grading::Sheet;
use chuyende::domain::member::Member;
use chuyende::domain::org::Year;
use chuyende::domain::plan::{Plan, StepKind};
use chuyende::domain::session::Session;

/// The demo's scheduled session (on the kindergarten's plan of this year), its plan, and the
/// cell's active members.
pub(crate) async fn demo_session(app: &TestApp) -> (Session, Plan, Vec<Member>) {
    let cell = app.demo.kindergarten.id;
    let year = Year::new(chrono::Local::now().date_naive().year()).unwrap();
    let plan = chuyende::db::plans::find(&app.db, cell, year)
        .await
        .unwrap()
        .unwrap();
    let session = chuyende::app::sessions::open_of_plan(&app.db, plan)
        .await
        .unwrap()
        .remove(0);
    let plan = chuyende::db::plans::get(&app.db, plan)
        .await
        .unwrap()
        .unwrap();
    let members = chuyende::db::members::list(&app.db, cell)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.active)
        .collect();
    (session, plan, members)
}

/// The presenter's final paper on the session's topic, not sent yet: its id.
pub(crate) async fn add_final_paper(app: &TestApp, plan: &Plan, session: &Session) -> i64 {
    use chuyende::domain::paper::{PaperDraft, Stage};
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == session.topic_id)
        .unwrap();
    let target = chuyende::app::sessions::Target::of(plan, &app.demo.kindergarten, topic);
    let draft = PaperDraft {
        stage: Stage::Final,
        body: "Bản hoàn chỉnh cuối cùng của chuyên đề.".into(),
        upload: None,
    };
    let by = Some(app.user("dangvien").await);
    let ctx = chuyende::app::Ctx {
        db: &app.db,
        mail: false,
    };
    chuyende::app::papers::add(ctx, by, target, &draft)
        .await
        .unwrap()
        .get()
}

pub(crate) fn minutes_path(session: &Session) -> String {
    format!("/sessions/{}/minutes", session.id)
}

/// Posts one part of the minutes with the version the page shows now.
pub(crate) async fn save(
    browser: &Browser,
    session: &Session,
    part: &str,
    fields: &[(&str, &str)],
) -> crate::harness::Response {
    let page = browser.get(&minutes_path(session)).await;
    let version = version_in(&page.body);
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(fields);
    browser
        .post(&format!("{}/parts/{part}", minutes_path(session)), &all)
        .await
}

/// The attendance form with the first `absent` members absent without reason, the next one
/// excused (with a reason) when `excused`, everybody else present.
pub(crate) async fn attendance(
    browser: &Browser,
    session: &Session,
    members: &[Member],
    absent: usize,
    excused: bool,
) -> crate::harness::Response {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let presence = if i < absent {
            "absent"
        } else if excused && i == absent {
            "excused"
        } else {
            "present"
        };
        fields.push((format!("presence_{}", member.id), presence.into()));
        fields.push((
            format!("reason_{}", member.id),
            if presence == "excused" {
                "Đi công tác".into()
            } else {
                String::new()
            },
        ));
    }
    fields.push(("guest_name_0".into(), "Phạm Văn Hùng".into()));
    fields.push(("guest_title_0".into(), "Đảng ủy viên".into()));
    fields.push(("guest_unit_0".into(), "Đảng ủy xã Định An".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    save(browser, session, "attendance", &borrowed).await
}

/// Full points on `sheet` but `total_less`, taken from the first items.
pub(crate) fn points_on(sheet: &Sheet, total_less: u8) -> Vec<(String, String)> {
    let mut left = total_less;
    sheet
        .items()
        .enumerate()
        .map(|(i, item)| {
            let take = left.min(item.max);
            left -= take;
            (format!("point_{i}"), (item.max - take).to_string())
        })
        .collect()
}

pub(crate) fn all_points(total_less: u8) -> Vec<(String, String)> {
    points_on(&Sheet::standard(), total_less)
}

both! {
    async fn the_whole_path_from_attendance_to_the_committees_grade(app: TestApp) {
        let (session, plan, members) = demo_session(&app).await;
        let path = minutes_path(&session);
        let secretary = app.login("bithu").await;
        let member = app.login("dangvien").await;
        let reviewer = app.login("danguy").await;

        // Before anything is recorded: the secretary sees every member listed once and the
        // standard agenda; members and reviewers may not read the minutes yet.
        let page = secretary.get(&path).await;
        page.ok().contains("Chưa điểm danh").contains("Tuyên bố lý do, giới thiệu đại biểu");
        for m in &members {
            assert_eq!(page.body.matches(&format!("name=\"presence_{}\"", m.id)).count(), 4, "{}", m.full_name);
        }
        assert_eq!(member.get(&path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(reviewer.get(&path).await.status, StatusCode::FORBIDDEN);
        // The session page links the minutes to the secretary only.
        let topic_page = format!("/topics/{}/session", session.topic_id);
        secretary.get(&topic_page).await.ok().contains(&path);
        member.get(&topic_page).await.ok().lacks(&path);

        attendance(&secretary, &session, &members, 1, true).await.redirects_to(&path);
        let called = members.len();
        secretary.get(&path).await.ok()
            .contains(&format!("có mặt {}/{called}", called - 2))
            .lacks("không quá một nửa");
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "16:30")]).await.redirects_to(&path);
        save(&secretary, &session, "speeches", &[
            ("speaker_0", "Nguyễn Thị Ly"), ("summary_0", "Đồng ý với dự thảo; đề nghị bổ sung số liệu."),
            ("speaker_1", "Trần <b>Hoa</b> #set"), ("summary_1", "Cần thêm giải pháp."),
        ]).await.redirects_to(&path);
        save(&secretary, &session, "conclusion", &[("conclusion", "Chi bộ thống nhất nội dung chuyên đề.\nĐồng chí trình bày tiếp thu, hoàn chỉnh.")]).await.redirects_to(&path);
        let present = (called - 2).to_string();
        save(&secretary, &session, "vote", &[("vote_yes", &present), ("vote_no", "0"), ("vote_abstain", "")]).await.redirects_to(&path);

        // Open minutes print as a draft without a number.
        secretary.get(&format!("{path}/document")).await.ok().contains("DỰ THẢO").contains("BIÊN BẢN");

        let page = secretary.get(&path).await;
        secretary.post(&format!("{path}/close"), &[("version", &version_in(&page.body))]).await.redirects_to(&path);
        let stored = chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap();
        // The demo's three sessions of 2022 are numbers 1 to 3 of the same term.
        assert_eq!(stored.number_label().as_deref(), Some("Số 4-BB/CB"));
        assert_eq!(stored.attendance.total().present, called - 2);
        assert_eq!(stored.record.speeches.len(), 2);
        // The session step is done on the session's day.
        let plan_now = chuyende::db::plans::get(&app.db, plan.id).await.unwrap().unwrap();
        let topic = plan_now.topics.iter().find(|t| t.id == session.topic_id).unwrap();
        let step = topic.steps.iter().find(|s| s.kind == StepKind::Session).unwrap();
        assert_eq!(step.done_on, Some(session.date));

        // Closed minutes are frozen; members read them, the committee not yet.
        let refused = secretary.post(&format!("{path}/parts/conclusion"), &[("version", &stored.version.to_string()), ("conclusion", "Sửa sau khi khóa")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Biên bản đã khóa");
        member.get(&path).await.ok().contains("Chi bộ thống nhất nội dung chuyên đề.").lacks("name=\"conclusion\"");
        member.get(&topic_page).await.ok().contains(&path);
        assert_eq!(reviewer.get(&path).await.status, StatusCode::FORBIDDEN);

        // The three formats, closed: number, no draft mark, the minutes' foot, hostile text literal.
        let print = member.get(&format!("{path}/document")).await;
        print.ok().contains("Số 4-BB/CB").contains("THƯ KÝ").contains("CHỦ TRÌ").lacks("DỰ THẢO")
            .contains("Trần &#60;b&#62;Hoa&#60;/b&#62; #set").lacks("Nơi nhận");
        let (status, headers, docx) = member.bytes(&format!("{path}/document.docx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-disposition"].to_str().unwrap().contains("BB-04-CB-"));
        let xml = docx_document_xml(&docx);
        let order = ["CHI BỘ MẦM NON ĐỊNH AN", "Số 4-BB/CB", "ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN", "THÀNH PHẦN THAM DỰ", "Phạm Văn Hùng",
            "Vắng có lý do", "NỘI DUNG BUỔI SINH HOẠT", "Chương trình", "Ý kiến phát biểu", "Trần &lt;b&gt;Hoa&lt;/b&gt; #set",
            "Kết luận của chủ trì", "Biểu quyết", "kết thúc vào lúc 16 giờ 30 phút", "THƯ KÝ", "CHỦ TRÌ", "Lê Thị Bích Ngọc"];
        let mut at = 0;
        for wanted in order {
            let found = xml[at..].find(wanted).unwrap_or_else(|| panic!("{wanted} not in the DOCX after {at}"));
            at += found + wanted.len();
        }
        let (status, _, pdf) = member.bytes(&format!("{path}/document.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        let text = pdf_text(&pdf);
        for wanted in ["BIÊN BẢN", "THÀNH PHẦN THAM DỰ", "Trần <b>Hoa</b> #set", "THƯ KÝ", "CHỦ TRÌ"] {
            assert!(text.contains(wanted), "{wanted} not in the PDF");
        }

        // The secretary proposes a grade: a grade of 120 on one item comes back beside it.
        let mut fields = all_points(5);
        fields[0].1 = "120".into();
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = secretary.post(&format!("{path}/grade"), &borrowed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("vượt mức tối đa").contains("value=\"120\"");
        let fields = all_points(5);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        secretary.post(&format!("{path}/grade"), &borrowed).await.redirects_to(&path);
        secretary.get(&path).await.contains("Chi bộ đề xuất: <b>95 điểm — Tốt</b>");

        // Reporting sends the final paper with the minutes: refused while none went to the
        // members. The presenter writes it; the secretary sends it to the members.
        let refused = secretary.post(&format!("{path}/report"), &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("báo cáo gửi kèm chuyên đề hoàn chỉnh").contains("/papers");
        let final_paper = add_final_paper(&app, &plan, &session).await;
        secretary.get(&path).await.ok().contains(&format!("/papers/{final_paper}")).contains("chưa gửi đảng viên");
        assert_eq!(reviewer.get(&format!("/papers/{final_paper}")).await.status, StatusCode::NOT_FOUND);
        secretary.get(&format!("/papers/{final_paper}")).await.ok();
        secretary.post(&format!("/papers/{final_paper}/circulate"), &[]).await.redirects_to(&format!("/papers/{final_paper}"));

        // Reported once; then the reviewer reads it, in the inbox and on the page.
        secretary.post(&format!("{path}/report"), &[]).await.redirects_to(&path);
        let reported = chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap();
        assert_eq!(reported.reported_paper.map(|p| p.get()), Some(final_paper));
        reviewer.get(&path).await.ok().contains("Đã gửi cấp ủy cấp trên cùng biên bản").contains(&format!("/papers/{final_paper}"));
        reviewer.get(&format!("/papers/{final_paper}")).await.ok().contains("Bản hoàn chỉnh cuối cùng của chuyên đề.");
        assert_eq!(secretary.post(&format!("{path}/report"), &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The committee's reviewer is told, once, with a link to the minutes.
        let reviewer_id = app.user("danguy").await;
        let told = app.unread_of(reviewer_id, chuyende::domain::notification::NoticeKind::MinutesReported).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("Chi bộ Mầm non Định An đã báo cáo biên bản"), "{told:?}");
        reviewer.get("/notifications").await.ok().contains("Báo cáo kết quả sinh hoạt chuyên đề");
        reviewer.get("/reviews").await.ok().contains(&path);
        reviewer.get(&path).await.ok().contains("Xác nhận xếp loại");
        reviewer.get(&format!("/orgs/{}", app.demo.kindergarten.id)).await.ok().contains(&path);
        // A member may not decide the grade.
        assert_eq!(member.post(&format!("{path}/decide"), &[]).await.status, StatusCode::FORBIDDEN);

        // The reviewer changes the grade: a reason is required, then it stands.
        let changed: Vec<(String, String)> = all_points(20).into_iter()
            .map(|(k, v)| (k.replacen("point_", "decided_", 1), v)).collect();
        let borrowed: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        reviewer.get(&path).await;
        let refused = reviewer.post(&format!("{path}/decide"), &borrowed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Vui lòng ghi lý do khi xếp loại khác với đề xuất");
        let mut with_reason = borrowed.clone();
        with_reason.push(("reason", "Thảo luận còn ít ý kiến."));
        reviewer.post(&format!("{path}/decide"), &with_reason).await.redirects_to(&path);
        member.get(&path).await.ok().contains("Cấp ủy cấp trên xếp loại: <b>80 điểm — Khá</b>").contains("Thảo luận còn ít ý kiến.");
        let (_, decided) = chuyende::app::minutes::grades(&app.db, stored.id).await.unwrap();
        assert_eq!(decided.unwrap().scores.total(), 80);
    }

    async fn bad_input_comes_back_beside_its_field(app: TestApp) {
        let (session, _, members) = demo_session(&app).await;
        let path = minutes_path(&session);
        let secretary = app.login("bithu").await;

        let refused = save(&secretary, &session, "times", &[("started", "10:00"), ("ended", "09:00")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Giờ kết thúc phải sau giờ bắt đầu").contains("value=\"09:00\"").contains("value=\"10:00\"");
        let refused = save(&secretary, &session, "times", &[("started", "25:00"), ("ended", "")]).await;
        refused.contains("giờ từ 0 đến 23").contains("value=\"25:00\"");

        attendance(&secretary, &session, &members, 0, false).await.redirects_to(&path);
        let present = members.len();
        let refused = save(&secretary, &session, "vote", &[("vote_yes", "40"), ("vote_no", ""), ("vote_abstain", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains(&format!("40 lớn hơn số đảng viên có mặt ({present})")).contains("value=\"40\"");
        let refused = save(&secretary, &session, "vote", &[("vote_yes", "1"), ("vote_no", &present.to_string())]).await;
        refused.contains("Tổng số phiếu");

        // An absence with reason needs the reason; the other choices stay as typed.
        let first = &members[0];
        let mut fields = vec![(format!("presence_{}", first.id), "excused".to_owned()), (format!("reason_{}", first.id), String::new())];
        for m in &members[1..] {
            fields.push((format!("presence_{}", m.id), "absent".into()));
        }
        fields.push(("guest_title_0".into(), "Bí thư Đoàn".into()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = save(&secretary, &session, "attendance", &borrowed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Vui lòng ghi lý do vắng mặt").contains("Vui lòng ghi họ tên đại biểu").contains("value=\"Bí thư Đoàn\"")
            .contains(&format!("name=\"presence_{}\" value=\"absent\" checked", members[1].id));

        let refused = save(&secretary, &session, "speeches", &[("speaker_0", ""), ("summary_0", "Ý kiến không tên")]).await;
        refused.contains("Vui lòng ghi tên người phát biểu").contains("Ý kiến không tên");
        let long = "ê".repeat(20_001);
        let refused = save(&secretary, &session, "conclusion", &[("conclusion", &long)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Tối đa 20.000 ký tự");

        // A form drawn before someone else's save is refused, the typed text kept; again, it applies.
        let stale = secretary.get(&path).await;
        save(&secretary, &session, "conclusion", &[("conclusion", "Bản của người khác")]).await.redirects_to(&path);
        let refused = secretary.post(&format!("{path}/parts/conclusion"), &[("version", &version_in(&stale.body)), ("conclusion", "Bản của tôi")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Trong lúc đồng chí ghi").contains("Bản của tôi");
        save(&secretary, &session, "conclusion", &[("conclusion", "Bản của tôi")]).await.redirects_to(&path);

        // Closing refuses minutes without times, naming what is missing.
        let page = secretary.get(&path).await;
        let refused = secretary.post(&format!("{path}/close"), &[("version", &version_in(&page.body))]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("còn thiếu giờ bắt đầu và kết thúc");
        assert!(chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap().is_open());
    }

    async fn the_guidance_warnings_of_42_hd(app: TestApp) {
        let (session, _, members) = demo_session(&app).await;
        let path = minutes_path(&session);
        let secretary = app.login("bithu").await;
        let warning = "Hướng dẫn 42-HD/BTCTW yêu cầu ít nhất";

        // The demo session is combined with the regular meeting: 120 minutes.
        assert!(session.combined);
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "15:59")]).await.redirects_to(&path);
        secretary.get(&path).await.contains(warning).contains("dưới 120 phút");
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "16:00")]).await.redirects_to(&path);
        secretary.get(&path).await.lacks(warning);

        // Held on its own: 90 minutes.
        let topic_page = format!("/topics/{}/session", session.topic_id);
        let form = secretary.get(&topic_page).await;
        let version = version_in(&form.body);
        let chair = session.chair.as_ref().unwrap().member.to_string();
        let taker = session.minute_taker.as_ref().unwrap().member.to_string();
        secretary.post(&format!("{topic_page}/move"), &[
            ("session", &session.id.to_string()), ("version", &version),
            ("date", &session.date.format("%d/%m/%Y").to_string()), ("start", "14:00"), ("duration", "150"),
            ("venue", &session.venue), ("chair", &chair), ("minute_taker", &taker),
        ]).await.redirects_to(&topic_page);
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "15:29")]).await.redirects_to(&path);
        secretary.get(&path).await.contains(warning).contains("dưới 90 phút");
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "15:30")]).await.redirects_to(&path);
        secretary.get(&path).await.lacks(warning);

        // Half the members present is not enough; one more than half is.
        let half = "không quá một nửa số đảng viên";
        let n = members.len();
        attendance(&secretary, &session, &members, n - n / 2, false).await.redirects_to(&path);
        secretary.get(&path).await.contains(half);
        attendance(&secretary, &session, &members, n - n / 2 - 1, false).await.redirects_to(&path);
        secretary.get(&path).await.lacks(half);
    }

    async fn the_minute_taker_records_but_only_the_secretary_closes(app: TestApp) {
        let (session, _, _) = demo_session(&app).await;
        let path = minutes_path(&session);
        let taker = session.minute_taker.as_ref().unwrap().member;
        let account = app.add_account("thuky", "Nguyễn Thị Thanh Tâm").await;
        chuyende::db::members::link_user(&app.db, taker, account).await.unwrap();
        let browser = app.login("thuky").await;
        save(&browser, &session, "times", &[("started", "14:00"), ("ended", "16:30")]).await.redirects_to(&path);
        let page = browser.get(&path).await;
        page.ok().lacks("Khóa biên bản</button>");
        assert_eq!(browser.post(&format!("{path}/close"), &[("version", &version_in(&page.body))]).await.status, StatusCode::FORBIDDEN);
        // Another member of the cell neither records nor reads the open minutes.
        let member = app.login("dangvien").await;
        assert_eq!(member.post(&format!("{path}/parts/times"), &[("version", "1"), ("started", "08:00")]).await.status, StatusCode::FORBIDDEN);
    }
}

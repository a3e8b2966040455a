//! The session of a topic over HTTP: scheduled (the session step takes its date), moved (the
//! members are told, the history keeps it), cancelled (with a reason); bad input back beside
//! its field; the preparation laid out backwards from the session; shown on the plan page and
//! in "Việc của tôi".

use chrono::{Datelike, Days, NaiveDate};

use crate::both;
use crate::harness::TestApp;
use chuyende::db::plans;
use chuyende::domain::calendar::Due;
use chuyende::domain::notification::NoticeKind;
use chuyende::domain::org::Year;
use chuyende::domain::plan::{Plan, PlanId, StepKind, Topic};

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A day `days` from today, kept within this year (a session belongs to its plan's year).
fn soon(days: u64) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(today().year(), 12, 31).unwrap();
    (today() + Days::new(days)).min(last)
}

fn typed(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

async fn this_years_plan(app: &TestApp) -> Plan {
    let year = Year::new(today().year()).unwrap();
    let id: PlanId = plans::find(&app.db, app.demo.kindergarten.id, year)
        .await
        .unwrap()
        .expect("this year's plan");
    plans::get(&app.db, id).await.unwrap().unwrap()
}

async fn topic(app: &TestApp, index: usize) -> Topic {
    this_years_plan(app).await.topics[index].clone()
}

fn session_step(topic: &Topic) -> Option<Due> {
    topic
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Session)
        .and_then(|s| s.due)
}

/// The value of the hidden field `name` in the first form that has one.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"))
        + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

both! {
    async fn a_session_is_scheduled_moved_and_cancelled(app: TestApp) {
        let secretary = app.login("bithu").await;
        let member = app.login("dangvien").await;
        let ly = app.member_id(app.demo.kindergarten.id, "Nguyễn Thị Ly").await;
        let topic_before = topic(&app, 0).await;
        let id = topic_before.id;
        let path = format!("/topics/{id}/session");
        assert!(matches!(session_step(&topic_before), Some(Due::Month(_))));

        // The form: the secretary chairs unless someone else is chosen.
        let form = secretary.get(&path).await;
        form.ok().contains("Lên lịch sinh hoạt").contains("Chưa lên lịch");
        let day = soon(3);
        secretary.post(&path, &[
            ("date", &typed(day)), ("start", "8h"), ("duration", "120"),
            ("venue", "  Hội trường Trường Mầm non Định An "), ("chair", ""),
            ("minute_taker", &ly.to_string()), ("combined", "on"),
        ]).await.redirects_to(&path);

        // The session step (and the topic's planned session) take the day; the plan's history
        // says why.
        let scheduled = topic(&app, 0).await;
        assert_eq!(session_step(&scheduled), Some(Due::Date(day)));
        assert_eq!(scheduled.session, Some(Due::Date(day)));
        let plan = this_years_plan(&app).await;
        let history = plans::history(&app.db, plan.id).await.unwrap();
        assert!(history[0].summary.starts_with("Lên lịch sinh hoạt chuyên đề"), "{:?}", history[0]);
        assert_eq!(history[0].part, format!("topic:{id}"));

        let page = secretary.get(&path).await;
        page.ok()
            .contains("Đã lên lịch")
            .contains(&format!("08:00–10:00, {} {}", chuyende::domain::calendar::weekday_label(day), typed(day)))
            .contains("Hội trường Trường Mầm non Định An")
            .contains("Lê Thị Bích Ngọc")
            .contains("Gộp với sinh hoạt chi bộ thường kỳ trong cùng một buổi (thực hiện lần lượt)")
            .contains("Đổi lịch sinh hoạt")
            .contains("Hủy buổi sinh hoạt");
        // Two hours with the regular meeting is enough (42-HD/BTCTW): no warning.
        page.lacks("thời lượng dự kiến dưới");
        // The member reads it, without the forms; the plan page and her work list show it.
        member.get(&path).await.ok().contains("Hội trường Trường Mầm non Định An").lacks("Đổi lịch sinh hoạt").lacks("/session/cancel");
        member.get(&format!("/plans/{}", plan.id)).await.ok().contains("Buổi sinh hoạt:").contains(&path);
        member.get("/me/work").await.ok().contains("Buổi sinh hoạt chuyên đề sắp tới").contains(&topic_before.title).contains(&typed(day));
        // Scheduling twice is refused: the topic has its session.
        let again = secretary.post(&path, &[("date", &typed(day)), ("start", "9:00"), ("duration", "90"), ("venue", "Nơi khác")]).await;
        assert_eq!(again.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        again.contains("Chuyên đề đã có lịch sinh hoạt").contains("value=\"Nơi khác\"");

        // Moved: to another day, time and place; the members are told, the mover is not.
        let session = hidden(&page.body, "session");
        let version = hidden(&page.body, "version");
        let ly_user = app.user("dangvien").await;
        let secretary_user = app.user("bithu").await;
        assert!(app.unread_of(ly_user, NoticeKind::SessionMoved).await.is_empty());
        let later = soon(5);
        secretary.post(&format!("{path}/move"), &[
            ("session", &session), ("version", &version), ("date", &typed(later)), ("start", "14:30"),
            ("duration", "100"), ("venue", "Phòng họp"), ("chair", ""), ("minute_taker", &ly.to_string()), ("combined", "on"),
        ]).await.redirects_to(&path);
        assert_eq!(session_step(&topic(&app, 0).await), Some(Due::Date(later)));
        let told = app.unread_of(ly_user, NoticeKind::SessionMoved).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("14:30") && told[0].contains("Phòng họp") && told[0].contains(&topic_before.title), "{}", told[0]);
        assert!(app.unread_of(secretary_user, NoticeKind::SessionMoved).await.is_empty());
        let page = secretary.get(&path).await;
        page.ok()
            .contains("Đổi lịch sinh hoạt chuyên đề")
            .contains("địa điểm “Hội trường Trường Mầm non Định An” → “Phòng họp”")
            // 100 minutes with the regular meeting: short of the 120 the guidance asks.
            .contains("thời lượng dự kiến dưới 120 phút");
        // A move from the form drawn before the first one is refused, with what was typed.
        let stale = secretary.post(&format!("{path}/move"), &[
            ("session", &session), ("version", &version), ("date", &typed(later)), ("start", "15:00"),
            ("duration", "120"), ("venue", "Sân trường"),
        ]).await;
        assert_eq!(stale.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        stale.contains("đã được người khác thay đổi").contains("value=\"Sân trường\"").contains("value=\"15:00\"");

        // Cancelled: a reason is required; the members are told; the step keeps its date.
        let page = secretary.get(&path).await;
        let version = hidden(&page.body, "version");
        let refused = secretary.post(&format!("{path}/cancel"), &[("session", &session), ("version", &version), ("reason", "  ")]).await;
        assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Vui lòng ghi lý do hủy buổi sinh hoạt.");
        secretary.post(&format!("{path}/cancel"), &[("session", &session), ("version", &version), ("reason", "Trùng lịch họp hội đồng nhà trường")])
            .await.redirects_to(&path);
        let told = app.unread_of(ly_user, NoticeKind::SessionCancelled).await;
        assert_eq!(told.len(), 1);
        assert!(told[0].contains("Trùng lịch họp hội đồng nhà trường"), "{}", told[0]);
        assert_eq!(session_step(&topic(&app, 0).await), Some(Due::Date(later)));
        let page = secretary.get(&path).await;
        page.ok()
            .contains("Chưa lên lịch")
            .contains("Buổi đã hủy")
            .contains("Trùng lịch họp hội đồng nhà trường")
            .contains("Hủy buổi sinh hoạt chuyên đề")
            .contains("Lên lịch sinh hoạt");
        member.get("/me/work").await.ok().lacks(&format!("/topics/{id}/session"));
        // Cancelling again: nothing to cancel.
        let gone = secretary.post(&format!("{path}/cancel"), &[("session", &session), ("version", &version), ("reason", "Lần hai")]).await;
        assert_eq!(gone.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        gone.contains("không còn trong lịch");
        // And a new session may be scheduled after a cancelled one.
        secretary.post(&path, &[("date", &typed(later)), ("start", "7:30"), ("duration", "90"), ("venue", "Phòng họp")])
            .await.redirects_to(&path);
        secretary.get(&path).await.ok().contains("Đã lên lịch").contains("Buổi đã hủy");
    }

    async fn bad_input_comes_back_beside_its_field(app: TestApp) {
        let secretary = app.login("bithu").await;
        let id = topic(&app, 1).await.id;
        let path = format!("/topics/{id}/session");
        secretary.get(&path).await.ok();
        let past = today() - Days::new(1);
        let refused = secretary.post(&path, &[
            ("date", &typed(past)), ("start", "25:00"), ("duration", "1000"),
            ("venue", "   "), ("chair", "999999"), ("minute_taker", "abc"),
        ]).await;
        assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        refused
            .contains("id=\"date-error\"")
            .contains(&format!("value=\"{}\"", typed(past)))
            .contains("Giờ bắt đầu không hợp lệ")
            .contains("value=\"25:00\"")
            .contains("Thời lượng dự kiến từ 30 đến 480 phút.")
            .contains("value=\"1000\"")
            .contains("Vui lòng nhập địa điểm sinh hoạt.")
            .contains("Người chủ trì phải là đảng viên của chi bộ.")
            .contains("Người ghi biên bản phải là đảng viên của chi bộ.");
        if past.year() == today().year() {
            refused.contains("Ngày sinh hoạt đã qua");
        }
        let long = "Hội trường ".repeat(40);
        let refused = secretary.post(&path, &[("date", &typed(soon(2))), ("start", "08:00"), ("duration", "90"), ("venue", &long)]).await;
        assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("Địa điểm quá dài. Tối đa 200 ký tự; đồng chí đã nhập 439.").contains(long.trim());
        let refused = secretary.post(&path, &[("date", "31/02/2026"), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp")]).await;
        refused.contains("Ngày không hợp lệ");
        let next_year = NaiveDate::from_ymd_opt(today().year() + 1, 1, 15).unwrap();
        secretary.post(&path, &[("date", &typed(next_year)), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp")]).await
            .contains("Ngày sinh hoạt phải trong năm của kế hoạch.");
        // Nothing was stored.
        assert!(chuyende::app::sessions::of_topic(&app.db, id).await.unwrap().is_empty());

        // The move and cancel forms of a scheduled session: hostile text comes back cleaned,
        // over-long text with its limit, repeated fields are no bare 400.
        secretary.post(&path, &[("date", &typed(soon(4))), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp")])
            .await.redirects_to(&path);
        let page = secretary.get(&path).await;
        let (session, version) = (hidden(&page.body, "session"), hidden(&page.body, "version"));
        let huge = "ê".repeat(100_001);
        let moved = secretary.post(&format!("{path}/move"), &[
            ("session", &session), ("version", &version), ("date", &typed(soon(4))), ("start", "08:00"),
            ("duration", "90"), ("venue", &huge),
        ]).await;
        assert_eq!(moved.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        moved.contains("Địa điểm quá dài. Tối đa 200 ký tự; đồng chí đã nhập 100.001.");
        let moved = secretary.post(&format!("{path}/move"), &[
            ("session", &session), ("version", &version), ("date", &typed(soon(4))), ("start", "08:00"),
            ("duration", "90"), ("venue", "Phòng\u{0} họp\r\nhai"),
        ]).await;
        assert_eq!(moved.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        moved.contains("Địa điểm chỉ được có một dòng.");
        let doubled = secretary.post(&format!("{path}/move"), &[
            ("session", &session), ("session", "x"), ("version", &version), ("version", "y"),
            ("date", &typed(soon(4))), ("date", "<b>"), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp"),
        ]).await;
        assert_ne!(doubled.status, reqwest::StatusCode::BAD_REQUEST);
        assert!(!doubled.status.is_server_error());
        let cancelled = secretary.post(&format!("{path}/cancel"), &[("session", &session), ("version", &version), ("reason", &"x".repeat(1_001))]).await;
        assert_eq!(cancelled.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        cancelled.contains("Lý do quá dài. Tối đa 1.000 ký tự; đồng chí đã nhập 1.001.").contains(&"x".repeat(1_001));
        // Still scheduled, as it was.
        let stored = chuyende::app::sessions::of_topic(&app.db, id).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].is_cancelled());
        assert_eq!(stored[0].venue, "Phòng họp");
    }

    async fn the_preparation_is_laid_out_backwards_from_the_session(app: TestApp) {
        let secretary = app.login("bithu").await;
        let before = topic(&app, 1).await;
        let id = before.id;
        let path = format!("/topics/{id}/session");
        // The outline is done already: re-laying keeps that, and keeps its assignees.
        let outline = &before.steps[0];
        assert_eq!(outline.kind, StepKind::Outline);
        plans::mark_step(&app.db, outline.id, Some(today()), None).await.unwrap();
        let day = soon(10);
        secretary.get(&path).await.ok();
        secretary.post(&path, &[("date", &typed(day)), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp")])
            .await.redirects_to(&path);
        // Without the box ticked, only the session step moved.
        let scheduled = topic(&app, 1).await;
        assert_eq!(scheduled.steps[0].due, before.steps[0].due);
        assert_eq!(session_step(&scheduled), Some(Due::Date(day)));

        // One action lays the rest out backwards: six weeks, four, two, one.
        secretary.get(&path).await.ok().contains("Lập lại lịch chuẩn bị tính ngược từ ngày");
        secretary.post(&format!("{path}/relay"), &[]).await.redirects_to(&path);
        let relaid = topic(&app, 1).await;
        let dues: Vec<Option<Due>> = relaid.steps.iter().map(|s| s.due).collect();
        let back = |days: u64| Some(Due::Date(day - Days::new(days)));
        assert_eq!(dues, [back(42), back(28), back(14), back(7), back(0)]);
        assert_eq!(relaid.steps[0].id, outline.id);
        assert_eq!(relaid.steps[0].done_on, Some(today()));
        assert_eq!(relaid.steps[0].assignees, outline.assignees);
        let plan = this_years_plan(&app).await;
        let history = plans::history(&app.db, plan.id).await.unwrap();
        assert!(history[0].summary.starts_with("Lập lại lịch chuẩn bị chuyên đề"), "{:?}", history[0]);
        secretary.get(&path).await.ok().contains("Lập lại lịch chuẩn bị chuyên đề");

        // Moving with the box ticked lays it out from the new day in the same save.
        let page = secretary.get(&path).await;
        let later = soon(20);
        secretary.post(&format!("{path}/move"), &[
            ("session", &hidden(&page.body, "session")), ("version", &hidden(&page.body, "version")),
            ("date", &typed(later)), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp"), ("relay", "on"),
        ]).await.redirects_to(&path);
        let moved = topic(&app, 1).await;
        assert_eq!(moved.steps[3].due, Some(Due::Date(later - Days::new(7))));
        assert_eq!(session_step(&moved), Some(Due::Date(later)));
    }

    async fn the_demo_has_a_scheduled_session(app: TestApp) {
        let plan = this_years_plan(&app).await;
        let sessions = chuyende::app::sessions::open_of_plan(&app.db, plan.id).await.unwrap();
        assert_eq!(sessions.len(), 1);
        let session = &sessions[0];
        assert!(session.date >= today());
        let topic = plan.topics.iter().find(|t| t.id == session.topic_id).unwrap();
        assert_eq!(session_step(topic), Some(Due::Date(session.date)));
        // Loading again changes nothing.
        chuyende::demo::load(&app.db).await.unwrap();
        assert_eq!(chuyende::app::sessions::open_of_plan(&app.db, plan.id).await.unwrap().len(), 1);
        let member = app.login("dangvien").await;
        member.get("/me/work").await.ok().contains("Phòng họp Trường Mầm non Định An");
        member.get(&format!("/plans/{}", plan.id)).await.ok().contains("Phòng họp Trường Mầm non Định An");
    }

    async fn my_work_prints_on_a_large_type_sheet(app: TestApp) {
        let plan = this_years_plan(&app).await;
        let session = &chuyende::app::sessions::open_of_plan(&app.db, plan.id).await.unwrap()[0];
        let member = app.login("dangvien").await;
        member.get("/me/work").await.ok().contains("href=\"/me/work/sheet\"");
        let sheet = member.get("/me/work/sheet").await;
        sheet.ok()
            .contains("<body class=\"sheet\">")
            .contains("Đồng chí Nguyễn Thị Ly")
            .contains(&session.when())
            .contains("Phòng họp Trường Mầm non Định An")
            .contains("Trình bày chuyên đề")
            // Paper only: no navigation, no forms.
            .lacks("<nav")
            .lacks("Đăng xuất")
            .lacks("<form");
        // The stylesheet sets the sheet's body in 16 pt on A4.
        let css = member.get("/static/app.css").await;
        css.contains("body.sheet { font-size: 16pt;").contains("size: A4");
        // Signed out, it is a sign-in.
        app.browser().get("/me/work/sheet").await.redirects_to("/login");
    }
}

both! {
    async fn sessions_are_scheduled_on_an_adopted_and_a_submitted_plan(app: TestApp) {
        use chuyende::domain::plan::PlanStatus;
        let secretary = app.login("bithu").await;
        let plan = this_years_plan(&app).await;
        let p = plan.id;
        secretary.get(&format!("/plans/{p}/adopt")).await.ok();
        let meeting = typed(today());
        secretary.post(&format!("/plans/{p}/adopt"), &[
            ("meeting_on", &meeting), ("present", "8"), ("total", "8"), ("votes_for", "8"), ("votes_against", "0"),
        ]).await.redirects_to(&format!("/plans/{p}"));
        assert_eq!(this_years_plan(&app).await.status, PlanStatus::Adopted);

        // Scheduling carries the plan out: the adopted plan stays adopted.
        let first = topic(&app, 0).await.id;
        let path = format!("/topics/{first}/session");
        secretary.get(&path).await.ok();
        secretary.post(&path, &[("date", &typed(soon(3))), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp")])
            .await.redirects_to(&path);
        let adopted = this_years_plan(&app).await;
        assert_eq!(adopted.status, PlanStatus::Adopted);
        assert_eq!(session_step(&adopted.topics[0]), Some(Due::Date(soon(3))));

        // Under review, the committee's text is frozen; the session is still scheduled and its
        // steps laid out, and the plan stays under review.
        secretary.post(&format!("/plans/{p}/submit"), &[]).await.redirects_to(&format!("/plans/{p}"));
        assert_eq!(this_years_plan(&app).await.status, PlanStatus::Submitted);
        let second = topic(&app, 1).await.id;
        let path = format!("/topics/{second}/session");
        secretary.get(&path).await.ok();
        secretary.post(&path, &[("date", &typed(soon(12))), ("start", "08:00"), ("duration", "90"), ("venue", "Phòng họp"), ("relay", "on")])
            .await.redirects_to(&path);
        let submitted = this_years_plan(&app).await;
        assert_eq!(submitted.status, PlanStatus::Submitted);
        assert_eq!(session_step(&submitted.topics[1]), Some(Due::Date(soon(12))));
        assert_eq!(submitted.topics[1].steps[3].due, Some(Due::Date(soon(12) - Days::new(7))));
    }
}

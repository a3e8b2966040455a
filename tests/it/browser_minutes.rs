//! Holding the session on a phone, in headless Chromium (see `browser`): the secretary takes the
//! attendance of a cell of ten and writes the minutes part by part, then closes them; what the
//! page shows (the share present, the warnings) and what is stored; the page fits the phone.

use fantoccini::Locator;

use crate::both;
use crate::browser::Chromium;
use chuyende::domain::attendance::Presence;
use chuyende::domain::org::Year;

/// A phone's window (CSS pixels).
const PHONE: (u32, u32) = (390, 844);

impl Chromium {
    /// Clicks the radio button of `presence` for `member` (by its label, as a finger would).
    async fn mark(&self, member: i64, presence: &str) {
        self.click(&format!(
            "input[name='presence_{member}'][value='{presence}']"
        ))
        .await;
    }

    /// Submits the form posting to the part `part` of the minutes and waits for the page back.
    async fn save_part(&self, part: &str, then: &str) {
        self.click(&format!(
            "form[action$='/parts/{part}'] button[type='submit']"
        ))
        .await;
        self.wait_for(then).await;
    }

    /// Nothing is wider than the phone: no sideways scrolling, and every control and its label
    /// within the screen; the choices of the attendance are big enough for a finger.
    async fn fits_the_phone(&self, what: &str) {
        let (page, screen): (f64, f64) = serde_json::from_value(
            self.client
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth]",
                    vec![],
                )
                .await
                .unwrap(),
        )
        .unwrap();
        assert_eq!(screen, f64::from(PHONE.0), "the window is a phone's");
        assert!(
            page <= screen,
            "{what}: the page is {page} px wide on a {screen} px screen"
        );
        let too_wide = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('main input, main select, main textarea, main button, main label'))
                   .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5)
                   .map(e => e.outerHTML.slice(0, 80))",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            too_wide,
            serde_json::json!([]),
            "{what}: controls past the screen's edge"
        );
        let small = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('.roll label.choice'))
                   .filter(e => e.getBoundingClientRect().height < 40).length",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            small,
            serde_json::json!(0),
            "{what}: attendance choices under 40 px high"
        );
    }
}

both! {
    async fn the_secretary_takes_the_attendance_of_ten_and_writes_the_minutes_on_a_phone(app: TestApp) {
        use chuyende::db;
        let cell = app.demo.kindergarten.id;
        // The cell grows to ten, as the secretary adds members on the members' page.
        let secretary = app.login("bithu").await;
        for name in ["Đinh Thị Mỹ Linh", "Trương Văn Bảy"] {
            secretary.get(&format!("/orgs/{cell}/members/new")).await.ok();
            secretary
                .post(&format!("/orgs/{cell}/members/new"), &[
                    ("full_name", name), ("standing", "full"), ("role", "member"),
                    ("birth_year", ""), ("phone", ""), ("email", ""), ("login", ""),
                ])
                .await
                .status_is(reqwest::StatusCode::SEE_OTHER);
        }
        let members: Vec<_> = db::members::list(&app.db, cell).await.unwrap().into_iter().filter(|m| m.active).collect();
        assert_eq!(members.len(), 10);
        let year = Year::new(chrono::Datelike::year(&chrono::Local::now())).unwrap();
        let plan = db::plans::find(&app.db, cell, year).await.unwrap().unwrap();
        let session = chuyende::app::sessions::open_of_plan(&app.db, plan).await.unwrap().remove(0);
        let path = format!("/sessions/{}/minutes", session.id);

        let chromium = Chromium::start_phone(PHONE.0, PHONE.1).await;
        chromium.sign_in(&app.base, &path, "bithu").await;
        chromium.wait_for("Chưa điểm danh").await;
        chromium.fits_the_phone("the blank minutes").await;

        // First count: five present, one excused, four not (yet) there: not more than half.
        let ids: Vec<i64> = members.iter().map(|m| m.id.0).collect();
        for (i, id) in ids.iter().enumerate() {
            chromium.mark(*id, match i { 0..5 => "present", 5 => "excused", _ => "absent" }).await;
        }
        chromium.fill(&format!("reason_{}", ids[5]), "Đi công tác").await;
        chromium.save_part("attendance", "có mặt 5/10").await;
        let text = chromium.text().await.unwrap();
        assert!(text.contains("(50%)"), "{text}");
        assert!(text.contains("không quá một nửa số đảng viên được triệu tập có mặt"), "{text}");
        // Three late-comers arrive: eight of ten, the warning goes.
        for id in &ids[6..9] {
            chromium.mark(*id, "present").await;
        }
        chromium.save_part("attendance", "có mặt 8/10").await;
        let text = chromium.text().await.unwrap();
        assert!(text.contains("(80%)"), "{text}");
        assert!(!text.contains("không quá một nửa"), "{text}");
        // The reason is asked only of those not present.
        let shown = |id: i64| {
            let client = chromium.client.clone();
            async move { client.find(Locator::Id(&format!("reason_{id}"))).await.unwrap().is_displayed().await.unwrap() }
        };
        assert!(!shown(ids[0]).await, "no reason asked of a member present");
        assert!(shown(ids[5]).await && shown(ids[9]).await, "a reason asked of the absent");
        // Kept for a person to look at: the roll as a phone shows it.
        chromium.client.execute("document.getElementById('attendance').scrollIntoView()", vec![]).await.unwrap();
        let roll = chromium.client.screenshot().await.unwrap();
        std::fs::write(std::env::temp_dir().join(format!("chuyende-attendance-phone-{}.png", app.db.backend())), &roll).unwrap();

        // The times: an hour and a quarter is under the 90 minutes of 42-HD/BTCTW (120 when,
        // as in the demo, the session is combined with the regular meeting).
        let least = if session.combined { 120 } else { 90 };
        chromium.fill("started", "14:00").await;
        chromium.fill("ended", "15:15").await;
        chromium.save_part("times", &format!("Cảnh báo: buổi sinh hoạt kéo dài dưới {least} phút")).await;
        chromium.fill("ended", "16:15").await;
        chromium.save_part("times", "Thời lượng thực tế: 2 giờ 15 phút").await;
        assert!(!chromium.text().await.unwrap().contains("kéo dài dưới"));

        chromium.fill("chair", "Lê Thị Bích Ngọc").await;
        chromium.fill("minute_taker", "Nguyễn Thị Thanh Tâm").await;
        chromium.fill("presenter", "Nguyễn Thị Ly").await;
        chromium.click("form[action$='/parts/people'] button[type='submit']").await;
        chromium.wait_for("Chương trình").await;
        // The agenda comes filled in with the order of a thematic session; one line is added.
        chromium
            .client
            .find(Locator::Css("[name='agenda']"))
            .await
            .unwrap()
            .send_keys("\nĐồng chí Phạm Văn Hùng, Đảng ủy viên, phát biểu chỉ đạo.")
            .await
            .unwrap();
        chromium.click("form[action$='/parts/agenda'] button[type='submit']").await;
        chromium.wait_for("Ý kiến phát biểu").await;
        chromium.fill("speaker_0", "Trần Thị Kim Hoa").await;
        chromium.fill("summary_0", "Đồng ý với dự thảo; đề nghị bổ sung số liệu.").await;
        chromium.fill("speaker_1", "Võ Thị Mỹ Duyên").await;
        chromium.fill("summary_1", "Cần thêm giải pháp phối hợp với phụ huynh.").await;
        chromium.click("form[action$='/parts/speeches'] button[type='submit']").await;
        chromium.wait_for("Kết luận của chủ trì").await;
        chromium.fill("conclusion", "Chi bộ thống nhất nội dung chuyên đề.").await;
        chromium.click("form[action$='/parts/conclusion'] button[type='submit']").await;
        chromium.wait_for("Khóa biên bản").await;
        chromium.fits_the_phone("the minutes filled in").await;
        let page = chromium.client.screenshot().await.unwrap();
        let out = std::env::temp_dir().join(format!("chuyende-minutes-phone-{}.png", app.db.backend()));
        std::fs::write(&out, &page).unwrap();
        assert!(!chromium.text().await.unwrap().contains("Còn thiếu"), "nothing is missing");

        chromium.click("form[action$='/minutes/close'] button[type='submit']").await;
        chromium.wait_for("Đã khóa ngày").await;
        let text = chromium.text().await.unwrap();
        // The demo's three sessions of 2022 are numbers 1 to 3 of the same term.
        assert!(text.contains("Số 4-BB/CB"), "{text}");
        assert!(!text.contains("Lưu điểm danh"), "closed minutes have no forms:\n{text}");

        // What is stored.
        let stored = chuyende::app::minutes::of_session(&app.db, session.id).await.unwrap().unwrap();
        assert!(!stored.is_open());
        assert_eq!(stored.number_label().as_deref(), Some("Số 4-BB/CB"));
        let total = stored.attendance.total();
        assert_eq!((total.present, total.called), (8, 10));
        let presence_of = |i: usize| stored.attendance.attendees.iter().find(|a| a.member == members[i].id).unwrap();
        assert_eq!(presence_of(5).presence, Presence::Excused);
        assert_eq!(presence_of(5).reason, "Đi công tác");
        assert_eq!(presence_of(9).presence, Presence::Absent);
        assert_eq!(presence_of(8).presence, Presence::Present);
        let record = &stored.record;
        assert_eq!(record.duration(), Some(135));
        assert_eq!((record.chair.as_str(), record.minute_taker.as_str(), record.presenter.as_str()),
            ("Lê Thị Bích Ngọc", "Nguyễn Thị Thanh Tâm", "Nguyễn Thị Ly"));
        assert_eq!(record.agenda.len(), chuyende::domain::minutes::DEFAULT_AGENDA.len() + 1);
        assert_eq!(record.agenda.last().unwrap(), "Đồng chí Phạm Văn Hùng, Đảng ủy viên, phát biểu chỉ đạo.");
        let speeches: Vec<_> = record.speeches.iter().map(|s| (s.speaker.as_str(), s.summary.as_str())).collect();
        assert_eq!(speeches, [
            ("Trần Thị Kim Hoa", "Đồng ý với dự thảo; đề nghị bổ sung số liệu."),
            ("Võ Thị Mỹ Duyên", "Cần thêm giải pháp phối hợp với phụ huynh."),
        ]);
        assert_eq!(record.conclusion, "Chi bộ thống nhất nội dung chuyên đề.");
        chromium.client.clone().close().await.unwrap();
    }
}

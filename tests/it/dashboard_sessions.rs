//! The committee's view of sessions on the dashboard (issue "Holding the session", item 7): a
//! session held over HTTP, minutes closed, graded, shows in its quarter's columns, on the page
//! and in the CSV; the totals per quarter; the filter "no session held in this quarter".

use chrono::Datelike;

use crate::both;
use crate::dashboard::csv_rows;
use crate::harness::version_in;
use crate::minutes::{add_final_paper, all_points, attendance, demo_session, minutes_path, save};
use chuyende::domain::calendar::Quarter;

both! {
    async fn a_held_graded_session_shows_in_its_quarter(app: TestApp) {
        let (session, plan, members) = demo_session(&app).await;
        let secretary = app.login("bithu").await;
        let reviewer = app.login("danguy").await;
        let commune = &app.demo.commune;
        let cell = &app.demo.kindergarten;
        let year = plan.year;
        let quarter = plan.topics.iter().find(|t| t.id == session.topic_id).unwrap()
            .effective_quarter().unwrap();
        let in_quarter = plan.topics.iter().filter(|t| t.effective_quarter() == Some(quarter)).count();
        let other = Quarter::new(quarter.get() % 4 + 1).unwrap();
        let dashboard = |query: &str| format!("/orgs/{}/dashboard?year={year}{query}", commune.id);
        let csv = format!("/orgs/{}/dashboard.csv?year={year}", commune.id);
        let column = |q: Quarter, n: usize| 11 + usize::from(q.get() - 1) * 6 + n;

        // Before: nothing held; every cell has no session in the quarter.
        let (_, rows) = csv_rows(&reviewer, &csv).await;
        let row = rows.iter().find(|r| r[0] == cell.id.to_string()).unwrap();
        assert!(!row[column(quarter, 0)].starts_with("Đã sinh hoạt"), "{row:?}");
        assert!(row[column(quarter, 0)].ends_with(&format!("0/{in_quarter}")), "{row:?}");
        let page = reviewer.get(&dashboard(&format!("&unheld={}", quarter.get()))).await;
        page.ok().contains("Chi bộ Mầm non Định An")
            .contains(&format!("Các chi bộ chưa sinh hoạt chuyên đề {} năm {year}", quarter.label().to_lowercase()));

        // Held: one absent, one excused; 60 minutes (short of 42-HD/BTCTW's 90); closed.
        let path = minutes_path(&session);
        attendance(&secretary, &session, &members, 1, true).await.redirects_to(&path);
        save(&secretary, &session, "times", &[("started", "14:00"), ("ended", "15:00")]).await.redirects_to(&path);
        save(&secretary, &session, "conclusion", &[("conclusion", "Chi bộ thống nhất nội dung chuyên đề.")]).await.redirects_to(&path);
        let page = secretary.get(&path).await;
        secretary.post(&format!("{path}/close"), &[("version", &version_in(&page.body))]).await.redirects_to(&path);
        // Proposed 95 (Tốt), reported, decided 80 (Khá) by the committee: the decision counts.
        let fields = all_points(5);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        secretary.post(&format!("{path}/grade"), &borrowed).await.redirects_to(&path);
        let (_, rows) = csv_rows(&reviewer, &csv).await;
        let row = rows.iter().find(|r| r[0] == cell.id.to_string()).unwrap();
        assert_eq!(row[column(quarter, 5)], "Tốt", "the cell's proposal until the committee decides");
        // Reporting sends the final paper with the minutes: it goes out after the sitting, and
        // does not make the papers late (only drafts count for the lead).
        let final_paper = add_final_paper(&app, &plan, &session).await;
        secretary.get(&format!("/papers/{final_paper}")).await.ok();
        secretary.post(&format!("/papers/{final_paper}/circulate"), &[]).await.redirects_to(&format!("/papers/{final_paper}"));
        secretary.post(&format!("{path}/report"), &[]).await.redirects_to(&path);
        let decided: Vec<(String, String)> = all_points(20).into_iter()
            .map(|(k, v)| (k.replacen("point_", "decided_", 1), v)).collect();
        let mut borrowed: Vec<(&str, &str)> = decided.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        borrowed.push(("reason", "Thời lượng ngắn."));
        reviewer.get(&path).await;
        reviewer.post(&format!("{path}/decide"), &borrowed).await.redirects_to(&path);

        // The CSV: held, the paper sent more than a day ahead (the demo circulates draft 1
        // a week before), one short sitting, the share present, the committee's grade.
        let (_, rows) = csv_rows(&reviewer, &csv).await;
        assert_eq!(rows[0][column(quarter, 0)], format!("{}: sinh hoạt", quarter.label()));
        assert_eq!(rows[0][column(quarter, 5)], format!("{}: xếp loại", quarter.label()));
        let row = rows.iter().find(|r| r[0] == cell.id.to_string()).unwrap();
        let called = members.len();
        let share = format!("{}%", (called - 2) * 100 / called);
        assert!(row[column(quarter, 0)].ends_with(&format!(" 1/{in_quarter}")), "{row:?}");
        if in_quarter == 1 {
            assert_eq!(row[column(quarter, 0)], "Đã sinh hoạt 1/1");
        }
        assert_eq!(row[column(quarter, 1)..=column(quarter, 5)], ["1", "0", "1", share.as_str(), "Khá"], "{row:?}");
        // Other cells of the commune held nothing.
        for other_row in rows[1..].iter().filter(|r| r[0] != cell.id.to_string()) {
            assert!(!other_row[column(quarter, 0)].starts_with("Đã sinh hoạt"), "{other_row:?}");
            assert_eq!(other_row[column(quarter, 5)], "");
        }

        // The page: the same figures in the quarter's column; the totals per quarter.
        let page = reviewer.get(&dashboard("")).await;
        page.ok()
            .contains("Sinh hoạt quý I</th>")
            .contains(&format!("Dự {share}"))
            .contains("Xếp loại Khá")
            .contains("1 buổi dưới thời lượng")
            .contains("Tài liệu: 1 đúng hạn")
            .contains(&format!("<strong>1</strong><span>đã sinh hoạt {}", quarter.label().to_lowercase()))
            .contains(&format!("<strong>0</strong><span>đã sinh hoạt {}", other.label().to_lowercase()));
        if quarter == Quarter::of_date(chrono::Local::now().date_naive()) && year.get() == chrono::Local::now().year() {
            page.contains(&format!("đã sinh hoạt {} (quý này)", quarter.label().to_lowercase()));
        }

        // The filter: cells with no session held in the quarter — the kindergarten is not one;
        // in another quarter it is. The export follows the filter.
        let cells = |page: &crate::harness::Response| page.body.contains(&format!("href=\"/orgs/{}\">", cell.id));
        let page = reviewer.get(&dashboard(&format!("&unheld={}", quarter.get()))).await;
        page.ok().contains("2 chi bộ chưa");
        assert!(!cells(&page), "held, so not listed");
        page.contains("<strong>2</strong><span>Tất cả</span>")
            .contains(&format!("<option value=\"{}\" selected>", quarter.get()));
        let page = reviewer.get(&dashboard(&format!("&unheld={}", other.get()))).await;
        assert!(cells(&page));
        let (_, rows) = csv_rows(&reviewer, &format!("{csv}&unheld={}", quarter.get())).await;
        assert_eq!(rows.len(), 3, "a header and the two cells without a session");
        // A quarter that is not one comes back as every cell, with a note.
        reviewer.get(&dashboard("&unheld=5")).await.ok()
            .contains("Quý không hợp lệ")
            .contains("<strong>3</strong><span>Tất cả</span>");
    }

    async fn the_demo_sessions_of_2022_show_their_warnings(app: TestApp) {
        // The demo holds the kindergarten's 2022 sessions, three of them, graded: one paper
        // went out the evening before, one sitting lasted 75 minutes.
        let reviewer = app.login("danguy").await;
        let (_, rows) = csv_rows(&reviewer, &format!("/orgs/{}/dashboard.csv?year=2022", app.demo.commune.id)).await;
        let row = rows.iter().find(|r| r[0] == app.demo.kindergarten.id.to_string()).unwrap();
        let quarters: Vec<&[String]> = (0..4).map(|q| &row[11 + q * 6..11 + q * 6 + 6]).collect();
        let sum = |i: usize| quarters.iter().map(|q| q[i].parse::<u32>().unwrap()).sum::<u32>();
        assert_eq!(quarters.iter().filter(|q| q[0].starts_with("Đã sinh hoạt")).count(), 3, "{row:?}");
        assert_eq!((sum(2), sum(3)), (1, 1), "a late paper, a short sitting: {row:?}");
        assert_eq!(quarters.iter().filter(|q| !q[5].is_empty()).count(), 3, "graded: {row:?}");
        let page = reviewer.get(&format!("/orgs/{}/dashboard?year=2022", app.demo.commune.id)).await;
        page.ok().contains("gửi muộn").contains("buổi dưới thời lượng");
    }
}

//! Calendar feeds over HTTP: made and renewed by POST from "Việc của tôi", read without a
//! sign-in at their secret address, with the session at its instant in UTC (Vietnam is UTC+7).

use chrono::{Datelike, Duration, NaiveDate};

use crate::both;
use crate::harness::Browser;
use chuyende::db::plans;
use chuyende::domain::org::Year;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The feed addresses shown on "Việc của tôi", in page order.
async fn feed_urls(browser: &Browser) -> Vec<String> {
    let page = browser.get("/me/work").await;
    page.ok();
    page.body
        .split("href=\"/calendar/")
        .skip(1)
        .map(|rest| format!("/calendar/{}", &rest[..rest.find('"').unwrap()]))
        .collect()
}

/// The feed's content lines, unfolded (RFC 5545 folds long lines with CRLF and a space).
fn lines(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

both! {
    async fn a_member_subscribes_to_their_sessions_and_steps(app: TestApp) {
        let year = Year::new(today().year()).unwrap();
        let plan = plans::find(&app.db, app.demo.kindergarten.id, year).await.unwrap().unwrap();
        let session = chuyende::app::sessions::open_of_plan(&app.db, plan).await.unwrap().remove(0);
        let stored = plans::get(&app.db, plan).await.unwrap().unwrap();
        let title = &stored.topics.iter().find(|t| t.id == session.topic_id).unwrap().title;

        let member = app.login("dangvien").await;
        assert!(feed_urls(&member).await.is_empty(), "a page view makes no address");
        member.post("/me/calendar", &[]).await.redirects_to("/me/work#calendar");
        let urls = feed_urls(&member).await;
        assert_eq!(urls.len(), 1);
        let url = &urls[0];
        assert!(url.ends_with(".ics") && url.len() > "/calendar/.ics".len() + 32, "{url}");

        // No cookie: a calendar app reads it as it is.
        let feed = app.browser().get(url).await;
        feed.ok();
        assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
        // A shared or proxy cache must not keep a copy past a renewal.
        assert_eq!(feed.headers["cache-control"], "no-store");
        let lines = lines(&feed.body);
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        let local = session.date.and_hms_opt(0, 0, 0).unwrap()
            + Duration::minutes(session.start.minutes().into());
        let utc = local - Duration::hours(7);
        let uid = format!("UID:session-{}@chuyende", session.id);
        let event: Vec<&String> = lines
            .split(|l| l == "BEGIN:VEVENT")
            .find(|block| block.contains(&uid))
            .expect("the demo session in the feed")
            .iter()
            .collect();
        assert!(event.contains(&&format!("DTSTART:{}", utc.format("%Y%m%dT%H%M%SZ"))), "{event:?}");
        assert!(event.contains(&&format!("SUMMARY:Sinh hoạt chuyên đề: {}", title.replace(',', "\\,"))), "{event:?}");
        assert!(event.contains(&&format!("LOCATION:{}", session.venue)), "{event:?}");
        // The member's open steps with a due date are all-day events.
        assert!(lines.iter().any(|l| l.starts_with("SUMMARY:Hạn: ")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("DTSTART;VALUE=DATE:")), "{lines:?}");

        // Renewing revokes the old address at once.
        member.post("/me/calendar", &[]).await.redirects_to("/me/work#calendar");
        let renewed = feed_urls(&member).await;
        assert_eq!(renewed.len(), 1);
        assert_ne!(&renewed[0], url);
        assert_eq!(app.browser().get(url).await.status, 404);
        app.browser().get(&renewed[0]).await.ok();
        // A made-up address is nothing.
        assert_eq!(app.browser().get("/calendar/khong-co.ics").await.status, 404);
        assert_eq!(app.browser().get(&renewed[0].replace(".ics", "")).await.status, 404);
    }

    async fn a_cell_feed_holds_the_cells_sessions_for_its_members_only(app: TestApp) {
        let member = app.login("dangvien").await;
        member.get("/me/work").await.ok();
        let school = app.demo.school.id;
        assert_eq!(member.post(&format!("/orgs/{school}/calendar"), &[]).await.status, 404);
        let kindergarten = app.demo.kindergarten.id;
        member.post(&format!("/orgs/{kindergarten}/calendar"), &[]).await.redirects_to("/me/work#calendar");
        let urls = feed_urls(&member).await;
        assert_eq!(urls.len(), 1);
        let feed = app.browser().get(&urls[0]).await;
        feed.ok();
        let sessions = chuyende::db::sessions::open_of_cell(&app.db, kindergarten).await.unwrap();
        assert!(!sessions.is_empty());
        for s in &sessions {
            assert!(feed.body.contains(&format!("UID:session-{}@chuyende", s.session.id)), "{}", feed.body);
        }
        assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), sessions.len());
        // The cell feed and the member's own are separate addresses.
        member.post("/me/calendar", &[]).await.redirects_to("/me/work#calendar");
        assert_eq!(feed_urls(&member).await.len(), 2);
        app.browser().get(&urls[0]).await.ok();
    }
}

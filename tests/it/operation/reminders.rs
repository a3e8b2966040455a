//! Reminders follow changes: a step whose due date moves after its reminder was sent is
//! reminded again for the new date, once; an unchanged step is never reminded twice.

use chrono::NaiveDate;

use crate::both;
use crate::harness::kindergarten_2022;
use chuyende::app::Ctx;
use chuyende::app::plans::{Saved, save_part};
use chuyende::db::{notifications, plans, users};
use chuyende::domain::calendar::Due;
use chuyende::domain::notification::is_coming_due;
use chuyende::domain::plan_edit::Edit;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

both! {
    async fn a_step_whose_date_moved_after_its_reminder_is_reminded_again(app: TestApp) {
        let member = users::find_by_login(&app.db, "dangvien").await.unwrap().unwrap().id;
        let ly = app.member_id(app.demo.kindergarten.id, "Nguyễn Thị Ly").await;
        let plan_id = kindergarten_2022(&app).await;
        let today = date(2022, 10, 1);
        let first = notifications::due_soon(&app.db, today, 7, false).await.unwrap();
        assert!(first > 0);
        let unread = notifications::unread_count(&app.db, member).await.unwrap();
        assert_eq!(notifications::due_soon(&app.db, today, 7, false).await.unwrap(), 0);

        // One of Ly's steps in the window moves to an exact day, still in the window.
        let plan = plans::get(&app.db, plan_id).await.unwrap().unwrap();
        let (t, s) = plan.topics.iter().enumerate().find_map(|(t, topic)| {
            topic.steps.iter().position(|step| {
                step.done_on.is_none()
                    && step.due.is_some_and(|due| is_coming_due(due, today, 7))
                    && step.assignees.iter().any(|a| a.member == ly)
            }).map(|s| (t, s))
        }).expect("a step of Ly's coming due");
        let mut topic = plan.topics[t].clone();
        let label = topic.steps[s].label.clone();
        topic.steps[s].due = Some(Due::Date(date(2022, 10, 5)));
        let ctx = Ctx { db: &app.db, mail: false };
        let saved = save_part(ctx, None, plan_id, plan.version, &Edit::UpdateTopic(topic)).await.unwrap();
        assert!(matches!(saved, Saved::Done { .. }), "{saved:?}");

        // Reminded again, for the new date, once; nothing for the steps that did not move.
        assert_eq!(notifications::due_soon(&app.db, today, 7, false).await.unwrap(), 1);
        assert_eq!(notifications::unread_count(&app.db, member).await.unwrap(), unread + 1);
        let newest = &notifications::list(&app.db, member, 1, 0).await.unwrap()[0];
        assert!(newest.message.contains(&format!("Sắp đến hạn ngày 05/10/2022: “{label}”")), "{}", newest.message);
        assert_eq!(notifications::due_soon(&app.db, today, 7, false).await.unwrap(), 0);

        // Moved out of the window: nothing; a week later, in the window again: reminded.
        let plan = plans::get(&app.db, plan_id).await.unwrap().unwrap();
        let mut topic = plan.topics[t].clone();
        topic.steps[s].due = Some(Due::Date(date(2022, 10, 12)));
        let saved = save_part(ctx, None, plan_id, plan.version, &Edit::UpdateTopic(topic)).await.unwrap();
        assert!(matches!(saved, Saved::Done { .. }), "{saved:?}");
        assert_eq!(notifications::due_soon(&app.db, today, 7, false).await.unwrap(), 0);
        assert!(notifications::due_soon(&app.db, date(2022, 10, 8), 7, false).await.unwrap() >= 1);
        let all = notifications::list(&app.db, member, 100, 0).await.unwrap();
        let again = format!("Sắp đến hạn ngày 12/10/2022: “{label}”");
        assert_eq!(all.iter().filter(|n| n.message.contains(&again)).count(), 1);
        assert_eq!(notifications::due_soon(&app.db, date(2022, 10, 9), 7, false).await.unwrap(), 0);
    }
}

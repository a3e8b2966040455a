use super::*;
use crate::domain::member::Standing;
use crate::domain::org::OrgId;

fn members() -> Vec<Member> {
    let person = |id: i64, name: &str, role: CellRole| Member {
        id: MemberId(id),
        cell_id: OrgId(1),
        full_name: name.into(),
        standing: Standing::Full,
        role,
        birth_year: None,
        phone: None,
        email: None,
        active: true,
        login: None,
        version: 1,
    };
    vec![
        person(1, "Lê Thị Bích Ngọc", CellRole::Secretary),
        person(2, "Nguyễn Thị Ly", CellRole::Member),
    ]
}

fn bounds(members: &[Member]) -> Bounds<'_> {
    Bounds {
        today: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        year: Year::new(2026).unwrap(),
        members,
        new: true,
    }
}

fn input() -> SessionInput {
    SessionInput {
        date: "15/06/2026".into(),
        start: "8h30".into(),
        duration: "120".into(),
        venue: " Hội trường trường Mầm non ".into(),
        chair: String::new(),
        minute_taker: "2".into(),
        combined: true,
    }
}

#[test]
fn times_parse_as_people_write_them() {
    for (text, minutes) in [
        ("08:00", 480),
        ("8:00", 480),
        ("14h", 840),
        ("14h30", 870),
        ("7 giờ 30", 450),
        ("07:30:00", 450),
        ("0:00", 0),
        ("23:59", 1439),
    ] {
        assert_eq!(
            StartTime::parse(text).map(StartTime::minutes),
            Ok(minutes),
            "{text}"
        );
    }
    for text in [
        "25:00",
        "24:00",
        "8:60",
        "",
        "tám giờ",
        "8:00:30",
        "1:2:3:4",
        "-1:00",
        "123",
    ] {
        assert!(StartTime::parse(text).is_err(), "{text}");
    }
    assert_eq!(StartTime::parse("8h5").unwrap().to_string(), "08:05");
    assert_eq!(
        StartTime::new(23 * 60).unwrap().plus(90).to_string(),
        "00:30"
    );
}

#[test]
fn a_form_becomes_a_draft_with_the_secretary_in_the_chair() {
    let members = members();
    let draft = input().parse(bounds(&members)).unwrap();
    assert_eq!(draft.date, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap());
    assert_eq!(draft.start.to_string(), "08:30");
    assert_eq!(draft.venue.as_str(), "Hội trường trường Mầm non");
    assert_eq!(draft.chair.unwrap().name, "Lê Thị Bích Ngọc");
    assert_eq!(draft.minute_taker.unwrap().name, "Nguyễn Thị Ly");
    assert!(draft.combined);
}

#[test]
fn every_bad_field_has_its_message() {
    let members = members();
    let bad = SessionInput {
        date: "01/05/2026".into(),
        start: "25:00".into(),
        duration: "1000".into(),
        venue: "   ".into(),
        chair: "99".into(),
        minute_taker: "x".into(),
        combined: false,
    };
    let errors = bad.parse(bounds(&members)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            "date",
            "start",
            "duration",
            "venue",
            "chair",
            "minute_taker"
        ]
    );
    assert!(errors[0].1.contains("đã qua"));

    let long = SessionInput {
        venue: "x".repeat(VENUE_MAX + 1),
        ..input()
    };
    assert_eq!(long.parse(bounds(&members)).unwrap_err()[0].0, "venue");
    let next_year = SessionInput {
        date: "05/01/2027".into(),
        ..input()
    };
    assert_eq!(next_year.parse(bounds(&members)).unwrap_err()[0].0, "date");
    let short = SessionInput {
        duration: "29".into(),
        ..input()
    };
    assert_eq!(short.parse(bounds(&members)).unwrap_err()[0].0, "duration");
    // A moved session may keep a day that has passed.
    let past = SessionInput {
        date: "01/05/2026".into(),
        ..input()
    };
    assert!(
        past.parse(Bounds {
            new: false,
            ..bounds(&members)
        })
        .is_ok()
    );
}

#[test]
fn summaries_name_what_changed_and_guidance_warns() {
    let members = members();
    let draft = input().parse(bounds(&members)).unwrap();
    let base = Session {
        id: SessionId(1),
        topic_id: crate::domain::plan::TopicId(1),
        date: draft.date,
        start: draft.start,
        duration: 100,
        venue: String::new(),
        chair: None,
        minute_taker: None,
        combined: true,
        version: 1,
        cancelled: None,
    };
    let before = base.with(&draft);
    assert_eq!(before.when(), "08:30–10:30, Thứ Hai 15/06/2026");
    assert_eq!(before.short_of_guidance(), None);
    assert_eq!(
        Session {
            duration: 100,
            ..before.clone()
        }
        .short_of_guidance(),
        Some(120)
    );
    let mut after = before.clone();
    after.date = NaiveDate::from_ymd_opt(2026, 6, 16).unwrap();
    after.venue = "Phòng họp".into();
    assert!(after.moved_from(&before));
    let summary = moved_summary("T", &before, &after);
    assert!(
        summary.contains("Thứ Ba 16/06/2026") && summary.contains("“Phòng họp”"),
        "{summary}"
    );
    assert!(!before.moved_from(&before));
    assert_eq!(duration_label(90), "1 giờ 30 phút");
    assert_eq!(duration_label(120), "2 giờ");
    assert_eq!(duration_label(45), "45 phút");
}

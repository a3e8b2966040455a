//! Several people editing one plan at once: new parts (a topic) conflict with nothing, edits of
//! different parts never conflict, and only two edits of the same existing part do.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{join_all, kindergarten_2022, version_in};
use chuyende::db::plans;
use chuyende::domain::plan::{Plan, Presenter, TopicSource};

const PEOPLE: usize = 20;

/// The basis form as drawn from `plan` and sent with the `added` documents typed below.
fn basis_fields(plan: &Plan, version: &str, added: &[[&str; 5]]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("version".into(), version.into()),
        ("drawn".into(), plan.basis.len().to_string()),
        ("lead".into(), plan.basis_lead.clone()),
        ("closing".into(), plan.basis_closing.clone()),
    ];
    let mut rows: Vec<[String; 5]> = plan
        .basis
        .iter()
        .map(|d| {
            [
                d.kind.as_str().into(),
                d.number.clone(),
                d.date
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                d.issuer.clone(),
                d.subject.clone(),
            ]
        })
        .collect();
    rows.extend(added.iter().map(|row| row.map(str::to_owned)));
    for (n, row) in rows.iter().enumerate() {
        for (name, value) in ["kind", "number", "date", "issuer", "subject"]
            .iter()
            .zip(row)
        {
            fields.push((format!("basis_{name}_{n}"), value.clone()));
        }
        fields.push((format!("basis_order_{n}"), (n + 1).to_string()));
    }
    fields
}

/// The recipients form as drawn from `plan` and sent with the `added` names typed below.
fn recipient_fields(plan: &Plan, version: &str, added: &[&str]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("version".into(), version.into()),
        ("drawn".into(), plan.recipients.len().to_string()),
        ("archive".into(), plan.archive.clone()),
    ];
    let rows = plan
        .recipients
        .iter()
        .map(|r| (r.name.clone(), r.for_report))
        .chain(added.iter().map(|name| ((*name).to_owned(), false)));
    for (n, (name, report)) in rows.enumerate() {
        fields.push((format!("recipient_order_{n}"), (n + 1).to_string()));
        fields.push((format!("recipient_name_{n}"), name));
        fields.push((
            format!("recipient_report_{n}"),
            if report { "1" } else { "0" }.into(),
        ));
    }
    fields
}

/// `fields` with the first document's subject changed.
fn first_subject(mut fields: Vec<(String, String)>, subject: &str) -> Vec<(String, String)> {
    for (name, value) in &mut fields {
        if name == "basis_subject_0" {
            *value = subject.into();
        }
    }
    fields
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

both! {
    async fn twenty_people_adding_topics_at_once_all_land(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let before = plans::get(&app.db, id).await.unwrap().unwrap().topics.len();
        let secretary = app.login("bithu").await;
        let admin = app.login("admin").await;
        // Everyone opens "Thêm chuyên đề" on the same version of the plan, then saves.
        let version = version_in(&secretary.get(&format!("/plans/{id}/topics/new")).await.body);
        admin.get(&format!("/plans/{id}/topics/new")).await.ok();
        let titles: Vec<String> = (1..=PEOPLE).map(|n| format!("Chuyên đề thêm cùng lúc số {n}")).collect();
        let posts = titles.iter().enumerate().map(|(n, title)| {
            let browser = if n % 2 == 0 { secretary.clone() } else { admin.clone() };
            let (title, version) = (title.clone(), version.clone());
            async move {
                let response = browser.post(&format!("/plans/{id}/topics/new"), &[
                    ("version", &version), ("title", &title), ("quarter", "3"), ("session", ""), ("presenter", ""),
                ]).await;
                (response.status, response.body)
            }
        });
        let outcomes = join_all(posts).await;
        for (status, body) in &outcomes {
            assert_eq!(*status, StatusCode::SEE_OTHER, "every addition lands: {body}");
        }
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(plan.topics.len(), before + PEOPLE);
        for title in &titles {
            assert_eq!(plan.topics.iter().filter(|t| &t.title == title).count(), 1, "{title} stored once");
        }
        // Each addition is in the history as its own topic's part.
        let history = plans::history(&app.db, id).await.unwrap();
        let added: Vec<_> = history.iter().filter(|c| c.summary.starts_with("Thêm chuyên đề “Chuyên đề thêm cùng lúc")).collect();
        assert_eq!(added.len(), PEOPLE);
        for change in &added {
            let topic = plan.topics.iter().find(|t| change.summary == format!("Thêm chuyên đề “{}”", t.title)).unwrap();
            assert_eq!(change.part, format!("topic:{}", topic.id));
        }
        // A new topic, edited from a form drawn before the other additions, still saves.
        let topic = plan.topics.iter().find(|t| t.title == titles[0]).unwrap();
        let form = secretary.get(&format!("/topics/{}", topic.id)).await;
        secretary.post(&format!("/topics/{}", topic.id), &[
            ("version", &version_in(&form.body)), ("title", "Chuyên đề đã đổi tên"), ("quarter", "3"), ("session", ""), ("presenter", ""),
        ]).await.redirects_to(&format!("/plans/{id}"));
    }

    async fn twenty_people_adding_documents_and_recipients_at_once_all_land(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        let secretary = app.login("bithu").await;
        let admin = app.login("admin").await;
        let version = version_in(&secretary.get(&format!("/plans/{id}/basis")).await.body);
        admin.get(&format!("/plans/{id}/recipients")).await.ok();
        let posts = (1..=PEOPLE).flat_map(|n| {
            let basis = basis_fields(&plan, &version, &[["directive", &format!("{n:03}-CT/TU"), "01/01/2022", "Ban Bí thư", "về một việc"]]);
            let recipients = recipient_fields(&plan, &version, &[&format!("Tổ đảng số {n}")]);
            [(secretary.clone(), format!("/plans/{id}/basis"), basis), (admin.clone(), format!("/plans/{id}/recipients"), recipients)]
        }).map(|(browser, path, fields)| async move {
            let response = browser.post(&path, &borrowed(&fields)).await;
            (response.status, response.body)
        });
        for (status, body) in join_all(posts).await {
            assert_eq!(status, StatusCode::SEE_OTHER, "every addition lands: {body}");
        }
        let stored = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(stored.basis[..plan.basis.len()], plan.basis[..], "the documents that were there stay first");
        assert_eq!(stored.recipients[..plan.recipients.len()], plan.recipients[..]);
        assert_eq!(stored.basis.len(), plan.basis.len() + PEOPLE);
        assert_eq!(stored.recipients.len(), plan.recipients.len() + PEOPLE);
        for n in 1..=PEOPLE {
            assert_eq!(stored.basis.iter().filter(|d| d.number == format!("{n:03}-CT/TU")).count(), 1);
            assert_eq!(stored.recipients.iter().filter(|r| r.name == format!("Tổ đảng số {n}")).count(), 1);
        }

        // Editing a document that was there, from a form drawn before the additions, would drop
        // them: refused, with the stored list shown. Saved again, it applies.
        let edited = first_subject(basis_fields(&plan, &version, &[]), "về nâng cao chất lượng sinh hoạt chi bộ (sửa)");
        let refused = secretary.post(&format!("/plans/{id}/basis"), &borrowed(&edited)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.contains("đã được lưu bởi").contains("Bản đang lưu").contains("020-CT/TU");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap().basis, stored.basis);
        // Two edits of one existing document: the second is refused.
        let drawn = basis_fields(&stored, &version_in(&refused.body), &[]);
        let first = first_subject(drawn.clone(), "bản của người thứ nhất");
        let second = first_subject(drawn, "bản của người thứ hai");
        secretary.post(&format!("/plans/{id}/basis"), &borrowed(&first)).await.redirects_to(&format!("/plans/{id}"));
        let conflict = admin.post(&format!("/plans/{id}/basis"), &borrowed(&second)).await;
        assert_eq!(conflict.status, StatusCode::UNPROCESSABLE_ENTITY);
        conflict.contains("bản của người thứ nhất").contains("bản của người thứ hai");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap().basis[0].subject, "bản của người thứ nhất");
    }

    async fn twenty_saves_of_one_section_at_once_keep_one_and_show_it_to_the_others(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let secretary = app.login("bithu").await;
        let admin = app.login("admin").await;
        let version = version_in(&secretary.get(&format!("/plans/{id}/texts/purposes")).await.body);
        admin.get(&format!("/plans/{id}/texts/purposes")).await.ok();
        let posts = (1..=PEOPLE).map(|n| {
            let browser = if n % 2 == 0 { secretary.clone() } else { admin.clone() };
            let version = version.clone();
            async move {
                let text = format!("Mục đích theo bản số {n}.");
                let response = browser.post(&format!("/plans/{id}/texts/purposes"), &[("version", &version), ("text", &text)]).await;
                (text, response)
            }
        });
        let outcomes = join_all(posts).await;
        let saved: Vec<&String> = outcomes.iter().filter(|(_, r)| r.status == StatusCode::SEE_OTHER).map(|(t, _)| t).collect();
        assert_eq!(saved.len(), 1, "exactly one save of the same part");
        let stored = plans::get(&app.db, id).await.unwrap().unwrap().purposes;
        assert_eq!(&stored, &vec![saved[0].clone()]);
        for (text, response) in outcomes.iter().filter(|(_, r)| r.status != StatusCode::SEE_OTHER) {
            assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
            response.contains("đã được lưu bởi").contains("Bản đang lưu").contains(saved[0]).contains(text);
        }
    }

    async fn adding_rows_while_others_edit_other_parts_never_conflicts(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        let secretary = app.login("bithu").await;
        let admin = app.login("admin").await;
        // Four forms drawn from the same version: the basis, the recipients, a topic, a section.
        let basis = secretary.get(&format!("/plans/{id}/basis")).await;
        let recipients = admin.get(&format!("/plans/{id}/recipients")).await;
        let topic = &plan.topics[0];
        let topic_form = secretary.get(&format!("/topics/{}", topic.id)).await;
        let texts = admin.get(&format!("/plans/{id}/texts/format")).await;
        let version = version_in(&basis.body);
        for form in [&recipients, &topic_form, &texts] {
            assert_eq!(version_in(&form.body), version);
        }

        // Someone adds a topic and edits a section first.
        let new_topic = admin.get(&format!("/plans/{id}/topics/new")).await;
        admin.post(&format!("/plans/{id}/topics/new"), &[
            ("version", &version_in(&new_topic.body)), ("title", "Chuyên đề thêm trong lúc sửa"), ("quarter", "4"), ("session", ""), ("presenter", ""),
        ]).await.redirects_to(&format!("/plans/{id}"));
        admin.post(&format!("/plans/{id}/texts/format"), &[("version", &version), ("text", "Hình thức mới.")])
            .await.redirects_to(&format!("/plans/{id}"));

        // The others add a basis document, a recipient and a step, from their older forms.
        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), version.clone()), ("lead".into(), plan.basis_lead.clone()), ("closing".into(), plan.basis_closing.clone()),
        ];
        let mut rows: Vec<[String; 5]> = plan.basis.iter().map(|d| [
            d.kind.as_str().into(), d.number.clone(), d.date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
            d.issuer.clone(), d.subject.clone(),
        ]).collect();
        rows.push(["directive".into(), "35-CT/TW".into(), "14/06/2024".into(), "Bộ Chính trị".into(), "về đại hội đảng bộ các cấp".into()]);
        for (n, row) in rows.iter().enumerate() {
            for (name, value) in ["kind", "number", "date", "issuer", "subject"].iter().zip(row) {
                fields.push((format!("basis_{name}_{n}"), value.clone()));
            }
            fields.push((format!("basis_order_{n}"), (n + 1).to_string()));
        }
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        secretary.post(&format!("/plans/{id}/basis"), &borrowed).await.redirects_to(&format!("/plans/{id}"));

        let mut fields: Vec<(String, String)> = vec![("version".into(), version.clone()), ("archive".into(), plan.archive.clone())];
        let mut names: Vec<(String, bool)> = plan.recipients.iter().map(|r| (r.name.clone(), r.for_report)).collect();
        names.push(("Các đảng viên trong chi bộ".into(), false));
        for (n, (name, report)) in names.iter().enumerate() {
            fields.push((format!("recipient_order_{n}"), (n + 1).to_string()));
            fields.push((format!("recipient_name_{n}"), name.clone()));
            fields.push((format!("recipient_report_{n}"), if *report { "1" } else { "0" }.into()));
        }
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        admin.post(&format!("/plans/{id}/recipients"), &borrowed).await.redirects_to(&format!("/plans/{id}"));

        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), version.clone()), ("title".into(), topic.title.clone()),
            ("quarter".into(), topic.quarter.map(|q| q.get().to_string()).unwrap_or_default()),
            ("session".into(), topic.session.map(|s| s.input_value()).unwrap_or_default()),
            ("content".into(), topic.content.clone()), ("materials".into(), topic.materials.clone()),
        ];
        let (presenter, presenter_text) = match &topic.presenter {
            Presenter::Nobody => (String::new(), String::new()),
            Presenter::Member { id, .. } => (id.to_string(), String::new()),
            Presenter::Group(text) => ("group".into(), text.clone()),
        };
        fields.push(("presenter".into(), presenter));
        fields.push(("presenter_text".into(), presenter_text));
        if let TopicSource::Mandated(text) = &topic.source {
            fields.push(("mandate".into(), text.clone()));
        }
        let mut steps: Vec<[String; 5]> = topic.steps.iter().map(|s| [
            s.id.to_string(), s.kind.as_str().into(), s.label.clone(), s.due.map(|d| d.input_value()).unwrap_or_default(),
            s.assignees.first().map(|a| a.member.to_string()).unwrap_or_default(),
        ]).collect();
        let before_session = steps.len() - 1;
        steps.insert(before_session, ["0".into(), "other".into(), "Gửi tài liệu cho đảng viên".into(), steps[before_session - 1][3].clone(), String::new()]);
        for (n, [step_id, kind, label, due, assignee]) in steps.iter().enumerate() {
            fields.push((format!("step_id_{n}"), step_id.clone()));
            fields.push((format!("step_kind_{n}"), kind.clone()));
            fields.push((format!("step_label_{n}"), label.clone()));
            fields.push((format!("step_due_{n}"), due.clone()));
            fields.push((format!("step_note_{n}"), String::new()));
            fields.push((format!("step_assignee_{n}"), assignee.clone()));
        }
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        secretary.post(&format!("/topics/{}", topic.id), &borrowed).await.redirects_to(&format!("/plans/{id}"));

        let stored = plans::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(stored.basis.len(), plan.basis.len() + 1);
        assert_eq!(stored.basis.last().unwrap().number, "35-CT/TW");
        assert_eq!(stored.recipients.last().unwrap().name, "Các đảng viên trong chi bộ");
        assert!(stored.topics[0].steps.iter().any(|s| s.label == "Gửi tài liệu cho đảng viên"));
        assert_eq!(stored.topics.last().unwrap().title, "Chuyên đề thêm trong lúc sửa");
        assert_eq!(stored.format, vec!["Hình thức mới."]);
    }
}

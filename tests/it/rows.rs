//! Forms of rows (the basis documents, the recipients): "Thêm dòng" brings the form back with
//! one more row, keeps every typed row, and saves nothing, without JavaScript.

use reqwest::StatusCode;

use crate::both;
use crate::harness::{kindergarten_2022, version_in};
use chuyende::db::plans;

/// How many rows a form shows: the inputs named `{field}_{n}`.
fn rows(body: &str, field: &str) -> usize {
    body.matches(&format!("name=\"{field}_")).count()
}

both! {
    async fn adding_basis_rows_keeps_what_was_typed_and_saves_nothing(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        let stored = plan.basis.len();
        let browser = app.login("bithu").await;
        let form = browser.get(&format!("/plans/{id}/basis")).await;
        form.ok().contains("name=\"add_row\"").contains("Thêm dòng");
        assert_eq!(rows(&form.body, "basis_number"), stored + 2, "two blank rows to begin with");
        let version = version_in(&form.body);

        // The stored rows, three new documents typed (one with a date not yet right), and the
        // button pressed: the form comes back with every row as typed and one blank row more.
        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), version.clone()), ("lead".into(), "Thực hiện".into()), ("closing".into(), plan.basis_closing.clone()),
        ];
        let mut typed: Vec<[String; 5]> = plan.basis.iter().map(|d| [
            d.kind.as_str().into(), d.number.clone(), d.date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
            d.issuer.clone(), d.subject.clone(),
        ]).collect();
        typed.push(["directive".into(), "35-CT/TW".into(), "14/06/2024".into(), "Bộ Chính trị".into(), "về đại hội đảng bộ các cấp".into()]);
        typed.push(["resolution".into(), "21-NQ/TW".into(), "16/06/2022".into(), "Hội nghị Trung ương 5".into(), "về tăng cường củng cố tổ chức cơ sở đảng".into()]);
        typed.push(["guidance".into(), "42-HD/BTCTW".into(), "31/02/2025".into(), "Ban Tổ chức Trung ương".into(), "về sinh hoạt chi bộ".into()]);
        for (n, row) in typed.iter().enumerate() {
            for (name, value) in ["kind", "number", "date", "issuer", "subject"].iter().zip(row) {
                fields.push((format!("basis_{name}_{n}"), value.clone()));
            }
            fields.push((format!("basis_order_{n}"), (n + 1).to_string()));
        }
        let mut pressed = fields.clone();
        pressed.push(("add_row".into(), "1".into()));
        let borrowed: Vec<(&str, &str)> = pressed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let more = browser.post(&format!("/plans/{id}/basis"), &borrowed).await;
        assert_eq!(more.status, StatusCode::OK, "{}", more.body);
        assert_eq!(rows(&more.body, "basis_number"), typed.len() + 1);
        more.contains("value=\"35-CT/TW\"").contains("value=\"về tăng cường củng cố tổ chức cơ sở đảng\"")
            .contains("value=\"31/02/2025\"").contains("value=\"Thực hiện\"")
            .contains("<option value=\"guidance\" selected>")
            .lacks("Ngày không hợp lệ");
        assert_eq!(version_in(&more.body), version, "the form still says which version it was drawn from");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap(), plan, "nothing saved");

        // Pressed again, one more again; the blank rows sent come back too.
        let mut again = pressed.clone();
        let blank = typed.len();
        for name in ["number", "date", "issuer", "subject"] {
            again.push((format!("basis_{name}_{blank}"), String::new()));
        }
        again.push((format!("basis_kind_{blank}"), "directive".into()));
        again.push((format!("basis_order_{blank}"), (blank + 1).to_string()));
        let borrowed: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let twice = browser.post(&format!("/plans/{id}/basis"), &borrowed).await;
        assert_eq!(rows(&twice.body, "basis_number"), typed.len() + 2);

        // Saved with the date put right: every row lands, in order, in one visit.
        let fixed: Vec<(&str, &str)> = fields.iter()
            .map(|(k, v)| (k.as_str(), if v == "31/02/2025" { "28/02/2025" } else { v.as_str() }))
            .collect();
        browser.post(&format!("/plans/{id}/basis"), &fixed).await.redirects_to(&format!("/plans/{id}"));
        let saved = plans::get(&app.db, id).await.unwrap().unwrap().basis;
        let numbers: Vec<&str> = saved.iter().map(|d| d.number.as_str()).collect();
        assert_eq!(numbers.len(), stored + 3);
        assert_eq!(&numbers[stored..], ["35-CT/TW", "21-NQ/TW", "42-HD/BTCTW"]);
    }

    async fn adding_recipient_rows_keeps_what_was_typed_and_saves_nothing(app: TestApp) {
        let id = kindergarten_2022(&app).await;
        let plan = plans::get(&app.db, id).await.unwrap().unwrap();
        let browser = app.login("bithu").await;
        let form = browser.get(&format!("/plans/{id}/recipients")).await;
        assert_eq!(rows(&form.body, "recipient_name"), plan.recipients.len() + 2);
        let mut fields: Vec<(String, String)> = vec![("version".into(), version_in(&form.body)), ("archive".into(), "Lưu Chi bộ".into())];
        let names = ["Đảng ủy xã Định An", "Ban Tuyên giáo Đảng ủy", "Các đồng chí đảng viên"];
        for (n, name) in names.iter().enumerate() {
            fields.push((format!("recipient_order_{n}"), (n + 1).to_string()));
            fields.push((format!("recipient_name_{n}"), (*name).into()));
            fields.push((format!("recipient_report_{n}"), if n == 0 { "1" } else { "0" }.into()));
        }
        let mut pressed = fields.clone();
        pressed.push(("add_row".into(), "1".into()));
        let borrowed: Vec<(&str, &str)> = pressed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let more = browser.post(&format!("/plans/{id}/recipients"), &borrowed).await;
        assert_eq!(more.status, StatusCode::OK);
        assert_eq!(rows(&more.body, "recipient_name"), names.len() + 1);
        for name in names {
            more.contains(&format!("value=\"{name}\""));
        }
        more.contains("<option value=\"1\" selected>(để b/c)</option>");
        assert_eq!(plans::get(&app.db, id).await.unwrap().unwrap(), plan, "nothing saved");

        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        browser.post(&format!("/plans/{id}/recipients"), &borrowed).await.redirects_to(&format!("/plans/{id}"));
        let saved = plans::get(&app.db, id).await.unwrap().unwrap().recipients;
        assert_eq!(saved.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), names);
        assert!(saved[0].for_report && !saved[1].for_report);
    }
}

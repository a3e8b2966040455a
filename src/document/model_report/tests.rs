use super::*;
use crate::document::fixtures::{assert_in_order, model_committee, model_plan, outline};
use crate::document::{docx, html};
use crate::domain::member::MemberId;
use crate::domain::model_delegates::{DelegateId, Person, ReportKind};
use crate::domain::org::OrgId;
use crate::domain::plan::DocNumber;

fn delegate(id: i64, unit: i64, unit_name: &str, name: &str, attended: Option<bool>) -> Delegate {
    Delegate {
        id: DelegateId(id),
        unit: OrgId(unit),
        unit_name: unit_name.into(),
        person: Person::Member(MemberId(id)),
        user: None,
        name: name.into(),
        title: format!("Bí thư {unit_name}"),
        attended,
    }
}

fn delegates() -> Vec<Delegate> {
    vec![
        delegate(1, 20, "Chi bộ 01", "Nguyễn Văn An", Some(true)),
        delegate(2, 20, "Chi bộ 01", "Lê Thị <b>Bình</b> & “Hoa”", Some(true)),
        delegate(3, 21, "Chi bộ 02", "Trần Văn Cường", Some(false)),
    ]
}

#[test]
fn the_attendance_sheet_lists_the_delegates_by_unit_with_a_column_to_sign() {
    let plan = model_plan();
    let doc = attendance_sheet(&plan, &model_committee(), &plan.sessions[0], &delegates());
    assert_eq!(doc.kind, "DANH SÁCH");
    assert_eq!(doc.header.number, "Số 82-KH/ĐU");
    let lines = outline(&doc);
    let text = lines.join("\n");
    assert_in_order(
        &text,
        &[
            "¶ Dự hội nghị “sinh hoạt chi bộ thường kỳ” mẫu do Chi bộ 01 thuộc".into(),
            "lúc 08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024".into(),
            "# Chi bộ 01".into(),
            "| 1 | Nguyễn Văn An | Bí thư Chi bộ 01 | Chi bộ 01 |".into(),
            "| 2 | Lê Thị <b>Bình</b> & “Hoa”".into(),
            "# Chi bộ 02".into(),
            "| 3 | Trần Văn Cường".into(),
            "¶ Tổng số: 3 đại biểu đăng ký.".into(),
        ],
    );
    // Hostile names are printed literally in every format.
    let page = html::render(&doc, None).unwrap();
    assert!(
        page.contains("Lê Thị &#60;b&#62;Bình&#60;/b&#62;"),
        "{page}"
    );
    assert!(!page.contains("<b>Bình"));
    assert!(docx::render(&doc).unwrap().starts_with(b"PK"));
}

#[test]
fn the_summary_says_who_came_and_carries_the_committees_paragraphs() {
    let plan = model_plan();
    let mut report = ModelReport::blank();
    report.summary =
        "Hội nghị diễn ra đúng chương trình.\n\nCần rút kinh nghiệm về thời gian.".into();
    let scores = [Scores(vec![90]), Scores(vec![81])];
    let refs: Vec<&Scores> = scores.iter().collect();
    let draft = summary(
        &plan,
        &model_committee(),
        &plan.sessions[0],
        &report,
        &delegates(),
        &refs,
    );
    assert!(draft.draft, "a summary not issued prints as a draft");
    assert_eq!(draft.header.number, "Số      -TB/ĐU");
    assert_eq!(draft.kind, "THÔNG BÁO");
    assert_eq!(
        draft.subject,
        "kết quả hội nghị “sinh hoạt chi bộ thường kỳ” mẫu"
    );
    let text = outline(&draft).join("\n");
    assert_in_order(
        &text,
        &[
            "¶ Thực hiện Kế hoạch số 82-KH/ĐU của Đảng ủy Sở Giáo dục và Đào tạo, lúc 08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024".into(),
            "Chi bộ 01 đã tổ chức hội nghị “sinh hoạt chi bộ thường kỳ” mẫu.".into(),
            "¶ Tham dự hội nghị có 2 đại biểu của 1 đơn vị được mời.".into(),
            "bình quân 86/100 điểm (2 phiếu)".into(),
            "¶ Hội nghị diễn ra đúng chương trình.".into(),
            "¶ Cần rút kinh nghiệm về thời gian.".into(),
        ],
    );
    assert_eq!(draft.signature.authority, "T/M BAN THƯỜNG VỤ");

    report.kind = ReportKind::Report;
    report.number = DocNumber::parse("15-BC/ĐU").unwrap();
    report.issued_on = chrono::NaiveDate::from_ymd_opt(2024, 4, 2);
    report.issued = true;
    let issued = summary(
        &plan,
        &model_committee(),
        &plan.sessions[0],
        &report,
        &delegates(),
        &[],
    );
    assert!(!issued.draft);
    assert_eq!(issued.kind, "BÁO CÁO");
    assert_eq!(issued.header.number, "Số 15-BC/ĐU");
    assert!(
        issued
            .header
            .place_date
            .ends_with("ngày 02 tháng 4 năm 2024"),
        "{}",
        issued.header.place_date
    );
    assert_eq!(
        summary_file_stem(&report, &model_committee(), 2024),
        "BC-15-DU-2024"
    );
}

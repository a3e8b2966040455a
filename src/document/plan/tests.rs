use super::*;
use crate::document::file_stem;
use crate::document::fixtures::{self, SECRETARY, outline};
use crate::domain::plan::PlanStatus;
use crate::domain::samples::{KINDERGARTEN_TOPICS, MODEL_TOPICS};

fn headings(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| l.starts_with('§'))
        .map(String::as_str)
        .collect()
}

fn rows(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| l.starts_with('#') || l.starts_with('|'))
        .map(String::as_str)
        .collect()
}

#[test]
fn the_kindergarten_plan_has_the_seed_header_and_foot() {
    let doc = build(&fixtures::kindergarten(), &fixtures::cell());
    assert_eq!(doc.header.superior, "ĐẢNG BỘ XÃ ĐỊNH AN");
    assert_eq!(doc.header.issuer, "CHI BỘ MẦM NON ĐỊNH AN");
    assert_eq!(doc.header.number, "Số 05-KH/CB");
    assert_eq!(doc.header.place_date, "Định An, ngày 10 tháng 01 năm 2022");
    assert!(!doc.draft);
    assert_eq!(doc.kind, "KẾ HOẠCH");
    assert_eq!(
        doc.subject,
        "triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022"
    );
    assert_eq!(
        doc.closing.as_deref(),
        Some(
            "Trên đây là kế hoạch triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022 của Chi bộ Mầm non Định An./."
        )
    );
    assert_eq!(
        doc.recipients,
        [
            "- Đảng ủy xã Định An (để b/c);",
            "- Đảng viên trong chi bộ;",
            "- Lưu Chi bộ."
        ]
    );
    assert_eq!(doc.signature.authority, "T/M CHI BỘ");
    assert_eq!(doc.signature.title, "BÍ THƯ");
    assert_eq!(doc.signature.name, SECRETARY);
}

#[test]
fn the_kindergarten_plan_has_every_section_topic_and_row_in_order() {
    let plan = fixtures::kindergarten();
    let lines = outline(&build(&plan, &fixtures::cell()));
    assert_eq!(
        lines[0],
        "¶ Thực hiện Chỉ thị số 10-CT/TW, ngày 30/03/2007 của Ban Bí thư về nâng cao chất lượng sinh hoạt chi bộ; Hướng dẫn số 12-HD/BTCTW, ngày 02/03/2012 của Ban Tổ chức Trung ương về nội dung sinh hoạt chi bộ;"
    );
    assert_eq!(lines[1], format!("¶ {}", plan.basis_closing));
    let [t1, t2, t3] = KINDERGARTEN_TOPICS;
    assert_eq!(
        headings(&lines),
        [
            "§ I. MỤC ĐÍCH, YÊU CẦU".to_owned(),
            "§§ 1. Mục đích".to_owned(),
            "§§ 2. Yêu cầu".to_owned(),
            "§ II. NỘI DUNG SINH HOẠT CHUYÊN ĐỀ".to_owned(),
            format!("§§ Chuyên đề 1: {t1}"),
            format!("§§ Chuyên đề 2: {t2}"),
            format!("§§ Chuyên đề 3: {t3}"),
            "§ III. HÌNH THỨC TỔ CHỨC".to_owned(),
            "§§ 1. Cách thức tổ chức".to_owned(),
            "§§ 2. Tài liệu học tập".to_owned(),
            "§ IV. PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN".to_owned(),
            "§ V. TỔ CHỨC THỰC HIỆN".to_owned(),
        ]
    );
    // Every purpose and requirement is a "- " bullet, in order, right after its heading.
    let purposes = lines
        .iter()
        .position(|l| l == "§§ 1. Mục đích")
        .unwrap_or(0);
    for (i, text) in plan.purposes.iter().enumerate() {
        assert_eq!(lines[purposes + 1 + i], format!("¶ - {text}"));
    }
    let topic1 = lines
        .iter()
        .position(|l| l.starts_with("§§ Chuyên đề 1"))
        .unwrap_or(0);
    assert_eq!(
        lines[topic1 + 1..topic1 + 3],
        [
            "¶ Thời gian: Quý II năm 2022, sinh hoạt tháng 4/2022.",
            "¶ Phân công: đồng chí Nguyễn Thanh Tâm."
        ]
    );
    let mut expected =
        vec!["| TT | Nội dung thực hiện | Thời gian | Người thực hiện | Ghi chú".to_owned()];
    let topics = [
        (t1, "Quý II", [2, 2, 3, 3, 4], "Nguyễn Thanh Tâm"),
        (t2, "Quý III", [8, 8, 9, 9, 10], "Nguyễn Thị Thanh Tâm"),
        (t3, "Quý IV", [10, 10, 11, 11, 12], "Nguyễn Thị Ly"),
    ];
    for (i, (title, quarter, months, presenter)) in topics.into_iter().enumerate() {
        expected.push(format!("# Chuyên đề {}: {title} — {quarter}", i + 1));
        let steps = [
            "Chuẩn bị đề cương",
            "Xây dựng dự thảo lần 1",
            "Lấy ý kiến tham gia",
            "Tiếp thu hoàn chỉnh dự thảo lần 2",
            "Tổ chức sinh hoạt chuyên đề",
        ];
        for (n, (step, month)) in steps.into_iter().zip(months).enumerate() {
            let who = if n == 2 { SECRETARY } else { presenter };
            expected.push(format!(
                "| {} | {step} | Tháng {month}/2022 | {who} | ",
                n + 1
            ));
        }
    }
    assert_eq!(rows(&lines), expected);
    let last: Vec<String> = plan.duties.iter().map(|d| format!("¶ {d}")).collect();
    assert_eq!(lines[lines.len() - 2..], last[..]);
}

#[test]
fn the_model_plan_has_four_topics_and_twenty_rows() {
    let plan = fixtures::model();
    let doc = build(&plan, &fixtures::cell());
    assert!(doc.draft, "a draft plan is marked DỰ THẢO");
    assert_eq!(doc.header.number, "Số      -KH/CB");
    assert_eq!(
        doc.header.place_date,
        "Định An, ngày      tháng      năm 2022"
    );
    assert_eq!(
        doc.recipients.last().map(String::as_str),
        Some("- Lưu HS chi bộ.")
    );
    let lines = outline(&doc);
    assert_eq!(
        lines[0],
        "¶ Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo Chỉ thị số 05-CT/TW, ngày 15/05/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh;"
    );
    let mut expected = vec![
        "§ I. MỤC ĐÍCH, YÊU CẦU".to_owned(),
        "§§ 1. Mục đích".to_owned(),
        "§§ 2. Yêu cầu".to_owned(),
        "§ II. NỘI DUNG SINH HOẠT CHUYÊN ĐỀ".to_owned(),
    ];
    expected.extend(
        MODEL_TOPICS
            .iter()
            .enumerate()
            .map(|(i, t)| format!("§§ Chuyên đề {}: {t}", i + 1)),
    );
    // No format and no materials: part III is left out and the rest renumbered.
    expected.push("§ III. PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN".to_owned());
    expected.push("§ IV. TỔ CHỨC THỰC HIỆN".to_owned());
    assert_eq!(headings(&lines), expected);

    let topic2 = lines
        .iter()
        .position(|l| l.starts_with("§§ Chuyên đề 2"))
        .unwrap_or(0);
    assert_eq!(lines[topic2 + 1], "¶ Thời gian: Quý II năm 2022.");
    assert_eq!(
        lines[topic2 + 2],
        format!("¶ Nội dung công việc: {}", plan.topics[1].content)
    );

    let table = rows(&lines);
    assert_eq!(table.len(), 1 + 4 * 6);
    for (q, title) in MODEL_TOPICS.iter().enumerate() {
        let quarter = ["I", "II", "III", "IV"][q];
        assert_eq!(
            table[1 + q * 6],
            format!("# Chuyên đề {}: {title} — Quý {quarter}", q + 1)
        );
        let first = q as u32 * 3 + 1;
        let months = [first, first, first + 1, first + 1, first + 2];
        for (n, month) in months.into_iter().enumerate() {
            let row = table[2 + q * 6 + n];
            assert!(
                row.starts_with(&format!("| {} | ", n + 1))
                    && row.contains(&format!("| Tháng {month}/2022 |")),
                "{row}"
            );
        }
    }
    assert_eq!(
        table[2], "| 1 | Chuẩn bị đề cương | Tháng 1/2022 |  | ",
        "the model leaves the people blank"
    );
}

#[test]
fn mandated_topics_groups_and_multi_line_content_read_well() {
    let doc = build(&fixtures::hostile(), &fixtures::cell());
    let lines = outline(&doc);
    let topic1 = lines
        .iter()
        .position(|l| l.starts_with("§§ Chuyên đề 1"))
        .unwrap_or(0);
    let h = fixtures::HOSTILE;
    let long = fixtures::long_word();
    assert_eq!(
        lines[topic1 + 1..topic1 + 6],
        [
            "¶ Thời gian: Quý I năm 2022.".to_owned(),
            format!("¶ Nội dung công việc: {long}."),
            format!("¶ Dòng hai {h}"),
            format!("¶ Phân công: Tổ {h}."),
            format!("¶ (Chuyên đề do cấp ủy cấp trên chỉ đạo: Kế hoạch {h})"),
        ]
    );
    assert!(lines.contains(&format!(
        "| 6 | Việc {h} | Tháng 3/2022 | Người {h} | {long}"
    )));
    assert_eq!(doc.title, format!("Kế hoạch sinh hoạt {h}"));
}

#[test]
fn an_empty_plan_still_has_a_header_and_a_foot() {
    let mut plan = fixtures::model();
    plan.subject.clear();
    plan.basis_lead.clear();
    plan.basis.clear();
    plan.basis_closing = "  \n ".into();
    plan.purposes.clear();
    plan.requirements = vec!["\u{7}Một\tyêu cầu".into()];
    plan.topics.clear();
    plan.duties.clear();
    plan.recipients.clear();
    plan.archive.clear();
    let doc = build(&plan, &fixtures::cell());
    assert_eq!(
        outline(&doc),
        ["§ I. MỤC ĐÍCH, YÊU CẦU", "§§ 1. Yêu cầu", "¶ - Một yêu cầu"]
    );
    assert_eq!(doc.closing, None);
    assert_eq!(doc.recipients, ["- Lưu Chi bộ."]);
}

#[test]
fn file_stems_are_ascii_and_meaningful() {
    let cell = fixtures::cell();
    assert_eq!(file_stem(&fixtures::kindergarten(), &cell), "KH-05-CB-2022");
    assert_eq!(file_stem(&fixtures::model(), &cell), "KH-du-thao-CB-2022");
    let mut plan = fixtures::model();
    plan.status = PlanStatus::Submitted;
    let mut committee = cell.clone();
    committee.abbreviation = "ĐUK".into();
    assert_eq!(file_stem(&plan, &committee), "KH-DUK-2022");
    plan.number = Some(crate::domain::plan::DocNumber::plan(82, "ĐU"));
    assert_eq!(file_stem(&plan, &committee), "KH-82-DU-2022");
}

#[test]
fn lower_first_keeps_acronyms() {
    assert_eq!(lower_first("Sinh hoạt"), "sinh hoạt");
    assert_eq!(lower_first("KH năm"), "KH năm");
    assert_eq!(lower_first("Đ"), "đ");
    assert_eq!(lower_first(""), "");
}

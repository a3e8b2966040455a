use super::*;
use crate::document::fixtures::{self, assert_in_order};
use crate::document::plan::build;

/// The PDF's text as a reader would copy it, with every run of whitespace made one space
/// (line breaks and justification put spaces where the layout needs them) and without the
/// invisible break points of over-long words.
fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("extractable text");
    squash(&text.replace('\u{200B}', ""))
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_carries_the_whole_document_with_exact_diacritics() {
    let plan = fixtures::kindergarten();
    let doc = build(&plan, &fixtures::cell());
    let pdf = render(&doc).unwrap_or_default();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    let mut expected: Vec<String> = [
        // The left column, then the right one.
        "ĐẢNG BỘ XÃ ĐỊNH AN",
        "CHI BỘ MẦM NON ĐỊNH AN",
        "Số 05-KH/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Định An, ngày 10 tháng 01 năm 2022",
        "KẾ HOẠCH",
        "triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG SINH HOẠT CHUYÊN ĐỀ",
    ]
    .map(str::to_owned)
    .to_vec();
    for (i, topic) in plan.topics.iter().enumerate() {
        expected.push(squash(&format!("Chuyên đề {}: {}", i + 1, topic.title)));
    }
    expected.extend(
        [
            "III. HÌNH THỨC TỔ CHỨC",
            "IV. PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN",
            "TT Nội dung thực hiện Thời gian Người thực hiện Ghi chú",
            "1 Chuẩn bị đề cương Tháng 2/2022 Nguyễn Thanh Tâm",
            "V. TỔ CHỨC THỰC HIỆN",
            "Nơi nhận:",
            "- Đảng ủy xã Định An (để b/c);",
            "- Lưu Chi bộ.",
            "T/M CHI BỘ",
            "BÍ THƯ",
        ]
        .map(str::to_owned),
    );
    expected.push(fixtures::SECRETARY.to_owned());
    assert_in_order(&text, &expected);
    assert!(
        text.contains("Trên đây là kế hoạch triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022 của Chi bộ Mầm non Định An./.")
    );
    assert!(!text.contains("DỰ THẢO"));
}

#[test]
fn every_timeline_row_and_the_draft_mark_are_in_the_model_plan() {
    let plan = fixtures::model();
    let pdf = render(&build(&plan, &fixtures::cell())).unwrap_or_default();
    let text = text_of(&pdf);
    let mut expected = vec!["DỰ THẢO".to_owned(), "KẾ HOẠCH".to_owned()];
    for (q, topic) in plan.topics.iter().enumerate() {
        let quarter = ["I", "II", "III", "IV"][q];
        expected.push(squash(&format!(
            "Chuyên đề {}: {} — Quý {quarter}",
            q + 1,
            topic.title
        )));
        for (n, step) in topic.steps.iter().enumerate() {
            let due = step.due.map(|d| d.label()).unwrap_or_default();
            expected.push(format!("{} {} {due}", n + 1, step.label));
        }
    }
    expected.push(fixtures::SECRETARY.to_owned());
    assert_in_order(&text, &expected);
}

#[test]
fn fonts_are_embedded_and_subset() {
    let pdf = render(&build(&fixtures::model(), &fixtures::cell())).unwrap_or_default();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("LiberationSerif"), "the font is named");
    assert!(
        raw.contains("/FontFile2") || raw.contains("/FontFile3"),
        "and embedded"
    );
    // A subset font's name starts with six capitals and a plus sign.
    let subset = raw
        .split("/BaseFont")
        .skip(1)
        .map(|name| name.trim_start().trim_start_matches('/'))
        .all(|name| name.as_bytes().get(6) == Some(&b'+'));
    assert!(subset, "subset fonts");
    assert!(
        pdf.len() < 400_000,
        "subsetting keeps it small: {} bytes",
        pdf.len()
    );
}

#[test]
fn pages_after_the_first_are_numbered() {
    let pdf = render(&build(&fixtures::model(), &fixtures::cell())).unwrap_or_default();
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap_or_default();
    assert!(pages.len() >= 2, "the model plan takes several pages");
    for (i, page) in pages.iter().enumerate() {
        let first_line = page.split_whitespace().next().unwrap_or("");
        if i == 0 {
            assert_eq!(
                first_line, "ĐẢNG",
                "page 1 starts with its header, no number"
            );
        } else {
            assert_eq!(
                first_line,
                (i + 1).to_string(),
                "page {} is numbered",
                i + 1
            );
        }
    }
}

#[test]
fn hostile_text_prints_literally() {
    let doc = build(&fixtures::hostile(), &fixtures::cell());
    let pdf = render(&doc).unwrap_or_default();
    // Compared without whitespace: the break points typst adds inside the over-long word throw
    // pdf-extract's guesses of word spacing off (poppler's pdftotext reads it right), but every
    // character must be there, in order, as typed.
    let letters = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    let text = letters(&text_of(&pdf));
    let h = fixtures::HOSTILE;
    let long = fixtures::long_word();
    let expected = [
        format!("sinh hoạt {h}"),
        format!("Chuyên đề 1: Chủ đề {h}"),
        format!("Nội dung công việc: {long}."),
        format!("Dòng hai {h}"),
        format!("Việc {h}"),
        format!("Người {h}"),
        format!("- Nơi {h};"),
        format!("Ký {h}"),
    ];
    assert_in_order(&text, &expected.map(|e| letters(&e)));
}

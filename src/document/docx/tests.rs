use std::io::{Cursor, Read};

use super::*;
use crate::document::fixtures::{self, assert_in_order};
use crate::document::plan::build;

/// The named part of the DOCX archive as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut file = archive.by_name(name).expect("the part exists");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 XML");
    text
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The texts of the `w:t` elements of one table row (`<w:tr>…</w:tr>`), joined by " | ".
fn row_texts(row: &str) -> String {
    row.split("<w:tc>")
        .skip(1)
        .map(|cell| {
            cell.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split("</w:t>").next())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn the_page_is_a4_with_the_official_margins_and_type() {
    let doc = build(&fixtures::kindergarten(), &fixtures::cell());
    let docx = render(&doc).unwrap_or_default();
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    assert!(
        xml.contains(r#"<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701""#),
        "margins 20/15/20/30 mm"
    );
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(
        styles.contains(r#"<w:sz w:val="28" />"#),
        "14 pt by default"
    );
    assert!(
        xml.contains(r#"<w:sz w:val="30" />"#),
        "the Party line is 15 pt"
    );
    assert!(xml.contains(r#"<w:sz w:val="32" />"#), "KẾ HOẠCH is 16 pt");
    assert!(
        xml.contains(r#"<w:sz w:val="24" />"#),
        "recipients are 12 pt"
    );
    // Body: justified, 1 cm first-line indent, exactly 20 pt lines, 6 pt after.
    assert!(xml.contains(r#"<w:jc w:val="both" />"#));
    assert!(xml.contains(r#"w:firstLine="567""#));
    assert!(xml.contains(r#"w:line="400" w:lineRule="exact""#));
    assert!(xml.contains(r#"w:after="120""#));
}

#[test]
fn the_header_and_foot_read_in_order() {
    let doc = build(&fixtures::kindergarten(), &fixtures::cell());
    let xml = part(&render(&doc).unwrap_or_default(), "word/document.xml");
    let t = |text: &str| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, xml_escape(text));
    let mut expected = vec![
        t("ĐẢNG BỘ XÃ ĐỊNH AN"),
        "<w:b />".into(),
        t("CHI BỘ MẦM NON ĐỊNH AN"),
        t("*"),
        t("Số 05-KH/CB"),
        r#"<w:u w:val="single" />"#.into(),
        t("ĐẢNG CỘNG SẢN VIỆT NAM"),
        "<w:i />".into(),
        t("Định An, ngày 10 tháng 01 năm 2022"),
        t("KẾ HOẠCH"),
        t("triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022"),
        t("I. MỤC ĐÍCH, YÊU CẦU"),
    ];
    for (i, title) in crate::domain::samples::KINDERGARTEN_TOPICS
        .iter()
        .enumerate()
    {
        expected.push(t(&format!("Chuyên đề {}: {title}", i + 1)));
    }
    expected.extend([
        t("Trên đây là kế hoạch triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022 của Chi bộ Mầm non Định An./."),
        r#"<w:u w:val="single" />"#.into(),
        t("Nơi nhận:"),
        t("- Đảng ủy xã Định An (để b/c);"),
        t("- Lưu Chi bộ."),
        t("T/M CHI BỘ"),
        t("BÍ THƯ"),
        t(fixtures::SECRETARY),
    ]);
    assert_in_order(&xml, &expected);
    assert!(!xml.contains("DỰ THẢO"));
    assert!(
        xml.contains("<w:tblBorders />") || xml.contains("<w:tblBorders></w:tblBorders>"),
        "header and foot are borderless tables"
    );
}

#[test]
fn the_timeline_is_a_word_table_with_a_repeating_header_row() {
    let plan = fixtures::model();
    let doc = build(&plan, &fixtures::cell());
    let xml = part(&render(&doc).unwrap_or_default(), "word/document.xml");
    assert!(xml.contains("DỰ THẢO"), "a draft is marked");
    let tables: Vec<&str> = xml
        .split("<w:tbl>")
        .skip(1)
        .filter_map(|table| table.split("</w:tbl>").next())
        .collect();
    assert_eq!(tables.len(), 3, "header, timeline, foot");
    let timeline = tables[1];
    let rows: Vec<&str> = timeline.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 1 + 4 * 6);
    assert!(
        rows[0].contains("<w:tblHeader />"),
        "the header row repeats"
    );
    assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
    assert_eq!(
        row_texts(rows[0]),
        "TT | Nội dung thực hiện | Thời gian | Người thực hiện | Ghi chú"
    );
    for (q, topic) in plan.topics.iter().enumerate() {
        let group = rows[1 + q * 6];
        assert!(group.contains(r#"<w:gridSpan w:val="5" />"#));
        assert_eq!(
            row_texts(group),
            xml_escape(&format!(
                "Chuyên đề {}: {} — Quý {}",
                q + 1,
                topic.title,
                ["I", "II", "III", "IV"][q]
            ))
        );
        for (n, step) in topic.steps.iter().enumerate() {
            let due = step.due.map(|d| d.label()).unwrap_or_default();
            assert_eq!(
                row_texts(rows[2 + q * 6 + n]),
                format!("{} | {} | {due} |  | ", n + 1, step.label)
            );
        }
    }
}

#[test]
fn pages_are_numbered_from_the_second() {
    let doc = build(&fixtures::model(), &fixtures::cell());
    let docx = render(&doc).unwrap_or_default();
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains("<w:titlePg />"), "a different first page");
    assert!(
        xml.contains("<w:sectPr><w:headerReference"),
        "header references come first, as the schema wants"
    );
    assert!(xml.contains(r#"<w:headerReference w:type="first""#));
    assert!(xml.contains(r#"<w:headerReference w:type="default""#));
    let headers: Vec<String> = (1..=2)
        .map(|n| part(&docx, &format!("word/header{n}.xml")))
        .collect();
    let numbered = headers.iter().filter(|h| h.contains("PAGE")).count();
    assert_eq!(
        numbered, 1,
        "the default header has the PAGE field, the first none"
    );
    assert!(
        headers
            .iter()
            .any(|h| h.contains(r#"w:fldCharType="begin""#))
    );
}

#[test]
fn hostile_text_is_kept_literally() {
    let doc = build(&fixtures::hostile(), &fixtures::cell());
    let xml = part(&render(&doc).unwrap_or_default(), "word/document.xml");
    let h = xml_escape(fixtures::HOSTILE);
    for text in [
        format!("sinh hoạt {h}"),
        format!("Chuyên đề 1: Chủ đề {h}"),
        format!("Việc {h}"),
        format!("- Nơi {h};"),
        format!("Ký {h}"),
        fixtures::long_word(),
    ] {
        assert!(xml.contains(&text), "{text}");
    }
    assert!(!xml.contains("<script>"));
}

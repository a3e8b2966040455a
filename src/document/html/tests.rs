use super::*;
use crate::document::fixtures::{self, assert_in_order};
use crate::document::plan::build;

fn escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[test]
fn the_print_view_is_an_a4_page() {
    let doc = build(&fixtures::kindergarten(), &fixtures::cell());
    let page = render(&doc, Some("/plans/1")).unwrap_or_default();
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains(r#"<link rel="stylesheet" href="/static/print.css">"#));
    assert!(page.contains(r#"<script src="/static/print.js" defer></script>"#));
    assert!(STYLESHEET.contains("size: A4;"));
    assert!(STYLESHEET.contains("margin: 20mm 15mm 20mm 30mm;"));
    assert!(
        STYLESHEET.contains(r#"font-family: "Times New Roman", "Liberation Serif", Tinos, serif;"#)
    );
    assert!(STYLESHEET.contains("@media print"));
    assert!(STYLESHEET.contains("@page :first"));
    assert!(page.contains(r#"<a href="/plans/1">"#));
    assert!(!page.contains("DỰ THẢO"), "an adopted plan is no draft");
}

#[test]
fn the_print_view_has_no_inline_style_or_script() {
    let doc = build(&fixtures::hostile(), &fixtures::cell());
    let page = render(&doc, Some("/plans/1")).unwrap_or_default();
    for inline in ["<style", "style=", "onclick", "<script>", "javascript:"] {
        assert!(!page.contains(inline), "{inline} in the print view");
    }
    assert!(SCRIPT.contains("window.print()"), "the print button prints");
}

#[test]
fn every_column_width_has_its_class() {
    let doc = build(&fixtures::model(), &fixtures::cell());
    let page = render(&doc, None).unwrap_or_default();
    for (_, width) in crate::document::TIMELINE_COLUMNS {
        assert!(page.contains(&format!(r#"<col class="w{width}">"#)));
        let rule = format!("table.timeline col.w{width} {{ width: {width}%; }}");
        assert!(STYLESHEET.contains(&rule), "print.css lacks {rule}");
    }
}

#[test]
fn the_print_view_has_every_element_of_the_layout_in_order() {
    let plan = fixtures::model();
    let doc = build(&plan, &fixtures::cell());
    let page = render(&doc, None).unwrap_or_default();
    let mut expected: Vec<String> = [
        "<title>Kế hoạch sinh hoạt chuyên đề năm 2022</title>",
        "ĐẢNG BỘ XÃ ĐỊNH AN",
        r#"<p class="issuer">CHI BỘ MẦM NON ĐỊNH AN</p>"#,
        r#"<p class="star">*</p>"#,
        "Số      -KH/CB",
        r#"<span class="party">ĐẢNG CỘNG SẢN VIỆT NAM</span>"#,
        r#"<p class="place-date">Định An, ngày      tháng      năm 2022</p>"#,
        r#"<span class="draft-mark">DỰ THẢO</span>"#,
        r#"<h1><span class="kind">KẾ HOẠCH</span> <span class="subject">sinh hoạt chuyên đề năm 2022</span></h1>"#,
        r#"<hr class="rule">"#,
        "<p>Tiếp tục đẩy mạnh học tập",
        r#"<p class="part">I. MỤC ĐÍCH, YÊU CẦU</p>"#,
        r#"<p class="item">1. Mục đích</p>"#,
        "<p>- Nâng cao nhận thức",
        r#"<p class="item">2. Yêu cầu</p>"#,
        r#"<p class="part">II. NỘI DUNG SINH HOẠT CHUYÊN ĐỀ</p>"#,
    ]
    .map(str::to_owned)
    .to_vec();
    for (i, topic) in plan.topics.iter().enumerate() {
        expected.push(format!(
            r#"<p class="item">Chuyên đề {}: {}</p>"#,
            i + 1,
            escape(&topic.title)
        ));
        expected.push(format!("Nội dung công việc: {}", escape(&topic.content)));
    }
    expected.push(r#"<p class="part">III. PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN</p>"#.into());
    expected.push(
        "<thead><tr><th>TT</th><th>Nội dung thực hiện</th><th>Thời gian</th><th>Người thực hiện</th><th>Ghi chú</th></tr></thead>"
            .into(),
    );
    for (i, topic) in plan.topics.iter().enumerate() {
        expected.push(format!(
            r#"<td class="group" colspan="5">Chuyên đề {}: {} — Quý {}</td>"#,
            i + 1,
            escape(&topic.title),
            ["I", "II", "III", "IV"][i]
        ));
        for (n, step) in topic.steps.iter().enumerate() {
            expected.push(format!(
                r#"<td class="num">{}</td><td>{}</td><td>{}</td>"#,
                n + 1,
                step.label,
                step.due.map(|d| d.label()).unwrap_or_default()
            ));
        }
    }
    expected.push(r#"<p class="part">IV. TỔ CHỨC THỰC HIỆN</p>"#.into());
    expected.push(
        r#"<p class="closing">Trên đây là kế hoạch sinh hoạt chuyên đề năm 2022 của Chi bộ Mầm non Định An./.</p>"#
            .into(),
    );
    expected.extend(
        [
            r#"<p class="heading">Nơi nhận:</p>"#,
            r#"<p class="line">- Đảng ủy cấp trên (để b/c);</p>"#,
            r#"<p class="line">- Đồng chí Bí thư;</p>"#,
            r#"<p class="line">- Lưu HS chi bộ.</p>"#,
            r#"<p class="authority">T/M CHI BỘ</p>"#,
            r#"<p class="title">BÍ THƯ</p>"#,
        ]
        .map(str::to_owned),
    );
    expected.push(format!(r#"<p class="signer">{}</p>"#, fixtures::SECRETARY));
    assert_in_order(&page, &expected);
}

#[test]
fn hostile_text_is_escaped() {
    let doc = build(&fixtures::hostile(), &fixtures::cell());
    let page = render(&doc, Some("/x?a=1&b=\"><script>")).unwrap_or_default();
    assert_eq!(
        page.matches("<script").count(),
        1,
        "no script element sneaks in beside the print button's"
    );
    assert!(!page.contains("alert(1)</"));
    let h = escape(fixtures::HOSTILE);
    assert!(h.contains("&#60;script&#62;") && h.contains("{{ bad }}"));
    assert_in_order(
        &page,
        &[
            format!("<title>Kế hoạch sinh hoạt {h}</title>"),
            format!(r#"<span class="subject">sinh hoạt {h}</span>"#),
            format!("Chuyên đề 1: Chủ đề {h}"),
            format!("<p>Nội dung công việc: {}.</p>", fixtures::long_word()),
            format!("<td>Việc {h}</td>"),
            format!("<td>Người {h}</td>"),
            format!(r#"<p class="line">- Nơi {h};</p>"#),
            format!(r#"<p class="signer">Ký {h}</p>"#),
        ],
    );
    assert!(
        STYLESHEET.contains("overflow-wrap: anywhere"),
        "long words wrap"
    );
}

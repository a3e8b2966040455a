//! Official documents (văn bản) as a neutral tree, and the renderers that print it.
//!
//! A [`Document`] knows the parts of a Party document — header, title block, body, recipients,
//! signature — but nothing of HTML, DOCX or PDF. Builders ([`plan::build`]) turn domain values
//! into a `Document`; renderers ([`html`], [`docx`], [`pdf`]) turn a `Document` into bytes, each
//! following `LAYOUT.md`. Every text in the tree is final (upper-cased, numbered, punctuated), so
//! the three formats cannot drift apart in wording.

pub mod correction;
pub mod docx;
#[cfg(test)]
mod fixtures;
pub mod html;
pub mod minutes;
pub mod model_plan;
pub mod model_report;
pub mod parts;
pub mod pdf;
pub mod plan;
pub mod typesetter;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::domain::model_session::ModelSessionPlan;
use crate::domain::org::Org;
use crate::domain::plan::Plan;

/// Printed top right of every Party document.
pub const PARTY: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";

/// Printed above the title while a document is not adopted yet.
pub const DRAFT_MARK: &str = "DỰ THẢO";

/// The heading of the recipients' list.
pub const RECIPIENTS_HEADING: &str = "Nơi nhận:";

/// The headings of the timeline table and their widths in percent of the text width: wide
/// enough that "Tháng 10/2022" stays on one line at 13 pt.
pub const TIMELINE_COLUMNS: [(&str, u8); 5] = [
    ("TT", 7),
    ("Nội dung thực hiện", 35),
    ("Thời gian", 20),
    ("Người thực hiện", 25),
    ("Ghi chú", 13),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// A short title for the browser tab and the PDF's metadata.
    pub title: String,
    pub header: Header,
    /// "DỰ THẢO" is printed above the title while true.
    pub draft: bool,
    /// Tên loại: "KẾ HOẠCH".
    pub kind: String,
    /// Trích yếu: "sinh hoạt chuyên đề năm 2024".
    pub subject: String,
    pub body: Vec<Block>,
    /// The last body line, ending in "./.".
    pub closing: Option<String>,
    /// Printed lines of "Nơi nhận", each starting with "- "; the archive copy last.
    pub recipients: Vec<String>,
    pub signature: SignatureBlock,
    /// A second signature in the foot's left column, in place of the recipients: the
    /// minute-taker's ("THƯ KÝ") on minutes, beside the chair's on the right.
    pub left_signature: Option<SignatureBlock>,
}

/// The two header columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Upper case, may be empty for a body with nothing above it.
    pub superior: String,
    /// Upper case, printed bold.
    pub issuer: String,
    /// "Số 05-KH/CB".
    pub number: String,
    /// "Định An, ngày 15 tháng 01 năm 2024".
    pub place_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureBlock {
    /// "T/M CHI BỘ"
    pub authority: String,
    /// "BÍ THƯ"
    pub title: String,
    /// The signer's name, may be empty (signed by hand).
    pub name: String,
}

/// A piece of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Justified, with a first-line indent.
    Paragraph {
        runs: Vec<Run>,
    },
    /// A numbered part with its heading and contents.
    Section(Section),
    Table(Table),
}

impl Block {
    pub fn text(text: impl Into<String>) -> Self {
        Block::Paragraph {
            runs: vec![Run::plain(text)],
        }
    }

    /// A "- " bullet, written as Party documents write it: a paragraph starting with a dash.
    pub fn bullet(text: &str) -> Self {
        Block::text(format!("- {text}"))
    }
}

/// A stretch of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }

    pub fn italic(text: impl Into<String>) -> Self {
        Self {
            italic: true,
            ..Self::plain(text)
        }
    }
}

/// How deep a section is, which decides how its heading looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// "I. MỤC ĐÍCH, YÊU CẦU": bold, upper case.
    Part,
    /// "1. Mục đích": bold.
    Item,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub level: Level,
    /// The numbering as printed, with its punctuation: "I.", "2.", "Chuyên đề 1:".
    pub number: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    /// The heading as one line: "I. MỤC ĐÍCH, YÊU CẦU".
    pub fn heading(&self) -> String {
        format!("{} {}", self.number, self.title)
    }
}

/// A table with one header row (repeated on every page) and rows in groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    /// Column widths in percent of the text width, one per column.
    pub widths: Vec<u8>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Row {
    /// A heading across all columns: "Chuyên đề 1: … — Quý I".
    Group { text: String },
    /// One text per column.
    Cells { cells: Vec<String> },
}

/// Roman numerals for part numbers (I–XXXIX is plenty for a plan).
pub fn roman(n: usize) -> String {
    const TENS: [&str; 4] = ["", "X", "XX", "XXX"];
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    if n == 0 || n >= 40 {
        return n.to_string();
    }
    format!("{}{}", TENS[n / 10], UNITS[n % 10])
}

/// A safe, meaningful file name without extension: `KH-05-CB-2024`, or `KH-du-thao-CB-2024`
/// while the plan has no number. ASCII only, so every browser and mail client keeps it intact.
pub fn file_stem(plan: &Plan, org: &Org) -> String {
    let year = plan.year.get();
    let raw = match &plan.number {
        Some(number) => format!(
            "{}-{:02}-{}-{year}",
            number.kind, number.serial, number.issuer
        ),
        None if plan.status.is_draft() => format!("KH-du-thao-{}-{year}", org.abbreviation),
        None => format!("KH-{}-{year}", org.abbreviation),
    };
    ascii_slug(&raw)
}

/// The file name of a session's minutes: `BB-03-CB-2024`, or `BB-du-thao-CB-2024` while open.
pub fn minutes_file_stem(number: Option<&(u32, String)>, abbreviation: &str, year: i32) -> String {
    ascii_slug(&match number {
        Some((serial, issuer)) => format!("BB-{serial:02}-{issuer}-{year}"),
        None => format!("BB-du-thao-{abbreviation}-{year}"),
    })
}

/// The file name of a model-session plan: `KH-82-DU-2024-mau`, or `KH-du-thao-DU-2024-mau`
/// while it has no number ("mẫu" keeps it apart from the committee's annual plan of the year).
pub fn model_plan_file_stem(plan: &ModelSessionPlan, org: &Org) -> String {
    let year = plan.year.get();
    ascii_slug(&match &plan.number {
        Some(number) => format!(
            "{}-{:02}-{}-{year}-mau",
            number.kind, number.serial, number.issuer
        ),
        None => format!("KH-du-thao-{}-{year}-mau", org.abbreviation),
    })
}

/// Vietnamese letters without their marks (Đ → D), anything else outside `[A-Za-z0-9-]` turned
/// into a dash, runs of dashes collapsed.
fn ascii_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.nfd() {
        let c = match c {
            'Đ' => 'D',
            'đ' => 'd',
            c if unicode_normalization::char::is_combining_mark(c) => continue,
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if !(c == '-' && (slug.is_empty() || slug.ends_with('-'))) {
            slug.push(c);
        }
    }
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() {
        "KH".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 3, 4, 5, 9, 14, 39].map(roman).to_vec();
        assert_eq!(got, ["I", "II", "III", "IV", "V", "IX", "XIV", "XXXIX"]);
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(ascii_slug("KH-05-ĐUK-2024"), "KH-05-DUK-2024");
        assert_eq!(
            ascii_slug("KH-Chi bộ Mầm non--2024/"),
            "KH-Chi-bo-Mam-non-2024"
        );
        assert_eq!(ascii_slug("ẞ…"), "KH");
    }
}

//! Text as users type it, made canonical: Unicode NFC, line breaks `\n`, no control or
//! non-characters, surrounding whitespace removed; and how long each kind of text may be.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::Invalid;

/// How many characters each kind of text may hold: enough for its purpose, small enough that
/// no field can carry a megabyte into a plan, its revisions and its documents. The web edge
/// refuses longer input with [`TooLong`]'s message; the databases keep a matching CHECK.
pub mod limit {
    /// A code-like value: a document number, a telephone number, a date, a year, a count.
    pub const SHORT: usize = 50;
    /// An e-mail address (RFC 5321's bound).
    pub const EMAIL: usize = 254;
    /// A name: a person, a unit, a place, a group, a step of a timeline, a login.
    pub const NAME: usize = 200;
    /// A title or a subject, one line: a topic's title, a plan's or a document's subject, a
    /// recipient, a deadline, a step's note.
    pub const TITLE: usize = 1_000;
    /// One paragraph: a topic's content, a comment, a lead-in.
    pub const PARAGRAPH: usize = 10_000;
    /// A text area of several paragraphs (a section of the plan), as typed.
    pub const SECTION: usize = 20_000;
    /// A name as stored for search ([`super::search_key`]): folding can lengthen a name (a
    /// Hangul syllable decomposes into up to three letters), never past three times.
    pub const FOLDED_NAME: usize = 3 * NAME;
}

/// Makes text as it arrives from outside (a form, a query string, a file) what both databases
/// and every document format can hold: `\r\n` and `\r` become `\n`; NUL and the other C0
/// controls except `\n` and `\t`, DEL, the C1 controls and the Unicode non-characters (U+FDD0–
/// U+FDEF and U+xFFFE, U+xFFFF in every plane; Word refuses a file that has one) are dropped;
/// the rest is NFC. Nothing else changes, so it can run once at the edge on every value.
pub fn clean(input: &str) -> Cow<'_, str> {
    let unwanted = |c: char| c == '\r' || is_dropped(c);
    if !input.contains(unwanted)
        && unicode_normalization::is_nfc_quick(input.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return Cow::Borrowed(input);
    }
    let mut kept = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                kept.push('\n');
            }
            c if is_dropped(c) => {}
            c => kept.push(c),
        }
    }
    Cow::Owned(kept.nfc().collect())
}

/// A control character other than newline and tab, or a non-character.
fn is_dropped(c: char) -> bool {
    let code = u32::from(c);
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
}

/// [`clean`], trimmed. Every piece of user text passes through here before it is stored, so
/// that "Nguyễn" typed with combining marks and with precomposed letters is the same name.
pub fn canonical(input: &str) -> String {
    clean(input).trim().to_owned()
}

/// Text longer than its field allows: how long it may be and how long it is, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub max: usize,
    pub got: usize,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tối đa {} ký tự; đồng chí đã nhập {}.",
            grouped(self.max),
            grouped(self.got)
        )
    }
}

/// `input` as it will be stored (canonical) if that fits in `max` characters.
pub fn within(input: &str, max: usize) -> Result<(), TooLong> {
    let got = canonical(input).chars().count();
    if got > max {
        Err(TooLong { max, got })
    } else {
        Ok(())
    }
}

/// A count with Vietnamese thousands separators: 1.000.000.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// Required one-line text of bounded length (a name, a title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line(String);

/// Why a text is not a [`Line`]: a caller that words its own message matches on this, never
/// on the text of the default message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    Empty,
    TooLong,
    Multiline,
}

impl From<LineError> for Invalid {
    fn from(error: LineError) -> Self {
        Invalid(match error {
            LineError::Empty => "Vui lòng nhập nội dung này.",
            LineError::TooLong => "Nội dung quá dài.",
            LineError::Multiline => "Nội dung chỉ được có một dòng.",
        })
    }
}

impl Line {
    pub fn parse(input: &str, max_chars: usize) -> Result<Self, Invalid> {
        Self::read(input, max_chars).map_err(Invalid::from)
    }

    /// [`Line::parse`] with the reason kept as a value.
    pub fn read(input: &str, max_chars: usize) -> Result<Self, LineError> {
        let text = canonical(input);
        if text.is_empty() {
            return Err(LineError::Empty);
        }
        if text.chars().count() > max_chars {
            return Err(LineError::TooLong);
        }
        if text.chars().any(char::is_control) {
            return Err(LineError::Multiline);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Optional one-line text: empty input means "none".
pub fn optional_line(input: &str, max_chars: usize) -> Result<Option<Line>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        Line::parse(input, max_chars).map(Some)
    }
}

/// Lower-cased, NFC text with Vietnamese diacritics removed, for matching headers and searching
/// names ("Họ và tên" ~ "ho va ten").
pub fn fold(input: &str) -> String {
    canonical(input)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name as it is stored beside itself for searching, and a search as it is matched against
/// that: [`fold`]ed ("Định An" and "dinh an" both become "dinh an"), runs of whitespace made one
/// space, and bounded by [`limit::FOLDED_NAME`] so the databases' length check always holds.
pub fn search_key(input: &str) -> String {
    fold(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(limit::FOLDED_NAME)
        .collect()
}

/// `%key%` for a `LIKE … ESCAPE '\\'` on a column of [`search_key`]s: the search folded the
/// same way, LIKE's wildcards in it made literal.
pub fn search_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search_key(search).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_composes_and_trims() {
        let decomposed = "  Nguye\u{302}\u{303}n ";
        assert_eq!(canonical(decomposed), "Nguyễn");
    }

    #[test]
    fn clean_drops_controls_and_non_characters_and_composes() {
        assert_eq!(
            clean("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{85}f\u{9f}g"),
            "abcdefg"
        );
        assert_eq!(clean("một\r\nhai\rba\n\tbốn"), "một\nhai\nba\n\tbốn");
        assert_eq!(
            clean("x\u{fffe}\u{ffff}\u{fdd0}\u{fdef}\u{1fffe}\u{10ffff}\u{fdcf}y"),
            "x\u{fdcf}y"
        );
        assert_eq!(clean("Nguye\u{302}\u{303}n"), "Nguyễn");
        // Right-to-left marks, emoji and the private use area are text: kept.
        let kept = "\u{202e}abc \u{1f600} \u{e000} \u{fffd}";
        assert!(matches!(clean(kept), Cow::Borrowed(text) if text == kept));
    }

    #[test]
    fn too_long_names_the_limit_and_the_count() {
        assert_eq!(within(&"a".repeat(200), limit::NAME), Ok(()));
        assert_eq!(
            within(&"ộ".repeat(1_000_000), limit::NAME)
                .unwrap_err()
                .to_string(),
            "Tối đa 200 ký tự; đồng chí đã nhập 1.000.000."
        );
        // Counted as stored: composed, trimmed, without what `clean` drops.
        assert_eq!(
            within(&format!("  {}\u{0}  ", "o\u{302}".repeat(200)), 200),
            Ok(())
        );
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1.000");
        assert_eq!(grouped(10_000), "10.000");
    }

    #[test]
    fn line_rejects_empty_long_and_multiline() {
        assert!(Line::parse("  ", 10).is_err());
        assert!(Line::parse("abcdefghijk", 10).is_err());
        assert!(Line::parse("a\nb", 10).is_err());
        assert_eq!(Line::parse(" Chi bộ ", 10).unwrap().as_str(), "Chi bộ");
    }

    #[test]
    fn fold_removes_diacritics() {
        assert_eq!(fold("Họ và tên"), "ho va ten");
        assert_eq!(fold("ĐẢNG ỦY"), "dang uy");
    }

    #[test]
    fn search_keys_ignore_marks_case_and_spacing() {
        assert_eq!(search_key("Chi bộ  Định An"), "chi bo dinh an");
        assert_eq!(search_key("Nguyễn Thị Lý"), search_key("nguyen thi ly"));
        assert_eq!(search_key("Trường Tiểu học"), "truong tieu hoc");
        // Typed with combining marks: the same key.
        assert_eq!(search_key("Đi\u{323}nh"), "dinh");
        assert_eq!(search_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
        let hangul = "\u{d55c}".repeat(limit::NAME);
        assert_eq!(search_key(&hangul).chars().count(), limit::FOLDED_NAME);
    }
}

//! Text as users type it, made canonical: Unicode NFC, surrounding whitespace removed.

use unicode_normalization::UnicodeNormalization;

use super::Invalid;

/// NFC-normalises and trims. Every piece of user text passes through here before it is stored,
/// so that "Nguyễn" typed with combining marks and with precomposed letters is the same name.
pub fn canonical(input: &str) -> String {
    let trimmed = input.trim();
    if unicode_normalization::is_nfc_quick(trimmed.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        trimmed.to_owned()
    } else {
        trimmed.nfc().collect()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_composes_and_trims() {
        let decomposed = "  Nguye\u{302}\u{303}n ";
        assert_eq!(canonical(decomposed), "Nguyễn");
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
}

//! A correction of closed minutes (biên bản bổ sung): closed minutes never change, so what was
//! recorded wrongly or left out is set down in a new, short record that names the minutes it
//! corrects. It is frozen and numbered (`Số n-BB/…`, in the same series as the minutes) when it
//! is made.

use chrono::{DateTime, NaiveDate, Utc};

use super::minutes::MinutesId;
use super::text::{canonical, limit, within};

super::id_type!(
    /// A stored correction.
    CorrectionId
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub id: CorrectionId,
    pub minutes: MinutesId,
    /// "Số 4-BB/CB": serial and issuer.
    pub number: (u32, String),
    /// What is corrected or added, one paragraph per line.
    pub body: String,
    pub made_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

impl Correction {
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body.lines().map(str::trim).filter(|l| !l.is_empty())
    }

    /// "Số 4-BB/CB"
    pub fn number_label(&self) -> String {
        format!("Số {}-BB/{}", self.number.0, self.number.1)
    }
}

/// The body of a correction as typed: not empty, at most a section's length.
pub fn parse_body(input: &str) -> Result<String, String> {
    within(input, limit::SECTION).map_err(|too_long| too_long.to_string())?;
    let body = canonical(input);
    if body.is_empty() {
        return Err("Vui lòng ghi nội dung bổ sung, đính chính.".to_owned());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_required_and_bounded() {
        assert!(parse_body("  \n ").unwrap_err().contains("Vui lòng ghi"));
        assert!(
            parse_body(&"a".repeat(limit::SECTION + 1))
                .unwrap_err()
                .contains("Tối đa")
        );
        assert_eq!(
            parse_body(" Sửa tên người phát biểu \r\n").unwrap(),
            "Sửa tên người phát biểu"
        );
    }
}

//! Members of a cell (đảng viên) and their role in it.

use super::Invalid;
use super::org::OrgId;
use super::text::{Line, LineError, canonical, fold, limit};

super::id_type!(
    /// A member record's id (one person in one cell).
    MemberId
);

/// Chính thức or dự bị.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Full,
    Probationary,
}

impl Standing {
    pub const ALL: [Standing; 2] = [Standing::Full, Standing::Probationary];

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Full => "full",
            Standing::Probationary => "probationary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Full => "Chính thức",
            Standing::Probationary => "Dự bị",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn đảng viên chính thức hoặc dự bị."))
    }

    /// From the Vietnamese label, as written in a spreadsheet ("Chính thức", "dự bị").
    pub fn from_label(label: &str) -> Result<Self, Invalid> {
        match fold(label).as_str() {
            "" | "chinh thuc" | "ct" => Ok(Standing::Full),
            "du bi" | "db" => Ok(Standing::Probationary),
            _ => Err(Invalid("Loại đảng viên phải là “Chính thức” hoặc “Dự bị”.")),
        }
    }
}

/// The member's role in their cell; it decides what they may do there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRole {
    Secretary,
    DeputySecretary,
    CellCommitteeMember,
    Member,
}

impl CellRole {
    pub const ALL: [CellRole; 4] = [
        CellRole::Secretary,
        CellRole::DeputySecretary,
        CellRole::CellCommitteeMember,
        CellRole::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CellRole::Secretary => "secretary",
            CellRole::DeputySecretary => "deputy_secretary",
            CellRole::CellCommitteeMember => "cell_committee_member",
            CellRole::Member => "member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CellRole::Secretary => "Bí thư",
            CellRole::DeputySecretary => "Phó Bí thư",
            CellRole::CellCommitteeMember => "Chi ủy viên",
            CellRole::Member => "Đảng viên",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == code)
            .ok_or(Invalid("Vui lòng chọn chức vụ trong chi bộ."))
    }

    pub fn from_label(label: &str) -> Result<Self, Invalid> {
        match fold(label).as_str() {
            "" | "dang vien" => Ok(CellRole::Member),
            "bi thu" => Ok(CellRole::Secretary),
            "pho bi thu" => Ok(CellRole::DeputySecretary),
            "chi uy vien" | "uy vien" => Ok(CellRole::CellCommitteeMember),
            _ => Err(Invalid(
                "Chức vụ phải là “Bí thư”, “Phó Bí thư”, “Chi ủy viên” hoặc “Đảng viên”.",
            )),
        }
    }

    /// Secretary and deputy run the cell's affairs: members, plans.
    pub fn manages_cell(self) -> bool {
        matches!(self, CellRole::Secretary | CellRole::DeputySecretary)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub cell_id: OrgId,
    pub full_name: String,
    pub standing: Standing,
    pub role: CellRole,
    pub birth_year: Option<i32>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// False once the member has moved away; they keep their history.
    pub active: bool,
    /// Login of the linked account, if any.
    pub login: Option<String>,
    /// Bumped by every saved change; the edit form carries the version it was drawn from.
    pub version: i64,
}

/// A member as a form or an imported row describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDraft {
    pub full_name: Line,
    pub standing: Standing,
    pub role: CellRole,
    pub birth_year: Option<BirthYear>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
}

pub fn parse_full_name(input: &str) -> Result<Line, Invalid> {
    Line::read(input, limit::NAME).map_err(|e| match e {
        LineError::Empty => Invalid("Vui lòng nhập họ và tên."),
        _ => Invalid("Họ và tên không hợp lệ (một dòng, tối đa 200 ký tự)."),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthYear(i32);

impl BirthYear {
    pub fn parse_optional(input: &str, current_year: i32) -> Result<Option<Self>, Invalid> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<i32>() {
            Ok(year) if (1900..=current_year - 16).contains(&year) => Ok(Some(Self(year))),
            _ => Err(Invalid("Năm sinh không hợp lệ (ví dụ 1985).")),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse_optional(input: &str) -> Result<Option<Self>, Invalid> {
        let text = canonical(input);
        if text.is_empty() {
            return Ok(None);
        }
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
        if allowed && (8..=15).contains(&digits) && text.chars().count() <= limit::SHORT {
            Ok(Some(Self(text)))
        } else {
            Err(Invalid("Số điện thoại không hợp lệ (ví dụ 0912 345 678)."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse_optional(input: &str) -> Result<Option<Self>, Invalid> {
        let text = canonical(input);
        if text.is_empty() {
            return Ok(None);
        }
        let valid = match text.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !text.contains(char::is_whitespace)
                    && text.len() <= 254
            }
            None => false,
        };
        if valid {
            Ok(Some(Self(text)))
        } else {
            Err(Invalid("Địa chỉ thư điện tử không hợp lệ."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_without_diacritics_or_case() {
        assert_eq!(
            Standing::from_label("DỰ BỊ").unwrap(),
            Standing::Probationary
        );
        assert_eq!(Standing::from_label("").unwrap(), Standing::Full);
        assert_eq!(
            CellRole::from_label("Phó bí thư").unwrap(),
            CellRole::DeputySecretary
        );
        assert!(CellRole::from_label("Chủ tịch").is_err());
    }

    #[test]
    fn contact_details_parse() {
        assert!(Phone::parse_optional("0912 345 678").unwrap().is_some());
        assert!(Phone::parse_optional("abc").is_err());
        assert!(Email::parse_optional("ly@example.vn").unwrap().is_some());
        assert!(Email::parse_optional("ly@").is_err());
        assert_eq!(BirthYear::parse_optional("", 2026).unwrap(), None);
        assert!(BirthYear::parse_optional("2020", 2026).is_err());
    }
}

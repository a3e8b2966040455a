//! The party tree: committees (đảng bộ / đảng ủy) and cells (chi bộ), nested to any depth.

use super::Invalid;
use super::text::{Line, canonical};

super::id_type!(
    /// A party organisation's id (a committee or a cell).
    OrgId
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OrgKind {
    /// Đảng bộ / đảng ủy: has units below it, reviews their plans.
    Committee,
    /// Chi bộ: holds members and makes the annual plan.
    Cell,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Committee => "committee",
            OrgKind::Cell => "cell",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        match code {
            "committee" => Ok(OrgKind::Committee),
            "cell" => Ok(OrgKind::Cell),
            _ => Err(Invalid("Vui lòng chọn loại tổ chức.")),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Committee => "Đảng bộ",
            OrgKind::Cell => "Chi bộ",
        }
    }
}

/// Where an org sits in the tree: the ids from the root down to it, written `/1/5/12/`.
/// "Everything under a committee" is then one range scan over an index on both databases.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: OrgId) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: OrgId) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Trusts storage: paths are only ever built by `root` and `child`.
    pub fn from_stored(path: String) -> Self {
        Self(path)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` is `ancestor` itself or lies below it.
    pub fn is_within(&self, ancestor: &OrgPath) -> bool {
        self.0.starts_with(&ancestor.0)
    }

    /// The half-open range `[lo, hi)` of paths in this subtree (itself included): every such
    /// path starts with `/…/n/`, and `/` sorts just before `0`.
    pub fn subtree_range(&self) -> (String, String) {
        let mut hi = self.0.clone();
        hi.pop();
        hi.push('0');
        (self.0.clone(), hi)
    }

    /// Ids from the root down to this org.
    pub fn ids(&self) -> Vec<OrgId> {
        self.0
            .split('/')
            .filter_map(|part| part.parse().ok())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Org {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub kind: OrgKind,
    /// Full name, as printed as the issuing body: "Chi bộ Mầm non Định An".
    pub name: String,
    /// The directly superior body as printed above it in document headers: "Đảng bộ xã Định An".
    pub superior_name: String,
    /// Used in document numbers: CB, ĐU, ĐUK …
    pub abbreviation: String,
    /// Place name of the date line: "Định An".
    pub place_name: String,
    /// First year of the current term (nhiệm kỳ); document numbers run through a term.
    pub term_start: Year,
    pub path: OrgPath,
}

impl Org {
    pub fn is_cell(&self) -> bool {
        self.kind == OrgKind::Cell
    }
}

/// What a form says an org should be; parsed, so every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDraft {
    pub kind: OrgKind,
    pub name: Line,
    pub superior_name: Line,
    pub abbreviation: Abbreviation,
    pub place_name: Line,
    pub term_start: Year,
}

/// The issuer's abbreviation in document numbers (CB, ĐU, ĐUK, BTGTU …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abbreviation(String);

impl Abbreviation {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = canonical(input);
        if text.is_empty() {
            return Err(Invalid("Vui lòng nhập chữ viết tắt (ví dụ CB, ĐU, ĐUK)."));
        }
        if text.chars().count() > 16 || !text.chars().all(char::is_alphanumeric) {
            return Err(Invalid(
                "Chữ viết tắt chỉ gồm chữ và số, không dấu cách, tối đa 16 ký tự (ví dụ CB, ĐU).",
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A calendar year in the range the Party's documents can carry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Year(i32);

impl Year {
    pub const MIN: i32 = 1930;
    pub const MAX: i32 = 2100;

    pub fn new(year: i32) -> Result<Self, Invalid> {
        if (Self::MIN..=Self::MAX).contains(&year) {
            Ok(Self(year))
        } else {
            Err(Invalid("Năm không hợp lệ (từ 1930 đến 2100)."))
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = input.trim();
        if text.is_empty() {
            return Err(Invalid("Vui lòng nhập năm."));
        }
        text.parse::<i32>()
            .map_err(|_| Invalid("Năm phải là một số, ví dụ 2025."))
            .and_then(Self::new)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_range_excludes_siblings_with_longer_ids() {
        let path = OrgPath::root(crate::domain::org::OrgId(1)).child(crate::domain::org::OrgId(5));
        let (lo, hi) = path.subtree_range();
        let inside = path.child(crate::domain::org::OrgId(12));
        let sibling =
            OrgPath::root(crate::domain::org::OrgId(1)).child(crate::domain::org::OrgId(50));
        assert!(lo.as_str() <= inside.as_str() && inside.as_str() < hi.as_str());
        assert!(sibling.as_str() >= hi.as_str());
        assert!(inside.is_within(&path));
        assert!(!sibling.is_within(&path));
        assert_eq!(inside.ids(), vec![OrgId(1), OrgId(5), OrgId(12)]);
    }

    #[test]
    fn abbreviation_and_year_parse() {
        assert_eq!(Abbreviation::parse(" ĐUK ").unwrap().as_str(), "ĐUK");
        assert!(Abbreviation::parse("C B").is_err());
        assert!(Abbreviation::parse("").is_err());
        assert_eq!(Year::parse("2025").unwrap().get(), 2025);
        assert!(Year::parse("20x5").is_err());
        assert!(Year::parse("1800").is_err());
    }
}

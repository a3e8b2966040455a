//! Login accounts.

use super::Invalid;
use super::text::{canonical, clean};

super::id_type!(
    /// An account's id.
    UserId
);

/// A login name: 3–32 characters of a–z, 0–9, `.`, `_`, `-`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login(String);

impl Login {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = canonical(input).to_lowercase();
        if text.is_empty() {
            return Err(Invalid("Vui lòng nhập tên đăng nhập."));
        }
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !allowed || !(3..=32).contains(&text.len()) {
            return Err(Invalid(
                "Tên đăng nhập gồm 3–32 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. Length is what matters (NIST SP 800-63B): at least 8 characters, no
/// composition rules, at most 256 so that hashing cost stays bounded.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 256;

    /// Made [`clean`] like all text, so a password typed in a browser and at the command line
    /// hashes the same.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = clean(input);
        let count = input.chars().count();
        if count < Self::MIN_CHARS {
            return Err(Invalid("Mật khẩu cần ít nhất 8 ký tự."));
        }
        if count > Self::MAX_CHARS {
            return Err(Invalid("Mật khẩu quá dài (tối đa 256 ký tự)."));
        }
        Ok(Self(input.into_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub full_name: String,
    pub is_admin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_lowercased_and_restricted() {
        assert_eq!(Login::parse(" BiThu ").unwrap().as_str(), "bithu");
        assert!(Login::parse("bí thư").is_err());
        assert!(Login::parse("ab").is_err());
    }

    #[test]
    fn password_needs_eight_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("mật khẩu!").is_ok());
    }
}

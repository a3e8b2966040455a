//! The rules of the product, with no I/O. Everything here is a plain value: form input is parsed
//! into these types at the web edge, and storage speaks them too.

pub mod access;
pub mod calendar;
pub mod lifecycle;
pub mod mandate;
pub mod member;
pub mod member_import;
pub mod notification;
pub mod org;
pub mod plan;
pub mod plan_check;
pub mod plan_edit;
pub mod plan_parts;
pub mod samples;
pub mod text;
pub mod timeline;
pub mod user;

/// A Vietnamese message for a value that could not be parsed, shown beside the form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

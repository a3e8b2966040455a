//! The rules of the product, with no I/O. Everything here is a plain value: form input is parsed
//! into these types at the web edge, and storage speaks them too.

pub mod access;
pub mod attendance;
pub mod calendar;
pub mod calendar_feed;
pub mod correction;
pub mod grading;
pub mod holding;
pub mod lifecycle;
pub mod mandate;
pub mod member;
pub mod member_import;
pub mod minutes;
pub mod model_delegates;
pub mod model_session;
pub mod notification;
pub mod org;
pub mod org_move;
pub mod paper;
pub mod plan;
pub mod plan_check;
pub mod plan_edit;
pub mod plan_parts;
pub mod samples;
pub mod session;
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

/// An id newtype: a stored row's number that the compiler tells apart from other ids, so a
/// topic's id cannot be passed where a plan's is meant. Shown and parsed as the plain number.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// Not stored yet: a new row in a form or a value about to be inserted.
            pub const NEW: Self = Self(0);

            pub fn get(self) -> i64 {
                self.0
            }

            pub fn is_new(self) -> bool {
                self == Self::NEW
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }
    };
}
pub(crate) use id_type;

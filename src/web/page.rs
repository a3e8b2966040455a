//! What every page's frame needs: title, who is signed in, the CSRF token for its forms, where
//! one is in the tree, and a one-time notice after a redirect.

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub is_admin: bool,
    /// Reviews for a committee: the navigation links the review inbox.
    pub reviewer: bool,
    /// Unread notifications, shown beside "Thông báo".
    pub unread: i64,
}

#[derive(Debug, Clone)]
pub struct Crumb {
    pub href: String,
    pub label: String,
}

impl Page {
    /// A page outside the signed-in area (login, errors).
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            ..Self::default()
        }
    }

    /// The page's forms carry `csrf`, masked afresh ([`super::csrf::masked`]).
    pub fn with_csrf(mut self, csrf: String) -> Self {
        self.csrf = super::csrf::masked(&csrf);
        self
    }

    pub fn crumb(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.crumbs.push(Crumb {
            href: href.into(),
            label: label.into(),
        });
        self
    }
}

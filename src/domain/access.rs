//! Who may do what: the scope rules, decided from the tree paths alone so they can be checked
//! without I/O once the actor's roles are loaded.

use super::member::{CellRole, MemberId};
use super::org::{Org, OrgId, OrgKind, OrgPath};
use super::user::User;

/// An active member record linked to the actor's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub member_id: MemberId,
    pub cell_id: OrgId,
    pub cell_name: String,
    pub cell_path: OrgPath,
    pub role: CellRole,
}

/// A committee the actor reviews for (its staff: văn phòng, ban tổ chức).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewership {
    pub committee_id: OrgId,
    pub committee_name: String,
    pub path: OrgPath,
}

/// The signed-in user with every role they hold.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub reviews: Vec<Reviewership>,
    pub memberships: Vec<Membership>,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.user.is_admin
    }

    fn reviews_subtree_of(&self, path: &OrgPath) -> bool {
        self.reviews.iter().any(|r| path.is_within(&r.path))
    }

    fn member_role_in(&self, cell_id: OrgId) -> Option<CellRole> {
        self.memberships
            .iter()
            .find(|m| m.cell_id == cell_id)
            .map(|m| m.role)
    }

    /// Admins everywhere; reviewers in their committee's subtree; members in their own cell.
    pub fn can_read_org(&self, org: &Org) -> bool {
        self.is_admin()
            || self.reviews_subtree_of(&org.path)
            || self.member_role_in(org.id).is_some()
    }

    /// Changing an org's details: admins, and the staff of a committee above it (a committee's
    /// staff manage what is below their committee, not the committee itself).
    pub fn can_edit_org(&self, org: &Org) -> bool {
        self.is_admin()
            || self
                .reviews
                .iter()
                .any(|r| org.path.is_within(&r.path) && org.path != r.path)
    }

    /// Adding a unit below `parent`, which must be a committee.
    pub fn can_add_org_under(&self, parent: &Org) -> bool {
        parent.kind == OrgKind::Committee
            && (self.is_admin() || self.reviews_subtree_of(&parent.path))
    }

    /// Members of a cell: its secretary and deputy, the committees above it, admins.
    pub fn can_manage_members(&self, cell: &Org) -> bool {
        cell.is_cell()
            && (self.is_admin()
                || self.reviews_subtree_of(&cell.path)
                || self
                    .member_role_in(cell.id)
                    .is_some_and(CellRole::manages_cell))
    }
}

impl Actor {
    /// Drafting and editing an org's plans: a cell's secretary and deputy; a committee's own
    /// staff (its directive plans); administrators. Reviewers do not write the plans of the
    /// cells they review.
    pub fn can_edit_plans(&self, org: &Org) -> bool {
        self.is_admin()
            || match org.kind {
                OrgKind::Cell => self
                    .member_role_in(org.id)
                    .is_some_and(CellRole::manages_cell),
                OrgKind::Committee => self.reviews.iter().any(|r| r.committee_id == org.id),
            }
    }

    /// Reviewing a cell's submitted plan: the staff of its direct higher committee, and never
    /// someone who belongs to the cell itself (nobody accepts their own plan).
    pub fn can_review(&self, cell: &Org) -> bool {
        cell.is_cell()
            && self.member_role_in(cell.id).is_none()
            && cell
                .parent_id
                .is_some_and(|parent| self.reviews.iter().any(|r| r.committee_id == parent))
    }

    /// Reading a committee's issued directive plan: everyone who can read the committee, and
    /// every member of a cell below it.
    pub fn can_read_directive(&self, committee: &Org) -> bool {
        self.can_read_org(committee)
            || self
                .memberships
                .iter()
                .any(|m| m.cell_path.is_within(&committee.path))
    }

    /// The actor's own member record in `cell`, if any.
    pub fn member_in(&self, cell_id: OrgId) -> Option<MemberId> {
        self.memberships
            .iter()
            .find(|m| m.cell_id == cell_id)
            .map(|m| m.member_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::Year;

    fn org(path: OrgPath, kind: OrgKind) -> Org {
        let ids = path.ids();
        Org {
            id: *ids.last().unwrap(),
            parent_id: ids.len().checked_sub(2).map(|i| ids[i]),
            kind,
            name: String::new(),
            superior_name: String::new(),
            abbreviation: "CB".into(),
            place_name: String::new(),
            term_start: Year::new(2025).unwrap(),
            path,
        }
    }

    fn actor(reviews: &[&Org], cell: Option<(OrgId, CellRole)>) -> Actor {
        Actor {
            user: User {
                id: crate::domain::user::UserId(1),
                login: "x".into(),
                full_name: "X".into(),
                is_admin: false,
            },
            reviews: reviews
                .iter()
                .map(|o| Reviewership {
                    committee_id: o.id,
                    committee_name: String::new(),
                    path: o.path.clone(),
                })
                .collect(),
            memberships: cell
                .map(|(cell_id, role)| Membership {
                    member_id: crate::domain::member::MemberId(9),
                    cell_id,
                    cell_name: String::new(),
                    cell_path: OrgPath::root(cell_id),
                    role,
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn scope_follows_the_tree() {
        let top = org(
            OrgPath::root(crate::domain::org::OrgId(1)),
            OrgKind::Committee,
        );
        let cell_a = org(top.path.child(crate::domain::org::OrgId(2)), OrgKind::Cell);
        let other = org(
            OrgPath::root(crate::domain::org::OrgId(3)),
            OrgKind::Committee,
        );
        let cell_b = org(
            other.path.child(crate::domain::org::OrgId(4)),
            OrgKind::Cell,
        );

        let reviewer = actor(&[&top], None);
        assert!(reviewer.can_read_org(&top) && reviewer.can_read_org(&cell_a));
        assert!(!reviewer.can_read_org(&cell_b));
        assert!(reviewer.can_edit_org(&cell_a) && !reviewer.can_edit_org(&top));
        assert!(reviewer.can_add_org_under(&top) && !reviewer.can_add_org_under(&cell_a));
        assert!(reviewer.can_manage_members(&cell_a));

        let secretary = actor(&[], Some((cell_a.id, CellRole::Secretary)));
        assert!(secretary.can_read_org(&cell_a) && !secretary.can_read_org(&top));
        assert!(secretary.can_manage_members(&cell_a) && !secretary.can_manage_members(&cell_b));
        assert!(!secretary.can_edit_org(&cell_a));

        let member = actor(&[], Some((cell_a.id, CellRole::Member)));
        assert!(member.can_read_org(&cell_a) && !member.can_manage_members(&cell_a));
    }
}

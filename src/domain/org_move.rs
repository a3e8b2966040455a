//! Moving a unit to another parent committee (communes merge, cells change committee): the
//! unit goes with everything below it, so paths are rewritten, and what derives from paths —
//! reviewers' scope, the dashboard, the directive plans above — follows by itself.

use super::org::{Org, OrgKind, OrgPath};

/// Why a unit cannot go under the parent asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefusal {
    /// Only a committee has units below it.
    ParentIsCell,
    /// The unit itself, or a unit below it: the tree would become a loop.
    IntoOwnSubtree,
    /// It is there already.
    SameParent,
}

impl MoveRefusal {
    pub fn message(self) -> &'static str {
        match self {
            MoveRefusal::ParentIsCell => {
                "Đơn vị này là một chi bộ; chỉ chuyển được về trực thuộc một đảng bộ."
            }
            MoveRefusal::IntoOwnSubtree => {
                "Không chuyển được một đơn vị về trực thuộc chính nó hay một đơn vị cấp dưới của nó."
            }
            MoveRefusal::SameParent => "Đơn vị đã trực thuộc đảng bộ này.",
        }
    }
}

/// Whether `unit` may go under `parent`.
pub fn check(unit: &Org, parent: &Org) -> Result<(), MoveRefusal> {
    if parent.kind == OrgKind::Cell {
        return Err(MoveRefusal::ParentIsCell);
    }
    if parent.path.is_within(&unit.path) {
        return Err(MoveRefusal::IntoOwnSubtree);
    }
    if unit.parent_id == Some(parent.id) {
        return Err(MoveRefusal::SameParent);
    }
    Ok(())
}

/// The path of `unit` once it is under `parent`. Every path below it changes the same way: its
/// old prefix (the unit's old path) becomes this one.
pub fn new_path(unit: &Org, parent: &Org) -> OrgPath {
    parent.path.child(unit.id)
}

/// The history lines of a move: on the unit itself, on the committee it left, on the one it
/// joined.
pub struct MoveRecord {
    pub on_unit: String,
    pub on_old_parent: String,
    pub on_new_parent: String,
}

pub fn record(unit: &Org, old_parent: Option<&Org>, new_parent: &Org) -> MoveRecord {
    let from = old_parent.map_or_else(|| "cấp cao nhất".to_owned(), |p| format!("“{}”", p.name));
    MoveRecord {
        on_unit: format!("Chuyển từ {from} về trực thuộc “{}”", new_parent.name),
        on_old_parent: format!("Chuyển “{}” về trực thuộc “{}”", unit.name, new_parent.name),
        on_new_parent: format!("Tiếp nhận “{}” từ {from}", unit.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::{OrgId, Year};

    fn org(id: i64, kind: OrgKind, parent: Option<&Org>) -> Org {
        let id = OrgId(id);
        Org {
            id,
            parent_id: parent.map(|p| p.id),
            kind,
            name: format!("Đơn vị {id}"),
            superior_name: String::new(),
            abbreviation: "CB".into(),
            place_name: String::new(),
            term_start: Year::new(2020).unwrap(),
            path: parent.map_or_else(|| OrgPath::root(id), |p| p.path.child(id)),
        }
    }

    #[test]
    fn a_unit_moves_under_another_committee_but_never_into_itself() {
        let top = org(1, OrgKind::Committee, None);
        let a = org(2, OrgKind::Committee, Some(&top));
        let b = org(3, OrgKind::Committee, Some(&top));
        let below_a = org(20, OrgKind::Committee, Some(&a));
        let cell = org(21, OrgKind::Cell, Some(&below_a));
        assert_eq!(check(&cell, &b), Ok(()));
        assert_eq!(new_path(&cell, &b).as_str(), "/1/3/21/");
        assert_eq!(check(&a, &b), Ok(()));
        assert_eq!(check(&a, &a), Err(MoveRefusal::IntoOwnSubtree));
        assert_eq!(check(&a, &below_a), Err(MoveRefusal::IntoOwnSubtree));
        assert_eq!(check(&b, &cell), Err(MoveRefusal::ParentIsCell));
        assert_eq!(check(&below_a, &a), Err(MoveRefusal::SameParent));
        // Id 2 is a prefix of id 20 as text, not as a path: 20 is no unit below 2's sibling.
        let twenty = org(200, OrgKind::Committee, Some(&top));
        assert_eq!(check(&a, &twenty), Ok(()));
        let record = record(&cell, Some(&below_a), &b);
        assert_eq!(
            record.on_unit,
            "Chuyển từ “Đơn vị 20” về trực thuộc “Đơn vị 3”"
        );
        assert_eq!(record.on_new_parent, "Tiếp nhận “Đơn vị 21” từ “Đơn vị 20”");
    }
}

//! Who may do what: the scope rules, decided from the tree paths alone so they can be checked
//! without I/O once the actor's roles are loaded.

use super::member::{CellRole, MemberId};
use super::model_delegates::{Delegate, DelegateId};
use super::org::{Org, OrgId, OrgKind, OrgPath};
use super::paper::Paper;
use super::plan::{Presenter, StepKind, Topic};
use super::user::{User, UserId};

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
        self.can_read_at(org.id, &org.path)
    }

    /// [`Actor::can_read_org`] for a unit known only by its id and place in the tree (the
    /// units above a page, in its breadcrumb).
    pub fn can_read_at(&self, id: OrgId, path: &OrgPath) -> bool {
        self.is_admin() || self.reviews_subtree_of(path) || self.member_role_in(id).is_some()
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

    /// Reviewing a cell's submitted plan: the staff of its direct higher committee. Holding a
    /// role in the cell as well takes nothing away; what keeps anyone from deciding on a plan
    /// they wrote is the plan's own history ([`involvement`]), not the roles they hold today.
    pub fn can_review(&self, cell: &Org) -> bool {
        cell.is_cell()
            && cell
                .parent_id
                .is_some_and(|parent| self.reviews.iter().any(|r| r.committee_id == parent))
    }

    /// Reading a committee's issued directive plan: everyone who can read the committee, every
    /// member of a cell below it, and the staff of a committee below it (whose cells carry its
    /// topics out).
    pub fn can_read_directive(&self, committee: &Org) -> bool {
        self.can_read_org(committee)
            || self
                .memberships
                .iter()
                .any(|m| m.cell_path.is_within(&committee.path))
            || self
                .reviews
                .iter()
                .any(|r| r.path.is_within(&committee.path))
    }

    /// Drafting and issuing a committee's model-session plans (sinh hoạt chi bộ mẫu): the
    /// committee's own staff, administrators.
    pub fn can_draft_model_sessions(&self, committee: &Org) -> bool {
        committee.kind == OrgKind::Committee && self.can_edit_plans(committee)
    }

    /// Reading a model-session plan: its drafters; once issued, also the members of a cell
    /// that hosts one of its model sessions.
    pub fn can_read_model_plan(&self, committee: &Org, issued: bool, hosts: &[OrgId]) -> bool {
        self.can_draft_model_sessions(committee)
            || (issued
                && hosts
                    .iter()
                    .any(|host| self.member_role_in(*host).is_some()))
    }

    /// Speaking for a unit invited to a model meeting (naming its delegates): a cell's
    /// secretary and deputy, a committee's own staff.
    pub fn leads_unit(&self, unit: &Org) -> bool {
        match unit.kind {
            OrgKind::Cell => self
                .member_role_in(unit.id)
                .is_some_and(CellRole::manages_cell),
            OrgKind::Committee => self.reviews.iter().any(|r| r.committee_id == unit.id),
        }
    }

    /// What the actor may do about one model meeting of `committee`'s plan, hosted by `host`,
    /// with the units `invited` and the `delegates` they named.
    pub fn meeting_rights(
        &self,
        committee: &Org,
        host: OrgId,
        invited: &[Org],
        delegates: &[Delegate],
    ) -> MeetingRights {
        MeetingRights {
            staff: self.can_draft_model_sessions(committee),
            leads: invited
                .iter()
                .filter(|unit| self.leads_unit(unit))
                .map(|unit| unit.id)
                .collect(),
            delegate: delegates
                .iter()
                .find(|d| d.user == Some(self.user.id))
                .map(|d| d.id),
            host_member: self.member_role_in(host).is_some(),
        }
    }

    /// The actor's own member record in `cell`, if any.
    pub fn member_in(&self, cell_id: OrgId) -> Option<MemberId> {
        self.memberships
            .iter()
            .find(|m| m.cell_id == cell_id)
            .map(|m| m.member_id)
    }
}

/// What the actor may do about a model meeting (seed 004): the committee's staff organise it;
/// the leaders of an invited unit name its delegates; a delegate assesses it; the host cell's
/// members follow it. Nobody else sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRights {
    /// The committee's staff (and administrators): invitations, attendance, the summary.
    pub staff: bool,
    /// The invited units the actor speaks for.
    pub leads: Vec<OrgId>,
    /// The actor's own registration as a delegate.
    pub delegate: Option<DelegateId>,
    /// A member of the host cell.
    pub host_member: bool,
}

impl MeetingRights {
    /// Reading the meeting's page: its staff; once the plan is issued, everyone it concerns.
    pub fn reads(&self, issued: bool) -> bool {
        self.staff
            || (issued && (self.host_member || !self.leads.is_empty() || self.delegate.is_some()))
    }

    pub fn leads(&self, unit: OrgId) -> bool {
        self.leads.contains(&unit)
    }
}

/// What the actor may do with the papers of one topic of a cell (Hướng dẫn 42-HD/BTCTW: the
/// presenter writes, the cell's leaders approve it for the members, the members comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperRights {
    user: UserId,
    /// An active member of the cell.
    member: bool,
    /// Its secretary or deputy.
    manages: bool,
    /// The topic's presenter, or assigned to write its outline or a draft.
    presenter: bool,
    /// Staff of a committee above the cell.
    reviewer: bool,
}

impl PaperRights {
    /// Opening the topic's papers at all: nobody else learns they exist.
    pub fn reads(&self) -> bool {
        self.member || self.reviewer || self.writes()
    }

    /// Writing and uploading versions.
    pub fn writes(&self) -> bool {
        self.presenter || self.manages
    }

    /// A version not yet circulated is its authors' and the leaders' only.
    pub fn sees(&self, paper: &Paper) -> bool {
        (paper.circulated.is_some() && self.reads())
            || self.writes()
            || paper.created_by == Some(self.user)
    }

    /// "Thông qua dự thảo, gửi đảng viên".
    pub fn circulates(&self) -> bool {
        self.manages
    }

    pub fn comments(&self) -> bool {
        self.member
    }

    /// Taking comments in or not, and closing them.
    pub fn answers(&self) -> bool {
        self.writes()
    }
}

impl Actor {
    /// Administrators are not among the readers: a cell's drafts are the cell's and its
    /// committees' business, not the system's keepers'.
    pub fn paper_rights(&self, cell: &Org, topic: &Topic) -> PaperRights {
        let me = self.member_in(cell.id);
        let writes_steps = [StepKind::Outline, StepKind::Draft1, StepKind::Draft2];
        let presenter = me.is_some_and(|me| {
            matches!(topic.presenter, Presenter::Member { id, .. } if id == me)
                || topic
                    .steps
                    .iter()
                    .filter(|s| writes_steps.contains(&s.kind))
                    .any(|s| s.assignees.iter().any(|a| a.member == me))
        });
        PaperRights {
            user: self.user.id,
            member: me.is_some(),
            manages: self
                .member_role_in(cell.id)
                .is_some_and(CellRole::manages_cell),
            presenter,
            reviewer: cell.is_cell() && self.reviews_subtree_of(&cell.path),
        }
    }
}

/// Why an account may not be linked to a member: linking gives the account the member's role in
/// the cell, so it is a grant of access and needs someone above the cell to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Only administrators and the staff of a committee above the cell link existing accounts;
    /// a cell's own leaders cannot hand its roles to accounts of their choosing.
    NotAbove,
    /// Nobody grants themselves a role.
    OwnAccount,
    /// The account already belongs to an active member (a party member belongs to one cell).
    LinkedElsewhere,
    /// An administrator's or a reviewer's account gains a cell role only from an administrator.
    Privileged,
}

impl LinkRefusal {
    /// The message beside the form's "Tài khoản đăng nhập" field.
    pub fn message(self) -> &'static str {
        match self {
            LinkRefusal::NotAbove => {
                "Chỉ quản trị viên hoặc cán bộ theo dõi của cấp ủy cấp trên mới gắn được tài khoản \
                 cho đảng viên. Đồng chí có thể để trống ô này hoặc giữ nguyên tài khoản đã gắn."
            }
            LinkRefusal::OwnAccount => {
                "Đồng chí không thể tự gắn tài khoản của chính mình; việc này do người có thẩm \
                 quyền khác thực hiện."
            }
            LinkRefusal::LinkedElsewhere => {
                "Tài khoản này đang gắn với một đảng viên khác đang sinh hoạt; mỗi tài khoản chỉ \
                 gắn với một đảng viên."
            }
            LinkRefusal::Privileged => {
                "Đây là tài khoản của quản trị viên hoặc cán bộ theo dõi; chỉ quản trị viên mới \
                 gắn được tài khoản này cho đảng viên."
            }
        }
    }
}

impl Actor {
    /// Giving existing accounts access to `cell` by linking them to its members: administrators
    /// and the staff of a committee above the cell.
    pub fn can_link_accounts(&self, cell: &Org) -> bool {
        cell.is_cell() && (self.is_admin() || self.reviews_subtree_of(&cell.path))
    }

    /// Linking `account` (with every role it holds now) to the member `member` of `cell` (`None`:
    /// the member being added), which grants it the member's role there. Keeping a link a member
    /// already has is not a grant and is not asked about.
    pub fn may_link(
        &self,
        cell: &Org,
        member: Option<MemberId>,
        account: &Actor,
    ) -> Result<(), LinkRefusal> {
        if !self.can_link_accounts(cell) {
            return Err(LinkRefusal::NotAbove);
        }
        if account.user.id == self.user.id {
            return Err(LinkRefusal::OwnAccount);
        }
        if account
            .memberships
            .iter()
            .any(|m| Some(m.member_id) != member)
        {
            return Err(LinkRefusal::LinkedElsewhere);
        }
        if (account.is_admin() || !account.reviews.is_empty()) && !self.is_admin() {
            return Err(LinkRefusal::Privileged);
        }
        Ok(())
    }
}

/// What someone did to a plan that bars them from deciding on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deed {
    /// Created or changed its content (marking a step done is progress, not authorship).
    Edited,
    /// Recorded the cell's adoption.
    Adopted,
    /// Reported it to the committee.
    Submitted,
}

impl Deed {
    /// Why the decision is refused, as the review page says it.
    pub fn refusal(self) -> &'static str {
        match self {
            Deed::Edited => "Đồng chí đã soạn kế hoạch này nên không thể duyệt hay trả lại nó.",
            Deed::Adopted => {
                "Đồng chí đã thông qua kế hoạch này nên không thể duyệt hay trả lại nó."
            }
            Deed::Submitted => "Đồng chí đã trình kế hoạch này nên không thể duyệt hay trả lại nó.",
        }
    }
}

/// Separation of duties: nobody accepts or returns a plan they edited, adopted or submitted,
/// whatever roles they hold now (roles come and go; the plan's history stays). `history` is
/// who did what to the plan, ever; the first of the reviewer's deeds is named.
pub fn involvement(history: &[(UserId, Deed)], reviewer: UserId) -> Option<Deed> {
    [Deed::Edited, Deed::Adopted, Deed::Submitted]
        .into_iter()
        .find(|deed| history.contains(&(reviewer, *deed)))
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

    fn as_user(mut actor: Actor, id: i64, admin: bool) -> Actor {
        actor.user.id = UserId(id);
        actor.user.is_admin = admin;
        actor
    }

    /// A committee with two cells, and a committee below it with one.
    fn tree() -> (Org, Org, Org, Org, Org) {
        let top = org(OrgPath::root(OrgId(1)), OrgKind::Committee);
        let cell_a = org(top.path.child(OrgId(2)), OrgKind::Cell);
        let cell_b = org(top.path.child(OrgId(3)), OrgKind::Cell);
        let sub = org(top.path.child(OrgId(4)), OrgKind::Committee);
        let sub_cell = org(sub.path.child(OrgId(5)), OrgKind::Cell);
        (top, cell_a, cell_b, sub, sub_cell)
    }

    #[test]
    fn a_cell_role_never_shadows_a_reviewership() {
        let (top, cell_a, _, sub, sub_cell) = tree();
        let mut both = actor(&[&top], Some((cell_a.id, CellRole::Secretary)));
        both.memberships[0].cell_path = cell_a.path.clone();
        assert!(both.can_review(&cell_a));
        assert!(both.can_read_org(&cell_a) && both.can_manage_members(&cell_a));
        // Reviewing is the direct committee's: not a cell further down, and never an admin's.
        assert!(!both.can_review(&sub_cell));
        assert!(!as_user(actor(&[], None), 2, true).can_review(&cell_a));
        // The staff of a committee below read the directive plans their cells carry out.
        let below = actor(&[&sub], None);
        assert!(below.can_read_directive(&top) && !below.can_read_org(&top));
    }

    #[test]
    fn only_someone_above_the_cell_links_an_account_and_never_their_own() {
        let (top, cell_a, cell_b, sub, _) = tree();
        let member = crate::domain::member::MemberId(7);
        let plain = as_user(actor(&[], None), 10, false);
        let reviewer = as_user(actor(&[&top], None), 20, false);
        let admin = as_user(actor(&[], None), 30, true);
        let mut secretary_a = as_user(
            actor(&[], Some((cell_a.id, CellRole::Secretary))),
            40,
            false,
        );
        secretary_a.memberships[0].cell_path = cell_a.path.clone();
        let mut secretary_b = as_user(
            actor(&[], Some((cell_b.id, CellRole::Secretary))),
            50,
            false,
        );
        secretary_b.memberships[0].cell_path = cell_b.path.clone();

        // A secretary links nobody: not the reviewer above, not another cell's secretary.
        assert_eq!(
            secretary_a.may_link(&cell_a, Some(member), &reviewer),
            Err(LinkRefusal::NotAbove)
        );
        assert_eq!(
            secretary_a.may_link(&cell_a, Some(member), &secretary_b),
            Err(LinkRefusal::NotAbove)
        );
        assert_eq!(
            secretary_a.may_link(&cell_a, Some(member), &plain),
            Err(LinkRefusal::NotAbove)
        );
        // A reviewer above links a fresh account, but not their own, not another reviewer's,
        // not one already with an active member elsewhere.
        assert_eq!(reviewer.may_link(&cell_a, Some(member), &plain), Ok(()));
        assert_eq!(
            reviewer.may_link(&cell_a, Some(member), &reviewer),
            Err(LinkRefusal::OwnAccount)
        );
        let other_reviewer = as_user(actor(&[&sub], None), 60, false);
        assert_eq!(
            reviewer.may_link(&cell_a, Some(member), &other_reviewer),
            Err(LinkRefusal::Privileged)
        );
        assert_eq!(
            reviewer.may_link(&cell_a, Some(member), &admin),
            Err(LinkRefusal::Privileged)
        );
        assert_eq!(
            reviewer.may_link(&cell_a, Some(member), &secretary_b),
            Err(LinkRefusal::LinkedElsewhere)
        );
        // The member the account already belongs to is not "elsewhere".
        let own_member = secretary_b.memberships[0].member_id;
        assert_eq!(
            reviewer.may_link(&cell_b, Some(own_member), &secretary_b),
            Ok(())
        );
        // A reviewer of a committee below cannot link in a cell of the committee above.
        assert_eq!(
            other_reviewer.may_link(&cell_a, Some(member), &plain),
            Err(LinkRefusal::NotAbove)
        );
        // An administrator links a reviewer's account, never their own.
        assert_eq!(admin.may_link(&cell_a, Some(member), &reviewer), Ok(()));
        assert_eq!(
            admin.may_link(&cell_a, Some(member), &admin),
            Err(LinkRefusal::OwnAccount)
        );
        assert_eq!(
            admin.may_link(&cell_a, Some(member), &secretary_b),
            Err(LinkRefusal::LinkedElsewhere)
        );
        // A member being added is nobody's yet: the same rules, and an account an active
        // member holds is still theirs.
        assert_eq!(reviewer.may_link(&cell_a, None, &plain), Ok(()));
        assert_eq!(
            reviewer.may_link(&cell_b, None, &secretary_b),
            Err(LinkRefusal::LinkedElsewhere)
        );
        assert_eq!(
            secretary_a.may_link(&cell_a, None, &plain),
            Err(LinkRefusal::NotAbove)
        );
        assert_eq!(
            reviewer.may_link(&cell_a, None, &reviewer),
            Err(LinkRefusal::OwnAccount)
        );
        // Nobody links accounts to a committee.
        assert!(!admin.can_link_accounts(&top));
    }

    #[test]
    fn nobody_decides_on_a_plan_they_wrote_adopted_or_submitted() {
        let (author, secretary, reviewer) = (UserId(1), UserId(2), UserId(3));
        let history = [
            (author, Deed::Edited),
            (secretary, Deed::Adopted),
            (secretary, Deed::Submitted),
        ];
        assert_eq!(involvement(&history, author), Some(Deed::Edited));
        assert_eq!(involvement(&history, secretary), Some(Deed::Adopted));
        assert_eq!(
            involvement(&[(reviewer, Deed::Submitted)], reviewer),
            Some(Deed::Submitted)
        );
        assert_eq!(involvement(&history, reviewer), None);
        assert!(Deed::Submitted.refusal().contains("đã trình kế hoạch này"));
    }
}

//! The life of a plan: which transition is allowed from which state, and for whom.

use chrono::{DateTime, NaiveDate, Utc};

use super::Invalid;
use super::plan::{PlanStatus, Topic};
use super::plan_edit::Edit;

/// A transition of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The cell adopts the plan at a meeting (thông qua chi bộ).
    Adopt,
    /// The cell reports it to its direct higher committee.
    Submit,
    /// The committee sends it back with comments.
    Return,
    /// The committee accepts it.
    Accept,
    /// A committee issues its own directive plan to the cells below.
    Issue,
    /// An adopted plan was edited: it is a draft again, to be adopted again before it goes up.
    Amend,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Adopt,
        Action::Submit,
        Action::Return,
        Action::Accept,
        Action::Issue,
        Action::Amend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Adopt => "adopt",
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Accept => "accept",
            Action::Issue => "issue",
            Action::Amend => "amend",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }

    /// As the plan's timeline writes it.
    pub fn label(self) -> &'static str {
        match self {
            Action::Adopt => "Chi bộ thông qua kế hoạch",
            Action::Submit => "Báo cáo cấp ủy cấp trên",
            Action::Return => "Cấp trên trả lại, yêu cầu bổ sung",
            Action::Accept => "Cấp trên duyệt",
            Action::Issue => "Ban hành kế hoạch",
            Action::Amend => "Sửa sau khi chi bộ thông qua, trở lại dự thảo",
        }
    }

    /// The state a plan must be in for the action, and the state it moves to.
    pub fn transition(self, from: PlanStatus) -> Option<PlanStatus> {
        use PlanStatus::*;
        match (self, from) {
            (Action::Adopt, Draft) => Some(Adopted),
            // A returned plan is revised and sent again; it was adopted before.
            (Action::Submit, Adopted | Returned) => Some(Submitted),
            (Action::Return, Submitted) => Some(Returned),
            (Action::Accept, Submitted) => Some(Accepted),
            (Action::Issue, Draft) => Some(Issued),
            // Taken by an edit, never asked for on its own (see [`edit_rule`]).
            (Action::Amend, Adopted) => Some(Draft),
            _ => None,
        }
    }

    /// Whether the cell's side (secretary, deputy) takes it, or the committee's (reviewers).
    pub fn by_reviewer(self) -> bool {
        matches!(self, Action::Return | Action::Accept)
    }
}

/// The same table seen from a plan's state, for pages that offer an action only where it is
/// allowed.
impl PlanStatus {
    /// Whether `action` may be taken from this state.
    pub fn allows(self, action: Action) -> bool {
        action.transition(self).is_some()
    }

    /// Waiting for the higher committee: a reviewer may accept or return it.
    pub fn awaits_review(self) -> bool {
        Action::ALL
            .into_iter()
            .any(|action| action.by_reviewer() && self.allows(action))
    }

    /// Sent back by the higher committee: the next submission is a resubmission.
    pub fn is_returned(self) -> bool {
        self == PlanStatus::Returned
    }

    /// Why no part of a plan in this state may change, when none may: what the committee has
    /// under review, or has accepted, stays the text it saw. There is no transition that reopens
    /// them; a returned plan is edited freely and resubmitted.
    pub fn frozen(self) -> Option<Lock> {
        match self {
            PlanStatus::Submitted => Some(Lock::UnderReview),
            PlanStatus::Accepted => Some(Lock::Accepted),
            _ => None,
        }
    }

    /// Why the number, date and subject may not change: frozen, or an issued directive, whose
    /// number and date the cells below cite in the topics they took in.
    pub fn header_frozen(self) -> Option<Lock> {
        self.frozen()
            .or((self == PlanStatus::Issued).then_some(Lock::Issued))
    }
}

/// Why an edit of a plan is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Submitted: the committee is reviewing this text.
    UnderReview,
    /// Accepted: the committee approved this text.
    Accepted,
    /// An issued directive's number, date and subject.
    Issued,
    /// A topic of an issued directive that cells below took in: it stays, in its quarter.
    TakenIn,
}

impl Lock {
    pub fn reason(self) -> &'static str {
        match self {
            Lock::UnderReview => {
                "Kế hoạch đã báo cáo cấp trên và đang chờ xem xét: không sửa được cho đến khi \
                 cấp trên trả lại."
            }
            Lock::Accepted => "Cấp trên đã duyệt kế hoạch: nội dung đã duyệt không sửa được nữa.",
            Lock::Issued => {
                "Kế hoạch đã ban hành: số, ngày ban hành và trích yếu là căn cứ các chi bộ đã \
                 ghi, không sửa được nữa."
            }
            Lock::TakenIn => {
                "Chi bộ trực thuộc đã đưa chuyên đề này vào kế hoạch: không xóa được, không đổi \
                 được quý và thời gian sinh hoạt; các nội dung khác vẫn sửa được."
            }
        }
    }
}

/// What an edit does to a plan in its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRule {
    /// Saved as it is (a draft, a returned plan, what an issued directive may still correct).
    Free,
    /// Saved, and the plan becomes a draft again ([`Action::Amend`]): the text the cell adopted
    /// changed, and only an adopted text goes up.
    BackToDraft,
    /// Not saved.
    Locked(Lock),
}

/// Decides what `edit` may do to a plan in `status`. `taken_in` is the stored topic the edit
/// touches when cells below have taken it in (only an issued directive's topics are).
pub fn edit_rule(status: PlanStatus, edit: &Edit, taken_in: Option<&Topic>) -> EditRule {
    // A topic's dates set from its scheduled session are the plan being carried out, like
    // marking a step done: sessions are scheduled while the plan is adopted, under review or
    // accepted, and that neither reopens it nor touches the revisions the committee keeps.
    if matches!(edit, Edit::TopicDates { .. }) {
        return EditRule::Free;
    }
    if let Some(lock) = status.frozen() {
        return EditRule::Locked(lock);
    }
    match (status, edit) {
        (PlanStatus::Adopted, _) => EditRule::BackToDraft,
        (PlanStatus::Issued, Edit::Header { .. }) => EditRule::Locked(Lock::Issued),
        (PlanStatus::Issued, Edit::RemoveTopic(_)) if taken_in.is_some() => {
            EditRule::Locked(Lock::TakenIn)
        }
        (PlanStatus::Issued, Edit::UpdateTopic(topic))
            if taken_in.is_some_and(|stored| {
                stored.quarter != topic.quarter || stored.session != topic.session
            }) =>
        {
            EditRule::Locked(Lock::TakenIn)
        }
        _ => EditRule::Free,
    }
}

/// Whether the plan is a draft again because it was edited after the cell adopted it: its
/// page says it must be adopted again.
pub fn amended_after_adoption(status: PlanStatus, events: &[Event]) -> bool {
    status == PlanStatus::Draft && events.last().is_some_and(|e| e.action == Action::Amend)
}

/// The cell meeting at which a plan was adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adoption {
    pub meeting_on: NaiveDate,
    pub present: u32,
    pub total: u32,
    pub votes_for: u32,
    pub votes_against: u32,
}

impl Adoption {
    /// Checks the figures of a meeting: nobody counted twice, and a majority of those present
    /// in favour (a plan the meeting did not carry is not adopted). Errors name their field.
    pub fn new(
        meeting_on: NaiveDate,
        present: u32,
        total: u32,
        votes_for: u32,
        votes_against: u32,
    ) -> Result<Self, (&'static str, Invalid)> {
        if total == 0 {
            return Err(("total", Invalid("Tổng số đảng viên phải lớn hơn 0.")));
        }
        if present > total {
            return Err((
                "present",
                Invalid("Số có mặt không thể lớn hơn tổng số đảng viên."),
            ));
        }
        if votes_for + votes_against > present {
            return Err((
                "votes_for",
                Invalid("Số tán thành và không tán thành cộng lại vượt quá số có mặt."),
            ));
        }
        if votes_for * 2 <= present {
            return Err((
                "votes_for",
                Invalid("Kế hoạch chỉ được thông qua khi quá nửa số đảng viên có mặt tán thành."),
            ));
        }
        Ok(Self {
            meeting_on,
            present,
            total,
            votes_for,
            votes_against,
        })
    }

    /// "Có mặt 8/9 đồng chí; 8 tán thành, 0 không tán thành."
    pub fn summary(&self) -> String {
        format!(
            "Họp ngày {}: có mặt {}/{} đồng chí; {} tán thành, {} không tán thành.",
            self.meeting_on.format("%d/%m/%Y"),
            self.present,
            self.total,
            self.votes_for,
            self.votes_against
        )
    }
}

/// One entry of a plan's timeline: a transition, who made it, and its adoption meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub action: Action,
    pub comment: String,
    pub revision_number: Option<i32>,
    pub adoption: Option<Adoption>,
}

impl Event {
    pub fn label(&self) -> &'static str {
        self.action.label()
    }

    /// The adoption meeting, for an "adopt" event.
    pub fn adoption(&self) -> Option<String> {
        self.adoption.as_ref().map(Adoption::summary)
    }
}

/// Where a cell stands with its plan for the year: no plan yet, or the plan's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    None,
    Plan(PlanStatus),
}

impl CellState {
    /// The states a cell's plan can be in, in the order of its life; `issued` belongs to a
    /// committee's directive plan, never to a cell's.
    pub const ALL: [CellState; 6] = [
        CellState::None,
        CellState::Plan(PlanStatus::Draft),
        CellState::Plan(PlanStatus::Adopted),
        CellState::Plan(PlanStatus::Submitted),
        CellState::Plan(PlanStatus::Returned),
        CellState::Plan(PlanStatus::Accepted),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CellState::None => "none",
            CellState::Plan(status) => status.as_str(),
        }
    }

    /// `none` or the status of a cell's plan.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CellState::None => "Chưa có kế hoạch",
            CellState::Plan(status) => status.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_path_of_a_plan() {
        use PlanStatus::*;
        assert_eq!(Action::Adopt.transition(Draft), Some(Adopted));
        assert_eq!(Action::Submit.transition(Draft), None, "adopt first");
        assert_eq!(Action::Submit.transition(Adopted), Some(Submitted));
        assert_eq!(Action::Accept.transition(Adopted), None);
        assert_eq!(Action::Return.transition(Submitted), Some(Returned));
        assert_eq!(Action::Submit.transition(Returned), Some(Submitted));
        assert_eq!(Action::Accept.transition(Accepted), None);
        assert_eq!(Action::Issue.transition(Draft), Some(Issued));
    }

    #[test]
    fn a_state_allows_what_the_table_allows() {
        use PlanStatus::*;
        for status in PlanStatus::ALL {
            for action in Action::ALL {
                assert_eq!(status.allows(action), action.transition(status).is_some());
            }
        }
        assert!(Draft.allows(Action::Adopt) && Draft.allows(Action::Issue));
        assert!(!Draft.allows(Action::Submit));
        assert!(Adopted.allows(Action::Submit) && Returned.allows(Action::Submit));
        let awaiting: Vec<_> = PlanStatus::ALL
            .into_iter()
            .filter(|s| s.awaits_review())
            .collect();
        assert_eq!(awaiting, [Submitted]);
        let returned: Vec<_> = PlanStatus::ALL
            .into_iter()
            .filter(|s| s.is_returned())
            .collect();
        assert_eq!(returned, [Returned]);
    }

    fn topic(quarter: u8) -> Topic {
        use crate::domain::plan::{Presenter, TopicId, TopicSource};
        Topic {
            id: TopicId(7),
            title: "Học tập và làm theo tư tưởng Hồ Chí Minh".into(),
            content: String::new(),
            quarter: crate::domain::calendar::Quarter::new(quarter),
            session: None,
            presenter: Presenter::Nobody,
            source: TopicSource::Own,
            materials: String::new(),
            steps: Vec::new(),
            mandated_from: None,
            deadline: String::new(),
        }
    }

    #[test]
    fn each_state_allows_its_edits() {
        use PlanStatus::*;
        let texts = Edit::Texts {
            section: crate::domain::plan::TextSection::Purposes,
            paragraphs: vec!["Mục đích".into()],
        };
        assert_eq!(edit_rule(Draft, &texts, None), EditRule::Free);
        assert_eq!(edit_rule(Returned, &texts, None), EditRule::Free);
        assert_eq!(edit_rule(Adopted, &texts, None), EditRule::BackToDraft);
        assert_eq!(Action::Amend.transition(Adopted), Some(Draft));
        assert_eq!(
            edit_rule(Submitted, &texts, None),
            EditRule::Locked(Lock::UnderReview)
        );
        assert_eq!(
            edit_rule(Accepted, &texts, None),
            EditRule::Locked(Lock::Accepted)
        );
        assert_eq!(edit_rule(Issued, &texts, None), EditRule::Free);
    }

    #[test]
    fn an_issued_directive_keeps_what_cells_took_in() {
        use PlanStatus::*;
        let stored = topic(2);
        let id = stored.id;
        let remove = Edit::RemoveTopic(id);
        assert_eq!(edit_rule(Issued, &remove, None), EditRule::Free);
        assert_eq!(
            edit_rule(Issued, &remove, Some(&stored)),
            EditRule::Locked(Lock::TakenIn)
        );
        let mut corrected = stored.clone();
        corrected.title = "Tên đã sửa".into();
        assert_eq!(
            edit_rule(Issued, &Edit::UpdateTopic(corrected), Some(&stored)),
            EditRule::Free
        );
        assert_eq!(
            edit_rule(Issued, &Edit::UpdateTopic(topic(3)), Some(&stored)),
            EditRule::Locked(Lock::TakenIn)
        );
        assert_eq!(Issued.header_frozen(), Some(Lock::Issued));
        assert_eq!(Draft.header_frozen(), None);
    }

    #[test]
    fn adoption_needs_a_majority_of_those_present() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
        assert!(Adoption::new(day, 8, 9, 8, 0).is_ok());
        assert_eq!(Adoption::new(day, 10, 9, 8, 0).unwrap_err().0, "present");
        assert_eq!(Adoption::new(day, 8, 9, 4, 4).unwrap_err().0, "votes_for");
        assert_eq!(Adoption::new(day, 8, 9, 6, 3).unwrap_err().0, "votes_for");
    }
}

//! One change to a plan, the part it touches (concurrent edits of the same part conflict), the
//! summary its history shows, and the assignments a change creates (who must be told).

use chrono::{DateTime, NaiveDate, Utc};

use super::member::MemberId;
use super::org::Year;
use super::plan::{
    BasisDoc, DocNumber, Presenter, Recipient, Signature, StepId, TextSection, Topic, TopicId,
};
use super::text::Line;

/// One change to a plan.
#[derive(Debug, Clone)]
pub enum Edit {
    Header {
        number: Option<DocNumber>,
        place: Line,
        issued_on: Option<NaiveDate>,
        subject: Line,
    },
    Basis {
        lead: String,
        docs: Vec<BasisDoc>,
        closing: String,
    },
    Texts {
        section: TextSection,
        paragraphs: Vec<String>,
    },
    /// Documents added below the basis, nothing else changed: like a new topic, a part of their
    /// own that conflicts with nothing (see [`added_rows`]).
    AddBasisDocs(Vec<BasisDoc>),
    Recipients {
        recipients: Vec<Recipient>,
        archive: Line,
    },
    /// Recipients added below the others, nothing else changed (see [`added_rows`]).
    AddRecipients(Vec<Recipient>),
    Signature(Signature),
    /// A new topic (its `id` and its steps' ids are ignored).
    AddTopic(Topic),
    /// A topic and its steps as edited: steps with id 0 are new, missing ones are removed.
    UpdateTopic(Topic),
    RemoveTopic(TopicId),
    /// A topic's dates set from its session (scheduled, moved, or the steps laid out again
    /// backwards from it): written as [`Edit::UpdateTopic`], with its own history line.
    TopicDates {
        topic: Topic,
        summary: String,
    },
    MoveTopic {
        id: TopicId,
        up: bool,
    },
}

impl Edit {
    /// The existing part of the plan the edit touches: a save drawn from an older version is
    /// refused when someone saved the same part since. `None` for a new topic, a part of its
    /// own that nobody else can have edited, so it conflicts with nothing.
    pub fn part(&self) -> Option<String> {
        Some(match self {
            Edit::Header { .. } => "header".into(),
            Edit::Basis { .. } => "basis".into(),
            Edit::Texts { section, .. } => format!("texts:{}", section.as_str()),
            Edit::Recipients { .. } => "recipients".into(),
            Edit::Signature(_) => "signature".into(),
            Edit::AddTopic(_) | Edit::AddBasisDocs(_) | Edit::AddRecipients(_) => return None,
            Edit::UpdateTopic(topic) | Edit::TopicDates { topic, .. } => topic_part(topic.id),
            Edit::RemoveTopic(id) => topic_part(*id),
            Edit::MoveTopic { .. } => "topics:order".into(),
        })
    }

    /// The part the history records for the edit once saved: a new topic (stored as
    /// `new_topic`) is recorded as that topic's own part; added rows as their list's part, so
    /// that a later save of the whole list, drawn before they were added, is refused rather
    /// than dropping them.
    pub fn recorded_part(&self, new_topic: Option<TopicId>) -> String {
        match self {
            Edit::AddBasisDocs(_) => "basis".into(),
            Edit::AddRecipients(_) => "recipients".into(),
            Edit::AddTopic(_) => new_topic.map_or_else(|| "topics:add".into(), topic_part),
            _ => self.part().unwrap_or_default(),
        }
    }

    /// What the history shows.
    pub fn summary(&self) -> String {
        match self {
            Edit::Header { .. } => "Sửa số, ngày ban hành và trích yếu".into(),
            Edit::Basis { .. } => "Sửa căn cứ ban hành".into(),
            Edit::Texts { section, .. } => format!("Sửa mục “{}”", section.label()),
            Edit::AddBasisDocs(docs) => format!("Thêm {} văn bản căn cứ", docs.len()),
            Edit::Recipients { .. } => "Sửa nơi nhận".into(),
            Edit::AddRecipients(recipients) => format!("Thêm {} nơi nhận", recipients.len()),
            Edit::Signature(_) => "Sửa người ký".into(),
            Edit::AddTopic(topic) => format!("Thêm chuyên đề “{}”", topic.title),
            Edit::UpdateTopic(topic) => format!("Sửa chuyên đề “{}”", topic.title),
            Edit::TopicDates { summary, .. } => summary.clone(),
            Edit::RemoveTopic(_) => "Xóa một chuyên đề".into(),
            Edit::MoveTopic { .. } => "Đổi thứ tự chuyên đề".into(),
        }
    }

    /// The topic the edit writes, when it writes one (and so may assign members).
    pub fn written_topic(&self) -> Option<&Topic> {
        match self {
            Edit::AddTopic(topic) | Edit::UpdateTopic(topic) | Edit::TopicDates { topic, .. } => {
                Some(topic)
            }
            _ => None,
        }
    }
}

/// The rows a list form adds, when it only adds: `rows` as saved, of which the first `drawn`
/// were the list's rows when the form was drawn, against the list as `stored` now. When those
/// first rows are still the stored ones, unchanged and in order (others may have added rows
/// below them since), the rest are new rows, to go below whatever is stored; otherwise (a row
/// edited, removed or moved) the save is an edit of the whole list.
pub fn added_rows<T: PartialEq + Clone>(rows: &[T], drawn: usize, stored: &[T]) -> Option<Vec<T>> {
    let (before, new) = (rows.get(..drawn)?, &rows[drawn..]);
    (!new.is_empty() && stored.get(..drawn) == Some(before)).then(|| new.to_vec())
}

/// The key of a topic's part: what its edits record and conflict on, and what reviewers comment on.
pub fn topic_part(id: TopicId) -> String {
    format!("topic:{id}")
}

/// The history's first entry.
pub fn created_summary(year: Year) -> String {
    format!("Lập kế hoạch năm {year}")
}

/// The history entry of marking a step done (or not done).
pub fn progress_summary(label: &str, done_on: Option<NaiveDate>) -> String {
    match done_on {
        Some(date) => format!(
            "Đánh dấu hoàn thành “{label}” ngày {}",
            date.format("%d/%m/%Y")
        ),
        None => format!("Bỏ đánh dấu hoàn thành “{label}”"),
    }
}

/// One entry of a plan's change history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub version: i64,
    pub part: String,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub summary: String,
}

/// Who a topic's stored version already assigns: its presenter and (step, member) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assigned {
    pub presenter: Option<MemberId>,
    pub steps: Vec<(StepId, MemberId)>,
}

/// A member's new tasks in one topic, for one notification naming all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTasks {
    pub member: MemberId,
    pub labels: Vec<String>,
}

/// Label of the task of presenting a topic, as the notification names it.
pub const PRESENTING: &str = "Trình bày chuyên đề";

/// The assignments `topic` (as about to be stored) makes that `before` (as stored) did not
/// have, grouped per member in order of first appearance. A new step (id 0) is new to all its
/// assignees.
pub fn new_tasks(before: &Assigned, topic: &Topic) -> Vec<NewTasks> {
    let mut fresh: Vec<(MemberId, String)> = Vec::new();
    if let Presenter::Member { id, .. } = topic.presenter
        && before.presenter != Some(id)
    {
        fresh.push((id, PRESENTING.to_owned()));
    }
    for step in &topic.steps {
        for assignee in &step.assignees {
            let known = !step.id.is_new() && before.steps.contains(&(step.id, assignee.member));
            if !known {
                fresh.push((assignee.member, step.label.clone()));
            }
        }
    }
    let mut grouped: Vec<NewTasks> = Vec::new();
    for (member, label) in fresh {
        match grouped.iter_mut().find(|g| g.member == member) {
            Some(group) => group.labels.push(label),
            None => grouped.push(NewTasks {
                member,
                labels: vec![label],
            }),
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{Assignee, Step, StepKind, TopicSource};

    fn step(id: i64, label: &str, members: &[MemberId]) -> Step {
        Step {
            id: StepId(id),
            kind: StepKind::Other,
            label: label.into(),
            due: None,
            assignees: members
                .iter()
                .map(|m| Assignee {
                    member: *m,
                    name: format!("Đ/c {m}"),
                })
                .collect(),
            note: String::new(),
            done_on: None,
        }
    }

    fn topic(presenter: Option<MemberId>, steps: Vec<Step>) -> Topic {
        Topic {
            id: TopicId(7),
            title: "Học tập và làm theo tư tưởng Hồ Chí Minh".into(),
            content: String::new(),
            quarter: None,
            session: None,
            presenter: match presenter {
                Some(id) => Presenter::Member {
                    id,
                    name: "Nguyễn Thị Ly".into(),
                },
                None => Presenter::Nobody,
            },
            source: TopicSource::Own,
            materials: String::new(),
            steps,
            mandated_from: None,
            deadline: String::new(),
        }
    }

    #[test]
    fn rows_below_the_drawn_ones_are_an_addition_only_when_those_are_unchanged() {
        let stored = ["a", "b", "c"];
        // Drawn with a and b; c was added by someone else since.
        assert_eq!(added_rows(&["a", "b", "x"], 2, &stored), Some(vec!["x"]));
        assert_eq!(
            added_rows(&["a", "b", "x", "y"], 2, &stored[..2]),
            Some(vec!["x", "y"])
        );
        // Nothing added, a drawn row edited, removed or moved: an edit of the whole list.
        assert_eq!(added_rows(&["a", "b"], 2, &stored), None);
        assert_eq!(added_rows(&["a", "B", "x"], 2, &stored), None);
        assert_eq!(added_rows(&["a", "x"], 2, &stored), None);
        assert_eq!(added_rows(&["b", "a", "x"], 2, &stored), None);
        // Someone else removed a row since the form was drawn.
        assert_eq!(added_rows(&["a", "b", "x"], 2, &stored[..1]), None);
        // A drawn count the form cannot have had.
        assert_eq!(added_rows(&["a"], 5, &stored), None);
    }

    #[test]
    fn a_new_topic_is_new_to_everyone_it_names_once_per_member() {
        let t = topic(
            Some(crate::domain::member::MemberId(1)),
            vec![
                step(0, "Đề cương", &[crate::domain::member::MemberId(1)]),
                step(0, "Góp ý", &[crate::domain::member::MemberId(2)]),
            ],
        );
        assert_eq!(
            new_tasks(&Assigned::default(), &t),
            vec![
                NewTasks {
                    member: crate::domain::member::MemberId(1),
                    labels: vec![PRESENTING.into(), "Đề cương".into()]
                },
                NewTasks {
                    member: crate::domain::member::MemberId(2),
                    labels: vec!["Góp ý".into()]
                },
            ]
        );
    }

    #[test]
    fn only_what_was_not_assigned_before_is_new() {
        let before = Assigned {
            presenter: Some(crate::domain::member::MemberId(1)),
            steps: vec![
                (StepId(10), crate::domain::member::MemberId(1)),
                (StepId(11), crate::domain::member::MemberId(2)),
            ],
        };
        let t = topic(
            Some(crate::domain::member::MemberId(1)),
            vec![
                step(
                    10,
                    "Đề cương",
                    &[
                        crate::domain::member::MemberId(1),
                        crate::domain::member::MemberId(3),
                    ],
                ),
                step(11, "Góp ý", &[crate::domain::member::MemberId(2)]),
                step(0, "Dự thảo", &[crate::domain::member::MemberId(2)]),
            ],
        );
        assert_eq!(
            new_tasks(&before, &t),
            vec![
                NewTasks {
                    member: crate::domain::member::MemberId(3),
                    labels: vec!["Đề cương".into()]
                },
                NewTasks {
                    member: crate::domain::member::MemberId(2),
                    labels: vec!["Dự thảo".into()]
                },
            ]
        );
        assert!(
            new_tasks(
                &before,
                &topic(
                    Some(crate::domain::member::MemberId(1)),
                    vec![step(10, "Đề cương", &[crate::domain::member::MemberId(1)])]
                )
            )
            .is_empty()
        );
    }
}

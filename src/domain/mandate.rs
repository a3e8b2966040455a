//! Topics a committee's issued directive plan mandates for the cells below, and the topic a
//! cell's plan gets when it takes one in.

use super::member::Member;
use super::plan::{DocNumber, Plan, PlanId, Presenter, Topic, TopicId, TopicSource};
use super::timeline::laid_out;

/// A mandated topic as a cell's plan sees it.
#[derive(Debug, Clone)]
pub struct Mandated {
    pub directive: PlanId,
    pub directive_number: Option<DocNumber>,
    pub committee: String,
    /// The directive's topic (its steps are not read: a cell lays out its own).
    pub topic: Topic,
    /// Whether the cell's plan has taken it in already.
    pub included: bool,
}

impl Mandated {
    /// The topic `plan` gets from this one: its text, where it comes from, the committee's
    /// deadline, and the standard timeline for its time with the cell's default assignees.
    pub fn pulled_topic(&self, plan: &Plan, members: &[Member]) -> Topic {
        let source = match &self.directive_number {
            Some(number) => format!("Theo Kế hoạch số {number} của {}", self.committee),
            None => format!("Theo kế hoạch của {}", self.committee),
        };
        let mut topic = Topic {
            id: TopicId::NEW,
            source: TopicSource::Mandated(source),
            mandated_from: Some(self.topic.id),
            steps: Vec::new(),
            presenter: Presenter::Nobody,
            deadline: String::new(),
            ..self.topic.clone()
        };
        topic.steps = laid_out(plan, &topic, members);
        topic
    }
}

/// Whether `plan` already has the mandated topic `topic`.
pub fn includes(plan: &Plan, topic: &Topic) -> bool {
    plan.topics
        .iter()
        .any(|t| t.mandated_from == Some(topic.id))
}

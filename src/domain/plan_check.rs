//! Checks that help rather than block: warnings a secretary should look at, and the few errors
//! that prevent adopting the plan.

use super::calendar::Quarter;
use super::plan::{Plan, Step, StepKind, Topic, TopicId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Warning,
    /// Prevents adoption.
    Blocking,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    /// The topic it concerns, to link to.
    pub topic: Option<TopicId>,
}

impl Finding {
    fn warning(message: String, topic: Option<&Topic>) -> Self {
        Self {
            severity: Severity::Warning,
            message,
            topic: topic.map(|t| t.id),
        }
    }

    pub fn is_blocking(&self) -> bool {
        self.severity == Severity::Blocking
    }
}

/// What the plan page lists. `number_taken` says whether another plan of the same issuer and
/// term already carries this plan's number (storage knows, the plan alone does not). A
/// committee's directive plan (`directive`) has no sessions or presenters of its own: only
/// the blocking errors apply to it.
pub fn check(plan: &Plan, number_taken: bool, directive: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    if plan.topics.is_empty() {
        findings.push(Finding {
            severity: Severity::Blocking,
            message: "Kế hoạch chưa có chuyên đề nào.".into(),
            topic: None,
        });
    }
    if number_taken && let Some(number) = &plan.number {
        findings.push(Finding {
            severity: Severity::Blocking,
            message: format!("Số {number} đã dùng cho một văn bản khác trong nhiệm kỳ."),
            topic: None,
        });
    }
    if directive {
        return findings;
    }
    for n in 1..=4 {
        let quarter = Quarter::new(n).expect("1 to 4");
        if !plan
            .topics
            .iter()
            .any(|t| t.effective_quarter() == Some(quarter))
        {
            findings.push(Finding::warning(
                format!(
                    "{} chưa có buổi sinh hoạt chuyên đề nào (mỗi quý ít nhất một lần).",
                    quarter.label()
                ),
                None,
            ));
        }
    }
    for topic in &plan.topics {
        if let (Some(quarter), Some(session)) = (topic.quarter, topic.session) {
            let session_quarter = Quarter::of_month(chrono::Datelike::month(&session.start()));
            if session_quarter != quarter {
                findings.push(Finding::warning(
                    format!(
                        "Chuyên đề “{}”: thời gian sinh hoạt ({}) không thuộc {}.",
                        topic.title,
                        session.label(),
                        quarter.label()
                    ),
                    Some(topic),
                ));
            }
        }
        if topic.presenter.name().is_none() {
            findings.push(Finding::warning(
                format!(
                    "Chuyên đề “{}” chưa phân công người trình bày.",
                    topic.title
                ),
                Some(topic),
            ));
        }
        for step in &topic.steps {
            if step.assignees.is_empty() {
                findings.push(Finding::warning(
                    format!(
                        "Chuyên đề “{}”: bước “{}” chưa có người thực hiện.",
                        topic.title, step.label
                    ),
                    Some(topic),
                ));
            }
            if step.due.is_none() {
                findings.push(Finding::warning(
                    format!(
                        "Chuyên đề “{}”: bước “{}” chưa có thời gian.",
                        topic.title, step.label
                    ),
                    Some(topic),
                ));
            }
        }
        let draft = find(&topic.steps, StepKind::Draft2).and_then(|s| s.due);
        let session = find(&topic.steps, StepKind::Session).and_then(|s| s.due);
        if let (Some(draft), Some(session)) = (draft, session)
            && draft.deadline() >= session.start()
        {
            findings.push(Finding::warning(
                format!(
                    "Chuyên đề “{}”: dự thảo lần 2 cần xong trước buổi sinh hoạt ít nhất một ngày để gửi đảng viên.",
                    topic.title
                ),
                Some(topic),
            ));
        }
    }
    findings
}

fn find(steps: &[Step], kind: StepKind) -> Option<&Step> {
    steps.iter().find(|s| s.kind == kind)
}

/// The standard steps must follow each other in time: a session cannot come before its
/// draft 2, and so on. Returns the message for the first pair out of order.
pub fn step_order(steps: &[Step]) -> Result<(), String> {
    let standard: Vec<&Step> = StepKind::STANDARD
        .iter()
        .filter_map(|kind| find(steps, *kind))
        .collect();
    for (i, later) in standard.iter().enumerate() {
        for earlier in &standard[..i] {
            if let (Some(a), Some(b)) = (earlier.due, later.due)
                && b.start() < a.start()
            {
                return Err(format!(
                    "Bước “{}” không thể diễn ra trước bước “{}”.",
                    later.label, earlier.label
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{Due, YearMonth};
    use crate::domain::plan::StepId;
    use crate::domain::plan::{Assignee, Presenter, TopicSource};

    fn step(kind: StepKind, month: u32) -> Step {
        Step {
            id: StepId::NEW,
            kind,
            label: kind.label().into(),
            due: YearMonth::new(2024, month).map(Due::Month),
            assignees: vec![Assignee {
                member: crate::domain::member::MemberId(1),
                name: "A".into(),
            }],
            note: String::new(),
            done_on: None,
        }
    }

    fn topic(quarter: u8, steps: Vec<Step>) -> Topic {
        Topic {
            id: TopicId(1),
            title: "T".into(),
            content: String::new(),
            quarter: Quarter::new(quarter),
            session: None,
            presenter: Presenter::Nobody,
            source: TopicSource::Own,
            materials: String::new(),
            steps,
            mandated_from: None,
            deadline: String::new(),
        }
    }

    #[test]
    fn sessions_cannot_precede_their_draft() {
        let steps = vec![step(StepKind::Draft2, 5), step(StepKind::Session, 4)];
        assert!(
            step_order(&steps)
                .unwrap_err()
                .contains("Tổ chức sinh hoạt chuyên đề")
        );
        let steps = vec![step(StepKind::Draft2, 5), step(StepKind::Session, 6)];
        assert!(step_order(&steps).is_ok());
    }

    #[test]
    fn a_draft_due_in_the_sessions_month_is_a_warning() {
        let t = topic(
            2,
            vec![step(StepKind::Draft2, 6), step(StepKind::Session, 6)],
        );
        let plan_findings = findings_for(vec![t]);
        assert!(
            plan_findings
                .iter()
                .any(|f| f.message.contains("ít nhất một ngày"))
        );
        assert!(
            plan_findings
                .iter()
                .any(|f| f.message.contains("chưa phân công người trình bày"))
        );
        assert!(
            plan_findings
                .iter()
                .any(|f| f.message.starts_with("Quý I chưa có"))
        );
        assert!(!plan_findings.iter().any(|f| f.is_blocking()));
    }

    fn findings_for(topics: Vec<Topic>) -> Vec<Finding> {
        let mut plan = crate::domain::samples::model_plan_2022(
            &crate::domain::org::Org {
                id: crate::domain::org::OrgId(1),
                parent_id: None,
                kind: crate::domain::org::OrgKind::Cell,
                name: "Chi bộ".into(),
                superior_name: "Đảng bộ".into(),
                abbreviation: "CB".into(),
                place_name: "X".into(),
                term_start: crate::domain::org::Year::new(2020).unwrap(),
                path: crate::domain::org::OrgPath::root(crate::domain::org::OrgId(1)),
            },
            &|_| None,
            "A",
        );
        plan.topics = topics;
        check(&plan, false, false)
    }

    #[test]
    fn no_topics_blocks_adoption() {
        let findings = findings_for(Vec::new());
        assert!(findings.iter().any(|f| f.is_blocking()));
    }
}

//! A plan seen as named parts (the header, the basis, each section, each topic …), in plain
//! text: what reviewers comment on, and what is compared between two submitted revisions.

use super::plan::{BasisDoc, Plan, TextSection, Topic};

/// One part of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Stable key: "header", "basis", "texts:purposes", "topic:12", "recipients", "signature".
    pub key: String,
    pub label: String,
    pub text: String,
}

fn topic_text(topic: &Topic) -> String {
    let mut lines = vec![topic.title.clone()];
    if let Some(quarter) = topic.effective_quarter() {
        lines.push(quarter.label());
    }
    if let Some(session) = topic.session {
        lines.push(format!("Sinh hoạt: {}", session.label()));
    }
    if !topic.deadline.is_empty() {
        lines.push(format!("Thời hạn: {}", topic.deadline));
    }
    if let Some(name) = topic.presenter.name() {
        lines.push(format!("Trình bày: {name}"));
    }
    if !topic.content.is_empty() {
        lines.push(format!("Nội dung công việc: {}", topic.content));
    }
    if !topic.materials.is_empty() {
        lines.push(format!("Tài liệu: {}", topic.materials));
    }
    for step in &topic.steps {
        let who: Vec<&str> = step.assignees.iter().map(|a| a.name.as_str()).collect();
        lines.push(format!(
            "- {} · {} · {}{}",
            step.label,
            step.due.map(|d| d.label()).unwrap_or_default(),
            who.join(", "),
            if step.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", step.note)
            }
        ));
    }
    lines.join("\n")
}

/// The plan's parts, in document order.
pub fn parts(plan: &Plan) -> Vec<Part> {
    let mut parts = vec![
        Part {
            key: "header".into(),
            label: "Số, ngày ban hành và trích yếu".into(),
            text: format!(
                "Số {}\n{}, {}\n{}",
                plan.number
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                plan.place,
                plan.issued_on
                    .map(super::calendar::short_date)
                    .unwrap_or_default(),
                plan.subject
            ),
        },
        Part {
            key: "basis".into(),
            label: "Căn cứ ban hành".into(),
            text: std::iter::once(plan.basis_lead.clone())
                .chain(plan.basis.iter().map(BasisDoc::citation))
                .chain(std::iter::once(plan.basis_closing.clone()))
                .collect::<Vec<_>>()
                .join("\n"),
        },
    ];
    for section in [TextSection::Purposes, TextSection::Requirements] {
        parts.push(text_part(plan, section));
    }
    for (n, topic) in plan.topics.iter().enumerate() {
        parts.push(Part {
            key: super::plan_edit::topic_part(topic.id),
            label: format!("Chuyên đề {}: {}", n + 1, topic.title),
            text: topic_text(topic),
        });
    }
    for section in [
        TextSection::Format,
        TextSection::Materials,
        TextSection::Duties,
    ] {
        parts.push(text_part(plan, section));
    }
    parts.push(Part {
        key: "recipients".into(),
        label: "Nơi nhận".into(),
        text: plan
            .recipients
            .iter()
            .map(|r| {
                format!(
                    "- {}{}",
                    r.name,
                    if r.for_report { " (để b/c)" } else { "" }
                )
            })
            .chain(std::iter::once(format!("- {}", plan.archive)))
            .collect::<Vec<_>>()
            .join("\n"),
    });
    parts.push(Part {
        key: "signature".into(),
        label: "Người ký".into(),
        text: format!(
            "{}\n{}\n{}",
            plan.signature.authority.label(),
            plan.signature.title.label(),
            plan.signature.signer_name
        ),
    });
    parts
}

fn text_part(plan: &Plan, section: TextSection) -> Part {
    Part {
        key: format!("texts:{}", section.as_str()),
        label: section.label().into(),
        text: section.of(plan).join("\n"),
    }
}

/// How one part differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartChange {
    pub label: String,
    /// Empty when the part is new.
    pub before: String,
    /// Empty when the part was removed.
    pub after: String,
}

/// The parts that changed from `old` to `new`, in the new plan's order, removed parts last.
pub fn diff(old: &Plan, new: &Plan) -> Vec<PartChange> {
    let before = parts(old);
    let after = parts(new);
    let mut changes: Vec<PartChange> = after
        .iter()
        .filter_map(|part| {
            let old_text = before
                .iter()
                .find(|p| p.key == part.key)
                .map(|p| p.text.as_str())
                .unwrap_or("");
            (old_text != part.text).then(|| PartChange {
                label: part.label.clone(),
                before: old_text.to_owned(),
                after: part.text.clone(),
            })
        })
        .collect();
    changes.extend(
        before
            .iter()
            .filter(|p| !after.iter().any(|a| a.key == p.key))
            .map(|p| PartChange {
                label: format!("{} (đã bỏ)", p.label),
                before: p.text.clone(),
                after: String::new(),
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::{Org, OrgKind, OrgPath, Year};
    use crate::domain::plan::TopicId;

    fn plan() -> Plan {
        let org = Org {
            id: crate::domain::org::OrgId(1),
            parent_id: None,
            kind: OrgKind::Cell,
            name: "Chi bộ".into(),
            superior_name: "Đảng bộ".into(),
            abbreviation: "CB".into(),
            place_name: "X".into(),
            term_start: Year::new(2020).unwrap(),
            path: OrgPath::root(crate::domain::org::OrgId(1)),
        };
        let mut plan = crate::domain::samples::model_plan_2022(&org, &|_| None, "A");
        for (n, topic) in plan.topics.iter_mut().enumerate() {
            topic.id = TopicId(n as i64 + 1);
        }
        plan
    }

    #[test]
    fn only_changed_parts_are_listed() {
        let old = plan();
        let mut new = old.clone();
        assert!(diff(&old, &new).is_empty());
        new.purposes.push("Thêm một mục đích.".into());
        new.topics[1].title = "Tên mới".into();
        new.topics.remove(3);
        let changes = diff(&old, &new);
        let labels: Vec<&str> = changes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels.len(), 3, "{labels:?}");
        assert_eq!(labels[0], "Mục đích");
        assert!(labels[1].starts_with("Chuyên đề 2: Tên mới"));
        assert!(labels[2].ends_with("(đã bỏ)"));
        assert!(changes[0].after.ends_with("Thêm một mục đích."));
    }
}

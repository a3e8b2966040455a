//! The annual plan as a KẾ HOẠCH document, sections in the order of the seed plans:
//! basis, I. purposes and requirements, II. topics, III. format and study materials,
//! IV. preparation timeline, V. implementation; then the closing line, recipients, signature.
//! Empty sections are left out and the rest renumbered.

use crate::domain::calendar::{Due, short_date};
use crate::domain::org::Org;
use crate::domain::plan::{Plan, Presenter, Topic, TopicSource};

use super::parts::{
    self, bullets, lines, lower_first, numbered_items, numbered_parts, one_line, paragraphs,
    sentence,
};
use super::{Block, Document, Header, Level, Row, Run, Section, TIMELINE_COLUMNS, Table};

pub fn build(plan: &Plan, org: &Org) -> Document {
    let subject = one_line(&plan.subject);
    let mut body = basis(plan);

    body.extend(numbered_parts([
        ("MỤC ĐÍCH, YÊU CẦU", aims(plan)),
        ("NỘI DUNG SINH HOẠT CHUYÊN ĐỀ", topics(plan)),
        ("HÌNH THỨC TỔ CHỨC", organisation(plan)),
        (
            "PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN",
            timeline(plan).map(Block::Table).into_iter().collect(),
        ),
        ("TỔ CHỨC THỰC HIỆN", paragraphs(&plan.duties)),
    ]));

    let org_name = one_line(&org.name);
    let closing = (!subject.is_empty()).then(|| {
        let closing = format!(
            "Trên đây là kế hoạch {} của {org_name}",
            lower_first(&subject)
        );
        format!("{}./.", closing.trim_end_matches(['.', ' ']))
    });

    Document {
        title: format!("Kế hoạch {}", lower_first(&subject))
            .trim()
            .to_owned(),
        header: header(plan, org),
        draft: plan.status.is_draft(),
        kind: "KẾ HOẠCH".to_owned(),
        subject,
        body,
        closing,
        recipients: recipients(plan, org),
        signature: parts::signature(&plan.signature),
        left_signature: None,
    }
}

fn header(plan: &Plan, org: &Org) -> Header {
    parts::header(
        plan.number.as_ref(),
        "KH",
        &plan.place,
        plan.issued_on,
        plan.year.get(),
        org,
    )
}

fn basis(plan: &Plan) -> Vec<Block> {
    parts::basis(&plan.basis_lead, &plan.basis, &plan.basis_closing)
}

/// I. "1. Mục đích" and "2. Yêu cầu", each paragraph a "- " bullet.
fn aims(plan: &Plan) -> Vec<Block> {
    let items = [
        ("Mục đích", &plan.purposes),
        ("Yêu cầu", &plan.requirements),
    ];
    numbered_items(
        items
            .into_iter()
            .map(|(title, texts)| (title.to_owned(), bullets(texts))),
    )
}

/// II. One item per topic: "Chuyên đề 1: …", then its time, content, presenter, materials.
fn topics(plan: &Plan) -> Vec<Block> {
    plan.topics
        .iter()
        .enumerate()
        .map(|(i, topic)| {
            Block::Section(Section {
                level: Level::Item,
                number: format!("Chuyên đề {}:", i + 1),
                title: one_line(&topic.title),
                blocks: topic_blocks(plan, topic),
            })
        })
        .collect()
}

fn topic_blocks(plan: &Plan, topic: &Topic) -> Vec<Block> {
    let mut blocks = Vec::new();
    if let Some(time) = topic_time(plan, topic) {
        blocks.push(Block::text(time));
    }
    let mut content = lines(&topic.content);
    if let Some(first) = content.next() {
        blocks.push(Block::text(sentence(&format!(
            "Nội dung công việc: {first}"
        ))));
    }
    blocks.extend(content.map(Block::text));
    match &topic.presenter {
        Presenter::Nobody => {}
        Presenter::Member { name, .. } => {
            blocks.push(Block::text(sentence(&format!(
                "Phân công: đồng chí {}",
                one_line(name)
            ))));
        }
        Presenter::Group(group) => {
            blocks.push(Block::text(sentence(&format!(
                "Phân công: {}",
                one_line(group)
            ))));
        }
    }
    let materials = one_line(&topic.materials);
    if !materials.is_empty() {
        blocks.push(Block::text(sentence(&format!("Tài liệu: {materials}"))));
    }
    if let TopicSource::Mandated(by) = &topic.source {
        let by = one_line(by);
        let note = if by.is_empty() {
            "(Chuyên đề do cấp ủy cấp trên chỉ đạo)".to_owned()
        } else {
            format!(
                "(Chuyên đề do cấp ủy cấp trên chỉ đạo: {})",
                by.trim_end_matches('.')
            )
        };
        blocks.push(Block::Paragraph {
            runs: vec![Run::italic(note)],
        });
    }
    blocks
}

/// "Thời gian: Quý II năm 2024, sinh hoạt tháng 6/2024."
fn topic_time(plan: &Plan, topic: &Topic) -> Option<String> {
    let quarter = topic
        .effective_quarter()
        .map(|q| format!("{} năm {}", q.label(), plan.year.get()));
    let session = topic.session.map(|due| match due {
        Due::Month(month) => format!("tháng {}/{}", month.month(), month.year()),
        Due::Date(date) => format!("ngày {}", short_date(date)),
    });
    let time = match (quarter, session) {
        (Some(quarter), Some(session)) => format!("{quarter}, sinh hoạt {session}"),
        (Some(quarter), None) => quarter,
        (None, Some(session)) => format!("sinh hoạt {session}"),
        (None, None) => return None,
    };
    Some(format!("Thời gian: {time}."))
}

/// III. How sessions are run, then the study materials.
fn organisation(plan: &Plan) -> Vec<Block> {
    let items = [
        ("Cách thức tổ chức", bullets(&plan.format)),
        ("Tài liệu học tập", bullets(&plan.materials)),
    ];
    numbered_items(
        items
            .into_iter()
            .map(|(title, blocks)| (title.to_owned(), blocks)),
    )
}

/// IV. The preparation table: a group row per topic that has steps, then its steps.
fn timeline(plan: &Plan) -> Option<Table> {
    let mut rows = Vec::new();
    for (i, topic) in plan.topics.iter().enumerate() {
        if topic.steps.is_empty() {
            continue;
        }
        let mut group = format!("Chuyên đề {}: {}", i + 1, one_line(&topic.title));
        if let Some(quarter) = topic.effective_quarter() {
            group.push_str(" — ");
            group.push_str(&quarter.label());
        }
        rows.push(Row::Group { text: group });
        rows.extend(topic.steps.iter().enumerate().map(|(n, step)| {
            let people: Vec<String> = step.assignees.iter().map(|a| one_line(&a.name)).collect();
            Row::Cells {
                cells: vec![
                    (n + 1).to_string(),
                    one_line(&step.label),
                    step.due.map(Due::label).unwrap_or_default(),
                    people.join(", "),
                    one_line(&step.note),
                ],
            }
        }));
    }
    (!rows.is_empty()).then(|| Table {
        columns: TIMELINE_COLUMNS.map(|(title, _)| title.to_owned()).to_vec(),
        widths: TIMELINE_COLUMNS.map(|(_, width)| width).to_vec(),
        rows,
    })
}

fn recipients(plan: &Plan, org: &Org) -> Vec<String> {
    parts::recipients(&plan.recipients, &plan.archive, org)
}

#[cfg(test)]
mod tests;

//! The annual plan as a KẾ HOẠCH document, sections in the order of the seed plans:
//! basis, I. purposes and requirements, II. topics, III. format and study materials,
//! IV. preparation timeline, V. implementation; then the closing line, recipients, signature.
//! Empty sections are left out and the rest renumbered.

use crate::domain::calendar::{Due, blank_date_line, date_line, short_date};
use crate::domain::org::Org;
use crate::domain::plan::{Plan, Presenter, Topic, TopicSource};
use crate::domain::text::canonical;

use super::{
    Block, Document, Header, Level, Row, Run, Section, SignatureBlock, TIMELINE_COLUMNS, Table,
    roman,
};

pub fn build(plan: &Plan, org: &Org) -> Document {
    let subject = one_line(&plan.subject);
    let mut body = basis(plan);

    let parts = [
        ("MỤC ĐÍCH, YÊU CẦU", aims(plan)),
        ("NỘI DUNG SINH HOẠT CHUYÊN ĐỀ", topics(plan)),
        ("HÌNH THỨC TỔ CHỨC", organisation(plan)),
        (
            "PHÂN CÔNG CHUẨN BỊ VÀ THỜI GIAN THỰC HIỆN",
            timeline(plan).map(Block::Table).into_iter().collect(),
        ),
        ("TỔ CHỨC THỰC HIỆN", paragraphs(&plan.duties)),
    ];
    let parts = parts.into_iter().filter(|(_, blocks)| !blocks.is_empty());
    body.extend(parts.enumerate().map(|(i, (title, blocks))| {
        Block::Section(Section {
            level: Level::Part,
            number: format!("{}.", roman(i + 1)),
            title: title.to_owned(),
            blocks,
        })
    }));

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
        signature: SignatureBlock {
            authority: plan.signature.authority.label().to_owned(),
            title: plan.signature.title.label().to_owned(),
            name: one_line(&plan.signature.signer_name),
        },
        left_signature: None,
    }
}

fn header(plan: &Plan, org: &Org) -> Header {
    let abbreviation = one_line(&org.abbreviation);
    let number = match &plan.number {
        Some(number) => format!("Số {}", one_line(&number.to_string())),
        // Blanks the secretary fills by hand once the office gives a number.
        None => format!("Số      -KH/{abbreviation}"),
    };
    let place = match one_line(&plan.place) {
        place if place.is_empty() => one_line(&org.place_name),
        place => place,
    };
    let place_date = match plan.issued_on {
        Some(date) => date_line(&place, date),
        None => blank_date_line(&place, plan.year.get()),
    };
    Header {
        superior: one_line(&org.superior_name).to_uppercase(),
        issuer: one_line(&org.name).to_uppercase(),
        number,
        place_date,
    }
}

/// "Thực hiện Chỉ thị số …; Hướng dẫn số …;" then the closing sentence as its own paragraph,
/// as seed 002 has it.
fn basis(plan: &Plan) -> Vec<Block> {
    let mut blocks = Vec::new();
    let citations: Vec<String> = plan
        .basis
        .iter()
        .map(|doc| one_line(&doc.citation()))
        .collect();
    let lead = one_line(&plan.basis_lead);
    let first = match (lead.is_empty(), citations.is_empty()) {
        (true, true) => String::new(),
        (false, true) => lead,
        (true, false) => citations.join("; "),
        (false, false) => format!("{lead} {}", citations.join("; ")),
    };
    if !first.is_empty() {
        let first = first.trim_end_matches([';', ',', '.', ' ']);
        blocks.push(Block::text(format!("{first};")));
    }
    blocks.extend(paragraphs(std::slice::from_ref(&plan.basis_closing)));
    blocks
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

/// "- Ban Thường vụ Đảng ủy (để b/c);" … "- Lưu Chi bộ."
fn recipients(plan: &Plan, org: &Org) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .recipients
        .iter()
        .filter_map(|r| {
            let name = one_line(&r.name);
            let name = name
                .trim_start_matches(['-', ' '])
                .trim_end_matches([';', '.', ',']);
            if name.is_empty() {
                return None;
            }
            let mark = if r.for_report { " (để b/c)" } else { "" };
            Some(format!("- {name}{mark};"))
        })
        .collect();
    let archive = one_line(&plan.archive);
    let archive = archive
        .trim_start_matches(['-', ' '])
        .trim_end_matches([';', '.', ',']);
    let archive = if archive.is_empty() {
        format!("Lưu {}", org.kind.label())
    } else {
        archive.to_owned()
    };
    lines.push(format!("- {archive}."));
    lines
}

/// Sub-items "1. …", "2. …" of a part, leaving out the empty ones and renumbering the rest.
fn numbered_items(items: impl Iterator<Item = (String, Vec<Block>)>) -> Vec<Block> {
    items
        .filter(|(_, blocks)| !blocks.is_empty())
        .enumerate()
        .map(|(i, (title, blocks))| {
            Block::Section(Section {
                level: Level::Item,
                number: format!("{}.", i + 1),
                title,
                blocks,
            })
        })
        .collect()
}

fn bullets(texts: &[String]) -> Vec<Block> {
    texts
        .iter()
        .flat_map(|text| lines(text))
        .map(|line| Block::bullet(line.trim_start_matches(['-', '·', '•', '+', ' '])))
        .collect()
}

fn paragraphs(texts: &[String]) -> Vec<Block> {
    texts
        .iter()
        .flat_map(|text| lines(text))
        .map(Block::text)
        .collect()
}

/// The non-empty lines of a text a user may have typed on several lines, each made canonical.
fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(one_line).filter(|line| !line.is_empty())
}

/// NFC, trimmed, with control characters (which XML cannot carry) turned into spaces.
pub(super) fn one_line(text: &str) -> String {
    let text = canonical(text);
    if text.chars().any(char::is_control) {
        let spaced: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        spaced.trim().to_owned()
    } else {
        text
    }
}

/// Ends a generated sentence with a full stop unless the user's text already ends one.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', ':', ';', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// "Sinh hoạt chuyên đề" → "sinh hoạt chuyên đề", but "KH" stays as it is.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if second.is_none_or(|c| !c.is_uppercase()) => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;

//! A committee's model-session plan as a KẾ HOẠCH document, in the order of seed 004: basis,
//! I. MỤC ĐÍCH, YÊU CẦU · II. NỘI DUNG (one numbered part per model session, then "Thành phần
//! tham dự") · III. TỔ CHỨC THỰC HIỆN; then recipients and signature. Empty parts are left out
//! and the rest renumbered, as in the annual plan.

use crate::domain::model_session::{ModelSession, ModelSessionPlan, duty_groups};
use crate::domain::org::Org;

use super::parts::{self, bullets, numbered_items, numbered_parts, one_line, sentence};
use super::{Block, Document, Level, Section};

pub fn build(plan: &ModelSessionPlan, org: &Org) -> Document {
    let texts = &plan.parts;
    let subject = one_line(&texts.subject);
    let mut body = parts::basis(&texts.basis_lead, &texts.basis, &texts.basis_closing);
    body.extend(numbered_parts([
        ("MỤC ĐÍCH, YÊU CẦU", aims(plan)),
        ("NỘI DUNG", content(plan)),
        ("TỔ CHỨC THỰC HIỆN", duties(&texts.duties)),
    ]));
    Document {
        title: format!("Kế hoạch {}", parts::lower_first(&subject))
            .trim()
            .to_owned(),
        header: parts::header(
            plan.number.as_ref(),
            "KH",
            &plan.place,
            plan.issued_on,
            plan.year.get(),
            org,
        ),
        draft: plan.is_draft(),
        kind: "KẾ HOẠCH".to_owned(),
        subject,
        body,
        closing: None,
        recipients: parts::recipients(&texts.recipients, &texts.archive, org),
        signature: parts::signature(&texts.signature),
        left_signature: None,
    }
}

/// I. Bullets when there are only purposes (as in the seed); "1. Mục đích", "2. Yêu cầu" when
/// both are written.
fn aims(plan: &ModelSessionPlan) -> Vec<Block> {
    let texts = &plan.parts;
    if texts.requirements.is_empty() || texts.purposes.is_empty() {
        let mut blocks = bullets(&texts.purposes);
        blocks.extend(bullets(&texts.requirements));
        return blocks;
    }
    numbered_items(
        [
            ("Mục đích".to_owned(), bullets(&texts.purposes)),
            ("Yêu cầu".to_owned(), bullets(&texts.requirements)),
        ]
        .into_iter(),
    )
}

/// II. "1. Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu" with who holds it, when and where; then
/// "n. Thành phần tham dự".
fn content(plan: &ModelSessionPlan) -> Vec<Block> {
    let items = plan
        .sessions
        .iter()
        .map(|session| (session.kind.heading(), session_blocks(session)))
        .chain(std::iter::once((
            "Thành phần tham dự".to_owned(),
            bullets(&plan.parts.attendees),
        )));
    numbered_items(items)
}

fn session_blocks(session: &ModelSession) -> Vec<Block> {
    let mut blocks = vec![Block::bullet(&format!(
        "{} thực hiện;",
        one_line(&session.host.described())
    ))];
    let topic = one_line(&session.topic_title);
    if !topic.is_empty() {
        blocks.push(Block::bullet(&sentence(&format!("Chuyên đề: {topic}"))));
    }
    blocks.push(Block::bullet(&format!(
        "Thời gian dự kiến: Lúc {}.",
        session.when()
    )));
    blocks.push(Block::bullet(&sentence(&format!(
        "Địa điểm: {}",
        one_line(&session.place())
    ))));
    blocks
}

/// III. An item per office with its tasks as bullets; lines before the first office stand as
/// paragraphs.
fn duties(duties: &[String]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut number = 0;
    for (office, tasks) in duty_groups(duties) {
        match office {
            None => blocks.extend(parts::paragraphs(&tasks)),
            Some(office) => {
                number += 1;
                blocks.push(Block::Section(Section {
                    level: Level::Item,
                    number: format!("{number}."),
                    title: one_line(&office),
                    blocks: bullets(&tasks),
                }));
            }
        }
    }
    blocks
}

#[cfg(test)]
mod tests;

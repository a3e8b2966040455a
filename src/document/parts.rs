//! The pieces every official document of a plan shape shares — header, basis paragraph,
//! numbered items and bullets, recipients, signature — built from the domain's types, so the
//! annual plan and the committee's model-session plan print them the same way.

use chrono::NaiveDate;

use crate::domain::calendar::{blank_date_line, date_line};
use crate::domain::org::Org;
use crate::domain::plan::{BasisDoc, DocNumber, Recipient, Signature};
use crate::domain::text::canonical;

use super::{Block, Header, Level, Section, SignatureBlock};

/// The two header columns: "Số 05-KH/CB" (blanks to fill by hand while there is no number,
/// `kind` giving the kind of document), the date line (blanks while there is no date).
pub fn header(
    number: Option<&DocNumber>,
    kind: &str,
    place: &str,
    issued_on: Option<NaiveDate>,
    year: i32,
    org: &Org,
) -> Header {
    let abbreviation = one_line(&org.abbreviation);
    let number = match number {
        Some(number) => format!("Số {}", one_line(&number.to_string())),
        // Blanks the secretary fills by hand once the office gives a number.
        None => format!("Số      -{kind}/{abbreviation}"),
    };
    let place = match one_line(place) {
        place if place.is_empty() => one_line(&org.place_name),
        place => place,
    };
    let place_date = match issued_on {
        Some(date) => date_line(&place, date),
        None => blank_date_line(&place, year),
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
pub fn basis(lead: &str, docs: &[BasisDoc], closing: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let citations: Vec<String> = docs.iter().map(|doc| one_line(&doc.citation())).collect();
    let lead = one_line(lead);
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
    blocks.extend(paragraphs(&[closing.to_owned()]));
    blocks
}

/// "- Ban Thường vụ Đảng ủy (để b/c);" … "- Lưu Chi bộ."
pub fn recipients(recipients: &[Recipient], archive: &str, org: &Org) -> Vec<String> {
    let mut lines: Vec<String> = recipients
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
    let archive = one_line(archive);
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

/// "T/M BAN THƯỜNG VỤ" / "BÍ THƯ" / the signer's name.
pub fn signature(signature: &Signature) -> SignatureBlock {
    SignatureBlock {
        authority: signature.authority.label().to_owned(),
        title: signature.title.label().to_owned(),
        name: one_line(&signature.signer_name),
    }
}

/// A part "I. MỤC ĐÍCH, YÊU CẦU" for each non-empty `(title, blocks)`, numbered in order.
pub fn numbered_parts<'a>(parts: impl IntoIterator<Item = (&'a str, Vec<Block>)>) -> Vec<Block> {
    parts
        .into_iter()
        .filter(|(_, blocks)| !blocks.is_empty())
        .enumerate()
        .map(|(i, (title, blocks))| {
            Block::Section(Section {
                level: Level::Part,
                number: format!("{}.", super::roman(i + 1)),
                title: title.to_owned(),
                blocks,
            })
        })
        .collect()
}

/// Sub-items "1. …", "2. …" of a part, leaving out the empty ones and renumbering the rest.
pub fn numbered_items(items: impl Iterator<Item = (String, Vec<Block>)>) -> Vec<Block> {
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

pub fn bullets(texts: &[String]) -> Vec<Block> {
    texts
        .iter()
        .flat_map(|text| lines(text))
        .map(|line| Block::bullet(line.trim_start_matches(['-', '·', '•', '+', ' '])))
        .collect()
}

pub fn paragraphs(texts: &[String]) -> Vec<Block> {
    texts
        .iter()
        .flat_map(|text| lines(text))
        .map(Block::text)
        .collect()
}

/// The non-empty lines of a text a user may have typed on several lines, each made canonical.
pub fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(one_line).filter(|line| !line.is_empty())
}

/// NFC, trimmed, with control characters (which XML cannot carry) turned into spaces.
pub fn one_line(text: &str) -> String {
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
pub fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', ':', ';', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// "Sinh hoạt chuyên đề" → "sinh hoạt chuyên đề", but "KH" stays as it is.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if second.is_none_or(|c| !c.is_uppercase()) => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

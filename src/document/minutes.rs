//! The minutes of a session as a BIÊN BẢN (LAYOUT.md, "Minutes of a session"): the header with
//! `Số n-BB/CB`, then time and place; guests; chair and minute-taker; the members present out
//! of those called, full and probationary apart, the exempted noted; the absent by name with or
//! without reason; the agenda; the presentation; each speaker and what they said; the chair's
//! conclusion; the vote, if any; the time the meeting closed. Foot: THƯ KÝ left, CHỦ TRÌ right.

use crate::domain::attendance::Presence;
use crate::domain::calendar::{date_line, short_date, weekday_label};
use crate::domain::minutes::{Minutes, Record};
use crate::domain::org::Org;
use crate::domain::session::{Session, StartTime};

use super::parts::one_line;
use super::{Block, Document, Header, Level, Run, Section, SignatureBlock, roman};

/// Printed in the foot.
pub const MINUTE_TAKER: &str = "THƯ KÝ";
pub const MINUTE_TAKER_TITLE: &str = "(Người ghi biên bản)";
pub const CHAIR: &str = "CHỦ TRÌ";

/// What the minutes are about besides their own record.
pub struct Context<'a> {
    pub session: &'a Session,
    pub cell: &'a Org,
    pub topic_title: &'a str,
}

pub fn build(minutes: &Minutes, context: &Context) -> Document {
    let Context {
        session,
        cell,
        topic_title,
    } = *context;
    let title = one_line(topic_title);
    let record = &minutes.record;
    let mut body = vec![Block::text(opening(minutes, context, &title))];

    let parts = [
        ("THÀNH PHẦN THAM DỰ", attendance(minutes)),
        ("NỘI DUNG BUỔI SINH HOẠT", contents(minutes, &title)),
    ];
    body.extend(parts.into_iter().enumerate().map(|(i, (heading, blocks))| {
        Block::Section(Section {
            level: Level::Part,
            number: format!("{}.", roman(i + 1)),
            title: heading.to_owned(),
            blocks,
        })
    }));

    let closing = record.ended.map(|ended| {
        format!(
            "Buổi sinh hoạt kết thúc vào lúc {} cùng ngày. Biên bản đã được đọc lại trước chi bộ./.",
            clock(ended)
        )
    });
    let number = match &minutes.number {
        Some((serial, issuer)) => format!("Số {serial}-BB/{}", one_line(issuer)),
        None => format!("Số      -BB/{}", one_line(&cell.abbreviation)),
    };
    let (signature, left_signature) = foot(record);
    Document {
        title: format!("Biên bản sinh hoạt chuyên đề “{title}”"),
        header: header(cell, number, session.date),
        draft: minutes.is_open(),
        kind: "BIÊN BẢN".to_owned(),
        subject: format!("sinh hoạt chuyên đề “{title}”"),
        body,
        closing,
        recipients: Vec::new(),
        signature,
        left_signature: Some(left_signature),
    }
}

/// The header of a cell's BIÊN BẢN: its superior and its own name, the number, the date line.
pub(super) fn header(cell: &Org, number: String, on: chrono::NaiveDate) -> Header {
    Header {
        superior: one_line(&cell.superior_name).to_uppercase(),
        issuer: one_line(&cell.name).to_uppercase(),
        number,
        place_date: date_line(&one_line(&cell.place_name), on),
    }
}

/// The foot of the minutes (and of their corrections): CHỦ TRÌ right, THƯ KÝ left.
pub(super) fn foot(record: &Record) -> (SignatureBlock, SignatureBlock) {
    (
        SignatureBlock {
            authority: CHAIR.to_owned(),
            title: String::new(),
            name: one_line(&record.chair),
        },
        SignatureBlock {
            authority: MINUTE_TAKER.to_owned(),
            title: MINUTE_TAKER_TITLE.to_owned(),
            name: one_line(&record.minute_taker),
        },
    )
}

/// "Hôm nay, vào lúc 08 giờ 00 phút, Thứ Hai ngày 15/06/2026, tại …, Chi bộ … tổ chức …"
fn opening(minutes: &Minutes, context: &Context, title: &str) -> String {
    let session = context.session;
    let start = minutes.record.started.unwrap_or(session.start);
    let combined = if session.combined {
        ", gộp với sinh hoạt chi bộ thường kỳ trong cùng một buổi (thực hiện lần lượt)"
    } else {
        ""
    };
    format!(
        "Hôm nay, vào lúc {}, {} ngày {}, tại {}, {} tổ chức sinh hoạt chuyên đề “{title}”{combined}.",
        clock(start),
        weekday_label(session.date),
        short_date(session.date),
        one_line(&session.venue),
        one_line(&context.cell.name),
    )
}

/// "08 giờ 30 phút"
fn clock(time: StartTime) -> String {
    format!(
        "{:02} giờ {:02} phút",
        time.minutes() / 60,
        time.minutes() % 60
    )
}

fn attendance(minutes: &Minutes) -> Vec<Block> {
    let list = &minutes.attendance;
    let record = &minutes.record;
    let mut blocks = Vec::new();
    if list.guests.is_empty() {
        blocks.push(Block::bullet("Đại biểu: không có."));
    } else {
        blocks.push(Block::bullet("Đại biểu:"));
        blocks.extend(list.guests.iter().map(|g| {
            let guest = crate::domain::attendance::Guest {
                name: one_line(&g.name),
                title: one_line(&g.title),
                unit: one_line(&g.unit),
            };
            Block::text(format!("+ {}.", guest.line()))
        }));
    }
    blocks.push(Block::bullet(&format!(
        "Chủ trì: đồng chí {}.",
        name_or_blank(&record.chair)
    )));
    blocks.push(Block::bullet(&format!(
        "Thư ký (người ghi biên bản): đồng chí {}.",
        name_or_blank(&record.minute_taker)
    )));
    let (full, probationary) = (list.full(), list.probationary());
    blocks.push(Block::bullet(&format!(
        "Đảng viên: tổng số {} đồng chí được triệu tập ({} chính thức, {} dự bị); {}.",
        list.total().called,
        full.called,
        probationary.called,
        list.summary()
    )));
    let names = |presence: Presence| {
        let names: Vec<String> = list.names(presence).iter().map(|n| one_line(n)).collect();
        if names.is_empty() {
            "không có".to_owned()
        } else {
            format!("{} đồng chí: {}", names.len(), names.join("; "))
        }
    };
    let exempt = list.with(Presence::Exempt);
    if !exempt.is_empty() {
        blocks.push(Block::bullet(&format!(
            "Miễn sinh hoạt (không tính vào số triệu tập): {}.",
            names(Presence::Exempt)
        )));
    }
    blocks.push(Block::bullet(&format!(
        "Vắng có lý do: {}.",
        names(Presence::Excused)
    )));
    blocks.push(Block::bullet(&format!(
        "Vắng không lý do: {}.",
        names(Presence::Absent)
    )));
    blocks
}

fn contents(minutes: &Minutes, title: &str) -> Vec<Block> {
    let record = &minutes.record;
    let mut items: Vec<(&str, Vec<Block>)> = Vec::new();
    items.push((
        "Chương trình",
        record
            .agenda
            .iter()
            .map(|line| Block::bullet(&one_line(line)))
            .collect(),
    ));
    let presenter = if record.presenter.is_empty() {
        "Đảng viên được phân công".to_owned()
    } else {
        format!("Đồng chí {}", one_line(&record.presenter))
    };
    items.push((
        "Trình bày chuyên đề",
        vec![Block::text(format!(
            "{presenter} trình bày dự thảo chuyên đề “{title}”."
        ))],
    ));
    let speeches: Vec<Block> = if record.speeches.is_empty() {
        vec![Block::text("Không có ý kiến phát biểu.")]
    } else {
        record
            .speeches
            .iter()
            .flat_map(|speech| {
                let mut paragraphs = speech.summary.lines().filter(|l| !l.trim().is_empty());
                let first = paragraphs.next().unwrap_or_default().trim().to_owned();
                let mut blocks = vec![Block::Paragraph {
                    runs: vec![
                        Run {
                            text: format!("- Đồng chí {}: ", one_line(&speech.speaker)),
                            bold: true,
                            italic: false,
                        },
                        Run::plain(first),
                    ],
                }];
                blocks.extend(paragraphs.map(|p| Block::text(p.trim())));
                blocks
            })
            .collect()
    };
    items.push(("Ý kiến phát biểu", speeches));
    let conclusion: Vec<Block> = record
        .conclusion
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Block::text(l.trim()))
        .collect();
    items.push(("Kết luận của chủ trì", conclusion));
    if let Some(vote) = record.vote {
        let present = minutes.attendance.total().present;
        let result = if vote.passed(present) {
            "Kết luận được thông qua với đa số đảng viên có mặt tán thành, trở thành nghị quyết của chi bộ."
        } else {
            "Kết luận chưa được thông qua: số tán thành chưa quá một nửa số đảng viên có mặt."
        };
        items.push((
            "Biểu quyết",
            vec![Block::text(vote.line(present)), Block::text(result)],
        ));
    }
    items
        .into_iter()
        .filter(|(_, blocks)| !blocks.is_empty())
        .enumerate()
        .map(|(i, (heading, blocks))| {
            Block::Section(Section {
                level: Level::Item,
                number: format!("{}.", i + 1),
                title: heading.to_owned(),
                blocks,
            })
        })
        .collect()
}

fn name_or_blank(name: &str) -> String {
    match one_line(name) {
        name if name.is_empty() => "…………".to_owned(),
        name => name,
    }
}

#[cfg(test)]
mod tests;

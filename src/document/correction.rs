//! A correction of closed minutes as a BIÊN BẢN BỔ SUNG: the header of the minutes with its own
//! number, the minutes it corrects named at the start, what is corrected or added, and the foot
//! of the minutes (THƯ KÝ left, CHỦ TRÌ right).

use crate::domain::calendar::short_date;
use crate::domain::correction::Correction;
use crate::domain::minutes::Minutes;

use super::minutes::{Context, foot, header};
use super::parts::one_line;
use super::{Block, Document};

pub fn build(correction: &Correction, minutes: &Minutes, context: &Context) -> Document {
    let cell = context.cell;
    let title = one_line(context.topic_title);
    let corrected = match (&minutes.number, minutes.closed) {
        (Some((serial, issuer)), Some((_, on))) => format!(
            "Biên bản sinh hoạt chuyên đề “{title}” Số {serial}-BB/{} ngày {}",
            one_line(issuer),
            short_date(on)
        ),
        _ => format!("Biên bản sinh hoạt chuyên đề “{title}”"),
    };
    let mut body = vec![Block::text(format!(
        "{} bổ sung, đính chính {} như sau:",
        one_line(&cell.name),
        corrected
    ))];
    body.extend(correction.paragraphs().map(Block::text));
    body.push(Block::text(format!(
        "Các nội dung khác của {} giữ nguyên.",
        corrected.replacen("Biên bản", "biên bản", 1)
    )));
    let (signature, left_signature) = foot(&minutes.record);
    let number = format!(
        "Số {}-BB/{}",
        correction.number.0,
        one_line(&correction.number.1)
    );
    Document {
        title: format!("Biên bản bổ sung: {title}"),
        header: header(cell, number, correction.made_on),
        draft: false,
        kind: "BIÊN BẢN BỔ SUNG".to_owned(),
        subject: format!("sinh hoạt chuyên đề “{title}”"),
        body,
        closing: None,
        recipients: Vec::new(),
        signature,
        left_signature: Some(left_signature),
    }
}

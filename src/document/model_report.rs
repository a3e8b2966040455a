//! What a committee prints around a model session: the attendance sheet of the registered
//! delegates (DANH SÁCH đại biểu, with a column to sign), and the summary issued after it as a
//! THÔNG BÁO or BÁO CÁO kết quả, in the header and foot of the committee's plan.

use crate::domain::calendar::short_date;
use crate::domain::grading::Scores;
use crate::domain::model_delegates::{Delegate, ModelReport, came, mean_points};
use crate::domain::model_session::{ModelSession, ModelSessionPlan};
use crate::domain::org::Org;

use super::parts::{self, one_line};
use super::{Block, Document, Row, SignatureBlock, Table};

/// The attendance sheet's columns and their widths in percent.
pub const SHEET_COLUMNS: [(&str, u8); 5] = [
    ("TT", 7),
    ("Họ và tên", 28),
    ("Chức vụ", 30),
    ("Đơn vị", 20),
    ("Ký tên", 15),
];

/// "hội nghị “sinh hoạt chi bộ chuyên đề” mẫu do Chi bộ 4 thuộc … thực hiện".
fn meeting_phrase(session: &ModelSession) -> String {
    format!(
        "hội nghị “{}” mẫu do {} thực hiện",
        session.kind.label(),
        one_line(&session.host.described())
    )
}

/// The registered delegates, a row each grouped by unit, to sign on arrival.
pub fn attendance_sheet(
    plan: &ModelSessionPlan,
    committee: &Org,
    session: &ModelSession,
    delegates: &[Delegate],
) -> Document {
    let mut rows = Vec::new();
    let mut unit = None;
    for (i, delegate) in delegates.iter().enumerate() {
        if unit != Some(delegate.unit) {
            unit = Some(delegate.unit);
            rows.push(Row::Group {
                text: one_line(&delegate.unit_name),
            });
        }
        rows.push(Row::Cells {
            cells: vec![
                (i + 1).to_string(),
                one_line(&delegate.name),
                one_line(&delegate.title),
                one_line(&delegate.unit_name),
                String::new(),
            ],
        });
    }
    let mut body = vec![Block::text(format!(
        "Dự {}; lúc {}; tại {}.",
        meeting_phrase(session),
        session.when(),
        one_line(&session.place())
    ))];
    if !session.topic_title.trim().is_empty() {
        body.push(Block::text(format!(
            "Chuyên đề: {}.",
            one_line(&session.topic_title)
        )));
    }
    body.push(Block::Table(Table {
        columns: SHEET_COLUMNS.iter().map(|(c, _)| (*c).to_owned()).collect(),
        widths: SHEET_COLUMNS.iter().map(|(_, w)| *w).collect(),
        rows,
    }));
    body.push(Block::text(format!(
        "Tổng số: {} đại biểu đăng ký.",
        delegates.len()
    )));
    Document {
        title: format!("Danh sách đại biểu: {}", session.kind.heading()),
        header: parts::header(
            plan.number.as_ref(),
            "KH",
            &plan.place,
            plan.issued_on,
            plan.year.get(),
            committee,
        ),
        draft: false,
        kind: "DANH SÁCH".to_owned(),
        subject: format!("đại biểu dự {}", session.kind.heading().to_lowercase()),
        body,
        closing: None,
        recipients: Vec::new(),
        signature: SignatureBlock {
            authority: String::new(),
            title: "NGƯỜI LẬP DANH SÁCH".to_owned(),
            name: String::new(),
        },
        left_signature: None,
    }
}

/// The committee's summary of the meeting: when and where it was held, who came, the mean of
/// the delegates' points if they gave any, then the committee's own paragraphs; recipients and
/// signer as in its plan. "DỰ THẢO" until issued.
pub fn summary(
    plan: &ModelSessionPlan,
    committee: &Org,
    session: &ModelSession,
    report: &ModelReport,
    delegates: &[Delegate],
    scores: &[&Scores],
) -> Document {
    let (count, units) = came(delegates);
    let plan_named = match &plan.number {
        Some(number) => format!("Kế hoạch số {}", one_line(&number.to_string())),
        None => "Kế hoạch".to_owned(),
    };
    let mut body = vec![Block::text(format!(
        "Thực hiện {plan_named} của {}, lúc {}, tại {}, {} đã tổ chức hội nghị “{}” mẫu.",
        one_line(&committee.name),
        session.when(),
        one_line(&session.place()),
        one_line(&session.host.name),
        session.kind.label()
    ))];
    if count > 0 {
        body.push(Block::text(format!(
            "Tham dự hội nghị có {count} đại biểu của {units} đơn vị được mời."
        )));
    }
    if let Some(mean) = mean_points(scores.iter().copied()) {
        body.push(Block::text(format!(
            "Các đại biểu chấm điểm theo bảng điểm xếp loại: bình quân {mean}/100 điểm ({} phiếu).",
            scores.len()
        )));
    }
    body.extend(report.paragraphs().map(|p| Block::text(one_line(p))));
    let kind = report.kind;
    Document {
        title: format!("{} {}", kind.label(), session.kind.heading().to_lowercase()),
        header: parts::header(
            report.number.as_ref(),
            kind.code(),
            &plan.place,
            report.issued_on,
            report
                .issued_on
                .map_or(plan.year.get(), |d| chrono::Datelike::year(&d)),
            committee,
        ),
        draft: !report.issued,
        kind: kind.title().to_owned(),
        subject: format!("kết quả {}", session.kind.heading().to_lowercase()),
        body,
        closing: None,
        recipients: parts::recipients(&plan.parts.recipients, &plan.parts.archive, committee),
        signature: parts::signature(&plan.parts.signature),
        left_signature: None,
    }
}

/// The summary's file name: `TB-15-DU-2024`, or `TB-du-thao-DU-2024` while it has no number.
pub fn summary_file_stem(report: &ModelReport, committee: &Org, year: i32) -> String {
    let raw = match &report.number {
        Some(number) => format!(
            "{}-{:02}-{}-{year}",
            number.kind, number.serial, number.issuer
        ),
        None => format!(
            "{}-du-thao-{}-{year}",
            report.kind.code(),
            committee.abbreviation
        ),
    };
    super::ascii_slug(&raw)
}

/// The attendance sheet's file name: `DS-dai-bieu-{session}`.
pub fn sheet_file_stem(session: &ModelSession) -> String {
    format!(
        "DS-dai-bieu-{}-{}",
        session.id,
        short_date(session.date).replace('/', "-")
    )
}

#[cfg(test)]
mod tests;

//! The sessions' columns of the dashboard (the committee's view of sessions): each quarter of a
//! cell as the page and the CSV write it, from the summary the domain decides.

use chrono::NaiveDate;

use crate::app::dashboard::{Row, Totals};
use crate::domain::calendar::Quarter;
use crate::domain::holding::{Holding, QuarterSummary, quarters};
use crate::domain::org::Year;

/// One quarter of one cell.
pub struct QuarterView {
    /// `held`, `not-held`, `overdue`, or `none` when no topic falls in the quarter.
    pub code: &'static str,
    /// "Đã sinh hoạt", empty when no topic falls in the quarter.
    pub label: &'static str,
    /// Topics held of those planned: "1/2".
    pub count: String,
    pub papers_on_time: usize,
    pub papers_late: usize,
    pub too_short: usize,
    /// "80%", empty when no held session recorded its attendance.
    pub share: String,
    /// Not more than half present.
    pub half_or_less: bool,
    /// "Tốt", empty when no held session was graded.
    pub grade: &'static str,
}

impl QuarterView {
    fn of(summary: &QuarterSummary) -> Self {
        QuarterView {
            code: summary.holding.map_or("none", Holding::as_str),
            label: summary.holding.map_or("", Holding::label),
            count: if summary.topics == 0 {
                String::new()
            } else {
                format!("{}/{}", summary.held, summary.topics)
            },
            papers_on_time: summary.papers_on_time,
            papers_late: summary.papers_late,
            too_short: summary.too_short,
            share: summary
                .share_percent()
                .map(|n| format!("{n}%"))
                .unwrap_or_default(),
            half_or_less: summary.half_or_less(),
            grade: summary.grade.map_or("", |g| g.label()),
        }
    }

    /// The CSV fields, in the order of [`CSV_COLUMNS`].
    pub fn csv_fields(&self) -> [String; 6] {
        let label = if self.label.is_empty() {
            String::new()
        } else {
            format!("{} {}", self.label, self.count)
        };
        [
            label,
            self.papers_on_time.to_string(),
            self.papers_late.to_string(),
            self.too_short.to_string(),
            self.share.clone(),
            self.grade.to_owned(),
        ]
    }
}

/// The quarters I–IV of `row` in `year`, as of `today`.
pub fn quarter_views(row: &Row, year: Year, today: NaiveDate) -> [QuarterView; 4] {
    quarters(year.get(), &row.topics, today).map(|summary| QuarterView::of(&summary))
}

/// The columns each quarter adds to the CSV, after the plan's: "Quý I: sinh hoạt" …
pub const CSV_COLUMNS: [&str; 6] = [
    "sinh hoạt",
    "tài liệu gửi đúng hạn",
    "tài liệu gửi muộn",
    "buổi dưới thời lượng",
    "tỉ lệ dự",
    "xếp loại",
];

/// The header of the sessions' columns: six per quarter.
pub fn csv_header() -> Vec<String> {
    (1..=4)
        .filter_map(Quarter::new)
        .flat_map(|q| CSV_COLUMNS.map(|c| format!("{}: {c}", q.label())))
        .collect()
}

/// Per quarter, above the table: the cells that held a session of it and those that did not,
/// the latter a link to the filter.
pub struct QuarterTotal {
    pub label: String,
    pub held: String,
    pub unheld: String,
    pub unheld_href: String,
    /// The filter shows this quarter's cells without a session.
    pub current: bool,
    /// The quarter of today, in this year.
    pub now: bool,
}

pub fn quarter_totals(
    totals: &Totals,
    current: Option<Quarter>,
    now: Option<Quarter>,
    href: impl Fn(Quarter) -> String,
    thousands: impl Fn(i64) -> String,
) -> Vec<QuarterTotal> {
    let matching = totals.matching();
    (1..=4)
        .filter_map(Quarter::new)
        .zip(totals.held)
        .map(|(quarter, held)| QuarterTotal {
            label: quarter.label(),
            held: thousands(held),
            unheld: thousands((matching - held).max(0)),
            unheld_href: href(quarter),
            current: current == Some(quarter),
            now: now == Some(quarter),
        })
        .collect()
}

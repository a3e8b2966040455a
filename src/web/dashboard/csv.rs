//! The dashboard as a CSV file: the same cells and filters as the page, every row.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{Local, NaiveDate};
use futures_util::StreamExt;

use super::sessions::{self, QuarterView, quarter_views};
use super::{Request, committee, local_date, this_year};
use crate::AppState;
use crate::app::dashboard::{self, Row};
use crate::domain::org::{Org, OrgId, Year};
use crate::web::AppError;
use crate::web::attachment::{ascii_slug, attachment};
use crate::web::auth::Auth;
use crate::web::extract::Path;

pub async fn csv(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let org = committee(&state, &auth, id).await?;
    let today = Local::now().date_naive();
    let mut request = Request::parse(raw.as_deref(), this_year(today));
    // The topics alone, not their counts over the subtree: the first byte leaves sooner.
    let topics = dashboard::mandated_topics(&state.db, &org, request.filter.year).await?;
    // An unknown mandated topic is dropped, as on the page; the export has no place for notes.
    request.check_mandated(&topics);
    let (year, rows) = (
        request.filter.year,
        dashboard::export(&state.db, &org, &request.filter, today),
    );
    // The header goes out at once; then the rows in chunks as the database yields them. A
    // failure half-way can no longer change the status: the connection is cut, so the reader
    // sees a broken download rather than a file that looks whole.
    let head = futures_util::stream::once(std::future::ready(header()));
    let body = rows.ready_chunks(CHUNK_ROWS).map(move |chunk| {
        let rows = chunk.into_iter().collect::<Result<Vec<Row>, _>>()?;
        encode(&rows, year, today)
    });
    let body = head.chain(body).map(|chunk| {
        chunk.map_err(|e| {
            tracing::error!(error = format!("{e:#}"), "dashboard export");
            std::io::Error::other("export failed")
        })
    });
    let (ascii, name) = file_names(&org, request.filter.year);
    Ok(attachment(
        Body::from_stream(body),
        "text/csv; charset=utf-8",
        &name,
        &ascii,
    ))
}

pub const CSV_HEADER: [&str; 11] = [
    "Mã chi bộ",
    "Chi bộ",
    "Trực thuộc",
    "Trạng thái",
    "Ngày báo cáo",
    "Quý I",
    "Quý II",
    "Quý III",
    "Quý IV",
    "Việc quá hạn",
    "Mã kế hoạch",
];

/// Rows encoded per chunk of the body.
const CHUNK_ROWS: usize = 256;

/// The start of the file: UTF-8's byte-order mark, which Excel needs to read Vietnamese
/// correctly, and the header row: the plan's columns, then six per quarter for its sessions
/// (see [`sessions::CSV_COLUMNS`]).
fn header() -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(
        CSV_HEADER
            .iter()
            .map(|h| (*h).to_owned())
            .chain(sessions::csv_header()),
    )?;
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))
}

/// One CSV line per cell.
fn encode(rows: &[Row], year: Year, today: NaiveDate) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let [q1, q2, q3, q4] = row.quarters.map(|n| n.to_string());
        let plan = [
            row.cell_id.to_string(),
            spreadsheet_text(&row.cell_name),
            spreadsheet_text(row.parent_name.as_deref().unwrap_or("")),
            row.state.label().to_owned(),
            row.submitted_at.map(local_date).unwrap_or_default(),
            q1,
            q2,
            q3,
            q4,
            row.overdue.to_string(),
            row.plan_id.map(|id| id.to_string()).unwrap_or_default(),
        ];
        let held = quarter_views(row, year, today);
        writer.write_record(
            plan.into_iter()
                .chain(held.iter().flat_map(QuarterView::csv_fields)),
        )?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))
}

/// Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a leading
/// apostrophe, so that a unit's name can never run as a formula in the reader's Excel.
fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The export's file name: plain ASCII for old clients ("theo-doi-dang-uy-xa-dinh-an-2025.csv")
/// and the Vietnamese name percent-encoded for `filename*` (RFC 6266).
fn file_names(org: &Org, year: Year) -> (String, String) {
    let slug: String = ascii_slug(&org.name).chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    let ascii = if slug.is_empty() {
        format!("theo-doi-{}-{year}.csv", org.id)
    } else {
        format!("theo-doi-{slug}-{year}.csv")
    };
    let name: String = format!("Theo dõi kế hoạch {} {year}.csv", org.name)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    (ascii, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(spreadsheet_text("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_text("Chi bộ"), "Chi bộ");
    }
}

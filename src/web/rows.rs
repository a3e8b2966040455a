//! Forms of rows (the basis documents, the recipients): rows in the order the user asked for,
//! blank rows to fill in, and "Thêm dòng", which brings the form back with one more row and
//! saves nothing, so a list of any length is entered in one visit without JavaScript.

use crate::web::extract::Fields;

/// The rows the list had when its form was drawn (the hidden field `drawn`): the rows below
/// them are new, see [`crate::domain::plan_edit::added_rows`].
pub fn drawn(fields: &Fields) -> Option<usize> {
    fields.get("drawn").trim().parse().ok()
}

/// Blank rows a form offers below the rows it has.
const BLANK_ROWS: usize = 2;

/// Whether the form was sent with its "Thêm dòng" button (`name="add_row"`): not a save.
pub fn adds_row(fields: &Fields) -> bool {
    !fields.get("add_row").is_empty()
}

/// Row numbers of a table form, in the order the user asked for (`{prefix}order_{n}`), then as
/// shown.
pub fn ordered_rows(fields: &Fields, prefix: &str) -> Vec<usize> {
    let mut rows: Vec<(i64, usize)> = fields
        .rows(&format!("{prefix}order_"))
        .into_iter()
        .map(|row| {
            let order = fields
                .get(&format!("{prefix}order_{row}"))
                .trim()
                .parse()
                .unwrap_or(i64::MAX);
            (order, row)
        })
        .collect();
    rows.sort_unstable();
    rows.into_iter().map(|(_, row)| row).collect()
}

/// `rows`, then the blank rows a form offers.
pub fn with_blank_rows<T>(mut rows: Vec<T>, blank: impl Fn() -> T) -> Vec<T> {
    rows.extend(std::iter::repeat_with(blank).take(BLANK_ROWS));
    rows
}

/// The rows as sent, blank ones included, and one blank row more: what "Thêm dòng" gives back.
pub fn with_one_more<T>(mut rows: Vec<T>, blank: impl Fn() -> T) -> Vec<T> {
    rows.push(blank());
    rows
}

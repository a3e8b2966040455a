//! The committee dashboard: every cell below a committee and where its plan stands.

pub use crate::db::dashboard::{
    CellState, Filter, MandatedFilter, MandatedTopic, Row, Totals, all_rows, count_included,
    export, mandated, mandated_topics, rows, totals,
};

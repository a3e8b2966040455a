//! The committee dashboard ("Theo dõi kế hoạch"): every cell below a committee with the state of
//! its plan for a year, totals, filters, pages of 50, the mandated topics of the directive
//! plans above, and the same list as a CSV file.
//!
//! Query input is parsed at the edge; anything that does not parse falls back to the default
//! with a Vietnamese note on the page, never an error.

use crate::web::routes::Routes;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};

mod csv;
mod sessions;

use super::AppError;
use super::auth::Auth;
use super::extract::Path;
use super::form::render;
use super::page::Page;
use super::scope::{org_page, readable_org};
use crate::AppState;
use crate::app::dashboard::{self, CellState, Filter, MandatedFilter, MandatedTopic, Row, Totals};
use crate::domain::calendar::Quarter;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::PlanId;
use crate::domain::text::canonical;
use sessions::{QuarterTotal, QuarterView, quarter_totals, quarter_views};

pub fn routes() -> Routes {
    Routes::new()
        .route("/orgs/{id}/dashboard", get(show))
        .route("/orgs/{id}/dashboard.csv", get(csv::csv))
}

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// Longest search text kept: names are at most 200 characters.
const SEARCH_MAX_CHARS: usize = 200;

/// The dashboard's query string, parsed; `notes` say what was not understood and how it was
/// replaced.
struct Request {
    filter: Filter,
    page: i64,
    notes: Vec<String>,
}

impl Request {
    fn parse(raw: Option<&str>, this_year: Year) -> Self {
        // A malformed query string is read as no parameters at all rather than refused.
        let pairs: Vec<(String, String)> = raw
            .and_then(|raw| serde_urlencoded::from_str(raw).ok())
            .unwrap_or_default();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim())
                .unwrap_or("")
        };
        let mut notes = Vec::new();

        let year = match get("year") {
            "" => this_year,
            text => Year::parse(text).unwrap_or_else(|invalid| {
                notes.push(format!("{invalid} Đang hiển thị năm {this_year}."));
                this_year
            }),
        };
        let state = match get("state") {
            "" | "all" => None,
            code => CellState::parse(code).or_else(|| {
                notes.push("Trạng thái không hợp lệ; đang hiển thị mọi trạng thái.".into());
                None
            }),
        };
        let search: String = canonical(get("q"))
            .chars()
            .filter(|c| !c.is_control())
            .take(SEARCH_MAX_CHARS)
            .collect();
        let page = match get("page") {
            "" => 1,
            text => match text.parse::<i64>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    notes.push("Số trang không hợp lệ; đang hiển thị trang đầu.".into());
                    1
                }
            },
        };
        let mandated = match get("mandated") {
            "" => None,
            text => match text.parse() {
                Ok(topic) => Some(MandatedFilter {
                    topic,
                    included: get("included") != "no",
                }),
                Err(_) => {
                    notes.push(MANDATED_UNKNOWN.into());
                    None
                }
            },
        };
        let unheld = match Quarter::parse(get("unheld")) {
            Ok(quarter) => quarter,
            Err(_) => {
                notes.push("Quý không hợp lệ; đang hiển thị mọi chi bộ.".into());
                None
            }
        };
        Request {
            filter: Filter {
                year,
                state,
                search,
                mandated,
                unheld,
            },
            page,
            notes,
        }
    }

    /// Keeps the mandated-topic filter only if it names one of this dashboard's mandated topics.
    fn check_mandated(&mut self, topics: &[MandatedTopic]) {
        if let Some(wanted) = self.filter.mandated
            && !topics.iter().any(|t| t.topic_id == wanted.topic)
        {
            self.filter.mandated = None;
            self.notes.push(MANDATED_UNKNOWN.into());
        }
    }
}

const MANDATED_UNKNOWN: &str =
    "Không có chuyên đề được giao này trong năm đã chọn; đang hiển thị mọi chi bộ.";

/// The query string of the dashboard for `filter` at page `page` (defaults left out).
fn query_string(filter: &Filter, page: i64) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("year", filter.year.to_string())];
    if let Some(state) = filter.state {
        pairs.push(("state", state.as_str().into()));
    }
    if !filter.search.is_empty() {
        pairs.push(("q", filter.search.clone()));
    }
    if let Some(mandated) = filter.mandated {
        pairs.push(("mandated", mandated.topic.to_string()));
        pairs.push((
            "included",
            if mandated.included { "yes" } else { "no" }.into(),
        ));
    }
    if let Some(quarter) = filter.unheld {
        pairs.push(("unheld", quarter.get().to_string()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

fn dashboard_href(org: OrgId, filter: &Filter, page: i64) -> String {
    format!("/orgs/{org}/dashboard?{}", query_string(filter, page))
}

/// A committee the actor may follow: admins, and reviewers of it or of a committee above it.
/// A cell has no dashboard.
async fn committee(state: &AppState, auth: &Auth, id: OrgId) -> Result<Org, AppError> {
    let org = readable_org(state, auth, id).await?;
    if org.is_cell() {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

fn this_year(today: NaiveDate) -> Year {
    Year::new(today.year()).unwrap_or_else(|_| Year::new(Year::MAX).expect("a valid year"))
}

/// "5.000": Vietnamese groups thousands with dots.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The day something was submitted, in the server's time zone (the users' own).
fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%d/%m/%Y").to_string()
}

pub struct TotalView {
    pub code: &'static str,
    pub label: &'static str,
    pub count: String,
    pub href: String,
    pub current: bool,
}

pub struct RowView {
    pub cell_id: OrgId,
    pub cell_name: String,
    pub parent_id: Option<OrgId>,
    pub parent_name: String,
    pub plan_id: Option<PlanId>,
    pub state_code: &'static str,
    pub state_label: &'static str,
    pub submitted: String,
    pub quarters: [i64; 4],
    pub overdue: i64,
    pub sessions: [QuarterView; 4],
}

impl RowView {
    fn new(row: Row, year: Year, today: NaiveDate) -> Self {
        RowView {
            sessions: quarter_views(&row, year, today),
            cell_id: row.cell_id,
            cell_name: row.cell_name,
            parent_id: row.parent_id,
            parent_name: row.parent_name.unwrap_or_default(),
            plan_id: row.plan_id,
            state_code: row.state.as_str(),
            state_label: row.state.label(),
            submitted: row.submitted_at.map(local_date).unwrap_or_default(),
            quarters: row.quarters,
            overdue: row.overdue,
        }
    }
}

pub struct MandatedView {
    pub title: String,
    pub deadline: String,
    pub issuer_name: String,
    pub plan_id: PlanId,
    pub included: String,
    pub missing: String,
    pub included_href: String,
    pub missing_href: String,
}

pub struct StateOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct Pager {
    pub current: i64,
    pub last: i64,
    /// "1–50 trên 5.000"
    pub range: String,
    pub first: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub final_page: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/show.html")]
struct ShowPage {
    page: Page,
    org: Org,
    year: Year,
    search: String,
    notes: Vec<String>,
    /// All cells of the subtree.
    cells: String,
    all: TotalView,
    totals: Vec<TotalView>,
    states: Vec<StateOption>,
    mandated: Vec<MandatedView>,
    /// What the mandated-topic filter shows, and the link that removes it.
    mandated_filter: Option<(String, String)>,
    rows: Vec<RowView>,
    /// Per quarter, the cells that held a session and those that did not.
    sessions: Vec<QuarterTotal>,
    /// The quarter options of the filter "no session held in".
    unheld: Vec<(u8, String, bool)>,
    /// What the filter "no session held in" shows, and the link that removes it.
    unheld_filter: Option<(String, String)>,
    pager: Pager,
    csv_href: String,
}

fn total_views(org: OrgId, filter: &Filter, totals: &Totals) -> (TotalView, Vec<TotalView>) {
    let all = TotalView {
        code: "all",
        label: "Tất cả",
        count: thousands(totals.matching()),
        href: dashboard_href(
            org,
            &Filter {
                state: None,
                ..filter.clone()
            },
            1,
        ),
        current: filter.state.is_none(),
    };
    let by_state = totals
        .by_state
        .iter()
        .map(|(state, count)| TotalView {
            code: state.as_str(),
            label: state.label(),
            count: thousands(*count),
            href: dashboard_href(
                org,
                &Filter {
                    state: Some(*state),
                    ..filter.clone()
                },
                1,
            ),
            current: filter.state == Some(*state),
        })
        .collect();
    (all, by_state)
}

fn mandated_views(
    org: OrgId,
    filter: &Filter,
    topics: &[MandatedTopic],
    cells: i64,
) -> Vec<MandatedView> {
    topics
        .iter()
        .map(|topic| {
            let with = |included| {
                dashboard_href(
                    org,
                    &Filter {
                        mandated: Some(MandatedFilter {
                            topic: topic.topic_id,
                            included,
                        }),
                        state: None,
                        search: String::new(),
                        year: filter.year,
                        unheld: None,
                    },
                    1,
                )
            };
            MandatedView {
                title: topic.title.clone(),
                deadline: topic.deadline_text.clone().unwrap_or_default(),
                issuer_name: topic.issuer_name.clone(),
                plan_id: topic.plan_id,
                included: thousands(topic.included),
                missing: thousands((cells - topic.included).max(0)),
                included_href: with(true),
                missing_href: with(false),
            }
        })
        .collect()
}

fn pager(org: OrgId, filter: &Filter, current: i64, last: i64, selected: i64) -> Pager {
    let link = |page: i64| Some(dashboard_href(org, filter, page));
    let from = (current - 1) * PAGE_SIZE + 1;
    let to = (current * PAGE_SIZE).min(selected);
    Pager {
        current,
        last,
        range: if selected == 0 {
            String::new()
        } else {
            format!(
                "{}–{} trên {}",
                thousands(from),
                thousands(to),
                thousands(selected)
            )
        },
        first: (current > 2).then(|| link(1)).flatten(),
        previous: (current > 1).then(|| link(current - 1)).flatten(),
        next: (current < last).then(|| link(current + 1)).flatten(),
        final_page: (current + 1 < last).then(|| link(last)).flatten(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<OrgId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let org = committee(&state, &auth, id).await?;
    let today = Local::now().date_naive();
    let mut request = Request::parse(raw.as_deref(), this_year(today));
    let year = request.filter.year;
    let listed = dashboard::mandated_topics(&state.db, &org, year).await?;
    request.check_mandated(&listed);
    let filter = &request.filter;
    // The two counts over the whole subtree are independent: on a national tree each takes
    // ~100 ms at the root, so they run side by side on two connections.
    let (topics, totals) = tokio::try_join!(
        dashboard::count_included(&state.db, &org, year, listed),
        dashboard::totals(&state.db, &org, filter),
    )?;

    let selected = totals.selected(filter);
    let last = ((selected + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    // Past the end (a stale link after cells moved): the last page rather than an empty one.
    let current = request.page.min(last);
    let rows = dashboard::rows(
        &state.db,
        &org,
        filter,
        today,
        PAGE_SIZE,
        (current - 1) * PAGE_SIZE,
    )
    .await?;

    let mandated_filter = filter.mandated.and_then(|wanted| {
        let topic = topics.iter().find(|t| t.topic_id == wanted.topic)?;
        let what = if wanted.included {
            "đã đưa"
        } else {
            "chưa đưa"
        };
        Some((
            format!("Các chi bộ {what} chuyên đề “{}” vào kế hoạch", topic.title),
            dashboard_href(
                id,
                &Filter {
                    mandated: None,
                    ..filter.clone()
                },
                1,
            ),
        ))
    });
    let (all, by_state) = total_views(id, filter, &totals);
    let title = format!("Theo dõi kế hoạch năm {}", filter.year);
    let page = org_page(&state, &auth, &org, &title)
        .await?
        .crumb(String::new(), "Theo dõi kế hoạch");
    render(&ShowPage {
        page,
        year: filter.year,
        search: filter.search.clone(),
        cells: thousands(totals.cells),
        states: CellState::ALL
            .into_iter()
            .map(|s| StateOption {
                code: s.as_str(),
                label: s.label(),
                selected: filter.state == Some(s),
            })
            .collect(),
        mandated: mandated_views(id, filter, &topics, totals.cells),
        mandated_filter,
        all,
        totals: by_state,
        rows: rows
            .into_iter()
            .map(|row| RowView::new(row, filter.year, today))
            .collect(),
        sessions: quarter_totals(
            &totals,
            filter.unheld,
            (filter.year == this_year(today)).then(|| Quarter::of_date(today)),
            |quarter| {
                dashboard_href(
                    id,
                    &Filter {
                        unheld: Some(quarter),
                        ..filter.clone()
                    },
                    1,
                )
            },
            thousands,
        ),
        unheld: (1..=4)
            .filter_map(Quarter::new)
            .map(|q| (q.get(), q.label(), filter.unheld == Some(q)))
            .collect(),
        unheld_filter: filter.unheld.map(|quarter| {
            (
                format!(
                    "Các chi bộ chưa sinh hoạt chuyên đề {} năm {}",
                    quarter.label().to_lowercase(),
                    filter.year
                ),
                dashboard_href(
                    id,
                    &Filter {
                        unheld: None,
                        ..filter.clone()
                    },
                    1,
                ),
            )
        }),
        pager: pager(id, filter, current, last, selected),
        csv_href: format!("/orgs/{id}/dashboard.csv?{}", query_string(filter, 1)),
        notes: request.notes,
        org,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::TopicId;

    fn year(n: i32) -> Year {
        Year::new(n).unwrap()
    }

    #[test]
    fn query_falls_back_with_notes() {
        let request = Request::parse(
            Some("year=20x5&state=bogus&page=-3&q=+M%E1%BA%A7m+"),
            year(2025),
        );
        assert_eq!(request.filter.year, year(2025));
        assert_eq!(request.filter.state, None);
        assert_eq!(request.filter.search, "Mầm");
        assert_eq!(request.page, 1);
        assert_eq!(request.notes.len(), 3);

        let request = Request::parse(
            Some("year=2024&state=none&page=3&mandated=7&included=no"),
            year(2025),
        );
        assert_eq!(request.filter.year, year(2024));
        assert_eq!(request.filter.state, Some(CellState::None));
        assert_eq!(request.page, 3);
        assert_eq!(
            request.filter.mandated,
            Some(MandatedFilter {
                topic: TopicId(7),
                included: false
            })
        );
        assert!(request.notes.is_empty());
        assert_eq!(
            query_string(&request.filter, 3),
            "year=2024&state=none&mandated=7&included=no&page=3"
        );

        let request = Request::parse(Some("%%%&&=="), year(2025));
        assert_eq!(request.filter, Filter::year(year(2025)));
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(5000), "5.000");
        assert_eq!(thousands(1234567), "1.234.567");
        assert_eq!(thousands(12), "12");
    }
}

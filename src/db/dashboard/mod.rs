//! The committee dashboard: every cell below a committee with the state of its plan for a year.
//!
//! A page costs the same few queries whatever the size of the subtree — the mandated topics
//! ([`mandated`], one query, two when there are any), the totals ([`totals`]) and the page of
//! rows ([`rows`]) — each at most one scan of the subtree's cells (a range on `orgs.path`),
//! with the per-plan figures computed by a grouped join restricted to the page's plans,
//! never one query per row. The sessions' figures (see [`holding`]) ride on the same two
//! statements: the totals count the cells with a held session per quarter, and the page of
//! rows carries one row per topic of the page's plans, gathered per cell. The export
//! ([`export`]) is the same statement streamed.
//!
//! The statements that scan a subtree are not kept as prepared statements (`persistent(false)`):
//! PostgreSQL then plans each with the actual bounds of the subtree. A cached generic plan
//! guesses that a `path` range holds 25 rows and picks nested loops that cost several times
//! more on a committee with 5,000 cells; planning anew costs about a millisecond.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use futures_util::{Stream, TryStreamExt};

mod holding;

use super::{Db, corrupt, on_pool, placeholders};
use crate::domain::calendar::Quarter;
use crate::domain::holding::TopicFigures;
use crate::domain::org::{Org, OrgId, Year};
use crate::domain::plan::{PlanId, TopicId};
use crate::domain::text::search_pattern;

pub use crate::domain::lifecycle::CellState;

/// Mandated topic `topic`, and whether the cells wanted are those that included it in their
/// plan for the year or those that did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MandatedFilter {
    pub topic: TopicId,
    pub included: bool,
}

/// Which cells of the subtree a page or an export shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub year: Year,
    /// Only cells in this state; `None` for every state.
    pub state: Option<CellState>,
    /// Part of the cell's name, as typed (NFC, trimmed); empty for no search.
    pub search: String,
    pub mandated: Option<MandatedFilter>,
    /// Only cells that held no session of a topic of this quarter.
    pub unheld: Option<Quarter>,
}

impl Filter {
    pub fn year(year: Year) -> Self {
        Self {
            year,
            state: None,
            search: String::new(),
            mandated: None,
            unheld: None,
        }
    }
}

/// The counts at the top of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Every cell of the subtree, whatever the filters.
    pub cells: i64,
    /// Cells matching the search and the mandated-topic filter, per state, in
    /// [`CellState::ALL`] order (zeros included). The state filter is not applied: these are
    /// the numbers the state filter chooses between.
    pub by_state: Vec<(CellState, i64)>,
    /// Per quarter I–IV, the cells matching as above that held a session of a topic of that
    /// quarter (its first minutes closed).
    pub held: [i64; 4],
}

impl Totals {
    /// Cells matching the search and the mandated-topic filter, in every state.
    pub fn matching(&self) -> i64 {
        self.by_state.iter().map(|(_, n)| n).sum()
    }

    /// Cells the filter selects, its state included: the number of rows to paginate.
    pub fn selected(&self, filter: &Filter) -> i64 {
        match filter.state {
            None => self.matching(),
            Some(state) => self
                .by_state
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| *n),
        }
    }
}

/// One cell on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cell_id: OrgId,
    pub cell_name: String,
    /// The unit directly above, which tells apart cells of the same name in a deep tree.
    pub parent_id: Option<OrgId>,
    pub parent_name: Option<String>,
    pub plan_id: Option<PlanId>,
    pub state: CellState,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Topics in quarters I–IV: the topic's quarter, or that of its session date.
    pub quarters: [i64; 4],
    /// Steps not done whose deadline has passed.
    pub overdue: i64,
    /// The plan's topics that fall in a quarter, with their sessions, in the order of their ids.
    pub topics: Vec<TopicFigures>,
}

/// A topic of an issued directive plan of the committee or of a committee above it, with how
/// many cells of the subtree included it in their plan for the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandatedTopic {
    pub topic_id: TopicId,
    pub title: String,
    pub deadline_text: Option<String>,
    pub plan_id: PlanId,
    pub issuer_id: OrgId,
    pub issuer_name: String,
    pub included: i64,
}

/// When steps count as overdue, as of `today`: an exact-day step once its day has passed, a
/// month step once its month has. Computed here and passed as parameters so that the SQL
/// compares plain dates on both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cutoffs {
    /// Exact-day steps due before this are overdue.
    day: NaiveDate,
    /// Month steps (stored as the month's first day) due before this are overdue.
    month: NaiveDate,
}

impl Cutoffs {
    fn as_of(today: NaiveDate) -> Self {
        Self {
            day: today,
            month: today.with_day(1).unwrap_or(today),
        }
    }
}

/// A query parameter, so that a statement assembled from optional conditions can bind its
/// values in order on either backend.
#[derive(Debug, Clone)]
enum Param {
    Text(String),
    Int(i64),
    Date(NaiveDate),
}

/// SQL text under construction with its numbered parameters.
#[derive(Default)]
struct Params(Vec<Param>);

impl Params {
    /// Adds a value and returns its placeholder (`$n`).
    fn push(&mut self, value: Param) -> String {
        self.0.push(value);
        format!("${}", self.0.len())
    }
}

macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in &$params.0 {
            query = match param {
                Param::Text(text) => query.bind(text.as_str()),
                Param::Int(n) => query.bind(*n),
                Param::Date(date) => query.bind(*date),
            };
        }
        query
    }};
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Sqlite,
    Postgres,
}

fn dialect(db: &Db) -> Dialect {
    match db {
        Db::Sqlite(_) => Dialect::Sqlite,
        Db::Postgres(_) => Dialect::Postgres,
    }
}

/// Conditions on a cell `o` (with its plan for the year `p`, LEFT JOINed) beyond the subtree:
/// the name search, the mandated-topic filter and the quarter without a session. `None` when
/// there are none.
fn selection(dialect: Dialect, filter: &Filter, params: &mut Params) -> Option<String> {
    let mut conditions = Vec::new();
    if !filter.search.is_empty() {
        // On the stored search key (migration 0012), whatever the case and the diacritics:
        // "dinh an" finds "Định An" on both databases, without a function call per row.
        let pattern = params.push(Param::Text(search_pattern(&filter.search)));
        conditions.push(format!("o.name_key LIKE {pattern} ESCAPE '\\'"));
    }
    if let Some(mandated) = filter.mandated {
        let topic = params.push(Param::Int(mandated.topic.get()));
        let not = if mandated.included { "" } else { "NOT " };
        conditions.push(format!(
            "{not}EXISTS (SELECT 1 FROM topics ct WHERE ct.plan_id = p.id \
             AND ct.mandated_topic_id = {topic})"
        ));
    }
    if let Some(quarter) = filter.unheld {
        let quarter = params.push(Param::Int(i64::from(quarter.get())));
        conditions.push(holding::none_held_in(dialect, &quarter));
    }
    (!conditions.is_empty()).then(|| conditions.join(" AND "))
}

/// `FROM … WHERE …` over the subtree's cells, each with its plan for the year (or none) and
/// any further `joins`.
fn cells_from(committee: &Org, year: Year, params: &mut Params, joins: &str) -> String {
    let (lo, hi) = committee.path.subtree_range();
    let lo = params.push(Param::Text(lo));
    let hi = params.push(Param::Text(hi));
    let year = params.push(Param::Int(i64::from(year.get())));
    format!(
        "FROM orgs o LEFT JOIN plans p ON p.org_id = o.id AND p.year = {year} {joins} \
         WHERE o.kind = 'cell' AND o.path >= {lo} AND o.path < {hi}"
    )
}

fn parse_state(code: &str) -> sqlx::Result<CellState> {
    CellState::parse(code).ok_or_else(|| corrupt("plan status"))
}

/// The totals of the subtree: every cell, and per state the cells that match the search and
/// the mandated-topic filter. One grouped query.
pub async fn totals(db: &Db, committee: &Org, filter: &Filter) -> sqlx::Result<Totals> {
    if filter.search.is_empty() {
        return plan_totals(db, committee, filter).await;
    }
    // With a search, only the matching cells are joined to their plans (and to the plans'
    // held quarters: one grouped subquery from the closed minutes of the year); every cell of
    // the subtree is counted apart, from the index of paths.
    let dialect = dialect(db);
    let mut params = Params::default();
    let year = params.push(Param::Int(i64::from(filter.year.get())));
    let held = holding::held_by_plan(dialect, &year);
    let from = cells_from(
        committee,
        filter.year,
        &mut params,
        &format!("LEFT JOIN {held} h ON h.plan_id = p.id"),
    );
    let condition = selection(dialect, filter, &mut params).unwrap_or_else(|| "TRUE".into());
    let held_in = |n: u8| format!("SUM(CASE WHEN h.h{n} = 1 THEN 1 ELSE 0 END)");
    let sql = format!(
        "SELECT COALESCE(p.status, 'none') AS state, COUNT(*) AS counted, COUNT(*) AS matching, \
           {} AS held1, {} AS held2, {} AS held3, {} AS held4 \
         {from} AND {condition} GROUP BY COALESCE(p.status, 'none') {}",
        held_in(1),
        held_in(2),
        held_in(3),
        held_in(4),
        every_cell(committee, &mut params),
    );
    let rows: Vec<TotalsRecord> = on_pool!(db, pool =>
        bind_params!(sqlx::query_as(&sql).persistent(false), params).fetch_all(pool).await)?;
    Ok(totals_of(rows).0)
}

/// [`totals`] without a name search, when every condition is on the plan: the subtree's plans
/// of the year are counted from their own rows (`plans.cell_path`, migration 0017: an
/// index-only range scan) and the cells from a count of the subtree's paths, in one statement;
/// the cells without a plan are the difference. Joining every cell to its plan instead cost
/// ~200 ms at the root of a 300,000-cell tree.
async fn plan_totals(db: &Db, committee: &Org, filter: &Filter) -> sqlx::Result<Totals> {
    let dialect = dialect(db);
    let mut params = Params::default();
    let year = params.push(Param::Int(i64::from(filter.year.get())));
    let held = holding::held_by_plan(dialect, &year);
    let (lo, hi) = committee.path.subtree_range();
    let lo = params.push(Param::Text(lo));
    let hi = params.push(Param::Text(hi));
    let condition = selection(dialect, filter, &mut params);
    let when = |extra: &str| match (&condition, extra) {
        (Some(c), "") => format!("SUM(CASE WHEN {c} THEN 1 ELSE 0 END)"),
        (Some(c), e) => format!("SUM(CASE WHEN {c} AND {e} THEN 1 ELSE 0 END)"),
        (None, "") => "COUNT(*)".into(),
        (None, e) => format!("SUM(CASE WHEN {e} THEN 1 ELSE 0 END)"),
    };
    let sql = format!(
        "SELECT p.status AS state, COUNT(*) AS counted, {} AS matching, \
           {} AS held1, {} AS held2, {} AS held3, {} AS held4 \
         FROM plans p LEFT JOIN {held} h ON h.plan_id = p.id \
         WHERE p.year = {year} AND p.cell_path >= {lo} AND p.cell_path < {hi} \
         GROUP BY p.status {}",
        when(""),
        when("h.h1 = 1"),
        when("h.h2 = 1"),
        when("h.h3 = 1"),
        when("h.h4 = 1"),
        every_cell(committee, &mut params),
    );
    let rows: Vec<TotalsRecord> = on_pool!(db, pool =>
        bind_params!(sqlx::query_as(&sql).persistent(false), params).fetch_all(pool).await)?;
    let (mut totals, plans) = totals_of(rows);
    // A cell without a plan fails only the filter "included the mandated topic": not taking a
    // topic in, and holding no session, are true of it.
    let none_match = !filter.mandated.is_some_and(|m| m.included);
    if none_match
        && let Some(entry) = totals
            .by_state
            .iter_mut()
            .find(|(s, _)| *s == CellState::None)
    {
        entry.1 = totals.cells - plans;
    }
    Ok(totals)
}

/// A grouped row of the totals' statements: the state's code, the rows counted, those matching
/// the filter, and those with a session held in each quarter; the state "" is [`every_cell`].
type TotalsRecord = (
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// `UNION ALL` the row of every cell of the subtree (state "", its count in `counted`), from the
/// index of the cells' paths.
fn every_cell(committee: &Org, params: &mut Params) -> String {
    let (lo, hi) = committee.path.subtree_range();
    let lo = params.push(Param::Text(lo));
    let hi = params.push(Param::Text(hi));
    format!(
        "UNION ALL SELECT '', (SELECT COUNT(*) FROM orgs o WHERE o.kind = 'cell' \
           AND o.path >= {lo} AND o.path < {hi}), 0, 0, 0, 0, 0"
    )
}

/// The totals from the records of a totals statement, and the sum of the rows counted in the
/// states (every cell's row aside).
fn totals_of(rows: Vec<TotalsRecord>) -> (Totals, i64) {
    let mut totals = Totals {
        cells: 0,
        by_state: CellState::ALL.iter().map(|s| (*s, 0)).collect(),
        held: [0; 4],
    };
    let mut counted = 0;
    for (code, count, matching, h1, h2, h3, h4) in rows {
        if code.is_empty() {
            totals.cells = count;
            continue;
        }
        counted += count;
        for (sum, n) in totals.held.iter_mut().zip([h1, h2, h3, h4]) {
            *sum += n.unwrap_or(0);
        }
        // A committee's plan status ("issued") on a cell would be a hand-edited row: it is
        // counted among the cells but in no state.
        if let Some(entry) = totals.by_state.iter_mut().find(|(s, _)| s.as_str() == code) {
            entry.1 += matching.unwrap_or(0);
        }
    }
    (totals, counted)
}

#[derive(sqlx::FromRow)]
struct RowRecord {
    cell_id: OrgId,
    cell_name: String,
    parent_id: Option<OrgId>,
    parent_name: Option<String>,
    plan_id: Option<PlanId>,
    status: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    q1: i64,
    q2: i64,
    q3: i64,
    q4: i64,
    overdue: i64,
    #[sqlx(flatten)]
    topic: holding::TopicRecord,
}

impl TryFrom<RowRecord> for Row {
    type Error = sqlx::Error;

    fn try_from(r: RowRecord) -> sqlx::Result<Row> {
        let topics = r.topic.figures()?.into_iter().collect();
        Ok(Row {
            cell_id: r.cell_id,
            cell_name: r.cell_name,
            parent_id: r.parent_id,
            parent_name: r.parent_name,
            plan_id: r.plan_id,
            state: match &r.status {
                None => CellState::None,
                Some(code) => parse_state(code)?,
            },
            submitted_at: r.submitted_at,
            quarters: [r.q1, r.q2, r.q3, r.q4],
            overdue: r.overdue,
            topics,
        })
    }
}

/// The records in order, one per topic of a cell's plan (one for a cell without topics),
/// gathered into one row per cell.
fn gather(records: Vec<RowRecord>) -> sqlx::Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    for record in records {
        match rows.last_mut() {
            Some(row) if row.cell_id == record.cell_id => {
                row.topics.extend(record.topic.figures()?);
            }
            _ => rows.push(Row::try_from(record)?),
        }
    }
    Ok(rows)
}

/// The cells `filter` selects, by name then id, `limit` of them from `offset`; overdue steps
/// as of `today`. One query: the page of cells first, then the topics and steps of the
/// page's plans only, grouped per plan.
pub async fn rows(
    db: &Db,
    committee: &Org,
    filter: &Filter,
    today: NaiveDate,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Row>> {
    let (sql, params) = rows_query(dialect(db), committee, filter, today, limit, offset);
    let records: Vec<RowRecord> = on_pool!(db, pool =>
        bind_params!(sqlx::query_as(&sql).persistent(false), params).fetch_all(pool).await)?;
    gather(records)
}

/// Every cell `filter` selects, for an export, as a stream: the rows come as the database
/// yields them, so memory stays flat whatever the size of the subtree. The query runs on a task
/// of its own that waits while the reader is behind; it stops when the reader goes away.
pub fn export(
    db: &Db,
    committee: &Org,
    filter: &Filter,
    today: NaiveDate,
) -> impl Stream<Item = sqlx::Result<Row>> + Send + 'static {
    let (sql, params) = rows_query(dialect(db), committee, filter, today, i64::MAX, 0);
    let (sender, receiver) = tokio::sync::mpsc::channel::<sqlx::Result<Row>>(EXPORT_BUFFER);
    let db = db.clone();
    tokio::spawn(async move {
        let outcome: sqlx::Result<()> = on_pool!(&db, pool => async {
            let mut records =
                bind_params!(sqlx::query_as::<_, RowRecord>(&sql).persistent(false), params)
                    .fetch(pool);
            let mut current: Option<Row> = None;
            while let Some(record) = records.try_next().await? {
                match current.as_mut() {
                    Some(row) if row.cell_id == record.cell_id => {
                        row.topics.extend(record.topic.figures()?);
                    }
                    _ => {
                        let next = Row::try_from(record)?;
                        if let Some(done) = current.replace(next)
                            && sender.send(Ok(done)).await.is_err()
                        {
                            return Ok(());
                        }
                    }
                }
            }
            if let Some(done) = current {
                let _ = sender.send(Ok(done)).await;
            }
            Ok(())
        }.await);
        if let Err(error) = outcome {
            let _ = sender.send(Err(error)).await;
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}

/// Rows an export reads ahead of its writer.
const EXPORT_BUFFER: usize = 256;

/// The statement of [`rows`] and its parameters.
fn rows_query(
    dialect: Dialect,
    committee: &Org,
    filter: &Filter,
    today: NaiveDate,
    limit: i64,
    offset: i64,
) -> (String, Params) {
    let mut params = Params::default();
    let mut page = format!(
        "SELECT o.id AS cell_id, o.name AS cell_name, o.parent_id, p.id AS plan_id, \
           p.status, p.submitted_at {}",
        cells_from(committee, filter.year, &mut params, "")
    );
    if let Some(condition) = selection(dialect, filter, &mut params) {
        page.push_str(&format!(" AND {condition}"));
    }
    match filter.state {
        None => {}
        Some(CellState::None) => page.push_str(" AND p.id IS NULL"),
        Some(CellState::Plan(status)) => {
            let status = params.push(Param::Text(status.as_str().into()));
            page.push_str(&format!(" AND p.status = {status}"));
        }
    }
    let limit = params.push(Param::Int(limit.max(0)));
    let offset = params.push(Param::Int(offset.max(0)));
    page.push_str(&format!(
        " ORDER BY o.name, o.id LIMIT {limit} OFFSET {offset}"
    ));
    let cutoffs = Cutoffs::as_of(today);
    let day = params.push(Param::Date(cutoffs.day));
    let month = params.push(Param::Date(cutoffs.month));
    let quarter = holding::quarter_of(dialect, "t");
    let topic_columns = holding::topic_columns(dialect);
    let topic_joins = holding::TOPIC_JOINS;
    // The page is MATERIALIZED so that it is computed once, not once per use below. The
    // figures are one grouped join from the page's plans to their topics and overdue steps
    // (topics counted DISTINCT, since each repeats once per overdue step). Grouping on the
    // page's plan ids, rather than a join per figure, keeps PostgreSQL's row estimates near
    // the truth: two joins of grouped subqueries made it expect millions of rows for an export
    // of 5,000 and spend a second compiling the query (JIT) to run it. The sessions' figures
    // come last, one row per topic of the page's plans (see `holding`), gathered per cell.
    let sql = format!(
        "WITH page AS MATERIALIZED ({page}), \
         figures AS ( \
           SELECT page.plan_id, \
             COUNT(DISTINCT CASE WHEN {quarter} = 1 THEN t.id END) AS q1, \
             COUNT(DISTINCT CASE WHEN {quarter} = 2 THEN t.id END) AS q2, \
             COUNT(DISTINCT CASE WHEN {quarter} = 3 THEN t.id END) AS q3, \
             COUNT(DISTINCT CASE WHEN {quarter} = 4 THEN t.id END) AS q4, \
             COUNT(s.id) AS overdue \
           FROM page \
           JOIN topics t ON t.plan_id = page.plan_id \
           LEFT JOIN steps s ON s.topic_id = t.id \
             AND s.done_on IS NULL AND s.due_on IS NOT NULL \
             AND ((s.due_exact AND s.due_on < {day}) OR (NOT s.due_exact AND s.due_on < {month})) \
           GROUP BY page.plan_id) \
         SELECT page.cell_id, page.cell_name, page.parent_id, parent.name AS parent_name, \
           page.plan_id, page.status, page.submitted_at, \
           COALESCE(figures.q1, 0) AS q1, COALESCE(figures.q2, 0) AS q2, \
           COALESCE(figures.q3, 0) AS q3, COALESCE(figures.q4, 0) AS q4, \
           COALESCE(figures.overdue, 0) AS overdue, {topic_columns} \
         FROM page \
         LEFT JOIN orgs parent ON parent.id = page.parent_id \
         LEFT JOIN figures ON figures.plan_id = page.plan_id \
         LEFT JOIN topics t ON t.plan_id = page.plan_id {topic_joins} \
         ORDER BY page.cell_name, page.cell_id, t.id"
    );
    (sql, params)
}

/// Every cell `filter` selects, for an export, all at once.
pub async fn all_rows(
    db: &Db,
    committee: &Org,
    filter: &Filter,
    today: NaiveDate,
) -> sqlx::Result<Vec<Row>> {
    rows(db, committee, filter, today, i64::MAX, 0).await
}

/// The topics of the issued directive plans for `year` of `committee` and of the committees
/// above it, the highest committee first, each with how many cells of `committee`'s subtree
/// pulled it into their own plan for that year.
///
/// Two queries at most: the topics (a few index lookups), then, if there are any, one pass
/// over the subtree's plans of the year (by their cells' paths) counting them all at once.
/// That pass is O(subtree) like the totals, whatever the number of topics or how many cells
/// elsewhere pulled them; it is written with a CROSS JOIN because SQLite keeps that order (the
/// plans by path, then their topics) where, without statistics, it would rather start from
/// every pulled topic; PostgreSQL treats it as a plain join and plans freely.
pub async fn mandated(db: &Db, committee: &Org, year: Year) -> sqlx::Result<Vec<MandatedTopic>> {
    let topics = mandated_topics(db, committee, year).await?;
    count_included(db, committee, year, topics).await
}

/// [`mandated`]'s second statement: how many cells of the subtree included each of `topics`
/// (from [`mandated_topics`]) in their plan for `year`. None when there are no topics.
pub async fn count_included(
    db: &Db,
    committee: &Org,
    year: Year,
    mut topics: Vec<MandatedTopic>,
) -> sqlx::Result<Vec<MandatedTopic>> {
    if topics.is_empty() {
        return Ok(topics);
    }
    let (lo, hi) = committee.path.subtree_range();
    // The subtree's cells' plans of the year by their own paths (migration 0017), then their
    // topics: no join to the cells. A cell has one plan a year and a plan takes a topic in once
    // (the unique index topics_mandated_once), so counting the topics counts the cells.
    let sql = format!(
        "SELECT ct.mandated_topic_id, COUNT(*) \
         FROM plans cp CROSS JOIN topics ct \
         WHERE cp.year = $3 AND cp.cell_path >= $1 AND cp.cell_path < $2 \
           AND ct.plan_id = cp.id AND ct.mandated_topic_id IN ({}) \
         GROUP BY ct.mandated_topic_id",
        placeholders(4, topics.len())
    );
    let counts: Vec<(TopicId, i64)> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql)
            .persistent(false)
            .bind(&lo)
            .bind(&hi)
            .bind(year.get());
        for topic in &topics {
            query = query.bind(topic.topic_id);
        }
        query.fetch_all(pool).await
    })?;
    for (topic_id, cells) in counts {
        if let Some(topic) = topics.iter_mut().find(|t| t.topic_id == topic_id) {
            topic.included = cells;
        }
    }
    Ok(topics)
}

/// The topics of [`mandated`] without their counts (`included` is 0), in one statement of a
/// few index lookups whatever the subtree: what an export needs to check its filter.
pub async fn mandated_topics(
    db: &Db,
    committee: &Org,
    year: Year,
) -> sqlx::Result<Vec<MandatedTopic>> {
    let issuers = committee.path.ids();
    if issuers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT mt.id, mt.title, mt.deadline_text, dp.id, issuer.id, issuer.name \
         FROM plans dp \
         JOIN orgs issuer ON issuer.id = dp.org_id \
         JOIN topics mt ON mt.plan_id = dp.id \
         WHERE dp.year = $1 AND dp.status = 'issued' AND issuer.kind = 'committee' \
           AND dp.org_id IN ({}) \
         ORDER BY LENGTH(issuer.path), dp.id, mt.position, mt.id",
        placeholders(2, issuers.len())
    );
    type Record = (TopicId, String, Option<String>, PlanId, OrgId, String);
    let records: Vec<Record> = on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(year.get());
        for id in &issuers {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    let topics: Vec<MandatedTopic> = records
        .into_iter()
        .map(
            |(topic_id, title, deadline_text, plan_id, issuer_id, issuer_name)| MandatedTopic {
                topic_id,
                title,
                deadline_text,
                plan_id,
                issuer_id,
                issuer_name,
                included: 0,
            },
        )
        .collect();
    Ok(topics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_exclude_issued() {
        for state in CellState::ALL {
            assert_eq!(CellState::parse(state.as_str()), Some(state));
        }
        assert_eq!(CellState::parse("issued"), None);
        assert_eq!(CellState::None.label(), "Chưa có kế hoạch");
    }

    #[test]
    fn cutoffs_are_today_and_the_first_of_the_month() {
        let today = NaiveDate::from_ymd_opt(2025, 5, 17).unwrap();
        let cutoffs = Cutoffs::as_of(today);
        assert_eq!(cutoffs.day, today);
        assert_eq!(cutoffs.month, NaiveDate::from_ymd_opt(2025, 5, 1).unwrap());
    }
}

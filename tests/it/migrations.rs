//! Both migration folders must describe the same history and the same schema.
//!
//! The schema test migrates a fresh SQLite database and a fresh PostgreSQL database, reads each
//! back from the database's own catalogue (not from the migration files) and compares: the
//! tables, each table's columns with their type, nullability, default and whether the database
//! generates the key, primary keys, unique constraints and indexes (by columns and partial-index
//! predicate), foreign keys (columns, target, ON DELETE / ON UPDATE) and CHECK constraints (by the
//! columns they read and the literals they name). Index and constraint names are not compared:
//! SQLite names a UNIQUE constraint `sqlite_autoindex_…`, PostgreSQL `…_key`.
//!
//! SQLite cannot add a CHECK to an existing table, so a later migration adds it there as a pair
//! of triggers, `BEFORE INSERT` and `BEFORE UPDATE` on the table, each `WHEN <violation> BEGIN
//! SELECT RAISE(ABORT, …); END`, where PostgreSQL has `ADD CONSTRAINT … CHECK (…) NOT VALID`.
//! Such a pair reads as the CHECK it stands for (the columns and literals of its WHEN); a
//! trigger of the kind without its partner reads as a CHECK that matches nothing, so it shows.
//!
//! Column types are compared by family:
//!
//! | family  | SQLite declared type                  | PostgreSQL type                      |
//! |---------|---------------------------------------|--------------------------------------|
//! | integer | INTEGER, INT, BIGINT, SMALLINT        | integer, bigint, smallint (identity) |
//! | text    | TEXT, VARCHAR(n), CHAR(n), CLOB       | text, character varying, character   |
//! | bool    | BOOLEAN, BOOL                         | boolean                              |
//! | bytes   | BLOB                                  | bytea                                |
//! | date    | DATE                                  | date                                 |
//! | instant | DATETIME, TIMESTAMP, and TEXT (below) | timestamp with time zone             |
//! | real    | REAL, DOUBLE, FLOAT                   | real, double precision               |
//!
//! SQLite has no time type: sqlx stores a `DateTime<Utc>` there as ISO 8601 TEXT, so a SQLite
//! TEXT column matches a PostgreSQL `timestamptz` (and a PostgreSQL `text`). Integer widths are
//! not compared (every SQLite integer is 64-bit); an `INTEGER PRIMARY KEY` (SQLite's rowid) and
//! an identity column both count as a key the database generates, and as NOT NULL.
//! `timestamp without time zone`, `numeric`, `json`… and unknown declared types have no family:
//! they only match the same name, so a new kind of column shows up here until it is mapped.

// Catalogue rows are read as tuples, named where they are taken apart.
#![allow(clippy::type_complexity)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sqlx::{PgPool, SqlitePool};

use crate::harness::{Backend, FreshDb};
use chuyende::db::Db;

fn versions(folder: &str) -> BTreeSet<String> {
    let path = format!("{}/migrations/{folder}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".sql"))
        .map(|name| name.split('_').next().unwrap().to_owned())
        .collect()
}

#[test]
fn both_migration_folders_list_the_same_versions() {
    let sqlite = versions("sqlite");
    let postgres = versions("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

/// Differences that are intended, each with its reason. Every one must still occur: when the
/// schemas come together, the entry goes.
const ACCEPTED: &[(&str, &str)] = &[(
    "sessions.expiry_date: type integer (INTEGER) on SQLite, instant (timestamp with time zone) \
     on PostgreSQL",
    "tower-sessions-sqlx-store reads and writes this column itself: its SqliteStore keeps Unix \
     seconds in an INTEGER, its PostgresStore a timestamptz",
)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_build_the_same_schema() {
    // The harness's databases, migrated and empty: PostgreSQL unreachable fails the test, as
    // everywhere else.
    let sqlite_db = FreshDb::migrated(Backend::Sqlite).await;
    let postgres_db = FreshDb::migrated(Backend::Postgres).await;
    let (Db::Sqlite(sqlite_pool), Db::Postgres(postgres_pool)) = (&sqlite_db.db, &postgres_db.db)
    else {
        panic!("the harness opened the wrong backends");
    };
    let sqlite = sqlite_schema(sqlite_pool).await;
    let postgres = postgres_schema(postgres_pool).await;
    let found = compare(&sqlite, &postgres);
    let unexpected: Vec<&String> = found
        .iter()
        .filter(|d| !ACCEPTED.iter().any(|(accepted, _)| accepted == d))
        .collect();
    let stale: Vec<&str> = ACCEPTED
        .iter()
        .map(|(accepted, _)| *accepted)
        .filter(|accepted| !found.iter().any(|d| d == accepted))
        .collect();
    let mut report = String::new();
    if !unexpected.is_empty() {
        report.push_str(
            "migrations/sqlite and migrations/postgres build different schemas \
             (add a migration to both folders to bring them together):\n",
        );
        for difference in &unexpected {
            report.push_str(&format!("  - {difference}\n"));
        }
    }
    if !stale.is_empty() {
        report.push_str("accepted differences that no longer occur (remove them from ACCEPTED):\n");
        for difference in &stale {
            report.push_str(&format!("  - {difference}\n"));
        }
    }
    assert!(report.is_empty(), "{report}");
    // Two empty readings would compare equal: each side must see what the migrations made.
    sqlite.assert_plausible("SQLite");
    postgres.assert_plausible("PostgreSQL");
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Family {
    Integer,
    Text,
    Bool,
    Bytes,
    Date,
    Instant,
    Real,
    /// No family: matches only the same type name.
    Other(String),
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Family::Integer => "integer",
            Family::Text => "text",
            Family::Bool => "bool",
            Family::Bytes => "bytes",
            Family::Date => "date",
            Family::Instant => "instant",
            Family::Real => "real",
            Family::Other(name) => name,
        };
        f.write_str(name)
    }
}

fn sqlite_family(declared: &str) -> Family {
    let base = declared
        .split('(')
        .next()
        .unwrap()
        .trim()
        .to_ascii_uppercase();
    match base.as_str() {
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" => Family::Integer,
        "TEXT" | "VARCHAR" | "CHAR" | "CLOB" => Family::Text,
        "BOOLEAN" | "BOOL" => Family::Bool,
        "BLOB" => Family::Bytes,
        "DATE" => Family::Date,
        "DATETIME" | "TIMESTAMP" => Family::Instant,
        "REAL" | "DOUBLE" | "FLOAT" => Family::Real,
        _ => Family::Other(declared.to_ascii_lowercase()),
    }
}

fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "integer" | "bigint" | "smallint" => Family::Integer,
        "text" | "character varying" | "character" => Family::Text,
        "boolean" => Family::Bool,
        "bytea" => Family::Bytes,
        "date" => Family::Date,
        "timestamp with time zone" => Family::Instant,
        "real" | "double precision" => Family::Real,
        other => Family::Other(other.to_owned()),
    }
}

/// Whether a SQLite column of family `sqlite` holds what a PostgreSQL column of `postgres` does.
fn same_family(sqlite: &Family, postgres: &Family) -> bool {
    sqlite == postgres || (*sqlite == Family::Text && *postgres == Family::Instant)
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    family: Family,
    /// The type as the database names it, for messages.
    declared: String,
    nullable: bool,
    /// Normalised: lower case outside quotes, without casts and outer parentheses.
    default: Option<String>,
    /// SQLite's `INTEGER PRIMARY KEY` (the rowid), PostgreSQL's identity or serial.
    generated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    /// A partial index's WHERE, normalised.
    predicate: Option<String>,
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.unique { "unique index" } else { "index" };
        write!(f, "{kind} ({})", self.columns.join(", "))?;
        if let Some(predicate) = &self.predicate {
            write!(f, " WHERE {predicate}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    target: Vec<String>,
    on_delete: String,
    on_update: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "foreign key ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
            self.columns.join(", "),
            self.table,
            self.target.join(", "),
            self.on_delete,
            self.on_update
        )
    }
}

/// A CHECK constraint as both databases can show it: PostgreSQL rewrites `kind IN ('a', 'b')`
/// to `kind = ANY (ARRAY['a'::text, 'b'::text])` and `q BETWEEN 1 AND 4` to `q >= 1 AND q <= 4`,
/// but the columns read and the literals named stay.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Check {
    columns: BTreeSet<String>,
    literals: BTreeSet<String>,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let literals: Vec<&str> = self.literals.iter().map(String::as_str).collect();
        write!(
            f,
            "CHECK on ({}) naming [{}]",
            columns.join(", "),
            literals.join(", ")
        )
    }
}

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    /// Sorted; primary-key indexes left out. A UNIQUE constraint is a unique index.
    indexes: Vec<Index>,
    foreign_keys: Vec<ForeignKey>,
    checks: Vec<Check>,
}

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
}

impl Schema {
    /// What the migrations certainly make, counted over the whole schema, so that a reading that
    /// misses a kind of thing (a query returning nothing) cannot pass for agreement.
    #[track_caller]
    fn assert_plausible(&self, backend: &str) {
        let tables = self.tables.values();
        let columns: Vec<&Column> = tables.clone().flat_map(|t| t.columns.values()).collect();
        let indexes: Vec<&Index> = tables.clone().flat_map(|t| &t.indexes).collect();
        let keys: Vec<&ForeignKey> = tables.clone().flat_map(|t| &t.foreign_keys).collect();
        let checks: Vec<&Check> = tables.clone().flat_map(|t| &t.checks).collect();
        let facts = [
            ("20 tables", self.tables.len() >= 20),
            (
                "no _sqlx_migrations",
                !self.tables.contains_key("_sqlx_migrations"),
            ),
            (
                "a column of each family",
                [
                    Family::Integer,
                    Family::Text,
                    Family::Bool,
                    Family::Bytes,
                    Family::Date,
                ]
                .iter()
                .all(|f| columns.iter().any(|c| c.family == *f)),
            ),
            (
                "nullable and NOT NULL columns",
                columns.iter().any(|c| c.nullable) && columns.iter().any(|c| !c.nullable),
            ),
            ("defaults", columns.iter().any(|c| c.default.is_some())),
            ("generated keys", columns.iter().any(|c| c.generated)),
            (
                "single and composite primary keys",
                tables.clone().any(|t| t.primary_key.len() == 1)
                    && tables.clone().any(|t| t.primary_key.len() > 1),
            ),
            (
                "plain, unique and partial indexes",
                indexes.iter().any(|i| !i.unique)
                    && indexes.iter().any(|i| i.unique)
                    && indexes.iter().any(|i| i.predicate.is_some()),
            ),
            (
                "foreign keys with ON DELETE CASCADE",
                keys.iter().any(|k| k.on_delete == "CASCADE"),
            ),
            (
                "5 CHECKs reading a column and naming literals",
                checks
                    .iter()
                    .filter(|c| !c.columns.is_empty() && !c.literals.is_empty())
                    .count()
                    >= 5,
            ),
        ];
        let missing: Vec<&str> = facts
            .iter()
            .filter(|(_, seen)| !seen)
            .map(|(fact, _)| *fact)
            .collect();
        assert!(
            missing.is_empty(),
            "the {backend} reading of the schema lacks {missing:?}: is its introspection broken? \
             Tables read: {:?}",
            self.tables.keys()
        );
    }
}

/// Every difference between the two readings, one readable line each.
fn compare(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for name in sqlite.tables.keys() {
        if !postgres.tables.contains_key(name) {
            out.push(format!("table {name}: only on SQLite"));
        }
    }
    for name in postgres.tables.keys() {
        if !sqlite.tables.contains_key(name) {
            out.push(format!("table {name}: only on PostgreSQL"));
        }
    }
    for (name, s) in &sqlite.tables {
        let Some(p) = postgres.tables.get(name) else {
            continue;
        };
        compare_columns(name, s, p, &mut out);
        if s.primary_key != p.primary_key {
            out.push(format!(
                "{name}: primary key ({}) on SQLite, ({}) on PostgreSQL",
                s.primary_key.join(", "),
                p.primary_key.join(", ")
            ));
        }
        compare_lists(name, &s.indexes, &p.indexes, &mut out);
        compare_lists(name, &s.foreign_keys, &p.foreign_keys, &mut out);
        if s.checks.len() != p.checks.len() {
            out.push(format!(
                "{name}: {} CHECK constraints on SQLite, {} on PostgreSQL",
                s.checks.len(),
                p.checks.len()
            ));
        }
        compare_lists(name, &s.checks, &p.checks, &mut out);
    }
    out
}

fn compare_columns(table: &str, s: &Table, p: &Table, out: &mut Vec<String>) {
    for name in s.columns.keys() {
        if !p.columns.contains_key(name) {
            out.push(format!("{table}.{name}: column only on SQLite"));
        }
    }
    for name in p.columns.keys() {
        if !s.columns.contains_key(name) {
            out.push(format!("{table}.{name}: column only on PostgreSQL"));
        }
    }
    for (name, sc) in &s.columns {
        let Some(pc) = p.columns.get(name) else {
            continue;
        };
        if !same_family(&sc.family, &pc.family) {
            out.push(format!(
                "{table}.{name}: type {} ({}) on SQLite, {} ({}) on PostgreSQL",
                sc.family, sc.declared, pc.family, pc.declared
            ));
        }
        if sc.nullable != pc.nullable {
            let says = |nullable| if nullable { "nullable" } else { "NOT NULL" };
            out.push(format!(
                "{table}.{name}: {} on SQLite, {} on PostgreSQL",
                says(sc.nullable),
                says(pc.nullable)
            ));
        }
        if sc.default != pc.default {
            let says = |d: &Option<String>| {
                d.as_ref()
                    .map_or_else(|| "no default".into(), |d| format!("default {d}"))
            };
            out.push(format!(
                "{table}.{name}: {} on SQLite, {} on PostgreSQL",
                says(&sc.default),
                says(&pc.default)
            ));
        }
        if sc.generated != pc.generated {
            let says = |g| {
                if g {
                    "generated by the database"
                } else {
                    "not generated"
                }
            };
            out.push(format!(
                "{table}.{name}: {} on SQLite, {} on PostgreSQL",
                says(sc.generated),
                says(pc.generated)
            ));
        }
    }
}

/// The items of two sorted lists that the other lacks, counting repeats.
fn compare_lists<T: Ord + fmt::Display>(table: &str, s: &[T], p: &[T], out: &mut Vec<String>) {
    let (mut i, mut j) = (0, 0);
    while i < s.len() || j < p.len() {
        match (s.get(i), p.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a > b => {
                out.push(format!("{table}: {b} only on PostgreSQL"));
                j += 1;
            }
            (Some(a), _) => {
                out.push(format!("{table}: {a} only on SQLite"));
                i += 1;
            }
            (None, Some(b)) => {
                out.push(format!("{table}: {b} only on PostgreSQL"));
                j += 1;
            }
            (None, None) => unreachable!(),
        }
    }
}

/// SQL text as tokens: comments dropped, quotes kept on string literals and removed from quoted
/// identifiers, words lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Literal(String),
    Punct(char),
}

fn tokens(sql: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\'' => {
                let mut literal = String::from('\'');
                while let Some(c) = chars.next() {
                    literal.push(c);
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            literal.push(chars.next().unwrap());
                        } else {
                            break;
                        }
                    }
                }
                out.push(Token::Literal(literal));
            }
            // Quoted identifiers (not SQLite's `[name]`: PostgreSQL prints `ARRAY['a', 'b']`).
            '"' | '`' => {
                let word: String = chars.by_ref().take_while(|&q| q != c).collect();
                out.push(Token::Word(word.to_lowercase()));
            }
            c if c.is_ascii_digit() => {
                let mut number = String::from(c);
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_digit() || c == '.' {
                        number.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Literal(number));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&c) = chars.peek() {
                    if c.is_alphanumeric() || c == '_' || c == '$' {
                        word.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word.to_lowercase()));
            }
            c => out.push(Token::Punct(c)),
        }
    }
    out
}

/// The CHECK expressions of a `CREATE TABLE` statement (column and table constraints).
fn checks_in_create_table(sql: &str) -> Vec<Vec<Token>> {
    let tokens = tokens(sql);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == Token::Word("check".into()) && tokens.get(i + 1) == Some(&Token::Punct('('))
        {
            let mut depth = 0;
            let mut expression = Vec::new();
            for token in &tokens[i + 1..] {
                i += 1;
                match token {
                    Token::Punct('(') => depth += 1,
                    Token::Punct(')') => depth -= 1,
                    _ => {}
                }
                expression.push(token.clone());
                if depth == 0 {
                    break;
                }
            }
            out.push(expression);
        }
        i += 1;
    }
    out
}

/// The CHECKs that pairs of `BEFORE INSERT` / `BEFORE UPDATE … WHEN … RAISE(ABORT, …)` triggers
/// on `table` stand for (see the module's comment).
async fn checks_in_triggers(
    pool: &SqlitePool,
    table: &str,
    columns: &BTreeMap<String, Column>,
) -> Vec<Check> {
    let triggers: Vec<(String,)> =
        sqlx::query_as("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1")
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
    let mut events: BTreeMap<Check, BTreeSet<String>> = BTreeMap::new();
    for (sql,) in triggers {
        let tokens = tokens(&sql);
        let word = |w: &str| Token::Word(w.into());
        let Some(before) = tokens.iter().position(|t| *t == word("before")) else {
            continue;
        };
        let (Some(when), Some(begin)) = (
            tokens.iter().position(|t| *t == word("when")),
            tokens.iter().position(|t| *t == word("begin")),
        ) else {
            continue;
        };
        let raises = tokens[begin..]
            .windows(3)
            .any(|w| w[0] == word("raise") && w[2] == word("abort"));
        let Some(Token::Word(event)) = tokens.get(before + 1) else {
            continue;
        };
        if !raises || when > begin || !["insert", "update"].contains(&event.as_str()) {
            continue;
        }
        let check = check_of(&tokens[when + 1..begin], columns);
        events.entry(check).or_default().insert(event.clone());
    }
    events
        .into_iter()
        .map(|(mut check, events)| {
            if events.len() < 2 {
                let only: Vec<&str> = events.iter().map(String::as_str).collect();
                check
                    .literals
                    .insert(format!("<trigger on {} only>", only.join("")));
            }
            check
        })
        .collect()
}

fn check_of(expression: &[Token], columns: &BTreeMap<String, Column>) -> Check {
    let mut check = Check {
        columns: BTreeSet::new(),
        literals: BTreeSet::new(),
    };
    for token in without_casts(expression) {
        match token {
            Token::Word(word) if columns.contains_key(&word) => {
                check.columns.insert(word);
            }
            Token::Literal(literal) => {
                check.literals.insert(literal);
            }
            _ => {}
        }
    }
    check
}

/// The tokens without `::type` casts, which PostgreSQL adds when it prints an expression.
fn without_casts(expression: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut tokens = expression.iter().peekable();
    while let Some(token) = tokens.next() {
        if *token == Token::Punct(':') && tokens.peek() == Some(&&Token::Punct(':')) {
            tokens.next();
            // The type's name: a word, and the rest of `character varying`, `double precision`,
            // `timestamp with time zone`.
            tokens.next();
            while let Some(Token::Word(word)) = tokens.peek() {
                if ["varying", "precision", "with", "without", "time", "zone"]
                    .contains(&word.as_str())
                {
                    tokens.next();
                } else {
                    break;
                }
            }
        } else {
            out.push(token.clone());
        }
    }
    out
}

/// An expression in one spelling: words and literals separated by spaces, without parentheses
/// (PostgreSQL adds them freely) and without casts.
fn normalise(expression: &[Token]) -> String {
    let mut parts = Vec::new();
    for token in without_casts(expression) {
        match token {
            Token::Punct('(' | ')') => {}
            Token::Word(word) | Token::Literal(word) => parts.push(word),
            Token::Punct(c) => parts.push(c.to_string()),
        }
    }
    parts.join(" ")
}

fn normalise_default(raw: Option<&str>, family: &Family) -> Option<String> {
    let normal = normalise(&tokens(raw?));
    Some(match (family, normal.as_str()) {
        (Family::Bool, "1") => "true".into(),
        (Family::Bool, "0") => "false".into(),
        _ => normal,
    })
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, sql) in tables {
        let mut table = Table::default();
        let without_rowid = normalise(&tokens(&sql)).ends_with("without rowid");
        let columns: Vec<(String, String, i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.clone()))
            .collect();
        key.sort();
        table.primary_key = key.into_iter().map(|(_, column)| column).collect();
        for (column, declared, not_null, default, pk) in columns {
            // Only a lone INTEGER PRIMARY KEY is the rowid; other key columns may hold NULL on
            // SQLite unless declared NOT NULL.
            let rowid = pk == 1
                && table.primary_key.len() == 1
                && declared.eq_ignore_ascii_case("INTEGER")
                && !without_rowid;
            let family = sqlite_family(&declared);
            table.columns.insert(
                column.to_lowercase(),
                Column {
                    default: normalise_default(default.as_deref(), &family),
                    family,
                    declared,
                    nullable: not_null == 0 && !rowid,
                    generated: rowid,
                },
            );
        }

        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(Option<String>,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let predicate = if partial == 1 {
                let (sql,): (String,) = sqlx::query_as(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                )
                .bind(&index)
                .fetch_one(pool)
                .await
                .unwrap();
                let tokens = tokens(&sql);
                let at = tokens
                    .iter()
                    .rposition(|t| *t == Token::Word("where".into()))
                    .expect("a partial index has a WHERE");
                Some(normalise(&tokens[at + 1..]))
            } else {
                None
            };
            table.indexes.push(Index {
                columns: columns
                    .into_iter()
                    .map(|(c,)| c.map_or_else(|| "<expression>".into(), |c| c.to_lowercase()))
                    .collect(),
                unique: unique == 1,
                predicate,
            });
        }
        table.indexes.sort();

        let keys: Vec<(i64, String, String, Option<String>, String, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_delete, on_update \
             FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, target_table, from, to, on_delete, on_update) in keys {
            let key = by_id.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: target_table.to_lowercase(),
                target: Vec::new(),
                on_delete,
                on_update,
            });
            key.columns.push(from.to_lowercase());
            // No target column: the target's primary key, filled in below.
            key.target.extend(to.map(|to| to.to_lowercase()));
        }
        table.foreign_keys = by_id.into_values().collect();

        table.checks = checks_in_create_table(&sql)
            .iter()
            .map(|expression| check_of(expression, &table.columns))
            .collect();
        table
            .checks
            .extend(checks_in_triggers(pool, &name, &table.columns).await);
        table.checks.sort();
        schema.tables.insert(name.to_lowercase(), table);
    }
    // REFERENCES t without columns names t's primary key.
    let keys: BTreeMap<String, Vec<String>> = schema
        .tables
        .iter()
        .map(|(name, table)| (name.clone(), table.primary_key.clone()))
        .collect();
    for table in schema.tables.values_mut() {
        for key in &mut table.foreign_keys {
            if key.target.is_empty() {
                key.target = keys.get(&key.table).cloned().unwrap_or_default();
            }
        }
        table.foreign_keys.sort();
    }
    schema
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name,) in tables {
        schema.tables.insert(name, Table::default());
    }

    let columns: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, \
         column_default::text, is_identity::text \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column, data_type, nullable, default, identity) in columns {
        let Some(table) = schema.tables.get_mut(&table) else {
            continue;
        };
        let serial = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        let family = postgres_family(&data_type);
        table.columns.insert(
            column,
            Column {
                default: if serial {
                    None
                } else {
                    normalise_default(default.as_deref(), &family)
                },
                family,
                declared: data_type,
                nullable: nullable == "YES",
                generated: identity == "YES" || serial,
            },
        );
    }

    let constraints: Vec<(
        String,
        String,
        Vec<String>,
        Option<String>,
        Vec<String>,
        String,
        String,
        String,
    )> = sqlx::query_as(
        "SELECT r.relname::text, c.contype::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
                 ORDER BY k.ord), \
           f.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum \
                 ORDER BY k.ord), \
           c.confdeltype::text, c.confupdtype::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c \
         JOIN pg_class r ON r.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = r.relnamespace \
         LEFT JOIN pg_class f ON f.oid = c.confrelid \
         WHERE n.nspname = current_schema() AND c.contype IN ('p', 'f', 'c')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let action = |code: &str| {
        match code {
            "a" => "NO ACTION",
            "r" => "RESTRICT",
            "c" => "CASCADE",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            other => panic!("unknown foreign key action {other:?}"),
        }
        .to_owned()
    };
    for (table, kind, columns, target_table, target, on_delete, on_update, definition) in
        constraints
    {
        let Some(table) = schema.tables.get_mut(&table) else {
            continue;
        };
        match kind.as_str() {
            "p" => table.primary_key = columns,
            "f" => table.foreign_keys.push(ForeignKey {
                columns,
                table: target_table.expect("a foreign key's table"),
                target,
                on_delete: action(&on_delete),
                on_update: action(&on_update),
            }),
            _ => {
                let check = check_of(&tokens(&definition), &table.columns);
                table.checks.push(check);
            }
        }
    }

    let indexes: Vec<(String, bool, bool, Vec<String>, Option<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.indisunique, i.indisprimary, \
           ARRAY(SELECT COALESCE(a.attname::text, '<expression>') \
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
                 WHERE k.ord <= i.indnkeyatts ORDER BY k.ord), \
           pg_get_expr(i.indpred, i.indrelid) \
         FROM pg_index i \
         JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, unique, primary, columns, predicate) in indexes {
        let Some(table) = schema.tables.get_mut(&table) else {
            continue;
        };
        if primary {
            continue;
        }
        table.indexes.push(Index {
            columns,
            unique,
            predicate: predicate.map(|p| normalise(&tokens(&p))),
        });
    }
    for table in schema.tables.values_mut() {
        table.indexes.sort();
        table.foreign_keys.sort();
        table.checks.sort();
    }
    schema
}

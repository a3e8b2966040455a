//! Reading an aggregate whole in one statement: its lists come back as JSON arrays built by the
//! database (one correlated subquery per list), parsed here with serde.
//!
//! The two dialects agree on everything but the names of the JSON functions, so such a
//! statement is written once in PostgreSQL's words (`json_agg(… ORDER BY …)`,
//! `json_build_object(…)`) and [`JsonSql`] also keeps its SQLite spelling (`json_group_array`,
//! `json_object`; SQLite ≥ 3.44 takes the same `ORDER BY` inside an aggregate). Each array is
//! cast to TEXT. Over no rows PostgreSQL's aggregate gives NULL, SQLite's `[]`: both read as an
//! empty list. Booleans are `true`/`false` in PostgreSQL's JSON and `1`/`0` in SQLite's:
//! [`flag`] reads both.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};

use super::{Db, Tx, corrupt};

/// One statement in both spellings.
pub(crate) struct JsonSql {
    postgres: String,
    sqlite: String,
}

impl JsonSql {
    /// `sql` as written for PostgreSQL, and its SQLite translation.
    pub(crate) fn new(sql: String) -> Self {
        let sqlite = sql
            .replace("json_agg(", "json_group_array(")
            .replace("json_build_object(", "json_object(");
        Self {
            postgres: sql,
            sqlite,
        }
    }

    pub(crate) fn on(&self, db: &Db) -> &str {
        match db {
            Db::Sqlite(_) => &self.sqlite,
            Db::Postgres(_) => &self.postgres,
        }
    }

    pub(crate) fn in_tx(&self, tx: &Tx) -> &str {
        match tx {
            Tx::Sqlite(_) => &self.sqlite,
            Tx::Postgres(_) => &self.postgres,
        }
    }
}

/// A JSON array column (NULL for no rows) as its items.
pub(crate) fn list<T: DeserializeOwned>(text: Option<&str>, what: &str) -> sqlx::Result<Vec<T>> {
    match text {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(text).map_err(|_| corrupt(what)),
    }
}

/// A boolean as either database writes it into JSON.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    match Flag::deserialize(deserializer)? {
        Flag::Bool(value) => Ok(value),
        Flag::Int(0) => Ok(false),
        Flag::Int(1) => Ok(true),
        Flag::Int(other) => Err(D::Error::custom(format!("not a boolean: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Row {
        #[serde(deserialize_with = "flag")]
        on: bool,
    }

    #[test]
    fn booleans_read_from_either_dialect() {
        let rows: Vec<Row> = list(Some(r#"[{"on":true},{"on":0},{"on":1}]"#), "row").unwrap();
        let values: Vec<bool> = rows.iter().map(|r| r.on).collect();
        assert_eq!(values, [true, false, true]);
        assert!(list::<Row>(Some(r#"[{"on":2}]"#), "row").is_err());
        assert!(list::<Row>(None, "row").unwrap().is_empty());
    }

    #[test]
    fn sqlite_spelling_renames_only_the_functions() {
        let sql =
            JsonSql::new("SELECT json_agg(json_build_object('a', x) ORDER BY x) FROM t".into());
        assert_eq!(
            sql.sqlite,
            "SELECT json_group_array(json_object('a', x) ORDER BY x) FROM t"
        );
    }
}

//! The party tree.

use chrono::Utc;

use super::{BeginWrite, Db, Tx, audit, corrupt, on_pool, on_tx, placeholders};
use crate::domain::org::{Org, OrgDraft, OrgId, OrgKind, OrgPath, Year};
use crate::domain::text::search_key;
use crate::domain::user::UserId;

const COLUMNS: &str =
    "id, parent_id, kind, name, superior_name, abbreviation, place_name, term_start, path";

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: OrgId,
    parent_id: Option<OrgId>,
    kind: String,
    name: String,
    superior_name: String,
    abbreviation: String,
    place_name: String,
    term_start: i32,
    path: String,
}

impl TryFrom<OrgRow> for Org {
    type Error = sqlx::Error;

    fn try_from(row: OrgRow) -> sqlx::Result<Org> {
        Ok(Org {
            id: row.id,
            parent_id: row.parent_id,
            kind: OrgKind::parse(&row.kind).map_err(|_| corrupt("org kind"))?,
            name: row.name,
            superior_name: row.superior_name,
            abbreviation: row.abbreviation,
            place_name: row.place_name,
            term_start: Year::new(row.term_start).map_err(|_| corrupt("term year"))?,
            path: OrgPath::from_stored(row.path),
        })
    }
}

/// The columns of an org `o` read beside another table's (a plan's page reads the plan and its
/// org together), each prefixed `org_`; the id is the other table's `org_id`.
pub(super) const PREFIXED_COLUMNS: &str = "o.parent_id AS org_parent_id, o.kind AS org_kind, \
     o.name AS org_name, o.superior_name AS org_superior_name, \
     o.abbreviation AS org_abbreviation, o.place_name AS org_place_name, \
     o.term_start AS org_term_start, o.path AS org_path";

#[derive(sqlx::FromRow)]
pub(super) struct PrefixedRow {
    org_parent_id: Option<OrgId>,
    org_kind: String,
    org_name: String,
    org_superior_name: String,
    org_abbreviation: String,
    org_place_name: String,
    org_term_start: i32,
    org_path: String,
}

impl PrefixedRow {
    pub(super) fn into_org(self, id: OrgId) -> sqlx::Result<Org> {
        Org::try_from(OrgRow {
            id,
            parent_id: self.org_parent_id,
            kind: self.org_kind,
            name: self.org_name,
            superior_name: self.org_superior_name,
            abbreviation: self.org_abbreviation,
            place_name: self.org_place_name,
            term_start: self.org_term_start,
            path: self.org_path,
        })
    }
}

/// An org with its version, for the edit form.
#[derive(sqlx::FromRow)]
struct VersionedRow {
    #[sqlx(flatten)]
    org: OrgRow,
    version: i64,
}

/// The org and its version (bumped by every saved change), read together so the edit form
/// carries the version of what it shows.
pub async fn get_versioned(db: &Db, id: OrgId) -> sqlx::Result<Option<(Org, i64)>> {
    let sql = format!("SELECT {COLUMNS}, version FROM orgs WHERE id = $1");
    let row: Option<VersionedRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(|r| Ok((Org::try_from(r.org)?, r.version)))
        .transpose()
}

fn into_orgs(rows: Vec<OrgRow>) -> sqlx::Result<Vec<Org>> {
    rows.into_iter().map(Org::try_from).collect()
}

pub async fn get(db: &Db, id: OrgId) -> sqlx::Result<Option<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs WHERE id = $1");
    let row: Option<OrgRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(Org::try_from).transpose()
}

/// The org as it is inside a transaction about to change the tree. On PostgreSQL the row is
/// locked (`FOR UPDATE`) so that its path cannot change under the transaction; SQLite's write
/// transaction holds the whole database already.
pub async fn get_in(tx: &mut Tx, id: OrgId) -> sqlx::Result<Option<Org>> {
    let lock = match tx {
        Tx::Sqlite(_) => "",
        Tx::Postgres(_) => " FOR UPDATE",
    };
    let sql = format!("SELECT {COLUMNS} FROM orgs WHERE id = $1{lock}");
    let row: Option<OrgRow> =
        on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?;
    row.map(Org::try_from).transpose()
}

/// Units without a parent, by name.
pub async fn roots(db: &Db) -> sqlx::Result<Vec<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs WHERE parent_id IS NULL ORDER BY name");
    into_orgs(on_pool!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
}

/// A unit directly below a committee, with what a listing shows of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Child {
    pub id: OrgId,
    pub kind: String,
    pub name: String,
    pub abbreviation: String,
    /// Active members of a cell; units directly below for a committee.
    pub size: i64,
}

impl Child {
    pub fn is_cell(&self) -> bool {
        self.kind == OrgKind::Cell.as_str()
    }
}

pub async fn children(db: &Db, parent: OrgId) -> sqlx::Result<Vec<Child>> {
    on_pool!(db, pool => sqlx::query_as::<_, Child>(
        "SELECT o.id, o.kind, o.name, o.abbreviation, \
           CASE WHEN o.kind = 'cell' \
             THEN (SELECT COUNT(*) FROM members m WHERE m.cell_id = o.id AND m.active) \
             ELSE (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id) END AS size \
         FROM orgs o WHERE o.parent_id = $1 ORDER BY o.kind DESC, o.name",
    )
    .bind(parent)
    .fetch_all(pool)
    .await)
}

/// The chain from the root down to `org`'s parent, for the breadcrumb.
pub async fn ancestors(db: &Db, org: &Org) -> sqlx::Result<Vec<(OrgId, String)>> {
    let mut ids = org.path.ids();
    ids.pop();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, name FROM orgs WHERE id IN ({}) ORDER BY LENGTH(path)",
        placeholders(1, ids.len())
    );
    on_pool!(db, pool => {
        let mut query = sqlx::query_as(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })
}

/// Cells in the subtree of `org` (itself included), by name. One range scan on `path`.
pub async fn cells_within(db: &Db, org: &Org, limit: i64) -> sqlx::Result<Vec<Org>> {
    let (lo, hi) = org.path.subtree_range();
    let sql = format!(
        "SELECT {COLUMNS} FROM orgs WHERE path >= $1 AND path < $2 AND kind = 'cell' \
         ORDER BY name LIMIT $3"
    );
    into_orgs(
        on_pool!(db, pool => sqlx::query_as(&sql).bind(&lo).bind(&hi).bind(limit).fetch_all(pool).await)?,
    )
}

/// The units below `org` (itself excluded), in tree order. One range scan on `path`.
pub async fn units_below(db: &Db, org: &Org, limit: i64) -> sqlx::Result<Vec<Org>> {
    let (lo, hi) = org.path.subtree_range();
    let sql = format!(
        "SELECT {COLUMNS} FROM orgs WHERE path >= $1 AND path < $2 AND id <> $3 \
         ORDER BY path LIMIT $4"
    );
    into_orgs(on_pool!(db, pool => sqlx::query_as(&sql)
        .bind(&lo)
        .bind(&hi)
        .bind(org.id)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// Adds a unit below `parent` (or a root when `None`) and returns its id.
pub async fn create(
    db: &Db,
    parent: Option<&Org>,
    draft: &OrgDraft,
    by: Option<UserId>,
) -> sqlx::Result<OrgId> {
    let now = Utc::now();
    // The parent's path as it is now, read in the transaction (locked against a concurrent
    // move on PostgreSQL): the unit may have moved since the page was drawn.
    let parent_path = match db {
        Db::Sqlite(_) => "SELECT path FROM orgs WHERE id = $1",
        Db::Postgres(_) => "SELECT path FROM orgs WHERE id = $1 FOR SHARE",
    };
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let parent_path: Option<String> = match parent {
            Some(parent) => Some(
                sqlx::query_scalar(parent_path).bind(parent.id).fetch_one(&mut *tx).await?,
            ),
            None => None,
        };
        let (id,): (OrgId,) = sqlx::query_as(
            "INSERT INTO orgs (parent_id, kind, name, superior_name, abbreviation, place_name, \
               term_start, path, created_at, updated_at, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $8, $9) RETURNING id",
        )
        .bind(parent.map(|p| p.id))
        .bind(draft.kind.as_str())
        .bind(draft.name.as_str())
        .bind(draft.superior_name.as_str())
        .bind(draft.abbreviation.as_str())
        .bind(draft.place_name.as_str())
        .bind(draft.term_start.get())
        .bind(now)
        .bind(search_key(draft.name.as_str()))
        .fetch_one(&mut *tx)
        .await?;
        let path = match parent_path {
            Some(parent_path) => OrgPath::from_stored(parent_path).child(id),
            None => OrgPath::root(id),
        };
        sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2")
            .bind(path.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("Tạo {} “{}”", draft.kind.label().to_lowercase(), draft.name.as_str());
        audit::record!(&mut *tx, by, "create", "org", id, detail).await?;
        tx.commit().await?;
        Ok(id)
    }.await)
}

/// Changes an org's details, if it is still at `version` (the one the form was drawn from);
/// its kind and place in the tree stay. False when someone saved it since: nothing changed.
pub async fn update(
    db: &Db,
    id: OrgId,
    version: i64,
    draft: &OrgDraft,
    by: Option<UserId>,
) -> sqlx::Result<bool> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE orgs SET name = $1, superior_name = $2, abbreviation = $3, place_name = $4, \
               term_start = $5, updated_at = $6, version = version + 1, name_key = $9 \
             WHERE id = $7 AND version = $8",
        )
        .bind(draft.name.as_str())
        .bind(draft.superior_name.as_str())
        .bind(draft.abbreviation.as_str())
        .bind(draft.place_name.as_str())
        .bind(draft.term_start.get())
        .bind(Utc::now())
        .bind(id)
        .bind(version)
        .bind(search_key(draft.name.as_str()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        let detail = format!("Sửa thông tin “{}”", draft.name.as_str());
        audit::record!(&mut *tx, by, "update", "org", id, detail).await?;
        tx.commit().await?;
        Ok(true)
    }.await)
}

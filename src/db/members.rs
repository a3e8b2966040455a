//! Members of cells. Nothing referenced is deleted: a member who leaves is marked inactive.

use chrono::Utc;

use super::{BeginWrite, Db, audit, corrupt, on_pool};
use crate::domain::member::{CellRole, Member, MemberDraft, MemberId, Standing};
use crate::domain::org::OrgId;
use crate::domain::text::{search_key, search_pattern};
use crate::domain::user::UserId;

const SELECT: &str = "SELECT m.id, m.cell_id, m.full_name, m.standing, m.role, m.birth_year, \
                      m.phone, m.email, m.active, u.login, m.version \
                      FROM members m LEFT JOIN users u ON u.id = m.user_id";

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: MemberId,
    cell_id: OrgId,
    full_name: String,
    standing: String,
    role: String,
    birth_year: Option<i32>,
    phone: Option<String>,
    email: Option<String>,
    active: bool,
    login: Option<String>,
    version: i64,
}

impl TryFrom<MemberRow> for Member {
    type Error = sqlx::Error;

    fn try_from(row: MemberRow) -> sqlx::Result<Member> {
        Ok(Member {
            id: row.id,
            cell_id: row.cell_id,
            full_name: row.full_name,
            standing: Standing::parse(&row.standing).map_err(|_| corrupt("standing"))?,
            role: CellRole::parse(&row.role).map_err(|_| corrupt("cell role"))?,
            birth_year: row.birth_year,
            phone: row.phone,
            email: row.email,
            active: row.active,
            login: row.login,
            version: row.version,
        })
    }
}

/// Members of a cell: the cell committee first, then by name; those who left last.
pub async fn list(db: &Db, cell: OrgId) -> sqlx::Result<Vec<Member>> {
    let sql = format!(
        "{SELECT} WHERE m.cell_id = $1 ORDER BY m.active DESC, \
         CASE m.role WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 \
           WHEN 'cell_committee_member' THEN 2 ELSE 3 END, m.full_name, m.id"
    );
    let rows: Vec<MemberRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(cell).fetch_all(pool).await)?;
    rows.into_iter().map(Member::try_from).collect()
}

/// Members of a cell whose name contains `search`, whatever its case and diacritics ("nguyen
/// thi ly" finds "Nguyễn Thị Ly"), in the order of [`list`].
pub async fn search(db: &Db, cell: OrgId, search: &str) -> sqlx::Result<Vec<Member>> {
    let sql = format!(
        "{SELECT} WHERE m.cell_id = $1 AND m.name_key LIKE $2 ESCAPE '\\' \
         ORDER BY m.active DESC, \
         CASE m.role WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 \
           WHEN 'cell_committee_member' THEN 2 ELSE 3 END, m.full_name, m.id"
    );
    let rows: Vec<MemberRow> = on_pool!(db, pool => sqlx::query_as(&sql)
        .bind(cell)
        .bind(search_pattern(search))
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(Member::try_from).collect()
}

pub async fn get(db: &Db, id: MemberId) -> sqlx::Result<Option<Member>> {
    let sql = format!("{SELECT} WHERE m.id = $1");
    let row: Option<MemberRow> =
        on_pool!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(Member::try_from).transpose()
}

macro_rules! insert_member {
    ($conn:expr, $cell:expr, $draft:expr, $user:expr, $now:expr) => {
        sqlx::query_scalar::<_, MemberId>(
            "INSERT INTO members (cell_id, full_name, standing, role, birth_year, phone, email, \
               active, user_id, created_at, updated_at, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $9, $9, $10) RETURNING id",
        )
        .bind($cell)
        .bind($draft.full_name.as_str())
        .bind($draft.standing.as_str())
        .bind($draft.role.as_str())
        .bind($draft.birth_year.map(|y| y.get()))
        .bind($draft.phone.as_ref().map(|p| p.as_str()))
        .bind($draft.email.as_ref().map(|e| e.as_str()))
        .bind($user)
        .bind($now)
        .bind(search_key($draft.full_name.as_str()))
        .fetch_one($conn)
    };
}

/// Adds a member to `cell`, linked to the account `user` when one is given (the caller checked
/// that the actor may link it; see `domain::access::Actor::may_link`).
pub async fn create(
    db: &Db,
    cell: OrgId,
    draft: &MemberDraft,
    user: Option<UserId>,
    by: Option<UserId>,
) -> Result<MemberId, CreateError> {
    let result: sqlx::Result<MemberId> = on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let id = insert_member!(&mut *tx, cell, draft, user, Utc::now()).await?;
        let detail = format!("Thêm đảng viên {}", draft.full_name.as_str());
        audit::record!(&mut *tx, by, "create", "member", id, detail).await?;
        tx.commit().await?;
        Ok(id)
    }.await);
    result.map_err(|e| {
        if super::is_unique_violation(&e) {
            CreateError::AccountTaken
        } else {
            CreateError::Sqlx(e)
        }
    })
}

/// Why adding a member did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the account is already linked to another member of this cell")]
    AccountTaken,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Adds every member in one transaction: all of them or none.
pub async fn import(
    db: &Db,
    cell: OrgId,
    drafts: &[MemberDraft],
    by: Option<UserId>,
) -> sqlx::Result<usize> {
    let now = Utc::now();
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        for draft in drafts {
            insert_member!(&mut *tx, cell, draft, None::<UserId>, now).await?;
        }
        let detail = format!("Nhập {} đảng viên từ tệp CSV", drafts.len());
        audit::record!(&mut *tx, by, "import", "org", cell, detail).await?;
        tx.commit().await?;
        Ok(drafts.len())
    }.await)
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("the account is already linked to another member of this cell")]
    AccountTaken,
    /// Someone saved the member since the form was drawn (or the member is gone).
    #[error("the member changed since the form was drawn")]
    Stale,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

pub struct Update<'a> {
    pub draft: &'a MemberDraft,
    /// The version the form was drawn from: a save from an older one is refused.
    pub version: i64,
    pub active: bool,
    pub user: Option<UserId>,
}

pub async fn update(
    db: &Db,
    id: MemberId,
    change: &Update<'_>,
    by: Option<UserId>,
) -> Result<(), UpdateError> {
    let draft = change.draft;
    let result: sqlx::Result<bool> = on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE members SET full_name = $1, standing = $2, role = $3, birth_year = $4, \
               phone = $5, email = $6, active = $7, user_id = $8, updated_at = $9, \
               version = version + 1, name_key = $12 WHERE id = $10 AND version = $11",
        )
        .bind(draft.full_name.as_str())
        .bind(draft.standing.as_str())
        .bind(draft.role.as_str())
        .bind(draft.birth_year.map(|y| y.get()))
        .bind(draft.phone.as_ref().map(|p| p.as_str()))
        .bind(draft.email.as_ref().map(|e| e.as_str()))
        .bind(change.active)
        .bind(change.user)
        .bind(Utc::now())
        .bind(id)
        .bind(change.version)
        .bind(search_key(draft.full_name.as_str()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        let detail = format!(
            "Sửa đảng viên {}{}",
            draft.full_name.as_str(),
            if change.active { "" } else { " (đã chuyển đi)" }
        );
        audit::record!(&mut *tx, by, "update", "member", id, detail).await?;
        tx.commit().await?;
        Ok(true)
    }.await);
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(UpdateError::Stale),
        Err(e) if super::is_unique_violation(&e) => Err(UpdateError::AccountTaken),
        Err(e) => Err(UpdateError::Sqlx(e)),
    }
}

/// Links an existing account to a member (used by the demo and by administrators).
pub async fn link_user(db: &Db, id: MemberId, user: UserId) -> sqlx::Result<()> {
    on_pool!(db, pool => sqlx::query("UPDATE members SET user_id = $1 WHERE id = $2")
        .bind(user)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))
}

//! Login accounts and the roles attached to them.

use chrono::Utc;

use super::{BeginWrite, Db, audit, on_pool};
use crate::domain::access::{Actor, Membership, Reviewership};
use crate::domain::member::{CellRole, MemberId};
use crate::domain::org::{OrgId, OrgPath};
use crate::domain::text::{search_key, search_pattern};
use crate::domain::user::{Login, User, UserId};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    login: String,
    full_name: String,
    is_admin: bool,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            login: row.login,
            full_name: row.full_name,
            is_admin: row.is_admin,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("login already taken")]
    Taken,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

pub struct NewUser<'a> {
    pub login: &'a Login,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
}

pub async fn create(db: &Db, new: &NewUser<'_>, by: Option<UserId>) -> Result<UserId, CreateError> {
    let result: sqlx::Result<UserId> = on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let (id,): (UserId,) = sqlx::query_as(
            "INSERT INTO users (login, full_name, password_hash, is_admin, created_at, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.login.as_str())
        .bind(new.full_name)
        .bind(new.password_hash)
        .bind(new.is_admin)
        .bind(Utc::now())
        .bind(search_key(new.full_name))
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!("Tạo tài khoản {}", new.login.as_str());
        audit::record!(&mut *tx, by, "create", "user", id, detail).await?;
        tx.commit().await?;
        Ok(id)
    }.await);
    result.map_err(|e| {
        if super::is_unique_violation(&e) {
            CreateError::Taken
        } else {
            CreateError::Sqlx(e)
        }
    })
}

/// Whether any account exists (one index probe, unlike [`count`]): the login page asks on
/// every view.
pub async fn any(db: &Db) -> sqlx::Result<bool> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
        .fetch_one(pool)
        .await)
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)
}

/// The id and password hash for a login, if the account exists.
pub async fn credentials(db: &Db, login: &str) -> sqlx::Result<Option<(UserId, String)>> {
    on_pool!(db, pool => sqlx::query_as("SELECT id, password_hash FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(pool)
        .await)
}

pub async fn password_hash(db: &Db, id: UserId) -> sqlx::Result<Option<String>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn get(db: &Db, id: UserId) -> sqlx::Result<Option<User>> {
    let row: Option<UserRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, login, full_name, is_admin FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(User::from))
}

pub async fn find_by_login(db: &Db, login: &str) -> sqlx::Result<Option<User>> {
    let row: Option<UserRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, login, full_name, is_admin FROM users WHERE login = $1",
    )
    .bind(login)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(User::from))
}

/// Accounts ordered by login, optionally only those whose login or name contains `search`,
/// whatever its case and diacritics ("nguyen thi ly" finds "Nguyễn Thị Ly").
pub async fn list(db: &Db, search: &str, limit: i64) -> sqlx::Result<Vec<User>> {
    let pattern = search_pattern(search);
    let rows: Vec<UserRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, login, full_name, is_admin FROM users \
         WHERE login LIKE $1 ESCAPE '\\' OR name_key LIKE $1 ESCAPE '\\' \
         ORDER BY login LIMIT $2",
    )
    .bind(&pattern)
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// The account's session epoch: a session signed in under another epoch has ended.
pub async fn session_epoch(db: &Db, id: UserId) -> sqlx::Result<Option<i64>> {
    on_pool!(db, pool => sqlx::query_scalar("SELECT session_epoch FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// Sets a new password and moves the session epoch on, which ends every session of the
/// account; answers the new epoch (for the session to keep, if any), `None` if no such account.
pub async fn set_password_hash(
    db: &Db,
    id: UserId,
    hash: &str,
    by: Option<UserId>,
) -> sqlx::Result<Option<i64>> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let epoch: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1 \
             WHERE id = $2 RETURNING session_epoch",
        )
        .bind(hash)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if epoch.is_some() {
            audit::record!(&mut *tx, by, "set_password", "user", id, "Đặt lại mật khẩu").await?;
        }
        tx.commit().await?;
        Ok(epoch)
    }.await)
}

/// Makes `user` a reviewer of `committee` (idempotent).
pub async fn add_review(
    db: &Db,
    user: UserId,
    committee: OrgId,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let added = sqlx::query(
            "INSERT INTO reviewers (user_id, committee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user)
        .bind(committee)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added == 1 {
            let detail = format!("Giao quyền cán bộ theo dõi tổ chức #{committee}");
            audit::record!(&mut *tx, by, "add_review", "user", user, detail).await?;
        }
        tx.commit().await?;
        Ok(())
    }.await)
}

pub async fn remove_review(
    db: &Db,
    user: UserId,
    committee: OrgId,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    on_pool!(db, pool => async {
        let mut tx = pool.begin_write().await?;
        let removed = sqlx::query("DELETE FROM reviewers WHERE user_id = $1 AND committee_id = $2")
            .bind(user)
            .bind(committee)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 1 {
            let detail = format!("Thu hồi quyền cán bộ theo dõi tổ chức #{committee}");
            audit::record!(&mut *tx, by, "remove_review", "user", user, detail).await?;
        }
        tx.commit().await?;
        Ok(())
    }.await)
}

/// The user with every role they hold, or `None` if the account is gone.
pub async fn actor(db: &Db, id: UserId) -> sqlx::Result<Option<Actor>> {
    let Some(user) = get(db, id).await? else {
        return Ok(None);
    };
    let reviews: Vec<(OrgId, String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT o.id, o.name, o.path FROM reviewers r JOIN orgs o ON o.id = r.committee_id \
         WHERE r.user_id = $1 ORDER BY o.path",
    )
    .bind(id)
    .fetch_all(pool)
    .await)?;
    let memberships: Vec<(MemberId, OrgId, String, String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT m.id, m.cell_id, o.name, o.path, m.role FROM members m JOIN orgs o ON o.id = m.cell_id \
         WHERE m.user_id = $1 AND m.active ORDER BY o.name",
    )
    .bind(id)
    .fetch_all(pool)
    .await)?;
    Ok(Some(Actor {
        user,
        reviews: reviews
            .into_iter()
            .map(|(committee_id, committee_name, path)| Reviewership {
                committee_id,
                committee_name,
                path: OrgPath::from_stored(path),
            })
            .collect(),
        memberships: memberships
            .into_iter()
            .map(|(member_id, cell_id, cell_name, cell_path, role)| {
                Ok(Membership {
                    member_id,
                    cell_id,
                    cell_name,
                    cell_path: OrgPath::from_stored(cell_path),
                    role: CellRole::parse(&role).map_err(|_| super::corrupt("cell role"))?,
                })
            })
            .collect::<sqlx::Result<_>>()?,
    }))
}

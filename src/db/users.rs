//! Login accounts and the roles attached to them.

use chrono::Utc;

use std::sync::LazyLock;

use super::json::{self, JsonSql};
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

/// A signed-in request's account: who, with every role they hold, the account's session epoch
/// (a session stamped with another has ended) and the unread notifications in the navigation.
pub struct SignedIn {
    pub actor: Actor,
    pub session_epoch: i64,
    pub unread: i64,
}

#[derive(sqlx::FromRow)]
struct SignedInRow {
    #[sqlx(flatten)]
    user: UserRow,
    session_epoch: i64,
    unread: i64,
    reviews: Option<String>,
    memberships: Option<String>,
}

#[derive(serde::Deserialize)]
struct ReviewItem {
    id: OrgId,
    name: String,
    path: String,
}

#[derive(serde::Deserialize)]
struct MembershipItem {
    member_id: MemberId,
    cell_id: OrgId,
    name: String,
    path: String,
    role: String,
}

/// The account and its roles as JSON arrays (see [`super::json`]), and the unread count.
static SIGNED_IN: LazyLock<JsonSql> = LazyLock::new(|| {
    JsonSql::new(
        "SELECT u.id, u.login, u.full_name, u.is_admin, u.session_epoch, \
           (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) \
             AS unread, \
           CAST((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'path', o.path) \
               ORDER BY o.path) \
             FROM reviewers r JOIN orgs o ON o.id = r.committee_id WHERE r.user_id = u.id) \
             AS TEXT) AS reviews, \
           CAST((SELECT json_agg(json_build_object('member_id', m.id, 'cell_id', m.cell_id, \
               'name', o.name, 'path', o.path, 'role', m.role) ORDER BY o.name) \
             FROM members m JOIN orgs o ON o.id = m.cell_id WHERE m.user_id = u.id AND m.active) \
             AS TEXT) AS memberships \
         FROM users u WHERE u.id = $1"
            .into(),
    )
});

/// The account a request acts as, in one statement; `None` if the account is gone.
pub async fn signed_in(db: &Db, id: UserId) -> sqlx::Result<Option<SignedIn>> {
    let row: Option<SignedInRow> = on_pool!(db, pool => sqlx::query_as(SIGNED_IN.on(db))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let reviews: Vec<ReviewItem> = json::list(row.reviews.as_deref(), "reviewers")?;
    let memberships: Vec<MembershipItem> = json::list(row.memberships.as_deref(), "memberships")?;
    Ok(Some(SignedIn {
        actor: Actor {
            user: User::from(row.user),
            reviews: reviews
                .into_iter()
                .map(|r| Reviewership {
                    committee_id: r.id,
                    committee_name: r.name,
                    path: OrgPath::from_stored(r.path),
                })
                .collect(),
            memberships: memberships
                .into_iter()
                .map(|m| {
                    Ok(Membership {
                        member_id: m.member_id,
                        cell_id: m.cell_id,
                        cell_name: m.name,
                        cell_path: OrgPath::from_stored(m.path),
                        role: CellRole::parse(&m.role).map_err(|_| super::corrupt("cell role"))?,
                    })
                })
                .collect::<sqlx::Result<_>>()?,
        },
        session_epoch: row.session_epoch,
        unread: row.unread,
    }))
}

/// The user with every role they hold, or `None` if the account is gone.
pub async fn actor(db: &Db, id: UserId) -> sqlx::Result<Option<Actor>> {
    Ok(signed_in(db, id).await?.map(|s| s.actor))
}

//! "dinh an" finds "Định An": the accounts list, a cell's members and the committee dashboard
//! match whatever the case and the diacritics, on a search key the app stores with each name.

use crate::both;
use chuyende::db::{Db, search_keys};

/// The stored search key of one row.
async fn key_of(db: &Db, table: &str, id: i64) -> Option<String> {
    let sql = format!("SELECT name_key FROM {table} WHERE id = $1");
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

async fn execute(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap(),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap(),
    }
}

both! {
    async fn searches_ignore_case_and_diacritics(app: TestApp) {
        let admin = app.login("admin").await;
        let cell = app.demo.kindergarten.id;

        // Accounts: "nguyen thi ly" finds Nguyễn Thị Ly; "Đ" matches "d".
        let page = admin.get("/admin/users?q=nguyen+thi+ly").await;
        page.ok().contains("Nguyễn Thị Ly").lacks("Lê Thị Bích Ngọc");
        admin.get("/admin/users?q=LE+THI+BICH").await.ok().contains("Lê Thị Bích Ngọc").lacks("Nguyễn Thị Ly");
        admin.get("/admin/users?q=ph%E1%BA%A1m+van").await.ok().contains("Phạm Văn Hùng"); // phạm van
        admin.get("/admin/users?q=zzz").await.ok().contains("Không có tài khoản nào phù hợp.");

        // A cell's members.
        let page = admin.get(&format!("/orgs/{cell}?q=nguyen+thi+ly")).await;
        page.ok().contains("Nguyễn Thị Ly").lacks("Lê Thị Bích Ngọc");
        admin.get(&format!("/orgs/{cell}?q=xyz")).await.ok().contains("Không có đảng viên nào phù hợp.");
        admin.get(&format!("/orgs/{cell}")).await.ok().contains("Nguyễn Thị Ly").contains("Lê Thị Bích Ngọc");

        // A member added through the form is found without marks at once; renamed, by the new name.
        let secretary = app.login("bithu").await;
        secretary.get(&format!("/orgs/{cell}/members/new")).await.ok();
        secretary.post(&format!("/orgs/{cell}/members/new"), &[
            ("full_name", "Đỗ Văn Đức"), ("standing", "full"), ("role", "member"),
        ]).await.redirects_to(&format!("/orgs/{cell}"));
        secretary.get(&format!("/orgs/{cell}?q=do+van+duc")).await.ok().contains("Đỗ Văn Đức");
        let duc = app.member_id(cell, "Đỗ Văn Đức").await;
        assert_eq!(key_of(&app.db, "members", duc.get()).await.as_deref(), Some("do van duc"));

        // The dashboard: "mam non dinh an" finds Chi bộ Mầm non Định An.
        let commune = app.demo.commune.id;
        let page = admin.get(&format!("/orgs/{commune}/dashboard?q=mam+non+dinh+an")).await;
        page.ok().contains(&format!("href=\"/orgs/{cell}\">Chi bộ Mầm non Định An</a>"));
        let school = app.demo.school.id;
        page.lacks(&format!("href=\"/orgs/{school}\""));
        assert_eq!(key_of(&app.db, "orgs", cell.get()).await.as_deref(), Some("chi bo mam non dinh an"));
    }

    async fn names_stored_before_get_their_keys_at_start(app: TestApp) {
        // As if written before migration 0012 (or by an older instance during an upgrade).
        for table in ["orgs", "members", "users"] {
            execute(&app.db, &format!("UPDATE {table} SET name_key = NULL")).await;
        }
        let admin = app.login("admin").await;
        let commune = app.demo.commune.id;
        admin.get(&format!("/orgs/{commune}/dashboard?q=mam+non")).await.ok()
            .contains("Không có chi bộ nào phù hợp.");

        let keyed = search_keys::fill(&app.db).await.unwrap();
        assert!(keyed > 10, "{keyed}");
        assert_eq!(search_keys::fill(&app.db).await.unwrap(), 0, "nothing left to key");
        // Migrating (as every start does) keys them too, and changes nothing more.
        app.db.migrate().await.unwrap();
        let cell = app.demo.kindergarten.id;
        admin.get(&format!("/orgs/{commune}/dashboard?q=mam+non")).await.ok()
            .contains(&format!("href=\"/orgs/{cell}\">Chi bộ Mầm non Định An</a>"));
        admin.get("/admin/users?q=nguyen+thi+ly").await.ok().contains("Nguyễn Thị Ly");
        admin.get(&format!("/orgs/{cell}?q=NGUYEN+THI+LY")).await.ok().contains("Nguyễn Thị Ly");
    }
}

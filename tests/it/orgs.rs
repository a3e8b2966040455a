//! The party tree: adding units, editing them, navigation.

use reqwest::StatusCode;

use crate::both;

both! {
    async fn committee_staff_add_and_edit_units_below_them(app: TestApp) {
        let commune = app.demo.commune.id;
        let browser = app.login("danguy").await;
        let form = browser.get(&format!("/orgs/{commune}/children/new")).await;
        // Sensible defaults from the committee above.
        form.ok().contains("value=\"Đảng ủy xã Định An\"").contains("value=\"CB\"").contains("value=\"Định An\"");

        let invalid = browser
            .post(&format!("/orgs/{commune}/children/new"), &[
                ("kind", "cell"), ("name", "Chi bộ ấp Định Hòa"), ("superior_name", "Đảng bộ xã Định An"),
                ("abbreviation", "C B"), ("place_name", ""), ("term_start", "hai nghìn"),
            ])
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        invalid
            .contains("value=\"Chi bộ ấp Định Hòa\"")
            .contains("value=\"C B\"")
            .contains("Chữ viết tắt chỉ gồm chữ và số")
            .contains("Vui lòng nhập nội dung này.")
            .contains("Năm phải là một số");

        let created = browser
            .post(&format!("/orgs/{commune}/children/new"), &[
                ("kind", "cell"), ("name", "Chi bộ ấp Định Hòa"), ("superior_name", "Đảng bộ xã Định An"),
                ("abbreviation", "CB"), ("place_name", "Định An"), ("term_start", "2025"),
            ])
            .await;
        let location = created.location().to_owned();
        assert!(location.starts_with("/orgs/"), "{location}");
        let page = browser.get(&location).await;
        page.ok()
            .contains("<h1>Chi bộ ấp Định Hòa</h1>")
            .contains("Đã thêm đơn vị trực thuộc.")
            .contains(&format!("<a href=\"/orgs/{commune}\">Đảng ủy xã Định An</a>"));
        browser.get(&format!("/orgs/{commune}")).await.contains("Chi bộ ấp Định Hòa");

        let id: i64 = location.trim_start_matches("/orgs/").parse().unwrap();
        browser.get(&format!("{location}/edit")).await.ok().contains("value=\"2025\"");
        browser
            .post(&format!("{location}/edit"), &[
                ("kind", "committee"), ("name", "Chi bộ ấp Định Hòa A"), ("superior_name", "Đảng bộ xã Định An"),
                ("abbreviation", "CB"), ("place_name", "Định An"), ("term_start", "2025"), ("version", "1"),
            ])
            .await
            .redirects_to(&location);
        let org = chuyende::db::orgs::get(&app.db, chuyende::domain::org::OrgId(id)).await.unwrap().unwrap();
        assert_eq!(org.name, "Chi bộ ấp Định Hòa A");
        assert!(org.is_cell(), "the kind of a unit cannot be changed by editing");
        assert!(org.path.is_within(&app.demo.commune.path));
        browser.get(&location).await.contains("Sửa thông tin “Chi bộ ấp Định Hòa A”");
    }

    async fn administrators_build_the_top_of_the_tree(app: TestApp) {
        let browser = app.login("admin").await;
        browser.get("/").await.ok().contains("Đảng ủy xã Định An").contains("Đảng bộ tỉnh Hà Tĩnh");
        browser.get("/orgs/new").await.ok();
        let created = browser
            .post("/orgs/new", &[
                ("kind", "committee"), ("name", "Đảng bộ tỉnh Quảng Trị"), ("superior_name", "Ban Chấp hành Trung ương"),
                ("abbreviation", "TU"), ("place_name", "Quảng Trị"), ("term_start", "2025"),
            ])
            .await;
        let location = created.location().to_owned();
        browser.get(&location).await.ok().contains("Đảng bộ tỉnh Quảng Trị").contains("Thêm đơn vị trực thuộc");
        browser.get("/").await.contains("Đảng bộ tỉnh Quảng Trị");
    }

    async fn the_subtree_is_one_range_and_excludes_neighbours(app: TestApp) {
        let within = chuyende::db::orgs::cells_within(&app.db, &app.demo.commune, 100).await.unwrap();
        let names: Vec<_> = within.iter().map(|o| o.name.as_str()).collect();
        assert!(names.contains(&"Chi bộ Mầm non Định An"));
        assert!(!names.contains(&"Chi bộ Văn phòng Đảng ủy Khối"), "{names:?}");
        let bloc = chuyende::db::orgs::cells_within(&app.db, &app.demo.bloc, 100).await.unwrap();
        assert_eq!(bloc.len(), 4);
    }

    async fn the_demo_loads_twice_without_change(app: TestApp) {
        let cells = chuyende::db::orgs::cells_within(&app.db, &app.demo.commune, 100).await.unwrap().len();
        let again = chuyende::demo::load(&app.db).await.unwrap();
        assert_eq!(again.kindergarten.id, app.demo.kindergarten.id);
        assert_eq!(chuyende::db::orgs::cells_within(&app.db, &app.demo.commune, 100).await.unwrap().len(), cells);
        let people = chuyende::db::members::list(&app.db, app.demo.kindergarten.id).await.unwrap();
        for name in ["Nguyễn Thanh Tâm", "Nguyễn Thị Thanh Tâm", "Nguyễn Thị Ly"] {
            assert_eq!(people.iter().filter(|m| m.full_name == name).count(), 1, "{name}");
        }
    }
}

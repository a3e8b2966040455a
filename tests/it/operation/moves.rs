//! Moving a unit to another parent committee: its subtree goes with it, reviewers' scope and
//! the dashboards follow, plans and history stay with the cells, the move is recorded, and a
//! move that would make a loop is refused.

use reqwest::StatusCode;

use crate::both;
use crate::harness::TestApp;
use chuyende::db::{orgs, users};
use chuyende::domain::org::{Abbreviation, OrgDraft, OrgId, OrgKind, Year};
use chuyende::domain::text::Line;

fn draft(kind: OrgKind, name: &str) -> OrgDraft {
    OrgDraft {
        kind,
        name: Line::parse(name, 200).unwrap(),
        superior_name: Line::parse("Đảng ủy xã Định An", 200).unwrap(),
        abbreviation: Abbreviation::parse("CB").unwrap(),
        place_name: Line::parse("Định An", 200).unwrap(),
        term_start: Year::new(2020).unwrap(),
    }
}

async fn path_of(app: &TestApp, id: OrgId) -> String {
    orgs::get(&app.db, id)
        .await
        .unwrap()
        .unwrap()
        .path
        .as_str()
        .to_owned()
}

both! {
    async fn a_moved_cell_takes_its_plans_and_the_reviewers_follow(app: TestApp) {
        let (cell, commune, bloc) = (&app.demo.kindergarten, &app.demo.commune, &app.demo.bloc);
        let admin = app.login("admin").await;
        let commune_reviewer = app.login("danguy").await;
        commune_reviewer.get(&format!("/orgs/{}", cell.id)).await.ok();
        let bloc_reviewer_id = app.add_account("theodoi.khoi", "Trần Văn Khối").await;
        users::add_review(&app.db, bloc_reviewer_id, bloc.id, None).await.unwrap();
        let bloc_reviewer = app.login("theodoi.khoi").await;
        assert_eq!(bloc_reviewer.get(&format!("/orgs/{}", cell.id)).await.status, StatusCode::NOT_FOUND);

        admin.get(&format!("/orgs/{}", cell.id)).await.ok()
            .contains(&format!("href=\"/orgs/{}/move\"", cell.id));
        admin.get(&format!("/orgs/{}/move", cell.id)).await.ok().contains("Mã số đảng bộ cấp trên mới");
        admin.post(&format!("/orgs/{}/move", cell.id), &[("parent", &format!(" #{} ", bloc.id))]).await
            .redirects_to(&format!("/orgs/{}", cell.id));

        // Stored: the parent, the path below the new parent, the superior body of its documents.
        let moved = orgs::get(&app.db, cell.id).await.unwrap().unwrap();
        assert_eq!(moved.parent_id, Some(bloc.id));
        assert_eq!(moved.path, bloc.path.child(cell.id));
        // The superior body as the bloc's other units print it (its đảng bộ, not its đảng ủy).
        assert_eq!(moved.superior_name, "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh");
        assert_ne!(moved.superior_name, bloc.name);

        // Scope follows the tree: the commune's reviewer no longer reads it, the bloc's does.
        assert_eq!(commune_reviewer.get(&format!("/orgs/{}", cell.id)).await.status, StatusCode::NOT_FOUND);
        let page = bloc_reviewer.get(&format!("/orgs/{}", cell.id)).await;
        // Plans stay with the cell.
        page.ok().contains("Kế hoạch năm 2022");
        let link = format!("href=\"/orgs/{}\">{}</a>", cell.id, cell.name);
        admin.get(&format!("/orgs/{}/dashboard?year=2022", commune.id)).await.ok().lacks(&link);
        admin.get(&format!("/orgs/{}/dashboard?year=2022", bloc.id)).await.ok().contains(&link);

        // Recorded in the history of the cell and of both committees.
        admin.get(&format!("/orgs/{}", cell.id)).await.ok()
            .contains(&format!("Chuyển từ “{}” về trực thuộc “{}”", commune.name, bloc.name));
        admin.get(&format!("/orgs/{}", commune.id)).await.ok()
            .contains(&format!("Chuyển “{}” về trực thuộc “{}”", cell.name, bloc.name));
        admin.get(&format!("/orgs/{}", bloc.id)).await.ok()
            .contains(&format!("Tiếp nhận “{}” từ “{}”", cell.name, commune.name));
    }

    async fn a_committee_moves_with_its_subtree_but_never_below_itself(app: TestApp) {
        let (commune, bloc, cell) = (&app.demo.commune, &app.demo.bloc, &app.demo.kindergarten);
        let hamlet = orgs::create(&app.db, Some(commune), &draft(OrgKind::Committee, "Đảng bộ thôn Một"), None).await.unwrap();
        let hamlet_org = orgs::get(&app.db, hamlet).await.unwrap().unwrap();
        let deep = orgs::create(&app.db, Some(&hamlet_org), &draft(OrgKind::Cell, "Chi bộ xóm Hai"), None).await.unwrap();
        let admin = app.login("admin").await;
        let refused = |parent: String, message: &'static str| {
            let admin = admin.clone();
            let commune = commune.id;
            async move {
                let page = admin.post(&format!("/orgs/{commune}/move"), &[("parent", &parent)]).await;
                assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{parent}: {}", page.body);
                page.contains(message).contains(&format!("value=\"{parent}\""));
            }
        };
        admin.get(&format!("/orgs/{}/move", commune.id)).await.ok();
        refused(hamlet.to_string(), "Không chuyển được một đơn vị về trực thuộc chính nó").await;
        refused(commune.id.to_string(), "Không chuyển được một đơn vị về trực thuộc chính nó").await;
        refused(cell.id.to_string(), "chỉ chuyển được về trực thuộc một đảng bộ").await;
        refused("mười hai".into(), "Vui lòng nhập mã số của đảng bộ cấp trên mới").await;
        refused("999999".into(), "Không có tổ chức với mã số này.").await;
        let page = admin.post(&format!("/orgs/{}/move", cell.id), &[("parent", &commune.id.to_string())]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        page.contains("Đơn vị đã trực thuộc đảng bộ này.");
        assert_eq!(path_of(&app, commune.id).await, commune.path.as_str(), "nothing moved");

        // The commune (a root) goes under the bloc with everything below it.
        admin.post(&format!("/orgs/{}/move", commune.id), &[("parent", &bloc.id.to_string())]).await
            .redirects_to(&format!("/orgs/{}", commune.id));
        let new_commune = bloc.path.child(commune.id);
        assert_eq!(path_of(&app, commune.id).await, new_commune.as_str());
        assert_eq!(path_of(&app, cell.id).await, new_commune.child(cell.id).as_str());
        assert_eq!(path_of(&app, deep).await, new_commune.child(hamlet).child(deep).as_str());
        let moved = orgs::get(&app.db, commune.id).await.unwrap().unwrap();
        let below = orgs::cells_within(&app.db, &moved, 100).await.unwrap();
        assert_eq!(below.len(), 4, "{below:?}");
        assert!(below.iter().all(|c| c.path.is_within(&new_commune)));
        // Nothing else moved.
        assert_eq!(path_of(&app, app.demo.bloc_cell.id).await, app.demo.bloc_cell.path.as_str());
        admin.get(&format!("/orgs/{}", commune.id)).await.ok()
            .contains(&format!("Chuyển từ cấp cao nhất về trực thuộc “{}”", bloc.name));
        // Below a committee whose units print a superior body, the moved unit prints the same;
        // below one without units yet, the committee's own name.
        admin.post(&format!("/orgs/{}/move", cell.id), &[("parent", &hamlet.to_string())]).await
            .redirects_to(&format!("/orgs/{}", cell.id));
        let superior = |id: OrgId| {
            let db = app.db.clone();
            async move { orgs::get(&db, id).await.unwrap().unwrap().superior_name }
        };
        assert_eq!(superior(cell.id).await, "Đảng ủy xã Định An");
        let moved_commune = orgs::get(&app.db, commune.id).await.unwrap().unwrap();
        let empty = orgs::create(&app.db, Some(&moved_commune), &draft(OrgKind::Committee, "Đảng bộ thôn Ba"), None).await.unwrap();
        let school = app.demo.school.id;
        admin.post(&format!("/orgs/{school}/move"), &[("parent", &empty.to_string())]).await
            .redirects_to(&format!("/orgs/{school}"));
        assert_eq!(superior(school).await, "Đảng bộ thôn Ba");
        admin.get(&format!("/orgs/{school}")).await.ok().contains("Tổ chức cấp trên in ở tiêu đề văn bản nay là “Đảng bộ thôn Ba”");
        // The commune's reviewer keeps the subtree: scope travels with the committee.
        let reviewer = app.login("danguy").await;
        reviewer.get(&format!("/orgs/{}", cell.id)).await.ok();
        reviewer.get(&format!("/orgs/{deep}")).await.ok();
        admin.get(&format!("/orgs/{}/dashboard?year=2022", bloc.id)).await.ok()
            .contains(&format!("href=\"/orgs/{}\">{}</a>", cell.id, cell.name));
    }
}

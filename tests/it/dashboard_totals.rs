//! The dashboard's totals without a search are counted from the plans alone (their cells'
//! paths, migration 0017); with a search, by joining every cell to its plan. Both must give the
//! same numbers: on the demo's tree, for every filter and both years, the totals without a
//! search equal those of a search every cell matches, and the counts per state equal the rows
//! the page lists; after a cell moves to another committee, both committees' totals follow.

use crate::both;
use crate::harness::TestApp;
use chuyende::app::dashboard::{self, CellState, Filter, MandatedFilter, Totals};
use chuyende::domain::calendar::Quarter;
use chuyende::domain::org::{Org, Year};

/// The filters worth comparing on `year`: none, each quarter without a session, and each
/// mandated topic of the committees above, taken in or not.
async fn filters(app: &TestApp, committee: &Org, year: Year) -> Vec<Filter> {
    let mut all = vec![Filter::year(year)];
    for q in 1..=4 {
        all.push(Filter {
            unheld: Quarter::new(q),
            ..Filter::year(year)
        });
    }
    for topic in dashboard::mandated_topics(&app.db, committee, year)
        .await
        .unwrap()
    {
        for included in [true, false] {
            all.push(Filter {
                mandated: Some(MandatedFilter {
                    topic: topic.topic_id,
                    included,
                }),
                ..Filter::year(year)
            });
        }
    }
    all
}

async fn check(app: &TestApp, committee: &Org) -> Vec<Totals> {
    let today = chrono::Local::now().date_naive();
    let this_year = Year::new(chrono::Datelike::year(&today)).unwrap();
    let mut seen = Vec::new();
    for year in [Year::new(2022).unwrap(), this_year] {
        for filter in filters(app, committee, year).await {
            let fast = dashboard::totals(&app.db, committee, &filter)
                .await
                .unwrap();
            // Every cell of the demo is a "Chi bộ …": this search matches them all.
            let joined = Filter {
                search: "chi".into(),
                ..filter.clone()
            };
            let slow = dashboard::totals(&app.db, committee, &joined)
                .await
                .unwrap();
            let listed = dashboard::all_rows(&app.db, committee, &Filter::year(year), today)
                .await
                .unwrap();
            assert_eq!(
                listed.len() as i64,
                fast.cells,
                "the search matches every cell"
            );
            assert_eq!(fast, slow, "{} {filter:?}", committee.name);
            let rows = dashboard::all_rows(&app.db, committee, &filter, today)
                .await
                .unwrap();
            for (state, count) in &fast.by_state {
                let rows_in = rows.iter().filter(|r| r.state == *state).count() as i64;
                assert_eq!(
                    *count, rows_in,
                    "{state:?} in {} {filter:?}",
                    committee.name
                );
            }
            seen.push(fast);
        }
    }
    seen
}

both! {
    async fn totals_from_the_plans_equal_those_of_the_cells(app: TestApp) {
        let demo = &app.demo;
        let top = demo.commune.path.ids()[0];
        let province = chuyende::db::orgs::get(&app.db, top).await.unwrap().unwrap();
        for committee in [&province, &demo.commune, &demo.bloc] {
            check(&app, committee).await;
        }
        // The numbers are not all zeros: the commune has plans of 2022 in some state, and
        // sessions held in a quarter.
        let commune_2022 = dashboard::totals(&app.db, &demo.commune, &Filter::year(Year::new(2022).unwrap())).await.unwrap();
        assert!(commune_2022.by_state.iter().any(|(s, n)| *s != CellState::None && *n > 0), "{commune_2022:?}");
        assert!(commune_2022.held.iter().any(|n| *n > 0), "{commune_2022:?}");

        // The school moves to the bloc: its plans go with it in both committees' totals.
        let before = dashboard::totals(&app.db, &demo.bloc, &Filter::year(Year::new(2022).unwrap())).await.unwrap();
        let moved = chuyende::app::org_move::move_unit(&app.db, demo.school.id, demo.bloc.id, None).await.unwrap();
        assert!(matches!(moved, chuyende::app::org_move::Outcome::Moved { .. }), "{moved:?}");
        let bloc = chuyende::db::orgs::get(&app.db, demo.bloc.id).await.unwrap().unwrap();
        let commune = chuyende::db::orgs::get(&app.db, demo.commune.id).await.unwrap().unwrap();
        let after = dashboard::totals(&app.db, &bloc, &Filter::year(Year::new(2022).unwrap())).await.unwrap();
        assert_eq!(after.cells, before.cells + 1);
        assert_eq!(after.matching(), before.matching() + 1);
        let commune_after = dashboard::totals(&app.db, &commune, &Filter::year(Year::new(2022).unwrap())).await.unwrap();
        assert_eq!(commune_after.cells, commune_2022.cells - 1);
        for committee in [&province, &commune, &bloc] {
            check(&app, committee).await;
        }
    }
}

//! The demo data set: the units and people of the seed documents, entered through the same
//! functions the application uses. Loading twice changes nothing.

use crate::app;
use crate::db::{Db, members, orgs, plans, users};
use crate::domain::member::{CellRole, MemberDraft, MemberId, Standing};
use crate::domain::org::{Abbreviation, Org, OrgDraft, OrgKind, Year};
use crate::domain::plan::{Plan, copy_to_year};
use crate::domain::samples;
use crate::domain::text::Line;
use crate::domain::user::{Login, Password, UserId};
use crate::password;

mod held;
mod model_sessions;
mod preparation;
use preparation::{load_papers, load_session};

pub const PASSWORD: &str = "chuyende-demo";

/// A demo login and what it shows.
pub struct Account {
    pub login: &'static str,
    pub name: &'static str,
    pub role: &'static str,
}

pub const ACCOUNTS: [Account; 6] = [
    Account {
        login: "admin",
        name: "Quản trị hệ thống",
        role: "Quản trị viên hệ thống",
    },
    Account {
        login: "bithu",
        name: "Lê Thị Bích Ngọc",
        role: "Bí thư Chi bộ Mầm non Định An",
    },
    Account {
        login: "dangvien",
        name: "Nguyễn Thị Ly",
        role: "Đảng viên Chi bộ Mầm non Định An",
    },
    Account {
        login: "danguy",
        name: "Phạm Văn Hùng",
        role: "Cán bộ theo dõi, Đảng ủy xã Định An",
    },
    Account {
        login: "myduyen",
        name: "Võ Thị Mỹ Duyên",
        role: "Đảng viên Chi bộ Mầm non Định An",
    },
    Account {
        login: "vanphong.so",
        name: "Trần Minh Khoa",
        role: "Cán bộ Văn phòng Đảng ủy Sở Giáo dục và Đào tạo",
    },
];

pub const COMMUNE: &str = "Đảng ủy xã Định An";
pub const KINDERGARTEN: &str = "Chi bộ Mầm non Định An";
pub const BLOC: &str = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh";

/// What the demo made, for callers (tests) that build on it.
pub struct Loaded {
    pub commune: Org,
    pub kindergarten: Org,
    pub bloc: Org,
    /// Another cell of the commune, and one of the bloc.
    pub school: Org,
    pub bloc_cell: Org,
}

fn line(text: &str) -> Line {
    Line::parse(text, 200).expect("demo text is valid")
}

fn draft(kind: OrgKind, name: &str, superior: &str, abbreviation: &str, place: &str) -> OrgDraft {
    OrgDraft {
        kind,
        name: line(name),
        superior_name: line(superior),
        abbreviation: Abbreviation::parse(abbreviation).expect("demo abbreviation"),
        place_name: line(place),
        term_start: Year::new(2020).expect("demo year"),
    }
}

fn member(name: &str, role: CellRole, standing: Standing) -> MemberDraft {
    MemberDraft {
        full_name: line(name),
        standing,
        role,
        birth_year: None,
        phone: None,
        email: None,
    }
}

async fn ensure_user(db: &Db, account: &Account, hash: &str) -> anyhow::Result<UserId> {
    if let Some(user) = users::find_by_login(db, account.login).await? {
        return Ok(user.id);
    }
    let login = Login::parse(account.login).expect("demo login");
    let new = users::NewUser {
        login: &login,
        full_name: account.name,
        password_hash: hash,
        is_admin: account.login == "admin",
    };
    Ok(users::create(db, &new, None).await?)
}

async fn add(db: &Db, parent: Option<&Org>, draft: &OrgDraft) -> anyhow::Result<Org> {
    let id = orgs::create(db, parent, draft, None).await?;
    Ok(orgs::get(db, id).await?.expect("just created"))
}

async fn add_members(
    db: &Db,
    cell: &Org,
    people: &[(&str, CellRole, Standing)],
) -> anyhow::Result<Vec<MemberId>> {
    let mut ids = Vec::new();
    for (name, role, standing) in people {
        ids.push(members::create(db, cell.id, &member(name, *role, *standing), None, None).await?);
    }
    Ok(ids)
}

/// Loads the demo data unless it is there already, and returns its units.
pub async fn load(db: &Db) -> anyhow::Result<Loaded> {
    let hash = password::hash(&Password::parse(PASSWORD).expect("demo password")).await?;
    let mut ids = Vec::new();
    for account in &ACCOUNTS {
        ids.push(ensure_user(db, account, &hash).await?);
    }
    let [
        _,
        secretary,
        member_ly,
        reviewer,
        second_member,
        model_staff,
    ] = ids[..]
    else {
        unreachable!("six demo accounts")
    };

    if let Some(loaded) = find(db).await? {
        load_plans(db, &loaded).await?;
        load_session(db, &loaded).await?;
        load_papers(db, &loaded).await?;
        held::load(db, &loaded).await?;
        model_sessions::load(db, model_staff).await?;
        return Ok(loaded);
    }

    use CellRole::*;
    use Standing::*;
    let commune = add(
        db,
        None,
        &draft(
            OrgKind::Committee,
            COMMUNE,
            "Đảng bộ tỉnh Đồng Tháp",
            "ĐU",
            "Định An",
        ),
    )
    .await?;
    let superior = "Đảng bộ xã Định An";
    let kindergarten = add(
        db,
        Some(&commune),
        &draft(OrgKind::Cell, KINDERGARTEN, superior, "CB", "Định An"),
    )
    .await?;
    let people = add_members(
        db,
        &kindergarten,
        &[
            ("Lê Thị Bích Ngọc", Secretary, Full),
            ("Nguyễn Thanh Tâm", DeputySecretary, Full),
            ("Nguyễn Thị Thanh Tâm", CellCommitteeMember, Full),
            ("Nguyễn Thị Ly", Member, Full),
            ("Trần Thị Kim Hoa", Member, Full),
            ("Võ Thị Mỹ Duyên", Member, Full),
            ("Huỳnh Thị Ngọc Hân", Member, Full),
            ("Phan Thị Thu Trang", Member, Probationary),
        ],
    )
    .await?;
    members::link_user(db, people[0], secretary).await?;
    members::link_user(db, people[3], member_ly).await?;
    members::link_user(db, people[5], second_member).await?;

    let school = add(
        db,
        Some(&commune),
        &draft(
            OrgKind::Cell,
            "Chi bộ Trường Tiểu học Định An",
            superior,
            "CB",
            "Định An",
        ),
    )
    .await?;
    add_members(
        db,
        &school,
        &[
            ("Đỗ Văn Thành", Secretary, Full),
            ("Lâm Thị Tuyết", DeputySecretary, Full),
            ("Nguyễn Văn Phúc", Member, Full),
            ("Trương Thị Mai", Member, Full),
            ("Lý Hoàng Nam", Member, Probationary),
        ],
    )
    .await?;
    let hamlet = add(
        db,
        Some(&commune),
        &draft(
            OrgKind::Cell,
            "Chi bộ ấp Định Thành",
            superior,
            "CB",
            "Định An",
        ),
    )
    .await?;
    add_members(
        db,
        &hamlet,
        &[
            ("Nguyễn Văn Sáu", Secretary, Full),
            ("Trần Văn Lợi", Member, Full),
            ("Lê Thị Năm", Member, Full),
            ("Phạm Văn Đức", Member, Full),
        ],
    )
    .await?;
    users::add_review(db, reviewer, commune.id, None).await?;

    let province = add(
        db,
        None,
        &draft(
            OrgKind::Committee,
            "Đảng bộ tỉnh Hà Tĩnh",
            "Đảng Cộng sản Việt Nam",
            "TU",
            "Hà Tĩnh",
        ),
    )
    .await?;
    let bloc = add(
        db,
        Some(&province),
        &draft(
            OrgKind::Committee,
            BLOC,
            "Đảng bộ tỉnh Hà Tĩnh",
            "ĐUK",
            "Hà Tĩnh",
        ),
    )
    .await?;
    let bloc_superior = "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh";
    let bloc_cell = add(
        db,
        Some(&bloc),
        &draft(
            OrgKind::Cell,
            "Chi bộ Văn phòng Đảng ủy Khối",
            bloc_superior,
            "CB",
            "Hà Tĩnh",
        ),
    )
    .await?;
    add_members(
        db,
        &bloc_cell,
        &[
            ("Đặng Ngọc Sơn", Secretary, Full),
            ("Nguyễn Thị Hương", Member, Full),
            ("Bùi Quang Vinh", Member, Full),
        ],
    )
    .await?;
    for (name, people) in [
        (
            "Chi bộ Sở Tư pháp",
            [
                ("Hoàng Văn Toàn", Secretary),
                ("Phạm Thị Lan", Member),
                ("Trần Đình Khánh", Member),
            ],
        ),
        (
            "Chi bộ Sở Tài chính",
            [
                ("Nguyễn Đức Minh", Secretary),
                ("Lê Thị Hà", Member),
                ("Võ Văn Quý", Member),
            ],
        ),
        (
            "Chi bộ Báo Hà Tĩnh",
            [
                ("Dương Thị Thảo", Secretary),
                ("Hồ Văn Lực", Member),
                ("Nguyễn Thị Nga", Member),
            ],
        ),
    ] {
        let cell = add(
            db,
            Some(&bloc),
            &draft(OrgKind::Cell, name, bloc_superior, "CB", "Hà Tĩnh"),
        )
        .await?;
        let people: Vec<_> = people.iter().map(|(n, r)| (*n, *r, Full)).collect();
        add_members(db, &cell, &people).await?;
    }

    let loaded = Loaded {
        commune,
        kindergarten,
        bloc,
        school,
        bloc_cell,
    };
    load_plans(db, &loaded).await?;
    load_session(db, &loaded).await?;
    load_papers(db, &loaded).await?;
    held::load(db, &loaded).await?;
    // Seed 004's tree, after the others so that their ids stay as they were.
    model_sessions::load(db, model_staff).await?;
    Ok(loaded)
}

/// The seed plans: the kindergarten's 2022 plan (seed 002), its copy for the current year,
/// and the model plan (seed 003) for the primary school. Each is stored once.
async fn load_plans(db: &Db, loaded: &Loaded) -> anyhow::Result<()> {
    // The demo sends no e-mail: its addresses are made up.
    let ctx = app::Ctx { db, mail: false };
    let year_2022 = Year::new(2022).expect("valid year");
    for (cell, secretary, build) in [
        (
            &loaded.kindergarten,
            "Lê Thị Bích Ngọc",
            samples::kindergarten_plan_2022 as fn(&Org, samples::MemberLookup, &str) -> Plan,
        ),
        (&loaded.school, "Đỗ Văn Thành", samples::model_plan_2022),
    ] {
        if plans::find(db, cell.id, year_2022).await?.is_some() {
            continue;
        }
        let people = members::list(db, cell.id).await?;
        let lookup = |name: &str| people.iter().find(|m| m.full_name == name).map(|m| m.id);
        let mut plan = build(cell, &lookup, secretary);
        let all = plan.topics.len();
        let id = app::plans::store_numbered(ctx, None, cell, &mut plan, all)
            .await?
            .ok_or_else(incomplete)?;

        // This year's plan of the kindergarten, copied from 2022, so that "Việc của tôi" has
        // work that is due now.
        let this_year =
            Year::new(chrono::Datelike::year(&chrono::Local::now())).expect("a current year");
        if cell.id == loaded.kindergarten.id && plans::find(db, cell.id, this_year).await?.is_none()
        {
            let stored = plans::get(db, id).await?.ok_or_else(incomplete)?;
            let mut copy = copy_to_year(&stored, this_year, None);
            let all = copy.topics.len();
            app::plans::store_numbered(ctx, None, cell, &mut copy, all).await?;
        }
    }
    Ok(())
}

/// The demo's units, if they were loaded before.
async fn find(db: &Db) -> anyhow::Result<Option<Loaded>> {
    let roots = orgs::roots(db).await?;
    let Some(commune) = roots.iter().find(|o| o.name == COMMUNE).cloned() else {
        return Ok(None);
    };
    let cells = orgs::cells_within(db, &commune, 100).await?;
    let by_name = |cells: &[Org], name: &str| cells.iter().find(|c| c.name == name).cloned();
    let kindergarten = by_name(&cells, KINDERGARTEN).ok_or_else(incomplete)?;
    let school = by_name(&cells, "Chi bộ Trường Tiểu học Định An").ok_or_else(incomplete)?;
    let province = roots
        .iter()
        .find(|o| o.name == "Đảng bộ tỉnh Hà Tĩnh")
        .ok_or_else(incomplete)?;
    let bloc = orgs::children(db, province.id).await?;
    let bloc_id = bloc
        .iter()
        .find(|c| c.name == BLOC)
        .map(|c| c.id)
        .ok_or_else(incomplete)?;
    let bloc = orgs::get(db, bloc_id).await?.ok_or_else(incomplete)?;
    let bloc_cells = orgs::cells_within(db, &bloc, 100).await?;
    let bloc_cell = by_name(&bloc_cells, "Chi bộ Văn phòng Đảng ủy Khối").ok_or_else(incomplete)?;
    Ok(Some(Loaded {
        commune,
        kindergarten,
        bloc,
        school,
        bloc_cell,
    }))
}

fn incomplete() -> anyhow::Error {
    anyhow::anyhow!("the demo data is incomplete; load it into an empty database")
}

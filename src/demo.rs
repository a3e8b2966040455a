//! The demo data set: the units and people of the seed documents, entered through the same
//! functions the application uses. Loading twice changes nothing.

use crate::app;
use crate::db::{Db, members, orgs, plans, users};
use crate::domain::member::{CellRole, MemberDraft, MemberId, Standing};
use crate::domain::org::{Abbreviation, Org, OrgDraft, OrgKind, Year};
use crate::domain::plan::{Plan, copy_to_year};
use crate::domain::samples;
use crate::domain::session::{SessionDraft, StartTime};
use crate::domain::text::Line;
use crate::domain::user::{Login, Password, UserId};
use crate::password;

pub const PASSWORD: &str = "chuyende-demo";

/// A demo login and what it shows.
pub struct Account {
    pub login: &'static str,
    pub name: &'static str,
    pub role: &'static str,
}

pub const ACCOUNTS: [Account; 5] = [
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
    let [_, secretary, member_ly, reviewer, second_member] = ids[..] else {
        unreachable!("five demo accounts")
    };

    if let Some(loaded) = find(db).await? {
        load_plans(db, &loaded).await?;
        load_session(db, &loaded).await?;
        load_papers(db, &loaded).await?;
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

/// A scheduled session on the kindergarten's plan of this year, so that the plan page, the
/// session page and "Việc của tôi" show one: the first topic not yet held, a week or more
/// from today, in the afternoon, with the regular monthly meeting. Scheduled once.
async fn load_session(db: &Db, loaded: &Loaded) -> anyhow::Result<()> {
    let ctx = app::Ctx { db, mail: false };
    let today = chrono::Local::now().date_naive();
    let year = Year::new(chrono::Datelike::year(&today)).expect("a current year");
    let cell = &loaded.kindergarten;
    let Some(plan_id) = plans::find(db, cell.id, year).await? else {
        return Ok(());
    };
    if !app::sessions::open_of_plan(db, plan_id).await?.is_empty() {
        return Ok(());
    }
    let plan = plans::get(db, plan_id).await?.ok_or_else(incomplete)?;
    let due = |t: &crate::domain::plan::Topic| t.session.map(|d| d.deadline());
    let Some(topic) = plan
        .topics
        .iter()
        .find(|t| due(t).is_some_and(|d| d >= today))
        .or(plan.topics.last())
    else {
        return Ok(());
    };
    let week_on = today + chrono::Days::new(7);
    let planned = topic
        .session
        .map(|d| d.start() + chrono::Days::new(14))
        .unwrap_or(week_on);
    let last_day = chrono::NaiveDate::from_ymd_opt(year.get(), 12, 31).expect("a last day");
    let date = planned.max(week_on).min(last_day).max(today);
    let people = members::list(db, cell.id).await?;
    let person = |name: &str| {
        people
            .iter()
            .find(|m| m.full_name == name)
            .map(|m| crate::domain::plan::Assignee {
                member: m.id,
                name: m.full_name.clone(),
            })
    };
    let draft = SessionDraft {
        date,
        start: StartTime::new(14 * 60).expect("a time"),
        duration: 150,
        venue: line("Phòng họp Trường Mầm non Định An"),
        chair: person("Lê Thị Bích Ngọc"),
        minute_taker: person("Nguyễn Thị Thanh Tâm"),
        combined: true,
    };
    let target = app::sessions::Target::of(&plan, cell, topic);
    app::sessions::schedule(ctx, None, target, &draft, false).await?;
    Ok(())
}

/// The papers of the demo session's topic, presented by Nguyễn Thị Ly: draft 1 sent to the
/// members, commented on, answered and closed; draft 2 sent, with a comment not yet answered.
/// Added once.
async fn load_papers(db: &Db, loaded: &Loaded) -> anyhow::Result<()> {
    use crate::domain::paper::{Answer, CommentDraft, PaperDraft, Stage, Verdict};
    let ctx = app::Ctx { db, mail: false };
    let today = chrono::Local::now().date_naive();
    let year = Year::new(chrono::Datelike::year(&today)).expect("a current year");
    let cell = &loaded.kindergarten;
    let Some(plan_id) = plans::find(db, cell.id, year).await? else {
        return Ok(());
    };
    let Some(session) = app::sessions::open_of_plan(db, plan_id).await?.pop() else {
        return Ok(());
    };
    if !app::papers::of_topic(db, session.topic_id)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let plan = plans::get(db, plan_id).await?.ok_or_else(incomplete)?;
    let topic = plan
        .topics
        .iter()
        .find(|t| t.id == session.topic_id)
        .ok_or_else(incomplete)?;
    let target = app::sessions::Target::of(&plan, cell, topic);
    let mut accounts = Vec::new();
    for login in ["dangvien", "bithu", "myduyen"] {
        accounts.push(users::find_by_login(db, login).await?.map(|u| u.id));
    }
    let [presenter, secretary, member] = accounts[..] else {
        unreachable!("three logins")
    };
    let body = |lines: &[&str]| lines.join("\n");
    let mut first = None;
    for (stage, text) in [
        (
            Stage::Draft1,
            body(&[
                "I. Sự cần thiết của chuyên đề: tai nạn thương tích ở trẻ mầm non vẫn xảy ra, phần lớn có thể phòng tránh.",
                "II. Thực trạng tại trường: cơ sở vật chất đã được rà soát; còn khu vực sân chơi chưa có rào chắn.",
                "III. Giải pháp: kiểm tra an toàn hằng tháng, tập huấn sơ cứu cho giáo viên, phối hợp với cha mẹ trẻ.",
                "IV. Trách nhiệm của đảng viên: gương mẫu thực hiện, phát hiện và báo cáo kịp thời nguy cơ mất an toàn.",
            ]),
        ),
        (
            Stage::Draft2,
            body(&[
                "I. Sự cần thiết của chuyên đề (đã bổ sung số liệu năm học trước).",
                "II. Thực trạng tại trường và kết quả khắc phục khu vực sân chơi.",
                "III. Giải pháp và phân công thực hiện đến từng tổ chuyên môn.",
            ]),
        ),
    ] {
        let draft = PaperDraft {
            stage,
            body: text,
            upload: None,
        };
        let id = app::papers::add(ctx, presenter, target, &draft).await?;
        app::papers::circulate(ctx, secretary, target, id, today).await?;
        let paper = app::papers::get(db, id).await?.ok_or_else(incomplete)?;
        first.get_or_insert(paper.clone());
        let comments: &[(Option<u32>, &str, Option<UserId>)] = if stage == Stage::Draft1 {
            &[
                (
                    Some(2),
                    "Đề nghị nêu rõ số vụ tai nạn của năm học trước để thấy mức độ.",
                    member,
                ),
                (
                    None,
                    "Bố cục nên thêm phần kiến nghị với nhà trường.",
                    secretary,
                ),
            ]
        } else {
            &[(
                Some(3),
                "Nên ghi thời hạn hoàn thành cho từng giải pháp.",
                member,
            )]
        };
        for (paragraph, text, by) in comments {
            let draft = CommentDraft {
                paragraph: *paragraph,
                body: (*text).to_owned(),
            };
            app::papers::add_comment(ctx, *by, target, &paper, &draft).await?;
        }
    }
    let first = first.ok_or_else(incomplete)?;
    let comments = app::papers::comments(db, first.id).await?;
    let answers = [
        (Verdict::Taken, "Đã bổ sung số liệu vào dự thảo lần 2."),
        (
            Verdict::Rejected,
            "Kiến nghị sẽ nêu trong báo cáo kết quả sinh hoạt, không đưa vào chuyên đề.",
        ),
    ];
    for (comment, (verdict, reply)) in comments.iter().zip(answers) {
        let answer = Answer {
            verdict,
            reply: reply.to_owned(),
        };
        app::papers::answer(ctx, presenter, target, comment, comment.version, &answer).await?;
    }
    app::papers::close(ctx, presenter, target, &first, comments.len(), today).await?;
    // The story is replayed at load time: its notices would all say "just now" to the demo's
    // accounts, so they are not kept.
    for paper in app::papers::of_topic(db, topic.id).await? {
        crate::db::notifications::forget_unsent(db, &format!("/papers/{}", paper.id)).await?;
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

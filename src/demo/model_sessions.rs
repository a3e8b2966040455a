//! Seed 004: Đảng ủy Sở Giáo dục và Đào tạo, a committee of Thành phố Hồ Chí Minh, with the two
//! grassroots committees whose cells host its model meetings, and its plan Số 82-KH/ĐU to
//! stage them (issued). Its staff account reviews the committee. Loaded once.

use chrono::NaiveDate;

use super::{add, draft, incomplete};
use crate::app;
use crate::app::model_delegates::{self as delegates, Meeting};
use crate::app::model_sessions::{self as model, Outcome};
use crate::db::{Db, orgs, users};
use crate::domain::member::{CellRole, Standing};
use crate::domain::model_delegates::{Invitations, Person};
use crate::domain::model_session::{ModelKind, ModelPlanParts, ModelSessionDraft};
use crate::domain::org::{OrgKind, Year};
use crate::domain::plan::{
    Authority, BasisDoc, BasisKind, DocNumber, Recipient, Signature, SignerTitle,
};
use crate::domain::session::StartTime;
use crate::domain::user::UserId;

pub const COMMITTEE: &str = "Đảng ủy Sở Giáo dục và Đào tạo";
const COLLEGE: &str = "Đảng bộ Trường Cao đẳng Lý Tự Trọng Tp Hồ Chí Minh";
const SCHOOL: &str = "Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12";

fn texts(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_owned()).collect()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn basis(
    kind: BasisKind,
    number: &str,
    on: Option<NaiveDate>,
    issuer: &str,
    subject: &str,
) -> BasisDoc {
    BasisDoc {
        kind,
        number: number.into(),
        date: on,
        issuer: issuer.into(),
        subject: subject.into(),
    }
}

/// The seed's text parts, as written.
fn seed_parts() -> ModelPlanParts {
    ModelPlanParts {
        subject: "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu".into(),
        basis_lead: "Thực hiện".into(),
        basis: vec![
            basis(BasisKind::Directive, "10-CT/TW", date(2007, 3, 30), "Ban Bí thư", "nâng cao chất lượng sinh hoạt chi bộ"),
            basis(BasisKind::Guidance, "12-HD/BTCTW", date(2017, 7, 6), "Ban Tổ chức Trung ương", "một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ"),
            basis(BasisKind::Guidance, "02-HD/TU", date(2019, 3, 22), "Ban Thường vụ Thành ủy", "nội dung sinh hoạt chi bộ và tiêu chí đánh giá chất lượng sinh hoạt chi bộ"),
        ],
        basis_closing: "Đảng ủy Sở giáo dục và Đào tạo xây dựng kế hoạch tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu như sau:".into(),
        purposes: texts(&[
            "Tạo sự chuyển biến, khắc phục những hạn chế, yếu kém trong thực hiện nội dung sinh hoạt chi bộ. Xây dựng chi bộ thực sự là hạt nhân lãnh đạo, thực hiện tốt nhiệm vụ giáo dục, quản lý, giám sát và rèn luyện đội ngũ đảng viên, góp phần thiết thực, khắc phục những thiếu sót, khuyết điểm sau kiểm điểm tự phê bình, phê bình theo Kết luận số 21-KL/TW ngày 25 tháng 10 năm 2021 của Hội nghị lần thứ 4 Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị;",
            "Nâng cao nhận thức, trách nhiệm của các cấp ủy, tổ chức đảng về vai trò, vị trí của chi bộ, sinh hoạt chi bộ, ý nghĩa và tầm quan trọng của việc nâng cao chất lượng sinh hoạt chi bộ; đồng thời giúp cho các cấp ủy, bí thư chi bộ nắm vững các nguyên tắc, quy định về quy trình, phương pháp tổ chức sinh hoạt chi bộ theo quy định.",
            "Qua hội nghị, rút ra kinh nghiệm, chỉ rõ những hạn chế, nguyên nhân và giải pháp khắc phục trong công tác tổ chức sinh hoạt chi bộ thường kỳ; góp phần xây dựng chi bộ vững mạnh, phát huy vai trò nòng cốt, trách nhiệm của đảng viên trong thực hiện nhiệm vụ của đơn vị.",
        ]),
        requirements: Vec::new(),
        attendees: texts(&[
            "Đại diện Thường trực Thành ủy; lãnh đạo Ban Tổ chức Thành ủy; lãnh đạo, chuyên viên các phòng thuộc Ban Tổ chức Thành ủy.",
            "Đại diện Ban Thường vụ; Ủy viên Ban Chấp hành Đảng bộ Sở; trưởng, phó các Ban xây dựng Đảng; lãnh đạo, chuyên viên Văn phòng Đảng ủy Sở.",
            "Cấp ủy đảng bộ, chi bộ cơ sở",
            "Cấp ủy các chi bộ trực thuộc đảng bộ cơ sở",
            "Đảng viên các chi bộ thực hiện sinh hoạt mẫu.",
        ]),
        duties: texts(&[
            "1. Ban Tổ chức Đảng ủy",
            "Phối hợp với các cấp ủy được phân công nêu trên chuẩn bị nội dung, chương trình chi tiết hội nghị sinh hoạt chi bộ mẫu đúng quy định, phân công dẫn chương trình hội nghị",
            "Thẩm định nội dung sinh hoạt chi bộ mẫu.",
            "Tổng hợp ý kiến của các đại biểu tham dự hội nghị.",
            "2. Văn phòng Đảng ủy",
            "Phát hành giấy mời theo thành phần; các tập thể và cá nhân có liên quan; mời cơ quan báo chí Thành phố (để đưa tin nếu có).",
            "Phối hợp công tác hậu cần với các đơn vị tổ chức hội nghị; phân công cán bộ hỗ trợ hướng dẫn, phục vụ hội nghị.",
            "Diễm danh hội nghị.",
            "3. Cấp ủy các Đảng bộ, chi bộ: cử cán bộ tham dự theo đúng thành phần. Sau khi tham dự sinh hoạt chi bộ mẫu, các đại biểu tham dự hội nghị thảo luận, góp ý, chỉ ra những mặt làm được để tiếp tục phát huy, mặt hạn chế, chưa đúng để khắc phục và bổ sung những thiếu sót trong quá trình chuẩn bị, tổ chức sinh hoạt và công tác điều hành của cấp ủy thực hiện sinh hoạt chi bộ mẫu nhằm đảm bảo thành công của hội nghị",
        ]),
        recipients: ["Ban Thường vụ Đảng ủy", "Văn phòng Đảng ủy Sở", "Ban Tổ chức Đảng ủy", "Các cấp ủy cơ sở"]
            .map(|name| Recipient {
                name: name.into(),
                for_report: false,
            })
            .to_vec(),
        archive: "Lưu Văn phòng Đảng ủy".into(),
        signature: Signature {
            authority: Authority::StandingCommittee,
            title: SignerTitle::Secretary,
            signer: None,
            signer_name: "Nguyễn Văn Hiếu".into(),
        },
    }
}

/// The committee, its two grassroots committees and their host cells, the staff account's
/// review, and the issued plan with its two model meetings; nothing if the committee is there.
pub(super) async fn load(db: &Db, staff: UserId) -> anyhow::Result<()> {
    if orgs::roots(db).await?.iter().any(|o| o.name == COMMITTEE) {
        return Ok(());
    }
    use CellRole::*;
    use Standing::*;
    let place = "Thành phố Hồ Chí Minh";
    let committee = add(
        db,
        None,
        &draft(
            OrgKind::Committee,
            COMMITTEE,
            "Đảng bộ Thành phố Hồ Chí Minh",
            "ĐU",
            place,
        ),
    )
    .await?;
    users::add_review(db, staff, committee.id, None).await?;
    let mut hosts = Vec::new();
    let mut units = Vec::new();
    for (unit, cell, people) in [
        (
            COLLEGE,
            "Chi bộ 01",
            [
                ("Lê Văn Tâm", Secretary),
                ("Ngô Thị Hạnh", DeputySecretary),
                ("Phạm Quốc Bảo", Member),
                ("Đinh Thị Thu", Member),
            ],
        ),
        (
            SCHOOL,
            "Chi bộ 4",
            [
                ("Võ Thanh Sơn", Secretary),
                ("Bùi Thị Lan", DeputySecretary),
                ("Trịnh Văn Hòa", Member),
                ("Mai Thị Yến", Member),
            ],
        ),
    ] {
        let unit = add(
            db,
            Some(&committee),
            &draft(OrgKind::Committee, unit, COMMITTEE, "ĐU", place),
        )
        .await?;
        let cell = add(
            db,
            Some(&unit),
            &draft(OrgKind::Cell, cell, &unit.name, "CB", place),
        )
        .await?;
        let people: Vec<_> = people.iter().map(|(n, r)| (*n, *r, Full)).collect();
        super::add_members(db, &cell, &people).await?;
        hosts.push(cell);
        units.push(unit);
    }

    let ctx = app::Ctx { db, mail: false };
    let year = Year::new(2024).expect("valid year");
    let id = model::create(ctx, None, &committee, year).await?;
    let mut plan = model::get(db, id).await?.ok_or_else(incomplete)?;
    plan.number = DocNumber::parse("82-KH/ĐU").expect("seed number");
    plan.place = place.into();
    plan.issued_on = date(2024, 3, 1);
    plan.parts = seed_parts();
    let done = |outcome: Outcome| {
        (outcome == Outcome::Done)
            .then_some(())
            .ok_or_else(incomplete)
    };
    done(model::save(ctx, &committee, &plan, plan.version).await?)?;
    for (kind, host, on, venue, address) in [
        (
            ModelKind::Regular,
            &hosts[0],
            date(2024, 3, 28),
            "Hội trường Trường Cao đẳng Lý Tự Trọng",
            "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình",
        ),
        (
            ModelKind::Thematic,
            &hosts[1],
            date(2024, 4, 18),
            "Hội trường Trường Trung cấp Kinh tế - Kỹ thuật Quận 12",
            "592 Nguyễn Ảnh Thủ, Phường Trung Mỹ Tây, Quận 12",
        ),
    ] {
        let meeting = ModelSessionDraft {
            kind,
            host: host.id,
            date: on.ok_or_else(incomplete)?,
            start: StartTime::new(8 * 60).ok_or_else(incomplete)?,
            venue: venue.into(),
            address: address.into(),
            topic: None,
            topic_title: String::new(),
        };
        done(model::add_session(ctx, &committee, id, &meeting).await?)?;
    }
    // Each meeting invites the other grassroots committee and its cell, before the plan is
    // issued; the delegates close their registration a week ahead.
    let plan = model::get(db, id).await?.ok_or_else(incomplete)?;
    for (i, session) in plan.sessions.iter().enumerate() {
        let other = 1 - i;
        let invitations = Invitations {
            units: vec![units[other].id, hosts[other].id],
            register_by: session.date.checked_sub_days(chrono::Days::new(7)),
            scored: session.kind == ModelKind::Thematic,
        };
        let meeting = Meeting {
            plan: &plan,
            committee: &committee,
            session,
        };
        let invited = delegates::set_invitations(ctx, Some(staff), meeting, &invitations).await?;
        (invited == delegates::Outcome::Done)
            .then_some(())
            .ok_or_else(incomplete)?;
    }
    let version = model::get(db, id).await?.ok_or_else(incomplete)?.version;
    done(model::issue(ctx, Some(staff), id, version).await?)?;
    // The invited cells name two of their members (entered by the committee's staff, the
    // deadlines of 2024 being past), and the first meeting's delegates are recorded as come.
    let plan = model::get(db, id).await?.ok_or_else(incomplete)?;
    for (i, session) in plan.sessions.iter().enumerate() {
        let cell = &hosts[1 - i];
        let meeting = Meeting {
            plan: &plan,
            committee: &committee,
            session,
        };
        let people: Vec<Person> = delegates::candidates(db, cell)
            .await?
            .into_iter()
            .take(2)
            .map(|c| c.person)
            .collect();
        delegates::register(ctx, Some(staff), meeting, cell, &people, true).await?;
        if i == 0 {
            let came: Vec<_> = delegates::delegates(db, session.id)
                .await?
                .iter()
                .map(|d| d.id)
                .collect();
            delegates::record_attendance(ctx, Some(staff), meeting, &came).await?;
        }
    }
    Ok(())
}

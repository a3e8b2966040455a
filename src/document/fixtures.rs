//! Plans the document tests build from: the two seed plans of `crate::domain::samples`, issued by the
//! kindergarten cell, and a plan full of text that would break a renderer that spliced it.

use chrono::NaiveDate;

use crate::domain::calendar::{Due, Quarter, YearMonth};
use crate::domain::member::MemberId;
use crate::domain::org::{Org, OrgKind, OrgPath, Year};
use crate::domain::plan::StepId;
use crate::domain::plan::{
    Assignee, DocNumber, Plan, PlanStatus, Presenter, Recipient, Step, StepKind, TopicSource,
};
use crate::domain::samples;

use crate::domain::model_session::{
    Host, ModelKind, ModelPlanStatus, ModelSession, ModelSessionId, ModelSessionPlan, blank,
};
use crate::domain::org::OrgId;
use crate::domain::plan::{BasisDoc, BasisKind};
use crate::domain::session::StartTime;

use super::{Block, Document, Level, Row};

pub const SECRETARY: &str = "Trần Thị Hồng Nhung";

pub fn cell() -> Org {
    Org {
        id: crate::domain::org::OrgId(7),
        parent_id: Some(crate::domain::org::OrgId(1)),
        kind: OrgKind::Cell,
        name: "Chi bộ Mầm non Định An".into(),
        superior_name: "Đảng bộ xã Định An".into(),
        abbreviation: "CB".into(),
        place_name: "Định An".into(),
        term_start: Year::new(2020).expect("valid year"),
        path: OrgPath::root(crate::domain::org::OrgId(1)).child(crate::domain::org::OrgId(7)),
    }
}

fn lookup(name: &str) -> Option<MemberId> {
    [
        SECRETARY,
        "Nguyễn Thanh Tâm",
        "Nguyễn Thị Thanh Tâm",
        "Nguyễn Thị Ly",
    ]
    .iter()
    .position(|known| *known == name)
    .map(|i| MemberId(i as i64 + 1))
}

/// Seed 002, as adopted and numbered.
pub fn kindergarten() -> Plan {
    let mut plan = samples::kindergarten_plan_2022(&cell(), &lookup, SECRETARY);
    plan.status = PlanStatus::Adopted;
    plan.number = Some(DocNumber::plan(5, "CB"));
    plan
}

/// Seed 003: four topics, twenty timeline rows; a draft without number or date.
pub fn model() -> Plan {
    samples::model_plan_2022(&cell(), &lookup, SECRETARY)
}

/// Text that means something in typst, HTML, XML or askama, and a word too long for a line.
pub const HOSTILE: &str =
    "#set [x] $y$ \\z <script>alert(1)</script> {{ bad }} {% if %} &amp; @ref *b* _i_";

pub fn long_word() -> String {
    "Siêucalifragilisticexpialidocious".repeat(5)
}

/// The model plan with hostile text in every kind of field, a mandated topic and a group.
pub fn hostile() -> Plan {
    let mut plan = model();
    plan.subject = format!("sinh hoạt {HOSTILE}");
    plan.basis_closing = format!("Căn cứ {}", long_word());
    plan.purposes.push(HOSTILE.to_owned());
    let topic = &mut plan.topics[0];
    topic.title = format!("Chủ đề {HOSTILE}");
    topic.content = format!("{}\nDòng hai {HOSTILE}", long_word());
    topic.presenter = Presenter::Group(format!("Tổ {HOSTILE}"));
    topic.source = TopicSource::Mandated(format!("Kế hoạch {HOSTILE}"));
    topic.quarter = Quarter::new(1);
    topic.steps.push(Step {
        id: StepId::NEW,
        kind: StepKind::Other,
        label: format!("Việc {HOSTILE}"),
        due: YearMonth::new(2022, 3).map(Due::Month),
        assignees: vec![Assignee {
            member: crate::domain::member::MemberId(1),
            name: format!("Người {HOSTILE}"),
        }],
        note: long_word(),
        done_on: NaiveDate::from_ymd_opt(2022, 3, 1),
    });
    plan.recipients.push(Recipient {
        name: format!("Nơi {HOSTILE}"),
        for_report: false,
    });
    plan.signature.signer_name = format!("Ký {HOSTILE}");
    plan
}

/// The needles are found in `haystack` one after the other, in this order.
pub fn assert_in_order(haystack: &str, needles: &[String]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle.as_str()) {
            Some(at) => from += at + needle.len(),
            None => panic!(
                "{needle:?} not found after byte {from}; the text there is {:?}",
                haystack[from..].chars().take(300).collect::<String>()
            ),
        }
    }
}

/// The document flattened to one line per thing printed, with a mark for its kind:
/// `§` part heading, `§§` item heading, `¶` paragraph, `#` table group row, `|` table row.
pub fn outline(doc: &Document) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Paragraph { runs } => out.push(format!(
                    "¶ {}",
                    runs.iter().map(|r| &*r.text).collect::<String>()
                )),
                Block::Section(section) => {
                    let mark = match section.level {
                        Level::Part => "§",
                        Level::Item => "§§",
                    };
                    out.push(format!("{mark} {}", section.heading()));
                    walk(&section.blocks, out);
                }
                Block::Table(table) => {
                    out.push(format!("| {}", table.columns.join(" | ")));
                    for row in &table.rows {
                        out.push(match row {
                            Row::Group { text } => format!("# {text}"),
                            Row::Cells { cells } => format!("| {}", cells.join(" | ")),
                        });
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.body, &mut out);
    out
}

/// The committee of seed 004.
pub fn model_committee() -> Org {
    Org {
        id: OrgId(3),
        parent_id: None,
        kind: OrgKind::Committee,
        name: "Đảng ủy Sở Giáo dục và Đào tạo".into(),
        superior_name: "Đảng bộ Thành phố Hồ Chí Minh".into(),
        abbreviation: "ĐU".into(),
        place_name: "Thành phố Hồ Chí Minh".into(),
        term_start: Year::new(2020).unwrap(),
        path: OrgPath::root(OrgId(3)),
    }
}

/// A model meeting of seed 004, at 08:00 in the host's hall.
pub fn model_session(kind: ModelKind, name: &str, superior: &str, date: NaiveDate) -> ModelSession {
    ModelSession {
        id: ModelSessionId(1),
        kind,
        host: Host {
            id: OrgId(9),
            name: name.into(),
            superior_name: superior.into(),
        },
        date,
        start: StartTime::new(8 * 60).unwrap(),
        venue: format!("Hội trường {superior}"),
        address: "390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình".into(),
        topic: None,
        topic_title: String::new(),
    }
}

/// Seed 004's plan, issued, with its two model meetings.
pub fn model_plan() -> ModelSessionPlan {
    let org = model_committee();
    let mut plan = blank(
        &org,
        Year::new(2024).unwrap(),
        DocNumber::parse("82-KH/ĐU").unwrap(),
    );
    plan.status = ModelPlanStatus::Issued;
    plan.parts.basis = vec![BasisDoc {
        kind: BasisKind::Directive,
        number: "10-CT/TW".into(),
        date: NaiveDate::from_ymd_opt(2007, 3, 30),
        issuer: "Ban Bí thư".into(),
        subject: "nâng cao chất lượng sinh hoạt chi bộ".into(),
    }];
    plan.parts.purposes = vec!["Tạo sự chuyển biến.".into(), "Nâng cao nhận thức.".into()];
    plan.parts.duties = [
        "1. Ban Tổ chức Đảng ủy",
        "Thẩm định nội dung sinh hoạt chi bộ mẫu.",
        "2. Văn phòng Đảng ủy",
        "Diễm danh hội nghị.",
    ]
    .map(String::from)
    .to_vec();
    plan.parts.recipients.push(Recipient {
        name: "Ban Tổ chức Đảng ủy".into(),
        for_report: false,
    });
    plan.parts.signature.signer_name = "Nguyễn Văn Hiếu".into();
    plan.sessions = vec![
        model_session(
            ModelKind::Regular,
            "Chi bộ 01",
            "Đảng bộ Trường Cao đẳng Lý Tự Trọng",
            NaiveDate::from_ymd_opt(2024, 3, 28).unwrap(),
        ),
        model_session(
            ModelKind::Thematic,
            "Chi bộ 4",
            "Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12",
            NaiveDate::from_ymd_opt(2024, 4, 18).unwrap(),
        ),
    ];
    plan
}

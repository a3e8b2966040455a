//! The plans of the seed documents as domain values: Chi bộ Mầm non Định An's plan for 2022
//! (seed 002) and the model plan of the how-to article (seed 003). The demo stores them through
//! the app's own functions; document tests build from them directly.

use chrono::NaiveDate;

use super::calendar::{Due, Quarter, YearMonth};
use super::member::MemberId;
use super::org::{Org, Year};
use super::plan::{
    Assignee, Authority, BasisDoc, BasisKind, NewPlan, Plan, Presenter, Recipient, Signature,
    SignerTitle, Topic, TopicId, TopicSource, blank_plan,
};
use super::timeline::standard_steps;

/// Finds a member of the cell by full name.
pub type MemberLookup<'a> = &'a dyn Fn(&str) -> Option<MemberId>;

fn year() -> Year {
    Year::new(2022).expect("valid year")
}

fn assignee(lookup: MemberLookup, name: &str) -> Option<Assignee> {
    lookup(name).map(|member| Assignee {
        member,
        name: name.to_owned(),
    })
}

struct TopicSeed<'a> {
    title: &'a str,
    content: &'a str,
    quarter: u8,
    session_month: Option<u32>,
    presenter: Option<&'a str>,
}

fn topic(seed: &TopicSeed, lookup: MemberLookup, secretary: Option<&Assignee>) -> Topic {
    let quarter = Quarter::new(seed.quarter);
    let session = seed
        .session_month
        .and_then(|m| YearMonth::new(2022, m))
        .map(Due::Month);
    let presenter = seed.presenter.and_then(|name| assignee(lookup, name));
    let steps = standard_steps(year(), quarter, session)
        .unwrap_or_default()
        .into_iter()
        .map(|planned| planned.step(presenter.as_ref(), secretary))
        .collect();
    Topic {
        id: TopicId::NEW,
        title: seed.title.to_owned(),
        content: seed.content.to_owned(),
        quarter,
        session,
        presenter: presenter
            .map(|a| Presenter::Member {
                id: a.member,
                name: a.name,
            })
            .unwrap_or(Presenter::Nobody),
        source: TopicSource::Own,
        materials: String::new(),
        steps,
        mandated_from: None,
        deadline: String::new(),
    }
}

fn lines(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

fn blank(cell: &Org) -> Plan {
    let mut plan = blank_plan(&NewPlan {
        cell,
        year: year(),
        secretary: None,
        superior_committee: None,
        number: None,
    });
    plan.duties.clear();
    plan.recipients.clear();
    plan
}

pub const KINDERGARTEN_TOPICS: [&str; 3] = [
    "Các giải pháp nâng cao trình độ lý luận chính trị chuyên môn nghiệp vụ năng lực công tác của đội ngũ cán bộ đảng viên",
    "Xây dựng và tổ chức triển khai các giải pháp nhằm đổi mới, nâng cao chất lượng sinh hoạt chi bộ",
    "Bảo vệ và phòng, chống tai nạn thương tích cho trẻ trong trường mầm non",
];

/// Seed 002: three topics in quarters II–IV, each reported by a named member in a given month.
pub fn kindergarten_plan_2022(cell: &Org, lookup: MemberLookup, secretary: &str) -> Plan {
    let chair = assignee(lookup, secretary);
    let seeds = [
        TopicSeed {
            title: KINDERGARTEN_TOPICS[0],
            content: "",
            quarter: 2,
            session_month: Some(4),
            presenter: Some("Nguyễn Thanh Tâm"),
        },
        TopicSeed {
            title: KINDERGARTEN_TOPICS[1],
            content: "",
            quarter: 3,
            session_month: Some(10),
            presenter: Some("Nguyễn Thị Thanh Tâm"),
        },
        TopicSeed {
            title: KINDERGARTEN_TOPICS[2],
            content: "",
            quarter: 4,
            session_month: Some(12),
            presenter: Some("Nguyễn Thị Ly"),
        },
    ];
    Plan {
        number: None,
        issued_on: NaiveDate::from_ymd_opt(2022, 1, 10),
        subject: "triển khai thực hiện sinh hoạt chuyên đề chi bộ năm 2022".into(),
        basis_lead: "Thực hiện".into(),
        basis: vec![
            BasisDoc {
                kind: BasisKind::Directive,
                number: "10-CT/TW".into(),
                date: NaiveDate::from_ymd_opt(2007, 3, 30),
                issuer: "Ban Bí thư".into(),
                subject: "nâng cao chất lượng sinh hoạt chi bộ".into(),
            },
            BasisDoc {
                kind: BasisKind::Guidance,
                number: "12-HD/BTCTW".into(),
                date: NaiveDate::from_ymd_opt(2012, 3, 2),
                issuer: "Ban Tổ chức Trung ương".into(),
                subject: "nội dung sinh hoạt chi bộ".into(),
            },
        ],
        basis_closing: "Chi bộ Mầm non Định An xây dựng kế hoạch triển khai thực hiện việc sinh hoạt chuyên đề năm 2022 như sau:".into(),
        purposes: lines(&[
            "Tiếp tục nâng cao nhận thức và trách nhiệm, tích cực học tập, tu dưỡng, rèn luyện thực hiện tốt nhiệm vụ của đảng viên Điều lệ đảng quy định và các nhiệm vụ được chi bộ phân công, nâng cao ý thức tổ chức, kỷ luật, tinh thần tự phê bình và phê bình, tăng cường khối đại đoàn kết, thống nhất trong chi bộ xây dựng đội ngũ đảng viên và chi bộ trong sạch vững mạnh.",
            "Chi bộ cụ thể hóa nội dung phù hợp với tình hình nhiệm vụ và công tác được giao; góp phần thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ xã Định An và Nghị quyết Đại hội chi bộ Mầm non Định An nhiệm kỳ 2020-2025.",
            "Nâng cao nhận thức, trách nhiệm của tổ chức đảng, đảng viên, phát huy ưu điểm, khắc phục hạn chế, khuyết điểm trong sinh hoạt chi bộ.",
        ]),
        requirements: lines(&[
            "Tích cực quán triệt sâu sắc các Nghị quyết, Chỉ thị, hướng dẫn của Trung ương, của tỉnh, của huyện và của Đảng ủy xã về sinh hoạt chi bộ.",
            "Tiếp tục thực hiện Di chúc của Chủ tịch Hồ Chí Minh “Giữ gìn Đảng ta thật trong sạch, phải xứng đáng là người lãnh đạo, là người đầy tớ thật trung thành của nhân dân”; đẩy mạnh tuyên truyền, gắn với kỷ niệm những ngày lễ lớn trong năm.",
        ]),
        topics: seeds.iter().map(|s| topic(s, lookup, chair.as_ref())).collect(),
        format: lines(&[
            "Tổ chức sinh hoạt chuyên đề 1 lần/quý (3 tháng 01 lần), lồng ghép tổ chức sinh hoạt vào các buổi họp chi bộ. Bắt đầu từ tháng 4, 10, 12 năm 2022, lựa chọn 03 chuyên đề phù hợp với tình hình, đặc điểm của chi bộ và được thảo luận thông qua trong chi bộ.",
            "Phó bí thư chi bộ chuẩn bị hoặc phân công những đảng viên có khả năng, trình độ nghiên cứu đề xuất nội dung và đề cương. Chi bộ thảo luận họp bàn thống nhất nội dung cụ thể và thông qua đề cương. Đồng chí đảng viên được phân công chuẩn bị nội dung chuyên đề cần nghiên cứu kỹ đề cương chuyên đề, sưu tầm, thu thập số liệu, tài liệu có liên quan để viết tham luận, chuẩn bị thảo luận trong buổi sinh hoạt chuyên đề của chi bộ.",
            "Phó bí thư tổ chức sinh hoạt chuyên đề thông báo trước chuyên đề, thời gian, địa điểm và gửi bản dự thảo nội dung sinh hoạt chuyên đề đến đảng viên để chủ động, chuẩn bị tham gia đóng góp ý kiến. Đảng viên được phân công trình bày nội dung tham luận trước chi bộ và gửi chủ trì các gợi ý thảo luận, đảng viên tham gia đóng góp ý kiến, xây dựng, đề xuất giải pháp và kết luận buổi sinh hoạt.",
            "Sau buổi sinh hoạt đảng viên được phân công tiếp thu các ý kiến đóng góp và hoàn chỉnh chuyên đề. Chi bộ họp rút kinh nghiệm, rút ra những ưu, khuyết điểm, hạn chế, nguyên nhân của hạn chế sau buổi sinh hoạt để lần sau tổ chức tốt hơn, đồng thời tham gia để hoàn chỉnh chuyên đề, có thể rút ra nghị quyết của chi bộ để lãnh đạo và chỉ đạo.",
        ]),
        materials: lines(&[
            "Sử dụng các tài liệu do Đảng ủy cấp, Tạp chí Cộng sản, Tạp chí Xây dựng Đảng, Sổ tay xây dựng Đảng; thông tin trên các trang báo, đài chính thống của tổ chức đảng và Nhà nước.",
        ]),
        duties: lines(&[
            "Chi ủy chi bộ có trách nhiệm chỉ đạo, đôn đốc đảng viên được phân công chuẩn bị chuyên đề đúng thời gian; thông qua dự thảo trước khi tổ chức sinh hoạt.",
            "Đảng viên được phân công nghiên cứu, viết và báo cáo chuyên đề trong tháng được giao; các đảng viên trong chi bộ nghiên cứu dự thảo, chuẩn bị ý kiến tham gia.",
        ]),
        recipients: vec![
            Recipient { name: "Đảng ủy xã Định An".into(), for_report: true },
            Recipient { name: "Đảng viên trong chi bộ".into(), for_report: false },
        ],
        signature: Signature {
            authority: Authority::Cell,
            title: SignerTitle::Secretary,
            signer: lookup(secretary),
            signer_name: secretary.to_owned(),
        },
        ..blank(cell)
    }
}

pub const MODEL_TOPICS: [&str; 4] = [
    "Vận dụng tư tưởng, đạo đức, phong cách Hồ Chí Minh về tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân vào thực hiện nhiệm vụ xây dựng chi bộ trong sạch, vững mạnh",
    "Thực hiện Nghị quyết TW4 Khóa XII về “Tăng cường xây dựng, chỉnh đốn đảng, ngăn chặn, đẩy lùi sự suy thoái về chính trị, đạo đức, lối sống, những biểu hiện “tự diễn biến, tự chuyển hóa” trong nội bộ” của chi bộ",
    "Xây dựng và tổ chức triển khai các giải pháp thực hiện Nghị quyết 03-NQ/TU, ngày 08-8-2016 của Ban Thường vụ Tỉnh ủy nhằm nâng cao chất lượng hoạt động của chi bộ góp phần xây dựng Đảng bộ trong sạch, vững mạnh tiêu biểu",
    "Xây dựng và triển khai các giải pháp nhằm đẩy mạnh và nâng cao chất lượng công tác kiểm tra, giám sát thường xuyên của chi bộ",
];

/// Seed 003: the model plan, four topics one per quarter, each with the five standard steps.
/// The model leaves "Người thực hiện" blank, and so do we.
pub fn model_plan_2022(cell: &Org, lookup: MemberLookup, secretary: &str) -> Plan {
    let contents = [
        "Xây dựng chuyên đề theo tài liệu hướng dẫn của Trung ương và cấp ủy cấp trên.",
        "Tiếp tục quán triệt tất cả đảng viên, CBVC của đơn vị thực hiện các giải pháp nhằm thực hiện NQTW4 (khóa XII) về “Tăng cường xây dựng, chỉnh đốn đảng, ngăn chặn, đẩy lùi sự suy thoái về chính trị, đạo đức, lối sống, những biểu hiện “tự diễn biến, tự chuyển hóa” trong nội bộ”.",
        "Đánh giá thực trạng công tác lãnh đạo, chỉ đạo của chi bộ; triển khai các giải pháp thực hiện Nghị quyết 03-NQ/TU, ngày 08-8-2016 của Ban Thường vụ Tỉnh ủy nhằm nâng cao chất lượng hoạt động của chi bộ, góp phần xây dựng Đảng bộ nhà trường trong sạch, vững mạnh, tiêu biểu.",
        "Đánh giá tình hình sinh hoạt chi bộ định kỳ; thực hiện quy chế dân chủ, chế độ tự phê bình và phê bình trong sinh hoạt chi bộ. Trên cơ sở đó, triển khai các giải pháp nhằm đẩy mạnh và nâng cao chất lượng công tác tự kiểm tra, giám sát thường xuyên của chi bộ.",
    ];
    let topics = MODEL_TOPICS
        .iter()
        .zip(contents)
        .zip(1u8..)
        .map(|((title, content), quarter)| {
            topic(
                &TopicSeed {
                    title,
                    content,
                    quarter,
                    session_month: None,
                    presenter: None,
                },
                lookup,
                None,
            )
        })
        .collect();
    Plan {
        subject: "sinh hoạt chuyên đề năm 2022".into(),
        basis_lead:
            "Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo"
                .into(),
        basis: vec![BasisDoc {
            kind: BasisKind::Directive,
            number: "05-CT/TW".into(),
            date: NaiveDate::from_ymd_opt(2016, 5, 15),
            issuer: "Bộ Chính trị".into(),
            subject: "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
                .into(),
        }],
        basis_closing: format!(
            "{} xây dựng Kế hoạch sinh hoạt chuyên đề năm 2022 cụ thể như sau:",
            cell.name
        ),
        purposes: lines(&[
            "Nâng cao nhận thức và hành động của cán bộ, đảng viên trong việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, gắn với việc cụ thể hóa chuyên đề năm 2022 về “Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”.",
        ]),
        requirements: lines(&[
            "Việc tổ chức sinh hoạt chuyên đề cần thực hiện đúng quy trình công tác chuẩn bị và tổ chức sinh hoạt chuyên đề theo hướng dẫn của cấp ủy cấp trên. Yêu cầu cán bộ, đảng viên phải tích cực tham gia thảo luận các chuyên đề, từ đó xác định trách nhiệm của bản thân.",
        ]),
        topics,
        duties: lines(&[
            "Bí thư chi bộ có trách nhiệm chỉ đạo, đôn đốc việc chuẩn bị đề cương và dự thảo, lấy ý kiến, thống nhất nội dung chuyên đề trước khi họp chi bộ.",
            "Bí thư chủ trì sinh hoạt chi bộ, yêu cầu đảng viên làm báo cáo tóm tắt nội dung sinh hoạt chuyên đề đã chuẩn bị; định hướng các nội dung để chi bộ tham gia thảo luận tại chi bộ; chuẩn bị nội dung kết luận của sinh hoạt chuyên đề.",
            "Các đồng chí đảng viên có trách nhiệm nghiên cứu dự thảo và chuẩn bị nội dung để xin ý kiến theo sự chỉ đạo của chi bộ tại cuộc họp chuyên đề.",
            "Bí thư chi bộ xây dựng và thông qua kế hoạch sinh hoạt chuyên đề năm 2022 của chi bộ, kịp thời báo cáo cấp ủy cấp trên theo quy định; thường xuyên theo dõi, đôn đốc việc thực hiện; đánh giá, tổng kết việc thực hiện, kịp thời biểu dương, khen thưởng những nhân tố tích cực.",
        ]),
        recipients: vec![
            Recipient {
                name: "Đảng ủy cấp trên".into(),
                for_report: true,
            },
            Recipient {
                name: "Đồng chí Bí thư".into(),
                for_report: false,
            },
        ],
        archive: "Lưu HS chi bộ".into(),
        signature: Signature {
            authority: Authority::Cell,
            title: SignerTitle::Secretary,
            signer: lookup(secretary),
            signer_name: secretary.to_owned(),
        },
        ..blank(cell)
    }
}

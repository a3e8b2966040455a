use chrono::NaiveDate;

use super::*;
use crate::document::fixtures::cell;
use crate::domain::attendance::{Attendance, Attendee, Guest};
use crate::domain::member::{MemberId, Standing};
use crate::domain::minutes::{MinutesId, Record, Speech, Vote};
use crate::domain::session::SessionId;

fn session() -> Session {
    Session {
        id: SessionId(3),
        topic_id: crate::domain::plan::TopicId(5),
        date: NaiveDate::from_ymd_opt(2022, 6, 15).unwrap(),
        start: StartTime::new(8 * 60).unwrap(),
        duration: 120,
        venue: "Phòng họp trường".into(),
        chair: None,
        minute_taker: None,
        combined: false,
        version: 1,
        cancelled: None,
    }
}

fn attendee(id: i64, name: &str, standing: Standing, presence: Presence, reason: &str) -> Attendee {
    Attendee {
        member: MemberId(id),
        name: name.into(),
        standing,
        presence,
        reason: reason.into(),
    }
}

fn minutes(closed: bool) -> Minutes {
    let session = session();
    let mut minutes = Minutes::blank(&session, &[], Some("Nguyễn Thị Thanh Tâm"));
    minutes.id = MinutesId(1);
    minutes.attendance = Attendance {
        attendees: vec![
            attendee(1, "Lê Thị Bích Ngọc", Standing::Full, Presence::Present, ""),
            attendee(
                2,
                "Nguyễn Thị Thanh Tâm",
                Standing::Full,
                Presence::Present,
                "",
            ),
            attendee(
                3,
                "Nguyễn Thị Ly",
                Standing::Probationary,
                Presence::Present,
                "",
            ),
            attendee(
                4,
                "Trần Văn Hải",
                Standing::Full,
                Presence::Excused,
                "Đi công tác",
            ),
            attendee(5, "Phạm Thị Hoa", Standing::Full, Presence::Absent, ""),
            attendee(
                6,
                "Võ Văn Cường",
                Standing::Full,
                Presence::Exempt,
                "Tuổi cao",
            ),
        ],
        guests: vec![Guest {
            name: "Phạm Văn Hùng".into(),
            title: "Đảng ủy viên".into(),
            unit: "Đảng ủy xã Định An".into(),
        }],
    };
    minutes.attendance_taken = true;
    minutes.record = Record {
        started: StartTime::new(8 * 60),
        ended: StartTime::new(10 * 60),
        chair: "Lê Thị Bích Ngọc".into(),
        minute_taker: "Nguyễn Thị Ly".into(),
        speeches: vec![Speech {
            speaker: "Trần Văn <b>#set</b>".into(),
            summary: "Đồng ý với dự thảo.\nĐề nghị bổ sung số liệu.".into(),
        }],
        conclusion: "Chi bộ thống nhất nội dung chuyên đề.".into(),
        vote: Some(Vote {
            yes: 3,
            no: 0,
            abstain: 0,
        }),
        ..minutes.record
    };
    if closed {
        minutes.number = Some((3, "CB".into()));
        minutes.closed = Some((chrono::Utc::now(), session.date));
    }
    minutes
}

fn build_for(minutes: &Minutes) -> Document {
    let (session, cell) = (session(), cell());
    build(
        minutes,
        &Context {
            session: &session,
            cell: &cell,
            topic_title: "Bảo vệ và phòng chống tai nạn thương tích cho trẻ",
        },
    )
}

/// Every text of the body, in reading order.
fn texts(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Paragraph { runs } => {
                out.push(runs.iter().map(|r| r.text.as_str()).collect());
            }
            Block::Section(section) => {
                out.push(section.heading());
                texts(&section.blocks, out);
            }
            Block::Table(_) => {}
        }
    }
}

#[test]
fn the_minutes_hold_every_element_of_the_layout_in_order() {
    let doc = build_for(&minutes(true));
    assert_eq!(doc.header.superior, "ĐẢNG BỘ XÃ ĐỊNH AN");
    assert_eq!(doc.header.issuer, "CHI BỘ MẦM NON ĐỊNH AN");
    assert_eq!(doc.header.number, "Số 3-BB/CB");
    assert_eq!(doc.header.place_date, "Định An, ngày 15 tháng 6 năm 2022");
    assert_eq!(doc.kind, "BIÊN BẢN");
    assert!(!doc.draft);
    let mut body = Vec::new();
    texts(&doc.body, &mut body);
    let expected = [
        "Hôm nay, vào lúc 08 giờ 00 phút, Thứ Tư ngày 15/06/2022, tại Phòng họp trường",
        "I. THÀNH PHẦN THAM DỰ",
        "+ Đồng chí Phạm Văn Hùng, Đảng ủy viên, Đảng ủy xã Định An.",
        "- Chủ trì: đồng chí Lê Thị Bích Ngọc.",
        "- Thư ký (người ghi biên bản): đồng chí Nguyễn Thị Ly.",
        "- Đảng viên: tổng số 5 đồng chí được triệu tập (4 chính thức, 1 dự bị); có mặt 3/5 đồng chí đảng viên được triệu tập (chính thức 2/4, dự bị 1/1).",
        "- Miễn sinh hoạt (không tính vào số triệu tập): 1 đồng chí: Võ Văn Cường (Tuổi cao).",
        "- Vắng có lý do: 1 đồng chí: Trần Văn Hải (Đi công tác).",
        "- Vắng không lý do: 1 đồng chí: Phạm Thị Hoa.",
        "II. NỘI DUNG BUỔI SINH HOẠT",
        "1. Chương trình",
        "2. Trình bày chuyên đề",
        "Đồng chí Nguyễn Thị Thanh Tâm trình bày dự thảo chuyên đề",
        "3. Ý kiến phát biểu",
        "- Đồng chí Trần Văn <b>#set</b>: Đồng ý với dự thảo.",
        "Đề nghị bổ sung số liệu.",
        "4. Kết luận của chủ trì",
        "Chi bộ thống nhất nội dung chuyên đề.",
        "5. Biểu quyết",
        "Tán thành 3/3 đồng chí có mặt (100%); không tán thành 0; không biểu quyết 0.",
        "trở thành nghị quyết của chi bộ.",
    ];
    let mut at = 0;
    for wanted in expected {
        let found = body[at..]
            .iter()
            .position(|t| t.contains(wanted))
            .unwrap_or_else(|| panic!("{wanted:?} not found in order after {at} in {body:#?}"));
        at += found + 1;
    }
    assert_eq!(
        doc.closing.as_deref(),
        Some(
            "Buổi sinh hoạt kết thúc vào lúc 10 giờ 00 phút cùng ngày. Biên bản đã được đọc lại trước chi bộ./."
        )
    );
    let left = doc.left_signature.as_ref().unwrap();
    assert_eq!(
        (left.authority.as_str(), left.name.as_str()),
        ("THƯ KÝ", "Nguyễn Thị Ly")
    );
    assert_eq!(
        (
            doc.signature.authority.as_str(),
            doc.signature.name.as_str()
        ),
        ("CHỦ TRÌ", "Lê Thị Bích Ngọc")
    );
}

#[test]
fn open_minutes_are_a_draft_without_a_number() {
    let doc = build_for(&minutes(false));
    assert!(doc.draft);
    assert_eq!(doc.header.number, "Số      -BB/CB");
}

#[test]
fn every_renderer_prints_the_minutes_foot_and_hostile_text_literally() {
    let doc = build_for(&minutes(true));
    let html = crate::document::html::render(&doc, None).unwrap();
    assert!(html.contains("THƯ KÝ") && html.contains("CHỦ TRÌ"));
    assert!(html.contains("Trần Văn &#60;b&#62;#set&#60;/b&#62;"));
    assert!(!html.contains("Nơi nhận"));
    let docx = crate::document::docx::render(&doc).unwrap();
    assert!(docx.starts_with(b"PK"));
    let pdf = crate::document::pdf::render(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

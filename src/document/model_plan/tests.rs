use super::*;
use crate::document::fixtures::{model_committee as committee, model_plan as plan, outline};
use crate::domain::model_session::ModelPlanStatus;

#[test]
fn the_plan_follows_the_seed_order() {
    let doc = build(&plan(), &committee());
    assert_eq!(doc.header.number, "Số 82-KH/ĐU");
    assert_eq!(doc.header.issuer, "ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO");
    assert!(!doc.draft);
    assert_eq!(
        doc.subject,
        "Tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu"
    );
    assert_eq!(doc.signature.authority, "T/M BAN THƯỜNG VỤ");
    assert_eq!(doc.signature.title, "BÍ THƯ");
    assert_eq!(doc.recipients.last().unwrap(), "- Lưu Văn phòng Đảng ủy.");
    let lines = outline(&doc);
    let expected = [
        "¶ Thực hiện Chỉ thị số 10-CT/TW, ngày 30/03/2007 của Ban Bí thư về nâng cao chất lượng sinh hoạt chi bộ;",
        "¶ Đảng ủy Sở Giáo dục và Đào tạo xây dựng kế hoạch tổ chức hội nghị chuyên đề sinh hoạt chi bộ mẫu như sau:",
        "§ I. MỤC ĐÍCH, YÊU CẦU",
        "¶ - Tạo sự chuyển biến.",
        "¶ - Nâng cao nhận thức.",
        "§ II. NỘI DUNG",
        "§§ 1. Hội nghị “sinh hoạt chi bộ thường kỳ” mẫu",
        "¶ - Chi bộ 01 thuộc Đảng bộ Trường Cao đẳng Lý Tự Trọng thực hiện;",
        "¶ - Thời gian dự kiến: Lúc 08 giờ 00 thứ năm, ngày 28 tháng 3 năm 2024.",
        "¶ - Địa điểm: Hội trường Đảng bộ Trường Cao đẳng Lý Tự Trọng, địa chỉ: 390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình.",
        "§§ 2. Hội nghị “sinh hoạt chi bộ chuyên đề” mẫu",
        "¶ - Chi bộ 4 thuộc Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12 thực hiện;",
        "¶ - Thời gian dự kiến: Lúc 08 giờ 00 thứ năm, ngày 18 tháng 4 năm 2024.",
        "¶ - Địa điểm: Hội trường Đảng bộ Trường Trung cấp Kinh tế - Kỹ thuật Quận 12, địa chỉ: 390 Hoàng Văn Thụ, Phường 4, Quận Tân Bình.",
        "§§ 3. Thành phần tham dự",
        "¶ - Cấp ủy các chi bộ trực thuộc",
        "¶ - Đảng viên các chi bộ thực hiện sinh hoạt mẫu",
        "§ III. TỔ CHỨC THỰC HIỆN",
        "§§ 1. Ban Tổ chức Đảng ủy",
        "¶ - Thẩm định nội dung sinh hoạt chi bộ mẫu.",
        "§§ 2. Văn phòng Đảng ủy",
        "¶ - Diễm danh hội nghị.",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn a_draft_without_sessions_still_prints_its_frame() {
    let mut plan = plan();
    plan.status = ModelPlanStatus::Draft;
    plan.number = None;
    plan.sessions.clear();
    plan.parts.duties.clear();
    let doc = build(&plan, &committee());
    assert!(doc.draft);
    assert_eq!(doc.header.number, "Số      -KH/ĐU");
    let lines = outline(&doc);
    assert!(lines.contains(&"§ II. NỘI DUNG".to_owned()), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("TỔ CHỨC THỰC HIỆN")));
    // Every renderer takes it.
    crate::document::html::render(&doc, None).unwrap();
    crate::document::docx::render(&doc).unwrap();
}

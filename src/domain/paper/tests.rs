use std::io::Write;

use chrono::{NaiveDate, TimeDelta};

use super::*;
use crate::domain::plan::TopicId;
use crate::domain::session::{SessionId, StartTime};

/// A ZIP package with the given entries, stored uncompressed as an ODT's `mimetype` must be.
pub(crate) fn package(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn the_kind_comes_from_the_content_not_the_name() {
    assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
    let docx = package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w:document/>"),
    ]);
    assert_eq!(FileKind::sniff(&docx), Ok(FileKind::Docx));
    let odt = package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "<office:document-content/>"),
    ]);
    assert_eq!(FileKind::sniff(&odt), Ok(FileKind::Odt));
    // A spreadsheet is a ZIP package too, and not a paper.
    let ods = package(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet")]);
    assert!(FileKind::sniff(&ods).is_err());
    assert!(FileKind::sniff(b"<html><script>alert(1)</script>").is_err());
    assert!(FileKind::sniff(b"").is_err());
    assert!(FileKind::sniff(b"PK\x03\x04 truncated").is_err());
    let doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert!(FileKind::sniff(&doc).unwrap_err().0.contains(".doc"));
}

#[test]
fn an_upload_over_twenty_megabytes_is_refused() {
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(FILE_MAX + 1, b' ');
    assert_eq!(Upload::read("a.pdf", big), Err(too_large()));
    let mut fits = b"%PDF-1.7\n".to_vec();
    fits.resize(FILE_MAX, b' ');
    assert!(Upload::read("a.pdf", fits).is_ok());
}

#[test]
fn file_names_are_made_safe_and_take_the_real_extension() {
    use FileKind::*;
    assert_eq!(
        safe_file_name("Dự thảo lần 1.docx", Docx),
        "Dự thảo lần 1.docx"
    );
    assert_eq!(safe_file_name("C:\\Users\\a\\bài.PDF", Pdf), "bài.pdf");
    assert_eq!(safe_file_name("../../etc/passwd", Pdf), "passwd.pdf");
    assert_eq!(safe_file_name("x.html", Pdf), "x.pdf");
    assert_eq!(
        safe_file_name("a\"b;c<d>\u{202e}.odt", Odt),
        "a_b_c_d__.odt"
    );
    assert_eq!(safe_file_name("", Docx), "du-thao.docx");
    assert_eq!(safe_file_name("...", Docx), "du-thao.docx");
}

#[test]
fn paragraphs_are_the_lines_with_text() {
    assert_eq!(
        paragraphs("Mở đầu\n\n  Phần một \nPhần hai\n"),
        ["Mở đầu", "Phần một", "Phần hai"]
    );
    assert!(paragraphs(" \n").is_empty());
}

#[test]
fn the_paragraph_must_be_one_of_the_paper() {
    assert_eq!(parse_paragraph("", 3), Ok(None));
    assert_eq!(parse_paragraph("2", 3), Ok(Some(2)));
    assert!(parse_paragraph("0", 3).is_err());
    assert!(parse_paragraph("4", 3).is_err());
    assert!(parse_paragraph("-1", 3).is_err());
    assert!(parse_paragraph("99999999999", 3).is_err());
}

fn session_at(date: NaiveDate, hour: u16) -> Session {
    Session {
        id: SessionId(1),
        topic_id: TopicId(1),
        date,
        start: StartTime::new(hour * 60).unwrap(),
        duration: 90,
        venue: "Hội trường".into(),
        chair: None,
        minute_taker: None,
        combined: false,
        version: 1,
        cancelled: None,
    }
}

#[test]
fn papers_must_go_out_a_day_ahead() {
    let date = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let session = session_at(date, 8);
    let starts = vietnam_instant(date, session.start);
    let lead = |hours| Lead::of(starts - TimeDelta::hours(hours), &session);
    assert!(matches!(lead(23), Lead::Short(_)));
    assert!(lead(23).is_warning());
    assert!(matches!(lead(25), Lead::InTime(_)));
    assert!(!lead(25).is_warning());
    assert!(matches!(lead(24), Lead::InTime(_)));
    assert_eq!(lead(0), Lead::Late);
    assert_eq!(lead(-3), Lead::Late);
    assert_eq!(
        lead(51).message(),
        "Gửi đảng viên trước buổi sinh hoạt 2 ngày 3 giờ."
    );
    assert!(lead(23).message().contains("chỉ 23 giờ"));
    assert!(lead(23).message().contains("42-HD/BTCTW"));
}

#[test]
fn a_paper_cannot_go_out_for_a_session_already_held() {
    let date = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let paper = Paper {
        id: PaperId(1),
        topic_id: TopicId(1),
        number: 1,
        stage: Stage::Draft1,
        body: "Nội dung".into(),
        attachment: None,
        created: Deed {
            at: chrono::Utc::now(),
            by: "A".into(),
        },
        created_by: None,
        circulated: None,
        closed: None,
    };
    let session = session_at(date, 8);
    assert_eq!(may_circulate(&paper, Some(&session), date), Ok(()));
    assert_eq!(may_circulate(&paper, None, date), Ok(()));
    let next_day = date.succ_opt().unwrap();
    assert_eq!(
        may_circulate(&paper, Some(&session), next_day),
        Err(CirculationRefusal::SessionPast(date))
    );
    // The final paper is made after the session, and goes to the members then.
    let final_paper = Paper {
        stage: Stage::Final,
        ..paper.clone()
    };
    assert_eq!(
        may_circulate(&final_paper, Some(&session), next_day),
        Ok(())
    );
    let sent = Paper {
        circulated: Some(paper.created.clone()),
        ..paper
    };
    assert_eq!(
        may_circulate(&sent, Some(&session), date),
        Err(CirculationRefusal::AlreadyCirculated)
    );
}

#[test]
fn sizes_read_as_people_say_them() {
    assert_eq!(size_label(350 * 1024), "350 KB");
    assert_eq!(size_label(1), "1 KB");
    assert_eq!(size_label(1_258_291), "1,2 MB");
}

#[test]
fn the_next_stage_follows_the_latest() {
    assert_eq!(Stage::after(None), Stage::Draft1);
    assert_eq!(Stage::after(Some(Stage::Draft1)), Stage::Draft2);
    assert_eq!(Stage::after(Some(Stage::Final)), Stage::Final);
}

//! How long each format of the four-topic model plan (seed 003) takes to produce, and the same
//! for the minutes (BIÊN BẢN) of a session of a cell of ten, as the demo's would be.
//!
//! `cargo bench --bench documents`. Each format is warmed up, then timed over `RUNS` runs;
//! the table gives the median and the fastest. The PDF's very first run (fonts parsed, typst's
//! library built) is timed on its own. typst memoises across compilations, so the PDF is also
//! timed with the plan's subject changed on every run, as when a user edits and re-exports.
//!
//! `cargo bench --bench documents -- worst` times only the worst document the length limits
//! allow (every text field at its limit, each one unbroken word), so that
//! `/usr/bin/time -v` on it gives that document's peak memory.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chuyende::document::minutes::Context;
use chuyende::document::{self, Document};
use chuyende::domain::attendance::{Attendance, Attendee, Guest, Presence};
use chuyende::domain::member::{MemberId, Standing};
use chuyende::domain::minutes::{Minutes, MinutesId, Record, Speech, Vote};
use chuyende::domain::org::{Org, OrgKind, OrgPath, Year};
use chuyende::domain::plan::{BasisDoc, BasisKind, Plan, Presenter, Recipient, TopicSource};
use chuyende::domain::samples;
use chuyende::domain::session::{Session, SessionId, StartTime};

const WARM_UP: usize = 5;
const RUNS: usize = 50;

fn cell() -> Org {
    Org {
        id: chuyende::domain::org::OrgId(1),
        parent_id: None,
        kind: OrgKind::Cell,
        name: "Chi bộ Mầm non Định An".into(),
        superior_name: "Đảng bộ xã Định An".into(),
        abbreviation: "CB".into(),
        place_name: "Định An".into(),
        term_start: Year::new(2020).expect("a valid year"),
        path: OrgPath::root(chuyende::domain::org::OrgId(1)),
    }
}

fn model() -> Document {
    let cell = cell();
    let plan = samples::model_plan_2022(&cell, &|_| None, "Trần Thị Hồng Nhung");
    document::plan::build(&plan, &cell)
}

fn session() -> Session {
    Session {
        id: SessionId(1),
        topic_id: chuyende::domain::plan::TopicId(1),
        date: chrono::NaiveDate::from_ymd_opt(2022, 6, 15).expect("a valid date"),
        start: StartTime::new(14 * 60).expect("a valid time"),
        duration: 150,
        venue: "Phòng họp Trường Mầm non Định An".into(),
        chair: None,
        minute_taker: None,
        combined: false,
        version: 1,
        cancelled: None,
    }
}

/// Closed minutes of a session of the kindergarten cell grown to ten members: eight present,
/// one excused with a reason, one absent; a guest; the standard agenda; two speeches, the
/// conclusion and a vote.
fn demo_minutes(session: &Session) -> Minutes {
    let names = [
        "Lê Thị Bích Ngọc",
        "Nguyễn Thanh Tâm",
        "Nguyễn Thị Thanh Tâm",
        "Nguyễn Thị Ly",
        "Trần Thị Kim Hoa",
        "Võ Thị Mỹ Duyên",
        "Huỳnh Thị Ngọc Hân",
        "Phan Thị Thu Trang",
        "Đinh Thị Mỹ Linh",
        "Trương Văn Bảy",
    ];
    let mut minutes = Minutes::blank(session, &[], Some("Nguyễn Thị Ly"));
    minutes.id = MinutesId(1);
    minutes.attendance = Attendance {
        attendees: names
            .iter()
            .enumerate()
            .map(|(i, name)| Attendee {
                member: MemberId(i as i64 + 1),
                name: (*name).into(),
                standing: if i == 7 {
                    Standing::Probationary
                } else {
                    Standing::Full
                },
                presence: match i {
                    8 => Presence::Excused,
                    9 => Presence::Absent,
                    _ => Presence::Present,
                },
                reason: if i == 8 {
                    "Đi công tác".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        guests: vec![Guest {
            name: "Phạm Văn Hùng".into(),
            title: "Đảng ủy viên".into(),
            unit: "Đảng ủy xã Định An".into(),
        }],
    };
    minutes.attendance_taken = true;
    minutes.record = Record {
        started: StartTime::new(14 * 60),
        ended: StartTime::new(16 * 60 + 30),
        chair: "Lê Thị Bích Ngọc".into(),
        minute_taker: "Nguyễn Thị Thanh Tâm".into(),
        speeches: vec![
            Speech {
                speaker: "Trần Thị Kim Hoa".into(),
                summary: "Đồng ý với dự thảo; đề nghị bổ sung số liệu về các vụ tai nạn thương \
                          tích trong năm học và kết quả khắc phục."
                    .into(),
            },
            Speech {
                speaker: "Võ Thị Mỹ Duyên".into(),
                summary: "Cần thêm giải pháp phối hợp với phụ huynh; phân công rõ người phụ \
                          trách kiểm tra cơ sở vật chất hằng tháng."
                    .into(),
            },
        ],
        conclusion: "Chi bộ thống nhất nội dung chuyên đề.\nĐồng chí trình bày tiếp thu ý kiến, \
                     hoàn chỉnh chuyên đề và gửi chi bộ trước ngày 30/6/2022."
            .into(),
        vote: Some(Vote {
            yes: 8,
            no: 0,
            abstain: 0,
        }),
        ..minutes.record
    };
    minutes.number = Some((1, "CB".into()));
    minutes.closed = Some((chrono::Utc::now(), session.date));
    minutes
}

/// Median and minimum of `RUNS` timed runs of `f(i)`, after `WARM_UP` untimed ones.
fn measure(mut f: impl FnMut(usize)) -> (Duration, Duration) {
    for i in 0..WARM_UP {
        f(i);
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|i| {
            let start = Instant::now();
            f(WARM_UP + i);
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[0])
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// The length limits of the forms: a paragraph, a title, a name.
const PARAGRAPH: usize = 10_000;
const TITLE: usize = 1_000;
const NAME: usize = 200;
/// Paragraphs in each text area of the worst document.
const PARAGRAPHS: usize = 1;

/// A word of `n` Vietnamese letters with no break opportunity in it.
fn word(n: usize) -> String {
    "Nghịquyếtđạihộiđảngbộ".chars().cycle().take(n).collect()
}

/// The model plan with every text at its limit, each one unbroken word: what costs the
/// typesetter most (every line of such a word is found by trying break points one by one).
fn worst() -> (Plan, Org) {
    let mut cell = cell();
    cell.name = word(NAME);
    cell.superior_name = word(NAME);
    cell.place_name = word(NAME);
    let mut plan = samples::model_plan_2022(&cell, &|_| None, &word(NAME));
    plan.place = word(NAME);
    plan.subject = word(TITLE);
    plan.basis_lead = word(PARAGRAPH);
    plan.basis_closing = word(PARAGRAPH);
    plan.basis = vec![
        BasisDoc {
            kind: BasisKind::Plan,
            number: word(NAME),
            date: None,
            issuer: word(NAME),
            subject: word(TITLE),
        };
        3
    ];
    for section in [
        &mut plan.purposes,
        &mut plan.requirements,
        &mut plan.format,
        &mut plan.materials,
        &mut plan.duties,
    ] {
        *section = vec![word(PARAGRAPH); PARAGRAPHS];
    }
    for topic in &mut plan.topics {
        topic.title = word(TITLE);
        topic.content = word(PARAGRAPH);
        topic.materials = word(PARAGRAPH);
        topic.deadline = word(NAME);
        topic.presenter = Presenter::Group(word(NAME));
        topic.source = TopicSource::Mandated(word(TITLE));
        for step in &mut topic.steps {
            step.label = word(TITLE);
            step.note = word(TITLE);
            for assignee in &mut step.assignees {
                assignee.name = word(NAME);
            }
        }
    }
    plan.recipients = vec![
        Recipient {
            name: word(NAME),
            for_report: true,
        };
        5
    ];
    plan.archive = word(NAME);
    plan.signature.signer_name = word(NAME);
    (plan, cell)
}

/// Renders the worst document `runs` times; prints each time and the text it holds.
fn bench_worst(runs: usize) -> anyhow::Result<()> {
    let (plan, cell) = worst();
    let doc = document::plan::build(&plan, &cell);
    let chars = serde_json::to_string(&doc)?.chars().count();
    println!(
        "\nWorst document: every text at its limit, unbroken ({chars} characters of JSON); \
         resident memory before: {}\n",
        resident()
    );
    for run in 1..=runs {
        let start = Instant::now();
        let pdf = document::pdf::render(&doc)?;
        println!(
            "PDF run {run}: {} ms, {} bytes; resident memory after it: {}",
            ms(start.elapsed()),
            pdf.len(),
            resident()
        );
    }
    let start = Instant::now();
    let docx = document::docx::render(&doc)?;
    println!("DOCX: {} ms, {} bytes", ms(start.elapsed()), docx.len());
    Ok(())
}

/// The process's resident memory now (Linux), as `/proc` words it.
fn resident() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:").map(|kb| kb.trim().to_owned()))
        })
        .unwrap_or_else(|| "?".into())
}

type Row = (String, Duration, Duration, usize);

fn print_table(title: &str, rows: Vec<Row>) {
    println!("\n{title}; {WARM_UP} warm-up runs, {RUNS} timed\n");
    println!(
        "{:<34} {:>12} {:>10} {:>10}",
        "format", "median (ms)", "min (ms)", "bytes"
    );
    println!("{}", "-".repeat(69));
    for (name, median, min, bytes) in rows {
        println!(
            "{name:<34} {:>12} {:>10} {:>10}",
            ms(median),
            ms(min),
            bytes
        );
    }
}

/// Each format of `doc`, timed: the print view, the DOCX, the PDF of the same document and of
/// `edit(i)`, a document changed on every run (typst memoises across compilations), and the
/// document model alone (`build`). `what` names the document in the rows.
fn formats(
    what: &str,
    doc: &Document,
    mut edit: impl FnMut(usize) -> Document,
    mut build: impl FnMut() -> Document,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();

    let html = document::html::render(doc, None)?;
    let (median, min) = measure(|_| {
        black_box(document::html::render(black_box(doc), None).ok());
    });
    rows.push(("Print view (HTML)".into(), median, min, html.len()));

    let docx = document::docx::render(doc)?;
    let (median, min) = measure(|_| {
        black_box(document::docx::render(black_box(doc)).ok());
    });
    rows.push(("DOCX".into(), median, min, docx.len()));

    let pdf = document::pdf::render(doc)?;
    let (median, min) = measure(|_| {
        black_box(document::pdf::render(black_box(doc)).ok());
    });
    rows.push((format!("PDF, same {what}"), median, min, pdf.len()));

    let (median, min) = measure(|i| {
        black_box(document::pdf::render(&edit(i)).ok());
    });
    rows.push((
        format!("PDF, {what} edited each run"),
        median,
        min,
        pdf.len(),
    ));

    let (median, min) = measure(|_| {
        black_box(build());
    });
    rows.push(("Document model only".into(), median, min, 0));
    Ok(rows)
}

/// The minutes' formats, timed as the plan's (typst already warm from the plan's runs).
fn bench_minutes(cell: &Org) -> anyhow::Result<Vec<Row>> {
    let session = session();
    let minutes = demo_minutes(&session);
    let context = Context {
        session: &session,
        cell,
        topic_title: "Bảo vệ và phòng chống tai nạn thương tích cho trẻ",
    };
    formats(
        "minutes",
        &document::minutes::build(&minutes, &context),
        |i| {
            let mut edited = minutes.clone();
            edited.record.conclusion = format!("Chi bộ thống nhất nội dung chuyên đề (bản {i}).");
            document::minutes::build(&edited, &context)
        },
        || document::minutes::build(black_box(&minutes), &context),
    )
}

fn main() -> anyhow::Result<()> {
    if std::env::args().any(|arg| arg == "worst") {
        return bench_worst(3);
    }
    let doc = model();
    let cell = cell();
    let plan = samples::model_plan_2022(&cell, &|_| None, "Trần Thị Hồng Nhung");

    let start = Instant::now();
    let first_pdf = document::pdf::render(&doc)?;
    let first = start.elapsed();

    let mut rows = vec![(
        "PDF, first run (fonts, library)".to_owned(),
        first,
        first,
        first_pdf.len(),
    )];
    rows.extend(formats(
        "plan",
        &doc,
        |i| {
            let mut edited = plan.clone();
            edited.subject = format!("sinh hoạt chuyên đề năm 2022 (bản {i})");
            document::plan::build(&edited, &cell)
        },
        || document::plan::build(black_box(&plan), &cell),
    )?);

    print_table("Model plan (seed 003, four topics, 20 timeline rows)", rows);
    print_table(
        "Minutes of a session (ten members, a guest, two speeches, a vote)",
        bench_minutes(&cell)?,
    );
    bench_worst(3)
}

//! The document as a Word file (DOCX), for cells that edit before they print.
//!
//! Sizes are in Word's units: twips (1/20 pt; 1 mm ≈ 56.7 twips) for lengths and half-points
//! for type sizes (`28` is 14 pt).

use std::io::Cursor;

use anyhow::{Context, bail};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header as WordHeader, LineSpacing, LineSpacingType,
    PageMargin, PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Run as WordRun, RunFonts, SpecialIndentType, Table as WordTable, TableCell, TableLayoutType,
    TableRow, TextBorder, VAlignType, WidthType,
};

use super::{
    Block, DRAFT_MARK, Document, PARTY, RECIPIENTS_HEADING, Row, Run, SignatureBlock, Table,
};

const FONT: &str = "Times New Roman";

/// A4 and the official margins (LAYOUT.md): top 20, bottom 20, left 30, right 15 mm.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 1134;
const MARGIN_BOTTOM: i32 = 1134;
const MARGIN_LEFT: i32 = 1701;
const MARGIN_RIGHT: i32 = 850;
/// The page number sits 10 mm from the top edge, inside the 20 mm margin.
const HEADER_DISTANCE: i32 = 567;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

/// The left column of the header and the foot; the right one takes the rest.
const LEFT_COLUMN: usize = TEXT_WIDTH * 45 / 100;

const SIZE_BODY: usize = 28;
const SIZE_PARTY: usize = 30;
const SIZE_KIND: usize = 32;
const SIZE_TABLE: usize = 26;
const SIZE_RECIPIENTS: usize = 24;

/// 1 cm first-line indent, 6 pt after each paragraph, lines exactly 20 pt apart.
const INDENT: i32 = 567;
const SPACE_AFTER: u32 = 120;
const LINE_EXACT: i32 = 400;

/// docx-rs cannot mark a row as a header row (`w:tblHeader`, repeated on every page), so the
/// header row carries this height, which no other row has, and [`mark_header_rows`] swaps it
/// for `w:tblHeader` in the XML.
const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
const HEADER_ROW_XML: &str = "<w:tblHeader />";

pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let mut word = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(SIZE_BODY)
        // Page numbers from page 2: the first page gets its own, empty header.
        .title_pg()
        .header(
            WordHeader::new().add_paragraph(
                Paragraph::new()
                    .add_page_num(PageNum::new())
                    .align(AlignmentType::Center),
            ),
        )
        .first_header(WordHeader::new());

    word = word.add_table(header(doc));
    for paragraph in title_block(doc) {
        word = word.add_paragraph(paragraph);
    }
    let mut timeline_tables = 0;
    for block in &doc.body {
        word = add_block(word, block, &mut timeline_tables);
    }
    if let Some(closing) = &doc.closing {
        word = word.add_paragraph(body_paragraph(&[Run::plain(closing.as_str())]));
    }
    word = word.add_table(foot(doc));

    let mut xml = word.build();
    let document = mark_header_rows(&xml.document, timeline_tables)?;
    xml.document = header_references_first(&document).into_bytes();
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).context("packing the DOCX archive")?;
    Ok(out.into_inner())
}

/// Swaps the header-row marks for `w:tblHeader`, checking that each table got exactly one.
fn mark_header_rows(document: &[u8], tables: usize) -> anyhow::Result<String> {
    let xml = std::str::from_utf8(document).context("document.xml is not UTF-8")?;
    let found = xml.matches(HEADER_ROW_MARK).count();
    if found != tables {
        bail!("expected {tables} table header rows in document.xml, found {found}");
    }
    Ok(xml.replace(HEADER_ROW_MARK, HEADER_ROW_XML))
}

/// docx-rs writes `w:headerReference` after `w:pgSz`; the schema (CT_SectPr) wants the
/// references first, and Word is stricter than LibreOffice about such order. Only the body's
/// final `w:sectPr` has them; user text cannot contain `<` unescaped, so the search is safe.
fn header_references_first(xml: &str) -> String {
    const OPEN: &str = "<w:sectPr>";
    const CLOSE: &str = "</w:sectPr>";
    let (Some(start), Some(end)) = (xml.rfind(OPEN), xml.rfind(CLOSE)) else {
        return xml.to_owned();
    };
    let inner_start = start + OPEN.len();
    if end < inner_start {
        return xml.to_owned();
    }
    let inner = &xml[inner_start..end];
    let mut references = String::new();
    let mut rest = String::with_capacity(inner.len());
    let mut tail = inner;
    while let Some(at) = tail.find('<') {
        rest.push_str(&tail[..at]);
        let element_end = tail[at..].find("/>").map_or(tail.len(), |e| at + e + 2);
        let element = &tail[at..element_end];
        if element.starts_with("<w:headerReference ") || element.starts_with("<w:footerReference ")
        {
            references.push_str(element);
        } else {
            rest.push_str(element);
        }
        tail = &tail[element_end..];
    }
    rest.push_str(tail);
    format!("{}{references}{rest}{}", &xml[..inner_start], &xml[end..])
}

fn add_block(word: Docx, block: &Block, tables: &mut usize) -> Docx {
    match block {
        Block::Paragraph { runs } => word.add_paragraph(body_paragraph(runs)),
        Block::Section(section) => {
            let heading = Paragraph::new()
                .add_run(WordRun::new().add_text(section.heading()).bold())
                .align(AlignmentType::Left)
                .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
                .line_spacing(body_spacing())
                .keep_next(true);
            section
                .blocks
                .iter()
                .fold(word.add_paragraph(heading), |word, block| {
                    add_block(word, block, tables)
                })
        }
        Block::Table(table) => {
            *tables += 1;
            // Word puts the next paragraph flush under a table; leave 6 pt as between paragraphs.
            let gap = Paragraph::new().line_spacing(tight_spacing().line(120).after(0));
            word.add_table(timeline(table)).add_paragraph(gap)
        }
    }
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_EXACT)
        .after(SPACE_AFTER)
}

/// Single-spaced lines for the header, foot and table cells.
fn tight_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0)
}

fn body_paragraph(runs: &[Run]) -> Paragraph {
    runs.iter()
        .fold(Paragraph::new(), |paragraph, run| {
            let mut word_run = WordRun::new().add_text(run.text.as_str());
            if run.bold {
                word_run = word_run.bold();
            }
            if run.italic {
                word_run = word_run.italic();
            }
            paragraph.add_run(word_run)
        })
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
        .line_spacing(body_spacing())
}

/// A centred, single-spaced line of one run.
fn centred(run: WordRun) -> Paragraph {
    Paragraph::new()
        .add_run(run)
        .align(AlignmentType::Center)
        .line_spacing(tight_spacing())
}

fn text(text: &str) -> WordRun {
    WordRun::new().add_text(text)
}

/// The two header columns as a borderless table.
fn header(doc: &Document) -> WordTable {
    let h = &doc.header;
    let mut left = Vec::new();
    if !h.superior.is_empty() {
        left.push(centred(text(&h.superior)));
    }
    left.push(centred(text(&h.issuer).bold()));
    left.push(centred(text("*")));
    left.push(centred(text(&h.number)));
    let right = vec![
        // Underlined words give the rule "as wide as the words" that LAYOUT.md asks for.
        centred(text(PARTY).bold().size(SIZE_PARTY).underline("single")),
        centred(text(&h.place_date).italic()),
    ];
    two_columns(left, right)
}

fn two_columns(left: Vec<Paragraph>, right: Vec<Paragraph>) -> WordTable {
    let widths = [LEFT_COLUMN, TEXT_WIDTH - LEFT_COLUMN];
    let cells = [left, right]
        .into_iter()
        .zip(widths)
        .map(|(paragraphs, width)| {
            paragraphs
                .into_iter()
                .fold(TableCell::new().width(width, WidthType::Dxa), |cell, p| {
                    cell.add_paragraph(p)
                })
        })
        .collect();
    WordTable::without_borders(vec![TableRow::new(cells).cant_split()])
        .set_grid(widths.to_vec())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
}

fn title_block(doc: &Document) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let first_spacing = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(280)
        .after(0);
    if doc.draft {
        paragraphs.push(
            centred(text(DRAFT_MARK).bold().text_border(TextBorder::new()))
                .line_spacing(first_spacing.clone()),
        );
    }
    let kind = centred(text(&doc.kind).bold().size(SIZE_KIND));
    paragraphs.push(if doc.draft {
        kind.line_spacing(tight_spacing().before(120))
    } else {
        kind.line_spacing(first_spacing)
    });
    let mut subject = centred(text(&doc.subject).bold()).keep_next(true);
    // The short rule under the subject: a bottom border on a paragraph indented to 3 cm wide.
    let rule_indent = (TEXT_WIDTH as i32 - 1701) / 2;
    let mut rule = Paragraph::new()
        .indent(Some(rule_indent), None, Some(rule_indent), None)
        .line_spacing(tight_spacing().line(120).after(240))
        .size(8);
    rule.property = rule.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6),
        ),
    );
    subject = subject.line_spacing(tight_spacing());
    paragraphs.push(subject);
    paragraphs.push(rule);
    paragraphs
}

/// The timeline: a real Word table whose first row repeats on every page.
fn timeline(table: &Table) -> WordTable {
    let widths: Vec<usize> = table
        .widths
        .iter()
        .map(|percent| TEXT_WIDTH * usize::from(*percent) / 100)
        .collect();
    let cell = |text: &str, width: usize, bold: bool, align: AlignmentType| {
        let mut run = WordRun::new().add_text(text).size(SIZE_TABLE);
        if bold {
            run = run.bold();
        }
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(
                Paragraph::new()
                    .add_run(run)
                    .align(align)
                    .line_spacing(tight_spacing().before(40).after(40)),
            )
    };
    let header = TableRow::new(
        table
            .columns
            .iter()
            .zip(&widths)
            .map(|(title, width)| cell(title, *width, true, AlignmentType::Center))
            .collect(),
    )
    .row_height(1.0)
    .height_rule(docx_rs::HeightRule::AtLeast);
    let mut rows = vec![header];
    for row in &table.rows {
        rows.push(match row {
            Row::Group { text } => TableRow::new(vec![
                cell(text, TEXT_WIDTH, true, AlignmentType::Left).grid_span(widths.len()),
            ]),
            Row::Cells { cells } => TableRow::new(
                cells
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (text, width))| {
                        let align = if i == 0 {
                            AlignmentType::Center
                        } else {
                            AlignmentType::Left
                        };
                        cell(text, *width, false, align)
                    })
                    .collect(),
            ),
        });
    }
    WordTable::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
}

/// Recipients (or a second signature) on the left, signature on the right, kept on one page.
fn foot(doc: &Document) -> WordTable {
    if let Some(left) = &doc.left_signature {
        return two_columns(signature(left), signature(&doc.signature));
    }
    let left_line = |run: WordRun| {
        Paragraph::new()
            .add_run(run)
            .align(AlignmentType::Left)
            .line_spacing(tight_spacing())
    };
    let mut left = vec![
        left_line(text(RECIPIENTS_HEADING).underline("single"))
            .line_spacing(tight_spacing().before(240)),
    ];
    left.extend(
        doc.recipients
            .iter()
            .map(|line| left_line(text(line).size(SIZE_RECIPIENTS))),
    );
    two_columns(left, signature(&doc.signature))
}

fn signature(signature: &SignatureBlock) -> Vec<Paragraph> {
    let mut right = vec![
        centred(text(&signature.authority).bold()).line_spacing(tight_spacing().before(240)),
        centred(text(&signature.title)),
    ];
    // Room for the handwritten signature.
    right.extend((0..4).map(|_| centred(text(""))));
    right.push(centred(text(&signature.name).bold()));
    right
}

#[cfg(test)]
mod tests;

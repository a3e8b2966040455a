//! The print view: one HTML page laid out for A4 by CSS, so that printing it from a browser
//! gives the official layout. askama escapes every text of the document. Its stylesheet and
//! its print button's script are files of their own (the web layer serves them at
//! `/static/print.css` and `/static/print.js`): the Content-Security-Policy allows no inline
//! style or script.

use askama::Template;

use super::{Block, DRAFT_MARK, Document, Level, PARTY, RECIPIENTS_HEADING, Row, Run, Table};

/// The print view's stylesheet.
pub const STYLESHEET: &str = include_str!("../../static/print.css");

/// The print view's script: its "In văn bản" button.
pub const SCRIPT: &str = include_str!("../../static/print.js");

/// Renders the page. `back` is where the screen-only toolbar's back link goes, if anywhere.
pub fn render(doc: &Document, back: Option<&str>) -> anyhow::Result<String> {
    let mut items = Vec::new();
    flatten(&doc.body, &mut items);
    let view = PrintView {
        doc,
        items,
        back,
        party: PARTY,
        draft_mark: DRAFT_MARK,
        recipients_heading: RECIPIENTS_HEADING,
    };
    Ok(view.render()?)
}

#[derive(Template)]
#[template(path = "document/plan.html")]
struct PrintView<'a> {
    doc: &'a Document,
    items: Vec<Item<'a>>,
    back: Option<&'a str>,
    party: &'static str,
    draft_mark: &'static str,
    recipients_heading: &'static str,
}

/// The body as a flat sequence, so the template needs no recursion however deep sections go.
enum Item<'a> {
    Heading(Heading),
    Paragraph(Vec<Span<'a>>),
    Table(&'a Table),
}

struct Heading {
    class: &'static str,
    text: String,
}

struct Span<'a> {
    text: &'a str,
    /// Empty for plain text.
    class: &'static str,
}

fn flatten<'a>(blocks: &'a [Block], out: &mut Vec<Item<'a>>) {
    for block in blocks {
        match block {
            Block::Paragraph { runs } => out.push(Item::Paragraph(runs.iter().map(span).collect())),
            Block::Section(section) => {
                out.push(Item::Heading(Heading {
                    class: match section.level {
                        Level::Part => "part",
                        Level::Item => "item",
                    },
                    text: section.heading(),
                }));
                flatten(&section.blocks, out);
            }
            Block::Table(table) => out.push(Item::Table(table)),
        }
    }
}

fn span(run: &Run) -> Span<'_> {
    Span {
        text: &run.text,
        class: match (run.bold, run.italic) {
            (false, false) => "",
            (true, false) => "b",
            (false, true) => "i",
            (true, true) => "b i",
        },
    }
}

impl Row {
    /// For the template: the group heading, if this row is one.
    fn group(&self) -> Option<&str> {
        match self {
            Row::Group { text } => Some(text),
            Row::Cells { .. } => None,
        }
    }

    fn cells(&self) -> &[String] {
        match self {
            Row::Group { .. } => &[],
            Row::Cells { cells } => cells,
        }
    }
}

#[cfg(test)]
mod tests;

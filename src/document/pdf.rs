//! The document as a PDF, typeset in-process by typst with Liberation Serif embedded.
//!
//! The typst source (`templates/document/plan.typ`) is fixed; the document reaches it as JSON
//! in a virtual file that the source reads with `json(...)`. User text is therefore only ever a
//! string value to typst, never markup: `#`, `$`, `[`, `\` print as themselves.

use std::sync::LazyLock;

use anyhow::{Context, anyhow};
use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use super::{DRAFT_MARK, Document, PARTY, RECIPIENTS_HEADING};

const SOURCE: &str = include_str!("../../templates/document/plan.typ");
const MAIN_PATH: &str = "/plan.typ";
/// The path the source reads the document from.
const DATA_PATH: &str = "/data.json";

/// Liberation Serif 2: metric-compatible with Times New Roman and covering Vietnamese.
/// Embedded so the binary needs no fonts installed; typst subsets them into each PDF.
const FONTS: [&[u8]; 4] = [
    include_bytes!("../../static/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../static/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../static/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../static/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// What every compilation shares: parsing fonts and building the standard library take tens of
/// milliseconds, so only the first PDF pays for them.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data_id: FileId,
}

static SHARED: LazyLock<Result<Shared, String>> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    if fonts.len() != FONTS.len() {
        return Err(format!(
            "{} of {} embedded fonts parsed",
            fonts.len(),
            FONTS.len()
        ));
    }
    let id = |path: &str| {
        VirtualPath::new(path)
            .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
            .map_err(|err| format!("virtual path {path}: {err:?}"))
    };
    Ok(Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: Source::new(id(MAIN_PATH)?, SOURCE.to_owned()),
        data_id: id(DATA_PATH)?,
    })
});

/// The JSON the typst source reads: the document and the fixed wording around it.
#[derive(Serialize)]
struct Data<'a> {
    doc: &'a Document,
    party: &'static str,
    draft_mark: &'static str,
    recipients_heading: &'static str,
}

pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let shared = SHARED.as_ref().map_err(|err| anyhow!("PDF setup: {err}"))?;
    let data = serde_json::to_string(&Data {
        doc,
        party: PARTY,
        draft_mark: DRAFT_MARK,
        recipients_heading: RECIPIENTS_HEADING,
    })
    .context("serialising the document for typst")?;
    let world = DocWorld {
        shared,
        data: Bytes::from_string(data),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // typst memoises across compilations; keep only what recent documents used, so a
    // long-running server does not grow without bound.
    typst::comemo::evict(10);
    let pages = compiled.map_err(|errors| diagnostics("typesetting", &errors))?;
    typst_pdf::pdf(&pages, &typst_pdf::PdfOptions::default())
        .map_err(|errors| diagnostics("writing the PDF", &errors))
}

fn diagnostics(stage: &str, errors: &EcoVec<SourceDiagnostic>) -> anyhow::Error {
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    anyhow!("{stage}: {}", messages.join("; "))
}

/// The smallest world typst needs: one source, one data file, four fonts, no clock.
struct DocWorld<'a> {
    shared: &'a Shared,
    data: Bytes,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main.id() {
            Ok(self.shared.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests;

//! The parts of an official document's forms that the plan editor and the model-session plan
//! editor share: the header's fields (number, place, date, subject) and the forms of rows (the
//! basis documents, the recipients), as both draw and read them.

use chrono::NaiveDate;

use crate::domain::calendar::{parse_date, short_date};
use crate::domain::plan::{BasisDoc, BasisKind, DocNumber, Recipient};
use crate::domain::text::{Line, limit};
use crate::web::extract::Fields;
use crate::web::form::FieldErrors;
use crate::web::rows::ordered_rows;

/// The header's fields, parsed.
pub struct HeaderFields {
    pub number: Option<DocNumber>,
    pub place: Line,
    pub issued_on: Option<NaiveDate>,
    pub subject: Line,
}

/// Reads the fields `number`, `place`, `issued_on` and `subject`; None when one has an error
/// (recorded in `errors`).
pub fn parse_header(fields: &Fields, errors: &mut FieldErrors) -> Option<HeaderFields> {
    let number = errors
        .text(
            "number",
            fields.get("number"),
            limit::SHORT,
            DocNumber::parse,
        )
        .flatten();
    let place = errors.text("place", fields.get("place"), limit::NAME, |text| {
        Line::parse(text, limit::NAME)
    });
    let issued_on = errors.text(
        "issued_on",
        fields.get("issued_on"),
        limit::SHORT,
        parse_date,
    );
    let subject = errors.text("subject", fields.get("subject"), limit::TITLE, |text| {
        Line::parse(text, limit::TITLE)
    });
    Some(HeaderFields {
        number,
        place: place?,
        issued_on: issued_on?,
        subject: subject?,
    })
}

pub struct BasisRow {
    pub kind: String,
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub subject: String,
}

impl BasisRow {
    /// A stored document as its row.
    pub fn of(doc: &BasisDoc) -> Self {
        Self {
            kind: doc.kind.as_str().into(),
            number: doc.number.clone(),
            date: doc.date.map(short_date).unwrap_or_default(),
            issuer: doc.issuer.clone(),
            subject: doc.subject.clone(),
        }
    }

    pub fn is_blank(&self) -> bool {
        [&self.number, &self.date, &self.issuer, &self.subject]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

pub fn blank_basis() -> BasisRow {
    BasisRow {
        kind: BasisKind::Directive.as_str().into(),
        number: String::new(),
        date: String::new(),
        issuer: String::new(),
        subject: String::new(),
    }
}

/// The documents' rows as sent, in the user's order, blank ones included.
pub fn typed_basis_rows(fields: &Fields) -> Vec<BasisRow> {
    ordered_rows(fields, "basis_")
        .into_iter()
        .map(|row| {
            let get = |name: &str| fields.get(&format!("basis_{name}_{row}")).to_owned();
            BasisRow {
                kind: get("kind"),
                number: get("number"),
                date: get("date"),
                issuer: get("issuer"),
                subject: get("subject"),
            }
        })
        .collect()
}

/// Parses the filled rows (shown again in that order, numbered from 0) into documents; a row
/// with an error is left out, its message recorded.
pub fn parse_basis(typed: &[BasisRow], errors: &mut FieldErrors) -> Vec<BasisDoc> {
    let mut docs = Vec::new();
    for (shown, entry) in typed.iter().enumerate() {
        let kind = errors.check(format!("basis_kind_{shown}"), BasisKind::parse(&entry.kind));
        let date = errors.text(
            format!("basis_date_{shown}"),
            &entry.date,
            limit::SHORT,
            parse_date,
        );
        let number = errors.free(format!("basis_number_{shown}"), &entry.number, limit::NAME);
        if number.as_ref().is_some_and(String::is_empty) {
            errors.add(
                format!("basis_number_{shown}"),
                "Vui lòng nhập số, ký hiệu (ví dụ 05-CT/TW).",
            );
        }
        let issuer = errors.free(format!("basis_issuer_{shown}"), &entry.issuer, limit::NAME);
        let subject = errors.free(
            format!("basis_subject_{shown}"),
            &entry.subject,
            limit::TITLE,
        );
        if let (Some(kind), Some(date), Some(number), Some(issuer), Some(subject)) =
            (kind, date, number, issuer, subject)
        {
            docs.push(BasisDoc {
                kind,
                number,
                date,
                issuer,
                subject,
            });
        }
    }
    docs
}

pub struct RecipientRow {
    pub name: String,
    pub for_report: bool,
}

impl RecipientRow {
    pub fn of(recipient: &Recipient) -> Self {
        Self {
            name: recipient.name.clone(),
            for_report: recipient.for_report,
        }
    }
}

pub fn blank_recipient() -> RecipientRow {
    RecipientRow {
        name: String::new(),
        for_report: false,
    }
}

/// The rows as sent, in the user's order, blank ones included.
pub fn typed_recipient_rows(fields: &Fields) -> Vec<RecipientRow> {
    ordered_rows(fields, "recipient_")
        .into_iter()
        .map(|row| RecipientRow {
            name: fields.get(&format!("recipient_name_{row}")).to_owned(),
            for_report: fields.get(&format!("recipient_report_{row}")) == "1",
        })
        .collect()
}

/// Parses the filled recipient rows (shown again in that order, numbered from 0); a row with
/// an error is left out, its message recorded.
pub fn parse_recipients(typed: &[RecipientRow], errors: &mut FieldErrors) -> Vec<Recipient> {
    let mut recipients = Vec::new();
    for (shown, row) in typed.iter().enumerate() {
        let field = format!("recipient_name_{shown}");
        if let Some(name) = errors.free(field, &row.name, limit::TITLE) {
            recipients.push(Recipient {
                name,
                for_report: row.for_report,
            });
        }
    }
    recipients
}

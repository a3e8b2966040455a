//! Reading a list of members from a CSV file as spreadsheet programs export it: UTF-8 with or
//! without a BOM, comma or semicolon separated, Vietnamese column headers in any case, with or
//! without diacritics. The import is all or nothing, so parsing reports every row's errors.

use super::Invalid;
use super::member::{BirthYear, CellRole, Email, MemberDraft, Phone, Standing, parse_full_name};
use super::text::{clean, fold};

/// The columns we understand, each with the header spellings that name it (folded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    FullName,
    BirthYear,
    Standing,
    Role,
    Phone,
    Email,
}

impl Column {
    fn from_header(header: &str) -> Option<Self> {
        match fold(header).as_str() {
            "ho va ten" | "ho ten" | "ten" => Some(Column::FullName),
            "nam sinh" => Some(Column::BirthYear),
            "loai dang vien" | "chinh thuc/du bi" | "chinh thuc / du bi" | "dang vien" => {
                Some(Column::Standing)
            }
            "chuc vu" | "chuc vu trong chi bo" => Some(Column::Role),
            "dien thoai" | "so dien thoai" | "sdt" => Some(Column::Phone),
            "email" | "thu dien tu" | "e-mail" => Some(Column::Email),
            _ => None,
        }
    }
}

/// One data row of the file, as typed, with what it parses to.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// Line number in the file (the header is line 1), for error messages.
    pub line: usize,
    pub full_name: String,
    pub result: Result<MemberDraft, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Import {
    pub rows: Vec<ImportRow>,
}

impl Import {
    pub fn is_valid(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|r| r.result.is_ok())
    }

    pub fn error_count(&self) -> usize {
        self.rows.iter().filter(|r| r.result.is_err()).count()
    }

    pub fn drafts(&self) -> Option<Vec<MemberDraft>> {
        self.rows.iter().map(|r| r.result.clone().ok()).collect()
    }
}

pub const MAX_ROWS: usize = 2000;

/// Parses the file; `Err` is a problem with the whole file, shown above the form.
pub fn parse(bytes: &[u8], current_year: i32) -> Result<Import, Invalid> {
    read(&decode(bytes)?, current_year)
}

/// The file's text as every other text that comes in ([`clean`]), without a byte order mark.
pub fn decode(bytes: &[u8]) -> Result<String, Invalid> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Invalid("Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng “CSV UTF-8”."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(clean(text).into_owned())
}

/// Parses the text of a file that [`decode`] read.
pub fn read(text: &str, current_year: i32) -> Result<Import, Invalid> {
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| Invalid("Không đọc được dòng tiêu đề của tệp."))?
        .clone();
    let columns: Vec<Option<Column>> = headers.iter().map(Column::from_header).collect();
    if !columns.contains(&Some(Column::FullName)) {
        return Err(Invalid("Tệp cần có cột “Họ và tên” ở dòng đầu tiên."));
    }

    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|_| Invalid("Tệp CSV bị lỗi định dạng."))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(Invalid(
                "Tệp có quá nhiều dòng (tối đa 2000 đảng viên mỗi lần).",
            ));
        }
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|c| *c == Some(wanted))
                .and_then(|i| record.get(i))
                .unwrap_or("")
        };
        rows.push(ImportRow {
            line,
            full_name: cell(Column::FullName).trim().to_owned(),
            result: parse_row(&cell, current_year),
        });
    }
    if rows.is_empty() {
        return Err(Invalid("Tệp không có dòng dữ liệu nào."));
    }
    Ok(Import { rows })
}

fn parse_row<'a>(
    cell: &dyn Fn(Column) -> &'a str,
    current_year: i32,
) -> Result<MemberDraft, Vec<String>> {
    let mut errors = Vec::new();
    let full_name = keep(
        &mut errors,
        "Họ và tên",
        parse_full_name(cell(Column::FullName)),
    );
    let standing = keep(
        &mut errors,
        "Loại đảng viên",
        Standing::from_label(cell(Column::Standing)),
    );
    let role = keep(
        &mut errors,
        "Chức vụ",
        CellRole::from_label(cell(Column::Role)),
    );
    let birth_year = keep(
        &mut errors,
        "Năm sinh",
        BirthYear::parse_optional(cell(Column::BirthYear), current_year),
    );
    let phone = keep(
        &mut errors,
        "Điện thoại",
        Phone::parse_optional(cell(Column::Phone)),
    );
    let email = keep(
        &mut errors,
        "Email",
        Email::parse_optional(cell(Column::Email)),
    );
    match (full_name, standing, role, birth_year, phone, email) {
        (
            Some(full_name),
            Some(standing),
            Some(role),
            Some(birth_year),
            Some(phone),
            Some(email),
        ) => Ok(MemberDraft {
            full_name,
            standing,
            role,
            birth_year,
            phone,
            email,
        }),
        _ => Err(errors),
    }
}

/// The parsed value, or its message (prefixed with the column's name) added to `errors`.
fn keep<T>(errors: &mut Vec<String>, column: &str, result: Result<T, Invalid>) -> Option<T> {
    result
        .map_err(|e| errors.push(format!("{column}: {e}")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bom_crlf_and_semicolons() {
        let file = "\u{feff}HỌ VÀ TÊN;Năm sinh;Chức vụ\r\nNguyễn Thị Ly;1990;Đảng viên\r\n\r\n";
        let import = parse(file.as_bytes(), 2026).unwrap();
        assert!(import.is_valid());
        let drafts = import.drafts().unwrap();
        assert_eq!(drafts[0].full_name.as_str(), "Nguyễn Thị Ly");
        assert_eq!(drafts[0].birth_year.unwrap().get(), 1990);
    }

    #[test]
    fn reports_bad_rows_with_their_line() {
        let file = "Họ và tên,Năm sinh\nA,1980\n,abc\n";
        let import = parse(file.as_bytes(), 2026).unwrap();
        assert!(!import.is_valid());
        assert_eq!(import.rows[1].line, 3);
        assert_eq!(import.rows[1].result.as_ref().unwrap_err().len(), 2);
    }

    #[test]
    fn drops_nul_and_non_characters() {
        let file = "Họ và tên,Điện thoại\nNguye\u{302}\u{303}n\u{0} Va\u{306}n\u{ffff} A,0912\u{7} 345 678\n";
        let drafts = parse(file.as_bytes(), 2026).unwrap().drafts().unwrap();
        assert_eq!(drafts[0].full_name.as_str(), "Nguyễn Văn A");
        assert_eq!(drafts[0].phone.as_ref().unwrap().as_str(), "0912 345 678");
    }

    #[test]
    fn needs_a_name_column() {
        assert!(parse(b"Ten day du\nA\n", 2026).is_err());
        assert!(parse(&[0xff, 0xfe], 2026).is_err());
    }
}

//! Months, quarters and dates as Vietnamese plans write them.

use chrono::{Datelike, Months, NaiveDate};

use super::Invalid;

/// A quarter of the year (quý I–IV).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Quarter(u8);

impl Quarter {
    pub fn new(n: u8) -> Option<Self> {
        (1..=4).contains(&n).then_some(Self(n))
    }

    /// "2", "II", "quý II", "Quý 2".
    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        let folded = super::text::fold(input);
        let text = folded.trim().trim_start_matches("quy").trim();
        if text.is_empty() {
            return Ok(None);
        }
        let n = match text {
            "1" | "i" => 1,
            "2" | "ii" => 2,
            "3" | "iii" => 3,
            "4" | "iv" => 4,
            _ => return Err(Invalid("Quý phải là I, II, III hoặc IV.")),
        };
        Ok(Some(Self(n)))
    }

    pub fn of_month(month: u32) -> Self {
        Self(((month.clamp(1, 12) - 1) / 3 + 1) as u8)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn roman(self) -> &'static str {
        ["I", "II", "III", "IV"][usize::from(self.0 - 1)]
    }

    pub fn first_month(self) -> u32 {
        u32::from(self.0) * 3 - 2
    }

    /// The last day of the quarter in `year`.
    pub fn last_day(self, year: i32) -> NaiveDate {
        let next = if self.0 == 4 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, self.first_month() + 3, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    /// The quarter of `date`.
    pub fn of_date(date: NaiveDate) -> Self {
        Self::of_month(date.month())
    }

    /// "Quý II"
    pub fn label(self) -> String {
        format!("Quý {}", self.roman())
    }
}

/// A calendar month of a given year.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1930..=2100).contains(&year)).then_some(Self { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// "2024-04" (an HTML month input), "4/2024", "04/2024", "tháng 4/2024".
    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        let folded = super::text::fold(input);
        let text = folded.trim().trim_start_matches("thang").trim();
        if text.is_empty() {
            return Ok(None);
        }
        let invalid = Invalid("Tháng không hợp lệ (ví dụ 4/2024).");
        let (year, month) = if let Some((y, m)) = text.split_once('-') {
            (y, m)
        } else if let Some((m, y)) = text.split_once('/') {
            (y, m)
        } else {
            return Err(invalid);
        };
        let (Ok(year), Ok(month)) = (year.trim().parse(), month.trim().parse()) else {
            return Err(invalid);
        };
        Self::new(year, month).map(Some).ok_or(invalid)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid year and month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus_months(1)
            .first_day()
            .pred_opt()
            .expect("not the first day ever")
    }

    pub fn plus_months(self, months: i32) -> Self {
        let index = self.year * 12 + self.month as i32 - 1 + months;
        Self {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// "2024-04", the value of an HTML month input.
    pub fn input_value(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "Tháng 4/2024", as plans write it in tables.
    pub fn label(self) -> String {
        format!("Tháng {}/{}", self.month, self.year)
    }
}

/// When something is due: a whole month, or an exact day.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Due {
    Month(YearMonth),
    Date(NaiveDate),
}

impl Due {
    /// The last day on which it is still on time.
    pub fn deadline(self) -> NaiveDate {
        match self {
            Due::Month(month) => month.last_day(),
            Due::Date(date) => date,
        }
    }

    /// The first day of the period, for ordering.
    pub fn start(self) -> NaiveDate {
        match self {
            Due::Month(month) => month.first_day(),
            Due::Date(date) => date,
        }
    }

    /// "Tháng 4/2024" or "15/04/2024".
    pub fn label(self) -> String {
        match self {
            Due::Month(month) => month.label(),
            Due::Date(date) => short_date(date),
        }
    }

    /// "4/2024", "tháng 4/2024", "2024-04" for a month; "15/04/2024", "2024-04-15" for a day.
    pub fn parse(input: &str) -> Result<Option<Self>, Invalid> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let parts = text.split(['/', '-', '.']).count();
        if parts >= 3 {
            parse_date(text).map(|d| d.map(Due::Date))
        } else {
            YearMonth::parse(text)
                .map(|m| m.map(Due::Month))
                .map_err(|_| {
                    Invalid("Thời gian ghi theo tháng (4/2024) hoặc theo ngày (15/04/2024).")
                })
        }
    }

    /// The text a form shows for it: "4/2024" or "15/04/2024".
    pub fn input_value(self) -> String {
        match self {
            Due::Month(month) => format!("{}/{}", month.month, month.year),
            Due::Date(date) => short_date(date),
        }
    }

    /// Moved by whole years (copying a plan to the next year).
    pub fn shift_years(self, years: i32) -> Option<Self> {
        match self {
            Due::Month(month) => YearMonth::new(month.year + years, month.month).map(Due::Month),
            Due::Date(date) => {
                let months = Months::new(years.unsigned_abs() * 12);
                if years >= 0 {
                    date.checked_add_months(months)
                } else {
                    date.checked_sub_months(months)
                }
                .map(Due::Date)
            }
        }
    }
}

/// "15/04/2024"
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Parses a date typed as "15/4/2024", "15-04-2024" or "2024-04-15" (an HTML date input).
pub fn parse_date(input: &str) -> Result<Option<NaiveDate>, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = Invalid("Ngày không hợp lệ (ví dụ 15/04/2024).");
    let parts: Vec<&str> = text.split(['/', '-', '.']).map(str::trim).collect();
    let [a, b, c] = parts[..] else {
        return Err(invalid);
    };
    let numbers = (a.parse::<i32>(), b.parse::<u32>(), c.parse::<i32>());
    let date = match numbers {
        (Ok(year), Ok(month), Ok(day)) if a.len() == 4 => {
            NaiveDate::from_ymd_opt(year, month, u32::try_from(day).unwrap_or(0))
        }
        (Ok(day), Ok(month), Ok(year)) if c.len() == 4 => {
            NaiveDate::from_ymd_opt(year, month, u32::try_from(day).unwrap_or(0))
        }
        _ => None,
    };
    match date {
        Some(date) if (1930..=2100).contains(&date.year()) => Ok(Some(date)),
        _ => Err(invalid),
    }
}

/// The date line of a document: "Định An, ngày 03 tháng 4 năm 2024". Days 1–9 and months
/// 1–2 take a leading zero, as the Party's format rules say.
pub fn date_line(place: &str, date: NaiveDate) -> String {
    let month = date.month();
    let month = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        date.day(),
        date.year()
    )
}

/// The date line with blanks to fill by hand, for a plan whose date is not set yet.
pub fn blank_date_line(place: &str, year: i32) -> String {
    format!("{place}, ngày      tháng      năm {year}")
}

/// "Thứ Hai" … "Chủ nhật".
pub fn weekday_label(date: NaiveDate) -> &'static str {
    match chrono::Datelike::weekday(&date) {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ nhật",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_and_months_parse() {
        assert_eq!(Quarter::parse("Quý II").unwrap(), Quarter::new(2));
        assert_eq!(Quarter::parse("4").unwrap().unwrap().roman(), "IV");
        assert!(Quarter::parse("V").is_err());
        assert_eq!(Quarter::of_month(12).get(), 4);
        let april = YearMonth::new(2024, 4).unwrap();
        assert_eq!(YearMonth::parse("2024-04").unwrap(), Some(april));
        assert_eq!(YearMonth::parse("tháng 4/2024").unwrap(), Some(april));
        assert!(YearMonth::parse("13/2024").is_err());
        assert_eq!(april.plus_months(-4).label(), "Tháng 12/2023");
        assert_eq!(
            april.last_day(),
            NaiveDate::from_ymd_opt(2024, 4, 30).unwrap()
        );
    }

    #[test]
    fn dues_parse_as_months_or_days() {
        let april = YearMonth::new(2024, 4).unwrap();
        assert_eq!(Due::parse("4/2024").unwrap(), Some(Due::Month(april)));
        assert_eq!(Due::parse("Tháng 4/2024").unwrap(), Some(Due::Month(april)));
        let day = NaiveDate::from_ymd_opt(2024, 4, 15).unwrap();
        assert_eq!(Due::parse("15/04/2024").unwrap(), Some(Due::Date(day)));
        assert!(Due::parse("giữa tháng").is_err());
        assert_eq!(Due::Month(april).input_value(), "4/2024");
    }

    #[test]
    fn date_lines_follow_the_format_rules() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        assert_eq!(
            date_line("Định An", date),
            "Định An, ngày 15 tháng 01 năm 2024"
        );
        let date = NaiveDate::from_ymd_opt(2024, 4, 3).unwrap();
        assert_eq!(
            date_line("Hà Tĩnh", date),
            "Hà Tĩnh, ngày 03 tháng 4 năm 2024"
        );
    }

    #[test]
    fn dates_parse_in_vietnamese_and_iso_order() {
        let date = NaiveDate::from_ymd_opt(2024, 4, 15).unwrap();
        assert_eq!(parse_date("15/4/2024").unwrap(), Some(date));
        assert_eq!(parse_date("2024-04-15").unwrap(), Some(date));
        assert!(parse_date("31/2/2024").is_err());
        assert_eq!(parse_date(" ").unwrap(), None);
    }
}

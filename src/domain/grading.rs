//! The quality grade of a session on the 100-point sheet provinces use (LAYOUT.md): the default
//! criteria — preparation 15, attendance 20, conduct 45, closing 20 — each with its items, and
//! the grade the total earns: Tốt ≥ 90, Khá 70–89, Trung bình 50–69, Kém < 50.

/// One item of the sheet and the most points it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub max: u8,
}

/// A criterion: a heading and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub label: String,
    pub items: Vec<Item>,
}

impl Criterion {
    pub fn max(&self) -> u8 {
        self.items.iter().map(|i| i.max).sum()
    }
}

/// The default sheet, as LAYOUT.md gives it: (criterion, [(item, points)]).
const STANDARD: [(&str, &[(&str, u8)]); 4] = [
    (
        "Chuẩn bị",
        &[
            (
                "Chuyên đề được chuẩn bị thành văn bản, đúng nội dung kế hoạch",
                5,
            ),
            ("Dự thảo được chi ủy hoặc bí thư thông qua", 5),
            (
                "Dự thảo gửi đến đảng viên ít nhất một ngày trước buổi sinh hoạt",
                5,
            ),
        ],
    ),
    (
        "Tham dự",
        &[
            ("Tỷ lệ đảng viên có mặt (từ 90% trở lên: đủ điểm)", 15),
            ("Đảng viên vắng mặt đều có lý do", 5),
        ],
    ),
    (
        "Tiến hành",
        &[
            ("Đúng trình tự sinh hoạt chuyên đề", 10),
            ("Chất lượng trình bày chuyên đề", 10),
            ("Đảng viên tham gia thảo luận, đóng góp ý kiến", 15),
            ("Thời lượng theo Hướng dẫn 42-HD/BTCTW", 10),
        ],
    ),
    (
        "Kết thúc",
        &[
            (
                "Kết luận của chủ trì rõ nội dung cần tiếp thu, hoàn thiện",
                10,
            ),
            ("Biên bản đầy đủ, đúng thể thức", 5),
            ("Chuyên đề hoàn chỉnh gửi đảng viên và báo cáo cấp trên", 5),
        ],
    ),
];

/// A sheet's bounds: the grade thresholds are on 100 points, and a sheet is read at a meeting.
pub const TOTAL: u8 = 100;
pub const MAX_CRITERIA: usize = 10;
pub const MAX_ITEMS: usize = 30;

/// A grading sheet: criteria with their items, adding up to [`TOTAL`] points. A committee may
/// set its own for its subtree; the standard one serves everywhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    criteria: Vec<Criterion>,
}

impl Default for Sheet {
    fn default() -> Self {
        Self::standard()
    }
}

impl Sheet {
    /// The 100-point sheet provinces use (LAYOUT.md).
    pub fn standard() -> Self {
        let criteria = STANDARD
            .iter()
            .map(|(label, items)| Criterion {
                label: (*label).to_owned(),
                items: items
                    .iter()
                    .map(|(label, max)| Item {
                        label: (*label).to_owned(),
                        max: *max,
                    })
                    .collect(),
            })
            .collect();
        Self { criteria }
    }

    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The sheet as a grade form shows it: each criterion's heading, "Chuẩn bị (15 điểm)", with
    /// its items numbered through the sheet, "… (tối đa 5)", the number naming the item's field.
    pub fn form_rows(&self) -> Vec<(String, Vec<(usize, String)>)> {
        let mut index = 0;
        self.criteria
            .iter()
            .map(|c| {
                let items = c
                    .items
                    .iter()
                    .map(|item| {
                        index += 1;
                        (index - 1, format!("{} (tối đa {})", item.label, item.max))
                    })
                    .collect();
                (format!("{} ({} điểm)", c.label, c.max()), items)
            })
            .collect()
    }

    /// Every item of the sheet, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.criteria.iter().flat_map(|c| c.items.iter())
    }

    pub fn item_count(&self) -> usize {
        self.items().count()
    }

    pub fn is_standard(&self) -> bool {
        *self == Self::standard()
    }

    /// The sheet as a committee edits it and as it is stored: a criterion per line, each of
    /// its items on the lines below as `- label: points`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.criteria {
            out.push_str(&c.label);
            out.push('\n');
            for item in &c.items {
                out.push_str(&format!("- {}: {}\n", item.label, item.max));
            }
        }
        out
    }

    /// Reads a sheet from its text form (canonical text, as the edge makes it). The message
    /// says which line is wrong and how.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut criteria: Vec<Criterion> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let at = n + 1;
            if line.is_empty() {
                continue;
            }
            if let Some(item) = line.strip_prefix('-') {
                let Some(criterion) = criteria.last_mut() else {
                    return Err(format!(
                        "Dòng {at}: mục chấm điểm phải nằm dưới một tiêu chí (dòng không bắt đầu bằng “-”)."
                    ));
                };
                let Some((label, points)) = item.rsplit_once(':') else {
                    return Err(format!(
                        "Dòng {at}: ghi mục theo mẫu “- nội dung: số điểm”."
                    ));
                };
                let label = label.trim();
                let max = points
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|p| (1..=TOTAL).contains(p))
                    .ok_or_else(|| {
                        format!("Dòng {at}: số điểm của mục phải là số nguyên từ 1 đến {TOTAL}.")
                    })?;
                check_label(label, at)?;
                criterion.items.push(Item {
                    label: label.to_owned(),
                    max,
                });
            } else {
                check_label(line, at)?;
                criteria.push(Criterion {
                    label: line.to_owned(),
                    items: Vec::new(),
                });
            }
        }
        if criteria.is_empty() {
            return Err("Vui lòng ghi ít nhất một tiêu chí và các mục của nó.".to_owned());
        }
        if let Some(c) = criteria.iter().find(|c| c.items.is_empty()) {
            return Err(format!("Tiêu chí “{}” chưa có mục chấm điểm nào.", c.label));
        }
        if criteria.len() > MAX_CRITERIA {
            return Err(format!("Tối đa {MAX_CRITERIA} tiêu chí."));
        }
        let sheet = Self { criteria };
        if sheet.item_count() > MAX_ITEMS {
            return Err(format!("Tối đa {MAX_ITEMS} mục chấm điểm."));
        }
        let total: u32 = sheet.items().map(|i| u32::from(i.max)).sum();
        if total != u32::from(TOTAL) {
            return Err(format!(
                "Tổng điểm các mục phải là {TOTAL} (thang điểm xếp loại); hiện là {total}."
            ));
        }
        Ok(sheet)
    }
}

/// A criterion's or an item's label: one line of a reasonable length.
fn check_label(label: &str, at: usize) -> Result<(), String> {
    const MAX: usize = 300;
    if label.is_empty() {
        return Err(format!("Dòng {at}: nội dung còn trống."));
    }
    let got = label.chars().count();
    if got > MAX {
        return Err(format!(
            "Dòng {at}: tối đa {MAX} ký tự cho một tiêu chí hoặc một mục; đồng chí đã nhập {got}."
        ));
    }
    Ok(())
}

/// The grade a total earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    Good,
    Fair,
    Average,
    Poor,
}

impl Grade {
    pub fn of(total: u8) -> Self {
        match total {
            90.. => Grade::Good,
            70..=89 => Grade::Fair,
            50..=69 => Grade::Average,
            _ => Grade::Poor,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Good => "Tốt",
            Grade::Fair => "Khá",
            Grade::Average => "Trung bình",
            Grade::Poor => "Kém",
        }
    }
}

/// The points given, one per item of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores(pub Vec<u8>);

impl Scores {
    pub fn total(&self) -> u8 {
        self.0.iter().sum()
    }

    pub fn grade(&self) -> Grade {
        Grade::of(self.total())
    }

    /// "5,5,5,15,…" as stored.
    pub fn stored(&self) -> String {
        self.0
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The points as stored, given on `sheet`; `None` when they do not fit it.
    pub fn from_stored(text: &str, sheet: &Sheet) -> Option<Self> {
        let points: Option<Vec<u8>> = text.split(',').map(|p| p.parse().ok()).collect();
        let points = points?;
        (points.len() == sheet.item_count()
            && points.iter().zip(sheet.items()).all(|(p, i)| *p <= i.max))
        .then_some(Self(points))
    }

    /// The typed points (`point_{i}` fields) on `sheet`, each a whole number from 0 to its
    /// item's maximum.
    pub fn parse(inputs: &[String], sheet: &Sheet) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut points = Vec::new();
        for (i, item) in sheet.items().enumerate() {
            let text = inputs.get(i).map_or("", |s| s.trim());
            let parsed = (text.len() <= 3 && !text.is_empty())
                .then(|| text.parse::<u8>().ok())
                .flatten();
            match parsed {
                Some(p) if p <= item.max => points.push(p),
                Some(p) => errors.push((
                    format!("point_{i}"),
                    format!("{p} điểm vượt mức tối đa của mục này ({} điểm).", item.max),
                )),
                None if text.is_empty() => errors.push((
                    format!("point_{i}"),
                    format!("Vui lòng cho điểm mục này (0 đến {}).", item.max),
                )),
                None => errors.push((
                    format!("point_{i}"),
                    format!(
                        "Điểm phải là số nguyên từ 0 đến {} (đã nhập “{}”).",
                        item.max,
                        text.chars().take(20).collect::<String>()
                    ),
                )),
            }
        }
        if errors.is_empty() {
            Ok(Self(points))
        } else {
            Err(errors)
        }
    }
}

/// A grade given: by the secretary (proposed) or by the committee (decided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grading {
    pub scores: Scores,
    /// The sheet the points were given on.
    pub sheet: Sheet,
    pub reason: String,
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_totals_100_in_the_published_split() {
        let split: Vec<u8> = Sheet::standard()
            .criteria()
            .iter()
            .map(Criterion::max)
            .collect();
        assert_eq!(split, [15, 20, 45, 20]);
    }

    #[test]
    fn a_sheet_reads_back_from_its_text() {
        let standard = Sheet::standard();
        assert_eq!(Sheet::parse(&standard.text()), Ok(standard.clone()));
        assert!(standard.is_standard());
        let own =
            "Chuẩn bị\n- Dự thảo đúng hạn: 40\n\nTiến hành\n- Thảo luận: 30\n- Kết luận: 30\n";
        let sheet = Sheet::parse(own).unwrap();
        assert_eq!(sheet.item_count(), 3);
        assert!(!sheet.is_standard());
        assert_eq!(Sheet::parse(&sheet.text()), Ok(sheet));
    }

    #[test]
    fn a_bad_sheet_says_which_line_and_why() {
        let cases = [
            ("- Mục: 100", "Dòng 1"),
            ("Chuẩn bị\n- Mục không điểm", "Dòng 2"),
            ("Chuẩn bị\n- Mục: 0", "từ 1 đến 100"),
            ("Chuẩn bị\n- Mục: 90", "hiện là 90"),
            ("Chuẩn bị\nTiến hành\n- Mục: 100", "“Chuẩn bị” chưa có mục"),
            ("", "ít nhất một tiêu chí"),
        ];
        for (text, expected) in cases {
            let message = Sheet::parse(text).unwrap_err();
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }

    #[test]
    fn grades_follow_the_thresholds() {
        assert_eq!(Grade::of(90), Grade::Good);
        assert_eq!(Grade::of(89), Grade::Fair);
        assert_eq!(Grade::of(70), Grade::Fair);
        assert_eq!(Grade::of(69), Grade::Average);
        assert_eq!(Grade::of(50), Grade::Average);
        assert_eq!(Grade::of(49), Grade::Poor);
    }

    #[test]
    fn points_above_an_items_maximum_are_refused() {
        let sheet = Sheet::standard();
        let mut inputs: Vec<String> = sheet.items().map(|i| i.max.to_string()).collect();
        let full = Scores::parse(&inputs, &sheet).unwrap();
        assert_eq!(full.total(), 100);
        assert_eq!(Scores::from_stored(&full.stored(), &sheet), Some(full));
        inputs[0] = "120".into();
        let errors = Scores::parse(&inputs, &sheet).unwrap_err();
        assert_eq!(errors[0].0, "point_0");
        assert!(errors[0].1.contains("vượt mức tối đa"));
    }
}

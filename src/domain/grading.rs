//! The quality grade of a session on the 100-point sheet provinces use (LAYOUT.md): the default
//! criteria — preparation 15, attendance 20, conduct 45, closing 20 — each with its items, and
//! the grade the total earns: Tốt ≥ 90, Khá 70–89, Trung bình 50–69, Kém < 50.

/// One item of the sheet and the most points it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub label: &'static str,
    pub max: u8,
}

/// A criterion: a heading and its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    pub label: &'static str,
    pub items: &'static [Item],
}

impl Criterion {
    pub fn max(&self) -> u8 {
        self.items.iter().map(|i| i.max).sum()
    }
}

/// The default sheet.
pub const SHEET: [Criterion; 4] = [
    Criterion {
        label: "Chuẩn bị",
        items: &[
            Item {
                label: "Chuyên đề được chuẩn bị thành văn bản, đúng nội dung kế hoạch",
                max: 5,
            },
            Item {
                label: "Dự thảo được chi ủy hoặc bí thư thông qua",
                max: 5,
            },
            Item {
                label: "Dự thảo gửi đến đảng viên ít nhất một ngày trước buổi sinh hoạt",
                max: 5,
            },
        ],
    },
    Criterion {
        label: "Tham dự",
        items: &[
            Item {
                label: "Tỷ lệ đảng viên có mặt (từ 90% trở lên: đủ điểm)",
                max: 15,
            },
            Item {
                label: "Đảng viên vắng mặt đều có lý do",
                max: 5,
            },
        ],
    },
    Criterion {
        label: "Tiến hành",
        items: &[
            Item {
                label: "Đúng trình tự sinh hoạt chuyên đề",
                max: 10,
            },
            Item {
                label: "Chất lượng trình bày chuyên đề",
                max: 10,
            },
            Item {
                label: "Đảng viên tham gia thảo luận, đóng góp ý kiến",
                max: 15,
            },
            Item {
                label: "Thời lượng theo Hướng dẫn 42-HD/BTCTW",
                max: 10,
            },
        ],
    },
    Criterion {
        label: "Kết thúc",
        items: &[
            Item {
                label: "Kết luận của chủ trì rõ nội dung cần tiếp thu, hoàn thiện",
                max: 10,
            },
            Item {
                label: "Biên bản đầy đủ, đúng thể thức",
                max: 5,
            },
            Item {
                label: "Chuyên đề hoàn chỉnh gửi đảng viên và báo cáo cấp trên",
                max: 5,
            },
        ],
    },
];

/// Every item of the sheet, in order.
pub fn items() -> impl Iterator<Item = &'static Item> {
    SHEET.iter().flat_map(|c| c.items.iter())
}

pub fn item_count() -> usize {
    items().count()
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

    pub fn from_stored(text: &str) -> Option<Self> {
        let points: Option<Vec<u8>> = text.split(',').map(|p| p.parse().ok()).collect();
        let points = points?;
        (points.len() == item_count() && points.iter().zip(items()).all(|(p, i)| *p <= i.max))
            .then_some(Self(points))
    }

    /// The typed points (`point_{i}` fields), each a whole number from 0 to its item's maximum.
    pub fn parse(inputs: &[String]) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut points = Vec::new();
        for (i, item) in items().enumerate() {
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
    pub reason: String,
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_totals_100_in_the_published_split() {
        let split: Vec<u8> = SHEET.iter().map(Criterion::max).collect();
        assert_eq!(split, [15, 20, 45, 20]);
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
        let mut inputs: Vec<String> = items().map(|i| i.max.to_string()).collect();
        let full = Scores::parse(&inputs).unwrap();
        assert_eq!(full.total(), 100);
        assert_eq!(Scores::from_stored(&full.stored()), Some(full));
        inputs[0] = "120".into();
        let errors = Scores::parse(&inputs).unwrap_err();
        assert_eq!(errors[0].0, "point_0");
        assert!(errors[0].1.contains("vượt mức tối đa"));
    }
}

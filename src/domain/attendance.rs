//! Attendance at a session (điểm danh): every member of the cell called that day, each present,
//! absent with a reason, absent without one, or exempted from party activity (miễn sinh hoạt);
//! full and probationary members counted apart; and the guests.

use super::member::{Member, MemberId, Standing};
use super::text::{canonical, limit, within};

/// Longest reason for an absence: a line.
pub const REASON_MAX: usize = limit::TITLE;
/// Guests a form offers blank rows for beyond those recorded.
pub const BLANK_GUEST_ROWS: usize = 2;
/// The most guests a form takes (its rows are numbered below this).
pub const GUESTS_MAX: usize = 50;

/// Where a member was during the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    /// Vắng có lý do.
    Excused,
    /// Vắng không lý do.
    Absent,
    /// Miễn sinh hoạt: not called, not counted.
    Exempt,
}

impl Presence {
    pub const ALL: [Presence; 4] = [
        Presence::Present,
        Presence::Excused,
        Presence::Absent,
        Presence::Exempt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::Excused => "excused",
            Presence::Absent => "absent",
            Presence::Exempt => "exempt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Presence::Present => "Có mặt",
            Presence::Excused => "Vắng có lý do",
            Presence::Absent => "Vắng không lý do",
            Presence::Exempt => "Miễn sinh hoạt",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == code)
    }
}

/// One member on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub member: MemberId,
    pub name: String,
    pub standing: Standing,
    pub presence: Presence,
    /// The reason of an absence with one (empty otherwise).
    pub reason: String,
}

/// A guest (đại biểu): name, position and unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guest {
    pub name: String,
    pub title: String,
    pub unit: String,
}

impl Guest {
    /// "Đồng chí Trần Văn B, Phó Bí thư Đảng ủy, Đảng ủy xã Định An"
    pub fn line(&self) -> String {
        let mut line = format!("Đồng chí {}", self.name);
        for part in [&self.title, &self.unit] {
            if !part.is_empty() {
                line.push_str(", ");
                line.push_str(part);
            }
        }
        line
    }
}

/// The list as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    pub attendees: Vec<Attendee>,
    pub guests: Vec<Guest>,
}

/// Counts of one kind of member: how many were called and how many came.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub called: usize,
    pub present: usize,
}

impl Count {
    /// The counts of a list given as how many members had each presence: the exempted are not
    /// called.
    pub fn tally(presences: impl IntoIterator<Item = (Presence, usize)>) -> Count {
        let mut count = Count::default();
        for (presence, n) in presences {
            if presence != Presence::Exempt {
                count.called += n;
            }
            if presence == Presence::Present {
                count.present += n;
            }
        }
        count
    }

    /// The share present, in whole percent (rounded down), of the members called.
    pub fn share_percent(self) -> Option<usize> {
        (self.present * 100).checked_div(self.called)
    }

    /// Not more than half of the members called attend: the session is not valid as a
    /// meeting of the cell (Điều lệ Đảng; Hướng dẫn 42-HD/BTCTW recalls it).
    pub fn half_or_less(self) -> bool {
        self.called > 0 && self.present * 2 <= self.called
    }

    /// The counts of two sittings together.
    pub fn plus(self, other: Count) -> Count {
        Count {
            called: self.called + other.called,
            present: self.present + other.present,
        }
    }
}

impl Attendance {
    /// The list for a session not yet recorded: every active member of the cell, present.
    pub fn called(members: &[Member]) -> Self {
        Self {
            attendees: members
                .iter()
                .map(|m| attendee(m, Presence::Present))
                .collect(),
            guests: Vec::new(),
        }
    }

    /// The recorded list with the cell's active members who are not on it yet (joined since),
    /// so the form lists every member once.
    pub fn with_members(mut self, members: &[Member]) -> Self {
        for member in members {
            if !self.attendees.iter().any(|a| a.member == member.id) {
                self.attendees.push(attendee(member, Presence::Present));
            }
        }
        self
    }

    fn count(&self, standing: Option<Standing>) -> Count {
        let of_kind = self
            .attendees
            .iter()
            .filter(|a| standing.is_none_or(|s| a.standing == s))
            .map(|a| (a.presence, 1));
        Count::tally(of_kind)
    }

    /// Every member called (the exempted are not).
    pub fn total(&self) -> Count {
        self.count(None)
    }

    pub fn full(&self) -> Count {
        self.count(Some(Standing::Full))
    }

    pub fn probationary(&self) -> Count {
        self.count(Some(Standing::Probationary))
    }

    pub fn with(&self, presence: Presence) -> Vec<&Attendee> {
        self.attendees
            .iter()
            .filter(|a| a.presence == presence)
            .collect()
    }

    /// The share present, in whole percent (rounded down), of the members called.
    pub fn share_percent(&self) -> Option<usize> {
        self.total().share_percent()
    }

    /// Not more than half of the members called attend: the session is not valid as a
    /// meeting of the cell (Điều lệ Đảng; Hướng dẫn 42-HD/BTCTW recalls it).
    pub fn half_or_less(&self) -> bool {
        self.total().half_or_less()
    }

    /// "Có mặt 8/10 đồng chí (chính thức 7/8, dự bị 1/2)".
    pub fn summary(&self) -> String {
        let (total, full, probationary) = (self.total(), self.full(), self.probationary());
        let mut line = format!(
            "có mặt {}/{} đồng chí đảng viên được triệu tập",
            total.present, total.called
        );
        if probationary.called > 0 {
            line.push_str(&format!(
                " (chính thức {}/{}, dự bị {}/{})",
                full.present, full.called, probationary.present, probationary.called
            ));
        }
        line
    }

    /// The names of the members with `presence`, with reasons where given: "Nguyễn Văn A (ốm)".
    pub fn names(&self, presence: Presence) -> Vec<String> {
        self.with(presence)
            .into_iter()
            .map(|a| {
                if a.reason.is_empty() {
                    a.name.clone()
                } else {
                    format!("{} ({})", a.name, a.reason)
                }
            })
            .collect()
    }
}

fn attendee(member: &Member, presence: Presence) -> Attendee {
    Attendee {
        member: member.id,
        name: member.full_name.clone(),
        standing: member.standing,
        presence,
        reason: String::new(),
    }
}

/// The form as typed: one presence and reason per member listed, the guests' rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceInput {
    /// (member, presence code, reason) in the order listed.
    pub rows: Vec<(MemberId, String, String)>,
    pub guests: Vec<Guest>,
}

impl AttendanceInput {
    pub fn of(attendance: &Attendance) -> Self {
        Self {
            rows: attendance
                .attendees
                .iter()
                .map(|a| (a.member, a.presence.as_str().to_owned(), a.reason.clone()))
                .collect(),
            guests: attendance.guests.clone(),
        }
    }

    pub fn presence(&self, member: MemberId) -> &str {
        self.rows
            .iter()
            .find(|(m, _, _)| *m == member)
            .map_or("present", |(_, p, _)| p.as_str())
    }

    pub fn reason(&self, member: MemberId) -> &str {
        self.rows
            .iter()
            .find(|(m, _, _)| *m == member)
            .map_or("", |(_, _, r)| r.as_str())
    }

    /// The guests' rows with blank ones to add more.
    pub fn guest_rows(&self) -> Vec<Guest> {
        let mut rows = self.guests.clone();
        rows.extend((0..BLANK_GUEST_ROWS).map(|_| Guest::default()));
        rows.truncate(GUESTS_MAX);
        rows
    }

    /// The list against the members it was drawn for (`listed`, in order): every one of them
    /// needs a presence, an absence with reason needs the reason; a guest row needs a name.
    /// Messages are keyed by field: `presence_{member}`, `reason_{member}`, `guest_name_{i}` …
    pub fn parse(&self, listed: &[Attendee]) -> Result<Attendance, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut attendees = Vec::new();
        for listed in listed {
            let (presence, reason) = (self.presence(listed.member), self.reason(listed.member));
            let Some(presence) = Presence::parse(presence) else {
                errors.push((
                    format!("presence_{}", listed.member),
                    "Vui lòng chọn có mặt, vắng có lý do, vắng không lý do hoặc miễn sinh hoạt."
                        .to_owned(),
                ));
                continue;
            };
            let reason = one_line(reason);
            if let Err(too_long) = within(&reason, REASON_MAX) {
                errors.push((
                    format!("reason_{}", listed.member),
                    format!("Lý do quá dài. {too_long}"),
                ));
                continue;
            }
            if presence == Presence::Excused && reason.is_empty() {
                errors.push((
                    format!("reason_{}", listed.member),
                    "Vui lòng ghi lý do vắng mặt (hoặc chọn vắng không lý do).".to_owned(),
                ));
                continue;
            }
            attendees.push(Attendee {
                reason: match presence {
                    Presence::Excused | Presence::Exempt => reason,
                    Presence::Present | Presence::Absent => String::new(),
                },
                presence,
                ..listed.clone()
            });
        }
        let mut guests = Vec::new();
        for (i, guest) in self.guests.iter().enumerate() {
            let guest = Guest {
                name: one_line(&guest.name),
                title: one_line(&guest.title),
                unit: one_line(&guest.unit),
            };
            if guest == Guest::default() {
                continue;
            }
            let mut fine = true;
            for (field, value) in [
                ("guest_name", &guest.name),
                ("guest_title", &guest.title),
                ("guest_unit", &guest.unit),
            ] {
                if let Err(too_long) = within(value, limit::NAME) {
                    errors.push((format!("{field}_{i}"), too_long.to_string()));
                    fine = false;
                }
            }
            if fine && guest.name.is_empty() {
                errors.push((
                    format!("guest_name_{i}"),
                    "Vui lòng ghi họ tên đại biểu (hoặc xóa chức vụ và đơn vị của dòng này)."
                        .to_owned(),
                ));
                fine = false;
            }
            if fine {
                guests.push(guest);
            }
        }
        if errors.is_empty() {
            Ok(Attendance { attendees, guests })
        } else {
            Err(errors)
        }
    }
}

/// Canonical text on one line: line breaks become spaces.
pub(super) fn one_line(input: &str) -> String {
    canonical(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::member::CellRole;
    use crate::domain::org::OrgId;

    fn members(full: usize, probationary: usize) -> Vec<Member> {
        (0..full + probationary)
            .map(|i| Member {
                id: MemberId(i as i64 + 1),
                cell_id: OrgId(1),
                full_name: format!("Đảng viên {i}"),
                standing: if i < full {
                    Standing::Full
                } else {
                    Standing::Probationary
                },
                role: CellRole::Member,
                birth_year: None,
                phone: None,
                email: None,
                active: true,
                login: None,
                version: 1,
            })
            .collect()
    }

    fn with_absent(n: usize, absent: usize) -> Attendance {
        let mut list = Attendance::called(&members(n, 0));
        for a in list.attendees.iter_mut().take(absent) {
            a.presence = Presence::Absent;
        }
        list
    }

    #[test]
    fn half_present_is_not_enough_more_than_half_is() {
        assert!(with_absent(10, 5).half_or_less());
        assert!(!with_absent(10, 4).half_or_less());
        assert!(with_absent(9, 5).half_or_less());
        assert!(!with_absent(9, 4).half_or_less());
    }

    #[test]
    fn exempted_members_are_not_called() {
        let mut list = with_absent(10, 5);
        list.attendees[0].presence = Presence::Exempt;
        // 5 of 9 called are present: more than half.
        assert_eq!(
            list.total(),
            Count {
                called: 9,
                present: 5
            }
        );
        assert!(!list.half_or_less());
    }

    #[test]
    fn full_and_probationary_are_counted_apart() {
        let mut list = Attendance::called(&members(8, 2));
        list.attendees[9].presence = Presence::Excused;
        assert_eq!(
            list.full(),
            Count {
                called: 8,
                present: 8
            }
        );
        assert_eq!(
            list.probationary(),
            Count {
                called: 2,
                present: 1
            }
        );
        assert_eq!(
            list.summary(),
            "có mặt 9/10 đồng chí đảng viên được triệu tập (chính thức 8/8, dự bị 1/2)"
        );
    }

    #[test]
    fn an_excused_absence_needs_its_reason() {
        let list = Attendance::called(&members(2, 0));
        let mut input = AttendanceInput::of(&list);
        input.rows[0].1 = "excused".into();
        let errors = input.parse(&list.attendees).unwrap_err();
        assert_eq!(errors[0].0, "reason_1");
        input.rows[0].2 = "Đi công tác".into();
        let parsed = input.parse(&list.attendees).unwrap();
        assert_eq!(
            parsed.names(Presence::Excused),
            ["Đảng viên 0 (Đi công tác)"]
        );
        input.rows[1].1 = "40".into();
        assert_eq!(input.parse(&list.attendees).unwrap_err()[0].0, "presence_2");
    }
}

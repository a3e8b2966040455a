//! The preparation timeline of a topic: its five standard steps laid out from the topic's
//! quarter, session month or exact session date.

use chrono::{Datelike, Days, NaiveDate};

use super::calendar::{Due, Quarter, YearMonth};
use super::member::{CellRole, Member};
use super::org::Year;
use super::plan::{Assignee, Plan, Presenter, Step, StepId, StepKind, Topic};

/// A step to create: its kind and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedStep {
    pub kind: StepKind,
    pub due: Due,
}

/// Days before an exact session date on which each step is due: six weeks for the outline,
/// then a fortnight per step, and draft 2 a week before so members get it well ahead of the
/// one-day minimum of Hướng dẫn 42-HD/BTCTW.
const DAYS_BEFORE_SESSION: [u64; 5] = [42, 28, 14, 7, 0];

/// Lays out the five standard steps, or `None` when the topic has no time yet.
///
/// - an exact date: scheduled backwards from it (see [`DAYS_BEFORE_SESSION`]);
/// - a session month: outline and draft 1 two months before, comments and draft 2 one month
///   before, the session in that month;
/// - a quarter only: as in the model plan, outline and draft 1 in the quarter's first month,
///   comments and draft 2 in the second, the session in the third.
pub fn standard_steps(
    year: Year,
    quarter: Option<Quarter>,
    session: Option<Due>,
) -> Option<Vec<PlannedStep>> {
    let dues: [Due; 5] = match (session, quarter) {
        (Some(Due::Date(date)), _) => {
            DAYS_BEFORE_SESSION.map(|days| Due::Date(days_before(date, days)))
        }
        (Some(Due::Month(month)), _) => {
            [-2, -2, -1, -1, 0].map(|offset| Due::Month(month.plus_months(offset)))
        }
        (None, Some(quarter)) => {
            let first = YearMonth::new(year.get(), quarter.first_month())?;
            [0, 0, 1, 1, 2].map(|offset| Due::Month(first.plus_months(offset)))
        }
        (None, None) => return None,
    };
    Some(
        StepKind::STANDARD
            .into_iter()
            .zip(dues)
            .map(|(kind, due)| PlannedStep { kind, due })
            .collect(),
    )
}

fn days_before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

/// True when `due` falls in `year` (a step of another year is worth a warning).
pub fn in_year(due: Due, year: Year) -> bool {
    due.start().year() == year.get()
}

/// Who does a standard step by default: the topic's presenter prepares the outline and drafts
/// and presents at the session; the secretary collects the members' comments.
pub fn default_assignees(
    kind: StepKind,
    presenter: Option<&Assignee>,
    secretary: Option<&Assignee>,
) -> Vec<Assignee> {
    let who = match kind {
        StepKind::Comments => secretary,
        StepKind::Other => None,
        _ => presenter,
    };
    who.cloned().into_iter().collect()
}

/// The standard steps for a topic's time as new steps of `plan`, with default assignees: the
/// presenter, and the cell's secretary among `members` for the comments.
pub fn laid_out(plan: &Plan, topic: &Topic, members: &[Member]) -> Vec<Step> {
    let presenter = match &topic.presenter {
        Presenter::Member { id, name } => Some(Assignee {
            member: *id,
            name: name.clone(),
        }),
        _ => None,
    };
    let secretary = members
        .iter()
        .find(|m| m.role == CellRole::Secretary)
        .map(|m| Assignee {
            member: m.id,
            name: m.full_name.clone(),
        });
    standard_steps(plan.year, topic.quarter, topic.session)
        .unwrap_or_default()
        .into_iter()
        .map(|planned| planned.step(presenter.as_ref(), secretary.as_ref()))
        .collect()
}

impl PlannedStep {
    /// The new step: its standard label, its due time, its default assignees.
    pub fn step(self, presenter: Option<&Assignee>, secretary: Option<&Assignee>) -> Step {
        Step {
            id: StepId::NEW,
            kind: self.kind,
            label: self.kind.label().to_owned(),
            due: Some(self.due),
            assignees: default_assignees(self.kind, presenter, secretary),
            note: String::new(),
            done_on: None,
        }
    }
}

/// The topic's steps laid out again from `fresh` (its standard steps for its time): standard
/// steps it has get their new dates and keep assignees, notes and progress; missing ones are
/// added; its own other steps stay, after them.
pub fn relaid(steps: &[Step], fresh: Vec<Step>) -> Vec<Step> {
    let mut relaid: Vec<Step> = fresh
        .into_iter()
        .map(
            |planned| match steps.iter().find(|s| s.kind == planned.kind) {
                Some(existing) => Step {
                    due: planned.due,
                    ..existing.clone()
                },
                None => planned,
            },
        )
        .collect();
    relaid.extend(steps.iter().filter(|s| s.kind == StepKind::Other).cloned());
    relaid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> Year {
        Year::new(2022).unwrap()
    }

    #[test]
    fn a_quarter_gives_the_model_plans_months() {
        let steps = standard_steps(year(), Quarter::new(2), None).unwrap();
        let labels: Vec<_> = steps.iter().map(|s| s.due.label()).collect();
        assert_eq!(
            labels,
            [
                "Tháng 4/2022",
                "Tháng 4/2022",
                "Tháng 5/2022",
                "Tháng 5/2022",
                "Tháng 6/2022"
            ]
        );
        assert_eq!(steps[0].kind, StepKind::Outline);
        assert_eq!(steps[4].kind, StepKind::Session);
    }

    #[test]
    fn a_session_month_is_the_last_step() {
        let month = YearMonth::new(2022, 2).unwrap();
        let steps = standard_steps(year(), None, Some(Due::Month(month))).unwrap();
        assert_eq!(steps[0].due.label(), "Tháng 12/2021");
        assert_eq!(steps[4].due.label(), "Tháng 2/2022");
    }

    #[test]
    fn an_exact_date_schedules_backwards() {
        let date = NaiveDate::from_ymd_opt(2022, 6, 20).unwrap();
        let steps = standard_steps(year(), Quarter::new(2), Some(Due::Date(date))).unwrap();
        assert_eq!(steps[4].due, Due::Date(date));
        assert_eq!(
            steps[3].due,
            Due::Date(NaiveDate::from_ymd_opt(2022, 6, 13).unwrap())
        );
        assert_eq!(
            steps[0].due,
            Due::Date(NaiveDate::from_ymd_opt(2022, 5, 9).unwrap())
        );
        assert!(steps.windows(2).all(|w| w[0].due <= w[1].due));
    }

    #[test]
    fn relaying_keeps_progress_and_own_steps_and_adds_missing_ones() {
        let date = NaiveDate::from_ymd_opt(2022, 6, 20).unwrap();
        let planned = |kind: StepKind, due: Due| Step {
            id: StepId::NEW,
            kind,
            label: kind.label().into(),
            due: Some(due),
            assignees: Vec::new(),
            note: String::new(),
            done_on: None,
        };
        let outline = Step {
            id: StepId(5),
            note: "đã giao".into(),
            done_on: Some(date),
            ..planned(
                StepKind::Outline,
                Due::Month(YearMonth::new(2022, 4).unwrap()),
            )
        };
        let own = Step {
            id: StepId(6),
            label: "Mời báo cáo viên".into(),
            ..planned(StepKind::Other, Due::Date(date))
        };
        let fresh: Vec<Step> = standard_steps(year(), None, Some(Due::Date(date)))
            .unwrap()
            .into_iter()
            .map(|p| planned(p.kind, p.due))
            .collect();
        let steps = relaid(&[outline.clone(), own.clone()], fresh.clone());
        assert_eq!(steps.len(), 6);
        assert_eq!(steps[0].id, StepId(5), "the outline keeps its id");
        assert_eq!(steps[0].done_on, outline.done_on);
        assert_eq!(steps[0].due, fresh[0].due, "and gets the new date");
        assert_eq!(steps[5], own);
    }

    #[test]
    fn no_time_no_steps() {
        assert_eq!(standard_steps(year(), None, None), None);
    }
}

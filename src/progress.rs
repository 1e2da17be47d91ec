//! Where a project stands: each item's effective status and progress per phase.

use serde::Serialize;

use crate::checklist::{Checklist, ChecklistItem, Severity};
use crate::state::{ItemRecord, SetBy, State, Status};

/// One item as it stands now.
#[derive(Debug, Clone)]
pub struct ItemStatus<'a> {
    pub item: &'a ChecklistItem,
    pub status: Status,
    pub by: SetBy,
    pub record: Option<&'a ItemRecord>,
    /// A recurring task whose period has run out since it was last done.
    pub due: bool,
}

/// Progress of one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseProgress {
    pub number: u8,
    pub name: String,
    /// Items done, skipped or not applicable.
    pub done: usize,
    pub total: usize,
    /// Recurring tasks that are due.
    pub due: usize,
    /// Critical items still open.
    pub critical_open: usize,
}

/// Everything `status` and the wizard show about progress.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    pub items: Vec<ItemStatus<'a>>,
    pub phases: Vec<PhaseProgress>,
}

impl Progress<'_> {
    /// Items settled (done, skipped, not applicable).
    pub fn done(&self) -> usize {
        self.phases.iter().map(|p| p.done).sum()
    }

    /// Items whose status is `status` now (`Done` alone: what is really done,
    /// without the skipped and not applicable ones that `done()` counts).
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|s| s.status == status).count()
    }

    /// All items.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// Critical items still open, in checklist order.
    pub fn critical_open(&self) -> impl Iterator<Item = &ItemStatus<'_>> {
        self.items
            .iter()
            .filter(|s| s.item.severity == Severity::Critical && s.status.is_open())
    }
}

/// Whether a status counts as settled for progress.
fn is_settled(status: Status) -> bool {
    matches!(status, Status::Done | Status::Skipped | Status::Na)
}

/// Computes every item's effective status at time `now`.
pub fn progress<'a>(
    checklist: &'a Checklist,
    state: &'a State,
    now: jiff::Timestamp,
) -> Progress<'a> {
    let items: Vec<ItemStatus<'a>> = checklist
        .items
        .iter()
        .map(|item| {
            let expires = state.expires.get(&item.id).map(String::as_str);
            item_status(item, state.items.get(&item.id), expires, now)
        })
        .collect();
    let phases = checklist
        .phases
        .iter()
        .map(|phase| {
            let in_phase = || items.iter().filter(|s| s.item.phase == phase.number);
            PhaseProgress {
                number: phase.number,
                name: phase.name.clone(),
                done: in_phase().filter(|s| is_settled(s.status)).count(),
                total: in_phase().count(),
                due: in_phase().filter(|s| s.due).count(),
                critical_open: in_phase()
                    .filter(|s| s.item.severity == Severity::Critical && s.status.is_open())
                    .count(),
            }
        })
        .collect();
    Progress { items, phases }
}

/// One item's effective status: a recurring task done too long ago is due
/// again, and so is one whose `expires` date is fewer than its period's days away
/// (a certificate with under 30 days left).
fn item_status<'a>(
    item: &'a ChecklistItem,
    record: Option<&'a ItemRecord>,
    expires_at: Option<&str>,
    now: jiff::Timestamp,
) -> ItemStatus<'a> {
    let default_by = if item.is_auto() {
        SetBy::Auto
    } else {
        SetBy::User
    };
    // A recurring task never done (or put back to do) is due.
    let recurring = item.period_days.is_some();
    let Some(record) = record else {
        return ItemStatus {
            item,
            status: Status::Todo,
            by: default_by,
            record: None,
            due: recurring,
        };
    };
    let expired = match (record.status, item.period_days) {
        (Status::Done, Some(days)) => {
            let period = jiff::SignedDuration::from_hours(24 * i64::from(days));
            let done_too_long_ago = record
                .at
                .parse::<jiff::Timestamp>()
                .ok()
                .and_then(|at| at.checked_add(period).ok())
                .is_none_or(|until| until <= now);
            let expiring = expires_at
                .and_then(|e| e.parse::<jiff::Timestamp>().ok())
                .and_then(|e| e.checked_sub(period).ok())
                .is_some_and(|due| due <= now);
            done_too_long_ago || expiring
        }
        (Status::Todo | Status::Failing, Some(_)) => true,
        _ => false,
    };
    ItemStatus {
        item,
        // A failing task stays failing; a done one that ran out is to do again.
        status: if expired && record.status == Status::Done {
            Status::Todo
        } else {
            record.status
        },
        by: record.by,
        record: Some(record),
        due: expired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_project_has_nothing_done() {
        let state = State::default();
        let p = progress(Checklist::get(), &state, jiff::Timestamp::now());
        assert_eq!(p.done(), 0);
        assert_eq!(p.total(), 76);
        assert_eq!(p.phases.len(), 7);
        assert!(p.critical_open().count() > 5);
    }

    #[test]
    fn marks_count_and_recurring_tasks_fall_due() {
        let mut state = State::default();
        state.mark("api-auth-required", Status::Done, None);
        state.mark("backups", Status::Na, Some("no database".into()));
        state.mark("rotate-secrets", Status::Done, None);
        state.items.get_mut("rotate-secrets").unwrap().at = "2020-01-01T00:00:00Z".into();
        let p = progress(Checklist::get(), &state, jiff::Timestamp::now());
        assert_eq!(p.done(), 2);
        let rotate = p
            .items
            .iter()
            .find(|s| s.item.id == "rotate-secrets")
            .unwrap();
        assert!(rotate.due);
        assert_eq!(rotate.status, Status::Todo);
        // The five recurring tasks never done are due too.
        assert_eq!(p.phases[6].due, 6);
        let never = p
            .items
            .iter()
            .find(|s| s.item.id == "restore-test")
            .unwrap();
        assert!(never.due && never.record.is_none());
        // Done now: not due; skipped: not due either.
        state.mark("restore-test", Status::Done, None);
        state.mark(
            "cert-expiry",
            Status::Skipped,
            Some("platform certs".into()),
        );
        let p = progress(Checklist::get(), &state, jiff::Timestamp::now());
        assert_eq!(p.phases[6].due, 4);
    }

    #[test]
    fn a_certificate_falls_due_thirty_days_before_it_expires() {
        let now = jiff::Timestamp::now();
        let mut state = State::default();
        state.mark("cert-expiry", Status::Done, None);
        let due = |state: &State| {
            progress(Checklist::get(), state, now)
                .items
                .iter()
                .find(|s| s.item.id == "cert-expiry")
                .unwrap()
                .due
        };
        let in_days = |days: i64| {
            now.checked_add(jiff::SignedDuration::from_hours(24 * days))
                .unwrap()
                .to_string()
        };
        state.expires.insert("cert-expiry".into(), in_days(45));
        assert!(!due(&state), "45 days left is not due yet");
        state.expires.insert("cert-expiry".into(), in_days(29));
        assert!(
            due(&state),
            "29 days left is due, though it was done just now"
        );
    }
}

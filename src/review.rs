//! What changed since the last pre-release review: items that regressed,
//! decisions whose files changed (stale), recurring tasks that are due.
//!
//! A review compares the state after its start-up re-check with the
//! [`ReviewSnapshot`] the previous review left in the state file, then leaves
//! a new snapshot for the next one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::checklist::{Checklist, ChecklistItem};
use crate::digest::sha256_hex;
use crate::filekind::FileKind;
use crate::progress::{ItemStatus, progress};
use crate::state::{ItemRecord, ReviewSnapshot, ReviewedItem, SetBy, State, Status};

/// Why a file behind a settled item counts as changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    /// Its bytes differ from those at the last review.
    ChangedSinceReview,
    /// It existed at the last review and is gone now.
    RemovedSinceReview,
    /// preflight wrote it, and it was edited by hand since (no review saw it yet).
    EditedSinceGenerated,
    /// Files in the item's scope changed since a person decided it.
    ChangedSinceDecided,
}

/// What a review marks on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Settled at the last review, open now.
    Regressed {
        /// Its status at the last review (or in the last check run that passed it).
        was: Status,
        /// Its status now.
        now: Status,
        /// When a check run last passed it, if that run, not the last review,
        /// is what it is compared with (RFC 3339).
        passing_at: Option<String>,
    },
    /// Settled, but a file its status rests on changed.
    Stale {
        /// The file, relative to the project.
        file: String,
        /// How it changed.
        change: FileChange,
    },
    /// A recurring task never done, or whose period has run out.
    Due {
        /// When it was last done (RFC 3339); `None`: never.
        done_at: Option<String>,
        /// How often it is to be done.
        period_days: u32,
        /// When what it rests on expires (`cert-expiry`: the certificate's
        /// end date, as `verify` read it), if that is why it fell due.
        expires: Option<String>,
    },
}

impl Mark {
    /// The symbol shown next to the item; the word says the same without colour.
    pub fn symbol(&self) -> &'static str {
        match self {
            Self::Regressed { .. } => "↯",
            Self::Stale { .. } => "≠",
            Self::Due { .. } => "⏰",
        }
    }

    /// One word for the mark.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Regressed { .. } => "regressed",
            Self::Stale { .. } => "stale",
            Self::Due { .. } => "due",
        }
    }

    /// Why the item is marked, for the detail pane; `since` is the last
    /// review's time (RFC 3339).
    pub fn explain(&self, since: Option<&str>) -> String {
        let review = since.map_or_else(
            || "the last review".to_owned(),
            |at| format!("the review of {}", day(at)),
        );
        match self {
            Self::Regressed {
                passing_at: Some(at),
                now,
                ..
            } => format!(
                "Regressed: the scanner passed it at the check of {}, {} now.",
                day(at),
                now.as_str()
            ),
            Self::Regressed { was, now, .. } => format!(
                "Regressed: {} at {review}, {} now.",
                was.as_str(),
                now.as_str()
            ),
            Self::Stale { file, change } => match change {
                FileChange::ChangedSinceReview => {
                    format!("Stale: {file} changed since {review}; check the decision still holds.")
                }
                FileChange::RemovedSinceReview => {
                    format!(
                        "Stale: {file} was removed since {review}; check the decision still holds."
                    )
                }
                FileChange::EditedSinceGenerated => format!(
                    "Stale: {file} was edited since preflight wrote it; check it still does the job."
                ),
                FileChange::ChangedSinceDecided => format!(
                    "Stale: {file} changed since this was decided; check it still holds, then \
                     mark it again to confirm."
                ),
            },
            Self::Due {
                expires: Some(expires),
                period_days,
                ..
            } => format!(
                "Due: what it rests on expires on {} (the certificate, as verify read it), and \
                 it falls due {period_days} days before that.",
                day(expires)
            ),
            Self::Due {
                done_at: Some(done_at),
                period_days,
                expires: None,
            } => format!(
                "Due: last done {}, and it is to be done every {period_days} days.",
                day(done_at)
            ),
            Self::Due {
                done_at: None,
                period_days,
                expires: None,
            } => format!("Due: never done yet; it is to be done every {period_days} days."),
        }
    }
}

/// What a review found, by item id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// When the review it compares with was opened; `None` on a first review.
    pub since: Option<String>,
    /// One mark per marked item, by item id.
    pub marks: BTreeMap<String, Mark>,
}

impl Review {
    /// How many items carry a mark with this word (`regressed`, `stale`, `due`).
    pub fn count(&self, word: &str) -> usize {
        self.marks.values().filter(|m| m.word() == word).count()
    }

    /// The counts of what is marked (`review: 2 regressed · 1 stale · 3
    /// due`), `None` when nothing is.
    pub fn counts(&self) -> Option<String> {
        let parts: Vec<String> = ["regressed", "stale", "due"]
            .into_iter()
            .map(|word| (self.count(word), word))
            .filter(|(count, _)| *count > 0)
            .map(|(count, word)| format!("{count} {word}"))
            .collect();
        (!parts.is_empty()).then(|| format!("review: {}", parts.join(" · ")))
    }

    /// One line for when the review opens: the counts and what they compare with.
    pub fn summary(&self) -> String {
        let mut line = self
            .counts()
            .unwrap_or_else(|| "review: nothing regressed, stale or due".to_owned());
        match &self.since {
            Some(at) => {
                let _ = write!(line, " since {}", day(at));
            }
            None => line.push_str(" · first review"),
        }
        line
    }
}

/// The date part of an RFC 3339 time (`2026-11-20`).
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// Whether a status counts as settled at a review.
fn is_settled(status: Status) -> bool {
    matches!(status, Status::Done | Status::Skipped | Status::Na)
}

/// Compares the state now (after the start-up re-check) with the last
/// review's snapshot, judging recurring tasks at `now` and reading the
/// project's files under `root`.
pub fn compare(
    last: Option<&ReviewSnapshot>,
    state: &State,
    root: &Path,
    now: jiff::Timestamp,
) -> Review {
    let progress = progress(Checklist::get(), state, now);
    let files = ProjectFiles::read(root);
    // What the check runs saw regress after the last review (or ever, on a
    // first review): passing in a run, failing in the latest, as `report` says.
    let runs = crate::report::changes(&state.history);
    let after = |at: &str, review: &str| match (at.parse::<jiff::Timestamp>(), review.parse()) {
        (Ok(at), Ok(review)) => at > review,
        _ => at > review,
    };
    let since_runs = runs
        .since
        .filter(|at| last.is_none_or(|l| after(at, &l.at)));
    let marks = progress
        .items
        .iter()
        .filter_map(|s| {
            let before = last.and_then(|l| l.items.get(&s.item.id));
            let passing_at = since_runs
                .as_ref()
                .filter(|_| runs.regressed.contains(&s.item.id));
            mark(s, before, passing_at, state, root, now, &files).map(|m| (s.item.id.clone(), m))
        })
        .collect();
    Review {
        since: last.map(|l| l.at.clone()),
        marks,
    }
}

/// The mark one item gets, if any: due first, then regressed, then stale.
/// `passing_at`: when a check run after the last review last passed it, if
/// the latest run fails it.
fn mark(
    status: &ItemStatus<'_>,
    before: Option<&ReviewedItem>,
    passing_at: Option<&String>,
    state: &State,
    root: &Path,
    now: jiff::Timestamp,
    files: &ProjectFiles,
) -> Option<Mark> {
    if status.due {
        let period_days = status.item.period_days.unwrap_or_default();
        // An expiry date counts when it, not the last time done, is what made the item due.
        let expires = state.expires.get(&status.item.id).filter(|e| {
            e.parse::<jiff::Timestamp>()
                .ok()
                .and_then(|e| {
                    e.checked_sub(jiff::SignedDuration::from_hours(
                        24 * i64::from(period_days),
                    ))
                    .ok()
                })
                .is_some_and(|due| due <= now)
        });
        return Some(Mark::Due {
            done_at: status
                .record
                .filter(|r| r.status == Status::Done)
                .map(|r| r.at.clone()),
            period_days,
            expires: expires.cloned(),
        });
    }
    if let Some(before) = before
        && is_settled(before.status)
        && status.status.is_open()
    {
        return Some(Mark::Regressed {
            was: before.status,
            now: status.status,
            passing_at: None,
        });
    }
    if let Some(at) = passing_at
        && status.status.is_open()
    {
        return Some(Mark::Regressed {
            was: Status::Done,
            now: status.status,
            passing_at: Some(at.clone()),
        });
    }
    stale(status, before, state, root, files)
}

/// Every item whose settled status rests on files that changed: those a
/// person's decision was fingerprinted against, those the last review saw,
/// generated files edited by hand. What `status --json` calls `stale`, and
/// what the next review would mark stale.
pub fn stale_items(state: &State, root: &Path, now: jiff::Timestamp) -> BTreeMap<String, Mark> {
    let progress = progress(Checklist::get(), state, now);
    let files = ProjectFiles::read(root);
    let last = state.review.as_ref();
    progress
        .items
        .iter()
        .filter_map(|s| {
            let before = last.and_then(|l| l.items.get(&s.item.id));
            stale(s, before, state, root, &files).map(|m| (s.item.id.clone(), m))
        })
        .collect()
}

/// A settled decision whose files changed. The scanner's own verdicts on
/// automatic items are not stale: the start-up re-check just made them.
///
/// A person's decision that carries a fingerprint is judged by it alone: a
/// change to a file in its scope makes it stale, and marking it again
/// re-confirms it, whatever earlier reviews saw.
fn stale(
    status: &ItemStatus<'_>,
    before: Option<&ReviewedItem>,
    state: &State,
    root: &Path,
    files: &ProjectFiles,
) -> Option<Mark> {
    let by_person = status.by == SetBy::User;
    let decided = match status.status {
        Status::Done => by_person || !status.item.is_auto(),
        Status::Skipped => by_person,
        _ => false,
    };
    if !decided {
        return None;
    }
    if by_person && let Some(recorded) = status.record.and_then(|r| r.fingerprint.as_deref()) {
        let changed = files
            .fingerprint(status.item)
            .is_none_or(|now| now != recorded);
        return changed.then(|| Mark::Stale {
            file: scope_label(status.item),
            change: FileChange::ChangedSinceDecided,
        });
    }
    let reviewed = before.map(|b| &b.files);
    if by_person && let Some(files) = reviewed {
        for (file, hash) in files {
            if let Some(change) = changed_since_review(root, file, hash) {
                return Some(Mark::Stale {
                    file: file.clone(),
                    change,
                });
            }
        }
    }
    // Generated files: changed unless the bytes are preflight's own or those
    // the last review saw.
    for file in generated_files(&status.item.id, state) {
        let written = &state.generated[&file].sha256;
        let current = hash_of(root, &file);
        let seen = reviewed.and_then(|f| f.get(&file));
        let change = match (&current, seen) {
            (Some(current), _) if current == written => None,
            (Some(current), Some(seen)) if current == seen => None,
            (Some(_), Some(_)) => Some(FileChange::ChangedSinceReview),
            (Some(_), None) => Some(FileChange::EditedSinceGenerated),
            (None, Some(_)) => Some(FileChange::RemovedSinceReview),
            (None, None) => None,
        };
        if let Some(change) = change {
            return Some(Mark::Stale { file, change });
        }
    }
    None
}

/// The project's source files and their SHA-256, read once for every item's
/// fingerprint: Python files and the configuration the scanner reads
/// (gitignore-aware), never `.env` files holding values.
#[derive(Debug, Clone, Default)]
pub struct ProjectFiles {
    /// Relative path (`/`-separated) and SHA-256 (hex), sorted by path.
    files: Vec<(String, String)>,
}

impl ProjectFiles {
    /// Reads the project at `root`.
    pub fn read(root: &Path) -> ProjectFiles {
        let walked = crate::scan::walk::walk(root, |rel, text| (rel, sha256_hex(text.as_bytes())));
        let mut files = walked.python;
        files.extend(
            walked
                .files
                .into_iter()
                .filter(|f| {
                    f.kind != crate::scan::walk::FileKind::EnvFile
                        // `.env.example` and its kind hold placeholders; `.env` holds values.
                        || crate::scan::walk::is_copy_template(&f.rel)
                })
                .map(|f| {
                    let hash = sha256_hex(f.text.as_bytes());
                    (f.rel, hash)
                }),
        );
        files.sort();
        files.dedup();
        ProjectFiles { files }
    }

    /// The files in `item`'s scope.
    pub fn in_scope<'a>(&'a self, item: &ChecklistItem) -> Vec<&'a str> {
        let matcher = scope_matcher(item);
        self.files
            .iter()
            .filter(|(rel, _)| matcher.as_ref().is_none_or(|m| matches_scope(m, rel)))
            .map(|(rel, _)| rel.as_str())
            .collect()
    }

    /// One SHA-256 over the paths and contents of the files in `item`'s
    /// scope; `None` for an item whose scope is empty (a recurring task).
    pub fn fingerprint(&self, item: &ChecklistItem) -> Option<String> {
        if item.scope.as_ref().is_some_and(Vec::is_empty) {
            return None;
        }
        let matcher = scope_matcher(item);
        let mut text = String::new();
        for (rel, hash) in &self.files {
            if matcher.as_ref().is_none_or(|m| matches_scope(m, rel)) {
                let _ = writeln!(text, "{rel}\0{hash}");
            }
        }
        Some(sha256_hex(text.as_bytes()))
    }
}

/// The gitignore-style matcher of an item's scope; `None` for the default
/// (every source file).
fn scope_matcher(item: &ChecklistItem) -> Option<ignore::gitignore::Gitignore> {
    let patterns = item.scope.as_ref()?;
    let mut builder = ignore::gitignore::GitignoreBuilder::new("");
    for pattern in patterns {
        // The checklist's patterns are tested; a bad one matches nothing.
        let _ = builder.add_line(None, pattern);
    }
    Some(
        builder
            .build()
            .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty()),
    )
}

fn matches_scope(matcher: &ignore::gitignore::Gitignore, rel: &str) -> bool {
    matcher.matched_path_or_any_parents(rel, false).is_ignore()
}

/// The scope in a few words, for the stale mark: `views.py, urls.py, …`.
pub fn scope_label(item: &ChecklistItem) -> String {
    match &item.scope {
        None => "the project's source files".to_owned(),
        Some(patterns) => {
            let shown: Vec<&str> = patterns.iter().take(3).map(String::as_str).collect();
            let more = if patterns.len() > 3 { ", …" } else { "" };
            format!("{}{more}", shown.join(", "))
        }
    }
}

/// How `file` differs from the `hash` a review saw, if it does.
fn changed_since_review(root: &Path, file: &str, hash: &str) -> Option<FileChange> {
    match hash_of(root, file) {
        None => Some(FileChange::RemovedSinceReview),
        Some(current) if current != hash => Some(FileChange::ChangedSinceReview),
        Some(_) => None,
    }
}

/// The SHA-256 (hex) of a project file, `None` when it cannot be read.
fn hash_of(root: &Path, file: &str) -> Option<String> {
    crate::fsutil::read_in(root, &root.join(file))
        .ok()
        .flatten()
        .map(|bytes| sha256_hex(&bytes))
}

/// The generated files recorded in `state` that satisfy item `id`.
fn generated_files(id: &str, state: &State) -> Vec<String> {
    state
        .generated
        .keys()
        .filter(|name| FileKind::from_name(name).is_some_and(|kind| kind.items().contains(&id)))
        .cloned()
        .collect()
}

/// The snapshot a review opened at `at` leaves for the next one: each
/// settled item's status and the files items rest on, hashed as they are now.
///
/// A person's decision keeps the files the `previous` review tied to it (the
/// evidence it was decided against) when the mark itself kept none.
pub fn snapshot(
    state: &State,
    root: &Path,
    at: &str,
    previous: Option<&ReviewSnapshot>,
) -> ReviewSnapshot {
    let items = Checklist::get()
        .items
        .iter()
        .filter_map(|item| {
            let record = state.items.get(&item.id);
            let earlier = previous.and_then(|p| p.items.get(&item.id));
            let reviewed = reviewed_item(item, record, earlier, state, root);
            // Only what a later review can compare: a settled status, or files.
            (is_settled(reviewed.status) || !reviewed.files.is_empty())
                .then(|| (item.id.clone(), reviewed))
        })
        .collect();
    ReviewSnapshot {
        at: at.to_owned(),
        items,
    }
}

/// One item for a snapshot.
fn reviewed_item(
    item: &ChecklistItem,
    record: Option<&ItemRecord>,
    earlier: Option<&ReviewedItem>,
    state: &State,
    root: &Path,
) -> ReviewedItem {
    let mut names: Vec<String> = record
        .map(|r| r.evidence_files().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(record) = record
        && record.by == SetBy::User
        && record.evidence.is_empty()
        && let Some(earlier) = earlier
    {
        names.extend(earlier.files.keys().cloned());
    }
    names.extend(generated_files(&item.id, state));
    let files = names
        .into_iter()
        .filter_map(|name| hash_of(root, &name).map(|hash| (name, hash)))
        .collect();
    ReviewedItem {
        status: record.map_or(Status::Todo, |r| r.status),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{EvidenceRef, GeneratedFile};

    fn write(root: &Path, file: &str, text: &str) {
        std::fs::write(root.join(file), text).unwrap();
    }

    fn now() -> jiff::Timestamp {
        jiff::Timestamp::now()
    }

    /// A state whose recurring tasks were all just done, so only what a
    /// test sets up is due.
    fn settled() -> State {
        let mut state = State::default();
        for item in Checklist::get()
            .items
            .iter()
            .filter(|i| i.period_days.is_some())
        {
            state.mark(&item.id, Status::Done, None);
        }
        state
    }

    /// A state whose scanner found `debug-off` failing in settings.py.
    fn failing_debug(root: &Path) -> State {
        write(root, "settings.py", "DEBUG = True\n");
        let mut state = settled();
        state.items.insert(
            "debug-off".into(),
            ItemRecord {
                status: Status::Failing,
                by: SetBy::Auto,
                at: "2026-11-20T10:00:00Z".into(),
                reason: None,
                evidence: vec![EvidenceRef {
                    file: "settings.py".into(),
                    line: Some(1),
                    sha256: None,
                }],
                extent: None,
                fingerprint: None,
            },
        );
        state
    }

    #[test]
    fn a_first_review_marks_only_due_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = failing_debug(dir.path());
        state.mark("rotate-secrets", Status::Done, None);
        state.items.get_mut("rotate-secrets").unwrap().at = "2020-01-01T00:00:00Z".into();
        let review = compare(None, &state, dir.path(), now());
        assert_eq!(review.marks.len(), 1, "{review:?}");
        let mark = &review.marks["rotate-secrets"];
        assert_eq!(mark.word(), "due");
        assert!(mark.explain(None).contains("last done 2020-01-01"));
        assert_eq!(review.summary(), "review: 1 due · first review");
    }

    /// Check runs: `debug-off` failing, passing, failing again (at 10:00, 11:00, 12:00).
    fn fixed_then_broken(state: &mut State) {
        for (hour, failing) in [(10, true), (11, false), (12, true)] {
            let ids = vec!["debug-off".to_owned()];
            state.history.push(crate::state::CheckRun {
                at: format!("2026-11-20T{hour}:00:00Z"),
                failing: if failing { ids.clone() } else { Vec::new() },
                passed: if failing { Vec::new() } else { ids },
            });
        }
    }

    #[test]
    fn a_check_run_that_passed_an_item_after_the_last_review_makes_it_regressed() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = failing_debug(dir.path());
        fixed_then_broken(&mut state);
        // A first review: the check runs are all there is to compare with.
        let review = compare(None, &state, dir.path(), now());
        let mark = &review.marks["debug-off"];
        assert_eq!(mark.word(), "regressed");
        assert_eq!(
            mark.explain(None),
            "Regressed: the scanner passed it at the check of 2026-11-20, failing now."
        );
        // A review after the run that passed it: still regressed.
        let last = snapshot(&state, dir.path(), "2026-11-20T10:30:00Z", None);
        let review = compare(Some(&last), &state, dir.path(), now());
        assert_eq!(review.marks["debug-off"].word(), "regressed");
        // A review that already saw it failing again: nothing new.
        let last = snapshot(&state, dir.path(), "2026-11-20T12:30:00Z", None);
        let review = compare(Some(&last), &state, dir.path(), now());
        assert!(!review.marks.contains_key("debug-off"), "{review:?}");
    }

    #[test]
    fn a_certificate_that_passed_falls_due_thirty_days_before_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = settled();
        state.mark("cert-expiry", Status::Done, None);
        let in_days = |days: i64| {
            now()
                .checked_add(jiff::SignedDuration::from_hours(24 * days))
                .unwrap()
                .to_string()
        };
        state.expires.insert("cert-expiry".into(), in_days(60));
        assert!(compare(None, &state, dir.path(), now()).marks.is_empty());
        let expiry = in_days(20);
        state.expires.insert("cert-expiry".into(), expiry.clone());
        let review = compare(None, &state, dir.path(), now());
        let mark = &review.marks["cert-expiry"];
        assert_eq!(mark.word(), "due");
        let text = mark.explain(None);
        assert!(
            text.contains(&format!("expires on {}", &expiry[..10])),
            "{text}"
        );
    }

    #[test]
    fn items_settled_at_the_last_review_and_open_now_regressed() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = settled();
        state.mark("api-auth-required", Status::Done, None);
        state.mark("backups", Status::Done, None);
        let last = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        let mut state = failing_debug(dir.path());
        state.mark("api-auth-required", Status::Todo, None);
        state.mark("backups", Status::Done, None);
        let review = compare(Some(&last), &state, dir.path(), now());
        assert_eq!(
            review.marks.get("api-auth-required"),
            Some(&Mark::Regressed {
                was: Status::Done,
                now: Status::Todo,
                passing_at: None,
            })
        );
        assert!(!review.marks.contains_key("backups"), "still done");
        assert!(!review.marks.contains_key("debug-off"), "open both times");
        assert_eq!(
            review.marks["api-auth-required"].explain(review.since.as_deref()),
            "Regressed: done at the review of 2026-11-20, todo now."
        );
        assert_eq!(review.summary(), "review: 1 regressed since 2026-11-20");
    }

    #[test]
    fn a_skip_goes_stale_when_its_evidence_changes_after_the_review() {
        let dir = tempfile::tempdir().unwrap();
        let state = failing_debug(dir.path());
        let last = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        assert_eq!(last.items["debug-off"].files.len(), 1);
        let mut state = state;
        state.mark("debug-off", Status::Skipped, Some("staging only".into()));
        // Unchanged evidence: the skip stands.
        assert!(
            compare(Some(&last), &state, dir.path(), now())
                .marks
                .is_empty()
        );
        // The next review still ties the skip to the file it was made against.
        let carried = snapshot(&state, dir.path(), "2026-11-21T10:00:00Z", Some(&last));
        assert_eq!(
            carried.items["debug-off"].files,
            last.items["debug-off"].files
        );

        write(dir.path(), "settings.py", "DEBUG = env('DEBUG')\n");
        let review = compare(Some(&carried), &state, dir.path(), now());
        let mark = &review.marks["debug-off"];
        assert_eq!(
            mark,
            &Mark::Stale {
                file: "settings.py".into(),
                change: FileChange::ChangedSinceReview
            }
        );
        assert_eq!(
            mark.explain(review.since.as_deref()),
            "Stale: settings.py changed since the review of 2026-11-21; check the decision still \
             holds."
        );
        std::fs::remove_file(dir.path().join("settings.py")).unwrap();
        let review = compare(Some(&carried), &state, dir.path(), now());
        assert_eq!(review.marks["debug-off"].word(), "stale");
    }

    #[test]
    fn a_skip_made_before_any_review_goes_stale_when_its_evidence_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = failing_debug(dir.path());
        // Skipped (by `preflight mark` or the wizard) before the first review.
        state.mark("debug-off", Status::Skipped, Some("staging only".into()));
        let first = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        assert_eq!(first.items["debug-off"].files.len(), 1, "{first:?}");

        write(dir.path(), "settings.py", "DEBUG = env('DEBUG')\n");
        let review = compare(Some(&first), &state, dir.path(), now());
        assert_eq!(review.marks["debug-off"].word(), "stale", "{review:?}");
    }

    #[test]
    fn a_generated_file_edited_by_hand_makes_its_items_stale() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "nginx.conf", "server {}\n");
        let mut state = settled();
        state.generated.insert(
            "nginx.conf".into(),
            GeneratedFile {
                sha256: sha256_hex(b"server {}\n"),
                at: "2026-11-19T10:00:00Z".into(),
            },
        );
        crate::generate::mark_items_done(&mut state, &["reverse-proxy"]);
        assert!(compare(None, &state, dir.path(), now()).marks.is_empty());

        write(dir.path(), "nginx.conf", "server { listen 80; }\n");
        let review = compare(None, &state, dir.path(), now());
        assert_eq!(
            review.marks["reverse-proxy"],
            Mark::Stale {
                file: "nginx.conf".into(),
                change: FileChange::EditedSinceGenerated
            }
        );
        // A review that saw the edit lets it stand, until the next change.
        let last = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        assert!(
            compare(Some(&last), &state, dir.path(), now())
                .marks
                .is_empty()
        );
        write(dir.path(), "nginx.conf", "server { listen 8080; }\n");
        let review = compare(Some(&last), &state, dir.path(), now());
        assert_eq!(review.marks["reverse-proxy"].word(), "stale");
        assert_eq!(review.count("stale"), 1);
    }

    #[test]
    fn the_scanners_fresh_verdicts_are_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let state = failing_debug(dir.path());
        let last = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        write(dir.path(), "settings.py", "DEBUG = False\n");
        let mut state = state;
        let record = state.items.get_mut("debug-off").unwrap();
        record.status = Status::Done;
        record.evidence.clear();
        let review = compare(Some(&last), &state, dir.path(), now());
        assert!(review.marks.is_empty(), "{review:?}");
    }

    /// A fixed clock: 1 December 2026, noon UTC.
    fn clock(days_later: i64) -> jiff::Timestamp {
        let start: jiff::Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        start
            .checked_add(jiff::SignedDuration::from_hours(24 * days_later))
            .unwrap()
    }

    /// A person marks `id` done against the files as they are now.
    fn confirm(state: &mut State, root: &Path, id: &str) {
        let item = Checklist::get().item(id).unwrap();
        let fingerprint = ProjectFiles::read(root).fingerprint(item);
        assert!(fingerprint.is_some());
        state.confirm(id, Status::Done, None, fingerprint);
        state.items.get_mut(id).unwrap().at = "2026-12-01T12:00:00Z".into();
    }

    #[test]
    fn a_decision_goes_stale_when_a_file_in_its_scope_changes_with_no_review_at_all() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("shop")).unwrap();
        write(dir.path(), "shop/views.py", "def index(request): ...\n");
        write(dir.path(), "shop/models.py", "class Order: ...\n");
        let mut state = settled();
        confirm(&mut state, dir.path(), "api-auth-required");
        assert!(stale_items(&state, dir.path(), clock(0)).is_empty());
        assert!(compare(None, &state, dir.path(), clock(0)).marks.is_empty());

        // A file outside its scope changes: the decision stands.
        write(
            dir.path(),
            "shop/models.py",
            "class Order:\n    total = 0\n",
        );
        assert!(stale_items(&state, dir.path(), clock(0)).is_empty());

        // A view changes: stale, for status and on the very first review.
        write(
            dir.path(),
            "shop/views.py",
            "def index(request):\n    return secret\n",
        );
        let marked = stale_items(&state, dir.path(), clock(0));
        assert_eq!(marked.keys().collect::<Vec<_>>(), ["api-auth-required"]);
        let review = compare(None, &state, dir.path(), clock(0));
        let mark = &review.marks["api-auth-required"];
        assert_eq!(mark.word(), "stale");
        assert!(
            mark.explain(None).contains("views.py"),
            "{}",
            mark.explain(None)
        );
        assert_eq!(review.summary(), "review: 1 stale · first review");

        // Marking it done again re-confirms it.
        confirm(&mut state, dir.path(), "api-auth-required");
        assert!(stale_items(&state, dir.path(), clock(0)).is_empty());
        // A new view file is a change too, and so is a removed one.
        write(dir.path(), "shop/urls.py", "urlpatterns = []\n");
        assert_eq!(stale_items(&state, dir.path(), clock(0)).len(), 1);
        confirm(&mut state, dir.path(), "api-auth-required");
        std::fs::remove_file(dir.path().join("shop/urls.py")).unwrap();
        assert_eq!(stale_items(&state, dir.path(), clock(0)).len(), 1);
    }

    #[test]
    fn ignored_files_and_env_values_are_no_part_of_a_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".gitignore", "local_settings.py\n");
        write(dir.path(), "app.py", "app = Flask(__name__)\n");
        write(dir.path(), ".env", "SECRET_KEY=abc\n");
        let mut state = settled();
        confirm(&mut state, dir.path(), "log-redaction");
        write(dir.path(), ".env", "SECRET_KEY=def\n");
        write(dir.path(), "local_settings.py", "DEBUG = True\n");
        assert!(stale_items(&state, dir.path(), clock(0)).is_empty());
        // The default scope (every source file) sees any Python file.
        confirm(&mut state, dir.path(), "procfile");
        write(dir.path(), "app.py", "app = Flask('x')\n");
        assert_eq!(
            stale_items(&state, dir.path(), clock(0))
                .keys()
                .collect::<Vec<_>>(),
            ["log-redaction", "procfile"]
        );
    }

    #[test]
    fn a_recurring_task_is_due_until_done_and_again_when_its_period_runs_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = settled();
        state.items.remove("rotate-secrets");
        let review = compare(None, &state, dir.path(), clock(0));
        assert_eq!(
            review.marks["rotate-secrets"],
            Mark::Due {
                done_at: None,
                period_days: 90,
                expires: None,
            }
        );
        assert!(
            review.marks["rotate-secrets"]
                .explain(None)
                .contains("never done")
        );
        // Recurring tasks have no files to go stale on.
        assert_eq!(
            ProjectFiles::default().fingerprint(Checklist::get().item("rotate-secrets").unwrap()),
            None
        );
        confirm_at(&mut state, "rotate-secrets", "2026-12-01T12:00:00Z");
        let review = compare(None, &state, dir.path(), clock(89));
        assert!(!review.marks.contains_key("rotate-secrets"), "{review:?}");
        let review = compare(None, &state, dir.path(), clock(90));
        assert_eq!(
            review.marks["rotate-secrets"],
            Mark::Due {
                done_at: Some("2026-12-01T12:00:00Z".into()),
                period_days: 90,
                expires: None,
            }
        );
        // Put back to do: due at once, never mind the period.
        state.mark("rotate-secrets", Status::Todo, None);
        let review = compare(None, &state, dir.path(), clock(0));
        assert_eq!(review.marks["rotate-secrets"].word(), "due");
    }

    fn confirm_at(state: &mut State, id: &str, at: &str) {
        state.mark(id, Status::Done, None);
        state.items.get_mut(id).unwrap().at = at.into();
    }

    #[test]
    fn a_regression_outranks_staleness_and_due_outranks_both() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "views.py", "v = 1\n");
        let mut state = settled();
        confirm(&mut state, dir.path(), "api-auth-required");
        let last = snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
        write(dir.path(), "views.py", "v = 2\n");
        state.mark("api-auth-required", Status::Todo, None);
        let review = compare(Some(&last), &state, dir.path(), clock(0));
        assert_eq!(review.marks["api-auth-required"].word(), "regressed");
        assert_eq!(review.counts().as_deref(), Some("review: 1 regressed"));
    }
}

//! The pre-release review report: where a project stands, as one document.
//!
//! [`build`] turns a fresh scan and the state file into a [`Report`] value;
//! `render_markdown`, `render_html` and `render_json` turn that into text.
//! The report holds no secret value: evidence comes from the scanner, which
//! redacts secrets, and `.env` values are never read.

mod html;
mod markdown;

use serde::Serialize;

use crate::checklist::{Checklist, Severity};
use crate::progress::{ItemStatus, PhaseProgress, progress};
use crate::scan::ScanReport;
use crate::state::{CheckRun, State, Status};

pub use html::render_html;
pub use markdown::render_markdown;

/// How many check runs the report lists.
const RUNS_SHOWN: usize = 5;

/// The whole review report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When the report was made (RFC 3339, UTC).
    pub generated_at: String,
    pub project: ProjectSummary,
    /// Items settled (done, skipped, not applicable).
    pub done: usize,
    pub total: usize,
    pub phases: Vec<PhaseProgress>,
    /// Open critical and high items: failing first, then the worst, in checklist order.
    pub open: Vec<OpenItem>,
    /// Items a person skipped or marked not applicable, with the reason.
    pub waived: Vec<WaivedItem>,
    /// Ids of the automatic items failing now that were not failing at the
    /// last check run whose verdicts differ (`changes.regressed`): what a CI
    /// step gates on.
    pub regressions: Vec<String>,
    /// Ids of settled items whose files changed since they were decided.
    pub stale: Vec<String>,
    /// Ids of recurring tasks never done or whose period has run out.
    pub due: Vec<String>,
    /// The stale items, with what changed.
    pub stale_items: Vec<StaleItem>,
    /// The due recurring tasks, with when they were last done.
    pub due_items: Vec<DueItem>,
    /// Failing critical and high items at each recorded check run, oldest first.
    pub trend: Vec<TrendPoint>,
    /// The most recent check runs, newest first.
    pub runs: Vec<RunSummary>,
    /// What changed between the previous check run and the latest one.
    pub changes: Changes,
}

/// What the project is.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectSummary {
    pub name: String,
    pub path: String,
    pub framework: crate::project::Framework,
    pub entrypoint: Option<String>,
}

/// An open critical or high item.
#[derive(Debug, Clone, Serialize)]
pub struct OpenItem {
    pub id: String,
    pub phase: u8,
    pub severity: Severity,
    pub status: Status,
    /// `auto, live`: how the item is decided.
    pub how: String,
    /// The requirement as a problem ("DEBUG is on") when failing, else the title.
    pub title: String,
    /// Where the scanner found it, one entry per place.
    pub evidence: Vec<Evidence>,
    /// What a live check or a person recorded about it.
    pub note: Option<String>,
    /// When its status was last set, if ever.
    pub at: Option<String>,
    /// The fix for this project's framework.
    pub fix: String,
}

/// One place that shows a failing requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Relative to the project, `/`-separated; `None` for a missing thing.
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The source line as the scanner reported it (secrets redacted).
    pub text: Option<String>,
}

impl Evidence {
    /// `config/settings.py:36`, or `(project)` for a missing thing.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            (None, _) => "(project)".to_owned(),
        }
    }
}

/// An item skipped or marked not applicable.
#[derive(Debug, Clone, Serialize)]
pub struct WaivedItem {
    pub id: String,
    pub severity: Severity,
    pub status: Status,
    pub title: String,
    pub reason: String,
    pub at: String,
}

/// A recurring task that is due.
#[derive(Debug, Clone, Serialize)]
pub struct DueItem {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub period_days: u32,
    /// When it was last done.
    pub last_done: Option<String>,
}

/// A settled item whose files changed since it was decided.
#[derive(Debug, Clone, Serialize)]
pub struct StaleItem {
    pub id: String,
    pub severity: Severity,
    pub status: Status,
    pub title: String,
    /// What changed, in a sentence.
    pub why: String,
}

/// How many critical and high items failed at one check run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub at: String,
    pub failing: usize,
}

/// One check run from the history.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub at: String,
    pub failing: usize,
    pub passed: usize,
}

/// The difference between the last two check runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// When the run compared against was made; `None` with fewer than two runs.
    pub since: Option<String>,
    /// Failing now, not failing before.
    pub regressed: Vec<String>,
    /// Failing before, not failing now.
    pub fixed: Vec<String>,
}

/// Builds the report from a fresh scan and the state it was recorded in.
pub fn build(scan: &ScanReport, state: &State, now: jiff::Timestamp) -> Report {
    let checklist = Checklist::get();
    let progress = progress(checklist, state, now);
    let changed_files = crate::review::stale_items(state, &scan.project.root, now);
    let changes = changes(&state.history);
    let framework = scan.project.framework;
    let mut open: Vec<OpenItem> = progress
        .items
        .iter()
        .filter(|s| s.status.is_open() && s.item.severity >= Severity::High)
        .map(|s| open_item(s, scan, framework))
        .collect();
    open.sort_by_key(|item| {
        (
            item.status != Status::Failing,
            std::cmp::Reverse(item.severity),
        )
    });
    Report {
        generated_at: crate::state::now_rfc3339(),
        project: ProjectSummary {
            name: scan.project.name.clone(),
            path: scan.project.root.display().to_string(),
            framework: scan.project.framework,
            entrypoint: scan.project.entrypoint.clone(),
        },
        done: progress.done(),
        total: progress.total(),
        phases: progress.phases.clone(),
        open,
        waived: progress.items.iter().filter_map(waived_item).collect(),
        regressions: changes.regressed.clone(),
        stale: progress
            .items
            .iter()
            .filter(|s| changed_files.contains_key(&s.item.id))
            .map(|s| s.item.id.clone())
            .collect(),
        due: progress
            .items
            .iter()
            .filter(|s| s.due)
            .map(|s| s.item.id.clone())
            .collect(),
        stale_items: progress
            .items
            .iter()
            .filter_map(|s| {
                let mark = changed_files.get(&s.item.id)?;
                Some(StaleItem {
                    id: s.item.id.clone(),
                    severity: s.item.severity,
                    status: s.status,
                    title: s.item.title.clone(),
                    why: mark.explain(state.review.as_ref().map(|r| r.at.as_str())),
                })
            })
            .collect(),
        due_items: progress
            .items
            .iter()
            .filter(|s| s.due)
            .map(|s| DueItem {
                id: s.item.id.clone(),
                severity: s.item.severity,
                title: s.item.title.clone(),
                period_days: s.item.period_days.unwrap_or_default(),
                last_done: s
                    .record
                    .filter(|r| r.status == Status::Done)
                    .map(|r| r.at.clone()),
            })
            .collect(),
        trend: trend(&state.history),
        runs: state
            .history
            .iter()
            .rev()
            .take(RUNS_SHOWN)
            .map(|run| RunSummary {
                at: run.at.clone(),
                failing: run.failing.len(),
                passed: run.passed.len(),
            })
            .collect(),
        changes,
    }
}

/// Failing critical and high items at each recorded check run, oldest first.
pub fn trend(history: &[CheckRun]) -> Vec<TrendPoint> {
    let checklist = Checklist::get();
    history
        .iter()
        .map(|run| TrendPoint {
            at: run.at.clone(),
            failing: run
                .failing
                .iter()
                .filter(|id| {
                    checklist
                        .item(id)
                        .is_some_and(|item| item.severity >= Severity::High)
                })
                .count(),
        })
        .collect()
}

/// An open item with its evidence from the scan.
fn open_item(
    status: &ItemStatus<'_>,
    scan: &ScanReport,
    framework: crate::project::Framework,
) -> OpenItem {
    let item = status.item;
    let mut evidence: Vec<Evidence> = scan
        .findings
        .iter()
        .filter(|f| f.item == item.id)
        .map(|f| Evidence {
            file: f.file.clone(),
            line: f.line,
            // Redacted at the scan already; once more, so no report can hold a key.
            text: f.evidence.as_deref().map(crate::scan::redact::redact),
        })
        .collect();
    evidence.dedup();
    // Without a fresh finding, fall back to the places the state file recorded.
    if evidence.is_empty()
        && let Some(record) = status.record
    {
        evidence = record
            .evidence
            .iter()
            .map(|e| Evidence {
                file: Some(e.file.clone()),
                line: e.line,
                text: None,
            })
            .collect();
    }
    let failing = status.status == Status::Failing;
    OpenItem {
        id: item.id.clone(),
        phase: item.phase,
        severity: item.severity,
        status: status.status,
        how: item.how_label(),
        title: if failing {
            item.problem.clone()
        } else {
            item.title.clone()
        },
        evidence,
        note: status.record.and_then(|r| r.reason.clone()),
        at: status.record.map(|r| r.at.clone()),
        fix: item.fix.for_framework(framework).to_owned(),
    }
}

/// A skipped or not-applicable item, if this one is.
fn waived_item(status: &ItemStatus<'_>) -> Option<WaivedItem> {
    if !matches!(status.status, Status::Skipped | Status::Na) {
        return None;
    }
    let record = status.record?;
    Some(WaivedItem {
        id: status.item.id.clone(),
        severity: status.item.severity,
        status: status.status,
        title: status.item.title.clone(),
        reason: record
            .reason
            .clone()
            .unwrap_or_else(|| "decided by the scanner".to_owned()),
        at: record.at.clone(),
    })
}

/// What regressed and what was fixed since the verdicts last differed.
///
/// `status`, `report` and every wizard start record a run, so the run just
/// before the latest one usually has the same verdicts; comparing with it would
/// nearly always say "nothing changed". The latest run is compared with the
/// most recent earlier run whose failing items differ; when every recorded run
/// agrees, nothing changed since the oldest of them.
pub fn changes(history: &[CheckRun]) -> Changes {
    let [earlier @ .., latest] = history else {
        return Changes::default();
    };
    let Some(first) = earlier.first() else {
        return Changes::default();
    };
    let same = |run: &CheckRun| {
        run.failing.iter().all(|id| latest.failing.contains(id))
            && latest.failing.iter().all(|id| run.failing.contains(id))
    };
    let Some(previous) = earlier.iter().rev().find(|run| !same(run)) else {
        return Changes {
            since: Some(first.at.clone()),
            ..Changes::default()
        };
    };
    let mut regressed: Vec<String> = latest
        .failing
        .iter()
        .filter(|id| !previous.failing.contains(id))
        .cloned()
        .collect();
    let mut fixed: Vec<String> = previous
        .failing
        .iter()
        .filter(|id| !latest.failing.contains(id))
        .cloned()
        .collect();
    regressed.sort();
    regressed.dedup();
    fixed.sort();
    fixed.dedup();
    Changes {
        since: Some(previous.at.clone()),
        regressed,
        fixed,
    }
}

/// A piece of an item's fix text: prose, or a code block (the lines the
/// checklist indents by four spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixBlock {
    pub code: bool,
    pub text: String,
}

/// Splits fix text into prose and code blocks, so each format can show
/// commands as code without guessing at Markdown's indentation rules.
pub fn fix_blocks(fix: &str) -> Vec<FixBlock> {
    let mut blocks: Vec<FixBlock> = Vec::new();
    for line in fix.trim_end().lines() {
        // A blank line inside a code block (between two functions) stays in the block.
        let in_code = blocks.last().is_some_and(|block| block.code);
        let (code, text) = match line.strip_prefix("    ") {
            Some(code_line) => (true, code_line),
            None if in_code && line.trim().is_empty() => (true, ""),
            None => (false, line),
        };
        match blocks.last_mut() {
            Some(block) if block.code == code => {
                block.text.push('\n');
                block.text.push_str(text);
            }
            _ => blocks.push(FixBlock {
                code,
                text: text.to_owned(),
            }),
        }
    }
    for block in &mut blocks {
        if block.code {
            let end = block.text.trim_end().len();
            block.text.truncate(end);
        }
    }
    blocks
}

/// The report as pretty JSON.
pub fn render_json(report: &Report) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(report)? + "\n")
}

#[cfg(test)]
mod tests;

//! The review report as Markdown, for a pull request or a wiki page.

use std::fmt::Write;

use super::{Changes, Report};

/// Renders the report as Markdown.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    header(&mut out, report);
    // What changed comes first: it is what a reviewer reads the report for.
    regressions(&mut out, report);
    stale(&mut out, report);
    due(&mut out, report);
    phases(&mut out, report);
    open_items(&mut out, report);
    waived(&mut out, report);
    runs(&mut out, report);
    out
}

fn header(out: &mut String, report: &Report) {
    let p = &report.project;
    let _ = writeln!(out, "# Pre-release review: {}\n", cell(&p.name));
    let entry = p
        .entrypoint
        .as_deref()
        .map_or_else(|| "no entrypoint found".to_owned(), code);
    let _ = writeln!(
        out,
        "{} · entrypoint {entry} · {} · generated {}\n",
        p.framework.display_name(),
        code(&p.path),
        report.generated_at
    );
    let critical: usize = report.phases.iter().map(|p| p.critical_open).sum();
    let _ = writeln!(
        out,
        "**{} of {} items settled** (done, skipped or not applicable) · **{critical} critical \
         open** · {} recurring due\n",
        report.done,
        report.total,
        report.due.len()
    );
}

fn phases(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Progress\n");
    let _ = writeln!(out, "| phase | settled | critical open | due |");
    let _ = writeln!(out, "|---|---|---|---|");
    for phase in &report.phases {
        let _ = writeln!(
            out,
            "| {} {} | {}/{} | {} | {} |",
            phase.number,
            cell(&phase.name),
            phase.done,
            phase.total,
            phase.critical_open,
            phase.due
        );
    }
    out.push('\n');
}

fn open_items(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "## Open critical and high items ({})\n",
        report.open.len()
    );
    if report.open.is_empty() {
        let _ = writeln!(out, "None: every critical and high item is settled.\n");
        return;
    }
    for item in &report.open {
        let _ = writeln!(
            out,
            "### {} {} — {}\n",
            item.status.symbol(),
            code(&item.id),
            cell(&item.title)
        );
        let since = item
            .at
            .as_deref()
            .map(|at| format!(" since {}", cell(at)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} · {}{since} · decided by {} · phase {}\n",
            item.severity, item.status, item.how, item.phase
        );
        for evidence in &item.evidence {
            match &evidence.text {
                Some(text) => {
                    let _ = writeln!(out, "- {} — {}", code(&evidence.location()), code(text));
                }
                None => {
                    let _ = writeln!(out, "- {}", code(&evidence.location()));
                }
            }
        }
        if !item.evidence.is_empty() {
            out.push('\n');
        }
        if let Some(note) = &item.note {
            let _ = writeln!(out, "> {}\n", cell(note));
        }
        let _ = writeln!(out, "**Fix:**\n");
        for block in super::fix_blocks(&item.fix) {
            if block.code {
                let fence = if block.text.contains("```") {
                    "~~~~"
                } else {
                    "```"
                };
                let _ = writeln!(out, "{fence}\n{}\n{fence}\n", block.text);
            } else {
                let _ = writeln!(out, "{}\n", block.text);
            }
        }
    }
}

fn waived(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "## Skipped and not applicable ({})\n",
        report.waived.len()
    );
    if report.waived.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(out, "| item | severity | status | reason | since |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for item in &report.waived {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            code(&item.id),
            item.severity,
            item.status,
            cell(&item.reason),
            cell(&item.at)
        );
    }
    out.push('\n');
}

fn regressions(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Regressed ({})\n", report.regressions.len());
    let since = report.changes.since.as_deref().map(cell);
    if report.regressions.is_empty() {
        let line = since.map_or_else(
            || "Nothing to compare yet: one check run so far.".to_owned(),
            |at| format!("Nothing regressed since the run of {at}."),
        );
        let _ = writeln!(out, "{line}\n");
        return;
    }
    let since = since
        .map(|at| format!(" since the run of {at}"))
        .unwrap_or_default();
    let _ = writeln!(out, "Failing now, passing{since}:\n");
    for id in &report.regressions {
        let problem = crate::checklist::Checklist::get()
            .item(id)
            .map(|item| format!(" — {}", cell(&item.problem)))
            .unwrap_or_default();
        let _ = writeln!(out, "- ↯ {}{problem}", code(id));
    }
    out.push('\n');
}

fn stale(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Stale ({})\n", report.stale_items.len());
    if report.stale_items.is_empty() {
        let _ = writeln!(
            out,
            "None: no decision rests on files that changed since it was made.\n"
        );
        return;
    }
    for item in &report.stale_items {
        let _ = writeln!(
            out,
            "- ≠ {} {} ({}) — {}",
            code(&item.id),
            cell(&item.title),
            item.status,
            cell(&item.why)
        );
    }
    out.push('\n');
}

fn due(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Recurring tasks due ({})\n", report.due_items.len());
    if report.due_items.is_empty() {
        let _ = writeln!(
            out,
            "None due. Recurring tasks fall due again when their period runs out.\n"
        );
        return;
    }
    let _ = writeln!(out, "| item | every | last done |");
    let _ = writeln!(out, "|---|---|---|");
    for item in &report.due_items {
        let _ = writeln!(
            out,
            "| {} {} | {} days | {} |",
            code(&item.id),
            cell(&item.title),
            item.period_days,
            cell(item.last_done.as_deref().map_or("never", day))
        );
    }
    out.push('\n');
}

fn runs(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Check runs\n");
    if report.runs.is_empty() {
        let _ = writeln!(out, "No check run recorded yet.\n");
        return;
    }
    let _ = writeln!(out, "| when | failing | passed |");
    let _ = writeln!(out, "|---|---|---|");
    for run in &report.runs {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&run.at),
            run.failing,
            run.passed
        );
    }
    out.push('\n');
    let _ = writeln!(out, "{}\n", changes_line(&report.changes, code, cell));
}

/// One sentence on what changed since the previous run.
/// `name` formats an item id and `text` makes the timestamp safe for the output format.
pub(super) fn changes_line(
    changes: &Changes,
    name: fn(&str) -> String,
    text: fn(&str) -> String,
) -> String {
    let Some(since) = changes.since.as_deref().map(text) else {
        return "Only one run so far: nothing to compare.".to_owned();
    };
    let list = |ids: &[String]| ids.iter().map(|id| name(id)).collect::<Vec<_>>().join(", ");
    match (changes.regressed.is_empty(), changes.fixed.is_empty()) {
        (true, true) => format!("Nothing changed since the run of {since}."),
        (false, true) => format!("Regressed since {since}: {}.", list(&changes.regressed)),
        (true, false) => format!("Fixed since {since}: {}.", list(&changes.fixed)),
        (false, false) => format!(
            "Regressed since {since}: {}. Fixed: {}.",
            list(&changes.regressed),
            list(&changes.fixed)
        ),
    }
}

/// The date of an RFC 3339 time.
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// Text safe inside a table cell or heading: no pipes or line breaks, and no
/// HTML — a reason or a note may quote what a live server sent, and a
/// Markdown renderer would otherwise take `<…>` as a tag.
fn cell(text: &str) -> String {
    one_line(text).replace('<', "&lt;")
}

/// `text` with its pipes escaped, its line breaks as spaces and what a
/// terminal would act on escaped (the report goes to stdout too).
fn one_line(text: &str) -> String {
    crate::scan::redact::escape_controls(text)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Inline code that survives backticks in the text (HTML inside a code span
/// is shown as it is, so it needs no escaping).
fn code(text: &str) -> String {
    let text = one_line(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

//! `preflight status`: progress per phase.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use crossterm::style::Color;
use serde_json::json;

use super::style::Style;
use crate::checklist::Checklist;
use crate::progress::{Progress, progress};
use crate::state::{State, Status};

const STATUS_HELP: &str = "\
Examples:
  preflight status
  preflight status ~/src/api --json | jq -r '.items[] | select(.status == \"failing\") | .id'

It re-scans the project first, so the automatic items are current.";

/// Arguments of `status`.
#[derive(Debug, Args)]
#[command(after_help = STATUS_HELP)]
pub struct StatusArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Print JSON (the shape in the CLI contract) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `status`.
pub fn run(args: &StatusArgs) -> anyhow::Result<ExitCode> {
    super::require_dir(&args.path)?;
    let state = rescan(&args.path)?;
    let checklist = Checklist::get();
    let now = jiff::Timestamp::now();
    let progress = progress(checklist, &state, now);
    if args.json {
        let changed = crate::review::stale_items(&state, &args.path, now);
        let json = status_json(&progress, &changed);
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print!("{}", status_text(&progress, Style::detect()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the state with the automatic items brought up to date by a fresh
/// scan, recorded when the state file can be written (a warning otherwise).
pub fn rescan(path: &std::path::Path) -> anyhow::Result<State> {
    let mut state = State::load(path)?;
    let report = crate::scan::scan(path)?;
    super::warn_if_no_project(&report, path);
    super::record_scan(&mut state, &report, path, "the scan");
    Ok(state)
}

/// The `status --json` document; `stale` holds the items whose decision rests
/// on files that changed ([`crate::review::stale_items`]).
pub fn status_json<V>(progress: &Progress<'_>, stale: &BTreeMap<String, V>) -> serde_json::Value {
    let phases: Vec<_> = progress
        .phases
        .iter()
        .map(|p| json!({"number": p.number, "name": p.name, "done": p.done, "total": p.total, "due": p.due}))
        .collect();
    let items: Vec<_> = progress
        .items
        .iter()
        .map(|s| {
            // Nobody and nothing decided an item without a record.
            let by = s.record.map(|r| r.by.as_str());
            let mut item = json!({
                "id": s.item.id,
                "phase": s.item.phase,
                "status": s.status.as_str(),
                "by": by,
                "severity": s.item.severity.as_str(),
                "title": s.item.title,
                "stale": stale.contains_key(&s.item.id),
            });
            if let Some(record) = s.record {
                item["at"] = json!(record.at);
                if let Some(reason) = &record.reason {
                    item["reason"] = json!(reason);
                }
            }
            if let Some(days) = s.item.period_days {
                let last_done = s
                    .record
                    .filter(|r| r.status == Status::Done)
                    .map(|r| r.at.get(..10).unwrap_or(&r.at).to_owned());
                item["due"] = json!(s.due);
                item["last_done"] = json!(last_done);
                item["every_days"] = json!(days);
            }
            item
        })
        .collect();
    json!({
        "schema": 1,
        "done": progress.done(),
        "total": progress.total(),
        "phases": phases,
        "items": items,
    })
}

/// The human `status` output: a line per phase with a bar, then the open critical items.
pub fn status_text(progress: &Progress<'_>, style: Style) -> String {
    use std::fmt::Write;
    const BAR: usize = 20;
    let mut out = String::new();
    // One word for done, skipped and n/a everywhere: "settled", as the
    // wizard's header and the report say it.
    let done = progress
        .items
        .iter()
        .filter(|s| s.status == Status::Done)
        .count();
    let _ = writeln!(
        out,
        "{} of {} items settled ({done} done · {} waived)\n",
        progress.done(),
        progress.total(),
        progress.done() - done
    );
    for phase in &progress.phases {
        let filled = (phase.done * BAR).checked_div(phase.total).unwrap_or(0);
        let bar = format!(
            "{}{}",
            style.paint(&"█".repeat(filled), Color::Green),
            style.dim(&"░".repeat(BAR - filled))
        );
        let mut notes = Vec::new();
        if phase.critical_open > 0 {
            notes.push(style.paint(
                &format!("{} critical open", phase.critical_open),
                Color::Red,
            ));
        }
        if phase.due > 0 {
            notes.push(style.paint(&format!("{} due", phase.due), Color::Yellow));
        }
        let line = format!(
            " {} {:<34} {bar} {:>2}/{:<2} {}",
            phase.number,
            phase.name,
            phase.done,
            phase.total,
            notes.join(", ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let critical: Vec<_> = progress.critical_open().collect();
    if critical.is_empty() {
        let _ = writeln!(out, "\nNo critical item is open.");
    } else {
        let _ = writeln!(out, "\n{}", style.bold("Critical items still open:"));
        for s in critical {
            // A failing item says what is wrong, as `check` and the wizard do; an open one
            // says what it asks for.
            let headline = if s.status == Status::Failing {
                &s.item.problem
            } else {
                &s.item.title
            };
            let _ = writeln!(
                out,
                "  {} {:<26} {}  {}",
                style.status_symbol(s.status),
                s.item.id,
                headline,
                style.dim(&format!("({})", s.item.how_label()))
            );
        }
    }
    out
}

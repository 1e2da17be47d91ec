//! `preflight mark`: set an item's status by hand.

use crate::scan::redact::escape_name;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::checklist::Checklist;
use crate::state::{State, Status};

/// The statuses a person can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarkStatus {
    /// The requirement is met.
    Done,
    /// Back to open.
    Todo,
    /// Deliberately not done now (needs --reason).
    Skip,
    /// Does not apply to this project (needs --reason).
    Na,
}

const MARK_HELP: &str = "\
Examples:
  preflight mark api-auth-required done
  preflight mark backups skip --reason \"the platform snapshots the database nightly\"
  preflight mark media-files na --reason \"the API stores no uploads\" ~/src/api
  preflight mark backups todo

Items the scanner decides (debug-off, …), and any the last scan found failing, cannot be
marked done by hand: fix them, or skip them with a reason.";

/// Arguments of `mark`.
#[derive(Debug, Args)]
#[command(after_help = MARK_HELP)]
pub struct MarkArgs {
    /// The item id (`preflight status --json` lists them).
    pub id: String,
    /// done, todo, skip or na.
    #[arg(value_enum)]
    pub status: MarkStatus,
    /// The project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Why the item is skipped or not applicable.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Runs `mark`.
pub fn run(args: &MarkArgs) -> anyhow::Result<ExitCode> {
    super::require_dir(&args.path)?;
    let item = Checklist::get().require(&args.id)?;
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let status = match args.status {
        MarkStatus::Done => Status::Done,
        MarkStatus::Todo => Status::Todo,
        MarkStatus::Skip => Status::Skipped,
        MarkStatus::Na => Status::Na,
    };
    if matches!(status, Status::Skipped | Status::Na) && reason.is_none() {
        bail!(
            "`{}` needs a reason\n  hint: preflight mark {} {} --reason \"why\"",
            status_word(args.status),
            item.id,
            status_word(args.status)
        );
    }
    if status == Status::Done && !item.user_can_mark_done() {
        bail!(
            "`{}` is decided by the scanner and cannot be marked done by hand\n  hint: fix it \
             (`preflight check` shows where), or skip it: preflight mark {} skip --reason \"why\"",
            item.id,
            item.id
        );
    }
    // The mark is written as asked, but a folder with no project is most likely the
    // wrong one: say so, as check, status and report do.
    if let Ok(report) = crate::scan::scan(&args.path) {
        super::warn_if_no_project(&report, &args.path);
    }
    // A settled decision is fingerprinted against its files: when they
    // change it is stale, and marking it again re-confirms it. (Read before
    // the lock: it reads the project, not the state.)
    let fingerprint = crate::review::ProjectFiles::read(&args.path).fingerprint(item);
    // Read, checked, changed and saved under the project's lock, so parallel
    // marks (or a check beside this one) are all kept.
    State::modify(&args.path, |state| {
        if status == Status::Done
            && let Some(record) = state.failing_by_scanner(&item.id)
        {
            let place = record
                .evidence
                .first()
                .map(|e| match e.line {
                    Some(line) => format!(" ({}:{line})", escape_name(&e.file)),
                    None => format!(" ({})", escape_name(&e.file)),
                })
                .unwrap_or_default();
            bail!(
                "the last scan found `{}` failing{place}, and the next one would undo a \
                 hand-made `done`\n  hint: fix it and run `preflight check`, or skip it: \
                 preflight mark {} skip --reason \"why\"",
                item.id,
                item.id
            );
        }
        state.confirm(&item.id, status, reason.map(str::to_owned), fingerprint);
        Ok(())
    })?;
    println!("{} {}: {}", status.symbol(), item.id, status);
    Ok(ExitCode::SUCCESS)
}

fn status_word(status: MarkStatus) -> &'static str {
    match status {
        MarkStatus::Done => "done",
        MarkStatus::Todo => "todo",
        MarkStatus::Skip => "skip",
        MarkStatus::Na => "na",
    }
}

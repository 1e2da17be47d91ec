//! The command line: argument parsing and dispatch to the subcommands.

mod check;
mod generate;
mod invocation;
mod mark;
mod report;
pub(crate) use report::require_writable_target;
mod secret;
mod status;
pub mod style;
mod verify;
mod wizard;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  preflight --demo                     try the wizard on a bundled, deliberately insecure project
  preflight                            the checklist wizard for the project in this directory
  preflight generate --set platform=vps             .env, gunicorn.conf.py and the files vps runs on
  preflight review ~/src/api           re-check and walk the checklist before a release
  preflight check                      scan the project in the current directory
  preflight check --format json --fail-on critical
  preflight status ~/src/api           progress per phase
  preflight status --json              the same, for scripts
  preflight mark api-auth-required done
  preflight mark backups skip --reason \"managed by the platform\"
  preflight secret django              a fresh Django SECRET_KEY (also: hex, api-key, fernet, …)
  preflight generate --dry-run         the diffs generate would apply; writes nothing
  preflight verify https://api.example.com --protected /api/v1/orders
  preflight report -o review.html      the pre-release review as one HTML page

State lives in PATH/.preflight/state.toml; user defaults in the config dir
(PREFLIGHT_CONFIG_DIR overrides it). Exit codes: 0 ok, 1 failures found, 2 usage or I/O error.";

/// Gets a Python web backend (Django, FastAPI, Flask) ready for production, and keeps it there.
#[derive(Debug, Parser)]
#[command(name = "preflight", version, about, after_help = EXAMPLES)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The project directory for the wizard.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Run the wizard on the bundled demo project, copied to a fresh temp directory.
    #[arg(long)]
    pub demo: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan the project and print what stands between it and production.
    Check(check::CheckArgs),
    /// Show progress per phase and the critical items still open.
    Status(status::StatusArgs),
    /// Open the wizard in pre-release review mode: re-check, then the checklist.
    #[command(
        after_help = "Examples:\n  preflight review             the project in the current \
                            directory\n  preflight review ~/src/api\n\nq quits, ? lists every key; \
                            every change is saved at once."
    )]
    Review {
        /// The project directory.
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// Set an item's status: done, todo, skip or na.
    Mark(mark::MarkArgs),
    /// Print fresh secrets from the OS CSPRNG, one per line.
    Secret(secret::SecretArgs),
    /// Write the deployment files the answered platform runs on (fly, heroku, render, railway,
    /// docker, vps), with .env, .env.example and gunicorn.conf.py.
    Generate(generate::GenerateArgs),
    /// Write the pre-release review report: open items with evidence, waivers, what is due.
    Report(report::ReportArgs),
    /// Probe a live deployment: HTTPS redirect, HSTS, headers, CORS, auth, health, debug pages.
    Verify(verify::VerifyArgs),
    /// Print shell completions.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// Parses the command line and runs it; errors become `error: …` and exit 2.
pub fn main() -> ExitCode {
    exit_quietly_on_broken_pipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Errors name project files: what a terminal would act on is escaped.
            eprintln!(
                "error: {}",
                crate::scan::redact::escape_controls(&format!("{err:#}"))
            );
            ExitCode::from(2)
        }
    }
}

/// `preflight status --json | head` closes the pipe early, and `println!`
/// (and clap_complete) panic on the write that follows. Rust ignores SIGPIPE,
/// and restoring it needs `unsafe`, so end the way a default SIGPIPE would:
/// quietly, with the shell's status for it (128 + 13).
fn exit_quietly_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if payload.contains("Broken pipe") || payload.contains("BrokenPipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Status(args)) => status::run(&args),
        Some(Command::Mark(args)) => mark::run(&args),
        Some(Command::Secret(args)) => secret::run(&args),
        Some(Command::Generate(args)) => generate::run(&args),
        Some(Command::Verify(args)) => verify::run(&args),
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "preflight",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Review { path }) => wizard::run(path, false, true),
        None => {
            if let Some(path) = &cli.path {
                refuse_mistyped_command(path)?;
            }
            wizard::run(cli.path, cli.demo, false)
        }
    }
}

/// Fails with a clear message unless `path` is an existing directory.
fn require_dir(path: &std::path::Path) -> anyhow::Result<()> {
    let hint = "hint: pass the folder that holds manage.py, pyproject.toml or requirements.txt";
    if path.is_dir() {
        Ok(())
    } else if path.exists() {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| std::path::Path::new("."));
        anyhow::bail!(
            "{} is not a project directory: it is a file\n  {hint} (perhaps {})",
            path.display(),
            folder.display()
        )
    } else {
        anyhow::bail!(
            "{} is not a project directory: it does not exist\n  {hint}",
            path.display()
        )
    }
}

/// Records a scan's verdicts in `state` and saves it; a save that fails is a
/// warning naming `what` was not recorded, since the output is still worth
/// having. A folder with no project and no state file yet is left without a
/// `.preflight/`: it was most likely the wrong folder.
fn record_scan(
    state: &mut crate::state::State,
    report: &crate::scan::ScanReport,
    path: &std::path::Path,
    what: &str,
) {
    if found_nothing(report) && !crate::state::state_path(path).exists() {
        crate::scan::record(state, report);
        return;
    }
    // Recorded into the file as it is now, under the lock: a `mark` saved
    // since this run loaded the state is kept. (Recorded once: reading and
    // hashing the evidence files is most of what recording costs.)
    match crate::state::State::update(path, |fresh| crate::scan::record(fresh, report)) {
        Ok(fresh) => *state = fresh,
        Err(err) => {
            // The error names the file and carries its own hint.
            eprintln!(
                "warning: {what} was not recorded: {}",
                crate::scan::redact::escape_controls(&format!("{err:#}"))
            );
            crate::scan::record(state, report);
        }
    }
}

/// Whether the scan judged nothing: no finding and nothing passed.
fn found_nothing(report: &crate::scan::ScanReport) -> bool {
    report.findings.is_empty() && report.passed.is_empty()
}

/// Warns when a scan found nothing to judge: progress in a folder that is
/// not the project (its automatic items all not applicable) would mislead.
fn warn_if_no_project(report: &crate::scan::ScanReport, path: &std::path::Path) {
    if found_nothing(report) {
        eprintln!(
            "warning: no Python web project was found in {}, so its automatic items count as not \
             applicable\n  hint: pass the folder that holds manage.py, pyproject.toml or \
             requirements.txt",
            crate::scan::redact::escape_name(&path.display().to_string())
        );
    }
}

/// `preflight stauts` reaches the wizard as a path; when no such folder
/// exists and the word is close to a command, say which one was meant.
fn refuse_mistyped_command(path: &std::path::Path) -> anyhow::Result<()> {
    let Some(word) = path.to_str().filter(|w| !w.contains('/') && !path.exists()) else {
        return Ok(());
    };
    let command = Cli::command();
    let closest = command
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|name| *name != "help")
        .min_by_key(|name| strsim::damerau_levenshtein(word, name));
    match closest {
        Some(name) if strsim::damerau_levenshtein(word, name) <= 2 => anyhow::bail!(
            "`{word}` is neither a command nor a folder\n  hint: did you mean `preflight {name}`? \
             (`preflight --help` lists the commands)"
        ),
        _ => Ok(()),
    }
}

//! `preflight verify URL`: the live checks against a running deployment.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use crossterm::style::Color;
use serde::Serialize;

use super::style::Style;
use crate::checklist::{Checklist, Severity};
use crate::project::Framework;
use crate::state::{State, Status, state_path};
use crate::verify::{self, LiveCheck, VerifyOptions, VerifyReport};

const VERIFY_HELP: &str = "\
Examples:
  preflight verify https://api.example.com --protected /api/v1/orders
  preflight verify https://staging.example.com --insecure --health /healthz
  preflight verify api.example.com --json --project ~/src/api   record the verdicts too

Exit codes: 0 nothing at or above --fail-on failed, 1 something did, 2 a bad URL or a
deployment that cannot be reached.";

/// Arguments of `verify`.
#[derive(Debug, Args)]
#[command(after_help = VERIFY_HELP)]
pub struct VerifyArgs {
    /// The deployment's address, such as https://api.example.com (a bare host means https://).
    pub url: String,

    /// Print JSON (the shape in the CLI contract) instead of text.
    #[arg(long)]
    pub json: bool,

    /// The health endpoint's path [default: tries /health, /healthz, /ready, /ping, /api/health].
    #[arg(long, value_name = "PATH", value_parser = verify::request_path)]
    pub health: Option<String>,

    /// A path that must require auth; it is called without a token and with an invalid one.
    #[arg(long, value_name = "PATH", value_parser = verify::request_path)]
    pub protected: Option<String>,

    /// Accept any TLS certificate (a staging server with a self-signed one).
    #[arg(long)]
    pub insecure: bool,

    /// Exit 1 when a check of this severity or worse fails: critical, high, medium, low or
    /// none (never), as for `check`.
    #[arg(long, value_name = "LEVEL", default_value = "high", value_parser = parse_fail_on)]
    pub fail_on: FailOn,

    /// Seconds each request may take.
    #[arg(long, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    /// Record the verdicts in this project's state file (PATH/.preflight/state.toml).
    #[arg(long, value_name = "PATH")]
    pub project: Option<PathBuf>,
}

/// Reads `--fail-on`.
/// The `--fail-on` threshold; `None` (`none`) never exits 1.
#[derive(Debug, Clone, Copy)]
pub struct FailOn(Option<Severity>);

fn parse_fail_on(value: &str) -> Result<FailOn, String> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(FailOn(None));
    }
    value
        .parse()
        .map(|severity| FailOn(Some(severity)))
        .map_err(|err: anyhow::Error| format!("{err}, or none"))
}

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    // Read the state first: a corrupt file stops us before any request is sent.
    let project = match &args.project {
        Some(path) => {
            super::require_dir(path)?;
            let framework = crate::scan::detect_project(path)?.framework;
            Some((path, State::load(path)?, framework))
        }
        None => None,
    };
    let report = match verify::verify(&VerifyOptions {
        url: args.url.clone(),
        health: args.health.clone(),
        protected: args.protected.clone(),
        insecure: args.insecure,
        timeout: Duration::from_secs(args.timeout),
    }) {
        Ok(report) => report,
        Err(err) => {
            // A script reading stdout gets an answer too; stderr keeps `error: …`.
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&verify_error_json(&args.url, &err))?
                );
            }
            return Err(err);
        }
    };
    let framework = project.as_ref().map_or(Framework::Unknown, |p| p.2);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&verify_json(&report))?);
    } else {
        print!("{}", verify_text(&report, framework, Style::detect()));
    }
    if let Some((path, _, _)) = project {
        State::update(path, |state| verify::record(state, &report))?;
        if !args.json {
            println!("recorded in {}", state_path(path).display());
        }
    }
    Ok(if args.fail_on.0.is_some_and(|t| report.fails_at(t)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The `verify --json` document, keys in the contract's order; `ok` is
/// `null` for a check that was not run.
#[derive(Debug, Serialize)]
pub struct VerifyJson<'a> {
    pub url: &'a str,
    pub checks: &'a [LiveCheck],
    pub passed: usize,
    /// Failed checks; advice entries that did not hold are not failures.
    pub failed: usize,
}

/// The `verify --json` document for `report`.
pub fn verify_json(report: &VerifyReport) -> VerifyJson<'_> {
    VerifyJson {
        url: &report.url,
        checks: &report.checks,
        passed: report.passed(),
        failed: report.failed(),
    }
}

/// The `verify --json` document when the checks could not run (a bad URL, a
/// host that cannot be reached): `{"url", "error"}` and the hint when there is
/// one. `url` is the normalised URL, or `null` when it does not parse (the
/// error quotes it with any password cut out).
pub fn verify_error_json(url: &str, err: &anyhow::Error) -> serde_json::Value {
    let text = format!("{err:#}");
    let (error, hint) = match text.split_once("\n  hint: ") {
        Some((error, hint)) => (error, Some(hint)),
        None => (text.as_str(), None),
    };
    let url = verify::Target::parse(url).ok().map(|target| target.url());
    let mut json = serde_json::json!({ "url": url, "error": error });
    if let Some(hint) = hint {
        json["hint"] = hint.into();
    }
    json
}

/// The human output: a line per check, the fix under each failure, a summary.
pub fn verify_text(report: &VerifyReport, framework: Framework, style: Style) -> String {
    use std::fmt::Write;
    let mut out = format!("{}\n\n", style.bold(&format!("verify {}", report.url)));
    for check in &report.checks {
        let status = match check.ok {
            Some(true) => Status::Done,
            Some(false) => Status::Failing,
            None => Status::Todo,
        };
        // A server's headers are a stranger's bytes: C1 controls and
        // right-to-left overrides are escaped before they reach the terminal.
        let shown = crate::scan::redact::escape_controls(&check.detail);
        let detail = if check.ok.is_none() {
            style.dim(&shown)
        } else {
            shown
        };
        let symbol = if check.ok == Some(false) && check.is_advice() {
            style.paint("ℹ", Color::Blue)
        } else {
            style.status_symbol(status)
        };
        let _ = writeln!(
            out,
            " {symbol} {:<28} {}  {detail}",
            check.item,
            style.severity(check.severity) + &" ".repeat(8 - check.severity.as_str().len()),
        );
        if check.ok == Some(false)
            && let Some(item) = Checklist::get().item(&check.item)
        {
            // The live items' general fix says what the check wants and how a proxy
            // provides it; a framework's text adds how the app itself does.
            let specific = item.fix.for_framework(framework);
            let mut fix = item.fix.any.clone();
            if specific != item.fix.any {
                fix = format!("{fix}\n{}: {specific}", framework.display_name());
            }
            for (index, line) in fix.lines().enumerate() {
                let label = if index == 0 { "fix: " } else { "     " };
                let _ = writeln!(out, "      {}{line}", style.paint(label, Color::Cyan));
            }
        }
    }
    let mut summary = vec![
        style.paint(&format!("{} passed", report.passed()), Color::Green),
        style.paint(&format!("{} failed", report.failed()), Color::Red),
    ];
    if report.advised() > 0 {
        summary.push(style.paint(&format!("{} advice", report.advised()), Color::Blue));
    }
    if report.not_run() > 0 {
        summary.push(format!("{} not run", report.not_run()));
    }
    let _ = writeln!(out, "\n{}", summary.join(", "));
    out
}

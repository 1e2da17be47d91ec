//! `preflight check`: scan the project, record the verdicts, print findings.

use crate::scan::redact::escape_name;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use crossterm::style::Color;
use serde::Serialize;
use serde::ser::SerializeMap as _;
use serde_json::{Value, json};

use super::style::{Style, severity_colour};
use crate::checklist::{Checklist, Severity};
use crate::scan::{Finding, ScanReport, scan_with_warnings, thousands};
use crate::state::State;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by phase and severity, for people.
    Text,
    /// One JSON object (the shape in the CLI contract).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// The lowest severity that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    /// Never exit 1 for findings.
    None,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            Self::Critical => Some(Severity::Critical),
            Self::High => Some(Severity::High),
            Self::Medium => Some(Severity::Medium),
            Self::Low => Some(Severity::Low),
            Self::None => None,
        }
    }
}

const CHECK_HELP: &str = "\
Examples:
  preflight check                               the project in the current directory
  preflight check ~/src/api --fail-on critical  in CI: fail only on the worst findings
  preflight check --format json | jq '.findings[].item'
  preflight check --format sarif > preflight.sarif   for GitHub code scanning

Nothing in the project is run or imported. Exit codes: 0 no finding at or above --fail-on,
1 some, 2 usage or I/O error.";

/// Arguments of `check`.
#[derive(Debug, Args)]
#[command(after_help = CHECK_HELP)]
pub struct CheckArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Text output: print every fix whole and every place, not the first ones.
    #[arg(short, long)]
    pub verbose: bool,

    /// Scan and print without writing .preflight/state.toml (a pre-commit hook, a read-only
    /// checkout): the project is left exactly as it was.
    #[arg(long)]
    pub no_record: bool,
}

/// How much of each fix the text output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The first lines of each fix, then a pointer to `--verbose`.
    Compact,
    /// Every fix whole.
    Full,
}

/// At most this many lines of a fix in compact text output.
const COMPACT_FIX_LINES: usize = 12;

/// Runs `check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    super::require_dir(&args.path)?;
    // A corrupt or newer state file stops here, before anything is printed.
    let mut state = State::load(&args.path)?;
    let (report, warnings) = scan_with_warnings(&args.path)?;
    for warning in &warnings {
        // Warnings name project files, which a cloned repository names.
        eprintln!("warning: {}", escape_name(warning));
    }
    if !args.no_record {
        super::record_scan(&mut state, &report, &args.path, "the result");
    }
    // JSON and SARIF name every place, so they are written as they are made
    // rather than built whole first: memory stays flat in the findings.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => {
            let detail = if args.verbose {
                Detail::Full
            } else {
                Detail::Compact
            };
            out.write_all(check_text(&report, &args.path, Style::detect(), detail).as_bytes())?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &check_json(&report, &args.path))?;
            out.write_all(b"\n")?;
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut out, &Sarif(&report))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    drop(out);
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Counts of findings per severity.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl Summary {
    /// The count for one severity.
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

fn summary(findings: &[Finding]) -> Summary {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    Summary {
        critical: count(Severity::Critical),
        high: count(Severity::High),
        medium: count(Severity::Medium),
        low: count(Severity::Low),
    }
}

/// The `project` object of the JSON document.
#[derive(Debug, Serialize)]
pub struct ProjectJson<'a> {
    pub path: String,
    pub framework: &'static str,
    pub entrypoint: Option<&'a str>,
    pub settings: &'a [String],
}

/// The `check --format json` document, its keys in the contract's order.
#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    pub schema: u32,
    pub project: ProjectJson<'a>,
    pub findings: FindingsJson<'a>,
    pub passed: &'a [String],
    pub not_applicable: &'a [String],
    pub summary: Summary,
}

/// The findings as JSON, each as `Finding` serializes, with each item's
/// title and fix escaped once however many findings repeat them (a fix is a
/// paragraph; 18,000 findings repeated it 18,000 times through the escaper).
#[derive(Debug)]
pub struct FindingsJson<'a>(pub &'a [Finding]);

impl Serialize for FindingsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        use serde_json::value::RawValue;
        // Each distinct text (by address: the checklist's own strings) once.
        let mut escaped: Vec<(&'static str, Box<RawValue>)> = Vec::new();
        for finding in self.0 {
            for text in [finding.title, finding.fix] {
                if !escaped
                    .iter()
                    .rev()
                    .any(|(seen, _)| std::ptr::eq(*seen, text))
                {
                    let json = serde_json::to_string(text).map_err(S::Error::custom)?;
                    escaped.push((text, RawValue::from_string(json).map_err(S::Error::custom)?));
                }
            }
        }
        let raw = |text: &str| {
            escaped
                .iter()
                .rev()
                .find(|(seen, _)| std::ptr::eq(*seen, text))
                .map(|(_, raw)| raw.as_ref())
                .ok_or_else(|| S::Error::custom("a finding's text was not escaped"))
        };
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for finding in self.0 {
            seq.serialize_element(&FindingJson {
                finding,
                title: raw(finding.title)?,
                fix: raw(finding.fix)?,
            })?;
        }
        seq.end()
    }
}

/// One finding with its title and fix already escaped.
struct FindingJson<'a> {
    finding: &'a Finding,
    title: &'a serde_json::value::RawValue,
    fix: &'a serde_json::value::RawValue,
}

impl Serialize for FindingJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The keys and their order are `Finding`'s (the CLI contract).
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("item", &self.finding.item)?;
        map.serialize_entry("severity", &self.finding.severity)?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("file", &self.finding.file)?;
        map.serialize_entry("line", &self.finding.line)?;
        map.serialize_entry("evidence", &self.finding.evidence)?;
        map.serialize_entry("fix", self.fix)?;
        map.end()
    }
}

/// Builds the `check --format json` document.
pub fn check_json<'a>(report: &'a ScanReport, path: &Path) -> CheckJson<'a> {
    let project = &report.project;
    CheckJson {
        schema: 1,
        project: ProjectJson {
            path: path.display().to_string(),
            framework: project.framework.as_str(),
            entrypoint: project.entrypoint.as_deref(),
            settings: &project.settings,
        },
        findings: FindingsJson(&report.findings),
        passed: &report.passed,
        not_applicable: &report.not_applicable,
        summary: summary(&report.findings),
    }
}

/// Each item's findings, the items in display order: phase, then severity
/// (worst first), then checklist order. Linear in the findings: the scan
/// already lists each item's findings together.
fn ordered(report: &ScanReport) -> Vec<Vec<&Finding>> {
    let checklist = Checklist::get();
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for finding in &report.findings {
        let at = *index.entry(finding.item.as_str()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(finding);
    }
    let position = |id: &str| {
        checklist
            .items
            .iter()
            .position(|i| i.id == id)
            .unwrap_or(usize::MAX)
    };
    let phase = |id: &str| checklist.item(id).map_or(0, |i| i.phase);
    groups.sort_by_cached_key(|group| {
        let first = group[0];
        (
            phase(&first.item),
            std::cmp::Reverse(first.severity),
            position(&first.item),
        )
    });
    groups
}

/// How many places of one item the compact text output lists before it
/// counts the rest.
const COMPACT_PLACES: usize = 10;

/// What the compact output says of the places it did not list:
/// `… and 7,990 more in 1,998 files`.
fn more_line(rest: &[&Finding]) -> String {
    let mut files: Vec<&str> = rest.iter().filter_map(|f| f.file.as_deref()).collect();
    files.sort_unstable();
    files.dedup();
    let in_files = match files.len() {
        0 => String::new(),
        1 => " in 1 file".to_owned(),
        n => format!(" in {} files", thousands(n)),
    };
    format!(
        "… and {} more{in_files} (`--verbose` lists every one)",
        thousands(rest.len())
    )
}

/// The human `check` output.
pub fn check_text(report: &ScanReport, path: &Path, style: Style, detail: Detail) -> String {
    let mut out = String::new();
    let project = &report.project;
    let _ = writeln!(
        out,
        "{} {}  {} · {}",
        style.bold("preflight check"),
        escape_name(&path.display().to_string()),
        project.framework.display_name(),
        escape_name(
            project
                .entrypoint
                .as_deref()
                .unwrap_or("no entrypoint found")
        )
    );
    if !project.settings.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&escape_name(&format!(
                "settings: {}",
                project.settings.join(" → ")
            )))
        );
    }
    out.push('\n');
    let checklist = Checklist::get();
    let mut current_phase = 0;
    let mut cut = false;
    for group in ordered(report) {
        let first = group[0];
        let Some(item) = checklist.item(&first.item) else {
            continue;
        };
        if item.phase != current_phase {
            current_phase = item.phase;
            let name = checklist.phase(item.phase).map_or("", |p| p.name.as_str());
            let _ = writeln!(out, "{}", style.bold(&format!("{} · {name}", item.phase)));
        }
        let label = format!("{:<8}", first.severity.as_str());
        let _ = writeln!(
            out,
            "  {} {} {}  {}",
            style.paint("✘", Color::Red),
            style.paint(&label, severity_colour(first.severity)),
            style.bold(&first.item),
            first.title
        );
        // Ten places and a count of the rest, rather than one line for the
        // same mistake repeated across thousands of files.
        let shown = if detail == Detail::Compact && group.len() > COMPACT_PLACES + 1 {
            COMPACT_PLACES
        } else {
            group.len()
        };
        for finding in &group[..shown] {
            // A file name comes from the project: it must not drive the
            // terminal or forge a line.
            let place = match (&finding.file, finding.line) {
                (Some(file), Some(line)) => format!("{}:{line}", escape_name(file)),
                (Some(file), None) => escape_name(file),
                _ => "project".to_owned(),
            };
            let evidence = finding.evidence.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "      {}  {evidence}",
                style.paint(&place, Color::Cyan)
            );
        }
        if shown < group.len() {
            let _ = writeln!(out, "      {}", style.dim(&more_line(&group[shown..])));
        }
        cut |= write_fix(&mut out, first.fix, style, detail);
        out.push('\n');
    }
    write_footer(&mut out, report, style, cut);
    out
}

/// The counts line, and what the output left out or found nothing to judge.
fn write_footer(out: &mut String, report: &ScanReport, style: Style, cut: bool) {
    let counts = summary(&report.findings);
    let parts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| {
            let n = counts.count(*s);
            let text = format!("{n} {s}");
            if n > 0 {
                style.paint(&text, severity_colour(*s))
            } else {
                text
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "{} findings: {} · {} passed · {} not applicable",
        report.findings.len(),
        parts.join(", "),
        report.passed.len(),
        report.not_applicable.len()
    );
    if cut {
        let _ = writeln!(
            out,
            "{}",
            style.dim("Fixes are shortened (…): `preflight check --verbose` prints them whole.")
        );
    }
    if report.findings.is_empty() && report.passed.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to check: no Python web project was found here."
        );
    } else if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.paint("Every automatic check passes.", Color::Green)
        );
    }
}

/// How many lines make a fix's first step: its first line and the indented
/// code under it (blank lines inside the code included), up to the first
/// line of prose after it.
fn first_step(lines: &[&str]) -> usize {
    let indented = |line: &&str| line.starts_with([' ', '\t']);
    let mut end = 1.min(lines.len());
    while end < lines.len() && end < COMPACT_FIX_LINES {
        let line = lines[end];
        let continues =
            indented(&line) || (line.trim().is_empty() && lines.get(end + 1).is_some_and(indented));
        if !continues {
            break;
        }
        end += 1;
    }
    end
}

/// The fix under a finding, every line indented under `fix:`; in compact
/// output only its first lines. Returns whether it was shortened.
fn write_fix(out: &mut String, fix: &str, style: Style, detail: Detail) -> bool {
    let lines: Vec<&str> = fix.lines().collect();
    let shown = match detail {
        Detail::Full => lines.len(),
        Detail::Compact => first_step(&lines),
    };
    for (index, line) in lines.iter().take(shown).enumerate() {
        let lead = if index == 0 { "fix: " } else { "     " };
        let _ = writeln!(out, "      {}", style.dim(&format!("{lead}{line}")));
    }
    let cut = shown < lines.len();
    if cut {
        let _ = writeln!(out, "      {}", style.dim("     …"));
    }
    cut
}

/// The file a project-level finding is shown on: the production settings,
/// the entrypoint module, or the first manifest that exists.
fn project_anchor(project: &crate::project::Project) -> Option<String> {
    let mut candidates: Vec<String> = project.settings.last().cloned().into_iter().collect();
    if let Some((module, _)) = project
        .entrypoint
        .as_deref()
        .and_then(|e| e.split_once(':'))
    {
        let path = module.replace('.', "/");
        candidates.extend([
            format!("{path}.py"),
            format!("{path}/__init__.py"),
            format!("src/{path}.py"),
        ]);
    }
    candidates.extend(
        ["manage.py", "pyproject.toml", "requirements.txt", "Pipfile"]
            .into_iter()
            .map(str::to_owned),
    );
    // A nested backend (`backend/app/main.py` for `app.main:app`) one folder down.
    let mut folders: Vec<String> = std::fs::read_dir(&project.root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    folders.sort();
    let nested: Vec<String> = folders
        .iter()
        .flat_map(|folder| candidates.iter().map(move |c| format!("{folder}/{c}")))
        .collect();
    candidates
        .into_iter()
        .chain(nested)
        .find(|c| project.root.join(c).is_file())
}

/// SARIF's level for a severity.
fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score for a severity.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// The `check --format sarif` document (SARIF 2.1.0): one rule per automatic
/// item, one result per finding. Serialised as it is written: each result is
/// made when the writer reaches it, so memory stays flat in the findings.
pub struct Sarif<'a>(pub &'a ScanReport);

impl Serialize for Sarif<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let checklist = Checklist::get();
        let auto: Vec<_> = checklist.items.iter().filter(|i| i.is_auto()).collect();
        let rules: Vec<Value> = auto
            .iter()
            .map(|item| {
                json!({
                    "id": item.id,
                    "name": item.id,
                    "shortDescription": {"text": item.title},
                    "fullDescription": {"text": item.why},
                    "help": {
                        "text": item.fix.for_framework(report.project.framework),
                        "markdown": format!("**{}**\n\n{}\n\n**Fix:** {}", item.title, item.why, item.fix.for_framework(report.project.framework)),
                    },
                    "defaultConfiguration": {"level": sarif_level(item.severity)},
                    "properties": {
                        "tags": ["security", "deployment"],
                        "security-severity": security_severity(item.severity),
                        "problem.severity": item.severity.as_str(),
                    },
                })
            })
            .collect();
        let anchor = project_anchor(&report.project);
        let results = SarifResults {
            findings: &report.findings,
            auto: &auto,
            anchor: anchor.as_deref(),
        };
        let driver = json!({
            "name": "preflight",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        let mut document = serializer.serialize_map(Some(3))?;
        document.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
        document.serialize_entry("version", "2.1.0")?;
        document.serialize_entry(
            "runs",
            &[SarifRun {
                driver: &driver,
                results,
            }],
        )?;
        document.end()
    }
}

/// The one run of a SARIF document.
struct SarifRun<'a> {
    driver: &'a Value,
    results: SarifResults<'a>,
}

impl Serialize for SarifRun<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut run = serializer.serialize_map(Some(2))?;
        run.serialize_entry("tool", &json!({"driver": self.driver}))?;
        run.serialize_entry("results", &self.results)?;
        run.end()
    }
}

/// A run's results, one made at a time.
struct SarifResults<'a> {
    findings: &'a [Finding],
    auto: &'a [&'a crate::checklist::ChecklistItem],
    anchor: Option<&'a str>,
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.findings
                .iter()
                .map(|finding| sarif_result(finding, self.auto, self.anchor)),
        )
    }
}

/// One finding as a SARIF result.
fn sarif_result(
    finding: &Finding,
    auto: &[&crate::checklist::ChecklistItem],
    anchor: Option<&str>,
) -> Value {
    let index = auto.iter().position(|i| i.id == finding.item);
    let message = match &finding.evidence {
        Some(evidence) if !evidence.is_empty() => format!("{}: {evidence}", finding.title),
        _ => finding.title.to_owned(),
    };
    let mut result = json!({
        "ruleId": finding.item,
        "level": sarif_level(finding.severity),
        "message": {"text": message},
    });
    if let Some(index) = index {
        result["ruleIndex"] = json!(index);
    }
    // Code-scanning dashboards need a location: a project-level finding
    // is anchored at the project's main file, without a line.
    if let Some(file) = finding.file.as_deref().or(anchor) {
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
            }
        });
        if let Some(line) = finding.line {
            location["physicalLocation"]["region"] = json!({"startLine": line});
        }
        result["locations"] = json!([location]);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::{first_step, more_line};
    use crate::scan::Finding;

    #[test]
    fn the_rest_of_the_places_is_counted_with_its_files() {
        let at = |file: &str, line: usize| Finding {
            item: "csrf-protected".into(),
            severity: crate::checklist::Severity::High,
            title: "t",
            file: Some(file.into()),
            line: Some(line),
            evidence: None,
            fix: "",
        };
        let rest = [at("a.py", 1), at("a.py", 2), at("b.py", 1)];
        let rest: Vec<&Finding> = rest.iter().collect();
        assert_eq!(
            more_line(&rest),
            "… and 3 more in 2 files (`--verbose` lists every one)"
        );
        assert_eq!(
            more_line(&rest[2..]),
            "… and 1 more in 1 file (`--verbose` lists every one)"
        );
    }

    #[test]
    fn findings_json_is_what_finding_serializes_to() {
        let fix: &'static str = "Run:\n    preflight secret django\n\"quoted\" \\ tab\t";
        let at = |item: &str, line: usize, evidence: Option<&str>| Finding {
            item: item.into(),
            severity: crate::checklist::Severity::Critical,
            title: "A \"title\"",
            file: Some("app/ü.py".into()),
            line: Some(line),
            evidence: evidence.map(Into::into),
            fix,
        };
        let findings = [
            at("debug-off", 1, Some("DEBUG = True  # \u{7}")),
            at("debug-off", 2, None),
            at("csrf-protected", 3, Some("@csrf_exempt")),
        ];
        let derived = serde_json::to_string_pretty(&findings[..]).unwrap();
        let cached = serde_json::to_string_pretty(&super::FindingsJson(&findings)).unwrap();
        assert_eq!(cached, derived);
    }

    #[test]
    fn the_first_step_is_the_first_line_and_its_code() {
        let fix = [
            "Replace each print():",
            "    import logging",
            "",
            "    logger = logging.getLogger(__name__)",
            "Never log secrets.",
            "    ruff check --select T20 .",
        ];
        assert_eq!(first_step(&fix), 4);
        assert_eq!(first_step(&["    DEBUG = False", "Then run check."]), 1);
        assert_eq!(first_step(&["One sentence."]), 1);
        assert_eq!(first_step(&[]), 0);
        // A trailing blank line is not part of the code.
        assert_eq!(first_step(&["Do:", "    x = 1", "", "Done."]), 2);
    }
}

//! `preflight report`: the pre-release review as Markdown, HTML or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::report;
use crate::state::State;

/// The report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, for a pull request or a wiki.
    Md,
    /// One self-contained HTML page.
    Html,
    /// JSON, for scripts.
    Json,
}

const REPORT_HELP: &str = "\
Examples:
  preflight report                             Markdown on standard output
  preflight report ~/src/api -o review.html    one self-contained HTML page
  preflight report --format json | jq '.open[].id'

It re-scans the project first. -o replaces an earlier report, never any other file.";

/// Arguments of `report`.
#[derive(Debug, Args)]
#[command(after_help = REPORT_HELP)]
pub struct ReportArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// md, html or json [default: from the -o file's extension, else md].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `report`: re-scans so automatic items are current, saves the state,
/// then renders.
pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    super::require_dir(&args.path)?;
    if let Some(file) = &args.output {
        // Under the project, -o follows the path policy: no link out of it.
        crate::fsutil::resolve_in(&args.path, file)?;
        require_writable_target(file)?;
    }
    let mut state = State::load(&args.path)?;
    let scan = crate::scan::scan(&args.path)?;
    super::warn_if_no_project(&scan, &args.path);
    // Like `check`: a project that cannot be written to still gets its report.
    super::record_scan(&mut state, &scan, &args.path, "the scan");
    let report = report::build(&scan, &state, jiff::Timestamp::now());
    let format = args
        .format
        .unwrap_or_else(|| format_for(args.output.as_deref()));
    let text = match format {
        ReportFormat::Md => report::render_markdown(&report),
        ReportFormat::Html => report::render_html(&report),
        ReportFormat::Json => report::render_json(&report)?,
    };
    match &args.output {
        Some(file) => {
            crate::fsutil::write_in(&args.path, file, text.as_bytes(), None).map_err(|err| {
                anyhow::anyhow!(
                    "cannot write {}: {err:#}\n  hint: write it to a folder you can write to, or \
                     leave out -o to print it",
                    file.display()
                )
            })?;
            eprintln!("wrote {}", file.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Fails before any work when `-o FILE` cannot be written: a directory, a
/// file in a folder that does not exist, or a file of the user's that is not
/// an earlier report (a typo such as `-o manage.py` must not clobber it).
pub(crate) fn require_writable_target(file: &Path) -> anyhow::Result<()> {
    if file.exists() && !file.is_dir() && !file.is_file() {
        anyhow::bail!(
            "{} is not a regular file, so the report is not written there\n  hint: leave out -o \
             to print the report to standard output",
            file.display()
        );
    }
    if file.is_file() && !is_earlier_report(file)? {
        anyhow::bail!(
            "{} already exists and is not a preflight report; it was left as it is\n  hint: \
             name a new file, such as -o review.html, or move that one away first",
            file.display()
        );
    }
    if file.is_dir() {
        anyhow::bail!(
            "{} is a directory\n  hint: name a file, such as -o {}",
            file.display(),
            file.join("review.html").display()
        );
    }
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if !parent.is_dir() {
        anyhow::bail!(
            "cannot write {}: the folder {} does not exist\n  hint: create it first, or write \
             the report elsewhere",
            file.display(),
            parent.display()
        );
    }
    Ok(())
}

/// Whether `file` is empty or holds a report an earlier run wrote, which a
/// new one may replace. A file that cannot be read is not known to be one, so
/// it is an error and the file is kept.
fn is_earlier_report(file: &Path) -> anyhow::Result<bool> {
    use std::io::Read;
    /// Far more than any report; a bigger file is not one.
    const LIMIT: u64 = 32 << 20;
    let mut bytes = Vec::new();
    if let Err(err) = std::fs::File::open(file).and_then(|f| f.take(LIMIT).read_to_end(&mut bytes))
    {
        anyhow::bail!(
            "cannot read {} to tell whether it is an earlier report ({err}); it was left as it \
             is\n  hint: name a new file, or move that one away first",
            file.display()
        );
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.trim().is_empty()
        // The opening lines the Markdown and HTML renderers write.
        || text.starts_with("# Pre-release review: ")
        || text[..text.len().min(4096)].contains("<title>Pre-release review: ")
        || is_json_report(&text))
}

/// Whether `text` is a whole JSON report: an object with the report's keys.
fn is_json_report(text: &str) -> bool {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    ["generated_at", "project", "phases", "open", "waived", "due"]
        .iter()
        .all(|key| map.contains_key(*key))
        && map
            .get("generated_at")
            .is_some_and(serde_json::Value::is_string)
}

/// The format a file name asks for: `.html`/`.htm`, `.json`, else Markdown.
fn format_for(output: Option<&Path>) -> ReportFormat {
    let extension = output
        .and_then(Path::extension)
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => ReportFormat::Html,
        Some("json") => ReportFormat::Json,
        _ => ReportFormat::Md,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_for(Some(Path::new("r.HTML"))), ReportFormat::Html);
        assert_eq!(
            format_for(Some(Path::new("out/r.json"))),
            ReportFormat::Json
        );
        assert_eq!(format_for(Some(Path::new("r.md"))), ReportFormat::Md);
        assert_eq!(format_for(None), ReportFormat::Md);
    }
}

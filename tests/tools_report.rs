//! The last test target of `cargo test` (targets run in name order): a table
//! of the outside tools the integration tests used, with versions, and the
//! tests that skipped a check because a tool was missing. Plain `main`
//! (`harness = false`), so cargo shows what it prints.

#[allow(dead_code)]
#[path = "integration/tools.rs"]
mod tools;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The first line of `tool`'s version output, as each prints it.
fn version(tool: &str, path: &Path) -> String {
    let args: &[&str] = match tool {
        "nginx" => &["-v"],
        "openssl" => &["version"],
        "tmux" => &["-V"],
        "sh" => return "-".to_owned(),
        _ => &["--version"],
    };
    Command::new(path)
        .args(args)
        .env("DOTENV_LINTER_SKIP_UPDATES", "true")
        .output()
        .map_or_else(
            |_| "?".to_owned(),
            |out| {
                let text = if out.stdout.is_empty() {
                    out.stderr
                } else {
                    out.stdout
                };
                let line = String::from_utf8_lossy(&text)
                    .lines()
                    .next()
                    .unwrap_or("?")
                    .to_owned();
                // "nginx version: nginx/1.22.1", "Gixy v0.2.59", "gunicorn (version 27.0.1)" → the number.
                line.split([' ', '/', '(', ')'])
                    .map(|w| w.trim_start_matches('v'))
                    .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
                    .map_or(line.clone(), str::to_owned)
            },
        )
}

fn main() {
    let path = tools::record_path();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    // Records of runs that never reached this target (a filtered or failed run).
    if let Ok(entries) = std::fs::read_dir(path.parent().expect("a parent")) {
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 86_400));
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    println!("\nOutside tools ({}):", tools::validators_venv().display());
    if text.is_empty() {
        println!("  no record: the integration tests did not run in this `cargo test`.");
        return;
    }
    let mut found: BTreeMap<&str, (&str, BTreeSet<&str>)> = BTreeMap::new();
    let mut packages: BTreeMap<&str, (&str, BTreeSet<&str>)> = BTreeMap::new();
    let mut missing: BTreeMap<&str, (&str, BTreeSet<&str>)> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.splitn(4, '\t');
        let (Some(kind), Some(tool), Some(detail), Some(test_name)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let table = match kind {
            "found" => &mut found,
            "package" => &mut packages,
            "missing" => &mut missing,
            _ => continue,
        };
        table
            .entry(tool)
            .or_insert((detail, BTreeSet::new()))
            .1
            .insert(test_name);
    }
    println!("  {:<20} {:<10} {:>5}  where", "tool", "version", "tests");
    for (tool, (where_, tests)) in &found {
        let version = version(tool, Path::new(where_));
        println!("  {tool:<20} {version:<10} {:>5}  {where_}", tests.len());
    }
    for (package, (version, tests)) in &packages {
        // A tool's own package is already on its line.
        let tool_of_it = tools::PYTHON_TOOLS
            .iter()
            .any(|(exe, p)| *p == Some(*package) && found.contains_key(exe));
        if !tool_of_it {
            println!(
                "  {package:<20} {version:<10} {:>5}  Python package (pinned)",
                tests.len()
            );
        }
    }
    if missing.is_empty() {
        println!("  nothing missing: no test skipped a check.");
        return;
    }
    println!("\nMissing, so these tests skipped what needs them (CI=true makes this a failure):");
    for (tool, (why, tests)) in &missing {
        println!("  {tool}: {why}");
        for test in tests {
            println!("    - {test}");
        }
    }
}

//! `preflight [PATH]`, `preflight review [PATH]` and `preflight --demo`: the wizard.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use include_dir::{Dir, DirEntry, include_dir};

use crate::state::State;
use crate::tui::{Journey, Keymap};

/// The demo project, embedded so an installed binary needs no checkout.
static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/demo");

/// Files of the demo that are test data, not part of the project.
const DEMO_SKIP: &[&str] = &["EXPECTED.toml"];

/// The directory name the demo is copied to, inside its temp dir.
const DEMO_NAME: &str = "fingpt-demo";

/// Runs the wizard on `path` (default `.`), or on a fresh copy of the demo.
pub fn run(path: Option<PathBuf>, demo: bool, review: bool) -> anyhow::Result<ExitCode> {
    if demo {
        if path.is_some() {
            anyhow::bail!(
                "--demo makes its own copy of the demo project and takes no PATH\n  hint: \
                 `preflight --demo`, or `preflight PATH` for your project"
            );
        }
        require_terminal()?;
        let root = extract_demo()?;
        let result = open(&root, review);
        println!(
            "The demo project is kept at {}\n  Look at it again: {} status {}",
            root.display(),
            super::invocation::self_command(),
            root.display()
        );
        return result;
    }
    let root = path.unwrap_or_else(|| PathBuf::from("."));
    super::require_dir(&root)?;
    // A corrupt state file stops us here, before the terminal changes mode.
    State::load(&root)?;
    Keymap::load()?;
    require_terminal()?;
    open(&root, review)
}

/// Loads the state and keymap, and runs the TUI on `root`.
fn open(root: &Path, review: bool) -> anyhow::Result<ExitCode> {
    let state = State::load(root)?;
    let keymap = Keymap::load()?;
    let journey = if review || state.wizard.setup_done {
        Journey::Review
    } else {
        Journey::Setup
    };
    if let Some(message) = crate::tui::run(root, state, keymap, journey)? {
        println!("{message}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The wizard needs a terminal on both ends; without one, point to the scriptable commands.
fn require_terminal() -> anyhow::Result<()> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        anyhow::bail!(
            "the wizard needs a terminal\n  hint: in scripts and CI use `preflight check` and \
             `preflight status`"
        )
    }
}

/// Copies the embedded demo to a new temp directory that outlives the process.
fn extract_demo() -> anyhow::Result<PathBuf> {
    let base = tempfile::Builder::new()
        .prefix("preflight-demo-")
        .tempdir()
        .map_err(|err| {
            anyhow::anyhow!(
                "cannot create a temp directory for the demo: {err}\n  hint: set TMPDIR to a \
                 folder you can write to"
            )
        })?
        .keep();
    let root = base.join(DEMO_NAME);
    write_dir(&DEMO, &root)?;
    Ok(root)
}

/// Writes an embedded directory's files below `target`.
fn write_dir(dir: &Dir<'_>, target: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(target).with_context(|| format!("creating {}", target.display()))?;
    for entry in dir.entries() {
        let Some(name) = entry.path().file_name() else {
            continue;
        };
        match entry {
            DirEntry::Dir(sub) => write_dir(sub, &target.join(name))?,
            DirEntry::File(file) => {
                if DEMO_SKIP.iter().any(|skip| name == *skip) {
                    continue;
                }
                let path = target.join(name);
                std::fs::write(&path, file.contents())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_extracts_a_django_project() {
        let dir = tempfile::tempdir().unwrap();
        write_dir(&DEMO, dir.path()).unwrap();
        assert!(dir.path().join("manage.py").is_file());
        assert!(dir.path().join("config/settings.py").is_file());
        assert!(!dir.path().join("EXPECTED.toml").exists());
        let project = crate::scan::detect_project(dir.path()).unwrap();
        assert_eq!(project.framework, crate::project::Framework::Django);
    }
}

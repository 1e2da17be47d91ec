//! The project scanner: reads a project and decides every `auto` item.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::checklist::Severity;
use crate::project::{Framework, Migrations, Project, project_name};
use crate::state::{CheckRun, EvidenceRef, ItemRecord, SetBy, State, Status, now_rfc3339};

/// One failing requirement at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The checklist item id.
    pub item: String,
    pub severity: Severity,
    /// The item's problem statement.
    pub title: String,
    /// Relative to the project root with `/` separators; `None` for a missing thing.
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// The trimmed source line, with any secret redacted.
    pub evidence: Option<String>,
    /// The item's fix for this project's framework.
    pub fix: String,
}

/// What a scan found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanReport {
    pub project: Project,
    pub findings: Vec<Finding>,
    /// Auto items that passed.
    pub passed: Vec<String>,
    /// Auto items that do not apply to this project.
    pub not_applicable: Vec<String>,
}

/// Scans the project at `root`.
pub fn scan(root: &Path) -> anyhow::Result<ScanReport> {
    let project = detect_project(root)?;
    Ok(ScanReport {
        project,
        ..ScanReport::default()
    })
}

/// Records a scan's verdicts on the auto items in `state`: failing items with
/// their evidence, passed ones as done, inapplicable ones as n/a, all `by: auto`,
/// and appends the run to the history.
///
/// A person's skip or n/a on an item stands: the scanner does not override a
/// decision someone made with a reason.
pub fn record(state: &mut State, report: &ScanReport) {
    let at = now_rfc3339();
    let mut failing: Vec<String> = report.findings.iter().map(|f| f.item.clone()).collect();
    failing.dedup();
    let mut verdicts: Vec<(&str, Status)> = Vec::new();
    verdicts.extend(failing.iter().map(|id| (id.as_str(), Status::Failing)));
    verdicts.extend(report.passed.iter().map(|id| (id.as_str(), Status::Done)));
    verdicts.extend(
        report
            .not_applicable
            .iter()
            .map(|id| (id.as_str(), Status::Na)),
    );
    for (id, status) in verdicts {
        let user_decided = state.items.get(id).is_some_and(|r| {
            r.by == SetBy::User && matches!(r.status, Status::Skipped | Status::Na)
        });
        if user_decided {
            continue;
        }
        let evidence = report
            .findings
            .iter()
            .filter(|f| f.item == id)
            .filter_map(|f| {
                Some(EvidenceRef {
                    file: f.file.clone()?,
                    line: f.line,
                    sha256: None,
                })
            })
            .collect();
        let unchanged = state
            .items
            .get(id)
            .is_some_and(|r| r.by == SetBy::Auto && r.status == status && r.evidence == evidence);
        if !unchanged {
            state.items.insert(
                id.to_owned(),
                ItemRecord {
                    status,
                    by: SetBy::Auto,
                    at: at.clone(),
                    reason: None,
                    evidence,
                },
            );
        }
    }
    state.push_history(CheckRun {
        at,
        failing,
        passed: report.passed.clone(),
    });
}

/// Directories that never hold the project's own code.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".venv",
    "venv",
    "env",
    "node_modules",
    "__pycache__",
    "site-packages",
    "build",
    "dist",
    ".preflight",
    ".tox",
    ".mypy_cache",
];

/// Detects the framework and entrypoint from dependency files and code.
pub fn detect_project(root: &Path) -> anyhow::Result<Project> {
    let mut project = Project {
        root: root.to_path_buf(),
        name: project_name(root),
        ..Project::default()
    };
    let mut python_files = Vec::new();
    collect_python_files(root, root, 0, &mut python_files);
    python_files.sort();

    let mut declared = String::new();
    for name in ["requirements.txt", "pyproject.toml", "Pipfile"] {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            declared.push_str(&text.to_ascii_lowercase());
        }
    }
    let mentions = |name: &str| declared.contains(name);

    for (relative, text) in python_files.iter().filter_map(|rel| {
        std::fs::read_to_string(root.join(rel))
            .ok()
            .map(|t| (rel, t))
    }) {
        let module = relative.trim_end_matches(".py").replace('/', ".");
        if text.contains("get_wsgi_application") && relative.ends_with("wsgi.py") {
            project.framework = Framework::Django;
            project.entrypoint = Some(format!("{module}:application"));
        } else if project.entrypoint.is_none() {
            if let Some(var) = assigned_call(&text, "FastAPI(") {
                project.framework = Framework::Fastapi;
                project.entrypoint = Some(format!("{module}:{var}"));
                project.asgi = true;
            } else if let Some(var) = assigned_call(&text, "Flask(") {
                project.framework = Framework::Flask;
                project.entrypoint = Some(format!("{module}:{var}"));
            }
        }
        if relative.contains("/migrations/") && relative.ends_with("_initial.py") {
            project.migrations = Some(Migrations::Django);
        }
    }
    if project.framework == Framework::Unknown {
        project.framework = if mentions("django") {
            Framework::Django
        } else if mentions("fastapi") {
            Framework::Fastapi
        } else if mentions("flask") {
            Framework::Flask
        } else {
            Framework::Unknown
        };
    }
    if project.migrations.is_none() && root.join("alembic.ini").is_file() {
        project.migrations = Some(Migrations::Alembic);
    }
    Ok(project)
}

/// The variable a module-level `name = Call(` assigns, if any.
fn assigned_call(text: &str, call: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (lhs, rhs) = line.split_once('=')?;
        let var = lhs.trim();
        let is_identifier = !var.is_empty()
            && !line.starts_with(char::is_whitespace)
            && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        (is_identifier && rhs.trim_start().starts_with(call)).then(|| var.to_owned())
    })
}

/// Collects `.py` files below `dir`, relative to `root`, a few levels deep.
fn collect_python_files(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    const MAX_DEPTH: usize = 4;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path: PathBuf = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if depth < MAX_DEPTH && !SKIP_DIRS.contains(&name.as_ref()) {
                collect_python_files(root, &path, depth + 1, out);
            }
        } else if name.ends_with(".py")
            && let Ok(relative) = path.strip_prefix(root)
        {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn detects_django_entrypoint() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "requirements.txt", "Django==5.0\n");
        write(
            dir.path(),
            "config/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.framework, Framework::Django);
        assert_eq!(
            project.entrypoint.as_deref(),
            Some("config.wsgi:application")
        );
    }

    #[test]
    fn record_keeps_user_skips_and_stores_evidence() {
        let mut state = State::default();
        state.mark("debug-off", Status::Skipped, Some("staging only".into()));
        let finding = |item: &str| Finding {
            item: item.into(),
            severity: crate::checklist::Severity::Critical,
            title: "t".into(),
            file: Some("config/settings.py".into()),
            line: Some(3),
            evidence: None,
            fix: String::new(),
        };
        let report = ScanReport {
            findings: vec![finding("debug-off"), finding("allowed-hosts-explicit")],
            passed: vec!["env-gitignored".into()],
            ..ScanReport::default()
        };
        record(&mut state, &report);
        assert_eq!(state.items["debug-off"].status, Status::Skipped);
        assert_eq!(
            state.items["allowed-hosts-explicit"].status,
            Status::Failing
        );
        assert_eq!(
            state.items["allowed-hosts-explicit"].evidence[0].line,
            Some(3)
        );
        assert_eq!(state.items["env-gitignored"].status, Status::Done);
        assert_eq!(state.history.len(), 1);
    }

    #[test]
    fn detects_fastapi_entrypoint() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.framework, Framework::Fastapi);
        assert_eq!(project.entrypoint.as_deref(), Some("app.main:app"));
        assert!(project.asgi);
    }
}

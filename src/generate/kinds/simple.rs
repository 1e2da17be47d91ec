//! The small kinds: `.dockerignore`, `railway.toml` and `.python-version`.

use serde::Serialize;

use super::collects_static;
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const DOCKERIGNORE: &str = include_str!("../../../templates/.dockerignore");
const RAILWAY: &str = include_str!("../../../templates/railway.toml");
const PYTHON_VERSION: &str = include_str!("../../../templates/.python-version");

/// The answers .dockerignore is made from.
pub(crate) const DOCKERIGNORE_KEYS: &[&str] = &["static_dir"];
/// The answers railway.toml is made from.
pub(crate) const RAILWAY_KEYS: &[&str] = &["release_command", "health_path"];
/// The answers .python-version is made from.
pub(crate) const PYTHON_VERSION_KEYS: &[&str] = &["python_version"];

/// What .dockerignore leaves out beyond the fixed list.
#[derive(Serialize)]
struct DockerIgnore {
    /// Django's collected static files: `collectstatic` makes them again in the
    /// image. Never a FastAPI or Flask `static/`: that is the app's own source.
    collected_static: Option<String>,
    /// Virtualenvs at the top of the project: `.venv`, `venv`, and any other
    /// folder holding a `pyvenv.cfg` (an `env/` that is a package stays in).
    venvs: Vec<String>,
}

pub(super) fn render_dockerignore(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    let mut venvs = vec![".venv".to_owned(), "venv".to_owned()];
    if let Ok(entries) = std::fs::read_dir(&project.root) {
        let mut found: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().join("pyvenv.cfg").is_file())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| !venvs.contains(name) && !name.contains(['*', '?', '[', '\\', '\n']))
            .collect();
        found.sort();
        venvs.extend(found);
    }
    let extra = DockerIgnore {
        collected_static: collects_static(project).then(|| answers.get("static_dir").to_owned()),
        venvs,
    };
    template::render_kind(
        FileKind::DockerIgnore,
        DOCKERIGNORE,
        project,
        answers,
        extra,
    )
}

pub(super) fn render_railway(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Railway, answers)?;
    template::render_kind(FileKind::Railway, RAILWAY, project, answers, ())
}

/// `.python-version` holds the version alone: the tools that read it (pyenv,
/// uv, Heroku's buildpack) want nothing else on the line.
pub(super) fn render_python_version(
    project: &Project,
    answers: &Answers,
) -> anyhow::Result<String> {
    template::render_kind(
        FileKind::PythonVersion,
        PYTHON_VERSION,
        project,
        answers,
        (),
    )
}

//! The small kinds: `.dockerignore`, `railway.toml` and `.python-version`.

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

pub(super) fn render_dockerignore(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::render_kind(FileKind::DockerIgnore, DOCKERIGNORE, project, answers, ())
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

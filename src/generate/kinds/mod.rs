//! One module per file kind: its template, the answers it is made from, the
//! fields its template sees beyond the common ones, and its own checks.

pub(super) mod compose;
pub(super) mod dockerfile;
pub(super) mod env;
pub(super) mod fly;
pub(super) mod gunicorn;
pub(super) mod nginx;
pub(super) mod procfile;
pub(super) mod render;
pub(super) mod requirements;
pub(super) mod simple;
pub(super) mod systemd;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::project::{Framework, Project};

/// The answers `kind` is made from, named in its header.
pub fn answer_keys(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Env | FileKind::EnvExample => env::ANSWER_KEYS,
        FileKind::Gunicorn => gunicorn::ANSWER_KEYS,
        FileKind::Procfile => procfile::ANSWER_KEYS,
        FileKind::Nginx => nginx::ANSWER_KEYS,
        FileKind::Fly => fly::ANSWER_KEYS,
        FileKind::Dockerfile => dockerfile::ANSWER_KEYS,
        FileKind::DockerIgnore => simple::DOCKERIGNORE_KEYS,
        FileKind::Compose => compose::ANSWER_KEYS,
        FileKind::Render => render::ANSWER_KEYS,
        FileKind::Railway => simple::RAILWAY_KEYS,
        FileKind::Systemd => systemd::ANSWER_KEYS,
        FileKind::PythonVersion => simple::PYTHON_VERSION_KEYS,
    }
}

/// Renders a templated kind; merged kinds (`.env`) come from the secrets engine.
pub(super) fn render(
    kind: FileKind,
    project: &Project,
    answers: &Answers,
) -> anyhow::Result<String> {
    match kind {
        FileKind::Env | FileKind::EnvExample => anyhow::bail!(
            "{} is merged from the secrets engine, not rendered",
            kind.file_name()
        ),
        FileKind::Gunicorn => gunicorn::render(project, answers),
        FileKind::Procfile => procfile::render(project, answers),
        FileKind::Nginx => nginx::render(project, answers),
        FileKind::Fly => fly::render(project, answers),
        FileKind::Dockerfile => dockerfile::render(project, answers),
        FileKind::DockerIgnore => simple::render_dockerignore(project, answers),
        FileKind::Compose => compose::render(project, answers),
        FileKind::Render => render::render(project, answers),
        FileKind::Railway => simple::render_railway(project, answers),
        FileKind::Systemd => systemd::render(project, answers),
        FileKind::PythonVersion => simple::render_python_version(project, answers),
    }
}

/// How the project declares its dependencies, as the Dockerfile and
/// render.yaml install them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Manager {
    Uv,
    Poetry,
    Pipenv,
    /// A requirements file, by its path in the project.
    Pip(String),
    /// PEP 621 `[project] dependencies` in `pyproject.toml`, with no lock file.
    Pyproject,
    None,
}

impl Manager {
    pub(super) fn detect(project: &Project) -> Self {
        let has = |name: &str| project.root.join(name).is_file();
        if has("uv.lock") {
            Self::Uv
        } else if has("poetry.lock") {
            Self::Poetry
        } else if has("Pipfile.lock") {
            Self::Pipenv
        } else if let Some(file) = [
            "requirements.txt",
            "requirements/production.txt",
            "requirements/prod.txt",
            "requirements/base.txt",
        ]
        .into_iter()
        .find(|f| has(f))
        {
            Self::Pip(file.to_owned())
        } else if pep621_dependencies(&project.root.join("pyproject.toml")) {
            Self::Pyproject
        } else {
            Self::None
        }
    }

    pub(super) fn name(&self) -> &'static str {
        match self {
            Self::Uv => "uv",
            Self::Poetry => "poetry",
            Self::Pipenv => "pipenv",
            Self::Pip(_) => "pip",
            Self::Pyproject => "pyproject",
            Self::None => "none",
        }
    }

    /// What the dependencies are read from, for comments.
    pub(super) fn source(&self) -> String {
        match self {
            Self::Uv => "uv.lock".into(),
            Self::Poetry => "poetry.lock".into(),
            Self::Pipenv => "Pipfile.lock".into(),
            Self::Pip(file) => file.clone(),
            Self::Pyproject => "pyproject.toml".into(),
            Self::None => "(no dependency file found)".into(),
        }
    }
}

/// Whether `path` is a `pyproject.toml` whose `[project]` table lists
/// dependencies (PEP 621), the only place such a project declares them.
fn pep621_dependencies(path: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return false;
    };
    doc.get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(toml::Value::as_array)
        .is_some_and(|deps| !deps.is_empty())
}

/// A shell command that writes the `[project] dependencies` of
/// `pyproject.toml` to `requirements.lock`, one per line, for pip to install
/// without building the project itself (which may not be a package). Python
/// reads TOML itself from 3.11 on; older ones get `tomli` first.
pub(super) fn pyproject_export(python_version: &str) -> String {
    let modern = python_version
        .split('.')
        .nth(1)
        .and_then(|minor| minor.parse::<u32>().ok())
        .is_none_or(|minor| minor >= 11);
    let (install, module) = if modern {
        ("", "tomllib")
    } else {
        ("pip install --no-cache-dir tomli==2.2.1 && ", "tomli")
    };
    format!(
        "{install}python -c \"import {module}; print('\\n'.join({module}.load(open('pyproject.toml', \
         'rb'))['project']['dependencies']))\" > requirements.lock"
    )
}

/// The server packages the generated files start but the project does not
/// declare, pinned.
pub(super) fn extra_packages(project: &Project, answers: &Answers) -> Vec<&'static str> {
    let mut extra = Vec::new();
    if !project.depends_on("gunicorn") {
        extra.push("gunicorn==23.0.0");
    }
    if answers.asgi() && !project.depends_on("uvicorn-worker") {
        extra.push("uvicorn-worker==0.3.0");
    }
    extra
}

/// The database server the project talks to, from its drivers.
pub(super) fn database(project: &Project) -> Option<&'static str> {
    let any = |names: &[&str]| names.iter().any(|n| project.depends_on(n));
    if any(&[
        "psycopg",
        "psycopg2",
        "psycopg2-binary",
        "psycopg-binary",
        "asyncpg",
        "dj-database-url",
    ]) {
        Some("postgres")
    } else if any(&["mysqlclient", "pymysql", "aiomysql", "asyncmy"]) {
        Some("mysql")
    } else {
        None
    }
}

/// Whether the app is a JSON API first (FastAPI), so nginx answers its own
/// errors in JSON and sends the strictest Content-Security-Policy by default.
pub(super) fn is_api(project: &Project) -> bool {
    project.framework == Framework::Fastapi
}

/// Whether Django collects static files at build (into `static_dir`).
pub(super) fn collects_static(project: &Project) -> bool {
    project.framework == Framework::Django
}

/// The app's name as a database or user name, as the `.env` URL names it.
pub(super) fn ident(answers: &Answers) -> String {
    crate::envfile::plan::database_ident(answers.get("app_name"))
}

//! What kind of project lives at a path: its framework and entrypoint.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The web framework a project is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Django,
    Fastapi,
    Flask,
    #[default]
    Unknown,
}

impl Framework {
    /// The lowercase name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Django => "django",
            Self::Fastapi => "fastapi",
            Self::Flask => "flask",
            Self::Unknown => "unknown",
        }
    }

    /// The name as people write it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Django => "Django",
            Self::Fastapi => "FastAPI",
            Self::Flask => "Flask",
            Self::Unknown => "unknown framework",
        }
    }

    /// Whether the framework serves over ASGI (and so needs Uvicorn workers).
    pub fn is_asgi(self) -> bool {
        self == Self::Fastapi
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name a project goes by: its directory name.
pub fn project_name(root: &Path) -> String {
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| PathBuf::from(root));
    absolute.file_name().map_or_else(
        || "app".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// What the project at a path is, as far as deployment is concerned.
///
/// The scanner (`crate::scan`) fills this in from the files it walks; its
/// fields are what generated files and the UI need to know.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Project {
    /// The project directory.
    pub root: PathBuf,
    /// The directory name, used as the default app name.
    pub name: String,
    pub framework: Framework,
    /// The framework's version when a dependency file pins it (`5.0.6`).
    pub framework_version: Option<String>,
    /// What gunicorn is pointed at: `config.wsgi:application`, `app.main:app`.
    pub entrypoint: Option<String>,
    /// Whether the entrypoint is an ASGI application.
    pub asgi: bool,
    /// The production settings module files, relative with `/` (Django).
    pub settings: Vec<String>,
    /// The Python version the project pins or declares (`3.12`).
    pub python_version: Option<String>,
    /// Dependency names, lowercase with `-` for `_`, as declared.
    pub dependencies: Vec<String>,
    /// Environment variable names the code reads (`DJANGO_SECRET_KEY`).
    pub env_vars: Vec<String>,
    /// The variables the app can do without (a pydantic settings field with a
    /// default), with that default as text when it is a literal.
    pub env_defaults: std::collections::BTreeMap<String, Option<String>>,
    /// A settings class that reads `.env` and refuses keys it does not declare
    /// there (pydantic-settings' default): `.env` may hold only its keys.
    pub strict_env: Option<StrictEnv>,
    /// Whether the project has migrations (Django apps' `migrations/`, Alembic).
    pub migrations: Option<Migrations>,
    /// The route the app answers health checks on, as a platform requests it
    /// (`/healthz`, or `/health/` for a Django `path("health/", …)`).
    pub health_path: Option<String>,
}

/// A pydantic-settings class that makes the app refuse to start when `.env`
/// holds a key with a value that is not one of its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StrictEnv {
    /// The file that defines it, relative with `/` (`app/config.py`).
    pub file: String,
    /// Its `class` line, 1-based.
    pub line: usize,
    /// The class name (`Settings`).
    pub class: String,
    /// The variables it declares, upper-case (`DATABASE_URL`).
    pub declared: std::collections::BTreeSet<String>,
}

impl StrictEnv {
    /// Whether `.env` may hold `key` with a value (pydantic-settings matches
    /// names case-insensitively by default).
    pub fn accepts(&self, key: &str) -> bool {
        self.declared.contains(&key.to_ascii_uppercase())
    }
}

/// How a project migrates its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Migrations {
    Django,
    Alembic,
}

impl Migrations {
    /// The command that applies migrations at release time.
    pub fn release_command(self) -> &'static str {
        match self {
            Self::Django => "python manage.py migrate --noinput",
            Self::Alembic => "alembic upgrade head",
        }
    }
}

impl Project {
    /// Whether a dependency of this name is declared.
    pub fn depends_on(&self, name: &str) -> bool {
        self.dependencies.iter().any(|dep| dep == name)
    }
}

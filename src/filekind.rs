//! The files preflight generates, by kind: their names and the checklist
//! items they satisfy.
//!
//! Below both the scanner (which reads them back) and the generator (which
//! writes them), so neither depends on the other for it.

use std::fmt;

/// One file `generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Env,
    EnvExample,
    Gunicorn,
    Procfile,
    Nginx,
    Fly,
}

impl FileKind {
    /// Every file, in the order they are written and reported.
    pub const ALL: [FileKind; 6] = [
        Self::Env,
        Self::EnvExample,
        Self::Gunicorn,
        Self::Procfile,
        Self::Nginx,
        Self::Fly,
    ];

    /// The name `--only` takes (`gunicorn`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::EnvExample => "env-example",
            Self::Gunicorn => "gunicorn",
            Self::Procfile => "procfile",
            Self::Nginx => "nginx",
            Self::Fly => "fly",
        }
    }

    /// The file written into the project (`gunicorn.conf.py`), also the template's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Env => ".env",
            Self::EnvExample => ".env.example",
            Self::Gunicorn => "gunicorn.conf.py",
            Self::Procfile => "Procfile",
            Self::Nginx => "nginx.conf",
            Self::Fly => "fly.toml",
        }
    }

    /// The file of that `--only` name, or of its file name (`nginx.conf`).
    pub fn from_name(name: &str) -> Option<FileKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name || kind.file_name().eq_ignore_ascii_case(name))
    }

    /// Whether the file is merged (existing keys kept, missing ones appended)
    /// rather than rendered from a template: it is never `skipped: differs`.
    pub fn is_merged(self) -> bool {
        matches!(self, Self::Env | Self::EnvExample)
    }

    /// The `gen` checklist items this file satisfies once it is written
    /// (for `.env`, more follow from the secrets generated into it).
    pub fn items(self) -> &'static [&'static str] {
        match self {
            Self::Env => &[],
            Self::EnvExample => &["env-example-present"],
            Self::Gunicorn => &["wsgi-server"],
            Self::Procfile => &["procfile"],
            Self::Nginx => &["reverse-proxy", "rate-limiting"],
            Self::Fly => &["platform-config"],
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

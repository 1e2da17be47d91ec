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
    Dockerfile,
    DockerIgnore,
    Compose,
    Render,
    Railway,
    Systemd,
    PythonVersion,
}

impl FileKind {
    /// Every file, in the order they are written and reported.
    pub const ALL: [FileKind; 13] = [
        Self::Env,
        Self::EnvExample,
        Self::Gunicorn,
        Self::Procfile,
        Self::Nginx,
        Self::Fly,
        Self::Dockerfile,
        Self::DockerIgnore,
        Self::Compose,
        Self::Render,
        Self::Railway,
        Self::Systemd,
        Self::PythonVersion,
    ];

    /// The name `--only` takes (`gunicorn`); `dockerfile` names the Dockerfile
    /// and its `.dockerignore` together.
    pub fn name(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::EnvExample => "env-example",
            Self::Gunicorn => "gunicorn",
            Self::Procfile => "procfile",
            Self::Nginx => "nginx",
            Self::Fly => "fly",
            Self::Dockerfile | Self::DockerIgnore => "dockerfile",
            Self::Compose => "compose",
            Self::Render => "render",
            Self::Railway => "railway",
            Self::Systemd => "systemd",
            Self::PythonVersion => "python-version",
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
            Self::Dockerfile => "Dockerfile",
            Self::DockerIgnore => ".dockerignore",
            Self::Compose => "compose.yaml",
            Self::Render => "render.yaml",
            Self::Railway => "railway.toml",
            Self::Systemd => "gunicorn.service",
            Self::PythonVersion => ".python-version",
        }
    }

    /// The file of that `--only` name, or of its file name (`nginx.conf`).
    pub fn from_name(name: &str) -> Option<FileKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.file_name().eq_ignore_ascii_case(name))
            .or_else(|| Self::ALL.into_iter().find(|kind| kind.name() == name))
    }

    /// Every file an `--only` name stands for (`dockerfile`: the Dockerfile and
    /// `.dockerignore`), or the one file of that file name.
    pub fn all_named(name: &str) -> Vec<FileKind> {
        // The `--only` name first: `dockerfile` is also the Dockerfile's file
        // name, and a Dockerfile without its .dockerignore copies .env into the image.
        let named: Vec<FileKind> = Self::ALL
            .into_iter()
            .filter(|kind| kind.name() == name)
            .collect();
        if !named.is_empty() {
            return named;
        }
        Self::ALL
            .into_iter()
            .filter(|kind| kind.file_name().eq_ignore_ascii_case(name))
            .collect()
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
            Self::EnvExample => &["env-example-present"],
            Self::Gunicorn => &["wsgi-server"],
            Self::Procfile => &["procfile"],
            Self::Nginx => &["reverse-proxy", "rate-limiting"],
            Self::Fly | Self::Render | Self::Railway => &["platform-config"],
            Self::Dockerfile => &["container-image"],
            Self::PythonVersion => &["runtime-pinned"],
            Self::Env | Self::DockerIgnore | Self::Compose | Self::Systemd => &[],
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

#[cfg(test)]
mod only_name_tests {
    use super::FileKind;

    #[test]
    fn dockerfile_names_the_dockerfile_and_its_dockerignore() {
        assert_eq!(
            FileKind::all_named("dockerfile"),
            [FileKind::Dockerfile, FileKind::DockerIgnore]
        );
        assert_eq!(
            FileKind::all_named(".dockerignore"),
            [FileKind::DockerIgnore]
        );
        assert_eq!(
            FileKind::all_named("gunicorn.conf.py"),
            [FileKind::Gunicorn]
        );
        assert_eq!(FileKind::all_named("procfile"), [FileKind::Procfile]);
    }
}

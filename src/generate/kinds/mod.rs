//! One module per file kind: its template, the answers it is made from, the
//! fields its template sees beyond the common ones, and its own checks.

pub(super) mod env;
pub(super) mod fly;
pub(super) mod gunicorn;
pub(super) mod nginx;
pub(super) mod procfile;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::project::Project;

/// The answers `kind` is made from, named in its header.
pub fn answer_keys(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Env | FileKind::EnvExample => env::ANSWER_KEYS,
        FileKind::Gunicorn => gunicorn::ANSWER_KEYS,
        FileKind::Procfile => procfile::ANSWER_KEYS,
        FileKind::Nginx => nginx::ANSWER_KEYS,
        FileKind::Fly => fly::ANSWER_KEYS,
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
    }
}

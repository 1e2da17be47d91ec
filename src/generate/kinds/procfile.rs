//! `Procfile`: the web and release processes (Heroku and friends).

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/Procfile");

/// The answers the Procfile is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &["wsgi_app", "release_command"];

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Procfile, answers)?;
    template::render_kind(FileKind::Procfile, TEMPLATE, project, answers, ())
}

//! `gunicorn.service`: a systemd unit running gunicorn as an unprivileged,
//! sandboxed user on a server (platform `vps`).

use serde::Serialize;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/gunicorn.service");

/// The answers the unit is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &["app_name", "app_root", "port", "workers"];

#[derive(Serialize)]
struct Extra<'a> {
    app_root: &'a str,
    service_user: String,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Systemd, answers)?;
    let extra = Extra {
        app_root: answers.get("app_root"),
        service_user: answers.get("app_name").to_owned(),
    };
    template::render_kind(FileKind::Systemd, TEMPLATE, project, answers, extra)
}

//! `gunicorn.conf.py`: the app server's settings.

use serde::Serialize;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/gunicorn.conf.py");

/// The answers gunicorn.conf.py is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &["wsgi_app", "port", "workers", "asgi", "platform"];

/// What gunicorn.conf.py's template sees beyond the common fields.
#[derive(Serialize)]
struct Extra {
    bind_host: &'static str,
    forwarded_allow_ips: &'static str,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Gunicorn, answers)?;
    let vps = answers.get("platform") == "vps";
    let extra = Extra {
        bind_host: if vps { "127.0.0.1" } else { "0.0.0.0" },
        forwarded_allow_ips: if vps { "127.0.0.1,::1" } else { "*" },
    };
    template::render_kind(FileKind::Gunicorn, TEMPLATE, project, answers, extra)
}

/// A note when the files start gunicorn but the project does not depend on it
/// (only when the scan read the project's dependencies at all).
pub(in crate::generate) fn missing_server(project: &Project, only: &[FileKind]) -> Option<String> {
    let starts_gunicorn = only
        .iter()
        .any(|kind| matches!(kind, FileKind::Gunicorn | FileKind::Procfile));
    if !starts_gunicorn || project.dependencies.is_empty() {
        return None;
    }
    let mut missing = Vec::new();
    if !project.depends_on("gunicorn") {
        missing.push("gunicorn");
    }
    if project.asgi && !project.depends_on("uvicorn-worker") {
        missing.push("uvicorn-worker");
    }
    (!missing.is_empty()).then(|| {
        format!(
            "the Procfile starts gunicorn, but {} {} not among the project's dependencies\n  \
             hint: add {} to requirements.txt (or pyproject.toml)",
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" },
            missing.join(" and ")
        )
    })
}

//! `Dockerfile`: a multi-stage, slim, non-root image of the app that never
//! holds a secret.

use serde::Serialize;

use super::{Manager, collects_static, extra_packages, pyproject_export};
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/Dockerfile");

/// The answers the Dockerfile is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "python_version",
    "port",
    "health_path",
    "domain",
    "static_dir",
    "platform",
];

#[derive(Serialize)]
struct Extra {
    manager: &'static str,
    deps_source: String,
    requirements: String,
    pyproject_export: String,
    server_packages: Vec<&'static str>,
    collectstatic: bool,
    collectstatic_env: String,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Dockerfile, answers)?;
    let manager = Manager::detect(project);
    let requirements = match &manager {
        Manager::Pip(file) => file.clone(),
        _ => String::new(),
    };
    let extra = Extra {
        manager: manager.name(),
        deps_source: manager.source(),
        requirements,
        pyproject_export: pyproject_export(answers.get("python_version")),
        server_packages: extra_packages(project, answers),
        collectstatic: collects_static(project),
        collectstatic_env: collectstatic_env(project),
    };
    template::render_kind(FileKind::Dockerfile, TEMPLATE, project, answers, extra)
}

/// Throwaway values for the variables Django's settings need just to import
/// during `collectstatic`: a signing key, a database URL, allowed hosts. None
/// is a secret, and none stays in the image's environment.
fn collectstatic_env(project: &Project) -> String {
    let mut out = String::new();
    for var in &project.env_vars {
        let value = if var.contains("SECRET_KEY") {
            "collectstatic-build-only-not-a-secret"
        } else if var == "DATABASE_URL" {
            "sqlite:////tmp/build.sqlite3"
        } else if var.ends_with("ALLOWED_HOSTS") {
            "localhost"
        } else {
            continue;
        };
        out.push_str(var);
        out.push('=');
        out.push_str(value);
        out.push(' ');
    }
    out
}

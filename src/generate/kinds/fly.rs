//! `fly.toml`: the Fly.io app, its release command, health check and statics.

use serde::Serialize;

use crate::answers::{Answers, Source};
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::{Framework, Project};

const TEMPLATE: &str = include_str!("../../../templates/fly.toml");

/// The answers fly.toml is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "app_name",
    "region",
    "port",
    "workers",
    "python_version",
    "release_command",
    "health_path",
    "domain",
    "static_url",
    "static_dir",
];

/// What fly.toml's template sees beyond the common fields.
#[derive(Serialize)]
struct Extra<'a> {
    region: &'a str,
    /// Where fly finds static files in the image.
    static_guest_path: String,
    settings_module: Option<String>,
    console_command: Option<&'static str>,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    let extra = Extra {
        region: answers.get("region"),
        static_guest_path: format!("/app/{}", answers.get("static_dir")),
        settings_module: settings_module(project),
        console_command: (project.framework == Framework::Django)
            .then_some("python manage.py shell"),
    };
    template::render_kind(FileKind::Fly, TEMPLATE, project, answers, extra)
}

/// The Django production settings module, when the project has one apart
/// from the default its `wsgi.py` names (`config/settings/production.py`).
fn settings_module(project: &Project) -> Option<String> {
    if project.framework != Framework::Django {
        return None;
    }
    let file = project.settings.iter().find(|f| f.contains("prod"))?;
    Some(file.trim_end_matches(".py").replace('/', "."))
}

/// A note when fly.toml's health check polls the default path but the app
/// serves no health route: every deploy would wait on a check that fails.
pub(in crate::generate) fn unserved_health_check(
    scan: &crate::scan::ScanReport,
    answers: &Answers,
    only: &[FileKind],
) -> Option<String> {
    let unserved = scan.findings.iter().any(|f| f.item == "health-endpoint");
    let defaulted = answers.source("health_path") == Some(Source::Default);
    (only.contains(&FileKind::Fly) && unserved && defaulted).then(|| {
        format!(
            "fly.toml's health check polls {path}, but the app serves no health route yet\n  \
             hint: add one (`preflight check --verbose` shows how, under health-endpoint), \
             or --set health_path=/your/route",
            path = answers.get("health_path")
        )
    })
}

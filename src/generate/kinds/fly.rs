//! `fly.toml`: the Fly.io app, its release command, health check and statics.

use serde::Serialize;

use super::gunicorn::THREADS;
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
    "asgi",
];

/// What fly.toml's template sees beyond the common fields.
#[derive(Serialize)]
struct Extra<'a> {
    region: &'a str,
    /// Where fly finds static files in the image (the Dockerfile's WORKDIR /app).
    static_guest_path: String,
    has_static: bool,
    settings_module: Option<String>,
    console_command: Option<&'static str>,
    concurrency_basis: String,
    soft_limit: u32,
    hard_limit: u32,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    // `workers = auto` on the default machine (shared-cpu-1x: one core) is 3.
    let workers = answers.workers().unwrap_or(3);
    let (per_worker, what) = if answers.asgi() {
        (
            25,
            "Uvicorn workers, each with an event loop; 25 requests a worker is a start",
        )
    } else {
        (THREADS, "gthread workers with 4 threads each")
    };
    let soft_limit = workers * per_worker;
    let concurrency_basis = format!("{workers} {what}");
    let static_dir = answers.get("static_dir");
    let extra = Extra {
        region: answers.get("region"),
        static_guest_path: format!("/app/{static_dir}"),
        has_static: super::collects_static(project) || project.root.join(static_dir).is_dir(),
        concurrency_basis,
        soft_limit,
        hard_limit: soft_limit + soft_limit.div_ceil(4),
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

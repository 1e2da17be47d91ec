//! `render.yaml`: a Render Blueprint with one web service; secrets as
//! `sync: false` keys, never values.

use serde::Serialize;

use super::{Manager, collects_static, extra_packages, pyproject_export};
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/render.yaml");

/// The answers render.yaml is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "app_name",
    "python_version",
    "release_command",
    "health_path",
    "workers",
];

#[derive(Serialize)]
struct Extra {
    build_command: String,
    secret_keys: Vec<String>,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Render, answers)?;
    let mut steps: Vec<String> = match Manager::detect(project) {
        Manager::Pip(file) => vec![format!("pip install -r {file}")],
        Manager::Uv => vec![
            "pip install uv==0.9.5".into(),
            "uv export --frozen --no-dev --no-hashes --no-emit-project -o requirements.lock".into(),
            "pip install -r requirements.lock".into(),
        ],
        Manager::Poetry => vec![
            "pip install poetry==1.8.5".into(),
            "poetry export --only main --without-hashes -f requirements.txt -o requirements.lock"
                .into(),
            "pip install -r requirements.lock".into(),
        ],
        Manager::Pipenv => vec![
            "pip install pipenv==2024.4.0".into(),
            "pipenv requirements > requirements.lock".into(),
            "pip install -r requirements.lock".into(),
        ],
        Manager::Pyproject => vec![
            pyproject_export(answers.get("python_version")),
            "pip install -r requirements.lock".into(),
        ],
        Manager::None => Vec::new(),
    };
    let extra_packages = extra_packages(project, answers);
    if !extra_packages.is_empty() {
        steps.push(format!("pip install {}", extra_packages.join(" ")));
    }
    if collects_static(project) {
        steps.push("python manage.py collectstatic --noinput".into());
    }
    let server_only = ["PORT", "WEB_CONCURRENCY", "PYTHON_VERSION"];
    let mut secret_keys: Vec<String> = project
        .env_vars
        .iter()
        .filter(|var| !server_only.contains(&var.as_str()))
        .cloned()
        .collect();
    secret_keys.extend(
        crate::secrets::inventory(project, &answers.to_map())
            .into_iter()
            .map(|spec| spec.var),
    );
    secret_keys.sort();
    secret_keys.dedup();
    let extra = Extra {
        build_command: if steps.is_empty() {
            "pip install -r requirements.txt".to_owned()
        } else {
            steps.join(" && ")
        },
        secret_keys,
    };
    template::render_kind(FileKind::Render, TEMPLATE, project, answers, extra)
}

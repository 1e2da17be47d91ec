//! `compose.yaml`: the app, nginx in front of it and the project's database,
//! for the `docker` platform.

use serde::Serialize;

use super::gunicorn::{COMPOSE_NGINX_ADDRESS, COMPOSE_SUBNET};
use super::{collects_static, database, ident};
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/compose.yaml");

/// The answers compose.yaml is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "app_name",
    "port",
    "workers",
    "health_path",
    "domain",
    "static_dir",
    "app_root",
];

#[derive(Serialize)]
struct Extra {
    database: Option<&'static str>,
    database_url: String,
    db_name: String,
    collectstatic: bool,
    static_root: String,
    nginx_address: &'static str,
    subnet: &'static str,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    let db = database(project);
    let db_name = ident(answers);
    let database_url = match db {
        Some("postgres") => format!(
            "{}://{db_name}:${{POSTGRES_PASSWORD}}@db:5432/{db_name}",
            crate::envfile::plan::postgres_scheme(project)
        ),
        Some(_) => format!("mysql://{db_name}:${{MYSQL_PASSWORD}}@db:3306/{db_name}"),
        None => String::new(),
    };
    let extra = Extra {
        database: db,
        database_url,
        db_name,
        collectstatic: collects_static(project),
        static_root: format!("{}/{}", answers.get("app_root"), answers.get("static_dir")),
        nginx_address: COMPOSE_NGINX_ADDRESS,
        subnet: COMPOSE_SUBNET,
    };
    template::render_kind(FileKind::Compose, TEMPLATE, project, answers, extra)
}

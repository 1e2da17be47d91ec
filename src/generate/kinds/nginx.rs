//! `nginx.conf`: TLS, security headers, rate limits and static files in
//! front of gunicorn.

use serde::Serialize;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::Project;

const TEMPLATE: &str = include_str!("../../../templates/nginx.conf");

/// The answers nginx.conf is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "domain",
    "port",
    "health_path",
    "static_url",
    "static_dir",
    "app_root",
    "max_body_mb",
    "api_rate",
    "login_rate",
    "cert_path",
    "key_path",
];

/// What nginx.conf's template sees beyond the common fields.
#[derive(Serialize)]
struct Extra<'a> {
    /// Where nginx finds static files on the server (no trailing slash).
    static_root: String,
    max_body_mb: &'a str,
    api_rate: &'a str,
    login_rate: &'a str,
    cert_path: &'a str,
    key_path: &'a str,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    let extra = Extra {
        static_root: format!("{}/{}", answers.get("app_root"), answers.get("static_dir")),
        max_body_mb: answers.get("max_body_mb"),
        api_rate: answers.get("api_rate"),
        login_rate: answers.get("login_rate"),
        cert_path: answers.get("cert_path"),
        key_path: answers.get("key_path"),
    };
    template::render_kind(FileKind::Nginx, TEMPLATE, project, answers, extra)
}

//! `nginx.conf`: TLS that boots before the first certificate, security
//! headers sent once, a Content-Security-Policy by kind of route, rate limits
//! and static files in front of gunicorn.

use serde::Serialize;

use super::is_api;
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::template;
use crate::project::{Framework, Project};

const TEMPLATE: &str = include_str!("../../../templates/nginx.conf");

/// The answers nginx.conf is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &[
    "domain",
    "port",
    "platform",
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

/// The policy for JSON: nothing may load, nothing may frame it.
const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'";
/// Server-rendered pages: their own scripts, styles and images only.
const CSP_PAGES: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                         base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/// Django's admin: its own files plus the inline styles some widgets use.
const CSP_ADMIN: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
                         img-src 'self' data:; object-src 'none'; base-uri 'self'; \
                         form-action 'self'; frame-ancestors 'none'";
/// FastAPI's /docs and /redoc: Swagger UI and ReDoc load from jsDelivr, with
/// an inline bootstrap script.
const CSP_API_DOCS: &str = "default-src 'none'; script-src 'self' 'unsafe-inline' \
                            https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' \
                            https://cdn.jsdelivr.net; img-src 'self' data: \
                            https://fastapi.tiangolo.com; connect-src 'self'; \
                            worker-src 'self' blob:; frame-ancestors 'none'";

// The template's switches, each a fact of the platform or the certificate.
#[allow(clippy::struct_excessive_bools)]
#[derive(Serialize)]
struct Extra<'a> {
    /// Where nginx finds static files on the server (no trailing slash).
    static_root: String,
    max_body_mb: &'a str,
    api_rate: &'a str,
    login_rate: &'a str,
    cert_path: &'a str,
    key_path: &'a str,
    /// Whether certbot manages the certificate (it may not exist on day one).
    certbot: bool,
    docker: bool,
    /// `http2 on;` (nginx ≥ 1.25.1, the pinned image) rather than `listen … http2`.
    http2_directive: bool,
    nginx_user: &'static str,
    upstream: String,
    api: bool,
    csp_summary: &'static str,
    csp_default: &'static str,
    csp_routes: Vec<(&'static str, &'static str)>,
    too_many_body: &'static str,
    too_large_body: &'static str,
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    let docker = answers.get("platform") == "docker";
    let api = is_api(project);
    let (csp_summary, csp_default, csp_routes) = match project.framework {
        Framework::Fastapi => (
            "a JSON API gets the strictest policy; the interactive docs may load Swagger UI.",
            CSP_API,
            vec![("~^/(docs|redoc)", CSP_API_DOCS)],
        ),
        Framework::Django => (
            "pages load only their own files; the admin may use inline styles; /api/ is JSON.",
            CSP_PAGES,
            vec![("~^/admin/", CSP_ADMIN), ("~^/api/", CSP_API)],
        ),
        _ => (
            "pages load only their own files; /api/ is JSON.",
            CSP_PAGES,
            vec![("~^/api/", CSP_API)],
        ),
    };
    let extra = Extra {
        static_root: format!("{}/{}", answers.get("app_root"), answers.get("static_dir")),
        max_body_mb: answers.get("max_body_mb"),
        api_rate: answers.get("api_rate"),
        login_rate: answers.get("login_rate"),
        cert_path: answers.get("cert_path"),
        key_path: answers.get("key_path"),
        certbot: answers.get("cert_path").starts_with("/etc/letsencrypt/"),
        docker,
        http2_directive: docker,
        nginx_user: if docker { "nginx" } else { "www-data" },
        upstream: if docker {
            format!("web:{}", answers.port())
        } else {
            format!("127.0.0.1:{}", answers.port())
        },
        api,
        csp_summary,
        csp_default,
        csp_routes,
        too_many_body: if api {
            r#"{"detail": "Too many requests; retry after the seconds in Retry-After."}"#
        } else {
            "Too many requests; retry after the seconds in Retry-After."
        },
        too_large_body: if api {
            r#"{"detail": "Request body too large."}"#
        } else {
            "Request body too large."
        },
    };
    template::render_kind(FileKind::Nginx, TEMPLATE, project, answers, extra)
}

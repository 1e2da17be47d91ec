//! `gunicorn.conf.py`: the app server's settings, by worker class, trusting
//! only the hop in front of it.

use serde::Serialize;

use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::generate::{platform, template};
use crate::project::{Framework, Project};

const TEMPLATE: &str = include_str!("../../../templates/gunicorn.conf.py");

/// The answers gunicorn.conf.py is made from.
pub(crate) const ANSWER_KEYS: &[&str] = &["wsgi_app", "port", "workers", "asgi", "platform"];

/// Threads per gthread worker: requests one WSGI worker serves at once.
pub(crate) const THREADS: u32 = 4;

/// nginx's address on compose.yaml's network, the one gunicorn trusts there.
pub(crate) const COMPOSE_NGINX_ADDRESS: &str = "172.30.0.10";
/// compose.yaml's network.
pub(crate) const COMPOSE_SUBNET: &str = "172.30.0.0/24";

/// What gunicorn.conf.py's template sees beyond the common fields.
#[derive(Serialize)]
struct Extra {
    bind_host: &'static str,
    forwarded_allow_ips: &'static str,
    trust_comment: Vec<String>,
    threads: u32,
    nginx: bool,
    access_client: &'static str,
}

/// Which proxy addresses gunicorn trusts with X-Forwarded-*, and why: never
/// `*`, only the one hop in front when its address is known.
fn trust(platform: &str, framework: Framework) -> (&'static str, Vec<String>) {
    let mut lines: Vec<String> = match platform {
        "vps" => vec![
            "Trust X-Forwarded-Proto/For only from nginx on this host (loopback): a client".into(),
            "cannot claim to be on HTTPS or spoof its address.".into(),
        ],
        "docker" => vec![
            format!(
                "Trust X-Forwarded-Proto/For only from nginx, at its fixed address {COMPOSE_NGINX_ADDRESS} on"
            ),
            "compose.yaml's network: any other container or client cannot claim HTTPS or an address.".into(),
        ],
        "fly" => vec![
            "No X-Forwarded-* header is trusted: fly's proxy connects from addresses fly does not".into(),
            "publish (https://fly.io/docs/networking/request-headers/), and trusting every address".into(),
            "would let anyone who reaches the app set its own. fly's proxy sets Fly-Client-IP to the".into(),
            "client's address; the access log below shows it.".into(),
        ],
        _ => vec![
            "No X-Forwarded-* header is trusted: the platform's router connects from addresses it".into(),
            "does not publish, and trusting every address would let anyone who reaches the app set".into(),
            "its own (gunicorn's default: loopback only).".into(),
        ],
    };
    let app_side = match framework {
        Framework::Django => Some(
            "Django reads the scheme from SECURE_PROXY_SSL_HEADER; for the client address (per-client \
             rate limits) read the proxy's header in a middleware, or every client shares one bucket.",
        ),
        Framework::Flask => Some(
            "Flask: wrap the app in werkzeug's ProxyFix(x_for=1, x_proto=1) for exactly one proxy, or \
             every client shares one address (and one rate-limit bucket).",
        ),
        _ => None,
    };
    if let Some(text) = app_side {
        lines.extend(wrap(text, 88));
    }
    let ips = match platform {
        "docker" => COMPOSE_NGINX_ADDRESS,
        _ => "127.0.0.1,::1",
    };
    (ips, lines)
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) fn render(project: &Project, answers: &Answers) -> anyhow::Result<String> {
    template::require_entrypoint(FileKind::Gunicorn, answers)?;
    let platform = answers.get("platform");
    let (forwarded_allow_ips, trust_comment) = trust(platform, project.framework);
    let extra = Extra {
        bind_host: if platform == "vps" {
            "127.0.0.1"
        } else {
            "0.0.0.0"
        },
        forwarded_allow_ips,
        trust_comment,
        threads: THREADS,
        nginx: platform::nginx_in_front(platform),
        access_client: match platform {
            "fly" => "%({fly-client-ip}i)s",
            "vps" | "docker" => "%({x-forwarded-for}i)s",
            _ => "%(h)s",
        },
    };
    template::render_kind(FileKind::Gunicorn, TEMPLATE, project, answers, extra)
}

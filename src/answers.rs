//! The answers that shape the generated files: domain, port, entrypoint, …
//!
//! Each key has a validator that says what it expects; the wizard's Answers
//! form calls [`validate`] per field, `generate --set` calls [`parse_set`].
//! [`resolve`] layers the sources: a `--set` on the command line, then the
//! answers saved in the state file, then what the scanner detected, then the
//! user's defaults from `config.toml`, then built-in defaults.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::bail;

use crate::project::Project;

/// One answer key: its name and what it expects, for help texts and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerKey {
    /// The key as written after `--set` (`domain`).
    pub key: &'static str,
    /// What the answer is for, one line.
    pub help: &'static str,
    /// What a valid value looks like, for error messages.
    pub expected: &'static str,
}

/// The platforms the `platform` answer may name (generate's platform table
/// says which files each one gets).
const PLATFORM_NAMES: &[&str] = &["fly", "heroku", "render", "railway", "docker", "vps"];

/// The platforms the `platform` answer may name.
pub fn platform_names() -> Vec<&'static str> {
    PLATFORM_NAMES.to_vec()
}

/// Every answer key, in the order the wizard asks them. A key's default may
/// depend on keys before it (the certificate path on the domain).
pub const KEYS: &[AnswerKey] = &[
    AnswerKey {
        key: "app_name",
        help: "the app's name on the platform (fly.toml `app`)",
        expected: "lowercase letters, digits and dashes, at most 63 (my-api)",
    },
    AnswerKey {
        key: "platform",
        help: "where the app runs: fly, heroku, render, railway, docker (compose behind nginx), or vps (your own server)",
        expected: "one of fly, heroku, render, railway, docker, vps",
    },
    AnswerKey {
        key: "domain",
        help: "the public hostnames, first one primary (nginx server_name, certificates)",
        expected: "a hostname or a comma list of them (api.example.com,www.example.com)",
    },
    AnswerKey {
        key: "port",
        help: "the port the app server listens on (gunicorn bind, nginx upstream, fly)",
        expected: "a port number from 1 to 65535 (8000)",
    },
    AnswerKey {
        key: "wsgi_app",
        help: "what gunicorn serves: module path and callable",
        expected: "module:callable (config.wsgi:application, app.main:app, wsgi:create_app())",
    },
    AnswerKey {
        key: "asgi",
        help: "whether the app is ASGI (FastAPI) and needs Uvicorn workers",
        expected: "true or false",
    },
    AnswerKey {
        key: "workers",
        help: "gunicorn worker processes when WEB_CONCURRENCY is not set",
        expected: "auto (2 × cores + 1) or a number from 1 to 256",
    },
    AnswerKey {
        key: "region",
        help: "the Fly.io primary region",
        expected: "a three-letter region code (fra, iad, sjc)",
    },
    AnswerKey {
        key: "health_path",
        help: "the health-check endpoint (nginx, fly checks)",
        expected: "a URL path starting with / (/health)",
    },
    AnswerKey {
        key: "static_url",
        help: "the URL prefix of static files",
        expected: "a URL path that starts and ends with / (/static/)",
    },
    AnswerKey {
        key: "static_dir",
        help: "where collected static files live, relative to the project",
        expected: "a relative directory without .. (staticfiles)",
    },
    AnswerKey {
        key: "app_root",
        help: "where the project is deployed on a server (nginx serves static files from there)",
        expected: "an absolute directory (/srv/my-api)",
    },
    AnswerKey {
        key: "cors_origins",
        help: "origins allowed to call the API from a browser (.env CORS_ALLOWED_ORIGINS)",
        expected: "a comma list of origins like https://app.example.com, or none",
    },
    AnswerKey {
        key: "max_body_mb",
        help: "the largest request body accepted, in megabytes (nginx client_max_body_size)",
        expected: "a whole number of megabytes from 1 to 1024 (10)",
    },
    AnswerKey {
        key: "api_rate",
        help: "requests per client IP on the API (nginx limit_req)",
        expected: "a rate like 10r/s or 600r/m",
    },
    AnswerKey {
        key: "login_rate",
        help: "requests per client IP on login and token paths (nginx limit_req)",
        expected: "a rate like 5r/m",
    },
    AnswerKey {
        key: "python_version",
        help: "the Python version to build with",
        expected: "3.MINOR or 3.MINOR.PATCH (3.12)",
    },
    AnswerKey {
        key: "release_command",
        help: "what runs once per release before the new version serves (migrations)",
        expected: "a one-line shell command, or none",
    },
    AnswerKey {
        key: "cert_path",
        help: "the TLS certificate chain for nginx",
        expected: "an absolute path (/etc/letsencrypt/live/DOMAIN/fullchain.pem)",
    },
    AnswerKey {
        key: "key_path",
        help: "the TLS private key for nginx",
        expected: "an absolute path (/etc/letsencrypt/live/DOMAIN/privkey.pem)",
    },
    AnswerKey {
        key: "add_server_packages",
        help: "let generate add gunicorn (and uvicorn-worker) to requirements.txt when a buildpack start command needs them (Heroku, Railway)",
        expected: "true or false",
    },
    AnswerKey {
        key: "api_consumers",
        help: "who gets an API key, one per consumer (.env API_KEY_<NAME>)",
        expected: "a comma list of names like frontend,mobile, or none",
    },
];

/// The key of that name.
pub fn key(name: &str) -> Option<&'static AnswerKey> {
    KEYS.iter().find(|k| k.key == name)
}

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// `--set KEY=VALUE` (or the wizard's form) in this run.
    Set,
    /// Saved in `.preflight/state.toml` by an earlier run.
    State,
    /// Detected by the scanner.
    Scan,
    /// The user's `config.toml` defaults.
    UserConfig,
    /// preflight's built-in default.
    Default,
}

impl Source {
    /// A short label for the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::State => "saved",
            Self::Scan => "detected",
            Self::UserConfig => "your default",
            Self::Default => "default",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks one answer; `Err` says what is wrong and what is expected.
pub fn validate(key: &str, value: &str) -> Result<(), String> {
    normalize(key, value).map(drop)
}

/// Checks one answer and returns it in canonical form (trimmed, lowercase
/// hostnames, `true`/`false`, `none` for an empty list or command).
pub fn normalize(key: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    let result = match key {
        "app_name" => app_name(value),
        "domain" => comma_list(value, false, hostname),
        "port" => number(value, 1, 65_535),
        "wsgi_app" => wsgi_app(value),
        "asgi" | "add_server_packages" => boolean(value),
        "workers" if value.eq_ignore_ascii_case("auto") => Ok("auto".to_owned()),
        "workers" => number(value, 1, 256),
        "platform" => one_of(value, PLATFORM_NAMES),
        "region" => region(value),
        "health_path" => url_path(value),
        "static_url" => static_url(value),
        "static_dir" => relative_dir(value),
        "app_root" | "cert_path" | "key_path" => absolute_path(value),
        "cors_origins" => comma_list(value, true, origin),
        "max_body_mb" => number(value, 1, 1024),
        "api_rate" | "login_rate" => rate(value),
        "python_version" => python_version(value),
        "release_command" => command(value),
        "api_consumers" => comma_list(value, true, consumer),
        _ => return Err(unknown_key_message(key)),
    };
    result.map_err(|problem| {
        let expected = self::key(key).map_or("", |k| k.expected);
        format!("{problem}; expected {expected}")
    })
}

/// "unknown answer key `x`", with the closest key when one is near.
fn unknown_key_message(name: &str) -> String {
    let closest = KEYS
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(name, k.key), k.key))
        .filter(|(score, _)| *score > 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, key)| key);
    let keys: Vec<&str> = KEYS.iter().map(|k| k.key).collect();
    match closest {
        Some(near) => format!("unknown answer key `{name}` (did you mean `{near}`?)"),
        None => format!(
            "unknown answer key `{name}`; the keys are {}",
            keys.join(", ")
        ),
    }
}

/// Parses one `--set KEY=VALUE` into a key and its canonical value.
pub fn parse_set(arg: &str) -> anyhow::Result<(String, String)> {
    let Some((name, value)) = arg.split_once('=') else {
        bail!("`--set {arg}` is not KEY=VALUE\n  hint: for example --set domain=api.example.com");
    };
    // Keys are lowercase; `DOMAIN=…` (the habit of environment variables) means `domain`.
    let name = name.trim().to_ascii_lowercase();
    let name = name.as_str();
    if name.is_empty() {
        bail!(
            "`--set {arg}` has no key before `=`\n  hint: for example --set domain=api.example.com"
        );
    }
    match normalize(name, value) {
        Ok(value) => Ok((name.to_owned(), value)),
        Err(problem) if key(name).is_none() => {
            bail!("{problem}\n  hint: `preflight generate --help` lists every key")
        }
        Err(problem) => {
            // `normalize` says what is wrong, then what it expects: the
            // second half is the hint, so the value is not named twice.
            let (what, hint) = match problem.rsplit_once("; expected ") {
                Some((what, expected)) => (what, format!("expected {expected}")),
                None => (problem.as_str(), format!("--set {name}=…")),
            };
            bail!("--set {name}={}: {what}\n  hint: {hint}", value.trim())
        }
    }
}

/// The answers in force, each with where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    values: BTreeMap<&'static str, (String, Source)>,
}

/// The inputs [`resolve`] layers, highest priority first.
#[derive(Debug, Clone, Copy)]
pub struct Layers<'a> {
    /// `--set` answers of this run, already normalized.
    pub set: &'a BTreeMap<String, String>,
    /// Answers saved in the state file.
    pub saved: &'a BTreeMap<String, String>,
    /// What the scanner detected about the project.
    pub project: &'a Project,
    /// `[answers]` from the user's `config.toml`.
    pub user: &'a BTreeMap<String, String>,
}

/// Resolves every key from the layers. A saved or configured answer that is
/// not valid is an error naming where it is, so nothing is generated from it.
pub fn resolve(layers: Layers<'_>) -> anyhow::Result<Answers> {
    let mut answers = Answers::default();
    for spec in KEYS {
        let name = spec.key;
        let (value, source) = if let Some(value) = layers.set.get(name) {
            (checked(name, value, "--set")?, Source::Set)
        } else if let Some(value) = layers.saved.get(name) {
            (
                checked(name, value, "the answer saved in .preflight/state.toml")?,
                Source::State,
            )
        } else if let Some(value) = detected(name, layers.project) {
            (value, Source::Scan)
        } else if let Some(value) = layers.user.get(name) {
            (
                checked(name, value, "the default in your config.toml")?,
                Source::UserConfig,
            )
        } else {
            (answers.default_for(name, layers.project), Source::Default)
        };
        answers.values.insert(name, (value, source));
    }
    Ok(answers)
}

/// `value` normalized, or an error saying which source holds the bad value.
fn checked(name: &str, value: &str, source: &str) -> anyhow::Result<String> {
    normalize(name, value).map_err(|problem| {
        anyhow::anyhow!(
            "{source} for `{name}` is `{value}`, which is not valid: {problem}\n  hint: correct it \
             there, or override it: preflight generate --set {name}=…"
        )
    })
}

/// What the scanner knows for a key, already in canonical form.
fn detected(name: &str, project: &Project) -> Option<String> {
    match name {
        "wsgi_app" => project
            .entrypoint
            .as_deref()
            .and_then(|e| normalize(name, e).ok()),
        "asgi" if project.entrypoint.is_some() || project.framework.is_asgi() => {
            Some((project.asgi || project.framework.is_asgi()).to_string())
        }
        "python_version" => project
            .python_version
            .as_deref()
            .and_then(|v| normalize(name, v).ok()),
        "release_command" => project.migrations.map(|m| m.release_command().to_owned()),
        "health_path" => project.health_path.clone(),
        _ => None,
    }
}

impl Answers {
    /// The built-in default for `name`, given the answers resolved so far.
    fn default_for(&self, name: &str, project: &Project) -> String {
        let domain = self.primary_domain().to_owned();
        match name {
            "app_name" => slug(&project.name),
            "domain" => {
                let app = self.get("app_name");
                match self.get("platform") {
                    "heroku" => format!("{app}.herokuapp.com"),
                    "render" => format!("{app}.onrender.com"),
                    "railway" => format!("{app}.up.railway.app"),
                    "vps" | "docker" => format!("{app}.example.com"),
                    _ => format!("{app}.fly.dev"),
                }
            }
            "port" => "8000".to_owned(),
            "asgi" => project.framework.is_asgi().to_string(),
            "workers" => "auto".to_owned(),
            "platform" => "fly".to_owned(),
            "region" => "iad".to_owned(),
            "health_path" => "/health".to_owned(),
            "static_url" => "/static/".to_owned(),
            "static_dir" => match project.framework {
                crate::project::Framework::Django => "staticfiles",
                _ => "static",
            }
            .to_owned(),
            "app_root" => format!("/srv/{}", self.get("app_name")),
            "cors_origins" => format!("https://{domain}"),
            "max_body_mb" => "10".to_owned(),
            "api_rate" => "10r/s".to_owned(),
            "login_rate" => "5r/m".to_owned(),
            "python_version" => "3.12".to_owned(),
            "release_command" => "none".to_owned(),
            "add_server_packages" => "false".to_owned(),
            "cert_path" => format!("/etc/letsencrypt/live/{domain}/fullchain.pem"),
            "key_path" => format!("/etc/letsencrypt/live/{domain}/privkey.pem"),
            // api_consumers: none unless the user names them.
            _ => String::new(),
        }
    }

    /// The answer for `name`: empty for an unknown key, an empty list or a
    /// missing entrypoint.
    pub fn get(&self, name: &str) -> &str {
        self.values
            .get(name)
            .map_or("", |(value, _)| value.as_str())
    }

    /// Where the answer for `name` came from.
    pub fn source(&self, name: &str) -> Option<Source> {
        self.values.get(name).map(|(_, source)| *source)
    }

    /// Every answer by key, for the secrets engine and the wizard.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(key, (value, _))| ((*key).to_owned(), value.clone()))
            .collect()
    }

    /// Replaces one answer (the wizard's form), after validating it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let spec = key(name).ok_or_else(|| unknown_key_message(name))?;
        let value = normalize(name, value)?;
        self.values.insert(spec.key, (value, Source::Set));
        Ok(())
    }

    /// The hostnames, primary first.
    pub fn domains(&self) -> Vec<&str> {
        list(self.get("domain"))
    }

    /// The first hostname, without a wildcard's `*.` (certbot names the
    /// certificate directory after it).
    pub fn primary_domain(&self) -> &str {
        let first = self.domains().first().copied().unwrap_or("");
        first.strip_prefix("*.").unwrap_or(first)
    }

    /// The app server's port.
    pub fn port(&self) -> u16 {
        self.get("port").parse().unwrap_or(8000)
    }

    /// Whether the app is served over ASGI.
    pub fn asgi(&self) -> bool {
        self.get("asgi") == "true"
    }

    /// The worker count when fixed, `None` for auto.
    pub fn workers(&self) -> Option<u32> {
        self.get("workers").parse().ok()
    }

    /// The release command, if there is one.
    pub fn release_command(&self) -> Option<&str> {
        Some(self.get("release_command")).filter(|c| !c.is_empty() && *c != "none")
    }

    /// The entrypoint, if known.
    pub fn wsgi_app(&self) -> Option<&str> {
        Some(self.get("wsgi_app")).filter(|e| !e.is_empty())
    }

    /// The answers a `--set` gave in this run, to save in the state file.
    pub fn set_by_user(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .filter(|(_, (_, source))| *source == Source::Set)
            .map(|(key, (value, _))| ((*key).to_owned(), value.clone()))
            .collect()
    }
}

/// The items of a comma list; `none` and empty mean no items.
pub fn list(value: &str) -> Vec<&str> {
    if value.eq_ignore_ascii_case("none") {
        return Vec::new();
    }
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A project name made into a platform app name: `My_API` → `my-api`.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.truncate(63);
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "app".to_owned()
    } else {
        slug.to_owned()
    }
}

fn app_name(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(format!("`{value}` is not an app name"))
    }
}

/// A comma list whose items each pass `item`; `none` or empty, when allowed, is
/// no items and normalizes to the empty string.
fn comma_list(
    value: &str,
    may_be_empty: bool,
    item: fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let items = list(value);
    if items.is_empty() {
        return if may_be_empty {
            Ok(String::new())
        } else {
            Err("it is empty".to_owned())
        };
    }
    let mut out: Vec<String> = Vec::new();
    for raw in items {
        let clean = item(raw)?;
        if out.contains(&clean) {
            return Err(format!("`{clean}` is listed twice"));
        }
        out.push(clean);
    }
    Ok(out.join(","))
}

fn hostname(value: &str) -> Result<String, String> {
    let host = value.to_ascii_lowercase();
    if host.contains("://") || host.contains('/') {
        return Err(format!(
            "`{value}` is a URL; give the hostname alone (api.example.com)"
        ));
    }
    let labels: Vec<&str> = host
        .strip_prefix("*.")
        .unwrap_or(&host)
        .split('.')
        .collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if host.len() > 253 || !labels.iter().all(label_ok) {
        return Err(format!("`{value}` is not a hostname"));
    }
    let tld = labels.last().copied().unwrap_or("");
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "`{value}` is an IP address; certificates and nginx need a hostname"
        ));
    }
    if labels.len() < 2 && host != "localhost" {
        return Err(format!(
            "`{value}` has no dot; give the full name (api.example.com)"
        ));
    }
    Ok(host)
}

fn number(value: &str, min: u32, max: u32) -> Result<String, String> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
        Ok(n) => Err(format!("{n} is out of range")),
        Err(_) => Err(format!("`{value}` is not a whole number")),
    }
}

fn wsgi_app(value: &str) -> Result<String, String> {
    let Some((module, callable)) = value.split_once(':') else {
        return Err(format!("`{value}` has no `:` between module and callable"));
    };
    let module_ok = !module.is_empty() && module.split('.').all(is_identifier);
    let callable_name = callable.strip_suffix("()").unwrap_or(callable);
    if module_ok && is_identifier(callable_name) {
        Ok(value.to_owned())
    } else {
        Err(format!("`{value}` is not a Python module:callable"))
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn boolean(value: &str) -> Result<String, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok("true".to_owned()),
        "false" | "no" | "0" | "off" => Ok("false".to_owned()),
        _ => Err(format!("`{value}` is not true or false")),
    }
}

fn one_of(value: &str, choices: &[&str]) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    if choices.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(format!("`{value}` is not a known choice"))
    }
}

fn region(value: &str) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    if lower.len() == 3 && lower.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(lower)
    } else {
        Err(format!("`{value}` is not a region code"))
    }
}

/// Characters that are safe unquoted in nginx, TOML strings and shells.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~')
}

fn url_path(value: &str) -> Result<String, String> {
    if !value.starts_with('/') {
        return Err(format!("`{value}` does not start with /"));
    }
    if !value.chars().all(is_path_char) || value.split('/').any(|s| s == "..") {
        return Err(format!(
            "`{value}` has characters a path should not (only letters, digits, / - _ . ~)"
        ));
    }
    Ok(value.to_owned())
}

fn static_url(value: &str) -> Result<String, String> {
    let path = url_path(value)?;
    if path == "/" || !path.ends_with('/') {
        return Err(format!(
            "`{value}` must be a prefix like /static/, ending with /"
        ));
    }
    Ok(path)
}

fn relative_dir(value: &str) -> Result<String, String> {
    let dir = value.trim_end_matches('/');
    if dir.is_empty() || dir.starts_with('/') {
        return Err(format!("`{value}` is not a relative directory"));
    }
    if !dir.chars().all(is_path_char) || dir.split('/').any(|s| s == ".." || s.is_empty()) {
        return Err(format!(
            "`{value}` has characters or parts a directory should not"
        ));
    }
    Ok(dir.to_owned())
}

fn absolute_path(value: &str) -> Result<String, String> {
    if !value.starts_with('/') {
        return Err(format!("`{value}` is not an absolute path"));
    }
    if !value.chars().all(is_path_char) || value.split('/').any(|s| s == "..") {
        return Err(format!(
            "`{value}` has characters a path here should not (only letters, digits, / - _ . ~)"
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

fn origin(value: &str) -> Result<String, String> {
    if value == "*" {
        return Err(
            "`*` lets every website call the API with your users' browsers; name the origins"
                .to_owned(),
        );
    }
    let lower = value.to_ascii_lowercase();
    let trimmed = lower.strip_suffix('/').unwrap_or(&lower);
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(format!("`{value}` has no scheme (https://…)"));
    };
    if scheme != "https" && scheme != "http" {
        return Err(format!("`{value}` is not an http(s) origin"));
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    if rest.contains('/') || port.is_some_and(|p| number(p, 1, 65_535).is_err()) {
        return Err(format!(
            "`{value}` is not an origin (scheme://host[:port], no path)"
        ));
    }
    hostname(host)?;
    if scheme == "http" && host != "localhost" {
        return Err(format!(
            "`{value}` is plain http; production origins are https"
        ));
    }
    Ok(trimmed.to_owned())
}

fn rate(value: &str) -> Result<String, String> {
    let number = value
        .strip_suffix("r/s")
        .or_else(|| value.strip_suffix("r/m"));
    match number.map(str::parse::<u32>) {
        Some(Ok(n)) if n > 0 => Ok(value.to_owned()),
        _ => Err(format!("`{value}` is not a rate")),
    }
}

fn python_version(value: &str) -> Result<String, String> {
    let parts: Vec<&str> = value.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()));
    if numeric && (2..=3).contains(&parts.len()) && parts[0] == "3" {
        Ok(value.to_owned())
    } else {
        Err(format!("`{value}` is not a Python 3 version"))
    }
}

fn command(value: &str) -> Result<String, String> {
    if value.is_empty() || value.eq_ignore_ascii_case("none") {
        return Ok("none".to_owned());
    }
    if value.chars().any(char::is_control) || value.contains('"') || value.contains('\\') {
        return Err(
            "the command has a line break, quote or backslash; wrap it in a script".to_owned(),
        );
    }
    Ok(value.to_owned())
}

fn consumer(value: &str) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    let ok = lower.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok && lower.len() <= 32 {
        Ok(lower)
    } else {
        Err(format!(
            "`{value}` is not a consumer name (letters, digits, - and _)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Framework, Migrations};

    #[test]
    fn every_key_validates_its_default_shape() {
        let cases = [
            ("app_name", "my-api"),
            ("domain", "api.example.com, www.example.com"),
            ("port", "8000"),
            ("wsgi_app", "config.wsgi:application"),
            ("wsgi_app", "app:create_app()"),
            ("asgi", "yes"),
            ("workers", "auto"),
            ("workers", "4"),
            ("platform", "fly"),
            ("region", "fra"),
            ("health_path", "/health"),
            ("static_url", "/static/"),
            ("static_dir", "staticfiles/"),
            ("app_root", "/srv/my-api"),
            (
                "cors_origins",
                "https://app.example.com/,http://localhost:3000",
            ),
            ("max_body_mb", "10"),
            ("api_rate", "10r/s"),
            ("login_rate", "5r/m"),
            ("python_version", "3.12"),
            ("release_command", "python manage.py migrate --noinput"),
            ("cert_path", "/etc/ssl/cert.pem"),
            ("key_path", "/etc/ssl/key.pem"),
            ("api_consumers", "frontend,mobile"),
            ("add_server_packages", "true"),
        ];
        for (key, value) in cases {
            assert_eq!(validate(key, value), Ok(()), "{key}={value}");
        }
        let covered: std::collections::HashSet<_> = cases.iter().map(|c| c.0).collect();
        assert_eq!(covered.len(), KEYS.len(), "every key has a case");
    }

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize("domain", " API.Example.com ,www.example.com").unwrap(),
            "api.example.com,www.example.com"
        );
        assert_eq!(normalize("asgi", "Yes").unwrap(), "true");
        assert_eq!(
            normalize("cors_origins", "https://app.example.com/").unwrap(),
            "https://app.example.com"
        );
        assert_eq!(normalize("cors_origins", "").unwrap(), "");
        assert_eq!(normalize("api_consumers", "None").unwrap(), "");
        assert_eq!(normalize("release_command", "").unwrap(), "none");
        assert_eq!(normalize("static_dir", "static/").unwrap(), "static");
    }

    #[test]
    fn rejects_bad_values_with_what_is_expected() {
        let bad = [
            ("domain", "https://api.example.com"),
            ("domain", "10.0.0.1"),
            ("domain", "exa mple.com"),
            ("domain", "-bad.example.com"),
            ("domain", ""),
            ("port", "0"),
            ("port", "65536"),
            ("port", "80a"),
            ("wsgi_app", "config.wsgi"),
            ("wsgi_app", "my-app:app"),
            ("asgi", "maybe"),
            ("workers", "0"),
            ("platform", "aws"),
            ("region", "frankfurt"),
            ("health_path", "health"),
            ("health_path", "/he alth"),
            ("health_path", "/a;b"),
            ("static_url", "/static"),
            ("static_url", "/"),
            ("static_dir", "../outside"),
            ("static_dir", "/abs"),
            ("app_root", "srv/app"),
            ("cert_path", "/etc/ssl/my cert.pem"),
            ("cert_path", "/etc/ssl/$x.pem"),
            ("cors_origins", "*"),
            ("cors_origins", "https://app.example.com/path"),
            ("cors_origins", "http://app.example.com"),
            ("cors_origins", "app.example.com"),
            ("max_body_mb", "2048"),
            ("api_rate", "10/s"),
            ("api_rate", "0r/s"),
            ("login_rate", "5r/h"),
            ("python_version", "2.7"),
            ("python_version", "3"),
            ("release_command", "echo \"hi\""),
            ("release_command", "a\nb"),
            ("api_consumers", "front end"),
            ("app_name", "My_App"),
        ];
        for (key, value) in bad {
            let err = validate(key, value).expect_err(&format!("{key}={value} is rejected"));
            assert!(err.contains("expected"), "{key}: {err}");
        }
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let err = validate("domian", "x").unwrap_err();
        assert!(err.contains("did you mean `domain`"), "{err}");
        let err = parse_set("zzz=1").unwrap_err().to_string();
        assert!(err.contains("unknown answer key `zzz`"), "{err}");
    }

    #[test]
    fn parse_set_names_the_key_and_expectation() {
        assert_eq!(
            parse_set("port= 9000").unwrap(),
            ("port".to_owned(), "9000".to_owned())
        );
        let err = parse_set("port=http").unwrap_err().to_string();
        assert!(
            err.contains("--set port") && err.contains("1 to 65535"),
            "{err}"
        );
        assert!(parse_set("port").is_err());
        assert_eq!(
            parse_set("DOMAIN=api.example.com").unwrap(),
            ("domain".to_owned(), "api.example.com".to_owned())
        );
        assert!(parse_set("=x").unwrap_err().to_string().contains("no key"));
        let err = parse_set("domain=not_a_domain").unwrap_err().to_string();
        assert_eq!(
            err,
            "--set domain=not_a_domain: `not_a_domain` is not a hostname\n  hint: expected a \
             hostname or a comma list of them (api.example.com,www.example.com)"
        );
    }

    fn django() -> Project {
        Project {
            name: "My Shop".into(),
            framework: Framework::Django,
            entrypoint: Some("config.wsgi:application".into()),
            migrations: Some(Migrations::Django),
            ..Project::default()
        }
    }

    #[test]
    fn layers_in_priority_order() {
        let project = django();
        let set = BTreeMap::from([("port".to_owned(), "9000".to_owned())]);
        let saved = BTreeMap::from([
            ("port".to_owned(), "8001".to_owned()),
            ("domain".to_owned(), "shop.example.com".to_owned()),
            ("some_wizard_key".to_owned(), "ignored".to_owned()),
        ]);
        let user = BTreeMap::from([
            ("region".to_owned(), "fra".to_owned()),
            ("wsgi_app".to_owned(), "other:app".to_owned()),
        ]);
        let answers = resolve(Layers {
            set: &set,
            saved: &saved,
            project: &project,
            user: &user,
        })
        .unwrap();
        assert_eq!(answers.get("port"), "9000");
        assert_eq!(answers.source("port"), Some(Source::Set));
        assert_eq!(answers.get("domain"), "shop.example.com");
        assert_eq!(answers.source("domain"), Some(Source::State));
        assert_eq!(answers.get("wsgi_app"), "config.wsgi:application");
        assert_eq!(answers.source("wsgi_app"), Some(Source::Scan));
        assert_eq!(answers.get("region"), "fra");
        assert_eq!(answers.source("region"), Some(Source::UserConfig));
        assert_eq!(answers.get("app_name"), "my-shop");
        assert_eq!(
            answers.get("cert_path"),
            "/etc/letsencrypt/live/shop.example.com/fullchain.pem"
        );
        assert_eq!(
            answers.release_command(),
            Some("python manage.py migrate --noinput")
        );
        assert_eq!(answers.get("static_dir"), "staticfiles");
        assert_eq!(answers.get("platform"), "fly");
        assert!(!answers.asgi());
        assert_eq!(answers.set_by_user().len(), 1);
    }

    #[test]
    fn a_bad_saved_answer_names_its_source() {
        let project = django();
        let saved = BTreeMap::from([("port".to_owned(), "eighty".to_owned())]);
        let empty = BTreeMap::new();
        let err = resolve(Layers {
            set: &empty,
            saved: &saved,
            project: &project,
            user: &empty,
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("state.toml") && err.contains("`port`"),
            "{err}"
        );
    }

    #[test]
    fn defaults_follow_earlier_answers() {
        let project = django();
        let empty = BTreeMap::new();
        let resolve_with = |set: &[(&str, &str)]| {
            let set = set
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            resolve(Layers {
                set: &set,
                saved: &empty,
                project: &project,
                user: &empty,
            })
            .unwrap()
        };
        let render = resolve_with(&[("platform", "render")]);
        assert_eq!(render.get("domain"), "my-shop.onrender.com");
        assert_eq!(render.get("cors_origins"), "https://my-shop.onrender.com");
        let wildcard = resolve_with(&[("domain", "*.shop.example, shop.example")]);
        assert_eq!(wildcard.primary_domain(), "shop.example");
        assert_eq!(
            wildcard.get("key_path"),
            "/etc/letsencrypt/live/shop.example/privkey.pem"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("My_API v2"), "my-api-v2");
        assert_eq!(slug("__"), "app");
    }
}

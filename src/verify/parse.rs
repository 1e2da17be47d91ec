//! Readers for the response headers and bodies the live checks judge.
//!
//! Each reader is lenient in what it accepts (header values in the wild vary
//! in case, spacing and quoting) and never keeps a cookie's value.

/// A `Strict-Transport-Security` header, as a browser reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hsts {
    /// `None` when `max-age` is missing or not a number.
    pub max_age: Option<u64>,
    pub include_subdomains: bool,
    pub preload: bool,
}

impl Hsts {
    /// Parses a header value such as `max-age=63072000; includeSubDomains; preload`.
    pub fn parse(value: &str) -> Self {
        let mut hsts = Self::default();
        for directive in value.split(';').map(str::trim) {
            let (name, arg) = directive
                .split_once('=')
                .map_or((directive, None), |(n, a)| (n.trim(), Some(a.trim())));
            if name.eq_ignore_ascii_case("max-age") {
                hsts.max_age = arg.and_then(|a| a.trim_matches('"').parse().ok());
            } else if name.eq_ignore_ascii_case("includesubdomains") {
                hsts.include_subdomains = true;
            } else if name.eq_ignore_ascii_case("preload") {
                hsts.preload = true;
            }
        }
        hsts
    }
}

/// The flags of one `Set-Cookie` header; the value is dropped on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CookieFlags {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    /// The `SameSite` value as sent (`Lax`, `Strict`, `None`).
    pub same_site: Option<String>,
}

impl CookieFlags {
    /// Parses a `Set-Cookie` header value.
    pub fn parse(value: &str) -> Self {
        let mut parts = value.split(';');
        let name = parts
            .next()
            .and_then(|pair| pair.split_once('=').map(|(n, _)| n))
            .unwrap_or_default()
            .trim()
            .to_owned();
        let mut flags = Self {
            name,
            ..Self::default()
        };
        for attribute in parts.map(str::trim) {
            let (key, arg) = attribute
                .split_once('=')
                .map_or((attribute, ""), |(k, a)| (k.trim(), a.trim()));
            if key.eq_ignore_ascii_case("secure") {
                flags.secure = true;
            } else if key.eq_ignore_ascii_case("httponly") {
                flags.http_only = true;
            } else if key.eq_ignore_ascii_case("samesite") {
                flags.same_site = Some(arg.to_owned());
            }
        }
        flags
    }

    /// Whether JavaScript must be able to read this cookie by design: Django's
    /// CSRF cookie, which a frontend sends back as `X-CSRFToken`.
    pub fn readable_by_design(&self) -> bool {
        self.name == "csrftoken"
    }

    /// The flags this cookie lacks, by name.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if !self.secure {
            missing.push("Secure");
        }
        if !self.http_only && !self.readable_by_design() {
            missing.push("HttpOnly");
        }
        if self.same_site.as_deref().is_none_or(str::is_empty) {
            missing.push("SameSite");
        }
        missing
    }
}

/// The policy a browser applies from a `Referrer-Policy` header: the last
/// value it recognises, in lowercase.
pub fn referrer_policy(value: &str) -> Option<String> {
    const KNOWN: [&str; 8] = [
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    ];
    value
        .split(',')
        .map(|token| token.trim().to_ascii_lowercase())
        .rfind(|token| KNOWN.contains(&token.as_str()))
}

/// Whether a referrer policy sends full URLs or origins to other sites over
/// any connection (Mozilla Observatory's "unsafe" set).
pub fn referrer_policy_is_unsafe(policy: &str) -> bool {
    matches!(policy, "origin" | "origin-when-cross-origin" | "unsafe-url")
}

/// The `frame-ancestors` directive of a Content-Security-Policy, if any.
pub fn frame_ancestors(csp: &str) -> Option<String> {
    csp.split(';').map(str::trim).find_map(|directive| {
        let (name, rest) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        name.eq_ignore_ascii_case("frame-ancestors")
            .then(|| rest.trim().to_owned())
    })
}

/// Whether `X-XSS-Protection` turns the old XSS auditor on (`1`, `1; mode=block`),
/// which Mozilla Observatory counts against a site: the auditor could be
/// abused to leak data, and browsers removed it.
pub fn xss_auditor_enabled(value: &str) -> bool {
    value.trim().starts_with('1')
}

/// What a `Server` or `X-Powered-By` value gives away, if anything.
pub fn server_disclosure(value: &str) -> Option<String> {
    const DEV_SERVERS: [&str; 2] = ["werkzeug", "wsgiserver"];
    const APP_SERVERS: [&str; 7] = [
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "daphne",
        "waitress",
        "granian",
        "tornadoserver",
    ];
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let version = if has_version(value) {
        ", and reveals its version"
    } else {
        ""
    };
    if DEV_SERVERS.iter().any(|s| lower.starts_with(s)) {
        return Some(format!(
            "`{value}` is a development server, not meant for production{version}"
        ));
    }
    if APP_SERVERS.iter().any(|s| lower.starts_with(s)) {
        return Some(format!(
            "`{value}` names the app server, which answers directly{version}"
        ));
    }
    (!version.is_empty()).then(|| format!("`{value}` reveals a version"))
}

/// Whether a product string carries a version: `nginx/1.22.1`, `Apache 2.4`.
fn has_version(value: &str) -> bool {
    let is_version = |word: &str| {
        word.starts_with(|c: char| c.is_ascii_digit())
            && word.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    // `nginx/1.22.1`, `gunicorn/23`; not a build hash such as `Fly/5d9a3b1a`.
    let after_slash = value
        .split('/')
        .skip(1)
        .filter_map(|part| part.split_whitespace().next())
        .any(is_version);
    let bare_number = value
        .split_whitespace()
        .any(|word| word.contains('.') && is_version(word.trim_matches(['(', ')'])));
    after_slash || bare_number
}

/// Text that only a debug page or a traceback shows, with what it reveals.
const DEBUG_MARKERS: [(&str, &str); 10] = [
    ("Using the URLconf defined in", "Django's debug 404 page"),
    (
        "Invalid HTTP_HOST header",
        "Django's DisallowedHost debug page",
    ),
    ("Django Version:", "Django's technical error page"),
    ("DEBUG = True", "a page that says DEBUG = True"),
    ("Traceback (most recent call last)", "a Python traceback"),
    (
        "The debugger caught an exception in your WSGI application",
        "the Werkzeug debugger",
    ),
    ("__debugger__", "the Werkzeug debugger"),
    (
        "class=\"traceback-container\"",
        "Starlette's debug traceback",
    ),
    ("class=\"traceback-title\"", "Starlette's debug traceback"),
    ("/site-packages/", "server file paths"),
];

/// The first sign of debug output in a body: what it is and the text that shows it.
pub fn debug_leak(body: &str) -> Option<(&'static str, String)> {
    for (needle, what) in DEBUG_MARKERS {
        if body.contains(needle) {
            return Some((what, needle.replace("class=", "")));
        }
    }
    stack_frame(body).map(|frame| ("a stack trace with server file paths", frame))
}

/// A Python stack frame line (`File "/app/views.py", line 12`), if the body has one.
fn stack_frame(body: &str) -> Option<String> {
    body.lines().find_map(|line| {
        let start = line.find("File \"")?;
        let rest = &line[start..];
        let end = rest.find("\", line ")?;
        let after = &rest[end + "\", line ".len()..];
        after
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| rest[..=end].to_owned())
    })
}

/// Status values a health endpoint uses to say it is not well.
const UNHEALTHY: [&str; 9] = [
    "error",
    "unhealthy",
    "fail",
    "failed",
    "failure",
    "failing",
    "down",
    "critical",
    "not ok",
];

/// What a JSON health body says is wrong, if anything: every `status` (at any
/// depth) with an unhealthy value, and `"healthy": false`.
pub fn unhealthy_parts(body: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_unhealthy(body, "", &mut found);
    found
}

fn collect_unhealthy(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let bad_status = key.eq_ignore_ascii_case("status")
                    && child.as_str().is_some_and(|s| {
                        UNHEALTHY.contains(&s.trim().to_ascii_lowercase().as_str())
                    });
                let not_healthy = key.eq_ignore_ascii_case("healthy") && *child == false;
                if bad_status || not_healthy {
                    found.push(format!("{here}: {child}"));
                } else {
                    collect_unhealthy(child, &here, found);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_unhealthy(child, &format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// The top-level `status` of a JSON health body, for the report.
pub fn health_status(body: &serde_json::Value) -> Option<String> {
    body.get("status").map(|s| match s {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_reads_max_age_and_flags() {
        let hsts = Hsts::parse("max-age=63072000; includeSubDomains; preload");
        assert_eq!(hsts.max_age, Some(63_072_000));
        assert!(hsts.include_subdomains && hsts.preload);
        let quoted = Hsts::parse("Max-Age=\"31536000\"");
        assert_eq!(quoted.max_age, Some(31_536_000));
        assert!(!quoted.include_subdomains);
        assert_eq!(Hsts::parse("includeSubDomains").max_age, None);
        assert_eq!(Hsts::parse("max-age=soon").max_age, None);
    }

    #[test]
    fn cookie_flags_never_keep_the_value() {
        let cookie = CookieFlags::parse("sessionid=s3cr3t; Path=/; secure; HttpOnly; SameSite=Lax");
        assert_eq!(cookie.name, "sessionid");
        assert!(cookie.secure && cookie.http_only);
        assert_eq!(cookie.same_site.as_deref(), Some("Lax"));
        assert!(cookie.missing().is_empty());
        assert!(!format!("{cookie:?}").contains("s3cr3t"));
    }

    #[test]
    fn cookie_missing_flags_are_named() {
        let cookie = CookieFlags::parse("sessionid=abc; Path=/");
        assert_eq!(cookie.missing(), ["Secure", "HttpOnly", "SameSite"]);
        // Django's CSRF cookie is readable by JavaScript on purpose.
        let csrf = CookieFlags::parse("csrftoken=abc; Secure; SameSite=Lax");
        assert!(csrf.missing().is_empty());
        let csrf_plain = CookieFlags::parse("csrftoken=abc");
        assert_eq!(csrf_plain.missing(), ["Secure", "SameSite"]);
    }

    #[test]
    fn referrer_policy_takes_the_last_known_value() {
        assert_eq!(
            referrer_policy("no-referrer, strict-origin-when-cross-origin").as_deref(),
            Some("strict-origin-when-cross-origin")
        );
        assert_eq!(
            referrer_policy("Same-Origin, bogus").as_deref(),
            Some("same-origin")
        );
        assert_eq!(referrer_policy("bogus"), None);
        assert!(referrer_policy_is_unsafe("unsafe-url"));
        assert!(!referrer_policy_is_unsafe("no-referrer-when-downgrade"));
    }

    #[test]
    fn csp_frame_ancestors_is_found() {
        assert_eq!(
            frame_ancestors("default-src 'none'; frame-ancestors 'none'").as_deref(),
            Some("'none'")
        );
        assert_eq!(frame_ancestors("default-src 'self'"), None);
    }

    #[test]
    fn xss_auditor() {
        assert!(xss_auditor_enabled("1; mode=block"));
        assert!(xss_auditor_enabled("1"));
        assert!(!xss_auditor_enabled("0"));
    }

    #[test]
    fn server_versions_and_app_servers_are_disclosures() {
        assert!(server_disclosure("nginx/1.22.1").is_some());
        assert!(server_disclosure("gunicorn/23.0.0").is_some());
        assert!(server_disclosure("Apache 2.4.57 (Debian)").is_some());
        assert_eq!(
            server_disclosure("WSGIServer/0.2 CPython/3.11.2").as_deref(),
            Some(
                "`WSGIServer/0.2 CPython/3.11.2` is a development server, not meant for \
                 production, and reveals its version"
            )
        );
        assert!(server_disclosure("Werkzeug").is_some_and(|d| d.contains("development server")));
        assert!(server_disclosure("uvicorn").is_some_and(|d| d.contains("app server")));
        assert_eq!(server_disclosure("nginx"), None);
        assert_eq!(server_disclosure("cloudflare"), None);
        assert_eq!(server_disclosure("Fly/5d9a3b1a (2026-01-01)"), None);
    }

    #[test]
    fn debug_pages_are_recognised() {
        let django = "<p>Using the URLconf defined in <code>config.urls</code>, Django tried…</p>\
                      <p>You’re seeing this error because you have <code>DEBUG = True</code></p>";
        assert_eq!(
            debug_leak(django).map(|d| d.0),
            Some("Django's debug 404 page")
        );
        let frame = "  File \"/srv/app/views.py\", line 12, in index\n    raise ValueError";
        assert_eq!(
            debug_leak(frame),
            Some((
                "a stack trace with server file paths",
                "File \"/srv/app/views.py\"".to_owned()
            ))
        );
        assert_eq!(debug_leak("<h1>Not Found</h1>"), None);
        assert_eq!(debug_leak("{\"detail\":\"Not Found\"}"), None);
    }

    #[test]
    fn unhealthy_health_bodies() {
        let body: serde_json::Value =
            serde_json::from_str(r#"{"status": "ok", "checks": {"database": {"status": "down"}}}"#)
                .unwrap();
        assert_eq!(unhealthy_parts(&body), ["checks.database.status: \"down\""]);
        let body: serde_json::Value = serde_json::from_str(r#"{"status": "Unhealthy"}"#).unwrap();
        assert_eq!(unhealthy_parts(&body).len(), 1);
        let body: serde_json::Value = serde_json::from_str(r#"{"healthy": false}"#).unwrap();
        assert_eq!(unhealthy_parts(&body).len(), 1);
        let body: serde_json::Value =
            serde_json::from_str(r#"{"status": "healthy", "version": "1.0.0"}"#).unwrap();
        assert!(unhealthy_parts(&body).is_empty());
        assert_eq!(health_status(&body).as_deref(), Some("healthy"));
    }
}

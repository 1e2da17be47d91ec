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
    /// Whether the value holds a comma: two policies joined into one line
    /// (`max-age=…; includeSubDomains, max-age=…`), which the header's
    /// grammar (RFC 6797 §6.1) does not allow and browsers ignore.
    pub joined: bool,
    /// A directive given twice (`max-age` twice), which RFC 6797 §6.1
    /// forbids: browsers ignore such a header.
    pub repeated: Option<String>,
}

impl Hsts {
    /// Parses a header value such as `max-age=63072000; includeSubDomains; preload`.
    pub fn parse(value: &str) -> Self {
        let mut hsts = Self {
            joined: unquoted(value).contains(','),
            ..Self::default()
        };
        let mut seen: Vec<String> = Vec::new();
        for directive in value.split(';').map(str::trim) {
            let (name, arg) = directive
                .split_once('=')
                .map_or((directive, None), |(n, a)| (n.trim(), Some(a.trim())));
            let lower = name.to_ascii_lowercase();
            if !lower.is_empty() && seen.contains(&lower) && hsts.repeated.is_none() {
                hsts.repeated = Some(name.to_owned());
            }
            seen.push(lower);
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

/// `value` without its double-quoted parts, so a comma inside quotes does not count.
fn unquoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut quoted = false;
    for c in value.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
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

    /// Whether JavaScript must be able to read this cookie by design: an
    /// anti-CSRF cookie (Django's `csrftoken`, Angular's `XSRF-TOKEN`), which
    /// a frontend sends back in a header.
    pub fn readable_by_design(&self) -> bool {
        let lower = self.name.to_ascii_lowercase();
        lower.contains("csrf") || lower.contains("xsrf")
    }

    /// Whether the name says the cookie holds a session or a credential:
    /// `sessionid` (Django), `session` (Flask), `remember_token`
    /// (Flask-Login), `connect.sid`, `access_token`, `jwt`, `auth`, `login`.
    /// Stealing such a cookie is stealing the login, so it needs HttpOnly.
    pub fn is_session(&self) -> bool {
        const WORDS: [&str; 6] = ["sess", "auth", "token", "jwt", "login", "remember"];
        if self.readable_by_design() {
            return false;
        }
        let lower = self.name.to_ascii_lowercase();
        WORDS.iter().any(|w| lower.contains(w))
            || lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|part| part == "sid")
    }

    /// The SameSite value when it is one browsers know (`Strict`, `Lax`,
    /// `None`), in that spelling; an unknown one (`True`) counts as unset.
    pub fn same_site_value(&self) -> Option<&'static str> {
        let value = self.same_site.as_deref()?.trim().trim_matches('"');
        ["Strict", "Lax", "None"]
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(value))
    }

    /// What is wrong with the cookie, each with the reason: a failure of
    /// `live-cookie-flags`.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.secure {
            problems.push("lacks Secure (it would travel over plain HTTP)".to_owned());
        }
        if !self.http_only && self.is_session() {
            problems.push(
                "lacks HttpOnly, and its name says it holds a session or credential, which any \
                 injected script could then read"
                    .to_owned(),
            );
        }
        match (self.same_site.as_deref().map(str::trim), self.same_site_value()) {
            (None | Some(""), _) => problems.push("lacks SameSite".to_owned()),
            (Some(raw), None) => problems.push(format!(
                "has SameSite={raw}, which is not Strict, Lax or None, so browsers treat it as \
                 unset"
            )),
            (_, Some("None")) if !self.secure => problems.push(
                "has SameSite=None without Secure, which browsers reject (the cookie is not stored)"
                    .to_owned(),
            ),
            _ => {}
        }
        problems
    }

    /// Advice that does not fail the check: a cookie that is no session and
    /// not read by design, without HttpOnly.
    pub fn advice(&self) -> Option<String> {
        (!self.http_only && !self.is_session() && !self.readable_by_design()).then(|| {
            format!(
                "{} has no HttpOnly; add it unless the frontend reads it (its name says no \
                 session, so this is advice)",
                self.name
            )
        })
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

/// Why a referrer policy is unsafe, if it is: it sends full URLs (or origins)
/// to other sites (Mozilla Observatory's "unsafe" set).
pub fn referrer_policy_risk(policy: &str) -> Option<&'static str> {
    match policy {
        "unsafe-url" => Some("sends the full URL, query included, to every site"),
        "no-referrer-when-downgrade" => {
            Some("sends the full URL, query included, to every HTTPS site")
        }
        "origin-when-cross-origin" => Some("sends the origin to other sites, over plain HTTP too"),
        "origin" => Some("sends the origin to every site, over plain HTTP too"),
        _ => None,
    }
}

/// The `frame-ancestors` directive of a Content-Security-Policy, if any.
pub fn frame_ancestors(csp: &str) -> Option<String> {
    csp_policies(csp)
        .into_iter()
        .find_map(|policy| policy.get("frame-ancestors").map(|s| s.join(" ")))
}

/// Sources that allow any host (or any host of a scheme): in `frame-ancestors`
/// they let any site frame the page; in `script-src` they allow any script.
pub const BROAD_SOURCES: [&str; 8] = [
    "*",
    "http:",
    "https:",
    "ftp:",
    "http://*",
    "https://*",
    "http://*.*",
    "https://*.*",
];

/// Whether a CSP source allows any host.
pub fn is_broad_source(source: &str) -> bool {
    BROAD_SOURCES.iter().any(|b| b.eq_ignore_ascii_case(source))
}

/// One CSP policy: directive names in lowercase, each with its sources.
pub type CspPolicy = std::collections::BTreeMap<String, Vec<String>>;

/// The policies of a `Content-Security-Policy` value: a comma separates
/// policies (several headers arrive joined by commas too); within one, the
/// first of a repeated directive counts, as in browsers.
pub fn csp_policies(value: &str) -> Vec<CspPolicy> {
    value
        .split(',')
        .map(|policy| {
            let mut map = CspPolicy::new();
            for directive in policy.split(';') {
                let mut words = directive.split_ascii_whitespace();
                let Some(name) = words.next() else { continue };
                map.entry(name.to_ascii_lowercase())
                    .or_insert_with(|| words.map(str::to_owned).collect());
            }
            map
        })
        .filter(|map| !map.is_empty())
        .collect()
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
        assert_eq!(cookie.same_site_value(), Some("Lax"));
        assert!(cookie.problems().is_empty());
        assert!(!format!("{cookie:?}").contains("s3cr3t"));
    }

    #[test]
    fn session_cookies_are_known_by_name() {
        for name in [
            "sessionid",
            "session",
            "PHPSESSID",
            "connect.sid",
            "remember_token",
            "jwt",
            "auth",
            "access_token",
            "login_state",
        ] {
            assert!(
                CookieFlags::parse(&format!("{name}=v")).is_session(),
                "{name}"
            );
        }
        for name in ["csrftoken", "XSRF-TOKEN", "theme", "inside", "lang"] {
            assert!(
                !CookieFlags::parse(&format!("{name}=v")).is_session(),
                "{name}"
            );
        }
        let csrf = CookieFlags::parse("csrftoken=abc; Secure; SameSite=Lax");
        assert!(csrf.problems().is_empty() && csrf.advice().is_none());
        assert_eq!(
            CookieFlags::parse("sessionid=abc").problems().len(),
            3,
            "Secure, HttpOnly and SameSite"
        );
    }

    #[test]
    fn hsts_comma_and_repeats() {
        assert!(Hsts::parse("max-age=1; includeSubDomains, max-age=1").joined);
        assert!(!Hsts::parse("max-age=\"1,0\"").joined);
        assert_eq!(
            Hsts::parse("max-age=1; MAX-AGE=2").repeated.as_deref(),
            Some("MAX-AGE")
        );
        assert_eq!(Hsts::parse("max-age=1; includeSubDomains").repeated, None);
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
        assert!(referrer_policy_risk("unsafe-url").is_some());
        assert!(referrer_policy_risk("no-referrer-when-downgrade").is_some());
        assert!(referrer_policy_risk("strict-origin-when-cross-origin").is_none());
    }

    #[test]
    fn csp_frame_ancestors_is_found() {
        assert_eq!(
            frame_ancestors("default-src 'none'; frame-ancestors 'none'").as_deref(),
            Some("'none'")
        );
        assert_eq!(frame_ancestors("default-src 'self'"), None);
        assert_eq!(frame_ancestors("frame-ancestors *").as_deref(), Some("*"));
        assert!(is_broad_source("HTTPS:") && !is_broad_source("'self'"));
        let policies = csp_policies("default-src 'none'; default-src *, script-src 'self'");
        assert_eq!(policies.len(), 2);
        assert_eq!(policies[0]["default-src"], ["'none'"]);
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

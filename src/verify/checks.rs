//! The judgement of each live check, from the replies `verify` collected.
//!
//! Every function here is pure: replies in, a [`Verdict`] out. The probing
//! (which requests, in which order) lives in `verify.rs`.

use super::http::{Failure, FailureKind, Reply};
use super::parse::{self, CookieFlags, Hsts};

/// The origin the CORS probe pretends to come from.
pub const EVIL_ORIGIN: &str = "https://evil.example";

/// HSTS max-age the Observatory asks for: 180 days.
pub const HSTS_MIN_AGE: u64 = 15_552_000;

/// HSTS max-age the preload list asks for: one year.
const HSTS_PRELOAD_AGE: u64 = 31_536_000;

/// What one check decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `None` when the check was not run.
    pub ok: Option<bool>,
    pub detail: String,
}

impl Verdict {
    /// A pass.
    pub fn pass(detail: impl Into<String>) -> Self {
        Self {
            ok: Some(true),
            detail: detail.into(),
        }
    }

    /// A failure.
    pub fn fail(detail: impl Into<String>) -> Self {
        Self {
            ok: Some(false),
            detail: detail.into(),
        }
    }

    /// A check that was not run, and why.
    pub fn not_run(detail: impl Into<String>) -> Self {
        Self {
            ok: None,
            detail: detail.into(),
        }
    }
}

/// One request's outcome with a short label (`GET /health`).
pub type Probe = (String, Result<Reply, Failure>);

/// Whether `location` points at HTTPS on `host` (any port).
pub fn is_https_on(location: &str, host: &str) -> bool {
    location_host(location, "https://").is_some_and(|h| same_host(&h, host))
}

/// The host of an absolute `scheme://host[:port]/…` location.
fn location_host(location: &str, scheme: &str) -> Option<String> {
    let rest = location
        .get(..scheme.len())
        .filter(|s| s.eq_ignore_ascii_case(scheme))
        .map(|_| &location[scheme.len()..])?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or(authority)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    Some(host.to_owned())
}

/// Host names compare without case and without a trailing dot.
fn same_host(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// `live-https-redirect`: plain HTTP answers a permanent redirect to HTTPS on the same host.
pub fn https_redirect(http_url: &str, http: &Result<Reply, Failure>, host: &str) -> Verdict {
    let reply = match http {
        Ok(reply) => reply,
        Err(failure) => {
            return Verdict::pass(format!(
                "nothing answers plain HTTP at {http_url} ({failure}), so nothing is served \
                 unencrypted; a 301 to https:// would still help visitors who type the bare domain"
            ));
        }
    };
    if !reply.is_redirect() {
        return Verdict::fail(format!(
            "{http_url} answers {} over plain HTTP instead of redirecting to https://",
            reply.status
        ));
    }
    let Some(location) = reply.header("location") else {
        return Verdict::fail(format!(
            "{http_url} answers {} without a Location header",
            reply.status
        ));
    };
    let hop = format!("{http_url} → {} {location}", reply.status);
    if !is_https_on(location, host) {
        return match location_host(location, "https://") {
            Some(other) => Verdict::fail(format!(
                "{hop}: the first redirect goes to another host ({other}); redirect to \
                 https://{host} first so HSTS covers it"
            )),
            None => Verdict::fail(format!("{hop}: the redirect does not go to https://")),
        };
    }
    match reply.status {
        301 | 308 => Verdict::pass(hop),
        _ => Verdict::pass(format!(
            "{hop}: a temporary redirect, which browsers and search engines do not remember; \
             301 or 308 is better"
        )),
    }
}

/// `live-hsts`: the HTTPS response sends HSTS for at least 180 days.
/// `https` is the HTTPS reply, or why there is none.
pub fn hsts(https: Result<&Reply, &str>) -> Verdict {
    let reply = match https {
        Ok(reply) => reply,
        Err(why) => {
            return Verdict::fail(format!(
                "no HTTPS response to read it from ({why}); browsers ignore HSTS over plain HTTP"
            ));
        }
    };
    let mut values = reply.all("strict-transport-security");
    let Some(value) = values.next() else {
        return Verdict::fail("no Strict-Transport-Security header on the HTTPS response");
    };
    let twice = if values.next().is_some() {
        "; sent more than once (browsers use only the first)"
    } else {
        ""
    };
    let parsed = Hsts::parse(value);
    let Some(max_age) = parsed.max_age else {
        return Verdict::fail(format!(
            "Strict-Transport-Security has no valid max-age: `{value}`{twice}"
        ));
    };
    if max_age < HSTS_MIN_AGE {
        let what = if max_age == 0 {
            "max-age=0 switches HSTS off".to_owned()
        } else {
            format!("max-age={max_age} is below {HSTS_MIN_AGE} (180 days)")
        };
        return Verdict::fail(format!("{what}{twice}"));
    }
    let mut detail = format!("max-age={max_age}");
    if parsed.include_subdomains {
        detail.push_str("; includeSubDomains");
    }
    if parsed.preload {
        detail.push_str("; preload");
        if !parsed.include_subdomains || max_age < HSTS_PRELOAD_AGE {
            detail.push_str(
                " (the preload list also needs includeSubDomains and max-age ≥ 31536000)",
            );
        }
    }
    detail.push_str(twice);
    Verdict::pass(detail)
}

/// `live-security-headers`: nosniff, framing protection, a Referrer-Policy,
/// and no XSS auditor.
pub fn security_headers(reply: &Reply) -> Verdict {
    let mut good = Vec::new();
    let mut missing = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();

    match reply.header("x-content-type-options") {
        Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => good.push("nosniff".to_owned()),
        Some(v) => problems.push(format!("X-Content-Type-Options is `{v}`, not nosniff")),
        None => missing.push("X-Content-Type-Options: nosniff"),
    }

    let frame_ancestors = reply
        .all("content-security-policy")
        .find_map(parse::frame_ancestors);
    match (reply.header("x-frame-options"), frame_ancestors) {
        (_, Some(ancestors)) => good.push(format!("CSP frame-ancestors {ancestors}")),
        (Some(v), None)
            if v.trim().eq_ignore_ascii_case("deny")
                || v.trim().eq_ignore_ascii_case("sameorigin") =>
        {
            good.push(format!("X-Frame-Options {}", v.trim().to_ascii_uppercase()));
        }
        (Some(v), None) => problems.push(format!(
            "X-Frame-Options `{v}` is not DENY or SAMEORIGIN (browsers ignore ALLOW-FROM)"
        )),
        (None, None) => missing.push("X-Frame-Options (or CSP frame-ancestors)"),
    }

    // Browsers read every Referrer-Policy header as one list; the last known value wins
    // (an app's header and a proxy's added one both count).
    let referrer: Vec<&str> = reply.all("referrer-policy").collect();
    let referrer = (!referrer.is_empty()).then(|| referrer.join(", "));
    match referrer.as_deref().map(|v| (v, parse::referrer_policy(v))) {
        Some((_, Some(policy))) if parse::referrer_policy_is_unsafe(&policy) => problems.push(
            format!("Referrer-Policy {policy} sends your URLs to other sites"),
        ),
        Some((_, Some(policy))) => {
            if policy == "no-referrer-when-downgrade" {
                notes.push(
                    "no-referrer-when-downgrade sends full URLs to other HTTPS sites; \
                     strict-origin-when-cross-origin is safer"
                        .to_owned(),
                );
            }
            good.push(format!("Referrer-Policy {policy}"));
        }
        Some((v, None)) => problems.push(format!("Referrer-Policy `{v}` is not a known policy")),
        None => missing.push("Referrer-Policy"),
    }

    if let Some(v) = reply
        .header("x-xss-protection")
        .filter(|v| parse::xss_auditor_enabled(v))
    {
        problems.push(format!(
            "X-XSS-Protection `{v}` is harmful (the old XSS auditor could leak data); remove it \
             or send 0"
        ));
    }

    if missing.is_empty() && problems.is_empty() {
        let mut detail = good.join(", ");
        for note in notes {
            detail.push_str("; ");
            detail.push_str(&note);
        }
        return Verdict::pass(detail);
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    parts.extend(problems);
    Verdict::fail(parts.join("; "))
}

/// `live-cors-restricted`: no reply grants the foreign origin, and none
/// pairs `*` with credentials.
pub fn cors(probes: &[Probe]) -> Verdict {
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    let mut answered = Vec::new();
    for (label, outcome) in probes {
        let Ok(reply) = outcome else { continue };
        answered.push(label.as_str());
        let Some(allow) = reply.header("access-control-allow-origin").map(str::trim) else {
            continue;
        };
        let credentials = reply
            .header("access-control-allow-credentials")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let with_credentials = if credentials {
            " with Access-Control-Allow-Credentials: true"
        } else {
            ""
        };
        if allow.eq_ignore_ascii_case(EVIL_ORIGIN) {
            failures.push(format!(
                "{label} echoes Access-Control-Allow-Origin: {allow}{with_credentials}"
            ));
        } else if allow == "*" && credentials {
            failures.push(format!(
                "{label} sends Access-Control-Allow-Origin: *{with_credentials}"
            ));
        } else if allow == "*" {
            notes.push(format!(
                "{label} allows any origin (*) without credentials: fine for a public API that \
                 uses no cookies"
            ));
        } else if allow.eq_ignore_ascii_case("null") {
            failures.push(format!(
                "{label} allows the `null` origin{with_credentials}, which sandboxed pages and \
                 local files send"
            ));
        } else {
            notes.push(format!("{label} allows only {allow}"));
        }
    }
    if !failures.is_empty() {
        return Verdict::fail(failures.join("; "));
    }
    if answered.is_empty() {
        return Verdict::fail("no CORS probe got an answer");
    }
    notes.dedup();
    if notes.is_empty() {
        Verdict::pass(format!(
            "no Access-Control-Allow-Origin for Origin: {EVIL_ORIGIN} ({})",
            answered.join(", ")
        ))
    } else {
        Verdict::pass(notes.join("; "))
    }
}

/// `live-auth-enforced`: the protected path refuses a missing and an invalid token.
/// `probes` are the request without credentials and the one with a forged token.
pub fn auth(path: Option<&str>, probes: &[Probe]) -> Verdict {
    if path.is_none() {
        return Verdict::not_run("not run: pass --protected PATH, a path that must require auth");
    }
    let mut failures = Vec::new();
    let mut passes = Vec::new();
    for (label, outcome) in probes {
        match outcome {
            Err(failure) => failures.push(format!("{label}: no answer ({failure})")),
            Ok(reply) => match reply.status {
                401 | 403 => passes.push(format!("{label} → {}", reply.status)),
                300..=399 => passes.push(format!(
                    "{label} → {} to {} (a login page?)",
                    reply.status,
                    reply.header("location").unwrap_or("nowhere")
                )),
                200..=299 => failures.push(format!(
                    "{label} → {}: served without valid credentials",
                    reply.status
                )),
                404 => failures.push(format!(
                    "{label} → 404: the path does not exist, so nothing is proved; check --protected"
                )),
                status => failures.push(format!(
                    "{label} → {status}, not 401 or 403"
                )),
            },
        }
    }
    if failures.is_empty() {
        Verdict::pass(passes.join("; "))
    } else {
        Verdict::fail(failures.join("; "))
    }
}

/// `live-health-ok`: the health endpoint answers 200 and, for JSON, healthy.
/// `probes` are the paths tried, in order; `explicit` when the user named the path.
pub fn health(probes: &[Probe], explicit: bool) -> Verdict {
    if let Some((label, Ok(reply))) = probes
        .iter()
        .find(|(_, outcome)| outcome.as_ref().is_ok_and(|r| r.status == 200))
    {
        return healthy_body(label, reply);
    }
    let tried: Vec<String> = probes
        .iter()
        .map(|(label, outcome)| match outcome {
            Ok(reply) if reply.is_redirect() => format!(
                "{label} → {} to {}",
                reply.status,
                reply.header("location").unwrap_or("nowhere")
            ),
            Ok(reply) => format!("{label} → {}", reply.status),
            Err(failure) => format!("{label}: {failure}"),
        })
        .collect();
    let hint = if explicit {
        ""
    } else {
        "; pass --health PATH if the endpoint lives elsewhere"
    };
    Verdict::fail(format!("no 200: {}{hint}", tried.join(", ")))
}

/// Judges a 200 health reply by its body.
fn healthy_body(label: &str, reply: &Reply) -> Verdict {
    let json = reply
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"))
        || reply.body.trim_start().starts_with('{');
    let parsed = json
        .then(|| serde_json::from_str::<serde_json::Value>(&reply.body).ok())
        .flatten();
    let Some(body) = parsed else {
        return Verdict::pass(format!("{label} → 200"));
    };
    let unhealthy = parse::unhealthy_parts(&body);
    if !unhealthy.is_empty() {
        return Verdict::fail(format!(
            "{label} → 200 but reports {}",
            unhealthy.join(", ")
        ));
    }
    match parse::health_status(&body) {
        Some(status) => Verdict::pass(format!("{label} → 200, status {status}")),
        None => Verdict::pass(format!("{label} → 200")),
    }
}

/// `live-no-debug-leak`: error pages show no traceback or debug page.
pub fn debug_leak(probes: &[Probe]) -> Verdict {
    let mut leaks = Vec::new();
    let mut fine = Vec::new();
    for (label, outcome) in probes {
        match outcome {
            Ok(reply) => match parse::debug_leak(&reply.body) {
                Some((what, marker)) => leaks.push(format!(
                    "{label} → {} shows {what} (\"{marker}\")",
                    reply.status
                )),
                None => fine.push(format!("{label} → {}", reply.status)),
            },
            Err(failure) => fine.push(format!("{label}: no answer ({failure})")),
        }
    }
    if leaks.is_empty() {
        Verdict::pass(format!("no debug output: {}", fine.join(", ")))
    } else {
        Verdict::fail(leaks.join("; "))
    }
}

/// `live-cookie-flags`: every cookie seen has Secure, HttpOnly and SameSite
/// (Django's `csrftoken` needs no HttpOnly). `seen` pairs a label with each reply.
pub fn cookie_flags(seen: &[(&str, &Reply)]) -> Verdict {
    let mut names = Vec::new();
    let mut failures = Vec::new();
    let mut csrf_note = false;
    for (label, reply) in seen {
        for header in reply.all("set-cookie") {
            let cookie = CookieFlags::parse(header);
            let missing = cookie.missing();
            if cookie.readable_by_design() && !cookie.http_only {
                csrf_note = true;
            }
            if !missing.is_empty() {
                let failure = format!(
                    "{} (from {label}) lacks {}",
                    cookie.name,
                    missing.join(", ")
                );
                if !failures.contains(&failure) {
                    failures.push(failure);
                }
            }
            if !names.contains(&cookie.name) {
                names.push(cookie.name);
            }
        }
    }
    let note = if csrf_note {
        "; csrftoken has no HttpOnly by design (a frontend reads it to send X-CSRFToken)"
    } else {
        ""
    };
    if !failures.is_empty() {
        return Verdict::fail(format!("{}{note}", failures.join("; ")));
    }
    if names.is_empty() {
        return Verdict::pass(
            "no cookies on the responses seen (cookies set after login were not checked)",
        );
    }
    Verdict::pass(format!(
        "{} set with Secure, HttpOnly and SameSite{note}",
        names.join(", ")
    ))
}

/// `live-no-server-tokens`: no version in `Server`, no `X-Powered-By`.
pub fn server_tokens(replies: &[&Reply]) -> Verdict {
    let mut problems: Vec<String> = Vec::new();
    let mut servers = Vec::new();
    for reply in replies {
        for server in reply.all("server") {
            if let Some(problem) = parse::server_disclosure(server) {
                let problem = format!("Server {problem}");
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            } else if !servers.contains(&server) {
                servers.push(server);
            }
        }
        for powered in reply.all("x-powered-by") {
            let problem = format!("X-Powered-By: {powered} names the stack");
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
    }
    if !problems.is_empty() {
        return Verdict::fail(problems.join("; "));
    }
    if servers.is_empty() {
        Verdict::pass("no Server or X-Powered-By header")
    } else {
        Verdict::pass(format!("Server: {} (no version)", servers.join(", ")))
    }
}

/// Why there is no HTTPS reply, for the detail of the checks that need one.
pub fn no_https_reason(url: &str, failure: &Failure) -> String {
    match failure.kind {
        FailureKind::Refused => format!("{url}: connection refused"),
        _ => format!("{url}: {failure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, headers: &[(&str, &str)]) -> Reply {
        Reply {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
                .collect(),
            body: String::new(),
        }
    }

    fn probe(label: &str, r: Reply) -> Probe {
        (label.to_owned(), Ok(r))
    }

    #[test]
    fn redirect_permanent_temporary_and_missing() {
        let host = "api.example.com";
        let url = "http://api.example.com/";
        let ok = https_redirect(
            url,
            &Ok(reply(301, &[("Location", "https://api.example.com/")])),
            host,
        );
        assert_eq!(ok.ok, Some(true), "{ok:?}");
        let temporary = https_redirect(
            url,
            &Ok(reply(302, &[("Location", "https://API.example.com./x")])),
            host,
        );
        assert_eq!(temporary.ok, Some(true));
        assert!(temporary.detail.contains("temporary"), "{temporary:?}");
        let other_host = https_redirect(
            url,
            &Ok(reply(301, &[("Location", "https://www.example.com/")])),
            host,
        );
        assert_eq!(other_host.ok, Some(false));
        assert!(other_host.detail.contains("another host"));
        let plain = https_redirect(url, &Ok(reply(200, &[])), host);
        assert_eq!(plain.ok, Some(false));
        assert!(plain.detail.contains("answers 200"));
        let relative = https_redirect(url, &Ok(reply(301, &[("Location", "/login")])), host);
        assert_eq!(relative.ok, Some(false));
        let closed = https_redirect(
            url,
            &Err(Failure::new(FailureKind::Refused, "connection refused")),
            host,
        );
        assert_eq!(closed.ok, Some(true));
    }

    #[test]
    fn location_hosts() {
        assert!(is_https_on("https://[::1]:8443/", "[::1]"));
        assert!(is_https_on("HTTPS://a.example:443", "a.example"));
        assert!(!is_https_on("http://a.example/", "a.example"));
        assert!(!is_https_on("https://a.example.evil.com/", "a.example"));
    }

    #[test]
    fn hsts_thresholds() {
        let good = hsts(Ok(&reply(
            200,
            &[(
                "Strict-Transport-Security",
                "max-age=63072000; includeSubDomains",
            )],
        )));
        assert_eq!(good.ok, Some(true));
        assert_eq!(good.detail, "max-age=63072000; includeSubDomains");
        let short = hsts(Ok(&reply(
            200,
            &[("Strict-Transport-Security", "max-age=300")],
        )));
        assert_eq!(short.ok, Some(false));
        assert!(short.detail.contains("below 15552000"));
        let off = hsts(Ok(&reply(
            200,
            &[("Strict-Transport-Security", "max-age=0")],
        )));
        assert!(off.detail.contains("switches HSTS off"));
        assert_eq!(hsts(Ok(&reply(200, &[]))).ok, Some(false));
        assert_eq!(hsts(Err("refused")).ok, Some(false));
        let preload = hsts(Ok(&reply(
            200,
            &[("Strict-Transport-Security", "max-age=15552000; preload")],
        )));
        assert_eq!(preload.ok, Some(true));
        assert!(preload.detail.contains("preload list also needs"));
    }

    #[test]
    fn security_headers_pass_and_fail() {
        let good = security_headers(&reply(
            200,
            &[
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "deny"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ],
        ));
        assert_eq!(good.ok, Some(true), "{good:?}");
        assert_eq!(
            good.detail,
            "nosniff, X-Frame-Options DENY, Referrer-Policy strict-origin-when-cross-origin"
        );
        let csp = security_headers(&reply(
            200,
            &[
                ("X-Content-Type-Options", "nosniff"),
                (
                    "Content-Security-Policy",
                    "default-src 'none'; frame-ancestors 'none'",
                ),
                ("Referrer-Policy", "no-referrer"),
            ],
        ));
        assert_eq!(csp.ok, Some(true), "{csp:?}");
        // The seed's nginx block: everything present, but the XSS auditor on.
        let seed = security_headers(&reply(
            200,
            &[
                ("X-Frame-Options", "SAMEORIGIN"),
                ("X-Content-Type-Options", "nosniff"),
                ("X-XSS-Protection", "1; mode=block"),
                ("Referrer-Policy", "no-referrer-when-downgrade"),
            ],
        ));
        assert_eq!(seed.ok, Some(false));
        assert!(seed.detail.contains("X-XSS-Protection"), "{seed:?}");
        let bare = security_headers(&reply(200, &[]));
        assert_eq!(bare.ok, Some(false));
        assert!(
            bare.detail
                .starts_with("missing X-Content-Type-Options: nosniff, X-Frame-Options")
        );
        // Django's header first, then the one nginx adds: the last one applies.
        let both = security_headers(&reply(
            200,
            &[
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "unsafe-url"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ],
        ));
        assert_eq!(both.ok, Some(true), "{both:?}");
        assert!(
            both.detail
                .contains("Referrer-Policy strict-origin-when-cross-origin")
        );
        let unsafe_policy = security_headers(&reply(
            200,
            &[
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "unsafe-url"),
            ],
        ));
        assert_eq!(unsafe_policy.ok, Some(false));
    }

    #[test]
    fn cors_echo_star_and_credentials() {
        let echo = cors(&[probe(
            "GET /",
            reply(
                200,
                &[
                    ("Access-Control-Allow-Origin", EVIL_ORIGIN),
                    ("Access-Control-Allow-Credentials", "true"),
                ],
            ),
        )]);
        assert_eq!(echo.ok, Some(false));
        assert!(echo.detail.contains("echoes") && echo.detail.contains("Credentials"));
        let star_creds = cors(&[probe(
            "OPTIONS /",
            reply(
                204,
                &[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Credentials", "true"),
                ],
            ),
        )]);
        assert_eq!(star_creds.ok, Some(false));
        let star = cors(&[probe(
            "GET /",
            reply(200, &[("Access-Control-Allow-Origin", "*")]),
        )]);
        assert_eq!(star.ok, Some(true));
        assert!(star.detail.contains("public API"));
        let named = cors(&[probe(
            "GET /",
            reply(
                200,
                &[("Access-Control-Allow-Origin", "https://app.example.com")],
            ),
        )]);
        assert_eq!(named.ok, Some(true));
        let none = cors(&[
            probe("GET /", reply(200, &[])),
            probe("OPTIONS /", reply(405, &[])),
        ]);
        assert_eq!(none.ok, Some(true));
        assert!(none.detail.contains("GET /, OPTIONS /"));
    }

    #[test]
    fn auth_statuses() {
        assert_eq!(auth(None, &[]).ok, None);
        let refused = auth(
            Some("/api"),
            &[
                probe("GET /api", reply(401, &[])),
                probe("GET /api (invalid token)", reply(403, &[])),
            ],
        );
        assert_eq!(refused.ok, Some(true));
        let login = auth(
            Some("/admin/"),
            &[probe(
                "GET /admin/",
                reply(302, &[("Location", "/admin/login/")]),
            )],
        );
        assert_eq!(login.ok, Some(true));
        assert!(login.detail.contains("login"));
        let open = auth(
            Some("/api"),
            &[
                probe("GET /api", reply(401, &[])),
                probe("GET /api (invalid token)", reply(200, &[])),
            ],
        );
        assert_eq!(open.ok, Some(false));
        assert!(open.detail.contains("invalid token) → 200"));
        let missing = auth(Some("/nope"), &[probe("GET /nope", reply(404, &[]))]);
        assert_eq!(missing.ok, Some(false));
    }

    #[test]
    fn health_discovery_and_bodies() {
        let mut healthy = reply(200, &[("Content-Type", "application/json")]);
        healthy.body = r#"{"status": "healthy", "version": "1.0.0"}"#.into();
        let found = health(
            &[
                probe("GET /health", reply(404, &[])),
                probe("GET /healthz", healthy),
            ],
            false,
        );
        assert_eq!(found.ok, Some(true));
        assert_eq!(found.detail, "GET /healthz → 200, status healthy");
        let mut sick = reply(200, &[]);
        sick.body = r#"{"status": "error", "database": "unreachable"}"#.into();
        let sick = health(&[probe("GET /health", sick)], true);
        assert_eq!(sick.ok, Some(false));
        assert!(sick.detail.contains("status: \"error\""));
        let slash = health(
            &[probe(
                "GET /health",
                reply(301, &[("Location", "/health/")]),
            )],
            false,
        );
        assert_eq!(slash.ok, Some(false));
        assert!(slash.detail.contains("301 to /health/") && slash.detail.contains("--health"));
        let plain = health(&[probe("GET /ping", reply(200, &[]))], true);
        assert_eq!(plain.ok, Some(true));
    }

    #[test]
    fn debug_pages_fail() {
        let mut page = reply(404, &[]);
        page.body = "Using the URLconf defined in <code>config.urls</code>".into();
        let leak = debug_leak(&[probe("GET /preflight-404-ab", page)]);
        assert_eq!(leak.ok, Some(false));
        assert!(leak.detail.contains("Django's debug 404 page"));
        let clean = debug_leak(&[probe("GET /preflight-404-ab", reply(404, &[]))]);
        assert_eq!(clean.ok, Some(true));
    }

    #[test]
    fn cookies_are_judged_without_values() {
        let r = reply(
            200,
            &[
                (
                    "Set-Cookie",
                    "sessionid=topsecret; Path=/; HttpOnly; SameSite=Lax",
                ),
                ("Set-Cookie", "csrftoken=abc; Secure; SameSite=Lax"),
            ],
        );
        let verdict = cookie_flags(&[("GET /", &r)]);
        assert_eq!(verdict.ok, Some(false));
        assert!(
            verdict
                .detail
                .contains("sessionid (from GET /) lacks Secure")
        );
        assert!(
            verdict
                .detail
                .contains("csrftoken has no HttpOnly by design")
        );
        assert!(!verdict.detail.contains("topsecret"));
        let good = reply(
            200,
            &[(
                "Set-Cookie",
                "sessionid=x; Secure; HttpOnly; SameSite=Strict",
            )],
        );
        assert_eq!(cookie_flags(&[("GET /", &good)]).ok, Some(true));
        assert_eq!(cookie_flags(&[("GET /", &reply(200, &[]))]).ok, Some(true));
    }

    #[test]
    fn server_tokens_judged() {
        let bad = reply(
            200,
            &[("Server", "nginx/1.22.1"), ("X-Powered-By", "Django")],
        );
        let verdict = server_tokens(&[&bad]);
        assert_eq!(verdict.ok, Some(false));
        assert!(verdict.detail.contains("nginx/1.22.1") && verdict.detail.contains("X-Powered-By"));
        let good = reply(200, &[("Server", "nginx")]);
        assert_eq!(
            server_tokens(&[&good, &good]).detail,
            "Server: nginx (no version)"
        );
    }
}

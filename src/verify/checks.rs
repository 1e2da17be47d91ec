//! The judgement of each live check, from the replies `verify` collected.
//!
//! Every function here is pure: replies in, a [`Verdict`] out. The probing
//! (which requests, in which order) lives in `verify.rs`.

use std::fmt::Write as _;

use super::cert::{self, CertInfo};
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

/// The most redirects `verify` follows from plain HTTP before it gives up.
pub const MAX_HOPS: usize = 10;

/// One request of a redirect chain: the URL and what it answered.
pub type Hop = (String, Result<Reply, Failure>);

/// `live-https-redirect`: plain HTTP answers a permanent redirect to HTTPS on
/// the same host, and no later hop of the chain goes back to plain HTTP.
/// `chain` starts with the plain-HTTP request; each next entry is the
/// Location of the one before.
pub fn https_redirect(chain: &[Hop], host: &str) -> Verdict {
    let Some((http_url, http)) = chain.first() else {
        return Verdict::not_run("no plain-HTTP request was sent");
    };
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
            None => Verdict::fail(format!(
                "{hop}: the first redirect does not go to https://, so the next request is \
                 sent unencrypted too"
            )),
        };
    }
    let mut route = hop;
    for window in chain.windows(2) {
        let (from, outcome) = &window[0];
        let (to, next) = &window[1];
        if to.to_ascii_lowercase().starts_with("http://") {
            let status = outcome.as_ref().map_or(0, |r| r.status);
            return Verdict::fail(format!(
                "{route}: then {from} → {status} {to}, back to plain HTTP, so the chain ends \
                 unencrypted (every redirect must stay on https://)"
            ));
        }
        match next {
            Err(failure) => {
                return Verdict::fail(format!("{route}: then {to} does not answer ({failure})"));
            }
            Ok(reply) if reply.is_redirect() => {
                if let Some(location) = reply.header("location") {
                    route = format!("{route} → {} {location}", reply.status);
                }
            }
            Ok(reply) => route = format!("{route} → {}", reply.status),
        }
    }
    if let Some((last, Ok(reply))) = chain.last()
        && reply.is_redirect()
    {
        let why = match reply.header("location") {
            Some(location) if !location.starts_with("http") && !location.starts_with('/') => {
                format!("{last} redirects to `{location}`, which verify does not follow")
            }
            Some(_) => format!("more than {MAX_HOPS} redirects (a loop?)"),
            None => format!("{last} answers {} without a Location header", reply.status),
        };
        return Verdict::fail(format!("{route}: {why}"));
    }
    match reply.status {
        301 | 308 => Verdict::pass(route),
        _ => Verdict::pass(format!(
            "{route}: the first redirect is temporary, which browsers and search engines do not \
             remember; 301 or 308 is better"
        )),
    }
}

/// Where a redirect's Location points, as an absolute URL, from the URL that sent it.
pub fn resolve_location(from: &str, location: &str) -> Option<String> {
    let location = location.trim();
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(location.to_owned());
    }
    let scheme_end = from.find("://")? + 3;
    let authority_end = from[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(from.len(), |i| scheme_end + i);
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{}{rest}", &from[..scheme_end]));
    }
    if location.starts_with('/') {
        return Some(format!("{}{location}", &from[..authority_end]));
    }
    None
}

/// `live-hsts`: the HTTPS response sends HSTS for at least 180 days.
/// `https` is the HTTPS reply, or why there is none; `invalid_cert` says why
/// the certificate does not verify, when `--insecure` let verify past it.
pub fn hsts(https: Result<&Reply, &str>, invalid_cert: Option<&str>) -> Verdict {
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
    if parsed.joined {
        return Verdict::fail(format!(
            "Strict-Transport-Security `{value}` holds two policies joined by a comma; the \
             header's grammar (RFC 6797 §6.1) has no lists, so browsers ignore it: send one \
             policy{twice}"
        ));
    }
    if let Some(directive) = &parsed.repeated {
        return Verdict::fail(format!(
            "Strict-Transport-Security `{value}` gives {directive} twice; RFC 6797 §6.1 allows \
             each directive once, so browsers ignore the header{twice}"
        ));
    }
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
    if let Some(why) = invalid_cert {
        let _ = write!(
            detail,
            "; but the certificate does not verify ({why}), and browsers ignore HSTS from a \
             host whose certificate has errors (RFC 6797 §8.1), so it takes effect only once \
             the certificate is valid"
        );
    }
    Verdict::pass(detail)
}

/// The Referrer-Policy headers joined as browsers read them, and the policy that applies.
fn referrer_policy_of(reply: &Reply) -> Option<(String, Option<String>)> {
    let values: Vec<&str> = reply.all("referrer-policy").collect();
    if values.is_empty() {
        return None;
    }
    let joined = values.join(", ");
    let policy = parse::referrer_policy(&joined);
    Some((joined, policy))
}

/// `live-security-headers`: nosniff, framing protection that no permissive
/// frame-ancestors undoes, no unsafe Referrer-Policy, and no XSS auditor.
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

    // frame-ancestors replaces X-Frame-Options where both are sent (CSP Level 2 §7.7.1),
    // so a permissive one makes the page framable whatever X-Frame-Options says.
    let frame_ancestors = reply
        .all("content-security-policy")
        .find_map(parse::frame_ancestors);
    let xfo = reply.header("x-frame-options").map(str::trim);
    match (xfo, frame_ancestors) {
        (_, Some(ancestors)) => {
            let broad: Vec<&str> = ancestors
                .split_ascii_whitespace()
                .filter(|s| parse::is_broad_source(s))
                .collect();
            if broad.is_empty() {
                good.push(format!("CSP frame-ancestors {ancestors}"));
            } else {
                let overrides = xfo.map_or(String::new(), |v| {
                    format!(", and it overrides X-Frame-Options {v}")
                });
                problems.push(format!(
                    "CSP frame-ancestors {ancestors} lets any site frame the page ({} allows \
                     every host){overrides}; use 'none' or 'self'",
                    broad.join(" ")
                ));
            }
        }
        (Some(v), None)
            if v.eq_ignore_ascii_case("deny") || v.eq_ignore_ascii_case("sameorigin") =>
        {
            good.push(format!("X-Frame-Options {}", v.to_ascii_uppercase()));
        }
        (Some(v), None) => problems.push(format!(
            "X-Frame-Options `{v}` is not DENY or SAMEORIGIN (browsers ignore ALLOW-FROM)"
        )),
        (None, None) => missing.push("X-Frame-Options (or CSP frame-ancestors)"),
    }

    // Browsers read every Referrer-Policy header as one list; the last known value wins
    // (an app's header and a proxy's added one both count). A missing one is no failure:
    // browsers default to strict-origin-when-cross-origin (the `referrer-policy` advice).
    match referrer_policy_of(reply) {
        Some((_, Some(policy))) => match parse::referrer_policy_risk(&policy) {
            Some(risk) => problems.push(format!(
                "Referrer-Policy {policy} {risk}; use strict-origin-when-cross-origin or \
                 no-referrer"
            )),
            None => good.push(format!("Referrer-Policy {policy}")),
        },
        Some((v, None)) => problems.push(format!(
            "Referrer-Policy `{v}` is not a known policy, so browsers use their default"
        )),
        None => notes.push(
            "no Referrer-Policy, so browsers use strict-origin-when-cross-origin (see the \
             referrer-policy advice)"
                .to_owned(),
        ),
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
        for note in &notes {
            detail.push_str("; ");
            detail.push_str(note);
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
            notes.push(format!(
                "{label} sends Access-Control-Allow-Origin: *{with_credentials}: a broken \
                 setup, not a leak; browsers refuse to share a credentialed response with `*` \
                 (Fetch standard), so nothing leaks, but a frontend that sends cookies gets a \
                 CORS error; name the allowed origins instead"
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

/// `live-cookie-flags`: every cookie seen has Secure and a valid SameSite,
/// and session or auth cookies have HttpOnly; other cookies without HttpOnly
/// are advice. `seen` pairs a label with each reply.
pub fn cookie_flags(seen: &[(&str, &Reply)]) -> Verdict {
    let mut names = Vec::new();
    let mut failures = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (label, reply) in seen {
        for header in reply.all("set-cookie") {
            let cookie = CookieFlags::parse(header);
            if cookie.name.is_empty() {
                continue;
            }
            let problems = cookie.problems();
            if !problems.is_empty() {
                let failure = format!("{} (from {label}) {}", cookie.name, problems.join(", "));
                if !failures.contains(&failure) {
                    failures.push(failure);
                }
            }
            let note = if cookie.readable_by_design() && !cookie.http_only {
                Some(format!(
                    "{} has no HttpOnly by design (a frontend reads it to send the CSRF header)",
                    cookie.name
                ))
            } else {
                cookie.advice()
            };
            if let Some(note) = note
                && !notes.contains(&note)
            {
                notes.push(note);
            }
            if !names.contains(&cookie.name) {
                names.push(cookie.name);
            }
        }
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
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
        "{} set with Secure and SameSite, session cookies with HttpOnly{note}",
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

/// `content-security-policy`, decided live: a policy is present; for a JSON
/// response it is `default-src 'none'` with `frame-ancestors 'none'`; for
/// anything else, scripts and objects are restricted without
/// `'unsafe-inline'`, `'unsafe-eval'` or wildcards.
pub fn content_security_policy(reply: &Reply) -> Verdict {
    let json = reply
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    let values: Vec<&str> = reply.all("content-security-policy").collect();
    if values.is_empty() {
        let report_only = if reply
            .header("content-security-policy-report-only")
            .is_some()
        {
            " (only Content-Security-Policy-Report-Only, which reports but blocks nothing)"
        } else {
            ""
        };
        let suggestion = if json {
            "; for a JSON API send `default-src 'none'; frame-ancestors 'none'`, which costs \
             nothing"
        } else {
            ""
        };
        return Verdict::fail(format!(
            "no Content-Security-Policy header{report_only}{suggestion}"
        ));
    }
    let joined = values.join(", ");
    let policies = parse::csp_policies(&joined);
    // Every policy is enforced, so the strictest one decides.
    let judged: Vec<Vec<String>> = policies.iter().map(|p| csp_findings(p, json)).collect();
    if judged.iter().any(Vec::is_empty) {
        let kind = if json { " (a JSON response)" } else { "" };
        return Verdict::pass(format!("Content-Security-Policy: {joined}{kind}"));
    }
    let findings = judged
        .into_iter()
        .next()
        .unwrap_or_else(|| vec!["the header holds no directive".to_owned()]);
    Verdict::fail(format!(
        "Content-Security-Policy `{joined}`: {}",
        findings.join("; ")
    ))
}

/// What one CSP policy lets through, by name.
fn csp_findings(policy: &parse::CspPolicy, json: bool) -> Vec<String> {
    let mut findings = Vec::new();
    let default = policy.get("default-src");
    let sources = |name: &str| policy.get(name).or(default);
    if json {
        if default.is_none_or(|d| d.len() != 1 || !d[0].eq_ignore_ascii_case("'none'")) {
            findings
                .push("a JSON response needs `default-src 'none'` (it loads nothing)".to_owned());
        }
        if policy
            .get("frame-ancestors")
            .is_none_or(|f| f.len() != 1 || !f[0].eq_ignore_ascii_case("'none'"))
        {
            findings.push("a JSON response needs `frame-ancestors 'none'`".to_owned());
        }
    }
    let script = sources("script-src");
    let nonce_or_hash = script.is_some_and(|s| {
        s.iter().any(|src| {
            let lower = src.to_ascii_lowercase();
            ["'nonce-", "'sha256-", "'sha384-", "'sha512-"]
                .iter()
                .any(|p| lower.starts_with(p))
        })
    });
    match script {
        None => findings.push("no script-src or default-src, so any script may load".to_owned()),
        Some(list) => {
            for src in list {
                let lower = src.to_ascii_lowercase();
                if lower == "'unsafe-inline'" && !nonce_or_hash {
                    findings.push("'unsafe-inline' in script-src lets injected scripts run".into());
                } else if lower == "data:" {
                    findings.push("data: in script-src lets injected scripts run".into());
                } else if parse::is_broad_source(&lower) {
                    findings.push(format!("the wildcard {src} in script-src allows any host"));
                }
            }
        }
    }
    match sources("object-src") {
        None => findings.push("no object-src or default-src, so any plugin may load".to_owned()),
        Some(list) => {
            for src in list.iter().filter(|s| parse::is_broad_source(s)) {
                findings.push(format!("the wildcard {src} in object-src allows any host"));
            }
        }
    }
    let eval = ["script-src", "style-src"]
        .iter()
        .filter_map(|d| sources(d))
        .flatten()
        .any(|s| s.eq_ignore_ascii_case("'unsafe-eval'"));
    if eval {
        findings.push("'unsafe-eval' lets strings run as code".to_owned());
    }
    if let Some(list) = policy.get("frame-ancestors") {
        for src in list.iter().filter(|s| parse::is_broad_source(s)) {
            findings.push(format!(
                "frame-ancestors {src} lets any site frame the page"
            ));
        }
    }
    findings.dedup();
    findings
}

/// `referrer-policy` (advice, low): a missing Referrer-Policy is no risk for an
/// API, since browsers default to strict-origin-when-cross-origin; saying so
/// explicitly keeps a proxy or an old browser from choosing otherwise.
pub fn referrer_advice(reply: &Reply) -> Verdict {
    match referrer_policy_of(reply) {
        Some((_, Some(policy))) => Verdict::pass(format!(
            "Referrer-Policy {policy} is sent (live-security-headers judges its value)"
        )),
        Some((value, None)) => Verdict::fail(format!(
            "Referrer-Policy `{value}` is not a known policy, so browsers use their default; \
             send strict-origin-when-cross-origin"
        )),
        None => Verdict::fail(
            "advice: no Referrer-Policy; browsers default to strict-origin-when-cross-origin, \
             which is fine for a JSON API, but send it (or no-referrer) explicitly so an old \
             browser does not fall back to no-referrer-when-downgrade",
        ),
    }
}

/// `cross-origin-resource-policy` (advice, low): an API that authenticates with
/// cookies should send `Cross-Origin-Resource-Policy: same-origin` (or
/// `same-site`), so another site cannot load its responses into its own
/// process (Spectre-style reads). `session_cookies` are the session or auth
/// cookies seen.
pub fn cross_origin_resource_policy(reply: &Reply, session_cookies: &[String]) -> Verdict {
    let value = reply
        .header("cross-origin-resource-policy")
        .map(|v| v.trim().to_ascii_lowercase());
    match value.as_deref() {
        Some(v @ ("same-origin" | "same-site")) => {
            Verdict::pass(format!("Cross-Origin-Resource-Policy: {v}"))
        }
        _ if session_cookies.is_empty() => Verdict::pass(format!(
            "{}; it matters for APIs that authenticate with cookies, and no session or auth \
             cookie was seen",
            value.map_or_else(
                || "no Cross-Origin-Resource-Policy".to_owned(),
                |v| format!("Cross-Origin-Resource-Policy: {v}")
            )
        )),
        Some("cross-origin") => Verdict::fail(format!(
            "advice: Cross-Origin-Resource-Policy: cross-origin lets any site load responses \
             authenticated by {}; send same-origin (or same-site)",
            session_cookies.join(", ")
        )),
        other => Verdict::fail(format!(
            "advice: {} while {} authenticates requests: another site can load the API's \
             responses into its own page; send Cross-Origin-Resource-Policy: same-origin (or \
             same-site)",
            other.map_or_else(
                || "no Cross-Origin-Resource-Policy".to_owned(),
                |v| format!("Cross-Origin-Resource-Policy `{v}` is not a known value")
            ),
            session_cookies.join(", ")
        )),
    }
}

/// The session or auth cookies set on any of the replies, by name.
pub fn session_cookies(seen: &[(&str, &Reply)]) -> Vec<String> {
    let mut names = Vec::new();
    for (_, reply) in seen {
        for header in reply.all("set-cookie") {
            let cookie = CookieFlags::parse(header);
            if cookie.is_session() && !names.contains(&cookie.name) {
                names.push(cookie.name);
            }
        }
    }
    names
}

/// `cert-expiry`: the served certificate is valid for at least
/// [`cert::MIN_DAYS_LEFT`] more days. `certificate` is `None` without HTTPS.
pub fn cert_expiry(
    certificate: Option<&Result<CertInfo, String>>,
    host: &str,
    now: jiff::Timestamp,
) -> Verdict {
    let info = match certificate {
        None => return Verdict::not_run("not run: no HTTPS response, so no certificate to read"),
        Some(Err(why)) => return Verdict::not_run(format!("not run: {why}")),
        Some(Ok(info)) => info,
    };
    let days = info.days_left(now);
    let date = info.expiry_date();
    let name = if info.name_matches {
        format!("names {host}")
    } else {
        format!("does not name {host}, so browsers reject it")
    };
    let about = format!("issued by {}, {name}", info.issuer);
    if info.not_after <= now {
        return Verdict::fail(format!(
            "the certificate expired on {date}; {about}; renew it now (certbot renew, fly certs)"
        ));
    }
    if days < cert::MIN_DAYS_LEFT {
        return Verdict::fail(format!(
            "the certificate expires on {date}, in {days} days (fewer than {}): automatic \
             renewal should have replaced it by now; {about}",
            cert::MIN_DAYS_LEFT
        ));
    }
    Verdict::pass(format!(
        "the certificate expires on {date}, in {days} days; {about}"
    ))
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

    /// A chain whose first hop is `first` and whose later hops answer in turn.
    fn chain(first: Reply, later: &[(&str, Reply)]) -> Vec<Hop> {
        let mut hops = vec![("http://api.example.com/".to_owned(), Ok(first))];
        hops.extend(
            later
                .iter()
                .map(|(url, r)| ((*url).to_owned(), Ok(r.clone()))),
        );
        hops
    }

    #[test]
    fn redirect_permanent_temporary_and_missing() {
        let host = "api.example.com";
        let home = ("https://api.example.com/", reply(200, &[]));
        let ok = https_redirect(
            &chain(
                reply(301, &[("Location", "https://api.example.com/")]),
                std::slice::from_ref(&home),
            ),
            host,
        );
        assert_eq!(ok.ok, Some(true), "{ok:?}");
        assert_eq!(
            ok.detail,
            "http://api.example.com/ → 301 https://api.example.com/ → 200"
        );
        let temporary = https_redirect(
            &chain(
                reply(302, &[("Location", "https://API.example.com./x")]),
                &[("https://API.example.com./x", reply(200, &[]))],
            ),
            host,
        );
        assert_eq!(temporary.ok, Some(true));
        assert!(temporary.detail.contains("temporary"), "{temporary:?}");
        let other_host = https_redirect(
            &chain(reply(301, &[("Location", "https://www.example.com/")]), &[]),
            host,
        );
        assert_eq!(other_host.ok, Some(false));
        assert!(other_host.detail.contains("another host"));
        let plain = https_redirect(&chain(reply(200, &[]), &[]), host);
        assert_eq!(plain.ok, Some(false));
        assert!(plain.detail.contains("answers 200"));
        let relative = https_redirect(&chain(reply(301, &[("Location", "/login")]), &[]), host);
        assert_eq!(relative.ok, Some(false));
        let closed = https_redirect(
            &[(
                "http://api.example.com/".to_owned(),
                Err(Failure::new(FailureKind::Refused, "connection refused")),
            )],
            host,
        );
        assert_eq!(closed.ok, Some(true));
    }

    #[test]
    fn every_hop_of_the_chain_counts() {
        let host = "api.example.com";
        // http → https → http: the first hop is right, the second goes back.
        let back = https_redirect(
            &chain(
                reply(301, &[("Location", "https://api.example.com/")]),
                &[
                    (
                        "https://api.example.com/",
                        reply(302, &[("Location", "http://api.example.com/home")]),
                    ),
                    ("http://api.example.com/home", reply(200, &[])),
                ],
            ),
            host,
        );
        assert_eq!(back.ok, Some(false), "{back:?}");
        assert!(back.detail.contains("back to plain HTTP"), "{back:?}");
        // http → https → https (www): fine, the chain stays encrypted.
        let www = https_redirect(
            &chain(
                reply(301, &[("Location", "https://api.example.com/")]),
                &[
                    (
                        "https://api.example.com/",
                        reply(301, &[("Location", "https://www.example.com/")]),
                    ),
                    ("https://www.example.com/", reply(200, &[])),
                ],
            ),
            host,
        );
        assert_eq!(www.ok, Some(true), "{www:?}");
        assert!(www.detail.ends_with("301 https://www.example.com/ → 200"));
        // http → http (another path) → https: the first hop must go to https.
        let first_plain = https_redirect(
            &chain(reply(301, &[("Location", "http://api.example.com/x")]), &[]),
            host,
        );
        assert_eq!(first_plain.ok, Some(false));
        assert!(
            first_plain
                .detail
                .contains("first redirect does not go to https://")
        );
        // A hop that does not answer ends the chain badly.
        let mut dead = chain(reply(301, &[("Location", "https://api.example.com/")]), &[]);
        dead.push((
            "https://api.example.com/".into(),
            Err(Failure::new(FailureKind::Refused, "connection refused")),
        ));
        assert_eq!(https_redirect(&dead, host).ok, Some(false));
    }

    #[test]
    fn locations_resolve_against_the_url_that_sent_them() {
        let from = "https://api.example.com:8443/a/b?q=1";
        assert_eq!(
            resolve_location(from, "/login").as_deref(),
            Some("https://api.example.com:8443/login")
        );
        assert_eq!(
            resolve_location(from, "//cdn.example.com/x").as_deref(),
            Some("https://cdn.example.com/x")
        );
        assert_eq!(
            resolve_location(from, "HTTP://h/").as_deref(),
            Some("HTTP://h/")
        );
        assert_eq!(resolve_location(from, "javascript:alert(1)"), None);
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
        let good = hsts(
            Ok(&reply(
                200,
                &[(
                    "Strict-Transport-Security",
                    "max-age=63072000; includeSubDomains",
                )],
            )),
            None,
        );
        assert_eq!(good.ok, Some(true));
        assert_eq!(good.detail, "max-age=63072000; includeSubDomains");
        let short = hsts(
            Ok(&reply(200, &[("Strict-Transport-Security", "max-age=300")])),
            None,
        );
        assert_eq!(short.ok, Some(false));
        assert!(short.detail.contains("below 15552000"));
        let off = hsts(
            Ok(&reply(200, &[("Strict-Transport-Security", "max-age=0")])),
            None,
        );
        assert!(off.detail.contains("switches HSTS off"));
        assert_eq!(hsts(Ok(&reply(200, &[])), None).ok, Some(false));
        assert_eq!(hsts(Err("refused"), None).ok, Some(false));
        let preload = hsts(
            Ok(&reply(
                200,
                &[("Strict-Transport-Security", "max-age=15552000; preload")],
            )),
            None,
        );
        assert_eq!(preload.ok, Some(true));
        assert!(preload.detail.contains("preload list also needs"));
        let joined = hsts(
            Ok(&reply(
                200,
                &[(
                    "Strict-Transport-Security",
                    "max-age=31536000; includeSubDomains, max-age=31536000",
                )],
            )),
            None,
        );
        assert_eq!(joined.ok, Some(false));
        assert!(joined.detail.contains("RFC 6797"), "{joined:?}");
        let twice = hsts(
            Ok(&reply(
                200,
                &[(
                    "Strict-Transport-Security",
                    "max-age=31536000; max-age=63072000",
                )],
            )),
            None,
        );
        assert_eq!(twice.ok, Some(false));
        assert!(twice.detail.contains("max-age twice"), "{twice:?}");
        let hsts_value = [("Strict-Transport-Security", "max-age=63072000")];
        let valid = hsts(Ok(&reply(200, &hsts_value)), None);
        assert!(!valid.detail.contains("certificate"));
        let invalid = hsts(Ok(&reply(200, &hsts_value)), Some("UnknownIssuer"));
        assert_eq!(invalid.ok, Some(true));
        assert!(
            invalid.detail.contains("browsers ignore HSTS")
                && invalid.detail.contains("UnknownIssuer"),
            "{invalid:?}"
        );
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
        assert!(
            seed.detail
                .contains("no-referrer-when-downgrade sends the full URL")
        );
        let bare = security_headers(&reply(200, &[]));
        assert_eq!(bare.ok, Some(false));
        assert_eq!(
            bare.detail,
            "missing X-Content-Type-Options: nosniff, X-Frame-Options (or CSP frame-ancestors)"
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
        assert_eq!(star_creds.ok, Some(true), "{star_creds:?}");
        assert!(star_creds.detail.contains("broken setup, not a leak"));
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

    /// Set-Cookie headers → whether live-cookie-flags passes, and a word of the detail.
    #[test]
    fn cookie_cases() {
        let cases: [(&str, bool, &str); 10] = [
            (
                "sessionid=x; Secure; HttpOnly; SameSite=Lax",
                true,
                "Secure and SameSite",
            ),
            (
                "sessionid=x; Secure; SameSite=Lax",
                false,
                "holds a session",
            ),
            ("session=x; Secure; SameSite=Lax", false, "lacks HttpOnly"),
            (
                "connect.sid=x; Secure; SameSite=Lax",
                false,
                "lacks HttpOnly",
            ),
            (
                "access_token=x; Secure; SameSite=Strict",
                false,
                "lacks HttpOnly",
            ),
            (
                "theme=dark; Secure; SameSite=Lax",
                true,
                "theme has no HttpOnly",
            ),
            (
                "sessionid=x; Secure; HttpOnly; SameSite=Invalid",
                false,
                "SameSite=Invalid",
            ),
            (
                "sessionid=x; Secure; HttpOnly; SameSite=True",
                false,
                "treat it as unset",
            ),
            (
                "sessionid=x; HttpOnly; SameSite=None",
                false,
                "SameSite=None without Secure",
            ),
            (
                "sessionid=x; Secure; HttpOnly; SameSite=none",
                true,
                "session cookies",
            ),
        ];
        for (header, ok, word) in cases {
            let r = reply(200, &[("Set-Cookie", header)]);
            let verdict = cookie_flags(&[("GET /", &r)]);
            assert_eq!(verdict.ok, Some(ok), "{header}: {verdict:?}");
            assert!(verdict.detail.contains(word), "{header}: {verdict:?}");
        }
    }

    /// Headers, then live-security-headers' verdict and a word of its detail, then
    /// content-security-policy's.
    type Case<'a> = (&'a [(&'a str, &'a str)], bool, &'a str, bool, &'a str);

    /// Headers → (live-security-headers ok, content-security-policy ok, a word of each detail).
    #[test]
    #[allow(clippy::too_many_lines)] // one table
    fn header_cases() {
        let base = [
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ];
        let json = ("Content-Type", "application/json");
        let strict = (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        );
        let cases: [Case; 12] = [
            (
                &[json, strict],
                true,
                "frame-ancestors 'none'",
                true,
                "JSON",
            ),
            (
                &[json, ("Content-Security-Policy", "frame-ancestors *")],
                false,
                "lets any site frame",
                false,
                "default-src 'none'",
            ),
            (
                &[
                    json,
                    ("X-Frame-Options", "DENY"),
                    (
                        "Content-Security-Policy",
                        "default-src 'none'; frame-ancestors https:",
                    ),
                ],
                false,
                "overrides X-Frame-Options DENY",
                false,
                "frame-ancestors https:",
            ),
            (
                &[(
                    "Content-Security-Policy",
                    "default-src 'self'; frame-ancestors http:",
                )],
                false,
                "http: allows every host",
                false,
                "lets any site frame",
            ),
            (
                &[json, ("X-Frame-Options", "DENY")],
                true,
                "X-Frame-Options DENY",
                false,
                "no Content-Security-Policy",
            ),
            (
                &[
                    json,
                    ("X-Frame-Options", "DENY"),
                    ("Content-Security-Policy-Report-Only", "default-src 'none'"),
                ],
                true,
                "DENY",
                false,
                "Report-Only",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self' 'unsafe-inline'",
                    ),
                ],
                true,
                "DENY",
                false,
                "'unsafe-inline' in script-src",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'",
                    ),
                ],
                true,
                "DENY",
                true,
                "nonce",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    ("Content-Security-Policy", "default-src *"),
                ],
                true,
                "DENY",
                false,
                "the wildcard * in script-src",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self' 'unsafe-eval'",
                    ),
                ],
                true,
                "DENY",
                false,
                "'unsafe-eval'",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    ("Content-Security-Policy", "script-src 'self'"),
                ],
                true,
                "DENY",
                false,
                "no object-src",
            ),
            (
                &[
                    ("X-Frame-Options", "DENY"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; frame-ancestors 'self'",
                    ),
                ],
                true,
                "frame-ancestors 'self'",
                true,
                "default-src 'self'",
            ),
        ];
        for (headers, headers_ok, headers_word, csp_ok, csp_word) in cases {
            let all: Vec<(&str, &str)> = base.iter().chain(headers.iter()).copied().collect();
            let r = reply(200, &all);
            let sh = security_headers(&r);
            assert_eq!(sh.ok, Some(headers_ok), "{headers:?}: {sh:?}");
            assert!(sh.detail.contains(headers_word), "{headers:?}: {sh:?}");
            let csp = content_security_policy(&r);
            assert_eq!(csp.ok, Some(csp_ok), "{headers:?}: {csp:?}");
            assert!(csp.detail.contains(csp_word), "{headers:?}: {csp:?}");
        }
    }

    /// Referrer-Policy values → (live-security-headers ok, referrer-policy advice ok).
    #[test]
    fn referrer_policy_cases() {
        let cases: [(Option<&str>, bool, bool); 8] = [
            (None, true, false),
            (Some("no-referrer"), true, true),
            (Some("strict-origin-when-cross-origin"), true, true),
            (Some("same-origin"), true, true),
            (Some("no-referrer-when-downgrade"), false, true),
            (Some("unsafe-url"), false, true),
            (Some("origin-when-cross-origin"), false, true),
            (Some("bogus"), false, false),
        ];
        for (value, headers_ok, advice_ok) in cases {
            let mut headers = vec![
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
            ];
            headers.extend(value.map(|v| ("Referrer-Policy", v)));
            let r = reply(200, &headers);
            let sh = security_headers(&r);
            assert_eq!(sh.ok, Some(headers_ok), "{value:?}: {sh:?}");
            let advice = referrer_advice(&r);
            assert_eq!(advice.ok, Some(advice_ok), "{value:?}: {advice:?}");
            if value.is_none() {
                assert!(
                    sh.detail.contains("strict-origin-when-cross-origin"),
                    "{sh:?}"
                );
                assert!(advice.detail.starts_with("advice:"), "{advice:?}");
            }
        }
    }

    #[test]
    fn corp_is_advice_for_cookie_authenticated_apis() {
        let session = vec!["sessionid".to_owned()];
        let none = reply(200, &[]);
        assert_eq!(cross_origin_resource_policy(&none, &[]).ok, Some(true));
        let advice = cross_origin_resource_policy(&none, &session);
        assert_eq!(advice.ok, Some(false));
        assert!(advice.detail.contains("sessionid"), "{advice:?}");
        for (value, ok) in [
            ("same-origin", true),
            ("same-site", true),
            ("cross-origin", false),
            ("bogus", false),
        ] {
            let r = reply(200, &[("Cross-Origin-Resource-Policy", value)]);
            assert_eq!(
                cross_origin_resource_policy(&r, &session).ok,
                Some(ok),
                "{value}"
            );
        }
        let seen = reply(
            200,
            &[
                ("Set-Cookie", "csrftoken=a; Secure; SameSite=Lax"),
                ("Set-Cookie", "sessionid=b; Secure; HttpOnly; SameSite=Lax"),
            ],
        );
        assert_eq!(session_cookies(&[("GET /", &seen)]), ["sessionid"]);
    }

    #[test]
    fn cert_expiry_thresholds() {
        let now: jiff::Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let info = |days: i64, name_matches: bool| CertInfo {
            not_after: now
                .checked_add(jiff::SignedDuration::from_hours(24 * days))
                .unwrap(),
            issuer: "Let's Encrypt R11".into(),
            name_matches,
            invalid: None,
        };
        let soon = cert_expiry(Some(&Ok(info(10, true))), "api.example.com", now);
        assert_eq!(soon.ok, Some(false));
        assert!(
            soon.detail.contains("2026-12-11") && soon.detail.contains("in 10 days"),
            "{soon:?}"
        );
        let fine = cert_expiry(Some(&Ok(info(60, true))), "api.example.com", now);
        assert_eq!(fine.ok, Some(true));
        assert!(
            fine.detail.contains("Let's Encrypt R11")
                && fine.detail.contains("names api.example.com")
        );
        let expired = cert_expiry(Some(&Ok(info(-1, true))), "h", now);
        assert!(expired.detail.contains("expired on"));
        let other = cert_expiry(Some(&Ok(info(60, false))), "h", now);
        assert!(other.detail.contains("does not name h"));
        assert_eq!(cert_expiry(None, "h", now).ok, None);
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

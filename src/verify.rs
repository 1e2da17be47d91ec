//! `verify`: the phase-6 `live-*` checks against a running deployment, the
//! way Mozilla's HTTP Observatory reads a site's headers.
//!
//! [`verify`] sends a handful of GET and OPTIONS requests (never a request
//! with a body, never one that changes anything), follows only the redirect
//! chain from plain HTTP (to see where it ends), reads the served
//! certificate over a TLS handshake of its own, and returns a
//! [`VerifyReport`] with one [`LiveCheck`] per item: the nine `live-*` items,
//! then `content-security-policy` and `cert-expiry`, and two low-severity
//! advice entries (`referrer-policy`, `cross-origin-resource-policy`).

pub mod cert;
pub mod checks;
pub mod http;
pub mod parse;

use std::time::Duration;

use anyhow::bail;
use serde::Serialize;

use crate::checklist::{Checklist, Severity};
use crate::state::{ItemRecord, SetBy, State, Status, now_rfc3339};
use checks::{EVIL_ORIGIN, Hop, Probe, Verdict};
use http::{Failure, FailureKind, Fetch, Reply, Request, UreqFetch};

/// The items `verify` decides, in report order.
pub const LIVE_ITEMS: [&str; 9] = [
    "live-https-redirect",
    "live-hsts",
    "live-security-headers",
    "live-cors-restricted",
    "live-auth-enforced",
    "live-health-ok",
    "live-no-debug-leak",
    "live-cookie-flags",
    "live-no-server-tokens",
];

/// The entries after the `live-*` items, in report order: checklist items
/// decided live, then advice entries (ids that are no checklist item, always
/// low severity, never recorded in the state file).
pub const EXTRA_CHECKS: [&str; 4] = [
    "content-security-policy",
    "cert-expiry",
    "referrer-policy",
    "cross-origin-resource-policy",
];

/// A `--health` or `--protected` path as it goes into a request line: a
/// full URL or a space would otherwise become a request for a path that
/// cannot exist, and the check would fail for the wrong reason.
pub fn request_path(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.contains("://") {
        let path = Target::parse(value).map_or_else(|_| "/…".to_owned(), |t| t.path);
        return Err(format!(
            "`{value}` is a URL; give the path from the root of the host alone, such as {path}"
        ));
    }
    if value.is_empty() {
        return Err("the path is empty; give one such as /health".to_owned());
    }
    if let Some(bad) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{value}` contains {bad:?}, which a URL path cannot hold; write a space as %20"
        ));
    }
    Ok(value.to_owned())
}

/// Where health endpoints usually live, tried in order without `--health`.
pub const HEALTH_PATHS: [&str; 5] = ["/health", "/healthz", "/ready", "/ping", "/api/health"];

/// The token sent to a protected path; no server should accept it.
pub const INVALID_TOKEN: &str = "Bearer invalid-preflight-probe";

/// The `Host` header of the malformed request: a reserved name no site serves.
pub const BAD_HOST: &str = "preflight-probe.invalid";

/// What to verify and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The deployment's address (`https://api.example.com`); a bare host means HTTPS.
    pub url: String,
    /// The health endpoint's path; without it the usual paths are tried.
    pub health: Option<String>,
    /// A path that must require authentication.
    pub protected: Option<String>,
    /// Accept any certificate (a self-signed one on staging).
    pub insecure: bool,
    /// The time limit for each request.
    pub timeout: Duration,
}

/// One live check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveCheck {
    /// The checklist item id (`live-hsts`).
    pub item: String,
    /// `None` when the check was not run (`live-auth-enforced` without `--protected`).
    pub ok: Option<bool>,
    pub severity: Severity,
    /// What was seen: the header value, the status, the reason it failed.
    pub detail: String,
    /// For `cert-expiry`: when the certificate expires (RFC 3339), so the
    /// state file can make the item fall due before it does. Not in `--json`
    /// (the date is in the detail).
    #[serde(skip)]
    pub expires: Option<String>,
}

/// Everything one `verify` run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The URL the checks ran against, as given (normalised).
    pub url: String,
    pub checks: Vec<LiveCheck>,
}

impl VerifyReport {
    /// Checks that passed.
    pub fn passed(&self) -> usize {
        self.checks.iter().filter(|c| c.ok == Some(true)).count()
    }

    /// Checks that failed (advice entries that did not hold are [`Self::advised`]).
    pub fn failed(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.ok == Some(false) && !c.is_advice())
            .count()
    }

    /// Advice entries that did not hold: worth a look, never a failure.
    pub fn advised(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.ok == Some(false) && c.is_advice())
            .count()
    }

    /// Checks that were not run.
    pub fn not_run(&self) -> usize {
        self.checks.iter().filter(|c| c.ok.is_none()).count()
    }

    /// Whether a check at or above `threshold` failed; advice never does.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.checks
            .iter()
            .any(|c| c.ok == Some(false) && !c.is_advice() && c.severity >= threshold)
    }
}

impl LiveCheck {
    /// Whether this is an advice entry (`referrer-policy`,
    /// `cross-origin-resource-policy`): no checklist item, never a failure.
    pub fn is_advice(&self) -> bool {
        Checklist::get().item(&self.item).is_none()
    }
}

/// What a `verify` run on a worker thread reports, in order: each check as
/// it is decided, then the whole report (or why there is none).
#[derive(Debug, Clone)]
pub enum VerifyProgress {
    Check(LiveCheck),
    Finished(Result<VerifyReport, String>),
    /// The run stopped because the certificate did not verify (the message,
    /// as `Finished(Err)` carries it): accepting it might get further.
    CertificateRejected(String),
}

/// A deployment's address split into what the checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    /// The host as written in a URL (an IPv6 address keeps its brackets).
    pub host: String,
    /// `None` for the scheme's default port.
    pub port: Option<u16>,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl Target {
    /// Parses `https://host[:port][/path]`; a bare `host[/path]` means HTTPS.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let given = url.trim();
        // Errors quote the URL, so a password typed into it is never echoed.
        let url = without_password(given);
        let url = url.as_str();
        let hint = "hint: give the deployment's address, such as https://api.example.com";
        if url.is_empty() {
            bail!("the URL is empty\n  {hint}");
        }
        let with_scheme = if given.contains("://") {
            given.to_owned()
        } else {
            format!("https://{given}")
        };
        let without_fragment = with_scheme.split('#').next().unwrap_or_default();
        let Ok(uri) = without_fragment.parse::<ureq::http::Uri>() else {
            bail!("`{url}` is not a valid URL\n  {hint}");
        };
        let https = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
            Some("https") => true,
            Some("http") => false,
            _ => bail!("`{url}` is not an http:// or https:// URL\n  {hint}"),
        };
        let Some(authority) = uri.authority() else {
            bail!("`{url}` has no host\n  {hint}");
        };
        if authority.as_str().contains('@') {
            bail!(
                "`{url}` has credentials in it\n  hint: leave them out; use --protected PATH to \
                 test that a path requires auth"
            );
        }
        let host = authority.host().to_ascii_lowercase();
        if host.is_empty() {
            bail!("`{url}` has no host\n  {hint}");
        }
        // `Uri` forgets a port it cannot read (`:99999`), which would probe
        // the default port instead: refuse it.
        let port_text = authority.as_str()[authority.host().len()..].trim_start_matches(':');
        if !port_text.is_empty() && uri.port_u16().is_none_or(|p| p == 0) {
            bail!(
                "`{url}` has the port `{port_text}`\n  hint: a port is a number from 1 to 65535, \
                 such as https://api.example.com:8443"
            );
        }
        let default_port = if https { 443 } else { 80 };
        Ok(Self {
            https,
            host,
            port: uri.port_u16().filter(|p| *p != default_port),
            path: uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
        })
    }

    /// `https://host[:port]`.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        match self.port {
            Some(port) => format!("{scheme}://{}:{port}", self.host),
            None => format!("{scheme}://{}", self.host),
        }
    }

    /// The whole URL.
    pub fn url(&self) -> String {
        format!("{}{}", self.origin(), self.path)
    }

    /// The URL of `path` on this origin; a path without a leading `/` gets one.
    pub fn at(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.origin())
        } else {
            format!("{}/{path}", self.origin())
        }
    }

    /// The same host over plain HTTP on the default port.
    fn plain(&self) -> Self {
        Self {
            https: false,
            port: None,
            ..self.clone()
        }
    }
}

/// `url` with the password of any `user:password@` replaced by `…`.
fn without_password(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let Some(at) = url[start..end].rfind('@').map(|i| start + i) else {
        return url.to_owned();
    };
    match url[start..at].find(':') {
        Some(colon) => format!("{}:…{}", &url[..start + colon], &url[at..]),
        None => url.to_owned(),
    }
}

/// Runs every live check against `options.url` with the real HTTP client.
///
/// An unreachable deployment (no DNS, nothing listening, a certificate that
/// fails verification) is an error with a hint, not a failed check.
pub fn verify(options: &VerifyOptions) -> anyhow::Result<VerifyReport> {
    let target = Target::parse(&options.url)?;
    let client = UreqFetch::new(options.timeout, options.insecure);
    verify_with(&client, &target, options)
}

/// How the deployment answered the first requests: over HTTP and over HTTPS.
struct Entry {
    http_url: String,
    http: Result<Reply, Failure>,
    /// The plain-HTTP request and every redirect followed from it.
    chain: Vec<Hop>,
    /// The HTTPS reply, or why there is none.
    https: Result<Reply, String>,
    /// Where the other probes go: the HTTPS origin when it answers.
    base: Target,
    /// The reply whose headers the header checks read.
    main: Reply,
}

/// [`verify`] with any client, so tests can hand it canned replies.
pub fn verify_with(
    client: &dyn Fetch,
    target: &Target,
    options: &VerifyOptions,
) -> anyhow::Result<VerifyReport> {
    verify_each(client, target, options, &mut |_| {})
}

/// [`verify`] that hands each check to `on_check` as soon as its requests
/// are answered (the wizard shows them row by row); the report keeps the
/// usual order.
pub fn verify_streaming(
    options: &VerifyOptions,
    on_check: &mut dyn FnMut(&LiveCheck),
) -> anyhow::Result<VerifyReport> {
    let target = Target::parse(&options.url)?;
    let client = UreqFetch::new(options.timeout, options.insecure);
    verify_each(&client, &target, options, on_check)
}

/// The checks, each decided as soon as its requests are in: the entry
/// requests and the certificate first, then CORS, auth, health, the error
/// pages, and what needs every reply (cookies, server tokens, CORP).
pub fn verify_each(
    client: &dyn Fetch,
    target: &Target,
    options: &VerifyOptions,
    on_check: &mut dyn FnMut(&LiveCheck),
) -> anyhow::Result<VerifyReport> {
    let mut entry = reach(client, target, options.insecure)?;
    entry.chain = follow_chain(client, &entry.http_url, &entry.http);
    let base = &entry.base;
    let mut checks: Vec<LiveCheck> = Vec::new();
    let mut emit = |item: &str, verdict: Verdict, expires: Option<String>| {
        let mut check = live_check(item, verdict);
        check.expires = expires;
        on_check(&check);
        checks.push(check);
    };

    let certificate = (base.https && entry.https.is_ok())
        .then(|| client.certificate(&base.host, base.port.unwrap_or(443)))
        .flatten();
    let cert_info = certificate.as_ref().and_then(|c| c.as_ref().ok());
    let invalid_cert = cert_info.and_then(|c| c.invalid.as_deref());
    emit(
        "live-https-redirect",
        checks::https_redirect(&entry.chain, &target.host),
        None,
    );
    emit(
        "live-hsts",
        checks::hsts(entry.https.as_ref().map_err(String::as_str), invalid_cert),
        None,
    );
    emit(
        "live-security-headers",
        checks::security_headers(&entry.main),
        None,
    );
    emit(
        "content-security-policy",
        checks::content_security_policy(&entry.main),
        None,
    );
    emit(
        "cert-expiry",
        checks::cert_expiry(certificate.as_ref(), &base.host, jiff::Timestamp::now()),
        cert_info.map(|c| c.not_after.to_string()),
    );
    emit(
        "referrer-policy",
        checks::referrer_advice(&entry.main),
        None,
    );

    let cors_probes = probe_cors(client, base, options.protected.as_deref());
    emit("live-cors-restricted", checks::cors(&cors_probes), None);
    let auth_probes = probe_auth(client, base, options.protected.as_deref());
    emit(
        "live-auth-enforced",
        checks::auth(options.protected.as_deref(), &auth_probes),
        None,
    );
    let health_probes = probe_health(client, base, options.health.as_deref());
    emit(
        "live-health-ok",
        checks::health(&health_probes, options.health.is_some()),
        None,
    );
    let debug_probes = probe_debug(client, base);
    emit(
        "live-no-debug-leak",
        checks::debug_leak(&debug_probes),
        None,
    );

    let main_label = format!("GET {}", base.path);
    let seen = seen_replies(
        &entry,
        &main_label,
        [&cors_probes, &auth_probes, &health_probes, &debug_probes],
    );
    emit("live-cookie-flags", checks::cookie_flags(&seen), None);
    let missing_reply = debug_probes[0].1.as_ref().ok();
    emit(
        "live-no-server-tokens",
        checks::server_tokens(
            &[Some(&entry.main), missing_reply, entry.http.as_ref().ok()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
        ),
        None,
    );
    let session_cookies = checks::session_cookies(&seen);
    emit(
        "cross-origin-resource-policy",
        checks::cross_origin_resource_policy(&entry.main, &session_cookies),
        None,
    );

    let order: Vec<&str> = LIVE_ITEMS.iter().chain(&EXTRA_CHECKS).copied().collect();
    checks.sort_by_key(|c| order.iter().position(|id| *id == c.item));
    Ok(VerifyReport {
        url: target.url(),
        checks,
    })
}

/// Every reply seen, each with a label: the main one, plain HTTP, the probes.
fn seen_replies<'a>(
    entry: &'a Entry,
    main_label: &'a str,
    probes: [&'a [Probe]; 4],
) -> Vec<(&'a str, &'a Reply)> {
    let mut seen: Vec<(&str, &Reply)> = vec![(main_label, &entry.main)];
    if let Ok(reply) = &entry.http {
        seen.push((entry.http_url.as_str(), reply));
    }
    for (label, outcome) in probes.into_iter().flatten() {
        if let Ok(reply) = outcome {
            seen.push((label.as_str(), reply));
        }
    }
    seen
}

/// The error-page probes: a path nobody routes, and a Host no site serves.
fn probe_debug(client: &dyn Fetch, base: &Target) -> Vec<Probe> {
    let missing_path = format!("/preflight-404-{}", random_hex());
    vec![
        (
            format!("GET {missing_path}"),
            client.fetch(&Request::get(base.at(&missing_path))),
        ),
        (
            format!("GET {} (Host: {BAD_HOST})", base.path),
            client.fetch(&Request::get(base.url()).header("Host", BAD_HOST)),
        ),
    ]
}

/// The CORS probes: a GET and a preflight of the main path (and the
/// protected one) from a foreign origin.
fn probe_cors(client: &dyn Fetch, base: &Target, protected: Option<&str>) -> Vec<Probe> {
    let label = |method: &str, path: &str| format!("{method} {path}");
    let mut cors_paths = vec![base.path.clone()];
    cors_paths.extend(protected.map(absolute));
    cors_paths
        .iter()
        .flat_map(|path| {
            let url = base.at(path);
            [
                (
                    label("GET", path),
                    client.fetch(&Request::get(&url).header("Origin", EVIL_ORIGIN)),
                ),
                (
                    label("OPTIONS", path),
                    client.fetch(
                        &Request::options(&url)
                            .header("Origin", EVIL_ORIGIN)
                            .header("Access-Control-Request-Method", "GET")
                            .header("Access-Control-Request-Headers", "authorization"),
                    ),
                ),
            ]
        })
        .collect()
}

/// The protected path without a token and with a forged one.
fn probe_auth(client: &dyn Fetch, base: &Target, protected: Option<&str>) -> Vec<Probe> {
    protected
        .map(absolute)
        .into_iter()
        .flat_map(|path| {
            let url = base.at(&path);
            [
                (format!("GET {path}"), client.fetch(&Request::get(&url))),
                (
                    format!("GET {path} (invalid token)"),
                    client.fetch(&Request::get(&url).header("Authorization", INVALID_TOKEN)),
                ),
            ]
        })
        .collect()
}

/// Follows the redirects from the plain-HTTP reply, at most
/// [`checks::MAX_HOPS`], stopping at a loop, a failure, or a Location that is
/// no http(s) URL. Only GETs, as a browser would send.
fn follow_chain(client: &dyn Fetch, http_url: &str, http: &Result<Reply, Failure>) -> Vec<Hop> {
    let mut chain: Vec<Hop> = vec![(http_url.to_owned(), http.clone())];
    while chain.len() <= checks::MAX_HOPS {
        let Some((from, Ok(reply))) = chain.last() else {
            break;
        };
        let next = reply
            .is_redirect()
            .then(|| reply.header("location"))
            .flatten()
            .and_then(|location| checks::resolve_location(from, location));
        let Some(next) = next else { break };
        if chain.iter().any(|(url, _)| *url == next) {
            break;
        }
        let outcome = client.fetch(&Request::get(&next));
        chain.push((next, outcome));
    }
    chain
}

/// A verdict as a report line, with the item's severity from the checklist;
/// an advice entry (no checklist item) is low.
fn live_check(item: &str, verdict: Verdict) -> LiveCheck {
    let severity = Checklist::get()
        .item(item)
        .map_or(Severity::Low, |i| i.severity);
    LiveCheck {
        item: item.to_owned(),
        ok: verdict.ok,
        severity,
        detail: verdict.detail,
        expires: None,
    }
}

/// Sends the first requests: the given URL and its HTTP or HTTPS twin.
fn reach(client: &dyn Fetch, target: &Target, insecure: bool) -> anyhow::Result<Entry> {
    if target.https {
        let main = client
            .fetch(&Request::get(target.url()))
            .map_err(|failure| {
                let note = certificate_note(client, target, &failure);
                unreachable(&target.url(), &failure, insecure, note.as_deref())
            })?;
        let plain = target.plain();
        let http = client.fetch(&Request::get(plain.url()));
        return Ok(Entry {
            http_url: plain.url(),
            chain: Vec::new(),
            http,
            https: Ok(main.clone()),
            base: target.clone(),
            main,
        });
    }
    let http_reply = client
        .fetch(&Request::get(target.url()))
        .map_err(|failure| unreachable(&target.url(), &failure, insecure, None))?;
    let redirected = http_reply
        .header("location")
        .filter(|location| http_reply.is_redirect() && checks::is_https_on(location, &target.host))
        .and_then(|location| Target::parse(location).ok());
    let secure = Target {
        https: true,
        port: redirected.as_ref().and_then(|t| t.port),
        ..target.clone()
    };
    match client.fetch(&Request::get(secure.url())) {
        Ok(main) => Ok(Entry {
            http_url: target.url(),
            chain: Vec::new(),
            http: Ok(http_reply),
            https: Ok(main.clone()),
            base: secure,
            main,
        }),
        Err(failure) if redirected.is_some() => {
            Err(
                unreachable(&secure.url(), &failure, insecure, None).context(format!(
                    "{} redirects to HTTPS, which does not answer",
                    target.url()
                )),
            )
        }
        Err(failure) => Ok(Entry {
            http_url: target.url(),
            chain: Vec::new(),
            https: Err(checks::no_https_reason(&secure.url(), &failure)),
            base: target.clone(),
            main: http_reply.clone(),
            http: Ok(http_reply),
        }),
    }
}

/// What the served certificate says, when a certificate that did not verify
/// stopped the first request: the date it expired, or the names it lacks.
fn certificate_note(client: &dyn Fetch, target: &Target, failure: &Failure) -> Option<String> {
    if failure.kind != FailureKind::Tls || failure.message.contains("corrupt message") {
        return None;
    }
    let info = client
        .certificate(&target.host, target.port.unwrap_or(443))?
        .ok()?;
    let now = jiff::Timestamp::now();
    let what = if info.not_after <= now {
        format!(
            "its certificate expired on {} (cert-expiry)",
            info.expiry_date()
        )
    } else if !info.name_matches {
        format!(
            "its certificate does not name {} (issued by {})",
            target.host, info.issuer
        )
    } else {
        format!(
            "its certificate (issued by {}, valid until {}) does not chain to a trusted root",
            info.issuer,
            info.expiry_date()
        )
    };
    Some(format!("{} answers, but {what}", target.origin()))
}

/// The error for a deployment that does not answer at all; `note` is a line
/// about the certificate, between the failure and the hint.
fn unreachable(url: &str, failure: &Failure, insecure: bool, note: Option<&str>) -> anyhow::Error {
    let hint = match failure.kind {
        FailureKind::Dns => "check the host name and that its DNS record exists",
        FailureKind::Refused => "nothing listens there: is the app running and the port open?",
        FailureKind::Timeout => "no answer in time: check the firewall, or raise --timeout",
        FailureKind::Tls if failure.message.contains("corrupt message") => {
            "the port answered in plain HTTP, not TLS: try the http:// URL, or the HTTPS port"
        }
        FailureKind::Tls if !insecure => {
            "the certificate did not verify; fix it (cert-expiry, tls-certificate), or pass \
             --insecure to test a staging server with a self-signed certificate"
        }
        FailureKind::Tls => "the TLS handshake failed even without certificate checks",
        FailureKind::Other => "check the URL and that the deployment is up",
    };
    let note = note.map_or(String::new(), |n| format!("\n  {n}"));
    let text = format!("cannot reach {url}: {failure}{note}\n  hint: {hint}");
    if failure.kind == FailureKind::Tls && !insecure && !failure.message.contains("corrupt message")
    {
        return anyhow::Error::new(CertificateRejected(text));
    }
    anyhow::anyhow!(text)
}

/// The error when the deployment answered TLS with a certificate that did
/// not verify, and certificates were being checked: accepting it
/// (`--insecure`) might get further. Its text is the whole message.
#[derive(Debug)]
pub struct CertificateRejected(String);

impl std::fmt::Display for CertificateRejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CertificateRejected {}

/// Whether `err` says a certificate did not verify (see [`CertificateRejected`]).
pub fn certificate_rejected(err: &anyhow::Error) -> bool {
    err.chain()
        .any(<dyn std::error::Error + 'static>::is::<CertificateRejected>)
}

/// A path with a leading `/`.
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Tries the health path, or the usual ones until one answers 200.
fn probe_health(client: &dyn Fetch, base: &Target, health: Option<&str>) -> Vec<Probe> {
    let paths: Vec<String> = match health {
        Some(path) => vec![absolute(path)],
        None => HEALTH_PATHS.iter().map(|p| (*p).to_owned()).collect(),
    };
    let mut probes = Vec::new();
    for path in paths {
        let outcome = client.fetch(&Request::get(base.at(&path)));
        let found = outcome.as_ref().is_ok_and(|r| r.status == 200);
        probes.push((format!("GET {path}"), outcome));
        if found {
            break;
        }
    }
    probes
}

/// 16 random hex digits, so the 404 probe hits a path nobody routes.
fn random_hex() -> String {
    crate::secrets::generate(crate::secrets::SecretKind::Hex, None)[..16].to_owned()
}

/// Records the verdicts in `state`, `by: auto`: passed checks as done,
/// failed ones as failing with the detail as the reason. Checks that were not
/// run are left alone, and so is a person's skip or n/a.
pub fn record(state: &mut State, report: &VerifyReport) {
    let at = now_rfc3339();
    for check in &report.checks {
        // Advice entries are no checklist item: the report shows them, the state does not.
        if Checklist::get().item(&check.item).is_none() {
            continue;
        }
        let status = match check.ok {
            Some(true) => Status::Done,
            Some(false) => Status::Failing,
            None => continue,
        };
        if let Some(expires) = &check.expires {
            state.expires.insert(check.item.clone(), expires.clone());
        }
        let current = state.items.get(&check.item);
        let user_decided = current.is_some_and(|r| {
            r.by == SetBy::User && matches!(r.status, Status::Skipped | Status::Na)
        });
        let reason = (status == Status::Failing).then(|| check.detail.clone());
        let unchanged = current
            .is_some_and(|r| r.by == SetBy::Auto && r.status == status && r.reason == reason);
        if user_decided || unchanged {
            continue;
        }
        state.items.insert(
            check.item.clone(),
            ItemRecord {
                status,
                by: SetBy::Auto,
                at: at.clone(),
                reason,
                evidence: Vec::new(),
                extent: None,
                fingerprint: None,
            },
        );
    }
}

#[cfg(test)]
mod tests;

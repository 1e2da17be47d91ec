//! `verify` end to end on canned replies: the HTTP/HTTPS logic without a network.

use super::*;

/// A client that answers from a function of the request.
struct Canned<F: Fn(&Request) -> Result<Reply, Failure>>(F);

impl<F: Fn(&Request) -> Result<Reply, Failure>> Fetch for Canned<F> {
    fn fetch(&self, request: &Request) -> Result<Reply, Failure> {
        (self.0)(request)
    }
}

fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

fn options(url: &str) -> VerifyOptions {
    VerifyOptions {
        url: url.to_owned(),
        health: None,
        protected: Some("/api/orders".into()),
        insecure: false,
        timeout: Duration::from_secs(5),
    }
}

fn has_header(request: &Request, name: &str) -> bool {
    request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// A deployment that does everything right.
#[allow(clippy::unnecessary_wraps)] // the shape of `Fetch::fetch`
fn good(request: &Request) -> Result<Reply, Failure> {
    let url = request.url.as_str();
    if url.starts_with("http://") {
        return Ok(reply(301, &[("Location", "https://api.example.com/")], ""));
    }
    let path = url.trim_start_matches("https://api.example.com");
    let secure = [
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains; preload",
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Server", "nginx"),
        ("Content-Type", "application/json"),
        (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        ),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ];
    let (status, body) = match path {
        "/" => (200, "{}"),
        "/health" => (200, r#"{"status": "ok"}"#),
        "/api/orders" if has_header(request, "authorization") => (403, ""),
        "/api/orders" => (401, ""),
        _ => (404, "<h1>Not Found</h1>"),
    };
    let mut r = reply(status, &secure, body);
    if path == "/" {
        r.headers.push((
            "set-cookie".into(),
            "sessionid=abc; Secure; HttpOnly; SameSite=Lax".into(),
        ));
    }
    Ok(r)
}

#[test]
fn a_well_configured_deployment_passes_everything() {
    let report = verify_with(
        &Canned(good),
        &Target::parse("https://api.example.com").unwrap(),
        &options("https://api.example.com"),
    )
    .unwrap();
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.ok != Some(true) && c.item != "cert-expiry")
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // Canned replies have no certificate to read.
    assert_eq!(report.passed(), 12);
    assert_eq!(report.not_run(), 1);
    let items: Vec<&str> = report.checks.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items[9..], EXTRA_CHECKS);
    assert_eq!(report.url, "https://api.example.com/");
    let hsts = &report.checks[1];
    assert_eq!(hsts.item, "live-hsts");
    assert_eq!(hsts.detail, "max-age=63072000; includeSubDomains; preload");
    assert_eq!(hsts.severity, Severity::High);
}

#[test]
fn advice_that_does_not_hold_is_counted_as_advice_never_as_a_failure() {
    // `good` without Referrer-Policy: the live headers check passes (browsers
    // default to a safe policy), the referrer-policy advice does not hold.
    let client = Canned(|request: &Request| {
        let mut reply = good(request)?;
        reply
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("referrer-policy"));
        Ok(reply)
    });
    let opts = options("api.example.com");
    let report = verify_with(&client, &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    let advice = report
        .checks
        .iter()
        .find(|c| c.item == "referrer-policy")
        .unwrap();
    assert_eq!(advice.ok, Some(false));
    assert!(advice.is_advice());
    assert_eq!(report.failed(), 0, "{report:#?}");
    assert_eq!(report.advised(), 1);
    assert!(
        !report.fails_at(Severity::Low),
        "advice never fails --fail-on low"
    );
}

#[test]
fn without_protected_the_auth_check_is_not_run() {
    let mut opts = options("api.example.com");
    opts.protected = None;
    let report = verify_with(&Canned(good), &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    let auth = report
        .checks
        .iter()
        .find(|c| c.item == "live-auth-enforced")
        .unwrap();
    assert_eq!(auth.ok, None);
    assert_eq!(report.not_run(), 2, "auth and cert-expiry");
    assert_eq!(report.passed(), 11);
    assert!(!report.fails_at(Severity::Low));
}

#[test]
fn plain_http_without_https_fails_redirect_and_hsts_but_runs_the_rest() {
    let client = Canned(|request: &Request| {
        if request.url.starts_with("https://") {
            return Err(Failure::new(FailureKind::Refused, "connection refused"));
        }
        Ok(reply(
            200,
            &[("Server", "WSGIServer/0.2 CPython/3.11.2")],
            "hello",
        ))
    });
    let mut opts = options("http://127.0.0.1:8000");
    opts.protected = None;
    let report = verify_with(&client, &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    let by_id = |id: &str| report.checks.iter().find(|c| c.item == id).unwrap();
    assert_eq!(by_id("live-https-redirect").ok, Some(false));
    assert!(
        by_id("live-https-redirect")
            .detail
            .contains("answers 200 over plain HTTP")
    );
    assert_eq!(by_id("live-hsts").ok, Some(false));
    assert!(by_id("live-hsts").detail.contains("connection refused"));
    assert_eq!(by_id("live-no-server-tokens").ok, Some(false));
    assert!(report.fails_at(Severity::Critical));
}

#[test]
fn http_entry_follows_the_redirect_to_https_on_another_port() {
    let client = Canned(|request: &Request| match request.url.as_str() {
        "http://127.0.0.1:8080/" => Ok(reply(308, &[("Location", "https://127.0.0.1:8443/")], "")),
        url if url.starts_with("https://127.0.0.1:8443") => good(&Request {
            url: url.replace("https://127.0.0.1:8443", "https://api.example.com"),
            ..request.clone()
        }),
        other => panic!("unexpected request to {other}"),
    });
    let opts = options("http://127.0.0.1:8080");
    let report = verify_with(&client, &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    assert_eq!(report.failed(), 0, "{report:#?}");
    assert!(report.checks[0].detail.ends_with("→ 200"), "{report:#?}");
    assert!(
        report.checks[0]
            .detail
            .contains("308 https://127.0.0.1:8443/")
    );
}

#[test]
fn an_unreachable_https_url_is_an_error_with_a_hint() {
    let client = Canned(|_: &Request| {
        Err(Failure::new(
            FailureKind::Tls,
            "invalid peer certificate: UnknownIssuer",
        ))
    });
    let opts = options("https://staging.example.com");
    let err = verify_with(&client, &Target::parse(&opts.url).unwrap(), &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot reach https://staging.example.com/"),
        "{err}"
    );
    assert!(err.contains("--insecure"), "{err}");
}

#[test]
fn urls_are_parsed_and_refused() {
    let t = Target::parse("API.example.com/v1?x=1").unwrap();
    assert!(t.https);
    assert_eq!(t.host, "api.example.com");
    assert_eq!(t.path, "/v1?x=1");
    assert_eq!(t.at("health"), "https://api.example.com/health");
    let t = Target::parse("http://127.0.0.1:8000").unwrap();
    assert_eq!(t.url(), "http://127.0.0.1:8000/");
    assert_eq!(t.plain().url(), "http://127.0.0.1/");
    assert_eq!(Target::parse("https://h:443/").unwrap().port, None);
    let t = Target::parse("https://[::1]:8443/").unwrap();
    assert_eq!(t.url(), "https://[::1]:8443/");
    for bad in [
        "",
        "ftp://x.example",
        "https://user:pw@x.example",
        "https://",
    ] {
        let err = Target::parse(bad).unwrap_err().to_string();
        assert!(err.contains("hint:"), "{bad}: {err}");
    }
}

#[test]
fn a_port_out_of_range_is_refused_not_dropped() {
    for bad in [
        "http://localhost:99999",
        "https://h.example:0/",
        "h.example:65536",
        "http://h:x",
    ] {
        let err = Target::parse(bad).unwrap_err().to_string();
        assert!(
            err.contains("port") && err.contains("hint:"),
            "{bad}: {err}"
        );
    }
    assert_eq!(Target::parse("http://h:65535").unwrap().port, Some(65535));
    assert_eq!(Target::parse("https://[::1]/").unwrap().port, None);
}

#[test]
fn a_password_in_the_url_is_never_echoed() {
    for bad in [
        "https://user:hunter2secret@x.example",
        "http://user:hunter2secret@127.0.0.1:99999/p",
        "user:hunter2secret@x.example:0",
    ] {
        let err = Target::parse(bad).unwrap_err().to_string();
        assert!(!err.contains("hunter2secret"), "{bad}: {err}");
        assert!(err.contains("user:…@"), "{bad}: {err}");
    }
}

#[test]
fn record_keeps_user_skips_and_skips_checks_not_run() {
    let mut state = State::default();
    state.mark(
        "live-cookie-flags",
        Status::Skipped,
        Some("csrftoken must be readable".into()),
    );
    let check = |item: &str, ok: Option<bool>| LiveCheck {
        item: item.into(),
        ok,
        severity: Severity::High,
        detail: format!("{item} detail"),
        expires: None,
    };
    let report = VerifyReport {
        url: "https://x/".into(),
        checks: vec![
            check("live-hsts", Some(true)),
            check("live-cors-restricted", Some(false)),
            check("live-cookie-flags", Some(false)),
            check("live-auth-enforced", None),
        ],
    };
    record(&mut state, &report);
    assert_eq!(state.items["live-hsts"].status, Status::Done);
    assert_eq!(state.items["live-hsts"].by, SetBy::Auto);
    assert_eq!(state.items["live-cors-restricted"].status, Status::Failing);
    assert_eq!(
        state.items["live-cors-restricted"].reason.as_deref(),
        Some("live-cors-restricted detail")
    );
    assert_eq!(state.items["live-cookie-flags"].status, Status::Skipped);
    assert!(!state.items.contains_key("live-auth-enforced"));
}

/// `good` with its certificate read as expiring in `days`.
struct WithCert(i64);

impl Fetch for WithCert {
    fn fetch(&self, request: &Request) -> Result<Reply, Failure> {
        good(request)
    }

    fn certificate(&self, host: &str, port: u16) -> Option<Result<cert::CertInfo, String>> {
        assert_eq!((host, port), ("api.example.com", 443));
        Some(Ok(cert::CertInfo {
            not_after: jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(24 * self.0))
                .unwrap(),
            issuer: "Test CA".into(),
            name_matches: true,
            invalid: None,
        }))
    }
}

#[test]
fn a_certificate_close_to_expiry_fails_and_its_date_is_recorded() {
    let opts = options("https://api.example.com");
    let target = Target::parse(&opts.url).unwrap();
    let report = verify_with(&WithCert(10), &target, &opts).unwrap();
    let check = report
        .checks
        .iter()
        .find(|c| c.item == "cert-expiry")
        .unwrap();
    assert_eq!(check.ok, Some(false), "{check:?}");
    assert_eq!(check.severity, Severity::High);
    assert!(check.detail.contains("in 9 days") || check.detail.contains("in 10 days"));
    let mut state = State::default();
    record(&mut state, &report);
    assert_eq!(state.items["cert-expiry"].status, Status::Failing);
    let expires: jiff::Timestamp = state.expires["cert-expiry"].parse().unwrap();
    let left = expires.as_second() - jiff::Timestamp::now().as_second();
    assert!((9 * 86_400..=10 * 86_400).contains(&left), "{left}");
    // Advice entries are no checklist item: never in the state file.
    assert!(!state.items.contains_key("referrer-policy"));
    assert!(!state.items.contains_key("cross-origin-resource-policy"));

    let later = verify_with(&WithCert(90), &target, &opts).unwrap();
    let mut state = State::default();
    record(&mut state, &later);
    assert_eq!(state.items["cert-expiry"].status, Status::Done);
    assert!(state.expires.contains_key("cert-expiry"));
}

#[test]
fn the_chain_from_plain_http_is_followed_to_its_end() {
    let client = Canned(|request: &Request| match request.url.as_str() {
        "http://api.example.com/" => {
            Ok(reply(301, &[("Location", "https://api.example.com/")], ""))
        }
        "https://api.example.com/" => Ok(reply(
            302,
            &[("Location", "http://api.example.com/app")],
            "",
        )),
        "http://api.example.com/app" => Ok(reply(200, &[], "")),
        other => good(&Request {
            url: other.to_owned(),
            ..request.clone()
        }),
    });
    let opts = options("https://api.example.com");
    let report = verify_with(&client, &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    let redirect = &report.checks[0];
    assert_eq!(redirect.ok, Some(false), "{redirect:?}");
    assert!(
        redirect.detail.contains("back to plain HTTP"),
        "{redirect:?}"
    );

    // A loop ends without hanging and fails.
    let looping = Canned(|request: &Request| match request.url.as_str() {
        "http://api.example.com/" => {
            Ok(reply(301, &[("Location", "https://api.example.com/a")], ""))
        }
        "https://api.example.com/a" => Ok(reply(301, &[("Location", "/b")], "")),
        "https://api.example.com/b" => Ok(reply(301, &[("Location", "/a")], "")),
        other => good(&Request {
            url: other.to_owned(),
            ..request.clone()
        }),
    });
    let report = verify_with(&looping, &Target::parse(&opts.url).unwrap(), &opts).unwrap();
    assert_eq!(report.checks[0].ok, Some(false), "{:?}", report.checks[0]);
}

/// A server whose certificate expired yesterday: ureq refuses it, the handshake of our own reads it.
struct Expired;

impl Fetch for Expired {
    fn fetch(&self, _: &Request) -> Result<Reply, Failure> {
        Err(Failure::new(
            FailureKind::Tls,
            "invalid peer certificate: Expired",
        ))
    }

    fn certificate(&self, _: &str, _: u16) -> Option<Result<cert::CertInfo, String>> {
        Some(Ok(cert::CertInfo {
            not_after: "2026-01-01T00:00:00Z".parse().unwrap(),
            issuer: "Test CA".into(),
            name_matches: true,
            invalid: Some("expired".into()),
        }))
    }
}

#[test]
fn an_expired_certificate_is_named_in_the_error() {
    let opts = options("https://api.example.com");
    let err = verify_with(&Expired, &Target::parse(&opts.url).unwrap(), &opts).unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("its certificate expired on 2026-01-01 (cert-expiry)"),
        "{text}"
    );
    assert!(text.contains("--insecure"), "{text}");
    assert!(certificate_rejected(&err), "accepting it might get further");
    // Refused is no certificate problem; nor is a certificate already accepted.
    let refused = Canned(|_: &Request| Err(Failure::new(FailureKind::Refused, "refused")));
    let err = verify_with(&refused, &Target::parse(&opts.url).unwrap(), &opts).unwrap_err();
    assert!(!certificate_rejected(&err), "{err:#}");
    let mut insecure = opts.clone();
    insecure.insecure = true;
    let err = verify_with(&Expired, &Target::parse(&opts.url).unwrap(), &insecure);
    assert!(
        err.as_ref().is_err_and(|e| !certificate_rejected(e)),
        "{err:?}"
    );
}

#[test]
fn checks_stream_as_they_are_decided_and_the_report_keeps_its_order() {
    let opts = options("https://api.example.com");
    let mut streamed = Vec::new();
    let report = verify_each(
        &Canned(good),
        &Target::parse(&opts.url).unwrap(),
        &opts,
        &mut |check| streamed.push(check.item.clone()),
    )
    .unwrap();
    assert_eq!(streamed.len(), report.checks.len());
    assert_eq!(streamed[0], "live-https-redirect");
    assert_eq!(
        streamed.last().map(String::as_str),
        Some("cross-origin-resource-policy")
    );
    let order: Vec<&str> = report.checks.iter().map(|c| c.item.as_str()).collect();
    let expected: Vec<&str> = LIVE_ITEMS.iter().chain(&EXTRA_CHECKS).copied().collect();
    assert_eq!(order, expected);
    assert_ne!(streamed, order, "streamed as decided, not in report order");
}

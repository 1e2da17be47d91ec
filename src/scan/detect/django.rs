//! Django's deployment settings, layer-aware: a redirect or HSTS that the
//! project's own proxy config sets counts, and `SECURE_SSL_REDIRECT` behind a
//! TLS-terminating proxy needs `SECURE_PROXY_SSL_HEADER`.

use super::{Ctx, Hit, Verdict};
use crate::scan::eval::Val;

/// Every check of Django's `manage.py check --deploy` and the item that
/// covers it: the parity test runs Django on the fixtures and demands a
/// finding of that item for every warning Django prints.
pub const DJANGO_DEPLOY_CHECKS: &[(&str, &str)] = &[
    ("security.W001", "https-settings"),
    ("security.W002", "https-settings"),
    ("security.W003", "csrf-protected"),
    ("security.W004", "https-settings"),
    ("security.W005", "https-settings"),
    ("security.W006", "https-settings"),
    ("security.W007", "https-settings"),
    ("security.W008", "https-settings"),
    ("security.W009", "secret-key-from-env"),
    ("security.W010", "secure-cookies"),
    ("security.W011", "secure-cookies"),
    ("security.W012", "secure-cookies"),
    ("security.W013", "secure-cookies"),
    ("security.W014", "secure-cookies"),
    ("security.W015", "secure-cookies"),
    ("security.W016", "secure-cookies"),
    ("security.W017", "secure-cookies"),
    ("security.W018", "debug-off"),
    ("security.W019", "https-settings"),
    ("security.W020", "allowed-hosts-explicit"),
    ("security.W021", "https-settings"),
    ("security.W022", "https-settings"),
    ("security.E023", "https-settings"),
    ("security.E024", "https-settings"),
    ("security.W025", "secret-key-from-env"),
];

/// HSTS max-age the checklist asks for (180 days).
pub const HSTS_MIN_SECONDS: i64 = 15_552_000;

/// Valid `SECURE_REFERRER_POLICY` values (Django's E023).
const REFERRER_POLICIES: &[&str] = &[
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// Valid `SECURE_CROSS_ORIGIN_OPENER_POLICY` values (Django's E024).
const OPENER_POLICIES: &[&str] = &["same-origin", "same-origin-allow-popups", "unsafe-none"];

fn hit(ctx: &Ctx<'_>, name: &str) -> Option<Hit> {
    let setting = ctx.settings.as_ref()?.get(name)?;
    Some(Hit::at(
        &setting.file,
        setting.line,
        ctx.line_text(&setting.file, setting.line),
    ))
}

/// `https-settings`: SSL redirect, HSTS, proxy header, nosniff, framing, referrer policy.
pub fn https_settings(ctx: &Ctx<'_>) -> Verdict {
    let Some(settings) = &ctx.settings else {
        return Verdict::NotApplicable;
    };
    let layers = ctx.layers;
    let mut hits = Vec::new();
    let mut missing = Vec::new();
    let truthy = |name: &str| settings.value(name).and_then(|v| v.truthy());

    // The middleware that applies all of this (W001, W002).
    if settings.get("MIDDLEWARE").is_some() {
        let absent: Vec<&str> = ["SecurityMiddleware", "XFrameOptionsMiddleware"]
            .into_iter()
            .filter(|m| !settings.mentions("MIDDLEWARE", m))
            .collect();
        if !absent.is_empty() {
            hits.extend(hit(ctx, "MIDDLEWARE"));
        }
    }

    // W008 and the redirect loop behind a proxy.
    match truthy("SECURE_SSL_REDIRECT") {
        // Behind a TLS-terminating proxy without SECURE_PROXY_SSL_HEADER every
        // request looks like HTTP and is redirected forever.
        Some(true)
            if layers.tls_proxy.is_some() && settings.get("SECURE_PROXY_SSL_HEADER").is_none() =>
        {
            hits.extend(hit(ctx, "SECURE_SSL_REDIRECT"));
        }
        Some(false) if layers.https_redirect.is_none() => {
            hits.extend(hit(ctx, "SECURE_SSL_REDIRECT"));
        }
        None if layers.https_redirect.is_none()
            && settings.get("SECURE_SSL_REDIRECT").is_none() =>
        {
            missing.push("SECURE_SSL_REDIRECT");
        }
        _ => {}
    }

    // W004, W005, W021: HSTS in the app, or at the proxy.
    let hsts_seconds = settings.value("SECURE_HSTS_SECONDS");
    match hsts_seconds.as_ref().map(Val::as_int) {
        Some(Some(seconds)) if seconds >= HSTS_MIN_SECONDS => {
            for name in ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"] {
                match truthy(name) {
                    Some(false) if settings.get(name).is_some() => hits.extend(hit(ctx, name)),
                    Some(false) => missing.push(name),
                    _ => {}
                }
            }
        }
        Some(Some(seconds)) if seconds > 0 => hits.extend(hit(ctx, "SECURE_HSTS_SECONDS")),
        Some(None) => {}
        _ => match &layers.hsts {
            Some((_, age)) if *age >= HSTS_MIN_SECONDS => {}
            Some((place, _)) => hits.push(Hit::place(ctx, place)),
            None if hsts_seconds.is_some() => hits.extend(hit(ctx, "SECURE_HSTS_SECONDS")),
            None => missing.push("SECURE_HSTS_SECONDS"),
        },
    }

    if settings.get("CSRF_TRUSTED_ORIGINS").is_none() {
        missing.push("CSRF_TRUSTED_ORIGINS");
    }
    // W006 and W019: the defaults are right; only an explicit bad value fails.
    if truthy("SECURE_CONTENT_TYPE_NOSNIFF") == Some(false) {
        hits.extend(hit(ctx, "SECURE_CONTENT_TYPE_NOSNIFF"));
    }
    if let Some(Val::Str(framing)) = settings.value("X_FRAME_OPTIONS")
        && !framing.eq_ignore_ascii_case("DENY")
    {
        hits.extend(hit(ctx, "X_FRAME_OPTIONS"));
    }
    // W022, E023, E024.
    match settings.value("SECURE_REFERRER_POLICY") {
        Some(Val::None) => hits.extend(hit(ctx, "SECURE_REFERRER_POLICY")),
        Some(Val::Str(policy))
            if !policy
                .split(',')
                .all(|p| REFERRER_POLICIES.contains(&p.trim())) =>
        {
            hits.extend(hit(ctx, "SECURE_REFERRER_POLICY"));
        }
        Some(Val::List(items))
            if !items
                .iter()
                .all(|p| matches!(p, Val::Str(s) if REFERRER_POLICIES.contains(&s.as_str()))) =>
        {
            hits.extend(hit(ctx, "SECURE_REFERRER_POLICY"));
        }
        _ => {}
    }
    if let Some(Val::Str(policy)) = settings.value("SECURE_CROSS_ORIGIN_OPENER_POLICY")
        && !OPENER_POLICIES.contains(&policy.as_str())
    {
        hits.extend(hit(ctx, "SECURE_CROSS_ORIGIN_OPENER_POLICY"));
    }
    if !missing.is_empty() {
        hits.push(Hit::missing(format!("not set: {}", missing.join(", "))));
    }
    Verdict::from_hits(hits)
}

/// `static-files`: STATIC_ROOT set and something serves it (WhiteNoise, nginx, fly statics, a storage backend).
pub fn static_files(ctx: &Ctx<'_>) -> Verdict {
    let Some(settings) = &ctx.settings else {
        return Verdict::NotApplicable;
    };
    if !settings.mentions("INSTALLED_APPS", "django.contrib.staticfiles") {
        return Verdict::NotApplicable;
    }
    let cloud_storage = ["STORAGES", "STATICFILES_STORAGE"].iter().any(|s| {
        settings.mentions(s, "storages.")
            || settings.mentions(s, "S3")
            || settings.mentions(s, "whitenoise")
    });
    // Django prefixes a relative STATIC_URL with the script name; without one
    // in production (or when it comes from the environment) `/static/` is the
    // usual value. An absolute URL is a CDN or another host serving the files.
    let url = match settings.value("STATIC_URL") {
        Some(Val::Str(url)) if !url.trim_matches('/').is_empty() => url,
        _ => "/static/".to_owned(),
    };
    let elsewhere =
        url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//");
    let at_proxy = ctx
        .layers
        .static_locations
        .iter()
        .any(|(prefix, _)| crate::scan::layers::prefix_serves(prefix, &url));
    let served =
        settings.mentions("MIDDLEWARE", "whitenoise") || at_proxy || elsewhere || cloud_storage;
    let root = settings.get("STATIC_ROOT").is_some() || cloud_storage;
    let mut missing = Vec::new();
    if !root {
        missing.push("STATIC_ROOT is not set");
    }
    let nothing_serves = format!("nothing serves {url} (no WhiteNoise, no nginx location for it)");
    if !served {
        missing.push(&nothing_serves);
    }
    if missing.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(missing.join("; "))])
    }
}

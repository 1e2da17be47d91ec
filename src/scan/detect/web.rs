//! Detectors for the web framework's security settings, in Django settings,
//! FastAPI application code and Flask configuration alike.

// Paths are compared as the project spells them (`.py`, `.txt`), like Python does.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use std::collections::BTreeSet;

use super::{Ctx, Hit, Verdict};
use crate::project::Framework;
use crate::scan::eval::Val;
use crate::scan::facts::is_dev_name;
use crate::scan::python::{Expr, ExprKind, Module, StmtKind};

/// Calls in application code whose last name is one of `names`, with their module.
fn calls_named<'a>(ctx: &Ctx<'a>, names: &[&str]) -> Vec<(&'a str, &'a Module, &'a Expr)> {
    let mut found = Vec::new();
    for (file, module) in ctx.app_sources() {
        module.walk_exprs(&mut |e| {
            if let Some(name) = e.call_name()
                && names.contains(&name.rsplit('.').next().unwrap_or(name))
            {
                found.push((file.rel.as_str(), module, e));
            }
        });
    }
    found
}

/// Middleware added with `app.add_middleware(M, …)` or `Middleware(M, …)`: the call and its kwargs.
fn middleware<'a>(ctx: &Ctx<'a>, class: &str) -> Vec<(&'a str, &'a Module, &'a Expr)> {
    calls_named(ctx, &["add_middleware", "Middleware"])
        .into_iter()
        .filter(|(_, _, call)| call.arg(0).and_then(Expr::last_name) == Some(class))
        .collect()
}

/// A hit at a setting's line.
fn setting_hit(ctx: &Ctx<'_>, name: &str) -> Option<Hit> {
    let setting = ctx.settings.as_ref()?.get(name)?;
    Some(Hit::at(
        &setting.file,
        setting.line,
        ctx.line_text(&setting.file, setting.line),
    ))
}

/// Assignments `NAME = value` in application code at module level or in a
/// non-development config class, plus `app.config["NAME"] = value` and
/// `config.update(NAME=value)`: `(file, module, line, value)`.
pub fn config_assignments<'a>(
    ctx: &Ctx<'a>,
    name: &str,
) -> Vec<(&'a str, &'a Module, usize, &'a Expr)> {
    let chain = &ctx.project.settings;
    let mut found = Vec::new();
    for (file, module) in ctx.app_sources() {
        if chain.contains(&file.rel) {
            continue;
        }
        let mut class_stack: Vec<(usize, bool)> = Vec::new();
        for stmt in &module.stmts {
            while class_stack.last().is_some_and(|(i, _)| *i >= stmt.indent) {
                class_stack.pop();
            }
            let in_dev_class = class_stack.iter().any(|(_, dev)| *dev);
            match &stmt.kind {
                StmtKind::Class { name: class, .. } => {
                    class_stack.push((stmt.indent, is_dev_name(class)));
                }
                StmtKind::Def { .. } | StmtKind::Block { .. } => {
                    class_stack.push((stmt.indent, false));
                }
                StmtKind::Assign { targets, value, .. } if !in_dev_class => {
                    let matches = targets.iter().any(|t| match &t.kind {
                        ExprKind::Subscript(_, key) => key.as_str() == Some(name),
                        ExprKind::Name(n) => {
                            n == name || n.ends_with(&format!(".{}", name.to_ascii_lowercase()))
                        }
                        _ => false,
                    });
                    if matches {
                        found.push((file.rel.as_str(), module, stmt.line, value));
                    }
                }
                _ => {}
            }
            if !in_dev_class {
                stmt.walk_exprs(&mut |e| {
                    if matches!(
                        e.call_name().and_then(|n| n.rsplit('.').next()),
                        Some("update" | "from_mapping")
                    ) && let Some(value) = e.kwarg(name)
                    {
                        found.push((file.rel.as_str(), module, value.line, value));
                    }
                });
            }
        }
    }
    found
}

/// `debug-off`: DEBUG is not on in production.
pub fn debug_off(ctx: &Ctx<'_>) -> Verdict {
    let mut hits = Vec::new();
    if let Some(settings) = &ctx.settings
        && settings.value("DEBUG").and_then(|v| v.truthy()) == Some(true)
    {
        hits.extend(setting_hit(ctx, "DEBUG"));
    }
    for (file, module, call) in calls_named(ctx, &["FastAPI", "Flask", "Starlette"]) {
        if let Some(debug) = call.kwarg("debug")
            && ctx.eval_in(module, debug).truthy() == Some(true)
        {
            hits.push(Hit::at(file, call.line, ctx.line_text(file, call.line)));
        }
    }
    // `app.run(debug=True)` is how the app starts when nothing else runs it. When a
    // production server does, a guarded call (or one in a script the served module
    // never imports) is a developer's shortcut; an unguarded one in the served
    // module still runs at import.
    let served = !ctx.layers.servers.is_empty();
    let entry_module = ctx
        .project
        .entrypoint
        .as_deref()
        .and_then(|e| e.split(':').next())
        .unwrap_or("");
    for (file, module) in ctx.app_sources() {
        let guarded = main_guarded(module);
        let is_entry = crate::scan::model::import_module(ctx.tree, &file.rel) == entry_module;
        for (index, stmt) in module.stmts.iter().enumerate() {
            let starts_here = if guarded.contains(&index) {
                !served
            } else {
                !served || is_entry
            };
            if !starts_here {
                continue;
            }
            if let StmtKind::Expr(call) = &stmt.kind
                && call.call_name().is_some_and(|n| n.ends_with(".run"))
                && call
                    .kwarg("debug")
                    .is_some_and(|d| ctx.eval_in(module, d).truthy() == Some(true))
            {
                hits.push(Hit::at(
                    &file.rel,
                    stmt.line,
                    ctx.line_text(&file.rel, stmt.line),
                ));
            }
        }
    }
    if ctx.project.framework != Framework::Django {
        for (file, module, line, value) in config_assignments(ctx, "DEBUG") {
            if ctx.eval_in(module, value).truthy() == Some(true) {
                hits.push(Hit::at(file, line, ctx.line_text(file, line)));
            }
        }
        for (file, module) in ctx.app_sources() {
            for stmt in &module.stmts {
                if let StmtKind::Assign { targets, value, .. } = &stmt.kind
                    && targets.iter().any(|t| {
                        t.dotted()
                            .is_some_and(|n| n.ends_with(".debug") && !n.starts_with("self"))
                    })
                    && ctx.eval_in(module, value) == Val::Bool(true)
                {
                    hits.push(Hit::at(
                        &file.rel,
                        stmt.line,
                        ctx.line_text(&file.rel, stmt.line),
                    ));
                }
            }
        }
    }
    hits.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    hits.dedup();
    Verdict::from_hits(hits)
}

/// Indices of statements inside `if __name__ == "__main__":` blocks.
fn main_guarded(module: &Module) -> Vec<usize> {
    let mut inside = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        if let StmtKind::Block { keyword, exprs } = &stmt.kind
            && *keyword == "if"
            && exprs.iter().any(|e| {
                let mut named = false;
                e.walk(&mut |x| named |= x.dotted() == Some("__name__"));
                named
            })
        {
            let body = module.body_of(index).len();
            inside.extend(index + 1..=index + body);
        }
    }
    inside
}

fn has_wildcard(val: &Val) -> bool {
    match val {
        Val::Str(s) => s.trim() == "*",
        Val::List(items) => items.iter().any(has_wildcard),
        _ => false,
    }
}

/// `allowed-hosts-explicit`: ALLOWED_HOSTS / TrustedHostMiddleware name real hosts.
pub fn allowed_hosts(ctx: &Ctx<'_>) -> Verdict {
    if let Some(settings) = &ctx.settings {
        // Django's W020 is an empty list written as such; an empty value from
        // an unset variable is a start-up error, not an open door.
        let literal_empty = settings.get("ALLOWED_HOSTS").is_none_or(|s| {
            s.changes.is_empty()
                && matches!(&s.expr.kind, ExprKind::List(items) | ExprKind::Tuple(items) if items.is_empty())
        });
        let wildcard = settings
            .value("ALLOWED_HOSTS")
            .is_some_and(|v| has_wildcard(&v));
        if !wildcard && !literal_empty {
            return Verdict::Pass;
        }
        return Verdict::Fail(vec![
            setting_hit(ctx, "ALLOWED_HOSTS")
                .unwrap_or_else(|| Hit::missing("ALLOWED_HOSTS is not set")),
        ]);
    }
    let trusted = middleware(ctx, "TrustedHostMiddleware");
    if trusted.is_empty() {
        return Verdict::NotApplicable;
    }
    let hits = trusted
        .into_iter()
        .filter_map(|(file, module, call)| {
            let hosts = call.kwarg("allowed_hosts")?;
            has_wildcard(&ctx.eval_in(module, hosts))
                .then(|| Hit::at(file, hosts.line, ctx.line_text(file, hosts.line)))
        })
        .collect();
    Verdict::from_hits(hits)
}

fn is_allow_all_regex(val: &Val) -> bool {
    match val {
        Val::Str(s) => matches!(
            s.trim(),
            ".*" | "^.*$" | "^.*" | "*" | r"^https?://.*$" | "https?://.*"
        ),
        Val::List(items) => items.iter().any(is_allow_all_regex),
        _ => false,
    }
}

/// `cors-restricted`: CORS names its origins; never `*` (least of all with credentials).
pub fn cors(ctx: &Ctx<'_>) -> Verdict {
    if let Some(settings) = &ctx.settings {
        let uses_cors = settings.mentions("INSTALLED_APPS", "corsheaders")
            || settings.mentions("MIDDLEWARE", "corsheaders");
        if !uses_cors {
            return Verdict::NotApplicable;
        }
        let mut hits = Vec::new();
        for name in ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"] {
            if settings.value(name).and_then(|v| v.truthy()) == Some(true) {
                hits.extend(setting_hit(ctx, name));
            }
        }
        for name in ["CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST"] {
            if settings.value(name).is_some_and(|v| has_wildcard(&v)) {
                hits.extend(setting_hit(ctx, name));
            }
        }
        for name in ["CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"] {
            if settings.value(name).is_some_and(|v| is_allow_all_regex(&v)) {
                hits.extend(setting_hit(ctx, name));
            }
        }
        return Verdict::from_hits(hits);
    }
    let mut applicable = false;
    let mut hits = Vec::new();
    for (file, module, call) in middleware(ctx, "CORSMiddleware") {
        applicable = true;
        if let Some(origins) = call.kwarg("allow_origins")
            && has_wildcard(&ctx.eval_in(module, origins))
        {
            hits.push(Hit::at(
                file,
                origins.line,
                ctx.line_text(file, origins.line),
            ));
        } else if let Some(regex) = call.kwarg("allow_origin_regex")
            && is_allow_all_regex(&ctx.eval_in(module, regex))
        {
            hits.push(Hit::at(file, regex.line, ctx.line_text(file, regex.line)));
        }
    }
    for (file, module, call) in calls_named(ctx, &["CORS"]) {
        applicable = true;
        let origins = call.kwarg("origins");
        let resources = call.kwarg("resources");
        let open = match (origins, resources) {
            (None, None) => true,
            (Some(origins), _) => has_wildcard(&ctx.eval_in(module, origins)),
            (None, Some(resources)) => {
                let mut wildcard = false;
                resources.walk(&mut |e| {
                    if let ExprKind::Dict(pairs) = &e.kind {
                        wildcard |= pairs.iter().any(|(k, v)| {
                            k.as_str() == Some("origins") && has_wildcard(&ctx.eval_in(module, v))
                        });
                    }
                });
                wildcard
            }
        };
        if open {
            let line = origins.map_or(call.line, |o| o.line);
            hits.push(Hit::at(file, line, ctx.line_text(file, line)));
        }
    }
    if !applicable {
        return Verdict::NotApplicable;
    }
    Verdict::from_hits(hits)
}

/// `secure-cookies`: session and CSRF cookies are Secure, HttpOnly and SameSite.
pub fn secure_cookies(ctx: &Ctx<'_>) -> Verdict {
    if let Some(settings) = &ctx.settings {
        let sessions = settings.mentions("INSTALLED_APPS", "django.contrib.sessions")
            || settings.mentions("MIDDLEWARE", "SessionMiddleware");
        let csrf = settings.mentions("MIDDLEWARE", "CsrfViewMiddleware");
        let mut hits = Vec::new();
        let mut missing = Vec::new();
        let mut require =
            |name: &str, applies: bool, ok: &dyn Fn(&Val) -> bool, default_ok: bool| {
                if !applies {
                    return;
                }
                match settings.value(name) {
                    Some(Val::Unknown) => {}
                    Some(value) if !ok(&value) => hits.extend(setting_hit(ctx, name)),
                    None if !default_ok => missing.push(name.to_owned()),
                    _ => {}
                }
            };
        let truthy = |v: &Val| v.truthy() == Some(true);
        let samesite = |v: &Val| matches!(v, Val::Str(s) if s.eq_ignore_ascii_case("lax") || s.eq_ignore_ascii_case("strict"));
        require("SESSION_COOKIE_SECURE", sessions, &truthy, false);
        require("SESSION_COOKIE_HTTPONLY", sessions, &truthy, true);
        require("SESSION_COOKIE_SAMESITE", sessions, &samesite, true);
        require("CSRF_COOKIE_SECURE", csrf, &truthy, false);
        require("CSRF_COOKIE_SAMESITE", csrf, &samesite, true);
        if !sessions && !csrf {
            return Verdict::NotApplicable;
        }
        if !missing.is_empty() {
            hits.push(Hit::missing(format!(
                "{} not set (Django defaults to False)",
                missing.join(", ")
            )));
        }
        return Verdict::from_hits(hits);
    }
    let mut applicable = false;
    let mut hits = Vec::new();
    for (file, module, call) in calls_named(ctx, &["set_cookie"]) {
        applicable = true;
        let secure = call.kwarg("secure").map(|v| ctx.eval_in(module, v));
        let httponly = call.kwarg("httponly").map(|v| ctx.eval_in(module, v));
        if secure.and_then(|v| v.truthy()) != Some(true)
            || httponly.and_then(|v| v.truthy()) != Some(true)
        {
            hits.push(Hit::at(file, call.line, ctx.line_text(file, call.line)));
        }
    }
    for (file, module, call) in middleware(ctx, "SessionMiddleware") {
        applicable = true;
        let https_only = call.kwarg("https_only").map(|v| ctx.eval_in(module, v));
        if https_only.and_then(|v| v.truthy()) != Some(true) {
            hits.push(Hit::at(file, call.line, ctx.line_text(file, call.line)));
        }
    }
    if ctx.project.framework == Framework::Flask {
        let secure = config_assignments(ctx, "SESSION_COOKIE_SECURE");
        for (file, module, line, value) in &secure {
            if ctx.eval_in(module, value).truthy() == Some(false) {
                hits.push(Hit::at(file, *line, ctx.line_text(file, *line)));
            }
        }
        let uses_sessions = ctx.imports("flask.session")
            || ctx.imports("flask_login")
            || ctx.imports("flask_session");
        if uses_sessions {
            applicable = true;
            if secure.is_empty() {
                hits.push(Hit::missing(
                    "SESSION_COOKIE_SECURE is not set (Flask defaults to False)",
                ));
            }
        }
        applicable |= !secure.is_empty();
    }
    if !applicable {
        return Verdict::NotApplicable;
    }
    Verdict::from_hits(hits)
}

/// `csrf-protected`: CSRF protection on, and every `@csrf_exempt` is a finding.
pub fn csrf(ctx: &Ctx<'_>) -> Verdict {
    let mut hits = ctx.local_hits("csrf-protected");
    if let Some(settings) = &ctx.settings {
        if settings.get("MIDDLEWARE").is_some()
            && !settings.mentions("MIDDLEWARE", "CsrfViewMiddleware")
        {
            hits.extend(setting_hit(ctx, "MIDDLEWARE"));
        }
        return Verdict::from_hits(hits);
    }
    if ctx.project.framework == Framework::Flask {
        let session = flask_cookie_session(ctx);
        let jwt_cookies = jwt_in_cookies(ctx);
        if session {
            hits.extend(flask_unprotected_forms(ctx));
        }
        if jwt_cookies {
            hits.extend(jwt_cookie_csrf_off(ctx));
        }
        if session || jwt_cookies {
            return Verdict::from_hits(hits);
        }
    }
    if hits.is_empty() {
        Verdict::NotApplicable
    } else {
        Verdict::Fail(hits)
    }
}

/// Whether a Flask app keeps its user in a cookie session: Flask's `session`,
/// Flask-Login or Flask-Session. Token authentication alone needs no CSRF check.
fn flask_cookie_session(ctx: &Ctx<'_>) -> bool {
    ctx.imports("flask.session") || ctx.imports("flask_login") || ctx.imports("flask_session")
}

/// Whether flask-jwt-extended keeps its tokens in cookies: `JWT_TOKEN_LOCATION`
/// names `"cookies"` (the default is headers only). Then the browser sends the
/// token with every request, from any site, like a session cookie.
fn jwt_in_cookies(ctx: &Ctx<'_>) -> bool {
    fn names_cookies(val: &Val) -> bool {
        match val {
            Val::Str(s) => s == "cookies",
            Val::List(items) => items.iter().any(names_cookies),
            _ => false,
        }
    }
    ctx.imports("flask_jwt_extended")
        && config_assignments(ctx, "JWT_TOKEN_LOCATION")
            .into_iter()
            .any(|(_, module, _, value)| names_cookies(&ctx.eval_in(module, value)))
}

/// flask-jwt-extended with its tokens in cookies checks a double-submit CSRF
/// token (the `X-CSRF-TOKEN` header) on every POST/PUT/PATCH/DELETE to a
/// `@jwt_required` view, unless `JWT_COOKIE_CSRF_PROTECT = False`: then a
/// forged request from any site carries the cookie and is accepted (checked
/// with Flask-JWT-Extended 4.7: 401 "Missing CSRF token" by default, 200 with
/// the setting off). The setting's line is the finding.
fn jwt_cookie_csrf_off(ctx: &Ctx<'_>) -> Vec<Hit> {
    config_assignments(ctx, "JWT_COOKIE_CSRF_PROTECT")
        .into_iter()
        .filter(|(_, module, _, value)| ctx.eval_in(module, value).truthy() == Some(false))
        .map(|(file, _, line, _)| Hit::at(file, line, ctx.line_text(file, line)))
        .collect()
}

/// The form classes whose CSRF check is off: `class Meta: csrf = False`, and
/// the classes that inherit from one.
fn csrf_off_forms(ctx: &Ctx<'_>) -> BTreeSet<String> {
    let classes: Vec<&(String, Vec<String>, bool)> = ctx
        .app_files()
        .flat_map(|f| f.facts.form_classes.iter())
        .collect();
    let mut off: BTreeSet<String> = classes
        .iter()
        .filter(|(_, _, csrf_off)| *csrf_off)
        .map(|(name, _, _)| name.clone())
        .collect();
    loop {
        let before = off.len();
        for (name, bases, _) in &classes {
            if bases.iter().any(|b| off.contains(b)) {
                off.insert(name.clone());
            }
        }
        if off.len() == before {
            return off;
        }
    }
}

/// Issue 11 class 8: in a Flask app with a cookie session, every view that
/// changes state from a submitted form needs a CSRF check — `CSRFProtect` (or
/// Flask-SeaSurf) for the whole app, a `before_request` hook comparing a
/// token, or the view's own Flask-WTF form. `WTF_CSRF_ENABLED = False` in
/// production's configuration turns Flask-WTF's checks off.
fn flask_unprotected_forms(ctx: &Ctx<'_>) -> Vec<Hit> {
    let disabled: Vec<Hit> = config_assignments(ctx, "WTF_CSRF_ENABLED")
        .into_iter()
        .filter(|(_, module, _, value)| ctx.eval_in(module, value).truthy() == Some(false))
        .map(|(file, _, line, _)| Hit::at(file, line, ctx.line_text(file, line)))
        .collect();
    if !disabled.is_empty() {
        return disabled;
    }
    let global = [
        "CSRFProtect",
        "CsrfProtect",
        "flask_wtf.CSRFProtect",
        "flask_wtf.csrf.CSRFProtect",
        "SeaSurf",
        "flask_seasurf.SeaSurf",
    ]
    .iter()
    .any(|c| ctx.calls(c))
        // `WTF_CSRF_CHECK_DEFAULT = False`: CSRFProtect checks only the views that
        // call `csrf.protect()` themselves.
        && !config_assignments(ctx, "WTF_CSRF_CHECK_DEFAULT")
            .into_iter()
            .any(|(_, module, _, value)| ctx.eval_in(module, value).truthy() == Some(false));
    // CSRFProtect checks the token in a `before_request` hook whatever the view's
    // form says: a form with `Meta.csrf = False` is still covered by it (checked
    // with Flask-WTF 1.3: "The CSRF token is missing", 400).
    if global || ctx.app_files().any(|f| f.facts.csrf_hook.is_some()) {
        return Vec::new();
    }
    // A Flask-WTF form checks its token when validated; a plain WTForms one
    // never does, and `validate_on_submit` is Flask-WTF's alone. Without
    // CSRFProtect, a form whose Meta (or `meta={"csrf": False}`) turns CSRF off
    // validates a forged submission (Flask-WTF 1.3: accepted, 200).
    let flask_wtf = ctx.imports("flask_wtf");
    let off = csrf_off_forms(ctx);
    let mut hits = Vec::new();
    for file in ctx.app_files() {
        for handler in &file.facts.form_handlers {
            let token_off = handler.csrf_off || handler.forms.iter().any(|f| off.contains(f));
            let protected =
                !token_off && (handler.checks_token || (handler.validates && flask_wtf));
            if !protected {
                hits.push(Hit::at(&file.rel, handler.line, handler.evidence.clone()));
            }
        }
    }
    hits
}

/// `rate-limiting`: the API is rate limited, in the app or at the proxy.
pub fn rate_limiting(ctx: &Ctx<'_>) -> Verdict {
    if ctx.layers.rate_limit.is_some() {
        return Verdict::Pass;
    }
    let libraries = [
        "django-ratelimit",
        "django-axes",
        "slowapi",
        "flask-limiter",
        "fastapi-limiter",
        "limits",
        "starlette-limiter",
        "django-defender",
    ];
    if libraries.iter().any(|d| ctx.depends_on(d))
        || [
            "slowapi",
            "flask_limiter",
            "fastapi_limiter",
            "django_ratelimit",
            "ratelimit",
        ]
        .iter()
        .any(|m| ctx.imports(m))
    {
        return Verdict::Pass;
    }
    if let Some(settings) = &ctx.settings
        && let Some(rest) = settings.value("REST_FRAMEWORK")
        && rest
            .get("DEFAULT_THROTTLE_CLASSES")
            .is_some_and(|v| v.truthy() == Some(true))
    {
        return Verdict::Pass;
    }
    if ctx.app_sources().any(|(_, m)| {
        let mut throttled = false;
        m.walk_exprs(&mut |e| throttled |= e.dotted().is_some_and(|n| n.ends_with("throttle_classes")));
        m.stmts.iter().any(|s| matches!(&s.kind, StmtKind::Assign { targets, .. } if targets.iter().any(|t| t.dotted() == Some("throttle_classes"))))
            || throttled
    }) {
        return Verdict::Pass;
    }
    Verdict::Fail(vec![Hit::missing(
        "no rate limiting: no throttling, no limiter library, no nginx limit_req",
    )])
}

/// `api-docs`: an OpenAPI schema / docs page is served.
pub fn api_docs(ctx: &Ctx<'_>) -> Verdict {
    if ctx.project.framework == Framework::Fastapi {
        let mut hits = Vec::new();
        for (file, module, call) in calls_named(ctx, &["FastAPI"]) {
            let disabled = |key: &str| {
                call.kwarg(key)
                    .is_some_and(|v| ctx.eval_in(module, v) == Val::None)
            };
            if disabled("openapi_url") || (disabled("docs_url") && disabled("redoc_url")) {
                hits.push(Hit::at(file, call.line, ctx.line_text(file, call.line)));
            }
        }
        return Verdict::from_hits(hits);
    }
    if !ctx.is_api() {
        return Verdict::NotApplicable;
    }
    // A docs package documents nothing until the code uses it: imported (an
    // init call, a routed view) or, for Django, in INSTALLED_APPS. Being listed
    // in requirements is not enough.
    let modules = [
        "drf_spectacular",
        "drf_yasg",
        "ninja",
        "flasgger",
        "flask_smorest",
        "apispec",
        "flask_restx",
        "apiflask",
        "spectree",
        "connexion",
        "flask_openapi3",
        "rest_framework_swagger",
    ];
    let installed = |m: &str| {
        ctx.settings
            .as_ref()
            .is_some_and(|s| s.mentions("INSTALLED_APPS", m))
    };
    let documented =
        modules.iter().any(|m| ctx.imports(m) || installed(m)) || ctx.calls("get_schema_view");
    if documented {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(
            "no OpenAPI schema or docs page is served",
        )])
    }
}

/// `api-versioning`: API paths carry a version (`/api/v1/`).
pub fn api_versioning(ctx: &Ctx<'_>) -> Verdict {
    if !ctx.is_api() {
        return Verdict::NotApplicable;
    }
    let versioned = ctx.routes().any(|route| {
        route
            .split('/')
            .map(|s| s.trim_matches(['^', '$', '(', ')']))
            .any(|segment| {
                let mut chars = segment.chars();
                matches!(chars.next(), Some('v' | 'V'))
                    && segment.len() > 1
                    && chars.all(|c| c.is_ascii_digit() || c == '.')
            })
    }) || ctx
        .settings
        .as_ref()
        .and_then(|s| s.value("REST_FRAMEWORK"))
        .is_some_and(|r| r.get("DEFAULT_VERSIONING_CLASS").is_some());
    if versioned {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(
            "no API route carries a version segment such as /api/v1/",
        )])
    }
}

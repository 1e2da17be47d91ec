//! Detectors that read application code: hard-coded secrets, service URLs,
//! the database, production settings.

use std::collections::BTreeSet;

use super::{Ctx, Hit, Verdict};
use crate::project::Framework;
use crate::scan::eval::{Default, EnvStyle, Val, env_read};
use crate::scan::facts::in_dev_class;
use crate::scan::model::is_non_production_module;
use crate::scan::python::{Expr, ExprKind, Module, Stmt, StmtKind};
use crate::scan::settings::pydantic_fields;

/// Whether a configuration name holds a secret that must come from the environment.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let ends_harmless = [
        "_FILE",
        "_PATH",
        "_NAME",
        "_HEADER",
        "_ENV",
        "_VAR",
        "_LENGTH",
        "_FALLBACKS",
        "_ALGORITHM",
        "_URL",
        "_ID",
        "_EXPIRE_MINUTES",
        "_PREFIX",
        "_PATTERN",
        "_REGEX",
        "_TYPE",
        "_FIELD",
        "_PARAM",
    ]
    .iter()
    .any(|s| upper.ends_with(s));
    if ends_harmless {
        return false;
    }
    upper.contains("SECRET")
        || [
            "JWT_KEY",
            "SIGNING_KEY",
            "ENCRYPTION_KEY",
            "FERNET_KEY",
            "PRIVATE_KEY",
            "API_KEY",
            "ACCESS_KEY",
        ]
        .iter()
        .any(|k| upper == *k || upper.ends_with(&format!("_{k}")))
}

/// The literal secret an expression falls back to, if any: a string literal,
/// or the literal default of an environment read.
fn hard_coded(expr: &Expr, style: &EnvStyle, strict: bool) -> Option<String> {
    let literal = match env_read(expr, style) {
        Some(read) => match read.default {
            Default::Value(default) => default.as_str()?.to_owned(),
            Default::Required | Default::None => return None,
        },
        None => match &expr.kind {
            ExprKind::Str { value, f } if !f || !value.contains('{') => value.clone(),
            // `os.environ.get("SECRET_KEY") or "hard to guess string"`.
            ExprKind::BoolOp(op, values) if *op == "or" => {
                return values.iter().find_map(|v| hard_coded(v, style, strict));
            }
            // `Field("dev-secret")`, `SecretStr("…")`: wrappers around the value.
            ExprKind::Call { .. }
                if matches!(
                    expr.call_name(),
                    Some(
                        "Field" | "pydantic.Field" | "str" | "bytes" | "SecretStr" | "SecretBytes"
                    )
                ) =>
            {
                return expr
                    .arg(0)
                    .or_else(|| expr.kwarg("default"))
                    .and_then(|a| hard_coded(a, style, strict));
            }
            _ => return None,
        },
    };
    let plausible =
        !literal.trim().is_empty() && (!strict || (literal.len() >= 8 && !literal.contains(' ')));
    plausible.then_some(literal)
}

/// `secret-key-from-env`: no literal secret, and no literal fallback for one.
pub fn secret_key(ctx: &Ctx<'_>) -> Verdict {
    let mut hits = Vec::new();
    let chain: Vec<&str> = ctx.project.settings.iter().map(String::as_str).collect();
    if let Some(settings) = &ctx.settings
        && let Some(setting) = settings.get("SECRET_KEY")
        && hard_coded(&setting.expr, &settings.style, false).is_some()
    {
        hits.push(Hit::at(
            &setting.file,
            setting.line,
            ctx.line_text(&setting.file, setting.line),
        ));
    }
    for (file, module) in ctx.app_sources() {
        if chain.contains(&file.rel.as_str()) {
            continue;
        }
        let style = EnvStyle::of(module);
        let dev = in_dev_class(module);
        for (stmt, _) in module.stmts.iter().zip(&dev).filter(|(_, dev)| !**dev) {
            for (name, value, line) in secret_assignments(stmt) {
                let strict = !name.to_ascii_uppercase().contains("SECRET");
                if is_secret_name(&name) && hard_coded(value, &style, strict).is_some() {
                    hits.push(Hit::at(&file.rel, line, ctx.line_text(&file.rel, line)));
                }
            }
        }
    }
    hits.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    hits.dedup();
    Verdict::from_hits(hits)
}

/// `(name, value, line)` for every configuration assignment in a statement:
/// `X = …`, `app.config["X"] = …`, `app.secret_key = …`, `config.update(X=…)`,
/// `{"X": …}` entries.
fn secret_assignments<'a>(stmt: &'a Stmt) -> Vec<(String, &'a Expr, usize)> {
    let mut out = Vec::new();
    if let StmtKind::Assign { targets, value, .. } = &stmt.kind {
        for target in targets {
            let name = match &target.kind {
                ExprKind::Subscript(_, key) => key.as_str().map(str::to_owned),
                _ => target.last_name().map(str::to_owned),
            };
            if let Some(name) = name {
                out.push((name, value, stmt.line));
            }
        }
    }
    let mut collect = |expr: &'a Expr| {
        let call_keys = matches!(
            expr.call_name().and_then(|n| n.rsplit('.').next()),
            Some("update" | "from_mapping" | "dict" | "Flask")
        );
        if let ExprKind::Call { kwargs, .. } = &expr.kind
            && call_keys
        {
            for (key, value) in kwargs {
                out.push((key.clone(), value, value.line));
            }
        }
        if let ExprKind::Dict(pairs) = &expr.kind {
            for (key, value) in pairs {
                if let Some(key) = key.as_str() {
                    out.push((key.to_owned(), value, value.line));
                }
            }
        }
    };
    stmt.walk_exprs(&mut collect);
    out
}

/// `service-urls-from-env`: no localhost or credential-carrying service URL in
/// application code. In the settings chain, only values that survive count.
pub fn service_urls(ctx: &Ctx<'_>) -> Verdict {
    let mut hits: Vec<Hit> = ctx.local_hits("service-urls-from-env");
    // A compose service's name as a host (`redis://cache:6379/0`, issue 11
    // class 7) reaches that service only on that compose network.
    let services = compose_services(ctx);
    if !services.is_empty() {
        for file in ctx.app_files() {
            for (host, line, evidence) in &file.facts.service_hosts {
                if services.contains(host.as_str()) {
                    hits.push(Hit::at(&file.rel, *line, evidence.clone()));
                }
            }
        }
    }
    hits.retain(|hit| survives(ctx, hit));
    hits.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    hits.dedup();
    Verdict::from_hits(hits)
}

/// The service names of every compose file (`services:` and the keys right
/// under it), lower-cased.
fn compose_services(ctx: &Ctx<'_>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in &ctx.tree.files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        if !(name.starts_with("docker-compose") || name.starts_with("compose.")) {
            continue;
        }
        let mut child_indent = None;
        let mut in_services = false;
        for line in file.text.lines() {
            let content = line.trim_end();
            if content.trim_start().is_empty() || content.trim_start().starts_with('#') {
                continue;
            }
            let indent = content.len() - content.trim_start().len();
            if indent == 0 {
                in_services = content == "services:";
                child_indent = None;
                continue;
            }
            if !in_services {
                continue;
            }
            let indent_of_keys = *child_indent.get_or_insert(indent);
            if indent == indent_of_keys
                && let Some(key) = content.trim().strip_suffix(':')
            {
                names.insert(key.trim_matches(['"', '\'']).to_ascii_lowercase());
            }
        }
    }
    names
}

/// Whether a hit in a settings file is part of a setting's final value.
fn survives(ctx: &Ctx<'_>, hit: &Hit) -> bool {
    let (Some(file), Some(line)) = (&hit.file, hit.line) else {
        return true;
    };
    survives_at(ctx, file, line)
}

/// Whether a line of a settings file is part of a setting's final value
/// (any line outside the settings chain survives).
pub(super) fn survives_at(ctx: &Ctx<'_>, file: &str, line: usize) -> bool {
    let Some(settings) = &ctx.settings else {
        return true;
    };
    if !settings.files.iter().any(|f| f == file) {
        return true;
    }
    settings.values.values().any(|s| {
        let mut last = s.line;
        s.expr.walk(&mut |e| last = last.max(e.line));
        let within = s.file == *file && (s.line..=last).contains(&line);
        within || s.changes.iter().any(|(_, f, l)| f == file && *l == line)
    })
}

/// Whether a string names SQLite as the database: the Django backend or a URL.
fn is_sqlite(value: &str) -> bool {
    value.ends_with("backends.sqlite3")
        || value.starts_with("sqlite:")
        || value.starts_with("sqlite+")
}

/// `production-database`: not SQLite in production (a SQLite fallback default counts).
pub fn production_database(ctx: &Ctx<'_>) -> Verdict {
    if let Some(settings) = &ctx.settings {
        let Some(databases) = settings.get("DATABASES") else {
            return Verdict::NotApplicable;
        };
        let mut hits = Vec::new();
        let mut visit = |e: &Expr| {
            if e.as_str().is_some_and(is_sqlite) {
                hits.push(e.line);
            }
        };
        databases.expr.walk(&mut visit);
        let mut places: Vec<(String, usize)> = hits
            .into_iter()
            .map(|l| (databases.file.clone(), l))
            .collect();
        for (change, file, _) in &databases.changes {
            let mut lines = Vec::new();
            change.walk(&mut |e: &Expr| {
                if e.as_str().is_some_and(is_sqlite) {
                    lines.push(e.line);
                }
            });
            places.extend(lines.into_iter().map(|l| (file.clone(), l)));
        }
        return Verdict::from_hits(
            places
                .into_iter()
                .map(|(f, l)| Hit::at(&f, l, ctx.line_text(&f, l)))
                .collect(),
        );
    }
    let hits = ctx.local_hits("production-database");
    if !hits.is_empty() {
        return Verdict::Fail(hits);
    }
    let uses_database = ctx.app_files().any(|f| f.facts.orm_models)
        || [
            "sqlalchemy",
            "flask-sqlalchemy",
            "sqlmodel",
            "psycopg",
            "psycopg2",
            "psycopg2-binary",
            "asyncpg",
            "pymysql",
            "mysqlclient",
            "tortoise-orm",
            "peewee",
        ]
        .iter()
        .any(|d| ctx.depends_on(d));
    if uses_database {
        Verdict::Pass
    } else {
        Verdict::NotApplicable
    }
}

/// Environment variable names that select the environment.
fn is_environment_switch(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "ENVIRONMENT" | "ENV" | "APP_ENV" | "STAGE" | "FLASK_ENV" | "FLASK_CONFIG" | "CONFIG"
    ) || upper.ends_with("_ENV")
        || upper.ends_with("_ENVIRONMENT")
        || upper.ends_with("_CONFIG_NAME")
        || upper == "DJANGO_SETTINGS_MODULE"
}

/// `production-settings`: a production configuration exists and is the one used.
pub fn production_settings(ctx: &Ctx<'_>) -> Verdict {
    if ctx.project.framework == Framework::Django {
        return django_production_settings(ctx);
    }
    let switch = ctx
        .project
        .env_vars
        .iter()
        .any(|v| is_environment_switch(v))
        || ctx.fields.keys().any(|k| is_environment_switch(k))
        || ctx
            .app_sources()
            .any(|(_, m)| has_production_config_class(m))
        || configured_from_env(ctx);
    let mut hits = Vec::new();
    for (file, module, line, value) in super::web::config_assignments(ctx, "TESTING") {
        if ctx.eval_in(module, value) == Val::Bool(true) {
            hits.push(Hit::at(file, line, ctx.line_text(file, line)));
        }
    }
    if !switch {
        hits.push(Hit::missing(
            "no ENVIRONMENT variable or production configuration is read",
        ));
    }
    Verdict::from_hits(hits)
}

fn has_production_config_class(module: &Module) -> bool {
    module.stmts.iter().any(|s| {
        matches!(&s.kind, StmtKind::Class { name, .. } if name.to_ascii_lowercase().contains("prod"))
    })
}

/// Whether a Flask/FastAPI app takes its configuration from the environment
/// the twelve-factor way: its SECRET_KEY is read from the environment (or is a
/// required pydantic settings field), no secret is hard-coded anywhere and
/// debug is not on. Then the deployment's environment is the production
/// configuration, as a Django settings module reading DEBUG and SECRET_KEY
/// from the environment is.
fn configured_from_env(ctx: &Ctx<'_>) -> bool {
    let reads_env = super::web::config_assignments(ctx, "SECRET_KEY")
        .iter()
        .any(|(_, module, _, value)| {
            let style = EnvStyle::of(module);
            let mut reads = false;
            value.walk(&mut |e| reads |= env_read(e, &style).is_some());
            reads
        })
        || ctx.app_sources().any(|(_, module)| {
            pydantic_fields(module)
                .iter()
                .any(|f| f.default.is_none() && is_secret_name(&f.env_name))
        });
    reads_env
        && !matches!(secret_key(ctx), Verdict::Fail(_))
        && !matches!(super::web::debug_off(ctx), Verdict::Fail(_))
}

fn django_production_settings(ctx: &Ctx<'_>) -> Verdict {
    let Some(settings) = &ctx.settings else {
        return Verdict::Fail(vec![Hit::missing("no Django settings module found")]);
    };
    let Some(main) = settings.files.last() else {
        return Verdict::Fail(vec![Hit::missing("no Django settings module found")]);
    };
    if is_non_production_module(main) {
        return Verdict::Fail(vec![Hit::missing(format!(
            "production runs {main}, a development settings module"
        ))]);
    }
    if let Some(default) = &settings.displaced_default {
        let module = crate::scan::model::module_of(main);
        return Verdict::Fail(vec![Hit::missing(format!(
            "wsgi.py defaults to {default}; production must set \
             DJANGO_SETTINGS_MODULE={module}, and no Procfile, Dockerfile or platform file does"
        ))]);
    }
    let split = settings.files.iter().any(|f| f.contains("prod"));
    let from_env = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"].iter().any(|name| {
        settings.get(name).is_some_and(|s| {
            let mut reads = false;
            s.expr
                .walk(&mut |e| reads |= env_read(e, &settings.style).is_some());
            reads
        })
    });
    if split || from_env {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(format!(
            "{main} hard-codes DEBUG, SECRET_KEY and ALLOWED_HOSTS and there is no production module"
        ))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "SECRET_KEY",
            "jwt_secret",
            "JWT_SECRET_KEY",
            "OPENAI_API_KEY",
            "secret",
            "WEBHOOK_SECRET",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "SECRET_KEY_FALLBACKS",
            "jwt_algorithm",
            "API_KEY_HEADER",
            "DEBUG",
            "SECRET_FILE",
            "SECRET_KEY_INSECURE_PREFIX",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn literal_and_fallback_secrets() {
        let module = Module::parse(
            "import os\nA = 'django-insecure-x'\nB = os.environ.get('B', 'dev')\nC = os.environ['C']\nD = os.getenv('D', '')\nE = os.getenv('E')\nF = os.environ.get('F') or 'hard to guess string'\nG = client.os.environ.get('G')\nH = ConfigAttribute('SECRET_KEY')\nI = Field('dev-secret')\n",
        );
        let style = EnvStyle::of(&module);
        let found: Vec<bool> = module.stmts[1..6]
            .iter()
            .map(|s| match &s.kind {
                StmtKind::Assign { value, .. } => hard_coded(value, &style, false).is_some(),
                _ => false,
            })
            .collect();
        assert_eq!(found, [true, true, false, false, false]);
        let StmtKind::Assign { value, .. } = &module.stmts[6].kind else {
            panic!()
        };
        assert!(hard_coded(value, &style, false).is_some(), "the `or` idiom");
        let hard = |i: usize| match &module.stmts[i].kind {
            StmtKind::Assign { value, .. } => hard_coded(value, &style, false).is_some(),
            _ => false,
        };
        assert!(!hard(7), "an env read through a module alias");
        assert!(
            !hard(8),
            "a call with the name of a setting is not a literal secret"
        );
        assert!(hard(9), "a pydantic Field default");
    }
}

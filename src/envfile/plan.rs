//! The new contents of `.env` and `.env.example` for a project: what exists
//! stays byte for byte, and what production needs is appended.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{EnvEntry, NewEntry, merge_entries, parse};
use crate::project::{Framework, Project, StrictEnv};
use crate::secrets::{SecretKind, SecretSpec, choose_name, inventory, read_names, uses};

/// What `generate` writes for `env` and `env-example`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvPlan {
    /// The full new contents of `.env` (the old contents as a prefix).
    pub env: String,
    /// The full new contents of `.env.example` (the old contents as a prefix).
    pub env_example: String,
    /// The variables that got a freshly generated secret, by name: never the value.
    pub generated: Vec<(String, SecretKind)>,
    /// Things the user should know, such as a secret in `.env` that is empty
    /// or too weak; they name variables, never secret values.
    pub notes: Vec<String>,
    /// The settings from answers (`DJANGO_ALLOWED_HOSTS`) this plan writes to
    /// `.env`, appended or updated, with their values: the state file keeps a
    /// hash of each, so a later run can tell preflight's value from a person's.
    pub answered: Vec<(String, String)>,
}

/// A non-secret setting the app reads, with its production value.
struct Setting {
    key: String,
    /// What goes in `.env`; `None` when the answers don't say (the app's own
    /// default is then better than a guess).
    env_value: Option<String>,
    /// A placeholder for `.env.example`, never a real value.
    example_value: String,
    comment: String,
    /// The answer the value comes from (`domain`): a value preflight wrote
    /// follows a changed answer; one a person wrote is named when it disagrees.
    answer: Option<&'static str>,
}

/// Plans `.env` and `.env.example` for the project at `project.root`.
///
/// Reads both files (a missing one is empty); one that is not UTF-8 or
/// cannot be parsed is an error naming the file and line, and nothing is
/// planned. Only missing keys are added: secrets get fresh values in `.env`;
/// `.env.example` gets every key of `.env` and every variable the app reads,
/// each with a comment and an empty or placeholder value. Apart from the
/// fresh secret values, the result is the same on every run.
pub fn plan(project: &Project, answers: &BTreeMap<String, String>) -> anyhow::Result<EnvPlan> {
    plan_with(project, answers, &BTreeMap::new())
}

/// [`plan`], knowing which `.env` values preflight wrote earlier (`written`:
/// variable → SHA-256 of the value, from the state file). A setting that comes
/// from an answer (the domain in `DJANGO_ALLOWED_HOSTS`) and still holds what
/// preflight wrote follows a changed answer; one a person wrote or edited is
/// kept and named in a note as disagreeing with the answer.
pub fn plan_with(
    project: &Project,
    answers: &BTreeMap<String, String>,
    written: &BTreeMap<String, String>,
) -> anyhow::Result<EnvPlan> {
    let env_text = read_env_file(&project.root, ".env")?;
    let example_text = read_env_file(&project.root, ".env.example")?;
    let env_entries = parse_file(&env_text, ".env")?;
    let example_entries = parse_file(&example_text, ".env.example")?;
    let reads = read_names(project);
    let specs = inventory(project, answers);
    let in_env: BTreeSet<String> = env_entries.iter().map(|e| e.key.clone()).collect();
    let settings = settings(project, answers, &reads, &in_env);
    let app = app_name(project, answers);

    let (mut env_additions, mut generated) =
        env_additions(project, answers, &specs, &settings, &env_entries, &reads);
    // Keys a strict settings class would refuse stay out of .env: one would stop the app.
    let mut refused = Vec::new();
    if let Some(strict) = &project.strict_env {
        env_additions.retain(|entry| {
            let accepted = strict.accepts(&entry.key);
            if !accepted {
                refused.push(entry.key.clone());
            }
            accepted
        });
        generated.retain(|(var, _)| strict.accepts(var));
    }
    let follow = follow_answers(&env_text, &env_entries, &settings, answers, written);
    let mut answered = follow.updated.clone();
    answered.extend(
        env_additions
            .iter()
            .filter(|entry| {
                settings
                    .iter()
                    .any(|s| s.key == entry.key && s.answer.is_some())
            })
            .map(|entry| (entry.key.clone(), entry.value.clone())),
    );
    let env = merge_entries(
        &follow.text,
        &env_additions,
        &heading(".env", &env_text, &app),
    );

    let final_env_keys = env_entries
        .iter()
        .map(|entry| entry.key.clone())
        .chain(env_additions.iter().map(|entry| entry.key.clone()));
    let mut example_additions = example_additions(
        project,
        &specs,
        &settings,
        final_env_keys,
        &reads,
        (&example_entries, &example_text),
    );
    if let Some(strict) = &project.strict_env {
        // Commented out, so `cp .env.example .env` gives an app that starts.
        for entry in example_additions
            .iter_mut()
            .filter(|entry| !strict.accepts(&entry.key))
        {
            entry.commented = true;
            let comment = entry.comment.take().unwrap_or_default();
            entry.comment = Some(format!(
                "{comment} (not a field of {}, which refuses other keys in .env: set it in the \
                 environment)",
                strict.class
            ));
        }
    }
    let env_example = merge_entries(
        &example_text,
        &example_additions,
        &heading(".env.example", &example_text, &app),
    );

    let mut notes = notes(&specs, &settings, &env_entries);
    notes.extend(empty_webhook_secrets(&reads, &env_entries, &generated));
    if let Some(strict) = &project.strict_env {
        notes.extend(strict_notes(strict, &refused, &env_entries));
    }
    notes.extend(follow.notes);
    Ok(EnvPlan {
        env,
        env_example,
        generated,
        notes,
        answered,
    })
}

/// `.env` with preflight's own answer-derived values brought up to date, and
/// what to say about the ones a person wrote.
struct Followed {
    text: String,
    updated: Vec<(String, String)>,
    notes: Vec<String>,
}

fn follow_answers(
    text: &str,
    entries: &[EnvEntry],
    settings: &[Setting],
    answers: &BTreeMap<String, String>,
    written: &BTreeMap<String, String>,
) -> Followed {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let mut updated = Vec::new();
    let mut notes = Vec::new();
    for setting in settings {
        let (Some(answer), Some(value)) = (setting.answer, &setting.env_value) else {
            continue;
        };
        let Some(entry) = entries.iter().rev().find(|e| e.key == setting.key) else {
            continue;
        };
        if entry.value == *value {
            continue;
        }
        let ours = written
            .get(&setting.key)
            .is_some_and(|hash| *hash == crate::digest::sha256_hex(entry.value.as_bytes()));
        let line = entry.line.checked_sub(1).and_then(|i| lines.get_mut(i));
        let theirs = format!("{}={}", setting.key, super::format_value(&entry.value));
        match line {
            Some(line) if ours && line.trim_end_matches(['\r', '\n']) == theirs => {
                let end = &line[line.trim_end_matches(['\r', '\n']).len()..];
                *line = format!("{}={}{end}", setting.key, super::format_value(value));
                updated.push((setting.key.clone(), value.clone()));
                notes.push(format!(
                    "{} in .env follows {answer}={} (preflight wrote it and nobody edited it)",
                    setting.key,
                    answers.get(answer).map_or("", String::as_str)
                ));
            }
            _ => notes.push(format!(
                ".env line {}: {}={} disagrees with the answer {answer}={}, which the generated \
                 files use; it was kept, as it is not what preflight wrote\n  hint: edit that \
                 line to {}={}, or delete it and run generate again",
                entry.line,
                setting.key,
                entry.value,
                answers.get(answer).map_or("", String::as_str),
                setting.key,
                value
            )),
        }
    }
    Followed {
        text: lines.concat(),
        updated,
        notes,
    }
}

/// The comment that opens preflight's block: a file header for a new file,
/// a label for the block appended to an existing one.
fn heading(file: &str, existing: &str, app: &str) -> String {
    match (file, existing.is_empty()) {
        (".env", true) => format!(
            "Production environment for {app}, written by preflight. Keep it out of git: it \
             holds secrets."
        ),
        (".env", false) => "Added by preflight: keys this app needs in production".to_owned(),
        (_, true) => format!(
            "Every variable {app} reads in production. Copy to .env and fill in; never put a \
             real secret in this file."
        ),
        (_, false) => "Added by preflight: variables the app reads (placeholders only)".to_owned(),
    }
}

/// Reads `root/name` as UTF-8; a missing file is empty.
fn read_env_file(root: &Path, name: &str) -> anyhow::Result<String> {
    let path = root.join(name);
    let Some(bytes) = crate::fsutil::read_in(root, &path)? else {
        return Ok(String::new());
    };
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text\n  hint: save it as UTF-8; it was left as it is",
            path.display()
        )
    })
}

/// Parses a file's text, naming the file and line when it cannot.
fn parse_file(text: &str, name: &str) -> anyhow::Result<Vec<EnvEntry>> {
    parse(text).map_err(|err| {
        anyhow::anyhow!(
            "{name}:{}: {}\n  hint: fix that line (python-dotenv would skip it, and the app \
             would silently miss the variable); {name} was left as it is",
            err.line,
            err.message
        )
    })
}

/// The keys `.env` lacks: secrets with fresh values, then settings with
/// production values; and which secrets were generated.
fn env_additions(
    project: &Project,
    answers: &BTreeMap<String, String>,
    specs: &[SecretSpec],
    settings: &[Setting],
    existing: &[EnvEntry],
    reads: &BTreeSet<String>,
) -> (Vec<NewEntry>, Vec<(String, SecretKind)>) {
    let mut present: BTreeSet<String> = existing.iter().map(|e| e.key.clone()).collect();
    let mut additions = Vec::new();
    let mut generated = Vec::new();
    for spec in specs {
        if !present.insert(spec.var.clone()) {
            continue;
        }
        let value = if spec.var == "DATABASE_URL" {
            database_url(project, answers, &spec.generate())
        } else {
            spec.generate()
        };
        additions.push(NewEntry {
            key: spec.var.clone(),
            value,
            comment: Some(format!(
                "{}, generated by preflight (a new one: {})",
                capitalise(&spec.label),
                spec.command()
            )),
            commented: false,
        });
        generated.push((spec.var.clone(), spec.kind));
    }
    if reads.contains(API_KEYS) && present.insert(API_KEYS.to_owned()) {
        additions.extend(joined_api_keys(specs, existing, &additions));
    }
    for setting in settings {
        let Some(value) = &setting.env_value else {
            continue;
        };
        if present.insert(setting.key.clone()) {
            additions.push(NewEntry {
                key: setting.key.clone(),
                value: value.clone(),
                comment: Some(setting.comment.clone()),
                commented: false,
            });
        }
    }
    (additions, generated)
}

/// The variable under which apps commonly read all their API keys at once.
const API_KEYS: &str = "API_KEYS";

/// For an app that reads `API_KEYS`: the per-consumer keys, comma-separated,
/// so the app accepts them without anyone copying values by hand.
fn joined_api_keys(
    specs: &[SecretSpec],
    existing: &[EnvEntry],
    added: &[NewEntry],
) -> Option<NewEntry> {
    let value_of = |var: &str| {
        existing
            .iter()
            .map(|e| (&e.key, &e.value))
            .chain(added.iter().map(|e| (&e.key, &e.value)))
            .find(|(key, _)| key.as_str() == var)
            .map(|(_, value)| value.clone())
    };
    let keys: Vec<String> = specs
        .iter()
        .filter(|spec| spec.kind == SecretKind::ApiKey && spec.prefix.is_some())
        .filter_map(|spec| value_of(&spec.var))
        .filter(|value| !value.is_empty())
        .collect();
    (!keys.is_empty()).then(|| NewEntry {
        key: API_KEYS.to_owned(),
        value: keys.join(","),
        comment: Some(
            "The API keys above, comma-separated, as the app reads them (change both together)"
                .to_owned(),
        ),
        commented: false,
    })
}

/// The keys `.env.example` lacks, with placeholders: the secrets, the
/// settings, every key of `.env`, every variable the app reads.
fn example_additions(
    project: &Project,
    specs: &[SecretSpec],
    settings: &[Setting],
    env_keys: impl Iterator<Item = String>,
    reads: &BTreeSet<String>,
    (existing, existing_text): (&[EnvEntry], &str),
) -> Vec<NewEntry> {
    let mut present: BTreeSet<String> = existing.iter().map(|e| e.key.clone()).collect();
    // An optional variable written commented out (`# KEY=30`) is there too.
    present.extend(commented_keys(existing_text));
    let mut wanted = Vec::new();
    for spec in specs {
        let (value, comment) = if spec.var == "DATABASE_URL" {
            (
                // The scheme the app's library loads, as in .env (SQLAlchemy 2 refuses postgres://).
                format!(
                    "{}://USER:PASSWORD@HOST:5432/DBNAME",
                    postgres_scheme(project)
                ),
                "Database URL; make a password with: preflight secret password".to_owned(),
            )
        } else {
            (
                String::new(),
                format!(
                    "{}; make one with: {}",
                    capitalise(&spec.label),
                    spec.command()
                ),
            )
        };
        wanted.push(placeholder(&spec.var, value, comment));
    }
    for setting in settings {
        wanted.push(placeholder(
            &setting.key,
            setting.example_value.clone(),
            setting.comment.clone(),
        ));
    }
    for key in env_keys {
        let comment = if reads.contains(&key) {
            "Read by the app; its value is in .env, not copied here"
        } else {
            "Set in .env (value not copied here)"
        };
        wanted.push(placeholder(&key, String::new(), comment.to_owned()));
    }
    for key in reads {
        if let Some(default) = project.env_defaults.get(key) {
            // Commented out: a copy of this file leaves the app its own default, where an
            // empty value would not parse as the number or flag the app expects.
            let comment = if is_webhook_secret(key) {
                format!(
                    "{key} is a webhook signing secret: while it is empty, an app that skips \
                     verification without it accepts unsigned webhooks. Paste the one the \
                     provider issued"
                )
            } else {
                match default.as_deref() {
                    Some("") => "Optional: the app's default is empty".to_owned(),
                    Some(value) => format!("Optional: the app's default is {value}"),
                    None => "Optional: the app has a default of its own".to_owned(),
                }
            };
            let mut entry = placeholder(key, default.clone().unwrap_or_default(), comment);
            entry.commented = true;
            wanted.push(entry);
            continue;
        }
        let comment = server_variable(key).unwrap_or("Read by the app");
        wanted.push(placeholder(key, String::new(), comment.to_owned()));
    }
    wanted.retain(|entry| present.insert(entry.key.clone()));
    wanted
}

/// What a settings class that refuses undeclared `.env` keys means for this
/// `.env`: the keys left out of it, and the lines already there that stop the app.
fn strict_notes(strict: &StrictEnv, refused: &[String], existing: &[EnvEntry]) -> Vec<String> {
    let place = format!("{}:{}", strict.file, strict.line);
    let mut notes = Vec::new();
    if !refused.is_empty() {
        notes.push(format!(
            "{place}: {} refuses keys it does not declare in .env (pydantic-settings' default, \
             extra=\"forbid\"), so .env leaves out {}\n  hint: set {} in the platform's \
             environment, or declare {} in {}",
            strict.class,
            refused.join(", "),
            if refused.len() == 1 { "it" } else { "them" },
            if refused.len() == 1 { "it" } else { "them" },
            strict.class
        ));
    }
    for entry in existing
        .iter()
        .filter(|e| !e.value.is_empty() && !strict.accepts(&e.key))
    {
        notes.push(format!(
            ".env line {}: {} is not a field of {} ({place}), which refuses undeclared keys in \
             .env: the app will not start\n  hint: move it to the environment, declare it in {}, \
             or set extra=\"ignore\" in its model_config",
            entry.line, entry.key, strict.class, strict.class
        ));
    }
    notes
}

/// Whether `key` names a webhook signing secret (`PLAID_WEBHOOK_SECRET`).
fn is_webhook_secret(key: &str) -> bool {
    key.contains("WEBHOOK") && (key.contains("SECRET") || key.contains("KEY"))
}

/// A loud note for each webhook secret the app reads that `.env` leaves
/// empty or unset and preflight did not generate (the provider issues it):
/// many apps skip signature checks when it is empty.
fn empty_webhook_secrets(
    reads: &BTreeSet<String>,
    env: &[EnvEntry],
    generated: &[(String, SecretKind)],
) -> Vec<String> {
    reads
        .iter()
        .filter(|key| is_webhook_secret(key))
        .filter(|key| !generated.iter().any(|(var, _)| var == *key))
        .filter(|key| {
            env.iter()
                .find(|e| &e.key == *key)
                .is_none_or(|e| e.value.trim().is_empty())
        })
        .map(|key| {
            format!(
                "{key} is empty in .env: an app that skips signature checks without it accepts \
                 unsigned webhooks\n  hint: paste the signing secret the provider issued into .env \
                 (and the platform's secret store)"
            )
        })
        .collect()
}

/// The keys of lines like `# KEY=value`: variables written commented out.
fn commented_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix('#'))
        .filter_map(|rest| rest.trim_start().split_once('='))
        .map(|(key, _)| key.trim())
        .filter(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

/// What the variables read by the generated `gunicorn.conf.py` are for: the
/// server reads them, not the app, and "read by the app" would mislead.
fn server_variable(key: &str) -> Option<&'static str> {
    Some(match key {
        "PORT" => "Port gunicorn binds to; platforms such as Heroku, Render and fly set it",
        "WEB_CONCURRENCY" => "Number of gunicorn workers (empty: 2 x CPU cores + 1)",
        "FORWARDED_ALLOW_IPS" => "Proxy addresses whose X-Forwarded-* headers gunicorn trusts",
        _ => return None,
    })
}

fn placeholder(key: &str, value: String, comment: String) -> NewEntry {
    NewEntry {
        key: key.to_owned(),
        value,
        comment: Some(comment),
        commented: false,
    }
}

/// The non-secret settings the app reads (or, for Django, should read),
/// under the names it reads them by.
fn settings(
    project: &Project,
    answers: &BTreeMap<String, String>,
    reads: &BTreeSet<String>,
    in_env: &BTreeSet<String>,
) -> Vec<Setting> {
    let django = project.framework == Framework::Django;
    let read = |names: &[&str], default: Option<&str>| -> Option<String> {
        choose_name(names, reads, in_env)
            .or(default)
            .map(str::to_owned)
    };
    let domains = list_answer(answers, "domain", |d| {
        d.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    });
    let origins = list_answer(answers, "cors_origins", |o| {
        o.trim_end_matches('/').to_owned()
    });
    let joined = |items: &[String]| (!items.is_empty()).then(|| items.join(","));
    let mut out = Vec::new();

    let debug_names = ["DJANGO_DEBUG", "DEBUG", "FLASK_DEBUG", "APP_DEBUG"];
    if let Some(key) = read(&debug_names, django.then_some("DJANGO_DEBUG")) {
        let off = if key == "FLASK_DEBUG" { "0" } else { "False" };
        out.push(Setting {
            key,
            env_value: Some(off.to_owned()),
            example_value: off.to_owned(),
            comment: "Off in production: debug pages show code and settings to anyone".to_owned(),
            answer: None,
        });
    }
    let host_names = ["DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS"];
    if let Some(key) = read(&host_names, django.then_some("DJANGO_ALLOWED_HOSTS")) {
        out.push(Setting {
            key,
            env_value: joined(&domains),
            example_value: "api.example.com".to_owned(),
            comment: "Host names the app answers to, comma-separated (never *)".to_owned(),
            answer: Some("domain"),
        });
    }
    if let Some(key) = read(
        &["DJANGO_CSRF_TRUSTED_ORIGINS", "CSRF_TRUSTED_ORIGINS"],
        None,
    ) {
        let https: Vec<String> = domains.iter().map(|d| format!("https://{d}")).collect();
        out.push(Setting {
            key,
            env_value: joined(&https),
            example_value: "https://api.example.com".to_owned(),
            comment: "Origins trusted for CSRF-protected forms, comma-separated".to_owned(),
            answer: Some("domain"),
        });
    }
    let cors_names = [
        "CORS_ALLOWED_ORIGINS",
        "DJANGO_CORS_ALLOWED_ORIGINS",
        "CORS_ORIGINS",
        "ALLOWED_ORIGINS",
        "BACKEND_CORS_ORIGINS",
        "CORS_ORIGIN_WHITELIST",
    ];
    for key in cors_names.iter().filter(|name| reads.contains(**name)) {
        out.push(Setting {
            key: (*key).to_owned(),
            env_value: joined(&origins),
            example_value: "https://app.example.com".to_owned(),
            comment: "Browser origins allowed to call the API, comma-separated (never *)"
                .to_owned(),
            answer: Some("cors_origins"),
        });
    }
    out.extend(fixed_settings(project, reads));
    out
}

/// Settings with one right production value whenever the app reads them.
fn fixed_settings(project: &Project, reads: &BTreeSet<String>) -> Vec<Setting> {
    let mut table: Vec<(&str, String, &str)> = Vec::new();
    for name in ["ENVIRONMENT", "APP_ENV", "DJANGO_ENV", "FLASK_ENV", "ENV"] {
        table.push((name, "production".into(), "Which environment this is"));
    }
    for name in [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SESSION_COOKIE_SECURE",
        "DJANGO_CSRF_COOKIE_SECURE",
    ] {
        table.push((name, "True".into(), "HTTPS only in production"));
    }
    for name in ["LOG_LEVEL", "DJANGO_LOG_LEVEL"] {
        table.push((
            name,
            "INFO".into(),
            "Log level: INFO in production, not DEBUG",
        ));
    }
    if let Some(module) = settings_module(project) {
        table.push((
            "DJANGO_SETTINGS_MODULE",
            module,
            "The settings module production runs with",
        ));
    }
    table
        .into_iter()
        .filter(|(name, _, _)| reads.contains(*name))
        .map(|(name, value, comment)| Setting {
            key: name.to_owned(),
            env_value: Some(value.clone()),
            example_value: value,
            comment: comment.to_owned(),
            answer: None,
        })
        .collect()
}

/// `config/settings/production.py` as a module path, when there is one settings file.
fn settings_module(project: &Project) -> Option<String> {
    let [file] = project.settings.as_slice() else {
        return None;
    };
    let stem = file.strip_suffix(".py")?;
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    Some(stem.replace('/', "."))
}

/// A comma- or space-separated answer as a clean list.
fn list_answer(
    answers: &BTreeMap<String, String>,
    key: &str,
    clean: impl Fn(&str) -> String,
) -> Vec<String> {
    answers
        .get(key)
        .map(|list| {
            list.split([',', ' '])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(clean)
                .collect()
        })
        .unwrap_or_default()
}

/// The app's name as a database name: lowercase letters, digits and `_`.
fn app_name(project: &Project, answers: &BTreeMap<String, String>) -> String {
    answers
        .get("app_name")
        .filter(|name| !name.trim().is_empty())
        .map_or(project.name.as_str(), String::as_str)
        .trim()
        .to_owned()
}

/// A PostgreSQL URL on this machine with `password`, in the dialect the
/// project's database library reads: dj-database-url and django-environ take
/// `postgres://`; SQLAlchemy wants `postgresql://` and, unless the driver is
/// psycopg2, the driver named (`postgresql+psycopg://`, `+asyncpg`).
fn database_url(project: &Project, answers: &BTreeMap<String, String>, password: &str) -> String {
    let scheme = postgres_scheme(project);
    let database = database_ident(&app_name(project, answers));
    format!("{scheme}://app:{password}@localhost:5432/{database}")
}

/// An app name as a database or user name that needs no quoting: lowercase
/// letters, digits and `_`, never empty or starting with a digit (`app` is
/// put in front). The `.env` URL and the compose file name it alike.
pub(crate) fn database_ident(name: &str) -> String {
    let mut ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, "app");
    }
    ident
}

/// The PostgreSQL URL scheme the project's database library reads
/// (`postgres`, `postgresql`, `postgresql+psycopg`, `postgresql+asyncpg`).
pub(crate) fn postgres_scheme(project: &Project) -> &'static str {
    let uses_sqlalchemy = ["sqlalchemy", "flask-sqlalchemy", "sqlmodel", "alembic"]
        .iter()
        .any(|dep| uses(project, dep));
    if project.framework == Framework::Django || !uses_sqlalchemy {
        "postgres"
    } else if uses(project, "asyncpg") {
        "postgresql+asyncpg"
    } else if uses(project, "psycopg")
        && !uses(project, "psycopg2")
        && !uses(project, "psycopg2-binary")
    {
        "postgresql+psycopg"
    } else {
        "postgresql"
    }
}

/// Notes about what `.env` already holds: secrets that are empty or too
/// weak, debug switched on. They name variables, never values.
fn notes(specs: &[SecretSpec], settings: &[Setting], existing: &[EnvEntry]) -> Vec<String> {
    let values: BTreeMap<&str, &str> = existing
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    let secrets = specs.iter().filter_map(|spec| {
        let value = values.get(spec.var.as_str())?;
        let problem = weakness(spec, value)?;
        Some(format!(
            "{} in .env {problem}: replace it with the output of `{}`",
            spec.var,
            spec.command()
        ))
    });
    let debug = settings
        .iter()
        .filter(|setting| setting.key.ends_with("DEBUG"))
        .filter(|setting| {
            values
                .get(setting.key.as_str())
                .is_some_and(|v| is_truthy(v))
        })
        .map(|setting| {
            format!(
                "{} in .env is on: production needs {}={}",
                setting.key, setting.key, setting.example_value
            )
        });
    secrets.chain(debug).collect()
}

/// Whether a Python app would read `value` as a true flag.
fn is_truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "t" | "y"
    )
}

/// Why an existing value is not good enough for its kind, if it is not.
fn weakness(spec: &SecretSpec, value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("is empty");
    }
    if spec.var == "DATABASE_URL" {
        return None;
    }
    let distinct: BTreeSet<char> = value.chars().collect();
    match spec.kind {
        SecretKind::Django if value.starts_with("django-insecure-") => {
            Some("is Django's development key (django-insecure-…)")
        }
        SecretKind::Django if value.chars().count() < 50 || distinct.len() < 5 => {
            Some("is shorter or simpler than Django's own check (W009) accepts")
        }
        SecretKind::Password if value.chars().count() < 16 => Some("is shorter than 16 chars"),
        SecretKind::Hex | SecretKind::Jwt | SecretKind::Urlsafe | SecretKind::ApiKey
            if value.chars().count() < 32 =>
        {
            Some("is shorter than 32 chars")
        }
        _ => None,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_name_needs_no_quoting() {
        use super::database_ident;
        assert_eq!(database_ident("my-api"), "my_api");
        assert_eq!(database_ident("1shop"), "app1shop");
        assert_eq!(database_ident(""), "app");
    }
    use super::*;

    fn django_project(root: &Path, env_vars: &[&str]) -> Project {
        Project {
            root: root.to_path_buf(),
            name: "shop".into(),
            framework: Framework::Django,
            env_vars: env_vars.iter().map(|s| (*s).to_owned()).collect(),
            settings: vec!["config/settings.py".into()],
            ..Project::default()
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn values(text: &str) -> BTreeMap<String, String> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value))
            .collect()
    }

    const EXISTING: &str =
        "# local settings\r\nDEBUG=True  # for now\r\nEMPTY=\r\n\r\nNAME='my shop'";

    #[test]
    fn keeps_the_old_env_and_appends_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), EXISTING).unwrap();
        let project = django_project(
            dir.path(),
            &["SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"],
        );
        let plan = plan(
            &project,
            &answers(&[("domain", "api.shop.test, www.shop.test")]),
        )
        .unwrap();
        assert!(plan.env.starts_with(EXISTING), "{}", plan.env);
        let env = values(&plan.env);
        assert_eq!(env["DEBUG"], "True", "existing values stay");
        assert_eq!(env["SECRET_KEY"].len(), 50);
        assert_eq!(env["ALLOWED_HOSTS"], "api.shop.test,www.shop.test");
        let url = &env["DATABASE_URL"];
        let password = url
            .strip_prefix("postgres://app:")
            .and_then(|rest| rest.strip_suffix("@localhost:5432/shop"))
            .expect(url);
        assert_eq!(password.len(), 32);
        assert_eq!(
            plan.generated,
            [
                ("SECRET_KEY".to_owned(), SecretKind::Django),
                ("DATABASE_URL".to_owned(), SecretKind::Password)
            ]
        );
        assert!(
            plan.env.contains("\r\n# Added by preflight"),
            "CRLF is kept"
        );
        assert!(
            !plan.env.contains("DJANGO_DEBUG"),
            "the name the app reads is used"
        );
    }

    #[test]
    fn the_example_lists_every_key_and_no_real_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "STRIPE_SECRET_KEY=sk_live_reallysecret\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(".env.example"),
            "# docs\nSTRIPE_SECRET_KEY=\n",
        )
        .unwrap();
        let project = django_project(dir.path(), &["DJANGO_SECRET_KEY", "REDIS_URL"]);
        let plan = plan(&project, &answers(&[])).unwrap();
        assert!(plan.env_example.starts_with("# docs\nSTRIPE_SECRET_KEY=\n"));
        let example = values(&plan.env_example);
        let env = values(&plan.env);
        for key in env.keys() {
            assert!(example.contains_key(key), "{key} missing from .env.example");
        }
        assert!(example.contains_key("REDIS_URL"));
        for value in env.values().filter(|v| v.len() >= 8 && *v != "False") {
            assert!(
                !plan.env_example.contains(value.as_str()),
                "{value} leaked into the example"
            );
        }
        let lines: Vec<&str> = plan.env_example.lines().collect();
        for (index, line) in lines.iter().enumerate().skip(2) {
            if line.contains('=') && !line.starts_with('#') {
                assert!(
                    lines[index - 1].starts_with("# "),
                    "{line} has no comment above it"
                );
            }
        }
        assert!(
            !env.contains_key("DJANGO_ALLOWED_HOSTS"),
            "no domain answer, no guess"
        );
        assert_eq!(example["DJANGO_ALLOWED_HOSTS"], "api.example.com");
    }

    #[test]
    fn a_second_plan_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let project = django_project(dir.path(), &["DJANGO_SECRET_KEY", "CORS_ALLOWED_ORIGINS"]);
        let answers = answers(&[
            ("domain", "api.shop.test"),
            ("cors_origins", "https://shop.test/"),
        ]);
        let first = plan(&project, &answers).unwrap();
        std::fs::write(dir.path().join(".env"), &first.env).unwrap();
        std::fs::write(dir.path().join(".env.example"), &first.env_example).unwrap();
        let second = plan(&project, &answers).unwrap();
        assert_eq!(second.env, first.env);
        assert_eq!(second.env_example, first.env_example);
        assert!(second.generated.is_empty());
        assert_eq!(
            values(&first.env)["CORS_ALLOWED_ORIGINS"],
            "https://shop.test"
        );
        assert!(first.env.starts_with("# Production environment for shop"));
    }

    #[test]
    fn an_unparseable_env_is_reported_with_its_line_and_no_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "A=1\nSECRET_KEY=\"abc\" hunter2\n").unwrap();
        let err = plan(&django_project(dir.path(), &[]), &answers(&[])).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.starts_with(".env:2: "), "{message}");
        assert!(message.contains("left as it is"), "{message}");
        assert!(
            !message.contains("hunter2") && !message.contains("abc"),
            "{message}"
        );
    }

    #[test]
    fn weak_or_empty_secrets_are_noted_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "SECRET_KEY=django-insecure-abcdefghijklmnopqrstuvwxyz0123456789\nDATABASE_URL=\n\
             DEBUG=true\n",
        )
        .unwrap();
        let project = django_project(dir.path(), &["SECRET_KEY", "DATABASE_URL", "DEBUG"]);
        let plan = plan(&project, &answers(&[])).unwrap();
        assert_eq!(plan.notes.len(), 3, "{:?}", plan.notes);
        assert_eq!(
            plan.notes[2],
            "DEBUG in .env is on: production needs DEBUG=False"
        );
        assert!(plan.notes[0].starts_with("SECRET_KEY in .env is Django's development key"));
        assert!(plan.notes[1].starts_with("DATABASE_URL in .env is empty"));
        assert!(!plan.notes.concat().contains("abcdefgh"));
        assert!(plan.generated.is_empty());
    }

    #[test]
    fn names_already_in_env_are_reused_when_the_code_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "SECRET_KEY=\nDEBUG=1\n").unwrap();
        let plan = plan(&django_project(dir.path(), &[]), &answers(&[])).unwrap();
        let env = values(&plan.env);
        assert!(!env.contains_key("DJANGO_SECRET_KEY"), "{}", plan.env);
        assert!(!env.contains_key("DJANGO_DEBUG"), "{}", plan.env);
        assert_eq!(
            plan.notes,
            [
                "SECRET_KEY in .env is empty: replace it with the output of `preflight secret \
                 django`",
                "DEBUG in .env is on: production needs DEBUG=False"
            ]
        );
    }

    #[test]
    fn a_non_utf8_env_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), b"A=caf\xe9\n").unwrap();
        let err = plan(&django_project(dir.path(), &[]), &answers(&[])).unwrap_err();
        assert!(
            format!("{err:#}").contains(".env is not UTF-8 text"),
            "{err:#}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_readable_env_survives_the_plan_as_a_prefix(
            lines in proptest::collection::vec(
                "(# [ -~]{0,12}|[A-Z_]{1,6}=[ -~]{0,12}|[ \t]{0,2}|export [A-Z]{1,4}=x)",
                0..6,
            ),
            crlf in proptest::bool::ANY,
            final_newline in proptest::bool::ANY,
        ) {
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if final_newline && !text.is_empty() {
                text.push('\n');
            }
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(".env"), &text).unwrap();
            let project = django_project(dir.path(), &["DATABASE_URL"]);
            match plan(&project, &answers(&[])) {
                Ok(plan) => {
                    proptest::prop_assert!(plan.env.starts_with(&text));
                    let env = values(&plan.env);
                    proptest::prop_assert!(env.contains_key("DJANGO_SECRET_KEY"));
                    proptest::prop_assert!(env.contains_key("DATABASE_URL"));
                }
                Err(err) => {
                    let message = format!("{err:#}");
                    proptest::prop_assert!(parse(&text).is_err(), "{}", message);
                    proptest::prop_assert!(message.starts_with(".env:"), "{}", message);
                }
            }
        }
    }

    #[test]
    fn database_urls_match_the_library() {
        let mut project = django_project(Path::new("/x"), &[]);
        let none = answers(&[]);
        assert!(database_url(&project, &none, "pw").starts_with("postgres://app:pw@"));
        project.framework = Framework::Fastapi;
        project.dependencies = vec!["sqlalchemy".into(), "asyncpg".into()];
        let url = database_url(&project, &answers(&[("app_name", "My-API")]), "pw");
        assert_eq!(url, "postgresql+asyncpg://app:pw@localhost:5432/my_api");
        project.dependencies = vec!["SQLAlchemy==2.0.30".into(), "psycopg[binary]==3.1".into()];
        let url = database_url(&project, &answers(&[("app_name", "9lives")]), "pw");
        assert_eq!(url, "postgresql+psycopg://app:pw@localhost:5432/app9lives");
        project.dependencies = vec!["flask-sqlalchemy".into(), "psycopg2-binary".into()];
        assert!(database_url(&project, &none, "pw").starts_with("postgresql://"));
    }

    #[test]
    fn an_app_reading_api_keys_gets_the_consumer_keys_joined() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "API_KEY_FRONTEND=frontend-old\n").unwrap();
        let mut project = django_project(dir.path(), &["API_KEYS"]);
        project.framework = Framework::Fastapi;
        let plan = plan(&project, &answers(&[("api_consumers", "frontend,partner")])).unwrap();
        let env = values(&plan.env);
        assert_eq!(
            env["API_KEYS"],
            format!("frontend-old,{}", env["API_KEY_PARTNER"])
        );
        assert_eq!(
            plan.generated,
            [("API_KEY_PARTNER".to_owned(), SecretKind::ApiKey)]
        );
        assert_eq!(values(&plan.env_example)["API_KEYS"], "");
    }

    #[test]
    fn settings_modules_come_from_the_settings_file() {
        let mut project = django_project(Path::new("/x"), &[]);
        project.settings = vec!["config/settings/production.py".into()];
        assert_eq!(
            settings_module(&project).as_deref(),
            Some("config.settings.production")
        );
    }
}

//! Detectors for files around the code: env files, dependencies, the runtime,
//! deployment config, operations and CI.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Ctx, Hit, Verdict};
use crate::project::{Framework, Migrations};
use crate::scan::eval::Default;
use crate::scan::facts;
use crate::scan::layers::{StartKind, migrates};
use crate::scan::python::StmtKind;
use crate::scan::repo;
use crate::scan::settings::pydantic_fields;
use crate::scan::walk::{FileKind, TextFile, is_copy_template, is_env_template};
use crate::scan::{is_migration, is_test_file};

/// Whether the project ships a template to copy into `.env` (`.env.example`):
/// the copy is what `git add .` would commit.
fn documents_a_dotenv(ctx: &Ctx<'_>) -> bool {
    env_files(ctx).any(|f| !in_frontend(ctx, &f.rel) && is_copy_template(&f.rel))
}

/// Whether the app (or its compose file) loads a `.env` file: python-dotenv,
/// python-decouple, django-environ's `read_env`, pydantic-settings' `env_file`,
/// Flask with python-dotenv, compose `env_file:`. Without one, a `.env` is not
/// where its secrets live and .gitignore need not name it.
fn loads_env_file(ctx: &Ctx<'_>) -> bool {
    // python-dotenv alone is often only pytest-dotenv's: the app must import it.
    ctx.depends_on("python-decouple")
        || ctx.imports("dotenv")
        || ctx.imports("decouple")
        || ctx.tree.py.iter().any(|f| {
            f.source.as_ref().is_some_and(|s| {
                s.text.contains("read_env")
                    || s.text.contains("env_file")
                    || s.text.contains("load_dotenv")
            })
        })
        || ctx
            .tree
            .files
            .iter()
            .any(|f| f.kind == FileKind::Platform && f.text.contains("env_file"))
}

/// `KEY=value` pairs of an env file with their 1-based lines.
pub fn env_entries(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            let key = key.trim();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return None;
            }
            let value = value
                .split(" #")
                .next()
                .unwrap_or(value)
                .trim()
                .trim_matches(['"', '\'']);
            Some((i + 1, key.to_owned(), value.to_owned()))
        })
        .collect()
}

fn env_files<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a TextFile> + 'a {
    ctx.tree
        .files
        .iter()
        .filter(|f| f.kind == FileKind::EnvFile)
}

/// Whether git would ignore `rel` under the project's .gitignore files.
fn git_ignores(ctx: &Ctx<'_>, rel: &str) -> bool {
    let root = &ctx.tree.root;
    if let Some(above) = rel.strip_prefix("../") {
        return git_ignores_above(root, &format!("../{above}"));
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    let mut dir = String::new();
    for part in std::iter::once("").chain(
        rel.split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev(),
    ) {
        if !part.is_empty() {
            dir = if dir.is_empty() {
                part.to_owned()
            } else {
                format!("{dir}/{part}")
            };
        }
        let gitignore = root.join(&dir).join(".gitignore");
        if gitignore.is_file() {
            let _ = builder.add(gitignore);
        }
    }
    let exclude = root.join(".git/info/exclude");
    if exclude.is_file() {
        let _ = builder.add(exclude);
    }
    let Ok(own) = builder.build() else {
        return false;
    };
    match own.matched_path_or_any_parents(rel, false) {
        ignore::Match::Ignore(_) => return true,
        ignore::Match::Whitelist(_) => return false,
        ignore::Match::None => {}
    }
    git_ignores_above(root, rel)
}

/// Whether a `.gitignore` in the folders above the project, up to the git root
/// (nearest first), ignores `rel` (relative to the project, `../` allowed): a
/// nested backend's `.env` is usually ignored by the repository's top one.
fn git_ignores_above(root: &std::path::Path, rel: &str) -> bool {
    let Ok(canonical) = std::fs::canonicalize(root) else {
        return false;
    };
    let mut path = canonical.clone();
    for part in rel.split('/') {
        if part == ".." {
            path.pop();
        } else if !part.is_empty() && part != "." {
            path.push(part);
        }
    }
    for dir in repo::dirs_above(root) {
        let file = dir.join(".gitignore");
        let small = std::fs::symlink_metadata(&file)
            .is_ok_and(|meta| meta.is_file() && meta.len() <= repo::MAX_FILE_BYTES);
        if !path.starts_with(&dir) || !small {
            continue;
        }
        let Some(bytes) = crate::fsutil::read_regular(&file) else {
            continue;
        };
        let mut builder = ignore::gitignore::GitignoreBuilder::new(&dir);
        for line in String::from_utf8_lossy(&bytes).lines() {
            let _ = builder.add_line(None, line);
        }
        let Ok(above) = builder.build() else {
            continue;
        };
        match above.matched_path_or_any_parents(&path, false) {
            ignore::Match::Ignore(_) => return true,
            ignore::Match::Whitelist(_) => return false,
            ignore::Match::None => {}
        }
    }
    false
}

/// Whether git tracks `rel` (it is in the index), read without running git.
fn git_tracks(ctx: &Ctx<'_>, rel: &str) -> bool {
    let Ok(Some(index)) = crate::fsutil::read_in(&ctx.tree.root, &ctx.tree.root.join(".git/index"))
    else {
        return false;
    };
    // Index entries store the path NUL-terminated after a 2-byte flags field
    // whose low 12 bits are the path length.
    let path = rel.as_bytes();
    let Ok(len) = u16::try_from(path.len()) else {
        return false;
    };
    let mut needle = (len & 0x0fff).to_be_bytes().to_vec();
    needle.extend_from_slice(path);
    needle.push(0);
    index
        .windows(needle.len())
        .any(|w| w[1..] == needle[1..] && w[0] & 0x0f == needle[0])
}

/// `env-gitignored`: real env files are ignored by git and not tracked.
pub fn env_gitignored(ctx: &Ctx<'_>) -> Verdict {
    // A frontend's `.env.production` is meant to be committed: whether it holds a
    // secret is no-frontend-secrets' business.
    let real: Vec<&TextFile> = env_files(ctx)
        .filter(|f| {
            !is_env_template(&f.rel) && !is_public_only(&f.text) && !in_frontend(ctx, &f.rel)
        })
        .collect();
    let mut problems = Vec::new();
    for file in &real {
        if git_tracks(ctx, &file.rel) {
            problems.push(format!("{} is tracked by git", file.rel));
        } else if !git_ignores(ctx, &file.rel) {
            problems.push(format!("{} is not in .gitignore", file.rel));
        }
    }
    // Where the app's .env would go: the root, next to a nested backend's template,
    // or what a compose service's `env_file:` names (`./.env.prod`, ignored as such).
    let mut homes = vec![".env".to_owned()];
    homes.extend(compose_env_files(ctx));
    homes.extend(
        env_files(ctx)
            .filter(|f| is_env_template(&f.rel) && !in_frontend(ctx, &f.rel))
            .filter_map(|f| f.rel.rsplit_once('/').map(|(dir, _)| format!("{dir}/.env"))),
    );
    if real.is_empty()
        && !ctx.project.env_vars.is_empty()
        && (loads_env_file(ctx) || documents_a_dotenv(ctx))
        && !homes.iter().any(|home| git_ignores(ctx, home))
    {
        problems.push(".gitignore does not ignore .env".to_owned());
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(problems.join("; "))])
    }
}

/// The files compose services load with `env_file:` (one value or a list),
/// relative to the project like the compose file itself (`../.env.prod` for a
/// compose file at the repository's top above a nested backend).
fn compose_env_files(ctx: &Ctx<'_>) -> Vec<String> {
    let mut found = Vec::new();
    for file in ctx.tree.files.iter().filter(|f| {
        f.kind == FileKind::Platform
            && f.rel
                .rsplit('/')
                .next()
                .is_some_and(|n| n.contains("compose"))
    }) {
        let dir = file.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut list_indent: Option<usize> = None;
        for line in file.text.lines() {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            let value = if let Some(rest) = trimmed.strip_prefix("env_file:") {
                list_indent = rest.trim().is_empty().then_some(indent);
                rest.trim()
            } else if let Some(at) = list_indent
                && indent > at
                && let Some(item) = trimmed.strip_prefix("- ")
            {
                // `- path: ./.env` (the long form) or `- ./.env`.
                item.trim().strip_prefix("path:").unwrap_or(item).trim()
            } else {
                if list_indent.is_some_and(|at| indent <= at && !trimmed.is_empty()) {
                    list_indent = None;
                }
                continue;
            };
            let value = value.trim_matches(['"', '\'']);
            if value.is_empty() || value.starts_with('[') || value.contains('$') {
                continue;
            }
            found.push(join_rel(dir, value.trim_start_matches("./")));
        }
    }
    found
}

/// `dir/rel` with `..` folded where it can be (`../deploy` + `../x` → `../x`).
fn join_rel(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." && parts.last().is_some_and(|p| *p != "..") {
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    parts.join("/")
}

/// Whether an env file holds only the public build-time values a frontend
/// inlines into its bundle anyway (`NEXT_PUBLIC_API_URL=…`, no secret among
/// them): Next.js and Vite expect `.env.production` to be committed.
fn is_public_only(text: &str) -> bool {
    let entries = env_entries(text);
    !entries.is_empty()
        && entries.iter().all(|(_, key, value)| {
            PUBLIC_PREFIXES.iter().any(|p| key.starts_with(p)) && !public_secret(key, value)
        })
}

/// Whether a file sits in a frontend's own folder (one with a package.json).
fn in_frontend(ctx: &Ctx<'_>, rel: &str) -> bool {
    let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let manifest = if dir.is_empty() {
        "package.json".to_owned()
    } else {
        format!("{dir}/package.json")
    };
    ctx.tree
        .files
        .iter()
        .any(|f| f.kind == FileKind::PackageJson && f.rel == manifest)
}

/// Whether a value is a placeholder rather than a real value: empty, a
/// reference to another variable (`${DB_PASSWORD}`, `$TOKEN`, `${X:-}`), a
/// run of one character (`00000000`), or text that says so (`changeme`,
/// `change-me`, `fixme`, `your-secret-here`, `<your key>`, `xxx`, `TODO`,
/// `replace_me`, `...`, `****`).
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    value.is_empty()
        || value.starts_with('$')
        || chars.all(|c| Some(c) == first)
        || [
            "change",
            "fixme",
            "fix-me",
            "fix_me",
            "your",
            "xxx",
            "example",
            "placeholder",
            "replace",
            "<",
            "...",
            "todo",
            "tbd",
            "****",
            "dummy",
            "set-me",
            "set_me",
            "setme",
            "insert",
            "_here",
            "-here",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Whether a secret's value in a committed env template is real: templates
/// are committed on purpose and hold placeholders (`DB_PASSWORD=fixme`,
/// `REDIS_PASSWORD=secret`, `${VAR}`); only a value with the shape of a real
/// key (a known format or a high-entropy token, see
/// [`crate::scan::redact::looks_like_key`]) is one leaked.
fn real_in_template(value: &str) -> bool {
    !is_placeholder(value) && crate::scan::redact::looks_like_key(value)
}

/// Whether an env variable name holds a secret.
fn is_secret_var(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PRIVATE",
        "API_KEY",
        "_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| upper.contains(w) || upper.ends_with(w))
}

/// `env-example-present`: a `.env.example` documents every variable read, with no real values.
pub fn env_example(ctx: &Ctx<'_>) -> Verdict {
    // The backend's own env files: at the root, or in the folder a nested
    // backend runs from (`backend/.env.example`), never a frontend's.
    let backend = |f: &&TextFile| !f.rel.contains('/') || !in_frontend(ctx, &f.rel);
    let example = env_files(ctx)
        .filter(|f| is_env_template(&f.rel))
        .filter(backend)
        .min_by_key(|f| {
            (
                f.rel.matches('/').count(),
                !f.rel.contains("example"),
                f.rel.clone(),
            )
        });
    let has_env = env_files(ctx)
        .filter(backend)
        .any(|f| !is_env_template(&f.rel) && !f.rel.contains('/'));
    let needed = needed_env_vars(ctx);
    let Some(example) = example else {
        if needed.is_empty() && !has_env {
            return Verdict::NotApplicable;
        }
        return Verdict::Fail(vec![Hit::missing(if needed.is_empty() {
            "no .env.example beside the .env the app loads".to_owned()
        } else {
            format!("no .env.example; production must set {}", preview(&needed))
        })]);
    };
    let entries = env_entries(&example.text);
    let mut documented: BTreeSet<&str> = entries.iter().map(|(_, k, _)| k.as_str()).collect();
    // `# TIMEOUT=30` documents an optional variable without setting it (an
    // empty `TIMEOUT=` would override the app's default), as `generate` writes them.
    documented.extend(commented_keys(&example.text));
    let mut hits = Vec::new();
    for (line, key, value) in &entries {
        if is_secret_var(key) && real_in_template(value) {
            hits.push(Hit::at(&example.rel, *line, format!("{key}={value}")));
        }
    }
    // Only what production must set (issue 11 class 10); a tuning knob with a
    // safe default may be listed, and its absence is not a finding.
    let undocumented: Vec<String> = needed
        .into_iter()
        .filter(|v| !documented.contains(v.as_str()))
        .collect();
    if !undocumented.is_empty() {
        hits.push(Hit {
            file: Some(example.rel.clone()),
            line: None,
            evidence: Some(format!("missing: {}", preview(&undocumented))),
        });
    }
    Verdict::from_hits(hits)
}

/// The variables production must set, sorted: read by application code with
/// no default or an unsafe one (the settings chain read with its shared
/// `env`), and pydantic settings fields without a safe default.
fn needed_env_vars(ctx: &Ctx<'_>) -> Vec<String> {
    let mut needed = BTreeSet::new();
    if let Some(settings) = &ctx.settings {
        // Only the reads production evaluates: a setting's final value (not
        // one production.py overrides, nor a branch the settings skip).
        for rel in &settings.files {
            if let Some(source) = ctx.tree.python(rel).and_then(|f| f.source.as_ref()) {
                // A branch counts when production certainly takes it
                // (`if not DEBUG:`); an optional feature's branch does not.
                let taken = |header: &usize| match &source.module.stmts[*header].kind {
                    StmtKind::Block { keyword, exprs }
                        if *keyword == "if" || *keyword == "elif" =>
                    {
                        exprs
                            .first()
                            .is_some_and(|test| settings.eval(test).truthy() == Some(true))
                    }
                    _ => false,
                };
                needed.extend(
                    facts::needed_env(&source.module, &settings.style)
                        .into_iter()
                        .filter(|r| r.guards.iter().all(taken))
                        .filter(|r| r.unconditional || super::code::survives_at(ctx, rel, r.line))
                        .map(|r| r.name),
                );
            }
        }
    }
    for file in ctx.app_files() {
        if ctx
            .settings
            .as_ref()
            .is_some_and(|s| s.files.contains(&file.rel))
        {
            continue;
        }
        needed.extend(file.facts.needed_env.iter().cloned());
        if let Some(source) = &file.source {
            // `settings_customise_sources` may fill a field from elsewhere (a
            // TOML file, a vault): a field without a default is not known to
            // come from the environment.
            let other_sources = source.module.stmts.iter().any(
                |s| matches!(&s.kind, StmtKind::Def { name } if name == "settings_customise_sources"),
            );
            for field in pydantic_fields(&source.module) {
                let default = match field.default.as_ref() {
                    Some(expr) => Default::Value(expr),
                    None if other_sources => continue,
                    None => Default::Required,
                };
                if facts::must_be_set(&field.env_name, &default) {
                    needed.insert(field.env_name);
                }
            }
        }
    }
    let provided = platform_env(ctx);
    needed
        .into_iter()
        .filter(|name| !provided.contains(name.as_str()) && !runtime_provided(name))
        .collect()
}

/// Variables the platform or runtime sets on its own (`PORT`, fly's
/// `FLY_APP_NAME`, the official Python image's `PYTHON_VERSION`): nobody
/// writes them into a `.env`.
fn runtime_provided(name: &str) -> bool {
    matches!(
        name,
        "PORT" | "DYNO" | "HOSTNAME" | "HOME" | "PATH" | "USER" | "PWD" | "PYTHON_VERSION"
    ) || [
        "FLY_",
        "RAILWAY_",
        "RENDER_",
        "HEROKU_",
        "K_SERVICE",
        "WEBSITE_",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// Variables the deployment files give a value: a Dockerfile's `ENV` and
/// fly.toml's `[env]` table. Production has them without a `.env`.
fn platform_env<'a>(ctx: &Ctx<'a>) -> BTreeSet<&'a str> {
    let mut provided = BTreeSet::new();
    for file in &ctx.tree.files {
        match file.kind {
            FileKind::Dockerfile => {
                for line in file.text.lines() {
                    let line = line.trim();
                    let Some(rest) = line
                        .get(..4)
                        .filter(|k| k.eq_ignore_ascii_case("ENV "))
                        .map(|_| &line[4..])
                    else {
                        continue;
                    };
                    // `ENV A=1 B=2`, or the old `ENV A 1`.
                    if rest.contains('=') {
                        provided.extend(
                            rest.split_whitespace()
                                .filter_map(|pair| pair.split_once('=').map(|(k, _)| k)),
                        );
                    } else if let Some(key) = rest.split_whitespace().next() {
                        provided.insert(key);
                    }
                }
            }
            FileKind::FlyToml => {
                let mut in_env = false;
                for line in file.text.lines() {
                    let line = line.trim();
                    if line.starts_with('[') {
                        in_env = line == "[env]";
                    } else if in_env && let Some((key, _)) = line.split_once('=') {
                        provided.insert(key.trim().trim_matches('"'));
                    }
                }
            }
            _ => {}
        }
    }
    provided
}

/// The keys of commented-out assignments (`# KEY=value`, `#export KEY=`).
fn commented_keys(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let rest = line.trim().strip_prefix('#')?.trim_start();
        let rest = rest.strip_prefix("export ").unwrap_or(rest);
        let (key, _) = rest.split_once('=')?;
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        valid.then_some(key)
    })
}

fn preview(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(text, " and {} more", names.len() - SHOWN);
    }
    text
}

/// Prefixes that a frontend build inlines into client-side code.
const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "NUXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "GATSBY_",
    "PUBLIC_",
    "VUE_APP_",
];

/// `no-frontend-secrets`: no secret in a variable the frontend bundles.
pub fn frontend_secrets(ctx: &Ctx<'_>) -> Verdict {
    let mut hits = Vec::new();
    for file in env_files(ctx) {
        // A template's placeholder (`VITE_API_TOKEN=${API_TOKEN}`) is not a value
        // the bundle would carry; a real-looking key in it is.
        let template = is_env_template(&file.rel);
        for (line, key, value) in env_entries(&file.text) {
            if public_secret(&key, &value) && (!template || real_in_template(&value)) {
                hits.push(Hit::at(&file.rel, line, format!("{key}={value}")));
            }
        }
    }
    Verdict::from_hits(hits)
}

/// Whether a variable a frontend bundles (`VITE_…`) holds a real secret.
fn public_secret(key: &str, value: &str) -> bool {
    let Some(rest) = PUBLIC_PREFIXES.iter().find_map(|p| key.strip_prefix(p)) else {
        return false;
    };
    let publishable = [
        "PUBLISHABLE",
        "ANON",
        "PUBLIC_KEY",
        "SITE_KEY",
        "MEASUREMENT",
        "DSN",
    ]
    .iter()
    .any(|w| rest.contains(w))
        || value.starts_with("pk_");
    let secret = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PRIVATE"]
        .iter()
        .any(|w| rest.contains(w));
    secret && !publishable && !is_placeholder(value)
}

/// Whether a lock file pins the dependencies wherever the project keeps it:
/// the project's root, the folder of any dependency manifest (a backend in
/// `backend/` with its `uv.lock` beside its `pyproject.toml`), or a folder above
/// a nested project up to the git root (a uv or Poetry workspace's one lock).
fn locked(ctx: &Ctx<'_>) -> bool {
    let root = &ctx.tree.root;
    let mut dirs: BTreeSet<&str> = BTreeSet::from([""]);
    dirs.extend(
        ctx.tree
            .files
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    FileKind::Requirements | FileKind::Pyproject | FileKind::Pipfile
                ) && !f.rel.starts_with("../")
            })
            .map(|f| f.rel.rsplit_once('/').map_or("", |(dir, _)| dir)),
    );
    dirs.iter().any(|dir| {
        repo::LOCK_FILES
            .iter()
            .any(|lock| repo::is_regular(&root.join(dir).join(lock)))
    }) || !repo::lock_files_above(root).is_empty()
}

/// `deps-pinned`: every declared dependency pinned or bounded.
pub fn deps_pinned(ctx: &Ctx<'_>) -> Verdict {
    if locked(ctx) {
        return Verdict::Pass;
    }
    // Development files count too: an unpinned test dependency breaks CI the same way.
    let production: Vec<_> = ctx.deps.iter().collect();
    if production.is_empty() {
        return if ctx.project.framework == Framework::Unknown {
            Verdict::NotApplicable
        } else {
            Verdict::Fail(vec![Hit::missing(
                "no requirements.txt, pyproject.toml or Pipfile declares the dependencies",
            )])
        };
    }
    let hits = production
        .into_iter()
        .filter(|d| !d.is_pinned())
        .map(|d| Hit::at(&d.file, d.line, ctx.line_text(&d.file, d.line)))
        .collect();
    Verdict::from_hits(hits)
}

/// `runtime-pinned`: the Python version is pinned for the deployment.
pub fn runtime_pinned(ctx: &Ctx<'_>) -> Verdict {
    let (_, pinned) = crate::scan::model::python_version(&ctx.tree.files);
    if pinned.is_some() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(
            "no runtime.txt, .python-version or Dockerfile python base image",
        )])
    }
}

/// `migrations-tracked`: models have migrations, applied at release where there is a deploy config.
pub fn migrations(ctx: &Ctx<'_>) -> Verdict {
    let mut problems = Vec::new();
    let django_model_apps: BTreeSet<String> = ctx
        .tree
        .py
        .iter()
        .filter(|f| {
            ctx.project.framework == Framework::Django
                && f.facts.django_models
                && !is_test_file(&f.rel)
                && !is_migration(&f.rel)
        })
        // A `models/` package belongs to the app that holds it: `core/models/user.py`
        // is the `core` app, with `core/migrations/`.
        .filter_map(|f| match f.rel.rsplit_once("/models/") {
            Some((app, _)) => Some(app.to_owned()),
            None => f.rel.rsplit_once('/').map(|(dir, _)| dir.to_owned()),
        })
        .collect();
    let migrated: BTreeSet<&str> = ctx
        .tree
        .py
        .iter()
        .filter_map(|f| f.rel.split_once("/migrations/0").map(|(app, _)| app))
        .collect();
    for app in &django_model_apps {
        // Models in a sub-folder of an app (`blog/examples/models.py` imported by
        // `blog`) are migrated with the app above them.
        let covered = migrated
            .iter()
            .any(|m| app == m || app.starts_with(&format!("{m}/")));
        if !covered {
            problems.push(format!("{app}/ has models but no migrations"));
        }
    }
    let orm_models = ctx
        .tree
        .py
        .iter()
        .any(|f| f.facts.orm_models && !is_test_file(&f.rel) && !is_migration(&f.rel));
    let alembic_revisions = ctx.tree.py.iter().any(|f| {
        f.rel.contains("versions/") && is_migration(&f.rel)
            || f.rel.starts_with("migrations/versions/")
    });
    if orm_models && ctx.project.framework != Framework::Django && !alembic_revisions {
        problems.push("SQLAlchemy models but no Alembic revisions".to_owned());
    }
    if django_model_apps.is_empty() && !orm_models {
        return Verdict::NotApplicable;
    }
    let deploy_config = ctx.layers.platform.is_some() || ctx.layers.container_start.is_some();
    let released = ctx
        .layers
        .release
        .as_ref()
        .is_some_and(|(_, c)| migrates(c))
        || ctx.layers.web_command.as_deref().is_some_and(migrates)
        || ctx.layers.container_release.is_some()
        || deploy_pipeline_migrates(ctx);
    if deploy_config && !released && ctx.project.migrations.is_some() {
        let command = ctx
            .project
            .migrations
            .map_or("migrate", Migrations::release_command);
        problems.push(format!("no release step runs `{command}`"));
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(problems.join("; "))])
    }
}

/// Whether a CI deploy pipeline applies migrations before it ships: a workflow
/// named for deploying or releasing (`.github/workflows/deploy.yml`) whose steps
/// migrate, themselves or through a script (`uv run bash scripts/prestart.sh`
/// → `alembic upgrade head`, as full-stack-fastapi-template does). That is the
/// release step, run once per deploy.
fn deploy_pipeline_migrates(ctx: &Ctx<'_>) -> bool {
    let commands = ["migrate", "alembic upgrade", "db upgrade"];
    ci_files(ctx)
        .filter(|f| {
            let name = f
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&f.rel)
                .to_ascii_lowercase();
            name.contains("deploy") || name.contains("release")
        })
        .any(|f| runs_any(ctx, &f.text, &commands, 3))
}

/// `wsgi-server`: something the project starts runs a production server
/// (gunicorn, uvicorn, uWSGI, …), with Uvicorn workers when gunicorn serves an
/// ASGI app. A config file is not required: flags configure gunicorn as well.
pub fn wsgi_server(ctx: &Ctx<'_>) -> Verdict {
    let layers = ctx.layers;
    // The platform's web process is how production starts.
    if let Some((_, at)) = layers
        .dev_servers
        .iter()
        .find(|(kind, _)| *kind == StartKind::Platform)
    {
        return Verdict::Fail(vec![Hit::place(ctx, at)]);
    }
    if !layers.servers.is_empty() {
        return asgi_workers(ctx);
    }
    if let Some((_, at)) = layers.dev_servers.first() {
        return Verdict::Fail(vec![Hit::place(ctx, at)]);
    }
    let installed = [
        "gunicorn",
        "uvicorn",
        "uwsgi",
        "waitress",
        "granian",
        "hypercorn",
        "daphne",
    ]
    .into_iter()
    .find(|d| ctx.depends_on(d));
    let evidence = match installed {
        Some(server) => format!(
            "{server} is a dependency, but no Procfile, Dockerfile, platform file, compose \
             service or unit starts it"
        ),
        None => "nothing starts a production server (gunicorn, uvicorn) and none is a dependency"
            .to_owned(),
    };
    Verdict::Fail(vec![Hit::missing(evidence)])
}

/// The text of every gunicorn config the project keeps, wherever it keeps it:
/// a Python module named for gunicorn in any folder (`gunicorn.conf.py`,
/// `backend/deploy/gunicorn.conf.py`, `config/gunicorn.py`), or one above a
/// nested project (`../deploy/gunicorn.conf.py`, read by `scan::repo`).
fn gunicorn_configs<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a str> + 'a {
    let inside = ctx.tree.py.iter().filter_map(|f| {
        let named = f
            .rel
            .rsplit('/')
            .next()
            .is_some_and(|n| n.contains("gunicorn"));
        f.source.as_ref().filter(|_| named).map(|s| s.text.as_str())
    });
    let above = ctx
        .tree
        .files
        .iter()
        .filter(|f| f.kind == FileKind::ServerConfig)
        .map(|f| f.text.as_str());
    inside.chain(above)
}

/// An ASGI app that only gunicorn serves needs Uvicorn workers: gunicorn's
/// default sync workers cannot run it.
fn asgi_workers(ctx: &Ctx<'_>) -> Verdict {
    let runs = &ctx.layers.servers;
    if !ctx.project.asgi || runs.iter().any(|r| r.server != "gunicorn") {
        return Verdict::Pass;
    }
    let uvicorn = |text: &str| {
        text.contains("UvicornWorker")
            || text.contains("uvicorn_worker")
            || text.contains("-k uvicorn")
    };
    let configured = runs
        .iter()
        .any(|r| uvicorn(&r.command) || r.command.starts_with("FROM "))
        || ctx.tree.files.iter().any(|f| uvicorn(&f.text))
        || gunicorn_configs(ctx).any(uvicorn);
    if configured {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::place(ctx, &runs[0].place)])
    }
}

/// `procfile`: a Procfile (or fly.toml) with a web process and a release step for migrations.
/// A container image with its own start command has no Procfile to judge: its server is
/// `wsgi-server`'s business and its migrations `migrations-tracked`'s.
pub fn procfile(ctx: &Ctx<'_>) -> Verdict {
    let needs_release = ctx.project.migrations.is_some();
    let has_procfile = ctx.tree.files.iter().any(|f| f.rel == "Procfile");
    let fly = ctx.tree.files.iter().any(|f| f.kind == FileKind::FlyToml);
    // A container image, a platform file (render.yaml, railway.json) or a unit
    // with its own start command has no Procfile to judge.
    if !has_procfile
        && !fly
        && (ctx.layers.container_start.is_some() || !ctx.layers.servers.is_empty())
    {
        return Verdict::NotApplicable;
    }
    if !has_procfile && !fly {
        return Verdict::Fail(vec![Hit::missing("no Procfile")]);
    }
    let mut problems = Vec::new();
    if has_procfile && ctx.layers.procfile_web.is_none() {
        problems.push("the Procfile has no web: process");
    }
    if needs_release
        && !ctx
            .layers
            .release
            .as_ref()
            .is_some_and(|(_, c)| migrates(c))
    {
        problems.push("no release: step applies migrations");
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        let file = if has_procfile { "Procfile" } else { "fly.toml" };
        Verdict::Fail(vec![Hit {
            file: Some(file.to_owned()),
            line: None,
            evidence: Some(problems.join("; ")),
        }])
    }
}

/// Path segments that name a health check.
const HEALTH_SEGMENTS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "health_check",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "up",
    "heartbeat",
    "status",
    "_health",
];

/// `health-endpoint`: an endpoint the platform can probe.
pub fn health_endpoint(ctx: &Ctx<'_>) -> Verdict {
    let routed = ctx.routes().any(|route| {
        route
            .split('/')
            .map(|s| s.trim_matches(['^', '$']).to_ascii_lowercase())
            .any(|s| HEALTH_SEGMENTS.contains(&s.as_str()))
    });
    let library = [
        "django-health-check",
        "fastapi-health",
        "flask-healthz",
        "healthcheck",
    ]
    .iter()
    .any(|d| ctx.depends_on(d))
        || ctx.routes().any(|r| r.contains("health_check"));
    if routed || library {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing("no /health, /healthz or /ready route")])
    }
}

/// `logging-config`: logging is configured (to stdout/stderr).
pub fn logging_config(ctx: &Ctx<'_>) -> Verdict {
    let django = ctx
        .settings
        .as_ref()
        .is_some_and(|s| s.get("LOGGING").is_some());
    let configured = django
        || [
            "logging.basicConfig",
            "logging.config.dictConfig",
            "dictConfig",
            "logging.config.fileConfig",
            "structlog.configure",
            "logger.add",
            "fileConfig",
            "basicConfig",
        ]
        .iter()
        .any(|c| ctx.calls(c))
        || ctx.imports("loguru")
        || gunicorn_configs(ctx).any(|text| text.contains("logconfig"));
    if configured {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing("no LOGGING / dictConfig / basicConfig")])
    }
}

/// `error-monitoring`: an error tracker is initialised, with PII off.
pub fn error_monitoring(ctx: &Ctx<'_>) -> Verdict {
    let mut hits = Vec::new();
    for (file, module) in ctx.app_sources() {
        module.walk_exprs(&mut |e| {
            if e.call_name() == Some("sentry_sdk.init")
                && let Some(pii) = e.kwarg("send_default_pii")
                && ctx.eval_in(module, pii).truthy() == Some(true)
            {
                hits.push(Hit::at(
                    &file.rel,
                    pii.line,
                    ctx.line_text(&file.rel, pii.line),
                ));
            }
        });
    }
    let trackers = [
        "sentry_sdk",
        "rollbar",
        "bugsnag",
        "honeybadger",
        "newrelic",
        "ddtrace",
        "elasticapm",
        "raven",
        "opentelemetry",
        "airbrake",
        "appsignal",
        "scout_apm",
    ];
    let tracked = trackers.iter().any(|m| ctx.imports(m))
        || ctx.settings.as_ref().is_some_and(|s| {
            trackers
                .iter()
                .any(|t| s.mentions("INSTALLED_APPS", t) || s.mentions("MIDDLEWARE", t))
        });
    if !tracked {
        hits.push(Hit::missing(
            "no error tracker (Sentry or similar) is initialised",
        ));
    }
    Verdict::from_hits(hits)
}

fn ci_files<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a TextFile> + 'a {
    ctx.tree.files.iter().filter(|f| f.kind == FileKind::Ci)
}

/// Whether `text` (a CI step, a script) runs one of `commands`, itself or
/// through a script of the project it names (`run: bash scripts/tests-start.sh`
/// with `working-directory: backend`), following scripts `depth` deep.
fn runs_any(ctx: &Ctx<'_>, text: &str, commands: &[&str], depth: usize) -> bool {
    if commands.iter().any(|c| text.contains(c)) {
        return true;
    }
    depth > 0
        && ctx
            .tree
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Script)
            .filter(|f| names_script(text, &f.rel))
            .any(|f| runs_any(ctx, &f.text, commands, depth - 1))
}

/// Whether `text` names the script at `rel` by its file name, as the end of a
/// path (`scripts/test.sh`, `./run`) or, for a name with an extension, a word
/// (`bash test.sh`): never inside another name, and a bare word like `run`
/// (YAML's `run:`) is not a script's name.
fn names_script(text: &str, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let word_ok = name.contains('.');
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let starts = match before {
            Some('/') => true,
            None => word_ok,
            Some(c) => word_ok && (c.is_whitespace() || c == '"' || c == '\''),
        };
        starts && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
    })
}

/// `tests-and-ci`: tests exist and a CI pipeline runs them.
pub fn tests_and_ci(ctx: &Ctx<'_>) -> Verdict {
    let tests = ctx
        .tree
        .py
        .iter()
        .any(|f| is_test_file(&f.rel) && f.rel.rsplit('/').next() != Some("conftest.py"));
    let runners = [
        "pytest",
        "manage.py test",
        "unittest",
        "tox",
        "nox",
        "make test",
        "django-admin test",
    ];
    let pipeline = ci_files(ctx)
        .filter(|f| {
            !f.rel.ends_with(".pre-commit-config.yaml")
                && f.rel != "tox.ini"
                && f.rel != "noxfile.py"
        })
        .any(|f| runs_any(ctx, &f.text, &runners, 3));
    let mut missing = Vec::new();
    if !tests {
        missing.push("no tests");
    }
    if !pipeline {
        missing.push("no CI pipeline runs the tests");
    }
    if missing.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(missing.join("; "))])
    }
}

/// `dependency-audit`: CI audits dependencies and code (pip-audit, safety, bandit…).
pub fn dependency_audit(ctx: &Ctx<'_>) -> Verdict {
    let tools = [
        "pip-audit",
        "pip_audit",
        "safety check",
        "safety scan",
        "bandit",
        "osv-scanner",
        "snyk",
        "trivy",
        "uv audit",
    ];
    let audited = ci_files(ctx).any(|f| tools.iter().any(|t| f.text.contains(t)));
    if audited {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Hit::missing(
            "no pip-audit, safety or bandit step in CI",
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_entries_and_templates() {
        let entries = env_entries("# c\nexport A=1\nB = \"two\" # note\n\nnot a line\n");
        assert_eq!(
            entries,
            [(2, "A".into(), "1".into()), (3, "B".into(), "two".into())]
        );
        assert!(is_env_template(".env.example"));
        assert!(!is_env_template("frontend/.env.local"));
    }

    #[test]
    fn template_placeholders_are_not_real_secrets() {
        for value in [
            "",
            "fixme",
            "changeme",
            "change-me",
            "your-secret-here",
            "<your key>",
            "xxx",
            "TODO",
            "replace_me",
            "...",
            "${VAR}",
            "$VAR",
            "${VAR:-}",
            "secret",
            "postgres",
            "00000000000000000000",
            "please-set-this-to-a-long-random-string-in-production",
            "whsec_your_webhook_secret_here",
            "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx",
        ] {
            assert!(!real_in_template(value), "{value:?} is a placeholder");
        }
        for value in [
            "Zq8vN2xR7tLk4mW9pB3sJ6yH1cF5dG0aE8uT2oQ7iX4z",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "AKIAIOSFODNN7EXAMPLF",
            "k#9vq2!m@x7zr$e4w&p1t^y8u*c3n(b6j)h0l-g5d_s+f=a",
            "-----BEGIN RSA PRIVATE KEY-----",
        ] {
            assert!(real_in_template(value), "{value:?} looks real");
        }
    }

    #[test]
    fn compose_paths_are_relative_to_the_compose_file() {
        assert_eq!(join_rel("", ".env.prod"), ".env.prod");
        assert_eq!(join_rel("deploy", "../.env.prod"), ".env.prod");
        assert_eq!(join_rel("..", ".env.prod"), "../.env.prod");
        assert_eq!(
            join_rel("../deploy", "./env/prod.env"),
            "../deploy/env/prod.env"
        );
        assert_eq!(join_rel("../deploy", "../../x.env"), "../../x.env");
    }

    #[test]
    fn a_ci_step_names_a_script_by_its_path() {
        assert!(names_script(
            "run: bash scripts/tests-start.sh",
            "backend/scripts/tests-start.sh"
        ));
        assert!(names_script("run: sh test.sh --cov", "test.sh"));
        assert!(names_script("run: ./run ci:test", "run"));
        assert!(names_script("poetry run ./scripts/test\n", "scripts/test"));
        // YAML's `run:` and other words are not the `run` script.
        assert!(!names_script("steps:\n  - run: make lint\n", "run"));
        assert!(!names_script(
            "run: bash scripts/test.sh.bak",
            "scripts/test.sh"
        ));
        assert!(!names_script(
            "run: bash scripts/pretest.sh",
            "scripts/test.sh"
        ));
    }

    #[test]
    fn commented_assignments_document_a_key() {
        let text = "# ACCESS_TOKEN_EXPIRE_MINUTES=\n#export APP_NAME=\"x\"\n\
                    # Optional: the app's default is HS256\n# set FOO=bar in prod\n";
        let keys: Vec<&str> = commented_keys(text).collect();
        assert_eq!(keys, ["ACCESS_TOKEN_EXPIRE_MINUTES", "APP_NAME"]);
    }
}

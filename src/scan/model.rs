//! The project model: framework, entrypoint, dependencies, Python version,
//! Django settings (and which module is production), migrations, env vars.

// Paths are compared as the project spells them (`.py`, `.txt`), like Python does.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use std::collections::BTreeSet;

use super::eval::env_read;
use super::facts::AppObject;
use super::layers::Layers;
use super::settings::Settings;
use super::walk::{FileKind, TextFile};
use super::{PyFile, Tree};
use crate::project::{Framework, Migrations, Project, project_name};

/// One declared dependency, with where it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Lowercase, `_` and `.` as `-`, no extras.
    pub name: String,
    /// The version specifier as written (`==5.0.6`, `^4.2`, `*`, empty).
    pub spec: String,
    pub file: String,
    pub line: usize,
    /// Whether it ships to production (not a dev/test requirement).
    pub production: bool,
}

impl Dependency {
    /// Whether the version is pinned or bounded above.
    pub fn is_pinned(&self) -> bool {
        let spec = self.spec.trim();
        if spec.is_empty() || spec.contains('*') {
            return false;
        }
        // `^x`, `~x`, and a direct reference (`pkg @ https://…/pkg-1.0.tar.gz`).
        if spec.starts_with('^') || spec.starts_with('~') || spec.starts_with('@') {
            return true;
        }
        if spec.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // Poetry/Pipfile bare versions mean exactly that version.
            return true;
        }
        spec.contains("==") || spec.contains('<') || spec.contains("~=")
    }
}

/// Normalises a distribution name (PEP 503).
pub fn normalize_name(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Splits a PEP 508 requirement into name and version specifier.
fn split_requirement(text: &str) -> Option<(String, String)> {
    let text = text.split(';').next().unwrap_or(text).trim();
    if text.is_empty() || text.starts_with('-') || (text.contains("://") && !text.contains(" @ ")) {
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(text.len());
    let name = normalize_name(&text[..end]);
    if name.is_empty() {
        return None;
    }
    let mut rest = text[end..].trim();
    if rest.starts_with('[') {
        rest = rest.split_once(']').map_or("", |(_, r)| r).trim();
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')');
    Some((name, rest.trim().to_owned()))
}

fn is_dev_file(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    ["dev", "test", "local", "lint", "doc", "ci"]
        .iter()
        .any(|w| lower.rsplit('/').next().is_some_and(|n| n.contains(w)))
}

/// Every dependency declared in requirements files, pyproject.toml and Pipfile.
pub fn dependencies(files: &[TextFile]) -> Vec<Dependency> {
    let mut deps = Vec::new();
    for file in files {
        match file.kind {
            FileKind::Requirements => requirements(file, &mut deps),
            FileKind::Pyproject => pyproject(file, &mut deps),
            FileKind::Pipfile => pipfile(file, &mut deps),
            _ => {}
        }
    }
    deps
}

fn requirements(file: &TextFile, deps: &mut Vec<Dependency>) {
    let production = !is_dev_file(&file.rel);
    for (index, line) in file.text.lines().enumerate() {
        let line = line.split(" #").next().unwrap_or(line).trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some((name, spec)) = split_requirement(line) {
            deps.push(Dependency {
                name,
                spec,
                file: file.rel.clone(),
                line: index + 1,
                production,
            });
        }
    }
}

/// The 1-based line of the first line containing `needle` at or after `from`.
fn line_containing(text: &str, needle: &str, from: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map_or(from.max(1), |(i, _)| i + 1)
}

/// The line where a TOML table header starts.
fn table_line(text: &str, header: &str) -> usize {
    text.lines()
        .position(|l| l.trim() == header)
        .map_or(1, |i| i + 1)
}

fn pyproject(file: &TextFile, deps: &mut Vec<Dependency>) {
    let Ok(doc) = toml::from_str::<toml::Table>(&file.text) else {
        return;
    };
    let project = doc.get("project").and_then(|p| p.as_table());
    if let Some(list) = project
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
    {
        let from = table_line(&file.text, "[project]");
        for item in list.iter().filter_map(|v| v.as_str()) {
            if let Some((name, spec)) = split_requirement(item) {
                deps.push(Dependency {
                    name,
                    spec,
                    file: file.rel.clone(),
                    line: line_containing(&file.text, &format!("\"{item}\""), from),
                    production: true,
                });
            }
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    if let Some(poetry) = poetry {
        let header = "[tool.poetry.dependencies]";
        if let Some(table) = poetry.get("dependencies").and_then(|d| d.as_table()) {
            table_deps(file, table, header, true, deps);
        }
        if let Some(groups) = poetry.get("group").and_then(|g| g.as_table()) {
            for (group, body) in groups {
                if let Some(table) = body.get("dependencies").and_then(|d| d.as_table()) {
                    let header = format!("[tool.poetry.group.{group}.dependencies]");
                    table_deps(file, table, &header, false, deps);
                }
            }
        }
    }
}

fn table_deps(
    file: &TextFile,
    table: &toml::Table,
    header: &str,
    production: bool,
    deps: &mut Vec<Dependency>,
) {
    let from = table_line(&file.text, header);
    for (name, value) in table {
        if name == "python" {
            continue;
        }
        let spec = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()).map_or_else(
                // A git/path dependency pins by reference.
                || {
                    if t.contains_key("git") || t.contains_key("path") {
                        "==ref".to_owned()
                    } else {
                        String::new()
                    }
                },
                str::to_owned,
            ),
            _ => String::new(),
        };
        let line = file
            .text
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| {
                let l = l.trim_start();
                l.starts_with(name.as_str()) || l.starts_with(&format!("\"{name}\""))
            })
            .map_or(from, |(i, _)| i + 1);
        deps.push(Dependency {
            name: normalize_name(name),
            spec,
            file: file.rel.clone(),
            line,
            production,
        });
    }
}

fn pipfile(file: &TextFile, deps: &mut Vec<Dependency>) {
    let Ok(doc) = toml::from_str::<toml::Table>(&file.text) else {
        return;
    };
    for (section, production) in [("packages", true), ("dev-packages", false)] {
        if let Some(table) = doc.get(section).and_then(|p| p.as_table()) {
            table_deps(file, table, &format!("[{section}]"), production, deps);
        }
    }
}

/// The Python version a project declares, and whether that pins the runtime.
pub fn python_version(files: &[TextFile]) -> (Option<String>, Option<(String, usize)>) {
    let mut pinned = None;
    let mut declared = None;
    for file in files {
        let found = match file.kind {
            FileKind::Runtime => file.text.lines().enumerate().find_map(|(i, l)| {
                let l = l.trim();
                let v = l.strip_prefix("python-").unwrap_or(l);
                let v = v.strip_prefix("python ").unwrap_or(v).trim();
                v.starts_with(|c: char| c.is_ascii_digit())
                    .then(|| (v.to_owned(), i + 1))
            }),
            FileKind::Dockerfile => file.text.lines().enumerate().find_map(|(i, l)| {
                let l = l.trim();
                let image = l
                    .strip_prefix("FROM ")
                    .or_else(|| l.strip_prefix("from "))?;
                let tag = image.split_whitespace().next()?;
                let tag = tag.rsplit('/').next()?.strip_prefix("python:")?;
                let version: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                (!version.is_empty()).then_some((version, i + 1))
            }),
            FileKind::Platform => platform_python(file),
            FileKind::Pipfile => file.text.lines().enumerate().find_map(|(i, l)| {
                let (key, value) = l.split_once('=')?;
                (key.trim() == "python_version" || key.trim() == "python_full_version")
                    .then(|| (value.trim().trim_matches('"').to_owned(), i + 1))
            }),
            _ => None,
        };
        if let Some((version, line)) = found {
            if pinned.is_none() {
                pinned = Some((file.rel.clone(), line));
                declared = Some(version);
            }
            continue;
        }
        if file.kind == FileKind::Pyproject && declared.is_none() {
            declared = file.text.lines().find_map(|l| {
                let (key, value) = l.split_once('=')?;
                let key = key.trim();
                if key != "requires-python" && key != "python" {
                    return None;
                }
                let digits: String = value
                    .trim()
                    .trim_matches('"')
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                (!digits.is_empty()).then_some(digits)
            });
        }
    }
    (declared, pinned)
}

/// Render's `PYTHON_VERSION` variable in a platform file: `- key: PYTHON_VERSION`
/// with `value: 3.12.3` on the next line, or `PYTHON_VERSION: "3.12.3"` on one
/// line. Compose files only describe containers, whose Dockerfile says it.
fn platform_python(file: &TextFile) -> Option<(String, usize)> {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    if name.starts_with("docker-compose") || name.starts_with("compose.") {
        return None;
    }
    let lines: Vec<&str> = file.text.lines().collect();
    let version = |text: &str| -> Option<String> {
        let v: String = text
            .trim()
            .trim_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        v.contains('.').then_some(v)
    };
    lines.iter().enumerate().find_map(|(i, line)| {
        let line = line.trim().trim_start_matches("- ");
        let rest = line.strip_prefix("key:").map(str::trim);
        if rest.is_some_and(|k| k.trim_matches(['"', '\'']) == "PYTHON_VERSION") {
            let value = lines.get(i + 1)?.trim().strip_prefix("value:")?;
            return version(value).map(|v| (v, i + 2));
        }
        let value = line
            .strip_prefix("PYTHON_VERSION")?
            .trim_start()
            .strip_prefix([':', '='])?;
        version(value).map(|v| (v, i + 1))
    })
}

/// The dotted module of a Python file path: `app/main.py` → `app.main`.
pub fn module_of(rel: &str) -> String {
    let path = rel.strip_suffix(".py").unwrap_or(rel);
    let path = path.strip_suffix("/__init__").unwrap_or(path);
    let path = path.strip_prefix("src/").unwrap_or(path);
    path.replace('/', ".")
}

/// Files that mark a folder as the root a Python app runs from.
const PYTHON_ROOT_MARKERS: &[&str] = &[
    "pyproject.toml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "manage.py",
    "alembic.ini",
    "Dockerfile",
];

/// The folder a nested app runs from: `backend/` for `backend/app/main.py` when
/// `backend/` holds the app's pyproject.toml, Dockerfile or manage.py and is not
/// itself a package. The deepest such folder wins; `None` for the project root.
fn python_root<'a>(tree: &Tree, rel: &'a str) -> Option<&'a str> {
    rel.match_indices('/')
        .rev()
        .map(|(end, _)| &rel[..end])
        .find(|dir| {
            !tree.has_file(&format!("{dir}/__init__.py"))
                && PYTHON_ROOT_MARKERS
                    .iter()
                    .any(|m| tree.has_file(&format!("{dir}/{m}")))
        })
}

/// The dotted module a Python file is imported as from the folder its app runs
/// from: `backend/app/main.py` → `app.main` when `backend/` is that folder.
pub fn import_module(tree: &Tree, rel: &str) -> String {
    match python_root(tree, rel) {
        Some(root) => module_of(&rel[root.len() + 1..]),
        None => module_of(rel),
    }
}

/// Candidate files for a dotted module: `a.b` → `a/b.py`, `a/b/__init__.py`, under `src/` too.
pub fn files_of_module(module: &str) -> [String; 4] {
    let path = module.replace('.', "/");
    [
        format!("{path}.py"),
        format!("{path}/__init__.py"),
        format!("src/{path}.py"),
        format!("src/{path}/__init__.py"),
    ]
}

/// Names that mark a settings module as not production.
pub fn is_non_production_module(rel: &str) -> bool {
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".py")
        .to_ascii_lowercase();
    let words: Vec<&str> = stem.split(['_', '-', '.']).collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "local"
                | "dev"
                | "development"
                | "develop"
                | "test"
                | "tests"
                | "testing"
                | "ci"
                | "debug"
                | "sample"
                | "example"
        )
    })
}

/// Works out the project model from a walked tree; for Django also the
/// production settings namespace, which the detectors need too.
pub fn detect(tree: &Tree, layers: &Layers) -> (Project, Vec<Dependency>, Option<Settings>) {
    let deps = dependencies(&tree.files);
    let mut names: BTreeSet<String> = deps.iter().map(|d| d.name.clone()).collect();
    // Extras do not matter for the model; keep the list stable and unique.
    names.retain(|n| !n.is_empty());
    let (python_version, _) = python_version(&tree.files);
    let mut project = Project {
        root: tree.root.clone(),
        name: project_name(&tree.root),
        dependencies: names.into_iter().collect(),
        python_version,
        ..Project::default()
    };
    project.framework = framework(tree, &project);
    project.framework_version = deps
        .iter()
        .find(|d| d.name == project.framework.as_str())
        .and_then(|d| d.spec.strip_prefix("==").map(str::to_owned));
    let (entrypoint, asgi) = entrypoint(tree, &project, layers);
    project.entrypoint = entrypoint;
    project.asgi = asgi || project.framework == Framework::Fastapi;
    let mut settings = None;
    if project.framework == Framework::Django {
        settings = super::settings::load(tree, layers);
        project.settings = settings
            .as_ref()
            .map(|s| s.files.clone())
            .unwrap_or_default();
    }
    project.migrations = migrations(tree, settings.as_ref(), project.framework);
    // The application code, decided once for the passes below.
    let app: Vec<&PyFile> = tree.py.iter().filter(|f| f.is_app_code(&project)).collect();
    project.env_vars = env_vars(tree, &app, settings.as_ref());
    project.env_defaults = env_defaults(&app);
    project.strict_env = strict_env(&app);
    project.health_path = health_path(&app);
    (project, deps, settings)
}

fn framework(tree: &Tree, project: &Project) -> Framework {
    // Flask projects have a manage.py too (`FlaskGroup`, Flask-Script): only
    // Django's own counts.
    let django_manage = tree.python("manage.py").is_some_and(|f| {
        f.facts
            .imports
            .iter()
            .any(|i| i == "django" || i.starts_with("django."))
    });
    let django = django_manage
        || tree
            .py
            .iter()
            .any(|f| f.facts.settings_like || f.facts.wsgi_var.is_some());
    if django {
        return Framework::Django;
    }
    let imports = |prefix: &str| {
        tree.py.iter().any(|f| {
            f.facts
                .imports
                .iter()
                .any(|i| i == prefix || i.starts_with(&format!("{prefix}.")))
        })
    };
    if let Some(app) = best_app(tree) {
        return if app.1.framework == "fastapi" {
            Framework::Fastapi
        } else {
            Framework::Flask
        };
    }
    for (name, framework) in [
        ("django", Framework::Django),
        ("fastapi", Framework::Fastapi),
        ("flask", Framework::Flask),
    ] {
        if project.depends_on(name) || imports(name) {
            return framework;
        }
    }
    Framework::Unknown
}

/// Every application object, including those made by calling a factory at module level.
fn app_objects(tree: &Tree) -> Vec<(&PyFile, AppObject)> {
    let factories: Vec<(&str, &'static str)> = tree
        .py
        .iter()
        .flat_map(|f| f.facts.factories.iter().map(|(n, fw)| (n.as_str(), *fw)))
        .collect();
    let mut apps = Vec::new();
    for file in &tree.py {
        if super::is_test_file(&file.rel) {
            continue;
        }
        apps.extend(file.facts.apps.iter().map(|a| (file, a.clone())));
        for (var, callee, line) in &file.facts.assigned_calls {
            let last = callee.rsplit('.').next().unwrap_or(callee);
            if let Some((_, framework)) = factories.iter().find(|(n, _)| *n == last) {
                apps.push((
                    file,
                    AppObject {
                        var: var.clone(),
                        framework,
                        line: *line,
                        via_factory: Some(last.to_owned()),
                    },
                ));
            }
        }
    }
    apps
}

/// The application gunicorn/uvicorn should serve, best candidate first.
fn best_app(tree: &Tree) -> Option<(&PyFile, AppObject)> {
    let rank = |(file, app): &(&PyFile, AppObject)| {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let file_rank = match name {
            "wsgi.py" | "asgi.py" => 0,
            "main.py" | "app.py" | "application.py" | "server.py" | "api.py" | "run.py" => 1,
            "__init__.py" => 2,
            _ => 3,
        };
        let var_rank = usize::from(!matches!(app.var.as_str(), "app" | "application" | "api"));
        (
            file_rank,
            var_rank,
            file.rel.matches('/').count(),
            file.rel.clone(),
        )
    };
    app_objects(tree).into_iter().min_by_key(rank)
}

fn entrypoint(tree: &Tree, project: &Project, layers: &Layers) -> (Option<String>, bool) {
    if let Some(served) = &layers.web_target
        && let Some((module, _)) = served.target.split_once(':')
        && (files_of_module(module).iter().any(|f| tree.has_file(f))
            || tree
                .py
                .iter()
                .any(|f| import_module(tree, &f.rel) == module))
    {
        return (Some(served.target.clone()), served.asgi);
    }
    match project.framework {
        Framework::Django => {
            let wsgi = tree
                .py
                .iter()
                .filter_map(|f| f.facts.wsgi_var.as_ref().map(|v| (f, v)))
                .min_by_key(|(f, _)| (f.rel.matches('/').count(), f.rel.clone()));
            if let Some((file, var)) = wsgi {
                return (
                    Some(format!("{}:{var}", import_module(tree, &file.rel))),
                    false,
                );
            }
            let asgi = tree
                .py
                .iter()
                .find_map(|f| f.facts.asgi_var.as_ref().map(|v| (f, v)));
            asgi.map_or((None, false), |(file, var)| {
                (
                    Some(format!("{}:{var}", import_module(tree, &file.rel))),
                    true,
                )
            })
        }
        Framework::Fastapi | Framework::Flask => {
            if let Some((file, app)) = best_app(tree) {
                return (
                    Some(format!("{}:{}", import_module(tree, &file.rel), app.var)),
                    app.framework == "fastapi",
                );
            }
            // Only a factory: gunicorn can call it.
            let factory = tree
                .py
                .iter()
                .find_map(|f| f.facts.factories.first().map(|(name, fw)| (f, name, *fw)));
            factory.map_or((None, false), |(file, name, fw)| {
                (
                    Some(format!("{}:{name}()", import_module(tree, &file.rel))),
                    fw == "fastapi",
                )
            })
        }
        Framework::Unknown => (None, false),
    }
}

/// Django's bundled apps that keep tables, so `migrate` must run even in a
/// project with no migrations of its own.
const DJANGO_APPS_WITH_TABLES: &[&str] = &[
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
];

fn migrations(
    tree: &Tree,
    settings: Option<&Settings>,
    framework: Framework,
) -> Option<Migrations> {
    // Tortoise's aerich also writes `migrations/…/0_….py`: only Django's are Django's.
    let django = framework == Framework::Django
        && tree.py.iter().any(|f| {
            f.rel.contains("migrations/")
                && f.rel
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        });
    let bundled_tables = settings.is_some_and(|settings| {
        settings.files.iter().any(|rel| {
            tree.python(rel)
                .and_then(|f| f.source.as_ref())
                .is_some_and(|source| {
                    DJANGO_APPS_WITH_TABLES
                        .iter()
                        .any(|app| source.text.contains(app))
                })
        })
    });
    if django || bundled_tables {
        return Some(Migrations::Django);
    }
    let alembic = tree.files.iter().any(|f| f.kind == FileKind::AlembicIni)
        || tree.py.iter().any(|f| {
            f.rel.ends_with("env.py")
                && (f.rel.contains("alembic") || f.rel.starts_with("migrations/"))
        });
    alembic.then_some(Migrations::Alembic)
}

/// Health routes in the order a platform's check should prefer them.
const HEALTH_ROUTES: &[&str] = &[
    "health",
    "healthz",
    "_health",
    "healthcheck",
    "health-check",
    "health_check",
    "livez",
    "readyz",
    "ready",
    "ping",
    "up",
];

/// The app's own health route, when its code registers one by itself at the
/// top level (`@app.get("/healthz")`, `path("health/", …)`): what a platform's
/// health check should request instead of the default `/health`.
fn health_path(app: &[&PyFile]) -> Option<String> {
    let routes: Vec<&str> = app
        .iter()
        .flat_map(|f| f.facts.routes.iter().map(String::as_str))
        .collect();
    HEALTH_ROUTES.iter().find_map(|name| {
        routes.iter().find_map(|route| {
            let bare = route.trim_start_matches('^').trim_end_matches('$');
            let segment = bare.trim_matches('/');
            (segment.eq_ignore_ascii_case(name)).then(|| {
                let slash = if bare.ends_with('/') { "/" } else { "" };
                format!("/{segment}{slash}")
            })
        })
    })
}

/// Environment variables the application code reads (tests and non-production
/// settings excluded), plus pydantic settings fields, sorted and unique.
fn env_vars(tree: &Tree, app: &[&PyFile], settings: Option<&Settings>) -> Vec<String> {
    let mut vars = BTreeSet::new();
    // Settings modules share the `env`/`config` their base imports: read them
    // again with the chain's combined style.
    if let Some(settings) = settings {
        for rel in &settings.files {
            if let Some(source) = tree.python(rel).and_then(|f| f.source.as_ref()) {
                source.module.walk_exprs(&mut |e| {
                    if let Some(read) = env_read(e, &settings.style) {
                        vars.insert(read.name);
                    }
                });
            }
        }
    }
    for file in app {
        vars.extend(file.facts.env_reads.iter().map(|(name, _)| name.clone()));
        if let Some(source) = &file.source {
            vars.extend(
                super::settings::pydantic_fields(&source.module)
                    .into_iter()
                    .map(|f| f.env_name),
            );
        }
    }
    vars.into_iter().collect()
}

/// The first pydantic settings class of the app's code that reads `.env` and
/// forbids undeclared keys, with the variables its module declares.
fn strict_env(app: &[&PyFile]) -> Option<crate::project::StrictEnv> {
    for file in app {
        let Some(source) = &file.source else {
            continue;
        };
        if let Some(class) = super::settings::strict_dotenv_classes(&source.module)
            .into_iter()
            .next()
        {
            let declared = super::settings::pydantic_fields(&source.module)
                .into_iter()
                .map(|f| f.env_name.to_ascii_uppercase())
                .collect();
            return Some(crate::project::StrictEnv {
                file: file.rel.clone(),
                line: class.line,
                class: class.class,
                declared,
            });
        }
    }
    None
}

/// The pydantic settings fields that have a default, by variable, with the
/// default as `.env` text when it is a literal (`30`, `false`, `info`).
fn env_defaults(app: &[&PyFile]) -> std::collections::BTreeMap<String, Option<String>> {
    use super::python::ExprKind;
    let mut defaults = std::collections::BTreeMap::new();
    for file in app {
        let Some(source) = &file.source else {
            continue;
        };
        for field in super::settings::pydantic_fields(&source.module) {
            let Some(default) = field.default else {
                continue;
            };
            let text = match &default.kind {
                ExprKind::Str { value, f: false } => Some(value.clone()),
                ExprKind::Number(n) => Some(n.clone()),
                ExprKind::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            defaults.insert(field.env_name, text);
        }
    }
    defaults
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_file(rel: &str, text: &str) -> TextFile {
        TextFile {
            rel: rel.into(),
            kind: super::super::walk::classify(rel).unwrap(),
            text: text.into(),
        }
    }

    #[test]
    fn parses_requirements_pyproject_and_pipfile() {
        let files = [
            text_file(
                "requirements.txt",
                "Django==5.0.6\ndjangorestframework\n# c\nopenai==*\n-r base.txt\npsycopg[binary]>=3,<4 ; python_version>'3'\nmylib @ https://example.com/mylib-1.0.tar.gz\n",
            ),
            text_file(
                "pyproject.toml",
                "[project]\nname='x'\ndependencies = [\n  \"fastapi>=0.110\",\n  \"uvicorn[standard]==0.29.0\",\n]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"^3.0\"\nrequests = \"*\"\n",
            ),
            text_file(
                "Pipfile",
                "[packages]\nflask = \"==3.0.3\"\ngunicorn = \"*\"\n[dev-packages]\npytest = \"*\"\n[requires]\npython_version = \"3.12\"\n",
            ),
        ];
        let deps = dependencies(&files);
        let find = |file: &str, name: &str| {
            deps.iter()
                .find(|d| d.file == file && d.name == name)
                .unwrap()
        };
        assert!(find("requirements.txt", "django").is_pinned());
        assert!(!find("requirements.txt", "djangorestframework").is_pinned());
        assert_eq!(find("requirements.txt", "openai").line, 4);
        assert!(!find("requirements.txt", "openai").is_pinned());
        assert!(find("requirements.txt", "psycopg").is_pinned());
        assert!(find("requirements.txt", "mylib").is_pinned());
        assert_eq!(find("pyproject.toml", "fastapi").line, 4);
        assert!(!find("pyproject.toml", "fastapi").is_pinned());
        assert!(find("pyproject.toml", "flask").is_pinned());
        assert_eq!(find("pyproject.toml", "requests").line, 10);
        assert!(!find("Pipfile", "gunicorn").is_pinned());
        assert!(!find("Pipfile", "pytest").production);
        let (version, pinned) = python_version(&files);
        assert_eq!(version.as_deref(), Some("3.12"));
        assert_eq!(pinned, Some(("Pipfile".to_owned(), 7)));
    }

    #[test]
    fn module_paths() {
        assert_eq!(module_of("app/__init__.py"), "app");
        assert_eq!(module_of("src/app/main.py"), "app.main");
        assert!(is_non_production_module("config/settings/local.py"));
        assert!(is_non_production_module("settings_test.py"));
        assert!(!is_non_production_module("config/settings/production.py"));
    }
}

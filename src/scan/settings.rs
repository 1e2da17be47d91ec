//! Django settings as production loads them: the module DJANGO_SETTINGS_MODULE
//! names (from the platform, wsgi.py/asgi.py, env files, manage.py), with
//! `from .base import *` followed so a later assignment overrides an earlier
//! one. Also pydantic `BaseSettings` fields.

use std::collections::HashMap;

use super::eval::{EnvStyle, Scope, Val, env_read, eval};
use super::layers::Layers;
use super::model::{files_of_module, is_non_production_module};
use super::python::{Expr, ExprKind, Module, Stmt, StmtKind};
use super::walk::FileKind;
use super::{PyFile, Tree};

/// One setting's final value and where it was set.
#[derive(Debug, Clone)]
pub struct Setting {
    pub expr: Expr,
    pub file: String,
    pub line: usize,
    /// Later changes that add to it: `+=`, `.append(…)`, `X["k"] = v`.
    pub changes: Vec<(Expr, String, usize)>,
}

/// The production settings namespace.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The files in evaluation order (a star-imported base before its importer).
    pub files: Vec<String>,
    pub values: HashMap<String, Setting>,
    pub style: EnvStyle,
    /// The module wsgi.py (or manage.py) defaults to, when production runs
    /// another one beside it that nothing the platform runs names.
    pub displaced_default: Option<String>,
}

impl Scope for Settings {
    fn lookup(&self, name: &str) -> Option<&Expr> {
        self.values.get(name).map(|s| &s.expr)
    }
}

impl Settings {
    /// A setting by name.
    pub fn get(&self, name: &str) -> Option<&Setting> {
        self.values.get(name)
    }

    /// What a setting comes to in production with no variable set; `None` when unset.
    pub fn value(&self, name: &str) -> Option<Val> {
        self.get(name).map(|s| eval(&s.expr, &self.style, self))
    }

    /// Evaluates any expression in this namespace.
    pub fn eval(&self, expr: &Expr) -> Val {
        eval(expr, &self.style, self)
    }

    /// Whether any string in the setting (or its later changes) contains `needle`,
    /// following names bound in the settings: `INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`.
    pub fn mentions(&self, name: &str, needle: &str) -> bool {
        self.mentions_within(name, needle, &mut Vec::new())
    }

    fn mentions_within<'a>(&'a self, name: &'a str, needle: &str, seen: &mut Vec<&'a str>) -> bool {
        const MAX_DEPTH: usize = 8;
        if seen.contains(&name) || seen.len() > MAX_DEPTH {
            return false;
        }
        let Some(setting) = self.get(name) else {
            return false;
        };
        seen.push(name);
        let mut found = false;
        let mut names = Vec::new();
        let mut visit = |e: &'a Expr| match &e.kind {
            ExprKind::Str { value, .. } if value.contains(needle) => found = true,
            ExprKind::Name(bound) => names.push(bound.as_str()),
            _ => {}
        };
        setting.expr.walk(&mut visit);
        for (change, _, _) in &setting.changes {
            change.walk(&mut visit);
        }
        found
            || names
                .into_iter()
                .any(|n| self.mentions_within(n, needle, seen))
    }
}

/// Loads the production settings namespace.
pub fn load(tree: &Tree, layers: &Layers) -> Option<Settings> {
    let (start, displaced_default) = production_settings_file(tree, layers)?;
    let mut loader = Loader {
        tree,
        settings: Settings {
            displaced_default,
            ..Settings::default()
        },
        visiting: Vec::new(),
    };
    loader.load(&start);
    Some(loader.settings)
}

/// The file DJANGO_SETTINGS_MODULE points at in production: what the platform
/// declares beats wsgi.py's default; a default that names a development module,
/// a base that a production module inherits from, or an empty package gives way
/// to the production module beside it.
fn production_settings_file(tree: &Tree, layers: &Layers) -> Option<(String, Option<String>)> {
    let resolve = |module: &str| {
        files_of_module(module)
            .into_iter()
            .find(|f| tree.python(f).is_some())
    };
    let env_file_setting = |production_only: bool| {
        tree.files
            .iter()
            .filter(|f| f.kind == FileKind::EnvFile && !super::walk::is_non_production_env(&f.rel))
            .find_map(|f| {
                let name = f.rel.to_ascii_lowercase();
                if production_only && !name.contains("prod") {
                    return None;
                }
                f.text.lines().find_map(|l| {
                    let (key, value) = l.split_once('=')?;
                    (key.trim().trim_start_matches("export ").trim() == "DJANGO_SETTINGS_MODULE")
                        .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
                })
            })
    };
    let bootstrap = |name: &str| {
        tree.py
            .iter()
            .filter(|f| f.rel.rsplit('/').next() == Some(name))
            .find_map(|f| f.facts.django_settings_default.clone())
    };
    let declared = [
        layers.settings_module.as_ref().map(|(_, m)| m.clone()),
        env_file_setting(true),
    ];
    if let Some(file) = declared.into_iter().flatten().find_map(|m| resolve(&m)) {
        return Some((file, None));
    }
    let defaults = [
        bootstrap("wsgi.py"),
        bootstrap("asgi.py"),
        env_file_setting(false),
        bootstrap("manage.py"),
        tree.py
            .iter()
            .find_map(|f| f.facts.django_settings_default.clone()),
    ];
    let default_module = defaults.into_iter().flatten().find(|m| {
        resolve(m).is_some()
            // `config.settings` naming a folder of modules without `__init__.py`.
            || tree.py.iter().any(|f| f.rel.starts_with(&format!("{}/", m.replace('.', "/"))))
    });
    if let Some(module) = default_module {
        let file = resolve(&module);
        let folder = file.as_deref().map_or_else(
            || module.replace('.', "/"),
            |f| {
                if f.ends_with("/__init__.py") {
                    f.trim_end_matches("/__init__.py").to_owned()
                } else {
                    f.rsplit_once('/')
                        .map_or(String::new(), |(d, _)| d.to_owned())
                }
            },
        );
        if let Some(production) = production_beside(tree, file.as_deref(), &folder) {
            return Some((production, Some(file.unwrap_or(module))));
        }
        if let Some(file) = file {
            return Some((file, None));
        }
    }
    // No pointer anywhere: the settings-like module that is not for development.
    tree.py
        .iter()
        .filter(|f| {
            f.facts.settings_like
                && !is_non_production_module(&f.rel)
                && !super::is_test_file(&f.rel)
        })
        .min_by_key(|f| {
            let production = f.rel.contains("prod");
            (!production, f.rel.matches('/').count(), f.rel.clone())
        })
        .map(|f| (f.rel.clone(), None))
}

/// Whether a new value keeps the old one of `name`: `[*X, "a"]`, `X + ["a"]`,
/// `f(X)` (a helper that adds to it). A comprehension over X may filter it, so
/// it does not.
fn builds_on(value: &Expr, name: &str) -> bool {
    let is_name = |e: &Expr| e.dotted() == Some(name);
    match &value.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter().any(|item| match &item.kind {
                ExprKind::Starred(inner) => is_name(inner),
                _ => builds_on(item, name),
            })
        }
        ExprKind::BinOp(left, op, right) if *op == "+" || *op == "|" => {
            is_name(left) || is_name(right) || builds_on(left, name) || builds_on(right, name)
        }
        ExprKind::Call { args, .. } => args
            .iter()
            .any(|a| is_name(a) || matches!(&a.kind, ExprKind::Starred(inner) if is_name(inner))),
        _ => false,
    }
}

/// Settings modules for a build step or a local container (`static.py` for
/// collectstatic, `docker.py` for the developer's compose), not for serving.
fn is_build_module(rel: &str) -> bool {
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".py");
    stem.split(['_', '-'])
        .any(|w| matches!(w, "static" | "build" | "docs" | "docker" | "collectstatic"))
}

/// The file a star import in `from` names, relative or absolute.
fn star_target(tree: &Tree, from: &str, module: &str) -> Option<String> {
    let absolute = if let Some(relative) = module.strip_prefix('.') {
        let mut dir = from.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let mut rest = relative;
        while let Some(r) = rest.strip_prefix('.') {
            dir = dir
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned());
            rest = r;
        }
        let path = if dir.is_empty() {
            rest.replace('.', "/")
        } else if rest.is_empty() {
            dir
        } else {
            format!("{dir}/{}", rest.replace('.', "/"))
        };
        return [format!("{path}.py"), format!("{path}/__init__.py")]
            .into_iter()
            .find(|f| tree.python(f).is_some());
    } else {
        module.to_owned()
    };
    files_of_module(&absolute)
        .into_iter()
        .find(|f| tree.python(f).is_some())
}

/// The production module beside the default one, when the default is not what
/// production runs: a development module (`dev.py`, `local.py`), a base that a
/// production module inherits from, or an empty package. `None` when the
/// default is itself the production module, or no single module stands out.
fn production_beside(tree: &Tree, default: Option<&str>, folder: &str) -> Option<String> {
    let modules: Vec<&PyFile> = tree
        .py
        .iter()
        .filter(|f| {
            f.rel.rsplit_once('/').map_or("", |(d, _)| d) == folder
                && Some(f.rel.as_str()) != default
                && !f.rel.ends_with("/__init__.py")
                && !is_non_production_module(&f.rel)
                && !is_build_module(&f.rel)
                && !super::is_test_file(&f.rel)
                && (f.facts.settings_like || !f.facts.star_imports.is_empty())
        })
        .collect();
    let inherits_default = |f: &PyFile| {
        default.is_some_and(|d| {
            f.facts
                .star_imports
                .iter()
                .any(|m| star_target(tree, &f.rel, m).as_deref() == Some(d))
        })
    };
    let empty_package = default.is_none_or(|d| {
        d.ends_with("/__init__.py")
            && tree
                .python(d)
                .is_some_and(|f| !f.facts.settings_like && f.facts.star_imports.is_empty())
    });
    let development = default.is_some_and(is_non_production_module);
    let prod_named = |f: &PyFile| {
        let stem = f
            .rel
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".py");
        stem.split(['_', '-'])
            .any(|w| matches!(w, "prod" | "production" | "live" | "heroku"))
    };
    if development || empty_package {
        // Leaves: modules no other candidate builds on.
        let leaves: Vec<&&PyFile> = modules
            .iter()
            .filter(|f| {
                !modules.iter().any(|other| {
                    other.facts.star_imports.iter().any(|m| {
                        star_target(tree, &other.rel, m).as_deref() == Some(f.rel.as_str())
                    })
                })
            })
            .collect();
        if let Some(found) = leaves.iter().find(|f| prod_named(f)) {
            return Some(found.rel.clone());
        }
        return (leaves.len() == 1).then(|| leaves[0].rel.clone());
    }
    // A base the production module inherits from.
    modules
        .iter()
        .filter(|f| inherits_default(f))
        .find(|f| prod_named(f))
        .map(|f| f.rel.clone())
}

struct Loader<'t> {
    tree: &'t Tree,
    settings: Settings,
    visiting: Vec<String>,
}

impl Loader<'_> {
    fn load(&mut self, rel: &str) {
        if self.visiting.iter().any(|v| v == rel) || self.visiting.len() > 8 {
            return;
        }
        let Some(file) = self.tree.python(rel) else {
            return;
        };
        let Some(source) = &file.source else {
            return;
        };
        self.visiting.push(rel.to_owned());
        self.settings.style.merge(&EnvStyle::of(&source.module));
        self.exec(&source.module.stmts, file);
        self.visiting.pop();
        if !self.settings.files.iter().any(|f| f == rel) {
            self.settings.files.push(rel.to_owned());
        }
    }

    fn exec(&mut self, stmts: &[Stmt], file: &PyFile) {
        let mut index = 0;
        // Whether an earlier branch of the current if/elif chain was certainly taken.
        let mut chain: Option<Option<bool>> = None;
        while index < stmts.len() {
            let stmt = &stmts[index];
            let end = index
                + 1
                + stmts[index + 1..]
                    .iter()
                    .take_while(|s| s.indent > stmt.indent)
                    .count();
            let body = &stmts[index + 1..end];
            match &stmt.kind {
                StmtKind::Block { keyword, exprs } => {
                    chain = self.block(keyword, exprs, body, chain, file);
                }
                StmtKind::Import {
                    module, star: true, ..
                } => {
                    chain = None;
                    self.star_import(module, &file.rel);
                }
                StmtKind::Assign {
                    targets, op, value, ..
                } => {
                    chain = None;
                    for target in targets {
                        self.assign(target, op, value, &file.rel, stmt.line);
                    }
                }
                StmtKind::Expr(expr) => {
                    chain = None;
                    self.mutation(expr, &file.rel);
                }
                _ => chain = None,
            }
            index = end;
        }
    }

    #[allow(clippy::option_option)] // None: no chain; Some(None): a branch may have run
    fn block(
        &mut self,
        keyword: &str,
        exprs: &[Expr],
        body: &[Stmt],
        chain: Option<Option<bool>>,
        file: &PyFile,
    ) -> Option<Option<bool>> {
        match keyword {
            "if" | "elif" => {
                if keyword == "elif" && chain == Some(Some(true)) {
                    return chain;
                }
                let test = exprs.first().and_then(|e| {
                    self.production_selector(e)
                        .or_else(|| self.settings.eval(e).truthy())
                });
                if test != Some(false) {
                    self.exec(body, file);
                }
                let taken = match (chain, test) {
                    (Some(None), _) | (_, None) if keyword == "elif" => None,
                    (_, test) => test,
                };
                Some(taken)
            }
            "else" => {
                if chain != Some(Some(true)) {
                    self.exec(body, file);
                }
                None
            }
            "try" | "with" => {
                self.exec(body, file);
                None
            }
            _ => None,
        }
    }

    /// An environment selector as production sees it: `os.environ.get("DJANGO_ENV")
    /// == "production"` (or `ENV in ("prod", "staging")`, or through a setting read
    /// from the environment) holds in production whatever the default says.
    /// `None` when the test is not such a comparison.
    fn production_selector(&self, test: &Expr) -> Option<bool> {
        let ExprKind::Compare(left, op, right) = &test.kind else {
            return None;
        };
        let reads_env = |e: &Expr| {
            env_read(e, &self.settings.style).is_some()
                || matches!(&e.kind, ExprKind::Name(name)
                    if self.settings.get(name).is_some_and(|s| env_read(&s.expr, &self.settings.style).is_some()))
        };
        let names = if reads_env(left) {
            right
        } else if reads_env(right) && matches!(*op, "==" | "!=") {
            left
        } else {
            return None;
        };
        let literals: Vec<&str> = match &names.kind {
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                items.iter().filter_map(Expr::as_str).collect()
            }
            _ => names.as_str().into_iter().collect(),
        };
        let production = literals.iter().any(|l| {
            matches!(
                l.to_ascii_lowercase().as_str(),
                "production" | "prod" | "live"
            )
        });
        if !production {
            return None;
        }
        match *op {
            "==" | "in" => Some(true),
            "!=" | "not in" => Some(false),
            _ => None,
        }
    }

    fn star_import(&mut self, module: &str, from: &str) {
        let Some(target) = resolve_import(self.tree, module, from) else {
            return;
        };
        if is_non_production_module(&target) {
            return;
        }
        self.load(&target);
    }

    fn assign(&mut self, target: &Expr, op: &str, value: &Expr, rel: &str, line: usize) {
        match &target.kind {
            ExprKind::Name(name) if !name.contains('.') => {
                if op == "=" || !self.settings.values.contains_key(name) {
                    // `MIDDLEWARE = ["debug_toolbar…", *MIDDLEWARE]`, `X = f(X)`: the new
                    // value builds on the old one, which stays part of the setting.
                    let mut changes = Vec::new();
                    if builds_on(value, name)
                        && let Some(old) = self.settings.values.remove(name)
                    {
                        changes.push((old.expr, old.file, old.line));
                        changes.extend(old.changes);
                    }
                    self.settings.values.insert(
                        name.clone(),
                        Setting {
                            expr: value.clone(),
                            file: rel.to_owned(),
                            line,
                            changes,
                        },
                    );
                } else if let Some(setting) = self.settings.values.get_mut(name) {
                    setting.changes.push((value.clone(), rel.to_owned(), line));
                }
            }
            ExprKind::Subscript(base, _) => {
                let mut root = base.as_ref();
                while let ExprKind::Subscript(inner, _) = &root.kind {
                    root = inner;
                }
                let assigned = Expr {
                    line,
                    kind: ExprKind::Tuple(vec![target.clone(), value.clone()]),
                };
                if let Some(name) = root.dotted()
                    && let Some(setting) = self.settings.values.get_mut(name)
                {
                    setting.changes.push((assigned, rel.to_owned(), line));
                }
            }
            ExprKind::Tuple(items) => {
                // `A, B = f(A, B)`: each name may build on its old value; which
                // element is which is unknown.
                let elements = match &value.kind {
                    ExprKind::Tuple(values) if values.len() == items.len() => Some(values),
                    _ => None,
                };
                for (index, item) in items.iter().enumerate() {
                    let part = elements.map_or(value, |values| &values[index]);
                    self.assign(item, op, part, rel, line);
                }
            }
            _ => {}
        }
    }

    fn mutation(&mut self, expr: &Expr, rel: &str) {
        let Some(callee) = expr.call_name() else {
            return;
        };
        let Some((object, method)) = callee.rsplit_once('.') else {
            return;
        };
        if matches!(method, "append" | "insert" | "extend" | "update")
            && let Some(setting) = self.settings.values.get_mut(object)
        {
            setting
                .changes
                .push((expr.clone(), rel.to_owned(), expr.line));
        }
    }
}

/// The file a `from X import *` in `from` refers to.
pub fn resolve_import(tree: &Tree, module: &str, from: &str) -> Option<String> {
    let dots = module.chars().take_while(|c| *c == '.').count();
    if dots == 0 {
        return files_of_module(module)
            .into_iter()
            .find(|f| tree.python(f).is_some());
    }
    let mut package: Vec<&str> = from.split('/').collect();
    package.pop();
    for _ in 1..dots {
        package.pop();
    }
    let rest = module[dots..].replace('.', "/");
    let base = package.join("/");
    let joined = match (base.is_empty(), rest.is_empty()) {
        (true, _) => rest,
        (false, true) => base,
        (false, false) => format!("{base}/{rest}"),
    };
    [format!("{joined}.py"), format!("{joined}/__init__.py")]
        .into_iter()
        .find(|f| tree.python(f).is_some())
}

/// A field of a pydantic `BaseSettings` class.
#[derive(Debug, Clone)]
pub struct PydanticField {
    pub name: String,
    /// The environment variable that sets it (upper-cased, with `env_prefix`).
    pub env_name: String,
    pub default: Option<Expr>,
}

/// The fields of every `BaseSettings` class in a module.
pub fn pydantic_fields(module: &Module) -> Vec<PydanticField> {
    let mut settings_classes: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        let StmtKind::Class { name, bases } = &stmt.kind else {
            continue;
        };
        let is_settings = bases.iter().any(|b| {
            b.last_name()
                .is_some_and(|n| n == "BaseSettings" || settings_classes.iter().any(|c| c == n))
        });
        if !is_settings {
            continue;
        }
        settings_classes.push(name.clone());
        let body = module.body_of(index);
        let Some(field_indent) = body.first().map(|s| s.indent) else {
            continue;
        };
        let prefix = env_prefix(body);
        for stmt in body.iter().filter(|s| s.indent == field_indent) {
            let (target, default) = match &stmt.kind {
                StmtKind::Assign {
                    targets,
                    value,
                    annotation: Some(_),
                    ..
                } => (targets.first(), Some(value)),
                StmtKind::Annotated { target, .. } => (Some(target), None),
                _ => continue,
            };
            let Some(field) = target.and_then(Expr::dotted) else {
                continue;
            };
            if field == "model_config" || field.starts_with('_') {
                continue;
            }
            let alias = default.and_then(|d| {
                ["validation_alias", "alias", "env"]
                    .iter()
                    .find_map(|k| d.kwarg(k).and_then(Expr::as_str))
                    .map(str::to_owned)
            });
            // `Field(default, …)` carries the default inside; `Field(...)` has none.
            let default = default.and_then(|d| match d.call_name() {
                Some("Field" | "pydantic.Field") => match d.arg(0).or_else(|| d.kwarg("default")) {
                    Some(Expr {
                        kind: ExprKind::Other(parts),
                        ..
                    }) if parts.is_empty() && d.kwarg("default_factory").is_none() => None,
                    Some(inner) => Some(inner.clone()),
                    None => Some(Expr {
                        line: d.line,
                        kind: ExprKind::Other(Vec::new()),
                    }),
                },
                _ => Some(d.clone()),
            });
            fields.push(PydanticField {
                name: field.to_owned(),
                env_name: alias.unwrap_or_else(|| format!("{prefix}{field}").to_ascii_uppercase()),
                default,
            });
        }
    }
    fields
}

/// A pydantic `BaseSettings` class that reads a `.env` file and refuses the
/// keys it does not declare (pydantic-settings' default `extra="forbid"`):
/// the app does not start while `.env` holds any other key with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictDotenv {
    /// The class name (`Settings`).
    pub class: String,
    /// Its `class` line, 1-based.
    pub line: usize,
}

/// The settings classes of a module that load `.env` and forbid undeclared
/// keys in it. A subclass inherits its base's `env_file` and `extra` unless it
/// sets its own; an `env_file` that is not a literal counts as `.env`.
pub fn strict_dotenv_classes(module: &Module) -> Vec<StrictDotenv> {
    // Per settings class: (reads .env, extra), as far as set.
    let mut classes: Vec<(String, Option<bool>, Option<String>)> = Vec::new();
    let mut strict = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        let StmtKind::Class { name, bases } = &stmt.kind else {
            continue;
        };
        let base = bases.iter().find_map(|b| {
            let n = b.last_name()?;
            if n == "BaseSettings" {
                Some((None, None))
            } else {
                classes
                    .iter()
                    .find(|(c, _, _)| c == n)
                    .map(|(_, env, extra)| (*env, extra.clone()))
            }
        });
        let Some((mut env_file, mut extra)) = base else {
            continue;
        };
        let body = module.body_of(index);
        let field_indent = body.first().map_or(0, |s| s.indent);
        let mut config = |key: &str, value: &Expr| match key {
            "env_file" => env_file = Some(names_dotenv(value)),
            "extra" => {
                extra = value
                    .as_str()
                    .or_else(|| value.last_name())
                    .map(str::to_owned);
            }
            _ => {}
        };
        for (offset, inner) in body.iter().enumerate() {
            if inner.indent != field_indent {
                continue;
            }
            match &inner.kind {
                StmtKind::Assign { targets, value, .. }
                    if targets.first().and_then(Expr::dotted) == Some("model_config") =>
                {
                    match &value.kind {
                        ExprKind::Call { kwargs, .. } => {
                            for (key, v) in kwargs {
                                config(key, v);
                            }
                        }
                        ExprKind::Dict(items) => {
                            for (key, v) in items {
                                if let Some(key) = key.as_str() {
                                    config(key, v);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                StmtKind::Class { name, .. } if name == "Config" => {
                    let position = index + 1 + offset;
                    let config_body = module.body_of(position);
                    let indent = config_body.first().map_or(0, |s| s.indent);
                    for line in config_body.iter().filter(|s| s.indent == indent) {
                        if let StmtKind::Assign { targets, value, .. } = &line.kind
                            && let Some(key) = targets.first().and_then(Expr::dotted)
                        {
                            config(key, value);
                        }
                    }
                }
                _ => {}
            }
        }
        let forbids = extra.as_deref().is_none_or(|e| e == "forbid");
        if env_file == Some(true) && forbids {
            strict.push(StrictDotenv {
                class: name.clone(),
                line: stmt.line,
            });
        }
        classes.push((name.clone(), env_file, extra));
    }
    strict
}

/// Whether an `env_file` value names `.env`: `".env"`, `BASE_DIR / ".env"`,
/// `Path(".env")`, a tuple holding one; anything not literal counts too.
fn names_dotenv(value: &Expr) -> bool {
    match &value.kind {
        ExprKind::Str { value, .. } => value.rsplit(['/', '\\']).next() == Some(".env"),
        ExprKind::None => false,
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().any(names_dotenv),
        ExprKind::BinOp(_, _, right) => names_dotenv(right),
        ExprKind::Call { args, .. } if !args.is_empty() => args.iter().any(names_dotenv),
        _ => true,
    }
}

fn env_prefix(body: &[Stmt]) -> String {
    for stmt in body {
        let StmtKind::Assign { targets, value, .. } = &stmt.kind else {
            continue;
        };
        let target = targets.first().and_then(Expr::dotted);
        if target == Some("env_prefix")
            && let Some(prefix) = value.as_str()
        {
            return prefix.to_owned();
        }
        if target == Some("model_config")
            && let Some(prefix) = value.kwarg("env_prefix").and_then(Expr::as_str)
        {
            return prefix.to_owned();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_read_dotenv_and_forbid_extra_keys() {
        let strict = |text: &str| -> Vec<String> {
            strict_dotenv_classes(&Module::parse(text))
                .into_iter()
                .map(|s| s.class)
                .collect()
        };
        // pydantic-settings' default is extra="forbid".
        assert_eq!(
            strict(
                "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n    a: int = 1\n"
            ),
            ["S"]
        );
        assert_eq!(
            strict(
                "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file=BASE / '.env', extra='forbid')\n"
            ),
            ["S"]
        );
        assert_eq!(
            strict(
                "class S(BaseSettings):\n    a: int = 1\n\n    class Config:\n        env_file = '.env'\n        extra = Extra.forbid\n"
            ),
            ["S"]
        );
        assert!(
            strict("class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env', extra='ignore')\n").is_empty(),
            "ignore takes any key"
        );
        assert!(
            strict("class S(BaseSettings):\n    class Config:\n        env_file = '.env'\n        extra = 'allow'\n").is_empty()
        );
        assert!(
            strict("class S(BaseSettings):\n    a: int = 1\n").is_empty(),
            "no env_file: .env is not read"
        );
        assert!(
            strict("class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env.prod')\n").is_empty()
        );
        assert_eq!(
            strict(
                "class Base(BaseSettings):\n    model_config = SettingsConfigDict(env_file=('.env', '.env.local'))\nclass Prod(Base):\n    b: str = ''\n"
            ),
            ["Base", "Prod"],
            "a subclass inherits the base's config"
        );
        assert!(
            strict("class Plain(BaseModel):\n    model_config = ConfigDict(env_file='.env')\n")
                .is_empty()
        );
    }

    #[test]
    fn pydantic_fields_with_prefix_and_alias() {
        let module = Module::parse(
            "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='APP_')\n    debug: bool = True\n    db_url: str = Field('sqlite://', alias='DATABASE_URL')\n    name: str\n    def helper(self):\n        x: int = 1\nclass Other(BaseModel):\n    y: int = 2\n",
        );
        let fields = pydantic_fields(&module);
        let names: Vec<_> = fields.iter().map(|f| f.env_name.as_str()).collect();
        assert_eq!(names, ["APP_DEBUG", "DATABASE_URL", "APP_NAME"]);
        assert_eq!(
            fields[1].default.as_ref().and_then(Expr::as_str),
            Some("sqlite://")
        );
    }
}

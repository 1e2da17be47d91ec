//! One detector per `auto` checklist item. Each returns a verdict: the places
//! where the requirement fails, a pass, or "does not apply to this project".

mod code;
pub mod django;
mod ops;
mod web;

use std::collections::{BTreeSet, HashMap, HashSet};

use super::eval::{EnvStyle, Scope, Val, eval};
use super::layers::{Layers, Place};
use super::model::Dependency;
use super::python::{Expr, Module, StmtKind};
use super::settings::{Settings, pydantic_fields};
use super::{PyFile, Tree, is_app_code};
use crate::project::{Framework, Project};

/// Where a requirement fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The source line, or for a missing thing what is missing.
    pub evidence: Option<String>,
}

impl Hit {
    /// A failure at a line of a file.
    pub fn at(file: &str, line: usize, evidence: impl Into<String>) -> Self {
        Self {
            file: Some(file.to_owned()),
            line: Some(line),
            evidence: Some(evidence.into()),
        }
    }

    /// A failure at a place, with the evidence read from the tree.
    pub fn place(ctx: &Ctx<'_>, place: &Place) -> Self {
        Self::at(
            &place.file,
            place.line,
            ctx.line_text(&place.file, place.line),
        )
    }

    /// A failure about something missing: no file, no line.
    pub fn missing(what: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            evidence: Some(what.into()),
        }
    }
}

/// An item's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Fail(Vec<Hit>),
    Pass,
    NotApplicable,
}

impl Verdict {
    /// Fails with the hits, or passes when there are none.
    pub fn from_hits(hits: Vec<Hit>) -> Self {
        if hits.is_empty() {
            Self::Pass
        } else {
            Self::Fail(hits)
        }
    }
}

/// What the detectors look at.
pub struct Ctx<'a> {
    pub tree: &'a Tree,
    pub layers: &'a Layers,
    pub project: &'a Project,
    pub deps: &'a [Dependency],
    /// Django's production settings, when this is a Django project.
    pub settings: Option<Settings>,
    /// Defaults of pydantic settings fields by field name (`debug`).
    pub fields: HashMap<String, Expr>,
    /// Application code files (no tests, migrations or development settings).
    app: Vec<&'a PyFile>,
    /// Every module imported by application code.
    imported: BTreeSet<&'a str>,
    /// Every dotted function name called by application code.
    called: HashSet<&'a str>,
    /// Per-file candidate hits in application code, by item.
    hits: HashMap<&'static str, Vec<Hit>>,
    /// Every route string declared in application code.
    routes: Vec<&'a str>,
}

impl<'a> Ctx<'a> {
    /// Builds the context.
    pub fn new(
        tree: &'a Tree,
        layers: &'a Layers,
        project: &'a Project,
        deps: &'a [Dependency],
        settings: Option<Settings>,
    ) -> Self {
        let app: Vec<&PyFile> = tree
            .py
            .iter()
            .filter(|f| is_app_code(&f.rel, project))
            .collect();
        let imported = app
            .iter()
            .flat_map(|f| f.facts.imports.iter().map(String::as_str))
            .collect();
        let called = app
            .iter()
            .flat_map(|f| f.facts.calls.iter().map(String::as_str))
            .collect();
        let mut hits: HashMap<&'static str, Vec<Hit>> = HashMap::new();
        for file in &app {
            for hit in &file.facts.hits {
                hits.entry(hit.item).or_default().push(Hit::at(
                    &file.rel,
                    hit.line,
                    hit.evidence.clone(),
                ));
            }
        }
        let routes = app
            .iter()
            .flat_map(|f| f.facts.routes.iter().map(String::as_str))
            .collect();
        let mut fields = HashMap::new();
        for file in &app {
            if let Some(source) = &file.source {
                for field in pydantic_fields(&source.module) {
                    if let Some(default) = field.default {
                        fields.insert(field.name, default);
                    }
                }
            }
        }
        Self {
            tree,
            layers,
            project,
            deps,
            settings,
            fields,
            app,
            imported,
            called,
            hits,
            routes,
        }
    }

    /// Application code files (no tests, migrations or development settings).
    pub fn app_files(&self) -> impl Iterator<Item = &'a PyFile> + '_ {
        self.app.iter().copied()
    }

    /// Application code files whose source was kept.
    pub fn app_sources(&self) -> impl Iterator<Item = (&'a PyFile, &'a Module)> + '_ {
        self.app_files()
            .filter_map(|f| f.source.as_ref().map(|s| (f, &s.module)))
    }

    /// The trimmed text of a line of any file the scan read.
    pub fn line_text(&self, file: &str, line: usize) -> String {
        let text = self
            .tree
            .python(file)
            .and_then(|f| f.source.as_ref().map(|s| s.text.as_str()))
            .or_else(|| {
                self.tree
                    .files
                    .iter()
                    .find(|f| f.rel == file)
                    .map(|f| f.text.as_str())
            });
        text.and_then(|t| t.lines().nth(line.saturating_sub(1)))
            .map_or_else(String::new, |l| l.trim().to_owned())
    }

    /// Per-file candidate hits of an item, in application code.
    pub fn local_hits(&self, item: &str) -> Vec<Hit> {
        self.hits.get(item).cloned().unwrap_or_default()
    }

    /// Whether a dependency (normalised name) is declared.
    pub fn depends_on(&self, name: &str) -> bool {
        self.project.depends_on(name)
    }

    /// Whether any application file imports a module (or a submodule of it).
    pub fn imports(&self, module: &str) -> bool {
        let dotted = format!("{module}.");
        self.imported.contains(module)
            || self
                .imported
                .range(dotted.as_str()..)
                .next()
                .is_some_and(|i| i.starts_with(&dotted))
    }

    /// Whether any application file calls a function by dotted name.
    pub fn calls(&self, callee: &str) -> bool {
        self.called.contains(callee)
    }

    /// Every route string declared in application code.
    pub fn routes(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.routes.iter().copied()
    }

    /// Evaluates an expression of a module, resolving module-level names and
    /// pydantic settings fields (`settings.debug`).
    pub fn eval_in(&self, module: &Module, expr: &Expr) -> Val {
        let scope = ModuleScope::new(module, &self.fields);
        eval(expr, &EnvStyle::of(module), &scope)
    }

    /// Whether the project is a web API (JSON endpoints) rather than a site.
    pub fn is_api(&self) -> bool {
        self.project.framework == Framework::Fastapi
            || [
                "djangorestframework",
                "django-ninja",
                "flask-restful",
                "flask-restx",
                "flask-smorest",
                "apiflask",
                "connexion",
            ]
            .iter()
            .any(|d| self.depends_on(d))
            || self
                .routes()
                .any(|r| r.trim_start_matches(['^', '/']).starts_with("api"))
    }
}

/// Module-level names of one module, plus pydantic settings field defaults.
struct ModuleScope<'m> {
    names: HashMap<&'m str, &'m Expr>,
    fields: &'m HashMap<String, Expr>,
}

impl<'m> ModuleScope<'m> {
    fn new(module: &'m Module, fields: &'m HashMap<String, Expr>) -> Self {
        let mut names = HashMap::new();
        for stmt in module.stmts.iter().filter(|s| s.indent == 0) {
            if let StmtKind::Assign {
                targets, value, op, ..
            } = &stmt.kind
                && op == "="
            {
                for target in targets {
                    if let Some(name) = target.dotted() {
                        names.insert(name, value);
                    }
                }
            }
        }
        Self { names, fields }
    }
}

impl Scope for ModuleScope<'_> {
    fn lookup(&self, name: &str) -> Option<&Expr> {
        if let Some(expr) = self.names.get(name) {
            return Some(expr);
        }
        // `settings.debug`, `get_settings().debug` → the field's default.
        let (_, field) = name.rsplit_once('.')?;
        self.fields.get(field)
    }
}

/// Runs the detector for one item; `None` for items that are not automatic.
pub fn run(item: &str, ctx: &Ctx<'_>) -> Option<Verdict> {
    let verdict = match item {
        "secret-key-from-env" => code::secret_key(ctx),
        "env-gitignored" => ops::env_gitignored(ctx),
        "env-example-present" => ops::env_example(ctx),
        "no-frontend-secrets" => ops::frontend_secrets(ctx),
        "debug-off" => web::debug_off(ctx),
        "allowed-hosts-explicit" => web::allowed_hosts(ctx),
        "cors-restricted" => web::cors(ctx),
        "secure-cookies" => web::secure_cookies(ctx),
        "no-debug-prints" => Verdict::from_hits(ctx.local_hits("no-debug-prints")),
        "csrf-protected" => web::csrf(ctx),
        "https-settings" => django::https_settings(ctx),
        "rate-limiting" => web::rate_limiting(ctx),
        "service-urls-from-env" => code::service_urls(ctx),
        "deps-pinned" => ops::deps_pinned(ctx),
        "runtime-pinned" => ops::runtime_pinned(ctx),
        "production-database" => code::production_database(ctx),
        "migrations-tracked" => ops::migrations(ctx),
        "money-as-decimal" => Verdict::from_hits(ctx.local_hits("money-as-decimal")),
        "no-env-workarounds-in-code" => {
            Verdict::from_hits(ctx.local_hits("no-env-workarounds-in-code"))
        }
        "production-settings" => code::production_settings(ctx),
        "wsgi-server" => ops::wsgi_server(ctx),
        "procfile" => ops::procfile(ctx),
        "static-files" => django::static_files(ctx),
        "health-endpoint" => ops::health_endpoint(ctx),
        "logging-config" => ops::logging_config(ctx),
        "error-monitoring" => ops::error_monitoring(ctx),
        "api-docs" => web::api_docs(ctx),
        "api-versioning" => web::api_versioning(ctx),
        "tests-and-ci" => ops::tests_and_ci(ctx),
        "dependency-audit" => ops::dependency_audit(ctx),
        _ => return None,
    };
    Some(verdict)
}

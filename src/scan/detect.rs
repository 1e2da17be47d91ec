//! One detector per `auto` checklist item. Each returns a verdict: the places
//! where the requirement fails, a pass, or "does not apply to this project".

mod code;
pub mod django;
mod ops;
mod web;

use std::collections::{BTreeSet, HashMap, HashSet};

use super::eval::{EnvStyle, Scope, Val, eval};
use super::facts::LocalHit;
use super::layers::{Layers, Place};
use super::model::Dependency;
use super::python::{Expr, Module, StmtKind};
use super::settings::{Settings, pydantic_fields};
use super::{PyFile, Tree};
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
    /// Per-file candidate hits in application code, by item, with their files.
    hits: HashMap<&'static str, Vec<(&'a str, &'a LocalHit)>>,
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
        let app: Vec<&PyFile> = tree.py.iter().filter(|f| f.is_app_code(project)).collect();
        // The two largest indexes are built side by side (a large project
        // calls a hundred thousand functions).
        let (called, (imported, hits)) = super::side_by_side(
            || {
                app.iter()
                    .flat_map(|f| f.facts.calls.iter().map(String::as_str))
                    .collect::<HashSet<_>>()
            },
            || {
                let imported = app
                    .iter()
                    .flat_map(|f| f.facts.imports.iter().map(String::as_str))
                    .collect();
                let mut hits: HashMap<&'static str, Vec<(&'a str, &'a LocalHit)>> = HashMap::new();
                for file in &app {
                    for hit in &file.facts.hits {
                        hits.entry(hit.item)
                            .or_default()
                            .push((file.rel.as_str(), hit));
                    }
                }
                (imported, hits)
            },
        );
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
        self.hits.get(item).map_or_else(Vec::new, |hits| {
            hits.iter()
                .map(|(file, hit)| Hit::at(file, hit.line, hit.evidence.as_str()))
                .collect()
        })
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
                && *op == "="
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

#[cfg(test)]
mod tests {
    use crate::scan::{ScanReport, scan};

    /// A small project: `(path, text)` pairs.
    type Files<'a> = &'a [(&'a str, &'a str)];

    fn scan_files(files: Files<'_>) -> ScanReport {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        scan(dir.path()).unwrap()
    }

    fn fails(report: &ScanReport, item: &str) -> bool {
        report.findings.iter().any(|f| f.item == item)
    }

    const FLASK_META_OFF: &str = concat!(
        "from flask import Flask, session\nfrom flask_wtf import FlaskForm\n",
        "app = Flask(__name__)\n",
        "class NoteForm(FlaskForm):\n    class Meta:\n        csrf = False\n",
        "@app.post('/notes')\ndef notes():\n    form = NoteForm()\n",
        "    if form.validate_on_submit():\n        session['n'] = 1\n    return ''\n",
    );
    const FLASK_META_OFF_PROTECTED: &str = concat!(
        "from flask import Flask, session\nfrom flask_wtf import FlaskForm, CSRFProtect\n",
        "app = Flask(__name__)\nCSRFProtect(app)\n",
        "class NoteForm(FlaskForm):\n    class Meta:\n        csrf = False\n",
        "@app.post('/notes')\ndef notes():\n    form = NoteForm()\n",
        "    if form.validate_on_submit():\n        session['n'] = 1\n    return ''\n",
    );
    const DJANGO_WSGI: (&str, &str) = (
        "cfg/wsgi.py",
        "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.settings')\napplication = get_wsgi_application()\n",
    );

    /// An item, a project where it fails, and one where it does not.
    type Case = (
        &'static str,
        Vec<(&'static str, &'static str)>,
        Vec<(&'static str, &'static str)>,
    );

    #[allow(clippy::too_many_lines)] // one table of small projects
    fn cases() -> Vec<Case> {
        let settings = |text: &'static str| ("cfg/settings.py", text);
        vec![
            (
                "secret-key-from-env",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "SECRET_KEY = env('SECRET_KEY', default='abc123secret')\nimport environ\nenv = environ.Env()\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\n",
                    ),
                ],
            ),
            (
                "env-gitignored",
                vec![
                    (".env", "A=1\n"),
                    ("app.py", "import os\nA = os.environ['A']\n"),
                ],
                vec![
                    (".env", "A=1\n"),
                    (".gitignore", ".env\n"),
                    ("app.py", "import os\nA = os.environ['A']\n"),
                ],
            ),
            (
                "env-example-present",
                vec![
                    (
                        "app.py",
                        "import os\nA = os.environ['A']\nDB = os.getenv('DATABASE_URL', 'sqlite:///a.db')\n",
                    ),
                    (".env.example", "A=\n"),
                ],
                vec![
                    (
                        "app.py",
                        "import os\nA = os.environ['A']\nDB = os.getenv('DATABASE_URL', 'sqlite:///a.db')\nT = int(os.getenv('TIMEOUT', '30'))\n",
                    ),
                    (".env.example", "A=\nDATABASE_URL=\n"),
                ],
            ),
            (
                "no-frontend-secrets",
                vec![
                    ("app.py", "x = 1\n"),
                    ("web/package.json", "{}"),
                    (
                        "web/.env.local",
                        "VITE_STRIPE_SECRET_KEY=sk_live_abcdefghijklmnop\n",
                    ),
                ],
                vec![
                    ("web/package.json", "{}"),
                    (
                        "web/.env.local",
                        "VITE_STRIPE_PUBLISHABLE_KEY=pk_live_abcdefghijklmnop\n",
                    ),
                ],
            ),
            (
                "debug-off",
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    debug: bool = True\nsettings = S()\napp = FastAPI(debug=settings.debug)\n",
                )],
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    debug: bool = False\nsettings = S()\napp = FastAPI(debug=settings.debug)\n",
                )],
            ),
            (
                "allowed-hosts-explicit",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "import os\nALLOWED_HOSTS = os.environ.get('HOSTS', '*').split(',')\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings("import os\nALLOWED_HOSTS = os.environ['HOSTS'].split(',')\n"),
                ],
            ),
            (
                "cors-restricted",
                vec![(
                    "app.py",
                    "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, supports_credentials=True)\n",
                )],
                vec![(
                    "app.py",
                    "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, origins=['https://app.example.com'])\n",
                )],
            ),
            (
                "secure-cookies",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "INSTALLED_APPS = ['django.contrib.sessions']\nSESSION_COOKIE_SAMESITE = None\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "INSTALLED_APPS = ['django.contrib.sessions']\nSESSION_COOKIE_SECURE = True\n",
                    ),
                ],
            ),
            (
                "no-debug-prints",
                vec![("app/views.py", "def v():\n    print('token', 1)\n")],
                vec![
                    (
                        "app/views.py",
                        "import logging\nlog = logging.getLogger(__name__)\ndef v():\n    log.info('x')\n",
                    ),
                    ("tests/test_v.py", "print('fine in tests')\n"),
                ],
            ),
            (
                "csrf-protected",
                vec![
                    DJANGO_WSGI,
                    settings("MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n"),
                    ("shop/views.py", "@csrf_exempt\ndef hook(r): pass\n"),
                ],
                vec![
                    DJANGO_WSGI,
                    settings("MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n"),
                    (
                        "shop/views.py",
                        "from django.views.decorators.csrf import csrf_exempt\n",
                    ),
                ],
            ),
            // A form whose Meta turns CSRF off checks no token itself, but CSRFProtect's
            // before_request hook checks every POST whatever the form says (Flask-WTF 1.3).
            (
                "csrf-protected",
                vec![("app.py", FLASK_META_OFF)],
                vec![("app.py", FLASK_META_OFF_PROTECTED)],
            ),
            (
                "https-settings",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "SECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\nCSRF_TRUSTED_ORIGINS = ['https://x.example']\nX_FRAME_OPTIONS = 'SAMEORIGIN'\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "SECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\nCSRF_TRUSTED_ORIGINS = ['https://x.example']\n",
                    ),
                ],
            ),
            (
                "rate-limiting",
                vec![("main.py", "from fastapi import FastAPI\napp = FastAPI()\n")],
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\nfrom slowapi import Limiter\napp = FastAPI()\n",
                )],
            ),
            (
                "service-urls-from-env",
                vec![(
                    "app/clients.py",
                    "BROKER = 'amqp://guest:guest@rabbit.internal:5672//'\n",
                )],
                vec![
                    (
                        "app/clients.py",
                        "import os\nBROKER = os.environ['BROKER_URL']\n",
                    ),
                    ("tests/test_c.py", "URL = 'http://localhost:8000'\n"),
                ],
            ),
            (
                "deps-pinned",
                vec![("requirements.txt", "flask>=3\n")],
                vec![("requirements.txt", "flask>=3,<4\n")],
            ),
            (
                "runtime-pinned",
                vec![("requirements.txt", "flask==3.0.0\n")],
                vec![
                    ("requirements.txt", "flask==3.0.0\n"),
                    ("Dockerfile", "FROM python:3.12-slim\n"),
                ],
            ),
            (
                "production-database",
                vec![(
                    "app/db.py",
                    "import os\nfrom sqlalchemy import create_engine\nengine = create_engine(os.getenv('DATABASE_URL', 'sqlite:///app.db'))\n",
                )],
                vec![
                    (
                        "app/db.py",
                        "import os\nfrom sqlalchemy import create_engine\nengine = create_engine(os.environ['DATABASE_URL'])\n",
                    ),
                    ("requirements.txt", "sqlalchemy==2.0.30\n"),
                ],
            ),
            (
                "migrations-tracked",
                vec![
                    ("manage.py", ""),
                    (
                        "shop/models.py",
                        "from django.db import models\nclass P(models.Model):\n    name = models.CharField()\n",
                    ),
                ],
                vec![
                    ("manage.py", ""),
                    (
                        "shop/models.py",
                        "from django.db import models\nclass P(models.Model):\n    name = models.CharField()\n",
                    ),
                    ("shop/migrations/0001_initial.py", ""),
                ],
            ),
            (
                "money-as-decimal",
                vec![(
                    "shop/models.py",
                    "from django.db import models\nclass P(models.Model):\n    price = models.FloatField()\n",
                )],
                vec![(
                    "shop/models.py",
                    "from django.db import models\nclass P(models.Model):\n    price = models.DecimalField()\n    rating = models.FloatField()\n",
                )],
            ),
            (
                "no-env-workarounds-in-code",
                vec![("app/boot.py", "import os\nos.environ.update({'A': '1'})\n")],
                vec![(
                    "app/boot.py",
                    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.settings')\n",
                )],
            ),
            (
                "production-settings",
                vec![("main.py", "from fastapi import FastAPI\napp = FastAPI()\n")],
                vec![(
                    "main.py",
                    "import os\nfrom fastapi import FastAPI\nENVIRONMENT = os.getenv('APP_ENV', 'production')\napp = FastAPI()\n",
                )],
            ),
            (
                "wsgi-server",
                vec![
                    ("requirements.txt", "fastapi==0.111.0\nuvicorn==0.29.0\n"),
                    ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
                ],
                vec![
                    (
                        "requirements.txt",
                        "fastapi==0.111.0\ngunicorn==22.0.0\nuvicorn-worker==0.2.0\n",
                    ),
                    ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
                    (
                        "gunicorn.conf.py",
                        "worker_class = 'uvicorn_worker.UvicornWorker'\n",
                    ),
                    ("Procfile", "web: gunicorn main:app\n"),
                ],
            ),
            (
                "procfile",
                vec![
                    ("app.py", "x = 1\n"),
                    ("Procfile", "web: gunicorn app:app\n"),
                    ("alembic.ini", "[alembic]\n"),
                ],
                vec![
                    (
                        "Procfile",
                        "web: gunicorn app:app\nrelease: alembic upgrade head\n",
                    ),
                    ("alembic.ini", "[alembic]\n"),
                ],
            ),
            (
                "static-files",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = 'static'\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = 'static'\nMIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']\n",
                    ),
                ],
            ),
            (
                "health-endpoint",
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/items')\ndef items(): pass\n",
                )],
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/healthz')\ndef health(): pass\n",
                )],
            ),
            (
                "logging-config",
                vec![(
                    "main.py",
                    "import logging\nlog = logging.getLogger(__name__)\n",
                )],
                vec![(
                    "main.py",
                    "import logging\nlogging.basicConfig(level='INFO')\n",
                )],
            ),
            (
                "error-monitoring",
                vec![(
                    "main.py",
                    "import sentry_sdk\nsentry_sdk.init(dsn='x', send_default_pii=True)\n",
                )],
                vec![("main.py", "import sentry_sdk\nsentry_sdk.init(dsn='x')\n")],
            ),
            (
                "api-docs",
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\napp = FastAPI(openapi_url=None)\n",
                )],
                vec![("main.py", "from fastapi import FastAPI\napp = FastAPI()\n")],
            ),
            (
                "api-versioning",
                vec![(
                    "main.py",
                    "from fastapi import FastAPI, APIRouter\napp = FastAPI()\nrouter = APIRouter(prefix='/api/users')\n",
                )],
                vec![(
                    "main.py",
                    "from fastapi import FastAPI, APIRouter\napp = FastAPI()\nrouter = APIRouter(prefix='/api/v1/users')\n",
                )],
            ),
            (
                "tests-and-ci",
                vec![("tests/test_a.py", "def test_a(): pass\n")],
                vec![
                    ("tests/test_a.py", "def test_a(): pass\n"),
                    (
                        ".github/workflows/ci.yml",
                        "jobs:\n  t:\n    steps:\n      - run: pytest\n",
                    ),
                ],
            ),
            (
                "dependency-audit",
                vec![
                    ("app.py", "x = 1\n"),
                    (
                        ".github/workflows/ci.yml",
                        "jobs:\n  t:\n    steps:\n      - run: pytest\n",
                    ),
                ],
                vec![(
                    ".github/workflows/ci.yml",
                    "jobs:\n  t:\n    steps:\n      - run: pip-audit -r requirements.txt\n",
                )],
            ),
        ]
    }

    /// Projects in the styles of the unseen-project review (cookiecutter-django,
    /// the full-stack FastAPI template, Flask config classes, monorepos): each
    /// judgement has a project where it must fire and one where it must not.
    #[allow(clippy::too_many_lines)] // one table of small projects
    fn review_cases() -> Vec<Case> {
        let settings = |text: &'static str| ("cfg/settings.py", text);
        vec![
            // INSTALLED_APPS built from named lists still counts its apps.
            (
                "static-files",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "DJANGO_APPS = ['django.contrib.staticfiles']\nLOCAL_APPS = ['shop']\nINSTALLED_APPS = DJANGO_APPS + LOCAL_APPS\nSTATIC_ROOT = 'static'\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "DJANGO_APPS = ['django.contrib.staticfiles']\nINSTALLED_APPS = DJANGO_APPS + ['shop']\nSTATIC_ROOT = 'static'\nMIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']\n",
                    ),
                ],
            ),
            // An environment selector holds in production: its branch is the one judged.
            (
                "allowed-hosts-explicit",
                vec![
                    DJANGO_WSGI,
                    settings(
                        "import os\nif os.environ.get('DJANGO_ENV') == 'production':\n    ALLOWED_HOSTS = ['*']\nelse:\n    ALLOWED_HOSTS = ['localhost']\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    settings(
                        "import os\nENV = os.getenv('DJANGO_ENV', 'dev')\nif ENV in ('production', 'staging'):\n    ALLOWED_HOSTS = ['api.example.com']\nelse:\n    ALLOWED_HOSTS = ['*']\n",
                    ),
                ],
            ),
            // A Flask app configured from the environment has its production configuration.
            (
                "production-settings",
                vec![(
                    "app.py",
                    "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'fallback-secret-123')\n",
                )],
                vec![(
                    "app.py",
                    "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config.from_mapping(SECRET_KEY=os.environ['SECRET_KEY'])\n",
                )],
            ),
            // So does a FastAPI app whose settings require the secret from the environment.
            (
                "production-settings",
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\nfrom pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    secret_key: str = 'a-literal-default-secret'\napp = FastAPI()\n",
                )],
                vec![(
                    "main.py",
                    "from fastapi import FastAPI\nfrom pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    secret_key: str\napp = FastAPI()\n",
                )],
            ),
            // render.yaml's envVars pick the production settings over wsgi.py's default.
            (
                "debug-off",
                vec![
                    (
                        "cfg/wsgi.py",
                        "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.live')\napplication = get_wsgi_application()\n",
                    ),
                    ("cfg/prod.py", "DEBUG = True\nINSTALLED_APPS = []\n"),
                    ("cfg/live.py", "DEBUG = False\nINSTALLED_APPS = []\n"),
                    (
                        "render.yaml",
                        "services:\n  - type: web\n    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n        value: cfg.prod\n",
                    ),
                ],
                vec![
                    (
                        "cfg/wsgi.py",
                        "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.prod')\napplication = get_wsgi_application()\n",
                    ),
                    ("cfg/prod.py", "DEBUG = True\nINSTALLED_APPS = []\n"),
                    ("cfg/live.py", "DEBUG = False\nINSTALLED_APPS = []\n"),
                    (
                        "render.yaml",
                        "services:\n  - type: web\n    envVars:\n      - key: DJANGO_SETTINGS_MODULE\n        value: cfg.live\n",
                    ),
                ],
            ),
            // Render pins Python with a PYTHON_VERSION variable.
            (
                "runtime-pinned",
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    (
                        "render.yaml",
                        "services:\n  - type: web\n    envVars:\n      - key: WEB_CONCURRENCY\n        value: 3\n",
                    ),
                ],
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    (
                        "render.yaml",
                        "services:\n  - type: web\n    envVars:\n      - key: PYTHON_VERSION\n        value: 3.12.3\n",
                    ),
                ],
            ),
            // A container image with its own start command needs no Procfile.
            (
                "procfile",
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    ("Dockerfile", "FROM python:3.12\nCOPY . .\n"),
                ],
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCOPY . .\nCMD [\"gunicorn\", \"app:app\", \"--workers\", \"3\"]\n",
                    ),
                ],
            ),
            // So does a compose service running gunicorn; a dev compose does not.
            (
                "procfile",
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    (
                        "docker-compose.yml",
                        "services:\n  web:\n    command: flask run --debug\n",
                    ),
                ],
                vec![
                    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
                    (
                        "docker-compose.prod.yml",
                        "services:\n  web:\n    command: gunicorn app:app -w 3\n",
                    ),
                ],
            ),
            // A container's start script is read for its release step.
            (
                "migrations-tracked",
                vec![
                    DJANGO_WSGI,
                    (
                        "shop/models.py",
                        "from django.db import models\nclass A(models.Model):\n    x = models.IntegerField()\n",
                    ),
                    ("shop/migrations/__init__.py", ""),
                    (
                        "shop/migrations/0001_initial.py",
                        "from django.db import migrations\n",
                    ),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCOPY docker/start /start\nCMD [\"/start\"]\n",
                    ),
                    (
                        "docker/start",
                        "#!/bin/sh\n# no migrate here\nexec gunicorn cfg.wsgi -w 3\n",
                    ),
                ],
                vec![
                    DJANGO_WSGI,
                    (
                        "shop/models.py",
                        "from django.db import models\nclass A(models.Model):\n    x = models.IntegerField()\n",
                    ),
                    ("shop/migrations/__init__.py", ""),
                    (
                        "shop/migrations/0001_initial.py",
                        "from django.db import migrations\n",
                    ),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCOPY docker/start /start\nCMD [\"/start\"]\n",
                    ),
                    (
                        "docker/start",
                        "#!/bin/sh\npython manage.py migrate --noinput\nexec gunicorn cfg.wsgi -w 3\n",
                    ),
                ],
            ),
            // A compose service running a migration script is the release step too.
            (
                "migrations-tracked",
                vec![
                    ("alembic.ini", "[alembic]\n"),
                    (
                        "app/models.py",
                        "from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase):\n    pass\nclass A(Base):\n    __tablename__ = 'a'\n",
                    ),
                    ("alembic/versions/0001_a.py", "revision = '0001'\n"),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCMD gunicorn app.main:app -w 2\n",
                    ),
                    (
                        "docker-compose.yml",
                        "services:\n  prestart:\n    command: bash scripts/prestart.sh\n",
                    ),
                    ("scripts/prestart.sh", "python -m app.wait_for_db\n"),
                ],
                vec![
                    ("alembic.ini", "[alembic]\n"),
                    (
                        "app/models.py",
                        "from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase):\n    pass\nclass A(Base):\n    __tablename__ = 'a'\n",
                    ),
                    ("alembic/versions/0001_a.py", "revision = '0001'\n"),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCMD gunicorn app.main:app -w 2\n",
                    ),
                    (
                        "docker-compose.yml",
                        "services:\n  prestart:\n    command: bash scripts/prestart.sh\n",
                    ),
                    (
                        "scripts/prestart.sh",
                        "python -m app.wait_for_db\nalembic upgrade head\n",
                    ),
                ],
            ),
            // Literal secrets count in the production config class, not in test ones.
            (
                "secret-key-from-env",
                vec![(
                    "config.py",
                    "class Config:\n    SECRET_KEY = 'a-literal-production-secret'\nclass TestingConfig(Config):\n    TESTING = True\n",
                )],
                vec![(
                    "config.py",
                    "import os\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\nclass TestingConfig(Config):\n    SECRET_KEY = 'a-literal-test-only-secret'\n",
                )],
            ),
            // A staging config class is not production either.
            (
                "debug-off",
                vec![(
                    "config.py",
                    "from flask import Flask\nclass Config:\n    DEBUG = True\n",
                )],
                vec![(
                    "config.py",
                    "from flask import Flask\nclass Config:\n    DEBUG = False\nclass StagingConfig(Config):\n    DEBUG = True\n",
                )],
            ),
            // The app opening SQLite itself is SQLite in production.
            (
                "production-database",
                vec![(
                    "app.py",
                    "import sqlite3\nfrom flask import Flask\napp = Flask(__name__)\ndef db():\n    return sqlite3.connect('app.db')\n",
                )],
                vec![
                    (
                        "app.py",
                        "import os\nimport psycopg\nfrom flask import Flask\napp = Flask(__name__)\ndef db():\n    return psycopg.connect(os.environ['DATABASE_URL'])\n",
                    ),
                    ("requirements.txt", "psycopg==3.1.19\n"),
                ],
            ),
            // A frontend's .env.production is meant to be committed; a secret in it is
            // no-frontend-secrets' finding, not env-gitignored's (issue 11, class 9).
            (
                "no-frontend-secrets",
                vec![
                    ("app.py", "x = 1\n"),
                    ("web/package.json", "{}"),
                    (
                        "web/.env.production",
                        "VITE_API_URL=https://api.example.com\nVITE_ADMIN_TOKEN=abcdefghijklmnopqrstuvwxyz\n",
                    ),
                ],
                vec![
                    ("app.py", "x = 1\n"),
                    ("web/package.json", "{}"),
                    (
                        "web/.env.production",
                        "VITE_API_URL=https://api.example.com\nVITE_STRIPE_PUBLISHABLE_KEY=pk_live_abcdefghijklmnop\n",
                    ),
                ],
            ),
            // A nested backend's own .gitignore covers the .env next to its template.
            (
                "env-gitignored",
                vec![
                    ("backend/app.py", "import os\nA = os.environ['A']\n"),
                    ("backend/.env.example", "A=\n"),
                ],
                vec![
                    ("backend/app.py", "import os\nA = os.environ['A']\n"),
                    ("backend/.env.example", "A=\n"),
                    ("backend/.gitignore", ".env\n"),
                ],
            ),
            // A nested backend's .env.example counts; a frontend's does not.
            (
                "env-example-present",
                vec![
                    ("backend/app.py", "import os\nA = os.environ['A']\n"),
                    ("web/package.json", "{}"),
                    ("web/.env.example", "A=\n"),
                ],
                vec![
                    ("backend/app.py", "import os\nA = os.environ['A']\n"),
                    ("backend/.env.example", "A=\n"),
                ],
            ),
        ]
    }

    #[test]
    fn review_judgements_fire_where_they_should_and_only_there() {
        for (item, failing, passing) in review_cases() {
            let report = scan_files(&failing);
            assert!(fails(&report, item), "{item} should fail on {failing:?}");
            let report = scan_files(&passing);
            assert!(
                !fails(&report, item),
                "{item} should not fail on {passing:?}: {:?}",
                report
                    .findings
                    .iter()
                    .filter(|f| f.item == item)
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_flask_manage_py_is_not_django() {
        let flask = scan_files(&[
            (
                "manage.py",
                "from flask.cli import FlaskGroup\nfrom project import create_app\ncli = FlaskGroup(create_app=create_app)\n",
            ),
            (
                "project/__init__.py",
                "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
            ),
        ]);
        assert_eq!(flask.project.framework, crate::project::Framework::Flask);
        assert_eq!(
            flask.project.entrypoint.as_deref(),
            Some("project:create_app()")
        );
        let django = scan_files(&[
            (
                "manage.py",
                "import os\ndef main():\n    from django.core.management import execute_from_command_line\n",
            ),
            DJANGO_WSGI,
        ]);
        assert_eq!(django.project.framework, crate::project::Framework::Django);
    }

    #[test]
    fn a_nested_backend_is_imported_from_its_own_folder() {
        let main = "from fastapi import FastAPI\nfrom app.core import config\napp = FastAPI()\n";
        let nested = scan_files(&[
            ("backend/pyproject.toml", "[project]\nname = 'app'\n"),
            ("backend/app/__init__.py", ""),
            ("backend/app/main.py", main),
        ]);
        assert_eq!(nested.project.entrypoint.as_deref(), Some("app.main:app"));
        // Without a marker, backend/ is just a folder of the project.
        let plain = scan_files(&[
            ("backend/app/__init__.py", ""),
            ("backend/app/main.py", main),
        ]);
        assert_eq!(
            plain.project.entrypoint.as_deref(),
            Some("backend.app.main:app")
        );
        // A package folder (with __init__.py) is never a root, marker or not.
        let package = scan_files(&[
            ("svc/__init__.py", ""),
            ("svc/Dockerfile", "FROM python:3.12\n"),
            ("svc/main.py", main),
        ]);
        assert_eq!(package.project.entrypoint.as_deref(), Some("svc.main:app"));
    }

    /// Each item fails on the first project and does not on the second.
    #[test]
    fn every_detector_has_a_positive_and_a_negative_case() {
        let cases = cases();
        let auto: Vec<&str> = crate::checklist::Checklist::get()
            .items
            .iter()
            .filter(|i| i.is_auto())
            .map(|i| i.id.as_str())
            .collect();
        for id in &auto {
            assert!(
                cases.iter().any(|(item, _, _)| item == id),
                "no case for {id}"
            );
        }
        for (item, failing, passing) in &cases {
            let report = scan_files(failing);
            assert!(fails(&report, item), "{item} should fail on {failing:?}");
            let report = scan_files(passing);
            assert!(
                !fails(&report, item),
                "{item} should not fail on {passing:?}: {:?}",
                report
                    .findings
                    .iter()
                    .filter(|f| f.item == *item)
                    .collect::<Vec<_>>()
            );
        }
    }
}

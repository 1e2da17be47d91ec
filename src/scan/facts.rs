//! What one Python file says, gathered on the walker's threads so that only
//! small facts (not whole syntax trees) are kept for ordinary modules.

use super::eval::{Default, EnvStyle, env_read};
use super::python::{Expr, ExprKind, Module, Stmt, StmtKind};

/// A per-file finding candidate: which item, where, and the evidence line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalHit {
    pub item: &'static str,
    pub line: usize,
    /// The trimmed source line.
    pub evidence: String,
}

/// A module-level web application object: `app = FastAPI()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppObject {
    pub var: String,
    /// `fastapi` or `flask`.
    pub framework: &'static str,
    pub line: usize,
    /// `app = create_app()`: the factory it came from.
    pub via_factory: Option<String>,
}

/// A Flask view that takes a state-changing request (POST, PUT, PATCH,
/// DELETE) and handles a submitted form (issue 11, class 8).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent yes/no facts about one view
pub struct FormHandler {
    /// The route decorator's line (the method's `def` line in a `MethodView`).
    pub line: usize,
    /// The trimmed source line.
    pub evidence: String,
    /// It reads `request.form`, `request.values` or `request.files`.
    pub reads_form: bool,
    /// It checks a CSRF token itself: a Flask-WTF form's `validate_on_submit()`,
    /// `validate_csrf(…)`, `csrf.protect()`.
    pub checks_token: bool,
    /// It calls `form.validate()`: a Flask-WTF form checks its token there, a
    /// plain WTForms one does not.
    pub validates: bool,
    /// It reads the body whatever its content type: `request.get_json(force=True)`,
    /// `request.data`, `request.get_data()`. A cross-site `<form enctype="text/plain">`
    /// can post a JSON body there; `request.get_json()` (no `force`) refuses a body
    /// that is not `application/json`, which a browser sends cross-site only after a
    /// CORS preflight, so a view reading only that is not a form handler.
    pub reads_body: bool,
    /// The form classes it instantiates (`NoteForm()`): one whose `Meta` turns its
    /// CSRF check off checks no token in `validate_on_submit()`.
    pub forms: Vec<String>,
    /// It instantiates a form with `meta={"csrf": False}`.
    pub csrf_off: bool,
}

/// Facts about one Python file.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_excessive_bools)] // independent yes/no facts, not a state machine
pub struct Facts {
    /// Environment variables read, with the line of the read.
    pub env_reads: Vec<(String, usize)>,
    /// Candidate findings for the per-file items.
    pub hits: Vec<LocalHit>,
    /// URL paths declared: `path("healthz", …)`, `@app.get("/health")`, `prefix="/api/v1"`.
    pub routes: Vec<String>,
    /// Modules imported (`a.b` for `import a.b`; `a.b` and `a.b.c` for `from a.b import c`).
    pub imports: Vec<String>,
    /// Dotted names of functions called.
    pub calls: Vec<String>,
    /// Web application objects created at module level.
    pub apps: Vec<AppObject>,
    /// Functions that create and return an application (app factories).
    pub factories: Vec<(String, &'static str)>,
    /// Calls assigned at module level: `(var, callee)`, to resolve `app = create_app()`.
    pub assigned_calls: Vec<(String, String, usize)>,
    /// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "…")`.
    pub django_settings_default: Option<String>,
    /// The variable bound to `get_wsgi_application()`.
    pub wsgi_var: Option<String>,
    /// The variable bound to `get_asgi_application()`.
    pub asgi_var: Option<String>,
    /// Modules star-imported: `from .base import *`.
    pub star_imports: Vec<String>,
    /// Whether the file looks like a Django settings module.
    pub settings_like: bool,
    /// Whether it assigns configuration-looking names (`DEBUG`, `SECRET_KEY`,
    /// `app.config["…"]`, `SESSION_COOKIE_SECURE`) or declares a settings class.
    pub config_like: bool,
    /// Whether it defines Django models (`class X(models.Model)`).
    pub django_models: bool,
    /// Whether it defines SQLAlchemy / SQLModel / Flask-SQLAlchemy models.
    pub orm_models: bool,
    /// Environment variables production must set (issue 11 class 10): read
    /// with no default, or with a default unsafe in production ([`must_be_set`]).
    pub needed_env: Vec<String>,
    /// Bare host names written into the code as a service's address
    /// (`redis://cache:6379/0`, `host="db"`): `(host, line, evidence)`. They are
    /// hard-coded services when the compose file names such a service.
    pub service_hosts: Vec<(String, usize, String)>,
    /// Flask views that change state from a submitted form.
    pub form_handlers: Vec<FormHandler>,
    /// The line of a `before_request` hook that compares a CSRF token: the
    /// app's own CSRF check for every request.
    pub csrf_hook: Option<usize>,
    /// Form classes defined here (a base named `…Form`): `(name, the bases' last
    /// names, whether its `class Meta:` sets `csrf = False`)`, so a subclass of a
    /// form without CSRF is known to have none either.
    pub form_classes: Vec<(String, Vec<String>, bool)>,
}

/// Whether a class or module name is for development, tests or staging: not production.
pub fn is_dev_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "dev"
                | "devel"
                | "develop"
                | "development"
                | "test"
                | "tests"
                | "testing"
                | "local"
                | "debug"
                | "staging"
        )
    })
}

/// The lower-case words of a CamelCase or snake_case name: `TestingConfig` →
/// `testing`, `config`; `settings_dev` → `settings`, `dev`.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            previous_lower = false;
            words.push(String::new());
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower || words.is_empty() {
            words.push(String::new());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if let Some(word) = words.last_mut() {
            word.push(c.to_ascii_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// For each statement of a module, whether it sits inside a class whose name
/// says development, test or staging (`class TestingConfig(Config):`): values
/// there never reach production.
pub fn in_dev_class(module: &Module) -> Vec<bool> {
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let mut inside = Vec::with_capacity(module.stmts.len());
    for stmt in &module.stmts {
        while stack
            .last()
            .is_some_and(|(indent, _)| *indent >= stmt.indent)
        {
            stack.pop();
        }
        inside.push(stack.iter().any(|(_, dev)| *dev));
        match &stmt.kind {
            StmtKind::Class { name, .. } => stack.push((stmt.indent, is_dev_name(name))),
            StmtKind::Def { .. } | StmtKind::Block { .. } => stack.push((stmt.indent, false)),
            _ => {}
        }
    }
    inside
}

fn hit(item: &'static str, line: usize) -> LocalHit {
    LocalHit {
        item,
        line,
        evidence: String::new(),
    }
}

/// Names whose parts say "this is money".
const MONEY_WORDS: &[&str] = &[
    "price",
    "prices",
    "amount",
    "amounts",
    "total",
    "subtotal",
    "balance",
    "cost",
    "costs",
    "fee",
    "fees",
    "value",
    "salary",
    "wage",
    "wages",
    "payment",
    "revenue",
    "charge",
    "tax",
    "discount",
    "refund",
    "budget",
    "income",
    "spend",
    "spent",
    "debit",
    "credit",
    "money",
    "cash",
    "fare",
    "rent",
    "payout",
    "deposit",
    "withdrawal",
    "tip",
    "tips",
    "earnings",
    "profit",
    "paid",
    "owed",
    "due",
    "invoice",
    "usd",
    "eur",
    "cents",
];

/// Parts that make a money-sounding name something else (`credit_score`).
const NOT_MONEY_WORDS: &[&str] = &[
    "distance",
    "duration",
    "length",
    "height",
    "width",
    "size",
    "volume",
    "km",
    "miles",
    "temperature",
    "score",
    "rate",
    "ratio",
    "percent",
    "percentage",
    "pct",
    "count",
    "weight",
    "rating",
    "number",
    "num",
    "id",
    "date",
    "time",
    "days",
    "hours",
    "seconds",
    "limit",
    "threshold",
];

/// Whether a field name names a monetary amount.
pub fn is_money_name(name: &str) -> bool {
    let parts = || name.split('_').filter(|p| !p.is_empty());
    let any_of = |words: &[&str]| parts().any(|p| words.iter().any(|w| w.eq_ignore_ascii_case(p)));
    any_of(MONEY_WORDS) && !any_of(NOT_MONEY_WORDS)
}

/// Settings names that only a Django settings module assigns.
const DJANGO_SETTINGS_MARKERS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "ROOT_URLCONF",
    "WSGI_APPLICATION",
];

/// Callees whose first string argument is a URL route.
const ROUTE_CALLS: &[&str] = &[
    "path",
    "re_path",
    "url",
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "api_route",
    "add_url_rule",
    "add_api_route",
    "websocket",
    "head",
    "options",
];

/// The modules a file imports, read line by line without parsing (for files
/// that hold nothing else of interest).
pub fn plain_imports(text: &str) -> Vec<String> {
    let mut imports = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("import ") {
            imports.extend(
                rest.split(',')
                    .filter_map(|m| m.split_whitespace().next())
                    .map(str::to_owned),
            );
        } else if let Some(rest) = line.strip_prefix("from ")
            && let Some((module, names)) = rest.split_once(" import ")
        {
            let module = module.trim();
            imports.push(module.to_owned());
            for name in names.trim_matches(['(', ')', ' ']).split(',') {
                if let Some(name) = name.split_whitespace().next() {
                    imports.push(format!("{module}.{name}"));
                }
            }
        }
    }
    imports.sort();
    imports.dedup();
    imports
}

/// Reads the facts of one parsed module; `text` is its source, for evidence.
pub fn gather(module: &Module, text: &str) -> Facts {
    let style = EnvStyle::of(module);
    let mut facts = Facts::default();
    let main_guard = main_guard_lines(module);
    // (indent, kind): 0 = not a class, 1 = a class, 2 = an ORM table class
    // (SQLModel) whose plain `float` annotations are columns.
    let mut containers: Vec<(usize, u8)> = Vec::new();
    // Indents of enclosing classes named for development or tests
    // (`class DevelopmentConfig(Config):`): their values never reach production.
    let mut dev_classes: Vec<usize> = Vec::new();
    // Indents of enclosing pydantic settings classes.
    let mut settings_classes: Vec<usize> = Vec::new();
    // Indents of enclosing `if`/`else`/`except` blocks: a read there is
    // needed only when the condition holds, so production need not set it.
    let mut conditions: Vec<usize> = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        while containers
            .last()
            .is_some_and(|(indent, _)| *indent >= stmt.indent)
        {
            containers.pop();
        }
        pop_to(&mut dev_classes, stmt.indent);
        pop_to(&mut conditions, stmt.indent);
        let hits_before = facts.hits.len();
        let hosts_before = facts.service_hosts.len();
        let container = containers.last().map_or(0, |(_, kind)| *kind);
        let in_class = container > 0;
        let table_class = container == 2;
        let in_main = main_guard.contains(&index);
        statement_facts(
            module,
            index,
            stmt,
            (in_class, table_class),
            &style,
            &mut facts,
        );
        let place = Place {
            in_main,
            settings_field: settings_classes
                .last()
                .is_some_and(|indent| stmt.indent > *indent),
            optional_reads: in_main || !dev_classes.is_empty() || !conditions.is_empty(),
        };
        if is_condition(stmt) {
            conditions.push(stmt.indent);
        }
        expression_facts(stmt, &style, place, &mut facts);
        if !dev_classes.is_empty() {
            facts.service_hosts.truncate(hosts_before);
            let mut index = hits_before;
            while index < facts.hits.len() {
                if matches!(
                    facts.hits[index].item,
                    "production-database" | "service-urls-from-env"
                ) {
                    facts.hits.remove(index);
                } else {
                    index += 1;
                }
            }
        }
        if let StmtKind::Class { bases, .. } = &stmt.kind
            && bases
                .iter()
                .any(|b| b.last_name().is_some_and(|n| n.ends_with("BaseSettings")))
        {
            settings_classes.push(stmt.indent);
        }
        match &stmt.kind {
            StmtKind::Class { name, .. } if is_dev_name(name) => {
                dev_classes.push(stmt.indent);
                containers.push((stmt.indent, 1));
            }
            StmtKind::Class { bases, .. } => {
                let sqlmodel = bases.iter().any(|b| b.last_name() == Some("SQLModel"));
                containers.push((stmt.indent, if sqlmodel { 2 } else { 1 }));
            }
            StmtKind::Def { .. } | StmtKind::Block { .. } => containers.push((stmt.indent, 0)),
            _ => {}
        }
    }
    facts.calls.sort();
    facts.calls.dedup();
    facts.imports.sort();
    facts.imports.dedup();
    fill_evidence(&mut facts, text);
    facts
}

/// Puts each candidate's trimmed source line in as its evidence.
fn fill_evidence(facts: &mut Facts, text: &str) {
    if facts.hits.is_empty() && facts.form_handlers.is_empty() && facts.service_hosts.is_empty() {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = |line: usize| {
        lines
            .get(line.saturating_sub(1))
            .map_or_else(String::new, |l| l.trim().to_owned())
    };
    for (_, line, evidence) in &mut facts.service_hosts {
        *evidence = at(*line);
    }
    for handler in &mut facts.form_handlers {
        handler.evidence = at(handler.line);
    }
    for hit in &mut facts.hits {
        hit.evidence = at(hit.line);
    }
    facts.hits.sort_by_key(|h| h.line);
    facts.hits.dedup();
}

/// Indices of statements inside `if __name__ == "__main__":` blocks.
fn main_guard_lines(module: &Module) -> Vec<usize> {
    let mut inside = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        let StmtKind::Block { keyword, exprs } = &stmt.kind else {
            continue;
        };
        let is_guard = *keyword == "if"
            && exprs.iter().any(|e| {
                matches!(&e.kind, ExprKind::Compare(a, _, b)
                    if a.dotted() == Some("__name__") || b.dotted() == Some("__name__"))
            });
        if is_guard {
            let body = module.body_of(index).len();
            inside.extend(index + 1..=index + body);
        }
    }
    inside
}

fn statement_facts(
    module: &Module,
    index: usize,
    stmt: &Stmt,
    (in_class, table_class): (bool, bool),
    style: &EnvStyle,
    facts: &mut Facts,
) {
    match &stmt.kind {
        StmtKind::Import {
            module: name,
            names,
            star,
        } => {
            facts.imports.push(name.clone());
            for imported in names {
                facts.imports.push(format!("{name}.{imported}"));
            }
            if *star {
                facts.star_imports.push(name.clone());
            }
        }
        StmtKind::Assign {
            targets,
            value,
            annotation,
            op,
        } => {
            let target = targets.first().and_then(Expr::dotted).unwrap_or("");
            facts.config_like |= targets.iter().any(is_config_target);
            // `API_V1_STR = "/api/v1"`, later passed as `prefix=settings.API_V1_STR`.
            if let Some(path) = value.as_str()
                && is_route_like(path)
            {
                facts.routes.push(path.to_owned());
            }
            if stmt.indent == 0 {
                module_level_assign(target, value, stmt.line, facts);
            } else if !target.contains('.') && !target.is_empty() {
                // `if settings.DEBUG: application = StaticFilesHandler(get_wsgi_application())`.
                wsgi_assign(target, value, facts);
            }
            if targets.iter().any(|t| is_environ_item(t, style)) && *op == "=" {
                facts
                    .hits
                    .push(hit("no-env-workarounds-in-code", stmt.line));
            }
            if in_class
                && is_money_name(target)
                && is_float_field(value, annotation.as_ref(), table_class)
            {
                facts.hits.push(hit("money-as-decimal", stmt.line));
            }
        }
        StmtKind::Annotated { target, annotation } => {
            let name = target.dotted().unwrap_or("");
            if table_class && is_money_name(name) && is_float_annotation(annotation, true) {
                facts.hits.push(hit("money-as-decimal", stmt.line));
            }
        }
        StmtKind::Class { name, bases } => {
            if bases
                .iter()
                .any(|b| matches!(b.last_name(), Some("MethodView" | "View" | "Resource")))
            {
                method_view_handlers(module, index, facts);
            }
            let base_names: Vec<String> = bases
                .iter()
                .filter_map(|b| b.last_name().map(str::to_owned))
                .collect();
            if base_names.iter().any(|b| b.ends_with("Form")) {
                let csrf_off = meta_csrf_off(module.body_of(index));
                facts
                    .form_classes
                    .push((name.clone(), base_names, csrf_off));
            }
            facts.config_like |= bases.iter().any(|b| {
                b.last_name()
                    .is_some_and(|n| n.ends_with("Settings") || n.ends_with("Config"))
            });
            for base in bases {
                match base.dotted() {
                    // An abstract or unmanaged model has no table of its own to migrate.
                    Some("models.Model" | "Model" | "django.db.models.Model")
                        if !abstract_or_unmanaged(module.body_of(index)) =>
                    {
                        facts.django_models = true;
                    }
                    Some("Base" | "DeclarativeBase" | "db.Model" | "SQLModel") => {
                        facts.orm_models = true;
                    }
                    _ => {}
                }
            }
        }
        StmtKind::Def { name } => def_facts(module, index, name, facts),
        StmtKind::Decorator(expr) => {
            let name = match &expr.kind {
                ExprKind::Call { func, .. } => func.dotted(),
                _ => expr.dotted(),
            };
            if matches!(
                name,
                Some("csrf_exempt" | "csrf.exempt" | "csrf_protect.exempt")
            ) {
                facts.hits.push(hit("csrf-protected", stmt.line));
            }
        }
        _ => {}
    }
}

/// The decorators of the `def` at `index`: the decorator lines right above it.
fn decorators_of(module: &Module, index: usize) -> Vec<&Expr> {
    let indent = module.stmts[index].indent;
    module.stmts[..index]
        .iter()
        .rev()
        .map_while(|s| match &s.kind {
            StmtKind::Decorator(expr) if s.indent == indent => Some(expr),
            _ => None,
        })
        .collect()
}

/// What a function says: an app factory (it creates and returns an app), a
/// Flask view's form handling, a `before_request` CSRF check.
fn def_facts(module: &Module, index: usize, name: &str, facts: &mut Facts) {
    let body = module.body_of(index);
    let creates = body.iter().find_map(|s| {
        let mut found = None;
        s.walk_exprs(&mut |e| {
            if found.is_none() {
                found = app_framework(e);
            }
        });
        found
    });
    if let Some(framework) = creates {
        facts.factories.push((name.to_owned(), framework));
    }
    let decorators = decorators_of(module, index);
    if let Some(line) = decorators
        .iter()
        .find_map(|d| state_changing_route(d).then_some(d.line))
        && let Some(handler) = form_handler(line, body)
    {
        facts.form_handlers.push(handler);
    }
    let hook = decorators.iter().any(|d| {
        matches!(
            d.dotted().and_then(|n| n.rsplit('.').next()),
            Some("before_request" | "before_app_request")
        )
    });
    if hook && compares_csrf_token(name, body) {
        facts.csrf_hook = Some(module.stmts[index].line);
    }
}

/// Whether a decorator routes a state-changing method: `@bp.post(…)`,
/// `@app.route(…, methods=["GET", "POST"])` (methods the code computes count;
/// no `methods` is GET only).
fn state_changing_route(decorator: &Expr) -> bool {
    let ExprKind::Call { func, .. } = &decorator.kind else {
        return false;
    };
    // `@app.route`, `@bp.post`: a method of an object, never a bare `route(…)`.
    let Some(method) = func
        .dotted()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, m)| m)
    else {
        return false;
    };
    match method {
        "post" | "put" | "patch" | "delete" => true,
        "route" => decorator
            .kwarg("methods")
            .is_some_and(|methods| match &methods.kind {
                ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                    items.iter().any(|m| {
                        m.as_str().is_none_or(|m| {
                            ["POST", "PUT", "PATCH", "DELETE"]
                                .iter()
                                .any(|s| m.eq_ignore_ascii_case(s))
                        })
                    })
                }
                _ => true,
            }),
        _ => false,
    }
}

/// Whether a form class's body holds `class Meta:` with `csrf = False`.
fn meta_csrf_off(body: &[Stmt]) -> bool {
    let Some(meta) = body
        .iter()
        .position(|s| matches!(&s.kind, StmtKind::Class { name, .. } if name == "Meta"))
    else {
        return false;
    };
    let indent = body[meta].indent;
    body[meta + 1..]
        .iter()
        .take_while(|s| s.indent > indent)
        .any(|stmt| {
            matches!(&stmt.kind, StmtKind::Assign { targets, value, .. }
                if matches!(value.kind, ExprKind::Bool(false))
                    && targets.iter().any(|t| t.dotted() == Some("csrf")))
        })
}

/// Whether `meta={"csrf": False}` is among a call's arguments.
fn meta_kwarg_csrf_off(call: &Expr) -> bool {
    call.kwarg("meta").is_some_and(|meta| {
        matches!(&meta.kind, ExprKind::Dict(pairs) if pairs.iter().any(|(k, v)| {
            k.as_str() == Some("csrf") && matches!(v.kind, ExprKind::Bool(false))
        }))
    })
}

/// Whether a name is `request.<attr>` or something under it (`request.form.get`).
fn is_request_attr(name: &str, attrs: &[&str]) -> bool {
    let name = name.strip_prefix("flask.").unwrap_or(name);
    attrs.iter().any(|r| {
        name.strip_prefix(r)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// A view body's form handling, when it handles a form at all.
fn form_handler(line: usize, body: &[Stmt]) -> Option<FormHandler> {
    let mut handler = FormHandler {
        line,
        evidence: String::new(),
        reads_form: false,
        checks_token: false,
        validates: false,
        reads_body: false,
        forms: Vec::new(),
        csrf_off: false,
    };
    for stmt in body {
        stmt.walk_exprs(&mut |e| {
            if let Some(name) = e.dotted() {
                handler.reads_form |=
                    is_request_attr(name, &["request.form", "request.values", "request.files"]);
                // `request.data` and `request.stream` are the raw body, whatever its type.
                handler.reads_body |= is_request_attr(name, &["request.data", "request.stream"]);
            }
            if let Some(callee) = e.call_name() {
                let last = callee.rsplit('.').next();
                match last {
                    Some("validate_on_submit" | "validate_csrf") => handler.checks_token = true,
                    Some("protect") if callee.ends_with("csrf.protect") => {
                        handler.checks_token = true;
                    }
                    Some("validate") => handler.validates = true,
                    Some("get_data") if is_request_attr(callee, &["request.get_data"]) => {
                        handler.reads_body = true;
                    }
                    Some("get_json")
                        if is_request_attr(callee, &["request.get_json"])
                            && e.kwarg("force")
                                .is_some_and(|f| !matches!(f.kind, ExprKind::Bool(false))) =>
                    {
                        handler.reads_body = true;
                    }
                    Some(class) if class.ends_with("Form") => {
                        handler.forms.push(class.to_owned());
                        handler.csrf_off |= meta_kwarg_csrf_off(e);
                    }
                    _ => {}
                }
            }
        });
    }
    (handler.reads_form || handler.checks_token || handler.reads_body).then_some(handler)
}

/// The state-changing methods of a `MethodView` (or Flask-RESTful `Resource`)
/// class at `index` that handle a form.
fn method_view_handlers(module: &Module, index: usize, facts: &mut Facts) {
    let body = module.body_of(index);
    let Some(indent) = body.first().map(|s| s.indent) else {
        return;
    };
    for (offset, stmt) in body.iter().enumerate() {
        if let StmtKind::Def { name } = &stmt.kind
            && stmt.indent == indent
            && matches!(name.as_str(), "post" | "put" | "patch" | "delete")
            && let Some(handler) = form_handler(stmt.line, module.body_of(index + 1 + offset))
        {
            facts.form_handlers.push(handler);
        }
    }
}

/// Whether a `before_request` hook checks a CSRF token: it is about CSRF (its
/// name or a name or string in it says so) and compares something.
fn compares_csrf_token(name: &str, body: &[Stmt]) -> bool {
    let mut about_csrf = name.to_ascii_lowercase().contains("csrf");
    let mut compares = false;
    for stmt in body {
        stmt.walk_exprs(&mut |e| {
            let text = match &e.kind {
                ExprKind::Name(n) => Some(n.as_str()),
                ExprKind::Str { value, .. } => Some(value.as_str()),
                ExprKind::Attr(_, attr) => Some(attr.as_str()),
                _ => None,
            };
            about_csrf |= text.is_some_and(|t| t.to_ascii_lowercase().contains("csrf"));
            compares |= matches!(&e.kind, ExprKind::Compare(_, op, _) if *op == "!=" || *op == "==")
                || e.call_name().is_some_and(|c| c.ends_with("compare_digest"));
        });
    }
    about_csrf && compares
}

/// Whether a model's body says `class Meta: abstract = True` or `managed = False`.
fn abstract_or_unmanaged(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| {
        let StmtKind::Assign { targets, value, .. } = &stmt.kind else {
            return false;
        };
        targets.iter().any(|t| match t.dotted() {
            Some("abstract") => matches!(value.kind, ExprKind::Bool(true)),
            Some("managed") => matches!(value.kind, ExprKind::Bool(false)),
            _ => false,
        })
    })
}

/// Whether a string looks like a URL path (`/api/v1`, `/healthz`).
fn is_route_like(value: &str) -> bool {
    value.starts_with('/')
        && value.len() > 1
        && value.len() < 80
        && !value.starts_with("//")
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '{' | '}' | ':')
        })
}

fn module_level_assign(target: &str, value: &Expr, line: usize, facts: &mut Facts) {
    if DJANGO_SETTINGS_MARKERS.contains(&target) {
        facts.settings_like = true;
    }
    if let Some(framework) = app_framework(value) {
        facts.apps.push(AppObject {
            var: target.to_owned(),
            framework,
            line,
            via_factory: None,
        });
    }
    wsgi_assign(target, value, facts);
    match value.call_name() {
        Some(name) if name.ends_with("get_wsgi_application") => {
            facts.wsgi_var = Some(target.to_owned());
        }
        Some(name) if name.ends_with("get_asgi_application") => {
            facts.asgi_var = Some(target.to_owned());
        }
        Some(name) if !target.is_empty() && !target.contains('.') => {
            facts
                .assigned_calls
                .push((target.to_owned(), name.to_owned(), line));
        }
        _ => {}
    }
}

/// `StaticFilesHandler(get_wsgi_application())`, `WhiteNoise(get_wsgi_application(), …)`:
/// the wrapper is what gunicorn serves.
fn wsgi_assign(target: &str, value: &Expr, facts: &mut Facts) {
    let mut wraps = None;
    value.walk(&mut |e| {
        if let Some(name) = e.call_name()
            && (name.ends_with("get_wsgi_application") || name.ends_with("get_asgi_application"))
        {
            wraps.get_or_insert(name.ends_with("get_wsgi_application"));
        }
    });
    if target.is_empty() || target.contains('.') {
        return;
    }
    match wraps {
        Some(true) => {
            facts.wsgi_var.get_or_insert_with(|| target.to_owned());
        }
        Some(false) => {
            facts.asgi_var.get_or_insert_with(|| target.to_owned());
        }
        None => {}
    }
}

/// `fastapi` or `flask` when `expr` creates an application object.
fn app_framework(expr: &Expr) -> Option<&'static str> {
    match expr.call_name()? {
        "FastAPI" | "fastapi.FastAPI" => Some("fastapi"),
        "Flask" | "flask.Flask" => Some("flask"),
        _ => None,
    }
}

/// Words in a name that make an assignment configuration.
const CONFIG_WORDS: &[&str] = &[
    "SECRET",
    "DEBUG",
    "KEY",
    "TOKEN",
    "DATABASE",
    "SQLALCHEMY",
    "TESTING",
    "COOKIE",
    "CORS",
    "HOSTS",
    "ORIGINS",
    "ENV",
    "SSL",
    "HSTS",
    "CSRF",
];

/// Whether an assignment target names configuration.
fn is_config_target(target: &Expr) -> bool {
    let name = match &target.kind {
        ExprKind::Subscript(_, key) => key.as_str(),
        _ => target.last_name(),
    };
    name.is_some_and(|n| {
        let upper = n.to_ascii_uppercase();
        CONFIG_WORDS.iter().any(|w| upper.contains(w))
    })
}

/// `os.environ[…]` (or `environ[…]` after `from os import environ`; a bare
/// `environ` is otherwise a WSGI request's dict, which middleware may change).
fn is_environ_item(target: &Expr, style: &EnvStyle) -> bool {
    matches!(&target.kind, ExprKind::Subscript(base, _)
        if base.dotted() == Some("os.environ")
            || (style.os_environ && base.dotted() == Some("environ")))
}

fn is_float_field(value: &Expr, annotation: Option<&Expr>, table_class: bool) -> bool {
    if annotation.is_some_and(|a| is_float_annotation(a, table_class)) {
        return true;
    }
    let Some(callee) = value.call_name() else {
        return false;
    };
    let last = callee.rsplit('.').next().unwrap_or(callee);
    if last == "FloatField" {
        return true;
    }
    if matches!(last, "Column" | "mapped_column" | "Field") {
        let ExprKind::Call { args, kwargs, .. } = &value.kind else {
            return false;
        };
        return args
            .iter()
            .chain(
                kwargs
                    .iter()
                    .filter(|(k, _)| k == "sa_type" || k == "type_")
                    .map(|(_, v)| v),
            )
            .any(is_float_type);
    }
    false
}

fn is_float_type(expr: &Expr) -> bool {
    let name = match &expr.kind {
        ExprKind::Call { func, .. } => func.dotted(),
        _ => expr.dotted(),
    };
    name.and_then(|n| n.rsplit('.').next()).is_some_and(|n| {
        matches!(
            n,
            "Float" | "FLOAT" | "REAL" | "Double" | "DOUBLE" | "DOUBLE_PRECISION"
        )
    })
}

/// Whether an annotation declares a float column: `Mapped[float]` always, a
/// plain `float` only in an ORM table class (`plain`), not in request schemas.
fn is_float_annotation(annotation: &Expr, plain: bool) -> bool {
    match &annotation.kind {
        ExprKind::Name(n) => plain && n == "float",
        ExprKind::Subscript(base, inner) => match base.dotted() {
            Some("Mapped" | "orm.Mapped") => is_float_annotation(inner, true),
            Some("Optional") => is_float_annotation(inner, plain),
            _ => false,
        },
        ExprKind::BinOp(a, op, b) if *op == "|" => {
            is_float_annotation(a, plain) || is_float_annotation(b, plain)
        }
        _ => false,
    }
}

/// Where a statement sits, as far as expression facts care.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// Inside an `if __name__ == "__main__":` block.
    in_main: bool,
    /// A field of a pydantic `BaseSettings` class: its value is a default the
    /// environment overrides, like the default of `os.getenv`.
    settings_field: bool,
    /// Inside a `__main__` block, a class named for development or tests, or
    /// an `if`/`else`/`except` block: production need not satisfy its reads.
    optional_reads: bool,
}

/// Leaves the blocks a statement at `indent` is no longer inside.
fn pop_to(stack: &mut Vec<usize>, indent: usize) {
    while stack.last().is_some_and(|i| *i >= indent) {
        stack.pop();
    }
}

fn expression_facts(stmt: &Stmt, style: &EnvStyle, place: Place, facts: &mut Facts) {
    let Place {
        in_main,
        settings_field,
        optional_reads,
    } = place;
    // A docstring is not code.
    if matches!(&stmt.kind, StmtKind::Expr(e) if e.as_str().is_some()) {
        return;
    }
    let context = match &stmt.kind {
        StmtKind::Assign { targets, .. } => targets
            .first()
            .and_then(|t| match &t.kind {
                ExprKind::Subscript(_, key) => key.as_str(),
                _ => t.last_name(),
            })
            .unwrap_or("")
            .to_owned(),
        _ => String::new(),
    };
    let mut defaults: Vec<*const Expr> = Vec::new();
    // `os.environ["X"] = …` writes X; it is not a read.
    let written: &[Expr] = match &stmt.kind {
        StmtKind::Assign { targets, .. } => targets,
        _ => &[],
    };
    // Whether the statement's target names an origin or host (asked once, when
    // a string is found).
    let origin_context = std::cell::OnceCell::new();
    let origin_context = || *origin_context.get_or_init(|| is_origin_or_host_name(&context));
    // `os.environ.get("X") or "fallback"`: the fallback is the read's default.
    let mut or_fallbacks: Vec<(*const Expr, &Expr)> = Vec::new();
    stmt.walk_exprs(&mut |expr| {
        if written.iter().any(|target| std::ptr::eq(target, expr)) {
            return;
        }
        note_or_fallback(expr, &mut or_fallbacks);
        if let Some(read) = env_read(expr, style) {
            let default = effective_default(expr, &read.default, &or_fallbacks);
            if !optional_reads && must_be_set(&read.name, &default) {
                facts.needed_env.push(read.name.clone());
            }
            facts.env_reads.push((read.name, read.line));
            if let Default::Value(default) = read.default {
                defaults.push(std::ptr::from_ref(default));
            }
        }
        call_facts(expr, in_main, facts);
        if let ExprKind::Str { value, f } = &expr.kind {
            let in_default = settings_field || defaults.contains(&std::ptr::from_ref(expr));
            if value.starts_with("sqlite:") || value.starts_with("sqlite+") {
                facts.hits.push(hit("production-database", expr.line));
            }
            if let Some(problem) = service_url_problem(value, *f)
                && !origin_context()
                && (problem == UrlProblem::Credentials || !in_default)
            {
                facts.hits.push(hit("service-urls-from-env", expr.line));
            } else if !in_default
                && !origin_context()
                && let Some(host) = bare_url_host(value, *f)
            {
                facts.service_hosts.push((host, expr.line, String::new()));
            }
        }
    });
}

fn call_facts(expr: &Expr, in_main: bool, facts: &mut Facts) {
    let ExprKind::Call { func, args, kwargs } = &expr.kind else {
        return;
    };
    let Some(callee) = func.dotted().or_else(|| func.last_name()) else {
        return;
    };
    facts.calls.push(callee.to_owned());
    let last = callee.rsplit('.').next().unwrap_or(callee);
    if callee == "print" && !in_main {
        facts.hits.push(hit("no-debug-prints", expr.line));
    }
    // The app's own database opened directly: SQLite in production.
    if matches!(callee, "sqlite3.connect" | "aiosqlite.connect") {
        facts.hits.push(hit("production-database", expr.line));
    }
    if callee == "csrf_exempt" {
        facts.hits.push(hit("csrf-protected", expr.line));
    }
    if matches!(callee, "os.environ.update" | "os.putenv" | "environ.update") {
        facts
            .hits
            .push(hit("no-env-workarounds-in-code", expr.line));
    }
    if matches!(callee, "os.environ.setdefault" | "environ.setdefault") {
        match args.first().and_then(Expr::as_str) {
            Some("DJANGO_SETTINGS_MODULE") => {
                facts.django_settings_default =
                    args.get(1).and_then(Expr::as_str).map(str::to_owned);
            }
            _ => facts
                .hits
                .push(hit("no-env-workarounds-in-code", expr.line)),
        }
    }
    if ROUTE_CALLS.contains(&last)
        && let Some(route) = args.first().and_then(Expr::as_str)
        && (route.starts_with('/') || matches!(last, "path" | "re_path" | "url"))
    {
        facts.routes.push(route.to_owned());
    }
    for (key, value) in kwargs {
        // `redis.Redis(host="cache")`, `psycopg.connect(host="db")`; never a
        // bind address (`app.run(host="0.0.0.0")`), which has dots.
        if (key == "host" || key == "hostname")
            && let Some(host) = value.as_str()
            && is_bare_host(host)
        {
            facts
                .service_hosts
                .push((host.to_ascii_lowercase(), value.line, String::new()));
        }
        if (key == "prefix" || key == "url_prefix")
            && let Some(prefix) = value.as_str()
        {
            facts.routes.push(prefix.to_owned());
        }
    }
}

fn is_origin_or_host_name(name: &str) -> bool {
    ["ORIGIN", "HOST", "REDIRECT", "CALLBACK", "DOCS", "EXAMPLE"]
        .iter()
        .any(|w| {
            name.as_bytes()
                .windows(w.len())
                .any(|part| part.eq_ignore_ascii_case(w.as_bytes()))
        })
}

/// Why a URL literal is a hard-coded service address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    Localhost,
    Credentials,
}

const SERVICE_SCHEMES: &[&str] = &[
    "http",
    "https",
    "ws",
    "wss",
    "postgres",
    "postgresql",
    "postgis",
    "mysql",
    "mariadb",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mongodb",
    "mongodb+srv",
    "memcache",
    "pymemcache",
    "nats",
    "kafka",
    "mssql",
    "oracle",
    "cockroachdb",
    "elasticsearch",
    "sentry",
];

/// Whether a string literal is a service URL pointing at this machine or
/// carrying credentials.
pub fn service_url_problem(value: &str, f_string: bool) -> Option<UrlProblem> {
    let value = value.trim();
    let (scheme, rest) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let base_scheme = scheme.split('+').next().unwrap_or(&scheme);
    if !SERVICE_SCHEMES.contains(&base_scheme) || rest.contains(char::is_whitespace) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if f_string && authority.contains('{') {
        return None;
    }
    let (userinfo, host_port) = authority
        .rsplit_once('@')
        .map_or(("", authority), |(u, h)| (u, h));
    if let Some((_, password)) = userinfo.split_once(':')
        && is_real_password(password)
    {
        return Some(UrlProblem::Credentials);
    }
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map_or(host_port, |h| h.trim_start_matches('['))
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let host = host.to_ascii_lowercase();
    let local = host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host == "::1"
        || host == "host.docker.internal"
        // A private network's names (fly `*.internal`/`*.flycast`, Railway's
        // `*.railway.internal`): one deployment's address written into the code.
        || host.ends_with(".internal")
        || host.ends_with(".flycast");
    local.then_some(UrlProblem::Localhost)
}

/// Remembers `read or fallback` so that the read's default is the fallback.
fn note_or_fallback<'a>(expr: &'a Expr, or_fallbacks: &mut Vec<(*const Expr, &'a Expr)>) {
    if let ExprKind::BoolOp(op, values) = &expr.kind
        && *op == "or"
        && let [read, fallback, ..] = values.as_slice()
    {
        or_fallbacks.push((std::ptr::from_ref(read), fallback));
    }
}

/// A read's default, or the fallback after `or` when it defaults to `None`.
fn effective_default<'a>(
    read: &Expr,
    default: &Default<'a>,
    or_fallbacks: &[(*const Expr, &'a Expr)],
) -> Default<'a> {
    match default {
        Default::None => or_fallbacks
            .iter()
            .find(|(r, _)| *r == std::ptr::from_ref(read))
            .map_or(Default::None, |(_, fallback)| Default::Value(fallback)),
        other => other.clone(),
    }
}

/// A read that production must satisfy, in a settings module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededRead {
    pub name: String,
    pub line: usize,
    /// Whether the read is in a module-level statement that is not a setting
    /// (`sentry_sdk.init(dsn=env("SENTRY_DSN"))`): nothing later can override it.
    pub unconditional: bool,
    /// The `if`/`elif`/`else`/`except` headers around it, innermost last, by
    /// statement index: the read happens only when they hold.
    pub guards: Vec<usize>,
}

/// Whether a block header makes its body conditional (`try`, `with`, `for`
/// bodies run whenever the code around them does).
fn is_condition(stmt: &Stmt) -> bool {
    matches!(&stmt.kind, StmtKind::Block { keyword, .. }
        if matches!(*keyword, "if" | "elif" | "else" | "except" | "match" | "case"))
}

/// The reads a module (a settings module read with its chain's `style`)
/// makes production satisfy: [`must_be_set`] reads outside development
/// classes and `__main__` blocks.
pub fn needed_env(module: &Module, style: &EnvStyle) -> Vec<NeededRead> {
    let dev = in_dev_class(module);
    let main = main_guard_lines(module);
    let mut needed = Vec::new();
    // Enclosing blocks: (indent, index of the header, whether it is a condition).
    let mut blocks: Vec<(usize, usize, bool)> = Vec::new();
    for (index, stmt) in module.stmts.iter().enumerate() {
        while blocks
            .last()
            .is_some_and(|(indent, ..)| *indent >= stmt.indent)
        {
            blocks.pop();
        }
        if matches!(
            stmt.kind,
            StmtKind::Block { .. } | StmtKind::Def { .. } | StmtKind::Class { .. }
        ) {
            blocks.push((stmt.indent, index, is_condition(stmt)));
        }
        if dev[index] || main.contains(&index) {
            continue;
        }
        let guards: Vec<usize> = blocks
            .iter()
            .filter(|(_, header, condition)| *condition && *header != index)
            .map(|(_, header, _)| *header)
            .collect();
        let unconditional = stmt.indent == 0
            && match &stmt.kind {
                StmtKind::Assign { targets, .. } => !targets.iter().any(|t| {
                    t.dotted()
                        .is_some_and(|n| n.chars().any(|c| c.is_ascii_uppercase()))
                }),
                StmtKind::Expr(_) => true,
                _ => false,
            };
        let mut or_fallbacks = Vec::new();
        stmt.walk_exprs(&mut |expr| {
            note_or_fallback(expr, &mut or_fallbacks);
            if let Some(read) = env_read(expr, style)
                && must_be_set(
                    &read.name,
                    &effective_default(expr, &read.default, &or_fallbacks),
                )
            {
                needed.push(NeededRead {
                    name: read.name,
                    line: read.line,
                    unconditional,
                    guards: guards.clone(),
                });
            }
        });
    }
    needed
}

/// Whether production must set an environment variable (issue 11 class 10):
/// it is read with no default, or its default is unsafe in production — a
/// SQLite URL, DEBUG on, a localhost or private-network service, `*` for hosts
/// or origins, a secret that is empty or written into the code. A tuning knob
/// with a safe default (`WEB_CONCURRENCY=2`, `LOG_LEVEL=info`) need not be set.
pub fn must_be_set(name: &str, default: &Default<'_>) -> bool {
    match default {
        Default::Required => true,
        Default::None => is_signing_secret(name) || is_database_url_name(name),
        Default::Value(expr) => unsafe_default(name, expr),
    }
}

/// Whether a secret signs or verifies what the app trusts (`SECRET_KEY`,
/// `JWT_SECRET`, `STRIPE_WEBHOOK_SECRET`): left empty, anyone can forge what it
/// protects. An empty credential for another service (`AWS_SECRET_ACCESS_KEY`,
/// `MAIL_PASSWORD`) only leaves that optional feature off.
fn is_signing_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // The app's own key (`SECRET_KEY`, `DJANGO_SECRET_KEY`, `API_SECRET_KEY`),
    // not another service's (`STRIPE_SECRET_KEY`).
    let own_key = upper.strip_suffix("SECRET_KEY").is_some_and(|prefix| {
        matches!(
            prefix.trim_end_matches('_'),
            "" | "DJANGO" | "FLASK" | "APP" | "API" | "JWT" | "TOKEN" | "AUTH" | "SESSION" | "SITE"
        )
    });
    own_key
        || [
            "WEBHOOK",
            "SIGNING",
            "SIGNATURE",
            "JWT",
            "HMAC",
            "ENCRYPTION",
            "FERNET",
        ]
        .iter()
        .any(|w| upper.contains(w))
            && is_secret_name(name)
}

/// `DATABASE_URL`, `TEST_DATABASE_URL`, `SQLALCHEMY_DATABASE_URI`, `DB_URL`:
/// without one the app has no database (unless an `or` gives a fallback).
fn is_database_url_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("DATABASE_UR") || upper == "DB_URL" || upper.ends_with("_DB_URL")
}

fn unsafe_default(name: &str, expr: &Expr) -> bool {
    let upper = name.to_ascii_uppercase();
    let switch_on = upper.contains("DEBUG") || upper.contains("ALLOW_ALL");
    match &expr.kind {
        ExprKind::None => is_signing_secret(name) || is_database_url_name(name),
        ExprKind::Str { value, .. } => unsafe_text(name, value),
        ExprKind::Bool(on) => *on && switch_on,
        ExprKind::Number(n) => switch_on && n.trim_start_matches('0').parse::<f64>().is_ok(),
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => items
            .iter()
            .any(|item| item.as_str().is_some_and(|v| unsafe_text(name, v))),
        // `"sqlite:///" + os.path.join(basedir, "app.db")`: judged by its literal start.
        ExprKind::BinOp(left, op, _) if *op == "+" => unsafe_default(name, left),
        // A name, a call, arithmetic: not a literal the reader can judge.
        _ => false,
    }
}

/// Whether a literal default (or one element of it) is unsafe for `name`.
fn unsafe_text(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    if is_secret_name(name) {
        // A secret everybody can read in the code, or an empty signing secret.
        return !value.is_empty() || is_signing_secret(name);
    }
    if lower.starts_with("sqlite") {
        return true;
    }
    if upper.contains("DEBUG") && matches!(lower.as_str(), "true" | "1" | "yes" | "on" | "t" | "y")
    {
        return true;
    }
    let parts = || {
        lower
            .split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
    };
    if (upper.contains("HOST") || upper.contains("ORIGIN")) && parts().any(|p| p == "*") {
        return true;
    }
    // A service on this machine or one platform's private network.
    service_url_problem(value, false).is_some()
        || parts().any(|p| {
            let host = p.split(':').next().unwrap_or(p);
            host == "localhost" || host.starts_with("127.") || host.ends_with(".internal")
        })
}

/// Whether a variable's name says it holds a secret: `SECRET_KEY`,
/// `STRIPE_WEBHOOK_SECRET`, `DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`
/// (not `ACCESS_TOKEN_EXPIRE_MINUTES` nor `CACHE_KEY_PREFIX`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // `COOKIE_REFRESH_TOKEN_KEY`, `CACHE_KEY`: the name of a key, not a secret.
    let names_a_key = [
        "COOKIE", "HEADER", "CACHE", "REDIS", "PREFIX", "QUERY", "PARAM", "FIELD",
    ]
    .iter()
    .any(|w| upper.contains(w));
    ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "CREDENTIALS"]
        .iter()
        .any(|w| upper.ends_with(w))
        || (upper.ends_with("_KEY") || upper == "KEY") && !names_a_key
}

/// The host of a service URL when it is a bare name (`redis://cache:6379`,
/// `postgresql://app:pw@db/app`): on a compose network, a service's name.
fn bare_url_host(value: &str, f_string: bool) -> Option<String> {
    let (scheme, rest) = value.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let base_scheme = scheme.split('+').next().unwrap_or(&scheme);
    if !SERVICE_SCHEMES.contains(&base_scheme) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if f_string && authority.contains('{') {
        return None;
    }
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.split(':').next().unwrap_or(host_port);
    is_bare_host(host).then(|| host.to_ascii_lowercase())
}

/// A single-label host name that is not this machine: `db`, `redis`, `api-1`.
fn is_bare_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 63
        && host.starts_with(|c: char| c.is_ascii_alphabetic())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !host.eq_ignore_ascii_case("localhost")
}

fn is_real_password(password: &str) -> bool {
    let lower = password.to_ascii_lowercase();
    !password.is_empty()
        && !password.contains(['{', '<', '$', '*'])
        && !["password", "pass", "secret", "changeme", "xxx", "your", "<"]
            .iter()
            .any(|p| lower == *p || lower.starts_with("your"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(source: &str) -> Facts {
        gather(&Module::parse(source), source)
    }

    fn lines(facts: &Facts, item: &str) -> Vec<usize> {
        facts
            .hits
            .iter()
            .filter(|h| h.item == item)
            .map(|h| h.line)
            .collect()
    }

    #[test]
    fn development_names_are_whole_words() {
        for name in [
            "DevelopmentConfig",
            "TestingConfig",
            "StagingConfig",
            "LocalSettings",
            "settings_dev",
            "DevConfig",
            "TestConfig",
        ] {
            assert!(is_dev_name(name), "{name}");
        }
        for name in [
            "LatestConfig",
            "DeviceSettings",
            "ProductionConfig",
            "Config",
            "Contest",
        ] {
            assert!(!is_dev_name(name), "{name}");
        }
    }

    #[test]
    fn prints_outside_the_main_guard() {
        let f = facts(
            "print('x')\ndef f():\n    print(os.environ)\nif __name__ == '__main__':\n    print('usage')\n",
        );
        assert_eq!(lines(&f, "no-debug-prints"), [1, 3]);
        assert!(
            lines(
                &facts("logger.info('x')\n# print('no')\n"),
                "no-debug-prints"
            )
            .is_empty()
        );
    }

    #[test]
    fn csrf_exempt_decorators_not_imports() {
        let f = facts(
            "from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\n@require_POST\ndef v(r): pass\nurlpatterns = [path('x', csrf_exempt(V.as_view()))]\n",
        );
        assert_eq!(lines(&f, "csrf-protected"), [3, 6]);
    }

    #[test]
    fn settings_class_defaults_are_env_defaults() {
        let f = facts(
            "class S(BaseSettings):\n    redis_url: str = 'redis://localhost:6379/0'\n    db: str = 'postgres://app:hunter2@db.internal/app'\n",
        );
        assert_eq!(lines(&f, "service-urls-from-env"), [3]);
        assert!(!is_money_name("total_distance"));
    }

    #[test]
    fn service_urls() {
        let f = facts(
            "A = 'http://127.0.0.1:8001/v1'\nB = {\n  'url': 'http://localhost:9000/sse',\n}\nC = 'https://api.example.com'\nD = os.getenv('R', 'redis://localhost:6379')\nE = os.getenv('P', 'postgres://u:hunter2@db.example.com/x')\nCORS_ALLOWED_ORIGINS = ['http://localhost:3000']\n\"\"\"http://localhost docstring\"\"\"\n",
        );
        assert_eq!(lines(&f, "service-urls-from-env"), [1, 3, 7]);
        assert_eq!(
            service_url_problem("postgres://USER:PASSWORD@HOST:5432/x", false),
            None
        );
        assert_eq!(service_url_problem("sqlite:///db.sqlite3", false), None);
        assert_eq!(
            service_url_problem("redis://cache.railway.internal:6379/0", false),
            Some(UrlProblem::Localhost)
        );
        assert_eq!(
            service_url_problem("http://search.flycast/", false),
            Some(UrlProblem::Localhost)
        );
        assert_eq!(
            service_url_problem("redis://internal.example.com/0", false),
            None
        );
    }

    #[test]
    fn env_workarounds_but_not_the_django_bootstrap() {
        let f = facts(
            "import os\nos.environ['A'] = '1'\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\nos.environ.setdefault('B', '2')\nx = os.environ['C']\n",
        );
        assert_eq!(lines(&f, "no-env-workarounds-in-code"), [2, 4]);
        assert_eq!(
            f.django_settings_default.as_deref(),
            Some("config.settings")
        );
        assert_eq!(f.env_reads, [("C".to_owned(), 5)]);
    }

    #[test]
    fn money_as_float() {
        let f = facts(
            "class T(models.Model):\n    amount = models.FloatField()\n    confidence = models.FloatField()\n    price = models.DecimalField()\nclass O(Base):\n    total = Column(Float, nullable=False)\n    fee: Mapped[float] = mapped_column()\nclass S(BaseModel):\n    balance: float\nclass H(SQLModel, table=True):\n    price: float\n    credit_score: float\n",
        );
        assert_eq!(lines(&f, "money-as-decimal"), [2, 6, 7, 11]);
        assert!(lines(&facts("amount = 1.5\n"), "money-as-decimal").is_empty());
    }

    #[test]
    fn plain_imports_without_parsing() {
        assert_eq!(
            plain_imports("import os, sys\nfrom a.b import c as d, e\n  import nested\n"),
            ["a.b", "a.b.c", "a.b.e", "os", "sys"]
        );
    }

    #[test]
    fn apps_factories_and_routes() {
        let f = facts(
            "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    return app\napi = FastAPI(debug=True)\n@api.get('/healthz')\ndef h(): pass\nrouter = APIRouter(prefix='/api/v1')\n",
        );
        assert_eq!(f.factories, [("create_app".to_owned(), "flask")]);
        assert_eq!(f.apps[0].var, "api");
        assert_eq!(f.routes, ["/healthz", "/api/v1"]);
        let f = facts(
            "class Settings(BaseSettings):\n    API_V1_STR: str = '/api/v1'\n    NAME: str = 'x y'\n",
        );
        assert_eq!(f.routes, ["/api/v1"]);
    }

    #[test]
    fn flask_form_handlers_and_csrf_hooks() {
        let f = facts(concat!(
            "@bp.route('/a', methods=('GET', 'POST'))\n",
            "def a():\n    x = request.form['x']\n",
            "@bp.route('/b')\n",
            "def b():\n    x = request.form['x']\n",
            "@bp.route('/c', methods=METHODS)\n",
            "@login_required\n",
            "def c():\n    f = request.files.get('f')\n",
            "@bp.post('/d')\n",
            "def d():\n    form = LoginForm()\n    if form.validate_on_submit():\n        pass\n",
            "@bp.post('/e')\n",
            "def e():\n    return request.get_json()\n",
            "@bp.route('/f', methods=['GET'])\n",
            "def f():\n    return request.values\n",
            "class Notes(MethodView):\n",
            "    def get(self):\n        return request.form\n",
            "    def delete(self):\n        request.form.get('id')\n",
        ));
        let got: Vec<(usize, bool)> = f
            .form_handlers
            .iter()
            .map(|h| (h.line, h.checks_token))
            .collect();
        // /b and /f are GET only, /e reads JSON, Notes.get is safe.
        assert_eq!(got, [(1, false), (7, false), (11, true), (25, false)]);
        assert_eq!(
            f.form_handlers[0].evidence,
            "@bp.route('/a', methods=('GET', 'POST'))"
        );
        assert!(f.csrf_hook.is_none());
        let hook = "@app.before_request\ndef guard():\n    if session['csrf'] != request.form.get('csrf'):\n        abort(403)\n";
        assert_eq!(facts(hook).csrf_hook, Some(2));
        let unrelated =
            "@app.before_request\ndef guard():\n    if request.path == '/x':\n        abort(403)\n";
        assert!(facts(unrelated).csrf_hook.is_none());
    }

    #[test]
    fn form_classes_without_csrf_and_views_reading_any_body() {
        let f = facts(concat!(
            "class NoteForm(FlaskForm):\n",
            "    class Meta:\n        csrf = False\n",
            "    body = TextAreaField()\n",
            "class QuickForm(NoteForm):\n    pass\n",
            "class Plain(FlaskForm):\n    class Meta:\n        locales = ['en']\n",
            "@bp.post('/a')\n",
            "def a():\n    form = CommentForm(meta={'csrf': False})\n    form.validate_on_submit()\n",
            "@bp.post('/b')\n",
            "def b():\n    return request.get_json(force=True)\n",
            "@bp.post('/c')\n",
            "def c():\n    return request.get_json(force=False, silent=True)\n",
            "@bp.post('/d')\n",
            "def d():\n    return json.loads(request.data)\n",
            "@bp.post('/e')\n",
            "def e():\n    return request.get_data(as_text=True)\n",
        ));
        let classes: Vec<(&str, bool)> = f
            .form_classes
            .iter()
            .map(|(name, _, off)| (name.as_str(), *off))
            .collect();
        assert_eq!(
            classes,
            [("NoteForm", true), ("QuickForm", false), ("Plain", false)]
        );
        assert_eq!(f.form_classes[1].1, ["NoteForm"]);
        let got: Vec<(usize, bool, bool)> = f
            .form_handlers
            .iter()
            .map(|h| (h.line, h.csrf_off, h.reads_body))
            .collect();
        // /c reads JSON only when the body is JSON: no handler.
        assert_eq!(
            got,
            [
                (10, true, false),
                (14, false, true),
                (20, false, true),
                (23, false, true)
            ]
        );
        assert_eq!(f.form_handlers[0].forms, ["CommentForm"]);
    }

    #[test]
    fn what_production_must_set() {
        let f = facts(concat!(
            "import os\n",
            "A = os.environ['A']\n",
            "B = os.getenv('TIMEOUT', '30')\n",
            "C = os.getenv('DATABASE_URL') or 'sqlite:///c.db'\n",
            "D = os.getenv('CACHE_URL', 'redis://localhost:6379/0')\n",
            "E = os.getenv('STRIPE_WEBHOOK_SECRET', '')\n",
            "F = os.getenv('MAIL_PASSWORD', '')\n",
            "G = os.getenv('APP_DEBUG', 'true')\n",
            "H = os.getenv('ALLOWED_HOSTS', '*')\n",
            "I = os.getenv('SECRET_KEY')\n",
            "J = os.getenv('SENTRY_DSN')\n",
            "K = os.getenv('ADMIN_PASSWORD', 'changeme')\n",
            "L = os.getenv('COOKIE_KEY', 'sid')\n",
            "if os.getenv('USE_S3'):\n",
            "    M = os.environ['AWS_BUCKET']\n",
            "class TestConfig:\n",
            "    N = os.environ['TEST_ONLY']\n",
            "if __name__ == '__main__':\n",
            "    O = os.environ['MAIN_ONLY']\n",
        ));
        assert_eq!(
            f.needed_env,
            [
                "A",
                "DATABASE_URL",
                "CACHE_URL",
                "STRIPE_WEBHOOK_SECRET",
                "APP_DEBUG",
                "ALLOWED_HOSTS",
                "SECRET_KEY",
                "ADMIN_PASSWORD"
            ]
        );
    }

    #[test]
    fn a_wsgi_environ_is_not_the_process_environment() {
        let middleware = "def __call__(self, environ, start_response):\n    environ['SCRIPT_NAME'] = environ.get('HTTP_X_SCRIPT_NAME', '')\n";
        let f = facts(middleware);
        assert!(f.env_reads.is_empty() && f.hits.is_empty(), "{f:?}");
        let f = facts("from os import environ\nenviron['X'] = environ.get('Y', '')\n");
        assert_eq!(f.env_reads, [("Y".to_owned(), 2)]);
        assert_eq!(lines(&f, "no-env-workarounds-in-code"), [2]);
    }

    #[test]
    fn bare_service_hosts() {
        let f = facts(concat!(
            "r = redis.Redis(host='cache', port=6379)\n",
            "B = 'amqp://rabbit:5672//'\n",
            "C = os.getenv('DATABASE_URL', 'postgresql://db/app')\n",
            "app.run(host='0.0.0.0')\n",
            "D = 'https://api.example.com/v1'\n",
            "class TestConfig:\n    E = 'redis://cache/2'\n",
        ));
        let hosts: Vec<(&str, usize)> = f
            .service_hosts
            .iter()
            .map(|(h, l, _)| (h.as_str(), *l))
            .collect();
        assert_eq!(hosts, [("cache", 1), ("rabbit", 2)]);
    }
}

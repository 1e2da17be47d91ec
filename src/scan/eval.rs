//! What a configuration expression comes to in production when the
//! environment does not set a variable: reads of the environment
//! (`os.environ`, `os.getenv`, django-environ, python-decouple) are replaced by
//! their defaults, and the small amount of Python used around them
//! (`== "True"`, `.lower() in (...)`, `bool(...)`, `.split(",")`) is evaluated.

use super::python::{Expr, ExprKind, Module, StmtKind};

/// A value as far as it can be known statically.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Bool(bool),
    Int(i64),
    None,
    List(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// Not knowable statically (a required environment variable, a computation).
    Unknown,
}

impl Val {
    /// Python truthiness, when known.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Str(s) => Some(!s.is_empty()),
            Val::Bool(b) => Some(*b),
            Val::Int(n) => Some(*n != 0),
            Val::None => Some(false),
            Val::List(items) => Some(!items.is_empty()),
            Val::Dict(pairs) => Some(!pairs.is_empty()),
            Val::Unknown => None,
        }
    }

    /// The value as an integer, when known.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(n) => Some(*n),
            Val::Bool(b) => Some(i64::from(*b)),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A dictionary entry by string key.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Dict(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| matches!(k, Val::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// How a module reads its environment: the names bound to django-environ's
/// `Env` and python-decouple's `config`.
#[derive(Debug, Clone, Default)]
pub struct EnvStyle {
    pub environ: Vec<String>,
    pub decouple: Vec<String>,
    /// `from os import environ`: a bare `environ` is the process environment
    /// (otherwise it is usually a WSGI request's `environ` dict).
    pub os_environ: bool,
}

impl EnvStyle {
    /// Works out the style from a module's imports and assignments.
    pub fn of(module: &Module) -> Self {
        let mut style = Self::default();
        for stmt in &module.stmts {
            match &stmt.kind {
                StmtKind::Import { module, names, .. } => {
                    if module == "os" && names.iter().any(|n| n == "environ") {
                        style.os_environ = true;
                    }
                    if module == "environ" && names.is_empty() {
                        push_unique(&mut style.environ, "env");
                    }
                    if module == "decouple" || module.ends_with(".decouple") {
                        for name in names {
                            if name == "config" || name == "AutoConfig" || name == "Config" {
                                push_unique(&mut style.decouple, "config");
                            }
                        }
                        if names.is_empty() {
                            push_unique(&mut style.decouple, "decouple.config");
                        }
                    }
                    // `from .base import env`: the name is django-environ's Env.
                    if names.iter().any(|n| n == "env") && !module.starts_with("os") {
                        push_unique(&mut style.environ, "env");
                    }
                }
                StmtKind::Assign { targets, value, .. } => {
                    let Some(target) = targets.first().and_then(Expr::dotted) else {
                        continue;
                    };
                    match value.call_name() {
                        Some("environ.Env" | "Env") => push_unique(&mut style.environ, target),
                        Some("AutoConfig" | "decouple.AutoConfig" | "Config") => {
                            push_unique(&mut style.decouple, target);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        style
    }

    /// Adds another module's style (a settings chain shares its `env`).
    pub fn merge(&mut self, other: &EnvStyle) {
        for name in &other.environ {
            push_unique(&mut self.environ, name);
        }
        for name in &other.decouple {
            push_unique(&mut self.decouple, name);
        }
        self.os_environ |= other.os_environ;
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

/// How a value is converted after it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cast {
    Str,
    Bool,
    Int,
    List,
}

/// A read of one environment variable.
#[derive(Debug, Clone)]
pub struct EnvRead<'a> {
    pub name: String,
    pub line: usize,
    /// The default used when the variable is not set.
    pub default: Default<'a>,
    pub cast: Cast,
}

/// What an environment read falls back to.
#[derive(Debug, Clone)]
pub enum Default<'a> {
    /// No fallback: the read fails (`os.environ["X"]`, `env("X")`).
    Required,
    /// `None` (`os.getenv("X")`).
    None,
    Value(&'a Expr),
}

/// If `expr` reads an environment variable, how.
pub fn env_read<'a>(expr: &'a Expr, style: &EnvStyle) -> Option<EnvRead<'a>> {
    match &expr.kind {
        ExprKind::Subscript(base, key) => {
            let base = base.dotted()?;
            if base != "os.environ" && !(base == "environ" && style.os_environ) {
                return None;
            }
            Some(EnvRead {
                name: key.as_str()?.to_owned(),
                line: expr.line,
                default: Default::Required,
                cast: Cast::Str,
            })
        }
        ExprKind::Call { .. } => call_env_read(expr, style),
        _ => None,
    }
}

fn call_env_read<'a>(expr: &'a Expr, style: &EnvStyle) -> Option<EnvRead<'a>> {
    let callee = expr.call_name()?;
    let name = expr.arg(0)?.as_str()?.to_owned();
    let line = expr.line;
    // `request.environ.get("HTTP_X_SCHEME")` reads a WSGI request, not the process.
    let os_read = callee == "getenv"
        || callee.ends_with("os.getenv")
        || matches!(callee, "os.environ.get" | "os.environ.pop")
        || (style.os_environ && matches!(callee, "environ.get" | "environ.pop"));
    if os_read {
        let default = expr
            .arg(1)
            .or_else(|| expr.kwarg("default"))
            .map_or(Default::None, Default::Value);
        return Some(EnvRead {
            name,
            line,
            default,
            cast: Cast::Str,
        });
    }
    let (object, method) = callee.rsplit_once('.').unwrap_or((callee, ""));
    // The `default=` keyword, or the second positional argument where the
    // library takes the default there.
    let default_at = |positional: bool| {
        expr.kwarg("default")
            .or_else(|| positional.then(|| expr.arg(1)).flatten())
            .map_or(Default::Required, Default::Value)
    };
    let cast_kwarg = || match expr.kwarg("cast").and_then(Expr::dotted) {
        Some("bool") => Cast::Bool,
        Some("int") => Cast::Int,
        Some("list" | "Csv") => Cast::List,
        _ => Cast::Str,
    };
    let (cast, default) = if style.environ.iter().any(|n| n == callee) {
        // django-environ's `env(var, cast=None, default=NOTSET)`: the second
        // positional argument is the cast, not the default.
        (cast_kwarg(), default_at(false))
    } else if style.environ.iter().any(|n| n == object) {
        let cast = match method {
            "bool" => Cast::Bool,
            "int" => Cast::Int,
            "list" | "tuple" => Cast::List,
            "str" | "float" | "url" | "db" | "db_url" | "cache" | "cache_url" | "email"
            | "email_url" | "search_url" | "path" | "json" | "dict" | "get_value" => Cast::Str,
            _ => return None,
        };
        (cast, default_at(true))
    } else if style.decouple.iter().any(|n| n == callee) {
        // python-decouple's `config(var, default=..., cast=...)`.
        (cast_kwarg(), default_at(true))
    } else {
        return None;
    };
    Some(EnvRead {
        name,
        line,
        default,
        cast,
    })
}

/// Resolves a module-level name to the expression last assigned to it.
pub trait Scope {
    /// The expression bound to `name`, if known.
    fn lookup(&self, name: &str) -> Option<&Expr>;
}

/// A scope that knows no names.
#[cfg(test)]
pub struct NoScope;

#[cfg(test)]
impl Scope for NoScope {
    fn lookup(&self, _name: &str) -> Option<&Expr> {
        None
    }
}

/// Evaluates `expr` as production would see it with no variable set.
pub fn eval(expr: &Expr, style: &EnvStyle, scope: &dyn Scope) -> Val {
    Evaluator {
        style,
        scope,
        depth: 0,
    }
    .eval(expr)
}

struct Evaluator<'s> {
    style: &'s EnvStyle,
    scope: &'s dyn Scope,
    depth: usize,
}

fn parse_bool(text: &str) -> Val {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Val::Bool(true),
        "0" | "false" | "no" | "off" | "n" | "f" | "" => Val::Bool(false),
        _ => Val::Unknown,
    }
}

fn cast(val: Val, cast: Cast) -> Val {
    match (cast, val) {
        (Cast::Bool, Val::Str(s)) => parse_bool(&s),
        (Cast::Int, Val::Str(s)) => s.trim().parse().map_or(Val::Unknown, Val::Int),
        (Cast::List, Val::Str(s)) => split(&s, ","),
        (_, val) => val,
    }
}

fn split(text: &str, separator: &str) -> Val {
    if text.is_empty() {
        return Val::List(Vec::new());
    }
    Val::List(
        text.split(separator)
            .map(|s| Val::Str(s.trim().to_owned()))
            .collect(),
    )
}

impl Evaluator<'_> {
    fn eval(&mut self, expr: &Expr) -> Val {
        if self.depth > 24 {
            return Val::Unknown;
        }
        self.depth += 1;
        let val = self.eval_inner(expr);
        self.depth -= 1;
        val
    }

    fn eval_inner(&mut self, expr: &Expr) -> Val {
        if let Some(read) = env_read(expr, self.style) {
            return match read.default {
                Default::Required => Val::Unknown,
                Default::None => Val::None,
                Default::Value(default) => {
                    let val = self.eval(default);
                    cast(val, read.cast)
                }
            };
        }
        match &expr.kind {
            ExprKind::Str { value, f } => {
                if *f && value.contains('{') {
                    Val::Unknown
                } else {
                    Val::Str(value.clone())
                }
            }
            ExprKind::Number(n) => n.replace('_', "").parse().map_or(Val::Unknown, Val::Int),
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::None => Val::None,
            ExprKind::Name(name) => match self.scope.lookup(name) {
                Some(bound) if bound != expr => self.eval(bound),
                _ => Val::Unknown,
            },
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                let mut out = Vec::new();
                for item in items {
                    if let ExprKind::Starred(inner) = &item.kind {
                        match self.eval(inner) {
                            Val::List(more) => out.extend(more),
                            _ => return Val::Unknown,
                        }
                    } else {
                        out.push(self.eval(item));
                    }
                }
                Val::List(out)
            }
            ExprKind::Dict(pairs) => {
                let mut out = Vec::new();
                for (key, value) in pairs {
                    if let ExprKind::Starred(inner) = &value.kind {
                        if let Val::Dict(more) = self.eval(inner) {
                            out.extend(more);
                        }
                        continue;
                    }
                    out.push((self.eval(key), self.eval(value)));
                }
                Val::Dict(out)
            }
            ExprKind::Compare(left, op, right) => self.compare(left, op, right),
            ExprKind::BoolOp(op, values) => self.bool_op(op, values),
            ExprKind::Not(inner) => match self.eval(inner).truthy() {
                Some(b) => Val::Bool(!b),
                None => Val::Unknown,
            },
            ExprKind::IfElse { body, test, orelse } => match self.eval(test).truthy() {
                Some(true) => self.eval(body),
                Some(false) => self.eval(orelse),
                None => Val::Unknown,
            },
            ExprKind::BinOp(left, op, right) => match (self.eval(left), *op, self.eval(right)) {
                (Val::Str(a), "+", Val::Str(b)) => Val::Str(a + &b),
                (Val::Int(a), "+", Val::Int(b)) => Val::Int(a.saturating_add(b)),
                (Val::Int(a), "*", Val::Int(b)) => Val::Int(a.saturating_mul(b)),
                (Val::List(a), "+", Val::List(b)) => Val::List(a.into_iter().chain(b).collect()),
                _ => Val::Unknown,
            },
            ExprKind::Subscript(base, index) => {
                let base = self.eval(base);
                match (base, self.eval(index)) {
                    (dict @ Val::Dict(_), Val::Str(key)) => {
                        dict.get(&key).cloned().unwrap_or(Val::Unknown)
                    }
                    (Val::List(items), Val::Int(i)) => usize::try_from(i)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .unwrap_or(Val::Unknown),
                    _ => Val::Unknown,
                }
            }
            ExprKind::Call { func, args, .. } => self.call(func, args),
            _ => Val::Unknown,
        }
    }

    fn compare(&mut self, left: &Expr, op: &str, right: &Expr) -> Val {
        let (a, b) = (self.eval(left), self.eval(right));
        if a == Val::Unknown || b == Val::Unknown {
            return Val::Unknown;
        }
        let contains = |haystack: &Val, needle: &Val| match haystack {
            Val::List(items) => Some(items.contains(needle)),
            Val::Str(s) => match needle {
                Val::Str(n) => Some(s.contains(n.as_str())),
                _ => None,
            },
            _ => None,
        };
        let result = match op {
            "==" | "is" => Some(a == b),
            "!=" | "is not" => Some(a != b),
            "in" => contains(&b, &a),
            "not in" => contains(&b, &a).map(|c| !c),
            _ => match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) => Some(match op {
                    "<" => x < y,
                    ">" => x > y,
                    "<=" => x <= y,
                    _ => x >= y,
                }),
                _ => None,
            },
        };
        result.map_or(Val::Unknown, Val::Bool)
    }

    fn bool_op(&mut self, op: &str, values: &[Expr]) -> Val {
        let mut last = Val::Unknown;
        for value in values {
            last = self.eval(value);
            match (op, last.truthy()) {
                ("or", Some(true)) | ("and", Some(false)) => return last,
                (_, None) => return Val::Unknown,
                _ => {}
            }
        }
        last
    }

    fn call(&mut self, func: &Expr, args: &[Expr]) -> Val {
        let first = |this: &mut Self| args.first().map_or(Val::Unknown, |a| this.eval(a));
        match &func.kind {
            ExprKind::Name(name) => match name.as_str() {
                "bool" => first(self).truthy().map_or(Val::Unknown, Val::Bool),
                "int" => first(self).as_int().map_or(Val::Unknown, Val::Int),
                "str" => match first(self) {
                    Val::Str(s) => Val::Str(s),
                    Val::Int(n) => Val::Str(n.to_string()),
                    Val::Bool(b) => Val::Str(if b { "True" } else { "False" }.to_owned()),
                    _ => Val::Unknown,
                },
                "list" | "tuple" | "set" => match first(self) {
                    list @ Val::List(_) => list,
                    _ => Val::Unknown,
                },
                "strtobool" | "distutils.util.strtobool" => match first(self) {
                    Val::Str(s) => match parse_bool(&s) {
                        Val::Bool(b) => Val::Int(i64::from(b)),
                        other => other,
                    },
                    _ => Val::Unknown,
                },
                dotted => {
                    // A method call on a name: `X.lower()` where X is a setting.
                    match dotted.rsplit_once('.') {
                        Some((object, method)) => {
                            let receiver = Expr {
                                line: func.line,
                                kind: ExprKind::Name(object.to_owned()),
                            };
                            let value = self.eval(&receiver);
                            self.method(value, method, args)
                        }
                        None => Val::Unknown,
                    }
                }
            },
            ExprKind::Attr(receiver, method) => {
                let value = self.eval(receiver);
                self.method(value, method, args)
            }
            _ => Val::Unknown,
        }
    }

    fn method(&mut self, value: Val, method: &str, args: &[Expr]) -> Val {
        let Val::Str(s) = value else {
            return Val::Unknown;
        };
        match method {
            "lower" | "casefold" => Val::Str(s.to_lowercase()),
            "upper" => Val::Str(s.to_uppercase()),
            "strip" => Val::Str(s.trim().to_owned()),
            "split" => {
                let separator = args.first().map(|a| self.eval(a));
                match separator {
                    // Python: "".split(",") is [""], not [].
                    Some(Val::Str(sep)) if !sep.is_empty() => Val::List(
                        s.split(sep.as_str())
                            .map(|p| Val::Str(p.to_owned()))
                            .collect(),
                    ),
                    None => Val::List(
                        s.split_whitespace()
                            .map(|p| Val::Str(p.to_owned()))
                            .collect(),
                    ),
                    _ => Val::Unknown,
                }
            }
            _ => Val::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::python::Module;

    fn value_of(source: &str) -> Val {
        let module = Module::parse(source);
        let style = EnvStyle::of(&module);
        let StmtKind::Assign { value, .. } = &module.stmts.last().unwrap().kind else {
            panic!("last statement is not an assignment")
        };
        eval(value, &style, &NoScope)
    }

    #[test]
    fn environment_defaults() {
        assert_eq!(
            value_of("import os\nD = os.environ.get('D', 'False') == 'True'\n"),
            Val::Bool(false)
        );
        assert_eq!(
            value_of("import os\nD = os.getenv('D', 'true').lower() in ('1', 'true')\n"),
            Val::Bool(true)
        );
        assert_eq!(
            value_of("import environ\nenv = environ.Env()\nD = env.bool('D', default=True)\n"),
            Val::Bool(true)
        );
        assert_eq!(
            value_of("import environ\nenv = environ.Env()\nD = env.bool('D', default='False')\n"),
            Val::Bool(false)
        );
        assert_eq!(
            value_of("from decouple import config\nD = config('D', default=True, cast=bool)\n"),
            Val::Bool(true)
        );
        assert_eq!(value_of("import os\nK = os.environ['K']\n"), Val::Unknown);
        assert_eq!(value_of("import os\nK = os.getenv('K')\n"), Val::None);
        assert_eq!(
            value_of("import os\nH = os.environ.get('H', '*').split(',')\n"),
            Val::List(vec![Val::Str("*".into())])
        );
        assert_eq!(value_of("D = bool(int('0'))\n"), Val::Bool(false));
        assert_eq!(
            value_of("import os\nH = os.environ.get('H', '').split(',')\n"),
            Val::List(vec![Val::Str(String::new())])
        );
    }

    #[test]
    fn env_reads_of_every_style() {
        let module = Module::parse(
            "import os\nfrom decouple import config\nimport environ\nenv = environ.Env()\n\
             a = os.environ['A']\nb = os.getenv('B', 'x')\nc = env.db('C')\nd = config('D')\ne = env('E', default='y')\n",
        );
        let style = EnvStyle::of(&module);
        let mut names = Vec::new();
        module.walk_exprs(&mut |e| {
            if let Some(read) = env_read(e, &style) {
                names.push(read.name);
            }
        });
        assert_eq!(names, ["A", "B", "C", "D", "E"]);
    }
}

//! Reads Python as Python: a tokenizer that knows strings, comments, brackets
//! and line continuations, split into logical statements, and a small
//! expression parser for what configuration code is made of (literals,
//! names, calls, subscripts, comparisons, boolean operators).
//!
//! It never fails: code it does not understand becomes `Expr::Other` or
//! `StmtKind::Other`, and the rest of the file is still read.
//!
//! The tokenizer works on bytes and its tokens borrow from the source (a
//! string literal is copied only when it has escapes), and statements are
//! parsed one logical line at a time from one reused buffer: every Python
//! file of a project goes through here, so nothing is allocated per token.

use std::borrow::Cow;

/// One token with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'a> {
    pub kind: Tok<'a>,
    pub line: usize,
}

/// The kinds of token the parser needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok<'a> {
    Name(&'a str),
    Number(&'a str),
    /// A string literal, decoded (escapes resolved unless raw); `f` marks an f-string.
    Str {
        value: Cow<'a, str>,
        f: bool,
    },
    Op(&'static str),
}

/// One logical line of code: a statement, possibly spanning several physical lines.
#[cfg(test)]
#[derive(Debug, Clone)]
pub struct LogicalLine<'a> {
    pub line: usize,
    pub tokens: Vec<Token<'a>>,
}

/// The operator starting at `rest`, longest first (`**=` before `**` before `*`).
fn operator_at(rest: &[u8]) -> Option<&'static str> {
    if let Some(three) = rest.get(..3) {
        let op = match three {
            b"**=" => Some("**="),
            b"//=" => Some("//="),
            b">>=" => Some(">>="),
            b"<<=" => Some("<<="),
            b"..." => Some("..."),
            _ => None,
        };
        if op.is_some() {
            return op;
        }
    }
    if let Some(two) = rest.get(..2) {
        let op = match two {
            b"->" => Some("->"),
            b":=" => Some(":="),
            b"==" => Some("=="),
            b"!=" => Some("!="),
            b"<=" => Some("<="),
            b">=" => Some(">="),
            b"**" => Some("**"),
            b"//" => Some("//"),
            b"<<" => Some("<<"),
            b">>" => Some(">>"),
            b"+=" => Some("+="),
            b"-=" => Some("-="),
            b"*=" => Some("*="),
            b"/=" => Some("/="),
            b"%=" => Some("%="),
            b"&=" => Some("&="),
            b"|=" => Some("|="),
            b"^=" => Some("^="),
            b"@=" => Some("@="),
            _ => None,
        };
        if op.is_some() {
            return op;
        }
    }
    match rest.first()? {
        b'<' => Some("<"),
        b'>' => Some(">"),
        b'+' => Some("+"),
        b'-' => Some("-"),
        b'*' => Some("*"),
        b'/' => Some("/"),
        b'%' => Some("%"),
        b'&' => Some("&"),
        b'|' => Some("|"),
        b'^' => Some("^"),
        b'~' => Some("~"),
        b'@' => Some("@"),
        b'=' => Some("="),
        b'.' => Some("."),
        b',' => Some(","),
        b':' => Some(":"),
        b';' => Some(";"),
        b'(' => Some("("),
        b')' => Some(")"),
        b'[' => Some("["),
        b']' => Some("]"),
        b'{' => Some("{"),
        b'}' => Some("}"),
        _ => None,
    }
}

/// Appends an escaped character as Python reads it (raw strings keep the backslash).
fn push_escape(value: &mut String, escaped: char, raw: bool) {
    if raw {
        value.push('\\');
        value.push(escaped);
        return;
    }
    match escaped {
        'n' => value.push('\n'),
        't' => value.push('\t'),
        'r' => value.push('\r'),
        '0' => value.push('\0'),
        '\n' => {}
        '\\' | '\'' | '"' => value.push(escaped),
        other => {
            value.push('\\');
            value.push(other);
        }
    }
}

/// Splits Python source into logical lines of tokens. Comments are dropped.
#[cfg(test)]
pub fn logical_lines(source: &str) -> Vec<LogicalLine<'_>> {
    let mut lexer = Lexer::new(source);
    let mut out = Vec::new();
    let mut tokens = Vec::new();
    while let Some((_, line)) = lexer.next_line(&mut tokens) {
        out.push(LogicalLine {
            line,
            tokens: std::mem::take(&mut tokens),
        });
    }
    out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    depth: usize,
    indent: usize,
    start_line: usize,
    at_line_start: bool,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            line: 1,
            depth: 0,
            indent: 0,
            start_line: 1,
            at_line_start: true,
        }
    }

    /// The character at the cursor (decoded only when it is not ASCII).
    fn peek_char(&self) -> Option<char> {
        match self.bytes.get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.src[self.pos..].chars().next(),
            None => None,
        }
    }

    /// Reads the next logical line into `tokens` (cleared first): its indent
    /// and first line, or `None` at the end of the source.
    fn next_line(&mut self, tokens: &mut Vec<Token<'a>>) -> Option<(usize, usize)> {
        tokens.clear();
        while let Some(&byte) = self.bytes.get(self.pos) {
            if self.at_line_start && tokens.is_empty() && self.depth == 0 {
                self.measure_indent();
                self.at_line_start = false;
                continue;
            }
            match byte {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    if self.depth == 0 {
                        self.depth = 0;
                        self.at_line_start = true;
                        if !tokens.is_empty() {
                            return Some((self.indent, self.start_line));
                        }
                    }
                }
                b'#' => self.skip_comment(),
                b'\\'
                    if self.bytes[self.pos + 1..].starts_with(b"\n")
                        || self.bytes[self.pos + 1..].starts_with(b"\r\n") =>
                {
                    self.pos += 1;
                    if self.bytes.get(self.pos) == Some(&b'\r') {
                        self.pos += 1;
                    }
                    self.pos += 1;
                    self.line += 1;
                }
                b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => self.pos += 1,
                b'0'..=b'9' => self.number(tokens),
                b'.' if self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => {
                    self.number(tokens);
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.name_or_string(tokens),
                b'"' | b'\'' => self.string(false, false, tokens),
                _ if byte.is_ascii() => self.operator(tokens),
                _ => {
                    // Not ASCII: Unicode whitespace, a letter of a name, or a stray character.
                    let c = self.peek_char().unwrap_or('?');
                    if c.is_whitespace() {
                        self.pos += c.len_utf8();
                    } else if c.is_alphabetic() {
                        self.name_or_string(tokens);
                    } else {
                        self.operator(tokens);
                    }
                }
            }
        }
        self.depth = 0;
        self.at_line_start = true;
        (!tokens.is_empty()).then_some((self.indent, self.start_line))
    }

    fn measure_indent(&mut self) {
        let mut width = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' => width += 1,
                b'\t' => width = (width / 8 + 1) * 8,
                b'\x0c' | b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        self.indent = width;
        self.start_line = self.line;
    }

    fn push(&mut self, tokens: &mut Vec<Token<'a>>, kind: Tok<'a>, line: usize) {
        if tokens.is_empty() {
            self.start_line = line;
        }
        tokens.push(Token { kind, line });
    }

    fn skip_comment(&mut self) {
        self.pos = memchr_newline(self.bytes, self.pos);
    }

    fn number(&mut self, tokens: &mut Vec<Token<'a>>) {
        let line = self.line;
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            let so_far = &self.bytes[start..self.pos];
            let exponent_sign = (b == b'+' || b == b'-')
                && matches!(so_far.last(), Some(b'e' | b'E'))
                && !so_far.starts_with(b"0x");
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = &self.src[start..self.pos];
        self.push(tokens, Tok::Number(text), line);
    }

    fn name_or_string(&mut self, tokens: &mut Vec<Token<'a>>) {
        let line = self.line;
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b.is_ascii_alphanumeric() || b == b'_' {
                self.pos += 1;
            } else if b.is_ascii() {
                break;
            } else {
                match self.peek_char() {
                    Some(c) if c.is_alphanumeric() => self.pos += c.len_utf8(),
                    _ => break,
                }
            }
        }
        let word = &self.src[start..self.pos];
        let is_prefix = word.len() <= 2
            && word
                .bytes()
                .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f'));
        if is_prefix && matches!(self.bytes.get(self.pos), Some(b'"' | b'\'')) {
            let has = |wanted: u8| word.bytes().any(|c| c.to_ascii_lowercase() == wanted);
            self.string(has(b'r'), has(b'f'), tokens);
        } else {
            self.push(tokens, Tok::Name(word), line);
        }
    }

    fn string(&mut self, raw: bool, f: bool, tokens: &mut Vec<Token<'a>>) {
        let line = self.line;
        let bytes = self.bytes;
        let quote = bytes[self.pos];
        self.pos += 1;
        let triple = bytes.get(self.pos) == Some(&quote) && bytes.get(self.pos + 1) == Some(&quote);
        if triple {
            self.pos += 2;
        }
        // Copied only once an escape is met; until then the value is the
        // source between the quotes. Only ASCII bytes end a run, so every
        // slice boundary is a character boundary.
        let mut value: Option<String> = None;
        let mut run = self.pos;
        let mut end = None;
        while let Some(&byte) = bytes.get(self.pos) {
            match byte {
                b'\\' => {
                    let copy = value.get_or_insert_with(String::new);
                    copy.push_str(&self.src[run..self.pos]);
                    self.pos += 1;
                    let Some(escaped) = self.src[self.pos..].chars().next() else {
                        run = self.pos;
                        break;
                    };
                    self.pos += escaped.len_utf8();
                    if escaped == '\n' {
                        self.line += 1;
                    }
                    push_escape(copy, escaped, raw);
                    run = self.pos;
                    continue;
                }
                b'\n' if !triple => break,
                b'\n' => self.line += 1,
                _ if byte == quote => {
                    if !triple {
                        end = Some(self.pos);
                        self.pos += 1;
                        break;
                    }
                    if bytes.get(self.pos + 1) == Some(&quote)
                        && bytes.get(self.pos + 2) == Some(&quote)
                    {
                        end = Some(self.pos);
                        self.pos += 3;
                        break;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        // An unterminated string keeps what there is, up to the line end.
        let tail = &self.src[run..end.unwrap_or(self.pos).max(run)];
        let value = match value {
            Some(mut copy) => {
                copy.push_str(tail);
                Cow::Owned(copy)
            }
            None => Cow::Borrowed(tail),
        };
        self.push(tokens, Tok::Str { value, f }, line);
    }

    fn operator(&mut self, tokens: &mut Vec<Token<'a>>) {
        let line = self.line;
        let op: &'static str = if let Some(op) = operator_at(&self.bytes[self.pos..]) {
            self.pos += op.len();
            op
        } else {
            // A character Python has no use for here (`$`, `?`, a stray BOM).
            self.pos += self.peek_char().map_or(1, char::len_utf8);
            "?"
        };
        match op {
            "(" | "[" | "{" => self.depth += 1,
            ")" | "]" | "}" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.push(tokens, Tok::Op(op), line);
    }
}

/// The index of the next `\n` at or after `from`, or the end.
fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// An expression with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub line: usize,
    pub kind: ExprKind,
}

/// The expression forms configuration code uses; everything else is `Other`.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Str {
        value: String,
        f: bool,
    },
    Number(String),
    Bool(bool),
    None,
    /// A name or a dotted attribute chain on a name: `os.environ`.
    Name(String),
    /// An attribute of something that is not a plain name: `foo().bar`.
    Attr(Box<Expr>, String),
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
    },
    Subscript(Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `a == b`, `a in b`, `a is not b`: only the first operator is kept.
    Compare(Box<Expr>, &'static str, Box<Expr>),
    /// `and` / `or` over two or more values.
    BoolOp(&'static str, Vec<Expr>),
    Not(Box<Expr>),
    /// Any arithmetic or bitwise operator.
    BinOp(Box<Expr>, &'static str, Box<Expr>),
    /// `body if test else orelse`.
    IfElse {
        body: Box<Expr>,
        test: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// `*x` or `**x` in a call or display.
    Starred(Box<Expr>),
    /// A comprehension, a lambda, a slice, or anything not modelled: the
    /// sub-expressions that could be read are kept for walkers.
    Other(Vec<Expr>),
}

impl Expr {
    fn new(line: usize, kind: ExprKind) -> Self {
        Self { line, kind }
    }

    /// The dotted name of a name or attribute chain (`os.environ.get`).
    pub fn dotted(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(name) => Some(name),
            _ => None,
        }
    }

    /// The last segment of a dotted name or attribute (`get` of `os.environ.get`).
    pub fn last_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(name) => name.rsplit('.').next(),
            ExprKind::Attr(_, attr) => Some(attr),
            _ => None,
        }
    }

    /// The string value of a literal string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A keyword argument of a call.
    pub fn kwarg(&self, name: &str) -> Option<&Expr> {
        match &self.kind {
            ExprKind::Call { kwargs, .. } => {
                kwargs.iter().find(|(key, _)| key == name).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// A positional argument of a call.
    pub fn arg(&self, index: usize) -> Option<&Expr> {
        match &self.kind {
            ExprKind::Call { args, .. } => args.get(index),
            _ => None,
        }
    }

    /// The callee's dotted name, for a call.
    pub fn call_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Call { func, .. } => func.dotted().or_else(|| func.last_name()),
            _ => None,
        }
    }

    /// This expression and every expression inside it, depth first.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Attr(inner, _) | ExprKind::Not(inner) | ExprKind::Starred(inner) => {
                inner.walk(visit);
            }
            ExprKind::Call { func, args, kwargs } => {
                func.walk(visit);
                for arg in args {
                    arg.walk(visit);
                }
                for (_, value) in kwargs {
                    value.walk(visit);
                }
            }
            ExprKind::Subscript(a, b) | ExprKind::Compare(a, _, b) | ExprKind::BinOp(a, _, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            ExprKind::List(items)
            | ExprKind::Tuple(items)
            | ExprKind::Set(items)
            | ExprKind::BoolOp(_, items)
            | ExprKind::Other(items) => items.iter().for_each(|e| e.walk(visit)),
            ExprKind::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
                k.walk(visit);
                v.walk(visit);
            }),
            ExprKind::IfElse { body, test, orelse } => {
                body.walk(visit);
                test.walk(visit);
                orelse.walk(visit);
            }
            ExprKind::Str { .. }
            | ExprKind::Number(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Name(_) => {}
        }
    }
}

/// One statement with its position.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub line: usize,
    pub indent: usize,
    pub kind: StmtKind,
}

/// The statement forms the scanner looks at.
#[derive(Debug, Clone)]
pub enum StmtKind {
    /// `a = b = value`, `a: T = value`, `a += value` (`op` is `=` or `+=`…).
    Assign {
        targets: Vec<Expr>,
        op: &'static str,
        value: Expr,
        /// The annotation of `name: T = value`.
        annotation: Option<Expr>,
    },
    /// `name: T` with no value (a class field declaration).
    Annotated { target: Expr, annotation: Expr },
    /// `from module import names` (`module` keeps its leading dots) or `import module`.
    Import {
        module: String,
        names: Vec<String>,
        star: bool,
    },
    /// A decorator line: `@csrf_exempt`, `@app.get("/health")`.
    Decorator(Expr),
    /// `def name(...)` (`async def` too).
    Def { name: String },
    /// `class Name(bases):`.
    Class { name: String, bases: Vec<Expr> },
    /// A compound-statement header (`if`, `elif`, `else`, `for`, `while`, `with`,
    /// `try`, `except`, `finally`, `match`, `case`) with the expressions it holds.
    Block {
        keyword: &'static str,
        exprs: Vec<Expr>,
    },
    /// An expression statement (a call, a docstring).
    Expr(Expr),
    /// `return`, `raise`, `assert`… with the expressions they hold.
    Other(Vec<Expr>),
}

/// A parsed Python file: its statements in order.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub stmts: Vec<Stmt>,
    /// Lines whose statement nests deeper than [`MAX_NESTING`] and was skipped.
    pub too_deep: Vec<usize>,
}

/// How deep expressions (and inline blocks) may nest before a statement is
/// skipped: far beyond real code, well inside a 2 MiB thread stack, so a
/// `[[[…]]]` a thousand deep or ten thousand `not`s cannot overflow it.
pub const MAX_NESTING: usize = 48;

thread_local! {
    /// The parser's current nesting, and whether this statement went too deep.
    static NESTING: std::cell::Cell<(usize, bool)> = const { std::cell::Cell::new((0, false)) };
}

/// Enters one nesting level; `false` (and the statement marked too deep)
/// past [`MAX_NESTING`]. Every `true` is paired with [`leave`].
fn enter() -> bool {
    NESTING.with(|cell| {
        let (depth, deep) = cell.get();
        if depth >= MAX_NESTING {
            cell.set((depth, true));
            false
        } else {
            cell.set((depth + 1, deep));
            true
        }
    })
}

fn leave() {
    NESTING.with(|cell| {
        let (depth, deep) = cell.get();
        cell.set((depth.saturating_sub(1), deep));
    });
}

impl Module {
    /// Parses Python source. A statement nested too deeply is left out and
    /// its line noted in `too_deep`; the rest of the file is still read.
    pub fn parse(source: &str) -> Self {
        let mut stmts = Vec::new();
        let mut too_deep = Vec::new();
        let mut lexer = Lexer::new(source);
        let mut tokens = Vec::new();
        while let Some((indent, line)) = lexer.next_line(&mut tokens) {
            NESTING.with(|cell| cell.set((0, false)));
            let before = stmts.len();
            parse_logical_line(&tokens, indent, line, &mut stmts);
            if NESTING.with(|cell| cell.get().1) {
                stmts.truncate(before);
                too_deep.push(line);
            }
        }
        Self { stmts, too_deep }
    }

    /// Every expression in the module, depth first.
    pub fn walk_exprs<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        for stmt in &self.stmts {
            stmt.walk_exprs(visit);
        }
    }

    /// The statements inside the block whose header is at `index`: those after
    /// it that are indented deeper.
    pub fn body_of(&self, index: usize) -> &[Stmt] {
        let Some(header) = self.stmts.get(index) else {
            return &[];
        };
        let start = index + 1;
        let end = self.stmts[start..]
            .iter()
            .position(|s| s.indent <= header.indent)
            .map_or(self.stmts.len(), |n| start + n);
        &self.stmts[start..end]
    }
}

impl Stmt {
    /// Every expression in the statement, depth first.
    pub fn walk_exprs<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        match &self.kind {
            StmtKind::Assign {
                targets,
                value,
                annotation,
                ..
            } => {
                for target in targets {
                    target.walk(visit);
                }
                value.walk(visit);
                if let Some(annotation) = annotation {
                    annotation.walk(visit);
                }
            }
            StmtKind::Annotated { target, annotation } => {
                target.walk(visit);
                annotation.walk(visit);
            }
            StmtKind::Decorator(e) | StmtKind::Expr(e) => e.walk(visit),
            StmtKind::Class { bases, .. } => bases.iter().for_each(|b| b.walk(visit)),
            StmtKind::Block { exprs, .. } | StmtKind::Other(exprs) => {
                for expr in exprs {
                    expr.walk(visit);
                }
            }
            StmtKind::Import { .. } | StmtKind::Def { .. } => {}
        }
    }
}

/// The keywords that open a compound statement besides `def`, `class` and `async`.
const BLOCK_KEYWORDS: [&str; 11] = [
    "if", "elif", "else", "for", "while", "with", "try", "except", "finally", "match", "case",
];

/// `word` as the block keyword it is, if it is one.
fn block_keyword(word: &str) -> Option<&'static str> {
    BLOCK_KEYWORDS.into_iter().find(|k| *k == word)
}

/// Augmented assignment operators: `+=`, `|=`…
fn is_augmented(op: &str) -> bool {
    matches!(
        op,
        "+=" | "-="
            | "*="
            | "/="
            | "//="
            | "%="
            | "**="
            | ">>="
            | "<<="
            | "&="
            | "|="
            | "^="
            | "@="
    )
}

/// Arithmetic and bitwise operators.
fn is_binary_op(op: &str) -> bool {
    matches!(
        op,
        "+" | "-" | "*" | "/" | "//" | "%" | "**" | "@" | "|" | "&" | "^" | "<<" | ">>"
    )
}

fn is_name(token: Option<&Token<'_>>, word: &str) -> bool {
    matches!(token, Some(Token { kind: Tok::Name(n), .. }) if *n == word)
}

fn is_op(token: Option<&Token<'_>>, op: &str) -> bool {
    // Operators are one to three bytes: compared inline, not through memcmp.
    matches!(token, Some(Token { kind: Tok::Op(o), .. })
        if o.len() == op.len() && o.bytes().zip(op.bytes()).all(|(a, b)| a == b))
}

/// How deep in brackets a scan of a statement's tokens is.
#[derive(Default)]
struct Brackets(usize);

impl Brackets {
    /// Takes in `token`: whether it stands outside every bracket (a bracket
    /// itself does not).
    fn outside(&mut self, token: &Token<'_>) -> bool {
        match &token.kind {
            Tok::Op(op) if matches!(*op, "(" | "[" | "{") => {
                self.0 += 1;
                false
            }
            Tok::Op(op) if matches!(*op, ")" | "]" | "}") => {
                self.0 = self.0.saturating_sub(1);
                false
            }
            _ => self.0 == 0,
        }
    }
}

/// Index of the first top-level `:` in `tokens` (outside brackets and lambdas).
fn top_level_colon(tokens: &[Token<'_>]) -> Option<usize> {
    let mut brackets = Brackets::default();
    let mut lambdas = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        if !brackets.outside(token) {
            continue;
        }
        match &token.kind {
            Tok::Name(n) if *n == "lambda" => lambdas += 1,
            Tok::Op(op) if *op == ":" => {
                if lambdas > 0 {
                    lambdas -= 1;
                } else {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits tokens at top-level occurrences of an operator (read as they are
/// needed: nearly every line has one part, and none is collected).
fn split_top_level<'t, 'a>(
    tokens: &'t [Token<'a>],
    separator: &'static str,
) -> impl Iterator<Item = &'t [Token<'a>]> {
    let mut rest = Some(tokens);
    std::iter::from_fn(move || {
        let tokens = rest?;
        let mut brackets = Brackets::default();
        for (i, token) in tokens.iter().enumerate() {
            if brackets.outside(token) && matches!(&token.kind, Tok::Op(op) if *op == separator) {
                rest = Some(&tokens[i + 1..]);
                return Some(&tokens[..i]);
            }
        }
        rest = None;
        Some(tokens)
    })
}

fn parse_logical_line(tokens: &[Token<'_>], indent: usize, line: usize, out: &mut Vec<Stmt>) {
    if !enter() {
        return;
    }
    parse_logical_line_inner(tokens, indent, line, out);
    leave();
}

fn parse_logical_line_inner(tokens: &[Token<'_>], indent: usize, line: usize, out: &mut Vec<Stmt>) {
    // Statements after `;` sit at the same level.
    for part in split_top_level(tokens, ";") {
        if part.is_empty() {
            continue;
        }
        let line = part.first().map_or(line, |t| t.line);
        parse_simple_or_compound(part, indent, line, out);
    }
}

fn parse_simple_or_compound(tokens: &[Token<'_>], indent: usize, line: usize, out: &mut Vec<Stmt>) {
    let first = tokens.first();
    let keyword = match first.map(|t| &t.kind) {
        Some(Tok::Name(n)) => *n,
        _ => "",
    };
    let push = |out: &mut Vec<Stmt>, kind| out.push(Stmt { line, indent, kind });
    if is_op(first, "@") {
        push(out, StmtKind::Decorator(Parser::new(&tokens[1..]).expr()));
        return;
    }
    let is_def = keyword == "def" || (keyword == "async" && is_name(tokens.get(1), "def"));
    let block = block_keyword(keyword);
    let is_block = block.is_some() || keyword == "async" || keyword == "class" || is_def;
    if is_block && let Some(colon) = top_level_colon(tokens) {
        let header = &tokens[..colon];
        let kind = if is_def {
            let name = header.iter().find_map(|t| match &t.kind {
                Tok::Name(n) if *n != "def" && *n != "async" => Some((*n).to_owned()),
                _ => None,
            });
            StmtKind::Def {
                name: name.unwrap_or_default(),
            }
        } else if keyword == "class" {
            let name = match tokens.get(1).map(|t| &t.kind) {
                Some(Tok::Name(n)) => (*n).to_owned(),
                _ => String::new(),
            };
            let bases = if is_op(header.get(2), "(") {
                Parser::new(&header[3..header.len().saturating_sub(1)]).expr_list()
            } else {
                Vec::new()
            };
            StmtKind::Class { name, bases }
        } else {
            let mut parser = Parser::new(&header[1..]);
            let exprs = parser.expr_list_loose();
            StmtKind::Block {
                // `async for` / `async with` keep `async`.
                keyword: block.unwrap_or("async"),
                exprs,
            }
        };
        push(out, kind);
        let body = &tokens[colon + 1..];
        if !body.is_empty() {
            let body_line = body.first().map_or(line, |t| t.line);
            parse_logical_line(body, indent + 1, body_line, out);
        }
        return;
    }
    match keyword {
        "import" => {
            for part in split_top_level(&tokens[1..], ",") {
                let module = dotted_tokens(part);
                push(
                    out,
                    StmtKind::Import {
                        module,
                        names: Vec::new(),
                        star: false,
                    },
                );
            }
        }
        "from" => push(out, parse_from_import(&tokens[1..])),
        "return" | "raise" | "assert" | "del" | "yield" | "await" | "global" | "nonlocal"
        | "pass" | "break" | "continue" => {
            let exprs = Parser::new(&tokens[1..]).expr_list_loose();
            push(out, StmtKind::Other(exprs));
        }
        _ => push(out, parse_assign_or_expr(tokens)),
    }
}

fn dotted_tokens(tokens: &[Token<'_>]) -> String {
    let mut module = String::new();
    for token in tokens {
        match &token.kind {
            Tok::Name(n) if *n == "as" || *n == "import" => break,
            Tok::Name(n) => module.push_str(n),
            Tok::Op(op) if *op == "." || *op == "..." => module.push_str(op),
            _ => break,
        }
    }
    module
}

fn parse_from_import(tokens: &[Token<'_>]) -> StmtKind {
    let module = dotted_tokens(tokens);
    let import_at = tokens.iter().position(|t| is_name(Some(t), "import"));
    let mut names = Vec::new();
    let mut star = false;
    if let Some(at) = import_at {
        for token in &tokens[at + 1..] {
            match &token.kind {
                Tok::Op(op) if *op == "*" => star = true,
                Tok::Name(n) if *n != "as" => names.push((*n).to_owned()),
                _ => {}
            }
        }
    }
    StmtKind::Import {
        module,
        names,
        star,
    }
}

fn parse_assign_or_expr(tokens: &[Token<'_>]) -> StmtKind {
    // Augmented assignment: target op value.
    let mut brackets = Brackets::default();
    for (i, token) in tokens.iter().enumerate() {
        let outside = brackets.outside(token);
        match &token.kind {
            Tok::Op(op) if outside && is_augmented(op) => {
                return StmtKind::Assign {
                    targets: vec![Parser::new(&tokens[..i]).expr_or_tuple()],
                    op,
                    value: Parser::new(&tokens[i + 1..]).expr_or_tuple(),
                    annotation: None,
                };
            }
            Tok::Name(n) if *n == "lambda" => break,
            _ => {}
        }
    }
    let parts: Vec<_> = split_top_level(tokens, "=").collect();
    if parts.len() >= 2 {
        let (value, targets) = parts.split_last().unwrap_or((&parts[0], &[]));
        let mut parsed_targets = Vec::new();
        let mut annotation = None;
        for (i, target) in targets.iter().enumerate() {
            // `x: int = 5`: the first target may carry an annotation.
            let target = match top_level_colon(target) {
                Some(colon) if i == 0 => {
                    annotation = Some(Parser::new(&target[colon + 1..]).expr());
                    &target[..colon]
                }
                _ => target,
            };
            parsed_targets.push(Parser::new(target).expr_or_tuple());
        }
        return StmtKind::Assign {
            targets: parsed_targets,
            op: "=",
            value: Parser::new(value).expr_or_tuple(),
            annotation,
        };
    }
    if let Some(colon) = top_level_colon(tokens) {
        return StmtKind::Annotated {
            target: Parser::new(&tokens[..colon]).expr(),
            annotation: Parser::new(&tokens[colon + 1..]).expr(),
        };
    }
    StmtKind::Expr(Parser::new(tokens).expr_or_tuple())
}

/// A recursive-descent parser over one statement's tokens.
struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    pos: usize,
}

impl<'t, 'a> Parser<'t, 'a> {
    fn new(tokens: &'t [Token<'a>]) -> Self {
        Self { tokens, pos: 0 }
    }

    fn peek(&self) -> Option<&'t Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn line(&self) -> usize {
        self.peek()
            .or_else(|| self.tokens.last())
            .map_or(0, |t| t.line)
    }

    fn at_op(&self, op: &str) -> bool {
        is_op(self.peek(), op)
    }

    fn at_name(&self, word: &str) -> bool {
        is_name(self.peek(), word)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.at_op(op);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat_name(&mut self, word: &str) -> bool {
        let hit = self.at_name(word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    /// Expressions separated by commas, read until the tokens run out; never
    /// stuck: an unreadable token is skipped.
    fn expr_list_loose(&mut self) -> Vec<Expr> {
        let mut exprs = Vec::new();
        while !self.at_end() {
            let before = self.pos;
            let expr = self.expr();
            if !matches!(&expr.kind, ExprKind::Other(items) if items.is_empty()) {
                exprs.push(expr);
            }
            if self.pos == before {
                self.pos += 1;
            }
            // `for x in y`, `with a as b`, `except E as e`: keep reading.
            self.eat_op(",");
            self.eat_name("in");
            self.eat_name("as");
        }
        exprs
    }

    /// Comma-separated expressions inside brackets (or a whole slice).
    fn expr_list(&mut self) -> Vec<Expr> {
        let mut items = Vec::new();
        while !self.at_end() && !self.at_closing() {
            let before = self.pos;
            if let Some(key) = self.keyword_name() {
                // A keyword argument in class bases: `metaclass=…`.
                self.pos += 2;
                let _ = key;
            }
            items.push(self.expr());
            if !self.eat_op(",") && self.pos == before {
                self.pos += 1;
            }
        }
        items
    }

    fn at_closing(&self) -> bool {
        matches!(self.peek().map(|t| &t.kind), Some(Tok::Op(o)) if matches!(*o, ")" | "]" | "}"))
    }

    /// `name=` at the cursor: a keyword argument's name.
    fn keyword_name(&self) -> Option<String> {
        match (self.peek(), self.tokens.get(self.pos + 1)) {
            (
                Some(Token {
                    kind: Tok::Name(n), ..
                }),
                Some(next),
            ) if is_op(Some(next), "=") => Some((*n).to_owned()),
            _ => None,
        }
    }

    /// An expression, or a bare tuple `a, b`.
    fn expr_or_tuple(&mut self) -> Expr {
        let line = self.line();
        let first = self.expr();
        if !self.at_op(",") {
            return first;
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_end() {
                break;
            }
            items.push(self.expr());
        }
        Expr::new(line, ExprKind::Tuple(items))
    }

    /// Gives up on a statement nested too deeply: the cursor goes to its end.
    fn too_deep(&mut self) -> Expr {
        self.pos = self.tokens.len();
        Expr::new(self.line(), ExprKind::Other(Vec::new()))
    }

    fn expr(&mut self) -> Expr {
        if !enter() {
            return self.too_deep();
        }
        let expr = self.expr_inner();
        leave();
        expr
    }

    fn expr_inner(&mut self) -> Expr {
        if self.simple_atom_ahead() {
            // What the precedence levels below would return unchanged.
            return self.atom();
        }
        let line = self.line();
        if self.eat_name("lambda") {
            // Skip the parameters; keep the body.
            while !self.at_end() && !self.at_op(":") {
                self.pos += 1;
            }
            self.eat_op(":");
            let body = self.expr();
            return Expr::new(line, ExprKind::Other(vec![body]));
        }
        if self.eat_name("yield") {
            self.eat_name("from");
        }
        let body = self.or_test();
        if self.at_op(":=") {
            self.pos += 1;
            return self.expr();
        }
        if self.at_name("if") {
            let save = self.pos;
            self.pos += 1;
            let test = self.or_test();
            if self.eat_name("else") {
                let orelse = self.expr();
                return Expr::new(
                    line,
                    ExprKind::IfElse {
                        body: Box::new(body),
                        test: Box::new(test),
                        orelse: Box::new(orelse),
                    },
                );
            }
            // A comprehension's `if`: leave it to the caller.
            self.pos = save;
        }
        body
    }

    fn or_test(&mut self) -> Expr {
        self.bool_op("or", Self::and_test)
    }

    fn and_test(&mut self) -> Expr {
        self.bool_op("and", Self::not_test)
    }

    fn bool_op(&mut self, word: &'static str, next: fn(&mut Self) -> Expr) -> Expr {
        let line = self.line();
        let first = next(self);
        if !self.at_name(word) {
            return first;
        }
        let mut values = vec![first];
        while self.eat_name(word) {
            values.push(next(self));
        }
        Expr::new(line, ExprKind::BoolOp(word, values))
    }

    fn not_test(&mut self) -> Expr {
        let line = self.line();
        if self.eat_name("not") {
            if !enter() {
                return self.too_deep();
            }
            let inner = self.not_test();
            leave();
            return Expr::new(line, ExprKind::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn compare_op(&mut self) -> Option<&'static str> {
        let token = self.peek()?;
        let op = match &token.kind {
            Tok::Op(op) if matches!(*op, "==" | "!=" | "<" | ">" | "<=" | ">=") => *op,
            Tok::Name(n) if *n == "in" => "in",
            Tok::Name(n) if *n == "is" => {
                if is_name(self.tokens.get(self.pos + 1), "not") {
                    self.pos += 1;
                    "is not"
                } else {
                    "is"
                }
            }
            Tok::Name(n) if *n == "not" && is_name(self.tokens.get(self.pos + 1), "in") => {
                self.pos += 1;
                "not in"
            }
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn comparison(&mut self) -> Expr {
        let line = self.line();
        let left = self.arith();
        let Some(op) = self.compare_op() else {
            return left;
        };
        let right = self.arith();
        // Chained comparisons (`a < b < c`): keep reading, keep the first.
        while self.compare_op().is_some() {
            self.arith();
        }
        Expr::new(line, ExprKind::Compare(Box::new(left), op, Box::new(right)))
    }

    fn arith(&mut self) -> Expr {
        let line = self.line();
        let mut left = self.unary();
        loop {
            let op = match self.peek().map(|t| &t.kind) {
                Some(Tok::Op(op)) if is_binary_op(op) => *op,
                _ => return left,
            };
            self.pos += 1;
            let right = self.unary();
            left = Expr::new(line, ExprKind::BinOp(Box::new(left), op, Box::new(right)));
        }
    }

    fn unary(&mut self) -> Expr {
        let line = self.line();
        if self.eat_op("-") || self.eat_op("+") || self.eat_op("~") {
            if !enter() {
                return self.too_deep();
            }
            let inner = self.unary();
            leave();
            return Expr::new(line, ExprKind::Other(vec![inner]));
        }
        if self.eat_name("await") {
            if !enter() {
                return self.too_deep();
            }
            let inner = self.unary();
            leave();
            return inner;
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Expr {
        let mut expr = self.atom();
        loop {
            let line = expr.line;
            if self.eat_op(".") {
                let attr = match self.peek().map(|t| &t.kind) {
                    Some(Tok::Name(n)) => *n,
                    _ => return expr,
                };
                self.pos += 1;
                expr = match expr.kind {
                    ExprKind::Name(mut dotted) => {
                        dotted.push('.');
                        dotted.push_str(attr);
                        Expr::new(line, ExprKind::Name(dotted))
                    }
                    other => Expr::new(
                        line,
                        ExprKind::Attr(Box::new(Expr::new(line, other)), attr.to_owned()),
                    ),
                };
            } else if self.eat_op("(") {
                let (args, kwargs) = self.call_args();
                expr = Expr::new(
                    line,
                    ExprKind::Call {
                        func: Box::new(expr),
                        args,
                        kwargs,
                    },
                );
            } else if self.eat_op("[") {
                let items = self.bracket_items("]");
                let index = match items.len() {
                    1 => items
                        .into_iter()
                        .next()
                        .unwrap_or(Expr::new(line, ExprKind::None)),
                    _ => Expr::new(line, ExprKind::Tuple(items)),
                };
                expr = Expr::new(line, ExprKind::Subscript(Box::new(expr), Box::new(index)));
            } else {
                return expr;
            }
        }
    }

    fn call_args(&mut self) -> (Vec<Expr>, Vec<(String, Expr)>) {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        while !self.at_end() && !self.eat_op(")") {
            let before = self.pos;
            if let Some(name) = self.keyword_name() {
                self.pos += 2;
                kwargs.push((name, self.expr()));
            } else if self.eat_op("**") {
                let line = self.line();
                let inner = self.expr();
                kwargs.push((
                    "**".to_owned(),
                    Expr::new(line, ExprKind::Starred(Box::new(inner))),
                ));
            } else {
                let arg = self.element();
                if self.at_name("for") {
                    let rest = self.skip_comprehension();
                    args.push(Expr::new(
                        arg.line,
                        ExprKind::Other(std::iter::once(arg).chain(rest).collect()),
                    ));
                } else {
                    args.push(arg);
                }
            }
            if !self.eat_op(",") && self.pos == before {
                self.pos += 1;
            }
        }
        (args, kwargs)
    }

    /// An element of a display or call: an expression, `*x`, or a slice.
    fn element(&mut self) -> Expr {
        let line = self.line();
        if self.eat_op("*") || self.eat_op("**") {
            let inner = self.expr();
            return Expr::new(line, ExprKind::Starred(Box::new(inner)));
        }
        if self.at_op(":") {
            // A slice with no start.
            self.pos += 1;
            let rest = if self.at_closing() || self.at_op(",") {
                Vec::new()
            } else {
                vec![self.expr()]
            };
            return Expr::new(line, ExprKind::Other(rest));
        }
        let expr = self.expr();
        if self.at_op(":") && !self.at_end() {
            // Could be a slice `a:b`; a dict key is handled by the caller.
            return expr;
        }
        expr
    }

    /// Skips `for … in … if …` up to the closing bracket, keeping readable parts.
    fn skip_comprehension(&mut self) -> Vec<Expr> {
        let mut kept = Vec::new();
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match &token.kind {
                Tok::Op(op) if matches!(*op, "(" | "[" | "{") => depth += 1,
                Tok::Op(op) if matches!(*op, ")" | "]" | "}") => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Tok::Name(n) if depth == 0 && (*n == "in" || *n == "if") => {
                    self.pos += 1;
                    kept.push(self.or_test());
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
        kept
    }

    /// The items of a `[…]` or `(…)` display up to `close`, consuming it.
    fn bracket_items(&mut self, close: &str) -> Vec<Expr> {
        let mut items = Vec::new();
        while !self.at_end() && !self.eat_op(close) {
            let before = self.pos;
            let item = self.element();
            if self.at_name("for") {
                let rest = self.skip_comprehension();
                items.push(Expr::new(
                    item.line,
                    ExprKind::Other(std::iter::once(item).chain(rest).collect()),
                ));
            } else if self.eat_op(":") {
                // A slice `a:b[:c]`.
                let mut parts = vec![item];
                while !self.at_end() && !self.at_op(close) && !self.at_op(",") {
                    if self.eat_op(":") {
                        continue;
                    }
                    let b = self.pos;
                    parts.push(self.expr());
                    if self.pos == b {
                        self.pos += 1;
                    }
                }
                items.push(Expr::new(parts[0].line, ExprKind::Other(parts)));
            } else {
                items.push(item);
            }
            if !self.eat_op(",") && self.pos == before {
                self.pos += 1;
            }
        }
        items
    }

    fn brace_display(&mut self, line: usize) -> Expr {
        let mut pairs = Vec::new();
        let mut items = Vec::new();
        while !self.at_end() && !self.eat_op("}") {
            let before = self.pos;
            if self.eat_op("**") {
                let inner = self.expr();
                pairs.push((
                    Expr::new(inner.line, ExprKind::None),
                    Expr::new(inner.line, ExprKind::Starred(Box::new(inner))),
                ));
            } else {
                let key = self.element();
                if self.eat_op(":") {
                    let value = self.expr();
                    if self.at_name("for") {
                        let rest = self.skip_comprehension();
                        items.push(Expr::new(
                            key.line,
                            ExprKind::Other(vec![key, value].into_iter().chain(rest).collect()),
                        ));
                    } else {
                        pairs.push((key, value));
                    }
                } else if self.at_name("for") {
                    let rest = self.skip_comprehension();
                    items.push(Expr::new(
                        key.line,
                        ExprKind::Other(std::iter::once(key).chain(rest).collect()),
                    ));
                } else {
                    items.push(key);
                }
            }
            if !self.eat_op(",") && self.pos == before {
                self.pos += 1;
            }
        }
        if items.is_empty() {
            Expr::new(line, ExprKind::Dict(pairs))
        } else {
            Expr::new(line, ExprKind::Set(items))
        }
    }

    /// Whether the cursor is at a name (dotted or not), a number or a string
    /// (adjacent strings too) that a terminator follows: `x`, `os.environ`,
    /// `"id"` before `,` `)` `]` `}` `:` `=` or the end. Most arguments,
    /// values and keys are, and they need none of the operator levels.
    fn simple_atom_ahead(&self) -> bool {
        let mut at = self.pos;
        match self.tokens.get(at).map(|t| &t.kind) {
            Some(Tok::Name(n)) if !matches!(*n, "lambda" | "yield" | "not" | "await") => {
                at += 1;
                // `True`, `False` and `None` are literals: a name's dots are its own.
                while !matches!(*n, "True" | "False" | "None")
                    && is_op(self.tokens.get(at), ".")
                    && matches!(self.tokens.get(at + 1).map(|t| &t.kind), Some(Tok::Name(_)))
                {
                    at += 2;
                }
            }
            Some(Tok::Number(_)) => at += 1,
            Some(Tok::Str { .. }) => {
                while matches!(self.tokens.get(at).map(|t| &t.kind), Some(Tok::Str { .. })) {
                    at += 1;
                }
            }
            _ => return false,
        }
        match self.tokens.get(at).map(|t| &t.kind) {
            None => true,
            Some(Tok::Op(op)) => matches!(*op, "," | ")" | "]" | "}" | ":" | "="),
            Some(_) => false,
        }
    }

    /// `first` and the `.name` parts after it (the cursor is past `first`,
    /// and moves past them): `os.environ.get`, built at its final size.
    fn dotted_from(&mut self, first: &str) -> String {
        let mut end = self.pos;
        let mut len = first.len();
        while is_op(self.tokens.get(end), ".")
            && let Some(Token {
                kind: Tok::Name(part),
                ..
            }) = self.tokens.get(end + 1)
        {
            len += 1 + part.len();
            end += 2;
        }
        let mut dotted = String::with_capacity(len);
        dotted.push_str(first);
        for pair in self.tokens[self.pos..end].chunks_exact(2) {
            if let Tok::Name(part) = pair[1].kind {
                dotted.push('.');
                dotted.push_str(part);
            }
        }
        self.pos = end;
        dotted
    }

    fn atom(&mut self) -> Expr {
        let line = self.line();
        let Some(token) = self.peek() else {
            return Expr::new(line, ExprKind::Other(Vec::new()));
        };
        self.pos += 1;
        match &token.kind {
            Tok::Name(n) => match *n {
                "True" => Expr::new(line, ExprKind::Bool(true)),
                "False" => Expr::new(line, ExprKind::Bool(false)),
                "None" => Expr::new(line, ExprKind::None),
                _ => Expr::new(line, ExprKind::Name(self.dotted_from(n))),
            },
            Tok::Number(n) => Expr::new(line, ExprKind::Number((*n).to_owned())),
            Tok::Str { value, f } => {
                let mut value = value.as_ref().to_owned();
                let mut f = *f;
                // Adjacent literals concatenate.
                while let Some(Token {
                    kind:
                        Tok::Str {
                            value: more,
                            f: more_f,
                        },
                    ..
                }) = self.peek()
                {
                    value.push_str(more);
                    f |= *more_f;
                    self.pos += 1;
                }
                Expr::new(line, ExprKind::Str { value, f })
            }
            Tok::Op(op) => match *op {
                "(" => {
                    let items = self.bracket_items(")");
                    let trailing_comma = self.pos >= 2 && is_op(self.tokens.get(self.pos - 2), ",");
                    if items.len() == 1 && !trailing_comma {
                        items
                            .into_iter()
                            .next()
                            .unwrap_or(Expr::new(line, ExprKind::None))
                    } else {
                        Expr::new(line, ExprKind::Tuple(items))
                    }
                }
                "[" => Expr::new(line, ExprKind::List(self.bracket_items("]"))),
                "{" => self.brace_display(line),
                "..." => Expr::new(line, ExprKind::Other(Vec::new())),
                _ => {
                    // Not an expression start: step back so callers can see it.
                    self.pos -= 1;
                    Expr::new(line, ExprKind::Other(Vec::new()))
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(source: &str) -> Stmt {
        let module = Module::parse(source);
        assert_eq!(module.stmts.len(), 1, "{:#?}", module.stmts);
        module.stmts.into_iter().next().unwrap()
    }

    fn assigned(source: &str) -> (String, Expr) {
        match one(source).kind {
            StmtKind::Assign { targets, value, .. } => {
                (targets[0].dotted().unwrap_or("?").to_owned(), value)
            }
            other => panic!("not an assignment: {other:?}"),
        }
    }

    #[test]
    fn logical_lines_join_brackets_and_skip_comments() {
        let lines = logical_lines(
            "A = [\n  'x',  # comment with = sign\n  'y',\n]\n# only a comment\nB = 1 \\\n  + 2\n",
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 1);
        assert_eq!(lines[1].line, 6);
        assert!(
            lines[0]
                .tokens
                .iter()
                .all(|t| !matches!(&t.kind, Tok::Str{value, ..} if value.contains("comment")))
        );
    }

    #[test]
    fn strings_of_every_kind() {
        let (_, value) = assigned("S = r'a\\b' \"c\" '''d\ne''' f\"{x}\" b'z'\n");
        assert_eq!(value.as_str(), Some("a\\bcd\ne{x}z"));
        let (_, value) = assigned("S = \"it\\'s # not a comment\"\n");
        assert_eq!(value.as_str(), Some("it's # not a comment"));
    }

    #[test]
    fn tokens_borrow_the_source_unless_a_string_has_escapes() {
        let lines = logical_lines("A = 'plain' + \"t\\u00e9\\n\" + r'\\d' + 'ok\n");
        let strings: Vec<_> = lines[0]
            .tokens
            .iter()
            .filter_map(|t| match &t.kind {
                Tok::Str { value, .. } => Some(value),
                _ => None,
            })
            .collect();
        assert!(matches!(strings[0], Cow::Borrowed("plain")));
        assert!(matches!(strings[1], Cow::Owned(v) if v == "t\\u00e9\n"));
        assert!(matches!(strings[2], Cow::Owned(v) if v == "\\d"));
        // Unterminated: what there is, up to the line end.
        assert!(matches!(strings[3], Cow::Borrowed("ok")));
        assert!(matches!(lines[0].tokens[0].kind, Tok::Name("A")));
    }

    #[test]
    fn multi_line_call_with_keywords() {
        let (name, value) =
            assigned("DEBUG = env.bool(\n    'DJANGO_DEBUG',\n    default=True,  # dev\n)\n");
        assert_eq!(name, "DEBUG");
        assert_eq!(value.call_name(), Some("env.bool"));
        assert_eq!(value.arg(0).and_then(Expr::as_str), Some("DJANGO_DEBUG"));
        assert_eq!(
            value.kwarg("default").map(|e| &e.kind),
            Some(&ExprKind::Bool(true))
        );
    }

    #[test]
    fn comparisons_and_boolean_operators() {
        let (_, value) =
            assigned("DEBUG = os.environ.get('D', 'False').lower() in ('1', 'true') or X\n");
        let ExprKind::BoolOp(op, values) = &value.kind else {
            panic!("{value:?}")
        };
        assert_eq!(*op, "or");
        assert!(matches!(&values[0].kind, ExprKind::Compare(_, op, _) if *op == "in"));
    }

    #[test]
    fn dicts_keep_element_lines() {
        let (_, value) = assigned("D = {\n  'default': {\n    'ENGINE': 'sqlite3',\n  }\n}\n");
        let ExprKind::Dict(pairs) = &value.kind else {
            panic!()
        };
        let ExprKind::Dict(inner) = &pairs[0].1.kind else {
            panic!()
        };
        assert_eq!(inner[0].1.line, 3);
    }

    #[test]
    fn compound_statements_and_blocks() {
        let module = Module::parse(
            "if __name__ == '__main__':\n    app.run(debug=True)\nx = 1\nclass S(BaseSettings):\n    debug: bool = True\n    name: str\n",
        );
        assert!(
            matches!(&module.stmts[0].kind, StmtKind::Block { keyword, .. } if *keyword == "if")
        );
        assert_eq!(module.body_of(0).len(), 1);
        assert!(
            matches!(&module.stmts[3].kind, StmtKind::Class { name, bases } if name == "S" && bases.len() == 1)
        );
        assert_eq!(module.body_of(3).len(), 2);
        assert!(matches!(&module.stmts[5].kind, StmtKind::Annotated { .. }));
        let inline = Module::parse("if x: y = 2\n");
        assert_eq!(inline.stmts.len(), 2);
        assert!(inline.stmts[1].indent > inline.stmts[0].indent);
    }

    #[test]
    fn imports_and_decorators() {
        let module = Module::parse(
            "from .base import *  # noqa\nimport os, sys\n@csrf_exempt\ndef view(r): pass\n",
        );
        assert!(
            matches!(&module.stmts[0].kind, StmtKind::Import { module, star: true, .. } if module == ".base")
        );
        assert!(
            matches!(&module.stmts[2].kind, StmtKind::Import { module, .. } if module == "sys")
        );
        assert!(
            matches!(&module.stmts[3].kind, StmtKind::Decorator(e) if e.dotted() == Some("csrf_exempt"))
        );
        assert!(matches!(&module.stmts[4].kind, StmtKind::Def { name } if name == "view"));
    }

    #[test]
    fn survives_garbage() {
        let module =
            Module::parse("x = (]\n)) = = 'unterminated\n\u{feff}ä = 1\nlambda: (yield)\n");
        assert!(!module.stmts.is_empty());
    }

    #[test]
    fn subscript_assignment_and_augmented() {
        match one("os.environ['X'] = '1'\n").kind {
            StmtKind::Assign { targets, .. } => {
                assert!(
                    matches!(&targets[0].kind, ExprKind::Subscript(base, _) if base.dotted() == Some("os.environ"))
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(one("MIDDLEWARE += ['x']\n").kind, StmtKind::Assign { op, .. } if op == "+=")
        );
    }

    #[test]
    fn an_over_deep_statement_is_skipped_and_the_rest_is_read() {
        let deep_list = format!("DEBUG = {}1{}\n", "[".repeat(1000), "]".repeat(1000));
        let nots = format!("x = {}True\n", "not ".repeat(10_000));
        let minus = format!("y = {}1\n", "-".repeat(10_000));
        let cond = format!("z = {}0\n", "1 if a else ".repeat(5_000));
        let inline = format!("{}pass\n", "if a: ".repeat(5_000));
        let source = format!("A = 1\n{deep_list}{nots}{minus}{cond}{inline}B = 2\n");
        // The walker's threads have 2 MiB stacks: parse on one like them.
        let module = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || Module::parse(&source))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(module.too_deep, [2, 3, 4, 5, 6]);
        let names: Vec<_> = module
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Assign { targets, .. } => targets[0].dotted().map(str::to_owned),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["A", "B"]);
        // Real nesting well below the limit still parses.
        let fine = Module::parse(&format!("C = {}1{}\n", "[".repeat(20), "]".repeat(20)));
        assert!(fine.too_deep.is_empty() && fine.stmts.len() == 1);
    }
}

//! `.env` files: a parser that follows python-dotenv's grammar (and reports
//! what it cannot read, with the line), a lossless merge that only ever
//! appends, and the atomic, private write of `.env`.

pub(crate) mod plan;

use std::path::Path;

use crate::fsutil::write_in;
use crate::secrets::SecretKind;
use crate::state::{SecretRecord, State, now_rfc3339};

pub use plan::{EnvPlan, plan, plan_with};

/// The mode `.env` gets on Unix: readable and writable by its owner only.
pub const ENV_MODE: u32 = 0o600;

/// One `KEY=value` binding of a `.env` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    /// The value as python-dotenv reads it: unquoted, escapes decoded,
    /// inline comment removed; empty for a bare `KEY`.
    pub value: String,
    /// The 1-based line the binding starts on.
    pub line: usize,
}

/// A statement of a `.env` file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EnvParseError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// Parses `.env` text with python-dotenv's grammar: `[export ]KEY=value`,
/// single- and double-quoted values (which may span lines), inline `# …`
/// comments after whitespace, `\n`, `\r\n` or `\r` line ends, a leading BOM.
///
/// Where python-dotenv would skip a statement with a warning, this reports it,
/// so nothing is merged into a file whose meaning is unclear.
pub fn parse(text: &str) -> Result<Vec<EnvEntry>, EnvParseError> {
    let mut reader = Reader::new(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut entries = Vec::new();
    loop {
        reader.skip_whitespace();
        if reader.at_end() {
            return Ok(entries);
        }
        let line = reader.line;
        let fail = |message: String| EnvParseError { line, message };
        if let Some((key, value)) = reader.binding().map_err(fail)? {
            entries.push(EnvEntry { key, value, line });
        }
    }
}

/// A cursor over `.env` text that counts lines as it goes.
struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Moves past `len` bytes, counting the line ends in them.
    fn advance(&mut self, len: usize) {
        let taken = &self.rest()[..len];
        self.line += line_ends(taken);
        self.pos += len;
    }

    /// Moves past the longest prefix whose chars satisfy `keep`; returns it.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c| !keep(c)).unwrap_or(rest.len());
        self.advance(len);
        &rest[..len]
    }

    /// Whitespace and blank lines between statements.
    fn skip_whitespace(&mut self) {
        self.take_while(char::is_whitespace);
    }

    /// Spaces and tabs, not line ends.
    fn skip_blanks(&mut self) -> usize {
        self.take_while(is_blank).len()
    }

    /// One statement: a comment (`None`) or a binding.
    fn binding(&mut self) -> Result<Option<(String, String)>, String> {
        if self.rest().starts_with("export") {
            let after = &self.rest()["export".len()..];
            if after.starts_with(is_blank) {
                self.advance("export".len());
                self.skip_blanks();
            }
        }
        if self.peek() == Some('#') {
            self.take_while(|c| !is_line_end(c));
            self.end_of_line()
                .map_err(|()| "unexpected text after a comment".to_owned())?;
            return Ok(None);
        }
        let key = self.key()?;
        self.skip_blanks();
        let has_equals = self.peek() == Some('=');
        let value = if has_equals {
            self.advance(1);
            let spaced = self.skip_blanks() > 0;
            if spaced && self.peek() == Some('#') {
                String::new()
            } else {
                self.value()?
            }
        } else {
            String::new()
        };
        self.skip_comment();
        // The text itself stays out of the message: it may be part of a secret.
        self.end_of_line().map_err(|()| {
            if has_equals {
                format!(
                    "unexpected text after the value of `{key}` (a value with spaces \
                     needs quotes around all of it)"
                )
            } else {
                // Without `=` the first word may be a pasted secret, not a name.
                "text without `=`; expected `KEY=value`".to_owned()
            }
        })?;
        Ok(Some((key, value)))
    }

    fn key(&mut self) -> Result<String, String> {
        if self.peek() == Some('\'') {
            let inner = &self.rest()[1..];
            let Some(end) = inner.find('\'').filter(|&end| end > 0) else {
                return Err("a quoted variable name is not closed".into());
            };
            let key = inner[..end].to_owned();
            self.advance(end + 2);
            return Ok(key);
        }
        let key = self.take_while(|c| c != '=' && c != '#' && !c.is_whitespace());
        if key.is_empty() {
            return Err("expected a variable name before `=`".into());
        }
        Ok(key.to_owned())
    }

    fn value(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(quote @ ('\'' | '"')) => self.quoted_value(quote),
            None | Some('\n' | '\r') => Ok(String::new()),
            Some(_) => {
                let raw = self.take_while(|c| !is_line_end(c));
                Ok(strip_inline_comment(raw).trim_end().to_owned())
            }
        }
    }

    /// A quoted value: a backslash escapes the next char; it may span lines.
    fn quoted_value(&mut self, quote: char) -> Result<String, String> {
        let inner = &self.rest()[1..];
        let mut chars = inner.char_indices();
        let mut end = None;
        while let Some((index, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            } else if c == quote {
                end = Some(index);
                break;
            }
        }
        let Some(end) = end else {
            let kind = if quote == '"' { "double" } else { "single" };
            return Err(format!("a {kind}-quoted value is never closed"));
        };
        // Python reads files with universal newlines, so a line end inside
        // quotes is `\n` to python-dotenv whatever the file holds.
        let raw = inner[..end].replace("\r\n", "\n").replace('\r', "\n");
        self.advance(end + 2);
        Ok(decode_escapes(&raw, quote))
    }

    fn skip_comment(&mut self) {
        let rest = self.rest();
        let blanks = rest.len() - rest.trim_start_matches(is_blank).len();
        if rest[blanks..].starts_with('#') {
            self.take_while(|c| !is_line_end(c));
        }
    }

    /// Trailing blanks and the line end (or the end of the text).
    fn end_of_line(&mut self) -> Result<(), ()> {
        self.skip_blanks();
        let rest = self.rest();
        if rest.is_empty() {
            return Ok(());
        }
        if rest.starts_with("\r\n") {
            self.advance(2);
        } else if rest.starts_with(is_line_end) {
            self.advance(1);
        } else {
            return Err(());
        }
        Ok(())
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() && !is_line_end(c)
}

fn is_line_end(c: char) -> bool {
    c == '\n' || c == '\r'
}

/// How many line ends (`\r\n`, `\n` or a lone `\r`) `text` holds.
fn line_ends(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

/// An unquoted value loses everything from whitespace followed by `#`.
fn strip_inline_comment(raw: &str) -> &str {
    let mut previous_blank = false;
    for (index, c) in raw.char_indices() {
        if c == '#' && previous_blank {
            return &raw[..index];
        }
        previous_blank = c.is_whitespace();
    }
    raw
}

/// python-dotenv's escapes: in double quotes `\\ \' \" \a \b \f \n \r \t \v`,
/// in single quotes only `\\` and `\'`. Others stay as written.
fn decode_escapes(raw: &str, quote: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match (quote, chars.peek()) {
            (_, Some('\\')) => Some('\\'),
            (_, Some('\'')) => Some('\''),
            ('"', Some('"')) => Some('"'),
            ('"', Some('a')) => Some('\u{7}'),
            ('"', Some('b')) => Some('\u{8}'),
            ('"', Some('f')) => Some('\u{c}'),
            ('"', Some('n')) => Some('\n'),
            ('"', Some('r')) => Some('\r'),
            ('"', Some('t')) => Some('\t'),
            ('"', Some('v')) => Some('\u{b}'),
            _ => None,
        };
        match decoded {
            Some(decoded) => {
                out.push(decoded);
                chars.next();
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A key to append, with an optional one-line comment above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub key: String,
    pub value: String,
    pub comment: Option<String>,
    /// Written commented out (`# KEY=value`): an optional variable shown with
    /// its default, which a copy of the file leaves to the app.
    pub commented: bool,
}

/// Appends `additions` to `existing` in a block headed `# {heading}`.
///
/// `existing` stays an exact prefix of the result: comments, blank lines,
/// order, quoting, CRLF line ends; a missing final newline is added before
/// the block. The block uses the file's own line ends. With no additions,
/// `existing` comes back unchanged.
pub fn merge(existing: &str, additions: &[(String, String)], heading: &str) -> String {
    let entries: Vec<NewEntry> = additions
        .iter()
        .map(|(key, value)| NewEntry {
            key: key.clone(),
            value: value.clone(),
            comment: None,
            commented: false,
        })
        .collect();
    merge_entries(existing, &entries, heading)
}

/// [`merge`] with a comment line above each key that has one. Each commented
/// key is its own blank-line-separated paragraph, so dotenv-linter's
/// per-group key order holds whatever the order of the keys.
pub fn merge_entries(existing: &str, additions: &[NewEntry], heading: &str) -> String {
    if additions.is_empty() {
        return existing.to_owned();
    }
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = existing.to_owned();
    if !out.is_empty() && !out.ends_with(is_line_end) {
        out.push_str(eol);
    }
    if !out.is_empty() && !ends_with_blank_line(&out) {
        out.push_str(eol);
    }
    push_comment(&mut out, heading, eol);
    let mut previous_commented = true;
    for entry in additions {
        if let Some(comment) = &entry.comment {
            out.push_str(eol);
            push_comment(&mut out, comment, eol);
        } else if previous_commented {
            out.push_str(eol);
        }
        previous_commented = entry.comment.is_some();
        if entry.commented {
            out.push_str("# ");
        }
        out.push_str(&entry.key);
        out.push('=');
        out.push_str(&format_value(&entry.value));
        out.push_str(eol);
    }
    out
}

/// Whether the last line of `text` (which ends with a line end) is blank.
fn ends_with_blank_line(text: &str) -> bool {
    let without_end = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .or_else(|| text.strip_suffix('\r'));
    without_end.is_some_and(|rest| {
        rest.rsplit(is_line_end)
            .next()
            .unwrap_or("")
            .trim()
            .is_empty()
    })
}

fn push_comment(out: &mut String, comment: &str, eol: &str) {
    let one_line: String = comment
        .chars()
        .map(|c| if is_line_end(c) { ' ' } else { c })
        .collect();
    out.push_str("# ");
    out.push_str(one_line.trim());
    out.push_str(eol);
}

/// A value as written: bare when every dialect reads it literally, else
/// double-quoted with `\` and `"` escaped and line ends as `\n`.
pub fn format_value(value: &str) -> String {
    let bare = value.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | '=' | ',' | ':' | '/' | '@' | '+')
    });
    if bare {
        return value.to_owned();
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Writes `contents` to `root/.env` atomically (temp file, fsync, rename),
/// through a symlink to its target, with mode `0600` on Unix — or the file's
/// own mode when that is stricter already.
pub fn write_env(root: &Path, contents: &str) -> anyhow::Result<()> {
    let path = root.join(".env");
    let mode = match current_mode(&path) {
        Some(mode) if mode & !ENV_MODE == 0 => mode,
        _ => ENV_MODE,
    };
    write_in(root, &path, contents.as_bytes(), Some(mode))
}

#[cfg(unix)]
fn current_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|meta| meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn current_mode(_path: &Path) -> Option<u32> {
    None
}

/// Records in the state file *that* each secret was generated into `.env`,
/// of which kind and when — never its value — so rotation can be tracked.
pub fn record_generated(state: &mut State, generated: &[(String, SecretKind)]) {
    let at = now_rfc3339();
    for (var, kind) in generated {
        state.secrets.insert(
            var.clone(),
            SecretRecord {
                kind: kind.as_str().to_owned(),
                file: ".env".to_owned(),
                generated_at: at.clone(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value))
            .collect()
    }

    fn pair(key: &str, value: &str) -> (String, String) {
        (key.to_owned(), value.to_owned())
    }

    #[test]
    fn parses_what_python_dotenv_reads() {
        let text = "\u{feff}# comment\n\nexport A=1\nB = two words # note\nC='single # kept'\n\
                    D=\"line\\nbreak \\\"q\\\"\"\nE=\nF= # only a comment\nG=#not-a-comment\n\
                    H\n'I'=quoted key\r\nJ=\"multi\nline\"\n";
        assert_eq!(
            pairs(text),
            [
                pair("A", "1"),
                pair("B", "two words"),
                pair("C", "single # kept"),
                pair("D", "line\nbreak \"q\""),
                pair("E", ""),
                pair("F", ""),
                pair("G", "#not-a-comment"),
                pair("H", ""),
                pair("I", "quoted key"),
                pair("J", "multi\nline"),
            ]
        );
    }

    #[test]
    fn counts_lines_across_crlf_and_multiline_values() {
        let lines: Vec<usize> = parse("A=1\r\n\r\nB=\"x\ny\"\rC=3")
            .unwrap()
            .into_iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, [1, 3, 5]);
    }

    #[test]
    fn reports_unreadable_statements_with_their_line() {
        let cases = [
            (
                "A=1\nnot valid at all\n",
                2,
                "text without `=`; expected `KEY=value`",
            ),
            (
                "A=1\n\nB=\"open\n",
                3,
                "double-quoted value is never closed",
            ),
            ("C='x' y\n", 1, "unexpected text after the value of `C`"),
            ("=value\n", 1, "expected a variable name"),
        ];
        for (text, line, message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains(message), "{text:?}: {err}");
            assert!(err.to_string().starts_with(&format!("line {line}: ")));
        }
    }

    #[test]
    fn an_error_never_quotes_a_word_that_may_be_a_secret() {
        for text in [
            "sk_live_51HxYzPastedToken extra\n",
            "# keys\nsk_live_51HxYzPastedToken more words\n",
            "A=1\nsk_live_51HxYzPastedToken\tsecond\n",
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(!err.contains("PastedToken"), "{text:?}: {err}");
        }
    }

    #[test]
    fn merge_appends_a_labelled_block() {
        let merged = merge(
            "A=1",
            &[pair("B", "2"), pair("C", "3")],
            "Added by preflight",
        );
        assert_eq!(merged, "A=1\n\n# Added by preflight\n\nB=2\nC=3\n");
        let merged = merge("A=1\r\n", &[pair("B", "2")], "h");
        assert_eq!(merged, "A=1\r\n\r\n# h\r\n\r\nB=2\r\n");
        assert_eq!(merge("", &[pair("B", "2")], "h"), "# h\n\nB=2\n");
        assert_eq!(
            merge("A=1\n\n", &[pair("B", "2")], "h"),
            "A=1\n\n# h\n\nB=2\n"
        );
        assert_eq!(merge("A=1\n", &[], "h"), "A=1\n");
    }

    #[test]
    fn merge_entries_comments_each_key() {
        let entries = [
            NewEntry {
                key: "Z".into(),
                value: "1".into(),
                comment: Some("last letter".into()),
                commented: false,
            },
            NewEntry {
                key: "A".into(),
                value: "two words".into(),
                comment: Some("first\nletter".into()),
                commented: false,
            },
        ];
        assert_eq!(
            merge_entries("", &entries, "h"),
            "# h\n\n# last letter\nZ=1\n\n# first letter\nA=\"two words\"\n"
        );
    }

    #[test]
    fn values_are_bare_when_safe_and_quoted_otherwise() {
        assert_eq!(
            format_value("https://a.com,b.example.com"),
            "https://a.com,b.example.com"
        );
        assert_eq!(format_value("a b"), "\"a b\"");
        assert_eq!(format_value("x\"y\\z\n"), "\"x\\\"y\\\\z\\n\"");
        for value in ["a b", "x\"y\\z\nw", "#hash", "it's"] {
            let text = format!("K={}\n", format_value(value));
            assert_eq!(pairs(&text), [pair("K", value)], "{text}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn write_env_is_private_and_keeps_a_stricter_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_env(dir.path(), "A=1\nB=2\n").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        write_env(dir.path(), "A=1\nB=3\n").unwrap();
        assert_eq!(mode(&path), 0o400);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "A=1\nB=3\n");
    }

    #[test]
    fn records_that_a_secret_was_generated_but_not_its_value() {
        let mut state = State::default();
        record_generated(
            &mut state,
            &[("DJANGO_SECRET_KEY".into(), SecretKind::Django)],
        );
        let record = &state.secrets["DJANGO_SECRET_KEY"];
        assert_eq!(record.kind, "django");
        assert_eq!(record.file, ".env");
        assert!(record.generated_at.ends_with('Z'));
    }

    /// Lines a real `.env` might hold, including awkward ones.
    fn env_line() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Z_]{1,8}=[a-z0-9 #'\"]{0,12}",
            "# [ -~]{0,20}",
            Just(String::new()),
            "[ \t]{0,3}",
            "export [A-Z]{1,4}='[^']{0,8}'",
            "[A-Z]{1,4}=\"[^\"\\\\]{0,8}\"",
            any::<String>(),
        ]
    }

    fn env_text() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(env_line(), 0..8),
            prop_oneof![Just("\n"), Just("\r\n")],
            any::<bool>(),
        )
            .prop_map(|(lines, eol, final_eol)| {
                let mut text = lines.join(eol);
                if final_eol && !text.is_empty() {
                    text.push_str(eol);
                }
                text
            })
    }

    proptest! {
        #[test]
        fn merge_keeps_existing_as_a_byte_prefix(
            existing in env_text(),
            keys in prop::collection::vec("[A-Z][A-Z0-9_]{0,10}", 1..5),
            value in "[A-Za-z0-9_-]{0,50}",
        ) {
            let additions: Vec<(String, String)> =
                keys.iter().map(|k| (k.clone(), value.clone())).collect();
            let merged = merge(&existing, &additions, "Added by preflight");
            prop_assert!(merged.as_bytes().starts_with(existing.as_bytes()));
            // When the old text parses, the merged text parses too, to the
            // old bindings followed by the new ones.
            if let Ok(old) = parse(&existing) {
                let new = parse(&merged).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&new[..old.len()], &old[..]);
                let appended: Vec<(String, String)> =
                    new[old.len()..].iter().map(|e| (e.key.clone(), e.value.clone())).collect();
                prop_assert_eq!(appended, additions);
            }
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }
    }
}

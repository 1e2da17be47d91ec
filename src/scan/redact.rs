//! The one redactor: every piece of evidence, every report and every diff
//! goes through it, so no secret is printed or stored where the user did not
//! ask for it.
//!
//! It cuts, whatever the quoting (escaped quotes, triple quotes) or case:
//! - known key shapes: Stripe, OpenAI, Anthropic, GitHub, GitLab, AWS access
//!   keys, Slack tokens and webhooks, Google API keys, JWTs, `Bearer` tokens,
//!   and the body of a private-key block;
//! - URL userinfo: `scheme://user:password@host` and `http://TOKEN@host`;
//! - any string literal (or `KEY=value` / `KEY: value`) on a line that names a
//!   secret (`SECRET`, `KEY`, `TOKEN`, `PASSWORD`, `AUTH`, …), except the
//!   names of variables read from the environment (`environ["STRIPE_KEY"]`);
//! - high-entropy tokens (random-looking runs of 20 characters or more).
//!
//! A cut value keeps a short prefix (`sk_live_…`), enough to recognise it.

use std::fmt::Write as _;

/// How much of a secret value stays visible.
fn visible(len: usize) -> usize {
    (len / 4).min(12)
}

/// Words in a name whose values are secrets.
const SECRET_WORDS: &[&str] = &[
    "SECRET",
    "KEY",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "PWD",
    "CREDENTIAL",
    "PRIVATE",
    "DSN",
    "AUTH",
    "BEARER",
    "COOKIE",
    "SIGNATURE",
    "SALT",
];

/// Whether `text` names a secret, in any case.
fn is_secret_context(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// Prefixes of keys with a known shape, and how many characters must follow
/// the prefix for it to be a key.
const KEY_PREFIXES: &[(&str, usize)] = &[
    ("sk_live_", 8),
    ("sk_test_", 8),
    ("rk_live_", 8),
    ("rk_test_", 8),
    ("whsec_", 8),
    ("sk-ant-", 8),
    ("sk-proj-", 8),
    ("sk-svcacct-", 8),
    ("sk-admin-", 8),
    ("sk-", 20),
    ("ghp_", 16),
    ("gho_", 16),
    ("ghu_", 16),
    ("ghs_", 16),
    ("ghr_", 16),
    ("github_pat_", 16),
    ("glpat-", 16),
    ("xoxb-", 8),
    ("xoxp-", 8),
    ("xoxa-", 8),
    ("xoxr-", 8),
    ("xoxs-", 8),
    ("xapp-", 8),
    ("AIza", 30),
    ("hf_", 20),
    ("npm_", 20),
];

/// Shortens a secret value to a recognisable prefix and an ellipsis.
fn cut(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep: String = chars[..visible(chars.len())].iter().collect();
    format!("{keep}…")
}

/// Whether a value has the shape of a real key: a known format (`sk_live_…`,
/// `ghp_…`, an AWS access key id, a JWT, a private key's header), a
/// random-looking token, or a long run of high entropy (Django's generated
/// `SECRET_KEY`, with its punctuation). The scanner asks this of a secret's
/// value in a committed env template, where anything else is a placeholder.
pub fn looks_like_key(value: &str) -> bool {
    value.contains("-----BEGIN")
        || mask_token(value).is_some()
        || (value.chars().count() >= 32 && shannon(value) >= 4.4)
}

/// Redacts one line of evidence (or any single line of output).
pub fn redact(line: &str) -> String {
    let mut in_key = false;
    redact_line(line, &mut in_key)
}

/// Redacts a whole text line by line; the lines inside a private-key block
/// are hidden whole.
pub fn redact_text(text: &str) -> String {
    let mut in_key = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        out.push_str(&redact_line(body, &mut in_key));
        out.push_str(&line[body.len()..]);
    }
    out
}

/// [`redact`] with the private-key-block state carried between lines.
fn redact_line(line: &str, in_key: &mut bool) -> String {
    let line = private_key_blocks(line, in_key);
    let line = redact_url_passwords(&line);
    let line = if is_secret_context(&line) {
        redact_secret_values(&line)
    } else {
        line
    };
    redact_tokens(&line)
}

/// Hides the body of `-----BEGIN … PRIVATE KEY-----` blocks, on this line and
/// (through `in_key`) on the lines after it until the `-----END` line.
fn private_key_blocks(line: &str, in_key: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_key {
            let Some(end) = rest.find("-----END") else {
                if !rest.is_empty() {
                    out.push('…');
                }
                return out;
            };
            if end > 0 {
                out.push('…');
            }
            *in_key = false;
            rest = &rest[end..];
        }
        let Some(begin) = rest.find("-----BEGIN") else {
            out.push_str(rest);
            return out;
        };
        let after_begin = &rest[begin..];
        let header_end = after_begin[10..]
            .find("-----")
            .map_or(after_begin.len(), |at| at + 10 + 5);
        let header = &after_begin[..header_end];
        out.push_str(&rest[..begin]);
        out.push_str(header);
        rest = &after_begin[header_end..];
        if header.to_ascii_uppercase().contains("PRIVATE KEY") {
            *in_key = true;
        }
    }
}

/// Masks userinfo in URLs: `scheme://user:password@host` →
/// `scheme://user:****@host`, and a token alone (`http://TOKEN@host`) →
/// `http://****@host`. A plain user name (`ssh://git@host`) stays.
pub fn redact_url_passwords(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(['/', ' ', '\'', '"', '?', '#', '\\', '`', '<', '>', ')'])
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                match userinfo.split_once(':') {
                    Some((user, _)) => {
                        out.push_str(user);
                        out.push_str(":****");
                    }
                    None if is_plain_user(userinfo) => out.push_str(userinfo),
                    None => out.push_str("****"),
                }
                out.push('@');
                out.push_str(host);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// A user name, not a token: short, lowercase, no digits run.
fn is_plain_user(userinfo: &str) -> bool {
    !userinfo.is_empty()
        && userinfo.len() <= 16
        && userinfo
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && userinfo
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'))
        && userinfo.chars().filter(char::is_ascii_digit).count() <= 4
}

/// On a line that names a secret: cuts its string literals (except names
/// read from the environment) and the value of `KEY=value` / `KEY: value`.
fn redact_secret_values(line: &str) -> String {
    if let Some(redacted) = redact_string_literals(line) {
        return redacted;
    }
    // `KEY=value` (env files) or `KEY: value` (YAML, headers).
    if let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(": "))
        && is_secret_context(key)
    {
        let trimmed = value.trim();
        if trimmed.chars().count() >= 4 && !trimmed.contains('…') && !is_env_reference(trimmed) {
            let sep = if line.len() > key.len() && line.as_bytes()[key.len()] == b'=' {
                "="
            } else {
                ": "
            };
            return format!("{key}{sep}{}", cut(trimmed));
        }
    }
    line.to_owned()
}

/// `${NAME}` or `$NAME`: a reference to another variable, not a value.
fn is_env_reference(value: &str) -> bool {
    let name = value
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
        .or_else(|| value.strip_prefix('$'));
    name.is_some_and(|name| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// One string literal found in a line: where its text starts and ends (the
/// quotes excluded) and where the literal ends (the closing quote included).
struct Literal {
    open: usize,
    start: usize,
    end: usize,
    close_end: usize,
}

/// The string literals in `line`, escaped quotes and triple quotes honoured.
/// An unterminated literal runs to the end of the line.
fn literals(line: &str) -> Vec<Literal> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let quote = bytes[i];
        if quote != b'"' && quote != b'\'' && quote != b'`' {
            i += 1;
            continue;
        }
        let triple = bytes.len() >= i + 3 && bytes[i + 1] == quote && bytes[i + 2] == quote;
        let width = if triple { 3 } else { 1 };
        let start = i + width;
        let mut j = start;
        let mut end = None;
        while j < bytes.len() {
            if bytes[j] == b'\\' {
                j += 2;
                continue;
            }
            if bytes[j] == quote
                && (!triple
                    || (bytes.len() >= j + 3 && bytes[j + 1] == quote && bytes[j + 2] == quote))
            {
                end = Some(j);
                break;
            }
            j += 1;
        }
        let (end, close_end) = match end {
            Some(end) => (end, end + width),
            None => (bytes.len(), bytes.len()),
        };
        found.push(Literal {
            open: i,
            start,
            end: end.min(bytes.len()),
            close_end: close_end.min(bytes.len()),
        });
        i = close_end.max(i + 1);
    }
    found
}

/// Whether a literal is the name of an environment variable being read:
/// `environ["STRIPE_KEY"]`, `getenv("API_TOKEN", …)`, `config("SECRET_KEY")`.
fn is_env_name(line: &str, literal: &Literal) -> bool {
    let value = &line[literal.start..literal.end];
    let is_name = value.len() >= 2
        && value.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !is_name {
        return false;
    }
    let before = line[..literal.open].trim_end();
    let after = line[literal.close_end..].trim_start();
    (before.ends_with('[') && after.starts_with(']'))
        || (before.ends_with('(') && (after.starts_with(')') || after.starts_with(',')))
}

/// Cuts every string literal on the line that is not an environment name and
/// is four characters or more; `None` when nothing changed.
fn redact_string_literals(line: &str) -> Option<String> {
    let found = literals(line);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut changed = false;
    for literal in &found {
        let value = &line[literal.start..literal.end];
        out.push_str(&line[last..literal.start]);
        if value.chars().count() >= 4 && !is_env_name(line, literal) && !value.contains('…') {
            out.push_str(&cut(value));
            changed = true;
        } else {
            out.push_str(value);
        }
        last = literal.end;
    }
    out.push_str(&line[last..]);
    changed.then_some(out)
}

/// Whether `c` can be part of a token (a key, base64, a JWT).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '.')
}

/// Cuts key shapes and high-entropy tokens anywhere in the line.
fn redact_tokens(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.char_indices().peekable();
    let mut bearer_next = false;
    while let Some(&(start, c)) = chars.peek() {
        if !is_token_char(c) {
            out.push(c);
            chars.next();
            if !c.is_whitespace() {
                bearer_next = false;
            }
            continue;
        }
        let mut end = start;
        while let Some(&(at, c)) = chars.peek() {
            if !is_token_char(c) {
                break;
            }
            end = at + c.len_utf8();
            chars.next();
        }
        // Base64 padding belongs to the token.
        while let Some(&(at, '=')) = chars.peek() {
            end = at + 1;
            chars.next();
        }
        let token = &line[start..end];
        let followed_by_cut = line[end..].starts_with('…');
        if followed_by_cut {
            out.push_str(token);
        } else if bearer_next && token.chars().count() >= 8 {
            out.push_str(&cut(token));
        } else if let Some(masked) = mask_token(token) {
            out.push_str(&masked);
        } else {
            out.push_str(token);
        }
        bearer_next = token.eq_ignore_ascii_case("bearer") || token.eq_ignore_ascii_case("token");
    }
    out
}

/// The masked form of a token that is a key, or `None`.
fn mask_token(token: &str) -> Option<String> {
    // A token inside a path or URL: look at each part after a `/` too.
    if token.contains('/') && !looks_random(token) {
        let mut changed = false;
        let parts: Vec<String> = token
            .split('/')
            .map(|part| match mask_token(part) {
                Some(masked) => {
                    changed = true;
                    masked
                }
                None => part.to_owned(),
            })
            .collect();
        if token.contains("hooks.slack.com/services/") {
            let at = token
                .find("services/")
                .map_or(0, |at| at + "services/".len());
            return Some(format!("{}…", &token[..at]));
        }
        return changed.then(|| parts.join("/"));
    }
    for (prefix, min) in KEY_PREFIXES {
        if let Some(rest) = token.strip_prefix(prefix)
            && rest.len() >= *min
        {
            return Some(format!("{prefix}…"));
        }
    }
    if let Some(masked) = aws_access_key(token) {
        return Some(masked);
    }
    if is_jwt(token) {
        return Some("eyJ…".to_owned());
    }
    looks_random(token).then(|| cut(token))
}

/// `AKIA…`/`ASIA…` followed by 16 upper-case letters and digits.
fn aws_access_key(token: &str) -> Option<String> {
    for prefix in ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"] {
        if let Some(rest) = token.strip_prefix(prefix)
            && rest.len() >= 16
            && rest
                .chars()
                .take(16)
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Some(format!("{prefix}…"));
        }
    }
    None
}

/// Three base64url segments, the first a JSON header (`eyJ`).
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[0].len() >= 10
        && parts[1].len() >= 4
        && parts.iter().all(|part| {
            part.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

/// A random-looking run: long, mixing letters and digits (and cases), with
/// high Shannon entropy. Words, paths and module names are not.
fn looks_random(token: &str) -> bool {
    let core = token.trim_end_matches('=');
    let len = core.chars().count();
    if len < 20 {
        return false;
    }
    let upper = core.chars().filter(char::is_ascii_uppercase).count();
    let lower = core.chars().filter(char::is_ascii_lowercase).count();
    let digits = core.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || upper + lower == 0 {
        return false;
    }
    // A dotted or slashed name of words (`config.settings.prod2`) is not random.
    let longest_word = core
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(str::len)
        .max()
        .unwrap_or(0);
    let mixed_case = upper > 0 && lower > 0;
    let entropy = shannon(core);
    if mixed_case {
        entropy >= 3.6 && longest_word < len / 2 + 2
    } else {
        // One case (hex, base32): longer, and denser in digits.
        len >= 32 && digits * 5 >= len && entropy >= 3.4
    }
}

/// Bits per character of `text`.
fn shannon(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0_u32;
    for c in text.chars() {
        *counts.entry(c).or_insert(0_u32) += 1;
        total += 1;
    }
    let total = f64::from(total);
    counts
        .values()
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// Escapes what a terminal would act on: C0 and C1 control characters (but
/// tab and newline), DEL, and the bidirectional overrides and isolates that
/// can make text read differently from what it is. Each becomes `\u{…}`.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes a name that comes from the project (a file path, a module, a
/// folder) for a line of text output: what [`escape_controls`] escapes, and
/// newlines and tabs too, so a file name can neither drive the terminal nor
/// forge a line of output (`x\nerror: forged.py`).
pub fn escape_name(text: &str) -> String {
    if !text
        .chars()
        .any(|c| needs_escape(c) || c == '\n' || c == '\t')
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) || c == '\n' || c == '\t' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether [`escape_controls`] escapes `c`.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shapes_and_entropy_look_like_keys_and_words_do_not() {
        assert!(looks_like_key("sk_live_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(looks_like_key(
            "k#9vq2!m@x7zr$e4w&p1t^y8u*c3n(b6j)h0l-g5d_s+f=a"
        ));
        assert!(looks_like_key("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert!(!looks_like_key("changeme"));
        assert!(!looks_like_key(
            "please-set-this-to-a-long-random-string-in-production"
        ));
        assert!(!looks_like_key("postgres"));
    }

    #[test]
    fn names_cannot_drive_the_terminal_or_forge_a_line() {
        assert_eq!(escape_name("config/settings.py"), "config/settings.py");
        assert_eq!(
            escape_name("x\u{1b}]0;owned\u{7}\nerror: forged.py"),
            "x\\u{1b}]0;owned\\u{7}\\u{a}error: forged.py"
        );
        assert_eq!(escape_name("a\tb\u{202e}c"), "a\\u{9}b\\u{202e}c");
    }

    #[test]
    fn redacts_secret_literals() {
        assert_eq!(
            redact(
                "SECRET_KEY = 'django-insecure-(#ln-$09quh$9crmi26+)5nb#_c(1k#+&a&gsa_i1s6f_mocgu'"
            ),
            "SECRET_KEY = 'django-insec…'"
        );
        assert_eq!(redact("DEBUG = True"), "DEBUG = True");
        assert_eq!(
            redact("SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'"),
            "SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard …'"
        );
        assert_eq!(
            redact("NEXT_PUBLIC_OPENAI_API_KEY=sk-FAKE-fixture-key-not-real-0000000000000000"),
            "NEXT_PUBLIC_OPENAI_API_KEY=sk-FAKE-fix…"
        );
        assert_eq!(
            redact("x = 'postgres://app:hunter2@db:5432/x'"),
            "x = 'postgres://app:****@db:5432/x'"
        );
        assert_eq!(redact("ALLOWED_HOSTS = ['*']"), "ALLOWED_HOSTS = ['*']");
    }

    /// Shapes that must never survive, each as the whole secret.
    const SHAPES: &[&str] = &[
        "sk_live_51HxQwErTyUiOpAsDfGhJkLzXcVbNm",
        "rk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
        "AKIAIOSFODNN7EXAMPLE",
        "xoxb-2048-4096-AbCdEfGhIjKlMnOp",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ];

    #[test]
    fn known_shapes_are_cut_wherever_they_stand() {
        for shape in SHAPES {
            for line in [
                format!("print(\"k\", \"{shape}\")"),
                format!("client = make({shape})"),
                format!("value: {shape}"),
                format!("x = '{shape}'"),
            ] {
                let out = redact(&line);
                assert!(!out.contains(shape), "{line} -> {out}");
                assert!(!out.contains(&shape[shape.len() - 8..]), "{line} -> {out}");
            }
        }
    }

    #[test]
    fn escaped_quotes_caps_and_userinfo_do_not_defeat_it() {
        let out = redact(r#"API_KEY = "abc\"LEAKLEAKLEAK-this-is-secret""#);
        assert!(
            !out.contains("LEAKLEAK") && !out.contains("secret\""),
            "{out}"
        );
        let out = redact(r#"os.environ["STRIPE_API_KEY"] = "ABCDEFGHIJKLMNOPQRST""#);
        assert!(out.contains("\"STRIPE_API_KEY\""), "the name stays: {out}");
        assert!(!out.contains("KLMNOPQRST"), "{out}");
        let out = redact("TOKEN=ABCDEFGHIJKLMNOPQRST");
        assert!(!out.contains("KLMNOPQRST"), "{out}");
        assert_eq!(
            redact("r = get('http://ghp_16C7e42F292c6912E7710c838347Ae178B4a@api.github.com/x')"),
            "r = get('http://****@api.github.com/x')"
        );
        assert_eq!(
            redact("git clone ssh://git@github.com/a/b"),
            "git clone ssh://git@github.com/a/b"
        );
        let out = redact("headers = {'X': 'Bearer abcdefghijklmnopqrstuvwx'}");
        assert!(!out.contains("mnopqrstuvwx"), "{out}");
        let out = redact("password = '''very long secret value'''");
        assert!(!out.contains("secret value"), "{out}");
        assert!(
            redact("pw = os.getenv('DB_PASSWORD', 'fallback-hunter2')").contains("'DB_PASSWORD'")
        );
        assert!(!redact("pw = os.getenv('DB_PASSWORD', 'fallback-hunter2')").contains("hunter2"));
    }

    #[test]
    fn private_key_blocks_are_hidden() {
        let text = "key = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1234567890abcdef\nQWERTY\n-----END RSA PRIVATE KEY-----\"\"\"\nDEBUG = False\n";
        let out = redact_text(text);
        assert!(
            !out.contains("MIIEpAIBAAKCAQEA") && !out.contains("QWERTY"),
            "{out}"
        );
        let plain = redact_text(
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
        );
        assert_eq!(
            plain,
            "-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n"
        );
        assert!(out.contains("DEBUG = False"), "{out}");
        let one = redact(
            "K = '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----'",
        );
        assert!(!one.contains("MIIEvQIBADAN"), "{one}");
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        for line in [
            "DEBUG = True",
            "ALLOWED_HOSTS = ['api.example.com', 'www.example.com']",
            "DJANGO_SETTINGS_MODULE=config.settings.production2024",
            "path('api/v1/orders/<int:pk>/', views.order_detail)",
            "INSTALLED_APPS = ['django.contrib.admin', 'rest_framework']",
            "print(f\"user {user_id} logged in\")",
            "SECURE_HSTS_SECONDS = 31536000",
            "url = 'https://api.example.com/v1/items?page=2'",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(
            escape_controls("evil\u{202e}txt.exe"),
            "evil\\u{202e}txt.exe"
        );
        assert_eq!(escape_controls("plain\ttext\n"), "plain\ttext\n");
    }
}

//! Evidence never shows a whole secret: string values of secret-looking
//! names, env-file values and URL passwords are cut short.

/// How much of a secret value stays visible.
fn visible(len: usize) -> usize {
    (len / 4).min(12)
}

/// Names whose values are secrets.
fn is_secret_context(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    [
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
    ]
    .iter()
    .any(|w| upper.contains(w))
}

/// Shortens a secret value to a recognisable prefix and an ellipsis. Names
/// of variables (`DJANGO_SECRET_KEY`) are not secrets and stay whole.
fn cut(value: &str) -> String {
    let is_name = value.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 6 || is_name {
        return value.to_owned();
    }
    let keep: String = chars[..visible(chars.len())].iter().collect();
    format!("{keep}…")
}

/// Redacts a line of evidence: secret string literals, `KEY=value` secrets
/// and passwords inside URLs.
pub fn redact(line: &str) -> String {
    let line = redact_url_passwords(line);
    if !is_secret_context(&line) {
        return line;
    }
    if let Some(redacted) = redact_string_literals(&line) {
        return redacted;
    }
    // `KEY=value` (env files) or `KEY: value` (YAML).
    if let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(": "))
        && is_secret_context(key)
        && !value.trim().is_empty()
    {
        return format!("{key}={}", cut(value.trim()));
    }
    line
}

/// Cuts every quoted string of six characters or more; `None` when the line has none.
fn redact_string_literals(line: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = line;
    let mut changed = false;
    while let Some(start) = rest.find(['\'', '"']) {
        let quote = rest[start..].chars().next()?;
        let Some(len) = rest[start + 1..].find(quote) else {
            break;
        };
        let value = &rest[start + 1..start + 1 + len];
        out.push_str(&rest[..=start]);
        let cut_value = cut(value);
        changed |= cut_value != value;
        out.push_str(&cut_value);
        out.push(quote);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Masks passwords in URLs: `scheme://user:password@host` → `scheme://user:****@host`.
pub fn redact_url_passwords(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(['/', ' ', '\'', '"', '?', '#'])
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority
            .rsplit_once('@')
            .and_then(|(userinfo, host)| userinfo.split_once(':').map(|(u, _)| (u, host)))
        {
            Some((user, host)) => {
                out.push_str(user);
                out.push_str(":****@");
                out.push_str(host);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

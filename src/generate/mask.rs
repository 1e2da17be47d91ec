//! Diffs of `.env` that never print a secret.

use crate::envfile;

/// Masks the values in a `.env` diff so it never prints a secret. Added lines
/// for generated secrets show `KEY=<generated: N chars>`, and any other added
/// value that embeds a generated secret (a `DATABASE_URL`) is hidden. Lines that
/// were already in the file show only their key: the user may keep secrets there.
pub fn mask_env_diff(diff: &str, old: &str, new: &str, generated: &[String]) -> String {
    let old_keys = existing_keys(old);
    let secret_values: Vec<String> = envfile::parse(new)
        .map(|entries| {
            entries
                .into_iter()
                .filter(|e| generated.contains(&e.key) && !e.value.is_empty())
                .map(|e| e.value)
                .collect()
        })
        .unwrap_or_default();
    let env_masker = EnvMasker {
        generated,
        old_keys: &old_keys,
        secret_values: &secret_values,
    };
    let mut out = String::with_capacity(diff.len());
    for line in diff.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let masked = if body.starts_with("+++") || body.starts_with("---") || body.starts_with("@@")
        {
            body.to_owned()
        } else {
            match body.chars().next() {
                Some(sign @ ('+' | '-' | ' ')) => env_masker.line(sign, &body[1..]),
                _ => body.to_owned(),
            }
        };
        out.push_str(&masked);
        out.push_str(&line[body.len()..]);
    }
    out
}

/// Every key the old `.env` sets: from the parser, and line by line as well,
/// so a BOM, a missing final newline or a line the parser refuses cannot make
/// an existing value look new (and be printed).
fn existing_keys(old: &str) -> Vec<String> {
    let old = old.strip_prefix('\u{feff}').unwrap_or(old);
    if let Ok(entries) = envfile::parse(old) {
        return entries.into_iter().map(|e| e.key).collect();
    }
    let mut keys = Vec::new();
    for line in old.lines() {
        let line = line.trim_start_matches('\u{feff}').trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if let Some((key, _)) = line.split_once('=') {
            let key = key.trim();
            if !key.is_empty() && !key.starts_with('#') && !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

/// `KEY=<kept: N chars>`: an existing value, by its length only.
fn kept(sign: char, prefix: &str, value: &str) -> String {
    let length = value.trim().trim_matches(['"', '\'']).chars().count();
    format!("{sign}{prefix}<kept: {length} chars>")
}

/// What [`mask_env_diff`] needs to know to mask one line.
struct EnvMasker<'a> {
    generated: &'a [String],
    old_keys: &'a [String],
    secret_values: &'a [String],
}

impl EnvMasker<'_> {
    /// One diff line (without its sign) with anything that may be secret masked.
    fn line(&self, sign: char, text: &str) -> String {
        let trimmed = text.trim_start();
        if trimmed.is_empty() {
            return format!("{sign}{text}");
        }
        if trimmed.starts_with('#') {
            // A commented-out old value is still a value.
            return if sign == '+' || !trimmed.contains('=') {
                format!("{sign}{text}")
            } else {
                format!("{sign}# <comment hidden>")
            };
        }
        let assignment = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let Some((key, value)) = assignment.split_once('=') else {
            return format!("{sign}<hidden>");
        };
        let key = key.trim().trim_start_matches('\u{feff}');
        let prefix = &text[..text.len() - value.len()];
        let existing = self.old_keys.iter().any(|k| k == key);
        if sign == '-' {
            return if existing {
                format!("{sign}{prefix}<hidden>")
            } else {
                format!("{sign}<hidden>")
            };
        }
        if existing && !self.generated.iter().any(|g| g == key) {
            // Kept from the file as it is (a context line, or the same line
            // again when the old file had no final newline).
            return kept(sign, prefix, value);
        }
        if sign == ' ' {
            return format!("{sign}<hidden>");
        }
        if self.generated.iter().any(|g| g == key) {
            let length = value.trim().trim_matches(['"', '\'']).chars().count();
            format!("{sign}{prefix}<generated: {length} chars>")
        } else if self
            .secret_values
            .iter()
            .any(|v| value.contains(v.as_str()))
        {
            format!("{sign}{prefix}<hidden: holds a generated secret>")
        } else {
            // A new value from the answers: still through the one redactor.
            format!("{sign}{}", crate::scan::redact::redact(text))
        }
    }
}

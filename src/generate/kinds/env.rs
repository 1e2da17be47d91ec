//! `.env` and `.env.example`: merged by the secrets engine
//! ([`crate::envfile`]), never rendered from a template.

use crate::filekind::FileKind;

/// The answers the env files are made from.
pub(crate) const ANSWER_KEYS: &[&str] = &["app_name", "domain", "cors_origins", "api_consumers"];

/// What a new `.env` or `.env.example` says when the project reads no variable
/// preflight knows of yet: the file still exists, ignored by git, ready to fill.
pub(in crate::generate) fn empty_heading(kind: FileKind, app: &str) -> String {
    match kind {
        FileKind::Env => format!(
            "# Secrets and settings for {app} in production. preflight found none it needs \
             yet; keep this file out of git.\n"
        ),
        _ => format!(
            "# The variables {app} reads in production, with placeholders only (none found \
             yet).\n"
        ),
    }
}

/// The variable names Python code reads with `os.environ.get("X")`,
/// `os.environ["X"]` or `os.getenv("X")`: what a generated Python file
/// (gunicorn.conf.py) adds to the variables the env files document.
pub(in crate::generate) fn python_env_reads(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for call in ["os.environ.get(", "os.environ[", "os.getenv("] {
        for (at, _) in text.match_indices(call) {
            let rest = text[at + call.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some((name, _)) = rest[1..].split_once(quote)
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                names.push(name.to_owned());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_variables_python_reads() {
        let text = "a = os.environ.get(\"PORT\") or 1\nb = os.environ['X_Y']\n\
                    c = os.getenv( \"Z\" , 1)\nd = os.environ.get(name)\n";
        assert_eq!(python_env_reads(text), ["PORT", "X_Y", "Z"]);
    }
}

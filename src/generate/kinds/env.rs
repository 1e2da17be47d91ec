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

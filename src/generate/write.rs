//! The writer: applies a plan with backups, atomic writes, and the state
//! file's record of what was written.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::{Action, Plan, SideKind, Written};
use crate::digest::sha256_hex;
use crate::envfile;
use crate::filekind::FileKind;
use crate::fsutil::write_in;
use crate::secrets::SecretKind;
use crate::state::{GeneratedFile, ItemRecord, SetBy, State, Status, now_rfc3339};

///
/// Stops at the first file that cannot be written; what was written before it
/// is already recorded in `state`.
pub fn apply(plan: &Plan, state: &mut State) -> anyhow::Result<Vec<Written>> {
    crate::fsutil::check_writable_in(&plan.root, &write_targets(plan))?;
    let mut written = Vec::new();
    if let Err(err) = apply_into(plan, state, &mut written) {
        // The error alone would hide that earlier files (a .env with fresh
        // secrets) did change.
        let changed: Vec<&str> = written
            .iter()
            .filter(|w| w.action.writes())
            .map(|w| w.kind.file_name())
            .collect();
        if changed.is_empty() {
            return Err(err);
        }
        bail!("{err:#}\n  note: written before it: {}", changed.join(", "));
    }
    Ok(written)
}

/// Every place [`apply`] may write, for the path policy to check before the
/// first write: the files, `.gitignore`, the backups and state folders.
fn write_targets(plan: &Plan) -> Vec<PathBuf> {
    let mut targets: Vec<PathBuf> = plan.files.iter().map(|file| file.path.clone()).collect();
    targets.extend(
        plan.side_files
            .iter()
            .map(|side| plan.root.join(&side.name)),
    );
    targets.push(plan.root.join(".gitignore"));
    targets.push(
        plan.root
            .join(".preflight")
            .join("backups")
            .join(".gitignore"),
    );
    targets.push(crate::state::state_path(&plan.root));
    targets
}

/// [`apply`]'s work: each file written is pushed to `written` as it is done.
fn apply_into(plan: &Plan, state: &mut State, written: &mut Vec<Written>) -> anyhow::Result<()> {
    let mut backup_dir: Option<PathBuf> = None;
    for file in &plan.files {
        let mut backup = None;
        if file.action == Action::Update && !file.kind.is_merged() && file.path.exists() {
            let dir = if let Some(dir) = &backup_dir {
                dir.clone()
            } else {
                let dir = new_backup_dir(&plan.root)?;
                backup_dir = Some(dir.clone());
                dir
            };
            let target = dir.join(file.kind.file_name());
            crate::fsutil::copy_in(&plan.root, &file.path, &target).with_context(|| {
                format!("backing up {} to {}", file.path.display(), target.display())
            })?;
            backup = Some(relative(&plan.root, &target));
        }
        let mut gitignored = false;
        if file.kind == FileKind::Env {
            // Ignored before it holds a secret, so no `git add .` can catch it in between.
            gitignored = crate::gitignore::ensure_ignored(&plan.root, ".env")?;
            if file.action.writes() {
                envfile::write_env(&plan.root, &file.new)?;
                envfile::record_generated(state, &plan.env_generated);
                for (var, value) in &plan.env_answered {
                    state
                        .env_values
                        .insert(var.clone(), sha256_hex(value.as_bytes()));
                }
                mark_items_done(state, &secret_items(&plan.env_generated));
            }
        } else if file.action.writes() {
            write_in(&plan.root, &file.path, file.new.as_bytes(), None)
                .with_context(|| format!("writing {}", file.kind.file_name()))?;
            record_generated(state, file.kind.file_name(), file.new.as_bytes());
        }
        if matches!(
            file.action,
            Action::Create | Action::Update | Action::Unchanged
        ) {
            mark_items_done(state, file.kind.items());
        }
        written.push(Written {
            kind: file.kind,
            action: file.action.clone(),
            backup,
            gitignored,
        });
    }
    // Appended to, never replaced: the project's own lines stay as they are.
    for side in plan
        .side_files
        .iter()
        .filter(|side| side.kind == SideKind::Requirements)
    {
        write_in(
            &plan.root,
            &plan.root.join(&side.name),
            side.new.as_bytes(),
            None,
        )
        .with_context(|| format!("writing {}", side.name))?;
    }
    Ok(())
}

/// A fresh `.preflight/backups/<UTC timestamp>/` directory.
///
/// The backups folder carries its own `.gitignore`: a replaced file may hold
/// values the user never meant to commit (a `fly.toml` with secrets in `[env]`),
/// while the rest of `.preflight/` is safe to commit.
fn new_backup_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let base = root.join(".preflight").join("backups");
    crate::fsutil::create_dir_in(root, &base)?;
    let ignore = base.join(".gitignore");
    if !ignore.exists() {
        write_in(
            root,
            &ignore,
            b"# Backups of files preflight replaced: they may hold secrets. Never commit them.\n*\n",
            None,
        )?;
    }
    let mut dir = base.join(&stamp);
    let mut n = 2;
    while dir.exists() {
        dir = base.join(format!("{stamp}-{n}"));
        n += 1;
    }
    crate::fsutil::create_dir_in(root, &dir)?;
    Ok(dir)
}

/// `path` relative to `root` with `/` separators, for messages.
pub(super) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Records the hash of what was written to `file`.
pub fn record_generated(state: &mut State, file: &str, bytes: &[u8]) {
    state.generated.insert(
        file.to_owned(),
        GeneratedFile {
            sha256: sha256_hex(bytes),
            at: now_rfc3339(),
        },
    );
}

/// Marks `gen` items done by `auto`, leaving a person's skip or n/a alone.
pub fn mark_items_done(state: &mut State, items: &[&str]) {
    for id in items {
        let keep = state.items.get(*id).is_some_and(|r| {
            (r.by == SetBy::User && matches!(r.status, Status::Skipped | Status::Na))
                || (r.by == SetBy::Auto && r.status == Status::Done)
        });
        if !keep {
            state.items.insert(
                (*id).to_owned(),
                ItemRecord {
                    status: Status::Done,
                    by: SetBy::Auto,
                    at: now_rfc3339(),
                    reason: None,
                    evidence: Vec::new(),
                    extent: None,
                    fingerprint: None,
                },
            );
        }
    }
}

/// The `gen` items that freshly generated secrets satisfy.
fn secret_items(generated: &[(String, SecretKind)]) -> Vec<&'static str> {
    let mut items: Vec<&'static str> = generated
        .iter()
        .filter_map(|(var, kind)| match kind {
            SecretKind::Django | SecretKind::Jwt => Some("secret-key-generated"),
            SecretKind::ApiKey => Some("api-keys-generated"),
            SecretKind::Fernet => Some("encryption-key-set"),
            SecretKind::Password => Some("db-password-strong"),
            SecretKind::Hex | SecretKind::Urlsafe if var.contains("WEBHOOK") => {
                Some("webhook-secret-set")
            }
            SecretKind::Hex | SecretKind::Urlsafe if var.contains("SECRET_KEY") => {
                Some("secret-key-generated")
            }
            SecretKind::Hex | SecretKind::Urlsafe => None,
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    items
}

//! Generating the deployment files and writing them safely.
//!
//! [`plan`] renders every requested file and decides, without touching the
//! disk, what writing would do: create it, leave it (unchanged), replace it,
//! or leave a file the user changed alone (`skipped: differs`). `.env` and
//! `.env.example` come from the secrets engine ([`crate::envfile`]) and are
//! merged, never replaced. The wizard's Files step shows that plan and its
//! diffs (secret values masked); [`apply`] then writes it, backing up whatever
//! it replaces and recording hashes, generated secrets and checklist items in
//! the state file.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;
use sha2::Digest;

use crate::answers::Answers;
use crate::envfile;
use crate::fsutil::{decode_text, write_atomically};
use crate::project::{Framework, Project};
use crate::secrets::SecretKind;
use crate::state::{GeneratedFile, ItemRecord, SetBy, State, Status, now_rfc3339};

/// One file `generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Env,
    EnvExample,
    Gunicorn,
    Procfile,
    Nginx,
    Fly,
}

impl FileKind {
    /// Every file, in the order they are written and reported.
    pub const ALL: [FileKind; 6] = [
        Self::Env,
        Self::EnvExample,
        Self::Gunicorn,
        Self::Procfile,
        Self::Nginx,
        Self::Fly,
    ];

    /// The name `--only` takes (`gunicorn`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::EnvExample => "env-example",
            Self::Gunicorn => "gunicorn",
            Self::Procfile => "procfile",
            Self::Nginx => "nginx",
            Self::Fly => "fly",
        }
    }

    /// The file written into the project (`gunicorn.conf.py`), also the template's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Env => ".env",
            Self::EnvExample => ".env.example",
            Self::Gunicorn => "gunicorn.conf.py",
            Self::Procfile => "Procfile",
            Self::Nginx => "nginx.conf",
            Self::Fly => "fly.toml",
        }
    }

    /// The file of that `--only` name, or of its file name (`nginx.conf`).
    pub fn from_name(name: &str) -> Option<FileKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name || kind.file_name().eq_ignore_ascii_case(name))
    }

    /// Whether the file is merged (existing keys kept, missing ones appended)
    /// rather than rendered from a template: it is never `skipped: differs`.
    pub fn is_merged(self) -> bool {
        matches!(self, Self::Env | Self::EnvExample)
    }

    /// The `gen` checklist items this file satisfies once it is written
    /// (for `.env`, more follow from the secrets generated into it).
    pub fn items(self) -> &'static [&'static str] {
        match self {
            Self::Env => &[],
            Self::EnvExample => &["env-example-present"],
            Self::Gunicorn => &["wsgi-server"],
            Self::Procfile => &["procfile"],
            Self::Nginx => &["reverse-proxy", "rate-limiting"],
            Self::Fly => &["platform-config"],
        }
    }

    /// The answers this file is made from, named in its header.
    pub fn answer_keys(self) -> &'static [&'static str] {
        match self {
            Self::Env | Self::EnvExample => {
                &["app_name", "domain", "cors_origins", "api_consumers"]
            }
            Self::Gunicorn => &["wsgi_app", "port", "workers", "asgi", "platform"],
            Self::Procfile => &["wsgi_app", "release_command"],
            Self::Nginx => &[
                "domain",
                "port",
                "health_path",
                "static_url",
                "static_dir",
                "app_root",
                "max_body_mb",
                "api_rate",
                "login_rate",
                "cert_path",
                "key_path",
            ],
            Self::Fly => &[
                "app_name",
                "region",
                "port",
                "workers",
                "python_version",
                "release_command",
                "health_path",
                "domain",
                "static_url",
                "static_dir",
            ],
        }
    }

    /// The built-in template; merged files have none.
    fn builtin_template(self) -> Option<&'static str> {
        match self {
            Self::Env | Self::EnvExample => None,
            Self::Gunicorn => Some(include_str!("../templates/gunicorn.conf.py")),
            Self::Procfile => Some(include_str!("../templates/Procfile")),
            Self::Nginx => Some(include_str!("../templates/nginx.conf")),
            Self::Fly => Some(include_str!("../templates/fly.toml")),
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// Parses `--only gunicorn,nginx` (names may repeat; order does not matter).
pub fn parse_only(list: &str) -> anyhow::Result<Vec<FileKind>> {
    let mut kinds = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let Some(kind) = FileKind::from_name(&name.to_ascii_lowercase()) else {
            let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.name()).collect();
            bail!(
                "`--only {name}` is not a file preflight generates\n  hint: choose from {}",
                names.join(", ")
            );
        };
        kinds.push(kind);
    }
    if kinds.is_empty() {
        bail!("`--only` names no file\n  hint: for example --only nginx,fly");
    }
    kinds.sort();
    kinds.dedup();
    Ok(kinds)
}

/// What writing a planned file does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The file does not exist yet.
    Create,
    /// The file already holds exactly this.
    Unchanged,
    /// The file is replaced (`--force`, or preflight wrote it and nobody
    /// edited it since), or, for `.env` files, keys are appended.
    Update,
    /// The file differs and was not written by preflight as it is now; left alone.
    SkipDiffers,
}

impl Action {
    /// The word used in the result line (`created`, `skipped: differs`).
    pub fn done_label(&self) -> &'static str {
        match self {
            Self::Create => "created",
            Self::Unchanged => "unchanged",
            Self::Update => "updated",
            Self::SkipDiffers => "skipped: differs",
        }
    }

    /// The same, as an intention for `--dry-run` (`would create`).
    pub fn planned_label(&self) -> &'static str {
        match self {
            Self::Create => "would create",
            Self::Unchanged => "unchanged",
            Self::Update => "would update",
            Self::SkipDiffers => "skipped: differs",
        }
    }

    /// Whether applying the plan writes this file.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Create | Self::Update)
    }
}

/// One file of a plan: what is on disk, what would be written, and what happens.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Which file.
    pub kind: FileKind,
    /// Where the file goes.
    pub path: PathBuf,
    /// What is there now, if anything.
    pub old: Option<String>,
    /// What preflight would write.
    pub new: String,
    /// What writing would do with it.
    pub action: Action,
    /// For `Update`: whether the user asked for it with `--force` (else the
    /// file was preflight's own, unedited since, or is merged).
    pub forced: bool,
    /// The variables that get a freshly generated secret in this file.
    pub secrets: Vec<String>,
}

impl PlannedFile {
    /// A unified diff from what is on disk to what would be written (empty
    /// when equal). In `.env`, new secrets show as `<generated: N chars>` and
    /// existing values as `<hidden>`: a diff never prints a secret.
    pub fn diff(&self) -> String {
        let diff = self.raw_diff();
        if self.kind == FileKind::Env {
            let old = self.old.as_deref().unwrap_or("");
            mask_env_diff(&diff, old, &self.new, &self.secrets)
        } else {
            diff
        }
    }

    fn raw_diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        if old == self.new {
            return String::new();
        }
        let name = self.kind.file_name();
        let from = if self.old.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".to_owned()
        };
        similar::TextDiff::from_lines(old, &self.new)
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{name}"))
            .to_string()
    }
}

/// Everything `generate` would do, computed without writing anything.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The project directory.
    pub root: PathBuf,
    /// The requested files, in the order they are written.
    pub files: Vec<PlannedFile>,
    /// The secrets `.env` would get, by variable name and kind (never values).
    pub env_generated: Vec<(String, SecretKind)>,
    /// What the user should know about their `.env` (an empty or weak
    /// secret, by name), from the secrets engine.
    pub notes: Vec<String>,
}

/// What writing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Which file.
    pub kind: FileKind,
    /// What was done with it.
    pub action: Action,
    /// Where the replaced file was copied first, relative to the project.
    pub backup: Option<String>,
    /// Whether `.env` was added to `.gitignore` along with it.
    pub gitignored: bool,
}

/// Renders the requested files and decides what writing each would do.
///
/// `force` replaces files that differ (after a backup) instead of skipping them.
pub fn plan(
    project: &Project,
    answers: &Answers,
    state: &State,
    only: &[FileKind],
    force: bool,
) -> anyhow::Result<Plan> {
    let root = &project.root;
    let mut rendered = Vec::new();
    for &kind in only.iter().filter(|kind| !kind.is_merged()) {
        rendered.push((kind, render(kind, project, answers)?));
    }
    let env_plan = if only.iter().any(|kind| kind.is_merged()) {
        Some(envfile::plan(
            &with_config_reads(project, &rendered),
            &answers.to_map(),
        )?)
    } else {
        None
    };
    let mut files = Vec::new();
    for &kind in only {
        let path = root.join(kind.file_name());
        let old = read_existing(&path)?;
        let (mut new, secrets) = match (kind, &env_plan) {
            (FileKind::Env, Some(env)) => (
                env.env.clone(),
                env.generated.iter().map(|(var, _)| var.clone()).collect(),
            ),
            (FileKind::EnvExample, Some(env)) => (env.env_example.clone(), Vec::new()),
            _ => {
                let text = rendered.iter().find(|(k, _)| *k == kind).map(|(_, t)| t);
                (text.cloned().unwrap_or_default(), Vec::new())
            }
        };
        if old.is_none() && new.is_empty() {
            new = empty_env_heading(kind, answers.get("app_name"));
        }
        let (action, forced) = decide(kind, old.as_deref(), &new, state, force);
        files.push(PlannedFile {
            kind,
            path,
            old,
            new,
            action,
            forced,
            secrets,
        });
    }
    let (env_generated, notes) = match env_plan {
        Some(env) if only.contains(&FileKind::Env) => (env.generated, env.notes),
        Some(env) => (Vec::new(), env.notes),
        None => (Vec::new(), Vec::new()),
    };
    Ok(Plan {
        root: root.clone(),
        files,
        env_generated,
        notes,
    })
}

/// The project as the secrets engine should see it: including the variables
/// the generated `gunicorn.conf.py` reads, so `.env.example` documents them on
/// the first run as it would once the file is on disk and scanned.
fn with_config_reads(project: &Project, rendered: &[(FileKind, String)]) -> Project {
    let mut project = project.clone();
    for (kind, text) in rendered {
        if *kind == FileKind::Gunicorn {
            project.env_vars.extend(python_env_reads(text));
        }
    }
    project.env_vars.sort();
    project.env_vars.dedup();
    project
}

/// The variable names Python code reads with `os.environ.get("X")`,
/// `os.environ["X"]` or `os.getenv("X")`.
fn python_env_reads(text: &str) -> Vec<String> {
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

/// What a new `.env` or `.env.example` says when the project reads no variable
/// preflight knows of yet: the file still exists, ignored by git, ready to fill.
fn empty_env_heading(kind: FileKind, app: &str) -> String {
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

/// What to do with a file given what is on disk.
fn decide(
    kind: FileKind,
    old: Option<&str>,
    new: &str,
    state: &State,
    force: bool,
) -> (Action, bool) {
    match old {
        None => (Action::Create, false),
        Some(old) if old == new => (Action::Unchanged, false),
        Some(_) if kind.is_merged() => (Action::Update, false),
        Some(old) => {
            let ours = state
                .generated
                .get(kind.file_name())
                .is_some_and(|record| record.sha256 == sha256_hex(old.as_bytes()));
            if ours {
                (Action::Update, false)
            } else if force {
                (Action::Update, true)
            } else {
                (Action::SkipDiffers, false)
            }
        }
    }
}

/// The file's text, or `None` when there is no file.
fn read_existing(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(decode_text(&bytes))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => anyhow::bail!(
            "cannot read {}: {err}\n  hint: generate writes a file there; move away what is in \
             the way, or leave it out with --only",
            path.display()
        ),
    }
}

/// Writes the plan: backs up what it replaces, writes atomically, and records
/// hashes and satisfied checklist items in `state` (which the caller saves).
///
/// Stops at the first file that cannot be written; what was written before it
/// is already recorded in `state`.
pub fn apply(plan: &Plan, state: &mut State) -> anyhow::Result<Vec<Written>> {
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
            std::fs::copy(&file.path, &target).with_context(|| {
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
                mark_items_done(state, &secret_items(&plan.env_generated));
            }
        } else if file.action.writes() {
            write_atomically(&file.path, file.new.as_bytes(), None)
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
    Ok(())
}

/// What the user should know before writing the files, beyond the plan: a
/// default domain in use, a server the project does not depend on, a health
/// check polling a route the app does not serve. The CLI prints these as
/// `note:` lines; the wizard's files step shows the same.
pub fn advice(scan: &crate::scan::ScanReport, answers: &Answers, only: &[FileKind]) -> Vec<String> {
    let mut notes = Vec::new();
    let domain_used = only
        .iter()
        .any(|kind| kind.answer_keys().contains(&"domain"));
    if domain_used && answers.source("domain") == Some(crate::answers::Source::Default) {
        notes.push(format!(
            "no domain given, so the files use {}\n  hint: --set domain=api.example.com \
             (it is saved for next time)",
            answers.primary_domain()
        ));
    }
    notes.extend(missing_server(&scan.project, only));
    notes.extend(unserved_health_check(scan, answers, only));
    notes
}

/// A note when the files start gunicorn but the project does not depend on it
/// (only when the scan read the project's dependencies at all).
fn missing_server(project: &Project, only: &[FileKind]) -> Option<String> {
    let starts_gunicorn = only
        .iter()
        .any(|kind| matches!(kind, FileKind::Gunicorn | FileKind::Procfile));
    if !starts_gunicorn || project.dependencies.is_empty() {
        return None;
    }
    let mut missing = Vec::new();
    if !project.depends_on("gunicorn") {
        missing.push("gunicorn");
    }
    if project.asgi && !project.depends_on("uvicorn-worker") {
        missing.push("uvicorn-worker");
    }
    (!missing.is_empty()).then(|| {
        format!(
            "the Procfile starts gunicorn, but {} {} not among the project's dependencies\n  \
             hint: add {} to requirements.txt (or pyproject.toml)",
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" },
            missing.join(" and ")
        )
    })
}

/// A note when fly.toml's health check polls the default path but the app
/// serves no health route: every deploy would wait on a check that fails.
fn unserved_health_check(
    scan: &crate::scan::ScanReport,
    answers: &Answers,
    only: &[FileKind],
) -> Option<String> {
    let unserved = scan.findings.iter().any(|f| f.item == "health-endpoint");
    let defaulted = answers.source("health_path") == Some(crate::answers::Source::Default);
    (only.contains(&FileKind::Fly) && unserved && defaulted).then(|| {
        format!(
            "fly.toml's health check polls {path}, but the app serves no health route yet\n  \
             hint: add one (`preflight check --verbose` shows how, under health-endpoint), \
             or --set health_path=/your/route",
            path = answers.get("health_path")
        )
    })
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
    std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    let ignore = base.join(".gitignore");
    if !ignore.exists() {
        crate::fsutil::write_atomically(
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
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// `path` relative to `root` with `/` separators, for messages.
fn relative(root: &Path, path: &Path) -> String {
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

/// Masks the values in a `.env` diff so it never prints a secret. Added lines
/// for generated secrets show `KEY=<generated: N chars>`, and any other added
/// value that embeds a generated secret (a `DATABASE_URL`) is hidden. Lines that
/// were already in the file show only their key: the user may keep secrets there.
pub fn mask_env_diff(diff: &str, old: &str, new: &str, generated: &[String]) -> String {
    let old_keys: Vec<String> = envfile::parse(old)
        .map(|entries| entries.into_iter().map(|e| e.key).collect())
        .unwrap_or_default();
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
        let key = key.trim();
        let prefix = &text[..text.len() - value.len()];
        if sign != '+' {
            return if self.old_keys.iter().any(|k| k == key) {
                format!("{sign}{prefix}<hidden>")
            } else {
                format!("{sign}<hidden>")
            };
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
            format!("{sign}{text}")
        }
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// What the templates see.
#[derive(Debug, Clone, Serialize)]
struct TemplateContext<'a> {
    /// The comment block that opens the file.
    header: String,
    framework: &'static str,
    framework_name: &'static str,
    app_name: &'a str,
    domains: Vec<&'a str>,
    primary_domain: &'a str,
    port: u16,
    wsgi_app: &'a str,
    asgi: bool,
    workers: Option<u32>,
    platform: &'a str,
    bind_host: &'static str,
    forwarded_allow_ips: &'static str,
    region: &'a str,
    health_path: &'a str,
    static_url: &'a str,
    static_dir: &'a str,
    /// Where nginx finds static files on the server (no trailing slash).
    static_root: String,
    /// Where fly finds static files in the image.
    static_guest_path: String,
    max_body_mb: &'a str,
    api_rate: &'a str,
    login_rate: &'a str,
    python_version: &'a str,
    release_command: Option<&'a str>,
    cert_path: &'a str,
    key_path: &'a str,
    settings_module: Option<String>,
    console_command: Option<&'static str>,
}

impl<'a> TemplateContext<'a> {
    fn new(project: &Project, answers: &'a Answers, header: String) -> Self {
        let vps = answers.get("platform") == "vps";
        let framework = project.framework;
        Self {
            header,
            framework: framework.as_str(),
            framework_name: framework.display_name(),
            app_name: answers.get("app_name"),
            domains: answers.domains(),
            primary_domain: answers.primary_domain(),
            port: answers.port(),
            wsgi_app: answers.get("wsgi_app"),
            asgi: answers.asgi(),
            workers: answers.workers(),
            platform: answers.get("platform"),
            bind_host: if vps { "127.0.0.1" } else { "0.0.0.0" },
            forwarded_allow_ips: if vps { "127.0.0.1,::1" } else { "*" },
            region: answers.get("region"),
            health_path: answers.get("health_path"),
            static_url: answers.get("static_url"),
            static_dir: answers.get("static_dir"),
            static_root: format!("{}/{}", answers.get("app_root"), answers.get("static_dir")),
            static_guest_path: format!("/app/{}", answers.get("static_dir")),
            max_body_mb: answers.get("max_body_mb"),
            api_rate: answers.get("api_rate"),
            login_rate: answers.get("login_rate"),
            python_version: answers.get("python_version"),
            release_command: answers.release_command(),
            cert_path: answers.get("cert_path"),
            key_path: answers.get("key_path"),
            settings_module: settings_module(project),
            console_command: (framework == Framework::Django).then_some("python manage.py shell"),
        }
    }
}

/// The Django production settings module, when the project has one apart
/// from the default its `wsgi.py` names (`config/settings/production.py`).
fn settings_module(project: &Project) -> Option<String> {
    if project.framework != Framework::Django {
        return None;
    }
    let file = project.settings.iter().find(|f| f.contains("prod"))?;
    Some(file.trim_end_matches(".py").replace('/', "."))
}

/// The comment that opens a generated file: what made it, from which answers,
/// and how to make it again.
pub fn header(kind: FileKind, project: &Project, answers: &Answers) -> String {
    let mut lines = vec![format!(
        "# {} for {} ({}), generated by preflight {}.",
        kind.file_name(),
        answers.get("app_name"),
        project.framework.display_name(),
        env!("CARGO_PKG_VERSION")
    )];
    let mut line = "# Answers:".to_owned();
    for key in kind.answer_keys() {
        let value = answers.get(key);
        let value = if value.is_empty() { "none" } else { value };
        let pair = format!(" {key}={value}");
        if line.len() + pair.len() > 96 {
            lines.push(line);
            line = String::from("#  ");
        }
        line.push_str(&pair);
    }
    lines.push(line);
    lines.push(format!(
        "# Regenerate: preflight generate --only {} [--set KEY=VALUE]. Once you edit this file,",
        kind.name()
    ));
    lines
        .push("# preflight leaves it alone unless you pass --force (which keeps a backup).".into());
    lines.join("\n")
}

/// Renders one file for the project, from the project's override template
/// (`.preflight/templates/NAME`) when there is one, else the built-in one.
pub fn render(kind: FileKind, project: &Project, answers: &Answers) -> anyhow::Result<String> {
    if matches!(kind, FileKind::Procfile | FileKind::Gunicorn) && answers.wsgi_app().is_none() {
        bail!(
            "could not find the app's WSGI/ASGI entrypoint, which {} names\n  hint: name it \
             with --set wsgi_app=module:callable (config.wsgi:application, app.main:app)",
            kind.file_name()
        );
    }
    let override_path = project
        .root
        .join(".preflight")
        .join("templates")
        .join(kind.file_name());
    let Some(builtin) = kind.builtin_template() else {
        bail!(
            "{} is merged from the secrets engine, not rendered",
            kind.file_name()
        );
    };
    let (source, origin) = match std::fs::read(&override_path) {
        Ok(bytes) => (decode_text(&bytes), relative(&project.root, &override_path)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => (
            builtin.to_owned(),
            format!("the built-in template {}", kind.file_name()),
        ),
        Err(err) => {
            return Err(err).with_context(|| format!("reading {}", override_path.display()));
        }
    };
    let context = TemplateContext::new(project, answers, header(kind, project, answers));
    render_template(kind.file_name(), &source, &context).with_context(|| {
        format!("rendering {origin}\n  hint: fix the template, or delete an override to use the built-in one")
    })
}

/// Renders a template source with preflight's environment: strict about
/// undefined names, trailing newline kept, `toml` and `py` string filters.
fn render_template(name: &str, source: &str, context: &impl Serialize) -> anyhow::Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|err| anyhow::anyhow!("{err:#}"))?;
    env.set_syntax(syntax);
    env.add_filter("toml", toml_string);
    env.add_filter("py", python_string);
    env.add_template(name, source)
        .map_err(|err| anyhow::anyhow!("{err:#}"))?;
    let template = env
        .get_template(name)
        .map_err(|err| anyhow::anyhow!("{err:#}"))?;
    template
        .render(minijinja::Value::from(minijinja::value::Serde(context)))
        .map_err(|err| anyhow::anyhow!("{err:#}"))
}

/// A TOML basic string literal: `"value"` with TOML escapes.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// A Python string literal (JSON's string syntax is valid Python).
fn python_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Layers, resolve};
    use std::collections::BTreeMap;

    fn project(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            name: "shop".into(),
            framework: Framework::Fastapi,
            entrypoint: Some("app.main:app".into()),
            asgi: true,
            ..Project::default()
        }
    }

    fn answers(project: &Project, set: &[(&str, &str)]) -> Answers {
        let set: BTreeMap<String, String> = set
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let empty = BTreeMap::new();
        resolve(Layers {
            set: &set,
            saved: &empty,
            project,
            user: &empty,
        })
        .unwrap()
    }

    #[test]
    fn parses_only_lists() {
        assert_eq!(
            parse_only("fly, nginx,fly").unwrap(),
            vec![FileKind::Nginx, FileKind::Fly]
        );
        assert_eq!(
            parse_only(".env,nginx.conf,Procfile").unwrap(),
            vec![FileKind::Env, FileKind::Procfile, FileKind::Nginx]
        );
        assert!(parse_only("docker").is_err());
        assert!(parse_only(" , ").is_err());
    }

    #[test]
    fn decides_per_file_state() {
        let mut state = State::default();
        let new = "new\n";
        assert_eq!(
            decide(FileKind::Fly, None, new, &state, false),
            (Action::Create, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some(new), new, &state, false),
            (Action::Unchanged, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some("mine\n"), new, &state, false),
            (Action::SkipDiffers, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some("mine\n"), new, &state, true),
            (Action::Update, true)
        );
        assert_eq!(
            decide(FileKind::Env, Some("A=1\n"), "A=1\nB=2\n", &state, false),
            (Action::Update, false),
            "merged files are never skipped"
        );
        record_generated(&mut state, "fly.toml", b"old\n");
        assert_eq!(
            decide(FileKind::Fly, Some("old\n"), new, &state, false),
            (Action::Update, false),
            "preflight's own unedited file follows the answers"
        );
    }

    #[test]
    fn plan_then_apply_writes_backs_up_and_records() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let answers = answers(&project, &[("domain", "api.example.com")]);
        std::fs::write(dir.path().join("Procfile"), "web: mine\n").unwrap();
        let mut state = State::default();
        state.mark(
            "reverse-proxy",
            Status::Na,
            Some("fly terminates TLS".into()),
        );

        let templated = [
            FileKind::Gunicorn,
            FileKind::Procfile,
            FileKind::Nginx,
            FileKind::Fly,
        ];
        let planned = plan(&project, &answers, &state, &templated, false).unwrap();
        let actions: Vec<_> = planned.files.iter().map(|f| f.action.clone()).collect();
        assert_eq!(
            actions,
            [
                Action::Create,
                Action::SkipDiffers,
                Action::Create,
                Action::Create
            ]
        );
        assert!(planned.files[1].diff().contains("-web: mine\n"));
        let written = apply(&planned, &mut state).unwrap();
        assert_eq!(written.len(), 4);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Procfile")).unwrap(),
            "web: mine\n"
        );
        assert!(state.generated.contains_key("nginx.conf"));
        assert!(!state.generated.contains_key("Procfile"));
        assert_eq!(state.items["wsgi-server"].status, Status::Done);
        assert_eq!(
            state.items["reverse-proxy"].status,
            Status::Na,
            "a person's n/a stands"
        );
        assert!(
            !state.items.contains_key("procfile"),
            "skipped file satisfies nothing"
        );

        let forced = plan(&project, &answers, &state, &[FileKind::Procfile], true).unwrap();
        let written = apply(&forced, &mut state).unwrap();
        let backup = written[0].backup.as_deref().unwrap();
        assert!(backup.starts_with(".preflight/backups/"), "{backup}");
        let ignore = std::fs::read_to_string(dir.path().join(".preflight/backups/.gitignore"));
        assert!(
            ignore.unwrap().lines().any(|l| l == "*"),
            "backups are never committed"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(backup)).unwrap(),
            "web: mine\n"
        );
    }

    #[test]
    fn headers_name_the_answers_and_how_to_regenerate() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let answers = answers(&project, &[]);
        let text = header(FileKind::Nginx, &project, &answers);
        assert!(text.contains("generated by preflight"));
        assert!(text.contains("domain=shop.fly.dev"));
        assert!(text.contains("preflight generate --only nginx"));
        assert!(text.lines().all(|l| l.starts_with('#') && l.len() <= 100));
    }

    #[test]
    fn env_diffs_mask_secrets_old_and_new() {
        let old = "# keys\nPASSWORD=hunter2\n";
        let new = "# keys\nPASSWORD=hunter2\n# new\nSECRET_KEY=abcdefghij\n\
                   DATABASE_URL=postgres://app:pw12345678@db/app\nDEBUG=False\n";
        let new = new.replace("pw12345678", "abcdefghij");
        let file = PlannedFile {
            kind: FileKind::Env,
            path: PathBuf::from(".env"),
            old: Some(old.to_owned()),
            new: new.clone(),
            action: Action::Update,
            forced: false,
            secrets: vec!["SECRET_KEY".into()],
        };
        let diff = file.diff();
        assert!(diff.contains("\n PASSWORD=<hidden>\n"), "{diff}");
        assert!(
            diff.contains("\n+SECRET_KEY=<generated: 10 chars>\n"),
            "{diff}"
        );
        assert!(
            diff.contains("+DATABASE_URL=<hidden: holds a generated secret>"),
            "{diff}"
        );
        assert!(diff.contains("\n+DEBUG=False\n"), "{diff}");
        assert!(
            !diff.contains("hunter2") && !diff.contains("abcdefghij"),
            "{diff}"
        );
    }

    #[test]
    fn answers_shape_the_rendered_files() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let vps = answers(&project, &[("platform", "vps"), ("workers", "3")]);
        let gunicorn = render(FileKind::Gunicorn, &project, &vps).unwrap();
        assert!(gunicorn.contains(r#"bind = "127.0.0.1:" + (os.environ.get("PORT") or "8000")"#));
        assert!(gunicorn.contains(r#"os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1""#));
        assert!(gunicorn.contains(r#"os.environ.get("WEB_CONCURRENCY") or 3)"#));
        let fly = render(FileKind::Fly, &project, &vps).unwrap();
        assert!(fly.contains("WEB_CONCURRENCY = \"3\""), "{fly}");

        let release = answers(
            &project,
            &[
                ("release_command", "alembic upgrade head"),
                ("domain", "a.example.com,b.example.com"),
            ],
        );
        let procfile = render(FileKind::Procfile, &project, &release).unwrap();
        assert!(
            procfile.contains("\nrelease: alembic upgrade head\n"),
            "{procfile}"
        );
        let nginx = render(FileKind::Nginx, &project, &release).unwrap();
        assert_eq!(
            nginx
                .matches("server_name a.example.com b.example.com;")
                .count(),
            2,
            "the HTTP and HTTPS servers"
        );
        assert!(nginx.contains("-d a.example.com -d b.example.com"));
    }

    #[test]
    fn finds_the_variables_python_reads() {
        let text = "a = os.environ.get(\"PORT\") or 1\nb = os.environ['X_Y']\n\
                    c = os.getenv( \"Z\" , 1)\nd = os.environ.get(name)\n";
        assert_eq!(python_env_reads(text), ["PORT", "X_Y", "Z"]);
    }

    #[test]
    fn template_filters_escape() {
        for value in ["plain", "a \"b\"", "it's \\ \"both\""] {
            let doc: toml::Table = format!("k = {}", toml_string(value)).parse().unwrap();
            assert_eq!(doc["k"].as_str(), Some(value));
        }
        assert_eq!(python_string("a\\b"), r#""a\\b""#);
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}

//! The per-project state file, `PATH/.preflight/state.toml`.
//!
//! It records item statuses (who set them, when, why), the answers given to
//! the wizard or `--set`, hashes of generated files, when each secret was
//! generated, and a short history of check runs. It never holds a secret value.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::fsutil::write_in;

/// The schema version this build reads and writes.
pub const SCHEMA: u32 = 1;

/// The end of every hint about a state file that cannot be used.
const KEEP_OR_MOVE: &str = "fix it, or move it away to start over; it was left as it is";

/// How many check runs the history keeps.
const HISTORY_LIMIT: usize = 20;

/// The status of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Todo,
    Done,
    Failing,
    Skipped,
    Na,
}

impl Status {
    /// The name used in the state file and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::Done => "done",
            Self::Failing => "failing",
            Self::Skipped => "skipped",
            Self::Na => "na",
        }
    }

    /// The symbol shown for this status; symbols carry meaning as well as colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Done => "✔",
            Self::Failing => "✘",
            Self::Todo => "○",
            Self::Skipped => "⊘",
            Self::Na => "–",
        }
    }

    /// Whether the item still needs attention.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Todo | Self::Failing)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who set a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SetBy {
    Auto,
    #[default]
    User,
}

impl SetBy {
    /// The name used in the state file and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::User => "user",
        }
    }
}

/// How many places of an item's evidence the state file lists; the rest are counted.
pub const EVIDENCE_SAMPLE: usize = 20;

/// How many of an item's evidence files the state file keeps a hash of.
pub const HASHED_FILES: usize = 100;

/// A place in the project that decided an automatic verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub file: String,
    pub line: Option<usize>,
    /// SHA-256 of the file when the verdict was made. Written by older
    /// versions only: the hashes now live once per file in [`Extent::hashes`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// How far an item's evidence reaches, so the state file stays the same size
/// however many findings there are: `evidence` lists the first
/// [`EVIDENCE_SAMPLE`] places, this counts them all and hashes the files.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extent {
    /// Places in all.
    pub locations: usize,
    /// Distinct files in all.
    pub files: usize,
    /// SHA-256 (hex) of each evidence file when the verdict was made, each
    /// file once, the first [`HASHED_FILES`] files in path order; a file that
    /// could not be read has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hashes: BTreeMap<String, String>,
}

/// What the state file says about one item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRecord {
    pub status: Status,
    pub by: SetBy,
    /// When the status was set (RFC 3339, UTC).
    pub at: String,
    /// Why it was skipped or is not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The evidence behind an automatic verdict: its first places.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceRef>,
    /// How many places and files the evidence has in all, and their hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extent: Option<Extent>,
    /// A person's decision: the SHA-256 over the files in the item's scope
    /// when it was made, so a later change to them makes it stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl ItemRecord {
    /// The files the evidence is in, each once: the hashed ones, then any
    /// other file the listed places name.
    pub fn evidence_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .extent
            .iter()
            .flat_map(|e| e.hashes.keys().map(String::as_str))
            .collect();
        for evidence in &self.evidence {
            if !files.contains(&evidence.file.as_str()) {
                files.push(&evidence.file);
            }
        }
        files
    }

    /// Brings a record written by an older version, with every place listed
    /// and a hash on each, to the bounded shape: the first places, the counts
    /// and each file's hash once.
    fn bound_evidence(&mut self) {
        let hashed = self.evidence.iter().any(|e| e.sha256.is_some());
        if self.evidence.len() <= EVIDENCE_SAMPLE && !hashed {
            return;
        }
        let mut extent = self.extent.take().unwrap_or_default();
        let mut files = std::collections::BTreeSet::new();
        for evidence in &mut self.evidence {
            files.insert(evidence.file.clone());
            if let Some(hash) = evidence.sha256.take()
                && (extent.hashes.len() < HASHED_FILES
                    || extent.hashes.contains_key(&evidence.file))
            {
                extent.hashes.insert(evidence.file.clone(), hash);
            }
        }
        extent.locations = extent.locations.max(self.evidence.len());
        extent.files = extent.files.max(files.len());
        self.evidence.truncate(EVIDENCE_SAMPLE);
        self.extent = Some(extent);
    }
}

/// What the state file knows about a file preflight wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedFile {
    /// SHA-256 (hex) of the bytes written.
    pub sha256: String,
    pub at: String,
}

/// That a secret was generated, and when: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRecord {
    /// The kind of secret (`django`, `api-key`, …).
    pub kind: String,
    /// Which file it was written to (`.env`).
    pub file: String,
    pub generated_at: String,
}

/// One `check` run, kept so reviews can tell what regressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRun {
    pub at: String,
    /// Auto items that failed in this run.
    #[serde(default)]
    pub failing: Vec<String>,
    /// Auto items that passed in this run.
    #[serde(default)]
    pub passed: Vec<String>,
}

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WizardState {
    /// The setup step to resume at (`project`, `answers`, `secrets`, `files`, `checklist`, `summary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// Whether first-time setup was finished; later runs open the review.
    #[serde(default)]
    pub setup_done: bool,
    /// When the last pre-release review was started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_review: Option<String>,
}

/// What the state file keeps of the last pre-release review, so the next one
/// can tell what changed since.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSnapshot {
    /// When the review was opened (RFC 3339, UTC).
    pub at: String,
    /// Each item as it stood then, by item id.
    #[serde(default)]
    pub items: BTreeMap<String, ReviewedItem>,
}

/// One item as it stood at a review.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewedItem {
    pub status: Status,
    /// The files its status rests on (evidence, generated files), relative to
    /// the project, with the SHA-256 (hex) of their bytes at the review.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
}

/// The whole state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub schema: u32,
    #[serde(default)]
    pub wizard: WizardState,
    /// Answers by key (`domain`, `port`, …), as given.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Item records by item id.
    #[serde(default)]
    pub items: BTreeMap<String, ItemRecord>,
    /// Generated files by file name relative to the project (`nginx.conf`).
    #[serde(default)]
    pub generated: BTreeMap<String, GeneratedFile>,
    /// Generated secrets by variable name (`DJANGO_SECRET_KEY`).
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretRecord>,
    /// Recent check runs, oldest first.
    #[serde(default)]
    pub history: Vec<CheckRun>,
    /// The last pre-release review, to mark what changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewSnapshot>,
    /// When what an item's verdict rests on expires, by item id (RFC 3339):
    /// for `cert-expiry`, the served certificate's end date, recorded by
    /// `verify`. A recurring task falls due once fewer than its period's days
    /// are left before that date.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expires: BTreeMap<String, String>,
    /// The `.env` settings preflight wrote from an answer (`DJANGO_ALLOWED_HOSTS`),
    /// by variable, as the SHA-256 (hex) of the value: while the line still holds
    /// it, a changed answer updates it. Never a secret, and never a value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env_values: BTreeMap<String, String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            schema: SCHEMA,
            wizard: WizardState::default(),
            answers: BTreeMap::new(),
            items: BTreeMap::new(),
            generated: BTreeMap::new(),
            secrets: BTreeMap::new(),
            history: Vec::new(),
            review: None,
            expires: BTreeMap::new(),
            env_values: BTreeMap::new(),
        }
    }
}

/// A parser message with the values it quotes taken out: what stood in the
/// file may be a secret someone pasted there (`status = "sk_live_…"`). What
/// the parser expected (after ", expected") stays, since it names the fix.
fn without_values(message: &str) -> String {
    let (found, expected) = match message.find(", expected") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in found.chars() {
        match quote {
            Some(open) if c == open => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if matches!(c, '`' | '"' | '\'') {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out + expected
}

/// An exclusive advisory lock on `.preflight/lock`, held while a process
/// reads, changes and saves the state file; released when dropped (or when
/// the process dies). Readers that only load need no lock: saves are atomic.
#[derive(Debug)]
pub struct StateLock {
    file: std::fs::File,
}

impl StateLock {
    /// Waits for and takes the lock of the project at `root`, creating
    /// `.preflight/` (git-ignoring the lock and temporary files) if needed.
    pub fn acquire(root: &Path) -> anyhow::Result<Self> {
        let state = state_path(root);
        let fail = |err: anyhow::Error| {
            if format!("{err:#}").contains("hint:") {
                anyhow::anyhow!("cannot save {}: {err:#}", state.display())
            } else {
                anyhow::anyhow!(
                    "cannot save {}: {err:#}\n  hint: make {} writable; preflight keeps its \
                     record there",
                    state.display(),
                    root.join(".preflight").display()
                )
            }
        };
        let dir = crate::fsutil::create_dir_in(root, &root.join(".preflight")).map_err(fail)?;
        ignore_scratch_files(&dir);
        let path = crate::fsutil::resolve_in(root, &dir.join("lock")).map_err(fail)?;
        let file = open_lock_file(&path)
            .with_context(|| format!("opening the lock {}", path.display()))
            .map_err(fail)?;
        file.lock()
            .with_context(|| format!("locking {}", path.display()))
            .map_err(fail)?;
        Ok(Self { file })
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Opens (creating) the lock file without following a link at it.
#[cfg(unix)]
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Writes `.preflight/.gitignore` for the lock and temporary files when
/// there is none (the state file itself is meant to be committed).
fn ignore_scratch_files(dir: &Path) {
    use std::io::Write;
    let path = dir.join(".gitignore");
    if std::fs::symlink_metadata(&path).is_ok() {
        return;
    }
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| {
            file.write_all(
                b"# preflight's lock and temporary files; state.toml is meant to be committed.\n\
                  /lock\n/tmp/\n",
            )
        });
}

/// The state file's path for the project at `root`.
pub fn state_path(root: &Path) -> PathBuf {
    root.join(".preflight").join("state.toml")
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

impl State {
    /// Loads the state of the project at `root`; a missing file is a fresh state.
    ///
    /// A file that cannot be parsed, or has a newer schema, is an error that
    /// names the file and how to fix it, and the file is left alone.
    pub fn load(root: &Path) -> anyhow::Result<State> {
        let path = state_path(root);
        // Something other than a folder at `.preflight` holds no state; saving
        // fails later and says what to do about it.
        if path
            .parent()
            .is_some_and(|dir| dir.exists() && !dir.is_dir())
        {
            return Ok(State::default());
        }
        let bytes = match crate::fsutil::read_in(root, &path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(State::default()),
            Err(err) => return Err(err),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            bail!(
                "{} is not a valid preflight state file: it is not UTF-8 text\n  hint: \
                 {KEEP_OR_MOVE}",
                path.display()
            );
        };
        Self::parse(&text, &path)
    }

    /// Parses state file text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> anyhow::Result<State> {
        // Read the schema on its own first, so a newer file is reported as
        // newer rather than as a parse error in a field this build doesn't know.
        #[derive(Deserialize)]
        struct SchemaOnly {
            schema: Option<u32>,
        }
        let schema = toml::from_str::<SchemaOnly>(text)
            .ok()
            .and_then(|s| s.schema);
        match schema {
            Some(0) => bail!(
                "{} has schema 0, which no preflight writes\n  hint: {KEEP_OR_MOVE}",
                path.display()
            ),
            Some(schema) if schema > SCHEMA => bail!(
                "{} has schema {schema}, newer than this preflight understands ({SCHEMA})\n  \
                 hint: upgrade preflight; the file was left as it is",
                path.display()
            ),
            _ => {}
        }
        let mut state = toml::from_str::<State>(text).map_err(|err| {
            let line = err.span().map(|span| line_of(text, span.start));
            let at = line.map(|line| format!(":{line}")).unwrap_or_default();
            anyhow::anyhow!(
                "{}{at} is not a valid preflight state file: {}\n  hint: fix that line, or move \
                 the file away to start over; it was left as it is",
                path.display(),
                without_values(err.message())
            )
        })?;
        for record in state.items.values_mut() {
            record.bound_evidence();
        }
        Ok(state)
    }

    /// Writes the state file atomically, creating `.preflight/` if needed.
    ///
    /// A failure says which folder is in the way and what to do about it.
    pub fn save(&self, root: &Path) -> anyhow::Result<()> {
        let path = state_path(root);
        self.write_to(root, &path).map_err(|err| {
            if format!("{err:#}").contains("hint:") {
                return anyhow::anyhow!("cannot save {}: {err:#}", path.display());
            }
            let dir = root.join(".preflight");
            let hint = if dir.exists() && !dir.is_dir() {
                format!(
                    "{} is not a folder; move it away so preflight can keep its record there",
                    dir.display()
                )
            } else if dir.is_dir() {
                format!(
                    "make {} writable; preflight keeps its record there",
                    dir.display()
                )
            } else {
                format!(
                    "make {} writable, so preflight can keep its record in .preflight/ there",
                    root.display()
                )
            };
            anyhow::anyhow!("cannot save {}: {err:#}\n  hint: {hint}", path.display())
        })
    }

    /// Serialises and writes the state to `path`.
    fn write_to(&self, root: &Path, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            crate::fsutil::create_dir_in(root, dir)?;
        }
        let text = toml::to_string_pretty(self).context("serialising the state")?;
        let text = format!(
            "# preflight's record of this project: statuses, answers, file hashes.\n\
             # It never holds a secret value. Safe to commit; edit with care.\n{text}"
        );
        write_in(root, path, text.as_bytes(), None)
    }

    /// Loads, changes and saves the state in one step, under the project's
    /// lock: what another process saved meanwhile is the starting point, so
    /// no update is lost.
    pub fn update(root: &Path, change: impl FnOnce(&mut State)) -> anyhow::Result<State> {
        Self::modify(root, |state| {
            change(state);
            Ok(())
        })
    }

    /// [`State::update`] with a change that may refuse (then nothing is saved).
    pub fn modify(
        root: &Path,
        change: impl FnOnce(&mut State) -> anyhow::Result<()>,
    ) -> anyhow::Result<State> {
        let _lock = StateLock::acquire(root)?;
        let mut state = Self::load(root)?;
        change(&mut state)?;
        state.save(root)?;
        Ok(state)
    }

    /// Sets an item's status by a person, with no fingerprint of its files.
    pub fn mark(&mut self, id: &str, status: Status, reason: Option<String>) {
        self.confirm(id, status, reason, None);
    }

    /// Sets an item's status by a person, recording `fingerprint` (see
    /// [`crate::review::ProjectFiles::fingerprint`]) for a settled status. A
    /// skip or n/a keeps the evidence it was decided against, so a review can
    /// tell when those files change.
    pub fn confirm(
        &mut self,
        id: &str,
        status: Status,
        reason: Option<String>,
        fingerprint: Option<String>,
    ) {
        let (evidence, extent) = match status {
            Status::Skipped | Status::Na => self
                .items
                .remove(id)
                .map(|previous| (previous.evidence, previous.extent))
                .unwrap_or_default(),
            _ => (Vec::new(), None),
        };
        // A person's mark replaces what `verify` read; the next verify records it again.
        self.expires.remove(id);
        self.items.insert(
            id.to_owned(),
            ItemRecord {
                status,
                by: SetBy::User,
                at: now_rfc3339(),
                reason,
                evidence,
                extent,
                fingerprint: fingerprint.filter(|_| status != Status::Todo),
            },
        );
    }

    /// The scanner's record of `id` when its last scan found the item
    /// failing. Marking such an item done by hand would not last: the next
    /// scan records its verdict again.
    pub fn failing_by_scanner(&self, id: &str) -> Option<&ItemRecord> {
        self.items
            .get(id)
            .filter(|r| r.by == SetBy::Auto && r.status == Status::Failing)
    }

    /// Appends a check run, keeping only the most recent ones.
    pub fn push_history(&mut self, run: CheckRun) {
        self.history.push(run);
        let excess = self.history.len().saturating_sub(HISTORY_LIMIT);
        self.history.drain(..excess);
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = State::default();
        state.mark("api-auth-required", Status::Done, None);
        state.mark(
            "backups",
            Status::Skipped,
            Some("managed by the platform".into()),
        );
        state
            .answers
            .insert("domain".into(), "api.example.com".into());
        state.secrets.insert(
            "DJANGO_SECRET_KEY".into(),
            SecretRecord {
                kind: "django".into(),
                file: ".env".into(),
                generated_at: now_rfc3339(),
            },
        );
        state.push_history(CheckRun {
            at: now_rfc3339(),
            failing: vec!["debug-off".into()],
            passed: vec![],
        });
        state.review = Some(ReviewSnapshot {
            at: now_rfc3339(),
            items: BTreeMap::from([(
                "debug-off".to_owned(),
                ReviewedItem {
                    status: Status::Skipped,
                    files: BTreeMap::from([("config/settings.py".to_owned(), "ab12".to_owned())]),
                },
            )]),
        });
        state.save(dir.path()).unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), state);
    }

    #[test]
    fn an_old_file_with_every_place_listed_loads_bounded() {
        use std::fmt::Write as _;

        // Older versions listed every place, each with its file's hash.
        let mut text = String::from(
            "schema = 1\n[items.csrf-protected]\nstatus = \"skipped\"\nby = \"user\"\n\
             at = \"2026-11-20T10:00:00Z\"\nreason = \"webhooks\"\n",
        );
        for n in 0..150 {
            let file = format!("app_{:03}/views.py", n / 3);
            let _ = write!(
                text,
                "[[items.csrf-protected.evidence]]\nfile = \"{file}\"\nline = {}\n\
                 sha256 = \"{:064}\"\n",
                n % 3 + 1,
                n / 3
            );
        }
        let state = State::parse(&text, Path::new("s.toml")).unwrap();
        let record = &state.items["csrf-protected"];
        assert_eq!(record.status, Status::Skipped);
        assert_eq!(record.reason.as_deref(), Some("webhooks"));
        assert_eq!(record.evidence.len(), EVIDENCE_SAMPLE);
        assert!(record.evidence.iter().all(|e| e.sha256.is_none()));
        let extent = record.extent.as_ref().unwrap();
        assert_eq!((extent.locations, extent.files), (150, 50));
        assert_eq!(extent.hashes.len(), 50);
        assert_eq!(extent.hashes["app_049/views.py"], format!("{:064}", 49));
        assert_eq!(record.evidence_files().len(), 50);
        // Saved again, it keeps the bounded shape.
        let dir = tempfile::tempdir().unwrap();
        state.save(dir.path()).unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), state);
    }

    #[test]
    fn missing_file_is_fresh_state() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), State::default());
    }

    #[test]
    fn corrupt_file_names_file_and_line() {
        let text = "schema = 1\n[items.debug-off]\nstatus = \"maybe\"\n";
        let err = State::parse(text, Path::new("x/state.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("x/state.toml:3"), "{err}");
    }

    #[test]
    fn newer_schema_is_refused() {
        let err = State::parse("schema = 2\n[future]\nx = 1\n", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer"), "{err}");
    }

    #[test]
    fn schema_zero_and_binary_files_are_refused_with_a_hint() {
        let err = State::parse("schema = 0\n", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("schema 0") && err.contains("hint:"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".preflight")).unwrap();
        std::fs::write(state_path(dir.path()), b"schema = 1\n\xff\xfe\x00").unwrap();
        let err = State::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not UTF-8") && err.contains("hint:"), "{err}");
    }

    #[test]
    fn a_failed_save_names_the_folder_and_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".preflight"), "").unwrap();
        // Nothing to read there: a fresh state, and saving says why it cannot.
        let state = State::load(dir.path()).unwrap();
        let err = format!("{:#}", state.save(dir.path()).unwrap_err());
        assert!(
            err.contains("cannot save") && err.contains("is not a folder; move it away"),
            "{err}"
        );
        assert_eq!(std::fs::read(dir.path().join(".preflight")).unwrap(), b"");
    }

    #[test]
    fn history_is_bounded() {
        let mut state = State::default();
        for _ in 0..30 {
            state.push_history(CheckRun {
                at: now_rfc3339(),
                failing: vec![],
                passed: vec![],
            });
        }
        assert_eq!(state.history.len(), HISTORY_LIMIT);
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let now = now_rfc3339();
        assert!(now.ends_with('Z') && now.len() == 20, "{now}");
    }
}

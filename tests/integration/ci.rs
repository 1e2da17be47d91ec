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

/// `path` (YAML) as JSON, read by PyYAML from the validators venv.
fn yaml_as_json(python: &Path, path: &Path) -> serde_json::Value {
    let out = Process::new(python)
        .args([
            "-c",
            "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn repo_file(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs `cmd`, returning its exit code and its stdout and stderr together.
fn code_and_text(cmd: &mut Process) -> (Option<i32>, String) {
    let out = cmd.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn the_pre_commit_hook_is_valid_and_fails_on_findings_without_touching_a_file() {
    let Some(pre_commit) = tools::require_tool("pre-commit") else {
        return;
    };
    let Some(python) = tools::require_python(&["pyyaml"]) else {
        return;
    };
    let Some(git) = tools::require_tool("git") else {
        return;
    };
    let manifest = repo_file(".pre-commit-hooks.yaml");
    let (code, text) = code_and_text(
        Process::new(&pre_commit)
            .arg("validate-manifest")
            .arg(&manifest),
    );
    assert_eq!(code, Some(0), "{text}");
    let hooks = yaml_as_json(&python, &manifest);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "preflight-check");
    assert_eq!(hook["language"], "rust", "pre-commit builds it with cargo");
    assert_eq!(
        hook["pass_filenames"], false,
        "check takes a folder, not files"
    );
    let entry = hook["entry"].as_str().expect("entry");
    let args = entry
        .strip_prefix("preflight ")
        .expect("entry runs preflight");

    // The demo project as a git repository whose state file is committed, with the
    // hook as pre-commit runs it (language: system, so nothing is built here).
    let project = crate::util::demo_project();
    let root = project.path();
    crate::util::preflight()
        .arg("check")
        .arg(root)
        .assert()
        .code(1);
    assert!(root.join(".preflight/state.toml").is_file());
    let home = tempfile::tempdir().expect("tempdir");
    let run_hook = |hook_args: &str, extra: &str| {
        let config = format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: preflight-check\n        \
             name: preflight check\n        entry: {} {hook_args}\n        \
             language: system\n        pass_filenames: false\n{extra}",
            env!("CARGO_BIN_EXE_preflight")
        );
        std::fs::write(root.join(".pre-commit-config.yaml"), config).expect("write");
        let git_run = |args: &[&str]| {
            let (code, text) = code_and_text(Process::new(&git).args(args).current_dir(root));
            assert_eq!(code, Some(0), "git {args:?}: {text}");
        };
        git_run(&["add", "-A"]);
        code_and_text(
            Process::new(&pre_commit)
                .args(["run", "--all-files"])
                .current_dir(root)
                .env("PRE_COMMIT_HOME", home.path())
                .env("NO_COLOR", "1")
                .env("PREFLIGHT_CONFIG_DIR", home.path().join("config")),
        )
    };
    let (code, text) = code_and_text(
        Process::new(&git)
            .args(["init", "-q", "-b", "main"])
            .current_dir(root),
    );
    assert_eq!(code, Some(0), "{text}");

    // Findings at or above high: the hook fails and says why; no file changed.
    let (code, text) = run_hook(args, "");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("preflight check") && text.contains("Failed"),
        "{text}"
    );
    assert!(text.contains("debug-off"), "{text}");
    assert!(!text.contains("files were modified by this hook"), "{text}");
    // args: from a user's config go after the entry.
    let (code, text) = run_hook(args, "        args: [--fail-on, none]\n");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");
    // Without --no-record the hook would rewrite the committed state file on every run.
    let (code, text) = run_hook("check", "        args: [--fail-on, none]\n");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("files were modified by this hook"), "{text}");
}

#[test]
fn the_github_workflow_example_is_valid_and_its_commands_run() {
    let Some(checker) = tools::require_tool("check-jsonschema") else {
        return;
    };
    let Some(python) = tools::require_python(&["pyyaml"]) else {
        return;
    };
    let workflow = repo_file("examples/github-actions/preflight.yml");
    let (code, text) = code_and_text(
        Process::new(&checker)
            .args(["--builtin-schema", "vendor.github-workflows"])
            .arg(&workflow),
    );
    assert_eq!(code, Some(0), "{text}");
    let json = yaml_as_json(&python, &workflow);
    let job = &json["jobs"]["preflight"];
    assert_eq!(
        job["permissions"]["security-events"], "write",
        "upload-sarif needs it"
    );
    let steps = job["steps"].as_array().expect("steps");
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    let sarif_file = upload["with"]["sarif_file"].as_str().expect("sarif_file");

    // Every preflight command of the workflow, run on the demo project as written.
    let project = crate::util::demo_project();
    let mut ran = Vec::new();
    for run in steps.iter().filter_map(|s| s["run"].as_str()) {
        let Some(rest) = run.trim().strip_prefix("preflight ") else {
            continue;
        };
        let (command, output) = match rest.split_once(" > ") {
            Some((command, file)) => (command, Some(file.trim())),
            None => (rest, None),
        };
        let out = crate::util::preflight()
            .args(command.split_whitespace())
            .current_dir(project.path())
            .output()
            .expect("runs");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`preflight {command}` exited {code:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if command.contains("--fail-on none") {
            assert_eq!(code, Some(0), "{command}");
        }
        if let Some(file) = output {
            assert_eq!(file, sarif_file, "the upload takes the file the scan wrote");
            let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
            assert_eq!(sarif["version"], "2.1.0");
        }
        ran.push(command.to_owned());
    }
    assert!(ran.iter().any(|c| c.contains("--format sarif")), "{ran:?}");
    assert!(
        ran.iter().any(|c| c.contains("--fail-on critical")),
        "{ran:?}"
    );
}

/// The backticked command in the README's completions row for `shell`.
fn readme_completion_command<'a>(readme: &'a str, shell: &str) -> &'a str {
    let row = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {shell} | `")))
        .unwrap_or_else(|| panic!("the README's completions table has no {shell} row"));
    row.split('`').nth(1).expect("a command in backticks")
}

#[test]
fn the_readme_install_section_matches_cargo_toml_and_its_completions_load() {
    let readme = std::fs::read_to_string(repo_file("README.md")).expect("README");
    let cargo: toml::Table = std::fs::read_to_string(repo_file("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("TOML");
    let rust = cargo["package"]["rust-version"]
        .as_str()
        .expect("rust-version in Cargo.toml");
    assert!(
        readme.contains(&format!("Rust {rust} or newer")),
        "the README's prerequisites name another Rust than rust-version = {rust}"
    );
    assert!(readme.contains("cargo install --locked --path ."));

    // A fresh home with `preflight` on PATH, as after the install step.
    let home = tempfile::tempdir().expect("tempdir");
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_preflight"), bin.join("preflight"))
        .expect("symlink");
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let in_home = |program: &Path, args: &[&str]| {
        code_and_text(
            Process::new(program)
                .args(args)
                .env("HOME", home.path())
                .env("PATH", &path)
                .env_remove("XDG_DATA_HOME")
                .env_remove("XDG_CONFIG_HOME")
                .current_dir(home.path()),
        )
    };
    let bash_completion = Path::new("/usr/share/bash-completion/bash_completion");
    let shells: [(&str, String, &str); 3] = [
        (
            "bash",
            format!(
                "source {}; _completion_loader preflight; complete -p preflight",
                bash_completion.display()
            ),
            "-F _preflight preflight",
        ),
        (
            "zsh",
            "fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit -u -d ~/.zcompdump; \
             print -r -- ${_comps[preflight]}"
                .to_owned(),
            "_preflight",
        ),
        ("fish", "complete -C 'preflight sta'".to_owned(), "status\t"),
    ];
    for (shell, load, expected) in shells {
        let command = readme_completion_command(&readme, shell);
        let (code, text) = in_home(Path::new("sh"), &["-c", command]);
        assert_eq!(code, Some(0), "`{command}`: {text}");
        let Some(program) = tools::require_tool(shell) else {
            continue;
        };
        if shell == "bash" && !bash_completion.is_file() {
            tools::missing("bash-completion", "the package is not installed");
            continue;
        }
        let args: &[&str] = if shell == "zsh" {
            &["-f", "-c"]
        } else {
            &["-c"]
        };
        let (code, text) = in_home(&program, &[args, &[load.as_str()]].concat());
        assert!(
            code == Some(0) && text.contains(expected),
            "{shell} did not load the completions the README installs:\n{text}"
        );
    }
}

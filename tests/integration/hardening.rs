//! Hardening: a cloned repository cannot turn preflight against its user.
//! Each test is one attack; each fails without its fix.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::util::{preflight, write};

/// A minimal Flask project.
fn flask_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "requirements.txt",
        "flask==3.0\ngunicorn==23.0\n",
    );
    write(
        dir.path(),
        "app.py",
        "import os\nfrom flask import Flask\napp = Flask(__name__)\n\
         app.config[\"SECRET_KEY\"] = os.environ[\"SECRET_KEY\"]\n",
    );
    dir
}

/// Runs preflight with `args` and the project path; returns (code, stderr).
fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let out = preflight()
        .args(args)
        .arg(root)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run preflight");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The refusal every escape gets: exit 2, `error:` naming the link, a hint.
fn assert_refused(code: i32, stderr: &str, what: &str) {
    assert_eq!(code, 2, "{what}: {stderr}");
    assert!(stderr.contains("error: "), "{what}: {stderr}");
    assert!(stderr.contains("outside the project"), "{what}: {stderr}");
    assert!(stderr.contains("hint:"), "{what}: {stderr}");
}

#[test]
fn generate_never_writes_through_a_dangling_link_out_of_the_project() {
    let project = flask_project();
    let outside = tempfile::tempdir().expect("tempdir");
    let victim = outside.path().join(".bash_profile");
    write(
        project.path(),
        ".preflight/templates/Procfile",
        "web: evil\n",
    );
    symlink(&victim, project.path().join("Procfile")).expect("symlink");
    let (code, stderr) = run(project.path(), &["generate", "--only", "procfile"]);
    assert_refused(code, &stderr, "dangling Procfile link");
    assert!(!victim.exists(), "nothing written outside");
}

#[test]
fn generate_never_writes_through_a_link_to_an_existing_file_outside() {
    let project = flask_project();
    let outside = tempfile::tempdir().expect("tempdir");
    let victim = outside.path().join("nginx.conf");
    std::fs::write(&victim, "mine\n").expect("write");
    symlink(&victim, project.path().join("nginx.conf")).expect("symlink");
    let (code, stderr) = run(project.path(), &["generate", "--force", "--only", "nginx"]);
    assert_refused(code, &stderr, "existing nginx.conf link");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "mine\n");
}

#[test]
fn a_linked_preflight_folder_or_backups_folder_is_refused() {
    for (link, dangling) in [
        (".preflight", true),
        (".preflight", false),
        (".preflight/backups", true),
        (".preflight/backups", false),
    ] {
        let project = flask_project();
        let outside = tempfile::tempdir().expect("tempdir");
        let target = outside.path().join("elsewhere");
        if !dangling {
            std::fs::create_dir(&target).expect("mkdir");
        }
        if link == ".preflight/backups" {
            std::fs::create_dir(project.path().join(".preflight")).expect("mkdir");
            // A file to replace, so generate needs a backup.
            write(project.path(), "Procfile", "web: mine\n");
        }
        symlink(&target, project.path().join(link)).expect("symlink");
        // heroku's files include the Procfile to replace.
        let (code, stderr) = run(
            project.path(),
            &["generate", "--force", "--set", "platform=heroku"],
        );
        assert_refused(code, &stderr, link);
        let leaked = walk_files(outside.path());
        assert!(leaked.is_empty(), "{link}: wrote {leaked:?} outside");
    }
}

#[test]
fn check_never_saves_state_through_a_dangling_preflight_link() {
    let project = flask_project();
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("state-home");
    symlink(&target, project.path().join(".preflight")).expect("symlink");
    let (code, stderr) = run(project.path(), &["check"]);
    assert_refused(code, &stderr, "dangling .preflight");
    assert!(!target.exists(), "nothing created outside");
}

#[test]
fn a_template_override_linked_out_of_the_project_is_never_read() {
    let project = flask_project();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("id_ed25519");
    std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n").expect("write");
    std::fs::create_dir_all(project.path().join(".preflight/templates")).expect("mkdir");
    symlink(
        &secret,
        project.path().join(".preflight/templates/Procfile"),
    )
    .expect("symlink");
    let out = preflight()
        .args(["generate", "--dry-run", "--only", "procfile"])
        .arg(project.path())
        .output()
        .expect("run");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_refused(
        out.status.code().unwrap_or(-1),
        &String::from_utf8_lossy(&out.stderr),
        "template link",
    );
    assert!(!all.contains("PRIVATE KEY"), "{all}");
    assert!(!project.path().join("Procfile").exists());
}

#[test]
fn a_link_inside_the_project_stays_allowed() {
    let project = flask_project();
    std::fs::create_dir(project.path().join("deploy")).expect("mkdir");
    symlink("deploy/Procfile", project.path().join("Procfile")).expect("symlink");
    let (code, stderr) = run(project.path(), &["generate", "--only", "procfile"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(project.path().join("deploy/Procfile")).expect("read");
    assert!(text.contains("web:"), "{text}");
    assert!(
        std::fs::symlink_metadata(project.path().join("Procfile"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );
}

/// Makes a FIFO at `path` with mkfifo(1).
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_fifo_where_a_file_should_be_is_refused_without_hanging() {
    for (name, command) in [
        (".env", &["generate"][..]),
        (".env.example", &["generate"][..]),
        ("nginx.conf", &["generate", "--only", "nginx"][..]),
        (".gitignore", &["generate"][..]),
        (".preflight/state.toml", &["check"][..]),
        (".preflight/state.toml", &["status"][..]),
    ] {
        let project = flask_project();
        std::fs::create_dir_all(project.path().join(".preflight")).expect("mkdir");
        mkfifo(&project.path().join(name));
        // `run` has a 60 s timeout: a hang fails the test instead of blocking it.
        let (code, stderr) = run(project.path(), command);
        assert_eq!(code, 2, "{name} {command:?}: {stderr}");
        assert!(
            stderr.contains("FIFO") && stderr.contains("hint:"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn report_o_keeps_an_unreadable_file_and_json_that_is_no_report() {
    use std::os::unix::fs::PermissionsExt;
    let project = flask_project();
    let json = project.path().join("data.json");
    std::fs::write(&json, "{\"generated_at\": \"mine\", \"rows\": [1, 2]}\n").expect("write");
    let (code, stderr) = run(
        project.path(),
        &["report", "-o", json.to_str().expect("utf-8")],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        std::fs::read_to_string(&json)
            .expect("read")
            .contains("rows")
    );
    // Root reads anything, so an unreadable file cannot be made; skip there.
    let locked = project.path().join("locked.md");
    std::fs::write(&locked, "private notes\n").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o200)).expect("chmod");
    if std::fs::read(&locked).is_err() {
        let (code, stderr) = run(
            project.path(),
            &["report", "-o", locked.to_str().expect("utf-8")],
        );
        assert_eq!(code, 2, "{stderr}");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(
            std::fs::read_to_string(&locked).expect("read"),
            "private notes\n"
        );
    }
}

#[test]
fn report_o_through_a_link_out_of_the_project_is_refused() {
    let project = flask_project();
    let outside = tempfile::tempdir().expect("tempdir");
    let victim = outside.path().join("review.md");
    symlink(&victim, project.path().join("review.md")).expect("symlink");
    let out = preflight()
        .current_dir(project.path())
        .args(["report", ".", "-o", "review.md"])
        .output()
        .expect("run");
    assert_refused(
        out.status.code().unwrap_or(-1),
        &String::from_utf8_lossy(&out.stderr),
        "report -o",
    );
    assert!(!victim.exists());
}

/// Every file under `dir`, recursively (not following links).
fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                found.extend(walk_files(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// Secrets planted in a project, each a shape the redactor must cut; the
/// tails are what must never appear.
const PLANTED: &[(&str, &str)] = &[
    ("sk_live_51HxQwErTyUiOpAsDfGhJkLzXcVbNm", "GhJkLzXcVbNm"),
    ("sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "Rs8tUv1wXy4z"),
    ("LEAKLEAKLEAK0123456789", "LEAKLEAKLEAK"),
    ("ABCDEFGHIJKLMNOPQRSTUVWX", "MNOPQRSTUVWX"),
    ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", "838347Ae178B4a"),
];

/// A Flask app that sets and prints keys in the ways the attacks used.
fn leaky_project() -> tempfile::TempDir {
    let dir = flask_project();
    write(
        dir.path(),
        "app.py",
        &format!(
            "import os\nfrom flask import Flask\napp = Flask(__name__)\n\
             app.config[\"SECRET_KEY\"] = os.environ[\"SECRET_KEY\"]\n\
             os.environ[\"STRIPE_API_KEY\"] = \"{}\"\n\
             print(\"k\", \"{}\")\n\
             os.environ[\"API_TOKEN\"] = \"abc\\\"{}\"\n\
             os.environ[\"SENTRY_KEY\"] = \"{}\"\n\
             print(\"fetch\", \"http://{}@api.github.com/repos\")\n",
            PLANTED[0].0, PLANTED[1].0, PLANTED[2].0, PLANTED[3].0, PLANTED[4].0
        ),
    );
    dir
}

/// stdout and stderr of `preflight ARGS PATH`, whatever the exit code.
fn output(root: &Path, args: &[&str]) -> String {
    let out = preflight().args(args).arg(root).output().expect("run");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_planted_secret_appears_in_check_report_or_state() {
    let project = leaky_project();
    let mut seen = String::new();
    for args in [
        &["check", "--verbose"][..],
        &["check", "--format", "json"][..],
        &["check", "--format", "sarif"][..],
        &["report"][..],
        &["report", "--format", "html"][..],
        &["report", "--format", "json"][..],
        &["status", "--json"][..],
    ] {
        let text = output(project.path(), args);
        for (secret, tail) in PLANTED {
            assert!(!text.contains(tail), "{args:?} printed {secret}:\n{text}");
        }
        seen.push_str(&text);
    }
    // The evidence is there, only cut.
    assert!(seen.contains("\"sk_live_"), "{seen}");
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    for (secret, tail) in PLANTED {
        assert!(!state.contains(tail), "state.toml holds {secret}");
    }
}

#[test]
fn dry_run_shows_existing_env_values_by_length_only() {
    for (name, existing) in [
        (
            "no final newline",
            "OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        ),
        (
            "BOM",
            "\u{feff}OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\n",
        ),
        (
            "BOM and no final newline",
            "\u{feff}OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        ),
    ] {
        let project = flask_project();
        write(project.path(), ".env", existing);
        let text = output(project.path(), &["generate", "--dry-run", "--only", "env"]);
        assert!(!text.contains("Rs8tUv1wXy4z"), "{name}:\n{text}");
        assert!(
            text.contains("OPENAI_API_KEY=<kept: 40 chars>"),
            "{name}:\n{text}"
        );
    }
}

#[test]
fn a_state_file_parse_error_does_not_echo_the_value() {
    let project = flask_project();
    write(
        project.path(),
        ".preflight/state.toml",
        "schema = 1\n[items.secret-key-from-env]\nstatus = \"sk_live_51HxQwErTyUiOpAsDfGhJkLzXcVbNm\"\n",
    );
    let out = preflight()
        .args(["status"])
        .arg(project.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("state.toml:3"), "{stderr}");
    assert!(!stderr.contains("GhJkLzXcVbNm"), "{stderr}");
}

#[test]
fn an_over_deep_expression_is_skipped_with_a_warning_and_the_scan_goes_on() {
    let project = flask_project();
    write(
        project.path(),
        "settings.py",
        &format!(
            "DEBUG = {}1{}\nFLAG = {}True\nSECRET_KEY = 'hard-coded-secret-value'\n",
            "[".repeat(1000),
            "]".repeat(1000),
            "not ".repeat(10_000)
        ),
    );
    for command in ["check", "status", "report"] {
        let out = preflight()
            .arg(command)
            .arg(project.path())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{command}: {:?} {stderr}",
            out.status
        );
        if command == "check" {
            assert!(stderr.contains("settings.py:1:"), "{stderr}");
            assert!(stderr.contains("settings.py:2:"), "{stderr}");
        }
    }
}

/// Item ids any project can skip by hand.
fn item_ids(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/checklist.toml"),
    )
    .expect("checklist");
    text.lines()
        .filter_map(|line| line.strip_prefix("id = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .take(n)
        .collect()
}

#[test]
fn twenty_parallel_marks_are_all_kept() {
    let project = flask_project();
    let ids = item_ids(20);
    assert_eq!(ids.len(), 20);
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
                .env("PREFLIGHT_CONFIG_DIR", project.path().join("no-config"))
                .args(["mark", id, "skip", "--reason", "parallel"])
                .arg(project.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    let kept = ids
        .iter()
        .filter(|id| {
            state
                .split(&format!("[items.{id}]"))
                .nth(1)
                .is_some_and(|rest| rest.contains("status = \"skipped\""))
        })
        .count();
    assert_eq!(kept, 20, "{state}");
}

#[test]
fn check_beside_mark_never_wipes_the_mark() {
    for round in 0..15 {
        let project = flask_project();
        // A first check, so both later runs start from a saved state.
        run(project.path(), &["check"]);
        let check = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
            .env("PREFLIGHT_CONFIG_DIR", project.path().join("no-config"))
            .arg("check")
            .arg(project.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let (code, stderr) = run(
            project.path(),
            &["mark", "backups", "skip", "--reason", "managed"],
        );
        assert_eq!(code, 0, "{stderr}");
        check.wait_with_output().expect("wait");
        let state =
            std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
        let kept = state
            .split("[items.backups]")
            .nth(1)
            .is_some_and(|rest| rest.contains("status = \"skipped\""));
        assert!(kept, "round {round}: the mark was wiped\n{state}");
    }
}

#[test]
fn kill_9_during_generate_leaves_no_stray_file_and_the_next_run_cleans_up() {
    let project = flask_project();
    for round in 0..12_u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
            .env("PREFLIGHT_CONFIG_DIR", project.path().join("no-config"))
            .args(["generate", "--force"])
            .arg(project.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        // Kills at different points of the run, from start-up to the writes.
        std::thread::sleep(std::time::Duration::from_millis(round * 25));
        let _ = child.kill();
        let _ = child.wait();
    }
    let stray: Vec<_> = walk_files(project.path())
        .into_iter()
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(".preflight-tmp-"))
        })
        .filter(|path| !path.starts_with(project.path().join(".preflight/tmp")))
        .collect();
    assert!(
        stray.is_empty(),
        "temp files outside .preflight/tmp: {stray:?}"
    );
    let (code, stderr) = run(project.path(), &["generate", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let ignore = std::fs::read_to_string(project.path().join(".preflight/tmp/.gitignore"));
    assert!(ignore.is_ok_and(|text| text.lines().any(|l| l == "*")));
    let left: Vec<_> = walk_files(&project.path().join(".preflight/tmp"))
        .into_iter()
        .filter(|path| !path.ends_with(".gitignore"))
        .collect();
    assert!(left.is_empty(), "the next run leaves {left:?}");
}

#[test]
fn a_template_override_that_loops_or_explodes_stops_with_an_error_naming_it() {
    for (what, template) in [
        (
            "nested loops",
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        ),
        ("a huge string", "{% set s = \"x\" * 1000000000 %}{{ s }}"),
        (
            "doubling",
            "{% set ns = namespace(s=\"ab\") %}{% for i in range(60) %}\
             {% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        ),
        (
            "endless recursion",
            "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
        ),
        (
            "megabytes of output",
            "{% for i in range(100000) %}{{ \"x\" * 20 }}{% endfor %}",
        ),
    ] {
        let project = flask_project();
        write(project.path(), ".preflight/templates/Procfile", template);
        let started = std::time::Instant::now();
        // `run` has a 60 s timeout: a render that never ends fails the test.
        let (code, stderr) = run(project.path(), &["generate", "--only", "procfile"]);
        assert_eq!(code, 2, "{what}: {stderr}");
        assert!(
            stderr.contains("error: rendering .preflight/templates/Procfile: ")
                && stderr.contains("hint:"),
            "{what}: {stderr}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{what} took {:?}",
            started.elapsed()
        );
        assert!(!project.path().join("Procfile").exists(), "{what}");
    }
}

#[test]
fn a_template_error_never_sends_the_template_s_escape_sequences_to_the_terminal() {
    let project = flask_project();
    write(
        project.path(),
        ".preflight/templates/Procfile",
        "web: {{ nope }} \x1b]0;owned\x07\x1b[2J\n",
    );
    let (code, stderr) = run(project.path(), &["generate", "--only", "procfile"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}"), "{stderr:?}");
}

/// A repository whose project sits in `app/`, with `top/.gitignore` made by `make`.
fn nested_project(make: impl Fn(&Path)) -> (tempfile::TempDir, std::path::PathBuf) {
    let top = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(top.path().join(".git")).expect("mkdir .git");
    let app = top.path().join("app");
    let project = flask_project();
    std::fs::rename(project.path(), &app).expect("move the project under the top");
    make(&top.path().join(".gitignore"));
    (top, app)
}

#[test]
fn a_fifo_or_a_link_as_the_gitignore_above_the_project_is_never_read() {
    // A FIFO: reading it would block forever (`run` has a 60 s timeout).
    let (_top, app) = nested_project(mkfifo);
    let (code, stderr) = run(&app, &["generate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::read_to_string(app.join(".gitignore")).is_ok_and(|t| t.contains(".env")),
        "the project's own .gitignore protects .env"
    );

    // A link out of the repository, to a file that would ignore .env: git
    // does not read a symlinked .gitignore, so preflight must not count it.
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("rules");
    std::fs::write(&target, ".env\n").expect("write");
    let (_top, app) = nested_project(|gitignore| symlink(&target, gitignore).expect("symlink"));
    let (code, stderr) = run(&app, &["generate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::read_to_string(app.join(".gitignore")).is_ok_and(|t| t.contains(".env")),
        "the linked rules did not count, so .env was added where git reads it"
    );
}

#[test]
fn a_file_name_can_neither_drive_the_terminal_nor_forge_a_line() {
    // A cloned repository names its files: an OSC title sequence, a bell and a
    // newline followed by a line that looks like preflight's own.
    let project = flask_project();
    let name = "x\u{1b}]0;owned\u{7}\nerror: forged.py";
    write(
        project.path(),
        name,
        "API_KEY = \"sk_live_51HxQ2eZvKYlo2C0a9Qh3r4T5u6V7w8X9y\"\nprint(API_KEY)\n",
    );
    for args in [vec!["check"], vec!["check", "--verbose"], vec!["report"]] {
        let out = preflight()
            .args(&args)
            .arg(project.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stdout.contains("x\\u{1b}]0;owned\\u{7}"),
            "{args:?}: the file is named, escaped:\n{stdout}"
        );
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains('\u{1b}'),
                "{args:?}: an escape reached the terminal"
            );
            assert!(
                !text.contains('\u{7}'),
                "{args:?}: a bell reached the terminal"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("error: forged")),
                "{args:?}: a forged line:\n{text}"
            );
        }
    }
}

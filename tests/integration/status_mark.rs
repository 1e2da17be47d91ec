//! `status` and `mark` against the real binary.

use predicates::prelude::*;

use crate::util::{demo_project, preflight, status_item, status_json};

#[test]
fn status_lists_76_unique_items_in_7_phases() {
    let project = demo_project();
    let json = status_json(project.path());
    assert_eq!(json["schema"], 1);
    assert_eq!(json["total"], 76);
    let items = json["items"].as_array().expect("items");
    let ids: std::collections::HashSet<_> = items.iter().map(|i| i["id"].as_str()).collect();
    assert_eq!(ids.len(), 76);
    assert_eq!(json["phases"].as_array().expect("phases").len(), 7);
    for item in items {
        let status = item["status"].as_str().expect("status");
        assert!(
            ["todo", "done", "failing", "skipped", "na"].contains(&status),
            "{status}"
        );
        // `by` is null for an item nobody and nothing decided yet.
        assert!(
            item["by"].is_null() || ["auto", "user"].contains(&item["by"].as_str().expect("by"))
        );
        assert!(item["stale"].is_boolean(), "{item}");
    }
}

#[test]
fn mark_persists_and_status_shows_it() {
    let project = demo_project();
    preflight()
        .args(["mark", "api-auth-required", "done"])
        .arg(project.path())
        .assert()
        .success();
    let json = status_json(project.path());
    let item = status_item(&json, "api-auth-required");
    assert_eq!(item["status"], "done");
    assert_eq!(item["by"], "user");
    assert!(json["done"].as_u64().expect("done") >= 1);

    preflight()
        .args([
            "mark",
            "backups",
            "skip",
            "--reason",
            "the platform snapshots nightly",
        ])
        .arg(project.path())
        .assert()
        .success();
    let text =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    assert!(text.contains("the platform snapshots nightly"));
}

#[test]
fn unknown_id_exits_2_and_suggests() {
    let project = demo_project();
    preflight()
        .args(["mark", "debug-of", "done"])
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: unknown item id `debug-of`",
        ))
        .stderr(predicate::str::contains("debug-off"));
}

#[test]
fn skip_and_na_need_a_reason() {
    let project = demo_project();
    for status in ["skip", "na"] {
        preflight()
            .args(["mark", "backups", status])
            .arg(project.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("needs a reason"));
    }
    assert!(
        !project.path().join(".preflight/state.toml").exists(),
        "nothing was written"
    );
}

#[test]
fn automatic_items_cannot_be_marked_done() {
    let project = demo_project();
    preflight()
        .args(["mark", "debug-off", "done"])
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("decided by the scanner"));
}

#[test]
fn corrupt_state_is_reported_and_left_alone() {
    let project = demo_project();
    let state = project.path().join(".preflight/state.toml");
    std::fs::create_dir_all(state.parent().expect("parent")).expect("mkdir");
    let corrupt = b"schema = 1\n[items.debug-off\nstatus = done\n";
    std::fs::write(&state, corrupt).expect("write");
    preflight()
        .args(["mark", "api-auth-required", "done"])
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("state.toml:2"))
        .stderr(predicate::str::contains("hint:"));
    assert_eq!(
        std::fs::read(&state).expect("read"),
        corrupt,
        "left byte for byte"
    );
    preflight()
        .arg("status")
        .arg(project.path())
        .assert()
        .code(2);
}

#[test]
fn newer_schema_is_refused() {
    let project = demo_project();
    let state = project.path().join(".preflight/state.toml");
    std::fs::create_dir_all(state.parent().expect("parent")).expect("mkdir");
    std::fs::write(&state, "schema = 7\n").expect("write");
    preflight()
        .args(["mark", "api-auth-required", "done"])
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("newer"));
    assert_eq!(
        std::fs::read_to_string(&state).expect("read"),
        "schema = 7\n"
    );
}

#[test]
fn wizard_without_a_terminal_exits_2() {
    let project = demo_project();
    preflight()
        .arg(project.path())
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("preflight check"));
}

#[test]
fn human_status_shows_every_phase() {
    let project = demo_project();
    preflight()
        .arg("status")
        .arg(project.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Secrets and keys"))
        .stdout(predicate::str::contains("Critical items still open"))
        // status re-scans first: the demo's two passing auto items count as done.
        .stdout(predicate::str::contains(
            "2 of 76 items settled (2 done · 0 waived)",
        ));
}

#[test]
fn missing_project_dir_is_a_clear_error() {
    preflight()
        .args(["status", "/nonexistent/project"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/project is not a project directory: it does not exist",
        ));
    let project = demo_project();
    preflight()
        .arg("status")
        .arg(project.path().join("manage.py"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "manage.py is not a project directory: it is a file",
        ))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn help_and_completions_work() {
    preflight()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    preflight().arg("--version").assert().success();
    preflight()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("preflight"));
}

#[test]
fn done_is_refused_while_the_scanner_finds_the_item_failing() {
    let project = demo_project();
    // The demo hard-codes its key: the scan records secret-key-from-env failing.
    preflight()
        .arg("status")
        .arg(project.path())
        .assert()
        .success();
    let output = preflight()
        .args(["mark", "secret-key-from-env", "done"])
        .arg(project.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("config/settings.py:") && stderr.contains("hint:"),
        "{stderr}"
    );
    let state = preflight::state::State::load(project.path()).expect("state");
    assert_eq!(
        state.items["secret-key-from-env"].status,
        preflight::state::Status::Failing
    );
}

#[test]
fn a_folder_without_a_project_is_called_out_by_status_and_report() {
    let empty = tempfile::tempdir().expect("tempdir");
    for command in ["status", "report"] {
        preflight()
            .arg(command)
            .arg(empty.path())
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "warning: no Python web project was found",
            ));
    }
    for command in ["check", "status", "report"] {
        preflight()
            .arg(command)
            .arg(empty.path())
            .assert()
            .success();
    }
    assert!(
        !empty.path().join(".preflight").exists(),
        "the wrong folder is left without a .preflight/"
    );
    let project = demo_project();
    preflight()
        .arg("status")
        .arg(project.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("no Python web project").not());
}

#[test]
fn status_names_a_failing_critical_item_by_its_problem() {
    let project = demo_project();
    let output = preflight()
        .arg("status")
        .arg(project.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("secret-key-from-env"))
        .unwrap_or_else(|| panic!("no secret-key-from-env line in {stdout}"));
    // The demo hard-codes its key: the line says what is wrong, as `check` does.
    assert!(line.contains("The secret key is hard-coded"), "{line}");
    assert!(!line.contains("is read from the environment"), "{line}");
}

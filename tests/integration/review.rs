//! The pre-release review's contract: `status --json` and `report --format
//! json` say what regressed, went stale or fell due, as the issue's "Done
//! when" walks it on the Django demo.

use crate::util::{demo_project, preflight, status_item, status_json};

fn mark(project: &std::path::Path, id: &str, status: &str) {
    preflight()
        .args(["mark", id, status])
        .arg(project)
        .assert()
        .success();
}

fn edit(project: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = project.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn report_json(project: &std::path::Path) -> serde_json::Value {
    let out = preflight()
        .args(["report", "--format", "json"])
        .arg(project)
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("report json")
}

#[test]
fn status_json_carries_stale_due_last_done_every_days_and_a_null_by() {
    let project = demo_project();
    let json = status_json(project.path());
    for item in json["items"].as_array().expect("items") {
        assert!(item["stale"].is_boolean(), "{item}");
        let recurring = item["phase"] == 7;
        assert_eq!(item.get("every_days").is_some(), recurring, "{item}");
        assert_eq!(item.get("last_done").is_some(), recurring, "{item}");
        assert_eq!(item.get("due").is_some(), recurring, "{item}");
    }
    // Nobody and nothing decided `backups` yet; the scanner decided debug-off.
    assert!(status_item(&json, "backups")["by"].is_null());
    assert_eq!(status_item(&json, "debug-off")["by"], "auto");
    // A recurring task never done is due.
    let rotate = status_item(&json, "rotate-secrets");
    assert_eq!(rotate["due"], true);
    assert!(rotate["last_done"].is_null());
    assert_eq!(rotate["every_days"], 90);

    mark(project.path(), "rotate-secrets", "done");
    let json = status_json(project.path());
    let rotate = status_item(&json, "rotate-secrets");
    assert_eq!(rotate["due"], false);
    let today = jiff::Timestamp::now().to_string();
    assert_eq!(rotate["last_done"], today[..10]);
}

#[test]
fn a_decision_goes_stale_when_its_files_change_and_marking_again_reconfirms() {
    let project = demo_project();
    mark(project.path(), "api-auth-required", "done");
    let json = status_json(project.path());
    assert_eq!(status_item(&json, "api-auth-required")["stale"], false);
    assert_eq!(status_item(&json, "api-auth-required")["by"], "user");

    // No review ever ran: a view edited after the decision makes it stale.
    edit(
        project.path(),
        "ledger/views.py",
        "import csv",
        "import csv  # edited",
    );
    let json = status_json(project.path());
    assert_eq!(status_item(&json, "api-auth-required")["stale"], true);
    let report = report_json(project.path());
    assert!(
        report["stale"]
            .as_array()
            .expect("stale")
            .contains(&"api-auth-required".into())
    );

    mark(project.path(), "api-auth-required", "done");
    let json = status_json(project.path());
    assert_eq!(status_item(&json, "api-auth-required")["stale"], false);
}

#[test]
fn debug_fixed_then_broken_again_is_a_regression_in_the_json_and_markdown_reports() {
    let project = demo_project();
    preflight()
        .arg("check")
        .arg(project.path())
        .assert()
        .code(1);
    edit(
        project.path(),
        "config/settings.py",
        "DEBUG = True",
        "DEBUG = False",
    );
    preflight()
        .arg("check")
        .arg(project.path())
        .output()
        .expect("check");
    edit(
        project.path(),
        "config/settings.py",
        "DEBUG = False",
        "DEBUG = True",
    );
    preflight()
        .arg("check")
        .arg(project.path())
        .assert()
        .code(1);

    let report = report_json(project.path());
    let regressions = report["regressions"].as_array().expect("regressions");
    assert!(regressions.contains(&"debug-off".into()), "{regressions:?}");
    assert!(report["stale"].is_array());
    let due = report["due"].as_array().expect("due ids");
    assert!(due.contains(&"rotate-secrets".into()), "{due:?}");
    assert_eq!(report["due_items"][0]["id"], due[0]);

    let out = preflight()
        .arg("report")
        .arg(project.path())
        .output()
        .expect("md");
    let markdown = String::from_utf8_lossy(&out.stdout);
    let section = markdown
        .split("## Regressed")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Regressed section");
    assert!(section.contains("`debug-off` — DEBUG is on"), "{section}");
    // What changed comes before the progress table.
    assert!(markdown.find("## Regressed") < markdown.find("## Progress"));
}

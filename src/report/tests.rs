//! The report model and its three renderings.

use super::*;
use crate::project::{Framework, Project};
use crate::scan::Finding;

fn scan_with_findings() -> ScanReport {
    let finding = |item: &str, file: &str, line: usize, evidence: &str| Finding {
        item: item.into(),
        severity: Checklist::get().item(item).unwrap().severity,
        title: "t",
        file: Some(file.into()),
        line: Some(line),
        evidence: Some(evidence.into()),
        fix: "",
    };
    ScanReport {
        project: Project {
            name: "shop <api>".into(),
            framework: Framework::Django,
            entrypoint: Some("config.wsgi:application".into()),
            ..Project::default()
        },
        findings: vec![
            finding("debug-off", "config/settings.py", 36, "DEBUG = True"),
            finding(
                "secret-key-from-env",
                "config/settings.py",
                23,
                "SECRET_KEY = 'django-insec…'",
            ),
            finding(
                "no-debug-prints",
                "app/views.py",
                3,
                "print(\"<script>alert(1)</script>\")",
            ),
        ],
        passed: vec!["env-gitignored".into()],
        ..ScanReport::default()
    }
}

fn state_after(scan: &ScanReport) -> State {
    let mut state = State::default();
    // An earlier run in which debug-off passed and csrf-protected failed.
    state.push_history(CheckRun {
        at: "2026-01-01T00:00:00Z".into(),
        failing: vec!["csrf-protected".into()],
        passed: vec!["debug-off".into()],
    });
    state.mark(
        "backups",
        Status::Skipped,
        Some("the platform snapshots | nightly".into()),
    );
    state.mark("rotate-secrets", Status::Done, None);
    state.items.get_mut("rotate-secrets").unwrap().at = "2020-01-01T00:00:00Z".into();
    crate::scan::record(&mut state, scan);
    state
}

#[test]
fn open_items_carry_evidence_and_come_failing_first() {
    let scan = scan_with_findings();
    let state = state_after(&scan);
    let report = build(&scan, &state, jiff::Timestamp::now());
    assert_eq!(report.project.framework, Framework::Django);
    assert_eq!(report.open[0].status, Status::Failing);
    assert_eq!(report.open[0].severity, Severity::Critical);
    let debug = report.open.iter().find(|i| i.id == "debug-off").unwrap();
    assert_eq!(debug.evidence[0].location(), "config/settings.py:36");
    assert_eq!(debug.evidence[0].text.as_deref(), Some("DEBUG = True"));
    assert!(
        debug.fix.contains("DEBUG"),
        "Django fix text: {}",
        debug.fix
    );
    assert!(report.open.iter().all(|i| i.severity >= Severity::High));
    assert!(report.open.iter().all(|i| i.status.is_open()));
    let failing = report
        .open
        .iter()
        .take_while(|i| i.status == Status::Failing)
        .count();
    assert_eq!(failing, 3);
}

#[test]
fn waived_due_and_changes() {
    let scan = scan_with_findings();
    let state = state_after(&scan);
    let report = build(&scan, &state, jiff::Timestamp::now());
    assert_eq!(report.waived.len(), 1);
    assert_eq!(report.waived[0].id, "backups");
    // rotate-secrets ran out; the other recurring tasks were never done.
    assert_eq!(
        report.due,
        [
            "rotate-secrets",
            "dependency-updates",
            "restore-test",
            "access-review",
            "cert-expiry",
            "security-audit"
        ]
    );
    assert_eq!(report.due_items[0].id, "rotate-secrets");
    assert_eq!(report.due_items[0].period_days, 90);
    assert!(report.due_items[0].last_done.is_some());
    assert_eq!(report.due_items[1].last_done, None, "never done");
    assert_eq!(report.regressions, report.changes.regressed);
    assert_eq!(report.runs.len(), 2);
    assert_eq!(report.runs[0].failing, 3, "newest first");
    assert_eq!(
        report.changes.since.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(
        report.changes.regressed,
        ["debug-off", "no-debug-prints", "secret-key-from-env"]
    );
    assert_eq!(report.changes.fixed, ["csrf-protected"]);
}

#[test]
fn fix_text_splits_into_prose_and_code() {
    let blocks = fix_blocks(
        "Ignore it:\n    echo .env >> .gitignore\n    git rm --cached .env\nThen rotate.\n",
    );
    assert_eq!(
        blocks,
        [
            FixBlock {
                code: false,
                text: "Ignore it:".into()
            },
            FixBlock {
                code: true,
                text: "echo .env >> .gitignore\ngit rm --cached .env".into()
            },
            FixBlock {
                code: false,
                text: "Then rotate.".into()
            },
        ]
    );
}

#[test]
fn a_blank_line_inside_code_keeps_one_code_block() {
    let blocks =
        fix_blocks("Add:\n    import logging\n\n    logger = logging.getLogger()\n\nThen log.\n");
    assert_eq!(
        blocks,
        [
            FixBlock {
                code: false,
                text: "Add:".into()
            },
            FixBlock {
                code: true,
                text: "import logging\n\nlogger = logging.getLogger()".into()
            },
            FixBlock {
                code: false,
                text: "Then log.".into()
            },
        ]
    );
}

#[test]
fn changes_need_two_runs() {
    assert_eq!(changes(&[]), Changes::default());
}

#[test]
fn changes_look_past_runs_with_the_same_verdicts() {
    let run = |at: &str, failing: &[&str]| CheckRun {
        at: at.into(),
        failing: failing.iter().map(|&id| id.to_owned()).collect(),
        passed: vec![],
    };
    let history = [
        run("2026-01-01T00:00:00Z", &["csrf-protected"]),
        run("2026-01-02T00:00:00Z", &["debug-off"]),
        run("2026-01-03T00:00:00Z", &["debug-off"]),
    ];
    let changes = changes(&history);
    assert_eq!(changes.since.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(changes.regressed, ["debug-off"]);
    assert_eq!(changes.fixed, ["csrf-protected"]);

    let unchanged = super::changes(&history[1..]);
    assert_eq!(unchanged.since.as_deref(), Some("2026-01-02T00:00:00Z"));
    assert!(unchanged.regressed.is_empty() && unchanged.fixed.is_empty());
}

#[test]
fn markdown_keeps_tables_intact() {
    let scan = scan_with_findings();
    let report = build(&scan, &state_after(&scan), jiff::Timestamp::now());
    let md = render_markdown(&report);
    // `<api>` would be read as an HTML tag and vanish.
    assert!(
        md.starts_with("# Pre-release review: shop &lt;api>\n"),
        "{md}"
    );
    assert!(
        md.contains("- `config/settings.py:36` — `DEBUG = True`"),
        "{md}"
    );
    assert!(
        md.contains("the platform snapshots \\| nightly"),
        "a pipe would split the row"
    );
    assert!(
        md.contains("Regressed since 2026-01-01T00:00:00Z: `debug-off`"),
        "{md}"
    );
    assert!(md.contains("| `rotate-secrets`"), "{md}");
}

#[test]
fn html_escapes_everything_and_loads_nothing() {
    let scan = scan_with_findings();
    let report = build(&scan, &state_after(&scan), jiff::Timestamp::now());
    let page = render_html(&report);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<title>Pre-release review: shop &lt;api&gt;</title>"));
    assert!(!page.contains("<script>"), "evidence must be escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for external in ["src=", "href=\"http", "@import", "url("] {
        assert!(!page.contains(external), "external asset: {external}");
    }
    assert_eq!(html::escape("a&b\"c'<"), "a&amp;b&quot;c&#39;&lt;");
}

#[test]
fn json_has_the_documented_keys() {
    let scan = scan_with_findings();
    let report = build(&scan, &state_after(&scan), jiff::Timestamp::now());
    let json: serde_json::Value = serde_json::from_str(&render_json(&report).unwrap()).unwrap();
    for key in [
        "generated_at",
        "project",
        "done",
        "total",
        "phases",
        "open",
        "waived",
        "due",
        "runs",
        "changes",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["total"], 76);
    assert_eq!(json["project"]["framework"], "django");
    assert_eq!(json["open"][0]["evidence"][0]["file"], "config/settings.py");
    assert_eq!(json["changes"]["fixed"][0], "csrf-protected");
}

#[test]
fn markdown_carries_no_raw_html_from_reasons() {
    let scan = scan_with_findings();
    let mut state = state_after(&scan);
    state.mark(
        "backups",
        Status::Skipped,
        Some("<img src=x onerror=alert(1)> from a server header".into()),
    );
    let md = render_markdown(&build(&scan, &state, jiff::Timestamp::now()));
    assert!(!md.contains("<img"), "{md}");
    assert!(md.contains("&lt;img src=x"), "{md}");
}

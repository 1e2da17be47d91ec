//! Whole-screen snapshots with ratatui's `TestBackend`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

use super::*;
use crate::project::Project;
use crate::scan::{Finding, ScanReport};
use crate::state::State;
use crate::tui::{Journey, Keymap};

/// A wizard on a project named `fingpt-demo` after a re-check that found
/// DEBUG on, with a few items settled by hand, at a fixed time.
fn demo_app(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fingpt-demo");
    std::fs::create_dir(&root).unwrap();
    let mut state = State::default();
    state.mark("api-keys-generated", Status::Done, None);
    state.mark(
        "webhook-secret-set",
        Status::Skipped,
        Some("no webhooks yet".into()),
    );
    for record in state.items.values_mut() {
        record.at = "2026-11-20T09:30:00Z".into();
    }
    state.save(&root).unwrap();
    let mut app = App::new(&root, state, Keymap::defaults(), Journey::Review);
    app.colour = false;
    app.now = "2026-11-23T12:00:00Z".parse().unwrap();
    app.update(Action::Resize(width, height));
    let report = ScanReport {
        project: Project {
            framework: Framework::Django,
            framework_version: Some("5.0".into()),
            ..Project::default()
        },
        findings: vec![Finding {
            item: "debug-off".into(),
            severity: Severity::Critical,
            title: "DEBUG is on",
            file: Some("config/settings.py".into()),
            line: Some(26),
            evidence: Some("DEBUG = True".into()),
            fix: "",
        }],
        passed: vec!["env-gitignored".into()],
        not_applicable: Vec::new(),
    };
    app.update(Action::ScanFinished(Ok(Box::new(report))));
    for record in app.state.items.values_mut() {
        record.at = "2026-11-20T09:30:00Z".into();
    }
    app.scan = ScanState::Finished {
        at: "2026-11-23T11:59:00Z".into(),
    };
    app.notice = None;
    (dir, app)
}

fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn checklist_at_120x40() {
    let (_dir, app) = demo_app(120, 40);
    let text = screen(&app);
    for phase in 1..=7 {
        let short = &Checklist::get().phase(phase).unwrap().short;
        assert!(text.contains(short.as_str()), "phase {short} is visible");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn checklist_at_80x24() {
    let (_dir, app) = demo_app(80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_open() {
    let (_dir, mut app) = demo_app(80, 24);
    app.update(Action::Help);
    let text = screen(&app);
    assert!(text.contains("mark the item done"));
    insta::assert_snapshot!(text);
}

#[test]
fn skip_prompt() {
    let (_dir, mut app) = demo_app(120, 40);
    app.update(Action::Skip);
    app.update(Action::Confirm);
    for c in "staging onl".chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn too_small_at_30x8() {
    let (_dir, app) = demo_app(30, 8);
    let text = screen(&app);
    assert!(text.contains("too small"));
    insta::assert_snapshot!(text);
}

#[test]
fn one_pane_at_a_time_below_80x24() {
    let (_dir, mut app) = demo_app(60, 20);
    app.update(Action::NextPane);
    let text = screen(&app);
    assert!(text.contains("←→ 3/3"));
    insta::assert_snapshot!(text);
}

#[test]
fn filter_being_typed() {
    let (_dir, mut app) = demo_app(120, 40);
    app.update(Action::Filter);
    for c in "secret".chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn every_size_from_tiny_to_huge_draws_without_panicking() {
    let (_dir, mut app) = demo_app(120, 40);
    for (width, height) in [(1, 1), (39, 9), (40, 10), (79, 23), (80, 24), (250, 80)] {
        app.update(Action::Resize(width, height));
        for action in [Action::Help, Action::Cancel, Action::Skip] {
            app.update(action);
            screen(&app);
        }
        app.update(Action::Cancel);
    }
}

/// A review of `fingpt-demo` against one on 2026-11-20: static files passed
/// then and fail now, nginx.conf was edited since, secrets were last rotated
/// in August.
fn review_app() -> (tempfile::TempDir, App) {
    use crate::state::{ItemRecord, ReviewSnapshot, ReviewedItem, SetBy};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fingpt-demo");
    std::fs::create_dir(&root).unwrap();
    let generated = b"server { listen 80; }\n";
    std::fs::write(root.join("nginx.conf"), "server { listen 8080; }\n").unwrap();
    let mut state = State::default();
    crate::generate::record_generated(&mut state, "nginx.conf", generated);
    crate::generate::mark_items_done(&mut state, &["reverse-proxy"]);
    state.items.insert(
        "static-files".into(),
        ItemRecord {
            status: Status::Done,
            by: SetBy::Auto,
            ..ItemRecord::default()
        },
    );
    // Every recurring task done at the last review, secrets in August.
    for item in Checklist::get()
        .items
        .iter()
        .filter(|i| i.period_days.is_some())
    {
        state.mark(&item.id, Status::Done, None);
    }
    for record in state.items.values_mut() {
        record.at = "2026-11-20T09:30:00Z".into();
    }
    state.items.get_mut("rotate-secrets").unwrap().at = "2026-08-01T09:00:00Z".into();
    // Earlier check runs, for the trend: 3, 2, 2, then 0 critical or high failing.
    for (day, failing) in [
        (
            "2026-11-10",
            &["debug-off", "secret-key-from-env", "no-debug-prints"][..],
        ),
        ("2026-11-14", &["debug-off", "secret-key-from-env"][..]),
        ("2026-11-17", &["debug-off", "no-debug-prints"][..]),
        ("2026-11-20", &[][..]),
    ] {
        state.push_history(crate::state::CheckRun {
            at: format!("{day}T09:00:00Z"),
            failing: failing.iter().map(|id| (*id).to_owned()).collect(),
            passed: Vec::new(),
        });
    }
    let reviewed = |files: &[(&str, &[u8])]| ReviewedItem {
        status: Status::Done,
        files: files
            .iter()
            .map(|(f, bytes)| ((*f).to_owned(), crate::digest::sha256_hex(bytes)))
            .collect(),
    };
    state.review = Some(ReviewSnapshot {
        at: "2026-11-20T10:00:00Z".into(),
        items: [
            ("static-files".to_owned(), reviewed(&[])),
            (
                "reverse-proxy".to_owned(),
                reviewed(&[("nginx.conf", generated)]),
            ),
        ]
        .into(),
    });
    state.save(&root).unwrap();
    let mut app = App::new(&root, state, Keymap::defaults(), Journey::Review);
    app.colour = false;
    app.now = "2026-11-23T12:00:00Z".parse().unwrap();
    app.update(Action::Resize(120, 40));
    let report = ScanReport {
        project: Project {
            root: root.clone(),
            framework: Framework::Django,
            framework_version: Some("5.0".into()),
            ..Project::default()
        },
        findings: vec![Finding {
            item: "static-files".into(),
            severity: Severity::Medium,
            title: "Static files are not collected",
            file: Some("config/settings.py".into()),
            line: Some(40),
            evidence: Some("STATIC_URL = \"static/\"".into()),
            fix: "",
        }],
        passed: vec!["env-gitignored".into()],
        not_applicable: Vec::new(),
    };
    app.update(Action::ScanFinished(Ok(Box::new(report))));
    for id in ["static-files", "env-gitignored"] {
        app.state.items.get_mut(id).unwrap().at = "2026-11-23T11:59:00Z".into();
    }
    app.scan = ScanState::Finished {
        at: "2026-11-23T11:59:00Z".into(),
    };
    (dir, app)
}

#[test]
fn review_marks_regressed_stale_and_due_items() {
    let (_dir, mut app) = review_app();
    // Opens on the regressed item, the summary in the status line.
    let opened = screen(&app);
    assert!(opened.contains("review: 1 regressed · 1 stale · 1 due since 2026-11-20"));
    assert!(
        opened.contains("Review · ↯ 1 regressed · ≠ 1 stale · ⏰ 1 due · ✘ 1 failing"),
        "{opened}"
    );
    assert!(opened.contains("▶ ✘ ↯ static-files"), "{opened}");
    assert!(opened.contains("≠ reverse-proxy"), "{opened}");
    assert!(opened.contains("4 Serving ↯≠"), "{opened}");
    assert!(
        opened.contains("↯ Regressed: done at the review of"),
        "{opened}"
    );
    assert!(opened.contains("2026-11-20, failing now."), "{opened}");
    // The stale item says which file changed.
    app.update(Action::MoveDown);
    app.update(Action::MoveDown);
    let stale = screen(&app);
    assert!(
        stale.contains("≠ Stale: nginx.conf changed since the"),
        "{stale}"
    );
    // Phase 7 holds the recurring task that fell due.
    app.update(Action::PrevPane);
    app.update(Action::Last);
    app.update(Action::NextPane);
    let due = screen(&app);
    assert!(
        due.contains("▶ ○ ⏰rotate-secrets") && due.contains("⏰ 1 due"),
        "{due}"
    );
    assert!(due.contains("Due: last done 2026-08-01"), "{due}");
    insta::assert_snapshot!(format!("{opened}\n{stale}\n{due}"));
}

#[test]
fn the_review_at_80x24_120x40_and_200x60() {
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        let (_dir, mut app) = review_app();
        app.update(Action::Resize(width, height));
        let text = screen(&app);
        // The header names the review and its counts, the mark is never cut.
        assert!(text.contains("Review"), "{text}");
        assert!(text.contains("↯"), "{text}");
        assert!(text.contains("▶ ✘ ↯ static-"), "{width}: {text}");
        insta::assert_snapshot!(format!("review_{width}x{height}"), text);
    }
}

#[test]
fn a_verdict_verify_recorded_says_verify_set_it_not_the_scanner() {
    let (_dir, mut app) = demo_app(120, 40);
    app.state.mark(
        "live-hsts",
        Status::Failing,
        Some("no Strict-Transport-Security header".into()),
    );
    app.state.items.get_mut("live-hsts").unwrap().by = crate::state::SetBy::Auto;
    assert!(app.select_id("live-hsts"));
    let text = screen(&app);
    assert!(text.contains("By verify"), "{text}");
    assert!(!text.contains("By the scanner"), "{text}");
    // A scanner's verdict still says so.
    assert!(app.select_id("debug-off"));
    assert!(screen(&app).contains("By the scanner"));
}

#[test]
fn the_sparkline_runs_from_the_best_run_to_the_worst() {
    let points = |values: &[usize]| -> Vec<crate::report::TrendPoint> {
        values
            .iter()
            .map(|v| crate::report::TrendPoint {
                at: String::new(),
                failing: *v,
            })
            .collect()
    };
    assert_eq!(
        sparkline(&points(&[3, 2, 2, 0]), 10).as_deref(),
        Some("█▆▆▁")
    );
    assert_eq!(sparkline(&points(&[14, 15]), 10).as_deref(), Some("▁█"));
    assert_eq!(
        sparkline(&points(&[1, 2, 3, 4]), 2).as_deref(),
        Some("▁█"),
        "the last ones"
    );
    assert_eq!(sparkline(&points(&[5]), 10), None, "one run is no trend");
}

//! `App::update`, one action at a time, against a real state file in a temp dir.

use tui_input::InputRequest;

use super::*;
use crate::project::Framework;
use crate::scan::Finding;

/// A project dir and a wizard on it at 120×40, start-up re-check still pending.
fn app_with(state: State) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    state.save(dir.path()).unwrap();
    let mut app = App::new(dir.path(), state, Keymap::defaults(), Journey::Review);
    app.update(Action::Resize(120, 40));
    (dir, app)
}

fn app() -> (tempfile::TempDir, App) {
    app_with(State::default())
}

fn on_disk(dir: &tempfile::TempDir) -> State {
    State::load(dir.path()).unwrap()
}

fn select(app: &mut App, id: &str) {
    let item = Checklist::get().item(id).unwrap();
    app.phase = item.phase;
    app.selected = app.visible_items().iter().position(|i| i.id == id).unwrap();
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn finding(item: &str, line: usize) -> Finding {
    Finding {
        item: item.into(),
        severity: Severity::Critical,
        title: "DEBUG is on",
        file: Some("config/settings.py".into()),
        line: Some(line),
        evidence: Some("DEBUG = True".into()),
        fix: "",
    }
}

fn report(findings: Vec<Finding>, passed: &[&str]) -> Box<ScanReport> {
    Box::new(ScanReport {
        project: Project {
            framework: Framework::Django,
            ..Project::default()
        },
        findings,
        passed: passed.iter().map(|s| (*s).to_owned()).collect(),
        not_applicable: Vec::new(),
    })
}

#[test]
fn starts_with_a_recheck_on_the_first_item() {
    let (_dir, mut app) = app();
    assert!(matches!(app.take_effects().as_slice(), [Effect::Recheck]));
    assert!(app.is_busy());
    assert_eq!(app.focus, Pane::Items);
    assert_eq!(app.selected_item().unwrap().id, "secret-key-from-env");
}

#[test]
fn opens_on_the_most_severe_failing_item() {
    let mut state = State::default();
    crate::scan::record(
        &mut state,
        &report(
            vec![finding("no-debug-prints", 3), finding("debug-off", 26)],
            &[],
        ),
    );
    let (_dir, app) = app_with(state);
    assert_eq!(app.selected_item().unwrap().id, "debug-off");
    assert_eq!(app.phase, 2);
}

#[test]
fn moves_clamp_at_the_ends() {
    let (_dir, mut app) = app();
    app.update(Action::MoveUp);
    assert_eq!(app.selected, 0);
    app.update(Action::MoveDown);
    app.update(Action::MoveDown);
    assert_eq!(app.selected, 2);
    app.update(Action::Last);
    let last = app.visible_items().len() - 1;
    assert_eq!(app.selected, last);
    // j on a phase's last item goes on to the next phase's first, k back.
    app.update(Action::MoveDown);
    assert_eq!((app.phase, app.selected), (2, 0));
    app.update(Action::MoveUp);
    assert_eq!((app.phase, app.selected), (1, last));
    app.update(Action::First);
    assert_eq!(app.selected, 0);
    // The very ends of the checklist hold.
    app.update(Action::MoveUp);
    assert_eq!((app.phase, app.selected), (1, 0));
    app.update(Action::JumpPhase(7));
    app.update(Action::Last);
    let end = app.visible_items().len() - 1;
    app.update(Action::MoveDown);
    assert_eq!((app.phase, app.selected), (7, end));
    app.update(Action::PageDown);
    assert_eq!((app.phase, app.selected), (7, end));
    app.update(Action::JumpPhase(1));
    app.update(Action::PageDown);
    assert!(app.phase > 1, "a page is longer than phase 1 and goes on");
    app.update(Action::PageUp);
    assert_eq!((app.phase, app.selected), (1, 0));
}

#[test]
fn panes_cycle_and_the_phase_pane_changes_phase() {
    let (_dir, mut app) = app();
    app.update(Action::PrevPane);
    assert_eq!(app.focus, Pane::Phases);
    app.update(Action::MoveDown);
    assert_eq!(app.phase, 2);
    assert_eq!(app.selected, 0);
    assert_eq!(app.selected_item().unwrap().phase, 2);
    app.update(Action::Last);
    assert_eq!(app.phase, 7);
    app.update(Action::NextPane);
    assert_eq!(app.focus, Pane::Items);
    app.update(Action::NextPane);
    assert_eq!(app.focus, Pane::Detail);
    app.update(Action::MoveDown);
    assert_eq!(app.detail_scroll, 1);
    app.update(Action::NextPane);
    assert_eq!(app.focus, Pane::Phases);
}

#[test]
fn mark_done_saves_at_once() {
    let (dir, mut app) = app();
    select(&mut app, "api-auth-required");
    app.update(Action::MarkDone);
    let record = &on_disk(&dir).items["api-auth-required"];
    assert_eq!(record.status, Status::Done);
    assert_eq!(record.by, SetBy::User);
    assert!(matches!(&app.notice, Some(Notice::Info(text)) if text.contains("saved")));
}

#[test]
fn an_item_the_scanner_finds_failing_is_not_marked_done_by_hand() {
    // secret-key-from-env is auto+gen: done by hand once the scanner passes
    // it is fine, but while it fails the next re-check would undo it.
    let mut state = State::default();
    let mut finding = finding("secret-key-from-env", 33);
    finding.evidence = Some("SECRET_KEY = 'django-insec…'".into());
    crate::scan::record(&mut state, &report(vec![finding], &[]));
    let (dir, mut app) = app_with(state);
    select(&mut app, "secret-key-from-env");
    app.update(Action::MarkDone);
    assert_eq!(
        on_disk(&dir).items["secret-key-from-env"].status,
        Status::Failing
    );
    assert!(
        matches!(&app.notice, Some(Notice::Warning(text)) if text.contains("press s")),
        "{:?}",
        app.notice
    );
    // One status row of a 120-column terminal, with the "! " before it.
    let Some(Notice::Warning(text)) = &app.notice else {
        unreachable!()
    };
    assert!(text.chars().count() <= 110, "cut off at the edge: {text}");
}

#[test]
fn a_folder_with_no_project_is_called_out_after_the_recheck() {
    let (dir, mut app) = app();
    std::fs::remove_dir_all(dir.path().join(".preflight")).unwrap();
    let mut empty = report(Vec::new(), &[]);
    empty.not_applicable = vec!["debug-off".into()];
    app.update(Action::ScanFinished(Ok(empty)));
    assert!(
        !dir.path().join(".preflight").exists(),
        "the wrong folder gets no .preflight/"
    );
    assert!(
        matches!(&app.notice, Some(Notice::Warning(text)) if text.contains("no Python web project")),
        "{:?}",
        app.notice
    );
    app.update(Action::ScanFinished(Ok(report(Vec::new(), &["debug-off"]))));
    assert!(
        matches!(&app.notice, Some(Notice::Info(_))),
        "{:?}",
        app.notice
    );
}

#[test]
fn a_save_error_and_its_hint_fit_on_the_notice_line() {
    let (dir, mut app) = app();
    let preflight_dir = dir.path().join(".preflight");
    std::fs::remove_dir_all(&preflight_dir).unwrap();
    std::fs::write(&preflight_dir, "").unwrap();
    select(&mut app, "api-auth-required");
    app.update(Action::MarkDone);
    let Some(Notice::Error(text)) = &app.notice else {
        panic!("an error, got {:?}", app.notice);
    };
    assert!(!text.contains('\n'), "{text}");
    assert!(
        text.starts_with("not saved: ") && text.contains("is not a folder; move it away"),
        "the hint comes first: {text}"
    );
    assert!(
        text.find("move it away") < text.find("cannot save"),
        "{text}"
    );
    assert_eq!(std::fs::read(&preflight_dir).unwrap(), b"");
}

#[test]
fn automatic_items_refuse_done_and_offer_skip() {
    let (dir, mut app) = app();
    select(&mut app, "debug-off");
    app.update(Action::MarkDone);
    assert!(!on_disk(&dir).items.contains_key("debug-off"));
    let Some(Notice::Warning(text)) = &app.notice else {
        panic!("a warning, got {:?}", app.notice);
    };
    assert!(
        text.contains("decided by the scanner") && text.contains("press s"),
        "{text}"
    );
    app.update(Action::Skip);
    assert!(matches!(&app.mode, Mode::Prompt(p) if p.item.id == "debug-off"));
}

#[test]
fn skip_needs_a_reason_and_saves_it() {
    let (dir, mut app) = app();
    select(&mut app, "backups");
    app.update(Action::Skip);
    app.update(Action::Confirm);
    let Mode::Prompt(prompt) = &app.mode else {
        panic!("the prompt stays open");
    };
    assert!(
        prompt
            .error
            .as_deref()
            .unwrap()
            .contains("reason is needed")
    );
    type_text(&mut app, "  managed by the platform ");
    app.update(Action::Confirm);
    assert!(matches!(app.mode, Mode::Normal));
    let record = &on_disk(&dir).items["backups"];
    assert_eq!(record.status, Status::Skipped);
    assert_eq!(record.reason.as_deref(), Some("managed by the platform"));
}

#[test]
fn not_applicable_prompt_starts_with_the_earlier_reason() {
    let (dir, mut app) = app();
    select(&mut app, "backups");
    app.update(Action::NotApplicable);
    type_text(&mut app, "no database");
    app.update(Action::Confirm);
    assert_eq!(on_disk(&dir).items["backups"].status, Status::Na);
    assert_ne!(app.selected_item().unwrap().id, "backups", "on to the next");
    select(&mut app, "backups");
    app.update(Action::NotApplicable);
    let Mode::Prompt(prompt) = &app.mode else {
        panic!("prompt");
    };
    assert_eq!(prompt.input.value(), "no database");
    assert_eq!(prompt.kind, PromptKind::NotApplicable);
}

#[test]
fn cancel_closes_a_prompt_without_saving() {
    let (dir, mut app) = app();
    select(&mut app, "backups");
    app.update(Action::Skip);
    type_text(&mut app, "later");
    app.update(Action::Cancel);
    assert!(matches!(app.mode, Mode::Normal));
    assert!(!on_disk(&dir).items.contains_key("backups"));
}

#[test]
fn todo_reopens_an_item() {
    let (dir, mut app) = app();
    select(&mut app, "api-auth-required");
    app.update(Action::MarkDone);
    select(&mut app, "api-auth-required");
    app.update(Action::Todo);
    assert_eq!(
        on_disk(&dir).items["api-auth-required"].status,
        Status::Todo
    );
}

#[test]
fn marks_keep_changes_made_by_another_process() {
    let (dir, mut app) = app();
    State::update(dir.path(), |s| s.mark("backups", Status::Done, None)).unwrap();
    select(&mut app, "api-auth-required");
    app.update(Action::MarkDone);
    let state = on_disk(&dir);
    assert_eq!(state.items["backups"].status, Status::Done);
    assert_eq!(state.items["api-auth-required"].status, Status::Done);
}

#[test]
fn a_state_file_broken_meanwhile_is_left_alone() {
    let (dir, mut app) = app();
    let path = crate::state::state_path(dir.path());
    std::fs::write(&path, "schema = 1\n[items\n").unwrap();
    select(&mut app, "api-auth-required");
    app.update(Action::MarkDone);
    assert!(matches!(&app.notice, Some(Notice::Error(text)) if text.contains("not saved")));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "schema = 1\n[items\n"
    );
}

#[test]
fn filter_narrows_as_typed_and_esc_clears() {
    let (_dir, mut app) = app();
    app.update(Action::Filter);
    type_text(&mut app, "CORS");
    assert_eq!(app.filter, "CORS");
    assert_eq!(app.phase, 2, "jumps to the first phase with a match");
    assert_eq!(app.selected_item().unwrap().id, "cors-restricted");
    app.update(Action::Confirm);
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.filter, "CORS");
    app.update(Action::Cancel);
    assert!(app.filter.is_empty());
    app.update(Action::Filter);
    type_text(&mut app, "zzz");
    assert!(app.visible_items().is_empty());
    assert!(app.selected_item().is_none());
    app.update(Action::MarkDone);
    app.update(Action::Cancel);
    assert!(app.filter.is_empty());
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn a_filter_that_is_an_id_selects_that_item_over_the_kept_one() {
    let (_dir, mut app) = app();
    // restore-test's text mentions backups too, and it is selected.
    select(&mut app, "restore-test");
    app.update(Action::Filter);
    type_text(&mut app, "backup");
    assert_eq!(app.selected_item().unwrap().id, "restore-test", "kept");
    type_text(&mut app, "s");
    assert_eq!(app.selected_item().unwrap().id, "backups");
    assert_eq!(app.phase, 5);
}

#[test]
fn recheck_records_results_and_marks_regressions() {
    let mut state = State::default();
    crate::scan::record(&mut state, &report(vec![], &["debug-off"]));
    let (dir, mut app) = app_with(state);
    assert!(matches!(app.take_effects().as_slice(), [Effect::Recheck]));
    app.update(Action::Recheck);
    assert!(app.take_effects().is_empty(), "one re-check at a time");
    app.update(Action::ScanFinished(Ok(report(
        vec![finding("debug-off", 26)],
        &[],
    ))));
    assert!(!app.is_busy());
    assert_eq!(app.changes.get("debug-off"), Some(&Change::Regressed));
    assert_eq!(app.framework(), Framework::Django);
    let saved = on_disk(&dir);
    assert_eq!(saved.items["debug-off"].status, Status::Failing);
    assert!(saved.wizard.last_review.is_some());
    assert_eq!(
        app.selected_item().unwrap().id,
        "debug-off",
        "not moved yet"
    );
    assert!(matches!(&app.notice, Some(Notice::Info(t)) if t.contains("1 regressed")));
    app.update(Action::Recheck);
    assert!(matches!(app.take_effects().as_slice(), [Effect::Recheck]));
    app.update(Action::ScanFinished(Err("disk on fire".into())));
    assert_eq!(app.scan, ScanState::Failed("disk on fire".into()));
}

#[test]
fn recheck_after_moving_keeps_the_selection() {
    let (_dir, mut app) = app();
    app.update(Action::MoveDown);
    app.update(Action::ScanFinished(Ok(report(
        vec![finding("debug-off", 26)],
        &[],
    ))));
    assert_eq!(app.selected_item().unwrap().id, "secret-key-generated");
}

#[test]
fn help_opens_scrolls_and_closes() {
    let (_dir, mut app) = app();
    app.update(Action::Help);
    app.update(Action::MoveDown);
    assert!(
        matches!(app.mode, Mode::Help { scroll: 0 }),
        "everything fits at 120x40: nothing to scroll"
    );
    app.update(Action::Resize(80, 12));
    app.update(Action::Last);
    let Mode::Help { scroll } = app.mode else {
        panic!("help is open");
    };
    assert_eq!(scroll, crate::tui::ui::help_scroll_max(&app));
    assert!(scroll > 0);
    app.update(Action::MoveUp);
    assert!(matches!(app.mode, Mode::Help { scroll: s } if s == scroll - 1));
    app.update(Action::Help);
    assert!(matches!(app.mode, Mode::Normal));
    app.update(Action::Help);
    app.update(Action::Cancel);
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn quit_works_from_every_mode() {
    for open in [Action::Help, Action::Skip, Action::Filter, Action::MoveDown] {
        let (_dir, mut app) = app();
        app.update(open);
        app.update(Action::Quit);
        assert!(app.quit);
    }
}

#[test]
fn clicks_select_panes_items_and_phases() {
    let (_dir, mut app) = app();
    let areas = crate::tui::layout(&app);
    let items = areas.items.unwrap();
    app.update(Action::Click(items.x + 3, items.y + 4));
    assert_eq!(app.focus, Pane::Items);
    assert_eq!(app.selected, 3);
    let phases = areas.phases.unwrap();
    app.update(Action::Click(phases.x + 2, phases.y + 3));
    assert_eq!(app.focus, Pane::Phases);
    assert_eq!(app.phase, 3);
    let detail = areas.detail.unwrap();
    app.update(Action::Click(detail.x + 2, detail.y + 2));
    assert_eq!(app.focus, Pane::Detail);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let (_dir, mut app) = app();
    let items = crate::tui::layout(&app).items.unwrap();
    app.update(Action::Wheel(items.x + 2, items.y + 2, true));
    assert_eq!(app.selected, 3);
    assert_eq!(app.focus, Pane::Items);
    app.update(Action::Wheel(items.x + 2, items.y + 2, false));
    assert_eq!(app.selected, 0);
}

#[test]
fn small_terminals_show_one_pane_and_keep_selection_visible() {
    let (_dir, mut app) = app();
    app.update(Action::Resize(60, 12));
    let areas = crate::tui::layout(&app);
    assert!(areas.phases.is_none() && areas.detail.is_none());
    app.update(Action::Last);
    assert!(app.offset > 0, "scrolled to keep the last item visible");
    assert!(app.selected < app.offset + 7);
    app.update(Action::Resize(30, 8));
    assert!(crate::tui::layout(&app).too_small);
}

#[test]
fn ticks_animate_only_while_busy() {
    let (_dir, mut app) = app();
    app.update(Action::Tick);
    assert_eq!(app.scan, ScanState::Running { frame: 1 });
    app.update(Action::ScanFinished(Ok(report(vec![], &[]))));
    app.update(Action::Tick);
    assert!(matches!(app.scan, ScanState::Finished { .. }));
}

#[test]
fn a_review_compares_with_the_last_one_and_leaves_its_own_snapshot() {
    let mut state = State::default();
    crate::scan::record(&mut state, &report(vec![], &["debug-off"]));
    state.mark("api-auth-required", Status::Done, None);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/settings.py"), "DEBUG = True\n").unwrap();
    let last = crate::review::snapshot(&state, dir.path(), "2026-11-20T10:00:00Z", None);
    state.review = Some(last.clone());
    state.save(dir.path()).unwrap();
    let mut app = App::new(dir.path(), state, Keymap::defaults(), Journey::Review);
    assert!(
        app.review.is_none(),
        "not opened before its re-check reports"
    );

    app.update(Action::ScanFinished(Ok(report(
        vec![finding("debug-off", 26)],
        &[],
    ))));
    let review = app.review.clone().unwrap();
    assert_eq!(review.since.as_deref(), Some("2026-11-20T10:00:00Z"));
    assert_eq!(app.review_mark("debug-off").unwrap().word(), "regressed");
    assert!(app.changes.is_empty(), "the review's mark says it once");
    assert!(
        matches!(&app.notice, Some(Notice::Info(t)) if t.starts_with("review: 1 regressed · 6 due since 2026-11-20")),
        "{:?}",
        app.notice
    );
    let saved = on_disk(&dir);
    let snapshot = saved.review.unwrap();
    assert_ne!(
        snapshot, last,
        "this review's snapshot replaced the last one"
    );
    assert_eq!(snapshot.items["debug-off"].status, Status::Failing);
    assert_eq!(
        snapshot.items["debug-off"].files["config/settings.py"],
        crate::digest::sha256_hex(b"DEBUG = True\n"),
        "the evidence the verdict rests on"
    );
    assert!(
        !snapshot.items.contains_key("secret-key-from-env"),
        "an open item with no files leaves nothing to compare"
    );
    assert_eq!(
        saved.wizard.last_review.as_deref(),
        Some(snapshot.at.as_str())
    );

    // Marks follow what happens in the session; a later re-check compares
    // with the same review and leaves this review's snapshot alone.
    select(&mut app, "api-auth-required");
    app.update(Action::Todo);
    assert_eq!(
        app.review_mark("api-auth-required").unwrap().word(),
        "regressed"
    );
    app.update(Action::Recheck);
    app.update(Action::ScanFinished(Ok(report(vec![], &["debug-off"]))));
    assert!(app.review_mark("debug-off").is_none(), "fixed again");
    assert_eq!(on_disk(&dir).review.unwrap(), snapshot);
}

#[test]
fn setup_does_not_open_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(
        dir.path(),
        State::default(),
        Keymap::defaults(),
        Journey::Setup,
    );
    app.update(Action::ScanFinished(Ok(report(vec![], &["debug-off"]))));
    assert!(app.review.is_none());
    assert!(on_disk(&dir).review.is_none());
}

#[test]
fn a_review_opens_on_what_changed_and_bang_shows_only_that() {
    let mut state = State::default();
    crate::scan::record(&mut state, &report(vec![], &["debug-off"]));
    for item in Checklist::get()
        .items
        .iter()
        .filter(|i| i.period_days.is_some())
    {
        state.mark(&item.id, Status::Done, None);
    }
    state.items.remove("restore-test");
    let (_dir, mut app) = app_with(state);
    // A regression since the last check: the review opens on it.
    app.update(Action::ScanFinished(Ok(report(
        vec![finding("debug-off", 26)],
        &[],
    ))));
    assert_eq!(app.selected_item().unwrap().id, "debug-off");
    app.update(Action::Attention);
    let shown: Vec<&str> = (1..=7)
        .flat_map(|p| app.items_matching(p))
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(shown, ["debug-off", "restore-test"]);
    assert_eq!(app.selected_item().unwrap().id, "debug-off", "kept");
    for (word, expected) in [
        ("regressed", vec!["debug-off"]),
        ("due", vec!["restore-test"]),
        ("failing", vec!["debug-off"]),
    ] {
        app.update(Action::Cancel);
        app.update(Action::Filter);
        type_text(&mut app, word);
        app.update(Action::Confirm);
        let shown: Vec<&str> = (1..=7)
            .flat_map(|p| app.items_matching(p))
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(shown, expected, "/{word}");
    }
    // Clearing the filter keeps the selected item.
    select(&mut app, "debug-off");
    app.update(Action::Cancel);
    assert!(app.filter.is_empty());
    assert_eq!(app.selected_item().unwrap().id, "debug-off");
}

#[test]
fn phases_jump_with_brackets_and_digits_and_a_mark_moves_on() {
    let (_dir, mut app) = app();
    app.update(Action::JumpPhase(4));
    assert_eq!((app.phase, app.selected), (4, 0));
    app.update(Action::NextPhase);
    assert_eq!(app.phase, 5);
    app.update(Action::PrevPhase);
    app.update(Action::PrevPhase);
    assert_eq!(app.phase, 3);
    app.update(Action::JumpPhase(1));
    app.update(Action::PrevPhase);
    assert_eq!(app.phase, 7, "wraps");
    // After a mark the cursor goes to the next item needing attention.
    select(&mut app, "third-party-keys-set");
    app.update(Action::MarkDone);
    assert_eq!(app.selected_item().unwrap().id, "env-gitignored");
}

#[test]
fn ctrl_c_with_a_reason_typed_asks_first() {
    let (dir, mut app) = app();
    select(&mut app, "backups");
    app.update(Action::Skip);
    type_text(&mut app, "managed by the platform");
    app.update(Action::Quit);
    assert!(!app.quit, "the typed reason is not thrown away at once");
    let Mode::Prompt(prompt) = &app.mode else {
        panic!("prompt stays open");
    };
    assert!(prompt.error.as_deref().unwrap().contains("ctrl-c again"));
    assert_eq!(prompt.input.value(), "managed by the platform");
    // Typing on forgets the question; asked again, a second ctrl-c quits.
    type_text(&mut app, ".");
    app.update(Action::Quit);
    assert!(!app.quit);
    app.update(Action::Quit);
    assert!(app.quit);
    assert!(!on_disk(&dir).items.contains_key("backups"));
    // An empty prompt quits at once.
    let (_dir, mut app) = self::app();
    select(&mut app, "backups");
    app.update(Action::Skip);
    app.update(Action::Quit);
    assert!(app.quit);
}

#[test]
fn todo_on_a_scanner_item_undoes_the_persons_decision_only() {
    let mut state = State::default();
    crate::scan::record(&mut state, &report(vec![finding("debug-off", 26)], &[]));
    let (dir, mut app) = app_with(state);
    app.update(Action::ScanFinished(Ok(report(
        vec![finding("debug-off", 26)],
        &[],
    ))));
    select(&mut app, "debug-off");
    app.update(Action::Todo);
    assert_eq!(
        on_disk(&dir).items["debug-off"].by,
        crate::state::SetBy::Auto
    );
    assert_eq!(on_disk(&dir).items["debug-off"].status, Status::Failing);
    app.update(Action::Skip);
    type_text(&mut app, "staging only");
    app.update(Action::Confirm);
    assert!(
        matches!(&app.notice, Some(Notice::Info(t)) if t.contains("scanner still finds it at config/settings.py:26")),
        "{:?}",
        app.notice
    );
    select(&mut app, "debug-off");
    app.take_effects();
    app.update(Action::Todo);
    assert!(
        !on_disk(&dir).items.contains_key("debug-off"),
        "the skip is gone"
    );
    assert!(
        matches!(app.take_effects().as_slice(), [Effect::Recheck]),
        "the verdict comes back"
    );
}

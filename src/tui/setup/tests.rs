//! First-time setup through `App::update`, on a real copy of the demo with a
//! real scan; the worker's writes run in the test's thread. Then every step
//! drawn at 80×24 and 120×40.

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

use super::*;
use crate::checklist::Checklist;
use crate::state::Status;
use crate::tui::app::{Effect, ScanState};
use crate::tui::{Keymap, draw};

/// The demo project copied to `<tmp>/fingpt-demo`.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fingpt-demo");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"),
        &root,
    );
    (dir, root)
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            copy(&path, &to.join(&name));
        } else if name != "EXPECTED.toml" {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Setup on `root` as the state file has it, after its start-up scan.
fn open_at(root: &Path, width: u16, height: u16) -> App {
    let state = State::load(root).unwrap();
    let mut app = App::new(root, state, Keymap::defaults(), Journey::Setup);
    app.colour = false;
    app.now = "2026-11-23T12:00:00Z".parse().unwrap();
    app.update(Action::Resize(width, height));
    run_effects(&mut app);
    app
}

/// Does what the loop would: scans and writes, in this thread.
fn run_effects(app: &mut App) {
    loop {
        let effects = app.take_effects();
        if effects.is_empty() {
            return;
        }
        for effect in effects {
            match effect {
                Effect::Recheck => {
                    let report = crate::scan::scan(&app.root).map(Box::new);
                    app.update(Action::ScanFinished(report.map_err(|e| e.to_string())));
                    app.scan = ScanState::Finished {
                        at: "2026-11-23T11:59:00Z".into(),
                    };
                }
                Effect::Write(plan) => {
                    let result = crate::tui::event::write_plan(&app.root, &plan);
                    app.update(Action::Wrote(result));
                }
                // No setup step verifies; the network stays out of these tests.
                Effect::Clipboard(_) | Effect::Verify(_) | Effect::Suspend => {}
            }
        }
    }
}

fn act(app: &mut App, action: Action) {
    app.update(action);
    run_effects(app);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        act(app, Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn focused(app: &App) -> &answers::Field {
    &app.setup.answers.fields[app.setup.answers.focus]
}

/// Through Project and Answers with `domain` typed, onto Secrets.
fn to_secrets(root: &Path) -> App {
    let mut app = open_at(root, 120, 40);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "api.fingpt.example");
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Secrets, "{:?}", app.notice);
    app
}

fn env_value(root: &Path, var: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(".env")).unwrap();
    crate::envfile::parse(&text)
        .unwrap()
        .into_iter()
        .find(|e| e.key == var)
        .map(|e| e.value)
}

#[test]
fn a_first_run_opens_on_project_and_enter_opens_the_form_on_its_first_field() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    assert_eq!(app.screen, Screen::Project);
    assert!(app.setup.report.is_some());
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Answers);
    assert_eq!(app.setup.answers.focus, 0);
    assert_eq!(focused(&app).key, "app_name");
    assert!(focused(&app).select_all, "the first field opens selected");
    let keys: Vec<&str> = app.setup.answers.fields.iter().map(|f| f.key).collect();
    assert_eq!(&keys[..9], &answers::FORM);
    assert_eq!(
        keys.len(),
        crate::answers::KEYS.len(),
        "the rest under more"
    );
    assert_eq!(
        State::load(&root).unwrap().wizard.step.as_deref(),
        Some("answers")
    );
}

#[test]
fn an_invalid_answer_says_what_is_expected_in_full_at_80_columns() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 80, 24);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "http://bad domain");
    let text = screen(&app);
    // The error wraps under the value instead of being cut after "(api.examp…".
    assert!(text.contains("(api.example.com,www.example.com)"), "{text}");
    assert!(!text.contains("(api.examp…"), "{text}");
    // The fields below move down and still show.
    assert!(text.contains("Port "), "{text}");
    assert!(text.contains("Platform "), "{text}");
    // Further down the form, the focused field and all of its error show too.
    for _ in 0..4 {
        act(&mut app, Action::NextField);
    }
    assert_eq!(focused(&app).key, "workers");
    type_text(&mut app, "many");
    let text = screen(&app);
    let error = focused(&app).error.clone().unwrap();
    let last_word = error.split(' ').next_back().unwrap();
    assert!(text.contains(last_word), "{last_word} in {text}");
    assert!(text.contains("Workers "), "{text}");
}

#[test]
fn a_narrow_terminal_keeps_every_step_on_the_bar_and_clicks_still_hit_them() {
    let (_dir, root) = demo();
    for width in [60u16, 40] {
        let mut app = open_at(&root, width, 20);
        act(&mut app, Action::Confirm);
        let text = screen(&app);
        let bar = text.lines().nth(1).unwrap();
        assert!(bar.contains("[▶ Answers]"), "{width}: {bar}");
        // The Summary (step 6) was cut off the end of the bar below 75 columns.
        assert!(bar.contains('6'), "{width}: {bar}");
        assert!(bar.contains("✔"), "{width}: {bar}");
        let entries = bar_entries(&app);
        let (_, x, last) = entries.last().unwrap();
        let end = usize::from(*x) + last.chars().count();
        assert!(end <= usize::from(width), "{width}: {entries:?}");
        // A click on the first entry still goes back to Project.
        let y = crate::tui::ui::layout(&app).step_bar.unwrap().y;
        act(&mut app, Action::Click(entries[0].1 + 1, y));
        assert_eq!(app.screen, Screen::Project, "{width}");
    }
}

#[test]
fn a_value_wider_than_its_box_shows_its_start_unless_it_is_being_typed() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 40, 20);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "api.fingpt.example");
    let typing = screen(&app);
    assert!(
        typing.contains(".example]"),
        "the cursor's end shows: {typing}"
    );
    act(&mut app, Action::NextField);
    let text = screen(&app);
    // Not `[ngpt.example]`, the end of the value.
    assert!(text.contains("[api.fin"), "{text}");
}

#[test]
fn tab_selects_a_field_so_typing_replaces_it_and_an_arrow_keeps_it() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    assert_eq!(focused(&app).key, "domain");
    type_text(&mut app, "a.example.com");
    assert_eq!(focused(&app).value(), "a.example.com");
    act(&mut app, Action::NextField);
    act(&mut app, Action::PrevField);
    act(&mut app, Action::Edit(InputRequest::GoToEnd));
    type_text(&mut app, "m");
    assert_eq!(
        focused(&app).value(),
        "a.example.comm",
        "the arrow kept the value"
    );
    act(&mut app, Action::PrevField);
    act(&mut app, Action::Edit(InputRequest::DeletePrevChar));
    assert_eq!(
        focused(&app).value(),
        "",
        "backspace on a selection clears it"
    );
    assert!(
        focused(&app).error.is_some(),
        "an empty app name is refused"
    );
}

#[test]
fn an_invalid_answer_keeps_the_focus_on_its_field_and_says_why() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    act(&mut app, Action::NextField);
    assert_eq!(focused(&app).key, "port");
    type_text(&mut app, "99999");
    let error = focused(&app).error.clone().unwrap();
    assert!(error.contains("65535"), "{error}");
    // Away from the field and back: Enter finds it again.
    act(&mut app, Action::NextField);
    act(&mut app, Action::NextField);
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Answers);
    assert_eq!(focused(&app).key, "port");
    assert!(matches!(&app.notice, Some(Notice::Warning(text)) if text.contains("Port")));
    assert!(!State::load(&root).unwrap().answers.contains_key("port"));
    let text = screen(&app);
    assert!(text.contains("✘"), "{text}");
}

#[test]
fn the_platform_is_a_choice_list() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::Confirm);
    for _ in 0..3 {
        act(&mut app, Action::NextField);
    }
    assert_eq!(focused(&app).key, "platform");
    let first = focused(&app).value().to_owned();
    act(&mut app, Action::Edit(InputRequest::GoToNextChar));
    assert_ne!(focused(&app).value(), first);
    type_text(&mut app, "v");
    assert_eq!(focused(&app).value(), "vps");
    assert!(
        screen(&app).contains("nginx.conf"),
        "vps says what it writes"
    );
}

#[test]
fn enter_saves_the_answers_and_a_second_run_resumes_at_secrets_with_them() {
    let (_dir, root) = demo();
    let app = to_secrets(&root);
    let state = State::load(&root).unwrap();
    assert_eq!(state.answers["domain"], "api.fingpt.example");
    assert_eq!(state.wizard.step.as_deref(), Some("secrets"));
    assert!(
        !state.answers.contains_key("port"),
        "untouched defaults stay defaults"
    );
    drop(app);
    let again = open_at(&root, 120, 40);
    assert_eq!(again.screen, Screen::Secrets);
    assert!(!again.setup.secrets.rows.is_empty());
    assert_eq!(
        again.setup.resolved.as_ref().unwrap().get("domain"),
        "api.fingpt.example"
    );
    assert!(screen(&again).contains("For api.fingpt.example"));
}

#[test]
fn quitting_the_form_keeps_what_was_typed_and_valid() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "typed.example.com");
    act(&mut app, Action::NextField);
    type_text(&mut app, "0");
    act(&mut app, Action::Quit);
    let state = State::load(&root).unwrap();
    assert_eq!(state.answers["domain"], "typed.example.com");
    assert!(
        !state.answers.contains_key("port"),
        "an invalid port is not saved"
    );
    let again = open_at(&root, 120, 40);
    assert_eq!(again.screen, Screen::Answers);
    assert_eq!(
        again.setup.answers.field("domain").unwrap().value(),
        "typed.example.com"
    );
}

#[test]
fn esc_goes_back_one_step_from_each() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Cancel);
    assert_eq!(app.screen, Screen::Answers);
    act(&mut app, Action::Cancel);
    assert_eq!(app.screen, Screen::Project);
    act(&mut app, Action::Cancel);
    assert_eq!(app.screen, Screen::Project, "nothing before the first step");
    for step in [Screen::Files, Screen::Checklist, Screen::Summary] {
        act(&mut app, Action::GoStep(step));
        assert_eq!(app.screen, step);
        act(&mut app, Action::Cancel);
        assert_eq!(app.screen, step.prev());
    }
}

#[test]
fn secrets_are_masked_revealable_and_regenerable_and_never_in_the_state_file() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    let step = &app.setup.secrets;
    let row = step
        .rows
        .iter()
        .position(|r| r.var == "DJANGO_SECRET_KEY")
        .unwrap();
    app.setup.secrets.selected = row;
    let masked = app.setup.secrets.rows[row].shown();
    assert!(
        masked.starts_with("••••••••") && masked.contains("50 chars"),
        "{masked}"
    );
    act(&mut app, Action::Reveal);
    let first = app.setup.secrets.rows[row].shown();
    assert_eq!(first.chars().count(), 50);
    assert!(
        !format!("{app:?}").contains(&first),
        "Debug never prints a value"
    );
    act(&mut app, Action::Regenerate);
    let second = app.setup.secrets.rows[row].shown();
    assert_ne!(first, second);
    act(&mut app, Action::Copy);
    assert!(matches!(&app.notice, Some(Notice::Info(text)) if text.contains("OSC 52")));
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Files);
    assert_eq!(
        env_value(&root, "DJANGO_SECRET_KEY").as_deref(),
        Some(second.as_str())
    );
    let env = std::fs::read_to_string(root.join(".env")).unwrap();
    assert!(
        env.starts_with("# Local development values."),
        "existing lines kept"
    );
    assert!(env.contains("OPENAI_API_KEY=sk-demo-not-a-real-key"));
    let state = std::fs::read_to_string(root.join(".preflight/state.toml")).unwrap();
    assert!(!state.contains(&second), "no secret in the state file");
    assert!(
        state.contains("DJANGO_SECRET_KEY"),
        "only that it was generated"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join(".env"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        std::fs::read_to_string(root.join(".gitignore"))
            .unwrap()
            .contains(".env")
    );
}

#[test]
fn an_api_key_consumer_is_added_by_its_label_and_saved() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    let before = app.setup.secrets.rows.len();
    act(&mut app, Action::AddConsumer);
    type_text(&mut app, "bad label!");
    act(&mut app, Action::Confirm);
    assert!(app.setup.secrets.error.is_some(), "refused, with a reason");
    for _ in 0..10 {
        act(&mut app, Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut app, "mobile");
    act(&mut app, Action::Confirm);
    assert!(app.setup.secrets.adding.is_none());
    assert_eq!(app.setup.secrets.rows.len(), before + 1);
    assert_eq!(
        State::load(&root).unwrap().answers["api_consumers"],
        "mobile"
    );
    act(&mut app, Action::Confirm);
    assert!(
        env_value(&root, "API_KEY_MOBILE")
            .unwrap()
            .starts_with("mobile-")
    );
}

#[test]
fn a_kept_secret_is_never_regenerated() {
    let (_dir, root) = demo();
    std::fs::write(
        root.join(".env"),
        "DJANGO_SECRET_KEY=mine-and-long-enough\n",
    )
    .unwrap();
    let mut app = to_secrets(&root);
    let row = app
        .setup
        .secrets
        .rows
        .iter()
        .position(|r| r.var == "DJANGO_SECRET_KEY")
        .unwrap();
    app.setup.secrets.selected = row;
    assert!(app.setup.secrets.rows[row].kept);
    act(&mut app, Action::Regenerate);
    assert!(matches!(&app.notice, Some(Notice::Warning(text)) if text.contains("kept")));
    act(&mut app, Action::Confirm);
    assert_eq!(
        env_value(&root, "DJANGO_SECRET_KEY").as_deref(),
        Some("mine-and-long-enough")
    );
}

/// The checklist's status line after setup wrote files: the re-check's
/// verdict and what was written, with no hint to go on.
fn assert_recheck_line(app: &App) {
    assert!(
        matches!(&app.notice, Some(Notice::Info(text))
            if text.starts_with("re-checked: ") && text.contains("wrote ")
                && !text.contains("enter continues")),
        "{:?}",
        app.notice
    );
}

#[test]
fn a_recheck_that_reports_after_the_checklist_opened_shows_there() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Files);
    app.update(Action::Confirm);
    if !app.setup.files.asking.is_empty() {
        app.update(Action::Reply(true));
    }
    for effect in app.take_effects() {
        if let Effect::Write(plan) = effect {
            let result = crate::tui::event::write_plan(&app.root, &plan);
            app.update(Action::Wrote(result));
        }
    }
    assert!(app.setup.files.results.is_some(), "the outcomes");
    // The user goes on before the re-check after the write reports.
    let pending: Vec<Effect> = app.take_effects();
    assert!(
        pending.iter().any(|e| matches!(e, Effect::Recheck)),
        "{pending:?}"
    );
    app.update(Action::Confirm);
    assert_eq!(app.screen, Screen::Checklist);
    let report = crate::scan::scan(&app.root).map(Box::new);
    app.update(Action::ScanFinished(report.map_err(|e| e.to_string())));
    assert_recheck_line(&app);
}

#[test]
#[allow(clippy::too_many_lines)]
fn files_preselects_the_platform_asks_before_replacing_and_writes_with_the_domain() {
    let (_dir, root) = demo();
    // fly builds from the Dockerfile; the user has one of their own.
    std::fs::write(root.join("Dockerfile"), "FROM python:3.12\n").unwrap();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Files);
    let rows = &app.setup.files.rows;
    let ticked: Vec<FileKind> = rows.iter().filter(|r| r.ticked).map(|r| r.kind).collect();
    assert_eq!(ticked, files::platform_files("fly"));
    assert!(ticked.contains(&FileKind::Fly) && ticked.contains(&FileKind::Dockerfile));
    assert!(
        !ticked.contains(&FileKind::Env),
        "the Secrets step wrote it"
    );
    let procfile = rows
        .iter()
        .find(|r| r.kind == FileKind::Dockerfile)
        .unwrap();
    assert_eq!(procfile.state(), "differs");
    assert!(procfile.diff.contains("-FROM python:3.12\n"));
    // Untick gunicorn.conf.py; a click on nginx.conf's checkbox flips it.
    let nginx = rows.iter().position(|r| r.kind == FileKind::Nginx).unwrap();
    let nginx_ticked = rows[nginx].ticked;
    let gunicorn = rows
        .iter()
        .position(|r| r.kind == FileKind::Gunicorn)
        .unwrap();
    app.setup.files.selected = gunicorn;
    act(&mut app, Action::Toggle);
    let body = crate::tui::ui::layout(&app).body;
    let y = body.y + 1 + u16::try_from(nginx).unwrap();
    act(&mut app, Action::Click(body.x + 4, y));
    assert_eq!(app.setup.files.rows[nginx].ticked, !nginx_ticked);
    act(&mut app, Action::Confirm);
    assert_eq!(app.setup.files.asking, [FileKind::Dockerfile]);
    assert_eq!(
        app.screen,
        Screen::Files,
        "nothing written before the answer"
    );
    act(&mut app, Action::Reply(false));
    // Each file's outcome is listed on the step; Enter then continues.
    assert_eq!(app.screen, Screen::Files);
    let results = app.setup.files.results.clone().expect("the outcomes");
    let outcome = |kind: FileKind| results.iter().find(|r| r.kind == kind).cloned();
    assert_eq!(outcome(FileKind::Fly).unwrap().text, "written (new)");
    assert_eq!(outcome(FileKind::Fly).unwrap().symbol, "✔");
    let kept = outcome(FileKind::Dockerfile).unwrap();
    assert_eq!(kept.symbol, "–");
    assert!(kept.text.contains("kept yours"), "{kept:?}");
    assert!(
        outcome(FileKind::Gunicorn).is_none(),
        "unticked: not listed"
    );
    let text = screen(&app);
    assert!(text.contains("What was written"), "{text}");
    assert!(
        text.contains("✔ fly.toml") && text.contains("written (new)"),
        "{text}"
    );
    assert!(
        text.contains("– Dockerfile") && text.contains("kept yours"),
        "{text}"
    );
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Checklist);
    // The re-check reported while the outcomes were shown; the key that left
    // them does not take its line from the checklist.
    assert_recheck_line(&app);
    assert_eq!(
        std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
        "FROM python:3.12\n",
        "n keeps the user's file"
    );
    assert!(!root.join("gunicorn.conf.py").exists(), "unticked");
    let fly = std::fs::read_to_string(root.join("fly.toml")).unwrap();
    assert!(fly.contains("api.fingpt.example"));
    if nginx_ticked {
        assert!(!root.join("nginx.conf").exists(), "unticked by the click");
    } else {
        let nginx = std::fs::read_to_string(root.join("nginx.conf")).unwrap();
        assert!(nginx.contains("api.fingpt.example"));
    }
    assert!(
        app.setup
            .log
            .iter()
            .any(|l| l == "✔ fly.toml: written (new)"),
        "{:?}",
        app.setup.log
    );
    assert!(
        app.setup
            .log
            .iter()
            .any(|l| l.starts_with("– Dockerfile: kept yours"))
    );
    // Back to Files, and y replaces it after a backup.
    act(&mut app, Action::Files);
    assert_eq!(app.screen, Screen::Files);
    let procfile = app
        .setup
        .files
        .rows
        .iter()
        .position(|r| r.kind == FileKind::Dockerfile)
        .unwrap();
    for row in &mut app.setup.files.rows {
        row.ticked = row.kind == FileKind::Dockerfile;
    }
    app.setup.files.selected = procfile;
    act(&mut app, Action::Confirm);
    act(&mut app, Action::Reply(true));
    assert!(
        std::fs::read_to_string(root.join("Dockerfile"))
            .unwrap()
            .contains("USER app")
    );
    let results = app.setup.files.results.clone().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(
        results[0]
            .text
            .starts_with("replaced; yours was backed up to .preflight/backups/"),
        "{results:?}"
    );
    let backup = results[0].text.rsplit(' ').next().unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join(backup)).unwrap(),
        "FROM python:3.12\n",
        "the backup it names holds the user's file"
    );
    assert!(
        app.setup
            .log
            .iter()
            .any(|l| l.starts_with("✔ Dockerfile: replaced"))
    );
}

#[test]
fn a_file_that_cannot_be_written_is_listed_as_failed_with_why_and_the_rest_are_written() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Files);
    // A folder where fly.toml goes: generate cannot write it.
    std::fs::create_dir(root.join("fly.toml")).unwrap();
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Files, "{:?}", app.notice);
    let results = app.setup.files.results.clone().expect("the outcomes");
    let fly = results.iter().find(|r| r.kind == FileKind::Fly).unwrap();
    assert_eq!(fly.symbol, "✘", "{results:?}");
    assert!(fly.text.starts_with("failed: "), "{fly:?}");
    assert!(fly.text.len() > "failed: ".len() + 10, "says why: {fly:?}");
    assert!(!fly.text.contains("--only"), "a wizard hint: {fly:?}");
    let docker = results
        .iter()
        .find(|r| r.kind == FileKind::Dockerfile)
        .unwrap();
    assert_eq!(docker.symbol, "✔", "the others are still written");
    assert!(root.join("Dockerfile").is_file());
    assert!(
        matches!(&app.notice, Some(Notice::Warning(t)) if t.contains("1 failed")),
        "{:?}",
        app.notice
    );
    let text = screen(&app);
    assert!(
        text.contains("✘ fly.toml") && text.contains("failed:"),
        "{text}"
    );
}

#[test]
fn library_hints_name_the_wizard_s_steps_not_command_line_flags() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    // The advice about the health check that the app does not serve.
    act(&mut app, Action::Confirm);
    let advice = app.setup.files.advice.join("\n");
    assert!(advice.contains("Health path"), "{advice}");
    for text in app
        .setup
        .files
        .advice
        .iter()
        .chain(&app.setup.secrets.notes)
    {
        assert!(
            !text.contains("--set") && !text.contains("--only"),
            "{text}"
        );
    }
    // Every hint of the library that names a flag, as the wizard shows it.
    let cases = [
        (
            "no domain given, so the files use x.fly.dev\n  hint: --set domain=api.example.com \
             (it is saved for next time)",
            "type it in the Answers step's Domain(s) field (it is saved",
        ),
        (
            "hint: name it with --set wsgi_app=module:callable (config.wsgi:application)",
            "name it in the Answers step's WSGI app field (config.wsgi:application)",
        ),
        (
            "or override it: preflight generate --set port=…",
            "or override it: type it in the Answers step's Port field",
        ),
        (
            "add one (`preflight check --verbose` shows how), or --set health_path=/your/route",
            "add one (the checklist shows how), or type it in the Answers step's Health path",
        ),
        (
            "move away what is in the way, or leave it out with --only",
            "leave it out by unticking it on the Files step",
        ),
    ];
    for (cli, wizard) in cases {
        let said = in_wizard(cli);
        assert!(said.contains(wizard), "{cli:?} became {said:?}");
        assert!(!said.contains("--"), "{said:?}");
    }
}

#[test]
fn a_gen_item_cannot_be_marked_done_while_its_secret_is_missing() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::GoStep(Screen::Checklist));
    assert!(
        app.select_id("secret-key-generated"),
        "secret-key-generated shows"
    );
    act(&mut app, Action::MarkDone);
    let Some(Notice::Warning(text)) = &app.notice else {
        panic!("{:?}", app.notice);
    };
    assert!(text.contains("Secrets step"), "{text}");
    assert_ne!(
        app.state
            .items
            .get("secret-key-generated")
            .map(|r| r.status),
        Some(Status::Done)
    );
    // S jumps to Secrets; Enter writes .env; the item is done by the wizard.
    act(&mut app, Action::Secrets);
    assert_eq!(app.screen, Screen::Secrets);
    act(&mut app, Action::Confirm);
    let record = &app.state.items["secret-key-generated"];
    assert_eq!(record.status, Status::Done);
    assert!(
        satisfied_by(&app, "secret-key-generated")
            .unwrap()
            .contains("DJANGO_SECRET_KEY")
    );
}

#[test]
fn the_step_bar_goes_back_by_click_but_not_past_the_furthest_step() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    let entries = bar_entries(&app);
    let bar = crate::tui::ui::layout(&app).step_bar.unwrap();
    let x_of = |step: Screen| entries.iter().find(|e| e.0 == step).unwrap().1 + 1;
    act(&mut app, Action::Click(x_of(Screen::Summary), bar.y));
    assert_eq!(app.screen, Screen::Secrets, "not reached yet");
    act(&mut app, Action::Click(x_of(Screen::Project), bar.y));
    assert_eq!(app.screen, Screen::Project);
    act(&mut app, Action::Click(x_of(Screen::Secrets), bar.y));
    assert_eq!(app.screen, Screen::Secrets, "reached before");
}

#[test]
fn enter_on_the_summary_finishes_setup_and_e_exports_the_report_inside_the_project() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::GoStep(Screen::Summary));
    act(&mut app, Action::Export);
    for _ in 0..40 {
        act(&mut app, Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut app, "../outside.md");
    act(&mut app, Action::Confirm);
    assert!(
        app.setup
            .summary
            .error
            .as_ref()
            .unwrap()
            .contains("inside the project")
    );
    for _ in 0..40 {
        act(&mut app, Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut app, "review.md");
    act(&mut app, Action::Confirm);
    let report = std::fs::read_to_string(root.join("review.md")).unwrap();
    assert!(report.contains("debug-off"), "{report}");
    act(&mut app, Action::Confirm);
    assert!(app.quit);
    assert!(
        app.exit_message
            .as_ref()
            .unwrap()
            .contains("pre-release review")
    );
    let state = State::load(&root).unwrap();
    assert!(state.wizard.setup_done);
    assert!(state.wizard.step.is_none());
}

#[test]
fn the_suggested_report_path_is_replaced_by_what_is_typed_and_a_refusal_shows_whole() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 80, 24);
    act(&mut app, Action::GoStep(Screen::Summary));
    act(&mut app, Action::Export);
    // Typing a name replaces the suggestion (it was appended to it before).
    type_text(&mut app, "nope/review.md");
    act(&mut app, Action::Confirm);
    let error = app.setup.summary.error.clone().unwrap();
    assert!(error.contains("nope/review.md: the folder"), "{error}");
    let text = screen(&app);
    // Its hint and its cause both show, wrapped, at 80 columns.
    assert!(text.contains("create it first"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    // After a key that moves the cursor, typing edits the value instead.
    act(&mut app, Action::Cancel);
    act(&mut app, Action::Export);
    act(&mut app, Action::Edit(InputRequest::GoToStart));
    type_text(&mut app, "docs-");
    act(&mut app, Action::Confirm);
    assert!(root.join("docs-preflight-report.md").is_file());
    // A backspace on the selected suggestion clears it.
    act(&mut app, Action::Export);
    act(&mut app, Action::Edit(InputRequest::DeletePrevChar));
    type_text(&mut app, "review.md");
    act(&mut app, Action::Confirm);
    assert!(root.join("review.md").is_file());
}

#[test]
fn before_the_first_scan_reports_the_project_step_shows_progress_and_q_quits() {
    let (_dir, root) = demo();
    let mut app = App::new(&root, State::default(), Keymap::defaults(), Journey::Setup);
    app.colour = false;
    app.update(Action::Resize(80, 24));
    let text = screen(&app);
    assert!(text.contains("Scanning the project…"), "{text}");
    assert!(text.contains("files read"), "{text}");
    act(&mut app, Action::Confirm);
    assert_eq!(app.screen, Screen::Project, "nothing to answer from yet");
    let key = crossterm::event::KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(matches!(key_action(&app, key), Some(Action::Quit)));
}

/// The screen with every record's time fixed, as a snapshot needs it.
fn fixed_screen(app: &mut App) -> String {
    for record in app.state.items.values_mut() {
        record.at = "2026-11-20T09:30:00Z".into();
    }
    screen(app)
}

fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

/// Every step's screen at a size, times and temp paths filtered.
fn snapshot_steps(width: u16, height: u16) {
    let (_dir, root) = demo();
    std::fs::write(root.join("Procfile"), "web: python manage.py runserver\n").unwrap();
    let mut app = open_at(&root, width, height);
    let mut shots = vec![("project", fixed_screen(&mut app))];
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "api.fingpt.example");
    shots.push(("answers", fixed_screen(&mut app)));
    act(&mut app, Action::Confirm);
    act(&mut app, Action::AddConsumer);
    type_text(&mut app, "frontend");
    act(&mut app, Action::Confirm);
    app.notice = None;
    shots.push(("secrets", fixed_screen(&mut app)));
    act(&mut app, Action::Confirm);
    app.notice = None;
    shots.push(("files", fixed_screen(&mut app)));
    // The user's Procfile differs: ticking it makes Enter ask first.
    let procfile = app
        .setup
        .files
        .rows
        .iter()
        .position(|r| r.kind == FileKind::Procfile)
        .unwrap();
    app.setup.files.selected = procfile;
    act(&mut app, Action::Toggle);
    act(&mut app, Action::Confirm);
    shots.push(("files-asking", fixed_screen(&mut app)));
    act(&mut app, Action::Reply(true));
    app.notice = None;
    shots.push(("files-written", fixed_screen(&mut app)));
    act(&mut app, Action::Confirm);
    app.notice = None;
    shots.push(("checklist", fixed_screen(&mut app)));
    act(&mut app, Action::Confirm);
    shots.push(("summary", fixed_screen(&mut app)));
    act(&mut app, Action::Help);
    shots.push(("summary-help", fixed_screen(&mut app)));
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} UTC", "[time]");
    settings.add_filter(r"\d{8}T\d{6}Z(-\d+)?", "[stamp]");
    settings.set_snapshot_suffix(format!("{width}x{height}"));
    settings.bind(|| {
        for (name, text) in shots {
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn every_step_at_80x24() {
    snapshot_steps(80, 24);
}

#[test]
fn every_step_at_120x40() {
    snapshot_steps(120, 40);
}

#[test]
fn below_80x24_and_40x10_the_steps_still_draw_sensibly() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::Resize(60, 16));
    let list = screen(&app);
    assert!(
        list.contains("fly.toml") && !list.contains("diff ·"),
        "{list}"
    );
    act(&mut app, Action::NextField);
    assert!(screen(&app).contains("diff ·"));
    act(&mut app, Action::Resize(30, 8));
    assert!(screen(&app).contains("too small"));
}

#[test]
fn in_a_review_g_and_s_open_files_and_secrets_and_esc_returns_to_the_checklist() {
    let (_dir, root) = demo();
    let mut app = App::new(&root, State::default(), Keymap::defaults(), Journey::Review);
    app.update(Action::Resize(120, 40));
    run_effects(&mut app);
    assert_eq!(app.screen, Screen::Checklist);
    act(&mut app, Action::Files);
    assert_eq!(app.screen, Screen::Files);
    assert!(!app.setup.files.rows.is_empty());
    act(&mut app, Action::Cancel);
    assert_eq!(app.screen, Screen::Checklist);
    act(&mut app, Action::Secrets);
    assert_eq!(app.screen, Screen::Secrets);
    assert!(!app.setup.secrets.rows.is_empty());
    act(&mut app, Action::Cancel);
    assert_eq!(app.screen, Screen::Checklist);
    assert!(
        State::load(&root).unwrap().wizard.step.is_none(),
        "a review keeps no step"
    );
}

#[test]
fn an_empty_folder_asks_wrong_folder_and_counts_nothing_as_done() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("empty");
    std::fs::create_dir(&root).unwrap();
    let mut app = open_at(&root, 80, 24);
    let text = screen(&app);
    assert!(
        text.contains("This does not look like a Python web project: wrong folder?"),
        "{text}"
    );
    let progress = app.progress();
    assert_eq!(progress.count(Status::Done), 0);
    assert!(progress.count(Status::Na) > 20, "the scanner's n/a");
    let header = text.lines().next().unwrap();
    assert!(
        header.contains(&format!(
            "0/76 done · {} waived",
            progress.count(Status::Na)
        )),
        "n/a is waived, never done: {header}"
    );
    act(&mut app, Action::GoStep(Screen::Summary));
    let text = screen(&app);
    assert!(text.contains("Progress 0 of 76 done · waived: "), "{text}");
    // As `status` says it: "30 of 76 items settled (0 done · 30 waived)".
    let progress = app.progress();
    assert_eq!(progress.done(), progress.count(Status::Na));
}

#[test]
fn api_keys_cannot_be_marked_done_on_the_demo_where_none_was_generated() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::GoStep(Screen::Checklist));
    assert!(
        app.select_id("api-keys-generated"),
        "api-keys-generated shows"
    );
    let item = Checklist::get().item("api-keys-generated").unwrap();
    act(&mut app, Action::MarkDone);
    let Some(Notice::Warning(text)) = &app.notice else {
        panic!("{:?}", app.notice);
    };
    assert!(text.contains("no key generated yet"), "{text}");
    assert!(text.contains("S, then a, adds one"), "{text}");
    assert_ne!(
        app.state.items.get("api-keys-generated").map(|r| r.status),
        Some(Status::Done)
    );
    // Once a consumer's key is in .env it may be.
    act(&mut app, Action::Secrets);
    act(&mut app, Action::AddConsumer);
    type_text(&mut app, "mobile");
    act(&mut app, Action::Confirm);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::GoStep(Screen::Checklist));
    assert!(
        gen_missing(&app, item).is_none(),
        "{:?}",
        gen_missing(&app, item)
    );
}

#[test]
fn the_summary_pushes_only_the_production_secrets_and_prints_no_value() {
    let (_dir, root) = demo();
    let mut app = to_secrets(&root);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::GoStep(Screen::Summary));
    let text = screen(&app);
    assert!(
        text.contains("grep -E '^(DJANGO_SECRET_KEY)=' .env | fly secrets import"),
        "{text}"
    );
    assert!(!text.contains("< .env"), "never the whole .env: {text}");
    let key = env_value(&root, "DJANGO_SECRET_KEY").unwrap();
    assert!(key.len() >= 50);
    assert!(!text.contains(&key[..20]), "no value on screen");
    // Every platform: only the inventory's keys, never the whole file.
    let keys = vec!["DJANGO_SECRET_KEY".to_owned(), "API_KEYS".to_owned()];
    for platform in answers::platforms() {
        let commands = summary::push_commands(platform, &keys).join("\n");
        assert!(
            commands.contains("DJANGO_SECRET_KEY"),
            "{platform}: {commands}"
        );
        assert!(!commands.contains("< .env") && !commands.contains("--env-file .env "));
        assert!(!commands.contains("scp .env"), "{platform}: {commands}");
    }
}

#[test]
fn the_project_step_keeps_env_files_apart_and_says_where_each_finding_is() {
    let (_dir, root) = demo();
    let app = open_at(&root, 120, 40);
    let text = screen(&app);
    let deployment = text
        .lines()
        .find(|l| l.contains("Deployment files"))
        .unwrap();
    assert!(!deployment.contains(".env"), "{deployment}");
    assert!(deployment.contains("none yet"), "{deployment}");
    assert!(
        text.contains("Env files         .env (local values"),
        "{text}"
    );
    assert!(text.contains("at config/settings.py:33"), "{text}");
    assert!(!text.contains("· missing"), "{text}");
    // A finding about something missing says what is missing.
    assert!(text.contains(".env is not in .gitignore"), "{text}");
}

#[test]
fn defaults_that_follow_the_domain_follow_it_as_it_is_typed() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    act(&mut app, Action::Confirm);
    act(&mut app, Action::NextField);
    type_text(&mut app, "api.fingpt.example");
    let cors = app.setup.answers.field("cors_origins").unwrap();
    assert_eq!(cors.value(), "https://api.fingpt.example");
    assert_eq!(cors.source, Some(crate::answers::Source::Default));
    // A value the user typed is never replaced.
    let index = app
        .setup
        .answers
        .fields
        .iter()
        .position(|f| f.key == "cors_origins")
        .unwrap();
    app.setup.answers.focus = index;
    app.setup.answers.fields[index].select_all = true;
    type_text(&mut app, "https://app.example");
    app.setup.answers.focus = 1;
    act(&mut app, Action::Edit(InputRequest::InsertChar('x')));
    assert_eq!(
        app.setup.answers.field("cors_origins").unwrap().value(),
        "https://app.example"
    );
}

#[test]
fn the_project_step_scrolls_no_further_than_its_last_line() {
    let (_dir, root) = demo();
    let mut app = open_at(&root, 120, 40);
    for _ in 0..5 {
        act(&mut app, Action::MoveDown);
    }
    assert_eq!(app.setup.project.scroll, 0, "it all fits at 120x40");
    act(&mut app, Action::Resize(80, 24));
    for _ in 0..30 {
        act(&mut app, Action::MoveDown);
    }
    let text = screen(&app);
    assert!(
        text.contains("Enter continues to the answers"),
        "the last line shows: {text}"
    );
}

//! Wizard timings (`cargo bench --bench tui`): the first frame of the real
//! binary on the demo, and a full redraw at 200×60. A benchmark, not a test:
//! it prints numbers for the README and fails nothing.

use std::io::Read;
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use preflight::state::State;
use preflight::tui::{Action, App, Journey, Keymap, Screen, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

const RUNS: usize = 15;

fn main() {
    let tmp = tempfile::tempdir().expect("tmp");
    let first: Vec<Duration> = (0..RUNS).map(|_| first_frame(tmp.path())).collect();
    report("first frame of `preflight --demo` in a pty, 120x40", first);

    let project = tmp.path().join("project");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"),
        &project,
    );
    let in_process: Vec<Duration> = (0..RUNS).map(|_| app_first_frame(&project)).collect();
    report("state load + App::new + first draw, in-process", in_process);
    report("full redraw at 200x60", redraws(&project, 200, 60));
    report("full redraw at 120x40", redraws(&project, 120, 40));
    let (change, change_draw, key, key_draw) = setup_timings(&project, 200, 60);
    report("setup step change: update + full redraw, 200x60", change);
    report("setup step change: full redraw only, 200x60", change_draw);
    report("keystroke in an answer field: update + redraw, 200x60", key);
    report(
        "keystroke in an answer field: redraw only, 200x60",
        key_draw,
    );
    for (step, samples) in each_step(&project, 200, 60) {
        report(
            &format!("setup step change into {step}: update + redraw, 200x60"),
            samples,
        );
    }

    // 1.2 million findings, 400,000 of them on one item (as on the tree
    // `scripts/gen-bench-tree.py DIR --findings --repeat 200` makes).
    let heavy = tmp.path().join("heavy");
    std::fs::create_dir_all(&heavy).expect("mkdir");
    let started = Instant::now();
    let mut app = App::new(
        &heavy,
        State::default(),
        Keymap::defaults(),
        Journey::Review,
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    app.update(Action::Resize(120, 40));
    terminal.draw(|frame| draw(frame, &app)).expect("draw");
    report(
        "first frame before the scan is in, 1.2M-findings project",
        vec![started.elapsed()],
    );
    let started = Instant::now();
    app.update(Action::ScanFinished(Ok(Box::new(million_findings(&heavy)))));
    report(
        "recording a scan of 1.2M findings (state file saved)",
        vec![started.elapsed()],
    );
    let state = std::fs::metadata(preflight::state::state_path(&heavy)).expect("state");
    println!("state file after 1.2M findings: {} KiB", state.len() / 1024);
    report(
        "key + redraw, largest item selected, 1.2M findings",
        keys_on_the_largest_item(&mut app, &mut terminal),
    );
}

/// Setup's step changes (Answers ⇄ Secrets, each saved to the state file)
/// and keystrokes typed into the domain field, each followed by a full redraw.
fn setup_timings(
    project: &Path,
    width: u16,
    height: u16,
) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>, Vec<Duration>) {
    let setup = project.with_file_name("setup");
    copy_dir(project, &setup);
    let state = State::load(&setup).expect("state");
    let mut app = App::new(&setup, state, Keymap::defaults(), Journey::Setup);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    app.update(Action::Resize(width, height));
    let report = preflight::scan::scan(&setup).expect("scan");
    app.update(Action::ScanFinished(Ok(Box::new(report))));
    let _ = app.take_effects();
    let mut timed = |app: &mut App, action: Action| {
        let started = Instant::now();
        app.update(action);
        let _ = app.take_effects();
        terminal.clear().expect("clear");
        let drawn = Instant::now();
        terminal.draw(|frame| draw(frame, app)).expect("draw");
        (started.elapsed(), drawn.elapsed())
    };
    let (mut change, mut change_draw) = (Vec::new(), Vec::new());
    for i in 0..100 {
        let step = if i % 2 == 0 {
            Screen::Answers
        } else {
            Screen::Secrets
        };
        let (all, drawn) = timed(&mut app, Action::GoStep(step));
        change.push(all);
        change_draw.push(drawn);
    }
    timed(&mut app, Action::GoStep(Screen::Answers));
    timed(&mut app, Action::NextField);
    let (mut key, mut key_draw) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let action = if i % 2 == 0 {
            Action::Edit(InputRequest::InsertChar('a'))
        } else {
            Action::Edit(InputRequest::DeletePrevChar)
        };
        let (all, drawn) = timed(&mut app, action);
        key.push(all);
        key_draw.push(drawn);
    }
    (change, change_draw, key, key_draw)
}

/// Going into each setup step from the one before (Files plans every file
/// `generate` can write, with its diff), each followed by a full redraw.
fn each_step(project: &Path, width: u16, height: u16) -> Vec<(&'static str, Vec<Duration>)> {
    let setup = project.with_file_name("steps");
    copy_dir(project, &setup);
    let state = State::load(&setup).expect("state");
    let mut app = App::new(&setup, state, Keymap::defaults(), Journey::Setup);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    app.update(Action::Resize(width, height));
    let report = preflight::scan::scan(&setup).expect("scan");
    app.update(Action::ScanFinished(Ok(Box::new(report))));
    let _ = app.take_effects();
    let steps = [
        ("Project", Screen::Project),
        ("Answers", Screen::Answers),
        ("Secrets", Screen::Secrets),
        ("Files", Screen::Files),
        ("Checklist", Screen::Checklist),
        ("Summary", Screen::Summary),
    ];
    let mut samples: Vec<(&'static str, Vec<Duration>)> =
        steps.iter().map(|(name, _)| (*name, Vec::new())).collect();
    for _ in 0..30 {
        for (index, (_, step)) in steps.iter().enumerate() {
            let started = Instant::now();
            app.update(Action::GoStep(*step));
            let _ = app.take_effects();
            terminal.clear().expect("clear");
            terminal.draw(|frame| draw(frame, &app)).expect("draw");
            samples[index].1.push(started.elapsed());
        }
    }
    samples
}

/// A scan report with 1.2 million findings: three items of 400,000 each over 2,000 apps.
fn million_findings(root: &Path) -> preflight::scan::ScanReport {
    let items = [
        "csrf-protected",
        "money-as-decimal",
        "service-urls-from-env",
    ];
    let mut findings = Vec::with_capacity(1_200_000);
    for item in items {
        let checklist = preflight::checklist::Checklist::get();
        let entry = checklist.item(item).expect("item");
        for n in 0..400_000 {
            findings.push(preflight::scan::Finding {
                item: item.to_owned(),
                severity: entry.severity,
                title: &entry.problem,
                file: Some(format!("app_{:04}/views.py", n / 200)),
                line: Some(10 + n % 200 * 7),
                evidence: Some("@csrf_exempt".to_owned()),
                fix: entry
                    .fix
                    .for_framework(preflight::project::Framework::Django),
            });
        }
    }
    let mut report = preflight::scan::ScanReport {
        findings,
        ..preflight::scan::ScanReport::default()
    };
    report.project.root = root.to_path_buf();
    report.project.framework = preflight::project::Framework::Django;
    report
}

/// Key presses on the item with the most findings, each followed by a redraw:
/// into its detail pane, then paging down through its places and back.
fn keys_on_the_largest_item(app: &mut App, terminal: &mut Terminal<TestBackend>) -> Vec<Duration> {
    let mut samples = Vec::new();
    let mut press = |app: &mut App, action: Action| {
        let started = Instant::now();
        app.update(action);
        terminal.draw(|frame| draw(frame, app)).expect("draw");
        samples.push(started.elapsed());
    };
    press(app, Action::NextPane);
    for _ in 0..40 {
        press(app, Action::PageDown);
    }
    press(app, Action::Last);
    for _ in 0..20 {
        press(app, Action::PageUp);
    }
    for _ in 0..20 {
        press(app, Action::MoveDown);
    }
    samples
}

/// Prints the median and worst of `samples`.
fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let worst = samples[samples.len() - 1];
    println!(
        "{what:<55} median {:>8.2} ms   worst {:>8.2} ms   ({} runs)",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3,
        samples.len()
    );
}

/// From spawning the binary to the header being on the pty's screen.
fn first_frame(tmp: &Path) -> Duration {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.arg("--demo");
    cmd.env("TMPDIR", tmp);
    cmd.env("TERM", "xterm-256color");
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    let mut parser = vt100::Parser::new(
        NonZeroU16::new(40).expect("rows"),
        NonZeroU16::new(120).expect("cols"),
        0,
    );
    let deadline = started + Duration::from_secs(10);
    let elapsed = loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(bytes) => {
                parser.process(&bytes);
                // The demo opens on setup's first step.
                if parser.screen().contents().contains("[▶ Project]") {
                    break started.elapsed();
                }
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("no first frame:\n{}", parser.screen().contents())
            }
        }
    };
    let mut writer = pair.master.take_writer().expect("writer");
    std::io::Write::write_all(&mut writer, b"q").expect("quit");
    child.wait().expect("exit");
    elapsed
}

/// Loading the state and drawing the first frame, without process start-up.
fn app_first_frame(project: &Path) -> Duration {
    let started = Instant::now();
    let state = State::load(project).expect("state");
    let mut app = App::new(project, state, Keymap::defaults(), Journey::Review);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    app.update(Action::Resize(120, 40));
    terminal.draw(|frame| draw(frame, &app)).expect("draw");
    started.elapsed()
}

/// Full redraws: every cell repainted each time (the terminal is cleared first).
fn redraws(project: &Path, width: u16, height: u16) -> Vec<Duration> {
    let state = State::load(project).expect("state");
    let mut app = App::new(project, state, Keymap::defaults(), Journey::Review);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    app.update(Action::Resize(width, height));
    (0..200)
        .map(|i| {
            app.update(if i % 2 == 0 {
                Action::MoveDown
            } else {
                Action::MoveUp
            });
            terminal.clear().expect("clear");
            let started = Instant::now();
            terminal.draw(|frame| draw(frame, &app)).expect("draw");
            started.elapsed()
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

//! The wizard end to end: the real binary in a pseudo-terminal, driven by keys,
//! its screen read back through a terminal emulator (vt100).

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use predicates::prelude::*;

use crate::util::{demo_project, preflight, status_item, status_json, write};

/// How long any one expectation may take before the test fails.
// Generous: a deadline only bounds a failure, and CI's two cores may be busy
// compiling or running other tests while the wizard starts.
const DEADLINE: Duration = Duration::from_secs(45);

/// The real binary running in a pseudo-terminal (`verify`'s wizard test drives one too).
pub(crate) struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote, for what it prints after leaving the screen.
    raw: Arc<Mutex<Vec<u8>>>,
    /// A message per chunk read; disconnected once the program closed the terminal.
    output: Receiver<()>,
}

impl Session {
    /// Starts `preflight ARGS` in a `cols`×`rows` terminal with `tmp` as TMPDIR.
    pub(crate) fn start(args: &[&str], tmp: &Path, cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_preflight"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("TMPDIR", tmp);
        cmd.env(
            "PREFLIGHT_CONFIG_DIR",
            std::env::temp_dir().join("preflight-test-config-none"),
        );
        // A TMPDIR that is not a folder (to test that error) runs from its parent.
        cmd.cwd(if tmp.is_dir() {
            tmp
        } else {
            tmp.parent().expect("a parent")
        });
        let child = pair.slave.spawn_command(cmd).expect("spawn preflight");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).expect("rows"),
            NonZeroU16::new(cols).expect("cols"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (tx, output) = std::sync::mpsc::channel();
        let mut reader = pair.master.try_clone_reader().expect("reader");
        {
            let parser = Arc::clone(&parser);
            let raw = Arc::clone(&raw);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().expect("parser").process(&buf[..n]);
                    raw.lock().expect("raw").extend_from_slice(&buf[..n]);
                    if tx.send(()).is_err() {
                        break;
                    }
                }
            });
        }
        let writer = pair.master.take_writer().expect("writer");
        Session {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            output,
        }
    }

    /// The screen as text.
    pub(crate) fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen shows `text`, failing with the screen at the deadline.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// Waits until `done(screen)` holds; `what` names it in the failure.
    pub(crate) fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what:?}; the screen:\n{screen}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let screen = self.screen();
                    assert!(
                        done(&screen),
                        "the program ended before {what:?}; the screen:\n{screen}"
                    );
                    return screen;
                }
            }
        }
    }

    /// How many bytes the program has written so far.
    fn raw_len(&self) -> usize {
        self.raw.lock().expect("raw").len()
    }

    /// Waits until what the program wrote after byte `from` holds `done`;
    /// returns that output.
    fn wait_output(&self, from: usize, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let output =
                String::from_utf8_lossy(&self.raw.lock().expect("raw")[from..]).into_owned();
            if done(&output) {
                return output;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(err) => panic!("no {what:?} in the output ({err}): {output:?}"),
            }
        }
    }

    /// Forgets what the screen showed, so a later `wait_for` sees only what is drawn from now on.
    fn forget_screen(&self, cols: u16, rows: u16) {
        *self.parser.lock().expect("parser") = vt100::Parser::new(
            NonZeroU16::new(rows).expect("rows"),
            NonZeroU16::new(cols).expect("cols"),
            0,
        );
    }

    /// Types keys, as a person would.
    pub(crate) fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
    }

    /// Resizes the terminal, as dragging a window corner does.
    fn resize(&self, cols: u16, rows: u16) {
        self.parser.lock().expect("parser").set_size(
            NonZeroU16::new(rows).expect("rows"),
            NonZeroU16::new(cols).expect("cols"),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Waits for the program to close the terminal and exit; returns what it wrote.
    pub(crate) fn wait_exit(mut self) -> (portable_pty::ExitStatus, String) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!("preflight did not exit; the screen:\n{}", self.screen());
                }
            }
        }
        let status = self.child.wait().expect("exit status");
        let raw = String::from_utf8_lossy(&self.raw.lock().expect("raw")).into_owned();
        (status, raw)
    }
}

impl Drop for Session {
    /// A test that failed half-way leaves no wizard running behind it.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `preflight-demo-*/fingpt-demo` directory `--demo` made below `tmp`.
fn demo_dir(tmp: &Path) -> PathBuf {
    std::fs::read_dir(tmp)
        .expect("read tmp")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("preflight-demo-"))
        })
        .expect("--demo made a directory")
        .join("fingpt-demo")
}

#[test]
#[allow(clippy::too_many_lines)]
fn the_demo_walks_through_setup_marks_an_item_and_a_second_run_resumes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut session = Session::start(&["--demo"], tmp.path(), 120, 40);
    session.wait_for("preflight · fingpt-demo");
    // Project: what the scan found, then Enter opens the form on its first field.
    let screen = session.wait_for("Failing items");
    assert!(screen.contains("[▶ Project]"), "{screen}");
    assert!(screen.contains("Django"), "{screen}");
    session.send("\r");
    session.wait_for("[▶ Answers]");
    session.wait_for("▶ App name");
    // Tab to the domain: its value is selected, so typing replaces it.
    session.send("\tapi.demo.example\r");
    let screen = session.wait_for("[▶ Secrets]");
    assert!(screen.contains("••••••••  50 chars"), "{screen}");
    session.send("\r");
    session.wait_for("[▶ Files]");
    let screen = session.wait_until("the file rows", |screen| {
        ["Procfile", "fly.toml", "gunicorn.conf.py"]
            .iter()
            .all(|file| screen.contains(file))
    });
    for file in ["Procfile", "fly.toml", "gunicorn.conf.py"] {
        assert!(screen.contains(file), "{file} in\n{screen}");
    }
    session.send("\r");
    let screen = session.wait_until("the outcomes or a question", |screen| {
        screen.contains("What was written") || screen.contains("y replaces it")
    });
    if screen.contains("y replaces it") {
        session.send("y");
    }
    // Each file's outcome is listed; Enter then continues to the checklist.
    let screen = session.wait_for("What was written");
    assert!(screen.contains("✔ fly.toml"), "{screen}");
    assert!(screen.contains("written (new)"), "{screen}");
    session.send("\r");
    session.wait_for("[▶ Checklist]");
    session.wait_for("re-checked:");
    // A manual item found with the filter and marked done; another skipped.
    session.send("/api-auth-required\r");
    session.wait_for("1 item matches");
    session.send(" ");
    session.wait_for("api-auth-required: done · saved");
    session.send("\x1b");
    session.wait_until("the filter cleared", |screen| {
        !screen.contains("/api-auth-required")
    });
    session.send("/backups\r");
    session.wait_for("▶ ○   backups");
    session.send("s");
    session.wait_for("Why skip it for now?");
    session.send("the platform snapshots nightly\r");
    session.wait_for("backups: skipped · saved");
    session.send("q");
    let (status, output) = session.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(output.contains("The demo project is kept at"), "{output}");
    assert!(output.contains("\x1b[?1049l"), "left the alternate screen");

    let demo = demo_dir(tmp.path());
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/.env"))
            .expect("the demo's .env");
    let env = std::fs::read_to_string(demo.join(".env")).expect(".env");
    for line in original.lines() {
        assert!(env.lines().any(|l| l == line), "kept {line:?} in\n{env}");
    }
    let key = env
        .lines()
        .find_map(|l| l.strip_prefix("DJANGO_SECRET_KEY="))
        .expect("a signing key");
    assert!(key.len() >= 50, "{key}");
    // fly (the default platform) runs fly.toml and the Dockerfile; no Procfile.
    for file in [
        "fly.toml",
        "Dockerfile",
        ".dockerignore",
        "gunicorn.conf.py",
    ] {
        assert!(demo.join(file).is_file(), "{file} written");
    }
    let fly = std::fs::read_to_string(demo.join("fly.toml")).expect("fly.toml");
    assert!(fly.contains("api.demo.example"), "{fly}");
    let state = std::fs::read_to_string(demo.join(".preflight/state.toml")).expect("state");
    assert!(state.contains("domain = \"api.demo.example\""), "{state}");
    assert!(!state.contains(key), "no secret in the state file");
    assert!(state.contains("[[history]]"), "the re-check was recorded");
    // The command it suggests runs as printed, though `preflight` is not on PATH here.
    let again = format!(
        "Look at it again: {} status {}",
        env!("CARGO_BIN_EXE_preflight"),
        demo.display()
    );
    assert!(output.contains(&again), "{output}");
    let json = status_json(&demo);
    assert_eq!(status_item(&json, "api-auth-required")["status"], "done");
    assert_eq!(status_item(&json, "api-auth-required")["by"], "user");
    assert_eq!(status_item(&json, "backups")["status"], "skipped");
    assert_eq!(
        status_item(&json, "backups")["reason"],
        "the platform snapshots nightly"
    );
    assert_eq!(status_item(&json, "secret-key-generated")["status"], "done");

    // A second run resumes at the step left: the checklist.
    let path = demo.to_string_lossy().into_owned();
    let mut again = Session::start(&[&path], tmp.path(), 120, 40);
    let screen = again.wait_for("[▶ Checklist]");
    assert!(screen.contains("✔ Files"), "{screen}");
    again.send("q");
    let (status, _) = again.wait_exit();
    assert!(status.success());
}

#[test]
fn quitting_at_secrets_resumes_there_with_the_domain_kept() {
    let project = demo_project();
    let tmp = tempfile::tempdir().expect("tmp");
    let path = project.path().to_string_lossy().into_owned();
    let mut session = Session::start(&[&path], tmp.path(), 80, 24);
    session.wait_for("Failing items");
    session.send("\r");
    session.wait_for("[▶ Answers]");
    session.send("\tkept.example.com\r");
    session.wait_for("[▶ Secrets]");
    session.send("q");
    let (status, _) = session.wait_exit();
    assert!(status.success());
    let mut again = Session::start(&[&path], tmp.path(), 80, 24);
    let screen = again.wait_for("For kept.example.com");
    assert!(screen.contains("[▶ Secrets]"), "{screen}");
    again.send("q");
    again.wait_exit();
    assert!(
        !project.path().join("fly.toml").exists(),
        "nothing written on quit"
    );
}

#[test]
fn review_shows_every_phase_help_and_survives_resizing() {
    let project = demo_project();
    let tmp = tempfile::tempdir().expect("tmp");
    let path = project.path().to_string_lossy().into_owned();
    let mut session = Session::start(&["review", &path], tmp.path(), 120, 40);
    let screen = session.wait_for("Maintain");
    for phase in [
        "Secrets",
        "Security",
        "Config",
        "Serving",
        "Operations",
        "Verify",
    ] {
        assert!(screen.contains(phase), "{phase} in\n{screen}");
    }
    session.send("?");
    session.wait_for("mark the item done");
    session.send("\x1b");
    session.wait_until("help closed", |screen| {
        !screen.contains("mark the item done")
    });
    session.resize(30, 8);
    session.wait_for("too small");
    session.resize(70, 20);
    session.wait_for("←→ 2/3");
    session.send("l");
    session.wait_for("←→ 3/3");
    session.resize(120, 40);
    session.wait_for("Maintain");
    // A click on phase 3 (SGR mouse report, 1-based column;row) selects it.
    session.send("\x1b[<0;5;5M\x1b[<0;5;5m");
    session.wait_for("3 · Configuration and data");
    // A scanner-decided item refuses "done" and says why.
    session.send("/debug-off\r ");
    session.wait_for("decided by the scanner");
    session.send("q");
    let (status, _) = session.wait_exit();
    assert!(status.success());
    let json = status_json(project.path());
    assert_ne!(status_item(&json, "debug-off")["status"], "done");
}

#[test]
fn a_corrupt_state_file_stops_the_wizard_and_is_kept() {
    let project = demo_project();
    let corrupt = "schema = 1\n[items.debug-off\n";
    write(project.path(), ".preflight/state.toml", corrupt);
    for args in [vec!["review"], vec![]] {
        preflight()
            .args(args)
            .arg(project.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("state.toml:2"));
    }
    let kept = std::fs::read_to_string(project.path().join(".preflight/state.toml"));
    assert_eq!(kept.expect("kept"), corrupt);
}

#[test]
fn a_broken_keymap_is_reported_before_the_wizard_starts() {
    let project = demo_project();
    let config = tempfile::tempdir().expect("config");
    write(
        config.path(),
        "keymap.toml",
        "[checklist]\nx = \"launch\"\n",
    );
    preflight()
        .env("PREFLIGHT_CONFIG_DIR", config.path())
        .arg("review")
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "keymap.toml is not a valid keymap",
        ))
        .stderr(predicate::str::contains("unknown action `launch`"));
}

#[test]
fn a_temp_dir_that_cannot_be_made_is_an_error_with_a_hint() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let not_a_dir = tmp.path().join("a-file");
    std::fs::write(&not_a_dir, "").expect("write");
    let session = Session::start(&["--demo"], &not_a_dir, 80, 24);
    let (status, raw) = session.wait_exit();
    assert_eq!(status.exit_code(), 2, "{raw}");
    assert!(raw.contains("hint: set TMPDIR"), "{raw}");
}

#[test]
fn demo_takes_no_path() {
    preflight().args(["--demo", "somewhere"]).assert().code(2);
}

#[cfg(unix)]
#[test]
fn sigterm_restores_the_terminal() {
    for signal in ["TERM", "HUP", "QUIT"] {
        let project = demo_project();
        let tmp = tempfile::tempdir().expect("tmp");
        let path = project.path().to_string_lossy().into_owned();
        let session = Session::start(&["review", &path], tmp.path(), 120, 40);
        session.wait_for("Maintain");
        let pid = session.child.process_id().expect("a pid");
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .expect("kill");
        assert!(killed.success());
        let (status, output) = session.wait_exit();
        assert!(!status.success(), "SIG{signal} ends with a failure status");
        // What it switched on at the start, it switched off at the end.
        let tail = &output[output.rfind("\x1b[?1049h").expect("entered")..];
        for (mode, off) in [
            ("the alternate screen", "\x1b[?1049l"),
            ("the cursor", "\x1b[?25h"),
            ("mouse capture", "\x1b[?1000l"),
            ("bracketed paste", "\x1b[?2004l"),
        ] {
            assert!(tail.contains(off), "SIG{signal}: {mode} not restored");
        }
    }
}

/// The state letter of a process in /proc (`T` once it is stopped), or `None` when it is gone.
#[cfg(target_os = "linux")]
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // pid (comm) STATE …: the name may hold spaces or parentheses.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Waits until the process's state is `state` (polling /proc, bounded by the deadline).
#[cfg(target_os = "linux")]
fn wait_state(pid: u32, state: char) {
    let deadline = Instant::now() + DEADLINE;
    while process_state(pid) != Some(state) {
        assert!(
            Instant::now() < deadline,
            "process {pid} never reached state {state}: {:?}",
            process_state(pid)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws_it_all() {
    // Ctrl-Z is a key in raw mode; `kill -TSTP` is the signal itself.
    for how in ["ctrl-z", "SIGTSTP"] {
        let project = demo_project();
        let tmp = tempfile::tempdir().expect("tmp");
        let path = project.path().to_string_lossy().into_owned();
        let mut session = Session::start(&["review", &path], tmp.path(), 120, 40);
        session.wait_for("re-checked:");
        let pid = session.child.process_id().expect("a pid");
        let before = session.raw_len();
        if how == "ctrl-z" {
            session.send("\x1a");
        } else {
            let sent = std::process::Command::new("kill")
                .args(["-TSTP", &pid.to_string()])
                .status()
                .expect("kill");
            assert!(sent.success());
        }
        // Given back as a shell expects, then stopped.
        session.wait_output(before, "the main screen", |out| out.contains("\x1b[?1049l"));
        wait_state(pid, 'T');
        let output = session.wait_output(before, "what it wrote", |_| true);
        for (mode, off) in [
            ("the alternate screen", "\x1b[?1049l"),
            ("the cursor", "\x1b[?25h"),
            ("mouse capture", "\x1b[?1000l"),
            ("bracketed paste", "\x1b[?2004l"),
        ] {
            assert!(
                output.contains(off),
                "{how}: {mode} not restored in {output:?}"
            );
        }
        let termios = session.master.get_termios().expect("the pty's modes");
        let cooked = libc::ICANON | libc::ECHO | libc::ISIG;
        assert_eq!(
            termios.local_flags.bits() & cooked,
            cooked,
            "{how}: raw mode is still on while stopped"
        );
        // fg: the whole frame is drawn again on a screen that starts empty, and keys work.
        session.forget_screen(120, 40);
        let after = session.raw_len();
        let resumed = std::process::Command::new("kill")
            .args(["-CONT", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(resumed.success());
        session.wait_output(after, "the alternate screen again", |out| {
            out.contains("\x1b[?1049h")
                && out.contains("\x1b[?1000h")
                && out.contains("\x1b[?2004h")
        });
        let screen = session.wait_until("the whole frame", |screen| {
            screen.contains("preflight · ")
                && screen.contains("Maintain")
                && screen.contains("re-checked:")
        });
        assert!(screen.contains("Operations"), "{how}: {screen}");
        let termios = session.master.get_termios().expect("the pty's modes");
        assert_eq!(
            termios.local_flags.bits() & libc::ICANON,
            0,
            "{how}: raw mode again"
        );
        session.send("/backups\r");
        session.wait_for("▶ ○   backups");
        session.send("q");
        let (status, _) = session.wait_exit();
        assert!(status.success(), "{how}: exit status {status:?}");
    }
}

#[test]
fn a_bracketed_paste_is_text_in_a_field_and_ignored_outside() {
    let project = demo_project();
    let tmp = tempfile::tempdir().expect("tmp");
    let path = project.path().to_string_lossy().into_owned();
    let mut session = Session::start(&["review", &path], tmp.path(), 120, 40);
    // After the review's start-up re-check, which moves the cursor to what changed.
    session.wait_for("re-checked:");
    // Outside a field: the pasted letters must not run as commands (s would skip, q quit).
    session.send("\x1b[200~sq n l\x1b[201~");
    session.send("/backups\r");
    session.wait_for("▶ ○   backups");
    session.send("s");
    session.wait_for("Why skip it for now?");
    session.send("\x1b[200~line one\nline two\x1b[201~\r");
    session.wait_for("backups: skipped · saved");
    session.send("q");
    let (status, _) = session.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    assert!(state.contains("reason = \"line one line two\""), "{state}");
}

#[test]
fn review_opens_on_the_regression_with_the_counts_in_its_header() {
    let project = demo_project();
    let settings = project.path().join("config/settings.py");
    let text = std::fs::read_to_string(&settings).expect("settings");
    // DEBUG fixed at one check, on again at the next.
    std::fs::write(&settings, text.replacen("DEBUG = True", "DEBUG = False", 1)).expect("fix");
    preflight()
        .arg("check")
        .arg(project.path())
        .output()
        .expect("check");
    std::fs::write(&settings, &text).expect("break");
    let tmp = tempfile::tempdir().expect("tmp");
    let path = project.path().to_string_lossy().into_owned();
    let mut session = Session::start(&["review", &path], tmp.path(), 120, 40);
    let screen = session.wait_for("re-checked:");
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains("Review · ↯ 1 regressed"), "{screen}");
    assert!(header.contains("⏰ 6 due"), "{screen}");
    // The first selected item is the one that changed.
    assert!(screen.contains("▶ ✘ ↯ debug-off"), "{screen}");
    assert!(
        screen.contains("Regressed: it passed before this"),
        "{screen}"
    );
    // `!` shows only what changed: the regression and the due tasks.
    session.send("!");
    let screen = session.wait_for("changed since the last review");
    assert!(screen.contains("7 changed"), "{screen}");
    session.send("q");
    let (status, _) = session.wait_exit();
    assert!(status.success());
}

/// Whether process `pid` still runs (a zombie counts as ended).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state follows the command name in parentheses.
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    })
}

#[test]
fn the_wizard_ends_when_its_terminal_window_is_closed() {
    // A closed window or `tmux kill-session` leaves the wizard a terminal that is
    // gone: it must end, not spin on a core forever as an orphan.
    let Some(tmux) = crate::util::require_tool("tmux") else {
        return;
    };
    if !Path::new("/proc/self/stat").is_file() {
        return;
    }
    let project = demo_project();
    let tmp = tempfile::tempdir().expect("tmp");
    let name = format!("preflight-hangup-{}", std::process::id());
    let tmux_cmd = |args: &[&str]| {
        std::process::Command::new(&tmux)
            .args(["-L", &name])
            .args(args)
            .env("TMPDIR", tmp.path())
            .output()
            .expect("tmux runs")
    };
    let command = format!(
        "exec {} review {}",
        env!("CARGO_BIN_EXE_preflight"),
        project.path().display()
    );
    let started = tmux_cmd(&[
        "new-session",
        "-d",
        "-s",
        "w",
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");
    let deadline = Instant::now() + DEADLINE;
    let pid: u32 = loop {
        let screen = tmux_cmd(&["capture-pane", "-p", "-t", "w"]);
        if String::from_utf8_lossy(&screen.stdout).contains("re-checked:") {
            let panes = tmux_cmd(&["list-panes", "-t", "w", "-F", "#{pane_pid}"]);
            break String::from_utf8_lossy(&panes.stdout)
                .trim()
                .parse()
                .expect("a pane pid");
        }
        assert!(Instant::now() < deadline, "the wizard did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = tmux_cmd(&["kill-server"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while running(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let still = running(pid);
    if still {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
    }
    assert!(
        !still,
        "the wizard kept running after its terminal was gone"
    );
}

#[test]
fn c_copies_the_selected_secret_through_osc_52_only_when_asked() {
    use base64::Engine as _;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut session = Session::start(&["--demo"], tmp.path(), 120, 40);
    session.wait_for("Failing items");
    session.send("\r");
    session.wait_for("▶ App name");
    session.send("\tapi.demo.example\r");
    session.wait_for("••••••••  50 chars");
    let raw =
        |session: &Session| String::from_utf8_lossy(&session.raw.lock().expect("raw")).into_owned();
    assert!(
        !raw(&session).contains("\x1b]52;"),
        "nothing reaches the clipboard unasked"
    );
    session.send("c");
    session.wait_for("copied DJANGO_SECRET_KEY via OSC 52");
    let output = raw(&session);
    assert_eq!(output.matches("\x1b]52;").count(), 1, "one copy, on c");
    let start = output.find("\x1b]52;c;").expect("OSC 52 to the clipboard") + "\x1b]52;c;".len();
    let end = start + output[start..].find('\x07').expect("the BEL that ends it");
    let copied = base64::engine::general_purpose::STANDARD
        .decode(&output[start..end])
        .expect("base64");
    let copied = String::from_utf8(copied).expect("text");
    // Enter writes .env with the very value that was copied.
    session.send("\r");
    session.wait_for("[▶ Files]");
    session.send("q");
    let (status, output) = session.wait_exit();
    assert!(status.success());
    let env = std::fs::read_to_string(demo_dir(tmp.path()).join(".env")).expect(".env");
    let key = env
        .lines()
        .find_map(|l| l.strip_prefix("DJANGO_SECRET_KEY="))
        .expect("the key written");
    assert_eq!(copied, key, "the clipboard holds the selected secret");
    assert_eq!(key.len(), 50);
    assert!(
        !output.contains(key),
        "the value itself was never drawn: only its base64 went out, for the clipboard"
    );
    assert_eq!(output.matches("\x1b]52;").count(), 1);
}

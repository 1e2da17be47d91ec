//! Input for the loop: terminal events read on a std thread, and the
//! re-check worker's result, over one channel.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::scan::ScanReport;

/// Something for the loop to handle.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse or resize event from the terminal.
    Terminal(crossterm::event::Event),
    /// The re-check worker finished.
    Scanned(Result<Box<ScanReport>, String>),
    /// The file-writing worker finished.
    Wrote(Result<WriteOutcome, String>),
    /// The verify worker decided a check, or finished.
    Verified(crate::verify::VerifyProgress),
    /// SIGTERM, SIGHUP, SIGQUIT or SIGINT arrived: leave, restoring the terminal.
    Signal(i32),
    /// SIGTSTP arrived (`kill -TSTP`; Ctrl-Z in raw mode is a key): suspend.
    Suspend,
    /// SIGCONT arrived: the process was stopped and resumed, so the screen
    /// may hold what others drew meanwhile and must be drawn again in full.
    Continued,
}

/// The signals that end the wizard (after it restored the terminal).
pub const ENDING_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGINT,
];

/// Forwards [`ENDING_SIGNALS`], SIGTSTP and SIGCONT to the loop until the
/// returned handle is closed. While it watches SIGTSTP, that signal no longer
/// stops the process by itself: the loop restores the terminal, then stops.
pub fn spawn_signals(tx: &Sender<Event>) -> anyhow::Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    let watched = ENDING_SIGNALS.iter().copied().chain([SIGTSTP, SIGCONT]);
    let mut signals = signal_hook::iterator::Signals::new(watched)
        .map_err(|err| anyhow::anyhow!("watching for signals: {err}"))?;
    let handle = signals.handle();
    let tx = tx.clone();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let event = match signal {
                    SIGTSTP => Event::Suspend,
                    SIGCONT => Event::Continued,
                    _ => Event::Signal(signal),
                };
                if tx.send(event).is_err() {
                    return;
                }
            }
        })
        .map_err(|err| anyhow::anyhow!("starting the signal thread: {err}"))?;
    Ok(handle)
}

/// What writing a plan did: the state file as saved after it, and each file's outcome.
#[derive(Debug, Clone)]
pub struct WriteOutcome {
    pub state: Box<crate::state::State>,
    pub written: Vec<crate::generate::Written>,
    /// The files that could not be written, each with why; the others were.
    pub failed: Vec<(crate::generate::FileKind, String)>,
}

/// Writes `plan` with `generate::apply` on a worker thread, recording it in the
/// state file (re-read first, so other changes are kept); the result arrives as
/// `Event::Wrote`.
pub fn spawn_write(root: PathBuf, plan: crate::generate::Plan, tx: &Sender<Event>) {
    let spawned = std::thread::Builder::new().name("write".into()).spawn({
        let tx = tx.clone();
        move || {
            let _ = tx.send(Event::Wrote(write_plan(&root, &plan)));
        }
    });
    if let Err(err) = spawned {
        let _ = tx.send(Event::Wrote(Err(format!("could not start writing: {err}"))));
    }
}

/// Reads terminal events on a thread until dropped.
#[derive(Debug)]
pub struct EventSource {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EventSource {
    /// How long a read waits before looking at the stop flag.
    const POLL: Duration = Duration::from_millis(50);

    /// Starts the reader, sending every event to `tx`.
    pub fn spawn(tx: Sender<Event>) -> anyhow::Result<EventSource> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("terminal-events".into())
            .spawn(move || read_events(&tx, &flag))
            .map_err(|err| anyhow::anyhow!("starting the input thread: {err}"))?;
        Ok(EventSource {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for EventSource {
    /// Stops reading before the terminal is restored, so no keystroke is eaten.
    ///
    /// A terminal that went away (its window closed, `tmux kill-session`)
    /// leaves crossterm's reader spinning inside `poll`, which then never
    /// returns (crossterm-rs/crossterm#793): the reader is waited for a few
    /// poll periods, then left behind, so the wizard still leaves, and the
    /// process ending stops it.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = std::time::Instant::now() + Self::POLL * 4;
        while !thread.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

/// The reader thread: forwards events until stopped or nobody listens.
fn read_events(tx: &Sender<Event>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match crossterm::event::poll(EventSource::POLL) {
            Ok(true) => match crossterm::event::read() {
                Ok(event) => {
                    if tx.send(Event::Terminal(event)).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            },
            Ok(false) => {}
            Err(_) => return,
        }
    }
}

/// The worker's job: `generate::apply`, one file at a time, inside a
/// state-file update, so a file that fails (a folder in its way, a read-only
/// file) is reported with why while the others are still written and recorded.
pub fn write_plan(
    root: &std::path::Path,
    plan: &crate::generate::Plan,
) -> Result<WriteOutcome, String> {
    use crate::generate::{FileKind, Plan};
    let mut written = Vec::new();
    let mut failed = Vec::new();
    let saved = crate::state::State::update(root, |state| {
        for (index, file) in plan.files.iter().enumerate() {
            let env = file.kind == FileKind::Env;
            let one = Plan {
                root: plan.root.clone(),
                files: vec![file.clone()],
                env_generated: if env {
                    plan.env_generated.clone()
                } else {
                    Vec::new()
                },
                notes: Vec::new(),
                env_answered: if env {
                    plan.env_answered.clone()
                } else {
                    Vec::new()
                },
                // Written once, with the first file (a requirements line the user agreed to).
                side_files: if index == 0 {
                    plan.side_files.clone()
                } else {
                    Vec::new()
                },
            };
            match crate::generate::apply(&one, state) {
                Ok(mut done) => written.append(&mut done),
                Err(err) => failed.push((file.kind, format!("{err:#}"))),
            }
        }
    });
    match saved {
        Ok(state) => Ok(WriteOutcome {
            state: Box::new(state),
            written,
            failed,
        }),
        Err(err) => Err(format!("{err:#}")),
    }
}

/// Scans the project on a worker thread; the result arrives as `Event::Scanned`.
pub fn spawn_recheck(root: PathBuf, tx: &Sender<Event>) {
    let spawned = std::thread::Builder::new().name("recheck".into()).spawn({
        let tx = tx.clone();
        move || {
            let result = crate::scan::scan(&root)
                .map(Box::new)
                .map_err(|err| format!("{err:#}"));
            let _ = tx.send(Event::Scanned(result));
        }
    });
    if let Err(err) = spawned {
        let _ = tx.send(Event::Scanned(Err(format!(
            "could not start the re-check: {err}"
        ))));
    }
}

/// Runs `verify` on a worker thread, sending each check as it is decided and
/// then the report; the loop and the keyboard stay live meanwhile.
pub fn spawn_verify(options: crate::verify::VerifyOptions, tx: &Sender<Event>) {
    use crate::verify::VerifyProgress;
    let spawned = std::thread::Builder::new().name("verify".into()).spawn({
        let tx = tx.clone();
        move || {
            let result = crate::verify::verify_streaming(&options, &mut |check| {
                let _ = tx.send(Event::Verified(VerifyProgress::Check(check.clone())));
            });
            let progress = match result {
                Err(err) if crate::verify::certificate_rejected(&err) => {
                    VerifyProgress::CertificateRejected(format!("{err:#}"))
                }
                result => VerifyProgress::Finished(result.map_err(|err| format!("{err:#}"))),
            };
            let _ = tx.send(Event::Verified(progress));
        }
    });
    if let Err(err) = spawned {
        let _ = tx.send(Event::Verified(VerifyProgress::Finished(Err(format!(
            "could not start verify: {err}"
        )))));
    }
}

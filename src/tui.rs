//! The wizard: a terminal UI over the same functions the CLI uses.
//!
//! Elm-shaped: terminal events become an [`Action`] through the [`Keymap`],
//! [`App::update`] is the one place state changes, and [`draw`] paints from
//! `&App`. Slow work (re-checking the project) runs on a std thread and
//! reports over the same channel as the keyboard, so input stays live.

mod action;
mod app;
mod event;
mod keymap;
mod setup;
mod ui;

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::Backend;

pub use action::Action;
pub use app::{App, Change, Effect, Journey, Mode, Notice, Pane, PromptKind, ScanState, Screen};
pub use event::{
    Event, EventSource, WriteOutcome, spawn_recheck, spawn_signals, spawn_verify, spawn_write,
};
pub use keymap::{Key, Keymap};
pub use ui::{FULL_SIZE, MIN_SIZE, draw, layout};

use crate::state::State;

/// How often the loop wakes while waiting, to animate the re-check spinner.
const TICK: Duration = Duration::from_millis(120);

/// Runs the wizard on the project at `root` in the real terminal, restoring
/// the terminal on every exit path (panics included).
///
/// Returns what to print once the terminal is restored (finishing setup says
/// what the next run does).
pub fn run(
    root: &Path,
    state: State,
    keymap: Keymap,
    journey: Journey,
) -> anyhow::Result<Option<String>> {
    let mut app = App::new(root, state, keymap, journey);
    app.colour = colour_enabled();
    install_mouse_panic_hook();
    let result = ratatui::run(|terminal| {
        crossterm::execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)
            .context("enabling mouse input")?;
        let result = run_with_input(terminal, &mut app);
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            DisableMouseCapture
        );
        result
    });
    // Ended by a signal: the terminal is restored now, so end as that signal
    // would have (the shell's usual 128 + N). A hangup (SIGHUP) leaves no
    // terminal to draw on, so the failed last draw is no error worth a word.
    if let Some(signal) = app.signal {
        std::process::exit(128 + signal);
    }
    result?;
    Ok(app.exit_message.take())
}

/// Starts the input thread and runs the loop until the user quits.
fn run_with_input<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    let _source = EventSource::spawn(tx.clone())?;
    let signals = spawn_signals(&tx)?;
    let result = run_loop(terminal, app, &rx, &tx, &mut |_| suspend_process());
    signals.close();
    result
}

/// The main loop, generic over the backend so tests drive it with `TestBackend`:
/// start requested work, draw, wait for events, apply them.
///
/// `suspend` gives the terminal back and returns once the process is resumed
/// ([`suspend_process`] in the real terminal); the loop then redraws it all.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &Receiver<Event>,
    tx: &Sender<Event>,
    suspend: &mut dyn FnMut(&mut Terminal<B>) -> anyhow::Result<()>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().context("reading the terminal size")?;
    app.update(Action::Resize(size.width, size.height));
    loop {
        for effect in app.take_effects() {
            match effect {
                Effect::Recheck => spawn_recheck(app.root.clone(), tx),
                Effect::Write(plan) => spawn_write(app.root.clone(), *plan, tx),
                Effect::Clipboard(text) => copy_to_clipboard(&text),
                Effect::Verify(options) => spawn_verify(options, tx),
                Effect::Suspend => {
                    suspend(terminal)?;
                    redraw_everything(terminal, app)?;
                }
            }
        }
        terminal
            .draw(|frame| draw(frame, app))
            .context("drawing the screen")?;
        if app.quit {
            return Ok(());
        }
        let first = match events.recv_timeout(TICK) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let Some(first) = first else {
            if app.is_busy() {
                app.update(Action::Tick);
            }
            continue;
        };
        // Apply everything already waiting before the next draw, so a burst of
        // keys (or a paste) costs one redraw.
        for event in std::iter::once(first).chain(events.try_iter()) {
            if let Event::Signal(signal) = event {
                app.signal = Some(signal);
            }
            if let Event::Continued = event {
                redraw_everything(terminal, app)?;
                continue;
            }
            if let Some(action) = action_for(app, event) {
                app.update(action);
            }
            if app.quit {
                break;
            }
        }
    }
}

/// The action an event stands for in the app's current mode.
pub fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Scanned(result) => Some(Action::ScanFinished(result)),
        Event::Wrote(result) => Some(Action::Wrote(result)),
        Event::Verified(progress) => Some(Action::Verified(progress)),
        Event::Signal(_) => Some(Action::Quit),
        Event::Suspend => Some(Action::Suspend),
        Event::Terminal(TermEvent::Paste(text)) => Some(Action::Paste(text)),
        Event::Terminal(TermEvent::Resize(width, height)) => Some(Action::Resize(width, height)),
        Event::Terminal(TermEvent::Mouse(mouse)) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
            MouseEventKind::ScrollDown => Some(Action::Wheel(mouse.column, mouse.row, true)),
            MouseEventKind::ScrollUp => Some(Action::Wheel(mouse.column, mouse.row, false)),
            _ => None,
        },
        Event::Terminal(TermEvent::Key(key))
            if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) =>
        {
            key_action(app, &TermEvent::Key(key))
        }
        // After SIGCONT the loop redraws; nothing in the app changes.
        Event::Terminal(_) | Event::Continued => None,
    }
}

/// A key press: text editing in prompts, the keymap elsewhere.
fn key_action(app: &App, event: &TermEvent) -> Option<Action> {
    let TermEvent::Key(key) = event else {
        return None;
    };
    // ctrl-c always leaves, whatever the keymap says: nothing is ever unsaved.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::Quit);
    }
    // Raw mode turns Ctrl-Z into a key, not SIGTSTP: suspend as a shell expects.
    if key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::Suspend);
    }
    // Below the minimum size only the "too small" note is drawn, and it
    // offers q: a key must not act on (or type into) what cannot be seen.
    let (width, height) = app.size;
    if width < ui::MIN_SIZE.0 || height < ui::MIN_SIZE.1 {
        return (key.code == KeyCode::Char('q')).then_some(Action::Quit);
    }
    if app.screen != Screen::Checklist {
        return setup::key_action(app, *key);
    }
    match (key.code, &app.mode) {
        (KeyCode::Esc, _) | (KeyCode::Char('n' | 'N'), Mode::VerifyInsecure { .. }) => {
            Some(Action::Cancel)
        }
        (KeyCode::Char('y' | 'Y') | KeyCode::Enter, Mode::VerifyInsecure { .. }) => {
            Some(Action::Confirm)
        }
        (_, Mode::VerifyInsecure { .. }) => None,
        // During setup, Enter on the checklist continues to the Summary.
        (KeyCode::Enter, Mode::Normal) if app.journey == Journey::Setup => Some(Action::Confirm),
        (
            KeyCode::Enter,
            Mode::Prompt(_) | Mode::Filter(_) | Mode::VerifyUrl(_) | Mode::VerifyProtected { .. },
        ) => Some(Action::Confirm),
        (
            _,
            Mode::Prompt(_) | Mode::Filter(_) | Mode::VerifyUrl(_) | Mode::VerifyProtected { .. },
        ) => tui_input::backend::crossterm::to_input_request(event).map(Action::Edit),
        _ => app.keymap.action(app.screen, Key::from_event(*key)),
    }
}

/// Clears the screen and forgets what was drawn, so the next draw paints
/// every cell (after a suspension the screen holds whatever ran meanwhile),
/// at the terminal's size now (it may have changed while stopped).
fn redraw_everything<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().context("reading the terminal size")?;
    // For a full-screen viewport this clears and resets the back buffer
    // without asking the terminal where its cursor is.
    terminal
        .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
        .context("redrawing the screen")?;
    app.update(Action::Resize(size.width, size.height));
    Ok(())
}

/// Ctrl-Z / SIGTSTP in the real terminal: restores it as a shell expects
/// (raw mode off, the main screen, the cursor shown, mouse and paste
/// reporting off), stops the process, and on `fg` (SIGCONT) sets it up again.
fn suspend_process() -> anyhow::Result<()> {
    use crossterm::cursor::Show;
    use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    // While the wizard watches SIGTSTP it no longer stops the process, so
    // stop it as the default action would; this returns on SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP).context("suspending")?;
    crossterm::terminal::enable_raw_mode().context("resuming the terminal")?;
    crossterm::execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .context("resuming the terminal")?;
    Ok(())
}

/// Puts `text` on the clipboard of the terminal (and, over SSH, of the
/// machine the user sits at) with OSC 52. Nothing is printed to the screen.
fn copy_to_clipboard(text: &str) {
    use base64::Engine as _;
    use std::io::Write as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

/// Colour unless `NO_COLOR` is set to something.
pub fn colour_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Turns mouse reporting off if the wizard panics; ratatui's own hook,
/// installed after this one, restores the rest of the terminal first.
fn install_mouse_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            DisableMouseCapture
        );
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyEvent, KeyEventState};
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::state::Status;

    fn key(code: KeyCode) -> Event {
        Event::Terminal(TermEvent::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }))
    }

    fn app(dir: &tempfile::TempDir) -> App {
        App::new(
            dir.path(),
            State::default(),
            Keymap::defaults(),
            Journey::Review,
        )
    }

    #[test]
    fn keys_mean_text_in_prompts_and_actions_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        assert!(matches!(
            action_for(&app, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        ));
        assert!(matches!(
            action_for(&app, key(KeyCode::Esc)),
            Some(Action::Cancel)
        ));
        app.update(Action::Skip);
        assert!(matches!(
            action_for(&app, key(KeyCode::Char('q'))),
            Some(Action::Edit(tui_input::InputRequest::InsertChar('q')))
        ));
        assert!(matches!(
            action_for(&app, key(KeyCode::Enter)),
            Some(Action::Confirm)
        ));
        let ctrl_c = Event::Terminal(TermEvent::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        assert!(matches!(action_for(&app, ctrl_c), Some(Action::Quit)));
        let release = Event::Terminal(TermEvent::Key(KeyEvent {
            kind: KeyEventKind::Release,
            ..KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)
        }));
        assert!(action_for(&app, release).is_none());
    }

    #[test]
    fn on_a_terminal_too_small_q_quits_even_in_a_prompt_and_other_keys_do_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Resize(120, 40));
        app.update(Action::Skip);
        app.update(Action::Resize(20, 10));
        assert!(matches!(
            action_for(&app, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        ));
        assert!(action_for(&app, key(KeyCode::Char('x'))).is_none());
        assert!(action_for(&app, key(KeyCode::Enter)).is_none());
        app.update(Action::Resize(80, 24));
        assert!(matches!(
            action_for(&app, key(KeyCode::Char('q'))),
            Some(Action::Edit(tui_input::InputRequest::InsertChar('q')))
        ));
    }

    #[test]
    fn ctrl_z_and_sigtstp_suspend_through_the_hook_then_everything_is_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let ctrl_z = Event::Terminal(TermEvent::Key(KeyEvent::new(
            KeyCode::Char('z'),
            KeyModifiers::CONTROL,
        )));
        tx.send(ctrl_z).unwrap();
        tx.send(Event::Suspend).unwrap();
        tx.send(key(KeyCode::Char('q'))).unwrap();
        let mut suspended = 0;
        run_loop(&mut terminal, &mut app, &rx, &tx, &mut |terminal| {
            suspended += 1;
            // What ran meanwhile scribbled on the screen; the loop must repaint it.
            terminal.backend_mut().clear().unwrap();
            Ok(())
        })
        .unwrap();
        assert_eq!(suspended, 2);
        let screen = terminal.backend().to_string();
        assert!(screen.contains("preflight · "), "{screen}");
    }

    #[test]
    fn the_loop_runs_on_a_test_backend_with_a_real_recheck() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "Django==5.0\n").unwrap();
        let mut app = app(&dir);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // Move to api-auth-required (phase 2), mark it, then quit once the
        // start-up re-check has reported: the worker's event comes first.
        let driver = {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for code in [KeyCode::Char('h'), KeyCode::Char('j'), KeyCode::Char('l')] {
                    tx.send(key(code)).unwrap();
                }
                for _ in 0..7 {
                    tx.send(key(KeyCode::Char('j'))).unwrap();
                }
                tx.send(key(KeyCode::Char(' '))).unwrap();
            })
        };
        driver.join().unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while app.is_busy() && std::time::Instant::now() < deadline {
            if let Ok(event) = rx.recv_timeout(Duration::from_millis(50))
                && let Some(action) = action_for(&app, event)
            {
                app.update(action);
            }
            for effect in app.take_effects() {
                if let Effect::Recheck = effect {
                    spawn_recheck(app.root.clone(), &tx);
                }
            }
        }
        assert!(!app.is_busy(), "the re-check reported");
        tx.send(key(KeyCode::Char('q'))).unwrap();
        run_loop(&mut terminal, &mut app, &rx, &tx, &mut |_| Ok(())).unwrap();
        assert!(app.quit);
        let state = State::load(dir.path()).unwrap();
        assert_eq!(state.items["api-auth-required"].status, Status::Done);
        assert_eq!(state.history.len(), 1, "the start-up re-check was recorded");
        let screen = terminal.backend().to_string();
        assert!(screen.contains("preflight · "), "{screen}");
        assert!(screen.contains("django"), "{screen}");
    }
}

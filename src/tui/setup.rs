//! First-time setup: the six steps around the checklist, the step bar, and
//! moving between them. Each step lives in its own module with its own state
//! (`project`, `answers`, `secrets`, `files`, `summary`); the checklist is the
//! screen in `app.rs`/`ui.rs`. Everything a step does goes through the same
//! library functions the CLI uses (`answers`, `generate`, `secrets`, `envfile`).

pub mod answers;
pub mod files;
pub mod project;
pub mod secrets;
pub mod summary;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::action::Action;
use super::app::{App, Journey, Mode, Notice, Screen, one_line};
use super::event::WriteOutcome;
use super::ui::{Theme, pane_block, popup_area};
use crate::answers::{Answers, Layers};
use crate::checklist::ChecklistItem;
use crate::generate::FileKind;
use crate::scan::ScanReport;
use crate::state::State;

/// The six steps in order.
pub const STEPS: [Screen; 6] = [
    Screen::Project,
    Screen::Answers,
    Screen::Secrets,
    Screen::Files,
    Screen::Checklist,
    Screen::Summary,
];

impl Screen {
    /// The step's name on the step bar.
    pub fn title(self) -> &'static str {
        match self {
            Self::Project => "Project",
            Self::Answers => "Answers",
            Self::Secrets => "Secrets",
            Self::Files => "Files",
            Self::Checklist => "Checklist",
            Self::Summary => "Summary",
        }
    }

    /// The name the state file remembers the step by.
    pub fn key(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Answers => "answers",
            Self::Secrets => "secrets",
            Self::Files => "files",
            Self::Checklist => "checklist",
            Self::Summary => "summary",
        }
    }

    /// The step the state file names, if it is one.
    pub fn from_key(key: &str) -> Option<Screen> {
        STEPS.into_iter().find(|step| step.key() == key)
    }

    /// The step after this one.
    #[must_use]
    pub fn next(self) -> Screen {
        let index = STEPS.iter().position(|s| *s == self).unwrap_or(0);
        STEPS[(index + 1).min(STEPS.len() - 1)]
    }

    /// The step before this one.
    #[must_use]
    pub fn prev(self) -> Screen {
        let index = STEPS.iter().position(|s| *s == self).unwrap_or(0);
        STEPS[index.saturating_sub(1)]
    }
}

/// What setup keeps between steps.
#[derive(Debug)]
pub struct Setup {
    /// The last scan, whole: the Project step shows it, `generate::advice`
    /// and the report read it.
    pub report: Option<Box<ScanReport>>,
    /// The furthest step reached; the step bar lets a click go back to any
    /// step up to it.
    pub reached: Screen,
    /// The answers in force (state file, scan, user config, defaults).
    pub resolved: Option<Answers>,
    /// `[answers]` from the user's config.toml.
    pub user: BTreeMap<String, String>,
    pub project: project::ProjectStep,
    pub answers: answers::AnswersStep,
    pub secrets: secrets::SecretsStep,
    pub files: files::FilesStep,
    pub summary: summary::SummaryStep,
    /// What was written in this session, one line each, for the Summary.
    pub log: Vec<String>,
    /// The step whose files are being written on the worker.
    pub writing: Option<Screen>,
    /// What was written, to keep on the status line when the re-check after it reports.
    pub pending: Option<String>,
    /// The re-check's line after a write, for when the checklist opens: the
    /// key that leaves the outcomes clears the status line they showed.
    pub for_checklist: Option<Notice>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            report: None,
            reached: Screen::Project,
            resolved: None,
            user: BTreeMap::new(),
            project: project::ProjectStep::default(),
            answers: answers::AnswersStep::default(),
            secrets: secrets::SecretsStep::default(),
            files: files::FilesStep::default(),
            summary: summary::SummaryStep::default(),
            log: Vec::new(),
            writing: None,
            pending: None,
            for_checklist: None,
        }
    }
}

/// Opens setup at the step the state file remembers (Project on a first run).
pub fn open(app: &mut App) {
    match crate::config::UserConfig::load() {
        Ok(config) => app.setup.user = config.answers,
        Err(err) => app.notice = Some(Notice::Error(in_wizard(&one_line(&err)))),
    }
    let step = app
        .state
        .wizard
        .step
        .as_deref()
        .and_then(Screen::from_key)
        .unwrap_or(Screen::Project);
    app.screen = step;
    app.setup.reached = step;
}

/// After every scan: the answers are resolved again and the step on screen
/// gets what it waited for.
pub fn scanned(app: &mut App) {
    if let Some(written) = app.setup.pending.take()
        && let Some(Notice::Info(text)) = &app.notice
    {
        let line = format!("{text} · {written}");
        // A write that failed somewhere stays a warning after the re-check.
        let failed = app
            .setup
            .files
            .results
            .as_ref()
            .is_some_and(|r| r.iter().any(|o| o.symbol == "✘"));
        let notice = |text: String| {
            if failed {
                Notice::Warning(text)
            } else {
                Notice::Info(text)
            }
        };
        if app.screen == Screen::Checklist {
            app.notice = Some(notice(line));
        } else {
            // Still on the outcomes: the line shows there, and again on the
            // checklist, without the hint to go on.
            app.notice = Some(notice(format!("{line} · {}", files::CONTINUES)));
            app.setup.for_checklist = Some(notice(line));
        }
    }
    if app.journey != Journey::Setup && app.screen == Screen::Checklist {
        return;
    }
    resolve(app);
    enter(app, app.screen);
}

/// Resolves the answers from the state file, the scan and the user's config.
pub fn resolve(app: &mut App) {
    let Some(report) = &app.setup.report else {
        return;
    };
    let none = BTreeMap::new();
    let resolved = crate::answers::resolve(Layers {
        set: &none,
        saved: &app.state.answers,
        project: &report.project,
        user: &app.setup.user,
    });
    match resolved {
        Ok(answers) => app.setup.resolved = Some(answers),
        Err(err) => app.notice = Some(Notice::Error(in_wizard(&one_line(&err)))),
    }
}

/// Prepares a step for being shown: what it needs from the scan and answers.
fn enter(app: &mut App, step: Screen) {
    if app.setup.report.is_none() || app.setup.resolved.is_none() {
        return;
    }
    match step {
        Screen::Answers if !app.setup.answers.built => answers::build(app),
        Screen::Secrets if !app.setup.secrets.built => secrets::build(app),
        Screen::Files => files::build(app),
        _ => {}
    }
}

/// Shows `step`, remembering it in the state file (setup journey only).
pub fn go_step(app: &mut App, step: Screen) {
    if step == Screen::Answers && app.screen == Screen::Answers {
        return;
    }
    if app.screen == Screen::Answers {
        answers::save(app, false);
    }
    app.mode = Mode::Normal;
    app.screen = step;
    if step == Screen::Checklist
        && let Some(notice) = app.setup.for_checklist.take()
    {
        app.notice.get_or_insert(notice);
    }
    if step > app.setup.reached {
        app.setup.reached = step;
    }
    if app.setup.resolved.is_none() {
        resolve(app);
    }
    enter(app, step);
    if app.journey == Journey::Setup {
        let key = step.key().to_owned();
        // In a folder with no project the scan was kept in memory only (no
        // .preflight/ for a wrong folder); going on saves it with the step.
        let fresh = !crate::state::state_path(&app.root).exists();
        let report = app.setup.report.as_deref().filter(|_| fresh);
        match State::update(&app.root, |state| {
            if let Some(report) = report {
                crate::scan::record(state, report);
            }
            state.wizard.step = Some(key);
        }) {
            Ok(state) => app.state = state,
            Err(err) => {
                app.notice = Some(Notice::Error(format!("not saved: {}", one_line(&err))));
            }
        }
    }
}

/// Esc: the step before, or, in a review (opened there by g or S), the checklist.
pub fn back(app: &mut App) {
    let step = if app.journey == Journey::Review {
        Screen::Checklist
    } else {
        app.screen.prev()
    };
    go_step(app, step);
}

/// Whether a click on the step bar may go to `step`: any step up to the furthest reached.
fn may_go(app: &App, step: Screen) -> bool {
    step <= app.setup.reached.max(app.screen)
}

/// One action on a setup step (not the checklist).
pub fn update(app: &mut App, action: &Action) {
    if !matches!(action, Action::Tick) {
        app.notice = None;
    }
    if let Action::Click(column, row) = *action
        && let Some(step) = step_at(app, column, row)
    {
        if may_go(app, step) {
            go_step(app, step);
        } else {
            app.notice = Some(Notice::Info(format!(
                "{} comes after the steps before it: enter continues",
                step.title()
            )));
        }
        return;
    }
    if matches!(action, Action::Help) {
        app.mode = Mode::Help { scroll: 0 };
        return;
    }
    match app.screen {
        Screen::Project => project::update(app, action),
        Screen::Answers => answers::update(app, action),
        Screen::Secrets => secrets::update(app, action),
        Screen::Files => files::update(app, action),
        Screen::Summary => summary::update(app, action),
        Screen::Checklist => {}
    }
}

/// The file-writing worker finished.
pub fn wrote(app: &mut App, result: Result<WriteOutcome, String>) {
    let step = app.setup.writing.take();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(message) => {
            app.notice = Some(Notice::Error(format!("not written: {message}")));
            return;
        }
    };
    app.state = *outcome.state;
    match step {
        Some(Screen::Secrets) => secrets::wrote(app, &outcome.written, &outcome.failed),
        _ => files::wrote(app, &outcome.written, &outcome.failed),
    }
}

/// Before the wizard quits: what was typed in the form is kept.
pub fn before_quit(app: &mut App) {
    if app.screen == Screen::Answers {
        answers::save(app, false);
    }
}

/// Why a `gen` item cannot be marked done by hand yet: what it stands for
/// (its file, or its secret in `.env`) is missing, and which step makes it.
/// `None` when it may be marked.
pub fn gen_missing(app: &App, item: &ChecklistItem) -> Option<String> {
    let first_key = |action: &Action, default: &str| {
        let label = app.keymap.label(Screen::Checklist, action);
        label.split(' ').next().unwrap_or(default).to_owned()
    };
    let kinds: Vec<FileKind> = FileKind::ALL
        .into_iter()
        .filter(|kind| kind.items().contains(&item.id.as_str()))
        .collect();
    if !kinds.is_empty() {
        if kinds
            .iter()
            .any(|kind| app.root.join(kind.file_name()).exists())
        {
            return None;
        }
        // The platform's own file when it is one of them (render.yaml on render).
        let platform = app
            .setup
            .resolved
            .as_ref()
            .map_or("fly", |a| a.get("platform"));
        let preferred = files::platform_files(platform);
        let kind = kinds
            .iter()
            .find(|kind| preferred.contains(kind))
            .unwrap_or(&kinds[0]);
        return Some(format!(
            "{} is done once {} exists: the Files step writes it ({})",
            item.id,
            kind.file_name(),
            first_key(&Action::Files, "g")
        ));
    }
    let key = first_key(&Action::Secrets, "S");
    match secrets::item_secret(app, &item.id)? {
        secrets::ItemSecret::Present => None,
        secrets::ItemSecret::Missing(vars) => Some(format!(
            "{} is done once .env holds {vars}: the Secrets step generates it ({key})",
            item.id
        )),
        secrets::ItemSecret::NoneNeeded if item.id == "api-keys-generated" => Some(format!(
            "{}: no key generated yet · {key}, then a, adds one · n if none",
            item.id
        )),
        secrets::ItemSecret::NoneNeeded => Some(format!(
            "{}: no code reads one, so none was generated · n marks it n/a",
            item.id
        )),
    }
}

/// What the checklist's detail pane says about a `gen` item the wizard (or
/// `generate`) satisfied: the file or secret that did it.
pub fn satisfied_by(app: &App, id: &str) -> Option<String> {
    if let Some(kind) = FileKind::ALL
        .into_iter()
        .find(|kind| kind.items().contains(&id))
        && app.state.generated.contains_key(kind.file_name())
    {
        return Some(format!("{}: it wrote {}", done_by(app), kind.file_name()));
    }
    secrets::satisfied_by(app, id)
}

/// Who did it: the wizard during setup; later it may as well have been `generate`.
pub fn done_by(app: &App) -> &'static str {
    if app.journey == Journey::Setup {
        "Done by the wizard"
    } else {
        "Done by preflight"
    }
}

/// The key a setup step reads as which action.
pub fn key_action(app: &App, key: KeyEvent) -> Option<Action> {
    let event = crossterm::event::Event::Key(key);
    let edit = || tui_input::backend::crossterm::to_input_request(&event).map(Action::Edit);
    if let Mode::Help { .. } = app.mode {
        return Some(match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::MoveUp,
            KeyCode::Down | KeyCode::Char('j') => Action::MoveDown,
            _ => Action::Cancel,
        });
    }
    let common = match key.code {
        KeyCode::Esc => Some(Action::Cancel),
        KeyCode::Enter => Some(Action::Confirm),
        KeyCode::Tab => Some(Action::NextField),
        KeyCode::BackTab => Some(Action::PrevField),
        KeyCode::F(1) => Some(Action::Help),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let typing = match app.screen {
        Screen::Answers => true,
        Screen::Secrets => app.setup.secrets.adding.is_some(),
        Screen::Summary => app.setup.summary.export.is_some(),
        _ => false,
    };
    if typing {
        return match key.code {
            KeyCode::Up => Some(Action::PrevField),
            KeyCode::Down => Some(Action::NextField),
            KeyCode::Char('?') if app.screen == Screen::Answers => Some(Action::Help),
            _ => edit(),
        };
    }
    if app.screen == Screen::Files && !app.setup.files.asking.is_empty() {
        return match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Reply(true)),
            KeyCode::Char('n' | 'N') => Some(Action::Reply(false)),
            _ => None,
        };
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('d') => Some(Action::PageDown),
            KeyCode::Char('u') => Some(Action::PageUp),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Up | KeyCode::Char('k') => Action::MoveUp,
        KeyCode::Down | KeyCode::Char('j') => Action::MoveDown,
        KeyCode::Left | KeyCode::Char('h') => Action::PrevPane,
        KeyCode::Right | KeyCode::Char('l') => Action::NextPane,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::First,
        KeyCode::End | KeyCode::Char('G') => Action::Last,
        KeyCode::Char('v') => Action::Reveal,
        KeyCode::Char('R') => Action::Regenerate,
        KeyCode::Char('c') => Action::Copy,
        KeyCode::Char('a') => Action::AddConsumer,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('r') => Action::Recheck,
        _ => return None,
    })
}

/// The step bar's entries with the columns they take: ` ✔ Project ` ….
fn bar_entries(app: &App) -> Vec<(Screen, u16, String)> {
    // The other steps' names go first when the terminal is too narrow for
    // them all (below about 75 columns), then the spaces: the current step
    // keeps its name and every step stays on the bar, by its number.
    let room = usize::from(app.size.0).saturating_sub(1);
    let mut entries = Vec::new();
    for compact in 0..3 {
        entries.clear();
        let mut x = 1u16;
        for (index, step) in STEPS.into_iter().enumerate() {
            let symbol = if step == app.screen {
                "▶"
            } else if step < app.setup.reached.max(app.screen) {
                "✔"
            } else {
                "○"
            };
            let number = index + 1;
            let text = match compact {
                _ if step == app.screen => format!("[{symbol} {}]", step.title()),
                0 => format!(" {symbol} {} ", step.title()),
                1 => format!(" {symbol} {number} "),
                _ => format!("{symbol}{number}"),
            };
            let width = u16::try_from(text.chars().count()).unwrap_or(0);
            entries.push((step, x, text));
            x += width + 1;
        }
        if usize::from(x) <= room + 1 {
            break;
        }
    }
    entries
}

/// The step under a click on the step bar.
fn step_at(app: &App, column: u16, row: u16) -> Option<Screen> {
    let bar = super::ui::layout(app).step_bar?;
    if row != bar.y {
        return None;
    }
    bar_entries(app).into_iter().find_map(|(step, x, text)| {
        let width = u16::try_from(text.chars().count()).unwrap_or(0);
        (column >= bar.x + x && column < bar.x + x + width).then_some(step)
    })
}

/// A click on the step bar from the checklist screen.
pub fn step_bar_click(app: &App, column: u16, row: u16) -> Option<Screen> {
    step_at(app, column, row).filter(|step| may_go(app, *step))
}

/// The step bar: every step, the current one in brackets with ▶, done ones ✔.
pub fn draw_step_bar(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (step, _, text) in bar_entries(app) {
        let style = if step == app.screen {
            theme
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else if step < app.setup.reached.max(app.screen) {
            theme.fg(Color::Green)
        } else {
            theme.dim()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), area);
}

/// Draws the current setup step into `body`.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, body: Rect) {
    match app.screen {
        Screen::Project => project::draw(frame, app, theme, body),
        Screen::Answers => answers::draw(frame, app, theme, body),
        Screen::Secrets => secrets::draw(frame, app, theme, body),
        Screen::Files => files::draw(frame, app, theme, body),
        Screen::Summary => summary::draw(frame, app, theme, body),
        Screen::Checklist => {}
    }
}

/// The keys that matter on the step, most important first; the last one always shows.
pub fn footer_hints(app: &App) -> Vec<(String, String)> {
    let pair = |k: &str, d: &str| (k.to_owned(), d.to_owned());
    if let Mode::Help { .. } = app.mode {
        return vec![pair("↑↓", "scroll"), pair("esc", "close")];
    }
    match app.screen {
        Screen::Project => vec![
            pair("enter", "continue"),
            pair("↑↓", "scroll"),
            pair("r", "re-scan"),
            pair("?", "help"),
            pair("q", "quit"),
        ],
        Screen::Answers => vec![
            pair("enter", "save, continue"),
            pair("tab", "next"),
            pair("shift-tab", "previous"),
            pair("esc", "back"),
            pair("?", "help"),
            pair("ctrl-c", "quit"),
        ],
        Screen::Secrets if app.setup.secrets.adding.is_some() => {
            vec![pair("enter", "add"), pair("esc", "cancel")]
        }
        Screen::Secrets => vec![
            pair("enter", "write .env"),
            pair("↑↓", "move"),
            pair("v", "reveal"),
            pair("R", "new value"),
            pair("c", "copy"),
            pair("a", "add key"),
            pair("esc", "back"),
            pair("?", "help"),
            pair("q", "quit"),
        ],
        Screen::Files if app.setup.files.results.is_some() => vec![
            pair("enter", "continue to the checklist"),
            pair("space", "back to the list"),
            pair("esc", "back"),
            pair("?", "help"),
            pair("q", "quit"),
        ],
        Screen::Files if !app.setup.files.asking.is_empty() => {
            vec![
                pair("y", "replace (after a backup)"),
                pair("n", "keep yours"),
            ]
        }
        Screen::Files => vec![
            pair("enter", "write ticked"),
            pair("space", "tick"),
            pair("↑↓", "move"),
            pair("tab", "diff"),
            pair("esc", "back"),
            pair("?", "help"),
            pair("q", "quit"),
        ],
        Screen::Summary if app.setup.summary.export.is_some() => {
            vec![pair("enter", "export"), pair("esc", "cancel")]
        }
        Screen::Summary => vec![
            pair("enter", "finish setup"),
            pair("e", "export report"),
            pair("↑↓", "scroll"),
            pair("esc", "back"),
            pair("?", "help"),
            pair("q", "quit"),
        ],
        Screen::Checklist => Vec::new(),
    }
}

/// Every key of the step, for `?`.
fn help_lines(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut lines = match app.screen {
        Screen::Project => vec![
            ("enter", "continue to the answers"),
            ("↑↓ j k", "scroll the findings"),
            ("r", "scan the project again"),
        ],
        Screen::Answers => vec![
            (
                "tab ↓",
                "next field (selects its value: typing replaces it)",
            ),
            ("shift-tab ↑", "previous field"),
            ("← → home end", "move the cursor (keeps the value)"),
            ("← →", "on Platform: choose the platform"),
            ("enter", "check every field; save and continue"),
            ("esc", "back to Project (what is valid is kept)"),
            ("ctrl-c", "quit (what is valid is kept)"),
        ],
        Screen::Secrets => vec![
            ("↑↓ j k", "move between secrets"),
            ("v", "reveal or mask the selected value"),
            ("R", "regenerate it (not yet written)"),
            ("c", "copy it to the clipboard (OSC 52, works over SSH)"),
            ("a", "add an API key for a consumer you name"),
            ("r", "read .env again (a line you deleted gets a new value)"),
            ("enter", "write .env (kept lines stay) and continue"),
            ("esc", "back to Answers"),
        ],
        Screen::Files => vec![
            ("↑↓ j k", "move between files"),
            ("space", "tick or untick the file"),
            ("tab ← →", "between the list and the diff"),
            ("pgup pgdn", "scroll the diff"),
            ("enter", "write the ticked files (asks before replacing)"),
            ("y / n", "replace a file that differs, or keep yours"),
            (
                "",
                "then each file's outcome shows; enter continues to the checklist",
            ),
            ("esc", "back to Secrets"),
        ],
        Screen::Summary => vec![
            ("↑↓ j k", "scroll"),
            ("e", "export the report as Markdown"),
            ("r", "re-check the project (after a fix)"),
            ("enter", "finish setup (later runs open the review)"),
            ("esc", "back to the checklist"),
        ],
        Screen::Checklist => Vec::new(),
    };
    lines.push(("click", "a step on the bar, a field, a row or a checkbox"));
    lines.push(("? F1", "this help"));
    if app.screen != Screen::Answers {
        lines.push(("q", "quit (everything is already saved)"));
    }
    lines
}

/// The step's keys over the screen.
pub fn draw_help(frame: &mut Frame<'_>, app: &App, theme: &Theme, scroll: u16) {
    let lines: Vec<Line<'static>> = help_lines(app)
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(
                    format!(" {keys:<14}"),
                    theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::raw(what),
            ])
        })
        .collect();
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let area = popup_area(frame.area(), 72, height);
    frame.render_widget(Clear, area);
    let title = format!(" {} keys · esc closes ", app.screen.title());
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(pane_block(&title, true, theme)),
        area,
    );
}

/// The line a step shows while the first scan runs: files read and time so far.
pub fn scanning_line(app: &App) -> String {
    match app.scan_started {
        Some((started, files_then)) => {
            let files = crate::scan::files_read().saturating_sub(files_then);
            format!(
                "Scanning the project… {files} files read · {:.1} s · q quits",
                started.elapsed().as_secs_f64()
            )
        }
        None => "Scanning the project…".to_owned(),
    }
}

/// A message from the library (written for the command line) as the wizard
/// says it: `--set KEY=…` names the Answers step's field, `--only` the Files
/// step's tick, `preflight check --verbose` the checklist. Inside the wizard
/// a hint names the wizard's own steps and keys.
pub fn in_wizard(text: &str) -> String {
    let mut out = text.replace("preflight generate --set ", "--set ");
    while let Some(start) = out.find("--set ") {
        let rest = &out[start + "--set ".len()..];
        let token_len = rest
            .find(|c: char| c.is_whitespace() || c == '`')
            .unwrap_or(rest.len());
        let key = rest[..token_len].split('=').next().unwrap_or("").to_owned();
        let mut end = start + "--set ".len() + token_len;
        let mut begin = start;
        // `--set …` in backticks: the backticks go too.
        if out[..begin].ends_with('`') && out[end..].starts_with('`') {
            begin -= 1;
            end += 1;
        }
        let field = answers::label(&key);
        let phrase = if out[..begin].ends_with("with ") {
            begin -= "with ".len();
            format!("in the Answers step's {field} field")
        } else {
            format!("type it in the Answers step's {field} field")
        };
        out.replace_range(begin..end, &phrase);
    }
    out.replace("with --only", "by unticking it on the Files step")
        .replace("`--only`", "the Files step's ticks")
        .replace("`preflight check --verbose`", "the checklist")
        .replace("preflight check --verbose", "the checklist")
}

/// Cuts `text` to `width` columns with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A plain style helper: bold.
pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

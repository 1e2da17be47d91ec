//! The wizard's state and the one place it changes: `App::update`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tui_input::Input;

use super::action::Action;
use super::keymap::Keymap;
use super::ui;
use crate::checklist::{Checklist, ChecklistItem, Severity};
use crate::progress::{Progress, progress};
use crate::project::Project;
use crate::review::Review;
use crate::scan::{ItemFindings, ScanReport};
use crate::state::{ReviewSnapshot, SetBy, State, Status, now_rfc3339};

mod verify;
pub use verify::VerifyState;

/// The wizard's screens: the six steps of first-time setup, in order. The
/// checklist is also where the review journey lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Screen {
    /// What the scan found.
    Project,
    /// The answers form.
    Answers,
    /// The secrets `.env` needs.
    Secrets,
    /// The files `generate` can write.
    Files,
    /// The seven phases, their items and the selected item's detail.
    Checklist,
    /// Progress, what is left, what was written; finishing setup.
    Summary,
}

/// Why the wizard was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    /// `preflight` on a project whose setup is not finished.
    Setup,
    /// `preflight review`, or `preflight` once setup is finished.
    Review,
}

/// The panes of the checklist screen, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Phases,
    Items,
    Detail,
}

impl Pane {
    /// The pane to the right, wrapping around.
    #[must_use]
    pub fn next(self) -> Pane {
        match self {
            Self::Phases => Self::Items,
            Self::Items => Self::Detail,
            Self::Detail => Self::Phases,
        }
    }

    /// The pane to the left, wrapping around.
    #[must_use]
    pub fn prev(self) -> Pane {
        match self {
            Self::Phases => Self::Detail,
            Self::Items => Self::Phases,
            Self::Detail => Self::Items,
        }
    }
}

/// Which reason prompt is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Skip,
    NotApplicable,
}

impl PromptKind {
    /// The status the prompt sets.
    pub fn status(self) -> Status {
        match self {
            Self::Skip => Status::Skipped,
            Self::NotApplicable => Status::Na,
        }
    }
}

/// A reason being typed for an item.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub item: &'static ChecklistItem,
    pub input: Input,
    /// Shown under the field when the reason was refused.
    pub error: Option<String>,
    /// Ctrl-C was pressed with text typed: a second one discards it and quits.
    pub confirm_quit: bool,
}

/// What has the keyboard.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The panes.
    Normal,
    /// The help overlay, scrolled this far.
    Help { scroll: u16 },
    /// A reason prompt.
    Prompt(Prompt),
    /// The filter field.
    Filter(Input),
    /// The URL `verify` is to run against.
    VerifyUrl(Input),
    /// Then a path that must require auth (`--protected`), empty to skip.
    VerifyProtected {
        /// The URL, already checked.
        url: String,
        input: Input,
    },
    /// The certificate of `url` did not verify: y runs verify again accepting it.
    VerifyInsecure {
        url: String,
        protected: Option<String>,
    },
}

/// A one-line message for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Warning(String),
    Error(String),
}

/// Where the automatic checks stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanState {
    /// Not run in this session yet.
    Idle,
    /// A worker is scanning; `frame` animates the spinner.
    Running { frame: usize },
    /// Finished at this time (RFC 3339).
    Finished { at: String },
    /// The scan failed with this message.
    Failed(String),
}

/// What changed for an item in the last re-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// It passed before and fails now.
    Regressed,
    /// It failed before and passes now.
    Fixed,
}

/// What a review compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ReviewBase {
    /// The review's start-up re-check has not reported yet (or this is not a review).
    NotOpened,
    /// The snapshot the last review left (this review's own replaced it in
    /// the state file); `None` on a first review.
    Opened(Option<ReviewSnapshot>),
}

/// Work `update` asks the loop to start.
#[derive(Clone)]
pub enum Effect {
    /// Run the scanner on a worker thread.
    Recheck,
    /// Write these files with `generate::apply` on a worker thread.
    Write(Box<crate::generate::Plan>),
    /// Put this text on the terminal's clipboard (OSC 52).
    Clipboard(String),
    /// Run `verify` on a worker thread.
    Verify(crate::verify::VerifyOptions),
    /// Restore the terminal, stop the process until `fg`, then redraw it all.
    Suspend,
}

/// Never prints a plan's contents or a copied text: both can hold secrets.
impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Recheck => f.write_str("Recheck"),
            Self::Suspend => f.write_str("Suspend"),
            Self::Write(plan) => {
                let names: Vec<&str> = plan.files.iter().map(|p| p.kind.file_name()).collect();
                write!(f, "Write({names:?})")
            }
            Self::Clipboard(text) => write!(f, "Clipboard(<{} chars>)", text.chars().count()),
            Self::Verify(options) => write!(f, "Verify({})", options.url),
        }
    }
}

/// The whole state of the wizard.
#[derive(Debug)]
pub struct App {
    /// The project directory.
    pub root: PathBuf,
    /// The project's name (its directory name).
    pub name: String,
    pub journey: Journey,
    /// What the last scan found out about the project.
    pub project: Option<Project>,
    /// The state file as last loaded or saved.
    pub state: State,
    pub keymap: Keymap,
    pub screen: Screen,
    pub focus: Pane,
    /// The selected phase number (1-based).
    pub phase: u8,
    /// The selected row of the item list.
    pub selected: usize,
    /// The first item row shown.
    pub offset: usize,
    /// How far the detail pane is scrolled.
    pub detail_scroll: u16,
    /// The text items are filtered by; empty shows all.
    pub filter: String,
    pub mode: Mode,
    pub notice: Option<Notice>,
    pub scan: ScanState,
    /// Where the live verify stands.
    pub verify: VerifyState,
    /// The path that must require auth given at the last verify, offered again.
    pub verify_protected: String,
    /// The running verify's protected path and whether it accepts any certificate.
    pub verify_run: Option<(Option<String>, bool)>,
    /// The last scan's findings by item, for evidence lines: each item's
    /// first few hundred and the count of the rest, never millions.
    pub findings: HashMap<String, ItemFindings>,
    /// What the last re-check changed, by item id.
    pub changes: HashMap<String, Change>,
    /// What changed since the last pre-release review, once this review's
    /// start-up re-check has reported (review journey only).
    pub review: Option<Review>,
    /// The terminal's columns and rows.
    pub size: (u16, u16),
    /// Whether to use colour (off with `NO_COLOR`).
    pub colour: bool,
    /// The time recurring items are judged at.
    pub now: jiff::Timestamp,
    /// Set once the user leaves.
    pub quit: bool,
    /// The signal that ended the wizard, if one did (the process exits with
    /// 128 + it once the terminal is restored).
    pub signal: Option<i32>,
    /// What to print after the terminal is restored (setup finished).
    pub exit_message: Option<String>,
    /// First-time setup's steps.
    pub setup: super::setup::Setup,
    /// When the running scan started, and the scanner's file count then.
    pub scan_started: Option<(std::time::Instant, usize)>,
    /// Whether the user has moved since start-up; until then a re-check may re-select.
    moved: bool,
    /// What this review compares with.
    review_base: ReviewBase,
    effects: Vec<Effect>,
}

impl App {
    /// A wizard on the project at `root` with its loaded `state`; the first
    /// effect is a re-check of the automatic items.
    pub fn new(root: &Path, state: State, keymap: Keymap, journey: Journey) -> App {
        let mut app = App {
            root: root.to_path_buf(),
            name: crate::project::project_name(root),
            journey,
            project: None,
            state,
            keymap,
            screen: Screen::Checklist,
            focus: Pane::Items,
            phase: 1,
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            filter: String::new(),
            mode: Mode::Normal,
            notice: None,
            scan: ScanState::Idle,
            verify: VerifyState::Idle,
            verify_protected: String::new(),
            verify_run: None,
            findings: HashMap::new(),
            changes: HashMap::new(),
            review: None,
            size: (120, 40),
            colour: true,
            now: jiff::Timestamp::now(),
            quit: false,
            signal: None,
            exit_message: None,
            setup: super::setup::Setup::default(),
            scan_started: None,
            moved: false,
            review_base: ReviewBase::NotOpened,
            effects: Vec::new(),
        };
        app.select_first_attention();
        if journey == Journey::Setup {
            super::setup::open(&mut app);
        }
        app.start_recheck();
        app
    }

    /// Takes the work `update` asked for.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Whether something runs in the background (the spinner needs ticks).
    pub fn is_busy(&self) -> bool {
        matches!(self.scan, ScanState::Running { .. })
            || matches!(self.verify, VerifyState::Running { .. })
    }

    /// Every item's status now.
    pub fn progress(&self) -> Progress<'_> {
        progress(Checklist::get(), &self.state, self.now)
    }

    /// The items of the selected phase that match the filter, in checklist order.
    pub fn visible_items(&self) -> Vec<&'static ChecklistItem> {
        self.items_matching(self.phase)
    }

    /// The items of `phase` that match the filter.
    pub fn items_matching(&self, phase: u8) -> Vec<&'static ChecklistItem> {
        let needle = self.filter.trim().to_lowercase();
        if needle.is_empty() {
            return Checklist::get().items_in(phase).collect();
        }
        let progress = self.progress();
        Checklist::get()
            .items_in(phase)
            .filter(|item| {
                let status = progress.items.iter().find(|s| s.item.id == item.id);
                self.matches_filter(item, status, &needle)
            })
            .collect()
    }

    /// Whether an item matches a lowercase filter: `!` (changed), a word for
    /// a state (`regressed`, `stale`, `due`, `failing`, `todo`), or text.
    fn matches_filter(
        &self,
        item: &ChecklistItem,
        status: Option<&crate::progress::ItemStatus<'_>>,
        needle: &str,
    ) -> bool {
        let word = |w: &str| self.review_mark(&item.id).is_some_and(|m| m.word() == w);
        match needle {
            ATTENTION => self.is_changed(&item.id),
            "regressed" => {
                word("regressed") || self.changes.get(&item.id) == Some(&Change::Regressed)
            }
            "stale" => word("stale"),
            "due" => status.is_some_and(|s| s.due),
            "failing" => status.is_some_and(|s| s.status == Status::Failing),
            "todo" => status.is_none_or(|s| s.status == Status::Todo),
            _ => matches_text(item, needle),
        }
    }

    /// Whether an item changed: the review marks it, or the last re-check
    /// found it newly failing.
    pub fn is_changed(&self, id: &str) -> bool {
        self.review_mark(id).is_some() || self.changes.get(id) == Some(&Change::Regressed)
    }

    /// The selected item, if the list is not empty.
    pub fn selected_item(&self) -> Option<&'static ChecklistItem> {
        self.visible_items().get(self.selected).copied()
    }

    /// The framework the project was detected as, once a scan said so.
    pub fn framework(&self) -> crate::project::Framework {
        self.project
            .as_ref()
            .map_or(crate::project::Framework::Unknown, |p| p.framework)
    }

    /// Applies one action: the only place the wizard's state changes.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Resize(width, height) => {
                self.size = (width, height);
                self.scroll_into_view();
                // Text rewraps at the new width; keep the detail on screen.
                let last = ui::detail_scroll_max(self);
                let last = u16::try_from(last).unwrap_or(u16::MAX);
                self.detail_scroll = self.detail_scroll.min(last);
                return;
            }
            Action::ScanFinished(result) => return self.finish_scan(result),
            // Nothing changes in the app: the loop gives the terminal back.
            Action::Suspend => return self.effects.push(Effect::Suspend),
            Action::Verified(progress) => return self.verify_progress(progress),
            Action::Tick => {
                if let ScanState::Running { frame } = &mut self.scan {
                    *frame = frame.wrapping_add(1);
                }
                if let VerifyState::Running { frame, .. } = &mut self.verify {
                    *frame = frame.wrapping_add(1);
                }
                return;
            }
            Action::Quit => {
                // Typed text is the one thing not saved yet: ask before it goes.
                if let Mode::Prompt(prompt) = &mut self.mode
                    && !prompt.input.value().trim().is_empty()
                    && !prompt.confirm_quit
                {
                    prompt.confirm_quit = true;
                    prompt.error = Some(
                        "ctrl-c again quits and discards the reason typed; esc keeps the item \
                         as it was"
                            .into(),
                    );
                    return;
                }
                super::setup::before_quit(self);
                self.quit = true;
                return;
            }
            Action::Wrote(result) => return super::setup::wrote(self, result),
            Action::Paste(text) => return self.paste(&text),
            Action::GoStep(step) => return super::setup::go_step(self, step),
            _ => {}
        }
        if self.screen != Screen::Checklist {
            if let Mode::Help { .. } = self.mode {
                self.update_help(&action);
            } else {
                super::setup::update(self, &action);
            }
            return;
        }
        match &self.mode {
            Mode::Normal => self.update_normal(&action),
            Mode::Help { .. } => self.update_help(&action),
            Mode::Prompt(_) => self.update_prompt(&action),
            Mode::Filter(_) => self.update_filter(&action),
            Mode::VerifyUrl(_) => self.update_verify_url(&action),
            Mode::VerifyProtected { .. } => self.update_verify_protected(&action),
            Mode::VerifyInsecure { .. } => self.update_verify_insecure(&action),
        }
    }

    /// A paste: each character typed into the focused field (a reason prompt,
    /// the filter, a setup step's field), line breaks as spaces and other
    /// control characters dropped. On the checklist without a field open it
    /// does nothing, so pasted text never runs as commands.
    fn paste(&mut self, text: &str) {
        let in_field = self.screen != Screen::Checklist
            || matches!(self.mode, Mode::Prompt(_) | Mode::Filter(_));
        if !in_field {
            return;
        }
        let text = text.replace("\r\n", "\n");
        for c in text.chars() {
            let c = if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            };
            if c.is_control() {
                continue;
            }
            self.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
        }
    }

    /// Keys on the panes.
    fn update_normal(&mut self, action: &Action) {
        if !matches!(action, Action::Recheck) {
            self.notice = None;
        }
        match action {
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::MoveUp => self.move_by(-1),
            Action::MoveDown => self.move_by(1),
            Action::PageUp => self.move_by(-self.page()),
            Action::PageDown => self.move_by(self.page()),
            Action::First => self.move_to_end(false),
            Action::Last => self.move_to_end(true),
            Action::NextPhase => self.step_phase(1),
            Action::PrevPhase => self.step_phase(-1),
            Action::JumpPhase(number) if Checklist::get().phase(*number).is_some() => {
                self.moved = true;
                self.select_phase(usize::from(*number));
            }
            Action::Attention => {
                let text = if self.filter == ATTENTION {
                    String::new()
                } else {
                    ATTENTION.to_owned()
                };
                self.set_filter(text);
                if self.filter == ATTENTION {
                    let count: usize = (1..=7).map(|p| self.items_matching(p).len()).sum();
                    self.notice = Some(Notice::Info(if count == 0 {
                        "nothing changed since the last review · ! again shows all".to_owned()
                    } else {
                        format!("{count} changed since the last review · ! again shows all")
                    }));
                }
            }
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::MarkDone => self.mark_done(),
            Action::Skip => self.open_prompt(PromptKind::Skip),
            Action::NotApplicable => self.open_prompt(PromptKind::NotApplicable),
            Action::Todo => self.mark_todo(),
            Action::Filter => self.mode = Mode::Filter(Input::new(self.filter.clone())),
            Action::Recheck => self.start_recheck(),
            Action::Verify => self.open_verify(),
            Action::Cancel if !self.filter.is_empty() => self.set_filter(String::new()),
            Action::Files => super::setup::go_step(self, Screen::Files),
            Action::Secrets => super::setup::go_step(self, Screen::Secrets),
            Action::Confirm if self.journey == Journey::Setup => {
                super::setup::go_step(self, Screen::Summary);
            }
            Action::Cancel if self.journey == Journey::Setup => {
                super::setup::go_step(self, Screen::Files);
            }
            Action::Click(column, row) => self.click(*column, *row),
            Action::Wheel(column, row, down) => self.wheel(*column, *row, *down),
            _ => {}
        }
    }

    /// Keys while the help overlay is open.
    fn update_help(&mut self, action: &Action) {
        let max = ui::help_scroll_max(self);
        let Mode::Help { scroll } = &mut self.mode else {
            return;
        };
        let delta: i32 = match action {
            Action::MoveDown | Action::Wheel(_, _, true) => 1,
            Action::MoveUp | Action::Wheel(_, _, false) => -1,
            Action::PageDown => 10,
            Action::PageUp => -10,
            Action::First => -i32::from(u16::MAX),
            Action::Last => i32::from(u16::MAX),
            _ => {
                self.mode = Mode::Normal;
                return;
            }
        };
        let scrolled = (i32::from(*scroll) + delta).clamp(0, i32::from(max));
        *scroll = u16::try_from(scrolled).unwrap_or(0);
    }

    /// Keys while a reason prompt is open.
    fn update_prompt(&mut self, action: &Action) {
        let Mode::Prompt(prompt) = &mut self.mode else {
            return;
        };
        match action {
            Action::Edit(request) => {
                prompt.input.handle(*request);
                prompt.error = None;
                prompt.confirm_quit = false;
            }
            Action::Cancel => self.mode = Mode::Normal,
            Action::Confirm => {
                let reason = prompt.input.value().trim().to_owned();
                if reason.is_empty() {
                    prompt.error = Some("a reason is needed: it is saved with the item".into());
                    return;
                }
                let (item, status) = (prompt.item, prompt.kind.status());
                self.mode = Mode::Normal;
                self.mark(item, status, Some(reason));
            }
            _ => {}
        }
    }

    /// Keys while the filter field is open: the list narrows as you type.
    fn update_filter(&mut self, action: &Action) {
        let Mode::Filter(input) = &mut self.mode else {
            return;
        };
        match action {
            Action::Edit(request) => {
                input.handle(*request);
                let text = input.value().to_owned();
                self.set_filter(text);
            }
            Action::Confirm => {
                self.mode = Mode::Normal;
                if !self.filter.is_empty() {
                    let count: usize = (1..=7).map(|p| self.items_matching(p).len()).sum();
                    let matches = if count == 1 {
                        "1 item matches".to_owned()
                    } else {
                        format!("{count} items match")
                    };
                    self.notice = Some(Notice::Info(format!(
                        "{matches} \"{}\" · esc clears the filter",
                        self.filter
                    )));
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.set_filter(String::new());
            }
            _ => {}
        }
    }

    /// Sets the filter. A filter that is an item's id selects that item;
    /// else the selected item stays selected when it still shows (clearing a
    /// filter always keeps it); otherwise the first match is selected, in
    /// this phase or the first phase with one.
    fn set_filter(&mut self, text: String) {
        let kept = self.selected_item().map(|item| item.id.clone());
        let exact = text.trim().to_ascii_lowercase();
        self.filter = text;
        self.offset = 0;
        self.detail_scroll = 0;
        self.moved = true;
        if !exact.is_empty() && self.select_id(&exact) {
            return;
        }
        if let Some(id) = kept
            && self.select_id(&id)
        {
            return;
        }
        if self.visible_items().is_empty()
            && let Some(phase) = (1..=7).find(|p| !self.items_matching(*p).is_empty())
        {
            self.phase = phase;
        }
        self.selected = 0;
    }

    /// Selects item `id` if it shows with the current filter.
    pub(in crate::tui) fn select_id(&mut self, id: &str) -> bool {
        let Some(item) = Checklist::get().item(id) else {
            return false;
        };
        let Some(index) = self
            .items_matching(item.phase)
            .iter()
            .position(|i| i.id == id)
        else {
            return false;
        };
        self.phase = item.phase;
        self.selected = index;
        self.scroll_into_view();
        true
    }

    /// Every visible item in checklist order, as (phase, row).
    fn all_rows(&self) -> Vec<(u8, usize)> {
        (1..=7)
            .flat_map(|phase| (0..self.items_matching(phase).len()).map(move |row| (phase, row)))
            .collect()
    }

    /// To the first or last row of the focused pane (the item list: of this phase).
    fn move_to_end(&mut self, last: bool) {
        self.moved = true;
        match self.focus {
            Pane::Items => {
                let len = self.visible_items().len();
                self.selected = if last { len.saturating_sub(1) } else { 0 };
                self.detail_scroll = 0;
                self.scroll_into_view();
            }
            _ => self.move_by(if last { isize::MAX } else { -isize::MAX }),
        }
    }

    /// To the next (`1`) or previous (`-1`) phase that shows items, wrapping.
    fn step_phase(&mut self, step: i8) {
        self.moved = true;
        let mut phase = self.phase;
        for _ in 0..7 {
            phase = match (phase, step) {
                (7, 1) => 1,
                (1, -1) => 7,
                (p, 1) => p + 1,
                (p, _) => p - 1,
            };
            if !self.items_matching(phase).is_empty() {
                break;
            }
        }
        self.select_phase(usize::from(phase));
    }

    /// Moves within the focused pane by `delta` rows, clamped.
    fn move_by(&mut self, delta: isize) {
        self.moved = true;
        match self.focus {
            Pane::Phases => {
                let phases = Checklist::get().phases.len();
                let index = clamp_add(usize::from(self.phase) - 1, delta, phases);
                self.select_phase(index + 1);
            }
            Pane::Items => {
                // Across phase boundaries: j on a phase's last item goes on
                // to the next phase's first.
                let rows = self.all_rows();
                if let Some(here) = rows
                    .iter()
                    .position(|&(p, row)| p == self.phase && row == self.selected)
                {
                    (self.phase, self.selected) = rows[clamp_add(here, delta, rows.len())];
                } else {
                    let len = self.visible_items().len();
                    self.selected = clamp_add(self.selected, delta, len);
                }
                self.detail_scroll = 0;
                self.offset = self.offset.min(self.selected);
                self.scroll_into_view();
            }
            Pane::Detail => {
                let max = ui::detail_scroll_max(self);
                let scroll = clamp_add(usize::from(self.detail_scroll), delta, max + 1);
                self.detail_scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
            }
        }
    }

    /// Shows phase `number` with its first item selected.
    fn select_phase(&mut self, number: usize) {
        self.phase = u8::try_from(number).unwrap_or(1);
        self.selected = 0;
        self.offset = 0;
        self.detail_scroll = 0;
    }

    /// Rows in a page of the focused list.
    fn page(&self) -> isize {
        let rows = ui::item_rows(self).max(2) - 1;
        isize::try_from(rows).unwrap_or(1)
    }

    /// Keeps the selected item inside the visible rows.
    fn scroll_into_view(&mut self) {
        let rows = ui::item_rows(self).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        let len = self.visible_items().len();
        self.offset = self.offset.min(len.saturating_sub(rows));
    }

    /// Marks the selected item done, unless only the scanner may decide it.
    fn mark_done(&mut self) {
        let Some(item) = self.selected_item() else {
            return;
        };
        if let Some(message) = super::setup::gen_missing(self, item) {
            self.notice = Some(Notice::Warning(message));
            return;
        }
        if !item.user_can_mark_done() {
            self.notice = Some(Notice::Warning(format!(
                "{} is decided by the scanner: fix it and press r to re-check, or press s to \
                 skip it with a reason",
                item.id
            )));
            return;
        }
        if self.state.failing_by_scanner(&item.id).is_some() {
            self.notice = Some(Notice::Warning(format!(
                "{} still fails the last scan: fix it and press r, or press s to skip it \
                 with a reason",
                item.id
            )));
            return;
        }
        self.mark(item, Status::Done, None);
    }

    /// Puts the selected item back to do. On an item the scanner decides,
    /// that means undoing a person's decision: the scanner's verdict returns.
    fn mark_todo(&mut self) {
        let Some(item) = self.selected_item() else {
            return;
        };
        if !item.is_auto() {
            self.mark(item, Status::Todo, None);
            return;
        }
        let record = self.state.items.get(&item.id);
        if record.is_none_or(|r| r.by == SetBy::Auto) {
            self.notice = Some(Notice::Info(format!(
                "{} is as the scanner left it: nothing of yours to undo",
                item.id
            )));
            return;
        }
        let id = item.id.clone();
        match State::update(&self.root, |state| {
            state.items.remove(&id);
        }) {
            Ok(state) => {
                self.state = state;
                self.refresh_review();
                self.notice = Some(Notice::Info(format!(
                    "{id}: your decision is undone · re-checking for the scanner's verdict"
                )));
                self.start_recheck();
            }
            Err(err) => {
                self.notice = Some(Notice::Error(format!("not saved: {}", one_line(&err))));
            }
        }
    }

    /// Opens the reason prompt for the selected item, with any earlier reason.
    fn open_prompt(&mut self, kind: PromptKind) {
        let Some(item) = self.selected_item() else {
            return;
        };
        let earlier = self
            .state
            .items
            .get(&item.id)
            .and_then(|r| r.reason.clone())
            .unwrap_or_default();
        self.mode = Mode::Prompt(Prompt {
            kind,
            item,
            input: Input::new(earlier),
            error: None,
            confirm_quit: false,
        });
    }

    /// Sets an item's status and saves the state file at once.
    ///
    /// It re-reads the file first, so a `preflight mark` run in another
    /// terminal meanwhile is kept; a file that became unreadable is left alone.
    fn mark(&mut self, item: &ChecklistItem, status: Status, reason: Option<String>) {
        // A settled decision is fingerprinted against the files it rests on.
        let fingerprint = crate::review::ProjectFiles::read(&self.root).fingerprint(item);
        let result = State::update(&self.root, |state| {
            state.confirm(&item.id, status, reason, fingerprint);
        });
        match result {
            Ok(state) => {
                self.state = state;
                self.changes.remove(&item.id);
                self.refresh_review();
                let mut text = format!(
                    "{} {}: {} · saved",
                    status.symbol(),
                    item.id,
                    status_word(status)
                );
                // Waiving what the scanner still finds hides nothing: say so.
                if matches!(status, Status::Skipped | Status::Na)
                    && let Some(place) = self.still_found(&item.id)
                {
                    let _ = write!(text, " · the scanner still finds it at {place}");
                }
                self.notice = Some(Notice::Info(text));
                if status != Status::Todo {
                    self.select_next_attention(&item.id);
                }
            }
            Err(err) => {
                self.notice = Some(Notice::Error(format!("not saved: {}", one_line(&err))));
            }
        }
    }

    /// Asks the loop for a re-check unless one is running.
    pub(super) fn start_recheck(&mut self) {
        if self.is_busy() {
            self.notice = Some(Notice::Info("already re-checking…".into()));
            return;
        }
        self.scan = ScanState::Running { frame: 0 };
        self.scan_started = Some((std::time::Instant::now(), crate::scan::files_read()));
        self.effects.push(Effect::Recheck);
    }

    /// Asks the loop for work.
    pub(super) fn push_effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Records a finished scan in the state file and notes what changed.
    fn finish_scan(&mut self, result: Result<Box<ScanReport>, String>) {
        let report = match result {
            Ok(report) => report,
            Err(message) => {
                self.notice = Some(Notice::Error(format!("re-check failed: {message}")));
                self.scan = ScanState::Failed(message);
                return;
            }
        };
        let before = auto_statuses(&self.state);
        // The first re-check of a review opens it: what the last review left
        // is kept to compare with, and this review's snapshot replaces it.
        let opening =
            self.journey == Journey::Review && matches!(self.review_base, ReviewBase::NotOpened);
        let mut last = None;
        let root = self.root.clone();
        let mut change = |state: &mut State| {
            crate::scan::record(state, &report);
            if opening {
                let at = now_rfc3339();
                last = state.review.take();
                state.review = Some(crate::review::snapshot(state, &root, &at, last.as_ref()));
                state.wizard.last_review = Some(at);
            }
        };
        // Nothing found and nothing saved yet: most likely the wrong folder,
        // so keep the verdicts in memory and leave it without a .preflight/.
        let nothing_found = report.findings.is_empty() && report.passed.is_empty();
        let saved = if nothing_found && !crate::state::state_path(&self.root).exists() {
            let mut state = self.state.clone();
            change(&mut state);
            Ok(state)
        } else {
            State::update(&self.root, change)
        };
        match saved {
            Ok(state) => self.state = state,
            Err(err) => {
                let message = one_line(&err);
                self.notice = Some(Notice::Error(format!("re-check not saved: {message}")));
                self.scan = ScanState::Failed(message);
                return;
            }
        }
        self.setup.report = Some(report.clone());
        let after = auto_statuses(&self.state);
        self.changes = changes(&before, &after);
        if opening {
            // Against an earlier review, its marks say what changed; the
            // difference from the last check would say it twice.
            if last.is_some() {
                self.changes.clear();
            }
            self.review_base = ReviewBase::Opened(last);
        }
        self.refresh_review();
        // Nothing judged: the folder is probably not the project, and "0
        // failing" with 30 items not applicable would read as good news.
        self.findings = crate::scan::by_item(report.findings, crate::scan::KEPT_FINDINGS);
        self.project = Some(report.project);
        self.scan = ScanState::Finished { at: now_rfc3339() };
        self.notice = Some(if nothing_found {
            Notice::Warning(
                "no Python web project found in this folder, so the automatic items do not \
                 apply: is this the folder with manage.py or pyproject.toml?"
                    .into(),
            )
        } else if let Some(review) = self.review.as_ref().filter(|_| opening) {
            Notice::Info(format!("{} · {}", review.summary(), self.recheck_summary()))
        } else {
            Notice::Info(self.recheck_summary())
        });
        if !self.moved {
            self.select_first_attention();
        }
        super::setup::scanned(self);
    }

    /// Compares the state with the last review's snapshot again, once the
    /// review has opened: a mark or a re-check can settle or reopen items.
    fn refresh_review(&mut self) {
        if let ReviewBase::Opened(last) = &self.review_base {
            self.review = Some(crate::review::compare(
                last.as_ref(),
                &self.state,
                &self.root,
                self.now,
            ));
        }
    }

    /// Where the last scan still finds item `id` failing (`file:line`).
    pub fn still_found(&self, id: &str) -> Option<String> {
        let finding = self.findings.get(id)?.kept.first()?;
        Some(match (&finding.file, finding.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            (None, _) => "(missing from the project)".to_owned(),
        })
    }

    /// After a mark: the next item that still needs attention (changed, or
    /// open), after `id` in checklist order, wrapping; the filter stays.
    fn select_next_attention(&mut self, id: &str) {
        let progress = self.progress();
        let needs = |item: &ChecklistItem| {
            item.id != id
                && (self.is_changed(&item.id)
                    || progress
                        .items
                        .iter()
                        .find(|s| s.item.id == item.id)
                        .is_some_and(|s| s.status.is_open() || s.due))
        };
        let order: Vec<&'static ChecklistItem> = (1..=7)
            .flat_map(|phase| self.items_matching(phase))
            .collect();
        let start = Checklist::get()
            .items
            .iter()
            .position(|i| i.id == id)
            .unwrap_or(0);
        let index_of = |item: &ChecklistItem| {
            Checklist::get()
                .items
                .iter()
                .position(|i| i.id == item.id)
                .unwrap_or(0)
        };
        let next = order
            .iter()
            .find(|item| index_of(item) > start && needs(item))
            .or_else(|| order.iter().find(|item| needs(item)))
            .map(|item| item.id.clone());
        match next {
            Some(next) => {
                self.select_id(&next);
            }
            // The marked item may have left a filtered list.
            None if !self.select_id(id) => {
                self.selected = self
                    .selected
                    .min(self.visible_items().len().saturating_sub(1));
            }
            None => {}
        }
        self.detail_scroll = 0;
    }

    /// The review's mark on item `id`, if any.
    pub fn review_mark(&self, id: &str) -> Option<&crate::review::Mark> {
        self.review.as_ref().and_then(|r| r.marks.get(id))
    }

    /// One line on what the last re-check found.
    fn recheck_summary(&self) -> String {
        let failing = self
            .state
            .items
            .values()
            .filter(|r| r.by == SetBy::Auto && r.status == Status::Failing)
            .count();
        let regressed = self
            .changes
            .values()
            .filter(|c| **c == Change::Regressed)
            .count();
        let fixed = self.changes.len() - regressed;
        let noun = if failing == 1 { "item" } else { "items" };
        let mut summary = format!("re-checked: {failing} automatic {noun} failing");
        if regressed > 0 {
            let _ = write!(summary, " · {regressed} regressed");
        }
        if fixed > 0 {
            let _ = write!(summary, " · {fixed} fixed");
        }
        summary
    }

    /// Selects the first item that needs attention. A review opens on what
    /// changed (regressed, stale, due), then what fails; setup on what fails,
    /// then what is to do, recurring tasks last.
    fn select_first_attention(&mut self) {
        let progress = self.progress();
        let review = self.journey == Journey::Review;
        let rank = |s: &crate::progress::ItemStatus<'_>| {
            let marked = self
                .review_mark(&s.item.id)
                .map(|mark| match mark {
                    crate::review::Mark::Regressed { .. } => 0,
                    crate::review::Mark::Stale { .. } => 1,
                    crate::review::Mark::Due { .. } => 2,
                })
                .or_else(|| {
                    (self.changes.get(&s.item.id) == Some(&Change::Regressed)).then_some(0)
                });
            let severity = std::cmp::Reverse(s.item.severity);
            match (marked, s.status) {
                (Some(rank), _) if review => (rank, severity),
                (_, Status::Failing) => (3, severity),
                _ if s.due => (5, severity),
                (_, Status::Todo) => (4, std::cmp::Reverse(Severity::Low)),
                _ => (6, std::cmp::Reverse(Severity::Low)),
            }
        };
        // Checklist order within a rank: the earliest failing item, not the last.
        let Some((phase, id)) = progress
            .items
            .iter()
            .enumerate()
            .min_by_key(|(index, s)| (rank(s), *index))
            .map(|(_, s)| (s.item.phase, s.item.id.clone()))
        else {
            return;
        };
        self.filter.clear();
        self.phase = phase;
        self.selected = self
            .visible_items()
            .iter()
            .position(|item| item.id == id)
            .unwrap_or(0);
        self.focus = Pane::Items;
        self.detail_scroll = 0;
        self.offset = 0;
        self.scroll_into_view();
    }

    /// Focuses and selects what was clicked.
    fn click(&mut self, column: u16, row: u16) {
        if let Some(step) = super::setup::step_bar_click(self, column, row) {
            super::setup::go_step(self, step);
            return;
        }
        let areas = ui::layout(self);
        let point = ratatui::layout::Position::new(column, row);
        self.moved = true;
        if let Some(area) = areas.phases.filter(|a| a.contains(point)) {
            self.focus = Pane::Phases;
            let index = usize::from(row.saturating_sub(area.y + 1));
            if index < Checklist::get().phases.len() && row > area.y {
                self.select_phase(index + 1);
            }
        } else if let Some(area) = areas.items.filter(|a| a.contains(point)) {
            self.focus = Pane::Items;
            let index = self.offset + usize::from(row.saturating_sub(area.y + 1));
            if index < self.visible_items().len() && row > area.y {
                self.selected = index;
                self.detail_scroll = 0;
            }
        } else if areas.detail.is_some_and(|a| a.contains(point)) {
            self.focus = Pane::Detail;
        }
    }

    /// Scrolls the pane under the pointer.
    fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let areas = ui::layout(self);
        let point = ratatui::layout::Position::new(column, row);
        let pane = if areas.phases.is_some_and(|a| a.contains(point)) {
            Pane::Phases
        } else if areas.items.is_some_and(|a| a.contains(point)) {
            Pane::Items
        } else if areas.detail.is_some_and(|a| a.contains(point)) {
            Pane::Detail
        } else {
            return;
        };
        let focus = std::mem::replace(&mut self.focus, pane);
        self.move_by(if down { 3 } else { -3 });
        self.focus = focus;
    }
}

/// The filter that shows only what changed (the `!` key).
pub const ATTENTION: &str = "!";

/// Whether an item's text matches a lowercase filter text.
fn matches_text(item: &ChecklistItem, needle: &str) -> bool {
    [
        item.id.as_str(),
        item.title.as_str(),
        item.problem.as_str(),
        item.severity.as_str(),
    ]
    .iter()
    .any(|text| text.to_lowercase().contains(needle))
        || item.how.iter().any(|d| d.as_str() == needle)
}

/// `index + delta`, kept within `0..len`.
fn clamp_add(index: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    index.saturating_add_signed(delta).min(len - 1)
}

/// The status as a word for messages.
pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Todo => "to do",
        Status::Done => "done",
        Status::Failing => "failing",
        Status::Skipped => "skipped",
        Status::Na => "not applicable",
    }
}

/// The scanner's current verdicts by item id.
fn auto_statuses(state: &State) -> HashMap<String, Status> {
    state
        .items
        .iter()
        .filter(|(_, r)| r.by == SetBy::Auto)
        .map(|(id, r)| (id.clone(), r.status))
        .collect()
}

/// Items that went from passing to failing or back between two scans.
fn changes(
    before: &HashMap<String, Status>,
    after: &HashMap<String, Status>,
) -> HashMap<String, Change> {
    after
        .iter()
        .filter_map(|(id, now)| match (before.get(id), now) {
            (Some(Status::Done), Status::Failing) => Some((id.clone(), Change::Regressed)),
            (Some(Status::Failing), Status::Done) => Some((id.clone(), Change::Fixed)),
            _ => None,
        })
        .collect()
}

/// An error on one line for the notice line, its hint first: a long cause
/// would push the hint (what to do) past the edge of the screen.
pub(super) fn one_line(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    let text = match text.split_once("\n  hint: ") {
        Some((cause, hint)) => format!("{hint} · {cause}"),
        None => text,
    };
    text.replace('\n', " ")
}

#[cfg(test)]
mod tests;

//! What the user (or a worker) asks the app to do: the one input to `App::update`.

use serde::Deserialize;
use tui_input::InputRequest;

use crate::scan::ScanReport;
use crate::verify::VerifyProgress;

/// A user intent or an outside event, applied by `App::update`.
///
/// The variants a keymap can name deserialize from their snake_case names
/// (`move_down`, `mark_done`); the rest come from the mouse, the terminal or
/// the re-check worker and cannot be bound to a key.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave the wizard; everything is already saved.
    Quit,
    /// Show (or hide) every key binding.
    Help,
    /// Up one row in the focused pane.
    MoveUp,
    /// Down one row in the focused pane.
    MoveDown,
    /// Up one page in the focused pane.
    PageUp,
    /// Down one page in the focused pane.
    PageDown,
    /// To the first row of the focused pane.
    First,
    /// To the last row of the focused pane.
    Last,
    /// Focus the pane to the right.
    NextPane,
    /// Focus the pane to the left.
    PrevPane,
    /// Mark the selected item done.
    MarkDone,
    /// Skip the selected item, with a reason.
    Skip,
    /// Mark the selected item not applicable, with a reason.
    NotApplicable,
    /// Put the selected item back to do.
    Todo,
    /// Filter the items by text.
    Filter,
    /// Re-run the automatic checks.
    Recheck,
    /// Verify the live deployment (asks for its URL, the answered domain filled in).
    Verify,
    /// Open the setup's Files step (from the checklist).
    Files,
    /// Open the setup's Secrets step (from the checklist).
    Secrets,
    /// The next field or row (Tab in a setup step).
    #[serde(skip)]
    NextField,
    /// The previous field or row (Shift-Tab in a setup step).
    #[serde(skip)]
    PrevField,
    /// Go to this setup step (a click on the step bar).
    #[serde(skip)]
    GoStep(crate::tui::app::Screen),
    /// Reveal or mask the selected secret.
    #[serde(skip)]
    Reveal,
    /// A fresh value for the selected secret.
    #[serde(skip)]
    Regenerate,
    /// Copy the selected secret to the clipboard (OSC 52).
    #[serde(skip)]
    Copy,
    /// Add an API-key consumer by its label.
    #[serde(skip)]
    AddConsumer,
    /// Tick or untick the selected file.
    #[serde(skip)]
    Toggle,
    /// Export the report to a file.
    #[serde(skip)]
    Export,
    /// Yes (`true`) or no to the question asked.
    #[serde(skip)]
    Reply(bool),
    /// Writing files on the worker finished: the state file as saved, and
    /// what was done per file, or why it failed.
    #[serde(skip)]
    Wrote(Result<crate::tui::event::WriteOutcome, String>),
    /// The next phase, its first item.
    NextPhase,
    /// The previous phase, its first item.
    PrevPhase,
    /// Show only what changed since the last review (or show everything again).
    Attention,
    /// Jump to phase N (the digit keys 1–7).
    #[serde(skip)]
    JumpPhase(u8),
    /// Confirm a prompt (Enter).
    #[serde(skip)]
    Confirm,
    /// Close a prompt or overlay (Esc).
    #[serde(skip)]
    Cancel,
    /// Edit the text of an open prompt.
    #[serde(skip)]
    Edit(InputRequest),
    /// Text pasted into the terminal (bracketed paste): typed into the
    /// focused text field, newlines as spaces; ignored outside a field.
    #[serde(skip)]
    Paste(String),
    /// The terminal now has this many columns and rows.
    #[serde(skip)]
    Resize(u16, u16),
    /// A left click at column, row.
    #[serde(skip)]
    Click(u16, u16),
    /// The wheel turned at column, row: `true` scrolls down.
    #[serde(skip)]
    Wheel(u16, u16, bool),
    /// The re-check worker finished.
    #[serde(skip)]
    ScanFinished(Result<Box<ScanReport>, String>),
    /// The verify worker decided a check, or finished.
    #[serde(skip)]
    Verified(VerifyProgress),
    /// Time passed while the app waited (animates progress).
    #[serde(skip)]
    Tick,
    /// Ctrl-Z or SIGTSTP: give the terminal back and stop until `fg`.
    #[serde(skip)]
    Suspend,
}

impl Action {
    /// The bindable actions, in the order the help lists them.
    pub const BINDABLE: [Action; 22] = [
        Self::MoveUp,
        Self::MoveDown,
        Self::PageUp,
        Self::PageDown,
        Self::First,
        Self::Last,
        Self::PrevPane,
        Self::NextPane,
        Self::PrevPhase,
        Self::NextPhase,
        Self::MarkDone,
        Self::Skip,
        Self::NotApplicable,
        Self::Todo,
        Self::Filter,
        Self::Attention,
        Self::Recheck,
        Self::Verify,
        Self::Files,
        Self::Secrets,
        Self::Help,
        Self::Quit,
    ];

    /// What the action does, for the help overlay.
    pub fn description(&self) -> &'static str {
        match self {
            Self::Quit => "quit (everything is already saved)",
            Self::Help => "show or hide this help",
            Self::MoveUp => "move up",
            Self::MoveDown => "move down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::First => "first row",
            Self::Last => "last row",
            Self::NextPane => "next pane",
            Self::PrevPane => "previous pane",
            Self::MarkDone => "mark the item done",
            Self::Skip => "skip the item, with a reason",
            Self::NotApplicable => "not applicable, with a reason",
            Self::Todo => "back to todo",
            Self::Filter => "filter items by text",
            Self::Recheck => "re-run the automatic checks",
            Self::Verify => "verify the live deployment (phase 6)",
            Self::Files => "setup: the files to write",
            Self::Secrets => "setup: the secrets in .env",
            Self::NextField => "next field",
            Self::PrevField => "previous field",
            Self::GoStep(_) => "go to a step",
            Self::Reveal => "reveal or mask the secret",
            Self::Regenerate => "regenerate the secret",
            Self::Copy => "copy the secret (OSC 52)",
            Self::AddConsumer => "add an API-key consumer",
            Self::Toggle => "tick or untick the file",
            Self::Export => "export the report",
            Self::Reply(_) => "answer yes or no",
            Self::Wrote(_) => "files written",
            Self::NextPhase => "next phase (1–7 jump to one)",
            Self::PrevPhase => "previous phase",
            Self::Attention => "only what changed: regressed, stale, due (again: all)",
            Self::JumpPhase(_) => "jump to a phase",
            Self::Confirm => "confirm",
            Self::Cancel => "cancel",
            Self::Edit(_) => "edit text",
            Self::Paste(_) => "paste text",
            Self::Resize(..) => "resize",
            Self::Click(..) => "click",
            Self::Wheel(..) => "scroll",
            Self::ScanFinished(_) => "re-check finished",
            Self::Verified(_) => "verify progress",
            Self::Tick => "tick",
            Self::Suspend => "suspend (fg resumes)",
        }
    }

    /// Whether two actions are the same intent (ignoring any payload).
    pub fn same_kind(&self, other: &Action) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

//! Terminal colour for human output, off when `NO_COLOR` is set or stdout is not a terminal.

use std::io::IsTerminal;

use crossterm::style::{Color, Stylize};

use crate::checklist::Severity;
use crate::state::Status;

/// Whether to colour output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            colour: !no_color && std::io::stdout().is_terminal(),
        }
    }

    /// `text` in `colour`, or plain.
    pub fn paint(self, text: &str, colour: Color) -> String {
        if self.colour {
            text.with(colour).to_string()
        } else {
            text.to_owned()
        }
    }

    /// `text` in bold, or plain.
    pub fn bold(self, text: &str) -> String {
        if self.colour {
            text.bold().to_string()
        } else {
            text.to_owned()
        }
    }

    /// `text` dimmed, or plain.
    pub fn dim(self, text: &str) -> String {
        if self.colour {
            text.dim().to_string()
        } else {
            text.to_owned()
        }
    }

    /// A severity label in its colour.
    pub fn severity(self, severity: Severity) -> String {
        self.paint(severity.as_str(), severity_colour(severity))
    }

    /// A status symbol in its colour.
    pub fn status_symbol(self, status: Status) -> String {
        self.paint(status.symbol(), status_colour(status))
    }
}

/// The colour that carries a severity.
pub fn severity_colour(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color::Red,
        Severity::High => Color::Yellow,
        Severity::Medium => Color::Blue,
        Severity::Low => Color::DarkGrey,
    }
}

fn status_colour(status: Status) -> Color {
    match status {
        Status::Done => Color::Green,
        Status::Failing => Color::Red,
        Status::Todo => Color::Reset,
        Status::Skipped | Status::Na => Color::DarkGrey,
    }
}

//! What is drawn over the panes: the help, the reason prompt, and the
//! message on a terminal too small for anything else.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph, Wrap};

use super::{MIN_SIZE, Theme, pane_block, popup_area};
use crate::tui::action::Action;
use crate::tui::app::{App, Mode, PromptKind};

/// The help overlay's lines: every binding, then notes.
fn help_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let labels: Vec<String> = Action::BINDABLE
        .iter()
        .map(|action| app.keymap.label(app.screen, action))
        .collect();
    // As wide as the longest label, so a narrow terminal keeps the descriptions.
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let mut lines: Vec<Line<'static>> = Action::BINDABLE
        .iter()
        .zip(&labels)
        .map(|(action, keys)| {
            Line::from(vec![
                Span::styled(
                    format!(" {keys:<width$}"),
                    theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::raw(action.description()),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    for note in [
        " In prompts: enter saves, esc cancels.",
        " Mouse: click selects a pane or an item, the wheel scrolls.",
        " Keys can be changed in keymap.toml in the config dir.",
    ] {
        lines.push(Line::styled(note, theme.dim()));
    }
    lines
}

/// The help overlay's size for the current terminal.
fn help_area(app: &App) -> Rect {
    let lines = Action::BINDABLE.len() + 4;
    let height = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    popup_area(Rect::new(0, 0, app.size.0, app.size.1), 66, height)
}

/// How far the help can scroll before its last line is at the bottom.
pub fn help_scroll_max(app: &App) -> u16 {
    let lines = u16::try_from(Action::BINDABLE.len() + 4).unwrap_or(u16::MAX);
    lines.saturating_sub(help_area(app).height.saturating_sub(2))
}

/// Every binding, centred over the screen.
pub(super) fn draw_help(frame: &mut Frame<'_>, app: &App, theme: &Theme, scroll: u16) {
    let lines = help_lines(app, theme);
    let area = help_area(app);
    frame.render_widget(Clear, area);
    let help = Paragraph::new(lines).scroll((scroll, 0)).block(pane_block(
        " Keys · esc closes ",
        true,
        theme,
    ));
    frame.render_widget(help, area);
}

/// The reason prompt for skip or not applicable.
pub(super) fn draw_prompt(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let Mode::Prompt(prompt) = &app.mode else {
        return;
    };
    let (verb, question) = match prompt.kind {
        PromptKind::Skip => ("Skip", "Why skip it for now?"),
        PromptKind::NotApplicable => ("Not applicable", "Why does it not apply here?"),
    };
    let area = popup_area(frame.area(), 64, 5);
    frame.render_widget(Clear, area);
    let block = pane_block(&format!(" {verb}: {} ", prompt.item.id), true, theme)
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [question_area, input_area, error_area] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    frame.render_widget(Line::raw(question), question_area);
    let width = usize::from(input_area.width.saturating_sub(2));
    let scroll = prompt.input.visual_scroll(width);
    let value: String = prompt.input.value().chars().skip(scroll).collect();
    frame.render_widget(
        Line::from(vec![
            Span::styled("> ", theme.fg(Color::Cyan)),
            Span::styled(value, Style::new().add_modifier(Modifier::UNDERLINED)),
        ]),
        input_area,
    );
    let cursor = u16::try_from(prompt.input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
    frame.set_cursor_position((
        (input_area.x + 2 + cursor).min(input_area.right().saturating_sub(1)),
        input_area.y,
    ));
    let hint = prompt.error.as_ref().map_or_else(
        || Line::styled("enter saves · esc cancels", theme.dim()),
        |error| Line::styled(format!("✘ {error}"), theme.fg(Color::Red)),
    );
    frame.render_widget(hint, error_area);
}

/// The message shown instead of the screen on a tiny terminal.
pub(super) fn draw_too_small(frame: &mut Frame<'_>, app: &App) {
    let (width, height) = app.size;
    let text = format!(
        "Terminal too small ({width}×{height}).\npreflight needs at least {}×{}.\nResize it, or \
         press q to quit.",
        MIN_SIZE.0, MIN_SIZE.1
    );
    let area = frame.area();
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: true }).centered();
    let lines = u16::try_from(paragraph.line_count(area.width)).unwrap_or(area.height);
    let top = area.height.saturating_sub(lines) / 2;
    frame.render_widget(
        paragraph,
        Rect::new(area.x, area.y + top, area.width, area.height - top),
    );
}

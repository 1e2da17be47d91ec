//! Drawing: everything on screen comes from `&App`; nothing here changes it.

mod detail;
mod overlay;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, HighlightSpacing, List, ListItem, ListState, Padding, Paragraph, Wrap,
};

use super::action::Action;
use super::app::{App, Change, Journey, Mode, Notice, Pane, ScanState, Screen, VerifyState};
use crate::checklist::{Checklist, ChecklistItem, Severity};
use crate::progress::ItemStatus;
use crate::project::Framework;
use crate::review::{Mark, Review};
use crate::state::Status;
pub(in crate::tui) use detail::readable_time;
pub use overlay::help_scroll_max;
use overlay::{draw_help, draw_prompt, draw_too_small};

/// Below this the panes are shown one at a time.
pub const FULL_SIZE: (u16, u16) = (80, 24);
/// Below this nothing useful fits.
pub const MIN_SIZE: (u16, u16) = (40, 10);
/// Width of the item list when there is room: borders, the selection mark,
/// status symbol, mark symbol, the longest id (26), severity and `manual+live`.
const ITEMS_WIDTH: u16 = 2 + 2 + 2 + 2 + 26 + 1 + 4 + 1 + 11;
/// Width of the phases pane: room for `5 Operations ↯≠ 13/13`.
const PHASES_WIDTH: u16 = 26;
/// The sparkline's steps, lowest first.
const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// The spinner shown while re-checking.
const SPINNER: [&str; 4] = ["⠋", "⠙", "⠹", "⠸"];
/// Marks the selected row, so selection shows without colour too.
const SELECTED: &str = "▶ ";

/// Where everything goes for the current terminal size.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub header: Rect,
    /// The setup's step bar, under the header (setup screens, and the
    /// checklist during setup).
    pub step_bar: Option<Rect>,
    /// Everything between the header (and step bar) and the status line.
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
    pub phases: Option<Rect>,
    pub items: Option<Rect>,
    pub detail: Option<Rect>,
    /// The terminal is below the minimum size.
    pub too_small: bool,
}

/// Lays the screen out for `app.size`: three panes side by side, or only the
/// focused one on a small terminal.
pub fn layout(app: &App) -> Areas {
    let (width, height) = app.size;
    let area = Rect::new(0, 0, width, height);
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
        return Areas {
            too_small: true,
            ..Areas::default()
        };
    }
    let bar = u16::from(has_step_bar(app));
    let [header, step_bar, body, status, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(bar),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let mut areas = Areas {
        header,
        step_bar: (bar > 0).then_some(step_bar),
        body,
        status,
        footer,
        ..Areas::default()
    };
    if app.screen != Screen::Checklist {
        return areas;
    }
    if width < FULL_SIZE.0 || height < FULL_SIZE.1 {
        match app.focus {
            Pane::Phases => areas.phases = Some(body),
            Pane::Items => areas.items = Some(body),
            Pane::Detail => areas.detail = Some(body),
        }
    } else {
        let [phases, items, detail] = body.layout(&panes(width));
        areas.phases = Some(phases);
        areas.items = Some(items);
        areas.detail = Some(detail);
    }
    areas
}

/// The three panes side by side: the item list gets what its rows need (up
/// to 5/9 of the room), the detail pane the rest.
fn panes(width: u16) -> Layout {
    let room = width.saturating_sub(PHASES_WIDTH);
    let items = ITEMS_WIDTH.min(room * 5 / 9);
    Layout::horizontal([
        Constraint::Length(PHASES_WIDTH),
        Constraint::Length(items),
        Constraint::Fill(1),
    ])
}

/// Whether the step bar is drawn: on setup's steps, and on the checklist during setup.
fn has_step_bar(app: &App) -> bool {
    app.journey == Journey::Setup || app.screen != Screen::Checklist
}

/// How many item rows the item list shows.
pub fn item_rows(app: &App) -> usize {
    // Header, status line and footer take a row each (the step bar one
    // more); the borders two more.
    let bar = u16::from(has_step_bar(app));
    usize::from(app.size.1.saturating_sub(5 + bar))
}

/// How many rows the selected item's detail takes at the detail pane's width.
pub fn detail_height(app: &App) -> usize {
    detail::detail_rows(app, detail_inner_width(app))
}

/// The rows the detail pane shows at once (inside its borders).
pub fn detail_rows(app: &App) -> usize {
    usize::from(app.size.1.saturating_sub(5))
}

/// How far the detail pane scrolls: to where its last line is at the bottom.
pub fn detail_scroll_max(app: &App) -> usize {
    detail_height(app).saturating_sub(detail_rows(app))
}

/// The detail pane's inner width, whether or not it is on screen now.
fn detail_inner_width(app: &App) -> u16 {
    let (width, height) = app.size;
    let outer = if width < FULL_SIZE.0 || height < FULL_SIZE.1 {
        width
    } else {
        Rect::new(0, 0, width, 1).layout::<3>(&panes(width))[2].width
    };
    // Borders and one column of padding on each side.
    outer.saturating_sub(4).max(1)
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let areas = layout(app);
    if areas.too_small {
        draw_too_small(frame, app);
        return;
    }
    let theme = Theme { colour: app.colour };
    draw_header(frame, app, &theme, areas.header);
    if let Some(bar) = areas.step_bar {
        super::setup::draw_step_bar(frame, app, &theme, bar);
    }
    if app.screen != Screen::Checklist {
        draw_status(frame, app, &theme, areas.status);
        draw_footer(frame, app, &theme, areas.footer);
        super::setup::draw(frame, app, &theme, areas.body);
        if let Mode::Help { scroll } = &app.mode {
            super::setup::draw_help(frame, app, &theme, *scroll);
        }
        return;
    }
    if let Some(area) = areas.phases {
        draw_phases(frame, app, &theme, area);
    }
    if let Some(area) = areas.items {
        draw_items(frame, app, &theme, area);
    }
    if let Some(area) = areas.detail {
        draw_detail(frame, app, &theme, area);
    }
    draw_status(frame, app, &theme, areas.status);
    draw_footer(frame, app, &theme, areas.footer);
    match &app.mode {
        Mode::Help { scroll } => draw_help(frame, app, &theme, *scroll),
        Mode::Prompt(_) => draw_prompt(frame, app, &theme),
        Mode::Normal
        | Mode::Filter(_)
        | Mode::VerifyUrl(_)
        | Mode::VerifyProtected { .. }
        | Mode::VerifyInsecure { .. } => {}
    }
}

/// Colours when allowed; the meaning is always carried by symbols and text too.
pub(in crate::tui) struct Theme {
    pub(in crate::tui) colour: bool,
}

impl Theme {
    pub(in crate::tui) fn fg(&self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    pub(in crate::tui) fn dim(&self) -> Style {
        if self.colour {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    fn status(&self, status: Status) -> Style {
        match status {
            Status::Done => self.fg(Color::Green),
            Status::Failing => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::Todo => Style::new(),
            Status::Skipped | Status::Na => self.dim(),
        }
    }

    pub(in crate::tui) fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Critical => self.fg(Color::Red),
            Severity::High => self.fg(Color::Yellow),
            Severity::Medium => self.fg(Color::Blue),
            Severity::Low => self.dim(),
        }
    }

    fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.dim()
        }
    }
}

/// `preflight · name · django 5.0` on the left, progress on the right; in a
/// review, `Review` and what changed in between.
fn draw_header(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let progress = app.progress();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut left = vec![
        Span::styled(" preflight", bold),
        Span::raw(" · "),
        Span::raw(app.name.clone()),
    ];
    if let Some(project) = &app.project
        && project.framework != Framework::Unknown
    {
        let version = project
            .framework_version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        left.push(Span::raw(format!(
            " · {}{version}",
            project.framework.as_str()
        )));
    }
    let critical = progress.critical_open().count();
    let critical_style = if critical > 0 {
        theme.fg(Color::Red)
    } else {
        theme.fg(Color::Green)
    };
    let failing = progress
        .items
        .iter()
        .filter(|s| s.status == Status::Failing)
        .count();
    let review = (app.journey == Journey::Review).then(|| review_counts(app, failing, theme));
    let width = usize::from(area.width);
    let line_width = |spans: &[Span<'_>]| spans.iter().map(Span::width).sum::<usize>();
    // Done means done: a skipped or not applicable item is waived, never
    // progress (as `status` says it: "30 settled (0 done · 30 waived)").
    let done = progress.count(Status::Done);
    let waived = progress.done() - done;
    let settled = if waived > 0 {
        format!("{done}/{} done · {waived} waived", progress.total())
    } else {
        format!("{done}/{} done", progress.total())
    };
    let mut right = vec![
        Span::raw(settled.clone()),
        Span::raw(" · "),
        Span::styled(format!("{critical} critical open "), critical_style),
    ];
    let compact = vec![
        Span::raw(format!("{done}/{} · ", progress.total())),
        Span::styled(format!("{critical} crit "), critical_style),
    ];
    let mut middle: Vec<Span<'static>> = Vec::new();
    if let Some((long, short)) = review {
        // The counts in words, then the totals shortened, then the counts as
        // symbols, then without the project's name.
        let base = line_width(&left);
        let fits = |middle: &[Span<'_>], right: &[Span<'_>]| {
            base + line_width(middle) + line_width(right) < width
        };
        let choice = [(&long, &right), (&long, &compact), (&short, &right)]
            .into_iter()
            .find(|(m, r)| fits(m, r));
        (middle, right) = if let Some((m, r)) = choice {
            (m.clone(), r.clone())
        } else {
            if !fits(&short, &compact) {
                left.truncate(1);
            }
            (short, compact)
        };
    } else if line_width(&left) + line_width(&right) + 2 > width {
        right = compact;
    }
    left.extend(middle);
    let right = Line::from(right);
    let right_width = u16::try_from(right.width()).unwrap_or(area.width);
    let [left_area, _, right_area] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(right_width),
    ]));
    frame.render_widget(Line::from(left), left_area);
    frame.render_widget(right.right_aligned(), right_area);
}

/// ` · Review · ↯ 1 regressed · ≠ 2 stale · ⏰ 6 due · ✘ 3 failing`, and the
/// same as symbols and numbers for narrow terminals.
fn review_counts(
    app: &App,
    failing: usize,
    theme: &Theme,
) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let count = |word: &str| {
        app.review.as_ref().map_or(0, |r| r.count(word))
            + if word == "regressed" {
                app.changes
                    .iter()
                    .filter(|(id, c)| **c == Change::Regressed && app.review_mark(id).is_none())
                    .count()
            } else {
                0
            }
    };
    let parts = [
        ("↯", count("regressed"), "regressed", Color::Red),
        ("≠", count("stale"), "stale", Color::Magenta),
        ("⏰", count("due"), "due", Color::Yellow),
        ("✘", failing, "failing", Color::Red),
    ];
    let mut long = vec![Span::raw(" · "), Span::styled("Review", bold)];
    let mut short = vec![Span::raw(" · "), Span::styled("Review", bold)];
    for (symbol, n, word, colour) in parts {
        let style = if n > 0 {
            theme.fg(colour).add_modifier(Modifier::BOLD)
        } else {
            theme.dim()
        };
        long.push(Span::raw(" · "));
        long.push(Span::styled(format!("{symbol} {n} {word}"), style));
        short.push(Span::raw(" "));
        short.push(Span::styled(format!("{symbol}{n}"), style));
    }
    (long, short)
}

/// The seven phases with their progress.
fn draw_phases(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let progress = app.progress();
    let checklist = Checklist::get();
    let filtering = !app.filter.is_empty();
    let rows: Vec<ListItem<'_>> = progress
        .phases
        .iter()
        .map(|p| {
            let short = checklist.phase(p.number).map_or("", |ph| ph.short.as_str());
            let count = if filtering {
                app.items_matching(p.number).len().to_string()
            } else {
                // Done means done, as in the header: waived items are not progress.
                let done = progress
                    .items
                    .iter()
                    .filter(|s| s.item.phase == p.number && s.status == Status::Done)
                    .count();
                format!("{done}/{}", p.total)
            };
            // Borders, the selection mark and a margin on the right.
            let width = usize::from(area.width.saturating_sub(5));
            let label = format!("{} {short}", p.number);
            let marks = phase_marks(app, p.number);
            let mark_text: String = marks.iter().map(|(symbol, _)| *symbol).collect();
            let mark_width = Span::raw(mark_text.clone()).width();
            let pad = width
                .saturating_sub(label.chars().count() + mark_width + 1 + count.chars().count())
                .max(1);
            let style = if filtering && app.items_matching(p.number).is_empty() {
                theme.dim()
            } else if p.done == p.total {
                theme.fg(Color::Green)
            } else if p.due > 0 {
                theme.fg(Color::Yellow)
            } else {
                Style::new()
            };
            let mut spans = vec![Span::raw(label), Span::raw(" ")];
            for (symbol, colour) in marks {
                spans.push(Span::styled(
                    symbol,
                    theme.fg(colour).add_modifier(Modifier::BOLD),
                ));
            }
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(count, style));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let focused = app.focus == Pane::Phases;
    let list = List::new(rows)
        .block(
            pane_block(
                if filtering {
                    " Phases · matches "
                } else {
                    " Phases "
                },
                focused,
                theme,
            )
            .title(pane_position(app, Pane::Phases)),
        )
        .highlight_symbol(SELECTED)
        .highlight_spacing(HighlightSpacing::Always)
        .highlight_style(selection_style(focused));
    let mut state = ListState::default().with_selected(Some(usize::from(app.phase) - 1));
    frame.render_stateful_widget(list, area, &mut state);
    draw_trend(frame, app, theme, area);
}

/// The symbols of what a review marks in phase `number`: `↯`, `≠`, `⏰`.
fn phase_marks(app: &App, number: u8) -> Vec<(&'static str, Color)> {
    let in_phase: Vec<&ChecklistItem> = Checklist::get().items_in(number).collect();
    let has = |word: &str| {
        in_phase.iter().any(|item| {
            app.review_mark(&item.id).is_some_and(|m| m.word() == word)
                || (word == "regressed" && app.changes.get(&item.id) == Some(&Change::Regressed))
        })
    };
    [
        ("↯", "regressed", Color::Red),
        ("≠", "stale", Color::Magenta),
        ("⏰", "due", Color::Yellow),
    ]
    .into_iter()
    .filter(|(_, word, _)| has(word))
    .map(|(symbol, _, colour)| (symbol, colour))
    .collect()
}

/// Below the phases: failing critical and high items over the recorded
/// check runs, as a sparkline, when the pane has the room.
fn draw_trend(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let phases = u16::try_from(Checklist::get().phases.len()).unwrap_or(7);
    if area.height < phases + 5 || area.width < 12 {
        return;
    }
    let trend = crate::report::trend(&app.state.history);
    let width = usize::from(area.width.saturating_sub(4));
    let Some(spark) = sparkline(&trend, width.saturating_sub(3)) else {
        return;
    };
    let last = trend.last().map_or(0, |p| p.failing);
    let lines = vec![
        Line::styled("crit+high failing", theme.dim()),
        Line::from(vec![
            Span::styled(spark, theme.fg(Color::Red)),
            Span::raw(format!(" {last}")),
        ]),
    ];
    let inner = Rect::new(
        area.x + 2,
        area.y + 1 + phases + 1,
        area.width.saturating_sub(4),
        2,
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The last `width` points as sparkline characters scaled to the worst;
/// `None` with fewer than two runs.
pub fn sparkline(points: &[crate::report::TrendPoint], width: usize) -> Option<String> {
    if points.len() < 2 || width == 0 {
        return None;
    }
    // From the best run shown to the worst, so a change of one stands out;
    // the number beside it says how many.
    let shown = &points[points.len().saturating_sub(width)..];
    let max = shown.iter().map(|p| p.failing).max().unwrap_or(0);
    let min = shown.iter().map(|p| p.failing).min().unwrap_or(0);
    let span = (max - min).max(1);
    Some(
        shown
            .iter()
            .map(|p| SPARK[((p.failing - min) * (SPARK.len() - 1)).div_ceil(span)])
            .collect(),
    )
}

/// The items of the selected phase: symbol, id, severity, how.
fn draw_items(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let progress = app.progress();
    let items = app.visible_items();
    let inner_width = usize::from(area.width.saturating_sub(4));
    let id_width = items.iter().map(|i| i.id.len()).max().unwrap_or(0);
    let rows: Vec<ListItem<'_>> = items
        .iter()
        .map(|item| {
            let status = status_of(&progress.items, item);
            item_row(app, theme, item, status, id_width, inner_width)
        })
        .collect();
    let phase = Checklist::get().phase(app.phase);
    let mut name = phase.map_or(String::new(), |p| p.name.clone());
    let filter = if app.filter.is_empty() {
        String::new()
    } else {
        format!(" · /{}", app.filter)
    };
    if name.chars().count() + filter.chars().count() + 8 > usize::from(area.width) {
        name = phase.map_or(String::new(), |p| p.short.clone());
    }
    let title = format!(" {} · {name}{filter} ", app.phase);
    let focused = app.focus == Pane::Items;
    let block = pane_block(&title, focused, theme).title(pane_position(app, Pane::Items));
    if rows.is_empty() {
        let empty = Paragraph::new("No item here matches the filter.\nesc clears it.")
            .style(theme.dim())
            .block(block);
        frame.render_widget(empty, area);
        return;
    }
    let list = List::new(rows)
        .block(block)
        .highlight_symbol(SELECTED)
        .highlight_spacing(HighlightSpacing::Always)
        .highlight_style(selection_style(focused));
    let mut state = ListState::default()
        .with_offset(app.offset)
        .with_selected(Some(app.selected));
    frame.render_stateful_widget(list, area, &mut state);
}

/// One row of the item list, fitted to `width`: status symbol, the review's
/// mark symbol in a column of its own (never cut), id, severity, and the
/// mark's word or how the item is decided when there is room.
fn item_row<'a>(
    app: &App,
    theme: &Theme,
    item: &'a ChecklistItem,
    status: Option<&ItemStatus<'_>>,
    id_width: usize,
    width: usize,
) -> ListItem<'a> {
    let (code, due) = status.map_or((Status::Todo, false), |s| (s.status, s.due));
    let how = match code {
        Status::Skipped => "skipped".to_owned(),
        Status::Na => "n/a".to_owned(),
        _ if due => "due".to_owned(),
        _ => how_short(item),
    };
    let (symbol, word, colour) = match (app.review_mark(&item.id), app.changes.get(&item.id)) {
        (Some(mark), _) => (mark.symbol(), mark.word(), mark_colour(mark)),
        (None, Some(Change::Regressed)) => ("↯", "regressed", Color::Red),
        (None, Some(Change::Fixed)) => ("↑", "fixed", Color::Green),
        (None, None) => (" ", "", Color::Reset),
    };
    let mark_style = theme.fg(colour).add_modifier(Modifier::BOLD);
    // The mark column is two cells: `⏰` is wide, `↯` and `≠` are padded.
    let symbol_cell = if Span::raw(symbol).width() >= 2 {
        symbol.to_owned()
    } else {
        format!("{symbol} ")
    };
    let fixed = 2 + 2 + 4 + 1;
    let tail = if word.is_empty() {
        how
    } else {
        word.to_owned()
    };
    let show_tail = width > fixed + id_width + 1 + tail.chars().count().max(9);
    let id_room = if show_tail {
        id_width
    } else {
        width.saturating_sub(fixed).max(4)
    };
    let mut spans = vec![
        Span::styled(format!("{} ", code.symbol()), theme.status(code)),
        Span::styled(symbol_cell, mark_style),
        Span::raw(format!("{:<id_room$} ", truncate(&item.id, id_room))),
        Span::styled(
            format!("{:<4}", item.severity.short()),
            theme.severity(item.severity),
        ),
    ];
    if show_tail {
        let style = if word.is_empty() {
            theme.dim()
        } else {
            mark_style
        };
        spans.push(Span::styled(format!(" {tail}"), style));
    }
    ListItem::new(Line::from(spans))
}

/// The colour of a review's mark (its symbol and word say the same).
fn mark_colour(mark: &Mark) -> Color {
    match mark {
        Mark::Regressed { .. } => Color::Red,
        Mark::Stale { .. } => Color::Magenta,
        Mark::Due { .. } => Color::Yellow,
    }
}

/// `auto+gen`, `manual`, ….
fn how_short(item: &ChecklistItem) -> String {
    let names: Vec<&str> = item.how.iter().map(|d| d.as_str()).collect();
    names.join("+")
}

/// The effective status of `item`.
fn status_of<'p>(
    statuses: &'p [ItemStatus<'_>],
    item: &ChecklistItem,
) -> Option<&'p ItemStatus<'p>> {
    statuses.iter().find(|s| s.item.id == item.id)
}

/// `text` cut to `width` characters with an ellipsis.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The selected item: what it asks, its status, why, evidence, the fix.
fn draw_detail(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let title = app
        .selected_item()
        .map_or(" Detail ".to_owned(), |item| format!(" {} ", item.id));
    let focused = app.focus == Pane::Detail;
    let inner = area.width.saturating_sub(4).max(1);
    let rows = usize::from(area.height.saturating_sub(2));
    // Where the text is: more below, or its end after scrolling.
    let more = detail_height(app).saturating_sub(rows + usize::from(app.detail_scroll));
    let position = if more > 0 {
        let noun = if more == 1 { "line" } else { "lines" };
        format!(" ↓ {more} more {noun} ")
    } else if app.detail_scroll > 0 {
        " end ".to_owned()
    } else {
        String::new()
    };
    let (text, scroll) =
        detail::detail_window(app, theme, inner, usize::from(app.detail_scroll), rows);
    let paragraph = Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .block(
            pane_block(&title, focused, theme)
                .title(pane_position(app, Pane::Detail))
                .title_bottom(Line::styled(position, theme.dim()).right_aligned())
                .padding(Padding::horizontal(1)),
        );
    frame.render_widget(paragraph, area);
}

/// The line above the footer: a message, the filter being typed, or the re-check state.
fn draw_status(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let field = match &app.mode {
        Mode::Filter(input) => Some((" filter: /", input)),
        Mode::VerifyUrl(input) => Some((" verify URL: ", input)),
        Mode::VerifyProtected { input, .. } => Some((
            " a path that must require auth (empty: skip that check): ",
            input,
        )),
        _ => None,
    };
    if let Some((prefix, input)) = field {
        let width = usize::from(area.width).saturating_sub(prefix.len() + 1);
        let scroll = input.visual_scroll(width);
        let line = Line::from(vec![
            Span::styled(prefix, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(input.value().chars().skip(scroll).collect::<String>()),
        ]);
        frame.render_widget(line, area);
        let x = area.x
            + u16::try_from(prefix.len() + input.visual_cursor().saturating_sub(scroll))
                .unwrap_or(0);
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    if let Mode::VerifyInsecure { url, .. } = &app.mode {
        let line = Line::styled(
            format!(
                " ! {url}: its certificate did not verify. Accept it for one run (staging)? y/n"
            ),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        );
        frame.render_widget(line, area);
        return;
    }
    // A notice wider than the terminal ends in `…`, so a cut line says it is cut.
    let fit = |text: String| truncate(&text, usize::from(area.width));
    let line = match &app.notice {
        Some(Notice::Info(text)) => Line::styled(fit(format!(" {text}")), theme.fg(Color::Green)),
        Some(Notice::Warning(text)) => Line::styled(
            fit(format!(" ! {text}")),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        Some(Notice::Error(text)) => Line::styled(
            fit(format!(" ✘ {text}")),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        None => verify_line(app, theme).unwrap_or_else(|| scan_line(app, theme)),
    };
    frame.render_widget(line, area);
}

/// A running verify as a line: the spinner, how many checks are in, and the last one.
fn verify_line(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let VerifyState::Running { url, frame, checks } = &app.verify else {
        return None;
    };
    let total = crate::verify::LIVE_ITEMS.len() + crate::verify::EXTRA_CHECKS.len();
    let last = checks.last().map_or(String::new(), |c| {
        let symbol = match c.ok {
            Some(true) => "✔",
            Some(false) if c.is_advice() => "ℹ",
            Some(false) => "✘",
            None => "○",
        };
        format!(" · {symbol} {}", c.item)
    });
    Some(Line::styled(
        format!(
            " {} verifying {url}… {}/{total} checks{last}",
            SPINNER[frame % SPINNER.len()],
            checks.len()
        ),
        theme.fg(Color::Cyan),
    ))
}

/// The re-check state as a line.
fn scan_line(app: &App, theme: &Theme) -> Line<'static> {
    match &app.scan {
        ScanState::Idle => Line::raw(""),
        ScanState::Running { frame } => Line::styled(
            format!(
                " {} re-checking the project…",
                SPINNER[frame % SPINNER.len()]
            ),
            theme.fg(Color::Cyan),
        ),
        ScanState::Finished { at } => {
            let review = app
                .review
                .as_ref()
                .and_then(Review::counts)
                .map(|counts| format!("{counts} · "))
                .unwrap_or_default();
            Line::styled(
                format!(" {review}last checked {}", readable_time(at)),
                theme.dim(),
            )
        }
        ScanState::Failed(message) => Line::styled(
            format!(" ✘ re-check failed: {message}"),
            theme.fg(Color::Red),
        ),
    }
}

/// The keys that matter now, as many as fit; the last two (help and quit) always.
fn draw_footer(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let hints = footer_hints(app);
    let hint_width =
        |(keys, what): &(String, String)| keys.chars().count() + what.chars().count() + 4;
    let split = hints.len().saturating_sub(2);
    let (optional, always) = hints.split_at(split);
    let mut room = usize::from(area.width)
        .saturating_sub(1)
        .saturating_sub(always.iter().map(hint_width).sum());
    let mut spans = vec![Span::raw(" ")];
    for hint in optional {
        if hint_width(hint) > room {
            break;
        }
        room -= hint_width(hint);
        push_hint(&mut spans, &hint.0, &hint.1, theme);
    }
    for (keys, what) in always {
        push_hint(&mut spans, keys, what, theme);
    }
    frame.render_widget(Line::from(spans), area);
}

/// Appends ` · keys what` to the footer.
fn push_hint(spans: &mut Vec<Span<'static>>, keys: &str, what: &str, theme: &Theme) {
    if spans.len() > 1 {
        spans.push(Span::styled(" · ", theme.dim()));
    }
    spans.push(Span::styled(
        keys.to_owned(),
        theme.fg(Color::Cyan).add_modifier(Modifier::BOLD),
    ));
    spans.push(Span::raw(format!(" {what}")));
}

/// The footer's key hints for the current mode, most important first; the
/// last one (quit, or cancel) is always shown.
fn footer_hints(app: &App) -> Vec<(String, String)> {
    if app.screen != Screen::Checklist {
        return super::setup::footer_hints(app);
    }
    let pair = |s: &str, d: &str| (s.to_owned(), d.to_owned());
    match &app.mode {
        Mode::Prompt(_) => vec![pair("enter", "save"), pair("esc", "cancel")],
        Mode::Filter(_) => vec![pair("enter", "keep filter"), pair("esc", "clear filter")],
        Mode::VerifyUrl(_) => vec![pair("enter", "next"), pair("esc", "cancel")],
        Mode::VerifyProtected { .. } => vec![pair("enter", "verify"), pair("esc", "cancel")],
        Mode::VerifyInsecure { .. } => vec![pair("y", "verify accepting it"), pair("n", "no")],
        Mode::Help { .. } => vec![pair("↑↓", "scroll"), pair("esc", "close")],
        Mode::Normal => {
            let keys = |action: &Action| app.keymap.label(app.screen, action);
            // Most useful first: what is left out at a narrow width is
            // what the help (?) lists anyway.
            let mut hints = vec![
                (first_key(&keys(&Action::MarkDone)), "done".to_owned()),
                (first_key(&keys(&Action::Skip)), "skip".to_owned()),
                (first_key(&keys(&Action::Filter)), "filter".to_owned()),
            ];
            if app.journey == Journey::Review {
                hints.push((first_key(&keys(&Action::Attention)), "changed".to_owned()));
            }
            hints.extend([
                (first_key(&keys(&Action::Recheck)), "re-check".to_owned()),
                (
                    combined(app, &Action::MoveUp, &Action::MoveDown),
                    "move".to_owned(),
                ),
                (
                    format!(
                        "{}{}",
                        first_key(&keys(&Action::PrevPhase)),
                        first_key(&keys(&Action::NextPhase))
                    ),
                    "phase".to_owned(),
                ),
                (first_key(&keys(&Action::NotApplicable)), "n/a".to_owned()),
                (first_key(&keys(&Action::Todo)), "todo".to_owned()),
                (
                    combined(app, &Action::PrevPane, &Action::NextPane),
                    "pane".to_owned(),
                ),
                (first_key(&keys(&Action::Files)), "files".to_owned()),
                (first_key(&keys(&Action::Secrets)), "secrets".to_owned()),
                (first_key(&keys(&Action::Help)), "help".to_owned()),
            ]);
            if app.journey == Journey::Setup {
                hints.insert(0, pair("enter", "summary"));
            }
            if !app.filter.is_empty() {
                hints.insert(0, pair("esc", "clear filter"));
            }
            hints.push((first_key(&keys(&Action::Quit)), "quit".to_owned()));
            hints.retain(|(keys, _)| !keys.is_empty());
            hints
        }
    }
}

/// The first key of a `keys` label.
fn first_key(label: &str) -> String {
    label.split(' ').next().unwrap_or_default().to_owned()
}

/// `↑↓ kj`: the arrows, then the single-character keys, of two opposite actions.
fn combined(app: &App, back: &Action, forward: &Action) -> String {
    let keys_back = app.keymap.keys_for(app.screen, back);
    let keys_forward = app.keymap.keys_for(app.screen, forward);
    let is_arrow = |text: &str| ["↑", "↓", "←", "→"].contains(&text);
    let mut arrows = String::new();
    let mut letters = Vec::new();
    for key in keys_back.iter().chain(&keys_forward) {
        let text = key.to_string();
        if is_arrow(&text) {
            arrows.push_str(&text);
        } else if text.chars().count() == 1 {
            letters.push(text);
        }
    }
    // Alphabetical reads as vim users say it: `jk`, `hl`.
    letters.sort();
    [arrows, letters.concat()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `←→ 2/3` at the top right when only one pane is shown, so the others can be found.
fn pane_position(app: &App, pane: Pane) -> Line<'static> {
    let (width, height) = app.size;
    if width >= FULL_SIZE.0 && height >= FULL_SIZE.1 {
        return Line::raw("");
    }
    let index = match pane {
        Pane::Phases => 1,
        Pane::Items => 2,
        Pane::Detail => 3,
    };
    Line::raw(format!(" ←→ {index}/3 ")).right_aligned()
}

/// A bordered pane with a title; the focused one stands out.
pub(in crate::tui) fn pane_block<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .title(title.to_owned())
        .border_style(theme.border(focused))
}

/// The selected row: reversed in the focused pane, bold elsewhere.
fn selection_style(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub(in crate::tui) fn popup_area(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    area.centered(Constraint::Length(width), Constraint::Length(height))
}

#[cfg(test)]
mod tests;

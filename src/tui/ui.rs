//! Drawing: everything on screen comes from `&App`; nothing here changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Clear, HighlightSpacing, List, ListItem, ListState, Padding, Paragraph, Wrap,
};

use super::action::Action;
use super::app::{App, Change, Mode, Notice, Pane, PromptKind, ScanState};
use crate::checklist::{Checklist, ChecklistItem, Decider, Severity};
use crate::progress::ItemStatus;
use crate::project::Framework;
use crate::state::{SetBy, Status};

/// Below this the panes are shown one at a time.
pub const FULL_SIZE: (u16, u16) = (80, 24);
/// Below this nothing useful fits.
pub const MIN_SIZE: (u16, u16) = (40, 10);
/// Width of the item list when there is room: borders, the selection mark,
/// symbol, the longest id (26), severity and `manual+live`.
const ITEMS_WIDTH: u16 = 2 + 2 + 2 + 26 + 1 + 4 + 1 + 11;
/// Width of the phases pane.
const PHASES_WIDTH: u16 = 23;
/// The spinner shown while re-checking.
const SPINNER: [&str; 4] = ["⠋", "⠙", "⠹", "⠸"];
/// Marks the selected row, so selection shows without colour too.
const SELECTED: &str = "▶ ";

/// Where everything goes for the current terminal size.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub header: Rect,
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
    let [header, body, status, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let mut areas = Areas {
        header,
        status,
        footer,
        ..Areas::default()
    };
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

/// How many item rows the item list shows.
pub fn item_rows(app: &App) -> usize {
    // Header, status line and footer take a row each; the borders two more.
    usize::from(app.size.1.saturating_sub(5))
}

/// How many rows the selected item's detail takes at the detail pane's width.
pub fn detail_height(app: &App) -> usize {
    let width = detail_inner_width(app);
    Paragraph::new(detail_text(app))
        .wrap(Wrap { trim: false })
        .line_count(width)
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
        Mode::Normal | Mode::Filter(_) => {}
    }
}

/// Colours when allowed; the meaning is always carried by symbols and text too.
struct Theme {
    colour: bool,
}

impl Theme {
    fn fg(&self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    fn dim(&self) -> Style {
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

    fn severity(&self, severity: Severity) -> Style {
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

/// `preflight · name · django 5.0` on the left, progress on the right.
fn draw_header(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let progress = app.progress();
    let mut left = vec![
        Span::styled(" preflight", Style::new().add_modifier(Modifier::BOLD)),
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
    let left_width: usize = left.iter().map(Span::width).sum();
    let roomy = left_width + 34 <= usize::from(area.width);
    let (done, open) = if roomy {
        (
            format!("{}/{} done", progress.done(), progress.total()),
            format!("{critical} critical open "),
        )
    } else {
        (
            format!("{}/{}", progress.done(), progress.total()),
            format!("{critical} crit "),
        )
    };
    let right = Line::from(vec![
        Span::raw(done),
        Span::raw(" · "),
        Span::styled(open, critical_style),
    ]);
    let right_width = u16::try_from(right.width()).unwrap_or(area.width);
    let [left_area, _, right_area] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(right_width),
    ]));
    frame.render_widget(Line::from(left), left_area);
    frame.render_widget(right.right_aligned(), right_area);
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
            } else if p.due > 0 {
                format!("due {}", p.due)
            } else {
                format!("{}/{}", p.done, p.total)
            };
            // Borders, the selection mark and a margin on the right.
            let width = usize::from(area.width.saturating_sub(5));
            let label = format!("{} {short}", p.number);
            let pad = width
                .saturating_sub(label.chars().count() + count.chars().count())
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
            ListItem::new(Line::from(vec![
                Span::raw(label),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, style),
            ]))
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

/// One row of the item list, fitted to `width`.
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
    let change = match app.changes.get(&item.id) {
        Some(Change::Regressed) => " ↓ regressed",
        Some(Change::Fixed) => " ↑ fixed",
        None => "",
    };
    // Narrow lists drop the `how` column, then shorten the id.
    let fixed = 2 + 1 + 4 + 1;
    let show_how = width >= fixed + id_width + 1 + 10;
    let id_room = if show_how {
        id_width
    } else {
        width.saturating_sub(fixed).max(4)
    };
    let mut spans = vec![
        Span::styled(format!("{} ", code.symbol()), theme.status(code)),
        Span::raw(format!("{:<id_room$} ", truncate(&item.id, id_room))),
        Span::styled(
            format!("{:<4}", item.severity.short()),
            theme.severity(item.severity),
        ),
    ];
    if show_how {
        spans.push(Span::styled(format!(" {how}"), theme.dim()));
    }
    if !change.is_empty() && show_how {
        let style = if change.contains("regressed") {
            theme.fg(Color::Red)
        } else {
            theme.fg(Color::Green)
        };
        spans.push(Span::styled(change, style));
    }
    ListItem::new(Line::from(spans))
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

/// An RFC 3339 time as `23 Nov 2026 16:42 UTC`; anything else as it is.
fn readable_time(at: &str) -> String {
    at.parse::<jiff::Timestamp>().map_or_else(
        |_| at.to_owned(),
        |time| time.strftime("%-d %b %Y %H:%M UTC").to_string(),
    )
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
    let paragraph = Paragraph::new(detail_text_themed(app, theme))
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll, 0))
        .block(
            pane_block(&title, focused, theme)
                .title(pane_position(app, Pane::Detail))
                .padding(Padding::horizontal(1)),
        );
    frame.render_widget(paragraph, area);
}

/// The detail text without colour, for measuring.
fn detail_text(app: &App) -> Text<'static> {
    detail_text_themed(app, &Theme { colour: false })
}

/// The detail text of the selected item.
fn detail_text_themed(app: &App, theme: &Theme) -> Text<'static> {
    let Some(item) = app.selected_item() else {
        return Text::from("Nothing selected.");
    };
    let progress = app.progress();
    let status = status_of(&progress.items, item);
    let code = status.map_or(Status::Todo, |s| s.status);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let headline = if code == Status::Failing {
        &item.problem
    } else {
        &item.title
    };
    let mut lines = vec![
        Line::styled(headline.clone(), bold),
        Line::raw(""),
        Line::from(vec![
            Span::styled(
                format!("{} {}", code.symbol(), super::app::status_word(code)),
                theme.status(code),
            ),
            Span::raw(" · "),
            Span::styled(
                item.severity.as_str().to_owned(),
                theme.severity(item.severity),
            ),
            Span::raw(format!(" · {}", item.how_label())),
        ]),
    ];
    if let Some(status) = status {
        lines.extend(record_lines(app, item, status, theme));
    }
    // Evidence first: for a failing item, where to look matters most.
    lines.extend(evidence_lines(app, item, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Why", bold));
    let width = detail_inner_width(app);
    lines.extend(prose_lines(&item.why, width, theme));
    lines.push(Line::raw(""));
    let framework = app.framework();
    let fix_label = if framework == Framework::Unknown {
        "Fix".to_owned()
    } else {
        format!("Fix ({})", framework.display_name())
    };
    lines.push(Line::styled(fix_label, bold));
    lines.extend(prose_lines(item.fix.for_framework(framework), width, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(how_hint(item), theme.dim()));
    Text::from(lines)
}

/// Checklist prose as lines for a pane `width` wide: an indented line is code,
/// keeps its indentation and is cut at the width rather than between words.
fn prose_lines(text: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(8);
    let mut lines = Vec::new();
    for line in text.trim_matches('\n').lines() {
        let Some(code) = line.strip_prefix("    ") else {
            lines.push(Line::raw(line.to_owned()));
            continue;
        };
        // Two columns of indent are enough in a narrow pane.
        let chars: Vec<char> = code.chars().collect();
        for chunk in chars.chunks(width - 2) {
            let chunk: String = chunk.iter().collect();
            lines.push(Line::styled(format!("  {chunk}"), theme.fg(Color::Cyan)));
        }
    }
    lines
}

/// Who set the status and when, the reason, and what the last re-check changed.
fn record_lines(
    app: &App,
    item: &ChecklistItem,
    status: &ItemStatus<'_>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(record) = status.record {
        let who = match record.by {
            SetBy::Auto => "By the scanner",
            SetBy::User => "By you",
        };
        lines.push(Line::styled(
            format!("{who} · {}", readable_time(&record.at)),
            theme.dim(),
        ));
        if let Some(reason) = &record.reason {
            lines.push(Line::raw(format!("Reason: {reason}")));
        }
    }
    if status.due {
        lines.push(Line::styled(
            "Due again: its period has run out since it was last done.",
            theme.fg(Color::Yellow),
        ));
    }
    match app.changes.get(&item.id) {
        Some(Change::Regressed) => lines.push(Line::styled(
            "Regressed: it passed before this re-check.",
            theme.fg(Color::Red),
        )),
        Some(Change::Fixed) => lines.push(Line::styled(
            "Fixed since the last check.",
            theme.fg(Color::Green),
        )),
        None => {}
    }
    lines
}

/// `Evidence:` with file:line and the source line, when the scanner gave any.
fn evidence_lines(app: &App, item: &ChecklistItem, theme: &Theme) -> Vec<Line<'static>> {
    let findings: Vec<_> = app.findings.iter().filter(|f| f.item == item.id).collect();
    let mut lines = Vec::new();
    if !findings.is_empty() {
        for finding in findings {
            let place = match (&finding.file, finding.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                (None, _) => "(missing from the project)".to_owned(),
            };
            lines.push(Line::raw(format!("  {place}")));
            if let Some(evidence) = &finding.evidence {
                lines.push(Line::styled(
                    format!("    {evidence}"),
                    theme.fg(Color::Yellow),
                ));
            }
        }
    } else if let Some(record) = app.state.items.get(&item.id) {
        for evidence in &record.evidence {
            let place = evidence.line.map_or(evidence.file.clone(), |line| {
                format!("{}:{line}", evidence.file)
            });
            lines.push(Line::raw(format!("  {place}")));
        }
    }
    if !lines.is_empty() {
        lines.insert(0, Line::raw(""));
        lines.insert(
            1,
            Line::styled("Evidence", Style::new().add_modifier(Modifier::BOLD)),
        );
    }
    lines
}

/// How the item gets decided, and so what the user can do about it.
fn how_hint(item: &ChecklistItem) -> String {
    if !item.user_can_mark_done() {
        return "Decided by the scanner: fix it and press r to re-check, or skip it (s) with a \
                reason."
            .to_owned();
    }
    let first = item.how.first().copied().unwrap_or(Decider::Manual);
    match first {
        Decider::Auto | Decider::Gen => {
            "Checked by the scanner and by generated files; mark it done (space) when it is met."
                .to_owned()
        }
        Decider::Live => {
            "Checked against the live site by `preflight verify URL`; mark it done (space) once \
             verified."
                .to_owned()
        }
        Decider::Manual => "Yours to decide: mark it done (space) when it is.".to_owned(),
        Decider::Recurring => format!(
            "A recurring task: mark it done (space) each time; it falls due again after {} days.",
            item.period_days.unwrap_or(0)
        ),
    }
}

/// The line above the footer: a message, the filter being typed, or the re-check state.
fn draw_status(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    if let Mode::Filter(input) = &app.mode {
        let prefix = " filter: /";
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
    let line = match &app.notice {
        Some(Notice::Info(text)) => Line::styled(format!(" {text}"), theme.fg(Color::Green)),
        Some(Notice::Warning(text)) => Line::styled(
            format!(" ! {text}"),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        Some(Notice::Error(text)) => Line::styled(
            format!(" ✘ {text}"),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        None => scan_line(app, theme),
    };
    frame.render_widget(line, area);
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
            Line::styled(format!(" last checked {}", readable_time(at)), theme.dim())
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
    let pair = |s: &str, d: &str| (s.to_owned(), d.to_owned());
    match &app.mode {
        Mode::Prompt(_) => vec![pair("enter", "save"), pair("esc", "cancel")],
        Mode::Filter(_) => vec![pair("enter", "keep filter"), pair("esc", "clear filter")],
        Mode::Help { .. } => vec![pair("↑↓", "scroll"), pair("esc", "close")],
        Mode::Normal => {
            let keys = |action: &Action| app.keymap.label(app.screen, action);
            let mut hints = vec![
                (
                    combined(app, &Action::MoveUp, &Action::MoveDown),
                    "move".to_owned(),
                ),
                (
                    combined(app, &Action::PrevPane, &Action::NextPane),
                    "pane".to_owned(),
                ),
                (first_key(&keys(&Action::MarkDone)), "done".to_owned()),
                (first_key(&keys(&Action::Skip)), "skip".to_owned()),
                (first_key(&keys(&Action::NotApplicable)), "n/a".to_owned()),
                (first_key(&keys(&Action::Todo)), "todo".to_owned()),
                (first_key(&keys(&Action::Filter)), "filter".to_owned()),
                (first_key(&keys(&Action::Recheck)), "re-check".to_owned()),
                (first_key(&keys(&Action::Help)), "help".to_owned()),
            ];
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

/// The help overlay's lines: every binding, then notes.
fn help_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Action::BINDABLE
        .iter()
        .map(|action| {
            let keys = app.keymap.label(app.screen, action);
            Line::from(vec![
                Span::styled(
                    format!(" {keys:<22}"),
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
fn draw_help(frame: &mut Frame<'_>, app: &App, theme: &Theme, scroll: u16) {
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
fn draw_prompt(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
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
fn draw_too_small(frame: &mut Frame<'_>, app: &App) {
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
fn pane_block<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
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
fn popup_area(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    area.centered(Constraint::Length(width), Constraint::Length(height))
}

#[cfg(test)]
mod tests;

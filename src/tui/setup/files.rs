//! Step 4, Files: every file `generate::plan` returns, its state, a tick,
//! and the diff; Enter writes the ticked ones with `generate`'s no-clobber
//! rules, asking before it replaces a file that differs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Padding, Paragraph, Wrap};

use super::fit;
use crate::generate::{self, Action as FileAction, FileKind, Written};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Notice, Screen, one_line};
use crate::tui::ui::{FULL_SIZE, Theme, pane_block};

/// The files a platform needs, ticked when the step opens: `generate`'s
/// platform table, without `.env` (the Secrets step writes it).
pub fn platform_files(platform: &str) -> Vec<FileKind> {
    generate::platform::default_kinds(platform)
        .into_iter()
        .filter(|kind| *kind != FileKind::Env)
        .collect()
}

/// One file of the plan.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub kind: FileKind,
    /// What writing would do with it.
    pub action: FileAction,
    /// It differs, and preflight wrote it before: the user edited it since.
    pub edited: bool,
    pub ticked: bool,
    /// The unified diff, secrets masked.
    pub diff: String,
    /// What the last write did with it.
    pub outcome: Option<String>,
}

impl FileRow {
    /// The state in words.
    pub fn state(&self) -> &'static str {
        match self.action {
            FileAction::Create => "new",
            FileAction::Unchanged => "unchanged",
            FileAction::Update if self.kind.is_merged() => "adds keys",
            FileAction::Update => "update (yours, unedited)",
            FileAction::SkipDiffers if self.edited => "edited by you",
            FileAction::SkipDiffers => "differs",
        }
    }
}

/// The Files step's state.
#[derive(Debug, Default)]
pub struct FilesStep {
    pub rows: Vec<FileRow>,
    pub selected: usize,
    /// The diff pane has the keys.
    pub diff_focus: bool,
    pub scroll: u16,
    /// Files that differ, still to be asked about before writing (first: now).
    pub asking: Vec<FileKind>,
    /// Answered no: left as they are.
    pub declined: Vec<FileKind>,
    /// What `generate::advice` says for the ticked files.
    pub advice: Vec<String>,
}

/// Plans every file again (the disk may have changed), keeping the ticks.
pub fn build(app: &mut App) {
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    let plan = match generate::plan(&report.project, answers, &app.state, &FileKind::ALL, false) {
        Ok(plan) => plan,
        Err(err) => {
            app.notice = Some(Notice::Error(one_line(&err)));
            return;
        }
    };
    let preselect = platform_files(answers.get("platform"));
    let previous = std::mem::take(&mut app.setup.files.rows);
    let rows: Vec<FileRow> = plan
        .files
        .iter()
        .map(|file| {
            let before = previous.iter().find(|r| r.kind == file.kind);
            FileRow {
                kind: file.kind,
                action: file.action.clone(),
                edited: file.action == FileAction::SkipDiffers
                    && app.state.generated.contains_key(file.kind.file_name()),
                ticked: before.map_or_else(
                    || preselect.contains(&file.kind) && file.action != FileAction::Unchanged,
                    |r| r.ticked,
                ),
                diff: file.diff(),
                outcome: before.and_then(|r| r.outcome.clone()),
            }
        })
        .collect();
    let step = &mut app.setup.files;
    step.selected = if previous.is_empty() {
        rows.iter().position(|r| r.ticked).unwrap_or(0)
    } else {
        step.selected.min(rows.len().saturating_sub(1))
    };
    step.rows = rows;
    step.asking.clear();
    step.declined.clear();
    refresh_advice(app);
}

/// `generate::advice` for the ticked files.
fn refresh_advice(app: &mut App) {
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    let ticked = ticked(app);
    app.setup.files.advice = generate::advice(report, answers, &ticked);
}

fn ticked(app: &App) -> Vec<FileKind> {
    app.setup
        .files
        .rows
        .iter()
        .filter(|r| r.ticked)
        .map(|r| r.kind)
        .collect()
}

/// One action on the step.
pub fn update(app: &mut App, action: &Action) {
    if !app.setup.files.asking.is_empty() {
        match action {
            Action::Reply(yes) => reply(app, *yes),
            Action::Cancel => {
                app.setup.files.asking.clear();
                app.notice = Some(Notice::Info("nothing written".into()));
            }
            _ => {}
        }
        return;
    }
    let page = i32::from(
        crate::tui::ui::layout(app)
            .body
            .height
            .saturating_sub(4)
            .max(1),
    );
    let len = app.setup.files.rows.len();
    let selected = app.setup.files.selected;
    match action {
        Action::NextField | Action::PrevField | Action::NextPane | Action::PrevPane => {
            app.setup.files.diff_focus = !app.setup.files.diff_focus;
        }
        Action::MoveDown | Action::MoveUp if app.setup.files.diff_focus => {
            scroll(
                app,
                if matches!(action, Action::MoveDown) {
                    1
                } else {
                    -1
                },
            );
        }
        Action::PageDown => scroll(app, page),
        Action::PageUp => scroll(app, -page),
        Action::Wheel(_, _, down) => scroll(app, if *down { 3 } else { -3 }),
        Action::MoveDown => select(app, (selected + 1).min(len.saturating_sub(1))),
        Action::MoveUp => select(app, selected.saturating_sub(1)),
        Action::First => select(app, 0),
        Action::Last => select(app, len.saturating_sub(1)),
        Action::Toggle => toggle(app, app.setup.files.selected),
        Action::Confirm => confirm(app),
        Action::Cancel => super::back(app),
        Action::Click(column, row) => click(app, *column, *row),
        _ => {}
    }
}

fn select(app: &mut App, index: usize) {
    app.setup.files.selected = index;
    app.setup.files.scroll = 0;
}

fn scroll(app: &mut App, delta: i32) {
    let step = &mut app.setup.files;
    let lines = step
        .rows
        .get(step.selected)
        .map_or(0, |r| r.diff.lines().count());
    let max = i32::try_from(lines.saturating_sub(1)).unwrap_or(i32::MAX);
    let scrolled = (i32::from(step.scroll) + delta).clamp(0, max.max(0));
    step.scroll = u16::try_from(scrolled).unwrap_or(0);
}

fn toggle(app: &mut App, index: usize) {
    if let Some(row) = app.setup.files.rows.get_mut(index) {
        row.ticked = !row.ticked;
    }
    refresh_advice(app);
}

/// Enter: ask about each ticked file that differs, then write.
fn confirm(app: &mut App) {
    if app.setup.writing.is_some() {
        app.notice = Some(Notice::Info("already writing…".into()));
        return;
    }
    let step = &mut app.setup.files;
    step.declined.clear();
    step.asking = step
        .rows
        .iter()
        .filter(|r| r.ticked && r.action == FileAction::SkipDiffers)
        .map(|r| r.kind)
        .collect();
    if step.asking.is_empty() {
        write(app);
    } else {
        point_at_asked(app);
    }
}

/// Selects the file being asked about, so its diff shows.
fn point_at_asked(app: &mut App) {
    let step = &mut app.setup.files;
    if let Some(kind) = step.asking.first()
        && let Some(index) = step.rows.iter().position(|r| r.kind == *kind)
    {
        step.selected = index;
        step.scroll = 0;
    }
}

/// y or n to replacing the file asked about.
fn reply(app: &mut App, yes: bool) {
    let step = &mut app.setup.files;
    if step.asking.is_empty() {
        return;
    }
    let kind = step.asking.remove(0);
    if !yes {
        step.declined.push(kind);
    }
    if step.asking.is_empty() {
        write(app);
    } else {
        point_at_asked(app);
    }
}

/// Plans the ticked files (those answered no left out, those answered yes
/// forced, after a backup) and writes them on the worker.
fn write(app: &mut App) {
    let declined = app.setup.files.declined.clone();
    let kinds: Vec<FileKind> = ticked(app)
        .into_iter()
        .filter(|kind| !declined.contains(kind))
        .collect();
    for kind in &declined {
        if let Some(row) = app.setup.files.rows.iter_mut().find(|r| r.kind == *kind) {
            row.outcome = Some("kept yours".into());
        }
    }
    if kinds.is_empty() {
        app.setup.log.push("Files: nothing written".into());
        super::go_step(app, Screen::Checklist);
        app.notice = Some(Notice::Info("no file ticked: nothing written".into()));
        return;
    }
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    match generate::plan(&report.project, answers, &app.state, &kinds, true) {
        Ok(plan) => {
            app.setup.writing = Some(Screen::Files);
            app.push_effect(Effect::Write(Box::new(plan)));
            app.notice = Some(Notice::Info(format!("writing {} files…", kinds.len())));
        }
        Err(err) => app.notice = Some(Notice::Error(one_line(&err))),
    }
}

/// The files were written: each outcome listed, then the checklist, re-checked.
pub fn wrote(app: &mut App, written: &[Written]) {
    let mut summary = Vec::new();
    for file in written {
        let mut line = format!("{} {}", file.action.done_label(), file.kind.file_name());
        if let Some(backup) = &file.backup {
            line = format!("{line} (backup: {backup})");
        }
        if let Some(row) = app
            .setup
            .files
            .rows
            .iter_mut()
            .find(|r| r.kind == file.kind)
        {
            row.outcome = Some(line.clone());
        }
        app.setup.log.push(line.clone());
        summary.push(line);
    }
    for kind in &app.setup.files.declined {
        let line = format!("kept yours {}", kind.file_name());
        app.setup.log.push(line.clone());
        summary.push(line);
    }
    super::go_step(app, Screen::Checklist);
    app.start_recheck();
    let summary = format!(
        "wrote {} file{}: {}",
        written.iter().filter(|w| w.action.writes()).count(),
        if written.iter().filter(|w| w.action.writes()).count() == 1 {
            ""
        } else {
            "s"
        },
        summary.join(" · ")
    );
    app.notice = Some(Notice::Info(summary.clone()));
    // The re-check's own line follows this one when it reports.
    app.setup.pending = Some(summary);
}

/// The list and diff areas for the body: side by side when wide, else
/// stacked; one of them below the full size.
fn areas(app: &App, body: Rect) -> (Option<Rect>, Option<Rect>) {
    let (width, height) = app.size;
    if width < FULL_SIZE.0 || height < FULL_SIZE.1 {
        return if app.setup.files.diff_focus {
            (None, Some(body))
        } else {
            (Some(body), None)
        };
    }
    let rows = u16::try_from(app.setup.files.rows.len()).unwrap_or(8);
    if width >= 110 {
        let [list, diff] = body.layout(&Layout::horizontal([
            Constraint::Length(54),
            Constraint::Fill(1),
        ]));
        (Some(list), Some(diff))
    } else {
        let advice: usize = app
            .setup
            .files
            .advice
            .iter()
            .map(|n| n.lines().count() + 1)
            .sum();
        let advice = u16::try_from(advice.min(8)).unwrap_or(8);
        let [list, diff] = body.layout(&Layout::vertical([
            Constraint::Length(rows + 2 + advice),
            Constraint::Fill(1),
        ]));
        (Some(list), Some(diff))
    }
}

/// A click on a row selects it; on its checkbox it also ticks it.
fn click(app: &mut App, column: u16, row: u16) {
    let body = crate::tui::ui::layout(app).body;
    let (list, diff) = areas(app, body);
    let point = ratatui::layout::Position::new(column, row);
    if let Some(list) = list.filter(|a| a.contains(point)) {
        app.setup.files.diff_focus = false;
        if row > list.y {
            let index = usize::from(row - list.y - 1);
            if index < app.setup.files.rows.len() {
                select(app, index);
                // The checkbox: `▶ [x] ` after the border.
                if column >= list.x + 3 && column <= list.x + 5 {
                    toggle(app, index);
                }
            }
        }
    } else if diff.is_some_and(|a| a.contains(point)) {
        app.setup.files.diff_focus = true;
    }
}

/// Draws the list (with the advice) and the selected file's diff.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.files;
    let (list, diff) = areas(app, area);
    if let Some(list) = list {
        let block = pane_block(
            " Files · space ticks · enter writes ",
            !step.diff_focus,
            theme,
        );
        let inner = block.inner(list);
        let width = usize::from(inner.width);
        let mut lines = Vec::new();
        for (index, row) in step.rows.iter().enumerate() {
            let selected = index == step.selected;
            let tick = if row.ticked { "[x]" } else { "[ ]" };
            let state = row
                .outcome
                .clone()
                .unwrap_or_else(|| row.state().to_owned());
            let text = format!(
                "{}{tick} {:<17} {state}",
                if selected { "▶ " } else { "  " },
                row.kind.file_name()
            );
            let style = if selected && !step.diff_focus {
                Style::new().add_modifier(Modifier::REVERSED)
            } else if selected {
                Style::new().add_modifier(Modifier::BOLD)
            } else if row.action == FileAction::SkipDiffers {
                theme.fg(Color::Yellow)
            } else {
                Style::new()
            };
            lines.push(Line::styled(fit(&text, width), style));
        }
        for note in &step.advice {
            lines.push(Line::raw(""));
            for (n, part) in note.lines().enumerate() {
                let prefix = if n == 0 { "! " } else { "" };
                lines.push(Line::styled(
                    format!("{prefix}{}", part.trim_start()),
                    theme.fg(Color::Yellow),
                ));
            }
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            list,
        );
    }
    if let Some(diff) = diff {
        draw_diff(frame, app, theme, diff);
    }
    if let Some(kind) = step.asking.first() {
        draw_question(frame, app, theme, *kind);
    }
}

/// The selected file's diff, coloured when allowed (the +/- carry it anyway).
fn draw_diff(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.files;
    let row = step.rows.get(step.selected);
    let title = row.map_or(" Diff ".to_owned(), |r| {
        format!(" {} · diff · pgup/pgdn ", r.kind.file_name())
    });
    let text: Vec<Line<'static>> = match row {
        Some(row) if row.diff.is_empty() => vec![Line::styled(
            "No difference: the file already holds exactly this.",
            theme.dim(),
        )],
        Some(row) => row
            .diff
            .lines()
            .map(|line| {
                let style = if line.starts_with("+++") || line.starts_with("---") {
                    super::bold()
                } else if line.starts_with('+') {
                    theme.fg(Color::Green)
                } else if line.starts_with('-') {
                    theme.fg(Color::Red)
                } else if line.starts_with("@@") {
                    theme.fg(Color::Cyan)
                } else {
                    Style::new()
                };
                Line::styled(line.to_owned(), style)
            })
            .collect(),
        None => vec![Line::raw("generate has nothing to write here.")],
    };
    frame.render_widget(
        Paragraph::new(text)
            .scroll((step.scroll, 0))
            .block(pane_block(&title, step.diff_focus, theme).padding(Padding::horizontal(1))),
        area,
    );
}

/// Replace a file that differs? Asked over the screen.
fn draw_question(frame: &mut Frame<'_>, app: &App, theme: &Theme, kind: FileKind) {
    let status = crate::tui::ui::layout(app).status;
    let line = Line::styled(
        format!(
            " ? {} differs: y replaces it (backup in .preflight/backups/), n keeps yours",
            kind.file_name()
        ),
        theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
    );
    frame.render_widget(ratatui::widgets::Clear, status);
    frame.render_widget(line, status);
}

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
    /// Why it cannot be planned (a folder where the file goes), if so.
    pub problem: Option<String>,
}

impl FileRow {
    /// The state in words.
    pub fn state(&self) -> &'static str {
        if self.problem.is_some() {
            return "✘ cannot be written (see why)";
        }
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
    /// After a write: what happened to each file, shown until Enter continues.
    pub results: Option<Vec<Outcome>>,
    /// Files that could not even be planned for the write under way, with why.
    pub plan_failed: Vec<(FileKind, String)>,
}

/// What writing did with one file, for the list shown after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub kind: FileKind,
    /// `✔` written, `=` unchanged, `–` kept as it was, `✘` failed.
    pub symbol: &'static str,
    /// In words, with the backup's path or the error.
    pub text: String,
}

impl Outcome {
    /// The outcome of a file `generate::apply` handled.
    fn of(file: &Written) -> Outcome {
        let (symbol, text) = match (&file.action, &file.backup) {
            (FileAction::Create, _) => ("✔", "written (new)".to_owned()),
            (FileAction::Update, Some(backup)) => {
                ("✔", format!("replaced; yours was backed up to {backup}"))
            }
            (FileAction::Update, None) if file.kind.is_merged() => {
                ("✔", "keys added; every line of yours kept".to_owned())
            }
            (FileAction::Update, None) => (
                "✔",
                "updated (preflight wrote it and nobody edited it since)".to_owned(),
            ),
            (FileAction::Unchanged, _) => ("=", "unchanged: it already holds this".to_owned()),
            (FileAction::SkipDiffers, _) => {
                ("–", "kept as it is: it differs from preflight's".to_owned())
            }
        };
        Outcome {
            kind: file.kind,
            symbol,
            text,
        }
    }

    /// A file the user kept by answering n.
    fn declined(kind: FileKind) -> Outcome {
        Outcome {
            kind,
            symbol: "–",
            text: "kept yours: it differs, and you answered n (nothing written)".to_owned(),
        }
    }

    /// A file that could not be written, with why.
    fn failed(kind: FileKind, why: &str) -> Outcome {
        let why = match why.split_once("\n  hint: ") {
            Some((cause, hint)) => format!("{} ({})", cause.replace('\n', " "), hint.trim()),
            None => why.replace('\n', " "),
        };
        Outcome {
            kind,
            symbol: "✘",
            text: format!("failed: {}", super::in_wizard(&why)),
        }
    }

    /// The short form for the file's row.
    pub fn short(&self) -> String {
        let word = match self.symbol {
            "✔" if self.text.starts_with("replaced") => "replaced (backup kept)",
            "✔" => "written",
            "=" => "unchanged",
            "–" => "kept yours",
            _ => "failed",
        };
        format!("{} {word}", self.symbol)
    }

    /// The line for the Summary's log.
    pub fn log_line(&self) -> String {
        format!("{} {}: {}", self.symbol, self.kind.file_name(), self.text)
    }
}

/// Plans every file again (the disk may have changed), keeping the ticks.
/// A file that cannot be planned (a folder in its way) gets a row that says
/// why, and the others are planned as usual.
pub fn build(app: &mut App) {
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    let planned: Vec<(FileKind, Result<generate::PlannedFile, String>)> =
        match generate::plan(&report.project, answers, &app.state, &FileKind::ALL, false) {
            Ok(plan) => plan.files.into_iter().map(|f| (f.kind, Ok(f))).collect(),
            Err(_) => FileKind::ALL
                .into_iter()
                .filter_map(|kind| {
                    match generate::plan(&report.project, answers, &app.state, &[kind], false) {
                        Ok(plan) => plan.files.into_iter().next().map(|f| (kind, Ok(f))),
                        Err(err) => Some((kind, Err(super::in_wizard(&one_line(&err))))),
                    }
                })
                .collect(),
        };
    let preselect = platform_files(answers.get("platform"));
    let previous = std::mem::take(&mut app.setup.files.rows);
    let rows: Vec<FileRow> = planned
        .into_iter()
        .map(|(kind, file)| {
            let before = previous.iter().find(|r| r.kind == kind);
            let (action, diff, problem) = match file {
                Ok(file) => (file.action.clone(), file.diff(), None),
                Err(why) => (FileAction::SkipDiffers, String::new(), Some(why)),
            };
            FileRow {
                kind,
                edited: action == FileAction::SkipDiffers
                    && problem.is_none()
                    && app.state.generated.contains_key(kind.file_name()),
                ticked: before.map_or_else(
                    || preselect.contains(&kind) && action != FileAction::Unchanged,
                    |r| r.ticked,
                ),
                action,
                diff,
                outcome: before.and_then(|r| r.outcome.clone()),
                problem,
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
    app.setup.files.advice = generate::advice(report, answers, &ticked)
        .iter()
        .map(|note| super::in_wizard(note))
        .collect();
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
        Action::Toggle if app.setup.files.results.is_some() => app.setup.files.results = None,
        Action::Toggle => toggle(app, app.setup.files.selected),
        Action::Confirm if app.setup.files.results.is_some() => {
            app.setup.files.results = None;
            super::go_step(app, Screen::Checklist);
        }
        Action::Confirm => confirm(app),
        Action::Cancel => {
            app.setup.files.results = None;
            super::back(app);
        }
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
    app.setup.files.results = None;
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
        .filter(|r| r.ticked && r.action == FileAction::SkipDiffers && r.problem.is_none())
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
    if kinds.is_empty() {
        let results: Vec<Outcome> = declined.iter().map(|k| Outcome::declined(*k)).collect();
        app.notice = Some(Notice::Info(if results.is_empty() {
            "no file ticked: nothing written · space ticks one · enter again continues".into()
        } else {
            "nothing written: you kept yours · enter continues to the checklist".into()
        }));
        if results.is_empty() {
            app.setup.log.push("Files: nothing written".into());
            // A second Enter with nothing ticked continues.
            app.setup.files.results = Some(Vec::new());
        } else {
            show_results(app, results);
        }
        return;
    }
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    // Planned one by one when the whole fails, so one file in trouble (a
    // folder in its way) is listed as failed while the others are written.
    let mut failed = Vec::new();
    let plan = if let Ok(plan) = generate::plan(&report.project, answers, &app.state, &kinds, true)
    {
        plan
    } else {
        let mut whole: Option<generate::Plan> = None;
        for kind in &kinds {
            match generate::plan(&report.project, answers, &app.state, &[*kind], true) {
                Ok(one) => match &mut whole {
                    Some(plan) => {
                        plan.files.extend(one.files);
                        plan.env_generated.extend(one.env_generated);
                    }
                    None => whole = Some(one),
                },
                Err(err) => failed.push((*kind, format!("{err:#}"))),
            }
        }
        let Some(plan) = whole else {
            return wrote(app, &[], &failed);
        };
        plan
    };
    app.setup.files.plan_failed = failed;
    app.setup.writing = Some(Screen::Files);
    app.push_effect(Effect::Write(Box::new(plan)));
    app.notice = Some(Notice::Info(format!("writing {} files…", kinds.len())));
}

/// The files were written: each file's outcome is listed on this step until
/// Enter continues to the checklist, which is re-checked meanwhile.
pub fn wrote(app: &mut App, written: &[Written], failed: &[(FileKind, String)]) {
    let mut results: Vec<Outcome> = written.iter().map(Outcome::of).collect();
    results.extend(
        app.setup
            .files
            .declined
            .iter()
            .map(|k| Outcome::declined(*k)),
    );
    let planned = std::mem::take(&mut app.setup.files.plan_failed);
    results.extend(
        planned
            .iter()
            .map(|(kind, why)| Outcome::failed(*kind, why)),
    );
    results.extend(failed.iter().map(|(kind, why)| Outcome::failed(*kind, why)));
    // In the order of the rows.
    let order = |kind: &FileKind| FileKind::ALL.iter().position(|k| k == kind);
    results.sort_by_key(|r| order(&r.kind));
    let count = |symbol: &str| results.iter().filter(|r| r.symbol == symbol).count();
    let mut parts = vec![format!(
        "wrote {} file{}",
        count("✔"),
        if count("✔") == 1 { "" } else { "s" }
    )];
    if count("=") > 0 {
        parts.push(format!("{} unchanged", count("=")));
    }
    if count("–") > 0 {
        parts.push(format!("kept {} of yours", count("–")));
    }
    if count("✘") > 0 {
        parts.push(format!("{} failed", count("✘")));
    }
    let summary = parts.join(" · ");
    let shown = format!("{summary} · {CONTINUES}");
    let any_failed = count("✘") > 0;
    app.start_recheck();
    show_results(app, results);
    app.notice = Some(if any_failed {
        Notice::Warning(shown)
    } else {
        Notice::Info(shown)
    });
    // The re-check's own line comes before this one when it reports.
    app.setup.pending = Some(summary);
}

/// The hint under the outcomes of a write.
pub(super) const CONTINUES: &str = "enter continues to the checklist";

/// Lists `results` on the step (each row says its own), logged for the Summary.
fn show_results(app: &mut App, results: Vec<Outcome>) {
    build(app);
    for row in &mut app.setup.files.rows {
        row.outcome = None;
    }
    for result in &results {
        app.setup.log.push(result.log_line());
        if let Some(row) = app
            .setup
            .files
            .rows
            .iter_mut()
            .find(|r| r.kind == result.kind)
        {
            row.outcome = Some(result.short());
        }
    }
    app.setup.files.diff_focus = false;
    app.setup.files.results = Some(results);
}

/// The list and diff areas for the body: side by side when wide, else
/// stacked; one of them below the full size. After a write the outcomes take
/// the diff's place, and the whole body when stacked.
fn areas(app: &App, body: Rect) -> (Option<Rect>, Option<Rect>) {
    let (width, height) = app.size;
    let results = app.setup.files.results.is_some();
    if width < FULL_SIZE.0 || height < FULL_SIZE.1 {
        return if app.setup.files.diff_focus || results {
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
    } else if results {
        (None, Some(body))
    } else {
        // The diff always keeps a few lines, so its first hunk shows; the
        // notes of generate head it.
        let list_height = (rows + 2).min(body.height.saturating_sub(7).max(5));
        let [list, diff] = body.layout(&Layout::vertical([
            Constraint::Length(list_height),
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
            let height = usize::from(list.height.saturating_sub(2));
            let scroll = (app.setup.files.selected + 1).saturating_sub(height);
            let index = usize::from(row - list.y - 1) + scroll;
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
                .filter(|_| step.results.is_some())
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
        let stacked = app.size.0 < 110 && app.size.0 >= FULL_SIZE.0 && app.size.1 >= FULL_SIZE.1;
        for note in step
            .advice
            .iter()
            .filter(|_| step.results.is_none() && !stacked)
        {
            lines.push(Line::raw(""));
            for (n, part) in note.lines().enumerate() {
                let prefix = if n == 0 { "! " } else { "" };
                lines.push(Line::styled(
                    format!("{prefix}{}", part.trim_start()),
                    theme.fg(Color::Yellow),
                ));
            }
        }
        // Scrolled so the selected row shows when the pane is short.
        let height = usize::from(inner.height);
        let scroll = (step.selected + 1).saturating_sub(height);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((u16::try_from(scroll).unwrap_or(0), 0))
                .block(block),
            list,
        );
    }
    if let (Some(area), Some(results)) = (diff, &step.results) {
        draw_results(frame, theme, results, area);
    } else if let Some(diff) = diff {
        draw_diff(frame, app, theme, diff);
    }
    if let Some(kind) = step.asking.first() {
        draw_question(frame, app, theme, *kind);
    }
}

/// What the write did, one file a line (wrapped, never cut), and what Enter does next.
fn draw_results(frame: &mut Frame<'_>, theme: &Theme, results: &[Outcome], area: Rect) {
    let name_width = results
        .iter()
        .map(|r| r.kind.file_name().len())
        .max()
        .unwrap_or(8);
    let mut lines: Vec<Line<'static>> = results
        .iter()
        .map(|result| {
            let style = match result.symbol {
                "✔" => theme.fg(Color::Green),
                "✘" => theme.fg(Color::Red),
                "–" => theme.fg(Color::Yellow),
                _ => Style::new(),
            };
            Line::from(vec![
                ratatui::text::Span::styled(
                    format!(
                        "{} {:<name_width$}  ",
                        result.symbol,
                        result.kind.file_name()
                    ),
                    style,
                ),
                ratatui::text::Span::raw(result.text.clone()),
            ])
        })
        .collect();
    if results.is_empty() {
        lines.push(Line::raw("Nothing was ticked, so nothing was written."));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Enter continues to the checklist (re-checked with these files) · space goes back to \
         the list to tick more",
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            pane_block(" What was written · enter continues ", true, theme)
                .padding(Padding::horizontal(1)),
        ),
        area,
    );
}

/// The selected file's diff, coloured when allowed (the +/- carry it anyway).
fn draw_diff(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.files;
    let row = step.rows.get(step.selected);
    let title = row.map_or(" Diff ".to_owned(), |r| {
        format!(" {} · diff · pgup/pgdn ", r.kind.file_name())
    });
    let text: Vec<Line<'static>> = match row {
        Some(row) if row.problem.is_some() => vec![Line::styled(
            format!(
                "✘ preflight cannot write it: {}",
                row.problem.clone().unwrap_or_default()
            ),
            theme.fg(Color::Red),
        )],
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
    // Stacked, the list has no room left for generate's notes: they head the diff.
    let stacked = app.size.0 < 110 && app.size.0 >= FULL_SIZE.0 && app.size.1 >= FULL_SIZE.1;
    let mut text = text;
    if stacked
        && step.asking.is_empty()
        && !step.advice.is_empty()
        && row.is_some_and(|r| r.problem.is_none())
    {
        let width = usize::from(area.width.saturating_sub(4)).max(20);
        let mut notes: Vec<Line<'static>> = Vec::new();
        for note in &step.advice {
            let joined = note.lines().map(str::trim).collect::<Vec<_>>().join(" · ");
            for line in wrap(&format!("! {joined}"), width) {
                notes.push(Line::styled(line, theme.fg(Color::Yellow)));
            }
        }
        notes.push(Line::raw(""));
        notes.extend(text);
        text = notes;
    }
    let mut paragraph = Paragraph::new(text)
        .scroll((step.scroll, 0))
        .block(pane_block(&title, step.diff_focus, theme).padding(Padding::horizontal(1)));
    if row.is_some_and(|r| r.problem.is_some()) {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, area);
}

/// `text` in lines of at most `width` columns, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Replace a file that differs? Asked over the screen.
fn draw_question(frame: &mut Frame<'_>, app: &App, theme: &Theme, kind: FileKind) {
    let status = crate::tui::ui::layout(app).status;
    let line = Line::styled(
        format!(
            " ? {} differs: y replaces it (after a backup), n keeps yours",
            kind.file_name()
        ),
        theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
    );
    frame.render_widget(ratatui::widgets::Clear, status);
    frame.render_widget(line, status);
}

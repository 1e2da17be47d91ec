//! Step 6, Summary: progress per phase, what is still critical, what was
//! written, how secrets reach the platform; `e` exports the report, Enter
//! finishes setup.

use std::path::{Component, Path};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph, Wrap};
use tui_input::{Input, InputRequest};

use super::bold;
use crate::checklist::{Checklist, Decider, Severity};
use crate::state::{State, Status};
use crate::tui::action::Action;
use crate::tui::app::{App, Notice, one_line};
use crate::tui::ui::{Theme, pane_block};

/// The report's file name offered by `e`.
const DEFAULT_REPORT: &str = "preflight-report.md";

/// The Summary step's state.
#[derive(Debug, Default)]
pub struct SummaryStep {
    /// The report path being typed (`e`).
    pub export: Option<Input>,
    /// The suggested path is still selected: the first key typed replaces it
    /// (as in the Answers step), `←` `→` `Home` `End` keep it for editing.
    pub export_selected: bool,
    /// Why the path was refused.
    pub error: Option<String>,
    pub scroll: u16,
}

/// How secrets reach the platform, for the line under the Answers step's platform.
pub fn push_hint(platform: &str) -> &'static str {
    match platform {
        "fly" => "secrets: fly secrets import, only the secret lines (the Summary shows how)",
        "heroku" => "secrets: heroku config:set, only the secret lines (the Summary shows how)",
        "render" => "secrets: Render dashboard › Environment, one key each",
        "railway" => "secrets: Railway dashboard › Variables, one key each",
        "docker" => "secrets: docker run --env-file, never COPY .env into the image",
        _ => "secrets: a 0600 env file on the server, read with EnvironmentFile=",
    }
}

/// The production secrets: the variables of the project's secrets inventory
/// (never the rest of `.env`, which holds local values such as DEBUG=true).
pub fn production_keys(app: &App) -> Vec<String> {
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return Vec::new();
    };
    crate::secrets::inventory(&report.project, &answers.to_map())
        .into_iter()
        .map(|spec| spec.var)
        .collect()
}

/// The commands that give the platform the production secrets, and only
/// them, from `.env`; no value is ever printed (they pass through a pipe).
pub fn push_commands(platform: &str, keys: &[String]) -> Vec<String> {
    if keys.is_empty() {
        return vec!["none to push: this project reads no secret preflight knows of".into()];
    }
    let only = format!("grep -E '^({})=' .env", keys.join("|"));
    let names = keys.join(", ");
    match platform {
        "fly" => vec![format!("{only} | fly secrets import")],
        "heroku" => vec![format!("heroku config:set $({only})")],
        "render" => vec![format!(
            "Render dashboard › your service › Environment: add {names} (Secrets step: v shows, \
             c copies a value)"
        )],
        "railway" => vec![format!(
            "Railway dashboard › your service › Variables: add {names} (Secrets step: v shows, \
             c copies a value)"
        )],
        "docker" => vec![
            format!("docker run --env-file <({only}) …"),
            "never COPY .env into the image: everyone with the image has the secrets".into(),
        ],
        _ => vec![
            format!("{only} | ssh SERVER 'umask 077; cat > /etc/APP.env'"),
            "then EnvironmentFile=/etc/APP.env in the systemd unit".into(),
        ],
    }
}

/// One action on the step.
pub fn update(app: &mut App, action: &Action) {
    if app.setup.summary.export.is_some() {
        return update_export(app, action);
    }
    let step = &mut app.setup.summary;
    match action {
        Action::MoveDown | Action::Wheel(_, _, true) => step.scroll = step.scroll.saturating_add(1),
        Action::MoveUp | Action::Wheel(_, _, false) => step.scroll = step.scroll.saturating_sub(1),
        Action::PageDown => step.scroll = step.scroll.saturating_add(10),
        Action::PageUp => step.scroll = step.scroll.saturating_sub(10),
        Action::First => step.scroll = 0,
        Action::Export => {
            step.export = Some(Input::new(DEFAULT_REPORT.to_owned()));
            step.export_selected = true;
            step.error = None;
        }
        Action::Confirm => finish(app),
        Action::Cancel => super::back(app),
        Action::Recheck => app.start_recheck(),
        _ => {}
    }
}

/// Typing the report's path.
fn update_export(app: &mut App, action: &Action) {
    let step = &mut app.setup.summary;
    let Some(input) = step.export.as_mut() else {
        return;
    };
    match action {
        Action::Edit(request) => {
            step.error = None;
            if std::mem::take(&mut step.export_selected) {
                match request {
                    InputRequest::InsertChar(_) => *input = Input::default(),
                    InputRequest::DeletePrevChar
                    | InputRequest::DeleteNextChar
                    | InputRequest::DeletePrevWord
                    | InputRequest::DeleteNextWord
                    | InputRequest::DeleteLine => {
                        *input = Input::default();
                        return;
                    }
                    _ => {}
                }
            }
            input.handle(*request);
        }
        Action::Cancel => step.export = None,
        Action::Confirm => {
            let path = input.value().trim().to_owned();
            match export(app, &path) {
                Ok(message) => {
                    app.setup.summary.export = None;
                    app.setup.log.push(message.clone());
                    app.notice = Some(Notice::Info(message));
                }
                Err(err) => app.setup.summary.error = Some(one_line(&err)),
            }
        }
        _ => {}
    }
}

/// Writes `report`'s Markdown to `path`, inside the project.
fn export(app: &App, path: &str) -> anyhow::Result<String> {
    let rel = Path::new(path);
    if path.is_empty()
        || rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        anyhow::bail!(
            "the report is written inside the project\n  hint: a path such as {DEFAULT_REPORT} \
             or docs/review.md"
        );
    }
    let Some(report) = &app.setup.report else {
        anyhow::bail!("the scan has not finished yet\n  hint: wait for it, then press e again");
    };
    let target = app.root.join(rel);
    crate::cli::require_writable_target(&target)?;
    let built = crate::report::build(report, &app.state, app.now);
    let text = crate::report::render_markdown(&built);
    crate::fsutil::write_atomically(&target, text.as_bytes(), None)
        .map_err(|err| anyhow::anyhow!("cannot write {path}: {err:#}"))?;
    Ok(format!("exported the report to {path}"))
}

/// Enter: setup is finished; the next `preflight` opens the review.
fn finish(app: &mut App) {
    let result = State::update(&app.root, |state| {
        state.wizard.setup_done = true;
        state.wizard.step = None;
    });
    match result {
        Ok(state) => {
            app.state = state;
            app.exit_message = Some(format!(
                "Setup is finished. From now on `preflight {}` opens the pre-release review.",
                app.root.display()
            ));
            app.quit = true;
        }
        Err(err) => app.notice = Some(Notice::Error(format!("not saved: {}", one_line(&err)))),
    }
}

/// The next thing to do about an open item.
fn next_action(app: &App, id: &str, status: Status) -> String {
    let Some(item) = Checklist::get().item(id) else {
        return String::new();
    };
    if let Some(missing) = super::gen_missing(app, item) {
        return missing
            .split_once(": ")
            .map_or(missing.clone(), |(_, how)| how.to_owned());
    }
    if status == Status::Failing {
        let place = app
            .findings
            .get(id)
            .and_then(|found| found.kept.first())
            .and_then(|f| f.file.as_ref().map(|file| (file, f.line)));
        return match place {
            Some((file, Some(line))) => format!("fix {file}:{line}, then r re-checks"),
            Some((file, None)) => format!("fix {file}, then r re-checks"),
            None => "fix it (the checklist shows how), then r re-checks".into(),
        };
    }
    if matches!(
        id,
        "api-keys-generated" | "encryption-key-set" | "db-password-strong" | "webhook-secret-set"
    ) {
        return "the scan found no use for one: n on the checklist marks it n/a".into();
    }
    if item.how.contains(&Decider::Live) {
        let domain = app
            .setup
            .resolved
            .as_ref()
            .map_or("your-domain", |a| a.primary_domain());
        return format!("once deployed, v on the checklist verifies https://{domain}");
    }
    "do it, then mark it done on the checklist".into()
}

/// The step's text.
fn lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let progress = app.progress();
    let checklist = Checklist::get();
    // Done means done; skipped and not applicable items are waived, shown
    // apart and never as progress (as `status` counts them).
    let done = progress.count(Status::Done);
    let na = progress.count(Status::Na);
    let skipped = progress.count(Status::Skipped);
    let mut waived = Vec::new();
    if na > 0 {
        waived.push(format!("{na} n/a"));
    }
    if skipped > 0 {
        waived.push(format!("{skipped} skipped"));
    }
    let waived = if waived.is_empty() {
        String::new()
    } else {
        format!(" · waived: {}", waived.join(", "))
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("Progress ", bold()),
        Span::raw(format!(
            "{done} of {} done{waived} · {} critical open",
            progress.total(),
            progress.critical_open().count()
        )),
    ])];
    for phase in &progress.phases {
        let name = checklist
            .phase(phase.number)
            .map_or("", |p| p.name.as_str());
        let in_phase = || {
            progress
                .items
                .iter()
                .filter(move |s| s.item.phase == phase.number)
        };
        let phase_done = in_phase().filter(|s| s.status == Status::Done).count();
        let phase_waived = in_phase()
            .filter(|s| matches!(s.status, Status::Na | Status::Skipped))
            .count();
        let bar_width = 20usize;
        let filled = (phase_done * bar_width)
            .checked_div(phase.total)
            .unwrap_or(0);
        let waived_cells = (phase_waived * bar_width)
            .checked_div(phase.total)
            .unwrap_or(0)
            .min(bar_width - filled);
        lines.push(Line::raw(format!(
            "  {} {:<30} {:>2}/{:<2} {}{}{}{}",
            phase.number,
            super::fit(name, 30),
            phase_done,
            phase.total,
            "█".repeat(filled),
            "–".repeat(waived_cells),
            "·".repeat(bar_width - filled - waived_cells),
            if phase_waived > 0 {
                format!(" {phase_waived} waived")
            } else {
                String::new()
            }
        )));
    }
    lines.push(Line::raw(""));
    lines.extend(open_lines(app, theme, width));
    lines.push(Line::raw(""));
    lines.extend(written_lines(app, theme));
    lines
}

/// The critical and high items still open, each with its next action.
fn open_lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let progress = app.progress();
    let mut lines = Vec::new();
    let mut open: Vec<_> = progress
        .items
        .iter()
        .filter(|s| s.status.is_open() && s.item.severity >= Severity::High)
        .collect();
    // Critical first; failing before to do; checklist order within.
    open.sort_by_key(|s| {
        (
            std::cmp::Reverse(s.item.severity),
            s.status != Status::Failing,
        )
    });
    lines.push(Line::styled(
        format!("Still open, critical and high ({})", open.len()),
        bold(),
    ));
    let id_width = open
        .iter()
        .take(12)
        .map(|s| s.item.id.len())
        .max()
        .unwrap_or(0);
    for status in open.iter().take(12) {
        let head = format!(
            "  {} {:<4} {:<id_width$} ",
            status.status.symbol(),
            status.item.severity.short(),
            status.item.id
        );
        let rest = width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, theme.severity(status.item.severity)),
            Span::raw(super::fit(
                &next_action(app, &status.item.id, status.status),
                rest,
            )),
        ]));
    }
    if open.len() > 12 {
        lines.push(Line::styled(
            format!("  … and {} more on the checklist", open.len() - 12),
            theme.dim(),
        ));
    }
    lines
}

/// What was written, how secrets reach the platform, and what the keys do.
fn written_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Written in this session", bold())];
    if app.setup.log.is_empty() {
        lines.push(Line::styled("  nothing yet", theme.dim()));
    }
    for entry in &app.setup.log {
        lines.push(Line::raw(format!("  {entry}")));
    }
    lines.push(Line::raw(""));
    let platform = app
        .setup
        .resolved
        .as_ref()
        .map_or("fly", |a| a.get("platform"))
        .to_owned();
    let keys = production_keys(app);
    lines.push(Line::styled(
        format!("Secrets to {platform}, not into an image"),
        bold(),
    ));
    lines.push(Line::styled(
        "  only these: the rest of .env holds local values (DEBUG, hosts…)",
        theme.dim(),
    ));
    for command in push_commands(&platform, &keys) {
        lines.push(Line::styled(format!("  {command}"), theme.fg(Color::Cyan)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "e exports the report (Markdown) · enter finishes setup: later runs open the review",
        theme.dim(),
    ));
    lines
}

/// The rows the export prompt's refusal takes wrapped at `width` (a word-wrap
/// slack row included), at least the one row of its key hint, at most six.
fn error_rows(error: Option<&str>, width: u16) -> u16 {
    let Some(error) = error else {
        return 1;
    };
    let width = usize::from(width.saturating_sub(4)).max(1);
    let rows = (error.chars().count() + 2).div_ceil(width) + 1;
    u16::try_from(rows.min(6)).unwrap_or(6)
}

/// Draws the summary and the export prompt.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.summary;
    let (main, prompt) = if step.export.is_some() {
        let [main, prompt] = area.layout(&Layout::vertical([
            Constraint::Fill(1),
            // A refusal wraps: its hint and its cause both show.
            Constraint::Length(3 + error_rows(step.error.as_deref(), area.width)),
        ]));
        (main, Some(prompt))
    } else {
        (area, None)
    };
    let block = pane_block(" Summary · ↑↓ scrolls ", true, theme).padding(Padding::horizontal(1));
    let width = usize::from(block.inner(main).width);
    frame.render_widget(
        Paragraph::new(lines(app, theme, width))
            .wrap(Wrap { trim: false })
            .scroll((step.scroll, 0))
            .block(block),
        main,
    );
    let (Some(prompt), Some(input)) = (prompt, &step.export) else {
        return;
    };
    let block = pane_block(" Export the report to (inside the project) ", true, theme)
        .padding(Padding::horizontal(1));
    let inner = block.inner(prompt);
    frame.render_widget(block, prompt);
    let width = usize::from(inner.width.saturating_sub(2));
    let scroll = input.visual_scroll(width);
    let value: String = input.value().chars().skip(scroll).take(width).collect();
    let hint = step.error.as_ref().map_or_else(
        || Line::styled("enter exports · esc cancels", theme.dim()),
        |error| Line::styled(format!("✘ {error}"), theme.fg(Color::Red)),
    );
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled("> ", theme.fg(Color::Cyan)),
                Span::styled(
                    value,
                    Style::new().add_modifier(if step.export_selected {
                        Modifier::REVERSED
                    } else {
                        Modifier::UNDERLINED
                    }),
                ),
            ]),
            hint,
        ])
        .wrap(Wrap { trim: false }),
        inner,
    );
    let cursor = u16::try_from(input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
    frame.set_cursor_position((
        (inner.x + 2 + cursor).min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

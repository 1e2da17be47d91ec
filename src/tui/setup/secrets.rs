//! Step 3, Secrets: the inventory the project needs (`secrets::inventory`),
//! the values `generate` would put in `.env`, masked until revealed; Enter
//! writes `.env` through `generate::apply`, the same lossless merge as
//! `generate --only env`.

use std::fmt;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph, Wrap};
use tui_input::Input;

use super::{bold, fit};
use crate::generate::{self, FileKind, Plan, Written};
use crate::secrets::SecretKind;
use crate::state::State;
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Notice, Screen, one_line};
use crate::tui::ui::{Theme, pane_block};

/// One secret of the inventory.
#[derive(Clone)]
pub struct Row {
    /// The variable (`DJANGO_SECRET_KEY`).
    pub var: String,
    pub kind: SecretKind,
    /// What it is, for people.
    pub label: String,
    /// What goes in front of the value (`frontend-`), if anything.
    pub prefix: Option<String>,
    /// The value: the one `.env` has (kept), or the one it would get.
    value: String,
    /// `.env` already has this variable; it is kept, never replaced.
    pub kept: bool,
    /// Shown in clear (`v`).
    pub revealed: bool,
}

impl Row {
    /// How many characters the value has.
    pub fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// The value as drawn: masked unless revealed.
    pub fn shown(&self) -> String {
        if self.revealed {
            self.value.clone()
        } else if self.value.is_empty() {
            "(empty)".to_owned()
        } else {
            format!("••••••••  {} chars", self.len())
        }
    }
}

/// Never prints a value: a panic message or a log must not carry a secret.
impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Row")
            .field("var", &self.var)
            .field("kind", &self.kind)
            .field("kept", &self.kept)
            .field("value", &format_args!("<{} chars>", self.len()))
            .finish_non_exhaustive()
    }
}

/// The Secrets step's state.
#[derive(Default)]
pub struct SecretsStep {
    pub rows: Vec<Row>,
    pub selected: usize,
    /// What Enter writes: `generate`'s plan for `.env`, with these values.
    pub plan: Option<Plan>,
    /// The label of an API-key consumer being typed (`a`).
    pub adding: Option<Input>,
    /// Why the typed label was refused.
    pub error: Option<String>,
    /// What the secrets engine says about the existing `.env`.
    pub notes: Vec<String>,
    pub built: bool,
}

impl fmt::Debug for SecretsStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretsStep")
            .field("rows", &self.rows)
            .field("selected", &self.selected)
            .field("built", &self.built)
            .finish_non_exhaustive()
    }
}

/// The variable's value in a `.env` text, if it has one.
fn value_in(text: &str, var: &str) -> Option<String> {
    crate::envfile::parse(text)
        .ok()?
        .into_iter()
        .find(|entry| entry.key == var)
        .map(|entry| entry.value)
}

/// Plans `.env` again, keeping the values shown so far (all but `except`'s):
/// what the user saw, copied or revealed is what gets written.
fn replan(app: &App, except: Option<&str>) -> anyhow::Result<Plan> {
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        anyhow::bail!("the scan has not finished yet");
    };
    let mut plan = generate::plan(
        &report.project,
        answers,
        &app.state,
        &[FileKind::Env],
        false,
    )?;
    let previous = &app.setup.secrets.rows;
    if let Some(file) = plan.files.first_mut() {
        let fresh = file.new.clone();
        for (var, _) in &plan.env_generated {
            if Some(var.as_str()) == except {
                continue;
            }
            let Some(old) = previous.iter().find(|r| &r.var == var && !r.kept) else {
                continue;
            };
            if let Some(new) = value_in(&fresh, var).filter(|v| !v.is_empty())
                && !old.value.is_empty()
            {
                // Everywhere: a joined API_KEYS or a DATABASE_URL carries it too.
                file.new = file.new.replace(&new, &old.value);
            }
        }
    }
    Ok(plan)
}

/// Builds (or rebuilds) the rows from a fresh plan, keeping values shown before.
pub fn build(app: &mut App) {
    rebuild(app, None);
}

fn rebuild(app: &mut App, except: Option<&str>) {
    let plan = match replan(app, except) {
        Ok(plan) => plan,
        Err(err) => {
            app.notice = Some(Notice::Error(super::in_wizard(&one_line(&err))));
            app.setup.secrets.built = true;
            app.setup.secrets.plan = None;
            app.setup.secrets.rows.clear();
            return;
        }
    };
    let (Some(report), Some(answers)) = (&app.setup.report, &app.setup.resolved) else {
        return;
    };
    let specs = crate::secrets::inventory(&report.project, &answers.to_map());
    let Some(file) = plan.files.first() else {
        return;
    };
    let old = file.old.as_deref().unwrap_or("");
    let previous = std::mem::take(&mut app.setup.secrets.rows);
    let rows = specs
        .into_iter()
        .map(|spec| {
            let existing = value_in(old, &spec.var);
            let kept = existing.is_some();
            let value = existing
                .or_else(|| value_in(&file.new, &spec.var))
                .unwrap_or_default();
            let revealed = previous.iter().any(|r| r.var == spec.var && r.revealed);
            Row {
                var: spec.var,
                kind: spec.kind,
                label: spec.label,
                prefix: spec.prefix,
                value,
                kept,
                revealed,
            }
        })
        .collect::<Vec<_>>();
    let step = &mut app.setup.secrets;
    step.selected = step.selected.min(rows.len().saturating_sub(1));
    step.rows = rows;
    step.notes = plan.notes.iter().map(|n| super::in_wizard(n)).collect();
    step.plan = Some(plan);
    step.built = true;
}

/// One action on the step.
pub fn update(app: &mut App, action: &Action) {
    if app.setup.secrets.adding.is_some() {
        return update_adding(app, action);
    }
    let step = &mut app.setup.secrets;
    let len = step.rows.len();
    match action {
        Action::MoveDown | Action::NextField | Action::Wheel(_, _, true) => {
            step.selected = (step.selected + 1).min(len.saturating_sub(1));
        }
        Action::MoveUp | Action::PrevField | Action::Wheel(_, _, false) => {
            step.selected = step.selected.saturating_sub(1);
        }
        Action::First => step.selected = 0,
        Action::Last => step.selected = len.saturating_sub(1),
        Action::Reveal => {
            if let Some(row) = step.rows.get_mut(step.selected) {
                row.revealed = !row.revealed;
            }
        }
        Action::Regenerate => regenerate(app),
        Action::Copy => copy(app),
        Action::AddConsumer => {
            step.adding = Some(Input::default());
            step.error = None;
        }
        Action::Confirm => write(app),
        Action::Cancel => super::back(app),
        Action::Click(column, row) => click(app, *column, *row),
        Action::Recheck => {
            rebuild(app, None);
            app.notice = Some(Notice::Info(
                "read .env again: a line you deleted gets a new value".into(),
            ));
        }
        _ => {}
    }
}

/// A fresh value for the selected secret (not written until Enter).
fn regenerate(app: &mut App) {
    let step = &app.setup.secrets;
    let Some(row) = step.rows.get(step.selected) else {
        return;
    };
    if row.kept {
        app.notice = Some(Notice::Warning(format!(
            "{} is kept: .env already has a value and preflight never replaces it; for a new \
             one, delete its line from .env and press r here",
            row.var
        )));
        return;
    }
    let var = row.var.clone();
    rebuild(app, Some(&var));
    app.notice = Some(Notice::Info(format!(
        "a new value for {var} · enter writes .env"
    )));
}

/// Copies the selected value through OSC 52.
fn copy(app: &mut App) {
    let step = &app.setup.secrets;
    let Some(row) = step.rows.get(step.selected) else {
        return;
    };
    if row.is_empty() {
        app.notice = Some(Notice::Warning(format!("{} has no value to copy", row.var)));
        return;
    }
    let notice = format!(
        "copied {} via OSC 52: your terminal puts it on the clipboard, over SSH too (tmux \
         needs set-clipboard on)",
        row.var
    );
    app.push_effect(Effect::Clipboard(row.value.clone()));
    app.notice = Some(Notice::Info(notice));
}

/// Typing the label of a new API-key consumer.
fn update_adding(app: &mut App, action: &Action) {
    let step = &mut app.setup.secrets;
    let Some(input) = step.adding.as_mut() else {
        return;
    };
    match action {
        Action::Edit(request) => {
            input.handle(*request);
            step.error = None;
        }
        Action::Cancel => step.adding = None,
        Action::Confirm => {
            let label = input.value().trim().to_owned();
            add_consumer(app, &label);
        }
        _ => {}
    }
}

/// Adds `label` to the `api_consumers` answer (saved) and plans its key.
fn add_consumer(app: &mut App, label: &str) {
    let current = app
        .setup
        .resolved
        .as_ref()
        .map(|a| a.get("api_consumers").to_owned())
        .unwrap_or_default();
    let mut names: Vec<&str> = crate::answers::list(&current);
    names.retain(|n| !n.eq_ignore_ascii_case("none"));
    if label.is_empty() {
        app.setup.secrets.error = Some("type a name, such as frontend or mobile".into());
        return;
    }
    names.push(label);
    let value = match crate::answers::normalize("api_consumers", &names.join(",")) {
        Ok(value) => value,
        Err(problem) => {
            app.setup.secrets.error = Some(problem);
            return;
        }
    };
    match State::update(&app.root, |state| {
        state.answers.insert("api_consumers".into(), value);
    }) {
        Ok(state) => app.state = state,
        Err(err) => {
            app.setup.secrets.error = Some(format!("not saved: {}", one_line(&err)));
            return;
        }
    }
    app.setup.secrets.adding = None;
    super::resolve(app);
    rebuild(app, None);
    let added = app
        .setup
        .secrets
        .rows
        .iter()
        .position(|r| r.kind == SecretKind::ApiKey && r.label.contains(label));
    if let Some(index) = added {
        app.setup.secrets.selected = index;
        let var = app.setup.secrets.rows[index].var.clone();
        app.notice = Some(Notice::Info(format!(
            "{var}: an API key for {label} · enter writes .env"
        )));
    }
}

/// Enter: `.env` is written on the worker; Files follows when it reports.
fn write(app: &mut App) {
    if app.setup.writing.is_some() {
        app.notice = Some(Notice::Info("already writing…".into()));
        return;
    }
    let Some(plan) = app.setup.secrets.plan.clone() else {
        app.notice = Some(Notice::Warning(
            "nothing to write yet: the scan has not finished".into(),
        ));
        return;
    };
    app.setup.writing = Some(Screen::Secrets);
    app.push_effect(Effect::Write(Box::new(plan)));
    app.notice = Some(Notice::Info("writing .env…".into()));
}

/// `.env` was written: say what, and go on to Files.
pub fn wrote(app: &mut App, written: &[Written], failed: &[(FileKind, String)]) {
    if let Some((_, why)) = failed.first() {
        let why = why.replace("\n  hint: ", " · hint: ").replace('\n', " ");
        app.notice = Some(Notice::Error(format!(
            ".env not written: {}",
            super::in_wizard(&why)
        )));
        return;
    }
    let added: Vec<String> = app
        .setup
        .secrets
        .plan
        .as_ref()
        .map(|p| p.env_generated.iter().map(|(var, _)| var.clone()).collect())
        .unwrap_or_default();
    let gitignored = written.iter().any(|w| w.gitignored);
    let action = written
        .iter()
        .find(|w| w.kind == FileKind::Env)
        .map_or("unchanged", |w| w.action.done_label());
    let mut message = if added.is_empty() {
        format!(".env {action}: every secret was already there (kept)")
    } else {
        format!(
            ".env {action}: {} new secret{} ({}), mode 0600",
            added.len(),
            if added.len() == 1 { "" } else { "s" },
            added.join(", ")
        )
    };
    if gitignored {
        message.push_str(" · added .env to .gitignore");
    }
    app.setup.log.push(message.clone());
    app.setup.secrets.built = false;
    super::go_step(app, Screen::Files);
    build(app);
    app.notice = Some(Notice::Info(message));
}

/// What a secret-backed `gen` item stands for, as `.env` has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemSecret {
    /// Every secret it stands for has a value in `.env`.
    Present,
    /// These variables have no value in `.env` yet.
    Missing(String),
    /// The project needs no secret of this kind, so none was generated.
    NoneNeeded,
}

/// The secrets a secret-backed `gen` item stands for, and whether `.env` has
/// them; `None` for an item that is not about a secret (or before the scan).
pub fn item_secret(app: &App, id: &str) -> Option<ItemSecret> {
    let report = app.setup.report.as_ref()?;
    // In a review the answers are not resolved until a setup step opens.
    let answers = match &app.setup.resolved {
        Some(answers) => answers.to_map(),
        None => crate::answers::resolve(crate::answers::Layers {
            set: &std::collections::BTreeMap::new(),
            saved: &app.state.answers,
            project: &report.project,
            user: &app.setup.user,
        })
        .ok()?
        .to_map(),
    };
    let kinds: &[SecretKind] = match id {
        "secret-key-generated" => &[SecretKind::Django, SecretKind::Jwt],
        "api-keys-generated" => &[SecretKind::ApiKey],
        "encryption-key-set" => &[SecretKind::Fernet],
        "db-password-strong" => &[SecretKind::Password],
        _ => return None,
    };
    let env = std::fs::read_to_string(app.root.join(".env")).unwrap_or_default();
    let needed: Vec<String> = crate::secrets::inventory(&report.project, &answers)
        .into_iter()
        .filter(|spec| {
            kinds.contains(&spec.kind)
                || (id == "secret-key-generated" && spec.var.contains("SECRET_KEY"))
        })
        .map(|spec| spec.var)
        .collect();
    if needed.is_empty() {
        return Some(ItemSecret::NoneNeeded);
    }
    let missing: Vec<String> = needed
        .into_iter()
        .filter(|var| value_in(&env, var).is_none_or(|v| v.is_empty()))
        .collect();
    Some(if missing.is_empty() {
        ItemSecret::Present
    } else {
        ItemSecret::Missing(missing.join(", "))
    })
}

/// What satisfied a secret-backed `gen` item, from the state file's records.
pub fn satisfied_by(app: &App, id: &str) -> Option<String> {
    let kinds: &[&str] = match id {
        "secret-key-generated" => &["django", "jwt"],
        "api-keys-generated" => &["api-key"],
        "encryption-key-set" => &["fernet"],
        "db-password-strong" => &["password"],
        _ => return None,
    };
    let vars: Vec<&str> = app
        .state
        .secrets
        .iter()
        .filter(|(_, record)| kinds.contains(&record.kind.as_str()))
        .map(|(var, _)| var.as_str())
        .collect();
    (!vars.is_empty()).then(|| {
        format!(
            "{}: it generated {} into .env",
            super::done_by(app),
            vars.join(", ")
        )
    })
}

/// The list's area inside the body.
fn list_area(body: Rect) -> Rect {
    let [list, _] = body.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(7),
    ]));
    list
}

/// A click on a row selects it.
fn click(app: &mut App, column: u16, row: u16) {
    let area = list_area(crate::tui::ui::layout(app).body);
    if !area.contains(ratatui::layout::Position::new(column, row)) || row <= area.y + 1 {
        return;
    }
    let index = usize::from(row - area.y - 2);
    if index < app.setup.secrets.rows.len() {
        app.setup.secrets.selected = index;
    }
}

/// Draws the inventory, the selected row's detail and the label prompt.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.secrets;
    let list = list_area(area);
    let detail = Rect::new(area.x, list.bottom(), area.width, area.height - list.height);
    let block = pane_block(
        " Secrets · enter writes .env: its lines kept, keys added, mode 0600 ",
        true,
        theme,
    );
    let inner = block.inner(list);
    frame.render_widget(block, list);
    if !step.built {
        frame.render_widget(
            Line::styled(super::scanning_line(app), theme.fg(Color::Cyan)),
            inner,
        );
        return;
    }
    let width = usize::from(inner.width);
    let var_width = step
        .rows
        .iter()
        .map(|r| r.var.len())
        .max()
        .unwrap_or(8)
        .clamp(8, 28);
    let state_width = 22;
    let value_width = width
        .saturating_sub(2 + var_width + 1 + 9 + 1 + state_width + 1)
        .max(8);
    let mut lines = vec![Line::styled(
        format!(
            "  {:<var_width$} {:<9} {:<value_width$} {}",
            "VARIABLE", "KIND", "VALUE", "IN .env"
        ),
        theme.dim(),
    )];
    if step.rows.is_empty() {
        lines.push(Line::raw(
            "  This project reads no secret preflight knows of; a adds an API key.",
        ));
    }
    for (index, row) in step.rows.iter().enumerate() {
        let selected = index == step.selected;
        let marker = if selected { "▶ " } else { "  " };
        let status = if row.kept && row.is_empty() {
            "kept, but empty!"
        } else if row.kept {
            "kept (has a value)"
        } else {
            "new: enter writes it"
        };
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{marker}{:<var_width$} {:<9} ",
                    fit(&row.var, var_width),
                    row.kind.as_str()
                ),
                style,
            ),
            Span::styled(
                format!("{:<value_width$}", fit(&row.shown(), value_width)),
                style,
            ),
            Span::styled(
                format!(" {status}"),
                if row.kept {
                    theme.dim()
                } else {
                    theme.fg(Color::Green)
                },
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    draw_detail(frame, app, theme, detail);
}

/// The selected secret's label and format, the notes, or the label prompt.
fn draw_detail(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let step = &app.setup.secrets;
    if let Some(input) = &step.adding {
        let block = pane_block(" A new API key: who is it for? ", true, theme)
            .padding(Padding::horizontal(1));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width.saturating_sub(2));
        let scroll = input.visual_scroll(width);
        let value: String = input.value().chars().skip(scroll).collect();
        let hint = step.error.as_ref().map_or_else(
            || {
                Line::styled(
                    "a name such as frontend, mobile or partner-acme · enter adds · esc cancels",
                    theme.dim(),
                )
            },
            |error| Line::styled(format!("✘ {error}"), theme.fg(Color::Red)),
        );
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(vec![
                    Span::styled("> ", theme.fg(Color::Cyan)),
                    Span::styled(value, Style::new().add_modifier(Modifier::UNDERLINED)),
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
        return;
    }
    let mut lines = Vec::new();
    if let Some(row) = step.rows.get(step.selected) {
        lines.push(Line::from(vec![
            Span::styled(row.var.clone(), bold()),
            Span::raw(format!(" · {}", row.label)),
        ]));
        let format = match (&row.prefix, row.kind) {
            (Some(prefix), SecretKind::ApiKey) => format!("{prefix} + 43 URL-safe chars"),
            (None, SecretKind::ApiKey) => "api-key- + 43 URL-safe chars".to_owned(),
            (_, kind) => kind.format().to_owned(),
        };
        lines.push(Line::styled(format, theme.dim()));
        lines.push(Line::styled(
            if row.kept {
                "Kept: .env has it, and preflight never replaces a value (r re-reads .env)."
            } else {
                "Generated now, written on enter · R makes another · v shows it · c copies it"
            },
            theme.dim(),
        ));
    }
    if let Some(answers) = &app.setup.resolved {
        lines.push(Line::styled(
            format!(
                "For {} on {} (esc goes back to change the answers)",
                answers.get("domain"),
                answers.get("platform")
            ),
            theme.dim(),
        ));
    }
    for note in &step.notes {
        lines.push(Line::styled(format!("! {note}"), theme.fg(Color::Yellow)));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane_block(" Selected ", false, theme).padding(Padding::horizontal(1))),
        area,
    );
}

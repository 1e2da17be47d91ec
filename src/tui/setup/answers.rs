//! Step 2, Answers: the form, validated as typed with `answers::validate`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use tui_input::{Input, InputRequest};

use super::fit;
use crate::answers::{KEYS, Source};
use crate::state::State;
use crate::tui::action::Action;
use crate::tui::app::{App, Notice, Screen, one_line};
use crate::tui::ui::{Theme, pane_block};

/// The form's first fields, in tui.md's order; the other answer keys follow
/// under "more".
pub const FORM: [&str; 9] = [
    "app_name",
    "domain",
    "port",
    "platform",
    "region",
    "workers",
    "health_path",
    "static_url",
    "cors_origins",
];

/// The platforms offered, in order; those `answers::validate` refuses are left out.
const PLATFORMS: [&str; 6] = ["fly", "heroku", "render", "railway", "docker", "vps"];

/// Width of the label column.
const LABEL: usize = 17;

/// One field of the form.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: &'static str,
    pub input: Input,
    /// Where the pre-filled value came from.
    pub source: Option<Source>,
    /// The value the form opened with, to tell what the user changed.
    pub initial: String,
    /// Why the value is not valid, in words.
    pub error: Option<String>,
    /// The whole value is selected (tabbed into): typing replaces it.
    pub select_all: bool,
}

impl Field {
    /// The value as typed.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Whether the field is the platform choice list.
    pub fn is_choice(&self) -> bool {
        self.key == "platform"
    }
}

/// The form's state.
#[derive(Debug, Default)]
pub struct AnswersStep {
    pub fields: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// Whether the form was filled from the answers yet.
    pub built: bool,
}

impl AnswersStep {
    /// The field of `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// The platforms the answers accept.
pub fn platforms() -> Vec<&'static str> {
    PLATFORMS
        .into_iter()
        .filter(|p| crate::answers::validate("platform", p).is_ok())
        .collect()
}

/// Fills the form from the answers in force; it opens on the first field, selected.
pub fn build(app: &mut App) {
    let Some(answers) = &app.setup.resolved else {
        return;
    };
    let rest = KEYS.iter().map(|k| k.key).filter(|k| !FORM.contains(k));
    let fields = FORM
        .into_iter()
        .chain(rest)
        .map(|key| {
            let value = answers.get(key).to_owned();
            Field {
                key,
                input: Input::new(value.clone()),
                source: answers.source(key),
                initial: value,
                error: None,
                select_all: false,
            }
        })
        .collect();
    let step = &mut app.setup.answers;
    step.fields = fields;
    step.focus = 0;
    step.built = true;
    if let Some(first) = step.fields.first_mut() {
        first.select_all = true;
    }
}

/// The label a person reads for an answer key.
pub fn label(key: &str) -> String {
    match key {
        "app_name" => "App name".to_owned(),
        "domain" => "Domain(s)".to_owned(),
        "health_path" => "Health path".to_owned(),
        "static_url" => "Static URL".to_owned(),
        "cors_origins" => "CORS origins".to_owned(),
        "wsgi_app" => "WSGI app".to_owned(),
        "asgi" => "ASGI".to_owned(),
        "max_body_mb" => "Max body (MB)".to_owned(),
        "cert_path" => "TLS certificate".to_owned(),
        "key_path" => "TLS key".to_owned(),
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// One action on the form.
pub fn update(app: &mut App, action: &Action) {
    if !app.setup.answers.built {
        if matches!(action, Action::Cancel) {
            super::go_step(app, Screen::Project);
        }
        return;
    }
    match action {
        Action::NextField | Action::MoveDown => focus(app, 1),
        Action::PrevField | Action::MoveUp => focus(app, -1),
        Action::Edit(request) => edit(app, *request),
        Action::Confirm => confirm(app),
        Action::Cancel => super::go_step(app, Screen::Project),
        Action::Click(column, row) => click(app, *column, *row),
        Action::Wheel(_, _, down) => focus(app, if *down { 1 } else { -1 }),
        _ => {}
    }
}

/// Moves the focus by `delta` fields, wrapping; the new field's value is selected.
fn focus(app: &mut App, delta: isize) {
    let step = &mut app.setup.answers;
    let len = step.fields.len();
    if len == 0 {
        return;
    }
    if let Some(field) = step.fields.get_mut(step.focus) {
        field.select_all = false;
    }
    let len_signed = isize::try_from(len).unwrap_or(1);
    let index = isize::try_from(step.focus).unwrap_or(0) + delta;
    step.focus = usize::try_from(index.rem_euclid(len_signed)).unwrap_or(0);
    if let Some(field) = step.fields.get_mut(step.focus) {
        field.select_all = true;
    }
}

/// Text typed into the focused field, checked as typed; the defaults that
/// follow from it (CORS origins from the domain) follow it on screen.
fn edit(app: &mut App, request: InputRequest) {
    edit_field(app, request);
    refresh_defaults(app);
}

/// Fields still at their default, untouched, take the default that follows
/// from what was typed (`https://` + the typed domain for CORS origins).
fn refresh_defaults(app: &mut App) {
    let Some(report) = &app.setup.report else {
        return;
    };
    let typed: std::collections::BTreeMap<String, String> = app
        .setup
        .answers
        .fields
        .iter()
        .filter(|f| f.error.is_none() && f.value().trim() != f.initial.trim())
        .map(|f| (f.key.to_owned(), f.value().trim().to_owned()))
        .collect();
    let Ok(resolved) = crate::answers::resolve(crate::answers::Layers {
        set: &typed,
        saved: &app.state.answers,
        project: &report.project,
        user: &app.setup.user,
    }) else {
        return;
    };
    for field in &mut app.setup.answers.fields {
        if field.source == Some(Source::Default)
            && field.value() == field.initial
            && !typed.contains_key(field.key)
        {
            let value = resolved.get(field.key).to_owned();
            if value != field.initial {
                field.input = Input::new(value.clone());
                field.initial = value;
            }
        }
    }
}

/// Text typed into the focused field, checked as typed.
fn edit_field(app: &mut App, request: InputRequest) {
    let step = &mut app.setup.answers;
    let Some(field) = step.fields.get_mut(step.focus) else {
        return;
    };
    if field.is_choice() {
        choose(field, request);
        return;
    }
    if field.select_all {
        field.select_all = false;
        match request {
            InputRequest::InsertChar(_) => field.input = Input::default(),
            InputRequest::DeletePrevChar
            | InputRequest::DeleteNextChar
            | InputRequest::DeletePrevWord
            | InputRequest::DeleteNextWord
            | InputRequest::DeleteLine => {
                field.input = Input::default();
                field.error = crate::answers::validate(field.key, "").err();
                return;
            }
            _ => {}
        }
    }
    // One line: a pasted newline is a space.
    let request = match request {
        InputRequest::InsertChar('\n' | '\r' | '\t') => InputRequest::InsertChar(' '),
        other => other,
    };
    field.input.handle(request);
    field.error = crate::answers::validate(field.key, field.value()).err();
}

/// The platform field: ←→ step through the list, a letter jumps to a platform.
fn choose(field: &mut Field, request: InputRequest) {
    let options = platforms();
    let current = options.iter().position(|p| *p == field.value());
    let next = match request {
        InputRequest::GoToPrevChar => {
            current.map_or(0, |i| (i + options.len() - 1) % options.len())
        }
        InputRequest::GoToNextChar | InputRequest::InsertChar(' ') => {
            current.map_or(0, |i| (i + 1) % options.len())
        }
        InputRequest::InsertChar(c) => {
            let start = current.map_or(0, |i| i + 1);
            let found = (0..options.len())
                .map(|n| (start + n) % options.len())
                .find(|i| options[*i].starts_with(c.to_ascii_lowercase()));
            match found {
                Some(index) => index,
                None => return,
            }
        }
        _ => return,
    };
    field.select_all = false;
    field.input = Input::new(options[next].to_owned());
    field.error = None;
}

/// Enter: every field valid saves the answers and continues; else the first
/// invalid field gets the focus and says why.
fn confirm(app: &mut App) {
    let step = &mut app.setup.answers;
    let mut first_invalid = None;
    for (index, field) in step.fields.iter_mut().enumerate() {
        field.error = crate::answers::validate(field.key, field.value()).err();
        if field.error.is_some() && first_invalid.is_none() {
            first_invalid = Some(index);
        }
    }
    if let Some(index) = first_invalid {
        for field in &mut step.fields {
            field.select_all = false;
        }
        step.focus = index;
        let field = &step.fields[index];
        app.notice = Some(Notice::Warning(format!(
            "{}: {}",
            label(field.key),
            field.error.clone().unwrap_or_default()
        )));
        return;
    }
    if save(app, true) {
        super::go_step(app, Screen::Secrets);
    }
}

/// Saves the valid answers the user gave (changed ones, and ones saved
/// before) to the state file; `advance` also moves the remembered step on.
/// Returns whether it was saved.
pub fn save(app: &mut App, advance: bool) -> bool {
    let step = &app.setup.answers;
    if !step.built {
        return true;
    }
    let given: Vec<(String, String)> = step
        .fields
        .iter()
        .filter(|f| f.value().trim() != f.initial.trim() || matches!(f.source, Some(Source::State)))
        .filter_map(|f| {
            crate::answers::normalize(f.key, f.value())
                .ok()
                .map(|v| (f.key.to_owned(), v))
        })
        .collect();
    let unchanged = given
        .iter()
        .all(|(key, value)| app.state.answers.get(key) == Some(value));
    if unchanged && !advance {
        return true;
    }
    let result = State::update(&app.root, |state| {
        for (key, value) in &given {
            state.answers.insert(key.clone(), value.clone());
        }
        if advance {
            state.wizard.step = Some(Screen::Secrets.key().to_owned());
        }
    });
    match result {
        Ok(state) => {
            app.state = state;
            for field in &mut app.setup.answers.fields {
                if given.iter().any(|(key, _)| key == field.key) {
                    field.source = Some(Source::State);
                    field.initial = field.value().to_owned();
                }
            }
            super::resolve(app);
            true
        }
        Err(err) => {
            app.notice = Some(Notice::Error(format!("not saved: {}", one_line(&err))));
            false
        }
    }
}

/// The rows each field takes (value, then help or error) and where the
/// "more" heading goes: `(field index, row offset)` for those that fit in
/// `height` rows, scrolled so the focused field shows. The focused field's
/// error takes as many rows as it needs at `width` (up to three), so what the
/// value should be is never cut off.
fn visible(step: &AnswersStep, height: usize, width: usize) -> Vec<(usize, usize)> {
    let extra = error_lines(step, width).len().saturating_sub(1);
    let rows = |index: usize| 2 + if index == step.focus { extra } else { 0 };
    let offset_of = |index: usize| {
        index * 2 + usize::from(index >= FORM.len()) + if index > step.focus { extra } else { 0 }
    };
    let focus_end = offset_of(step.focus) + rows(step.focus);
    let scroll = focus_end.saturating_sub(height);
    (0..step.fields.len())
        .filter_map(|index| {
            let offset = offset_of(index);
            (offset >= scroll && offset + rows(index) <= scroll + height)
                .then(|| (index, offset - scroll))
        })
        .collect()
}

/// The focused field's error, word-wrapped under its value at `width`: at
/// most three lines, the last one cut with `…` if it still does not fit.
fn error_lines(step: &AnswersStep, width: usize) -> Vec<String> {
    let Some(error) = step.fields.get(step.focus).and_then(|f| f.error.as_ref()) else {
        return Vec::new();
    };
    let room = width.saturating_sub(LABEL).max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in format!("✘ {error}").split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    if lines.len() > 3 {
        let rest = lines.split_off(2).join(" ");
        lines.push(rest);
    }
    lines.iter().map(|l| fit(l, room)).collect()
}

/// The form's inner area for the body `area`.
fn inner(area: Rect) -> Rect {
    pane_block("", true, &Theme { colour: false })
        .padding(ratatui::widgets::Padding::horizontal(1))
        .inner(area)
}

/// A click on a field focuses it.
fn click(app: &mut App, column: u16, row: u16) {
    let body = crate::tui::ui::layout(app).body;
    let area = inner(body);
    if !area.contains(ratatui::layout::Position::new(column, row)) {
        return;
    }
    let rel = usize::from(row - area.y);
    let step = &app.setup.answers;
    let rows = 2 + error_lines(step, usize::from(area.width))
        .len()
        .saturating_sub(1);
    let hit = visible(step, usize::from(area.height), usize::from(area.width))
        .into_iter()
        .find(|(index, offset)| {
            let rows = if *index == step.focus { rows } else { 2 };
            (*offset..offset + rows).contains(&rel)
        });
    if let Some((index, _)) = hit {
        let step = &mut app.setup.answers;
        if let Some(field) = step.fields.get_mut(step.focus) {
            field.select_all = false;
        }
        step.focus = index;
    }
}

/// What the platform writes, for its line under the choice.
fn platform_line(platform: &str) -> String {
    let files: Vec<&str> = super::files::platform_files(platform)
        .iter()
        .map(|k| k.file_name())
        .collect();
    let push = super::summary::push_hint(platform);
    format!("writes {} · {push}", files.join(", "))
}

/// Draws the form.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let block = pane_block(
        " Answers · each checked as you type · enter saves and continues ",
        true,
        theme,
    )
    .padding(ratatui::widgets::Padding::horizontal(1));
    frame.render_widget(block, area);
    let inner = inner(area);
    let step = &app.setup.answers;
    if !step.built {
        frame.render_widget(
            Line::styled(super::scanning_line(app), theme.fg(Color::Cyan)),
            inner,
        );
        return;
    }
    let errors = error_lines(step, usize::from(inner.width));
    for (index, offset) in visible(step, usize::from(inner.height), usize::from(inner.width)) {
        let y = inner.y + u16::try_from(offset).unwrap_or(0);
        if index == FORM.len() && offset > 0 {
            frame.render_widget(
                Line::styled("── more (optional) ──", theme.dim()),
                Rect::new(inner.x, y - 1, inner.width, 1),
            );
        }
        let rows = if index == step.focus {
            2 + errors.len().saturating_sub(1)
        } else {
            2
        };
        draw_field(
            frame,
            step,
            index,
            theme,
            Rect::new(inner.x, y, inner.width, u16::try_from(rows).unwrap_or(2)),
        );
    }
}

/// The part of a field's value its box of `width` shows, and the cursor's
/// column in it: scrolled to the cursor while typing (`focused`); any other
/// field shows its start.
fn shown_value(field: &Field, focused: bool, width: usize) -> (String, Option<usize>) {
    if field.is_choice() {
        return (format!("◀ {} ▶", field.value()), None);
    }
    let scroll = if focused {
        field.input.visual_scroll(width)
    } else {
        0
    };
    let text: String = field
        .input
        .value()
        .chars()
        .skip(scroll)
        .take(width)
        .collect();
    (
        text,
        Some(field.input.visual_cursor().saturating_sub(scroll)),
    )
}

/// One field: its label, value and source, then its error or help below.
fn draw_field(frame: &mut Frame<'_>, step: &AnswersStep, index: usize, theme: &Theme, area: Rect) {
    let inner = area;
    let y = area.y;
    let width = usize::from(inner.width);
    let source_width = 14;
    let value_width = width.saturating_sub(LABEL + source_width + 3).clamp(8, 48);
    let field = &step.fields[index];
    let focused = index == step.focus;
    let marker = if focused { "▶ " } else { "  " };
    let mut spans = vec![Span::styled(
        format!("{marker}{:<width$}", label(field.key), width = LABEL - 2),
        if focused {
            theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        },
    )];
    let (shown, cursor) = shown_value(field, focused, value_width);
    let value_style = if focused && field.select_all {
        Style::new().add_modifier(Modifier::REVERSED)
    } else if focused {
        Style::new().add_modifier(Modifier::UNDERLINED)
    } else {
        Style::new()
    };
    let pad = value_width.saturating_sub(shown.chars().count());
    spans.push(Span::raw("["));
    spans.push(Span::styled(shown, value_style));
    spans.push(Span::raw(format!("{}]", " ".repeat(pad))));
    let source = match (&field.error, field.source) {
        (Some(_), _) => "✘ invalid".to_owned(),
        _ if field.value().trim() != field.initial.trim() => "✎ typed".to_owned(),
        (None, Some(source)) => source.as_str().to_owned(),
        (None, None) => String::new(),
    };
    spans.push(Span::styled(
        format!(" {source}"),
        if field.error.is_some() {
            theme.fg(Color::Red)
        } else {
            theme.dim()
        },
    ));
    frame.render_widget(Line::from(spans), Rect::new(inner.x, y, inner.width, 1));
    let below = if focused && field.error.is_some() {
        let lines: Vec<Line> = error_lines(step, width)
            .into_iter()
            .map(|line| Line::styled(format!("{}{line}", " ".repeat(LABEL)), theme.fg(Color::Red)))
            .collect();
        let rows = u16::try_from(lines.len()).unwrap_or(1);
        frame.render_widget(
            ratatui::widgets::Paragraph::new(lines),
            Rect::new(
                inner.x,
                y + 1,
                inner.width,
                rows.min(area.height.saturating_sub(1)),
            ),
        );
        None
    } else if let Some(error) = &field.error {
        Some(Line::styled(
            fit(&format!("{}✘ {error}", " ".repeat(LABEL)), width),
            theme.fg(Color::Red),
        ))
    } else if focused {
        let help = if field.is_choice() {
            format!("← → choose · {}", platform_line(field.value()))
        } else {
            crate::answers::key(field.key).map_or(String::new(), |k| k.help.to_owned())
        };
        Some(Line::styled(
            fit(&format!("{}{help}", " ".repeat(LABEL)), width),
            theme.dim(),
        ))
    } else {
        Some(Line::raw(""))
    };
    if let Some(below) = below {
        frame.render_widget(below, Rect::new(inner.x, y + 1, inner.width, 1));
    }
    if focused && let Some(cursor) = cursor {
        let x = inner.x + u16::try_from(LABEL + 1 + cursor).unwrap_or(0);
        frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), y));
    }
}

//! Step 1, Project: what the scan found, as a person reads it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph, Wrap};

use super::{bold, fit, scanning_line};
use crate::checklist::Severity;
use crate::project::{Framework, Project};
use crate::scan::ScanReport;
use crate::tui::action::Action;
use crate::tui::app::{App, Notice, Screen};
use crate::tui::ui::{Theme, pane_block};

/// Files that say how the app is deployed, looked for at the project root.
const DEPLOYMENT_FILES: &[&str] = &[
    "Procfile",
    "fly.toml",
    "gunicorn.conf.py",
    "nginx.conf",
    "Dockerfile",
    "docker-compose.yml",
    "compose.yaml",
    "render.yaml",
    "railway.json",
    "railway.toml",
    "app.json",
    "runtime.txt",
    ".python-version",
];

/// The environment files: they hold settings and secrets, not how it deploys.
const ENV_FILES: &[(&str, &str)] = &[
    (".env", "local values; Secrets adds keys"),
    (".env.example", "documents the variables"),
];

/// The Project step's own state.
#[derive(Debug, Default)]
pub struct ProjectStep {
    /// How far the text is scrolled.
    pub scroll: u16,
}

/// Keys on the Project step.
pub fn update(app: &mut App, action: &Action) {
    match action {
        Action::Confirm if app.setup.report.is_some() => {
            super::go_step(app, Screen::Answers);
        }
        Action::Confirm => {
            app.notice = Some(Notice::Info(
                "still scanning: the answers are pre-filled from what it finds".into(),
            ));
        }
        Action::Recheck => app.start_recheck(),
        Action::MoveDown | Action::Wheel(_, _, true) => {
            // No further than the last line at the bottom of the pane.
            let body = crate::tui::ui::layout(app).body;
            let width = usize::from(body.width.saturating_sub(4));
            let height = usize::from(body.height.saturating_sub(2));
            let count = app.setup.report.as_ref().map_or(0, |report| {
                lines(app, report, &Theme { colour: false }, width)
                    .iter()
                    .map(|line| line.width().max(1).div_ceil(width.max(1)))
                    .sum::<usize>()
            });
            let last = u16::try_from(count.saturating_sub(height)).unwrap_or(u16::MAX);
            app.setup.project.scroll = app.setup.project.scroll.saturating_add(1).min(last);
        }
        Action::MoveUp | Action::Wheel(_, _, false) => {
            app.setup.project.scroll = app.setup.project.scroll.saturating_sub(1);
        }
        Action::First => app.setup.project.scroll = 0,
        _ => {}
    }
}

/// The text of the step, from the scan.
pub fn lines(app: &App, report: &ScanReport, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let project = &report.project;
    let mut lines = Vec::new();
    let version = project
        .framework_version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    if project.framework == Framework::Unknown {
        lines.extend(wrong_folder(report, theme));
    } else {
        lines.push(Line::styled(
            format!("{}{version}", project.framework.display_name()),
            bold(),
        ));
    }
    let label = |text: &str| Span::styled(format!("{text:<18}"), theme.dim());
    let entry = match &project.entrypoint {
        Some(entry) => format!(
            "{entry} ({})",
            if project.asgi {
                "ASGI: gunicorn with Uvicorn workers"
            } else {
                "WSGI: gunicorn serves it"
            }
        ),
        None => "not found: the Answers step asks for it (wsgi_app)".to_owned(),
    };
    lines.push(Line::from(vec![label("Entrypoint"), Span::raw(entry)]));
    if project.framework == Framework::Django {
        let settings = if project.settings.is_empty() {
            "none found".to_owned()
        } else {
            project.settings.join(", ")
        };
        lines.push(Line::from(vec![label("Settings"), Span::raw(settings)]));
        if let Some(why) = settings_reason(project) {
            lines.push(Line::from(vec![label(""), Span::styled(why, theme.dim())]));
        }
    }
    lines.push(Line::from(vec![
        label("Database"),
        Span::raw(database(project)),
    ]));
    if let Some(python) = &project.python_version {
        lines.push(Line::from(vec![label("Python"), Span::raw(python.clone())]));
    }
    let existing: Vec<&str> = DEPLOYMENT_FILES
        .iter()
        .copied()
        .filter(|name| app.root.join(name).exists())
        .collect();
    let existing = if existing.is_empty() {
        "none yet: the Files step writes them".to_owned()
    } else {
        existing.join(", ")
    };
    lines.push(Line::from(vec![
        label("Deployment files"),
        Span::raw(existing),
    ]));
    let env: Vec<String> = ENV_FILES
        .iter()
        .filter(|(name, _)| app.root.join(name).exists())
        .map(|(name, what)| format!("{name} ({what})"))
        .collect();
    lines.push(Line::from(vec![
        label("Env files"),
        Span::raw(if env.is_empty() {
            "no .env yet: the Secrets step writes one".to_owned()
        } else {
            env.join(", ")
        }),
    ]));
    lines.push(Line::raw(""));
    lines.extend(findings_lines(report, theme, width));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Enter continues to the answers, pre-filled from this scan.",
        theme.dim(),
    ));
    lines
}

/// Failing items by severity (an item once, however many places it fails
/// at: `check` counts places), then the three worst by name, each with where
/// the scanner saw it (`file:line`) or, for something missing, what it found missing.
fn findings_lines(report: &ScanReport, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut items: Vec<(&str, Severity, &str, String)> = Vec::new();
    for finding in &report.findings {
        if items.iter().any(|(id, ..)| *id == finding.item) {
            continue;
        }
        let place = match (&finding.file, finding.line) {
            (Some(file), Some(line)) => format!("at {file}:{line}"),
            (Some(file), None) => format!("in {file}"),
            _ => finding.evidence.clone().unwrap_or_default(),
        };
        items.push((&finding.item, finding.severity, finding.title, place));
    }
    let count = |severity: Severity| items.iter().filter(|i| i.1 == severity).count();
    let mut lines = vec![Line::from(vec![
        Span::styled("Failing items ", bold()),
        Span::styled(
            format!("{} critical", count(Severity::Critical)),
            theme.fg(Color::Red),
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{} high", count(Severity::High)),
            theme.fg(Color::Yellow),
        ),
        Span::raw(format!(
            " · {} medium · {} low · {} passed",
            count(Severity::Medium),
            count(Severity::Low),
            report.passed.len()
        )),
    ])];
    if items.is_empty() {
        lines.push(Line::raw("  nothing failing"));
        return lines;
    }
    // Stable: checklist order within a severity.
    items.sort_by_key(|item| std::cmp::Reverse(item.1));
    lines.push(Line::styled("The worst:", theme.dim()));
    for (id, severity, title, place) in items.iter().take(3) {
        let head = format!("  ✘ {:<4} {id}  ", severity.short());
        let rest = width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, theme.severity(*severity)),
            Span::raw(fit(title, rest)),
        ]));
        if !place.is_empty() {
            lines.push(Line::styled(
                fit(&format!("         {place}"), width),
                theme.dim(),
            ));
        }
    }
    lines
}

/// Said first when the scan found no Django, FastAPI or Flask app: most
/// likely the wrong folder, and its automatic items would all be n/a.
fn wrong_folder(report: &ScanReport, theme: &Theme) -> Vec<Line<'static>> {
    let warn = theme.fg(Color::Yellow);
    let nothing = report.findings.is_empty() && report.passed.is_empty();
    let mut lines = vec![Line::styled(
        "! This does not look like a Python web project: wrong folder?",
        warn.add_modifier(ratatui::style::Modifier::BOLD),
    )];
    lines.push(Line::styled(
        if nothing {
            "  No manage.py, pyproject.toml or requirements.txt, and no Django, FastAPI or \
             Flask app here: the automatic checks have nothing to judge (n/a, never done)."
        } else {
            "  No Django, FastAPI or Flask app was found here, so the checks that need one \
             count as n/a (never as done)."
        },
        warn,
    ));
    lines.push(Line::styled(
        "  q quits: run preflight in the folder that holds the project. Enter goes on anyway.",
        warn,
    ));
    lines.push(Line::raw(""));
    lines
}

/// Where the production settings module was chosen from, when a file says so.
fn settings_reason(project: &Project) -> Option<String> {
    for file in [
        "fly.toml",
        "Procfile",
        "render.yaml",
        "Dockerfile",
        "app.json",
        ".env",
    ] {
        let Ok(text) = std::fs::read_to_string(project.root.join(file)) else {
            continue;
        };
        if text.contains("DJANGO_SETTINGS_MODULE") {
            return Some(format!("(DJANGO_SETTINGS_MODULE is set in {file})"));
        }
    }
    let module = project.entrypoint.as_deref()?.split(':').next()?;
    let wsgi = format!("{}.py", module.replace('.', "/"));
    let text = std::fs::read_to_string(project.root.join(&wsgi)).ok()?;
    text.contains("DJANGO_SETTINGS_MODULE")
        .then(|| format!("(the default {wsgi} sets)"))
}

/// The database the dependencies point to.
fn database(project: &Project) -> String {
    let engines: [(&[&str], &str); 3] = [
        (
            &["psycopg", "psycopg2", "psycopg2-binary", "asyncpg"],
            "PostgreSQL",
        ),
        (&["mysqlclient", "pymysql", "aiomysql"], "MySQL"),
        (&["pymongo", "motor", "mongoengine"], "MongoDB"),
    ];
    for (deps, engine) in engines {
        if let Some(dep) = deps.iter().find(|dep| project.depends_on(dep)) {
            return format!("{engine} (through {dep})");
        }
    }
    match project.framework {
        Framework::Django => "SQLite (Django's default; no other driver found)".to_owned(),
        _ => "none found among the dependencies".to_owned(),
    }
}

/// Draws the step: a progress line until the first scan reports.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme, area: Rect) {
    let block =
        pane_block(" Project · what the scan found ", true, theme).padding(Padding::horizontal(1));
    let width = usize::from(block.inner(area).width);
    let text = match &app.setup.report {
        Some(report) => lines(app, report, theme, width),
        None => vec![Line::styled(scanning_line(app), theme.fg(Color::Cyan))],
    };
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((app.setup.project.scroll, 0))
            .block(block),
        area,
    );
}

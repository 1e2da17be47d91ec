//! The detail pane's text: what the selected item asks, its status, the
//! evidence, why it matters and the fix.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};

use super::{Theme, detail_inner_width, mark_colour, status_of};
use crate::checklist::{ChecklistItem, Decider};
use crate::progress::ItemStatus;
use crate::project::Framework;
use crate::state::{SetBy, Status};
use crate::tui::app::{App, Change, status_word};

/// The detail text without colour, for measuring.
pub(super) fn detail_text(app: &App) -> Text<'static> {
    detail_text_themed(app, &Theme { colour: false })
}

/// The detail text of the selected item.
pub(super) fn detail_text_themed(app: &App, theme: &Theme) -> Text<'static> {
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
                format!("{} {}", code.symbol(), status_word(code)),
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
        // A `gen` item setup (or `generate`) satisfied says with what.
        let wizard = (record.by == SetBy::Auto && record.status == Status::Done)
            .then(|| crate::tui::setup::satisfied_by(app, &item.id))
            .flatten();
        if let Some(wizard) = wizard {
            lines.push(Line::styled(wizard, theme.fg(Color::Green)));
        } else {
            lines.push(Line::styled(
                format!("{who} · {}", readable_time(&record.at)),
                theme.dim(),
            ));
        }
        if let Some(reason) = &record.reason {
            lines.push(Line::raw(format!("Reason: {reason}")));
        }
    }
    if let Some(mark) = app.review_mark(&item.id) {
        let since = app.review.as_ref().and_then(|r| r.since.as_deref());
        lines.push(Line::styled(
            format!("{} {}", mark.symbol(), mark.explain(since)),
            theme.fg(mark_colour(mark)),
        ));
    } else if status.due {
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
    // `file:line` is one word: wrapped, it breaks inside the line number.
    let width = usize::from(detail_inner_width(app)).saturating_sub(2);
    let fit = |place: String| fit_from_the_left(&place, width);
    let mut lines = Vec::new();
    if !findings.is_empty() {
        for finding in findings {
            let place = match (&finding.file, finding.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                (None, _) => "(missing from the project)".to_owned(),
            };
            lines.push(Line::raw(format!("  {}", fit(place))));
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
            lines.push(Line::raw(format!("  {}", fit(place))));
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

/// `text` cut to `width` characters by dropping its start, so a path keeps
/// its file name and line number: `…/settings.py:36`.
fn fit_from_the_left(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width || width < 2 {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
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
        Decider::Auto => {
            "Checked by the scanner and by generated files; mark it done (space) when it is met."
                .to_owned()
        }
        Decider::Gen => "Met by a file `preflight generate` writes, or by your own setup; mark \
                         it done (space) when it is."
            .to_owned(),
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

/// An RFC 3339 time as `23 Nov 2026 16:42 UTC`; anything else as it is.
pub(in crate::tui) fn readable_time(at: &str) -> String {
    at.parse::<jiff::Timestamp>().map_or_else(
        |_| at.to_owned(),
        |time| time.strftime("%-d %b %Y %H:%M UTC").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_place_keeps_its_file_name_and_line() {
        assert_eq!(
            fit_from_the_left("config/settings.py:36", 16),
            "…/settings.py:36"
        );
        assert_eq!(fit_from_the_left("a.py:3", 16), "a.py:3");
    }

    #[test]
    fn the_hint_names_who_decides() {
        let item = |id: &str| crate::checklist::Checklist::get().item(id).unwrap();
        // Generated, never scanned: the scanner is not mentioned.
        let hint = how_hint(item("secret-key-generated"));
        assert!(
            hint.contains("preflight generate") && !hint.contains("scanner"),
            "{hint}"
        );
        assert!(how_hint(item("secret-key-from-env")).contains("scanner"));
        assert!(how_hint(item("debug-off")).contains("Decided by the scanner"));
    }
}

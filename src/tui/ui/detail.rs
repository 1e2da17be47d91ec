//! The detail pane's text: what the selected item asks, its status, the
//! evidence, why it matters and the fix.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, detail_inner_width, mark_colour, status_of};
use crate::checklist::{ChecklistItem, Decider};
use crate::progress::ItemStatus;
use crate::project::Framework;
use crate::scan::{Finding, ItemFindings, thousands};
use crate::state::{ItemRecord, SetBy, Status};
use crate::tui::app::{App, Change, status_word};

/// How many rows the detail takes at the pane's inner `width`: the places
/// are counted, not laid out (each is one row, cut to the width).
pub(super) fn detail_rows(app: &App, width: u16) -> usize {
    let theme = Theme { colour: false };
    let parts = detail_parts(app, &theme);
    let count = |lines: Vec<Line<'static>>| {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .line_count(width)
    };
    count(parts.head) + parts.places + count(parts.tail)
}

/// The detail text for a pane `height` rows tall scrolled `scroll` rows
/// down, and the scroll to draw it at: only the places that can be on screen
/// are laid out, so an item with thousands of places costs what one page does.
pub(super) fn detail_window(
    app: &App,
    theme: &Theme,
    width: u16,
    scroll: usize,
    height: usize,
) -> (Text<'static>, usize) {
    let parts = detail_parts(app, theme);
    let head = Paragraph::new(parts.head.clone())
        .wrap(Wrap { trim: false })
        .line_count(width);
    let start = scroll.saturating_sub(head).min(parts.places);
    let (places, offset) = place_window(app, theme, width, start, height);
    (Text::from(parts.joined(places)), scroll - start + offset)
}

/// The detail of the selected item in three parts: what comes before its
/// places, how many place rows there are, and what follows them.
struct DetailParts {
    head: Vec<Line<'static>>,
    places: usize,
    tail: Vec<Line<'static>>,
}

impl DetailParts {
    fn joined(self, places: Vec<Line<'static>>) -> Vec<Line<'static>> {
        let mut lines = self.head;
        lines.extend(places);
        lines.extend(self.tail);
        lines
    }
}

/// The detail of the selected item, its places counted but not laid out.
fn detail_parts(app: &App, theme: &Theme) -> DetailParts {
    let Some(item) = app.selected_item() else {
        return DetailParts {
            head: vec![Line::raw("Nothing selected.")],
            places: 0,
            tail: Vec::new(),
        };
    };
    let progress = app.progress();
    let status = status_of(&progress.items, item);
    let code = status.map_or(Status::Todo, |s| s.status);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    // What the scanner finds stays said, whatever a person set.
    let still_found = app.still_found(&item.id);
    let headline = if code == Status::Failing || still_found.is_some() {
        &item.problem
    } else {
        &item.title
    };
    let mut status_line = vec![Span::styled(
        format!("{} {}", code.symbol(), status_word(code)),
        theme.status(code),
    )];
    if code != Status::Failing
        && let Some(place) = &still_found
    {
        status_line.push(Span::styled(
            format!(" · scanner still finds: {place}"),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    status_line.push(Span::raw(" · "));
    let mut lines = vec![
        Line::styled(headline.clone(), bold),
        Line::raw(""),
        Line::from(vec![
            Span::styled(
                item.severity.as_str().to_owned(),
                theme.severity(item.severity),
            ),
            Span::raw(format!(" · {}", item.how_label())),
        ]),
    ];
    lines[2].spans.splice(0..0, status_line);
    if let Some(status) = status {
        lines.extend(record_lines(app, item, status, theme));
    }
    // Evidence first: for a failing item, where to look matters most.
    let evidence = evidence_of(app, item);
    let places = evidence.rows(detail_inner_width(app));
    if places > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Evidence", bold));
    }
    let head = lines;
    let mut lines = Vec::new();
    if let Some(more) = evidence.more() {
        lines.push(Line::styled(format!("  {more}"), theme.dim()));
    }
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
    DetailParts {
        head,
        places,
        tail: lines,
    }
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
        // Continuations sit four columns right of the line's own indent.
        let own = code.len() - code.trim_start_matches(' ').len();
        let continued = " ".repeat(2 + own + 4);
        for (index, piece) in wrap_code(code, width - 2).into_iter().enumerate() {
            let text = if index == 0 {
                format!("  {piece}")
            } else {
                format!("{continued}{piece}")
            };
            lines.push(Line::styled(text, theme.fg(Color::Cyan)));
        }
    }
    lines
}

/// A line of code cut into pieces of at most `width` columns at spaces, never
/// inside a token (unless one token is wider than the whole line); every
/// piece but the last ends with ` ↩`, and continuations are indented four
/// more, so what is on screen reads as one line of code.
pub(super) fn wrap_code(code: &str, width: usize) -> Vec<String> {
    let chars = |text: &str| text.chars().count();
    if chars(code) <= width {
        return vec![code.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut rest = code;
    let mut first = true;
    loop {
        // Continuations lose their indent and four columns; all lose two to ` ↩`.
        let own = code.len() - code.trim_start_matches(' ').len();
        let room = if first {
            width
        } else {
            width.saturating_sub(own + 4)
        }
        .max(8);
        if chars(rest) <= room {
            pieces.push(rest.to_owned());
            break;
        }
        let limit = room - 2;
        let cut_byte = rest
            .char_indices()
            .nth(limit)
            .map_or(rest.len(), |(byte, _)| byte);
        // A space at most `limit` characters in: the head keeps whole tokens.
        let end = rest
            .char_indices()
            .nth(limit + 1)
            .map_or(rest.len(), |(byte, _)| byte);
        let cut = rest[..end]
            .rfind(' ')
            .filter(|&at| !rest[..at].trim().is_empty())
            .unwrap_or(cut_byte);
        let (head, tail) = rest.split_at(cut);
        pieces.push(format!("{} ↩", head.trim_end()));
        rest = tail.trim_start();
        first = false;
        if rest.is_empty() {
            break;
        }
    }
    pieces
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
            // `verify` records the live checks as automatic verdicts too.
            SetBy::Auto
                if item.how.contains(&Decider::Live) && !item.how.contains(&Decider::Auto) =>
            {
                "By verify"
            }
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

/// Where an item's evidence comes from: the last scan's findings, or the
/// places the state file recorded when this session has not scanned.
enum Evidence<'a> {
    Found(&'a ItemFindings),
    Recorded(&'a ItemRecord),
    None,
}

impl Evidence<'_> {
    /// Rows the places take at the pane's inner `width`: a finding's place,
    /// and its source line (wrapped) if any.
    fn rows(&self, width: u16) -> usize {
        match self {
            Self::Found(found) => found.kept.iter().map(|f| finding_rows(f, width)).sum(),
            Self::Recorded(record) => record.evidence.len(),
            Self::None => 0,
        }
    }

    /// What is not listed: `… and 7,990 more in 1,998 files`.
    fn more(&self) -> Option<String> {
        let more = |n: usize, files: String| {
            format!(
                "… and {} more{files}: `preflight check --format json` lists every one",
                thousands(n)
            )
        };
        match self {
            Self::Found(found) if found.total > found.kept.len() => {
                let files = match found.rest_files {
                    0 | 1 => String::new(),
                    n => format!(" in {} files", thousands(n)),
                };
                Some(more(found.total - found.kept.len(), files))
            }
            Self::Recorded(record) => {
                let extent = record.extent.as_ref()?;
                let listed = record.evidence.len();
                (extent.locations > listed).then(|| {
                    let files = format!(" ({} files in all)", thousands(extent.files));
                    more(extent.locations - listed, files)
                })
            }
            _ => None,
        }
    }
}

/// The evidence of `item`: the last scan's, or the state file's.
fn evidence_of<'a>(app: &'a App, item: &ChecklistItem) -> Evidence<'a> {
    if let Some(found) = app.findings.get(&item.id).filter(|f| !f.kept.is_empty()) {
        Evidence::Found(found)
    } else if let Some(record) = app
        .state
        .items
        .get(&item.id)
        .filter(|r| !r.evidence.is_empty())
    {
        Evidence::Recorded(record)
    } else {
        Evidence::None
    }
}

/// The source line under a place, as the pane shows it.
fn source_line(evidence: &str) -> String {
    format!("    {evidence}")
}

/// Rows one finding takes at the pane's inner `width`: its place (cut to
/// one row), then its source line wrapped.
fn finding_rows(finding: &Finding, width: u16) -> usize {
    1 + finding.evidence.as_deref().map_or(0, |evidence| {
        Paragraph::new(source_line(evidence))
            .wrap(Wrap { trim: false })
            .line_count(width)
    })
}

/// The places of the selected item that can be on screen from place row
/// `start` in a pane `height` rows tall, and how many rows of the first one
/// laid out are above `start`. Places above and below are counted, not laid out.
fn place_window(
    app: &App,
    theme: &Theme,
    width: u16,
    start: usize,
    height: usize,
) -> (Vec<Line<'static>>, usize) {
    let Some(item) = app.selected_item() else {
        return (Vec::new(), 0);
    };
    // `file:line` is one word: wrapped, it breaks inside the line number.
    let room = usize::from(width).saturating_sub(2);
    let fit = |place: String| fit_from_the_left(&place, room);
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut row = 0;
    match evidence_of(app, item) {
        Evidence::Found(found) => {
            for finding in &found.kept {
                if row >= start + height {
                    break;
                }
                let rows = finding_rows(finding, width);
                if row + rows <= start {
                    row += rows;
                    continue;
                }
                if lines.is_empty() {
                    offset = start - row;
                }
                row += rows;
                let place = match (&finding.file, finding.line) {
                    (Some(file), Some(line)) => format!("{file}:{line}"),
                    (Some(file), None) => file.clone(),
                    (None, _) => "(missing from the project)".to_owned(),
                };
                lines.push(Line::raw(format!("  {}", fit(place))));
                if let Some(evidence) = &finding.evidence {
                    lines.push(Line::styled(source_line(evidence), theme.fg(Color::Yellow)));
                }
            }
        }
        Evidence::Recorded(record) => {
            for evidence in record.evidence.iter().skip(start).take(height) {
                let place = evidence.line.map_or(evidence.file.clone(), |line| {
                    format!("{}:{line}", evidence.file)
                });
                lines.push(Line::raw(format!("  {}", fit(place))));
            }
        }
        Evidence::None => {}
    }
    (lines, offset)
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
    use crate::scan::{KEPT_FINDINGS, ScanReport};
    use crate::state::State;
    use crate::tui::{Action, Journey, Keymap};

    /// The text of lines, one string a line.
    fn texts(text: &Text<'_>) -> Vec<String> {
        text.lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn thousands_of_places_are_counted_and_only_what_is_on_screen_is_laid_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(
            dir.path(),
            State::default(),
            Keymap::defaults(),
            Journey::Review,
        );
        app.update(Action::Resize(120, 40));
        let findings = (0..20_000)
            .map(|n| Finding {
                item: "csrf-protected".into(),
                severity: crate::checklist::Severity::High,
                title: "t",
                file: Some(format!("app_{:04}/views.py", n / 10)),
                line: Some(n % 10 + 1),
                evidence: Some("@csrf_exempt".into()),
                fix: "",
            })
            .collect();
        let mut report = ScanReport {
            findings,
            ..ScanReport::default()
        };
        report.project.root = dir.path().to_path_buf();
        app.update(Action::ScanFinished(Ok(Box::new(report))));
        // A review opens on what changed (here the recurring tasks, never done): go to it.
        app.phase = 2;
        app.selected = app
            .visible_items()
            .iter()
            .position(|i| i.id == "csrf-protected")
            .unwrap();
        assert_eq!(app.selected_item().unwrap().id, "csrf-protected");
        let found = &app.findings["csrf-protected"];
        assert_eq!((found.kept.len(), found.total), (KEPT_FINDINGS, 20_000));
        assert_eq!((found.files, found.rest_files), (2000, 1950));

        let theme = Theme { colour: false };
        let width = 60;
        // Every kept place counts two rows (place, source line).
        let rows = detail_rows(&app, width);
        assert!(rows > 2 * KEPT_FINDINGS, "{rows}");
        let (top, scroll) = detail_window(&app, &theme, width, 0, 30);
        assert_eq!(scroll, 0);
        let top = texts(&top);
        let evidence = top.iter().position(|l| l == "Evidence").unwrap();
        assert_eq!(top[evidence + 1], "  app_0000/views.py:1");
        assert_eq!(top[evidence + 2], "    @csrf_exempt");
        // Scrolled into the list, only a page of places is laid out, and the
        // window shows what the whole text would at that scroll.
        let head = evidence + 1;
        let (page, scroll) = detail_window(&app, &theme, width, head + 400, 30);
        assert_eq!(scroll, head);
        let page = texts(&page);
        assert!(page.len() < head + 30 + 40, "{} lines", page.len());
        assert_eq!(page[scroll], "  app_0020/views.py:1");
        // At the end, what was not kept is counted.
        let (end, scroll) = detail_window(&app, &theme, width, head + 2 * KEPT_FINDINGS, 30);
        assert_eq!(
            texts(&end)[scroll],
            "  … and 19,500 more in 1,950 files: `preflight check --format json` lists every one"
        );
    }

    #[test]
    fn code_wraps_at_spaces_never_inside_a_token() {
        let line = r#"SECRET_KEY = os.environ["DJANGO_SECRET_KEY"] # required in production"#;
        let pieces = wrap_code(line, 40);
        assert!(pieces.len() > 1, "{pieces:?}");
        for piece in &pieces[..pieces.len() - 1] {
            assert!(piece.ends_with(" ↩"), "{piece:?}");
        }
        for piece in &pieces {
            assert!(piece.chars().count() <= 40, "{piece:?}");
        }
        // Joined back at the marks, it is the line again: no token was split.
        let joined = pieces
            .iter()
            .map(|p| p.trim_end_matches(" ↩"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, line);
        assert!(
            pieces
                .iter()
                .any(|p| p.contains(r#"os.environ["DJANGO_SECRET_KEY"]"#))
        );
        // A token wider than the pane is cut, still marked.
        let long = wrap_code(&"x".repeat(50), 20);
        assert!(long[0].ends_with(" ↩") && long.len() > 2, "{long:?}");
        assert_eq!(wrap_code("short", 20), ["short"]);
    }

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

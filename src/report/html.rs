//! The review report as one self-contained HTML page: inline CSS, no scripts,
//! no external assets, every piece of text escaped.

use std::fmt::Write;

use super::Report;
use super::markdown::changes_line;
use crate::checklist::Severity;
use crate::state::Status;

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .3rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}code{background:#f5f5f7;padding:0 .2rem;border-radius:3px}
pre{background:#f5f5f7;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.meta{color:#555}.bar{display:block;height:100%;background:#2e7d32}
.barbg{display:inline-block;width:8rem;height:.6rem;background:#e0e0e0;vertical-align:middle;border:1px solid #c8c8c8}
.changed{border:1px solid #ddd;border-left:4px solid #b00020;padding:.2rem 1rem;margin:1rem 0}
.changed h2{border:0;margin-top:.8rem}.mark{font-weight:600}.regressed{color:#b00020}.stale{color:#8e24aa}.due{color:#a15c00}
.trend{display:block;max-width:100%;height:auto}
@media (max-width:40rem){body{font-size:14px;margin:1rem auto}.barbg{width:2.5rem}td,th{padding:.25rem .3rem}}.trend text{font:11px system-ui,sans-serif;fill:#555}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media print{body{max-width:none;margin:0;font-size:11pt}h2,h3{break-after:avoid}
pre,tr,li,.changed{break-inside:avoid}pre{white-space:pre-wrap;word-break:break-all}a{color:inherit}}
.critical{color:#b00020;font-weight:600}.high{color:#a15c00;font-weight:600}.medium{color:#1a55a5}.low{color:#666}
.failing{color:#b00020}.done{color:#2e7d32}.note{border-left:3px solid #ccc;margin:.4rem 0;padding-left:.6rem;color:#444}
";

/// Renders the report as a self-contained HTML page.
pub fn render_html(report: &Report) -> String {
    let mut out = String::new();
    let title = format!("Pre-release review: {}", report.project.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    header(&mut out, report);
    // What changed comes first: it is what a reviewer reads the report for.
    changed(&mut out, report);
    trend(&mut out, report);
    phases(&mut out, report);
    open_items(&mut out, report);
    waived(&mut out, report);
    runs(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let p = &report.project;
    let entry = p
        .entrypoint
        .as_deref()
        .map_or_else(|| "no entrypoint found".to_owned(), code);
    let critical: usize = report.phases.iter().map(|p| p.critical_open).sum();
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · entrypoint {entry} · {} · generated {}</p>\n\
         <p><strong>{} of {} items settled</strong> (done, skipped or not applicable) · \
         <strong class=\"critical\">{critical} critical open</strong> · {} recurring due</p>",
        escape(p.framework.display_name()),
        code(&p.path),
        escape(&report.generated_at),
        report.done,
        report.total,
        report.due.len()
    );
}

/// Regressions, stale decisions and due tasks, in one box at the top.
fn changed(out: &mut String, report: &Report) {
    out.push_str("<section class=\"changed\">\n");
    let _ = writeln!(
        out,
        "<h2><span class=\"mark regressed\">↯</span> Regressed ({})</h2>",
        report.regressions.len()
    );
    if report.regressions.is_empty() {
        out.push_str("<p>Nothing regressed since the previous check run.</p>\n");
    } else {
        let since = report
            .changes
            .since
            .as_deref()
            .map(|at| format!(" since the run of {}", escape(at)))
            .unwrap_or_default();
        let _ = writeln!(out, "<p>Failing now, passing{since}:</p>\n<ul>");
        for id in &report.regressions {
            let problem = crate::checklist::Checklist::get()
                .item(id)
                .map(|item| format!(" — {}", inline(&item.problem)))
                .unwrap_or_default();
            let _ = writeln!(out, "<li>{}{problem}</li>", code(id));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<h2><span class=\"mark stale\">≠</span> Stale ({})</h2>",
        report.stale_items.len()
    );
    if report.stale_items.is_empty() {
        out.push_str("<p>No decision rests on files that changed since it was made.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for item in &report.stale_items {
            let _ = writeln!(
                out,
                "<li>{} {} ({}) — {}</li>",
                code(&item.id),
                inline(&item.title),
                item.status,
                escape(&item.why)
            );
        }
        out.push_str("</ul>\n");
    }
    due(out, report);
    out.push_str("</section>\n");
}

/// Failing critical and high items per check run, as an inline SVG line chart.
fn trend(out: &mut String, report: &Report) {
    out.push_str("<h2>Trend</h2>\n");
    if report.trend.len() < 2 {
        out.push_str("<p>One check run so far: the trend shows from the second.</p>\n");
        return;
    }
    out.push_str(&trend_svg(&report.trend));
}

/// The chart itself: one point per run, the y axis from 0 to the worst run.
pub fn trend_svg(points: &[super::TrendPoint]) -> String {
    const W: usize = 600;
    const H: usize = 120;
    const LEFT: usize = 30;
    const TOP: usize = 10;
    const BOTTOM: usize = 20;
    let max = points.iter().map(|p| p.failing).max().unwrap_or(0).max(1);
    let steps = points.len().saturating_sub(1).max(1);
    let plot_w = W - LEFT - 10;
    let plot_h = H - TOP - BOTTOM;
    let xy = |index: usize, value: usize| {
        (
            LEFT + index * plot_w / steps,
            TOP + plot_h - value * plot_h / max,
        )
    };
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let (x, y) = xy(index, p.failing);
            format!("{x},{y}")
        })
        .collect();
    let mut svg = format!(
        "<svg class=\"trend\" role=\"img\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n<title>Failing critical and high items over the \
         last {} check runs: {}</title>\n",
        points.len(),
        points
            .iter()
            .map(|p| p.failing.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let base = TOP + plot_h;
    let _ = writeln!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#bbb\"/>\n\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\" stroke=\"#bbb\"/>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        LEFT + plot_w,
        LEFT - 4,
        TOP + 4,
        LEFT - 4,
        base + 4
    );
    let _ = writeln!(
        svg,
        "<polyline fill=\"none\" stroke=\"#b00020\" stroke-width=\"2\" points=\"{}\"/>",
        line.join(" ")
    );
    for (index, p) in points.iter().enumerate() {
        let (x, y) = xy(index, p.failing);
        let _ = writeln!(
            svg,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"#b00020\"><title>{}: {}</title></circle>",
            escape(&p.at),
            p.failing
        );
    }
    let (first, last) = (&points[0], &points[points.len() - 1]);
    let _ = writeln!(
        svg,
        "<text x=\"{LEFT}\" y=\"{}\">{}</text>\n<text x=\"{}\" y=\"{}\" \
         text-anchor=\"end\">{}</text>\n</svg>",
        H - 4,
        escape(day(&first.at)),
        LEFT + plot_w,
        H - 4,
        escape(day(&last.at))
    );
    svg
}

/// The date of an RFC 3339 time.
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// Checklist prose with its `inline code` shown as code, everything escaped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks leaves the last one as it is.
    let closed = parts.len() % 2 == 1;
    for (index, part) in parts.iter().enumerate() {
        let last = index == parts.len() - 1;
        if index % 2 == 1 && (closed || !last) {
            out.push_str(&code(part));
        } else {
            if index % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

fn phases(out: &mut String, report: &Report) {
    out.push_str(
        "<h2>Progress</h2>\n<table>\n<tr><th>phase</th><th>settled</th><th></th>\
         <th>critical open</th><th>due</th></tr>\n",
    );
    for phase in &report.phases {
        let width = (phase.done * 100).checked_div(phase.total).unwrap_or(0);
        let _ = writeln!(
            out,
            "<tr><td>{} {}</td><td>{}/{}</td><td><span class=\"barbg\"><span class=\"bar\" \
             style=\"width:{width}%\"></span></span></td><td>{}</td><td>{}</td></tr>",
            phase.number,
            escape(&phase.name),
            phase.done,
            phase.total,
            phase.critical_open,
            phase.due
        );
    }
    out.push_str("</table>\n");
}

fn open_items(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<h2>Open critical and high items ({})</h2>",
        report.open.len()
    );
    if report.open.is_empty() {
        out.push_str("<p>None: every critical and high item is settled.</p>\n");
        return;
    }
    for item in &report.open {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\"><span class=\"{}\">{}</span> {} — {}</h3>\n\
             <p class=\"meta\">{} · {}{} · decided by {} · phase {}</p>",
            escape(&item.id),
            status_class(item.status),
            item.status.symbol(),
            code(&item.id),
            inline(&item.title),
            severity(item.severity),
            item.status,
            item.at
                .as_deref()
                .map(|at| format!(" since {}", escape(at)))
                .unwrap_or_default(),
            escape(&item.how),
            item.phase
        );
        if !item.evidence.is_empty() {
            out.push_str("<ul>\n");
            for evidence in &item.evidence {
                let text = evidence
                    .text
                    .as_deref()
                    .map(|t| format!(" — {}", code(t)))
                    .unwrap_or_default();
                let _ = writeln!(out, "<li>{}{text}</li>", code(&evidence.location()));
            }
            out.push_str("</ul>\n");
        }
        if let Some(note) = &item.note {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        out.push_str("<p><strong>Fix:</strong></p>\n");
        for block in super::fix_blocks(&item.fix) {
            if block.code {
                let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(&block.text));
            } else {
                let _ = writeln!(out, "<p>{}</p>", inline(&block.text));
            }
        }
    }
}

fn waived(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<h2>Skipped and not applicable ({})</h2>",
        report.waived.len()
    );
    if report.waived.is_empty() {
        out.push_str("<p>None.</p>\n");
        return;
    }
    out.push_str(
        "<table>\n<tr><th>item</th><th>severity</th><th>status</th><th>reason</th>\
         <th>since</th></tr>\n",
    );
    for item in &report.waived {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            code(&item.id),
            severity(item.severity),
            item.status,
            escape(&item.reason),
            escape(&item.at)
        );
    }
    out.push_str("</table>\n");
}

fn due(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<h2><span class=\"mark due\">⏰</span> Recurring tasks due ({})</h2>",
        report.due_items.len()
    );
    if report.due_items.is_empty() {
        out.push_str("<p>None due.</p>\n");
        return;
    }
    out.push_str("<table>\n<tr><th>item</th><th>every</th><th>last done</th></tr>\n");
    for item in &report.due_items {
        let _ = writeln!(
            out,
            "<tr><td>{} {}</td><td>{} days</td><td>{}</td></tr>",
            code(&item.id),
            inline(&item.title),
            item.period_days,
            escape(item.last_done.as_deref().map_or("never", day))
        );
    }
    out.push_str("</table>\n");
}

fn runs(out: &mut String, report: &Report) {
    out.push_str("<h2>Check runs</h2>\n");
    if report.runs.is_empty() {
        out.push_str("<p>No check run recorded yet.</p>\n");
        return;
    }
    out.push_str("<table>\n<tr><th>when</th><th>failing</th><th>passed</th></tr>\n");
    for run in &report.runs {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&run.at),
            run.failing,
            run.passed
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<p>{}</p>",
        changes_line(&report.changes, code, escape)
    );
}

/// A severity in its colour.
fn severity(severity: Severity) -> String {
    format!("<span class=\"{0}\">{0}</span>", severity.as_str())
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Failing => "failing",
        Status::Done => "done",
        _ => "",
    }
}

/// Escaped text in `<code>`.
fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

//! `preflight generate`: write the deployment files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use crossterm::style::Color;

use super::style::Style;
use crate::answers::{self, Layers};
use crate::config::UserConfig;
use crate::generate::{self, Action, Plan, Written};
use crate::state::State;

const AFTER_HELP: &str = "\
Files (--only names): env (.env), env-example (.env.example), gunicorn (gunicorn.conf.py),
procfile (Procfile), nginx (nginx.conf), fly (fly.toml), dockerfile (Dockerfile and
.dockerignore), compose (compose.yaml), render (render.yaml), railway (railway.toml),
systemd (gunicorn.service), python-version (.python-version).
Default: what the answered platform runs on, besides env, env-example and gunicorn:
  fly: fly, dockerfile            heroku: procfile, python-version
  render: render                  railway: railway
  docker: dockerfile, compose, nginx    vps: nginx, systemd

Answer keys (--set KEY=VALUE; saved in .preflight/state.toml for the next run):
  app_name, domain, port, wsgi_app, asgi, workers, platform, region, health_path, static_url,
  static_dir, app_root, cors_origins, max_body_mb, api_rate, login_rate, python_version,
  release_command, cert_path, key_path, add_server_packages, api_consumers
An answer comes from --set, else the state file, else what the scan detected, else your
config.toml [answers], else preflight's default.

.env and .env.example are merged: existing lines stay, missing keys are appended (fresh secrets
in .env, placeholders in .env.example); .env gets mode 0600 and is added to .gitignore. Any other
file that exists and differs is left alone (skipped: differs) unless --force, which copies it to
.preflight/backups/<UTC time>/ first. A file preflight wrote and nobody edited since is updated
in place. --dry-run never shows a secret: new ones appear as <generated: N chars>.

Examples:
  preflight generate --set domain=api.example.com
  preflight generate --only nginx --set cert_path=/etc/ssl/api.pem --set key_path=/etc/ssl/api.key
  preflight generate --dry-run          show the diffs, write nothing";

/// Arguments of `generate`.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct GenerateArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only these files, comma-separated: env, env-example, gunicorn, procfile, nginx, fly,
    /// dockerfile, compose, render, railway, systemd, python-version (default: the platform's).
    #[arg(long, value_name = "LIST")]
    pub only: Option<String>,
    /// Set an answer (repeatable): --set domain=api.example.com --set port=8000.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print a unified diff per file and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace files that differ, after copying them to .preflight/backups/.
    #[arg(long)]
    pub force: bool,
}

/// Runs `generate`.
pub fn run(args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    super::require_dir(&args.path)?;
    let only = match &args.only {
        Some(list) => Some(generate::parse_only(list)?),
        None => None,
    };
    let mut set = BTreeMap::new();
    for arg in &args.set {
        let (key, value) = answers::parse_set(arg)?;
        set.insert(key, value);
    }
    let state = State::load(&args.path)?;
    // The whole scan, not just the project: the notes below compare the files with the app.
    let scan = crate::scan::scan(&args.path)?;
    let project = scan.project.clone();
    let user = UserConfig::load()?.answers;
    let answers = answers::resolve(Layers {
        set: &set,
        saved: &state.answers,
        project: &project,
        user: &user,
    })?;
    // Without --only: the files the answered platform runs on.
    let only = only.unwrap_or_else(|| generate::platform::default_kinds(answers.get("platform")));
    let plan = generate::plan(&project, &answers, &state, &only, args.force)?;
    let style = Style::detect();
    for note in &plan.notes {
        eprintln!("note: {note}");
    }
    for note in generate::advice(&scan, &answers, &only) {
        eprintln!("note: {note}");
    }
    if args.dry_run {
        print_dry_run(&plan, style);
        return Ok(ExitCode::SUCCESS);
    }
    // Writing and recording happen under the project's lock, on the state as
    // it is now (a `mark` since the plan was made is kept).
    let lock = crate::state::StateLock::acquire(&args.path)?;
    let mut state = State::load(&args.path)?;
    state.answers.extend(answers.set_by_user());
    // Save once before writing anything: a state file that cannot be saved
    // stops the run here, not after .env got secrets nobody recorded.
    state.save(&args.path)?;
    let result = generate::apply(&plan, &mut state);
    // Save what was written even when a later file failed, so hashes stay true.
    state.save(&args.path)?;
    drop(lock);
    let written = result?;
    for file in &written {
        println!("{}", result_line(file, style));
    }
    for side in plan
        .side_files
        .iter()
        .filter(|side| side.kind == generate::SideKind::Requirements)
    {
        println!(
            "{} {}  ({})",
            style.paint(&format!("{:<16}", "updated"), Color::Green),
            side.name,
            side.why
        );
    }
    if written.iter().any(|file| file.gitignored) {
        eprintln!("note: added .env to .gitignore, so its secrets stay out of git");
    }
    Ok(ExitCode::SUCCESS)
}

/// The diffs, then one line per file saying what a real run would do.
fn print_dry_run(plan: &Plan, style: Style) {
    for file in &plan.files {
        let diff = file.diff();
        if !diff.is_empty() {
            print!("{}", colour_diff(&diff, style));
            if !diff.ends_with('\n') {
                println!();
            }
        }
    }
    for side in &plan.side_files {
        print!("{}", colour_diff(&side.diff(), style));
    }
    for file in &plan.files {
        let label = file.action.planned_label();
        println!(
            "{} {}{}",
            style.paint(&format!("{label:<16}"), colour(&file.action)),
            file.kind.file_name(),
            hint(&file.action, file.forced)
        );
    }
    for side in &plan.side_files {
        println!(
            "{} {}  ({})",
            style.paint(&format!("{:<16}", side.planned_label()), Color::Green),
            side.name,
            side.why
        );
    }
    println!("{}", style.dim("dry run: nothing was written"));
}

/// One result line: `created          gunicorn.conf.py`.
fn result_line(written: &Written, style: Style) -> String {
    let label = written.action.done_label();
    let mut line = format!(
        "{} {}",
        style.paint(&format!("{label:<16}"), colour(&written.action)),
        written.kind.file_name()
    );
    if let Some(backup) = &written.backup {
        line.push_str("  (backup: ");
        line.push_str(backup);
        line.push(')');
    } else {
        line.push_str(hint(&written.action, false));
    }
    line
}

/// What to do about a skipped file.
fn hint(action: &Action, forced: bool) -> &'static str {
    match action {
        Action::SkipDiffers => {
            "  (yours is kept; --dry-run shows the difference, --force replaces it after a backup)"
        }
        Action::Update if forced => "  (--force: the current file is backed up first)",
        _ => "",
    }
}

fn colour(action: &Action) -> Color {
    match action {
        Action::Create | Action::Update => Color::Green,
        Action::Unchanged => Color::DarkGrey,
        Action::SkipDiffers => Color::Yellow,
    }
}

/// Colours diff lines when the terminal takes colour.
fn colour_diff(diff: &str, style: Style) -> String {
    if !style.colour {
        return diff.to_owned();
    }
    let mut out = String::with_capacity(diff.len());
    for line in diff.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let painted = if body.starts_with("+++") || body.starts_with("---") {
            style.bold(body)
        } else if body.starts_with('+') {
            style.paint(body, Color::Green)
        } else if body.starts_with('-') {
            style.paint(body, Color::Red)
        } else if body.starts_with("@@") {
            style.paint(body, Color::Cyan)
        } else {
            body.to_owned()
        };
        out.push_str(&painted);
        out.push_str(&line[body.len()..]);
    }
    out
}

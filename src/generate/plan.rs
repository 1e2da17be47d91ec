//! The planner: renders every requested file and decides, without touching
//! the disk, what writing each would do.

use std::path::Path;

use super::kinds::env::empty_heading;
use super::{Action, Plan, PlannedFile, SideFile, SideKind, render};
use crate::answers::Answers;
use crate::digest::sha256_hex;
use crate::envfile;
use crate::filekind::FileKind;
use crate::fsutil::decode_text;
use crate::project::Project;
use crate::state::State;

/// Renders the requested files and decides what writing each would do.
///
/// `force` replaces files that differ (after a backup) instead of skipping them.
pub fn plan(
    project: &Project,
    answers: &Answers,
    state: &State,
    only: &[FileKind],
    force: bool,
) -> anyhow::Result<Plan> {
    let root = &project.root;
    let mut rendered = Vec::new();
    for &kind in only.iter().filter(|kind| !kind.is_merged()) {
        rendered.push((kind, render(kind, project, answers)?));
    }
    let env_plan = if only.iter().any(|kind| kind.is_merged()) {
        Some(envfile::plan_with(
            project,
            &answers.to_map(),
            &state.env_values,
        )?)
    } else {
        None
    };
    let mut files = Vec::new();
    for &kind in only {
        let path = root.join(kind.file_name());
        let old = read_existing(root, &path)?;
        let (mut new, secrets) = match (kind, &env_plan) {
            (FileKind::Env, Some(env)) => (
                env.env.clone(),
                env.generated.iter().map(|(var, _)| var.clone()).collect(),
            ),
            (FileKind::EnvExample, Some(env)) => (env.env_example.clone(), Vec::new()),
            _ => {
                let text = rendered.iter().find(|(k, _)| *k == kind).map(|(_, t)| t);
                (text.cloned().unwrap_or_default(), Vec::new())
            }
        };
        if old.is_none() && new.is_empty() {
            new = empty_heading(kind, answers.get("app_name"));
        }
        let (action, forced) = decide(kind, old.as_deref(), &new, state, force);
        files.push(PlannedFile {
            kind,
            path,
            old,
            new,
            action,
            forced,
            secrets,
        });
    }
    let (env_generated, notes, env_answered) = match env_plan {
        Some(env) if only.contains(&FileKind::Env) => (env.generated, env.notes, env.answered),
        Some(env) => (Vec::new(), env.notes, Vec::new()),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let mut side_files = Vec::new();
    if only.contains(&FileKind::Env) && !crate::gitignore::is_ignored(root, ".env") {
        let path = root.join(".gitignore");
        let old = read_existing(root, &path)?;
        let new = crate::gitignore::appended(old.as_deref().unwrap_or("").as_bytes(), ".env");
        side_files.push(SideFile {
            kind: SideKind::Gitignore,
            name: ".gitignore".to_owned(),
            old,
            new: String::from_utf8_lossy(&new).into_owned(),
            why: "adds .env, so its secrets stay out of git".to_owned(),
        });
    }
    if let Some(requirements) = super::kinds::requirements::file(project, answers, only) {
        let old = read_existing(root, &root.join(&requirements))?;
        if let Some((name, new, why)) = super::kinds::requirements::addition(
            project,
            answers,
            only,
            old.as_deref().unwrap_or(""),
        ) {
            side_files.push(SideFile {
                kind: SideKind::Requirements,
                name,
                old,
                new,
                why,
            });
        }
    }
    Ok(Plan {
        root: root.clone(),
        files,
        env_generated,
        notes,
        env_answered,
        side_files,
    })
}

/// What to do with a file given what is on disk.
pub(super) fn decide(
    kind: FileKind,
    old: Option<&str>,
    new: &str,
    state: &State,
    force: bool,
) -> (Action, bool) {
    match old {
        None => (Action::Create, false),
        Some(old) if old == new => (Action::Unchanged, false),
        Some(_) if kind.is_merged() => (Action::Update, false),
        Some(old) => {
            let ours = state
                .generated
                .get(kind.file_name())
                .is_some_and(|record| record.sha256 == sha256_hex(old.as_bytes()));
            if ours {
                (Action::Update, false)
            } else if force {
                (Action::Update, true)
            } else {
                (Action::SkipDiffers, false)
            }
        }
    }
}

/// The file's text, or `None` when there is no file.
fn read_existing(root: &Path, path: &Path) -> anyhow::Result<Option<String>> {
    match crate::fsutil::read_in(root, path) {
        Ok(bytes) => Ok(bytes.map(|bytes| decode_text(&bytes))),
        Err(err) if format!("{err:#}").contains("hint:") => Err(err),
        Err(err) => anyhow::bail!(
            "{err:#}\n  hint: generate writes a file there; move away what is in the way, or \
             leave it out with --only"
        ),
    }
}

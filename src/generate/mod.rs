//! Generating the deployment files and writing them safely.
//!
//! [`plan`] renders every requested file and decides, without touching the
//! disk, what writing would do: create it, leave it (unchanged), replace it,
//! or leave a file the user changed alone (`skipped: differs`). `.env` and
//! `.env.example` come from the secrets engine ([`crate::envfile`]) and are
//! merged, never replaced. The wizard's Files step shows that plan and its
//! diffs (secret values masked); [`apply`] then writes it, backing up whatever
//! it replaces and recording hashes, generated secrets and checklist items in
//! the state file.

mod advice;
mod kinds;
mod mask;
mod plan;
pub mod platform;
mod template;
mod write;

use std::path::PathBuf;

use anyhow::bail;

pub use self::advice::advice;
pub use self::mask::mask_env_diff;
pub use self::plan::plan;
pub use self::template::{header, render};
pub use self::write::{apply, mark_items_done, record_generated};
pub use crate::digest::sha256_hex;
pub use crate::filekind::FileKind;
use crate::secrets::SecretKind;

/// Parses `--only gunicorn,nginx` (names may repeat; order does not matter).
pub fn parse_only(list: &str) -> anyhow::Result<Vec<FileKind>> {
    let mut kinds = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let named = FileKind::all_named(&name.to_ascii_lowercase());
        if named.is_empty() {
            let mut choices: Vec<&str> = FileKind::ALL.iter().map(|k| k.name()).collect();
            choices.dedup();
            bail!(
                "`--only {name}` is not a file preflight generates\n  hint: choose from {}",
                choices.join(", ")
            );
        }
        kinds.extend(named);
    }
    if kinds.is_empty() {
        bail!("`--only` names no file\n  hint: for example --only nginx,fly");
    }
    kinds.sort();
    kinds.dedup();
    Ok(kinds)
}

/// What writing a planned file does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The file does not exist yet.
    Create,
    /// The file already holds exactly this.
    Unchanged,
    /// The file is replaced (`--force`, or preflight wrote it and nobody
    /// edited it since), or, for `.env` files, keys are appended.
    Update,
    /// The file differs and was not written by preflight as it is now; left alone.
    SkipDiffers,
}

impl Action {
    /// The word used in the result line (`created`, `skipped: differs`).
    pub fn done_label(&self) -> &'static str {
        match self {
            Self::Create => "created",
            Self::Unchanged => "unchanged",
            Self::Update => "updated",
            Self::SkipDiffers => "skipped: differs",
        }
    }

    /// The same, as an intention for `--dry-run` (`would create`).
    pub fn planned_label(&self) -> &'static str {
        match self {
            Self::Create => "would create",
            Self::Unchanged => "unchanged",
            Self::Update => "would update",
            Self::SkipDiffers => "skipped: differs",
        }
    }

    /// Whether applying the plan writes this file.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Create | Self::Update)
    }
}

/// One file of a plan: what is on disk, what would be written, and what happens.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Which file.
    pub kind: FileKind,
    /// Where the file goes.
    pub path: PathBuf,
    /// What is there now, if anything.
    pub old: Option<String>,
    /// What preflight would write.
    pub new: String,
    /// What writing would do with it.
    pub action: Action,
    /// For `Update`: whether the user asked for it with `--force` (else the
    /// file was preflight's own, unedited since, or is merged).
    pub forced: bool,
    /// The variables that get a freshly generated secret in this file.
    pub secrets: Vec<String>,
}

impl PlannedFile {
    /// A unified diff from what is on disk to what would be written (empty
    /// when equal). In `.env`, new secrets show as `<generated: N chars>` and
    /// existing values as `<kept: N chars>` (`<hidden>` where removed): a diff
    /// never prints a secret.
    pub fn diff(&self) -> String {
        let diff = self.raw_diff();
        if self.kind == FileKind::Env {
            let old = self.old.as_deref().unwrap_or("");
            mask_env_diff(&diff, old, &self.new, &self.secrets)
        } else {
            diff
        }
    }

    fn raw_diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        if old == self.new {
            return String::new();
        }
        let name = self.kind.file_name();
        let from = if self.old.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".to_owned()
        };
        similar::TextDiff::from_lines(old, &self.new)
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{name}"))
            .to_string()
    }
}

/// Everything `generate` would do, computed without writing anything.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The project directory.
    pub root: PathBuf,
    /// The requested files, in the order they are written.
    pub files: Vec<PlannedFile>,
    /// The secrets `.env` would get, by variable name and kind (never values).
    pub env_generated: Vec<(String, SecretKind)>,
    /// What the user should know about their `.env` (an empty or weak
    /// secret, by name), from the secrets engine.
    pub notes: Vec<String>,
    /// The answer-derived settings `.env` gets (appended or updated), by
    /// variable and value; [`apply`] records a hash of each.
    pub env_answered: Vec<(String, String)>,
    /// Other files writing the plan changes: `.gitignore` when `.env` is not
    /// ignored yet.
    pub side_files: Vec<SideFile>,
}

/// Which file a [`SideFile`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideKind {
    /// `.gitignore`, when `.env` is not ignored yet (written with `.env`).
    Gitignore,
    /// The project's requirements file, when the user agreed to add the
    /// server packages a start command needs.
    Requirements,
}

/// A file `generate` changes along with the ones asked for.
#[derive(Debug, Clone)]
pub struct SideFile {
    /// Which file.
    pub kind: SideKind,
    /// Its name in the project (`.gitignore`).
    pub name: String,
    /// What is there now, if anything.
    pub old: Option<String>,
    /// What it would hold.
    pub new: String,
    /// Why it changes, for the result line.
    pub why: String,
}

impl SideFile {
    /// A unified diff from what is on disk to what would be written.
    pub fn diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let from = if self.old.is_some() {
            format!("a/{}", self.name)
        } else {
            "/dev/null".to_owned()
        };
        similar::TextDiff::from_lines(old, &self.new)
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{}", self.name))
            .to_string()
    }

    /// `would create` or `would update`.
    pub fn planned_label(&self) -> &'static str {
        if self.old.is_some() {
            "would update"
        } else {
            "would create"
        }
    }
}

/// What writing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Which file.
    pub kind: FileKind,
    /// What was done with it.
    pub action: Action,
    /// Where the replaced file was copied first, relative to the project.
    pub backup: Option<String>,
    /// Whether `.env` was added to `.gitignore` along with it.
    pub gitignored: bool,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::plan::decide;
    use super::*;
    use crate::answers::Answers;
    use crate::answers::{Layers, resolve};
    use crate::project::{Framework, Project};
    use crate::state::{State, Status};
    use std::collections::BTreeMap;

    fn project(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            name: "shop".into(),
            framework: Framework::Fastapi,
            entrypoint: Some("app.main:app".into()),
            asgi: true,
            ..Project::default()
        }
    }

    fn answers(project: &Project, set: &[(&str, &str)]) -> Answers {
        let set: BTreeMap<String, String> = set
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let empty = BTreeMap::new();
        resolve(Layers {
            set: &set,
            saved: &empty,
            project,
            user: &empty,
        })
        .unwrap()
    }

    #[test]
    fn parses_only_lists() {
        assert_eq!(
            parse_only("fly, nginx,fly").unwrap(),
            vec![FileKind::Nginx, FileKind::Fly]
        );
        assert_eq!(
            parse_only(".env,nginx.conf,Procfile").unwrap(),
            vec![FileKind::Env, FileKind::Procfile, FileKind::Nginx]
        );
        assert!(parse_only("docker").is_err());
        assert!(parse_only(" , ").is_err());
    }

    #[test]
    fn decides_per_file_state() {
        let mut state = State::default();
        let new = "new\n";
        assert_eq!(
            decide(FileKind::Fly, None, new, &state, false),
            (Action::Create, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some(new), new, &state, false),
            (Action::Unchanged, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some("mine\n"), new, &state, false),
            (Action::SkipDiffers, false)
        );
        assert_eq!(
            decide(FileKind::Fly, Some("mine\n"), new, &state, true),
            (Action::Update, true)
        );
        assert_eq!(
            decide(FileKind::Env, Some("A=1\n"), "A=1\nB=2\n", &state, false),
            (Action::Update, false),
            "merged files are never skipped"
        );
        record_generated(&mut state, "fly.toml", b"old\n");
        assert_eq!(
            decide(FileKind::Fly, Some("old\n"), new, &state, false),
            (Action::Update, false),
            "preflight's own unedited file follows the answers"
        );
    }

    #[test]
    fn plan_then_apply_writes_backs_up_and_records() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let answers = answers(&project, &[("domain", "api.example.com")]);
        std::fs::write(dir.path().join("Procfile"), "web: mine\n").unwrap();
        let mut state = State::default();
        state.mark(
            "reverse-proxy",
            Status::Na,
            Some("fly terminates TLS".into()),
        );

        let templated = [
            FileKind::Gunicorn,
            FileKind::Procfile,
            FileKind::Nginx,
            FileKind::Fly,
        ];
        let planned = plan(&project, &answers, &state, &templated, false).unwrap();
        let actions: Vec<_> = planned.files.iter().map(|f| f.action.clone()).collect();
        assert_eq!(
            actions,
            [
                Action::Create,
                Action::SkipDiffers,
                Action::Create,
                Action::Create
            ]
        );
        assert!(planned.files[1].diff().contains("-web: mine\n"));
        let written = apply(&planned, &mut state).unwrap();
        assert_eq!(written.len(), 4);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Procfile")).unwrap(),
            "web: mine\n"
        );
        assert!(state.generated.contains_key("nginx.conf"));
        assert!(!state.generated.contains_key("Procfile"));
        assert_eq!(state.items["wsgi-server"].status, Status::Done);
        assert_eq!(
            state.items["reverse-proxy"].status,
            Status::Na,
            "a person's n/a stands"
        );
        assert!(
            !state.items.contains_key("procfile"),
            "skipped file satisfies nothing"
        );

        let forced = plan(&project, &answers, &state, &[FileKind::Procfile], true).unwrap();
        let written = apply(&forced, &mut state).unwrap();
        let backup = written[0].backup.as_deref().unwrap();
        assert!(backup.starts_with(".preflight/backups/"), "{backup}");
        let ignore = std::fs::read_to_string(dir.path().join(".preflight/backups/.gitignore"));
        assert!(
            ignore.unwrap().lines().any(|l| l == "*"),
            "backups are never committed"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(backup)).unwrap(),
            "web: mine\n"
        );
    }

    #[test]
    fn headers_name_the_answers_and_how_to_regenerate() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let answers = answers(&project, &[]);
        let text = header(FileKind::Nginx, &project, &answers);
        assert!(text.contains("generated by preflight"));
        assert!(text.contains("domain=shop.fly.dev"));
        assert!(text.contains("preflight generate --only nginx"));
        assert!(text.lines().all(|l| l.starts_with('#') && l.len() <= 100));
    }

    #[test]
    fn env_diffs_mask_secrets_old_and_new() {
        let old = "# keys\nPASSWORD=hunter2\n";
        let new = "# keys\nPASSWORD=hunter2\n# new\nSECRET_KEY=abcdefghij\n\
                   DATABASE_URL=postgres://app:pw12345678@db/app\nDEBUG=False\n";
        let new = new.replace("pw12345678", "abcdefghij");
        let file = PlannedFile {
            kind: FileKind::Env,
            path: PathBuf::from(".env"),
            old: Some(old.to_owned()),
            new: new.clone(),
            action: Action::Update,
            forced: false,
            secrets: vec!["SECRET_KEY".into()],
        };
        let diff = file.diff();
        assert!(diff.contains("\n PASSWORD=<kept: 7 chars>\n"), "{diff}");
        assert!(
            diff.contains("\n+SECRET_KEY=<generated: 10 chars>\n"),
            "{diff}"
        );
        assert!(
            diff.contains("+DATABASE_URL=<hidden: holds a generated secret>"),
            "{diff}"
        );
        assert!(diff.contains("\n+DEBUG=False\n"), "{diff}");
        assert!(
            !diff.contains("hunter2") && !diff.contains("abcdefghij"),
            "{diff}"
        );
    }

    #[test]
    fn answers_shape_the_rendered_files() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let vps = answers(&project, &[("platform", "vps"), ("workers", "3")]);
        let gunicorn = render(FileKind::Gunicorn, &project, &vps).unwrap();
        assert!(gunicorn.contains(r#"bind = "127.0.0.1:" + (os.environ.get("PORT") or "8000")"#));
        assert!(gunicorn.contains("\nforwarded_allow_ips = \"127.0.0.1,::1\"\n"));
        let docker = answers(&project, &[("platform", "docker")]);
        let gunicorn_docker = render(FileKind::Gunicorn, &project, &docker).unwrap();
        assert!(
            gunicorn_docker.contains("\nforwarded_allow_ips = \"172.30.0.10\"\n"),
            "only nginx's compose address"
        );
        assert!(gunicorn.contains(r#"os.environ.get("WEB_CONCURRENCY") or 3)"#));
        let fly = render(FileKind::Fly, &project, &vps).unwrap();
        assert!(fly.contains("WEB_CONCURRENCY = \"3\""), "{fly}");

        let release = answers(
            &project,
            &[
                ("release_command", "alembic upgrade head"),
                ("domain", "a.example.com,b.example.com"),
            ],
        );
        let procfile = render(FileKind::Procfile, &project, &release).unwrap();
        assert!(
            procfile.contains("\nrelease: alembic upgrade head\n"),
            "{procfile}"
        );
        let nginx = render(FileKind::Nginx, &project, &release).unwrap();
        assert_eq!(
            nginx
                .matches("server_name a.example.com b.example.com;")
                .count(),
            2,
            "the HTTP and HTTPS servers"
        );
        assert!(nginx.contains("-d a.example.com -d b.example.com"));
    }
}

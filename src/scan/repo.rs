//! The repository around a nested project: a backend checked as `preflight
//! check backend/` keeps its lock file, CI workflows and deploy folder at the
//! repository's top (issue 11, class 5).
//!
//! **Why the git root is the boundary.** "Never read outside the project"
//! means outside the *repository* the user cloned: everything between the
//! project folder and the directory holding `.git` came in the same clone,
//! from the same authors, and is what `git clone` put on disk — the lock file
//! a workspace shares, the `.github/workflows/` GitHub runs (it only runs them
//! from the repository's top), the `deploy/` folder. Above the git root is the
//! user's own disk (their home, other clones), which preflight never reads.
//! When no `.git` is found within [`MAX_LEVELS`] folders above the project,
//! nothing above the project is read at all: without a repository there is no
//! boundary to trust.
//!
//! Only specific names are read ([`LOCK_FILES`], CI files, the deploy folders
//! `deploy/`, `ops/`, `docker/` and `infra/`, compose and platform files,
//! gunicorn configs), regular files only (a symlink, a FIFO or a
//! device is skipped, never opened in a way that could hang or lead
//! elsewhere), at most [`MAX_FILES`] of at most [`MAX_FILE_BYTES`] each.
//! Nothing is ever written there. Files read appear in the scan with paths
//! relative to the project (`../.github/workflows/ci.yml`).

use std::path::{Path, PathBuf};

use super::walk::{FileKind, TextFile, classify};

/// How many folders above the project the git root may be.
pub const MAX_LEVELS: usize = 4;

/// At most this many files are read above the project.
pub const MAX_FILES: usize = 64;

/// A file above the project bigger than this is not read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Lock files that pin every dependency.
pub const LOCK_FILES: &[&str] = &["poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock"];

/// CI definitions at the repository's top, as the CI services read them.
const CI_FILES: &[&str] = &[
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    "Jenkinsfile",
    ".pre-commit-config.yaml",
];

/// Folders whose CI files are read whole (yaml files only).
const CI_DIRS: &[&str] = &[".github/workflows", ".circleci"];

/// Folders of deployment files, in the git root or any folder between it
/// and the project.
const DEPLOY_DIRS: &[&str] = &["deploy", "ops", "docker", "infra"];

/// Whether `dir` holds a git repository's `.git`: a folder, or the `gitdir:`
/// file a worktree or submodule has. A symlink named `.git` is not trusted.
fn holds_git(dir: &Path) -> bool {
    let marker = dir.join(".git");
    let Ok(meta) = std::fs::symlink_metadata(&marker) else {
        return false;
    };
    if meta.is_dir() {
        return true;
    }
    meta.is_file()
        && meta.len() < 4096
        && crate::fsutil::read_regular(&marker).is_some_and(|bytes| bytes.starts_with(b"gitdir:"))
}

/// The folders above `root` up to and including the git root, nearest first;
/// empty when `root` is the git root itself or no git root is within
/// [`MAX_LEVELS`] folders above it.
pub fn dirs_above(root: &Path) -> Vec<PathBuf> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if holds_git(&root) {
        return Vec::new();
    }
    let mut dirs = Vec::new();
    for dir in root.ancestors().skip(1).take(MAX_LEVELS) {
        dirs.push(dir.to_path_buf());
        if holds_git(dir) {
            return dirs;
        }
    }
    Vec::new()
}

/// Whether `path` is a regular file (not a symlink, FIFO, device or folder).
pub fn is_regular(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file())
}

/// Whether `path` is a real folder (not a symlink to one).
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// The lock files in the folders above the project, as paths relative to it
/// (`../uv.lock`).
pub fn lock_files_above(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (level, dir) in dirs_above(root).iter().enumerate() {
        for name in LOCK_FILES {
            if is_regular(&dir.join(name)) {
                found.push(format!("{}{name}", up(level + 1)));
            }
        }
    }
    found
}

/// `../` repeated `levels` times.
fn up(levels: usize) -> String {
    "../".repeat(levels)
}

/// What a file above the project is to the scanner: the kinds that say how
/// the project is built, started and checked. A Python file is a gunicorn
/// config only when its name says so.
fn kind_above(name_rel: &str) -> Option<FileKind> {
    let name = name_rel.rsplit('/').next().unwrap_or(name_rel);
    if name.ends_with(".py") {
        return name.contains("gunicorn").then_some(FileKind::ServerConfig);
    }
    match classify(name_rel)? {
        kind @ (FileKind::Dockerfile
        | FileKind::Platform
        | FileKind::Service
        | FileKind::Script
        | FileKind::Nginx
        | FileKind::Procfile
        | FileKind::FlyToml
        | FileKind::Ci) => Some(kind),
        _ => None,
    }
}

/// Collects the files of folder `dir` (and one level of subfolders) whose
/// kind matters, as `(path, rel inside the repository folder)`.
fn files_in(dir: &Path, rel: &str, depth: usize, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let child = format!("{rel}/{name}");
        if is_real_dir(&path) {
            if depth > 0 {
                files_in(&path, &child, depth - 1, out);
            }
        } else if is_regular(&path) {
            out.push((path, child));
        }
    }
}

/// Reads the files above the project that say how it is locked, checked,
/// built and started: CI at the git root; deploy folders ([`DEPLOY_DIRS`]),
/// compose/platform files and gunicorn configs in every folder up to it.
pub fn files_above(root: &Path) -> Vec<TextFile> {
    let dirs = dirs_above(root);
    let Some(git_root) = dirs.last() else {
        return Vec::new();
    };
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    let git_level = dirs.len();
    for name in CI_FILES {
        candidates.push((git_root.join(name), (*name).to_owned()));
    }
    for ci in CI_DIRS {
        files_in(&git_root.join(ci), ci, 0, &mut candidates);
    }
    let mut out = Vec::new();
    push_read(&candidates, git_level, &mut out);
    for (level, dir) in dirs.iter().enumerate() {
        let mut candidates = Vec::new();
        for name in ["gunicorn.conf.py", "gunicorn_conf.py", "gunicorn.py"] {
            candidates.push((dir.join(name), name.to_owned()));
        }
        // A compose or platform file beside the backend's folder (`compose.yml`,
        // `render.yaml` with `rootDir: backend`), not any Dockerfile: one at the top
        // may build the frontend.
        let mut top = Vec::new();
        files_in(dir, "", 0, &mut top);
        candidates.extend(
            top.into_iter()
                .map(|(path, rel)| (path, rel.trim_start_matches('/').to_owned()))
                .filter(|(_, rel)| {
                    matches!(classify(rel), Some(FileKind::Platform | FileKind::FlyToml))
                }),
        );
        for deploy in DEPLOY_DIRS {
            let folder = dir.join(deploy);
            if is_real_dir(&folder) {
                files_in(&folder, deploy, 1, &mut candidates);
            }
        }
        push_read(&candidates, level + 1, &mut out);
    }
    out
}

/// Reads the candidates whose kind matters into `out`, within the bounds.
fn push_read(candidates: &[(PathBuf, String)], level: usize, out: &mut Vec<TextFile>) {
    for (path, rel) in candidates {
        if out.len() >= MAX_FILES {
            return;
        }
        let Some(kind) = kind_above(rel) else {
            continue;
        };
        let small = std::fs::symlink_metadata(path)
            .is_ok_and(|meta| meta.is_file() && meta.len() <= MAX_FILE_BYTES);
        if !small {
            continue;
        }
        if let Some(bytes) = crate::fsutil::read_regular(path) {
            out.push(TextFile {
                rel: format!("{}{rel}", up(level)),
                kind,
                text: crate::fsutil::decode_text(&bytes),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn rels(files: &[TextFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn reads_the_named_files_up_to_the_git_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let top = dir.path();
        std::fs::create_dir(top.join(".git")).expect("git");
        write(top, "uv.lock", "version = 1\n");
        write(top, ".github/workflows/ci.yml", "run: pytest\n");
        write(top, ".github/workflows/notes.txt", "not a workflow\n");
        write(top, "deploy/Dockerfile", "FROM python:3.12\n");
        write(top, "deploy/gunicorn.conf.py", "worker_class = 'x'\n");
        write(top, "deploy/README.md", "read me\n");
        write(top, "deploy/k8s/web.service", "[Service]\n");
        write(top, "compose.yml", "services: {}\n");
        write(top, "Dockerfile", "FROM node:20\n");
        write(top, "services/poetry.lock", "# lock\n");
        write(top, "services/api/app.py", "app = 1\n");
        write(
            top,
            "services/api/deploy/Dockerfile",
            "inside the project\n",
        );
        let root = top.join("services/api");
        assert_eq!(lock_files_above(&root), ["../poetry.lock", "../../uv.lock"]);
        let files = files_above(&root);
        assert_eq!(
            rels(&files),
            [
                "../../.github/workflows/ci.yml",
                "../../compose.yml",
                "../../deploy/Dockerfile",
                "../../deploy/gunicorn.conf.py",
                "../../deploy/k8s/web.service",
            ]
        );
        assert_eq!(files[3].kind, FileKind::ServerConfig);
        // Checked at the git root itself: nothing is above.
        assert!(files_above(top).is_empty());
        assert!(lock_files_above(top).is_empty());
    }

    #[test]
    fn nothing_above_without_a_git_root_or_past_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let top = dir.path();
        write(top, "uv.lock", "outside the repository\n");
        write(top, ".github/workflows/ci.yml", "run: pytest\n");
        write(top, "repo/backend/app.py", "app = 1\n");
        // No .git anywhere: the project is the boundary.
        assert!(files_above(&top.join("repo/backend")).is_empty());
        assert!(lock_files_above(&top.join("repo/backend")).is_empty());
        // A git root at repo/: the folder above it is never read.
        std::fs::create_dir(top.join("repo/.git")).expect("git");
        assert!(files_above(&top.join("repo/backend")).is_empty());
        assert!(lock_files_above(&top.join("repo/backend")).is_empty());
        // Too deep below the git root: nothing either.
        write(top, "repo/a/b/c/d/e/app.py", "app = 1\n");
        write(top, "repo/uv.lock", "version = 1\n");
        assert!(lock_files_above(&top.join("repo/a/b/c/d/e")).is_empty());
        assert_eq!(
            lock_files_above(&top.join("repo/a/b/c")),
            ["../../../uv.lock"]
        );
    }

    #[test]
    fn a_gitdir_file_marks_a_worktree_and_other_files_do_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let top = dir.path();
        write(top, "uv.lock", "version = 1\n");
        write(top, "backend/app.py", "app = 1\n");
        write(top, ".git", "not a gitdir line\n");
        assert!(lock_files_above(&top.join("backend")).is_empty());
        write(top, ".git", "gitdir: /elsewhere/.git/worktrees/x\n");
        assert_eq!(lock_files_above(&top.join("backend")), ["../uv.lock"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_big_files_above_are_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let top = dir.path();
        std::fs::create_dir(top.join(".git")).expect("git");
        write(top, "backend/app.py", "app = 1\n");
        write(outside.path(), "uv.lock", "version = 1\n");
        write(outside.path(), "ci.yml", "run: pytest\n");
        std::os::unix::fs::symlink(outside.path().join("uv.lock"), top.join("uv.lock"))
            .expect("link");
        std::fs::create_dir_all(top.join(".github/workflows")).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("ci.yml"),
            top.join(".github/workflows/ci.yml"),
        )
        .expect("link");
        std::os::unix::fs::symlink(outside.path(), top.join("deploy")).expect("link");
        std::fs::create_dir(top.join("ops")).expect("ops");
        let fifo = top.join("ops/Dockerfile");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        write(top, "ops/big.Dockerfile", &"#".repeat(2 * 1024 * 1024));
        let root = top.join("backend");
        assert!(lock_files_above(&root).is_empty());
        assert!(
            files_above(&root).is_empty(),
            "{:?}",
            rels(&files_above(&root))
        );
    }
}

//! Walks a project in parallel, honouring `.gitignore` (inside a git
//! repository or not), and reads each relevant file once.

// Paths are compared as the project spells them (`.py`, `.txt`), like Python does.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use std::path::Path;
use std::sync::Mutex;

use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::fsutil::decode_text;

/// Files bigger than this are not read: generated or vendored, not config.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Directory names that never hold the project's own code.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".virtualenv",
    "virtualenv",
    "node_modules",
    "__pycache__",
    "site-packages",
    "dist-packages",
    "build",
    "dist",
    ".preflight",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
    ".idea",
    ".vscode",
    ".next",
    ".nuxt",
    "htmlcov",
    "staticfiles",
];

/// What a non-Python file is to the scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `requirements*.txt`, `requirements/*.txt`.
    Requirements,
    Pyproject,
    Pipfile,
    Procfile,
    FlyToml,
    /// An nginx configuration file.
    Nginx,
    /// `.env`, `.env.production`, `.env.example`, `frontend/.env.local`…
    EnvFile,
    /// `runtime.txt` or `.python-version`.
    Runtime,
    Dockerfile,
    /// A CI pipeline definition (GitHub Actions, GitLab, CircleCI, …) or a
    /// pre-commit / tox configuration that CI runs.
    Ci,
    /// `alembic.ini`.
    AlembicIni,
    /// Other platform configuration: `render.yaml`, `app.yaml`, `railway.toml`, compose files.
    Platform,
    /// A JavaScript project's `package.json` (a frontend next to the API).
    PackageJson,
    /// A shell script a container may start with: `*.sh`, `start`, `entrypoint`…
    Script,
    /// A process manager's unit: a systemd `*.service` or a supervisor program.
    Service,
    /// A gunicorn config module above a nested project (`../deploy/gunicorn.conf.py`),
    /// read by `scan::repo`: its worker class and logging. Inside the project it is Python.
    ServerConfig,
}

/// A non-Python file the scanner reads.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Relative to the project root, `/`-separated.
    pub rel: String,
    pub kind: FileKind,
    pub text: String,
}

/// What a walk collected.
#[derive(Debug)]
pub struct Walked<T> {
    /// Whatever the Python callback made of each `.py` file, sorted by path.
    pub python: Vec<T>,
    /// Every other relevant file, sorted by path.
    pub files: Vec<TextFile>,
    /// Files that could not be read, as messages for stderr.
    pub warnings: Vec<String>,
}

/// Classifies a file by its relative path; `None` for files the scanner ignores.
pub fn classify(rel: &str) -> Option<FileKind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let parent = rel.rsplit('/').nth(1).unwrap_or("");
    let kind = if lower.starts_with("requirements") && lower.ends_with(".txt")
        || (parent == "requirements" && lower.ends_with(".txt"))
        || (lower.starts_with("constraints") && lower.ends_with(".txt"))
    {
        FileKind::Requirements
    } else if lower == "pyproject.toml" {
        FileKind::Pyproject
    } else if name == "Pipfile" {
        FileKind::Pipfile
    } else if name == "Procfile" || name.starts_with("Procfile.") {
        FileKind::Procfile
    } else if lower == "fly.toml" {
        FileKind::FlyToml
    } else if lower.ends_with(".conf") && (lower.contains("nginx") || rel.contains("nginx"))
        || (lower.ends_with(".conf") && rel.contains("sites-"))
    {
        FileKind::Nginx
    } else if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        FileKind::EnvFile
    } else if lower == "runtime.txt" || lower == ".python-version" {
        FileKind::Runtime
    } else if lower.starts_with("dockerfile") || lower.ends_with(".dockerfile") {
        FileKind::Dockerfile
    } else if is_ci_file(rel, &lower) {
        FileKind::Ci
    } else if lower == "alembic.ini" {
        FileKind::AlembicIni
    } else if lower == "package.json" {
        FileKind::PackageJson
    } else if matches!(
        lower.as_str(),
        "render.yaml" | "app.yaml" | "railway.toml" | "railway.json" | "heroku.yml" | "app.json"
    ) || (lower.starts_with("docker-compose") || lower.starts_with("compose."))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
    {
        FileKind::Platform
    } else if lower.ends_with(".service")
        || (rel.to_ascii_lowercase().contains("supervisor")
            && (lower.ends_with(".conf") || lower.ends_with(".ini")))
    {
        FileKind::Service
    } else if lower.ends_with(".sh")
        || matches!(
            lower.as_str(),
            "start" | "entrypoint" | "docker-entrypoint" | "prestart" | "release" | "boot"
        )
        || (!lower.contains('.')
            && (["docker-entrypoint", "entrypoint", "start", "boot", "run"]
                .iter()
                .any(|p| lower.starts_with(p))
                || matches!(parent, "bin" | "scripts" | "docker")))
    {
        FileKind::Script
    } else {
        return None;
    };
    Some(kind)
}

/// An env file's name, lowercased: what the template rules read.
fn env_file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase()
}

/// Whether an env file is a template to copy into `.env` (`.env.example`,
/// `env.dist`, `.env.tpl`).
pub fn is_copy_template(rel: &str) -> bool {
    let name = env_file_name(rel);
    ["example", "sample", "template", "dist", "defaults", "tpl"]
        .iter()
        .any(|w| name.contains(w))
}

/// Whether an env file is a template (committed on purpose) rather than real values.
pub fn is_env_template(rel: &str) -> bool {
    is_copy_template(rel)
        // `.env.test`, `.env.ci`, `app.unittest.env`: values for a test run, committed on purpose.
        || env_file_name(rel).split(['.', '_', '-']).any(|part| {
            matches!(part, "test" | "tests" | "testing" | "ci" | "unittest" | "pytest" | "spec")
        })
}

/// Whether an env file holds values for a developer's machine or a test run
/// (a template, `.env.test`, `.env.local`, `.env.dev`): not evidence of what
/// production sets.
pub fn is_non_production_env(rel: &str) -> bool {
    is_env_template(rel)
        || env_file_name(rel)
            .split(['.', '_', '-'])
            .any(|part| matches!(part, "local" | "dev"))
}

fn is_ci_file(rel: &str, lower: &str) -> bool {
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    (rel.starts_with(".github/workflows/") && yaml)
        || lower == ".gitlab-ci.yml"
        || (rel.starts_with(".circleci/") && yaml)
        || lower == "azure-pipelines.yml"
        || lower == "bitbucket-pipelines.yml"
        || lower == ".travis.yml"
        || lower == "jenkinsfile"
        || lower == ".pre-commit-config.yaml"
        || lower == "tox.ini"
        || lower == "noxfile.py"
}

/// Whether a directory should not be entered.
fn skip_dir(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    SKIP_DIRS.contains(&name.as_ref())
        || name.ends_with(".egg-info")
        || entry.path().join("pyvenv.cfg").is_file()
        || special_ignore_file(entry.path()).is_some()
}

/// The ignore file in `dir` that is a FIFO, device or socket, or a link to
/// one (`/dev/zero` never ends), if any: the walker would block reading it,
/// so such a folder is not entered.
fn special_ignore_file(dir: &Path) -> Option<&'static str> {
    let special = |meta: &std::fs::Metadata| !meta.is_file() && !meta.is_dir();
    [".gitignore", ".ignore"].into_iter().find(|name| {
        let path = dir.join(name);
        std::fs::symlink_metadata(&path).is_ok_and(|meta| {
            if meta.file_type().is_symlink() {
                std::fs::metadata(&path).is_ok_and(|target| special(&target))
            } else {
                special(&meta)
            }
        })
    })
}

/// The folder above `root` whose ignore file is special, if any: with any
/// ignore source on, the walker reads the ignore files of every folder above
/// the root too, so then it reads none.
fn special_ignore_file_above(root: &Path) -> Option<(std::path::PathBuf, &'static str)> {
    let root = std::fs::canonicalize(root).ok()?;
    root.ancestors()
        .skip(1)
        .find_map(|dir| special_ignore_file(dir).map(|name| (dir.to_path_buf(), name)))
}

/// Walks `root` in parallel. Each `.py` file's text goes through `on_python`
/// (on the walker's threads); other relevant files are returned as text.
pub fn walk<T, F>(root: &Path, on_python: F) -> Walked<T>
where
    T: Send,
    F: Fn(String, String) -> T + Sync,
{
    let python = Mutex::new(Vec::new());
    let files = Mutex::new(Vec::new());
    let warnings = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let special = special_ignore_file(root);
    if let Some(name) = special {
        push(
            &warnings,
            format!("skipped {name}: it is not a regular file (a FIFO, device or socket)"),
        );
    }
    let above = special_ignore_file_above(root);
    if let Some((dir, name)) = &above {
        push(
            &warnings,
            format!(
                "skipped the ignore files: {} above the project is not a regular file (a FIFO, \
                 device or socket), and the walker reads every folder's up to /",
                crate::scan::redact::escape_controls(&dir.join(name).to_string_lossy())
            ),
        );
    }
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(special.is_none() && above.is_none())
        .git_exclude(above.is_none())
        .git_global(false)
        .require_git(false)
        .ignore(special.is_none() && above.is_none())
        .threads(threads)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir()) && entry.depth() > 0 && skip_dir(entry))
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|result| {
            let entry = match result {
                Ok(entry) => entry,
                Err(err) => {
                    push(&warnings, format!("skipped: {err}"));
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Some(rel) = relative(root, entry.path()) else {
                return WalkState::Continue;
            };
            let is_python = rel.ends_with(".py");
            let kind = classify(&rel);
            if !is_python && kind.is_none() {
                return WalkState::Continue;
            }
            let Some(text) = read_text(&entry, &rel, &warnings) else {
                return WalkState::Continue;
            };
            if let Some(kind) = kind {
                push(
                    &files,
                    TextFile {
                        rel: rel.clone(),
                        kind,
                        text: text.clone(),
                    },
                );
            }
            if is_python {
                let made = on_python(rel.clone(), text);
                push(&python, (rel, made));
            }
            WalkState::Continue
        })
    });
    let python = python.into_inner().unwrap_or_default();
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut warnings = warnings.into_inner().unwrap_or_default();
    warnings.sort();
    Walked {
        python: sorted_by_path(python),
        files,
        warnings,
    }
}

/// The values in path order. A value can be large (a file's facts), so the
/// paths are sorted and each value moved once, not once per sorting pass.
fn sorted_by_path<T>(pairs: Vec<(String, T)>) -> Vec<T> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_unstable_by(|&a, &b| pairs[a].0.cmp(&pairs[b].0));
    let mut values: Vec<Option<T>> = pairs.into_iter().map(|(_, value)| Some(value)).collect();
    order.into_iter().filter_map(|i| values[i].take()).collect()
}

fn push<T>(list: &Mutex<Vec<T>>, value: T) {
    if let Ok(mut list) = list.lock() {
        list.push(value);
    }
}

/// The path relative to `root` with `/` separators.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    if cfg!(unix) {
        // The walker joins names with `/` already: one copy, no per-part strings.
        return Some(rel.to_string_lossy().into_owned());
    }
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Files read by every walk in this process so far, for progress lines (the
/// wizard shows how many its scan has read while it runs).
pub static FILES_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Reads a file as text; `None` (with a warning when it is an error) for
/// files too big, binary or unreadable.
///
/// Small files (nearly all) take an open and two reads: no `stat`, since the
/// walker already knows they are regular files; a file that fills the first
/// read is measured before it is read on.
fn read_text(entry: &DirEntry, rel: &str, warnings: &Mutex<Vec<String>>) -> Option<String> {
    match read_small(entry.path()) {
        Ok(Some(bytes)) => {
            FILES_READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let probe = &bytes[..bytes.len().min(8192)];
            if !utf16 && probe.contains(&0) {
                return None;
            }
            if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) || utf16 {
                return Some(decode_text(&bytes));
            }
            // Valid UTF-8 (nearly every file) is kept as read, not copied.
            Some(String::from_utf8(bytes).unwrap_or_else(|err| decode_text(err.as_bytes())))
        }
        Ok(None) => None,
        Err(err) => {
            push(warnings, format!("could not read {rel}: {err}"));
            None
        }
    }
}

/// How much of a file the first read asks for.
const FIRST_READ: usize = 16 * 1024;

/// A file's bytes, or `None` when it is bigger than [`MAX_FILE_BYTES`].
///
/// The first read goes into a buffer each walker thread keeps (zeroing a
/// fresh one per file cost more than reading the file); what was read is
/// then copied into a vector of its own size.
fn read_small(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    thread_local! {
        static FIRST: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; FIRST_READ]);
    }
    let mut file = std::fs::File::open(path)?;
    if let Some(bytes) = FIRST.with_borrow_mut(|first| read_within(&mut file, first))? {
        return Ok(Some(bytes));
    }
    // The file filled the first read: measure it before reading on.
    if file.metadata()?.len() > MAX_FILE_BYTES {
        return Ok(None);
    }
    let mut bytes = FIRST.with_borrow(Clone::clone);
    // `take` bounds a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1 - FIRST_READ as u64)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Reads `file` into `buffer`: its bytes when it ends before the buffer is
/// full, `None` when it fills the buffer (then the buffer holds its start).
fn read_within(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(Some(buffer[..filled].to_vec())),
            Ok(n) => filled += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn honours_gitignore_outside_git_and_skips_venvs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "generated/\n");
        write(root, "app/main.py", "x = 1\n");
        write(root, "generated/big.py", "x = 1\n");
        write(root, "node_modules/pkg/x.py", "x = 1\n");
        write(root, "myenv/pyvenv.cfg", "home = /usr\n");
        write(root, "myenv/lib/x.py", "x = 1\n");
        write(root, "requirements.txt", "django==5\n");
        write(root, ".github/workflows/ci.yml", "on: push\n");
        write(root, "README.md", "# x\n");
        let walked = walk(root, |rel, _| rel);
        assert_eq!(walked.python, vec!["app/main.py"]);
        let rels: Vec<_> = walked.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec![".github/workflows/ci.yml", "requirements.txt"]);
    }

    #[test]
    fn reads_utf16_and_skips_binary() {
        let dir = tempfile::tempdir().unwrap();
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("flask==3.0.0\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(dir.path().join("requirements.txt"), utf16).unwrap();
        std::fs::write(dir.path().join("blob.py"), b"\x00\x01\x02").unwrap();
        let walked = walk(dir.path(), |rel, _| rel);
        assert!(walked.python.is_empty());
        assert_eq!(walked.files[0].text, "flask==3.0.0\r\n");
    }

    #[test]
    fn reads_files_past_the_first_read_and_skips_those_too_big() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let long = format!("X = 1\n{}Y = 'é'\n", "# padding\n".repeat(FIRST_READ / 4));
        write(root, "long.py", &long);
        write(root, "exact.py", &"#".repeat(FIRST_READ));
        let huge = vec![b'#'; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
        std::fs::write(root.join("huge.py"), huge).unwrap();
        std::fs::write(root.join("latin.py"), b"X = '\xe9'\n").unwrap();
        let walked = walk(root, |rel, text| (rel, text));
        let read: Vec<_> = walked.python.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(read, ["exact.py", "latin.py", "long.py"]);
        assert_eq!(walked.python[0].1.len(), FIRST_READ);
        assert_eq!(walked.python[1].1, "X = '\u{fffd}'\n");
        assert_eq!(walked.python[2].1, long);
    }

    #[test]
    fn classifies_files() {
        assert_eq!(
            classify("requirements/prod.txt"),
            Some(FileKind::Requirements)
        );
        assert_eq!(classify("deploy/nginx.conf"), Some(FileKind::Nginx));
        assert_eq!(
            classify("compose/production/django/start"),
            Some(FileKind::Script)
        );
        assert_eq!(classify("scripts/prestart.sh"), Some(FileKind::Script));
        assert_eq!(classify("docs/started.md"), None);
        assert_eq!(classify("frontend/.env.local"), Some(FileKind::EnvFile));
        assert_eq!(classify("Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("notes.txt"), None);
    }
}

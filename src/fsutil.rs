//! File-system helpers shared by everything that reads or writes a user's files.
//!
//! # The path policy
//!
//! preflight runs inside repositories cloned from strangers, so every read and
//! write under a project root goes through [`read_in`], [`write_in`] or
//! [`create_dir_in`]:
//!
//! - a path is resolved component by component; a symlink is followed only
//!   while the place it leads to stays inside the (canonical) project root, so a
//!   link that leaves the root — dangling or not, at the file itself or at any
//!   folder above it (`.preflight`, `.preflight/backups`, …) — is refused;
//! - only regular files are read or replaced: a FIFO, device, socket or
//!   directory where a file should be is refused before it is opened (and
//!   reads open with `O_NONBLOCK | O_NOFOLLOW`, so nothing can hang);
//! - every refusal is an error with a hint, and nothing is written.
//!
//! A symlink inside the project that points inside it is followed.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::Context;

/// How many symlinks one resolution follows before calling it a loop.
const MAX_LINKS: usize = 40;

/// The folder under `.preflight/` that holds temporary files.
const TMP_DIR: &str = "tmp";

/// What a path under the project root resolves to.
struct Resolved {
    /// The path with every symlink followed.
    path: PathBuf,
    /// The first symlink whose target left the root, with that target.
    escape: Option<(PathBuf, PathBuf)>,
}

/// The canonical form of `root`, or `root` itself when it cannot be resolved.
fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| absolute(root))
}

/// `path` made absolute against the current directory, without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `path` relative to `root` when it lies under it (lexically, against the
/// given root or its canonical form); `None` for a path outside the project.
fn relative_to_root(root: &Path, canonical: &Path, path: &Path) -> Option<PathBuf> {
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        absolute(path)
    };
    let rooted = absolute(root);
    full.strip_prefix(&rooted)
        .or_else(|_| full.strip_prefix(canonical))
        .ok()
        .map(Path::to_path_buf)
}

/// Follows `rel` from `canonical` (the canonical root) one component at a
/// time, following symlinks (their targets resolved against the file system)
/// and noting the first one that leads outside.
fn resolve_from(canonical: &Path, rel: &Path) -> anyhow::Result<Resolved> {
    let mut current = canonical.to_path_buf();
    let mut rest: std::collections::VecDeque<std::ffi::OsString> = rel
        .components()
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    let mut escape = None;
    let mut links = 0;
    while let Some(part) = rest.pop_front() {
        let part_path = Path::new(&part);
        match part_path.components().next() {
            Some(Component::CurDir) | None => continue,
            Some(Component::ParentDir) => {
                current.pop();
                continue;
            }
            Some(Component::RootDir | Component::Prefix(_)) => {
                current = part_path.to_path_buf();
                continue;
            }
            Some(Component::Normal(_)) => {}
        }
        let next = current.join(&part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                anyhow::ensure!(
                    links <= MAX_LINKS,
                    "{} is a symlink loop\n  hint: replace the link with a real file or folder",
                    next.display()
                );
                let target = std::fs::read_link(&next)
                    .with_context(|| format!("reading the link {}", next.display()))?;
                let joined = if target.is_absolute() {
                    target.clone()
                } else {
                    current.join(&target)
                };
                if escape.is_none() && !lexically_inside(&joined, canonical) {
                    escape = Some((next.clone(), target.clone()));
                }
                // The target's parts come first, then what was left.
                let mut parts: Vec<std::ffi::OsString> = target
                    .components()
                    .map(|c| c.as_os_str().to_os_string())
                    .collect();
                parts.extend(rest.drain(..));
                rest = parts.into();
            }
            _ => current = next,
        }
    }
    Ok(Resolved {
        path: current,
        escape,
    })
}

/// Whether `path`, with `.` and `..` folded without touching the disk, lies under `root`.
fn lexically_inside(path: &Path, root: &Path) -> bool {
    let mut folded = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                folded.pop();
            }
            Component::CurDir => {}
            other => folded.push(other.as_os_str()),
        }
    }
    folded.starts_with(root)
}

/// Resolves `path` (absolute, or relative to the current directory) under the
/// project at `root`, refusing a symlink anywhere along it that leads outside.
/// A path that is not under `root` at all is returned as it is: it is one the
/// user named (`report -o ../review.md`).
pub fn resolve_in(root: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let canonical = canonical_root(root);
    let Some(rel) = relative_to_root(root, &canonical, path) else {
        return Ok(path.to_path_buf());
    };
    let resolved = resolve_from(&canonical, &rel)?;
    if let Some((link, target)) = resolved.escape
        && !resolved.path.starts_with(&canonical)
    {
        anyhow::bail!(
            "{} is a symlink to {}, outside the project, so preflight will not follow it\n  \
             hint: preflight reads and writes only inside the project; replace the link with a \
             real file or folder (a link to a place inside the project is fine)",
            display_rel(&canonical, &link),
            target.display()
        );
    }
    if !resolved.path.starts_with(&canonical) {
        anyhow::bail!(
            "{} leads outside the project, so preflight will not use it\n  hint: preflight reads \
             and writes only inside the project",
            path.display()
        );
    }
    Ok(resolved.path)
}

/// `path` relative to `root` for messages, or the whole path.
fn display_rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// What sits at a path, for messages: "a FIFO", "a directory", ….
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Refuses anything but a regular file (or nothing) at the resolved `path`.
fn require_regular(path: &Path, shown: &Path, verb: &str) -> anyhow::Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
    {
        anyhow::bail!(
            "{} is {}, so preflight will not {verb} it\n  hint: put an ordinary file there, or \
             move that one away; it was left as it is",
            shown.display(),
            kind_of(&meta)
        );
    }
    Ok(())
}

/// Reads a file under the project at `root` by the path policy; `Ok(None)`
/// when there is no file. A symlink out of the project, a FIFO, a device, a
/// socket or a directory is an error that says so.
pub fn read_in(root: &Path, path: &Path) -> anyhow::Result<Option<Vec<u8>>> {
    let resolved = resolve_in(root, path)?;
    require_regular(&resolved, path, "read")?;
    let mut file = match open_for_read(&resolved) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => anyhow::bail!(
            "cannot read {}: {err}\n  hint: it must be a readable file; it was left as it is",
            path.display()
        ),
    };
    // Checked again on the open file: it may have been swapped in between.
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!(
            "{} is {}, so preflight will not read it\n  hint: put an ordinary file there",
            path.display(),
            kind_of(&meta)
        );
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(bytes))
}

/// Reads a regular file outside any project (a `.gitignore` above the
/// project, in the repository's top): `None` when it is missing, a symlink,
/// not a regular file or unreadable. Never blocks on a FIFO, never follows a
/// link (git does not read a symlinked `.gitignore` either).
pub fn read_regular(path: &Path) -> Option<Vec<u8>> {
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let mut opened = open_for_read(path).ok()?;
    if !opened.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    opened.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Opens without following a last symlink and without blocking on a FIFO.
#[cfg(unix)]
fn open_for_read(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_read(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Creates the folder `dir` (and its parents) under the project at `root` by
/// the path policy; returns the resolved folder.
pub fn create_dir_in(root: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let resolved = resolve_in(root, dir)?;
    if let Ok(meta) = std::fs::symlink_metadata(&resolved)
        && !meta.is_dir()
    {
        anyhow::bail!(
            "{} is {}, where preflight needs a folder\n  hint: it is not a folder; move it away, \
             so preflight can create the folder there; it was left as it is",
            dir.display(),
            if meta.is_file() {
                "a file"
            } else {
                kind_of(&meta)
            }
        );
    }
    std::fs::create_dir_all(&resolved).with_context(|| format!("creating {}", dir.display()))?;
    Ok(resolved)
}

/// Writes `contents` to `path` under the project at `root` atomically, by the
/// path policy. The temporary file lives in `.preflight/tmp/` (mode 0600,
/// git-ignored, removed by a later run when its process is gone).
///
/// A symlink at `path` that stays inside the project is written through to
/// its target, so the link stays a link. On Unix the file gets `mode` when
/// given; otherwise an existing file keeps its mode and a new one gets `0644`.
pub fn write_in(
    root: &Path,
    path: &Path,
    contents: &[u8],
    mode: Option<u32>,
) -> anyhow::Result<()> {
    let target = resolve_in(root, path)?;
    require_regular(&target, path, "replace")?;
    let canonical = canonical_root(root);
    let inside = relative_to_root(root, &canonical, path).is_some();
    let tmp = if inside { tmp_dir(root).ok() } else { None };
    write_resolved(&target, tmp.as_deref(), contents, mode)
}

/// Checks every path in `targets` (under the project at `root`) by the path
/// policy before anything is written: each resolves inside the project and is
/// a regular file or nothing, and each folder above it a folder or nothing.
pub fn check_writable_in(root: &Path, targets: &[PathBuf]) -> anyhow::Result<()> {
    for target in targets {
        let resolved = resolve_in(root, target)?;
        require_regular(&resolved, target, "replace")?;
        for dir in target.ancestors().skip(1) {
            if relative_to_root(root, &canonical_root(root), dir)
                .is_none_or(|rel| rel.as_os_str().is_empty())
            {
                break;
            }
            if let Ok(meta) = std::fs::metadata(dir)
                && !meta.is_dir()
            {
                anyhow::bail!(
                    "{} is {}, where preflight needs a folder\n  hint: it is not a folder; move it \
                     away, so preflight can create the folder there; it was left as it is",
                    dir.display(),
                    if meta.is_file() {
                        "a file"
                    } else {
                        kind_of(&meta)
                    }
                );
            }
        }
    }
    Ok(())
}

/// Copies `from` to `to`, both under the project at `root`, by the path policy
/// (a backup of a file about to be replaced); the copy keeps the file's mode.
pub fn copy_in(root: &Path, from: &Path, to: &Path) -> anyhow::Result<()> {
    let Some(bytes) = read_in(root, from)? else {
        anyhow::bail!("{} is gone", from.display());
    };
    let mode = resolve_in(root, from)
        .ok()
        .and_then(|path| existing_mode(&path));
    write_in(root, to, &bytes, mode)
}

/// Writes `contents` to `path` atomically: a temp file in the same directory,
/// fsync, rename. For paths the user named outside any project (`report -o
/// /tmp/review.md`); everything under a project goes through [`write_in`].
///
/// A symlink at `path` is written through to its target. On Unix the file gets
/// `mode` when given; otherwise an existing file keeps its mode and a new one
/// gets `0644`.
pub fn write_atomically(path: &Path, contents: &[u8], mode: Option<u32>) -> anyhow::Result<()> {
    let target = resolve_symlink(path)?;
    require_regular(&target, &target, "replace")?;
    write_resolved(&target, None, contents, mode)
}

/// The atomic write of an already resolved, regular-or-missing `target`.
fn write_resolved(
    target: &Path,
    scratch: Option<&Path>,
    contents: &[u8],
    mode: Option<u32>,
) -> anyhow::Result<()> {
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing_mode = existing_mode(target);
    let mode = mode.or(existing_mode).unwrap_or(0o644);
    let staged_in = |place: &Path| -> anyhow::Result<tempfile::NamedTempFile> {
        let mut staged = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .tempfile_in(place)
            .with_context(|| format!("creating a temporary file in {}", place.display()))?;
        staged
            .write_all(contents)
            .with_context(|| format!("writing {}", target.display()))?;
        set_mode(staged.as_file(), mode)
            .with_context(|| format!("setting permissions on {}", target.display()))?;
        staged
            .as_file()
            .sync_all()
            .with_context(|| format!("flushing {}", target.display()))?;
        Ok(staged)
    };
    let first = staged_in(scratch.unwrap_or(&dir))?;
    match first.persist(target) {
        Ok(_) => {}
        // `.preflight/tmp` on another file system than the target: write beside it.
        Err(err) if err.error.kind() == std::io::ErrorKind::CrossesDevices => {
            drop(err.file);
            staged_in(&dir)?
                .persist(target)
                .map_err(|err| err.error)
                .with_context(|| format!("replacing {}", target.display()))?;
        }
        Err(err) => {
            return Err(err.error).with_context(|| format!("replacing {}", target.display()));
        }
    }
    sync_dir(&dir);
    Ok(())
}

/// The prefix of this process's temporary files; the pid lets a later run
/// tell a leftover (its process gone) from a file being written right now.
fn temp_prefix() -> String {
    format!(".preflight-tmp-{}-", std::process::id())
}

/// `.preflight/tmp/` under `root`, created (and git-ignored) when missing,
/// with leftovers of processes that are gone removed once per process.
pub fn tmp_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let base = root.join(".preflight");
    let dir = create_dir_in(root, &base.join(TMP_DIR))?;
    set_dir_private(&dir);
    let ignore = dir.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&ignore)
            .and_then(|mut file| {
                file.write_all(b"# preflight's temporary files: never commit them.\n*\n")
            });
    }
    clean_tmp_once(&dir);
    Ok(dir)
}

/// Removes temporary files left by processes that no longer run (a write
/// killed half way), once per process and directory.
fn clean_tmp_once(dir: &Path) {
    static CLEANED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut cleaned) = CLEANED.lock() else {
        return;
    };
    if cleaned.iter().any(|d| d == dir) {
        return;
    }
    cleaned.push(dir.to_path_buf());
    drop(cleaned);
    clean_tmp(dir);
}

/// [`clean_tmp_once`]'s work.
pub fn clean_tmp(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(".preflight-tmp-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = match process_alive(pid) {
            Some(alive) => !alive,
            // No /proc: a file an hour old is no write in progress.
            None => entry
                .metadata()
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|time| time.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if pid != std::process::id() && gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs; `None` where that cannot be known.
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.join("self")
        .exists()
        .then(|| proc.join(pid.to_string()).exists())
}

#[cfg(unix)]
fn set_dir_private(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

#[cfg(not(unix))]
fn set_dir_private(_dir: &Path) {}

/// Follows a symlink at `path` to the file it points to (which may not exist yet).
fn resolve_symlink(path: &Path) -> anyhow::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)
                    .with_context(|| format!("reading the link {}", current.display()))?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    anyhow::bail!("{} is a symlink loop", path.display())
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|meta| meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> Option<u32> {
    None
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Makes a rename durable; best effort, since not every platform can.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Reads a text file whatever its encoding: UTF-8 with or without BOM, or
/// UTF-16 with a BOM. Invalid sequences become U+FFFD rather than an error.
pub fn decode_text(bytes: &[u8]) -> String {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomically(&path, b"one", None).unwrap();
        write_atomically(&path, b"two", None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_writes_through_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.env");
        std::fs::write(&target, "A=1\n").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join(".env");
        std::os::unix::fs::symlink("real.env", &link).unwrap();
        write_atomically(&link, b"A=2\n", None).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"A=2\n");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn never_replaces_a_device_socket_or_directory() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        // A socket stands in for /dev/null: not a regular file, made without root.
        let socket = dir.path().join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let link = dir.path().join(".env");
        std::os::unix::fs::symlink(&socket, &link).unwrap();
        let err = write_atomically(&link, b"A=1\n", None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("is a socket") && err.contains("hint:"),
            "{err}"
        );
        assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
        let err = write_atomically(dir.path(), b"x", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn the_path_policy_refuses_links_out_and_follows_links_in() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = root.path();
        std::fs::create_dir(root.join("inner")).unwrap();
        symlink("inner", root.join("in")).unwrap();
        symlink(outside.path(), root.join("out")).unwrap();
        symlink(outside.path().join("gone"), root.join("dangling")).unwrap();
        symlink("../../etc/passwd", root.join("inner/up")).unwrap();
        symlink("loop", root.join("loop")).unwrap();
        // In, through a link in: allowed, resolved to the real place.
        write_in(root, &root.join("in/a.txt"), b"x", None).unwrap();
        assert_eq!(std::fs::read(root.join("inner/a.txt")).unwrap(), b"x");
        for bad in ["out/a.txt", "dangling", "inner/up", "out"] {
            let err = write_in(root, &root.join(bad), b"x", None).unwrap_err();
            let text = format!("{err:#}");
            assert!(
                text.contains("outside the project") && text.contains("hint:"),
                "{text}"
            );
            assert!(read_in(root, &root.join(bad)).is_err(), "{bad}");
        }
        assert!(
            format!("{:#}", resolve_in(root, &root.join("loop")).unwrap_err()).contains("loop")
        );
        assert!(create_dir_in(root, &root.join("out/sub")).is_err());
        assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
        // `..` that stays inside is fine; one that leaves is refused.
        assert!(
            read_in(root, &root.join("inner/../inner/a.txt"))
                .unwrap()
                .is_some()
        );
        assert!(
            read_in(root, &root.join("in/../../x")).is_err(),
            "`..` out of the root"
        );
    }

    #[cfg(unix)]
    #[test]
    fn temp_files_live_in_preflight_tmp_and_leftovers_go() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        let tmp = tmp_dir(root).unwrap();
        assert_eq!(tmp, canonical_root(root).join(".preflight/tmp"));
        // A leftover of a process that is gone (pid 0 is never a user process's).
        let stale = tmp.join(".preflight-tmp-999999999-abc");
        std::fs::write(&stale, "SECRET=1").unwrap();
        clean_tmp(&tmp);
        assert!(!stale.exists());
        write_in(root, &root.join("a.txt"), b"x", None).unwrap();
        let names: Vec<_> = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [".gitignore"], "only the ignore file stays");
        assert_eq!(
            std::fs::read_to_string(tmp.join(".gitignore"))
                .unwrap()
                .lines()
                .last(),
            Some("*")
        );
    }

    #[test]
    fn decodes_every_encoding() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFDjango==5\r\n"), "Django==5\r\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("flask==3".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&utf16), "flask==3");
    }
}

//! File-system helpers shared by everything that writes a user's files.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Writes `contents` to `path` atomically: a temp file in the same directory,
/// fsync, rename. A reader sees the old file or the new one, never a half.
///
/// A symlink at `path` is written through to its target, so the link stays a
/// link. On Unix the file gets `mode` when given; otherwise an existing file
/// keeps its mode and a new one gets `0644`.
pub fn write_atomically(path: &Path, contents: &[u8], mode: Option<u32>) -> anyhow::Result<()> {
    let target = resolve_symlink(path)?;
    // Renaming over `/dev/null` (a `.env` linked there, `-o /dev/stdout`)
    // would replace a device with a plain file, for every program on the
    // machine when run as root: write only to regular files.
    if let Ok(meta) = std::fs::metadata(&target)
        && !meta.is_file()
    {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        };
        anyhow::bail!(
            "{} is {what}, so preflight will not replace it\n  hint: point it at an ordinary \
             file; it was left as it is",
            target.display()
        );
    }
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing_mode = existing_mode(&target);
    let mut temp = tempfile::Builder::new()
        .prefix(".preflight-tmp-")
        .tempfile_in(&dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(contents)
        .with_context(|| format!("writing {}", target.display()))?;
    set_mode(temp.as_file(), mode.or(existing_mode).unwrap_or(0o644))
        .with_context(|| format!("setting permissions on {}", target.display()))?;
    temp.as_file()
        .sync_all()
        .with_context(|| format!("flushing {}", target.display()))?;
    temp.persist(&target)
        .map_err(|err| err.error)
        .with_context(|| format!("replacing {}", target.display()))?;
    sync_dir(&dir);
    Ok(())
}

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
            err.contains("not a regular file") && err.contains("hint:"),
            "{err}"
        );
        assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
        let err = write_atomically(dir.path(), b"x", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a directory"), "{err}");
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

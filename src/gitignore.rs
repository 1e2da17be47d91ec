//! Whether git ignores a file, by git's own rules, and adding it to
//! `.gitignore` when it does not.
//!
//! Only the rules committed with the project count (the `.gitignore` files
//! from the repository's top down to the project): a global excludes file or
//! `.git/info/exclude` protects one machine, not the next clone.

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::fsutil::write_in;

/// The comment above a line preflight adds.
const COMMENT: &str = "# Local secrets: never commit (added by preflight)";

/// Whether git ignores `root/name` by the project's `.gitignore` files:
/// negations, directory rules, anchored patterns and the `.gitignore` files
/// of enclosing directories (up to the repository's top) all count, and a
/// file inside an ignored directory is ignored whatever its own rules say.
pub fn is_ignored(root: &Path, name: &str) -> bool {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let top = repository_top(&root).unwrap_or_else(|| root.clone());
    let matchers = matchers(&top, &root);
    let target = root.join(name);
    // Git never looks inside an ignored directory, so check each enclosing
    // directory below the top first, top-down.
    let mut dirs: Vec<&Path> = target
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(&top) && *dir != top)
        .collect();
    dirs.reverse();
    if dirs.iter().any(|dir| decide(&matchers, dir, true)) {
        return true;
    }
    decide(&matchers, &target, target.is_dir())
}

/// Appends `name` to `root/.gitignore` unless git already ignores it; true
/// when it appended. The file's existing bytes stay as an exact prefix, and
/// its line ends are kept.
pub fn ensure_ignored(root: &Path, name: &str) -> anyhow::Result<bool> {
    if is_ignored(root, name) {
        return Ok(false);
    }
    let path = root.join(".gitignore");
    anyhow::ensure!(
        !std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()),
        "{} is a symlink, and git does not read a symlinked .gitignore, so {name} would not be \
         ignored\n  hint: replace the link with the file itself (cp --remove-destination \
         \"$(readlink .gitignore)\" .gitignore)",
        path.display()
    );
    let existing = crate::fsutil::read_in(root, &path)?.unwrap_or_default();
    let contents = appended(&existing, &escape_pattern(name));
    write_in(root, &path, &contents, None)?;
    anyhow::ensure!(
        is_ignored(root, name),
        "added {name} to {} but git would still not ignore it\n  hint: check the rules in \
         .gitignore and the directories above it",
        path.display()
    );
    Ok(true)
}

/// Whether git tracks `root/name` (ignore rules do not apply to a tracked
/// file: it needs `git rm --cached`). `None` when git is not installed or
/// `root` is not inside a repository.
pub fn is_tracked(root: &Path, name: &str) -> Option<bool> {
    git_output(root, &["ls-files", "-z", "--", name]).map(|out| !out.is_empty())
}

/// Whether `root/name` was ever committed, on any branch: if so, every secret
/// it held is in the history and must be rotated. `None` when git is not
/// installed or `root` is not inside a repository.
pub fn in_history(root: &Path, name: &str) -> Option<bool> {
    git_output(
        root,
        &["log", "--all", "--format=%H", "-n", "1", "--", name],
    )
    .map(|out| !out.is_empty())
}

/// The stdout of a successful `git -C root ARGS…`, or `None`.
fn git_output(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

/// `existing` with a commented `pattern` line after it, in its line ends.
pub(crate) fn appended(existing: &[u8], pattern: &str) -> Vec<u8> {
    let eol: &[u8] = if existing.windows(2).any(|pair| pair == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = existing.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(eol);
    }
    if !out.is_empty() && !out.ends_with(b"\n\n") && !out.ends_with(b"\n\r\n") {
        out.extend_from_slice(eol);
    }
    out.extend_from_slice(COMMENT.as_bytes());
    out.extend_from_slice(eol);
    out.extend_from_slice(pattern.as_bytes());
    out.extend_from_slice(eol);
    out
}

/// A file name as a gitignore pattern that matches exactly that name.
fn escape_pattern(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for (index, c) in name.chars().enumerate() {
        let special =
            matches!(c, '*' | '?' | '[' | ']' | '\\') || (index == 0 && matches!(c, '#' | '!'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

/// The directory holding `.git`, at or above `dir`.
fn repository_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|candidate| candidate.join(".git").exists())
        .map(Path::to_path_buf)
}

/// One matcher per `.gitignore` from `top` down to `root`, deepest first.
fn matchers(top: &Path, root: &Path) -> Vec<Gitignore> {
    let mut dirs: Vec<&Path> = root
        .ancestors()
        .take_while(|dir| dir.starts_with(top))
        .collect();
    if !dirs.contains(&top) {
        dirs.push(top);
    }
    dirs.into_iter()
        .filter_map(|dir| {
            // Read by the path policy (no FIFO, no link out of the project
            // below `root`) and decoded whatever the encoding: a line that is
            // not UTF-8 must not hide the lines after it.
            let file = dir.join(".gitignore");
            // Git ignores a symlinked .gitignore ("too many levels of
            // symbolic links"): so does this, wherever the link points.
            if std::fs::symlink_metadata(&file).is_ok_and(|meta| meta.file_type().is_symlink()) {
                return None;
            }
            let bytes = if dir.starts_with(root) {
                crate::fsutil::read_in(root, &file).ok()??
            } else {
                crate::fsutil::read_regular(&file)?
            };
            // Git reads the bytes as they are, skipping only a UTF-8 BOM
            // (dir.c, skip_utf8_bom): no UTF-16, or a file starting FF FE
            // would hide the rules after it.
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let text = String::from_utf8_lossy(bytes);
            let mut builder = GitignoreBuilder::new(dir);
            for line in text.lines() {
                // Like git, a bad pattern is skipped and the rest still apply.
                let _ = builder.add_line(Some(file.clone()), line);
            }
            builder.build().ok()
        })
        .collect()
}

/// The verdict of the deepest `.gitignore` with a rule for `path`: the last
/// matching line wins inside a file, a deeper file beats a shallower one.
fn decide(matchers: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    for matcher in matchers.iter().filter(|m| path.starts_with(m.path())) {
        match matcher.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn plain_patterns_and_globs_ignore() {
        for rules in [
            ".env\n",
            "*.env\n.env*\n",
            "/.env\n",
            "**/.env\n",
            "  \n.env\n",
        ] {
            let dir = project(&[(".gitignore", rules)]);
            assert!(is_ignored(dir.path(), ".env"), "{rules:?}");
        }
    }

    #[test]
    fn substrings_comments_and_negations_do_not() {
        for rules in [
            "# .env\n",
            ".env.example\n",
            ".envrc\n",
            "my.env\n",
            ".env\n!.env\n",
            ".env*\n!.env\n",
            "sub/.env\n",
            ".env/\n",
        ] {
            let dir = project(&[(".gitignore", rules)]);
            assert!(!is_ignored(dir.path(), ".env"), "{rules:?}");
        }
    }

    #[test]
    fn enclosing_gitignore_files_count_and_deeper_ones_win() {
        let dir = project(&[(".gitignore", ".env\n"), ("api/manage.py", "")]);
        assert!(is_ignored(&dir.path().join("api"), ".env"));
        let dir = project(&[(".gitignore", ".env\n"), ("api/.gitignore", "!.env\n")]);
        assert!(!is_ignored(&dir.path().join("api"), ".env"));
        let dir = project(&[(".gitignore", "!.env\n"), ("api/.gitignore", ".env\n")]);
        assert!(is_ignored(&dir.path().join("api"), ".env"));
    }

    #[test]
    fn a_file_in_an_ignored_directory_stays_ignored() {
        let dir = project(&[(".gitignore", "api/\n!api/.env\n"), ("api/x", "")]);
        assert!(is_ignored(&dir.path().join("api"), ".env"));
    }

    #[test]
    fn ensure_appends_once_keeping_the_old_bytes() {
        let old = "node_modules/\r\n!.env\r\n# trailing comment";
        let dir = project(&[(".gitignore", old)]);
        assert!(ensure_ignored(dir.path(), ".env").unwrap());
        let text = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
        assert_eq!(text, format!("{old}\r\n\r\n{COMMENT}\r\n.env\r\n"));
        assert!(is_ignored(dir.path(), ".env"));
        assert!(
            !ensure_ignored(dir.path(), ".env").unwrap(),
            "second run changes nothing"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            text
        );
    }

    #[test]
    fn ensure_creates_a_gitignore_outside_a_repository() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ensure_ignored(dir.path(), ".env").unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            format!("{COMMENT}\n.env\n")
        );
    }

    #[test]
    fn special_names_are_escaped() {
        assert_eq!(escape_pattern("!a[1]*.env "), "\\!a\\[1\\]\\*.env\\ ");
        let dir = project(&[]);
        assert!(ensure_ignored(dir.path(), "#weird[1].env").unwrap());
        assert!(is_ignored(dir.path(), "#weird[1].env"));
        assert!(!is_ignored(dir.path(), "#weird1.env"));
    }

    #[test]
    fn a_gitignore_that_is_not_utf8_gets_one_block_and_is_obeyed() {
        let dir = project(&[]);
        let path = dir.path().join(".gitignore");
        std::fs::write(&path, b"build/\n# caf\xe9\n*.pyc\n").unwrap();
        assert!(ensure_ignored(dir.path(), ".env").unwrap());
        let after = std::fs::read(&path).unwrap();
        assert!(after.starts_with(b"build/\n# caf\xe9\n*.pyc\n"));
        assert!(is_ignored(dir.path(), ".env"));
        assert!(
            !ensure_ignored(dir.path(), ".env").unwrap(),
            "no second block"
        );
        assert_eq!(std::fs::read(&path).unwrap(), after);
    }

    #[test]
    fn a_gitignore_starting_like_utf16_is_read_as_git_reads_it() {
        // Found by scripts/fuzz.sh: FF FE was decoded as UTF-16, so the
        // appended `.env` line was garbage and ensure_ignored failed.
        let dir = project(&[]);
        std::fs::write(dir.path().join(".gitignore"), b"\xff\xfe").unwrap();
        assert!(ensure_ignored(dir.path(), ".env").unwrap());
        assert!(is_ignored(dir.path(), ".env"));
    }

    #[test]
    fn a_utf8_bom_before_the_first_rule_is_skipped_as_git_skips_it() {
        // `git check-ignore .env` says ignored for BOM + ".env": the first
        // rule counts, so nothing is appended.
        let dir = project(&[]);
        let before = b"\xEF\xBB\xBF.env\n";
        std::fs::write(dir.path().join(".gitignore"), before).unwrap();
        assert!(is_ignored(dir.path(), ".env"));
        assert!(!ensure_ignored(dir.path(), ".env").unwrap());
        assert_eq!(
            std::fs::read(dir.path().join(".gitignore")).unwrap(),
            before
        );
    }
}

//! How to run this binary again, for messages that suggest a command: `preflight` when
//! that name on PATH is this binary, else its own path (after `cargo run`, `preflight`
//! is "command not found", but `/…/target/release/preflight` works in any shell).

use std::ffi::OsStr;
use std::path::Path;

/// The command that runs this binary from any directory.
pub fn self_command() -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "preflight".to_owned();
    };
    command_for(&exe, std::env::var_os("PATH").as_deref())
}

/// `preflight` when the first `preflight` on `path_env` is `exe`, else `exe` itself,
/// quoted for a POSIX shell when it needs to be.
pub fn command_for(exe: &Path, path_env: Option<&OsStr>) -> String {
    let same = |candidate: &Path| match (candidate.canonicalize(), exe.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let on_path = path_env
        .into_iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("preflight"))
        .find(|candidate| candidate.is_file());
    if on_path.as_deref().is_some_and(same) {
        return "preflight".to_owned();
    }
    shell_quote(&exe.display().to_string())
}

/// `text` as one word for a POSIX shell.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exe_in(dir: &Path) -> std::path::PathBuf {
        let exe = dir.join("preflight");
        std::fs::write(&exe, "").expect("write");
        exe
    }

    #[test]
    fn the_bare_name_only_when_path_finds_this_binary() {
        let installed = tempfile::tempdir().expect("tempdir");
        let built = tempfile::tempdir().expect("tempdir");
        let exe = exe_in(built.path());
        let other = exe_in(installed.path());
        // After `cargo run`: nothing on PATH, or another preflight first.
        assert_eq!(command_for(&exe, None), exe.display().to_string());
        let path = std::env::join_paths([installed.path()]).expect("join");
        assert_eq!(command_for(&exe, Some(&path)), exe.display().to_string());
        // Installed: PATH's preflight is this one.
        assert_eq!(command_for(&other, Some(&path)), "preflight");
        let both = std::env::join_paths([built.path(), installed.path()]).expect("join");
        assert_eq!(command_for(&exe, Some(&both)), "preflight");
    }

    #[test]
    fn a_path_with_spaces_is_one_shell_word() {
        assert_eq!(shell_quote("/a/b-c/preflight"), "/a/b-c/preflight");
        assert_eq!(shell_quote("/my dir/preflight"), "'/my dir/preflight'");
        assert_eq!(shell_quote("/it's/preflight"), r"'/it'\''s/preflight'");
    }
}

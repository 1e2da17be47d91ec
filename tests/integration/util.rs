//! Shared helpers for the integration tests.

use std::path::Path;

use assert_cmd::Command;

/// The `preflight` binary with a private config dir and no colour.
pub fn preflight() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.env(
        "PREFLIGHT_CONFIG_DIR",
        std::env::temp_dir().join("preflight-test-config-none"),
    )
    .env("NO_COLOR", "1")
    .env_remove("DJANGO_SETTINGS_MODULE");
    cmd
}

/// Writes `text` to `root/relative`, creating directories.
pub fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A fresh copy of the bundled demo project (a Django API) in a temp dir.
pub fn demo_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"),
        dir.path(),
    );
    dir
}

/// A fresh copy of `tests/fixtures/NAME` in a temp dir.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub use crate::tools::{require_python, require_tool, test_data};

/// `preflight status --json PATH`, parsed; the command must succeed.
pub fn status_json(path: &Path) -> serde_json::Value {
    let out = preflight()
        .args(["status", "--json"])
        .arg(path)
        .output()
        .expect("run status");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("status --json is JSON")
}

/// The item with `id` in a `status --json` document.
pub fn status_item<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in status --json"))
}

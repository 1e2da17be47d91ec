//! `--help` reads as a newcomer needs it: every command shows examples.

use crate::util::preflight;

#[test]
fn every_subcommand_help_has_examples() {
    for command in [
        "check", "status", "review", "mark", "secret", "generate", "report", "verify",
    ] {
        for flag in ["--help", "-h"] {
            let output = preflight().args([command, flag]).output().expect("runs");
            assert!(output.status.success(), "{command} {flag}");
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(
                text.contains("Examples:") && text.contains(&format!("preflight {command}")),
                "{command} {flag}:\n{text}"
            );
        }
    }
}

/// `preflight … | head` closes the pipe early: no panic, no backtrace.
#[test]
fn a_closed_pipe_ends_quietly() {
    let project = crate::util::demo_project();
    for args in [
        vec!["completions".to_owned(), "bash".to_owned()],
        vec![
            "status".to_owned(),
            "--json".to_owned(),
            project.path().display().to_string(),
        ],
        vec!["secret".to_owned(), "-n".to_owned(), "10000".to_owned()],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
            .args(&args)
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawns");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("waits");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_mistyped_command_suggests_the_right_one() {
    let output = preflight().arg("stauts").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean `preflight status`?"),
        "{stderr}"
    );
    // A folder of that name is the wizard's project, as before.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("chek")).expect("mkdir");
    let output = preflight()
        .arg("chek")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("did you mean"), "{stderr}");
}

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

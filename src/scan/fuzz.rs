//! Property tests over the parsers that read a stranger's files: no input
//! makes them panic, hang or overflow, and the `.env` merger never loses a
//! byte. The suite runs a short pass; `scripts/fuzz.sh` runs each target for
//! 100 000 cases (`PROPTEST_CASES`).

use proptest::prelude::*;

use crate::envfile;
use crate::scan::python::{Module, logical_lines};
use crate::state::State;

/// Cases per target: `PROPTEST_CASES` when set, else a short pass.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Python-ish text: the tokens that steer the tokenizer and parser (quotes,
/// brackets, escapes, continuations, keywords), mixed with anything.
fn python_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("f\"{".to_owned()),
        Just("\\".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("    ".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just("=".to_owned()),
        Just("not ".to_owned()),
        Just("-".to_owned()),
        Just("lambda ".to_owned()),
        Just(" if ".to_owned()),
        Just(" else ".to_owned()),
        Just("if x: ".to_owned()),
        Just("import os\n".to_owned()),
        Just("os.environ.get(".to_owned()),
        Just("DEBUG".to_owned()),
        Just("#".to_owned()),
        Just(";".to_owned()),
        "[a-zA-Z0-9_ .*+@%]{0,6}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|parts| parts.concat())
}

/// `.env`-ish text: keys, quotes, escapes, comments, line ends, a BOM.
fn env_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("KEY".to_owned()),
        Just("=".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\\".to_owned()),
        Just("#".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("export ".to_owned()),
        Just("${A}".to_owned()),
        Just("\u{feff}".to_owned()),
        "[A-Za-z0-9_]{1,8}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_python_tokenizer_and_parser(source in python_text()) {
        let _ = logical_lines(&source);
        let module = Module::parse(&source);
        let mut count = 0usize;
        module.walk_exprs(&mut |_| count += 1);
        prop_assert!(module.too_deep.len() <= source.lines().count() + 1);
    }

    #[test]
    fn fuzz_env_parser_and_merger_keep_the_old_bytes(
        existing in env_text(),
        key in "[A-Z][A-Z0-9_]{0,12}",
        value in any::<String>(),
    ) {
        let _ = envfile::parse(&existing);
        let merged = envfile::merge(&existing, &[(key, value)], "Added by preflight");
        prop_assert!(merged.starts_with(&existing), "the old bytes are a prefix");
    }

    #[test]
    fn fuzz_state_reader(text in prop_oneof![
        any::<String>(),
        "schema = [0-9]{1,3}\n\\[items\\.[a-z-]{1,12}\\]\nstatus = \"[a-z]{0,8}\"\n",
        "schema = 1\n\\[generated\\.\"[a-z.]{1,10}\"\\]\nsha256 = \"[0-9a-f]{0,64}\"\n",
    ]) {
        let path = std::path::Path::new(".preflight/state.toml");
        if let Err(err) = State::parse(&text, path) {
            let message = format!("{err:#}");
            prop_assert!(message.contains("hint:"), "{message}");
        }
    }

    #[test]
    fn fuzz_gitignore_matching_and_appending(
        existing in prop::collection::vec(any::<u8>(), 0..200),
        rules in "([!#/*?\\[\\]a-z.\\\\ ]{0,10}\n){0,6}",
    ) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut bytes = existing.clone();
        bytes.extend_from_slice(rules.as_bytes());
        std::fs::write(dir.path().join(".gitignore"), &bytes)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = crate::gitignore::is_ignored(dir.path(), ".env");
        // What ensure_ignored writes (without its fsync, 100 000 times).
        let after = crate::gitignore::appended(&bytes, ".env");
        prop_assert!(after.starts_with(&bytes), "the old bytes are a prefix");
        std::fs::write(dir.path().join(".gitignore"), &after)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(crate::gitignore::is_ignored(dir.path(), ".env"));
    }
}

//! `preflight secret`: exact formats, fresh values, clean output, and the
//! real libraries (Django's W009 check, cryptography's Fernet) accept them.

use std::process::Command as Process;

use crate::util::{preflight, require_tool};

/// Runs `preflight secret ARGS…` and returns stdout's lines; stderr must be empty.
fn secrets(args: &[&str]) -> Vec<String> {
    let output = preflight().arg("secret").args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: stderr {output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(stdout.ends_with('\n'), "{stdout:?}");
    stdout.lines().map(str::to_owned).collect()
}

fn one(args: &[&str]) -> String {
    let lines = secrets(args);
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines.into_iter().next().expect("one line")
}

fn urlsafe(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn lower_hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

#[test]
fn every_kind_prints_its_exact_format() {
    type Check = fn(&str) -> bool;
    let cases: [(&str, Check); 8] = [
        ("django", |s| s.len() == 50 && s.chars().all(urlsafe)),
        ("hex", |s| s.len() == 64 && s.chars().all(lower_hex)),
        ("urlsafe", |s| s.len() == 43 && s.chars().all(urlsafe)),
        ("api-key", |s| {
            s.strip_prefix("api-key-")
                .is_some_and(|b| b.len() == 43 && b.chars().all(urlsafe))
        }),
        ("fernet", |s| {
            s.len() == 44 && s.ends_with('=') && s[..43].chars().all(urlsafe)
        }),
        ("jwt", |s| s.len() == 64 && s.chars().all(lower_hex)),
        ("password", |s| {
            s.len() == 32 && s.chars().all(|c| c.is_ascii_alphanumeric())
        }),
        ("", |s| s.len() == 64 && s.chars().all(lower_hex)),
    ];
    for (kind, check) in cases {
        let args: Vec<&str> = if kind.is_empty() { vec![] } else { vec![kind] };
        let first = one(&args);
        let second = one(&args);
        assert!(check(&first), "{kind}: {first}");
        assert!(check(&second), "{kind}: {second}");
        assert_ne!(first, second, "{kind} repeated itself");
    }
}

#[test]
fn count_and_prefix() {
    let keys = secrets(&["api-key", "-n", "5", "--prefix", "partner-"]);
    assert_eq!(keys.len(), 5);
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), 5);
    for key in &keys {
        let body = key.strip_prefix("partner-").expect("prefix");
        assert_eq!(body.len(), 43, "{key}");
    }
    let hex = one(&["hex", "--prefix", "whsec_"]);
    assert!(hex.starts_with("whsec_") && hex.len() == 70, "{hex}");
}

#[test]
fn unknown_kind_exits_2_and_lists_the_kinds() {
    let output = preflight().args(["secret", "rsa"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no secret on a failed call");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: unknown secret kind `rsa`"),
        "{stderr}"
    );
    for kind in [
        "django", "hex", "urlsafe", "api-key", "fernet", "jwt", "password",
    ] {
        assert!(stderr.contains(kind), "{kind} missing from: {stderr}");
    }
}

#[test]
fn bad_prefixes_and_counts_exit_2() {
    for args in [
        &["api-key", "--prefix", "a b"][..],
        &["api-key", "--prefix", "$HOME"],
        &["fernet", "--prefix", "x-"],
        &["hex", "-n", "0"],
    ] {
        let output = preflight().arg("secret").args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error:"), "{args:?}");
        if args[1] == "--prefix" {
            assert!(stderr.contains("hint:"), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn help_lists_every_kind_with_its_format() {
    let output = preflight()
        .args(["secret", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("50 chars from [A-Za-z0-9_-]"), "{help}");
    assert!(help.contains("44 chars, URL-safe base64"), "{help}");
}

#[test]
fn command_substitution_never_splits_or_globs() {
    let Some(sh) = require_tool("sh") else { return };
    let binary = env!("CARGO_BIN_EXE_preflight");
    for kind in [
        "django", "hex", "urlsafe", "api-key", "fernet", "jwt", "password",
    ] {
        // Unquoted on purpose: a value with a space, `*` or `?` would become
        // several words or file names here.
        let script = format!("set -- $('{binary}' secret {kind}); echo $#; printf %s \"$1\"");
        let output = Process::new(&sh)
            .arg("-c")
            .arg(&script)
            .current_dir(std::env::temp_dir())
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let (count, value) = stdout.split_once('\n').expect("two parts");
        assert_eq!(count, "1", "{kind} split into {count} words");
        assert!(value.len() >= 32, "{kind}: {value}");
    }
}

#[test]
fn django_accepts_the_signing_key() {
    let Some(python) = crate::util::require_python(&["django"]) else {
        return;
    };
    let key = one(&["django"]);
    let script = "import sys\n\
        from django.conf import settings\n\
        settings.configure(SECRET_KEY=sys.argv[1], DEBUG=False, ALLOWED_HOSTS=['x'])\n\
        from django.core.checks.security.base import check_secret_key\n\
        print([w.id for w in check_secret_key(None)])\n";
    let output = Process::new(python)
        .args(["-c", script, &key])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "django failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");
}

#[test]
fn cryptography_accepts_the_fernet_key() {
    let Some(python) = crate::util::require_python(&["cryptography"]) else {
        return;
    };
    let key = one(&["fernet"]);
    let script = "import sys\n\
        from cryptography.fernet import Fernet\n\
        f = Fernet(sys.argv[1])\n\
        print(f.decrypt(f.encrypt(b'ok')).decode())\n";
    let output = Process::new(python)
        .args(["-c", script, &key])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "cryptography failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "ok");
}

//! `.env` files against the real readers: python-dotenv reads what the
//! parser reads and what `write_env` wrote; dotenv-linter finds nothing
//! wrong with what preflight adds; git ignores what `gitignore` says it does.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;

use preflight::envfile::{self, EnvPlan};
use preflight::gitignore;
use preflight::project::{Framework, Project};

use crate::util::{require_python, require_tool, write};

/// What python-dotenv reads from `path` (no interpolation), as key → value;
/// a bare `KEY` reads as an empty value, as in our parser.
fn python_dotenv(path: &Path) -> Option<BTreeMap<String, String>> {
    let python = require_python(&["python-dotenv"])?;
    let script = "import json, sys\n\
        from dotenv import dotenv_values\n\
        values = dotenv_values(sys.argv[1], interpolate=False)\n\
        print(json.dumps({k: v or '' for k, v in values.items()}))\n";
    let output = Process::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python-dotenv failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("json"))
}

fn ours(text: &str) -> BTreeMap<String, String> {
    envfile::parse(text)
        .expect("parses")
        .into_iter()
        .map(|entry| (entry.key, entry.value))
        .collect()
}

/// Text exercising every part of the grammar that a real `.env` uses.
const TRICKY: &str = "\u{feff}# A comment\n\
    \n\
    export EXPORTED=yes\n\
    PLAIN=value\n\
    SPACED = around equals\n\
    INLINE=value # a comment\n\
    HASH_IN_VALUE=abc#def\n\
    EMPTY=\n\
    EMPTY_COMMENT= # nothing\n\
    SINGLE='single # quoted \\' escaped'\n\
    DOUBLE=\"double \\\"escaped\\\" \\n newline\"\n\
    MULTI=\"first\n\
    second\"\n\
    URL=postgres://u:p@h:5432/db?sslmode=require\n\
    DOLLAR=$NOT_INTERPOLATED\n\
    BARE\n\
    'QUOTED_KEY'=x\n\
    TRAILING=spaces   \n\
    CRLF=windows\r\n\
    LAST=no final newline";

#[test]
fn the_parser_reads_what_python_dotenv_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".env");
    std::fs::write(&path, TRICKY).expect("write");
    let Some(theirs) = python_dotenv(&path) else {
        return;
    };
    assert_eq!(ours(TRICKY), theirs);
}

fn django_project(root: &Path) -> Project {
    Project {
        root: root.to_path_buf(),
        name: "shop".into(),
        framework: Framework::Django,
        env_vars: ["SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"]
            .map(str::to_owned)
            .to_vec(),
        settings: vec!["config/settings.py".into()],
        ..Project::default()
    }
}

fn answers() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("domain".to_owned(), "api.shop.test".to_owned()),
        ("api_consumers".to_owned(), "frontend,mobile".to_owned()),
    ])
}

/// Plans and writes `.env` and `.env.example` the way `generate` will.
fn plan_and_write(root: &Path) -> EnvPlan {
    let plan = envfile::plan(&django_project(root), &answers()).expect("plan");
    envfile::write_env(root, &plan.env).expect("write .env");
    std::fs::write(root.join(".env.example"), &plan.env_example).expect("write example");
    plan
}

const EXISTING: &str = "# Local development\n\
    DEBUG=True  # only on my laptop\n\
    EMAIL_HOST=\n\
    NAME='my shop'";

#[test]
fn python_dotenv_reads_the_merged_env() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".env", EXISTING);
    let plan = plan_and_write(dir.path());
    let written = std::fs::read_to_string(dir.path().join(".env")).expect("read");
    assert!(written.starts_with(EXISTING), "{written}");
    let mine = ours(&written);
    assert!(mine["SECRET_KEY"].len() >= 50);
    assert_eq!(mine["DEBUG"], "True");
    assert!(mine["API_KEY_FRONTEND"].starts_with("frontend-"));
    let Some(theirs) = python_dotenv(&dir.path().join(".env")) else {
        return;
    };
    assert_eq!(mine, theirs);
    assert_eq!(plan.generated.len(), 4, "{:?}", plan.generated);
}

#[cfg(unix)]
#[test]
fn the_env_is_private_and_written_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "secrets/real.env", "A=1\n");
    std::os::unix::fs::symlink("secrets/real.env", dir.path().join(".env")).expect("symlink");
    plan_and_write(dir.path());
    let link = std::fs::symlink_metadata(dir.path().join(".env")).expect("meta");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let target = dir.path().join("secrets/real.env");
    let text = std::fs::read_to_string(&target).expect("read");
    assert!(text.starts_with("A=1\n") && text.contains("SECRET_KEY="));
    let mode = std::fs::metadata(&target)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn dotenv_linter_finds_nothing_wrong_with_what_preflight_writes() {
    let Some(linter) = require_tool("dotenv-linter") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    plan_and_write(dir.path());
    // Merged into a tidy file, the appended block must stay tidy too.
    let merged = tempfile::tempdir().expect("tempdir");
    write(merged.path(), ".env", "# mine\nAAA=1\nZZZ=2");
    write(merged.path(), ".env.example", "# mine\r\nAAA=\r\n");
    plan_and_write(merged.path());
    for root in [dir.path(), merged.path()] {
        let output = Process::new(&linter)
            .args(["--plain", "check", ".env", ".env.example"])
            .current_dir(root)
            .env("DOTENV_LINTER_SKIP_UPDATES", "true")
            .output()
            .expect("dotenv-linter runs");
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{report}");
        assert!(report.contains("No problems found"), "{report}");
    }
}

#[test]
fn a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".env", EXISTING);
    let first = plan_and_write(dir.path());
    let second = envfile::plan(&django_project(dir.path()), &answers()).expect("plan");
    assert_eq!(second.env, first.env);
    assert_eq!(second.env_example, first.env_example);
    assert!(second.generated.is_empty());
}

/// Whether `git check-ignore` says `root/name` is ignored, with no global or
/// system configuration in play.
fn git_ignores(git: &Path, repo: &Path, root: &Path, name: &str) -> bool {
    let status = Process::new(git)
        .args(["check-ignore", "-q", name])
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", repo.join("no-global-config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("XDG_CONFIG_HOME", repo.join("no-xdg"))
        .status()
        .expect("git runs");
    match status.code() {
        Some(0) => true,
        Some(1) => false,
        other => panic!("git check-ignore exited with {other:?}"),
    }
}

#[test]
fn gitignore_agrees_with_git() {
    let Some(git) = require_tool("git") else {
        return;
    };
    // (root .gitignore, api/.gitignore) — the project lives in `api/`.
    let cases: &[(&str, Option<&str>)] = &[
        (".env\n", None),
        ("*.env\n", None),
        (".env*\n!.env\n", None),
        ("# .env\n", None),
        (".env.example\n", None),
        ("/.env\n", None),
        ("api/.env\n", None),
        ("**/.env\n", None),
        (".env/\n", None),
        ("api/\n", None),
        ("api/\n!api/.env\n", None),
        ("api/*\n!api/.env\n", None),
        (".env\n", Some("!.env\n")),
        ("!.env\n", Some(".env\n")),
        ("", Some("/.env\n")),
        ("", Some(".e[nN]v\n")),
        ("\\#.env\n", None),
        (".ENV\n", None),
    ];
    for (top_rules, api_rules) in cases {
        let repo = tempfile::tempdir().expect("tempdir");
        let status = Process::new(&git)
            .args(["init", "-q"])
            .current_dir(repo.path())
            .status()
            .expect("git init");
        assert!(status.success());
        write(repo.path(), ".gitignore", top_rules);
        write(repo.path(), "api/.env", "A=1\n");
        if let Some(rules) = api_rules {
            write(repo.path(), "api/.gitignore", rules);
        }
        let api = repo.path().join("api");
        let expected = git_ignores(&git, repo.path(), &api, ".env");
        assert_eq!(
            gitignore::is_ignored(&api, ".env"),
            expected,
            "rules {top_rules:?} / {api_rules:?}: git says ignored = {expected}"
        );
        gitignore::ensure_ignored(&api, ".env").expect("ensure");
        assert!(
            git_ignores(&git, repo.path(), &api, ".env"),
            "after ensure_ignored git must ignore .env ({top_rules:?} / {api_rules:?})"
        );
    }
}

/// Random `.env` texts built from the fragments real files are made of.
fn random_env_texts(count: usize) -> Vec<String> {
    use rand::seq::IndexedRandom;
    use rand::{RngExt, SeedableRng};
    const KEYS: &[&str] = &[
        "A",
        "B_2",
        "export C",
        "'Q'",
        "  D",
        "export\tE",
        "lower.dot",
    ];
    const EQUALS: &[&str] = &["=", " = ", "= ", "=\t", ""];
    const VALUES: &[&str] = &[
        "x",
        "x y",
        "x #c",
        "x#c",
        "'s'",
        "'s #'",
        "\"d\"",
        "\"d\\n\\t\"",
        "\"m\nl\"",
        "'un",
        "\"un",
        "",
        "$V",
        "${V}",
        "\\",
        "'a\\'b'",
        "\"a\\\"b\"",
        "é ü",
        "#",
        "'m\r\nl'",
    ];
    const TRAILERS: &[&str] = &["", " # c", "  ", " junk", "#c", "\t# t"];
    const ENDS: &[&str] = &["\n", "\r\n", "\r", "\n\n"];
    const LINES: &[&str] = &["# c", "", "   ", "junk line", "#"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let pick = |options: &[&'static str], rng: &mut rand::rngs::StdRng| {
        *options.choose(rng).expect("non-empty")
    };
    (0..count)
        .map(|_| {
            let lines = rng.random_range(1..=6);
            let mut text = String::new();
            for _ in 0..lines {
                if rng.random_bool(0.2) {
                    text.push_str(pick(LINES, &mut rng));
                } else {
                    text.push_str(pick(KEYS, &mut rng));
                    text.push_str(pick(EQUALS, &mut rng));
                    text.push_str(pick(VALUES, &mut rng));
                    text.push_str(pick(TRAILERS, &mut rng));
                }
                text.push_str(pick(ENDS, &mut rng));
            }
            if rng.random_bool(0.3) {
                text.pop();
            }
            text
        })
        .collect()
}

#[test]
fn the_parser_agrees_with_python_dotenv_on_random_files() {
    let Some(python) = require_python(&["python-dotenv"]) else {
        return;
    };
    let texts = random_env_texts(1000);
    let dir = tempfile::tempdir().expect("tempdir");
    for (index, text) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{index}.env")), text).expect("write");
    }
    // For each file: the values, and whether python-dotenv hit a statement
    // it could not parse (it skips those with a warning).
    let script = "import io, json, sys, logging\n\
        logging.disable(logging.CRITICAL)\n\
        from dotenv import dotenv_values\n\
        from dotenv.parser import parse_stream\n\
        out = []\n\
        for i in range(int(sys.argv[2])):\n    \
            path = f'{sys.argv[1]}/{i}.env'\n    \
            values = dotenv_values(path, interpolate=False)\n    \
            with open(path, encoding='utf-8') as f:\n        \
                error = any(b.error for b in parse_stream(f))\n    \
            out.append([error, {k: v or '' for k, v in values.items()}])\n\
        print(json.dumps(out))\n";
    let output = Process::new(python)
        .args(["-c", script])
        .arg(dir.path())
        .arg(texts.len().to_string())
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python-dotenv failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: Vec<(bool, BTreeMap<String, String>)> =
        serde_json::from_slice(&output.stdout).expect("json");
    let mut compared = 0;
    for (text, (their_error, theirs)) in texts.iter().zip(theirs) {
        match envfile::parse(text) {
            Ok(entries) => {
                assert!(!their_error, "python-dotenv skipped part of {text:?}");
                let mine: BTreeMap<String, String> =
                    entries.into_iter().map(|e| (e.key, e.value)).collect();
                assert_eq!(mine, theirs, "{text:?}");
                compared += 1;
            }
            Err(err) => assert!(their_error, "{err} but python-dotenv reads {text:?}"),
        }
    }
    assert!(
        compared >= 300,
        "only {compared} of {} files parsed",
        texts.len()
    );
}

/// A project as the scanner describes it, built by hand for a fixture.
fn fixture_project(
    root: &Path,
    framework: Framework,
    env_vars: &[&str],
    dependencies: &[&str],
) -> Project {
    Project {
        root: root.to_path_buf(),
        name: preflight::project::project_name(root),
        framework,
        env_vars: env_vars.iter().map(|s| (*s).to_owned()).collect(),
        dependencies: dependencies.iter().map(|s| (*s).to_owned()).collect(),
        ..Project::default()
    }
}

#[test]
fn a_complete_env_example_is_left_byte_for_byte() {
    let dir = crate::util::fixture("django-good");
    let example = std::fs::read_to_string(dir.path().join(".env.example")).expect("read");
    let mut project = fixture_project(
        dir.path(),
        Framework::Django,
        &[],
        &[
            "Django==5.0.6",
            "dj-database-url==2.1.0",
            "psycopg[binary]==3.1.19",
        ],
    );
    project.settings = vec!["config/settings.py".into()];
    let plan = envfile::plan(&project, &BTreeMap::new()).expect("plan");
    assert_eq!(plan.env_example, example, "every key is documented already");
    let env = ours(&plan.env);
    assert_eq!(env["DJANGO_SECRET_KEY"].len(), 50);
    assert!(!env.contains_key("SECRET_KEY"));
    assert!(env["DATABASE_URL"].starts_with("postgres://app:"));
    assert_eq!(env["DJANGO_DEBUG"], "False");
    assert_eq!(env["DJANGO_ENV"], "production");
    assert_eq!(env["DJANGO_SETTINGS_MODULE"], "config.settings");
    assert!(
        !env.contains_key("SENTRY_DSN"),
        "third-party keys are the user's to set"
    );
    let kinds: Vec<&str> = plan.generated.iter().map(|(var, _)| var.as_str()).collect();
    assert_eq!(kinds, ["DJANGO_SECRET_KEY", "DATABASE_URL"]);
}

#[test]
fn a_committed_weak_env_is_kept_and_reported_by_name() {
    let dir = crate::util::fixture("fastapi-routers");
    let old = std::fs::read_to_string(dir.path().join(".env")).expect("read");
    let project = fixture_project(
        dir.path(),
        Framework::Fastapi,
        &["DATABASE_URL", "JWT_SECRET", "PLAID_WEBHOOK_SECRET"],
        &["sqlalchemy", "python-jose[cryptography]", "alembic>=1.13"],
    );
    let plan = envfile::plan(&project, &BTreeMap::new()).expect("plan");
    assert_eq!(plan.env, old, "nothing is missing, so nothing is added");
    assert!(plan.generated.is_empty());
    assert_eq!(
        plan.notes,
        [
            "JWT_SECRET in .env is shorter than 32 chars: replace it with the output of \
          `preflight secret jwt`",
            // Plaid issues it; while it is empty an app that skips the check takes anything.
            "PLAID_WEBHOOK_SECRET is empty in .env: an app that skips signature checks without \
             it accepts unsigned webhooks\n  hint: paste the signing secret the provider issued \
             into .env (and the platform's secret store)"
        ]
    );
    let example = ours(&plan.env_example);
    assert_eq!(example["JWT_SECRET"], "");
    assert_eq!(example["PLAID_WEBHOOK_SECRET"], "");
    assert!(!plan.env_example.contains("dev-secret-change-me"));
}

#[test]
fn sqlalchemy_projects_get_a_url_their_driver_reads() {
    let dir = crate::util::fixture("fastapi-good");
    let project = fixture_project(
        dir.path(),
        Framework::Fastapi,
        &[],
        &[
            "SQLAlchemy==2.0.30",
            "psycopg[binary]==3.1.19",
            "PyJWT==2.8.0",
        ],
    );
    let plan = envfile::plan(&project, &BTreeMap::new()).expect("plan");
    let env = ours(&plan.env);
    assert_eq!(env["JWT_SECRET"].len(), 64);
    assert!(
        env["DATABASE_URL"].starts_with("postgresql+psycopg://app:"),
        "{}",
        env["DATABASE_URL"]
    );
    assert_eq!(env["ENVIRONMENT"], "production");
    assert_eq!(env["LOG_LEVEL"], "INFO");
}

/// The issue's "done when", through the library `generate` calls: a Django
/// project with an `.env` (comments, an inline comment, an empty value).
#[test]
fn the_demo_gets_a_key_a_private_env_and_a_gitignore_entry() {
    let dir = crate::util::demo_project();
    let root = dir.path();
    let old_env = format!(
        "{}# mail is optional\nEMAIL_HOST=  # empty on purpose\nEMAIL_PORT=\n",
        std::fs::read_to_string(root.join(".env")).expect("read")
    );
    std::fs::write(root.join(".env"), &old_env).expect("write");
    let old_gitignore = std::fs::read_to_string(root.join(".gitignore")).expect("read");
    let mut project = fixture_project(
        root,
        Framework::Django,
        &[
            "OPENAI_API_KEY",
            "DEFAULT_CHAT_MODEL",
            "DJANGO_SETTINGS_MODULE",
        ],
        &[
            "Django==5.0.6",
            "djangorestframework",
            "django-cors-headers",
        ],
    );
    project.settings = vec!["config/settings.py".into()];
    let answers = BTreeMap::from([("domain".to_owned(), "api.fingpt.example".to_owned())]);

    let plan = envfile::plan(&project, &answers).expect("plan");
    envfile::write_env(root, &plan.env).expect("write .env");
    assert!(gitignore::ensure_ignored(root, ".env").expect("gitignore"));
    let mut state = preflight::state::State::load(root).expect("state");
    envfile::record_generated(&mut state, &plan.generated);
    state.save(root).expect("save");

    let env_bytes = std::fs::read_to_string(root.join(".env")).expect("read");
    assert!(env_bytes.starts_with(&old_env), "{env_bytes}");
    let env = ours(&env_bytes);
    let key = &env["DJANGO_SECRET_KEY"];
    assert!(key.len() >= 50, "{key}");
    assert_eq!(env["DJANGO_ALLOWED_HOSTS"], "api.fingpt.example");
    assert!(
        std::fs::read_to_string(root.join(".gitignore"))
            .expect("read")
            .starts_with(&old_gitignore)
    );
    assert!(gitignore::is_ignored(root, ".env"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join(".env"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for entry in walk(&root.join(".preflight")) {
        let text = std::fs::read_to_string(&entry).expect("read");
        assert!(
            !text.contains(key.as_str()),
            "{} holds the key",
            entry.display()
        );
        if entry.ends_with("state.toml") {
            assert!(
                text.contains("DJANGO_SECRET_KEY"),
                "the state records the key by name"
            );
        }
    }
    if let Some(theirs) = python_dotenv(&root.join(".env")) {
        assert_eq!(&theirs["DJANGO_SECRET_KEY"], key);
        assert_eq!(theirs, env);
    }

    let again = envfile::plan(&project, &answers).expect("plan");
    assert_eq!(again.env, env_bytes, "a second run changes nothing");
    assert!(again.generated.is_empty());
    assert!(!gitignore::ensure_ignored(root, ".env").expect("gitignore"));
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn tracked_and_committed_env_files_are_recognised() {
    let Some(git) = require_tool("git") else {
        return;
    };
    let repo = tempfile::tempdir().expect("tempdir");
    let root = repo.path();
    let git_run = |args: &[&str]| {
        let status = Process::new(&git)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(root)
            .env("GIT_CONFIG_GLOBAL", root.join("no-global-config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    let outside = tempfile::tempdir().expect("tempdir");
    assert_eq!(gitignore::is_tracked(outside.path(), ".env"), None);
    git_run(&["init", "-q"]);
    write(root, ".env", "A=1\n");
    assert_eq!(gitignore::is_tracked(root, ".env"), Some(false));
    assert_eq!(gitignore::in_history(root, ".env"), Some(false));
    git_run(&["add", ".env"]);
    git_run(&["commit", "-q", "-m", "oops"]);
    assert_eq!(gitignore::is_tracked(root, ".env"), Some(true));
    git_run(&["rm", "-q", "--cached", ".env"]);
    git_run(&["commit", "-q", "-m", "untrack"]);
    assert_eq!(gitignore::is_tracked(root, ".env"), Some(false));
    assert_eq!(gitignore::in_history(root, ".env"), Some(true));
}

//! `check` against the real binary: the fixtures' EXPECTED.toml, the output
//! formats, exit codes, the state file, and parity with Django's own
//! `manage.py check --deploy`.

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{
    demo_project, fixture, preflight, require_tool, status_item, status_json, write,
};

const FIXTURES: &[&str] = &[
    "django-single",
    "django-split",
    "django-good",
    "fastapi-routers",
    "fastapi-good",
    "flask-factory",
    "django-cookiecutter",
    "django-decouple",
    "fastapi-fullstack",
    "flask-config-classes",
    "flask-single-file",
    "flask-good",
];

/// Runs `check --format json` and parses the document.
fn check_json(path: &Path) -> Value {
    let out = preflight()
        .args(["check", "--format", "json", "--fail-on", "none"])
        .arg(path)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("check --format json prints one JSON object")
}

/// A finding as `(item, file, line)`.
type Place = (String, Option<String>, Option<u64>);

fn places(findings: &[Value]) -> BTreeSet<Place> {
    findings
        .iter()
        .map(|f| {
            (
                f["item"].as_str().expect("item").to_owned(),
                f["file"].as_str().map(str::to_owned),
                f["line"].as_u64(),
            )
        })
        .collect()
}

/// A finding in EXPECTED.toml may pin its evidence too (`evidence = "…"`): a
/// project-level finding is one place however many problems it names.
fn assert_evidence(name: &str, expected: &toml::Table, findings: &[Value]) {
    for want_finding in expected
        .get("finding")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
    {
        let Some(evidence) = want_finding.get("evidence").and_then(toml::Value::as_str) else {
            continue;
        };
        let item = want_finding["item"].as_str().expect("item");
        let file = want_finding.get("file").and_then(toml::Value::as_str);
        let got_evidence: Vec<&str> = findings
            .iter()
            .filter(|f| f["item"] == item && f["file"].as_str() == file)
            .filter_map(|f| f["evidence"].as_str())
            .collect();
        assert!(
            got_evidence.contains(&evidence),
            "{name}: {item} evidence {got_evidence:?}, expected {evidence:?}"
        );
    }
}

/// Compares a `check --format json` document with an EXPECTED.toml.
fn assert_matches_expected(name: &str, got: &Value, expected_path: &Path) {
    let text = std::fs::read_to_string(expected_path).expect("EXPECTED.toml");
    let expected: toml::Table = toml::from_str(&text).expect("EXPECTED.toml parses");
    let project = &got["project"];
    assert_eq!(
        project["framework"].as_str(),
        expected["framework"].as_str(),
        "{name}: framework"
    );
    assert_eq!(
        project["entrypoint"].as_str(),
        expected["entrypoint"].as_str(),
        "{name}: entrypoint"
    );
    let settings: Vec<&str> = expected["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let got_settings: Vec<&str> = project["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(got_settings, settings, "{name}: settings chain");

    let want: BTreeSet<Place> = expected
        .get("finding")
        .and_then(|f| f.as_array())
        .map(|list| {
            list.iter()
                .map(|f| {
                    (
                        f["item"].as_str().expect("item").to_owned(),
                        f.get("file").and_then(|v| v.as_str()).map(str::to_owned),
                        f.get("line")
                            .and_then(toml::Value::as_integer)
                            .and_then(|l| u64::try_from(l).ok()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    // A fixture about one class of mistake may scope its findings to the
    // items that class is about (`only = [...]`); the others are not asserted.
    let only: Option<BTreeSet<&str>> = expected
        .get("only")
        .and_then(toml::Value::as_array)
        .map(|list| list.iter().filter_map(toml::Value::as_str).collect());
    let in_scope = |place: &Place| only.as_ref().is_none_or(|o| o.contains(place.0.as_str()));
    let want: BTreeSet<Place> = want.into_iter().filter(in_scope).collect();
    let findings = got["findings"].as_array().expect("findings");
    let have: BTreeSet<Place> = places(findings).into_iter().filter(in_scope).collect();
    assert_evidence(name, &expected, findings);
    let extra: Vec<_> = have.difference(&want).collect();
    let missing: Vec<_> = want.difference(&have).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{name}: extra findings {extra:#?}\nmissing findings {missing:#?}"
    );
    let passed: BTreeSet<&str> = got["passed"]
        .as_array()
        .expect("passed")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for item in expected["passed"].as_array().expect("passed") {
        let item = item.as_str().expect("id");
        assert!(passed.contains(item), "{name}: {item} should pass");
    }
    let not_applicable: BTreeSet<&str> = got["not_applicable"]
        .as_array()
        .expect("not_applicable")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for item in expected
        .get("not_applicable")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let item = item.as_str().expect("id");
        assert!(
            not_applicable.contains(item),
            "{name}: {item} should be not_applicable"
        );
    }
}

/// The round-2 fixtures: one class of mistake each, from real projects
/// (tests/fixtures/README.md), every directory named `r2-*`.
fn round_two_fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("r2-"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_round_two_fixture_matches_its_expected_findings() {
    let names = round_two_fixtures();
    assert!(!names.is_empty(), "the r2-* fixtures are there");
    for name in &names {
        let project = fixture(name);
        let expected = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
            .join("EXPECTED.toml");
        let table: toml::Table =
            toml::from_str(&std::fs::read_to_string(&expected).expect("EXPECTED.toml"))
                .expect("EXPECTED.toml parses");
        // `git = true`: the fixture is a repository (git refuses to commit a `.git`,
        // so it is made here); `project = "backend"`: check runs on that folder.
        if table.get("git").and_then(toml::Value::as_bool) == Some(true) {
            std::fs::create_dir(project.path().join(".git")).expect("mkdir .git");
        }
        let sub = table
            .get("project")
            .and_then(toml::Value::as_str)
            .unwrap_or(".");
        let got = check_json(&project.path().join(sub));
        assert_matches_expected(name, &got, &expected);
    }
}

#[test]
fn every_fixture_matches_its_expected_findings() {
    for name in FIXTURES {
        let project = fixture(name);
        let got = check_json(project.path());
        let expected = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
            .join("EXPECTED.toml");
        assert_matches_expected(name, &got, &expected);
    }
}

#[test]
fn the_demo_reports_its_problems() {
    let project = demo_project();
    let got = check_json(project.path());
    let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/EXPECTED.toml");
    assert_matches_expected("demo", &got, &expected);
}

#[test]
fn json_has_the_contract_shape() {
    let project = demo_project();
    let got = check_json(project.path());
    assert_eq!(got["schema"], 1);
    for key in ["path", "framework", "entrypoint", "settings"] {
        assert!(got["project"].get(key).is_some(), "project.{key}");
    }
    let findings = got["findings"].as_array().expect("findings");
    let mut counts = std::collections::HashMap::new();
    for finding in findings {
        for key in [
            "item", "severity", "title", "file", "line", "evidence", "fix",
        ] {
            assert!(finding.get(key).is_some(), "finding.{key}: {finding}");
        }
        if let Some(file) = finding["file"].as_str() {
            assert!(
                !file.contains('\\') && !file.starts_with('/'),
                "relative with /: {file}"
            );
        }
        *counts
            .entry(finding["severity"].as_str().expect("severity").to_owned())
            .or_insert(0u64) += 1;
    }
    for severity in ["critical", "high", "medium", "low"] {
        assert_eq!(
            got["summary"][severity].as_u64(),
            Some(counts.get(severity).copied().unwrap_or(0)),
            "summary.{severity}"
        );
    }
    // A secret never appears whole in the evidence.
    let text = got.to_string();
    assert!(
        !text.contains("(#ln-$09quh$9crmi26+)5nb"),
        "SECRET_KEY redacted"
    );
    assert!(text.contains("django-insec"), "but recognisable");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let project = demo_project();
    preflight()
        .args(["check", "--fail-on", "critical"])
        .arg(project.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("debug-off"));
    preflight()
        .args(["check", "--fail-on", "none"])
        .arg(project.path())
        .assert()
        .code(0);
    let good = fixture("django-good");
    preflight()
        .args(["check", "--fail-on", "low"])
        .arg(good.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Every automatic check passes"));
}

#[test]
fn text_output_groups_by_phase_without_colour_under_no_color() {
    let project = demo_project();
    let out = preflight()
        .arg("check")
        .arg(project.path())
        .output()
        .expect("run");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains('\u{1b}'), "NO_COLOR means no escape codes");
    let phase1 = text.find("1 · Secrets and keys").expect("phase 1 heading");
    let phase2 = text
        .find("2 · Application security settings")
        .expect("phase 2 heading");
    assert!(phase1 < phase2);
    assert!(text.contains("config/settings.py:36  DEBUG = True"));
    assert!(text.contains("Django · config.wsgi:application"));
}

#[test]
fn sarif_is_valid_2_1_0() {
    let project = demo_project();
    let out = preflight()
        .args(["check", "--format", "sarif", "--fail-on", "none"])
        .arg(project.path())
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), rules.len(), "one rule per item id");
    assert!(ids.contains("debug-off"));
    for result in run["results"].as_array().expect("results") {
        let index =
            usize::try_from(result["ruleIndex"].as_u64().expect("ruleIndex")).expect("index");
        assert_eq!(rules[index]["id"], result["ruleId"]);
        // Every result has a location, project-level ones on the settings file.
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("a location");
        assert!(project.path().join(uri).is_file(), "{uri}");
    }
    // The official schema (vendored in tests/data).
    let schema = crate::util::test_data("sarif-2.1.0.json");
    if let Some(checker) = require_tool("check-jsonschema") {
        let file = project.path().join("out.sarif");
        std::fs::write(&file, &out.stdout).expect("write");
        let validated = std::process::Command::new(checker)
            .args(["--regex-variant", "python", "--schemafile"])
            .arg(&schema)
            .arg(&file)
            .output()
            .expect("check-jsonschema runs");
        assert!(
            validated.status.success(),
            "{}",
            String::from_utf8_lossy(&validated.stdout)
        );
    }
}

#[test]
fn sarif_locates_project_level_findings_in_a_nested_backend() {
    let project = fixture("fastapi-fullstack");
    let out = preflight()
        .args(["check", "--format", "sarif", "--fail-on", "none"])
        .arg(project.path())
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "logging-config"));
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_else(|| panic!("a location for {}", result["ruleId"]));
        assert!(project.path().join(uri).is_file(), "{uri}");
    }
}

#[test]
fn text_shows_the_first_step_of_each_fix_and_verbose_all_of_it() {
    let project = demo_project();
    let text = |verbose: bool| {
        let mut cmd = preflight();
        cmd.env("NO_COLOR", "1")
            .args(["check", "--fail-on", "none"])
            .arg(project.path());
        if verbose {
            cmd.arg("--verbose");
        }
        String::from_utf8(cmd.output().expect("run").stdout).expect("utf-8")
    };
    let compact = text(false);
    let full = text(true);
    // The code of the first step is whole in both: every line of the cookie settings.
    for out in [&compact, &full] {
        assert!(out.contains("SESSION_COOKIE_SAMESITE = \"Lax\""), "{out}");
        assert!(out.contains("config/settings.py:36  DEBUG = True"));
    }
    // The explanation after it only with --verbose.
    let prose = "git filter-repo --path .env --invert-paths";
    assert!(!compact.contains(prose));
    assert!(compact.contains("`preflight check --verbose` prints them whole"));
    assert!(full.contains(prose));
    assert!(!full.contains("prints them whole"));
    assert!(compact.lines().count() < full.lines().count());
}

#[test]
fn verdicts_and_history_are_recorded() {
    let project = demo_project();
    preflight()
        .args(["check", "--fail-on", "none"])
        .arg(project.path())
        .assert()
        .success();
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    let state: toml::Table = toml::from_str(&state).expect("toml");
    assert_eq!(
        state["items"]["debug-off"]["status"].as_str(),
        Some("failing")
    );
    assert_eq!(state["items"]["debug-off"]["by"].as_str(), Some("auto"));
    assert_eq!(
        state["items"]["migrations-tracked"]["status"].as_str(),
        Some("done")
    );
    assert_eq!(state["history"].as_array().map(Vec::len), Some(1));
    assert!(
        !toml::to_string(&state)
            .expect("toml")
            .contains("django-insecure-(#ln"),
        "no secret in the state file"
    );
}

#[test]
fn an_unwritable_state_dir_warns_but_still_prints() {
    let project = demo_project();
    // A file where the directory should be: creating .preflight/ fails for every user.
    std::fs::write(project.path().join(".preflight"), "not a directory").expect("write");
    preflight()
        .args(["check", "--format", "json", "--fail-on", "none"])
        .arg(project.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"schema\": 1"))
        .stderr(predicate::str::contains(
            "warning: the result was not recorded",
        ));
}

#[test]
fn a_corrupt_state_file_exits_2_and_is_kept() {
    let project = demo_project();
    write(project.path(), ".preflight/state.toml", "schema = [\n");
    preflight()
        .arg("check")
        .arg(project.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error:"));
    let kept = std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("read");
    assert_eq!(kept, "schema = [\n");
}

#[test]
fn status_rescans_before_showing() {
    let project = demo_project();
    let json = status_json(project.path());
    let item = |id: &str| status_item(&json, id).clone();
    assert_eq!(item("debug-off")["status"], "failing");
    assert_eq!(item("debug-off")["by"], "auto");
    assert_eq!(item("migrations-tracked")["status"], "done");
}

#[test]
fn a_missing_directory_is_a_usage_error() {
    preflight()
        .args(["check", "/nonexistent/project"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a project directory"));
}

/// A minimal Django project whose settings end with `extra`.
fn django_project(root: &Path, extra: &str) {
    write(
        root,
        "manage.py",
        "import os, sys\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n",
    );
    write(root, "site_cfg/__init__.py", "");
    write(root, "site_cfg/urls.py", "urlpatterns = []\n");
    write(
        root,
        "site_cfg/wsgi.py",
        "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\napplication = get_wsgi_application()\n",
    );
    write(
        root,
        "site_cfg/settings.py",
        &format!(
            "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['api.example.com']\n\
             ROOT_URLCONF = 'site_cfg.urls'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.sessions']\n\
             MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n    'django.middleware.clickjacking.XFrameOptionsMiddleware',\n]\n\
             DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x.db'}}}}\n\
             SECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\n\
             SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nCSRF_TRUSTED_ORIGINS = ['https://api.example.com']\n{extra}\n"
        ),
    );
}

/// The `security.*` ids Django's deploy check prints for a project.
fn django_deploy_warnings(python: &Path, root: &Path, settings_module: &str) -> BTreeSet<String> {
    let out = std::process::Command::new(python)
        .args(["manage.py", "check", "--deploy"])
        .current_dir(root)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("DJANGO_SETTINGS_MODULE", settings_module)
        .env(
            "DJANGO_SECRET_KEY",
            "k8Jx2mQ9vR4tW7yZ1aC3eF6hJ0lN5pS8uX2bD4gK7mP9rT1wY3zA6cE8fH0jL2nQ",
        )
        .env(
            "SECRET_KEY",
            "k8Jx2mQ9vR4tW7yZ1aC3eF6hJ0lN5pS8uX2bD4gK7mP9rT1wY3zA6cE8fH0jL2nQ",
        )
        .env("DATABASE_URL", "sqlite:////tmp/preflight-parity.db")
        .env("DJANGO_ALLOWED_HOSTS", "api.example.com")
        .env("DJANGO_CSRF_TRUSTED_ORIGINS", "https://api.example.com")
        .env("CORS_ALLOWED_ORIGINS", "https://app.example.com")
        .env("REDIS_URL", "redis://cache:6379/0")
        .output()
        .expect("python runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("System check identified"),
        "Django could not load {settings_module}:\n{text}"
    );
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| w.starts_with("security.W") || w.starts_with("security.E"))
        .map(str::to_owned)
        .collect()
}

/// Asserts every warning Django prints maps to a finding of ours.
fn assert_parity(python: &Path, name: &str, root: &Path) {
    let got = check_json(root);
    let settings = got["project"]["settings"].as_array().expect("settings");
    let main = settings
        .last()
        .and_then(Value::as_str)
        .expect("a settings module");
    let module = main
        .trim_end_matches(".py")
        .trim_end_matches("/__init__")
        .replace('/', ".");
    let items: BTreeSet<&str> = got["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["item"].as_str())
        .collect();
    for warning in django_deploy_warnings(python, root, &module) {
        let item = preflight::scan::DJANGO_DEPLOY_CHECKS
            .iter()
            .find(|(id, _)| *id == warning)
            .map_or_else(
                || panic!("{name}: {warning} has no entry in DJANGO_DEPLOY_CHECKS"),
                |(_, item)| *item,
            );
        assert!(
            items.contains(item),
            "{name}: Django reports {warning}, preflight has no {item} finding"
        );
    }
}

#[test]
fn django_deploy_check_parity() {
    let Some(python) = crate::util::require_python(&[
        "django",
        "django-environ",
        "djangorestframework",
        "django-cors-headers",
    ]) else {
        return;
    };
    for name in ["django-single", "django-split", "django-good"] {
        let project = fixture(name);
        assert_parity(&python, name, project.path());
    }
    let demo = demo_project();
    assert_parity(&python, "demo", demo.path());
    // One project per deployment warning, so each is seen firing.
    let cases = [
        "MIDDLEWARE = [m for m in MIDDLEWARE if 'Security' not in m]",
        "MIDDLEWARE = [m for m in MIDDLEWARE if 'Csrf' not in m]",
        "MIDDLEWARE = [m for m in MIDDLEWARE if 'XFrame' not in m]",
        "SECURE_HSTS_SECONDS = 0",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS = False",
        "SECURE_HSTS_PRELOAD = False",
        "SECURE_CONTENT_TYPE_NOSNIFF = False",
        "SECURE_SSL_REDIRECT = False",
        "SECRET_KEY = 'short'",
        "SESSION_COOKIE_SECURE = False",
        "SESSION_COOKIE_HTTPONLY = False",
        "CSRF_COOKIE_SECURE = False",
        "DEBUG = True",
        "X_FRAME_OPTIONS = 'SAMEORIGIN'",
        "ALLOWED_HOSTS = []",
        "SECURE_REFERRER_POLICY = None",
        "SECURE_REFERRER_POLICY = 'nonsense'",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY = 'nonsense'",
    ];
    for extra in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        django_project(dir.path(), extra);
        let warnings = django_deploy_warnings(&python, dir.path(), "site_cfg.settings");
        assert!(!warnings.is_empty(), "`{extra}` should make Django warn");
        assert_parity(&python, extra, dir.path());
    }
    // And a clean one: Django and preflight both quiet on these settings.
    let dir = tempfile::tempdir().expect("tempdir");
    django_project(dir.path(), "");
    assert!(django_deploy_warnings(&python, dir.path(), "site_cfg.settings").is_empty());
}

/// A Django project whose 40 apps each exempt three views from CSRF.
fn many_exempt_views() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(root, "requirements.txt", "Django==5.0\ngunicorn==22.0\n");
    write(
        root,
        "config/settings.py",
        "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n\
         MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n",
    );
    write(
        root,
        "config/wsgi.py",
        "import os\nfrom django.core.wsgi import get_wsgi_application\n\
         os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n\
         application = get_wsgi_application()\n",
    );
    let view = "from django.views.decorators.csrf import csrf_exempt\n\n\
                @csrf_exempt\ndef a(request):\n    pass\n\n\
                @csrf_exempt\ndef b(request):\n    pass\n\n\
                @csrf_exempt\ndef c(request):\n    pass\n";
    for app in 0..40 {
        write(root, &format!("app_{app:02}/views.py"), view);
    }
    dir
}

#[test]
fn repeated_findings_are_grouped_in_text_and_listed_whole_in_json_and_sarif() {
    let dir = many_exempt_views();
    let root = dir.path();
    let text = preflight()
        .args(["check", "--fail-on", "none"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    let listed = text.matches("/views.py:").count();
    assert_eq!(listed, 10, "{text}");
    assert!(
        text.contains("… and 110 more in 37 files"),
        "the rest is counted: {text}"
    );
    let verbose = preflight()
        .args(["check", "--fail-on", "none", "--verbose"])
        .arg(root)
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&verbose.stdout)
            .matches("/views.py:")
            .count(),
        120
    );

    let json = check_json(root);
    let csrf: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["item"] == "csrf-protected")
        .collect();
    assert_eq!(csrf.len(), 120, "JSON lists every place");
    assert!(
        csrf.iter()
            .all(|f| f["fix"].as_str().is_some_and(|t| !t.is_empty()))
    );

    let sarif = preflight()
        .args(["check", "--format", "sarif", "--fail-on", "none"])
        .arg(root)
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let exempt = results
        .iter()
        .filter(|r| r["ruleId"] == "csrf-protected")
        .count();
    assert_eq!(exempt, 120, "SARIF lists every place");
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );

    // The state file keeps a sample, the counts and each file's hash once.
    let state = std::fs::read_to_string(root.join(".preflight/state.toml")).expect("state");
    let state: toml::Table = toml::from_str(&state).expect("toml");
    let record = &state["items"]["csrf-protected"];
    assert_eq!(record["evidence"].as_array().expect("evidence").len(), 20);
    assert_eq!(record["extent"]["locations"].as_integer(), Some(120));
    assert_eq!(record["extent"]["files"].as_integer(), Some(40));
    assert_eq!(
        record["extent"]["hashes"].as_table().expect("hashes").len(),
        40
    );
}

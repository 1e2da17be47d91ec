//! `generate` against the real binary: the files, their validators, the writing rules.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use predicates::prelude::*;

use crate::util::{preflight, require_tool, status_item, status_json, write};

/// The files of a plain `generate`, by name.
const FILES: [&str; 6] = [
    ".env",
    ".env.example",
    "gunicorn.conf.py",
    "Procfile",
    "nginx.conf",
    "fly.toml",
];

/// A Django project: `config/wsgi.py`, migrations, a settings module.
fn django_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "requirements.txt", "Django==5.2\ngunicorn==23.0\n");
    write(
        root,
        "manage.py",
        "import os\nimport sys\n\nif __name__ == \"__main__\":\n    \
         os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings\")\n    \
         from django.core.management import execute_from_command_line\n    \
         execute_from_command_line(sys.argv)\n",
    );
    write(root, "config/__init__.py", "");
    write(
        root,
        "config/settings.py",
        "import os\n\nSECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"test-only\")\n\
         DEBUG = False\nALLOWED_HOSTS = [\"api.example.com\"]\nINSTALLED_APPS = []\n\
         ROOT_URLCONF = \"config.urls\"\n",
    );
    write(root, "config/urls.py", "urlpatterns = []\n");
    write(
        root,
        "config/wsgi.py",
        "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n\
         os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings\")\n\
         application = get_wsgi_application()\n",
    );
    write(root, "shop/__init__.py", "");
    write(root, "shop/migrations/__init__.py", "");
    write(
        root,
        "shop/migrations/0001_initial.py",
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    \
         initial = True\n    dependencies = []\n    operations = []\n",
    );
    dir
}

/// A FastAPI project in a package: `app/main.py`.
fn fastapi_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "requirements.txt",
        "fastapi==0.115.0\ngunicorn==23.0.0\nuvicorn-worker==0.3.0\n",
    );
    write(root, "app/__init__.py", "");
    write(root, ".env.example", "DATABASE_URL=\nJWT_SECRET=\n");
    write(
        root,
        "app/config.py",
        "import os\n\nJWT_SECRET = os.environ[\"JWT_SECRET\"]\n\
         DATABASE_URL = os.environ.get(\"DATABASE_URL\", \"sqlite:///dev.db\")\n",
    );
    write(
        root,
        "app/main.py",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/healthz\")\n\
         def health():\n    return {\"status\": \"ok\"}\n",
    );
    dir
}

/// A Flask project with a top-level `wsgi.py`.
fn flask_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "requirements.txt", "Flask==3.0\ngunicorn==23.0.0\n");
    write(root, ".env.example", "# Flask's signing key\nSECRET_KEY=\n");
    write(
        root,
        "wsgi.py",
        "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\
         app.config[\"SECRET_KEY\"] = os.environ.get(\"SECRET_KEY\", \"dev\")\n\n\n\
         @app.get(\"/health\")\n\
         def health():\n    return {\"status\": \"ok\"}\n",
    );
    dir
}

/// Runs `generate` with answers that make the output independent of the temp dir.
/// Without `--only` in `extra`, the six files these tests were written for
/// (the platform tests below use the platform's own default set).
fn generate(root: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = preflight();
    cmd.arg("generate").arg(root).args([
        "--set",
        "app_name=shop",
        "--set",
        "domain=api.example.com",
    ]);
    if !extra.contains(&"--only") {
        cmd.args(["--only", "env,env-example,gunicorn,procfile,nginx,fly"]);
    }
    cmd.args(extra).assert()
}

fn read(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

#[test]
fn snapshots_of_every_file_for_each_framework() {
    for (framework, project) in [
        ("django", django_project()),
        ("fastapi", fastapi_project()),
        ("flask", flask_project()),
    ] {
        generate(project.path(), &[]).success();
        for name in FILES {
            let text = read(project.path(), name);
            insta::with_settings!({
                filters => vec![
                    (r"preflight \d+\.\d+\.\d+", "preflight [VERSION]"),
                    // Fresh secrets differ on every run.
                    (r"[A-Za-z0-9_\-]{32,}={0,2}", "[SECRET]"),
                ],
                snapshot_suffix => format!("{framework}_{}", name.replace('.', "_")),
            }, {
                insta::assert_snapshot!("generated", text);
            });
        }
    }
}

#[test]
fn writes_all_files_and_reports_one_line_each() {
    let project = django_project();
    let out = generate(project.path(), &[]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for name in FILES {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("created") && l.ends_with(name)),
            "{name} in {stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), FILES.len(), "{stdout}");
    // A second run finds every file as it would write it.
    let again = generate(project.path(), &[]).success();
    let stdout = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(
        stdout.lines().all(|l| l.starts_with("unchanged")),
        "{stdout}"
    );
}

#[test]
fn one_truth_across_files() {
    let project = fastapi_project();
    // An app with static files of its own: fly serves them ([[statics]]).
    write(project.path(), "static/app.css", "body {}\n");
    generate(
        project.path(),
        &[
            "--set",
            "port=9100",
            "--set",
            "health_path=/healthz",
            "--set",
            "static_url=/assets/",
        ],
    )
    .success();
    let root = project.path();
    let gunicorn = read(root, "gunicorn.conf.py");
    let procfile = read(root, "Procfile");
    let nginx = read(root, "nginx.conf");
    let fly: toml::Table = read(root, "fly.toml").parse().expect("fly.toml is TOML");

    assert!(gunicorn.contains(r#"(os.environ.get("PORT") or "9100")"#));
    assert!(nginx.contains("server 127.0.0.1:9100;"));
    assert_eq!(
        fly["http_service"]["internal_port"].as_integer(),
        Some(9100)
    );
    assert_eq!(fly["env"]["PORT"].as_str(), Some("9100"));

    assert!(gunicorn.contains(r#"wsgi_app = "app.main:app""#));
    assert!(procfile.contains("web: gunicorn -c gunicorn.conf.py app.main:app\n"));

    assert!(nginx.contains("location = /healthz {"));
    let check = &fly["http_service"]["checks"][0];
    assert_eq!(check["path"].as_str(), Some("/healthz"));

    assert!(nginx.contains("location /assets/ {"));
    assert_eq!(fly["statics"][0]["url_prefix"].as_str(), Some("/assets/"));
}

#[test]
fn fastapi_runs_uvicorn_workers_and_django_migrates_at_release() {
    let fastapi = fastapi_project();
    generate(fastapi.path(), &[]).success();
    let gunicorn = read(fastapi.path(), "gunicorn.conf.py");
    assert!(gunicorn.contains(r#"worker_class = "uvicorn_worker.UvicornWorker""#));
    assert!(!read(fastapi.path(), "Procfile").contains("release:"));

    let django = django_project();
    generate(django.path(), &[]).success();
    // WSGI runs threaded workers, so keepalive is real (the sync worker ignores it).
    assert!(read(django.path(), "gunicorn.conf.py").contains("worker_class = \"gthread\""));
    assert!(
        read(django.path(), "Procfile").contains("release: python manage.py migrate --noinput\n")
    );
    let fly: toml::Table = read(django.path(), "fly.toml").parse().expect("TOML");
    assert_eq!(
        fly["deploy"]["release_command"].as_str(),
        Some("python manage.py migrate --noinput")
    );
}

#[test]
fn a_different_procfile_is_left_alone_until_forced() {
    let project = django_project();
    let mine = "web: gunicorn myown.wsgi\n";
    write(project.path(), "Procfile", mine);
    generate(project.path(), &[])
        .success()
        .stdout(predicate::str::contains("skipped: differs Procfile"))
        .stdout(predicate::str::contains("created          nginx.conf"));
    assert_eq!(read(project.path(), "Procfile"), mine);

    generate(project.path(), &["--force"])
        .success()
        .stdout(predicate::str::contains("updated          Procfile"))
        .stdout(predicate::str::contains("backup: .preflight/backups/"));
    assert!(read(project.path(), "Procfile").contains("config.wsgi:application"));
    let backups = project.path().join(".preflight/backups");
    let stamps: Vec<PathBuf> = std::fs::read_dir(&backups)
        .expect("a backup dir")
        .map(|e| e.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    assert_eq!(stamps.len(), 1);
    let stamp = stamps[0]
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        stamp.len() == 16 && stamp.ends_with('Z') && stamp.contains('T'),
        "UTC stamp: {stamp}"
    );
    assert_eq!(
        std::fs::read_to_string(stamps[0].join("Procfile")).expect("backup"),
        mine
    );
}

#[test]
fn an_unedited_generated_file_follows_new_answers_but_an_edited_one_stays() {
    let project = flask_project();
    generate(project.path(), &[]).success();
    // The user edits nginx.conf; fly.toml stays as preflight wrote it.
    let edited = read(project.path(), "nginx.conf") + "# my tweak\n";
    write(project.path(), "nginx.conf", &edited);
    generate(project.path(), &["--set", "port=8100"])
        .success()
        .stdout(predicate::str::contains("updated          fly.toml"))
        .stdout(predicate::str::contains("skipped: differs nginx.conf"));
    assert_eq!(read(project.path(), "nginx.conf"), edited);
    assert!(read(project.path(), "fly.toml").contains("internal_port = 8100"));
}

/// Every file under `root` with its bytes, to prove nothing changed.
fn snapshot_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn dry_run_prints_diffs_and_writes_nothing() {
    let project = django_project();
    write(project.path(), "Procfile", "web: gunicorn old.wsgi\n");
    let before = snapshot_tree(project.path());
    let out = generate(
        project.path(),
        &["--dry-run", "--force", "--set", "port=9000"],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("--- /dev/null\n+++ b/nginx.conf\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--- a/Procfile\n+++ b/Procfile\n"),
        "{stdout}"
    );
    assert!(stdout.contains("-web: gunicorn old.wsgi\n"), "{stdout}");
    assert!(stdout.contains("+web: gunicorn -c gunicorn.conf.py config.wsgi:application\n"));
    assert!(stdout.contains("would create     nginx.conf"), "{stdout}");
    assert!(stdout.contains("would update     Procfile"), "{stdout}");
    assert!(stdout.contains("would create     .env\n"), "{stdout}");
    assert!(
        stdout.contains("+DJANGO_SECRET_KEY=<generated: 50 chars>\n"),
        "{stdout}"
    );
    assert_eq!(
        snapshot_tree(project.path()),
        before,
        "the tree is untouched"
    );
    assert!(!project.path().join(".preflight").exists());
    assert!(!project.path().join(".gitignore").exists());
}

#[test]
fn dry_run_never_prints_a_secret() {
    let project = django_project();
    let mine = "# mine\nDATABASE_URL=postgres://app:hunter2-s3cret@db:5432/shop\n\
                PRIVATE=\"line1\nbase64line==\"\n";
    write(project.path(), ".env", mine);
    let out = generate(project.path(), &["--dry-run", "--only", "env"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("+DJANGO_SECRET_KEY=<generated: 50 chars>"),
        "{stdout}"
    );
    assert!(stdout.contains(" DATABASE_URL=<kept: "), "{stdout}");
    for leak in ["hunter2", "base64line"] {
        assert!(!stdout.contains(leak), "{leak} leaked: {stdout}");
    }
    let shown_key = stdout.lines().any(|line| {
        line.strip_prefix("+DJANGO_SECRET_KEY=")
            .is_some_and(|value| !value.starts_with('<'))
    });
    assert!(!shown_key, "{stdout}");
    assert_eq!(read(project.path(), ".env"), mine);
}

#[test]
fn env_is_merged_private_and_ignored() {
    let project = django_project();
    let mine = "# mine\nSENTRY_DSN=https://k@sentry.example/1\n";
    write(project.path(), ".env", mine);
    generate(project.path(), &["--set", "api_consumers=frontend,mobile"])
        .success()
        .stdout(predicate::str::contains("updated          .env\n"))
        .stdout(predicate::str::contains("created          .env.example\n"));
    let env = read(project.path(), ".env");
    assert!(env.starts_with(mine), "{env}");
    for key in [
        "DJANGO_SECRET_KEY=",
        "API_KEY_FRONTEND=frontend-",
        "API_KEY_MOBILE=mobile-",
    ] {
        assert!(env.contains(key), "{key} in {env}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(project.path().join(".env"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        read(project.path(), ".gitignore")
            .lines()
            .any(|l| l == ".env")
    );
    let example = read(project.path(), ".env.example");
    assert!(
        !example.contains("sentry.example"),
        "no real value: {example}"
    );

    let state = read(project.path(), ".preflight/state.toml");
    assert!(state.contains("[secrets.DJANGO_SECRET_KEY]"), "{state}");
    let secret = env
        .lines()
        .find_map(|l| l.strip_prefix("DJANGO_SECRET_KEY="))
        .expect("the key");
    assert!(
        !state.contains(secret),
        "the state file never holds a secret"
    );

    // Nothing is missing any more: both files are left as they are.
    generate(project.path(), &["--set", "api_consumers=frontend,mobile"])
        .success()
        .stdout(predicate::str::contains("unchanged        .env\n"))
        .stdout(predicate::str::contains("unchanged        .env.example\n"));
    assert_eq!(read(project.path(), ".env"), env);

    let json = status_json(project.path());
    for id in [
        "secret-key-generated",
        "api-keys-generated",
        "env-example-present",
    ] {
        let item = status_item(&json, id);
        assert_eq!(item["status"], "done", "{id}");
    }
}

#[test]
fn set_answers_are_saved_and_gen_items_marked_done() {
    let project = fastapi_project();
    generate(project.path(), &["--set", "region=fra"]).success();
    let state = read(project.path(), ".preflight/state.toml");
    assert!(state.contains("region = \"fra\""), "{state}");
    assert!(state.contains("[generated.\"nginx.conf\"]"), "{state}");
    // The next run remembers the answer without --set.
    preflight()
        .args(["generate", "--only", "fly"])
        .arg(project.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged        fly.toml"));

    let json = status_json(project.path());
    for id in [
        "wsgi-server",
        "procfile",
        "reverse-proxy",
        "platform-config",
    ] {
        let item = status_item(&json, id);
        assert_eq!(item["status"], "done", "{id}");
        assert_eq!(item["by"], "auto", "{id}");
    }
}

#[test]
fn bad_input_exits_2_naming_what_is_wrong() {
    let project = django_project();
    for (args, expected) in [
        (vec!["--set", "port=http"], "--set port"),
        (vec!["--set", "port=0"], "1 to 65535"),
        (
            vec!["--set", "domain=https://x.example.com"],
            "hostname alone",
        ),
        (vec!["--set", "api_rate=fast"], "10r/s"),
        (
            vec!["--set", "domian=x.example.com"],
            "did you mean `domain`",
        ),
        (vec!["--set", "port"], "KEY=VALUE"),
        (
            vec!["--only", "docker"],
            "env, env-example, gunicorn, procfile, nginx, fly",
        ),
    ] {
        preflight()
            .arg("generate")
            .arg(project.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error: "))
            .stderr(predicate::str::contains(expected));
    }
    assert!(
        !project.path().join("nginx.conf").exists(),
        "nothing written"
    );
    assert!(!project.path().join(".preflight").exists());
}

#[cfg(unix)]
#[test]
fn a_state_file_that_cannot_be_saved_stops_before_any_file_is_written() {
    let project = django_project();
    // The state file links into a folder of the project that does not exist:
    // reading finds no state, saving fails, even as root.
    std::fs::create_dir(project.path().join(".preflight")).expect("mkdir");
    std::os::unix::fs::symlink(
        "../nonexistent-preflight-dir/state.toml",
        project.path().join(".preflight/state.toml"),
    )
    .expect("symlink");
    generate(project.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("cannot save"))
        .stderr(predicate::str::contains("hint: "));
    for name in [
        ".env",
        ".env.example",
        ".gitignore",
        "gunicorn.conf.py",
        "Procfile",
        "nginx.conf",
        "fly.toml",
    ] {
        assert!(
            !project.path().join(name).exists(),
            "{name} written, its secrets unrecorded"
        );
    }
}

#[test]
fn no_entrypoint_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "requirements.txt", "flask\n");
    preflight()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--set wsgi_app="));
    preflight()
        .arg("generate")
        .arg(dir.path())
        .args(["--set", "wsgi_app=server:create_app()"])
        .assert()
        .success();
    assert!(read(dir.path(), "gunicorn.conf.py").contains("server:create_app()"));
}

#[test]
fn a_project_template_overrides_the_built_in_one() {
    let project = flask_project();
    write(
        project.path(),
        ".preflight/templates/Procfile",
        "{{ header }}\nweb: gunicorn -c gunicorn.conf.py --preload {{ wsgi_app }}\n",
    );
    generate(project.path(), &["--only", "procfile"]).success();
    assert!(read(project.path(), "Procfile").contains("--preload wsgi:app"));

    write(
        project.path(),
        ".preflight/templates/fly.toml",
        "app = {{ no_such_answer }}\n",
    );
    generate(project.path(), &["--only", "fly"])
        .code(2)
        .stderr(predicate::str::contains(".preflight/templates/fly.toml"));
}

// ---- the real tools ----------------------------------------------------------------------

/// A throwaway self-signed certificate pair in `dir`.
fn self_signed(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let openssl = require_tool("openssl")?;
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = Process::new(openssl)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=api.example.com", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(status.status.success(), "{status:?}");
    Some((cert, key))
}

/// Generates for a project with a real certificate so nginx can load it.
fn generate_with_cert(project: &Path, certs: &Path) -> Option<()> {
    let (cert, key) = self_signed(certs)?;
    generate(
        project,
        &[
            "--set",
            &format!("cert_path={}", cert.display()),
            "--set",
            &format!("key_path={}", key.display()),
        ],
    )
    .success();
    Some(())
}

fn run_ok(cmd: &mut Process) -> String {
    let out = cmd.output().expect("the tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

#[test]
fn nginx_accepts_the_config_and_gixy_finds_nothing() {
    let Some(nginx) = require_tool("nginx") else {
        return;
    };
    let Some(gixy) = require_tool("gixy") else {
        return;
    };
    for project in [django_project(), fastapi_project()] {
        let certs = tempfile::tempdir().expect("tempdir");
        if generate_with_cert(project.path(), certs.path()).is_none() {
            return;
        }
        let conf = project.path().join("nginx.conf");
        let out = run_ok(Process::new(&nginx).arg("-t").arg("-c").arg(&conf));
        assert!(out.contains("test is successful"), "{out}");
        let report = run_ok(Process::new(&gixy).arg("-f").arg("json").arg(&conf));
        assert_eq!(report.trim(), "[]", "gixy: {report}");
    }
}

/// Python in the validators venv (where gunicorn is installed).
fn venv_python(tool: &Path) -> PathBuf {
    tool.parent().expect("bin dir").join("python3")
}

const GUNICORN_SETTINGS_CHECK: &str = r#"
import runpy, sys, types
from gunicorn.config import Config
from gunicorn.util import load_class
ns = runpy.run_path("gunicorn.conf.py")
known = Config().settings
unknown = [k for k, v in ns.items()
           if not k.startswith("_") and not isinstance(v, types.ModuleType) and k not in known]
if unknown:
    sys.exit(f"not gunicorn settings: {unknown}")
load_class(ns.get("worker_class", "sync"))
print(ns["bind"], ns.get("worker_class", "sync"), ns["wsgi_app"])
"#;

#[test]
fn gunicorn_loads_the_config_and_imports_the_app() {
    let Some(gunicorn) = require_tool("gunicorn") else {
        return;
    };
    let python = venv_python(&gunicorn);
    for (project, worker) in [
        (django_project(), "gthread"),
        (fastapi_project(), "uvicorn_worker.UvicornWorker"),
        (flask_project(), "gthread"),
    ] {
        generate(project.path(), &[]).success();
        run_ok(
            Process::new(&gunicorn)
                .args(["--check-config", "-c", "gunicorn.conf.py"])
                .current_dir(project.path())
                .env("PORT", "8000")
                .env_remove("DJANGO_SETTINGS_MODULE"),
        );
        let out = run_ok(
            Process::new(&python)
                .arg("-c")
                .arg(GUNICORN_SETTINGS_CHECK)
                .current_dir(project.path())
                .env("PORT", "8123"),
        );
        assert!(out.starts_with("0.0.0.0:8123 "), "PORT wins: {out}");
        assert!(out.contains(worker), "{out}");
    }
}

#[test]
fn honcho_reads_the_procfile_with_the_expected_processes() {
    let Some(honcho) = require_tool("honcho") else {
        return;
    };
    for (project, expected) in [
        (django_project(), "(release, web)"),
        (fastapi_project(), "(web)"),
    ] {
        generate(project.path(), &[]).success();
        let out = run_ok(
            Process::new(&honcho)
                .arg("check")
                .current_dir(project.path()),
        );
        assert!(
            out.contains(&format!("Valid procfile detected {expected}")),
            "{out}"
        );
        // honcho skips malformed lines silently: every other line must be a comment.
        for line in read(project.path(), "Procfile").lines() {
            let (name, command) = line.split_once(':').unwrap_or(("", ""));
            let is_process = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !command.trim().is_empty();
            assert!(
                line.is_empty() || line.starts_with('#') || is_process,
                "{line}"
            );
        }
    }
}

/// The fly schema, vendored in `tests/data` (its README says where it is from).
fn fly_schema() -> PathBuf {
    crate::util::test_data("fly.schema.json")
}

/// Keys fly.toml may hold (the schema lets typos through); `*` is any name.
const FLY_KEYS: &[&str] = &[
    "app",
    "primary_region",
    "kill_signal",
    "kill_timeout",
    "console_command",
    "build",
    "build.dockerfile",
    "deploy",
    "deploy.release_command",
    "env",
    "env.*",
    "http_service",
    "http_service.internal_port",
    "http_service.force_https",
    "http_service.auto_stop_machines",
    "http_service.auto_start_machines",
    "http_service.min_machines_running",
    "http_service.concurrency",
    "http_service.concurrency.type",
    "http_service.concurrency.soft_limit",
    "http_service.concurrency.hard_limit",
    "http_service.http_options",
    "http_service.http_options.response",
    "http_service.http_options.response.headers",
    "http_service.http_options.response.headers.*",
    "http_service.checks",
    "http_service.checks.grace_period",
    "http_service.checks.interval",
    "http_service.checks.method",
    "http_service.checks.timeout",
    "http_service.checks.path",
    "http_service.checks.headers",
    "http_service.checks.headers.*",
    "vm",
    "vm.size",
    "vm.memory",
    "statics",
    "statics.guest_path",
    "statics.url_prefix",
];

/// Every key path in a TOML value (array items share their array's path).
fn key_paths(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, child) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.push(path.clone());
                key_paths(&path, child, out);
            }
        }
        toml::Value::Array(items) => {
            for item in items {
                key_paths(prefix, item, out);
            }
        }
        _ => {}
    }
}

fn allowed(path: &str) -> bool {
    FLY_KEYS
        .iter()
        .any(|pattern| match pattern.strip_suffix('*') {
            Some(parent) => path.starts_with(parent) && !path[parent.len()..].contains('.'),
            None => *pattern == path,
        })
}

#[test]
fn fly_toml_matches_the_schema_and_the_key_allow_list() {
    let schema = fly_schema();
    let Some(checker) = require_tool("check-jsonschema") else {
        return;
    };
    for project in [django_project(), fastapi_project(), flask_project()] {
        generate(project.path(), &[]).success();
        let fly = project.path().join("fly.toml");
        run_ok(
            Process::new(&checker)
                .arg("--schemafile")
                .arg(&schema)
                .arg(&fly),
        );
        let table: toml::Table = read(project.path(), "fly.toml").parse().expect("TOML");
        let value = toml::Value::Table(table);
        let mut paths = Vec::new();
        key_paths("", &value, &mut paths);
        for path in &paths {
            assert!(
                allowed(path),
                "fly.toml key `{path}` is not on the allow-list"
            );
        }
        for (name, env) in value["env"].as_table().expect("[env]") {
            assert!(env.is_str(), "env {name} is a string");
        }
        assert_eq!(
            value["http_service"]["auto_stop_machines"].as_str(),
            Some("stop")
        );
        assert_eq!(value["http_service"]["force_https"].as_bool(), Some(true));
    }
}

#[test]
fn the_allow_list_catches_typos() {
    let typo: toml::Table = "[http_service]\ninternal_prot = 8000\n"
        .parse()
        .expect("TOML");
    let mut paths = Vec::new();
    key_paths("", &toml::Value::Table(typo), &mut paths);
    assert_eq!(paths, ["http_service", "http_service.internal_prot"]);
    assert!(allowed("http_service") && !allowed("http_service.internal_prot"));
    assert!(allowed("env.ANY_NAME") && !allowed("env.A.B"));
}

#[test]
fn python_dotenv_and_dotenv_linter_accept_the_env_files() {
    let Some(python) = crate::util::require_python(&["python-dotenv"]) else {
        return;
    };
    let Some(linter) = require_tool("dotenv-linter") else {
        return;
    };
    for project in [django_project(), fastapi_project(), flask_project()] {
        generate(project.path(), &["--set", "api_consumers=frontend"]).success();
        let keys = run_ok(
            Process::new(&python)
                .arg("-c")
                .arg(
                    "from dotenv import dotenv_values\n\
                     env = dotenv_values('.env')\n\
                     example = dotenv_values('.env.example')\n\
                     assert all(v for v in env.values()), env.keys()\n\
                     assert set(env) <= set(example), set(env) - set(example)\n\
                     print(','.join(sorted(env)))",
                )
                .current_dir(project.path()),
        );
        assert!(keys.contains("API_KEY_FRONTEND"), "{keys}");
        run_ok(
            Process::new(&linter)
                .args(["--plain", "check", ".env", ".env.example"])
                .env("DOTENV_LINTER_SKIP_UPDATES", "true")
                .current_dir(project.path()),
        );
    }
}

#[test]
fn a_folder_where_a_file_belongs_is_an_error_with_a_hint() {
    for name in [".env", "nginx.conf"] {
        let project = django_project();
        std::fs::create_dir(project.path().join(name)).expect("mkdir");
        generate(project.path(), &[])
            .code(2)
            .stderr(predicate::str::contains(format!("{name} is a directory")))
            .stderr(predicate::str::contains("hint: "));
        assert!(!project.path().join("fly.toml").exists(), "nothing written");
    }
}

#[test]
fn an_unparseable_env_is_named_by_line_and_nothing_is_written() {
    let project = django_project();
    let env = "DEBUG=False\r\n# keys\r\nsk_live_PastedToken123 by mistake\r\nA=1\r\n";
    write(project.path(), ".env", env);
    let before = snapshot_tree(project.path());
    let output = preflight()
        .arg("generate")
        .arg(project.path())
        .args(["--set", "domain=api.example.com"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".env:3:") && stderr.contains("hint:"),
        "{stderr}"
    );
    assert!(!stderr.contains("PastedToken"), "{stderr}");
    assert_eq!(snapshot_tree(project.path()), before, "nothing written");
}

#[cfg(unix)]
#[test]
fn a_file_that_fails_midway_names_the_ones_written_before_it() {
    let project = django_project();
    // nginx.conf links into a folder of the project that does not exist:
    // writing it fails, even as root (a link out of the project is refused
    // before anything is written).
    std::os::unix::fs::symlink(
        "nonexistent-preflight-dir/nginx.conf",
        project.path().join("nginx.conf"),
    )
    .expect("symlink");
    let output = preflight()
        .arg("generate")
        .arg(project.path())
        .args([
            "--set",
            "domain=api.example.com",
            "--set",
            "platform=vps",
            "--force",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nginx.conf") && stderr.contains("written before it: .env"),
        "{stderr}"
    );
    // What was written is recorded before the error, so the next run knows
    // those files as preflight's own rather than "differs".
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    assert!(
        state.contains("gunicorn.conf.py") && state.contains("sha256"),
        "{state}"
    );
    let again = preflight()
        .arg("generate")
        .arg(project.path())
        .args([
            "--set",
            "domain=api.example.com",
            "--only",
            "gunicorn,procfile",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(!stdout.contains("differs"), "{stdout}");
}

#[test]
fn a_health_check_the_app_does_not_serve_gets_a_note() {
    let project = django_project();
    let root = project.path();
    // No health route in config/urls.py: fly.toml would poll /health in vain.
    generate(root, &["--only", "fly"])
        .success()
        .stderr(predicate::str::contains(
            "note: fly.toml's health check polls /health, but the app serves no health route yet",
        ))
        .stderr(predicate::str::contains("--set health_path="));
    // A path the user chose is theirs to vouch for; without fly.toml nothing polls it.
    generate(root, &["--only", "fly", "--set", "health_path=/up"])
        .success()
        .stderr(predicate::str::contains("health route").not());
    generate(root, &["--only", "gunicorn"])
        .success()
        .stderr(predicate::str::contains("health route").not());

    let fresh = django_project();
    write(
        fresh.path(),
        "config/urls.py",
        "from django.http import JsonResponse\nfrom django.urls import path\n\n\
         urlpatterns = [path(\"health/\", lambda r: JsonResponse({\"status\": \"ok\"}))]\n",
    );
    let json = status_json(fresh.path());
    assert_eq!(status_item(&json, "health-endpoint")["status"], "done");
    generate(fresh.path(), &["--only", "fly"])
        .success()
        .stderr(predicate::str::contains("health route").not());
    // The check polls the route the app serves, slash and all (APPEND_SLASH would 301 /health).
    let fly = read(fresh.path(), "fly.toml");
    assert!(fly.contains("path = \"/health/\""), "{fly}");
}

// ---- every platform, through the real validators ------------------------------------------

/// Every file a platform may get, by name.
const ALL_FILES: [&str; 13] = [
    ".env",
    ".env.example",
    "gunicorn.conf.py",
    "Procfile",
    "nginx.conf",
    "fly.toml",
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    "render.yaml",
    "railway.toml",
    "gunicorn.service",
    ".python-version",
];

/// What each platform writes (cli.md's platform table).
fn platform_files(platform: &str) -> Vec<&'static str> {
    let own: &[&str] = match platform {
        "fly" => &["fly.toml", "Dockerfile", ".dockerignore"],
        "heroku" => &["Procfile", ".python-version"],
        "render" => &["render.yaml"],
        "railway" => &["railway.toml"],
        "docker" => &["Dockerfile", ".dockerignore", "compose.yaml", "nginx.conf"],
        "vps" => &["nginx.conf", "gunicorn.service"],
        _ => unreachable!("{platform}"),
    };
    let mut files = vec![".env", ".env.example", "gunicorn.conf.py"];
    files.extend_from_slice(own);
    files
}

/// An nginx.conf made for the compose network, checked by the nginx on this
/// machine: the names that exist only inside compose (the `web` host, the
/// image's `nginx` user) become local ones, and on an nginx older than 1.25.1
/// `http2 on;` (right for the pinned 1.27 image) is dropped.
fn local_nginx_conf(text: &str, nginx: &Path) -> String {
    let version = String::from_utf8_lossy(
        &Process::new(nginx)
            .arg("-v")
            .output()
            .expect("nginx -v")
            .stderr,
    )
    .into_owned();
    let old = version
        .rsplit('/')
        .next()
        .and_then(|v| {
            let parts: Vec<u32> = v.trim().split('.').filter_map(|p| p.parse().ok()).collect();
            (parts.len() >= 2).then(|| (parts[0], parts[1], parts.get(2).copied().unwrap_or(0)))
        })
        .is_some_and(|v| v < (1, 25, 1));
    let mut out = text
        .replace("server web:", "server 127.0.0.1:")
        .replace("user nginx;", "user www-data;");
    if old {
        out = out.replace("        http2 on;\n", "");
    }
    out
}

fn python_yaml(python: &Path, file: &Path, expression: &str) -> String {
    run_ok(Process::new(python).arg("-c").arg(format!(
        "import json, sys, yaml\ndoc = yaml.safe_load(open(sys.argv[1]))\nprint(json.dumps({expression}))"
    )).arg(file))
}

// One walk over frameworks × platforms with one validator block per file kind.
#[allow(clippy::too_many_lines)]
#[test]
fn every_platform_writes_its_files_and_each_passes_its_validator() {
    let tools = [
        "nginx",
        "gixy",
        "gunicorn",
        "hadolint",
        "check-jsonschema",
        "systemd-analyze",
        "honcho",
    ];
    let mut found = Vec::new();
    for tool in tools {
        let Some(path) = require_tool(tool) else {
            return;
        };
        found.push(path);
    }
    let [nginx, gixy, gunicorn, hadolint, jsonschema, systemd, honcho] =
        <[PathBuf; 7]>::try_from(found).expect("seven tools");
    let python = venv_python(&gunicorn);
    for (framework, make) in [
        ("django", django_project as fn() -> tempfile::TempDir),
        ("fastapi", fastapi_project),
    ] {
        for platform in ["fly", "heroku", "render", "railway", "docker", "vps"] {
            let project = make();
            let root = project.path();
            let context = format!("{framework} on {platform}");
            // The unit's ExecStart must exist for systemd-analyze: a stand-in gunicorn.
            let app_root = tempfile::tempdir().expect("tempdir");
            write(app_root.path(), ".venv/bin/gunicorn", "#!/bin/sh\n");
            std::fs::set_permissions(
                app_root.path().join(".venv/bin/gunicorn"),
                std::os::unix::fs::PermissionsExt::from_mode(0o755),
            )
            .expect("chmod");
            preflight()
                .arg("generate")
                .arg(root)
                .args(["--set", "app_name=shop", "--set", "domain=api.example.com"])
                .args(["--set", &format!("platform={platform}")])
                .args(["--set", &format!("app_root={}", app_root.path().display())])
                .assert()
                .success();
            let expected = platform_files(platform);
            for name in ALL_FILES {
                assert_eq!(
                    root.join(name).exists(),
                    expected.contains(&name),
                    "{context}: {name}"
                );
            }

            let conf = read(root, "gunicorn.conf.py");
            assert!(!conf.contains("\"*\""), "{context}: gunicorn trusts *");
            run_ok(
                Process::new(&gunicorn)
                    .args(["--check-config", "-c", "gunicorn.conf.py"])
                    .current_dir(root)
                    .env("PORT", "8000"),
            );
            let env = read(root, ".env");
            assert!(
                !env.lines().any(|l| l.starts_with("FORWARDED_ALLOW_IPS")),
                "{context}: {env}"
            );

            if expected.contains(&"nginx.conf") {
                // Day one: no certificate exists yet at the Let's Encrypt path, and nginx
                // still starts, so certbot's webroot challenge can be answered.
                let text = read(root, "nginx.conf");
                assert!(text.contains("/etc/letsencrypt/live/api.example.com/fullchain.pem"));
                assert!(text.contains("--deploy-hook"), "renewal reloads nginx");
                let local = root.join("nginx.local.conf");
                std::fs::write(&local, local_nginx_conf(&text, &nginx)).expect("write");
                let out = run_ok(Process::new(&nginx).arg("-t").arg("-c").arg(&local));
                assert!(out.contains("test is successful"), "{context}: {out}");
                let report = run_ok(Process::new(&gixy).arg("-f").arg("json").arg(&local));
                assert_eq!(report.trim(), "[]", "{context}: gixy: {report}");
                // Once the certificate exists (here: one of our own), the same holds.
                let certs = tempfile::tempdir().expect("tempdir");
                let (cert, key) = self_signed(certs.path()).expect("openssl");
                let with_cert = text
                    .replace(
                        "/etc/letsencrypt/live/api.example.com/fullchain.pem",
                        &cert.display().to_string(),
                    )
                    .replace(
                        "/etc/letsencrypt/live/api.example.com/privkey.pem",
                        &key.display().to_string(),
                    );
                std::fs::write(&local, local_nginx_conf(&with_cert, &nginx)).expect("write");
                let out = run_ok(Process::new(&nginx).arg("-t").arg("-c").arg(&local));
                assert!(out.contains("test is successful"), "{context}: {out}");
                std::fs::remove_file(&local).expect("rm");
            }
            if expected.contains(&"Dockerfile") {
                run_ok(
                    Process::new(&hadolint)
                        .args(["--failure-threshold", "warning", "Dockerfile"])
                        .current_dir(root),
                );
                let dockerfile = read(root, "Dockerfile");
                let user = dockerfile.find("\nUSER app\n").expect("a non-root USER");
                assert!(user < dockerfile.find("\nCMD ").expect("CMD"), "{context}");
                assert!(dockerfile.contains("HEALTHCHECK"), "{context}");
                assert!(dockerfile.contains(r#"CMD ["gunicorn", "-c", "gunicorn.conf.py"]"#));
                assert_eq!(
                    dockerfile
                        .matches("\nFROM python:3.12-slim-bookworm")
                        .count(),
                    2
                );
                let ignore = read(root, ".dockerignore");
                assert!(
                    ignore.lines().any(|l| l == ".env"),
                    "{context}: .env stays out"
                );
                assert!(ignore.lines().any(|l| l == ".git"), "{context}");
                assert_eq!(
                    framework == "django",
                    dockerfile.contains("collectstatic"),
                    "{context}"
                );
            }
            if expected.contains(&"compose.yaml") {
                run_ok(
                    Process::new(&jsonschema)
                        .args(["--builtin-schema", "vendor.compose-spec", "compose.yaml"])
                        .current_dir(root),
                );
                let out = python_yaml(
                    &python,
                    &root.join("compose.yaml"),
                    "[sorted(doc['services']), doc['services']['web']['env_file'][0]['path'], \
                     'healthcheck' in doc['services']['web'], 'ports' in doc['services']['web']]",
                );
                assert_eq!(
                    out.trim(),
                    r#"[["nginx", "web"], ".env", true, false]"#,
                    "{context}"
                );
            }
            if expected.contains(&"render.yaml") {
                let out = python_yaml(
                    &python,
                    &root.join("render.yaml"),
                    "[(s['type'], s['startCommand'], s['healthCheckPath'], \
                     all('value' not in e for e in s['envVars'] if e.get('sync') is False), \
                     s.get('preDeployCommand')) for s in doc['services']]",
                );
                let release = if framework == "django" {
                    r#""python manage.py migrate --noinput""#
                } else {
                    "null"
                };
                let health = if framework == "django" {
                    "/health"
                } else {
                    "/healthz"
                };
                assert_eq!(
                    out.trim(),
                    format!(
                        r#"[["web", "gunicorn -c gunicorn.conf.py", "{health}", true, {release}]]"#
                    ),
                    "{context}"
                );
            }
            if expected.contains(&"railway.toml") {
                let railway: toml::Table = read(root, "railway.toml").parse().expect("TOML");
                let deploy = &railway["deploy"];
                assert_eq!(
                    deploy["startCommand"].as_str(),
                    Some("gunicorn -c gunicorn.conf.py")
                );
                assert!(deploy["healthcheckPath"].as_str().is_some());
                assert_eq!(
                    framework == "django",
                    deploy.get("preDeployCommand").is_some()
                );
            }
            if expected.contains(&"gunicorn.service") {
                let unit = root.join("shop.service");
                std::fs::copy(root.join("gunicorn.service"), &unit).expect("copy");
                run_ok(Process::new(&systemd).arg("verify").arg(&unit));
                let text = read(root, "gunicorn.service");
                assert!(text.contains("\nUser=shop\n") && text.contains("\nRestart=on-failure\n"));
                assert!(text.contains("\nNoNewPrivileges=yes\n"));
                std::fs::remove_file(unit).expect("rm");
            }
            if expected.contains(&"fly.toml") {
                let schema = fly_schema();
                run_ok(
                    Process::new(&jsonschema)
                        .arg("--schemafile")
                        .arg(&schema)
                        .arg("fly.toml")
                        .current_dir(root),
                );
                let fly: toml::Table = read(root, "fly.toml").parse().expect("TOML");
                assert!(fly["env"].get("FORWARDED_ALLOW_IPS").is_none(), "{context}");
                assert!(fly["http_service"]["concurrency"]["soft_limit"].as_integer() > Some(0));
                assert_eq!(
                    framework == "django",
                    fly.contains_key("statics"),
                    "{context}"
                );
            }
            if expected.contains(&"Procfile") {
                let out = run_ok(Process::new(&honcho).arg("check").current_dir(root));
                assert!(out.contains("web"), "{context}: {out}");
            }
            if expected.contains(&".python-version") {
                assert_eq!(read(root, ".python-version"), "3.12\n");
            }
        }
    }
}

/// A FastAPI app whose pydantic-settings `Settings` reads `.env` and refuses
/// keys it does not declare (pydantic-settings' default).
fn pydantic_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "requirements.txt",
        "fastapi==0.115.0\npydantic-settings==2.6.0\nsqlalchemy==2.0.36\npsycopg2-binary==2.9.10\n\
         gunicorn==23.0.0\nuvicorn-worker==0.3.0\n",
    );
    write(root, "app/__init__.py", "");
    write(
        root,
        "app/config.py",
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n\
         class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file=\".env\")\n\n    \
         database_url: str\n    secret_key: str\n    access_token_expire_minutes: int = 30\n    \
         plaid_webhook_secret: str = \"\"\n    debug: bool = False\n\n\nsettings = Settings()\n",
    );
    write(
        root,
        "app/main.py",
        "from fastapi import FastAPI\nfrom sqlalchemy.engine import make_url\n\n\
         from app.config import settings\n\n\
         # The URL's dialect loads (postgres:// does not in SQLAlchemy 2).\n\
         make_url(settings.database_url).get_dialect()\napp = FastAPI()\n\n\n\
         @app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n",
    );
    dir
}

/// The pydantic app with its own `Settings` config, and a module that reads
/// `LOG_LEVEL` straight from the environment (outside `Settings`).
fn pydantic_project_with(config: &str) -> tempfile::TempDir {
    let project = pydantic_project();
    let root = project.path();
    write(
        root,
        "app/config.py",
        &format!(
            "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n\
             class Settings(BaseSettings):\n{config}\n    database_url: str\n    \
             secret_key: str\n    debug: bool = False\n\n\nsettings = Settings()\n"
        ),
    );
    write(
        root,
        "app/logs.py",
        "import logging\nimport os\n\nlogging.basicConfig(level=os.environ.get(\"LOG_LEVEL\", \"INFO\"))\n",
    );
    let main = read(root, "app/main.py").replace(
        "from app.config import settings\n",
        "from app.config import settings\nimport app.logs\n",
    );
    write(root, "app/main.py", &main);
    project
}

#[test]
fn a_pydantic_settings_app_starts_with_the_generated_env_and_a_copied_example() {
    let Some(python) = crate::util::require_python(&["pydantic-settings", "SQLAlchemy", "fastapi"])
    else {
        return;
    };
    // The env files are the same for every platform; these three put a server in front
    // differently (fly's proxy, compose, a unit).
    for platform in ["fly", "docker", "vps"] {
        let project = pydantic_project();
        let root = project.path();
        let out = preflight()
            .arg("generate")
            .arg(root)
            .args(["--set", "domain=api.example.com"])
            .args(["--set", &format!("platform={platform}")])
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("PLAID_WEBHOOK_SECRET is empty"),
            "an empty webhook secret is named: {stderr}"
        );
        run_ok(
            Process::new(&python)
                .args(["-c", "import app.main"])
                .current_dir(root),
        );
        std::fs::copy(root.join(".env.example"), root.join(".env")).expect("cp");
        run_ok(
            Process::new(&python)
                .args(["-c", "import app.main"])
                .current_dir(root),
        );
    }
}

/// A `Settings` that forbids undeclared keys (`extra="forbid"`, in
/// `model_config` or a `class Config`) gets only its own keys in `.env`: a
/// variable read elsewhere (`LOG_LEVEL`) is named, not written, and in
/// `.env.example` it is commented out. With `extra="ignore"` it is written.
#[test]
fn a_settings_class_that_forbids_extra_keys_gets_only_its_own_keys() {
    let Some(python) = crate::util::require_python(&["pydantic-settings", "SQLAlchemy", "fastapi"])
    else {
        return;
    };
    let forbid = [
        "    model_config = SettingsConfigDict(env_file=\".env\", extra=\"forbid\")\n",
        "    class Config:\n        env_file = \".env\"\n        extra = \"forbid\"\n",
    ];
    for config in forbid {
        let project = pydantic_project_with(config);
        let root = project.path();
        let out = preflight()
            .arg("generate")
            .arg(root)
            .args(["--set", "domain=api.example.com"])
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let env = read(root, ".env");
        assert!(!env.contains("LOG_LEVEL"), "{config}{env}");
        assert!(
            stderr.contains("app/config.py:4: Settings refuses keys it does not declare")
                && stderr.contains("leaves out LOG_LEVEL"),
            "{config}{stderr}"
        );
        let example = read(root, ".env.example");
        assert!(example.contains("\n# LOG_LEVEL=INFO\n"), "{example}");
        run_ok(
            Process::new(&python)
                .args(["-c", "import app.main"])
                .current_dir(root),
        );
        std::fs::copy(root.join(".env.example"), root.join(".env")).expect("cp");
        run_ok(
            Process::new(&python)
                .args(["-c", "import app.main"])
                .current_dir(root),
        );
        // A key of the user's that the class refuses is named by line.
        std::fs::write(
            root.join(".env"),
            format!("{env}SENTRY_DSN=https://k@o1.ingest.io/1\n"),
        )
        .expect("write");
        let out = preflight()
            .arg("generate")
            .arg(root)
            .args(["--only", "env"])
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("SENTRY_DSN is not a field of Settings (app/config.py:4)")
                && stderr.contains("the app will not start"),
            "{stderr}"
        );
    }
    let project = pydantic_project_with(
        "    model_config = SettingsConfigDict(env_file=\".env\", extra=\"ignore\")\n",
    );
    let root = project.path();
    preflight()
        .arg("generate")
        .arg(root)
        .args(["--set", "domain=api.example.com"])
        .assert()
        .success()
        .stderr(predicate::str::contains("refuses keys").not());
    assert!(read(root, ".env").contains("\nLOG_LEVEL=INFO\n"));
    run_ok(
        Process::new(&python)
            .args(["-c", "import app.main"])
            .current_dir(root),
    );
}

/// A project that declares its dependencies only in `pyproject.toml`'s
/// `[project]` table (no lock, no requirements file) gets an image and a
/// Render build that install them: the extraction the Dockerfile runs, run
/// here by Python, yields the declared requirements, extras included.
#[test]
fn a_pep621_project_gets_its_dependencies_installed() {
    let Some(hadolint) = require_tool("hadolint") else {
        return;
    };
    let Some(gunicorn) = require_tool("gunicorn") else {
        return;
    };
    let python = venv_python(&gunicorn);
    let project = crate::util::fixture("fastapi-routers");
    let root = project.path();
    preflight()
        .arg("generate")
        .arg(root)
        .args(["--only", "dockerfile,render"])
        .args(["--set", "domain=api.example.com"])
        .assert()
        .success();
    let dockerfile = read(root, "Dockerfile");
    assert!(
        !dockerfile.contains("no dependency file found"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY pyproject.toml ./\n"),
        "{dockerfile}"
    );
    run_ok(
        Process::new(&hadolint)
            .args(["--failure-threshold", "warning", "Dockerfile"])
            .current_dir(root),
    );
    let run = dockerfile
        .lines()
        .find(|l| l.starts_with("RUN python -c \"import tomllib"))
        .expect("the pyproject export step");
    let command = run
        .trim_start_matches("RUN ")
        .trim_end_matches(" \\")
        .trim_end_matches(" > requirements.lock");
    let code = command
        .strip_prefix("python -c \"")
        .and_then(|c| c.strip_suffix('"'))
        .expect("python -c \"…\"");
    let out = run_ok(Process::new(&python).args(["-c", code]).current_dir(root));
    let deps: Vec<&str> = out.lines().collect();
    assert!(deps.contains(&"fastapi>=0.110"), "{out}");
    assert!(deps.contains(&"uvicorn[standard]==0.29.0"), "{out}");
    assert_eq!(deps.len(), 8, "{out}");
    let render = read(root, "render.yaml");
    assert!(
        render.contains("pip install -r requirements.lock"),
        "{render}"
    );
}

/// The `.env.example` generate writes satisfies `env-example-present`: the
/// optional variables it writes commented out (`# APP_NAME=…`, so an empty
/// value never overrides the app's default) count as documented.
#[test]
fn the_generated_env_example_passes_its_own_check() {
    let project = crate::util::fixture("fastapi-routers");
    let root = project.path();
    preflight()
        .arg("generate")
        .arg(root)
        .args(["--only", "env-example"])
        .assert()
        .success();
    assert!(read(root, ".env.example").contains("\n# APP_NAME="));
    let out = preflight()
        .arg("check")
        .arg(root)
        .args(["--format", "json", "--fail-on", "none"])
        .output()
        .expect("check");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let failing: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["item"].as_str())
        .collect();
    assert!(!failing.contains(&"env-example-present"), "{json}");
    assert!(
        json["passed"].to_string().contains("env-example-present"),
        "{json}"
    );
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until something accepts connections on `port`.
fn wait_for_port(port: u16, child: &mut std::process::Child, what: &str) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{what} never listened on {port}");
}

/// Stops a server when the test ends, passing or not: SIGTERM first, so a
/// master process (gunicorn's arbiter) takes its workers down with it, then
/// SIGKILL if it is still there after a few seconds.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = Process::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        for _ in 0..100 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The response headers of `curl -k` for `path` on the TLS server, by lowercase name.
fn https_headers(curl: &Path, port: u16, path: &str) -> (String, Vec<(String, String)>) {
    let out = run_ok(
        Process::new(curl)
            .args(["-sk", "-o", "/dev/null", "-D", "-", "--resolve"])
            .arg(format!("api.example.com:{port}:127.0.0.1"))
            .arg(format!("https://api.example.com:{port}{path}")),
    );
    let mut lines = out.lines();
    let status = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers)
}

/// A Django app that sets its own security headers, with values that differ
/// from nginx's (SecurityMiddleware, XFrameOptionsMiddleware).
fn django_with_its_own_headers() -> tempfile::TempDir {
    let project = django_project();
    let root = project.path();
    // The app sets its own security headers, with values that differ from nginx's.
    write(
        root,
        "config/settings.py",
        "SECRET_KEY = \"test-only-not-a-secret-test-only-not-a-secret\"\nDEBUG = False\n\
         ALLOWED_HOSTS = [\"api.example.com\"]\nINSTALLED_APPS = []\nROOT_URLCONF = \"config.urls\"\n\
         MIDDLEWARE = [\"django.middleware.security.SecurityMiddleware\",\n    \
         \"django.middleware.clickjacking.XFrameOptionsMiddleware\"]\n\
         SECURE_HSTS_SECONDS = 3600\nSECURE_REFERRER_POLICY = \"same-origin\"\n\
         X_FRAME_OPTIONS = \"SAMEORIGIN\"\n",
    );
    write(
        root,
        "config/urls.py",
        "from django.http import HttpResponse\nfrom django.urls import path\n\n\
         urlpatterns = [path(\"\", lambda request: HttpResponse(\"ok\"))]\n",
    );
    project
}

/// The generated nginx.conf on test ports and paths: IPv4 only, logs, pid
/// and temp files in `logs_dir`.
fn on_test_ports(text: &str, logs_dir: &str, plain_port: u16, tls_port: u16) -> String {
    text
        .lines()
        .filter(|l| !l.contains("listen [::]"))
        .map(|l| {
            l.replace("listen 80", &format!("listen 127.0.0.1:{plain_port}"))
                .replace("listen 443", &format!("listen 127.0.0.1:{tls_port}"))
                .replace("/var/log/nginx", logs_dir)
                .replace("pid /run/nginx.pid;", &format!("pid {logs_dir}/nginx.pid;"))
                .replace(
                    "http {",
                    &format!(
                        "http {{\n    client_body_temp_path {logs_dir}/body;\n    \
                         proxy_temp_path {logs_dir}/proxy;\n    fastcgi_temp_path {logs_dir}/fcgi;\n    \
                         uwsgi_temp_path {logs_dir}/uwsgi;\n    scgi_temp_path {logs_dir}/scgi;"
                    ),
                )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn behind_the_generated_nginx_each_security_header_arrives_once_and_a_missing_static_file_is_not_cached()
 {
    let (Some(nginx), Some(gunicorn), Some(curl)) = (
        require_tool("nginx"),
        require_tool("gunicorn"),
        require_tool("curl"),
    ) else {
        return;
    };
    let project = django_with_its_own_headers();
    let root = project.path();
    let certs = tempfile::tempdir().expect("tempdir");
    let Some((cert, key)) = self_signed(certs.path()) else {
        return;
    };
    let app_root = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(app_root.path().join("staticfiles")).expect("mkdir");
    write(app_root.path(), "staticfiles/app.css", "body {}\n");
    let (app_port, plain_port, tls_port) = (free_port(), free_port(), free_port());
    preflight()
        .arg("generate")
        .arg(root)
        .args(["--only", "gunicorn,nginx", "--set", "platform=vps"])
        .args(["--set", "domain=api.example.com"])
        .args(["--set", &format!("port={app_port}")])
        .args(["--set", &format!("app_root={}", app_root.path().display())])
        .args(["--set", &format!("cert_path={}", cert.display())])
        .args(["--set", &format!("key_path={}", key.display())])
        .assert()
        .success();
    // The generated file on test ports and paths: IPv4 only, logs and temp files here.
    let logs = tempfile::tempdir().expect("tempdir");
    let logs_dir = logs.path().display().to_string();
    let text = on_test_ports(&read(root, "nginx.conf"), &logs_dir, plain_port, tls_port);
    let conf = logs.path().join("nginx.conf");
    std::fs::write(&conf, text).expect("write");

    let mut app = Killed(
        Process::new(&gunicorn)
            .args(["-c", "gunicorn.conf.py"])
            .current_dir(root)
            .env("PORT", app_port.to_string())
            .env("WEB_CONCURRENCY", "1")
            .env_remove("DJANGO_SETTINGS_MODULE")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("gunicorn starts"),
    );
    wait_for_port(app_port, &mut app.0, "gunicorn");
    let mut proxy = Killed(
        Process::new(&nginx)
            .arg("-c")
            .arg(&conf)
            // Its own error log from the start, so a user who cannot write /var/log runs it too.
            .arg("-e")
            .arg(logs.path().join("error.log"))
            // One process: nothing outlives the test (a master's workers would, as www-data).
            .args(["-g", "daemon off; master_process off;"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nginx starts"),
    );
    wait_for_port(tls_port, &mut proxy.0, "nginx");

    let (status, headers) = https_headers(&curl, tls_port, "/");
    assert!(status.contains(" 200"), "{status} {headers:?}");
    let values = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    for (name, value) in [
        ("strict-transport-security", "max-age=63072000"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ] {
        assert_eq!(values(name), [value], "{name} exactly once: {headers:?}");
    }
    assert_eq!(values("content-security-policy").len(), 1, "{headers:?}");

    let (status, headers) = https_headers(&curl, tls_port, "/static/missing.css");
    assert!(status.contains(" 404"), "{status}");
    assert!(
        !headers
            .iter()
            .any(|(k, v)| k == "cache-control" && v.contains("max-age=2592000")),
        "a missing file is not cached for 30 days: {headers:?}"
    );
    let (status, headers) = https_headers(&curl, tls_port, "/static/app.css");
    assert!(status.contains(" 200"), "{status}");
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "cache-control" && v.contains("max-age=2592000")),
        "a file that exists is cached: {headers:?}"
    );
    let log = std::fs::read_to_string(logs.path().join("access.log")).unwrap_or_default();
    assert!(log.contains(" id=") && log.contains(" rt="), "{log}");
}

/// `--help` describes the files per platform, as the CLI contract does, not
/// the fixed set of earlier versions.
#[test]
fn help_describes_the_files_per_platform() {
    let top = run_ok(Process::new(env!("CARGO_BIN_EXE_preflight")).arg("--help"));
    let line = top
        .lines()
        .find(|l| l.trim_start().starts_with("generate "))
        .expect("a generate line");
    assert!(line.contains("platform"), "{line}");
    assert!(!top.contains("Procfile, nginx.conf, fly.toml"), "{top}");
    assert!(!top.contains("write .env, nginx.conf, fly.toml"), "{top}");
    let help = run_ok(Process::new(env!("CARGO_BIN_EXE_preflight")).args(["generate", "--help"]));
    assert!(!help.contains("Procfile, nginx.conf, fly.toml"), "{help}");
    for row in [
        "fly: fly, dockerfile",
        "heroku: procfile, python-version",
        "render: render",
        "railway: railway",
        "docker: dockerfile, compose, nginx",
        "vps: nginx, systemd",
    ] {
        assert!(help.contains(row), "{row}:\n{help}");
    }
}

/// `--dry-run` lists every file the real run touches: `.gitignore` too, with
/// its diff, when `.env` is not ignored yet; not when it is.
#[test]
fn dry_run_lists_the_gitignore_change_the_real_run_makes() {
    let project = django_project();
    let root = project.path();
    write(root, ".gitignore", "__pycache__/\n");
    let out = generate(root, &["--dry-run"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("--- a/.gitignore\n+++ b/.gitignore\n") && stdout.contains("\n+.env\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would update     .gitignore  (adds .env"),
        "{stdout}"
    );
    assert_eq!(
        read(root, ".gitignore"),
        "__pycache__/\n",
        "dry run writes nothing"
    );
    generate(root, &[]).success();
    assert!(read(root, ".gitignore").ends_with("\n.env\n"));
    let out = generate(root, &["--dry-run"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(!stdout.contains(".gitignore"), "already ignored: {stdout}");
    // With no .gitignore at all, it would be created.
    let fresh = django_project();
    let out = generate(fresh.path(), &["--dry-run"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("--- /dev/null\n+++ b/.gitignore\n"),
        "{stdout}"
    );
    assert!(stdout.contains("would create     .gitignore"), "{stdout}");
}

/// A Django app that reads its hosts and CSRF origins from the environment.
fn django_env_project() -> tempfile::TempDir {
    let project = django_project();
    write(
        project.path(),
        "config/settings.py",
        "import os\n\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nDEBUG = False\n\
         ALLOWED_HOSTS = os.environ[\"DJANGO_ALLOWED_HOSTS\"].split(\",\")\n\
         CSRF_TRUSTED_ORIGINS = os.environ[\"DJANGO_CSRF_TRUSTED_ORIGINS\"].split(\",\")\n\
         INSTALLED_APPS = []\nROOT_URLCONF = \"config.urls\"\n",
    );
    project
}

/// After an earlier run, a new domain updates the `.env` lines preflight
/// wrote (and nobody edited), so `.env` agrees with nginx.conf; a line a
/// person edited is kept and named as disagreeing.
#[test]
fn a_new_domain_updates_preflights_env_lines_and_names_a_persons() {
    let project = django_env_project();
    let root = project.path();
    let first = |domain: &str| {
        preflight()
            .arg("generate")
            .arg(root)
            .args(["--set", "platform=vps", "--set"])
            .arg(format!("domain={domain}"))
            .assert()
            .success()
    };
    first("old.example.com");
    let env = read(root, ".env");
    assert!(
        env.contains("\nDJANGO_ALLOWED_HOSTS=old.example.com\n"),
        "{env}"
    );
    let out = first("new.example.com");
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let env = read(root, ".env");
    assert!(
        env.contains("\nDJANGO_ALLOWED_HOSTS=new.example.com\n"),
        "{env}"
    );
    assert!(
        env.contains("\nDJANGO_CSRF_TRUSTED_ORIGINS=https://new.example.com\n"),
        "{env}"
    );
    assert!(!env.contains("old.example.com"), "{env}");
    assert!(stdout.contains("updated          .env"), "{stdout}");
    assert!(
        stderr.contains("DJANGO_ALLOWED_HOSTS in .env follows domain=new.example.com"),
        "{stderr}"
    );
    assert!(read(root, "nginx.conf").contains("server_name new.example.com;"));
    let state = read(root, ".preflight/state.toml");
    let recorded = state
        .split("[env_values]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("an [env_values] table");
    assert!(recorded.contains("DJANGO_ALLOWED_HOSTS = \""), "{state}");
    assert!(
        !recorded.contains("example.com"),
        "a hash, never the value: {state}"
    );

    // A person edits one line: it stays, and the next run names it.
    let edited = env.replace(
        "DJANGO_ALLOWED_HOSTS=new.example.com",
        "DJANGO_ALLOWED_HOSTS=new.example.com,internal.lan",
    );
    std::fs::write(root.join(".env"), &edited).expect("write");
    let line = edited
        .lines()
        .position(|l| l.starts_with("DJANGO_ALLOWED_HOSTS="))
        .expect("the line")
        + 1;
    let out = first("third.example.com");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let env = read(root, ".env");
    assert!(
        env.contains("\nDJANGO_ALLOWED_HOSTS=new.example.com,internal.lan\n"),
        "kept: {env}"
    );
    assert!(
        env.contains("\nDJANGO_CSRF_TRUSTED_ORIGINS=https://third.example.com\n"),
        "the unedited line follows: {env}"
    );
    assert!(
        stderr.contains(&format!(
            ".env line {line}: DJANGO_ALLOWED_HOSTS=new.example.com,internal.lan disagrees with \
             the answer domain=third.example.com"
        )),
        "{stderr}"
    );
}

/// The files of `root` a Docker build context holds under `.dockerignore`:
/// Docker matches each pattern against the path from the context's root, so
/// each is anchored (`/pattern`), with `!` exceptions, as gitignore reads it.
fn docker_context(root: &Path) -> Vec<String> {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    for line in read(root, ".dockerignore").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let anchored = match line.strip_prefix('!') {
            Some(rest) => format!("!/{}", rest.trim_start_matches('/')),
            None => format!("/{}", line.trim_start_matches('/')),
        };
        builder.add_line(None, &anchored).expect("a pattern");
    }
    let matcher = builder.build().expect("patterns");
    let mut kept = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            let is_dir = path.is_dir();
            if matcher
                .matched_path_or_any_parents(&path, is_dir)
                .is_ignore()
            {
                continue;
            }
            if is_dir {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).expect("inside");
                kept.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    kept.sort();
    kept
}

/// The image of a FastAPI app that serves `static/` and renders `templates/`
/// holds both (the app would not start without `static/`), and never `.env`,
/// `.git` or a virtualenv.
#[test]
fn the_dockerignore_keeps_what_the_app_reads_at_run_time() {
    let project = fastapi_project();
    let root = project.path();
    write(
        root,
        "app/main.py",
        "from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\n\
         from fastapi.templating import Jinja2Templates\n\napp = FastAPI()\n\
         app.mount(\"/static\", StaticFiles(directory=\"static\"), name=\"static\")\n\
         templates = Jinja2Templates(directory=\"templates\")\n\n\n@app.get(\"/health\")\n\
         def health():\n    return {\"ok\": True}\n",
    );
    write(root, "static/app.css", "body {}\n");
    write(root, "templates/index.html", "<p>hi</p>\n");
    write(root, ".git/HEAD", "ref: refs/heads/main\n");
    write(root, ".venv/pyvenv.cfg", "home = /usr/bin\n");
    write(root, "env/pyvenv.cfg", "home = /usr/bin\n");
    write(root, "server.pem", "-----BEGIN PRIVATE KEY-----\n");
    preflight()
        .arg("generate")
        .arg(root)
        .args(["--set", "platform=fly", "--set", "domain=api.example.com"])
        .assert()
        .success();
    let kept = docker_context(root);
    for needed in [
        "static/app.css",
        "templates/index.html",
        "app/main.py",
        ".env.example",
    ] {
        assert!(
            kept.iter().any(|f| f == needed),
            "{needed} is in the image: {kept:?}"
        );
    }
    for secret in [
        ".env",
        ".git/HEAD",
        ".venv/pyvenv.cfg",
        "env/pyvenv.cfg",
        "server.pem",
    ] {
        assert!(
            !kept.iter().any(|f| f == secret),
            "{secret} stays out: {kept:?}"
        );
    }
    // The app imports from exactly what the image would hold.
    let Some(python) = crate::util::require_python(&["fastapi", "Jinja2"]) else {
        return;
    };
    let image = tempfile::tempdir().expect("tempdir");
    for file in &kept {
        let target = image.path().join(file);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(root.join(file), target).expect("copy");
    }
    run_ok(
        Process::new(&python)
            .args(["-c", "import app.main"])
            .env("JWT_SECRET", "test-only")
            .current_dir(image.path()),
    );
}

/// Heroku and Railway install only what the project declares: a Procfile or
/// railway.toml that starts an undeclared gunicorn is named with the fix for
/// the project's package manager, and with `add_server_packages=true` the
/// pinned line is appended to requirements.txt (listed by `--dry-run`
/// first). The Dockerfile installs it itself, so fly says nothing.
#[test]
fn a_buildpack_start_command_gets_the_server_the_project_lacks() {
    let project = flask_project();
    let root = project.path();
    write(root, "requirements.txt", "Flask==3.0\n");
    let heroku = |extra: &[&str]| {
        preflight()
            .arg("generate")
            .arg(root)
            .args([
                "--set",
                "platform=heroku",
                "--set",
                "domain=api.example.com",
            ])
            .args(extra)
            .assert()
            .success()
    };
    let out = heroku(&[]);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("Procfile starts gunicorn, but the project does not declare gunicorn")
            && stderr.contains("Heroku's Python buildpack installs only what the project declares")
            && stderr.contains(
                "hint: add gunicorn==23.0.0 to requirements.txt, or let preflight append it: \
                 --set add_server_packages=true"
            ),
        "{stderr}"
    );
    assert_eq!(
        read(root, "requirements.txt"),
        "Flask==3.0\n",
        "not without consent"
    );

    let out = heroku(&["--dry-run", "--set", "add_server_packages=true"]);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("--- a/requirements.txt\n+++ b/requirements.txt\n")
            && stdout.contains("\n+gunicorn==23.0.0\n")
            && stdout.contains("would update     requirements.txt  (adds gunicorn==23.0.0"),
        "{stdout}"
    );
    assert_eq!(read(root, "requirements.txt"), "Flask==3.0\n", "dry run");

    let out = heroku(&["--set", "add_server_packages=true"]);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("updated          requirements.txt"),
        "{stdout}"
    );
    let requirements = read(root, "requirements.txt");
    assert_eq!(
        requirements,
        "Flask==3.0\n# The server Procfile starts (added by preflight)\ngunicorn==23.0.0\n"
    );
    // Once declared, nothing more is said or added.
    let out = heroku(&[]);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("does not declare"), "{stderr}");
    assert_eq!(read(root, "requirements.txt"), requirements);
    if let Some(python) = crate::util::require_python(&["packaging"]) {
        run_ok(
            Process::new(&python)
                .arg("-c")
                .arg(
                    "from packaging.requirements import Requirement\n\
                     lines = [l for l in open('requirements.txt') if l.strip() and not l.startswith('#')]\n\
                     names = [Requirement(l.strip()).name for l in lines]\n\
                     assert names == ['Flask', 'gunicorn'], names\n",
                )
                .current_dir(root),
        );
    }
}

/// uv's lock and fly's Dockerfile: the note gives uv's own command; the
/// Dockerfile installs gunicorn itself, so fly says nothing.
#[test]
fn the_missing_server_note_fits_the_package_manager_and_platform() {
    // uv's lock is the uv tool's to change: the note gives its command.
    let uv = fastapi_project();
    std::fs::remove_file(uv.path().join("requirements.txt")).expect("rm");
    write(
        uv.path(),
        "pyproject.toml",
        "[project]\nname = \"shop\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi==0.115.0\"]\n",
    );
    write(uv.path(), "uv.lock", "version = 1\n");
    let out = preflight()
        .arg("generate")
        .arg(uv.path())
        .args([
            "--set",
            "platform=railway",
            "--set",
            "add_server_packages=true",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("railway.toml starts gunicorn")
            && stderr.contains("hint: uv add gunicorn==23.0.0 uvicorn-worker==0.3.0"),
        "{stderr}"
    );
    // fly builds the Dockerfile, which installs gunicorn itself.
    let fly = flask_project();
    write(fly.path(), "requirements.txt", "Flask==3.0\n");
    let out = preflight()
        .arg("generate")
        .arg(fly.path())
        .args(["--set", "platform=fly"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("starts gunicorn"), "{stderr}");
    assert!(read(fly.path(), "Dockerfile").contains("pip install --no-cache-dir gunicorn==23.0.0"));
}

//! `preflight report` on the bundled demo project.

use crate::util::{demo_project, preflight};

fn report(project: &std::path::Path, args: &[&str]) -> std::process::Output {
    preflight()
        .arg("report")
        .arg(project)
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn markdown_by_default_and_the_scan_is_recorded() {
    let demo = demo_project();
    let output = report(demo.path(), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.starts_with("# Pre-release review: "), "{md}");
    assert!(
        md.contains("Django · entrypoint `config.wsgi:application`"),
        "{md}"
    );
    for section in [
        "## Progress",
        "## Open critical and high items",
        "## Skipped and not applicable",
        "## Recurring tasks due",
        "## Check runs",
    ] {
        assert!(md.contains(section), "no {section}: {md}");
    }
    assert!(md.contains("| 6 Verify the live deployment |"), "{md}");
    let state = std::fs::read_to_string(demo.path().join(".preflight/state.toml")).expect("state");
    assert_eq!(state.matches("[[history]]").count(), 1, "{state}");
}

#[test]
fn a_second_run_compares_with_the_first() {
    let demo = demo_project();
    assert!(report(demo.path(), &[]).status.success());
    let output = report(demo.path(), &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["runs"].as_array().expect("runs").len(), 2);
    assert!(json["changes"]["since"].is_string(), "{json:#}");
}

#[test]
fn html_goes_to_the_file_escaped_and_self_contained() {
    let demo = demo_project();
    preflight()
        .args(["mark", "backups", "skip"])
        .arg(demo.path())
        .args(["--reason", "<script>alert('x')</script> & snapshots"])
        .assert()
        .success();
    let file = demo.path().join("review.html");
    let output = report(demo.path(), &["-o", file.to_str().expect("utf-8 path")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stdout.is_empty(),
        "the report went to the file, not stdout"
    );
    let page = std::fs::read_to_string(&file).expect("review.html");
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "format from the extension"
    );
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; snapshots"));
    assert!(!page.contains("<script"), "nothing executable");
    assert!(
        !page.contains("src=") && !page.contains("<link"),
        "no external assets"
    );
}

#[test]
fn json_shape() {
    let demo = demo_project();
    let output = report(demo.path(), &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["project"]["framework"], "django");
    assert_eq!(json["project"]["entrypoint"], "config.wsgi:application");
    assert_eq!(json["total"], 76);
    assert_eq!(json["phases"].as_array().expect("phases").len(), 7);
    let open = json["open"].as_array().expect("open");
    assert!(!open.is_empty());
    for item in open {
        let severity = item["severity"].as_str().expect("severity");
        assert!(severity == "critical" || severity == "high", "{item}");
        assert!(
            item["fix"].as_str().is_some_and(|f| !f.is_empty()),
            "{item}"
        );
        assert!(item["evidence"].is_array());
    }
}

#[test]
fn no_secret_value_from_the_code_or_env_reaches_the_report() {
    let demo = demo_project();
    let mut secrets: Vec<String> = std::fs::read_to_string(demo.path().join(".env"))
        .expect(".env")
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(_, value)| value.trim().trim_matches(['"', '\'']).to_owned())
        .filter(|value| value.len() >= 8)
        .collect();
    secrets.push("django-insecure-(#ln-$09quh$9crmi26+)5nb#_c(1k#+&a&gsa_i1s6f_mocgu".into());
    for format in ["md", "html", "json"] {
        let output = report(demo.path(), &["--format", format]);
        let text = String::from_utf8_lossy(&output.stdout);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{format} report shows a secret"
            );
        }
    }
}

#[test]
fn a_corrupt_state_file_is_left_alone() {
    let demo = demo_project();
    let state = demo.path().join(".preflight/state.toml");
    std::fs::create_dir_all(state.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &state,
        "schema = 1\n[items.debug-off]\nstatus = \"maybe\"\n",
    )
    .expect("write");
    let output = report(demo.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("state.toml:3"));
    assert_eq!(
        std::fs::read_to_string(&state).expect("state"),
        "schema = 1\n[items.debug-off]\nstatus = \"maybe\"\n"
    );
    let missing = report(&demo.path().join("nope"), &[]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn an_unwritable_output_stops_before_any_work() {
    let demo = demo_project();
    let output = report(
        demo.path(),
        &["-o", "/nonexistent-preflight-dir/review.html"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("does not exist") && stderr.contains("hint:"),
        "{stderr}"
    );
    assert!(
        !demo.path().join(".preflight").exists(),
        "nothing was written"
    );
    let output = report(demo.path(), &["-o", demo.path().to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a directory"));
}

#[test]
fn output_never_clobbers_a_file_that_is_not_a_report() {
    let demo = demo_project();
    let manage = demo.path().join("manage.py");
    let before = std::fs::read(&manage).expect("manage.py");
    let output = report(demo.path(), &["-o", manage.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not a preflight report") && stderr.contains("hint:"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&manage).expect("manage.py"), before);
    // An earlier report, in each format, is replaced.
    for name in ["review.md", "review.html", "review.json"] {
        let file = demo.path().join(name);
        let file = file.to_str().expect("utf-8");
        for _ in 0..2 {
            let output = report(demo.path(), &["-o", file]);
            assert!(output.status.success(), "{name}: {output:?}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_project_that_cannot_be_written_still_gets_its_report() {
    let demo = demo_project();
    // A file where `.preflight/` should be: the state cannot be saved, even as root.
    std::fs::write(demo.path().join(".preflight"), "").expect("write");
    let output = report(demo.path(), &[]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("# Pre-release review"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("warning: the scan was not recorded"));
}

#[cfg(unix)]
#[test]
fn output_to_something_other_than_a_file_is_refused_and_points_to_stdout() {
    use std::os::unix::fs::FileTypeExt;
    let demo = demo_project();
    // A socket stands in for /dev/null or /dev/stdout, which a test must not risk.
    let socket = demo.path().join("out.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    let output = report(demo.path(), &["-o", socket.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("leave out -o"), "{stderr}");
    assert!(
        std::fs::metadata(&socket)
            .expect("still there")
            .file_type()
            .is_socket()
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_cannot_be_written_says_what_to_do() {
    let demo = demo_project();
    // A link into a folder of the project that does not exist: the write
    // fails, even as root.
    let link = demo.path().join("review.md");
    std::os::unix::fs::symlink("nonexistent-preflight-dir/review.md", &link).expect("symlink");
    let output = report(demo.path(), &["-o", link.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("leave out -o"),
        "{stderr}"
    );
}

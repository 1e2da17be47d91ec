//! `preflight verify` against tiny HTTP and HTTPS servers in the test process.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::util::{demo_project, preflight, status_item, status_json};

/// One request as the test server read it.
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Box<dyn Fn(&Req) -> String + Send>;

/// A server on 127.0.0.1 that answers each connection from a handler, one at
/// a time, and stops when dropped or after a minute, whichever comes first.
struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    fn start(handler: Handler, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        Self::listen(
            TcpListener::bind("127.0.0.1:0").expect("bind"),
            handler,
            tls,
        )
    }

    /// A plain-HTTP server on a port chosen before (so another server can point at it).
    fn start_on(port: u16, handler: Handler) -> Self {
        Self::listen(
            TcpListener::bind(("127.0.0.1", port)).expect("bind"),
            handler,
            None,
        )
    }

    fn listen(
        listener: TcpListener,
        handler: Handler,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Self {
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stopping.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => serve(stream, &handler, tls.as_ref()),
                    Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        Self {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one connection (plain or TLS); errors just drop it.
fn serve(stream: TcpStream, handler: &Handler, tls: Option<&Arc<rustls::ServerConfig>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(config) = tls else {
        let mut stream = stream;
        answer(&mut stream, handler);
        return;
    };
    let Ok(conn) = rustls::ServerConnection::new(Arc::clone(config)) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, stream);
    answer(&mut tls, handler);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// Reads a request head and writes the handler's response.
fn answer(stream: &mut impl ReadWrite, handler: &Handler) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let req = Req {
        method: first.next().unwrap_or_default().to_owned(),
        path: first.next().unwrap_or_default().to_owned(),
        headers: lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect(),
    };
    let _ = stream.write_all(handler(&req).as_bytes());
    let _ = stream.flush();
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// A complete HTTP/1.1 response.
fn response(status: u16, headers: &[(&str, &str)], body: &str) -> String {
    use std::fmt::Write as _;
    let mut out = format!("HTTP/1.1 {status} X\r\n");
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    let _ = write!(
        out,
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    out
}

/// Makes `cert.pem` and `key.pem` (self-signed, for localhost and 127.0.0.1, valid for 90
/// days) in `dir` with openssl; `None` when openssl is missing outside CI.
fn make_cert(dir: &std::path::Path) -> Option<()> {
    make_cert_for(dir, 90)
}

/// [`make_cert`] valid for `days`.
fn make_cert_for(dir: &std::path::Path, days: u32) -> Option<()> {
    let openssl = crate::util::require_tool("openssl")?;
    let status = std::process::Command::new(openssl)
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            &days.to_string(),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
        ])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl req failed");
    Some(())
}

/// A throwaway self-signed certificate for the rustls test server.
fn tls_config() -> Option<Arc<rustls::ServerConfig>> {
    tls_config_for(90)
}

/// [`tls_config`] with a certificate valid for `days`.
fn tls_config_for(days: u32) -> Option<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = tempfile::tempdir().expect("tempdir");
    make_cert_for(dir.path(), days)?;
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.path().join("cert.pem"))
            .expect("cert.pem")
            .collect::<Result<_, _>>()
            .expect("certs");
    let key = PrivateKeyDer::from_pem_file(dir.path().join("key.pem")).expect("key.pem");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("certificate");
    Some(Arc::new(config))
}

/// The headers a well-configured nginx in front of the app sends.
const GOOD_HEADERS: [(&str, &str); 7] = [
    (
        "Strict-Transport-Security",
        "max-age=63072000; includeSubDomains",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Server", "nginx"),
    (
        "Content-Security-Policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("Cross-Origin-Resource-Policy", "same-origin"),
];

/// A well-configured app: `server` is the `Server` header it sends.
fn good_app(server: &'static str) -> Handler {
    Box::new(move |req: &Req| {
        let mut headers: Vec<(&str, &str)> = GOOD_HEADERS.to_vec();
        headers[4].1 = server;
        let path = req.path.as_str();
        let (status, body) = match (req.method.as_str(), path) {
            (_, _) if req.header("host") == Some("preflight-probe.invalid") => (400, "Bad Request"),
            ("OPTIONS", _) => (200, ""),
            (_, "/") => {
                headers.push((
                    "Set-Cookie",
                    "sessionid=s3cr3t-session; Path=/; Secure; HttpOnly; SameSite=Lax",
                ));
                headers.push(("Set-Cookie", "csrftoken=tok; Path=/; Secure; SameSite=Lax"));
                (200, "{\"name\": \"api\"}")
            }
            (_, "/healthz") => (200, "{\"status\": \"healthy\", \"version\": \"1.0.0\"}"),
            (_, "/api/orders") if req.header("authorization").is_some() => (403, "{}"),
            (_, "/api/orders") => (401, "{}"),
            _ => (404, "{\"detail\": \"Not Found\"}"),
        };
        headers.push(("Content-Type", "application/json"));
        response(status, &headers, body)
    })
}

/// Plain HTTP that redirects everything to HTTPS on `port`.
fn redirect_to(port: u16) -> Handler {
    Box::new(move |req: &Req| {
        let location = format!("https://127.0.0.1:{port}{}", req.path);
        response(301, &[("Location", &location), ("Server", "nginx")], "")
    })
}

const DJANGO_DEBUG_404: &str = "<!DOCTYPE html><title>Page not found at /x</title>\
<p>Using the URLconf defined in <code>config.urls</code>, Django tried these URL patterns</p>\
<p>You’re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>";

/// Everything wrong at once, over plain HTTP.
fn bad_app() -> Handler {
    Box::new(|req: &Req| {
        let mut headers: Vec<(String, String)> = vec![
            ("Server".into(), "nginx/1.22.1".into()),
            ("X-Powered-By".into(), "Django".into()),
        ];
        if let Some(origin) = req.header("origin") {
            headers.push(("Access-Control-Allow-Origin".into(), origin.to_owned()));
            headers.push(("Access-Control-Allow-Credentials".into(), "true".into()));
        }
        let (status, body) = match req.path.as_str() {
            "/" => {
                headers.push((
                    "Set-Cookie".into(),
                    "sessionid=s3cr3t-session; Path=/; HttpOnly; SameSite=Lax".into(),
                ));
                (200, "welcome")
            }
            "/health" => (
                200,
                "{\"status\": \"error\", \"database\": \"unreachable\"}",
            ),
            "/api/orders" => (200, "[{\"id\": 1}]"),
            _ => (404, DJANGO_DEBUG_404),
        };
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        response(status, &headers, body)
    })
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn check<'a>(json: &'a serde_json::Value, item: &str) -> &'a serde_json::Value {
    json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["item"] == item)
        .unwrap_or_else(|| panic!("no {item} in {json}"))
}

#[test]
fn a_well_configured_deployment_passes_every_check() {
    let Some(tls) = tls_config() else { return };
    let https = TestServer::start(good_app("nginx"), Some(tls));
    let http = TestServer::start(redirect_to(https.port()), None);
    let output = preflight()
        .args(["verify", &format!("http://127.0.0.1:{}", http.port())])
        .args([
            "--insecure",
            "--protected",
            "/api/orders",
            "--json",
            "--timeout",
            "5",
        ])
        .output()
        .expect("runs");
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{json:#}");
    assert_eq!(json["passed"], 13, "{json:#}");
    assert_eq!(json["failed"], 0);
    let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    assert_eq!(
        keys.len(),
        4,
        "exactly url, checks, passed, failed: {keys:?}"
    );
    assert_eq!(json["url"], format!("http://127.0.0.1:{}/", http.port()));
    assert_eq!(check(&json, "live-hsts")["severity"], "high");
    let redirect = check(&json, "live-https-redirect")["detail"]
        .as_str()
        .expect("detail");
    assert!(
        redirect.contains(&format!("301 https://127.0.0.1:{}/", https.port())),
        "{redirect}"
    );
    let health = check(&json, "live-health-ok")["detail"]
        .as_str()
        .expect("detail");
    assert_eq!(health, "GET /healthz → 200, status healthy");
    let cookies = check(&json, "live-cookie-flags")["detail"]
        .as_str()
        .expect("detail");
    assert!(
        cookies.contains("csrftoken has no HttpOnly by design"),
        "{cookies}"
    );
    let cert = check(&json, "cert-expiry")["detail"]
        .as_str()
        .expect("detail");
    assert!(
        (cert.contains("in 89 days") || cert.contains("in 90 days"))
            && cert.contains("names 127.0.0.1"),
        "{cert}"
    );
    // A self-signed certificate under --insecure: HSTS is there, but browsers ignore it.
    let hsts = check(&json, "live-hsts")["detail"]
        .as_str()
        .expect("detail");
    assert!(
        hsts.starts_with(
            "max-age=63072000; includeSubDomains; but the certificate does not verify"
        ),
        "{hsts}"
    );
    assert!(hsts.contains("browsers ignore HSTS"), "{hsts}");
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("s3cr3t"),
        "a cookie value leaked"
    );
}

#[test]
fn a_self_signed_certificate_needs_insecure() {
    let Some(tls) = tls_config() else { return };
    let https = TestServer::start(good_app("nginx"), Some(tls));
    let output = preflight()
        .args([
            "verify",
            &format!("https://127.0.0.1:{}", https.port()),
            "--timeout",
            "5",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot reach https://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("--insecure"), "{stderr}");
    // The handshake of verify's own reads the certificate that was refused.
    assert!(
        stderr.contains("its certificate (issued by localhost, valid until ")
            && stderr.contains("does not chain to a trusted root"),
        "{stderr}"
    );
}

#[test]
fn a_low_failure_exits_one_only_under_fail_on_low() {
    let Some(tls) = tls_config() else { return };
    let https = TestServer::start(good_app("nginx/1.22.1"), Some(tls));
    let url = format!("https://127.0.0.1:{}", https.port());
    let run = |extra: &[&str]| {
        preflight()
            .args(["verify", &url, "--insecure", "--timeout", "5"])
            .args(extra)
            .output()
            .expect("runs")
    };
    let default = run(&[]);
    let text = String::from_utf8_lossy(&default.stdout);
    assert_eq!(default.status.code(), Some(0), "{text}");
    assert!(text.contains("✘ live-no-server-tokens"), "{text}");
    assert!(
        text.contains("Server `nginx/1.22.1` reveals a version"),
        "{text}"
    );
    assert!(
        text.contains("fix: `preflight verify"),
        "the fix follows a failure: {text}"
    );
    assert!(text.contains("○ live-auth-enforced"), "{text}");
    assert!(text.contains("not run"), "{text}");
    assert!(!text.contains('\u{1b}'), "NO_COLOR output has no escapes");
    assert_eq!(run(&["--fail-on", "low"]).status.code(), Some(1));
}

#[test]
fn a_badly_configured_deployment_fails_each_check_with_the_reason() {
    let bad = TestServer::start(bad_app(), None);
    let output = preflight()
        .args(["verify", &format!("http://127.0.0.1:{}", bad.port())])
        .args([
            "--protected",
            "/api/orders",
            "--health",
            "/health",
            "--json",
            "--timeout",
            "5",
        ])
        .output()
        .expect("runs");
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(1), "{json:#}");
    assert_eq!(json["passed"], 0, "{json:#}");
    // The nine live items and content-security-policy; the two advice entries do not
    // hold either but are no failures. With no HTTPS there is no certificate to read.
    assert_eq!(json["failed"], 10);
    for advice in ["referrer-policy", "cross-origin-resource-policy"] {
        assert_eq!(check(&json, advice)["ok"], false, "{json:#}");
    }
    assert_eq!(check(&json, "cert-expiry")["ok"], serde_json::Value::Null);
    assert_eq!(check(&json, "referrer-policy")["severity"], "low");
    let detail = |item: &str| {
        check(&json, item)["detail"]
            .as_str()
            .expect("detail")
            .to_owned()
    };
    assert!(detail("live-https-redirect").contains("answers 200 over plain HTTP"));
    assert!(detail("live-hsts").contains("no HTTPS response"));
    assert!(detail("live-security-headers").starts_with("missing X-Content-Type-Options"));
    let cors = detail("live-cors-restricted");
    assert!(
        cors.contains("echoes Access-Control-Allow-Origin: https://evil.example with Access-Control-Allow-Credentials: true"),
        "{cors}"
    );
    assert!(
        detail("live-auth-enforced")
            .contains("GET /api/orders → 200: served without valid credentials")
    );
    assert!(detail("live-health-ok").contains("status: \"error\""));
    assert!(detail("live-no-debug-leak").contains("Django's debug 404 page"));
    assert!(detail("live-cookie-flags").contains("sessionid (from GET /) lacks Secure"));
    let tokens = detail("live-no-server-tokens");
    assert!(
        tokens.contains("nginx/1.22.1") && tokens.contains("X-Powered-By: Django"),
        "{tokens}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("s3cr3t"),
        "a cookie value leaked"
    );
}

#[test]
fn project_records_verdicts_but_keeps_a_users_skip() {
    let project = demo_project();
    preflight()
        .args(["mark", "live-cookie-flags", "skip"])
        .arg(project.path())
        .args(["--reason", "csrftoken must be readable"])
        .assert()
        .success();
    let bad = TestServer::start(bad_app(), None);
    let output = preflight()
        .args([
            "verify",
            &format!("http://127.0.0.1:{}", bad.port()),
            "--timeout",
            "5",
        ])
        .arg("--project")
        .arg(project.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("recorded in"), "{text}");
    // The general fix, then Django's, since the demo is a Django project.
    assert!(
        text.contains("return 301 https://$host$request_uri"),
        "{text}"
    );
    assert!(
        text.contains("Django: `SECURE_SSL_REDIRECT = True`"),
        "{text}"
    );
    let json = status_json(project.path());
    let item = |id: &str| status_item(&json, id).clone();
    assert_eq!(item("live-cors-restricted")["status"], "failing");
    assert_eq!(item("live-cors-restricted")["by"], "auto");
    assert_eq!(item("live-cookie-flags")["status"], "skipped");
    assert_eq!(item("live-auth-enforced")["status"], "todo");
}

#[test]
fn bad_urls_and_dead_hosts_exit_two() {
    preflight()
        .args(["verify", "ftp://example.com"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an http:// or https:// URL"));
    // Bind and drop a listener to find a port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    preflight()
        .args([
            "verify",
            &format!("http://127.0.0.1:{port}"),
            "--timeout",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot reach"))
        .stderr(predicates::str::contains("hint:"));
}

#[test]
fn a_silent_server_times_out_within_the_limit() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    // Accept connections and never answer, until told to stop (or 10 s at most).
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && !stopping.load(Ordering::Relaxed) {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let started = Instant::now();
    let output = preflight()
        .args([
            "verify",
            &format!("http://127.0.0.1:{port}"),
            "--timeout",
            "1",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no answer within 1 s"), "{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    stop.store(true, Ordering::Relaxed);
    holder.join().expect("holder");
}

#[test]
fn a_corrupt_state_file_stops_verify_before_any_request() {
    let project = demo_project();
    let state = project.path().join(".preflight/state.toml");
    std::fs::create_dir_all(state.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &state,
        "schema = 1\n[items.debug-off]\nstatus = \"maybe\"\n",
    )
    .expect("write");
    // Nothing listens on this port: an attempt to connect would say "cannot reach".
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let output = preflight()
        .args(["verify", &format!("http://127.0.0.1:{port}")])
        .arg("--project")
        .arg(project.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("state.toml:3"), "{stderr}");
    assert!(!stderr.contains("cannot reach"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&state).expect("state"),
        "schema = 1\n[items.debug-off]\nstatus = \"maybe\"\n"
    );
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// An nginx process that is stopped when dropped.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something accepts connections on `port`, for a few seconds at most.
fn wait_for_port(port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The app behind nginx: JSON, a health endpoint, no security headers of its own.
fn plain_app() -> Handler {
    Box::new(|req: &Req| {
        let (status, body) = match req.path.as_str() {
            "/health" => (200, "{\"status\": \"ok\"}"),
            "/" => (200, "{\"name\": \"api\"}"),
            _ => (404, "{\"detail\": \"Not Found\"}"),
        };
        response(
            status,
            &[("Content-Type", "application/json"), ("Server", "gunicorn")],
            body,
        )
    })
}

#[test]
fn the_nginx_conf_that_generate_writes_passes_verify() {
    let Some(nginx) = crate::util::require_tool("nginx") else {
        return;
    };
    let app = TestServer::start(plain_app(), None);
    let project = demo_project();
    let dir = project.path();
    if make_cert(dir).is_none() {
        return;
    }
    preflight()
        .args(["generate"])
        .arg(dir)
        .args(["--only", "nginx", "--set", "domain=localhost"])
        .args(["--set", &format!("port={}", app.port())])
        .args([
            "--set",
            &format!("cert_path={}", dir.join("cert.pem").display()),
        ])
        .args([
            "--set",
            &format!("key_path={}", dir.join("key.pem").display()),
        ])
        .assert()
        .success();
    // Move the generated config to free ports and private paths; keep everything else.
    let (http, https) = (free_port(), free_port());
    let generated = std::fs::read_to_string(dir.join("nginx.conf")).expect("nginx.conf");
    let logs = dir.display().to_string();
    let conf: String = generated
        .lines()
        .filter(|line| !line.contains("listen [::]") && !line.trim_start().starts_with("user "))
        .map(|line| {
            line.replace("listen 80", &format!("listen 127.0.0.1:{http}"))
                .replace("listen 443", &format!("listen 127.0.0.1:{https}"))
                .replace("https://$host$request_uri", &format!("https://$host:{https}$request_uri"))
                .replace("/run/nginx.pid", &format!("{logs}/nginx.pid"))
                .replace("/var/log/nginx", &logs)
        })
        .map(|line| {
            if line.trim() == "http {" {
                format!(
                    "{line}\n    client_body_temp_path {logs}/body; proxy_temp_path {logs}/proxy;\n    \
                     fastcgi_temp_path {logs}/fastcgi; uwsgi_temp_path {logs}/uwsgi; scgi_temp_path {logs}/scgi;"
                )
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let conf_path = dir.join("nginx-test.conf");
    std::fs::write(&conf_path, conf).expect("write conf");
    let server = Nginx(
        std::process::Command::new(nginx)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .args(["-g", "daemon off; master_process off;"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nginx starts"),
    );
    assert!(
        wait_for_port(https),
        "nginx did not start: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
    let output = preflight()
        .args([
            "verify",
            &format!("http://localhost:{http}"),
            "--insecure",
            "--json",
        ])
        .args(["--timeout", "5"])
        .output()
        .expect("runs");
    drop(server);
    let json = json_of(&output);
    for item in [
        "live-https-redirect",
        "live-hsts",
        "live-security-headers",
        "live-cors-restricted",
        "live-health-ok",
        "live-no-debug-leak",
        "live-cookie-flags",
        "live-no-server-tokens",
    ] {
        assert_eq!(check(&json, item)["ok"], true, "{item}: {json:#}");
    }
    assert_eq!(output.status.code(), Some(0), "{json:#}");
    assert_eq!(
        check(&json, "live-no-server-tokens")["detail"],
        "Server: nginx (no version)"
    );
}

#[test]
fn fail_on_none_reports_failures_but_exits_zero_as_check_does() {
    let bad = TestServer::start(bad_app(), None);
    let output = preflight()
        .args(["verify", &format!("http://127.0.0.1:{}", bad.port())])
        .args(["--fail-on", "none", "--timeout", "5"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("✘ live-hsts"));
    let bogus = preflight()
        .args([
            "verify",
            "https://api.example.com",
            "--fail-on",
            "sometimes",
        ])
        .output()
        .expect("runs");
    assert_eq!(bogus.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bogus.stderr).contains("or none"));
}

#[test]
fn a_url_or_a_space_where_a_path_belongs_is_a_usage_error() {
    for (flag, value, expected) in [
        (
            "--protected",
            "https://api.example.com/api/v1/orders",
            "such as /api/v1/orders",
        ),
        ("--health", "he alth", "%20"),
        ("--health", " ", "empty"),
    ] {
        let output = preflight()
            .args(["verify", "https://api.example.com", flag, value])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{flag} {value}: {stderr}");
    }
}

/// An HTTPS app whose `/` sends `headers` (plus a JSON body); other paths 404.
fn headers_app(headers: Vec<(String, String)>) -> Handler {
    Box::new(move |req: &Req| {
        let mut all: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        all.push(("Content-Type", "application/json"));
        let status = if req.path == "/" { 200 } else { 404 };
        response(status, &all, "{}")
    })
}

/// One row of the header table: what `/` sends, and the verdict expected per check.
struct Case {
    name: &'static str,
    headers: &'static [(&'static str, &'static str)],
    expect: &'static [(&'static str, Option<bool>)],
    /// Words the detail of the first expected check holds.
    word: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "frame-ancestors * overrides X-Frame-Options DENY",
        headers: &[
            ("X-Frame-Options", "DENY"),
            (
                "Content-Security-Policy",
                "default-src 'none'; frame-ancestors *",
            ),
        ],
        expect: &[
            ("live-security-headers", Some(false)),
            ("content-security-policy", Some(false)),
        ],
        word: "overrides X-Frame-Options DENY",
    },
    Case {
        name: "frame-ancestors 'none' protects",
        headers: &[(
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        )],
        expect: &[
            ("live-security-headers", Some(true)),
            ("content-security-policy", Some(true)),
        ],
        word: "CSP frame-ancestors 'none'",
    },
    Case {
        name: "SameSite=Invalid counts as unset",
        headers: &[
            (
                "Set-Cookie",
                "sessionid=v; Secure; HttpOnly; SameSite=Invalid",
            ),
            ("Cross-Origin-Resource-Policy", ""),
        ],
        expect: &[
            ("live-cookie-flags", Some(false)),
            ("cross-origin-resource-policy", Some(false)),
        ],
        word: "treat it as unset",
    },
    Case {
        name: "SameSite=Lax on a session cookie with CORP",
        headers: &[
            ("Set-Cookie", "sessionid=v; Secure; HttpOnly; SameSite=Lax"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ],
        expect: &[
            ("live-cookie-flags", Some(true)),
            ("cross-origin-resource-policy", Some(true)),
        ],
        word: "sessionid set with Secure and SameSite",
    },
    Case {
        name: "a session cookie without HttpOnly",
        headers: &[("Set-Cookie", "session=v; Secure; SameSite=Lax")],
        expect: &[("live-cookie-flags", Some(false))],
        word: "holds a session or credential",
    },
    Case {
        name: "another cookie without HttpOnly is advice",
        headers: &[("Set-Cookie", "theme=dark; Secure; SameSite=Lax")],
        expect: &[
            ("live-cookie-flags", Some(true)),
            ("cross-origin-resource-policy", Some(true)),
        ],
        word: "theme has no HttpOnly",
    },
    Case {
        name: "comma-joined HSTS",
        headers: &[(
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains, max-age=31536000",
        )],
        expect: &[("live-hsts", Some(false))],
        word: "RFC 6797",
    },
    Case {
        name: "one HSTS policy",
        headers: &[(
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        )],
        expect: &[("live-hsts", Some(true))],
        word: "max-age=31536000; includeSubDomains",
    },
    Case {
        name: "no-referrer-when-downgrade",
        headers: &[("Referrer-Policy", "no-referrer-when-downgrade")],
        expect: &[
            ("live-security-headers", Some(false)),
            ("referrer-policy", Some(true)),
        ],
        word: "to every HTTPS site",
    },
    Case {
        name: "a missing Referrer-Policy is low advice only",
        headers: &[("Referrer-Policy", "")],
        expect: &[
            ("live-security-headers", Some(true)),
            ("referrer-policy", Some(false)),
        ],
        word: "browsers use strict-origin-when-cross-origin",
    },
    Case {
        name: "a JSON API without CSP",
        headers: &[("Content-Security-Policy", "")],
        expect: &[("content-security-policy", Some(false))],
        word: "no Content-Security-Policy header",
    },
    Case {
        name: "CSP with unsafe-inline",
        headers: &[(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        )],
        expect: &[
            ("content-security-policy", Some(false)),
            ("live-security-headers", Some(true)),
        ],
        word: "'unsafe-inline' in script-src",
    },
    Case {
        name: "* with credentials is a broken setup, not a leak",
        headers: &[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ],
        expect: &[("live-cors-restricted", Some(true))],
        word: "broken setup",
    },
    Case {
        name: "an echoed origin with credentials leaks",
        headers: &[
            ("Access-Control-Allow-Origin", "https://evil.example"),
            ("Access-Control-Allow-Credentials", "true"),
        ],
        expect: &[("live-cors-restricted", Some(false))],
        word: "echoes",
    },
];

/// The good headers with a case's headers replacing those of the same name;
/// an empty value removes the header.
fn with_case(case: &Case) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = GOOD_HEADERS
        .iter()
        .filter(|(name, _)| {
            !case
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
        })
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    headers.extend(
        case.headers
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    headers
}

#[test]
fn each_header_case_gets_its_verdict_from_a_live_server() {
    let Some(tls) = tls_config() else { return };
    for case in CASES {
        let https = TestServer::start(headers_app(with_case(case)), Some(Arc::clone(&tls)));
        let output = preflight()
            .args(["verify", &format!("https://127.0.0.1:{}", https.port())])
            .args(["--insecure", "--json", "--timeout", "5"])
            .output()
            .expect("runs");
        let json = json_of(&output);
        for (item, ok) in case.expect {
            let got = &check(&json, item)["ok"];
            let want = ok.map_or(serde_json::Value::Null, serde_json::Value::Bool);
            assert_eq!(*got, want, "{}: {item}: {json:#}", case.name);
        }
        let first = case.expect[0].0;
        let detail = check(&json, first)["detail"].as_str().expect("detail");
        assert!(
            detail.contains(case.word),
            "{}: {first}: {detail}",
            case.name
        );
    }
}

#[test]
fn an_http_https_http_chain_fails_the_redirect_check() {
    let Some(tls) = tls_config() else { return };
    let http_port = free_port();
    let https = TestServer::start(
        Box::new(move |req: &Req| {
            if req.path == "/" {
                let back = format!("http://127.0.0.1:{http_port}/app");
                response(302, &[("Location", &back)], "")
            } else {
                response(200, &GOOD_HEADERS, "{}")
            }
        }),
        Some(tls),
    );
    let secure_port = https.port();
    let http = TestServer::start_on(
        http_port,
        Box::new(move |req: &Req| {
            if req.path == "/" {
                let location = format!("https://127.0.0.1:{secure_port}/");
                response(301, &[("Location", &location)], "")
            } else {
                response(200, &[("Content-Type", "text/plain")], "plain")
            }
        }),
    );
    let output = preflight()
        .args(["verify", &format!("http://127.0.0.1:{}", http.port())])
        .args(["--insecure", "--json", "--timeout", "5"])
        .output()
        .expect("runs");
    let json = json_of(&output);
    let redirect = check(&json, "live-https-redirect");
    assert_eq!(redirect["ok"], false, "{json:#}");
    let detail = redirect["detail"].as_str().expect("detail");
    assert!(
        detail.contains(&format!(
            "302 http://127.0.0.1:{http_port}/app, back to plain HTTP"
        )),
        "{detail}"
    );
    assert_eq!(output.status.code(), Some(1), "critical failure: {json:#}");
}

#[test]
fn a_certificate_that_expires_in_ten_days_fails_and_is_recorded_with_its_date() {
    let Some(tls) = tls_config_for(10) else {
        return;
    };
    let https = TestServer::start(good_app("nginx"), Some(tls));
    let project = demo_project();
    let output = preflight()
        .args(["verify", &format!("https://127.0.0.1:{}", https.port())])
        .args(["--insecure", "--json", "--timeout", "5", "--project"])
        .arg(project.path())
        .output()
        .expect("runs");
    let json = json_of(&output);
    let cert = check(&json, "cert-expiry");
    assert_eq!(cert["ok"], false, "{json:#}");
    assert_eq!(cert["severity"], "high");
    let expiry = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * 10))
        .expect("date")
        .strftime("%Y-%m-%d")
        .to_string();
    let detail = cert["detail"].as_str().expect("detail");
    assert!(
        detail.contains(&format!("expires on {expiry}"))
            && (detail.contains("in 9 days") || detail.contains("in 10 days")),
        "{detail}"
    );
    assert!(detail.contains("issued by localhost"), "{detail}");
    assert_eq!(output.status.code(), Some(1), "a high failure");
    let status = status_json(project.path());
    assert_eq!(status_item(&status, "cert-expiry")["status"], "failing");
    let state =
        std::fs::read_to_string(project.path().join(".preflight/state.toml")).expect("state");
    assert!(state.contains("[expires]"), "{state}");
    assert!(
        state.contains(&format!("cert-expiry = \"{expiry}T")),
        "{state}"
    );
}

#[test]
fn the_wizards_verify_fills_phase_six_while_the_keys_stay_live() {
    // The health path answers after a pause, so verify is still running while keys are typed.
    let app = TestServer::start(
        Box::new(|req: &Req| {
            if req.path == "/health" {
                std::thread::sleep(Duration::from_millis(2500));
            }
            let status = if req.path == "/" || req.path == "/health" {
                200
            } else if req.path == "/api/orders" {
                401
            } else {
                404
            };
            response(
                status,
                &[
                    ("Server", "gunicorn/23.0.0"),
                    ("Content-Type", "application/json"),
                ],
                "{\"status\": \"ok\"}",
            )
        }),
        None,
    );
    let url = format!("http://127.0.0.1:{}", app.port());
    let project = demo_project();
    let tmp = tempfile::tempdir().expect("tmp");
    let path = project.path().to_string_lossy().into_owned();
    let mut session = crate::tui_e2e::Session::start(&["review", &path], tmp.path(), 120, 40);
    session.wait_for("Maintain");
    session.wait_for("re-checked:");
    session.send("v");
    session.wait_for("verify URL:");
    session.send(&format!("{url}\r"));
    // Then the path that must require auth, as `verify --protected` takes it.
    session.wait_for("a path that must require auth");
    session.send("/api/orders\r");
    session.wait_for("verifying http://127.0.0.1:");
    // The keys stay live: the filter opens and narrows the list while verify runs.
    session.send("/live-no-server\r");
    let screen = session.wait_for("1 item matches");
    assert!(
        !screen.contains("verified http://"),
        "verify was still running:\n{screen}"
    );
    session.send("\x1b");
    let screen = session.wait_for(&format!("verified {url}/: "));
    assert!(screen.contains("6 · Verify"), "phase 6 is shown:\n{screen}");
    assert!(
        // The row: status symbol, the review's mark column, then the id.
        screen
            .lines()
            .any(|line| line.contains("✘ ") && line.contains("live-https-redir")),
        "{screen}"
    );
    session.send("q");
    let (status, _) = session.wait_exit();
    assert!(status.success());
    let json = status_json(project.path());
    for (item, expected) in [
        ("live-https-redirect", "failing"),
        ("live-no-server-tokens", "failing"),
        ("live-health-ok", "done"),
        ("live-no-debug-leak", "done"),
        ("content-security-policy", "failing"),
    ] {
        assert_eq!(status_item(&json, item)["status"], expected, "{item}");
        assert_eq!(status_item(&json, item)["by"], "auto", "{item}");
    }
    assert_eq!(status_item(&json, "live-auth-enforced")["status"], "done");
}

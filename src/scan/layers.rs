//! The layers in front of the app that the project itself configures: its
//! Procfile, fly.toml, nginx.conf, Dockerfile and platform files. Django's own
//! check cannot see them; an HTTPS redirect or HSTS set at the proxy counts.

use super::walk::{FileKind, TextFile};

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// What the production web process serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedApp {
    /// `config.wsgi:application`.
    pub target: String,
    /// The server: `gunicorn`, `uvicorn`, `daphne`, `hypercorn`, `granian`, `waitress-serve`, `runserver`, `flask`.
    pub server: String,
    pub asgi: bool,
    pub place: Place,
}

/// A production app server that one of the project's start commands runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRun {
    /// `gunicorn`, `uvicorn`, `uwsgi`, `fastapi run`…
    pub server: String,
    /// The command as written (continuation lines joined).
    pub command: String,
    pub place: Place,
}

/// Where a start command sits: a platform's web process is how production
/// starts; a container's command is how the image starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartKind {
    /// A Procfile `web:` line, a platform start command, a fly process.
    Platform,
    /// A Dockerfile `CMD`/`ENTRYPOINT`, a production compose service, the scripts they run.
    Container,
    /// A systemd unit's `ExecStart=` or a supervisor program's `command=`.
    Unit,
}

/// Everything the proxy and platform layers say.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// The Procfile's `web:` line.
    pub procfile_web: Option<Place>,
    /// The Procfile's `release:` line (or fly's `release_command`).
    pub release: Option<(Place, String)>,
    /// What the web process runs, from the Procfile, Dockerfile or platform config.
    pub web_target: Option<ServedApp>,
    /// The web process command line, as written.
    pub web_command: Option<String>,
    /// TLS ends at a proxy in front of the app (nginx `ssl`, fly, Heroku, Render…).
    pub tls_proxy: Option<Place>,
    /// HTTP→HTTPS redirect at the proxy (`return 301 https://…`, fly `force_https`).
    pub https_redirect: Option<Place>,
    /// HSTS header set at the proxy, with its max-age.
    pub hsts: Option<(Place, i64)>,
    /// Rate limiting at the proxy (`limit_req`).
    pub rate_limit: Option<Place>,
    /// URL prefixes the proxy or platform serves from disk (an nginx `location`
    /// with `alias`/`root`, fly `[[statics]]`'s `url_prefix`), with where.
    pub static_locations: Vec<(String, Place)>,
    /// A platform health check path (fly `[[http_service.checks]]`).
    pub health_check: Option<(Place, String)>,
    /// DJANGO_SETTINGS_MODULE as the platform sets it.
    pub settings_module: Option<(Place, String)>,
    /// Whether a Procfile, fly.toml or other platform file exists at all.
    pub platform: Option<Place>,
    /// A Dockerfile's `CMD` or `ENTRYPOINT`, or a compose service running a
    /// production server: the container defines its own start command.
    pub container_start: Option<Place>,
    /// Where a container deployment applies migrations: a compose command, or a
    /// script that the Dockerfile or a compose service runs.
    pub container_release: Option<Place>,
    /// Every production server a start command runs (Procfile, platform files,
    /// Dockerfile and the scripts it runs, compose, systemd, supervisor).
    pub servers: Vec<ServerRun>,
    /// Development servers (`runserver`, `flask run`, `--reload`) that a
    /// production start command runs, with where.
    pub dev_servers: Vec<(StartKind, Place)>,
}

const SERVERS: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "daphne",
    "hypercorn",
    "granian",
    "waitress-serve",
    "uwsgi",
    "bjoern",
];

/// Reads every layer file.
pub fn read(files: &[TextFile]) -> Layers {
    let mut layers = Layers::default();
    for file in files {
        match file.kind {
            FileKind::Procfile if file.rel == "Procfile" => procfile(file, &mut layers),
            FileKind::FlyToml => fly(file, &mut layers),
            FileKind::Nginx => nginx(file, &mut layers),
            FileKind::Dockerfile => dockerfile(file, &mut layers),
            FileKind::Platform => platform(file, &mut layers),
            _ => {}
        }
    }
    container_scripts(files, &mut layers);
    start_commands(files, &mut layers);
    layers
}

/// Commands that only print, install or test: a server named in them is not run.
fn inert_segment(words: &[&str]) -> bool {
    words.first().is_some_and(|w| {
        matches!(
            *w,
            "echo"
                | "printf"
                | "#"
                | "pip"
                | "pip3"
                | "apt-get"
                | "apk"
                | "test"
                | "["
                | "if"
                | "which"
                | "command"
        )
    }) || words
        .iter()
        .any(|w| matches!(*w, "install" | "add" | "--check-config" | "--version"))
}

/// The production server a command line runs: `gunicorn -c deploy/gunicorn.py
/// config.wsgi`, `poetry run uvicorn app.main:app`, `uwsgi etc/uwsgi.ini`,
/// `fastapi run`. `None` for development servers (`--reload`, `fastapi dev`) and
/// for lines that only install or mention one.
pub fn production_server(command: &str) -> Option<String> {
    if command.contains("--reload") {
        return None;
    }
    for segment in command.split(['&', ';', '|']) {
        let words: Vec<&str> = segment
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']' | ','))
            .filter(|w| !w.is_empty())
            .collect();
        if inert_segment(&words) {
            continue;
        }
        if words.windows(2).any(|w| w[0] == "fastapi" && w[1] == "run") {
            return Some("fastapi run".to_owned());
        }
        if let Some(word) = words.iter().find(|w| {
            let base = w.rsplit('/').next().unwrap_or(w);
            SERVERS.contains(&base)
        }) {
            return Some(word.rsplit('/').next().unwrap_or(word).to_owned());
        }
    }
    None
}

/// Whether a command starts a development server.
fn dev_server(command: &str) -> bool {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| {
        (w[0].ends_with("manage.py") || w[0] == "manage") && w[1] == "runserver"
            || w[0] == "flask" && w[1] == "run"
            || w[0] == "fastapi" && w[1] == "dev"
    }) || (command.contains("--reload")
        && production_server(&command.replace("--reload", "")).is_some())
}

/// Logical lines: a line ending in `\` continues on the next one. Each comes
/// with its 1-based first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        let (body, continues) = match trimmed.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (trimmed, false),
        };
        match out.last_mut() {
            Some((_, joined)) if open => {
                joined.push(' ');
                joined.push_str(body.trim());
            }
            _ => out.push((index + 1, body.to_owned())),
        }
        open = continues;
    }
    out
}

/// Records what a start command runs.
fn record_start(layers: &mut Layers, kind: StartKind, command: &str, at: Place) {
    if let Some(server) = production_server(command) {
        layers.servers.push(ServerRun {
            server,
            command: command.trim().to_owned(),
            place: at,
        });
    } else if dev_server(command) {
        layers.dev_servers.push((kind, at));
    }
}

/// Every start command of the project and what it runs: the Procfile's web
/// process, platform start commands, Dockerfile `CMD`/`ENTRYPOINT` (and the
/// image it builds on), compose services, the scripts any of these run, and
/// systemd/supervisor units.
fn start_commands(files: &[TextFile], layers: &mut Layers) {
    let scripts: Vec<&TextFile> = files
        .iter()
        .filter(|f| f.kind == FileKind::Script)
        .collect();
    let mut commands: Vec<(StartKind, String, Place)> = Vec::new();
    for file in files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let compose = name.starts_with("docker-compose") || name.starts_with("compose.");
        match file.kind {
            FileKind::Procfile if file.rel.ends_with("Procfile") => {
                for (index, line) in file.text.lines().enumerate() {
                    if let Some(("web", command)) = line.split_once(':').map(|(p, c)| (p.trim(), c))
                    {
                        commands.push((
                            StartKind::Platform,
                            command.to_owned(),
                            place(file, index + 1),
                        ));
                    }
                }
            }
            FileKind::Dockerfile => dockerfile_starts(file, layers, &mut commands),
            FileKind::Platform => {
                for (index, line) in file.text.lines().enumerate() {
                    let trimmed = line.trim().trim_start_matches("- ");
                    let command = if compose {
                        start_command(trimmed, false)
                    } else {
                        platform_command(trimmed)
                    };
                    if let Some(command) = command {
                        let kind = if compose {
                            StartKind::Container
                        } else {
                            StartKind::Platform
                        };
                        // A compose service with a development server is the
                        // developer's, not production's.
                        if compose && dev_server(command) {
                            continue;
                        }
                        commands.push((kind, command.to_owned(), place(file, index + 1)));
                    }
                }
            }
            FileKind::FlyToml => {
                if let Ok(doc) = toml::from_str::<toml::Table>(&file.text) {
                    let processes = doc.get("processes").and_then(|p| p.as_table());
                    for (name, command) in processes.into_iter().flatten() {
                        if let Some(command) = command.as_str()
                            && (name == "app" || name == "web")
                        {
                            let at = place(file, line_of(&file.text, command));
                            commands.push((StartKind::Platform, command.to_owned(), at));
                        }
                    }
                }
            }
            FileKind::Service => {
                for (line, text) in logical_lines(&file.text) {
                    let trimmed = text.trim();
                    let command = trimmed
                        .strip_prefix("ExecStart=")
                        .or_else(|| trimmed.strip_prefix("command="))
                        .or_else(|| trimmed.strip_prefix("command ="));
                    if let Some(command) = command {
                        commands.push((StartKind::Unit, command.to_owned(), place(file, line)));
                    }
                    // `Environment=DJANGO_SETTINGS_MODULE=…`, supervisor's `environment=`.
                    if let Some(module) = settings_in(trimmed) {
                        layers
                            .settings_module
                            .get_or_insert((place(file, line), module));
                    }
                }
            }
            _ => {}
        }
    }
    for (kind, command, at) in commands {
        record_start(layers, kind, &command, at);
        for script in scripts.iter().filter(|s| runs_script(&command, &s.rel)) {
            for (line, text) in logical_lines(&script.text) {
                let text = text.trim();
                if text.starts_with('#') {
                    continue;
                }
                // `exec "$@"` hands over to the CMD, recorded on its own.
                record_start(layers, kind, text, place(script, line));
            }
        }
    }
}

/// A Dockerfile's start commands, continuation lines joined; an image built
/// on a gunicorn base (tiangolo/uvicorn-gunicorn-fastapi) starts gunicorn itself.
fn dockerfile_starts(
    file: &TextFile,
    layers: &mut Layers,
    commands: &mut Vec<(StartKind, String, Place)>,
) {
    for (line, text) in logical_lines(&file.text) {
        let trimmed = text.trim();
        let upper = trimmed.to_ascii_uppercase();
        if let Some(image) = upper.strip_prefix("FROM ")
            && image
                .split_whitespace()
                .next()
                .is_some_and(|i| i.contains("GUNICORN"))
        {
            let image = trimmed[5..].split_whitespace().next().unwrap_or("");
            layers.servers.push(ServerRun {
                server: "gunicorn".to_owned(),
                command: format!("FROM {image}"),
                place: place(file, line),
            });
        }
        if let Some(command) = start_command(trimmed, true) {
            commands.push((StartKind::Container, command.to_owned(), place(file, line)));
        }
    }
}

/// The command of a platform file's start key: render.yaml `startCommand:`,
/// railway.toml `startCommand =`, railway.json `"startCommand": "…"`,
/// app.yaml `entrypoint:`, heroku.yml `web:`.
fn platform_command(line: &str) -> Option<&str> {
    let line = line.trim().trim_end_matches(',');
    for key in ["startCommand", "entrypoint", "command", "web"] {
        for quoted in [false, true] {
            let rest = if quoted {
                line.strip_prefix('"')
                    .and_then(|l| l.strip_prefix(key))
                    .and_then(|l| l.strip_prefix('"'))
            } else {
                line.strip_prefix(key)
            };
            let Some(rest) = rest else { continue };
            let rest = rest.trim_start();
            let Some(value) = rest.strip_prefix([':', '=']) else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']);
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

/// Whether a command applies database migrations.
pub fn migrates(command: &str) -> bool {
    command.contains("migrate")
        || command.contains("alembic upgrade")
        || command.contains("db upgrade")
}

/// The start commands of a container deployment (Dockerfile `CMD`/`ENTRYPOINT`,
/// compose `command:`/`entrypoint:`) and the scripts they run: where they apply
/// migrations, and what the Dockerfile's script serves.
fn container_scripts(files: &[TextFile], layers: &mut Layers) {
    let scripts: Vec<&TextFile> = files
        .iter()
        .filter(|f| f.kind == FileKind::Script)
        .collect();
    for file in files {
        let dockerfile = file.kind == FileKind::Dockerfile;
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let compose = file.kind == FileKind::Platform
            && (name.starts_with("docker-compose") || name.starts_with("compose."));
        if !dockerfile && !compose {
            continue;
        }
        for (index, line) in file.text.lines().enumerate() {
            let Some(command) = start_command(line, dockerfile) else {
                continue;
            };
            if migrates(command) {
                layers
                    .container_release
                    .get_or_insert_with(|| place(file, index + 1));
            }
            for script in scripts.iter().filter(|s| runs_script(command, &s.rel)) {
                for (at, script_line) in script.text.lines().enumerate() {
                    let script_line = script_line.trim();
                    if script_line.starts_with('#') {
                        continue;
                    }
                    if migrates(script_line) {
                        layers
                            .container_release
                            .get_or_insert_with(|| place(script, at + 1));
                    }
                    if dockerfile
                        && let Some(served) = served_app(script_line, place(script, at + 1))
                    {
                        layers
                            .web_command
                            .get_or_insert_with(|| script_line.to_owned());
                        layers.web_target.get_or_insert(served);
                    }
                }
            }
        }
    }
}

/// The command of a Dockerfile `CMD`/`ENTRYPOINT` line or a compose
/// `command:`/`entrypoint:` line.
fn start_command(line: &str, dockerfile: bool) -> Option<&str> {
    let trimmed = line.trim();
    if dockerfile {
        let upper = trimmed.get(..10).unwrap_or(trimmed).to_ascii_uppercase();
        ["CMD", "ENTRYPOINT"]
            .iter()
            .find(|k| upper.starts_with(*k))
            .map(|k| &trimmed[k.len()..])
    } else {
        let trimmed = trimmed.trim_start_matches("- ");
        ["command:", "entrypoint:"]
            .iter()
            .find_map(|k| trimmed.strip_prefix(k))
    }
}

/// Whether a command runs the script at `rel` (matched by file name:
/// `CMD ["/start"]` runs `compose/production/django/start`).
fn runs_script(command: &str, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']' | ',' | ';' | '&'))
        .any(|word| word.rsplit('/').next() == Some(name))
}

fn place(file: &TextFile, line: usize) -> Place {
    Place {
        file: file.rel.clone(),
        line,
    }
}

/// Finds what a command line serves: `gunicorn config.wsgi:application -k uvicorn.workers.UvicornWorker`.
pub fn served_app(command: &str, at: Place) -> Option<ServedApp> {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .windows(2)
        .any(|w| w[0].ends_with("manage.py") && w[1] == "runserver")
    {
        return Some(ServedApp {
            target: String::new(),
            server: "runserver".into(),
            asgi: false,
            place: at,
        });
    }
    if words.windows(2).any(|w| w[0] == "flask" && w[1] == "run") {
        return Some(ServedApp {
            target: String::new(),
            server: "flask".into(),
            asgi: false,
            place: at,
        });
    }
    let start = words.iter().position(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        SERVERS.contains(&base)
    })?;
    let server = words[start]
        .rsplit('/')
        .next()
        .unwrap_or(words[start])
        .to_owned();
    let mut skip_next = false;
    let mut target = None;
    for word in &words[start + 1..] {
        if skip_next {
            skip_next = false;
            continue;
        }
        if word.starts_with('-') {
            // Options that take a separate value.
            skip_next = !word.contains('=')
                && matches!(
                    *word,
                    "-b" | "--bind"
                        | "-w"
                        | "--workers"
                        | "-k"
                        | "--worker-class"
                        | "-c"
                        | "--config"
                        | "--host"
                        | "--port"
                        | "-t"
                        | "--timeout"
                        | "--chdir"
                        | "--log-level"
                        | "--threads"
                        | "--env"
                        | "-e"
                        | "--max-requests"
                );
            continue;
        }
        if word.contains(':') && !word.contains('$') && !word.contains('/') {
            target = Some((*word).to_owned());
            break;
        }
    }
    let asgi = server != "gunicorn" && server != "waitress-serve" && server != "uwsgi"
        || command.contains("UvicornWorker")
        || command.contains("uvicorn_worker");
    Some(ServedApp {
        target: target?,
        server,
        asgi,
        place: at,
    })
}

/// `DJANGO_SETTINGS_MODULE=x` or `--settings=x` in a command or env block.
fn settings_in(text: &str) -> Option<String> {
    for marker in [
        "DJANGO_SETTINGS_MODULE=",
        "DJANGO_SETTINGS_MODULE:",
        "DJANGO_SETTINGS_MODULE ",
        "--settings=",
    ] {
        if let Some((_, rest)) = text.split_once(marker) {
            let value: String = rest
                .trim_start_matches([' ', '"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

/// DJANGO_SETTINGS_MODULE as a key/value pair over two lines, the way
/// render.yaml (`- key: …` / `value: …`) and app.yaml or Kubernetes-style
/// manifests (`- name: …` / `value: …`) set variables.
fn keyed_settings(line: &str, next: &str) -> Option<String> {
    let key = line.trim().trim_start_matches("- ");
    let named = ["key:", "name:"].iter().any(|k| {
        key.strip_prefix(k)
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == "DJANGO_SETTINGS_MODULE")
    });
    if !named {
        return None;
    }
    let value = next.trim().strip_prefix("value:")?;
    let module: String = value
        .trim_start_matches([' ', '"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
        .collect();
    (!module.is_empty()).then_some(module)
}

fn procfile(file: &TextFile, layers: &mut Layers) {
    layers.platform.get_or_insert_with(|| place(file, 1));
    // Heroku-style routers terminate TLS in front of the dyno.
    layers.tls_proxy.get_or_insert_with(|| place(file, 1));
    for (index, line) in file.text.lines().enumerate() {
        let Some((process, command)) = line.split_once(':') else {
            continue;
        };
        let at = place(file, index + 1);
        match process.trim() {
            "web" => {
                layers.procfile_web = Some(at.clone());
                layers.web_command = Some(command.trim().to_owned());
                if let Some(served) = served_app(command, at.clone()) {
                    layers.web_target = Some(served);
                }
                if let Some(module) = settings_in(command) {
                    layers.settings_module = Some((at, module));
                }
            }
            "release" => layers.release = Some((at, command.trim().to_owned())),
            _ => {}
        }
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

fn fly(file: &TextFile, layers: &mut Layers) {
    layers.platform.get_or_insert_with(|| place(file, 1));
    let Ok(doc) = toml::from_str::<toml::Table>(&file.text) else {
        return;
    };
    layers.tls_proxy.get_or_insert_with(|| place(file, 1));
    let text = &file.text;
    if text.lines().any(|l| {
        let l = l.replace(' ', "");
        l.starts_with("force_https=true")
    }) {
        layers.https_redirect = Some(place(file, line_of(text, "force_https")));
    }
    if let Some(module) = doc
        .get("env")
        .and_then(|e| e.get("DJANGO_SETTINGS_MODULE"))
        .and_then(|v| v.as_str())
    {
        layers.settings_module = Some((
            place(file, line_of(text, "DJANGO_SETTINGS_MODULE")),
            module.to_owned(),
        ));
    }
    if let Some(command) = doc
        .get("deploy")
        .and_then(|d| d.get("release_command"))
        .and_then(|v| v.as_str())
    {
        layers.release = Some((
            place(file, line_of(text, "release_command")),
            command.to_owned(),
        ));
    }
    let check_path = text.lines().enumerate().find_map(|(i, l)| {
        let (key, value) = l.split_once('=')?;
        (key.trim() == "path").then(|| (i + 1, value.trim().trim_matches(['"', '\'']).to_owned()))
    });
    if let Some((line, path)) = check_path {
        layers.health_check = Some((place(file, line), path));
    }
    if let Some(processes) = doc.get("processes").and_then(|p| p.as_table()) {
        for (name, command) in processes {
            if let Some(command) = command.as_str()
                && (name == "app" || name == "web")
            {
                layers.web_command.get_or_insert_with(|| command.to_owned());
                if let Some(served) = served_app(command, place(file, line_of(text, command))) {
                    layers.web_target.get_or_insert(served);
                }
            }
        }
    }
    if let Some(statics) = doc.get("statics").and_then(|s| s.as_array()) {
        for entry in statics {
            if let Some(prefix) = entry.get("url_prefix").and_then(|v| v.as_str()) {
                let at = place(file, line_of(text, "url_prefix"));
                layers.static_locations.push((prefix.to_owned(), at));
            }
        }
    }
}

/// An open nginx block: a `location` (its URL prefix, where, whether it serves
/// files from disk, whether it hands requests on) or any other block.
struct NginxBlock {
    location: Option<(String, Place)>,
    serves_files: bool,
    passes: bool,
}

fn nginx(file: &TextFile, layers: &mut Layers) {
    let mut blocks: Vec<NginxBlock> = Vec::new();
    for (index, raw) in file.text.lines().enumerate() {
        let code = raw.split('#').next().unwrap_or("");
        let mut rest = code;
        while !rest.is_empty() {
            let end = rest.find([';', '{', '}']).unwrap_or(rest.len());
            let directive = rest[..end].trim();
            let separator = rest[end..].chars().next();
            rest = rest.get(end + 1..).unwrap_or("");
            nginx_directive(file, index + 1, directive, layers);
            let first = directive.split_whitespace().next().unwrap_or("");
            if let Some(block) = blocks.last_mut() {
                if matches!(first, "alias" | "root") {
                    block.serves_files = true;
                }
                if first.ends_with("_pass") || first == "return" {
                    block.passes = true;
                }
            }
            match separator {
                Some('{') => blocks.push(NginxBlock {
                    location: (first == "location")
                        .then(|| location_prefix(directive))
                        .flatten()
                        .map(|prefix| (prefix, place(file, index + 1))),
                    serves_files: false,
                    passes: false,
                }),
                Some('}') => {
                    if let Some(NginxBlock {
                        location: Some((prefix, at)),
                        serves_files,
                        passes,
                    }) = blocks.pop()
                        && (serves_files || (!passes && prefix != "/"))
                    {
                        layers.static_locations.push((prefix, at));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The URL prefix of `location [=|^~] /prefix/`; `None` for regex locations
/// and named ones (`@app`).
fn location_prefix(directive: &str) -> Option<String> {
    let words: Vec<&str> = directive.split_whitespace().skip(1).collect();
    match words.as_slice() {
        [prefix] | ["=" | "^~", prefix] if prefix.starts_with('/') => Some((*prefix).to_owned()),
        _ => None,
    }
}

/// Whether a location prefix serves `url` (`/assets` serves `/assets/`, `/assets/css/`).
pub fn prefix_serves(prefix: &str, url: &str) -> bool {
    let prefix = prefix.trim_matches('/');
    let url = url.trim_matches('/');
    !prefix.is_empty() && (url == prefix || url.starts_with(&format!("{prefix}/")))
}

fn nginx_directive(file: &TextFile, line_number: usize, line: &str, layers: &mut Layers) {
    {
        let at = || place(file, line_number);
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("listen") if words.contains(&"ssl") || words.contains(&"quic") => {
                layers.tls_proxy.get_or_insert_with(at);
            }
            Some("ssl_certificate") => {
                layers.tls_proxy.get_or_insert_with(at);
            }
            Some("return")
                if words.len() >= 3
                    && matches!(words[1], "301" | "302" | "307" | "308")
                    && words[2].starts_with("https://") =>
            {
                layers.https_redirect.get_or_insert_with(at);
            }
            Some("rewrite") if line.contains("https://") => {
                layers.https_redirect.get_or_insert_with(at);
            }
            Some("add_header")
                if words
                    .get(1)
                    .is_some_and(|h| h.eq_ignore_ascii_case("Strict-Transport-Security")) =>
            {
                let max_age = line
                    .split("max-age=")
                    .nth(1)
                    .map(|r| {
                        r.chars()
                            .take_while(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0);
                layers.hsts.get_or_insert_with(|| (at(), max_age));
            }
            Some("limit_req") => {
                layers.rate_limit.get_or_insert_with(at);
            }
            _ => {}
        }
    }
}

fn dockerfile(file: &TextFile, layers: &mut Layers) {
    for (index, line) in file.text.lines().enumerate() {
        let trimmed = line.trim();
        let upper = trimmed.to_ascii_uppercase();
        let at = place(file, index + 1);
        if upper.starts_with("ENV ")
            && let Some(module) = settings_in(trimmed)
        {
            layers.settings_module.get_or_insert((at.clone(), module));
        }
        let starts = upper.starts_with("CMD ")
            || upper.starts_with("CMD[")
            || upper.starts_with("ENTRYPOINT ")
            || upper.starts_with("ENTRYPOINT[");
        if starts {
            layers.container_start.get_or_insert_with(|| at.clone());
        }
        if starts && let Some(served) = served_app(trimmed, at) {
            layers.web_command.get_or_insert_with(|| trimmed.to_owned());
            layers.web_target.get_or_insert(served);
        }
    }
}

fn platform(file: &TextFile, layers: &mut Layers) {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let is_compose = name.starts_with("docker-compose") || name.starts_with("compose.");
    if !is_compose {
        layers.platform.get_or_insert_with(|| place(file, 1));
        layers.tls_proxy.get_or_insert_with(|| place(file, 1));
    }
    let lines: Vec<&str> = file.text.lines().collect();
    let compose_serves = is_compose
        && lines.iter().any(|l| {
            start_command(l.trim().trim_start_matches("- "), false)
                .is_some_and(|c| production_server(c).is_some())
        });
    for (index, line) in lines.iter().copied().enumerate() {
        let module = settings_in(line).or_else(|| {
            lines
                .get(index + 1)
                .and_then(|next| keyed_settings(line, next))
        });
        // A compose file declares production's settings only when it runs a
        // production server (the developer's compose runs runserver).
        if let Some(module) = module
            && (!is_compose || compose_serves)
        {
            layers
                .settings_module
                .get_or_insert((place(file, index + 1), module));
        }
        let trimmed = line.trim().trim_start_matches("- ");
        for key in ["startCommand:", "entrypoint:", "command:", "startCommand ="] {
            let Some(command) = trimmed.strip_prefix(key) else {
                continue;
            };
            // A compose service that runs a production server is how the app is
            // started on its host; a dev compose (runserver, --reload) is not.
            if is_compose
                && served_app(command, place(file, index + 1)).is_some_and(|s| {
                    !matches!(s.server.as_str(), "runserver" | "flask")
                        && !command.contains("--reload")
                })
            {
                layers
                    .container_start
                    .get_or_insert_with(|| place(file, index + 1));
            }
            if !is_compose && let Some(served) = served_app(command, place(file, index + 1)) {
                layers
                    .web_command
                    .get_or_insert_with(|| command.trim().to_owned());
                layers.web_target.get_or_insert(served);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> TextFile {
        TextFile {
            rel: rel.into(),
            kind: super::super::walk::classify(rel).unwrap(),
            text: text.into(),
        }
    }

    #[test]
    fn procfile_web_and_release() {
        let layers = read(&[file(
            "Procfile",
            "release: python manage.py migrate --noinput\nweb: gunicorn config.wsgi:application --config gunicorn.conf.py\n",
        )]);
        let served = layers.web_target.unwrap();
        assert_eq!(served.target, "config.wsgi:application");
        assert!(!served.asgi);
        assert_eq!(layers.release.unwrap().0.line, 1);
        assert!(layers.tls_proxy.is_some());
    }

    #[test]
    fn gunicorn_with_uvicorn_workers_is_asgi() {
        let served = served_app(
            "gunicorn -w 4 -k uvicorn.workers.UvicornWorker app.main:app",
            Place {
                file: "Procfile".into(),
                line: 1,
            },
        )
        .unwrap();
        assert_eq!(served.target, "app.main:app");
        assert!(served.asgi);
    }

    #[test]
    fn nginx_redirect_hsts_and_limits() {
        let layers = read(&[file(
            "deploy/nginx.conf",
            "server {\n  listen 80;\n  return 301 https://$host$request_uri;\n}\nserver {\n  listen 443 ssl http2;\n  add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n  location /static/ { alias /app/staticfiles/; }\n  location /api/ { limit_req zone=api burst=20; }\n  # limit_req zone=commented;\n}\n",
        )]);
        assert_eq!(layers.https_redirect.unwrap().line, 3);
        assert_eq!(layers.hsts.unwrap().1, 63_072_000);
        assert_eq!(layers.tls_proxy.unwrap().line, 6);
        assert_eq!(
            layers.static_locations[0],
            (
                "/static/".to_owned(),
                Place {
                    file: "deploy/nginx.conf".into(),
                    line: 8,
                }
            )
        );
        assert_eq!(layers.rate_limit.unwrap().line, 9);
    }

    #[test]
    fn nginx_static_locations_are_the_ones_serving_files() {
        let layers = read(&[file(
            "deploy/nginx.conf",
            "server {\n  root /srv/www;\n  location ^~ /assets/ {\n    alias /srv/collected/;\n  }\n  location /static/ { proxy_pass http://frontend; }\n  location ~ ^/media/ { root /srv; }\n  location / { proxy_pass http://app; }\n  location = /robots.txt { expires 1d; }\n}\n",
        )]);
        let prefixes: Vec<&str> = layers
            .static_locations
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(prefixes, ["/assets/", "/robots.txt"]);
        assert_eq!(layers.static_locations[0].1.line, 3);
        assert!(prefix_serves("/assets", "/assets/"));
        assert!(prefix_serves("/assets/", "assets/"));
        assert!(!prefix_serves("/assets/", "/assetsx/"));
        assert!(!prefix_serves("/static/", "/assets/"));
    }

    #[test]
    fn fly_statics_url_prefix_is_a_static_location() {
        let layers = read(&[file(
            "fly.toml",
            "app = \"shop\"\n\n[[statics]]\n  guest_path = \"/app/collected\"\n  url_prefix = \"/assets/\"\n",
        )]);
        assert_eq!(
            layers.static_locations,
            vec![(
                "/assets/".to_owned(),
                Place {
                    file: "fly.toml".into(),
                    line: 5,
                }
            )]
        );
    }

    #[test]
    fn fly_force_https_env_and_checks() {
        let layers = read(&[file(
            "fly.toml",
            "app = 'x'\n[env]\n  DJANGO_SETTINGS_MODULE = 'config.settings.production'\n[deploy]\n  release_command = 'python manage.py migrate'\n[http_service]\n  internal_port = 8000\n  force_https = true\n  [[http_service.checks]]\n    path = '/healthz'\n",
        )]);
        assert_eq!(layers.https_redirect.unwrap().line, 8);
        assert_eq!(
            layers.settings_module.unwrap().1,
            "config.settings.production"
        );
        assert_eq!(layers.health_check.unwrap().1, "/healthz");
        assert!(layers.release.is_some());
    }

    #[test]
    fn production_servers_wherever_they_start() {
        let layers = read(&[
            file(
                "railway.json",
                "{\n  \"deploy\": {\n    \"startCommand\": \"python manage.py migrate && gunicorn mysite.wsgi\"\n  }\n}\n",
            ),
            file(
                "deploy/supervisor/api.conf",
                "[program:api]\ncommand=/srv/venv/bin/uvicorn app.main:app --workers 2\n",
            ),
            file(
                "Dockerfile",
                "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.10\nCOPY . /app\n",
            ),
            file(
                "docker-compose.yml",
                "services:\n  web:\n    command: python manage.py runserver 0.0.0.0:8000\n",
            ),
        ]);
        let servers: Vec<(&str, &str, usize)> = layers
            .servers
            .iter()
            .map(|r| (r.server.as_str(), r.place.file.as_str(), r.place.line))
            .collect();
        assert!(
            servers.contains(&("gunicorn", "railway.json", 3)),
            "{servers:?}"
        );
        assert!(
            servers.contains(&("uvicorn", "deploy/supervisor/api.conf", 2)),
            "{servers:?}"
        );
        assert!(
            servers.contains(&("gunicorn", "Dockerfile", 1)),
            "{servers:?}"
        );
        // A development compose service is not production's start command.
        assert!(layers.dev_servers.is_empty());
    }

    #[test]
    fn a_server_that_is_only_installed_or_reloading_is_not_running() {
        assert_eq!(production_server("pip install gunicorn uvicorn"), None);
        assert_eq!(production_server("uvicorn app.main:app --reload"), None);
        assert_eq!(production_server("echo starting gunicorn"), None);
        assert_eq!(
            production_server(
                "poetry run alembic upgrade head && poetry run uvicorn --host=0.0.0.0 app.main:app"
            )
            .as_deref(),
            Some("uvicorn")
        );
        assert_eq!(
            production_server("fastapi run --workers 4 app/main.py").as_deref(),
            Some("fastapi run")
        );
        assert!(dev_server("./manage.py runserver 0.0.0.0:8000"));
        assert!(dev_server("python -m manage runserver"));
        assert!(dev_server("uvicorn app.main:app --reload"));
        let lines = logical_lines(
            "CMD poetry run alembic upgrade head && \\\n    poetry run uvicorn app.main:app\nEXPOSE 80\n",
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, 1);
        assert!(lines[0].1.contains("uvicorn"));
    }
}

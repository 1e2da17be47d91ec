//! The HTTP side of `verify`: one request out, one bounded reply back.
//!
//! The checks talk to a [`Fetch`], so unit tests can hand them canned replies
//! and the real client ([`UreqFetch`]) stays a few lines of configuration.

use std::fmt;
use std::io::Read;
use std::time::Duration;

use super::cert::{self, CertInfo};

/// The most of a body the checks read: debug pages give themselves away early,
/// and a huge or endless body must not exhaust memory.
pub const BODY_LIMIT: u64 = 256 * 1024;

/// The request methods the checks use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Options,
}

impl Method {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Options => "OPTIONS",
        }
    }
}

/// One request a check sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Extra headers, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A GET of `url`.
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
        }
    }

    /// An OPTIONS request for `url`.
    pub fn options(url: impl Into<String>) -> Self {
        Self {
            method: Method::Options,
            ..Self::get(url)
        }
    }

    /// The request with one more header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A response as the checks see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// Header names in lowercase, in the order received; a repeated header
    /// (`Set-Cookie`) stays as separate entries.
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced), at most [`BODY_LIMIT`] bytes.
    pub body: String,
}

impl Reply {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, by case-insensitive name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is a redirect (3xx).
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }

    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a request got no reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The host name does not resolve.
    Dns,
    /// Nothing listens on the port.
    Refused,
    /// No answer in time.
    Timeout,
    /// The TLS handshake failed: an untrusted, expired or mismatched certificate.
    Tls,
    /// Anything else (a reset connection, a malformed response).
    Other,
}

/// A request that got no reply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

impl Failure {
    /// A failure of `kind` with `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Sends one request and returns the reply, following no redirect.
pub trait Fetch {
    /// Sends `request`; a 4xx or 5xx is a reply, not a failure.
    fn fetch(&self, request: &Request) -> Result<Reply, Failure>;

    /// The certificate served on `host:port`, or why it cannot be read;
    /// `None` when this client does not look (canned replies in tests).
    fn certificate(&self, host: &str, port: u16) -> Option<Result<CertInfo, String>> {
        let _ = (host, port);
        None
    }
}

/// The real client: ureq with rustls and bundled Mozilla roots.
#[derive(Debug)]
pub struct UreqFetch {
    agent: ureq::Agent,
    timeout: Duration,
}

impl UreqFetch {
    /// A client whose every request ends within `timeout`; with `insecure`
    /// it accepts any certificate (a self-signed one on staging).
    pub fn new(timeout: Duration, insecure: bool) -> Self {
        let tls = ureq::tls::TlsConfig::builder()
            .disable_verification(insecure)
            .build();
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .tls_config(tls)
            .user_agent(format!("preflight/{} (verify)", env!("CARGO_PKG_VERSION")))
            // Each probe stands alone; a pooled connection would hide nothing
            // but keeps sockets open between unrelated checks.
            .max_idle_connections(0)
            .build();
        Self {
            agent: ureq::Agent::new_with_config(config),
            timeout,
        }
    }
}

impl Fetch for UreqFetch {
    fn fetch(&self, request: &Request) -> Result<Reply, Failure> {
        let mut builder = match request.method {
            Method::Get => self.agent.get(&request.url),
            Method::Options => self.agent.options(&request.url),
        };
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut response = builder.call().map_err(|err| {
            let failure = failure_of(&err);
            if failure.kind == FailureKind::Timeout {
                Failure::new(
                    FailureKind::Timeout,
                    format!("no answer within {} s", self.timeout.as_secs()),
                )
            } else {
                failure
            }
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut bytes = Vec::new();
        // A body cut short (a reset, the time limit) still tells what it showed so far.
        let _ = response
            .body_mut()
            .as_reader()
            .take(BODY_LIMIT)
            .read_to_end(&mut bytes);
        Ok(Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    fn certificate(&self, host: &str, port: u16) -> Option<Result<CertInfo, String>> {
        Some(cert::inspect(host, port, self.timeout))
    }
}

/// Sorts a ureq error into what the user can do about it.
fn failure_of(err: &ureq::Error) -> Failure {
    let message = err.to_string();
    let kind = match err {
        ureq::Error::HostNotFound => FailureKind::Dns,
        ureq::Error::Timeout(_) => FailureKind::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => FailureKind::Tls,
        _ if looks_like_dns(&message) => FailureKind::Dns,
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => FailureKind::Refused,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => FailureKind::Timeout,
            _ if looks_like_tls(&message) => FailureKind::Tls,
            _ => FailureKind::Other,
        },
        _ if looks_like_tls(&message) => FailureKind::Tls,
        _ => FailureKind::Other,
    };
    Failure::new(kind, message.trim_start_matches("io: ").to_owned())
}

/// rustls reports a bad certificate (or plain HTTP on a TLS port) inside an
/// I/O error; its text says so.
fn looks_like_tls(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    ["certificate", "handshake", "tls", "ssl", "corrupt message"]
        .iter()
        .any(|word| lower.contains(word))
}

/// The resolver's failure comes back as an I/O error too.
fn looks_like_dns(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    [
        "lookup address",
        "name or service not known",
        "nodename nor servname",
        "no such host",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_is_case_insensitive_and_keeps_repeats() {
        let reply = Reply {
            status: 200,
            headers: vec![
                ("set-cookie".into(), "a=1".into()),
                ("server".into(), "nginx".into()),
                ("set-cookie".into(), "b=2".into()),
            ],
            body: String::new(),
        };
        assert_eq!(reply.header("Server"), Some("nginx"));
        assert_eq!(reply.all("Set-Cookie").collect::<Vec<_>>(), ["a=1", "b=2"]);
        assert_eq!(reply.header("x-powered-by"), None);
    }

    #[test]
    fn certificate_errors_are_tls_failures() {
        assert!(looks_like_tls("invalid peer certificate: UnknownIssuer"));
        assert!(!looks_like_tls("connection reset by peer"));
        assert!(looks_like_tls(
            "received corrupt message of type InvalidContentType"
        ));
        assert!(looks_like_dns(
            "failed to lookup address information: Name or service not known"
        ));
    }
}

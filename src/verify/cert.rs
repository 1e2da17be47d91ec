//! The certificate a deployment serves, read from a TLS handshake of our own.
//!
//! ureq hides the peer's chain, so `verify` connects once more with rustls,
//! records whether the chain verifies against the Mozilla roots (without
//! refusing it: an expired certificate is what `cert-expiry` is about), reads
//! `peer_certificates()`, and parses the leaf with `x509-parser`. No request
//! is sent over the connection.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// Fewer days left than this fails `cert-expiry` (the checklist's bar).
pub const MIN_DAYS_LEFT: i64 = 30;

/// What the served certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// When the leaf certificate expires.
    pub not_after: jiff::Timestamp,
    /// The issuer, as its organisation and common name (`Let's Encrypt R11`).
    pub issuer: String,
    /// Whether the leaf names the host (a SAN entry, wildcards as browsers read them).
    pub name_matches: bool,
    /// Why the chain does not verify for the host, if it does not.
    pub invalid: Option<String>,
}

impl CertInfo {
    /// Whole days from `now` until expiry (negative once expired).
    pub fn days_left(&self, now: jiff::Timestamp) -> i64 {
        self.not_after.as_second().saturating_sub(now.as_second()) / 86_400
    }

    /// The expiry date, `2027-03-01`.
    pub fn expiry_date(&self) -> String {
        self.not_after.strftime("%Y-%m-%d").to_string()
    }
}

/// A verifier that records the real verifier's verdict and lets the
/// handshake finish either way, so an invalid certificate can still be read.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    verdict: Mutex<Option<Result<(), String>>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ())
            .map_err(|err| err.to_string());
        if let Ok(mut slot) = self.verdict.lock() {
            *slot = Some(verdict);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Connects to `host:port`, completes a TLS handshake and reads the served
/// certificate. `host` is as in a URL (an IPv6 address in brackets).
pub fn inspect(host: &str, port: u16, timeout: Duration) -> Result<CertInfo, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let server_name =
        ServerName::try_from(bare.to_owned()).map_err(|_| format!("`{host}` is no host name"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = Arc::new(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    });
    let inner = WebPkiServerVerifier::builder_with_provider(roots, Arc::clone(&provider))
        .build()
        .map_err(|err| err.to_string())?;
    let recording = Arc::new(Recording {
        inner,
        verdict: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| err.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&recording) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), server_name.clone())
        .map_err(|err| err.to_string())?;

    let addr = (bare, port)
        .to_socket_addrs()
        .map_err(|err| format!("cannot resolve {host}: {err}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}"))?;
    let mut tcp = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|err| format!("cannot connect to {host}:{port}: {err}"))?;
    tcp.set_read_timeout(Some(timeout))
        .and_then(|()| tcp.set_write_timeout(Some(timeout)))
        .map_err(|err| err.to_string())?;
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp)
            .map_err(|err| format!("TLS handshake with {host}:{port} failed: {err}"))?;
    }
    let chain = conn
        .peer_certificates()
        .ok_or_else(|| format!("{host}:{port} sent no certificate"))?;
    let leaf = chain
        .first()
        .ok_or_else(|| format!("{host}:{port} sent an empty certificate chain"))?;
    let mut info = parse_leaf(leaf.as_ref())?;
    info.name_matches = rustls::server::ParsedCertificate::try_from(leaf)
        .is_ok_and(|parsed| rustls::client::verify_server_name(&parsed, &server_name).is_ok());
    info.invalid = recording
        .verdict
        .lock()
        .ok()
        .and_then(|v| v.clone())
        .unwrap_or_else(|| Err("the certificate was never checked".to_owned()))
        .err();
    conn.send_close_notify();
    let _ = conn.write_tls(&mut tcp);
    let _ = tcp.flush();
    Ok(info)
}

/// The expiry and issuer of a DER certificate; the name is checked elsewhere.
pub fn parse_leaf(der: &[u8]) -> Result<CertInfo, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|err| format!("the certificate cannot be parsed: {err}"))?;
    let not_after = jiff::Timestamp::from_second(cert.validity().not_after.timestamp())
        .map_err(|err| format!("the certificate's expiry is out of range: {err}"))?;
    let issuer = cert.issuer();
    let parts: Vec<&str> = issuer
        .iter_organization()
        .chain(issuer.iter_common_name())
        .filter_map(|attr| attr.as_str().ok())
        .collect();
    let mut issuer_name = parts.join(" ");
    if issuer_name.is_empty() {
        issuer_name = issuer.to_string();
    }
    Ok(CertInfo {
        not_after,
        issuer: issuer_name,
        name_matches: false,
        invalid: None,
    })
}

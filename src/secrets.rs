//! Secrets: the kinds a deployment needs, drawn from the operating system's
//! CSPRNG, and the inventory of which ones a project needs.
//!
//! Every kind uses only characters that mean nothing to python-dotenv,
//! django-environ, docker `--env-file`, Compose or a POSIX shell, so a value
//! can be written unquoted anywhere.

mod inventory;

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use rand::TryRng;
use rand::rngs::SysRng;

pub use inventory::{SecretSpec, inventory};
pub(crate) use inventory::{choose_name, read_names, uses};

/// Letters, digits, `_` and `-`: 64 symbols, so six random bits pick one without bias.
const URLSAFE_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// Letters and digits: nothing a URL parser or a shell treats specially.
const ALNUM_ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The default prefix of an API key, so one found in a log is recognisable.
pub const API_KEY_PREFIX: &str = "api-key-";

/// A kind of secret, each with an exact format (see `preflight secret --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKind {
    /// A Django `SECRET_KEY`: 50 chars from `[A-Za-z0-9_-]`.
    Django,
    /// 64 hex chars (32 bytes).
    Hex,
    /// 43 chars: URL-safe base64 of 32 bytes without padding.
    Urlsafe,
    /// `api-key-` (or a chosen prefix) and 43 URL-safe chars.
    ApiKey,
    /// A Fernet key: URL-safe base64 of 32 bytes with `=` padding (44 chars).
    Fernet,
    /// An HMAC key for HS256 JWTs: 64 hex chars (256 bits, RFC 7518 §3.2).
    Jwt,
    /// A database password: 32 chars from `[A-Za-z0-9]`.
    Password,
}

impl SecretKind {
    /// Every kind, in the order help texts list them.
    pub const ALL: [SecretKind; 7] = [
        Self::Django,
        Self::Hex,
        Self::Urlsafe,
        Self::ApiKey,
        Self::Fernet,
        Self::Jwt,
        Self::Password,
    ];

    /// The name used on the command line and in the state file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Django => "django",
            Self::Hex => "hex",
            Self::Urlsafe => "urlsafe",
            Self::ApiKey => "api-key",
            Self::Fernet => "fernet",
            Self::Jwt => "jwt",
            Self::Password => "password",
        }
    }

    /// The exact output format, for help texts.
    pub fn format(self) -> &'static str {
        match self {
            Self::Django => "50 chars from [A-Za-z0-9_-] (300 bits; passes Django's W009)",
            Self::Hex => "64 hex chars (32 bytes)",
            Self::Urlsafe => "43 chars, URL-safe base64 of 32 bytes, no padding",
            Self::ApiKey => "api-key- (or --prefix) + 43 URL-safe chars",
            Self::Fernet => "44 chars, URL-safe base64 of 32 bytes with = padding",
            Self::Jwt => "64 hex chars (256 bits, RFC 7518 §3.2)",
            Self::Password => "32 chars [A-Za-z0-9] (safe inside a database URL)",
        }
    }

    /// Whether a prefix can go in front without breaking the format.
    ///
    /// A Fernet key must decode to exactly 32 bytes, so it takes none.
    pub fn takes_prefix(self) -> bool {
        self != Self::Fernet
    }

    /// All kind names, comma-separated, for error messages.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret kind name that is not one of [`SecretKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown secret kind `{0}`")]
pub struct UnknownKind(pub String);

impl FromStr for SecretKind {
    type Err = UnknownKind;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let normalised = name.trim().to_ascii_lowercase().replace('_', "-");
        let alias = match normalised.as_str() {
            "apikey" | "api" => "api-key",
            "urlsafe-base64" | "url-safe" => "urlsafe",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == alias)
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

/// A fresh secret of `kind` from the operating system's CSPRNG.
///
/// `prefix` goes in front (an API key's default is `api-key-`); a Fernet key
/// takes no prefix, since it must stay a valid key, so it is ignored there.
///
/// # Panics
/// When the operating system cannot provide randomness at all, which leaves
/// no safe way to continue.
pub fn generate(kind: SecretKind, prefix: Option<&str>) -> String {
    generate_with(kind, prefix, &mut os_random_bytes)
}

/// Fills `buf` from the OS CSPRNG.
fn os_random_bytes(buf: &mut [u8]) {
    if let Err(err) = SysRng.try_fill_bytes(buf) {
        // No entropy means no secret can be made; refusing is the only safe answer.
        panic!("the operating system's random number generator failed: {err}");
    }
}

/// [`generate`] with the byte source passed in, so tests can check the encoding.
fn generate_with(
    kind: SecretKind,
    prefix: Option<&str>,
    fill: &mut dyn FnMut(&mut [u8]),
) -> String {
    let body = match kind {
        SecretKind::Django => pick(URLSAFE_ALPHABET, 50, fill),
        SecretKind::Hex | SecretKind::Jwt => hex(&bytes::<32>(fill)),
        SecretKind::Urlsafe | SecretKind::ApiKey => URL_SAFE_NO_PAD.encode(bytes::<32>(fill)),
        SecretKind::Fernet => return URL_SAFE.encode(bytes::<32>(fill)),
        SecretKind::Password => pick(ALNUM_ALPHABET, 32, fill),
    };
    let prefix = match (kind, prefix) {
        (_, Some(prefix)) => prefix,
        (SecretKind::ApiKey, None) => API_KEY_PREFIX,
        (_, None) => "",
    };
    format!("{prefix}{body}")
}

/// `N` random bytes.
fn bytes<const N: usize>(fill: &mut dyn FnMut(&mut [u8])) -> [u8; N] {
    let mut buf = [0u8; N];
    fill(&mut buf);
    buf
}

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// `count` symbols drawn uniformly from `alphabet` by rejection sampling: a
/// byte is used only below the largest multiple of the alphabet's size, so
/// every symbol is exactly equally likely (no modulo bias).
fn pick(alphabet: &[u8], count: usize, fill: &mut dyn FnMut(&mut [u8])) -> String {
    let size = alphabet.len();
    assert!(
        (1..=256).contains(&size),
        "an alphabet has 1 to 256 symbols"
    );
    let limit = 256 - 256 % size;
    let mut out = String::with_capacity(count);
    let mut buf = [0u8; 64];
    while out.len() < count {
        fill(&mut buf);
        for &byte in &buf {
            let byte = usize::from(byte);
            if byte < limit && out.len() < count {
                out.push(char::from(alphabet[byte % size]));
            }
        }
    }
    out
}

/// Whether every character of `value` is safe unquoted in every `.env`
/// dialect and in a shell: letters, digits, `_`, `-`, `.` and `=`.
pub fn is_env_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'='))
}

/// Checks a user's `--prefix`: safe characters only, and not too long.
pub fn validate_prefix(prefix: &str) -> Result<(), String> {
    if prefix.len() > 64 {
        return Err(format!(
            "the prefix is {} chars; keep it to 64",
            prefix.len()
        ));
    }
    if let Some(bad) = prefix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(format!(
            "the prefix contains `{bad}`; use letters, digits, `_`, `-` and `.` so the key \
             stays safe unquoted in .env files and shells"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_chars(value: &str, allowed: impl Fn(char) -> bool) -> bool {
        value.chars().all(allowed)
    }

    fn is_urlsafe(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_' || c == '-'
    }

    fn is_lower_hex(c: char) -> bool {
        c.is_ascii_digit() || ('a'..='f').contains(&c)
    }

    #[test]
    fn django_keys_are_50_urlsafe_chars_and_pass_w009() {
        for _ in 0..200 {
            let key = generate(SecretKind::Django, None);
            assert_eq!(key.len(), 50, "{key}");
            assert!(all_chars(&key, is_urlsafe), "{key}");
            // Django's W009: at least 50 chars, at least 5 distinct, no insecure prefix.
            let distinct: std::collections::HashSet<char> = key.chars().collect();
            assert!(distinct.len() >= 5);
            assert!(!key.starts_with("django-insecure-"));
        }
    }

    #[test]
    fn hex_and_jwt_are_64_lowercase_hex_chars() {
        for kind in [SecretKind::Hex, SecretKind::Jwt] {
            let key = generate(kind, None);
            assert_eq!(key.len(), 64, "{key}");
            assert!(all_chars(&key, is_lower_hex), "{key}");
        }
    }

    #[test]
    fn urlsafe_is_43_chars_decoding_to_32_bytes() {
        let key = generate(SecretKind::Urlsafe, None);
        assert_eq!(key.len(), 43, "{key}");
        assert!(all_chars(&key, is_urlsafe), "{key}");
        assert_eq!(URL_SAFE_NO_PAD.decode(&key).unwrap().len(), 32);
    }

    #[test]
    fn api_keys_carry_their_prefix() {
        let key = generate(SecretKind::ApiKey, None);
        let body = key.strip_prefix("api-key-").expect("default prefix");
        assert_eq!(body.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        let key = generate(SecretKind::ApiKey, Some("frontend-"));
        let body = key.strip_prefix("frontend-").expect("chosen prefix");
        assert_eq!(body.len(), 43);
        assert!(all_chars(body, is_urlsafe));
    }

    #[test]
    fn fernet_keys_are_padded_base64_of_32_bytes_and_ignore_prefixes() {
        let key = generate(SecretKind::Fernet, Some("nope-"));
        assert_eq!(key.len(), 44, "{key}");
        assert!(key.ends_with('='), "{key}");
        assert_eq!(URL_SAFE.decode(&key).unwrap().len(), 32);
    }

    #[test]
    fn passwords_are_32_alphanumerics() {
        let key = generate(SecretKind::Password, None);
        assert_eq!(key.len(), 32, "{key}");
        assert!(all_chars(&key, |c| c.is_ascii_alphanumeric()), "{key}");
    }

    #[test]
    fn every_kind_is_env_safe_and_fresh_each_draw() {
        for kind in SecretKind::ALL {
            let first = generate(kind, None);
            let second = generate(kind, None);
            assert_ne!(first, second, "{kind}");
            assert!(is_env_safe(&first), "{kind}: {first}");
            assert!(
                !first.starts_with('$'),
                "django-environ would read {first} as a reference"
            );
        }
    }

    #[test]
    fn encodings_are_exact_for_known_bytes() {
        let mut zeros = |buf: &mut [u8]| buf.fill(0);
        assert_eq!(
            generate_with(SecretKind::Hex, None, &mut zeros),
            "0".repeat(64)
        );
        assert_eq!(
            generate_with(SecretKind::Fernet, None, &mut zeros),
            format!("{}=", "A".repeat(43))
        );
        let mut ones = |buf: &mut [u8]| buf.fill(0xff);
        assert_eq!(
            generate_with(SecretKind::Jwt, None, &mut ones),
            "f".repeat(64)
        );
        assert_eq!(
            generate_with(SecretKind::Django, None, &mut ones),
            "-".repeat(50),
            "0xff maps to the last symbol of a 64-symbol alphabet"
        );
    }

    #[test]
    fn rejection_sampling_skips_bytes_that_would_bias() {
        // 248 = 4 × 62 is the first byte past the last full round of the alphabet.
        let mut feed = [248u8, 255, 250, 0, 61, 62].into_iter().cycle();
        let mut fill = |buf: &mut [u8]| buf.iter_mut().for_each(|b| *b = feed.next().unwrap_or(0));
        let drawn = pick(ALNUM_ALPHABET, 3, &mut fill);
        assert_eq!(
            drawn, "A9A",
            "bytes 248..=255 are rejected; 0, 61, 62 map to A, 9, A"
        );
    }

    #[test]
    fn kinds_parse_from_their_names_and_reject_others() {
        for kind in SecretKind::ALL {
            assert_eq!(kind.as_str().parse::<SecretKind>(), Ok(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!("API_KEY".parse::<SecretKind>(), Ok(SecretKind::ApiKey));
        let err = "rsa".parse::<SecretKind>().unwrap_err();
        assert_eq!(err.to_string(), "unknown secret kind `rsa`");
    }

    #[test]
    fn prefixes_are_checked() {
        assert!(validate_prefix("sk_live-").is_ok());
        assert!(validate_prefix("a b").unwrap_err().contains("` `"));
        assert!(validate_prefix("$x").is_err());
        assert!(validate_prefix(&"a".repeat(65)).is_err());
    }

    /// Pearson's chi-square statistic of observed counts against a uniform expectation.
    fn chi_square(counts: &[u64]) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let total = counts.iter().sum::<u64>() as f64;
        #[allow(clippy::cast_precision_loss)]
        let expected = total / counts.len() as f64;
        counts
            .iter()
            .map(|&n| {
                #[allow(clippy::cast_precision_loss)]
                let diff = n as f64 - expected;
                diff * diff / expected
            })
            .sum()
    }

    /// How many standard deviations a chi-square value with `dof` degrees of
    /// freedom lies above its mean (Wilson–Hilferty approximation).
    fn chi_square_z(statistic: f64, dof: usize) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let k = dof as f64;
        let spread = 2.0 / (9.0 * k);
        ((statistic / k).cbrt() - (1.0 - spread)) / spread.sqrt()
    }

    fn frequencies(alphabet: &[u8], text: impl Iterator<Item = u8>) -> Vec<u64> {
        let mut counts = vec![0u64; alphabet.len()];
        for byte in text {
            let index = alphabet
                .iter()
                .position(|&a| a == byte)
                .expect("in alphabet");
            counts[index] += 1;
        }
        counts
    }

    #[test]
    fn character_frequencies_are_uniform() {
        let cases: [(SecretKind, &[u8]); 3] = [
            (SecretKind::Django, URLSAFE_ALPHABET),
            (SecretKind::Password, ALNUM_ALPHABET),
            (SecretKind::Hex, b"0123456789abcdef"),
        ];
        for (kind, alphabet) in cases {
            let text: Vec<u8> = (0..4000)
                .flat_map(|_| generate(kind, None).into_bytes())
                .collect();
            let counts = frequencies(alphabet, text.into_iter());
            let z = chi_square_z(chi_square(&counts), alphabet.len() - 1);
            // z > 5.5 happens by chance about once in 50 million runs.
            assert!(z < 5.5, "{kind}: chi-square z = {z:.2}, counts {counts:?}");
        }
    }

    #[test]
    fn the_chi_square_check_catches_modulo_bias() {
        // A negative control: `byte % 62` without rejection favours the first
        // eight symbols (5/256 against 4/256); the same check must see it.
        let mut raw = vec![0u8; 4000 * 32];
        os_random_bytes(&mut raw);
        let biased = raw.into_iter().map(|b| ALNUM_ALPHABET[usize::from(b) % 62]);
        let counts = frequencies(ALNUM_ALPHABET, biased);
        let z = chi_square_z(chi_square(&counts), 61);
        assert!(z > 5.5, "modulo bias went unnoticed: z = {z:.2}");
    }
}

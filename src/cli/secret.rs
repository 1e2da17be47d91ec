//! `preflight secret`: print fresh secrets, one per line, and nothing else.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::secrets::{SecretKind, generate, validate_prefix};

/// The most secrets one call prints.
const MAX_COUNT: u32 = 10_000;

/// The help text after the options: every kind with its format, and examples.
fn kinds_help() -> String {
    use std::fmt::Write;
    let mut kinds = String::new();
    for kind in SecretKind::ALL {
        let default = if kind == SecretKind::Hex {
            "  [default]"
        } else {
            ""
        };
        let _ = writeln!(kinds, "  {:<10} {}{default}", kind.as_str(), kind.format());
    }
    format!(
        "Kinds:\n{kinds}\n\
         Every kind is drawn from the operating system's CSPRNG and uses only characters\n\
         that are safe unquoted in .env files (python-dotenv, django-environ, docker,\n\
         Compose) and shells, so `$(preflight secret django)` never globs or splits.\n\n\
         Examples:\n  \
           preflight secret django\n  \
           preflight secret api-key -n 3 --prefix partner-\n  \
           echo \"DJANGO_SECRET_KEY=$(preflight secret django)\" >> .env"
    )
}

/// Arguments of `secret`.
#[derive(Debug, Args)]
#[command(after_help = kinds_help())]
pub struct SecretArgs {
    /// django, hex, urlsafe, api-key, fernet, jwt or password.
    #[arg(default_value = "hex", value_name = "KIND")]
    pub kind: String,
    /// How many secrets to print, one per line.
    #[arg(short = 'n', long = "count", default_value_t = 1, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_COUNT)))]
    pub count: u32,
    /// Put this in front of each secret (default for api-key: `api-key-`).
    #[arg(long, value_name = "P")]
    pub prefix: Option<String>,
}

/// Runs `secret`.
pub fn run(args: &SecretArgs) -> anyhow::Result<ExitCode> {
    let kind: SecretKind = args.kind.parse().map_err(|err| {
        anyhow::anyhow!(
            "{err}\n  hint: the kinds are {} (see `preflight secret --help`)",
            SecretKind::names()
        )
    })?;
    if let Some(prefix) = &args.prefix {
        validate_prefix(prefix).map_err(|problem| {
            anyhow::anyhow!("`--prefix {prefix}`: {problem}\n  hint: for example --prefix partner-")
        })?;
        anyhow::ensure!(
            kind.takes_prefix(),
            "a {kind} key takes no prefix: it must decode to exactly 32 bytes\n  hint: drop \
             --prefix, or use `api-key` or `urlsafe`"
        );
    }
    let mut out = std::io::stdout().lock();
    for _ in 0..args.count {
        let secret = generate(kind, args.prefix.as_deref());
        match writeln!(out, "{secret}") {
            // A reader that stopped early (`| head -1`) is not an error.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                return Ok(ExitCode::SUCCESS);
            }
            result => result.context("writing to stdout")?,
        }
    }
    match out.flush() {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        result => result.context("writing to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}

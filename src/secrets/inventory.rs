//! Which secrets a project needs, under which names, of which kind.
//!
//! Decided from what the project reads (environment variable names found in
//! its code, the keys of an existing `.env.example`), its framework and its
//! dependencies, plus the API consumers the user named. The wizard's secrets
//! screen and `generate` both use this one list.

use std::collections::{BTreeMap, BTreeSet};

use super::SecretKind;
use crate::envfile;
use crate::project::{Framework, Project};

/// One secret the project needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretSpec {
    /// The environment variable that holds it (`DJANGO_SECRET_KEY`).
    pub var: String,
    pub kind: SecretKind,
    /// What it is, for people: "Django signing key", "API key for frontend".
    pub label: String,
    /// Goes in front of the generated value (`frontend-`).
    pub prefix: Option<String>,
}

impl SecretSpec {
    fn new(var: &str, kind: SecretKind, label: impl Into<String>) -> Self {
        Self {
            var: var.to_owned(),
            kind,
            label: label.into(),
            prefix: None,
        }
    }

    /// A fresh value for this secret.
    pub fn generate(&self) -> String {
        super::generate(self.kind, self.prefix.as_deref())
    }

    /// The command that prints a fresh value of this secret.
    pub fn command(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("preflight secret {} --prefix {prefix}", self.kind),
            None => format!("preflight secret {}", self.kind),
        }
    }
}

/// Names under which Django projects read their signing key, most specific first.
const DJANGO_KEY_NAMES: &[&str] = &["DJANGO_SECRET_KEY", "SECRET_KEY", "APP_SECRET_KEY"];

/// Names under which Flask projects read their session signing key.
const FLASK_KEY_NAMES: &[&str] = &["FLASK_SECRET_KEY", "SECRET_KEY", "APP_SECRET_KEY"];

/// Dependencies that sign or verify JWTs.
const JWT_DEPENDENCIES: &[&str] = &[
    "pyjwt",
    "python-jose",
    "jwcrypto",
    "authlib",
    "djangorestframework-simplejwt",
    "flask-jwt-extended",
    "fastapi-jwt-auth",
    "fastapi-users",
];

/// Dependencies that encrypt with Fernet keys.
const FERNET_DEPENDENCIES: &[&str] = &[
    "cryptography",
    "django-fernet-fields",
    "django-encrypted-model-fields",
    "django-fernet-encrypted-fields",
];

/// Dependencies that talk to a SQL database through a URL.
const DATABASE_DEPENDENCIES: &[&str] = &[
    "dj-database-url",
    "django-environ",
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "asyncpg",
    "sqlalchemy",
    "flask-sqlalchemy",
    "sqlmodel",
    "databases",
];

/// Services whose secrets are issued by the service, not chosen by you: a
/// generated value would never verify, so these are left for the user.
const ISSUED_BY_PROVIDER: &[&str] = &[
    "STRIPE",
    "SLACK",
    "TWILIO",
    "SHOPIFY",
    "PADDLE",
    "PLAID",
    "CLERK",
    "SVIX",
    "AWS",
    "OPENAI",
    "ANTHROPIC",
    "GOOGLE",
    "SENDGRID",
    "MAILGUN",
    "POSTMARK",
    "SENTRY",
    "AUTH0",
    "OKTA",
    "AZURE",
    "GROQ",
    "PAYPAL",
    "SQUARE",
    "FIREBASE",
    "SUPABASE",
    "CLOUDINARY",
];

/// The secrets the project at `project.root` needs, in a stable order:
/// signing keys, encryption keys, webhook secrets, the database password,
/// API keys, then other secrets the code reads.
///
/// `answers["api_consumers"]` (`frontend,mobile`) asks for one API key each.
pub fn inventory(project: &Project, answers: &BTreeMap<String, String>) -> Vec<SecretSpec> {
    let reads = read_names(project);
    let in_env = env_file_keys(&project.root);
    let mut specs = Vec::new();
    specs.extend(signing_key(project, &reads, &in_env));
    specs.extend(jwt_key(project, &reads, &specs));
    specs.extend(fernet_key(project, &reads));
    specs.extend(webhook_secrets(&reads));
    specs.extend(database_secrets(project, &reads));
    specs.extend(api_keys(&reads, answers));
    specs.extend(other_secrets(&reads));
    dedup_by_var(specs)
}

/// Every variable name the project reads: from its code and its `.env.example`.
pub(crate) fn read_names(project: &Project) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = project.env_vars.iter().cloned().collect();
    if let Some(text) = read_text(&project.root, ".env.example") {
        // An unparseable example is reported by `envfile::plan`; here it just adds nothing.
        if let Ok(entries) = envfile::parse(&text) {
            names.extend(entries.into_iter().map(|entry| entry.key));
        }
    }
    names
}

/// `root/name` as UTF-8 text by the path policy; `None` when it is missing,
/// refused or not UTF-8 (generate's plan reports those).
fn read_text(root: &std::path::Path, name: &str) -> Option<String> {
    let bytes = crate::fsutil::read_in(root, &root.join(name)).ok()??;
    String::from_utf8(bytes).ok()
}

/// The keys of the project's `.env`, if it has one that parses.
pub(crate) fn env_file_keys(root: &std::path::Path) -> BTreeSet<String> {
    read_text(root, ".env")
        .and_then(|text| envfile::parse(&text).ok())
        .map(|entries| entries.into_iter().map(|entry| entry.key).collect())
        .unwrap_or_default()
}

/// The first of `names` the code reads; failing that, the first one `.env`
/// already sets (the scanner may have missed how the code reads it).
pub(crate) fn choose_name<'a>(
    names: &[&'a str],
    reads: &BTreeSet<String>,
    in_env: &BTreeSet<String>,
) -> Option<&'a str> {
    let first_in = |set: &BTreeSet<String>| names.iter().copied().find(|name| set.contains(*name));
    first_in(reads).or_else(|| first_in(in_env))
}

/// The framework's signing key, under the name the code reads (or `.env`
/// sets), or the conventional name when there is none yet (the fix moves it
/// there).
fn signing_key(
    project: &Project,
    reads: &BTreeSet<String>,
    in_env: &BTreeSet<String>,
) -> Option<SecretSpec> {
    let (names, default, kind, label): (&[&str], _, _, _) = match project.framework {
        Framework::Django => (
            DJANGO_KEY_NAMES,
            "DJANGO_SECRET_KEY",
            SecretKind::Django,
            "Django signing key",
        ),
        // Flask's own config key is SECRET_KEY, and most apps read it under that name.
        Framework::Flask => (
            FLASK_KEY_NAMES,
            "SECRET_KEY",
            SecretKind::Hex,
            "Flask session signing key",
        ),
        Framework::Fastapi | Framework::Unknown => {
            // Without a framework-defined key, a SECRET_KEY the code reads signs its tokens.
            let var = ["SECRET_KEY", "APP_SECRET_KEY"]
                .into_iter()
                .find(|name| reads.contains(*name))?;
            return Some(SecretSpec::new(var, SecretKind::Jwt, "signing key"));
        }
    };
    let var = choose_name(names, reads, in_env).unwrap_or(default);
    Some(SecretSpec::new(var, kind, label))
}

/// A JWT signing key when the code reads one, or uses a JWT library and
/// reads no signing key at all (then `JWT_SECRET`, which a pydantic-settings
/// field `jwt_secret` reads).
fn jwt_key(project: &Project, reads: &BTreeSet<String>, so_far: &[SecretSpec]) -> Vec<SecretSpec> {
    let named: Vec<SecretSpec> = reads
        .iter()
        .filter(|name| is_jwt_key_name(name) && !is_issued_by_provider(name))
        .map(|name| SecretSpec::new(name, SecretKind::Jwt, "JWT signing key"))
        .collect();
    if !named.is_empty() {
        return named;
    }
    let uses_jwt = JWT_DEPENDENCIES.iter().any(|dep| uses(project, dep));
    if uses_jwt && so_far.is_empty() {
        vec![SecretSpec::new(
            "JWT_SECRET",
            SecretKind::Jwt,
            "JWT signing key",
        )]
    } else {
        Vec::new()
    }
}

fn is_jwt_key_name(name: &str) -> bool {
    name.contains("JWT")
        && (name.contains("SECRET") || name.ends_with("SIGNING_KEY") || name.ends_with("_KEY"))
        && !name.contains("PUBLIC")
        && !name.contains("ALGORITHM")
}

/// A Fernet key for each encryption key the code reads, or `FERNET_KEY`
/// when it depends on `cryptography` (or a Fernet field library) and reads none.
fn fernet_key(project: &Project, reads: &BTreeSet<String>) -> Vec<SecretSpec> {
    let uses_fernet = FERNET_DEPENDENCIES.iter().any(|dep| uses(project, dep));
    let named: Vec<SecretSpec> = reads
        .iter()
        .filter(|name| {
            name.contains("FERNET")
                || (uses_fernet && name.ends_with("ENCRYPTION_KEY") && !is_issued_by_provider(name))
        })
        .filter(|name| !name.contains("PUBLIC"))
        .map(|name| SecretSpec::new(name, SecretKind::Fernet, "Fernet encryption key"))
        .collect();
    if named.is_empty() && uses_fernet {
        vec![SecretSpec::new(
            "FERNET_KEY",
            SecretKind::Fernet,
            "Fernet encryption key",
        )]
    } else {
        named
    }
}

/// A signing secret for each webhook the code verifies with a secret you choose.
fn webhook_secrets(reads: &BTreeSet<String>) -> Vec<SecretSpec> {
    reads
        .iter()
        .filter(|name| name.contains("WEBHOOK") && is_secretish(name))
        .filter(|name| !is_issued_by_provider(name))
        .map(|name| {
            let source = name
                .split("WEBHOOK")
                .next()
                .map(|s| s.trim_end_matches('_'))
                .filter(|s| !s.is_empty());
            let label = source.map_or_else(
                || "webhook signing secret".to_owned(),
                |source| format!("webhook signing secret ({})", source.to_lowercase()),
            );
            SecretSpec::new(name, SecretKind::Hex, label)
        })
        .collect()
}

/// The database password: inside `DATABASE_URL` when the project reads that
/// (or uses a SQL database library), or under a password variable it reads.
fn database_secrets(project: &Project, reads: &BTreeSet<String>) -> Vec<SecretSpec> {
    let mut specs: Vec<SecretSpec> = reads
        .iter()
        .filter(|name| is_database_password_name(name))
        .map(|name| SecretSpec::new(name, SecretKind::Password, "database password"))
        .collect();
    let uses_database = DATABASE_DEPENDENCIES.iter().any(|dep| uses(project, dep));
    if reads.contains("DATABASE_URL") || (specs.is_empty() && uses_database) {
        specs.insert(
            0,
            SecretSpec::new(
                "DATABASE_URL",
                SecretKind::Password,
                "database password (inside DATABASE_URL)",
            ),
        );
    }
    specs
}

fn is_database_password_name(name: &str) -> bool {
    matches!(
        name,
        "DB_PASSWORD"
            | "DATABASE_PASSWORD"
            | "POSTGRES_PASSWORD"
            | "PGPASSWORD"
            | "MYSQL_PASSWORD"
            | "DJANGO_DB_PASSWORD"
    )
}

/// One API key per consumer the user named; otherwise one under the name the
/// code reads (`API_KEY`, `API_KEYS`).
fn api_keys(reads: &BTreeSet<String>, answers: &BTreeMap<String, String>) -> Vec<SecretSpec> {
    let consumers: Vec<String> = answers
        .get("api_consumers")
        .map(|list| {
            list.split(',')
                .map(consumer_slug)
                .filter(|slug| !slug.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut specs: Vec<SecretSpec> = Vec::new();
    for slug in consumers {
        let var = format!("API_KEY_{}", slug.replace('-', "_").to_uppercase());
        if specs.iter().any(|spec| spec.var == var) {
            continue;
        }
        specs.push(SecretSpec {
            var,
            kind: SecretKind::ApiKey,
            label: format!("API key for {slug}"),
            prefix: Some(format!("{slug}-")),
        });
    }
    if specs.is_empty() {
        specs.extend(
            ["API_KEY", "API_KEYS", "APP_API_KEY", "INTERNAL_API_KEY"]
                .into_iter()
                .filter(|name| reads.contains(*name))
                .map(|name| SecretSpec::new(name, SecretKind::ApiKey, "API key")),
        );
    }
    specs
}

/// A consumer name as it appears in a key prefix: lowercase letters, digits and `-`.
fn consumer_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Other secrets the code reads that are yours to choose: `*_SECRET`,
/// `*_SECRET_KEY`, `*_SIGNING_KEY`, `*_SALT`, `*_PEPPER`. Keys a service
/// issues (`STRIPE_SECRET_KEY`, `AWS_SECRET_ACCESS_KEY`) are not generated.
fn other_secrets(reads: &BTreeSet<String>) -> Vec<SecretSpec> {
    reads
        .iter()
        .filter(|name| is_secretish(name) && !is_issued_by_provider(name))
        .filter(|name| !name.contains("CLIENT_SECRET") && !name.contains("ACCESS_KEY"))
        // The framework's own key names are decided by `signing_key` alone.
        .filter(|name| !DJANGO_KEY_NAMES.contains(&name.as_str()))
        .filter(|name| !FLASK_KEY_NAMES.contains(&name.as_str()))
        .map(|name| {
            let label = name.to_lowercase().replace('_', " ");
            SecretSpec::new(name, SecretKind::Hex, label)
        })
        .collect()
}

fn is_secretish(name: &str) -> bool {
    name.ends_with("SECRET")
        || name.ends_with("SECRET_KEY")
        || name.ends_with("SIGNING_KEY")
        || name.ends_with("SIGNING_SECRET")
        || name.ends_with("_SALT")
        || name.ends_with("_PEPPER")
        || name.ends_with("HMAC_KEY")
}

fn is_issued_by_provider(name: &str) -> bool {
    ISSUED_BY_PROVIDER.iter().any(|provider| {
        name.strip_prefix(provider)
            .is_some_and(|rest| rest.starts_with('_'))
    })
}

/// Whether the project depends on `name`, however the dependency was
/// written (`psycopg[binary]`, `PyJWT==2.8`, `python_jose`).
pub(crate) fn uses(project: &Project, name: &str) -> bool {
    project.dependencies.iter().any(|dep| {
        let bare = dep
            .split(['[', '=', '<', '>', '~', '!', ';', ' ', '@'])
            .next()
            .unwrap_or("");
        bare.trim().to_ascii_lowercase().replace('_', "-") == name
    })
}

/// Keeps the first spec for each variable.
fn dedup_by_var(specs: Vec<SecretSpec>) -> Vec<SecretSpec> {
    let mut seen = BTreeSet::new();
    specs
        .into_iter()
        .filter(|spec| seen.insert(spec.var.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(framework: Framework, env_vars: &[&str], dependencies: &[&str]) -> Project {
        Project {
            root: std::path::PathBuf::from("/nonexistent/preflight-test"),
            name: "shop".into(),
            framework,
            env_vars: env_vars.iter().map(|s| (*s).to_owned()).collect(),
            dependencies: dependencies.iter().map(|s| (*s).to_owned()).collect(),
            ..Project::default()
        }
    }

    fn vars(specs: &[SecretSpec]) -> Vec<(&str, SecretKind)> {
        specs.iter().map(|s| (s.var.as_str(), s.kind)).collect()
    }

    fn no_answers() -> BTreeMap<String, String> {
        BTreeMap::new()
    }

    #[test]
    fn django_key_goes_under_the_name_the_settings_read() {
        let read_plain = project(Framework::Django, &["SECRET_KEY", "DEBUG"], &[]);
        assert_eq!(
            vars(&inventory(&read_plain, &no_answers())),
            [("SECRET_KEY", SecretKind::Django)]
        );
        let read_prefixed = project(Framework::Django, &["DJANGO_SECRET_KEY", "SECRET_KEY"], &[]);
        assert_eq!(
            vars(&inventory(&read_prefixed, &no_answers())),
            [("DJANGO_SECRET_KEY", SecretKind::Django)]
        );
        let hard_coded = project(Framework::Django, &[], &[]);
        let specs = inventory(&hard_coded, &no_answers());
        assert_eq!(vars(&specs), [("DJANGO_SECRET_KEY", SecretKind::Django)]);
        assert_eq!(specs[0].label, "Django signing key");
    }

    #[test]
    fn fastapi_gets_a_jwt_key_under_the_name_it_reads() {
        let reads_jwt = project(Framework::Fastapi, &["JWT_SECRET"], &["pyjwt"]);
        assert_eq!(
            vars(&inventory(&reads_jwt, &no_answers())),
            [("JWT_SECRET", SecretKind::Jwt)]
        );
        let reads_secret_key = project(Framework::Fastapi, &["SECRET_KEY"], &["python-jose"]);
        assert_eq!(
            vars(&inventory(&reads_secret_key, &no_answers())),
            [("SECRET_KEY", SecretKind::Jwt)]
        );
        let reads_none = project(Framework::Fastapi, &[], &["pyjwt"]);
        assert_eq!(
            vars(&inventory(&reads_none, &no_answers())),
            [("JWT_SECRET", SecretKind::Jwt)]
        );
        let no_jwt = project(Framework::Fastapi, &["PORT"], &["fastapi"]);
        assert!(inventory(&no_jwt, &no_answers()).is_empty());
    }

    #[test]
    fn cryptography_means_a_fernet_key() {
        let plain = project(Framework::Flask, &[], &["flask", "cryptography"]);
        assert_eq!(
            vars(&inventory(&plain, &no_answers())),
            [
                ("SECRET_KEY", SecretKind::Hex),
                ("FERNET_KEY", SecretKind::Fernet)
            ]
        );
        let named = project(
            Framework::Flask,
            &["FIELD_ENCRYPTION_KEY"],
            &["cryptography"],
        );
        let specs = inventory(&named, &no_answers());
        assert!(specs.contains(&SecretSpec::new(
            "FIELD_ENCRYPTION_KEY",
            SecretKind::Fernet,
            "Fernet encryption key"
        )));
        assert!(!specs.iter().any(|s| s.var == "FERNET_KEY"));
    }

    #[test]
    fn webhook_secrets_we_choose_are_generated_and_issued_ones_are_not() {
        let p = project(
            Framework::Django,
            &[
                "GITHUB_WEBHOOK_SECRET",
                "STRIPE_WEBHOOK_SECRET",
                "WEBHOOK_SECRET",
            ],
            &[],
        );
        let specs = inventory(&p, &no_answers());
        assert_eq!(
            vars(&specs),
            [
                ("DJANGO_SECRET_KEY", SecretKind::Django),
                ("GITHUB_WEBHOOK_SECRET", SecretKind::Hex),
                ("WEBHOOK_SECRET", SecretKind::Hex),
            ]
        );
        assert_eq!(specs[1].label, "webhook signing secret (github)");
    }

    #[test]
    fn one_api_key_per_named_consumer() {
        let p = project(Framework::Fastapi, &["API_KEYS"], &[]);
        let answers = BTreeMap::from([(
            "api_consumers".to_owned(),
            " Frontend, mobile app,partner,,frontend".to_owned(),
        )]);
        let specs = inventory(&p, &answers);
        let keys: Vec<(&str, Option<&str>, &str)> = specs
            .iter()
            .map(|s| (s.var.as_str(), s.prefix.as_deref(), s.label.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (
                    "API_KEY_FRONTEND",
                    Some("frontend-"),
                    "API key for frontend"
                ),
                (
                    "API_KEY_MOBILE_APP",
                    Some("mobile-app-"),
                    "API key for mobile-app"
                ),
                ("API_KEY_PARTNER", Some("partner-"), "API key for partner"),
            ]
        );
        assert!(specs[0].generate().starts_with("frontend-"));
        assert_eq!(
            specs[0].command(),
            "preflight secret api-key --prefix frontend-"
        );
        let without_consumers = inventory(&p, &no_answers());
        assert_eq!(vars(&without_consumers), [("API_KEYS", SecretKind::ApiKey)]);
    }

    #[test]
    fn database_password_lives_in_database_url() {
        let reads_url = project(Framework::Django, &["DATABASE_URL"], &[]);
        assert!(
            vars(&inventory(&reads_url, &no_answers()))
                .contains(&("DATABASE_URL", SecretKind::Password))
        );
        let uses_psycopg = project(Framework::Flask, &[], &["psycopg2-binary"]);
        assert!(
            vars(&inventory(&uses_psycopg, &no_answers()))
                .contains(&("DATABASE_URL", SecretKind::Password))
        );
        let reads_password = project(Framework::Flask, &["POSTGRES_PASSWORD"], &["psycopg2"]);
        assert_eq!(
            vars(&inventory(&reads_password, &no_answers()))[1..],
            [("POSTGRES_PASSWORD", SecretKind::Password)]
        );
    }

    #[test]
    fn provider_issued_keys_are_left_for_the_user() {
        let p = project(
            Framework::Fastapi,
            &[
                "OPENAI_API_KEY",
                "AWS_SECRET_ACCESS_KEY",
                "STRIPE_SECRET_KEY",
                "GITHUB_CLIENT_SECRET",
                "SESSION_SECRET",
                "PASSWORD_SALT",
            ],
            &[],
        );
        assert_eq!(
            vars(&inventory(&p, &no_answers())),
            [
                ("PASSWORD_SALT", SecretKind::Hex),
                ("SESSION_SECRET", SecretKind::Hex)
            ]
        );
    }

    #[test]
    fn an_env_decides_the_name_only_when_the_code_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "SECRET_KEY=x\n").unwrap();
        let mut silent = project(Framework::Django, &[], &[]);
        silent.root = dir.path().to_path_buf();
        assert_eq!(
            vars(&inventory(&silent, &no_answers())),
            [("SECRET_KEY", SecretKind::Django)]
        );
        let mut reads = project(Framework::Django, &["DJANGO_SECRET_KEY"], &[]);
        reads.root = dir.path().to_path_buf();
        assert_eq!(
            vars(&inventory(&reads, &no_answers())),
            [("DJANGO_SECRET_KEY", SecretKind::Django)]
        );
    }

    #[test]
    fn an_env_example_counts_as_something_the_project_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env.example"),
            "# keys\nSECRET_KEY=\nDATABASE_URL=postgres://...\n",
        )
        .unwrap();
        let mut p = project(Framework::Django, &[], &[]);
        p.root = dir.path().to_path_buf();
        assert_eq!(
            vars(&inventory(&p, &no_answers())),
            [
                ("SECRET_KEY", SecretKind::Django),
                ("DATABASE_URL", SecretKind::Password)
            ]
        );
    }
}

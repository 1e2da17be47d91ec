//! User defaults: `config.toml` in the platform config directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The user's defaults, applied to every project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Default answers (`region = "fra"`, `platform = "fly"`), below a
    /// project's own answers and `--set`.
    #[serde(default, deserialize_with = "scalars_as_text")]
    pub answers: BTreeMap<String, String>,
}

/// `[answers]` values as text: TOML users write `port = 8000` and
/// `asgi = true` as often as `port = "8000"`, and all mean the same answer.
fn scalars_as_text<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    let table = BTreeMap::<String, toml::Value>::deserialize(deserializer)?;
    table
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Float(x) => x.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ => {
                    return Err(D::Error::custom(format!(
                        "`{key}` must be one value, such as {key} = \"…\" (a list is one \
                         comma-separated string)"
                    )));
                }
            };
            Ok((key, text))
        })
        .collect()
}

/// The directory holding `config.toml` (and `keymap.toml`): `PREFLIGHT_CONFIG_DIR`
/// when set, else the platform's config dir (`~/.config/preflight` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PREFLIGHT_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "preflight", "preflight")
        .map(|dirs| dirs.config_dir().to_path_buf())
}

impl UserConfig {
    /// Loads `config.toml`; no file means no defaults.
    pub fn load() -> anyhow::Result<UserConfig> {
        match config_dir() {
            Some(dir) => Self::load_from(&dir.join("config.toml")),
            None => Ok(UserConfig::default()),
        }
    }

    /// Loads a config file at `path`; a missing file means no defaults.
    pub fn load_from(path: &Path) -> anyhow::Result<UserConfig> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).with_context(|| {
                format!("{} is not a valid preflight config file", path.display())
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(UserConfig::default()),
            Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_default_answers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[answers]\nregion = \"fra\"\n").unwrap();
        let config = UserConfig::load_from(&path).unwrap();
        assert_eq!(config.answers["region"], "fra");
        assert_eq!(
            UserConfig::load_from(&dir.path().join("none")).unwrap(),
            UserConfig::default()
        );
        std::fs::write(
            &path,
            "[answers]\nport = 8000\nasgi = true\nregion = \"fra\"\n",
        )
        .unwrap();
        let config = UserConfig::load_from(&path).unwrap();
        assert_eq!(config.answers["port"], "8000");
        assert_eq!(config.answers["asgi"], "true");
        std::fs::write(&path, "[answers]\ndomain = [\"a.example.com\"]\n").unwrap();
        let err = format!("{:#}", UserConfig::load_from(&path).unwrap_err());
        assert!(err.contains("`domain` must be one value"), "{err}");
        std::fs::write(&path, "colour = 1\n").unwrap();
        assert!(UserConfig::load_from(&path).is_err());
    }
}

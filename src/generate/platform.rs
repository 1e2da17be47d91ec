//! The platform table: which file kinds `generate` writes by default for
//! each answered `platform`. `--only` may still ask for any kind.

use crate::filekind::FileKind;

/// The platforms `platform` may name, each with the kinds written for it.
pub const PLATFORMS: &[(&str, &[FileKind])] = &[
    ("fly", &FileKind::ALL),
    ("heroku", &FileKind::ALL),
    ("render", &FileKind::ALL),
    ("railway", &FileKind::ALL),
    ("vps", &FileKind::ALL),
];

/// The kinds written by default for `platform`, in write order (every kind
/// for a platform the table does not know).
pub fn default_kinds(platform: &str) -> Vec<FileKind> {
    PLATFORMS
        .iter()
        .find(|(name, _)| *name == platform)
        .map_or(&FileKind::ALL[..], |(_, kinds)| kinds)
        .to_vec()
}

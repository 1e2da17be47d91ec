//! The platform table: which file kinds `generate` writes by default for
//! each answered `platform`. `--only` may still ask for any kind.

use crate::filekind::FileKind;

/// Written for every platform: the env files and gunicorn's settings.
const COMMON: [FileKind; 3] = [FileKind::Env, FileKind::EnvExample, FileKind::Gunicorn];

/// The platforms `platform` may name, each with the kinds it runs on besides [`COMMON`].
pub const PLATFORMS: &[(&str, &[FileKind])] = &[
    (
        "fly",
        &[FileKind::Fly, FileKind::Dockerfile, FileKind::DockerIgnore],
    ),
    ("heroku", &[FileKind::Procfile, FileKind::PythonVersion]),
    ("render", &[FileKind::Render]),
    ("railway", &[FileKind::Railway]),
    (
        "docker",
        &[
            FileKind::Dockerfile,
            FileKind::DockerIgnore,
            FileKind::Compose,
            FileKind::Nginx,
        ],
    ),
    ("vps", &[FileKind::Nginx, FileKind::Systemd]),
];

/// The names `platform` may take, in the table's order.
pub fn names() -> Vec<&'static str> {
    PLATFORMS.iter().map(|(name, _)| *name).collect()
}

/// The kinds written by default for `platform`, in write order (the common
/// ones alone for a platform the table does not know).
pub fn default_kinds(platform: &str) -> Vec<FileKind> {
    let mut kinds = COMMON.to_vec();
    if let Some((_, own)) = PLATFORMS.iter().find(|(name, _)| *name == platform) {
        kinds.extend_from_slice(own);
    }
    kinds.sort();
    kinds
}

/// Whether nginx runs in front of gunicorn on `platform` (docker, vps).
pub fn nginx_in_front(platform: &str) -> bool {
    matches!(platform, "docker" | "vps")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_writes_its_own_files_and_the_common_ones() {
        let names = |platform: &str| -> Vec<&str> {
            default_kinds(platform)
                .into_iter()
                .map(FileKind::file_name)
                .collect()
        };
        assert_eq!(
            names("fly"),
            [
                ".env",
                ".env.example",
                "gunicorn.conf.py",
                "fly.toml",
                "Dockerfile",
                ".dockerignore"
            ]
        );
        assert_eq!(
            names("heroku"),
            [
                ".env",
                ".env.example",
                "gunicorn.conf.py",
                "Procfile",
                ".python-version"
            ]
        );
        assert!(names("render").contains(&"render.yaml") && !names("render").contains(&"Procfile"));
        assert!(names("railway").contains(&"railway.toml"));
        assert_eq!(
            &names("docker")[3..],
            ["nginx.conf", "Dockerfile", ".dockerignore", "compose.yaml"]
        );
        assert_eq!(&names("vps")[3..], ["nginx.conf", "gunicorn.service"]);
        assert_eq!(crate::answers::platform_names(), super::names());
    }
}

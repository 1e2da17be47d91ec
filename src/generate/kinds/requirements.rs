//! The server packages a buildpack's start command needs: Heroku (Procfile),
//! Railway (railway.toml) and a server's virtualenv (the systemd unit)
//! install only what the project declares, so a `gunicorn` it does not
//! declare makes the deploy fail. The Dockerfile and render.yaml install it
//! themselves. preflight says so, and with `add_server_packages=true`
//! appends the pinned lines to the project's requirements file.

use super::{Manager, extra_packages};
use crate::answers::Answers;
use crate::filekind::FileKind;
use crate::project::Project;

/// The generated file that starts gunicorn from the project's own
/// dependencies, and who installs them, for messages.
fn buildpack_starter(only: &[FileKind]) -> Option<(&'static str, &'static str)> {
    only.iter().find_map(|kind| match kind {
        FileKind::Procfile => Some(("Procfile", "Heroku's Python buildpack")),
        FileKind::Railway => Some(("railway.toml", "Railway's Railpack")),
        FileKind::Systemd => Some(("gunicorn.service", "the server's virtualenv")),
        _ => None,
    })
}

/// The pinned packages a requested start command needs and the project does
/// not declare, with the file that starts them and who installs.
pub(in crate::generate) fn missing(
    project: &Project,
    answers: &Answers,
    only: &[FileKind],
) -> Option<(Vec<&'static str>, &'static str, &'static str)> {
    let (file, installer) = buildpack_starter(only)?;
    // A dependency file the scan could not read says nothing either way.
    if project.dependencies.is_empty() && Manager::detect(project) != Manager::None {
        return None;
    }
    let packages = extra_packages(project, answers);
    (!packages.is_empty()).then_some((packages, file, installer))
}

/// The note for a start command whose server the project does not declare,
/// with the way to add it for the project's package manager.
pub(in crate::generate) fn note(
    project: &Project,
    answers: &Answers,
    only: &[FileKind],
) -> Option<String> {
    let (packages, file, installer) = missing(project, answers, only)?;
    let manager = Manager::detect(project);
    if matches!(manager, Manager::Pip(_)) && answers.get("add_server_packages") == "true" {
        return None;
    }
    let names: Vec<&str> = packages
        .iter()
        .map(|p| p.split("==").next().unwrap_or(p))
        .collect();
    let list = packages.join(" ");
    let hint = match &manager {
        Manager::Pip(req) => format!(
            "add {} to {req}, or let preflight append {}: --set add_server_packages=true",
            packages.join(" and "),
            if packages.len() == 1 { "it" } else { "them" }
        ),
        Manager::Uv => format!("uv add {list}"),
        Manager::Poetry => format!("poetry add {list}"),
        Manager::Pipenv => format!("pipenv install {list}"),
        Manager::Pyproject => format!(
            "add {} to [project] dependencies in pyproject.toml",
            packages
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Manager::None => format!(
            "list the app's dependencies and {} in requirements.txt",
            packages.join(" and ")
        ),
    };
    Some(format!(
        "{file} starts gunicorn, but the project does not declare {}, and {installer} installs \
         only what the project declares: the app would not start (`gunicorn: command not \
         found`)\n  hint: {hint}",
        names.join(" or ")
    ))
}

/// The requirements file [`addition`] would extend, when it would.
pub(in crate::generate) fn file(
    project: &Project,
    answers: &Answers,
    only: &[FileKind],
) -> Option<String> {
    if answers.get("add_server_packages") != "true" {
        return None;
    }
    missing(project, answers, only)?;
    match Manager::detect(project) {
        Manager::Pip(requirements) => Some(requirements),
        _ => None,
    }
}

/// The requirements file with the missing packages appended, when the user
/// agreed (`add_server_packages=true`) and the project lists its
/// dependencies in one: (its path in the project, old text, new text, why).
pub(in crate::generate) fn addition(
    project: &Project,
    answers: &Answers,
    only: &[FileKind],
    existing: &str,
) -> Option<(String, String, String)> {
    if answers.get("add_server_packages") != "true" {
        return None;
    }
    let (packages, file, _) = missing(project, answers, only)?;
    let Manager::Pip(requirements) = Manager::detect(project) else {
        return None;
    };
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut text = existing.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(eol);
    }
    text.push_str("# The server ");
    text.push_str(file);
    text.push_str(" starts (added by preflight)");
    text.push_str(eol);
    for package in &packages {
        text.push_str(package);
        text.push_str(eol);
    }
    Some((
        requirements,
        text,
        format!("adds {}, which {file} starts", packages.join(" and ")),
    ))
}

//! What the user should know before writing the files, beyond the plan.

use super::kinds;
use crate::answers::{Answers, Source};
use crate::filekind::FileKind;

/// What the user should know before writing the files, beyond the plan: a
/// default domain in use, a server the project does not depend on, a health
/// check polling a route the app does not serve. The CLI prints these as
/// `note:` lines; the wizard's files step shows the same.
pub fn advice(scan: &crate::scan::ScanReport, answers: &Answers, only: &[FileKind]) -> Vec<String> {
    let mut notes = Vec::new();
    let domain_used = only
        .iter()
        .any(|kind| kinds::answer_keys(*kind).contains(&"domain"));
    if domain_used && answers.source("domain") == Some(Source::Default) {
        notes.push(format!(
            "no domain given, so the files use {}\n  hint: --set domain=api.example.com \
             (it is saved for next time)",
            answers.primary_domain()
        ));
    }
    notes.extend(kinds::requirements::note(&scan.project, answers, only));
    notes.extend(kinds::fly::unserved_health_check(scan, answers, only));
    notes
}

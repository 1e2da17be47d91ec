//! The wizard's live verify: the URL prompt, the worker's progress, and the
//! verdicts recorded as `verify --project` records them. The checks
//! themselves live in `crate::verify`.

use std::time::Duration;

use tui_input::Input;

use super::{App, Effect, Mode, Notice, one_line};
use crate::state::State;
use crate::verify::{LiveCheck, VerifyOptions, VerifyProgress, VerifyReport};

/// The time limit for each of verify's requests in the wizard.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Where the live verify stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyState {
    /// Not run in this session.
    Idle,
    /// A worker is verifying `url`; `frame` animates the spinner, `checks`
    /// are the verdicts so far, in the order they came.
    Running {
        url: String,
        frame: usize,
        checks: Vec<LiveCheck>,
    },
    /// Finished: the report.
    Finished(VerifyReport),
    /// The deployment could not be reached, or the URL was bad.
    Failed(String),
}

impl App {
    /// Opens the URL prompt, filled in with the answered domain (its first
    /// name) as `https://`, or the URL verified last.
    pub(super) fn open_verify(&mut self) {
        if matches!(self.verify, VerifyState::Running { .. }) {
            self.notice = Some(Notice::Warning(
                "verify is still running; its results fill phase 6 as they come".into(),
            ));
            return;
        }
        let last = match &self.verify {
            VerifyState::Finished(report) => Some(report.url.clone()),
            _ => None,
        };
        let answered = self
            .state
            .answers
            .get("domain")
            .and_then(|d| d.split(',').map(str::trim).find(|d| !d.is_empty()))
            .map(|d| format!("https://{d}"));
        let url = last.or(answered).unwrap_or_default();
        self.mode = Mode::VerifyUrl(Input::new(url));
    }

    /// Keys while the URL prompt is open.
    pub(super) fn update_verify_url(&mut self, action: &super::Action) {
        use super::Action;
        let Mode::VerifyUrl(input) = &mut self.mode else {
            return;
        };
        match action {
            Action::Edit(request) => {
                input.handle(*request);
            }
            Action::Cancel => self.mode = Mode::Normal,
            Action::Confirm => {
                let url = input.value().trim().to_owned();
                if let Err(err) = crate::verify::Target::parse(&url) {
                    self.notice = Some(Notice::Error(one_line(&err)));
                    return;
                }
                self.notice = None;
                let input = Input::new(self.verify_protected.clone());
                self.mode = Mode::VerifyProtected { url, input };
            }
            _ => {}
        }
    }

    /// Keys while the protected-path prompt is open: a path checks that the
    /// deployment refuses it without a token and with a forged one
    /// (`live-auth-enforced`); empty leaves that check not run.
    pub(super) fn update_verify_protected(&mut self, action: &super::Action) {
        use super::Action;
        let Mode::VerifyProtected { url, input } = &mut self.mode else {
            return;
        };
        match action {
            Action::Edit(request) => {
                input.handle(*request);
            }
            Action::Cancel => self.mode = Mode::Normal,
            Action::Confirm => {
                let value = input.value().trim().to_owned();
                let protected = if value.is_empty() {
                    None
                } else {
                    match crate::verify::request_path(&value) {
                        Ok(path) => Some(path),
                        Err(err) => {
                            self.notice = Some(Notice::Error(err));
                            return;
                        }
                    }
                };
                let url = std::mem::take(url);
                self.verify_protected = value;
                self.mode = Mode::Normal;
                self.start_verify(url, protected, false);
            }
            _ => {}
        }
    }

    /// Keys while asking whether to accept a certificate that did not verify.
    pub(super) fn update_verify_insecure(&mut self, action: &super::Action) {
        use super::Action;
        let Mode::VerifyInsecure { url, protected } = &mut self.mode else {
            return;
        };
        match action {
            Action::Confirm => {
                let (url, protected) = (std::mem::take(url), protected.take());
                self.mode = Mode::Normal;
                self.start_verify(url, protected, true);
            }
            Action::Cancel => self.mode = Mode::Normal,
            _ => {}
        }
    }

    /// Asks the loop to run verify against `url` on a worker thread;
    /// `insecure` accepts a certificate that does not verify.
    fn start_verify(&mut self, url: String, protected: Option<String>, insecure: bool) {
        let health = self.state.answers.get("health_path").cloned();
        self.effects.push(Effect::Verify(VerifyOptions {
            url: url.clone(),
            health,
            protected: protected.clone(),
            insecure,
            timeout: TIMEOUT,
        }));
        self.verify_run = Some((protected, insecure));
        self.verify = VerifyState::Running {
            url,
            frame: 0,
            checks: Vec::new(),
        };
        self.notice = None;
        self.phase = 6;
        self.selected = 0;
        self.offset = 0;
    }

    /// A check decided, or the run finished: each verdict is recorded (and
    /// saved) as it comes, so phase 6 fills row by row.
    pub(super) fn verify_progress(&mut self, progress: VerifyProgress) {
        match progress {
            VerifyProgress::Check(check) => {
                let url = match &self.verify {
                    VerifyState::Running { url, .. } => url.clone(),
                    _ => String::new(),
                };
                self.record_verdicts(&VerifyReport {
                    url,
                    checks: vec![check.clone()],
                });
                if let VerifyState::Running { checks, .. } = &mut self.verify {
                    checks.push(check);
                }
            }
            VerifyProgress::Finished(Ok(report)) => {
                self.record_verdicts(&report);
                if !matches!(self.notice, Some(Notice::Error(_))) {
                    self.notice = Some(Notice::Info(format!(
                        "verified {}: {} passed, {} failed{}{} · recorded",
                        report.url,
                        report.passed(),
                        report.failed(),
                        if report.advised() > 0 {
                            format!(", {} advice", report.advised())
                        } else {
                            String::new()
                        },
                        if report.not_run() > 0 {
                            format!(", {} not run", report.not_run())
                        } else {
                            String::new()
                        }
                    )));
                }
                self.verify = VerifyState::Finished(report);
            }
            VerifyProgress::Finished(Err(message)) => {
                let first = message.lines().next().unwrap_or_default().to_owned();
                self.notice = Some(Notice::Error(format!("verify: {first}")));
                self.verify = VerifyState::Failed(message);
            }
            VerifyProgress::CertificateRejected(message) => {
                let url = match &self.verify {
                    VerifyState::Running { url, .. } => url.clone(),
                    _ => String::new(),
                };
                let first = message.lines().next().unwrap_or_default().to_owned();
                self.notice = Some(Notice::Error(format!("verify: {first}")));
                self.verify = VerifyState::Failed(message);
                let (protected, insecure) = self.verify_run.take().unwrap_or_default();
                // Asked once: a run that accepted the certificate does not ask again.
                if !insecure && !url.is_empty() && matches!(self.mode, Mode::Normal) {
                    self.mode = Mode::VerifyInsecure { url, protected };
                }
            }
        }
    }

    /// Records verdicts in the state file as `verify --project` does.
    fn record_verdicts(&mut self, report: &VerifyReport) {
        match State::update(&self.root, |state| crate::verify::record(state, report)) {
            Ok(state) => self.state = state,
            Err(err) => {
                crate::verify::record(&mut self.state, report);
                self.notice = Some(Notice::Error(format!(
                    "verify results not saved: {}",
                    one_line(&err)
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Severity;
    use crate::tui::{Action, Journey, Keymap};

    fn app(dir: &tempfile::TempDir) -> App {
        let mut state = State::default();
        state
            .answers
            .insert("domain".into(), "api.example.com, www.example.com".into());
        state
            .answers
            .insert("health_path".into(), "/healthz".into());
        let mut app = App::new(dir.path(), state, Keymap::defaults(), Journey::Review);
        let _ = app.take_effects();
        app
    }

    fn check(item: &str, ok: bool) -> LiveCheck {
        LiveCheck {
            item: item.into(),
            ok: Some(ok),
            severity: Severity::High,
            detail: format!("{item} detail"),
            expires: None,
        }
    }

    #[test]
    fn the_prompt_offers_the_answered_domain_and_starts_a_worker() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Verify);
        let Mode::VerifyUrl(input) = &app.mode else {
            panic!("no prompt: {:?}", app.mode);
        };
        assert_eq!(input.value(), "https://api.example.com");
        app.update(Action::Confirm);
        assert!(
            matches!(&app.mode, Mode::VerifyProtected { url, input } if url == "https://api.example.com" && input.value().is_empty()),
            "then the protected path: {:?}",
            app.mode
        );
        app.update(Action::Confirm);
        assert!(matches!(app.mode, Mode::Normal));
        assert_eq!(app.phase, 6);
        assert!(app.is_busy());
        let effects = app.take_effects();
        let [Effect::Verify(options)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(options.url, "https://api.example.com");
        assert_eq!(options.health.as_deref(), Some("/healthz"));
        assert_eq!(options.protected, None, "skipped");
        // The keys stay live while it runs, and a second verify waits for the first.
        app.update(Action::MoveDown);
        assert_eq!(app.selected, 1);
        app.update(Action::Verify);
        assert!(matches!(app.notice, Some(Notice::Warning(_))));
    }

    #[test]
    fn a_protected_path_is_checked_sent_and_offered_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Verify);
        app.update(Action::Confirm);
        let Mode::VerifyProtected { input, .. } = &mut app.mode else {
            panic!("{:?}", app.mode);
        };
        *input = Input::new("https://api.example.com/api/orders".into());
        app.update(Action::Confirm);
        assert!(matches!(&app.notice, Some(Notice::Error(e)) if e.contains("is a URL")));
        assert!(
            matches!(app.mode, Mode::VerifyProtected { .. }),
            "stays open"
        );
        let Mode::VerifyProtected { input, .. } = &mut app.mode else {
            unreachable!();
        };
        *input = Input::new("/api/orders".into());
        app.update(Action::Confirm);
        let effects = app.take_effects();
        let [Effect::Verify(options)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(options.protected.as_deref(), Some("/api/orders"));
        app.update(Action::Verified(VerifyProgress::Finished(Err(
            "down".into()
        ))));
        app.update(Action::Verify);
        app.update(Action::Confirm);
        assert!(
            matches!(&app.mode, Mode::VerifyProtected { input, .. } if input.value() == "/api/orders"),
            "{:?}",
            app.mode
        );
    }

    #[test]
    fn a_certificate_that_does_not_verify_offers_one_run_accepting_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Verify);
        app.update(Action::Confirm);
        app.update(Action::Confirm);
        let _ = app.take_effects();
        let rejected = || {
            Action::Verified(VerifyProgress::CertificateRejected(
                "cannot reach https://api.example.com/: invalid peer certificate\n  hint: …".into(),
            ))
        };
        app.update(rejected());
        assert!(
            matches!(&app.mode, Mode::VerifyInsecure { url, protected: None } if url == "https://api.example.com"),
            "{:?}",
            app.mode
        );
        app.update(Action::Confirm);
        let effects = app.take_effects();
        let [Effect::Verify(options)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert!(options.insecure);
        assert_eq!(options.url, "https://api.example.com");
        // Rejected even so: it says why and does not ask again.
        app.update(rejected());
        assert!(matches!(app.mode, Mode::Normal), "{:?}", app.mode);
        assert!(matches!(app.verify, VerifyState::Failed(_)));
        // n declines: nothing runs.
        app.update(Action::Verify);
        app.update(Action::Confirm);
        app.update(Action::Confirm);
        let _ = app.take_effects();
        app.update(rejected());
        app.update(Action::Cancel);
        assert!(matches!(app.mode, Mode::Normal));
        assert!(app.take_effects().is_empty());
    }

    #[test]
    fn a_bad_url_is_refused_in_the_prompt() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.mode = Mode::VerifyUrl(Input::new("ftp://x.example".into()));
        app.update(Action::Confirm);
        assert!(
            matches!(app.mode, Mode::VerifyUrl(_)),
            "the prompt stays open"
        );
        assert!(matches!(&app.notice, Some(Notice::Error(e)) if e.contains("http://")));
        assert!(app.take_effects().is_empty());
    }

    #[test]
    fn each_verdict_is_recorded_as_it_comes() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Verify);
        app.update(Action::Confirm);
        app.update(Action::Confirm);
        app.update(Action::Verified(VerifyProgress::Check(check(
            "live-hsts",
            false,
        ))));
        let saved = State::load(dir.path()).unwrap();
        assert_eq!(
            saved.items["live-hsts"].status,
            crate::state::Status::Failing
        );
        let VerifyState::Running { checks, .. } = &app.verify else {
            panic!("{:?}", app.verify);
        };
        assert_eq!(checks.len(), 1);
        let report = VerifyReport {
            url: "https://api.example.com/".into(),
            checks: vec![check("live-hsts", false), check("live-health-ok", true)],
        };
        app.update(Action::Verified(VerifyProgress::Finished(Ok(report))));
        assert!(matches!(app.verify, VerifyState::Finished(_)));
        assert!(
            matches!(&app.notice, Some(Notice::Info(t)) if t.contains("1 passed, 1 failed")),
            "{:?}",
            app.notice
        );
        let saved = State::load(dir.path()).unwrap();
        assert_eq!(
            saved.items["live-health-ok"].status,
            crate::state::Status::Done
        );
    }

    #[test]
    fn an_unreachable_deployment_says_so_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir);
        app.update(Action::Verify);
        app.update(Action::Confirm);
        app.update(Action::Verified(VerifyProgress::Finished(Err(
            "cannot reach https://api.example.com/: refused\n  hint: is it up?".into(),
        ))));
        assert!(matches!(app.verify, VerifyState::Failed(_)));
        assert!(
            matches!(&app.notice, Some(Notice::Error(t)) if t.starts_with("verify: cannot reach"))
        );
        assert!(!app.state.items.contains_key("live-hsts"));
    }
}

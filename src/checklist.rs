//! The deployment-readiness checklist: 76 items in 7 phases, embedded from
//! `assets/checklist.toml` at compile time.

use std::fmt;
use std::sync::OnceLock;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::project::Framework;

/// The checklist source, embedded so the binary needs no files at run time.
const CHECKLIST_TOML: &str = include_str!("../assets/checklist.toml");

/// How bad it is when an item fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 4] = [Self::Critical, Self::High, Self::Medium, Self::Low];

    /// The lowercase name used in JSON, the CLI and the checklist data.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    /// A four-letter label for narrow table columns.
    pub fn short(self) -> &'static str {
        match self {
            Self::Critical => "crit",
            Self::High => "high",
            Self::Medium => "med",
            Self::Low => "low",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Ok(Self::Critical),
            "high" => Ok(Self::High),
            "medium" => Ok(Self::Medium),
            "low" => Ok(Self::Low),
            _ => bail!("unknown severity `{s}`: expected critical, high, medium or low"),
        }
    }
}

/// How an item gets its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decider {
    /// The project scanner decides it from the code.
    Auto,
    /// A generated file satisfies it.
    Gen,
    /// `preflight verify URL` decides it against the running deployment.
    Live,
    /// The user marks it.
    Manual,
    /// A maintenance task with a period.
    Recurring,
}

impl Decider {
    /// The lowercase name used in the data and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Gen => "gen",
            Self::Live => "live",
            Self::Manual => "manual",
            Self::Recurring => "recurring",
        }
    }
}

/// One of the seven phases.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub number: u8,
    pub name: String,
    /// One word for narrow columns.
    pub short: String,
}

/// The fix for an item, per framework where frameworks differ.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub any: String,
    pub django: Option<String>,
    pub fastapi: Option<String>,
    pub flask: Option<String>,
}

impl Fix {
    /// The fix for `framework`, falling back to the framework-neutral text.
    pub fn for_framework(&self, framework: Framework) -> &str {
        let specific = match framework {
            Framework::Django => self.django.as_deref(),
            Framework::Fastapi => self.fastapi.as_deref(),
            Framework::Flask => self.flask.as_deref(),
            Framework::Unknown => None,
        };
        specific.unwrap_or(&self.any)
    }
}

/// One requirement of the checklist.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub phase: u8,
    pub severity: Severity,
    pub how: Vec<Decider>,
    /// For recurring items: how many days a "done" lasts.
    pub period_days: Option<u32>,
    /// The requirement, stated positively.
    pub title: String,
    /// The requirement when it fails ("DEBUG is on").
    pub problem: String,
    pub why: String,
    pub fix: Fix,
    /// Which deployment guides the item was drawn from.
    #[serde(default)]
    pub seeds: Vec<String>,
    /// The files a person's decision on this item rests on, as gitignore-style
    /// patterns (`views.py`, `settings/`); when any of them changes, the
    /// decision is stale. `None`: the project's source files. Empty: none.
    #[serde(default)]
    pub scope: Option<Vec<String>>,
}

impl ChecklistItem {
    /// Whether the scanner decides this item.
    pub fn is_auto(&self) -> bool {
        self.how.contains(&Decider::Auto)
    }

    /// Whether a person may mark this item done: everything but purely
    /// automatic items, whose status only the scanner sets.
    pub fn user_can_mark_done(&self) -> bool {
        self.how.iter().any(|d| *d != Decider::Auto)
    }

    /// The `how` column as text: `auto, gen`.
    pub fn how_label(&self) -> String {
        let names: Vec<&str> = self.how.iter().map(|d| d.as_str()).collect();
        names.join(", ")
    }
}

/// The whole checklist.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    #[serde(rename = "phase")]
    pub phases: Vec<Phase>,
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// The embedded checklist, parsed once.
    ///
    /// # Panics
    /// Never in a tested build: the embedded data is validated by a unit test.
    pub fn get() -> &'static Checklist {
        static CHECKLIST: OnceLock<Checklist> = OnceLock::new();
        CHECKLIST.get_or_init(|| {
            // The data is embedded and validated by a unit test, so a failure
            // here is a build defect, not a user error.
            #[allow(clippy::expect_used)]
            Checklist::parse(CHECKLIST_TOML).expect("assets/checklist.toml is valid")
        })
    }

    /// Parses and validates checklist data.
    pub fn parse(text: &str) -> anyhow::Result<Checklist> {
        let checklist: Checklist = toml::from_str(text).context("parsing checklist data")?;
        checklist.validate()?;
        Ok(checklist)
    }

    /// Checks the invariants the rest of the program relies on.
    fn validate(&self) -> anyhow::Result<()> {
        let mut seen = std::collections::HashSet::new();
        for (index, phase) in self.phases.iter().enumerate() {
            if usize::from(phase.number) != index + 1 {
                bail!("phase {} is out of order", phase.number);
            }
        }
        for item in &self.items {
            if !seen.insert(item.id.as_str()) {
                bail!("duplicate item id `{}`", item.id);
            }
            if self.phase(item.phase).is_none() {
                bail!("item `{}` names unknown phase {}", item.id, item.phase);
            }
            if item.how.is_empty() {
                bail!("item `{}` says nothing about how it is decided", item.id);
            }
            let recurring = item.how.contains(&Decider::Recurring);
            if recurring != item.period_days.is_some() {
                bail!(
                    "item `{}`: recurring items, and only they, need period_days",
                    item.id
                );
            }
            for (field, text) in [
                ("title", &item.title),
                ("problem", &item.problem),
                ("why", &item.why),
                ("fix.any", &item.fix.any),
            ] {
                if text.trim().is_empty() {
                    bail!("item `{}` has an empty {field}", item.id);
                }
            }
        }
        Ok(())
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|item| item.id == id)
    }

    /// The phase with this number.
    pub fn phase(&self, number: u8) -> Option<&Phase> {
        self.phases.iter().find(|phase| phase.number == number)
    }

    /// The items of one phase, in checklist order.
    pub fn items_in(&self, phase: u8) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(move |item| item.phase == phase)
    }

    /// The item with this id, or an error that suggests the closest id.
    pub fn require(&self, id: &str) -> anyhow::Result<&ChecklistItem> {
        if let Some(item) = self.item(id) {
            return Ok(item);
        }
        match self.closest_id(id) {
            Some(near) => bail!(
                "unknown item id `{id}`\n  hint: did you mean `{near}`? `preflight status --json` lists every id"
            ),
            None => {
                bail!("unknown item id `{id}`\n  hint: `preflight status --json` lists every id")
            }
        }
    }

    /// The id most similar to `id`, if any is reasonably close.
    pub fn closest_id(&self, id: &str) -> Option<&str> {
        self.items
            .iter()
            .map(|item| {
                (
                    strsim::normalized_damerau_levenshtein(id, &item.id),
                    &item.id,
                )
            })
            .filter(|(score, _)| *score > 0.4)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_checklist_is_well_formed() {
        let checklist = Checklist::parse(CHECKLIST_TOML).unwrap();
        assert_eq!(checklist.items.len(), 76);
        assert_eq!(checklist.phases.len(), 7);
        let ids: std::collections::HashSet<_> = checklist.items.iter().map(|i| &i.id).collect();
        assert_eq!(ids.len(), 76, "ids are unique");
        for phase in 1..=7 {
            assert!(
                checklist.items_in(phase).count() > 0,
                "phase {phase} has items"
            );
        }
        for item in &checklist.items {
            assert_eq!(item.period_days.is_some(), item.phase == 7, "{}", item.id);
            let sentences = item.why.matches(". ").count() + 1;
            assert!(
                (2..=6).contains(&sentences),
                "{}: why has 2-4 sentences",
                item.id
            );
        }
    }

    #[test]
    fn a_fix_shown_to_one_framework_installs_no_other_frameworks_extra() {
        use crate::project::Framework;
        let frameworks = [
            (Framework::Django, "django"),
            (Framework::Fastapi, "fastapi"),
            (Framework::Flask, "flask"),
        ];
        for item in &Checklist::get().items {
            for (framework, own) in frameworks {
                let fix = item.fix.for_framework(framework);
                for (_, other) in frameworks.iter().filter(|(_, name)| *name != own) {
                    // A comment may name the others as alternatives; the command may not.
                    let installs_other = fix.lines().any(|line| {
                        let command = line.split('#').next().unwrap_or(line);
                        command.contains(&format!("[{other}]"))
                    });
                    assert!(!installs_other, "{} for {own}: {fix}", item.id);
                }
            }
        }
    }

    #[test]
    fn ids_match_the_spec() {
        let checklist = Checklist::get();
        for id in [
            "secret-key-from-env",
            "debug-off",
            "api-auth-required",
            "health-endpoint",
            "live-hsts",
            "rotate-secrets",
            "security-audit",
        ] {
            assert!(checklist.item(id).is_some(), "{id}");
        }
        assert_eq!(
            checklist.item("debug-off").unwrap().severity,
            Severity::Critical
        );
        assert_eq!(
            checklist.item("rotate-secrets").unwrap().period_days,
            Some(90)
        );
    }

    #[test]
    fn unknown_id_suggests_the_closest() {
        let err = Checklist::get()
            .require("debug-of")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `debug-off`"), "{err}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let text = r#"
            [[phase]]
            number = 1
            name = "One"
            short = "One"
            [[item]]
            id = "a"
            phase = 1
            severity = "low"
            how = ["manual"]
            title = "t"
            problem = "p"
            why = "w. x."
            fix = { any = "f" }
            [[item]]
            id = "a"
            phase = 1
            severity = "low"
            how = ["manual"]
            title = "t"
            problem = "p"
            why = "w. x."
            fix = { any = "f" }
        "#;
        let err = Checklist::parse(text).unwrap_err().to_string();
        assert!(err.contains("duplicate"), "{err}");
    }

    #[test]
    fn only_purely_automatic_items_refuse_manual_done() {
        let checklist = Checklist::get();
        assert!(!checklist.item("debug-off").unwrap().user_can_mark_done());
        assert!(
            checklist
                .item("api-auth-required")
                .unwrap()
                .user_can_mark_done()
        );
        assert!(checklist.item("wsgi-server").unwrap().user_can_mark_done());
    }
}

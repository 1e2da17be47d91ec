//! Keys to actions: defaults from the embedded `assets/keymap.toml`, with the
//! user's `keymap.toml` from the config dir patched over them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::Screen;

/// The default bindings, embedded so the binary needs no files at run time.
const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// One key with its modifiers, as written in a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl Key {
    /// The key a terminal event stands for; Shift is folded into the character.
    pub fn from_event(event: KeyEvent) -> Key {
        let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    /// Parses `j`, `space`, `ctrl-d`, `alt-x`, `pageup`, ….
    pub fn parse(text: &str) -> anyhow::Result<Key> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(after) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::CONTROL;
                rest = after;
            } else if let Some(after) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::ALT;
                rest = after;
            } else {
                break;
            }
        }
        let code = match rest {
            "space" => KeyCode::Char(' '),
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            other => {
                let mut chars = other.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if modifiers.contains(KeyModifiers::CONTROL) => {
                        KeyCode::Char(c.to_ascii_lowercase())
                    }
                    (Some(c), None) => KeyCode::Char(c),
                    _ => bail!(
                        "unknown key `{text}`: expected a character, or space, enter, esc, tab, \
                         backtab, up, down, left, right, pageup, pagedown, home, end, with \
                         optional ctrl- or alt-"
                    ),
                }
            }
        };
        Ok(Key { code, modifiers })
    }

    /// Sorts arrows and named keys before letters, for help and the footer.
    fn rank(self) -> (u8, String) {
        let group = match self.code {
            KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right => 0,
            KeyCode::Char(_) if self.modifiers.is_empty() => 1,
            _ if self.modifiers.is_empty() => 2,
            _ => 3,
        };
        (group, self.to_string())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Which table of the keymap file a binding lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Section {
    Global,
    Screen(Screen),
}

impl Section {
    fn parse(name: &str) -> Option<Section> {
        match name {
            "global" => Some(Section::Global),
            "checklist" => Some(Section::Screen(Screen::Checklist)),
            _ => None,
        }
    }
}

/// Key bindings per screen, with bindings that work everywhere.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<(Section, Key), Action>,
}

impl Keymap {
    /// The embedded defaults.
    ///
    /// # Panics
    /// Never in a tested build: the embedded keymap is validated by a unit test.
    pub fn defaults() -> Keymap {
        let mut keymap = Keymap {
            bindings: HashMap::new(),
        };
        // Embedded data, checked by a unit test: a failure is a build defect.
        #[allow(clippy::expect_used)]
        keymap
            .patch(DEFAULT_KEYMAP)
            .expect("assets/keymap.toml is valid");
        keymap
    }

    /// The defaults with the user's `keymap.toml` from the config dir over them.
    pub fn load() -> anyhow::Result<Keymap> {
        match crate::config::config_dir() {
            Some(dir) => Self::load_with(&dir.join("keymap.toml")),
            None => Ok(Self::defaults()),
        }
    }

    /// The defaults with the keymap file at `path` over them; no file, no change.
    pub fn load_with(path: &Path) -> anyhow::Result<Keymap> {
        let mut keymap = Self::defaults();
        match std::fs::read_to_string(path) {
            Ok(text) => keymap
                .patch(&text)
                .with_context(|| format!("{} is not a valid keymap", path.display()))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        }
        Ok(keymap)
    }

    /// Applies a keymap file's bindings over the current ones.
    fn patch(&mut self, text: &str) -> anyhow::Result<()> {
        let table: toml::Table = toml::from_str(text)?;
        for (name, keys) in table {
            let section = Section::parse(&name).with_context(|| {
                format!("unknown table [{name}]: expected [global] or [checklist]")
            })?;
            let keys = keys
                .as_table()
                .with_context(|| format!("[{name}] must be a table of key = \"action\""))?;
            for (key_text, value) in keys {
                let key = Key::parse(key_text).with_context(|| format!("in [{name}]"))?;
                let action_name = value
                    .as_str()
                    .with_context(|| format!("[{name}] {key_text}: the action must be a string"))?;
                if action_name == "none" {
                    self.bindings.remove(&(section, key));
                    continue;
                }
                let action: Action = toml::Value::String(action_name.to_owned())
                    .try_into()
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "[{name}] {key_text}: unknown action `{action_name}`\n  hint: {}the \
                             actions are {}",
                            closest_action(action_name)
                                .map(|a| format!("did you mean `{a}`? "))
                                .unwrap_or_default(),
                            action_names().join(", ")
                        )
                    })?;
                self.bindings.insert((section, key), action);
            }
        }
        Ok(())
    }

    /// The action bound to `key` on `screen`, falling back to the global keys.
    ///
    /// The digits 1–7 jump to that phase on the checklist unless bound to
    /// something else.
    pub fn action(&self, screen: Screen, key: Key) -> Option<Action> {
        self.bindings
            .get(&(Section::Screen(screen), key))
            .or_else(|| self.bindings.get(&(Section::Global, key)))
            .cloned()
            .or_else(|| match key.code {
                KeyCode::Char(digit @ '1'..='7') if key.modifiers.is_empty() => {
                    let number = u8::try_from(u32::from(digit) - u32::from('0')).ok()?;
                    Some(Action::JumpPhase(number))
                }
                _ => None,
            })
    }

    /// The keys that trigger `action` on `screen`, arrows first.
    pub fn keys_for(&self, screen: Screen, action: &Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|((section, key), bound)| {
                bound.same_kind(action)
                    && match section {
                        Section::Screen(s) => *s == screen,
                        Section::Global => {
                            // A screen binding of the same key shadows the global one.
                            !self.bindings.contains_key(&(Section::Screen(screen), *key))
                        }
                    }
            })
            .map(|((_, key), _)| *key)
            .collect();
        keys.sort_by_key(|key| key.rank());
        keys.dedup();
        keys
    }

    /// The keys for `action` as text: `↓ j`; empty when unbound.
    pub fn label(&self, screen: Screen, action: &Action) -> String {
        let keys: Vec<String> = self
            .keys_for(screen, action)
            .iter()
            .map(ToString::to_string)
            .collect();
        keys.join(" ")
    }
}

/// The action name nearest a misspelt one (`mark_dne` → `mark_done`).
fn closest_action(name: &str) -> Option<String> {
    action_names()
        .into_iter()
        .map(|a| (strsim::damerau_levenshtein(name, &a), a))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, a)| a)
}

/// The names of the bindable actions, for error hints.
fn action_names() -> Vec<String> {
    Action::BINDABLE
        .iter()
        .map(|action| {
            let debug = format!("{action:?}");
            let mut snake = String::new();
            for (i, c) in debug.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_names_every_action_a_keymap_can_bind() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("The actions are ")
            .expect("the README lists the actions");
        let sentence = &readme[start..];
        let sentence = &sentence[..sentence.find(". ").unwrap_or(sentence.len())];
        let listed: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
        let mut names = action_names();
        names.sort();
        let mut listed_sorted: Vec<String> = listed.iter().map(|s| (*s).to_owned()).collect();
        listed_sorted.sort();
        assert_eq!(listed_sorted, names, "README: {sentence}");
    }

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key::from_event(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn defaults_bind_every_action() {
        let keymap = Keymap::defaults();
        for action in &Action::BINDABLE {
            assert!(
                !keymap.keys_for(Screen::Checklist, action).is_empty(),
                "{action:?} has a key"
            );
        }
        let down = keymap.action(
            Screen::Checklist,
            press(KeyCode::Char('j'), KeyModifiers::NONE),
        );
        assert!(matches!(down, Some(Action::MoveDown)));
        let help = keymap.action(
            Screen::Checklist,
            press(KeyCode::Char('?'), KeyModifiers::SHIFT),
        );
        assert!(matches!(help, Some(Action::Help)));
        let quit = keymap.action(
            Screen::Checklist,
            press(KeyCode::Char('c'), KeyModifiers::CONTROL),
        );
        assert!(matches!(quit, Some(Action::Quit)));
        assert_eq!(keymap.label(Screen::Checklist, &Action::MoveDown), "↓ j");
    }

    #[test]
    fn user_overrides_patch_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        std::fs::write(&path, "[checklist]\nx = \"mark_done\"\nspace = \"none\"\n").unwrap();
        let keymap = Keymap::load_with(&path).unwrap();
        let space = Key::parse("space").unwrap();
        assert!(keymap.action(Screen::Checklist, space).is_none());
        let x = Key::parse("x").unwrap();
        assert!(matches!(
            keymap.action(Screen::Checklist, x),
            Some(Action::MarkDone)
        ));
        assert!(matches!(
            keymap.action(Screen::Checklist, Key::parse("j").unwrap()),
            Some(Action::MoveDown)
        ));
    }

    #[test]
    fn bad_keymaps_name_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        for (text, expected) in [
            ("[checklist]\nx = \"fly\"\n", "unknown action `fly`"),
            (
                "[checklist]\nspacebar = \"quit\"\n",
                "unknown key `spacebar`",
            ),
            ("[nowhere]\nx = \"quit\"\n", "unknown table [nowhere]"),
            ("[checklist]\nx = \"confirm\"\n", "unknown action `confirm`"),
            (
                "[checklist]\nx = \"mark_dne\"\n",
                "did you mean `mark_done`?",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = format!("{:#}", Keymap::load_with(&path).unwrap_err());
            assert!(err.contains(expected), "{err}");
            assert!(err.contains("keymap.toml"), "{err}");
        }
    }

    #[test]
    fn keys_parse_and_print() {
        for text in ["j", "space", "ctrl-d", "pageup", "?", "G", "alt-x"] {
            let key = Key::parse(text).unwrap();
            assert_eq!(
                Key::parse(&key.to_string().replace("pgup", "pageup")).unwrap(),
                key
            );
        }
        assert_eq!(
            press(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::parse("G").unwrap()
        );
    }
}

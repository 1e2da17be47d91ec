//! preflight: gets a Python web backend (Django, FastAPI, Flask) ready for
//! production and keeps it there.
//!
//! The domain modules (checklist, state, scan, …) are plain Rust returning
//! data; `cli` and the TUI are thin faces over them.

pub mod answers;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod digest;
pub mod envfile;
pub mod filekind;
pub mod fsutil;
pub mod generate;
pub mod gitignore;
pub mod progress;
pub mod project;
pub mod report;
pub mod review;
pub mod scan;
pub mod secrets;
pub mod state;
pub mod tui;
pub mod verify;

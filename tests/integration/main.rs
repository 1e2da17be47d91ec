//! Integration tests: they run the real `preflight` binary.

mod check;
mod ci;
mod envfile;
mod generate;
mod hardening;
mod help;
mod report;
mod review;
mod secret;
mod status_mark;
mod tools;
mod tui_e2e;
mod util;
mod verify;

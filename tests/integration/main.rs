//! Integration tests: they run the real `preflight` binary.

mod envfile;
mod secret;
mod status_mark;
#[allow(dead_code)] // each helper serves some test modules, not all
mod util;

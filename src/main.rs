//! The `preflight` binary: parse, dispatch, exit.

fn main() -> std::process::ExitCode {
    preflight::cli::main()
}

//! The `preflight` binary: parse, dispatch, exit.

/// The scanner makes many small allocations per file; mimalloc serves them
/// faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    preflight::cli::main()
}

//! The `pyopt` command line: parse the arguments and hand them to the
//! subcommand (`src/cli/`), which calls the library and prints.

use std::process::ExitCode;

use clap::Parser;

mod cli;

/// mimalloc: the codec allocates many small vectors per code object; glibc's
/// allocator spent a fifth of a run in malloc/free and scaled worse across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}

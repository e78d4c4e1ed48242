//! The `vigie` binary: parses the command line and maps the outcome to an
//! exit status (0 match, 1 no match, 2 error; a closed pipe is not an error).

/// `std::eprintln!` without its panic: a stderr that is closed or gone
/// (`vigie search … 2>&1 | head -1`) drops the message instead of
/// aborting the command with exit 101. Defined before the modules, it is
/// the `eprintln!` every message of the command line goes through.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_or_exit();
    match cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("vigie: error: {}", cli::printable(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

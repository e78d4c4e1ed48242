//! The `vigie` binary: parses the command line and maps the outcome to an
//! exit status (0 match, 1 no match, 2 error; a closed pipe is not an error).

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

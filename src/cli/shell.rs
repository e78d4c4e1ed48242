//! `vigie completions SHELL` and `vigie man`: shell integration generated
//! from the clap definitions, so they never drift from the real flags.

use std::io::{self, Write};

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// Shell to generate completions for
    #[arg(value_enum)]
    shell: Shell,
}

pub(crate) const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  vigie completions bash > ~/.local/share/bash-completion/completions/vigie
  vigie completions zsh > ~/.zfunc/_vigie
  vigie completions fish > ~/.config/fish/completions/vigie.fish";

pub(crate) const MAN_EXAMPLES: &str = "\
Examples:
  vigie man > ~/.local/share/man/man1/vigie.1 && man vigie";

pub(crate) fn completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = Cli::command();
    // `clap_complete::generate` panics when its writer fails, so the script
    // is generated in memory and written here: a closed pipe (`| head`)
    // then ends the command quietly like every other one, and a full device
    // is an error with exit status 2.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "vigie", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .context("writing the completions")?;
    Ok(0)
}

pub(crate) fn man() -> Result<u8> {
    let cmd = Cli::command();
    let mut out = io::stdout().lock();
    // Every write error is returned, never a panic: a closed pipe ends the
    // command quietly (see `main`).
    page(&cmd, &mut out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name: &'static str = Box::leak(format!("vigie-{}", sub.get_name()).into_boxed_str());
        writeln!(out)?;
        page(&sub.clone().name(name), &mut out)?;
    }
    out.flush()?;
    Ok(0)
}

/// One man page: clap_mangen's sections, then the command's examples and
/// notes (its `after_help`) as a NOTES section kept line for line (`.nf`):
/// clap_mangen would put them under "EXTRA", reflowed into one paragraph.
fn page(cmd: &clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    if let Some(notes) = cmd.get_after_help() {
        writeln!(out, ".SH NOTES\n.nf")?;
        writeln!(out, "{}", roff_literal(&notes.to_string()))?;
        writeln!(out, ".fi")?;
    }
    if cmd.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// `text` as literal roff lines: backslashes and hyphens escaped, a line
/// starting with `.` or `'` protected so that it is not read as a request.
fn roff_literal(text: &str) -> String {
    text.lines()
        .map(|line| {
            let escaped = line.replace('\\', "\\e").replace('-', "\\-");
            if escaped.starts_with('.') || escaped.starts_with('\'') {
                format!("\\&{escaped}")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

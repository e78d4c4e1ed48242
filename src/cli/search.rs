//! `vigie search`: run a query and print the hits.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use clap::{Args, ValueEnum};

use vigie::output::{HumanPrinter, JsonPrinter, DEFAULT_WINDOW_CHARS};
use vigie::search::{SearchOptions, Searcher};

use super::{open_for_search, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie search cyberdéfense              accents optional: cyberdefense finds it too
  vigie search \"l'Alliance\"              elided articles are handled (l' d' qu' jusqu'…)
  vigie search '\"serveurs Microsoft Exchange\"'   exact phrase
  vigie search 'otan OR ukraine -chine'  either word, without chine
  vigie search 'sécur*'                  prefix: sécurité, sécuritaire…
  vigie search --json rançongiciels      JSON Lines, one hit per line

Exit status: 0 if something matched, 1 if nothing did, 2 on error.";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Number of hits to show
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Skip the N best hits first
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,
    /// JSON Lines: one object per hit, then a summary object
    #[arg(long)]
    json: bool,
    /// Print only the number of matching paragraphs
    #[arg(long, conflicts_with = "json")]
    count: bool,
    /// Colour the output: auto (terminal and NO_COLOR unset), always, never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
    /// Report query syntax problems as errors (exit 2) instead of working around them
    #[arg(long)]
    strict: bool,
    /// Show on stderr how each query word was analysed
    #[arg(long)]
    explain: bool,
    /// The query; several words are joined with spaces
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    query: Vec<String>,
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            io::stdout().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 20)
        .unwrap_or(80)
}

pub(crate) fn run(args: SearchArgs) -> Result<u8> {
    let handle = open_for_search(&args.location)?;
    let searcher = Searcher::new(handle)?;
    let query = args.query.join(" ");
    let options = SearchOptions {
        limit: if args.count { 0 } else { args.limit },
        offset: args.offset,
        strict: args.strict,
    };
    let results = searcher.search(&query, &options)?;
    for note in &results.notes {
        eprintln!("vigie: note: query {note}");
    }
    if args.explain {
        for line in &results.explain {
            eprintln!("vigie: explain: {line}");
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.count {
        writeln!(out, "{}", results.total)?;
    } else if args.json {
        JsonPrinter.write(&mut out, &results)?;
    } else {
        let printer = HumanPrinter {
            color: use_color(args.color),
            width: terminal_width(),
            window_chars: DEFAULT_WINDOW_CHARS,
        };
        printer.write(&mut out, &results)?;
        if results.total > results.hits.len() + args.offset
            && !results.hits.is_empty()
            && io::stdout().is_terminal()
        {
            eprintln!(
                "vigie: showing {} of {} matching paragraphs (use -n / --offset for more)",
                results.hits.len(),
                results.total
            );
        }
    }
    out.flush()?;
    Ok(if results.total > 0 { 0 } else { 1 })
}

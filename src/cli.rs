//! The command line: flags, the default index location, and the commands.
//!
//! Each command turns its flags into calls of the library ([`vigie::ingest`],
//! [`vigie::search`], [`vigie::output`]) and returns an exit status:
//! 0 something matched (or the command succeeded), 1 no match, 2 error.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use vigie::index::IndexHandle;
use vigie::ingest::{ingest, IngestOptions, IngestSummary, Progress};
use vigie::output::{HumanPrinter, JsonPrinter, DEFAULT_WINDOW_CHARS};
use vigie::search::{SearchOptions, Searcher};

const SEARCH_EXAMPLES: &str = "\
Examples:
  vigie search cyberdéfense              accents optional: cyberdefense finds it too
  vigie search \"l'Alliance\"              elided articles are handled (l' d' qu' jusqu'…)
  vigie search '\"serveurs Microsoft Exchange\"'   exact phrase
  vigie search 'otan OR ukraine -chine'  either word, without chine
  vigie search 'sécur*'                  prefix: sécurité, sécuritaire…
  vigie search --json rançongiciels      JSON Lines, one hit per line

Exit status: 0 if something matched, 1 if nothing did, 2 on error.";

const INDEX_EXAMPLES: &str = "\
Examples:
  vigie index ~/statements               every .txt, .jsonl, .jsonl.gz below the folder
  vigie index --index /tmp/idx a.jsonl   into a given index directory

Re-indexing a statement (same id) replaces it.";

/// vigie: search official French statements, paragraph by paragraph.
#[derive(Debug, Parser)]
#[command(name = "vigie", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build or update an index from statement files or folders.
    #[command(after_help = INDEX_EXAMPLES)]
    Index(IndexArgs),
    /// Search the index; print ranked paragraphs with the matched words highlighted.
    #[command(after_help = SEARCH_EXAMPLES)]
    Search(SearchArgs),
}

#[derive(Debug, Args)]
struct IndexLocation {
    /// Index directory [default: $VIGIE_INDEX, else the platform data directory]
    #[arg(long, value_name = "DIR", global = true)]
    index: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct IndexArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Writer memory budget in MiB, all threads together
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    memory: usize,
    /// Indexing threads [default: number of cores]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Files or folders (.txt, .jsonl, .jsonl.gz; folders are walked recursively)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
struct SearchArgs {
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

/// Runs the parsed command line; returns the exit status.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Index(args) => run_index(args),
        Command::Search(args) => run_search(args),
    }
}

/// Where the index lives, and whether the user named it explicitly.
fn resolve_index(location: &IndexLocation) -> Result<(PathBuf, bool)> {
    if let Some(dir) = &location.index {
        return Ok((dir.clone(), true));
    }
    if let Some(dir) = std::env::var_os("VIGIE_INDEX").filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), false));
    }
    Ok((data_dir()?.join("index"), false))
}

fn data_dir() -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy()
        .context("finding the platform data directory (set VIGIE_INDEX)")?;
    Ok(strategy.data_dir().join("vigie"))
}

fn report_problem(e: &dyn std::fmt::Display) {
    eprintln!("vigie: warning: {e}");
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn run_ingest(
    handle: &IndexHandle,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<IngestSummary> {
    let bar = progress_bar();
    let summary = ingest(
        handle,
        paths,
        options,
        &mut |e| bar.suspend(|| report_problem(e)),
        &mut |p| match p {
            Progress::Discovered { bytes, .. } => bar.set_length(bytes),
            Progress::FileDone { bytes, .. } => bar.inc(bytes),
            Progress::Counts {
                documents,
                paragraphs,
            } => bar.set_message(format!("{documents} statements, {paragraphs} paragraphs")),
            Progress::Committing => bar.set_message("committing…"),
        },
    )
    .with_context(|| format!("indexing into {}", handle.dir.display()))?;
    bar.finish_and_clear();
    Ok(summary)
}

fn run_index(args: IndexArgs) -> Result<u8> {
    let (dir, _) = resolve_index(&args.location)?;
    let handle = IndexHandle::open_or_create(&dir)?;
    let options = IngestOptions {
        memory_bytes: args.memory.saturating_mul(1024 * 1024),
        threads: args
            .threads
            .unwrap_or_else(|| IngestOptions::default().threads),
    };
    let s = run_ingest(&handle, &args.paths, &options)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "indexed {} statements, {} paragraphs from {} files in {:.1} s into {}{}",
        s.documents,
        s.paragraphs,
        s.files,
        s.elapsed.as_secs_f64(),
        dir.display(),
        warnings_suffix(&s)
    )?;
    Ok(0)
}

fn warnings_suffix(s: &IngestSummary) -> String {
    let mut parts = Vec::new();
    if s.warnings > 0 {
        parts.push(format!("{} warnings", s.warnings));
    }
    if s.skipped > 0 {
        parts.push(format!("{} files skipped (unknown extension)", s.skipped));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Opens the index for searching; builds the default index from the
/// bundled corpus when it does not exist yet.
fn open_for_search(location: &IndexLocation) -> Result<IndexHandle> {
    let (dir, explicit) = resolve_index(location)?;
    if !explicit && !vigie::index::exists(&dir) {
        let corpus = vigie::bundled::materialize(&data_dir()?.join("corpus"))
            .context("writing the bundled corpus")?;
        eprintln!(
            "vigie: no index at {} yet; indexing the bundled corpus ({}) first",
            dir.display(),
            corpus.display()
        );
        let handle = IndexHandle::open_or_create(&dir)?;
        let s = run_ingest(&handle, &[corpus], &IngestOptions::default())?;
        eprintln!(
            "vigie: indexed {} statements, {} paragraphs in {:.1} s{}",
            s.documents,
            s.paragraphs,
            s.elapsed.as_secs_f64(),
            warnings_suffix(&s)
        );
        return Ok(handle);
    }
    Ok(IndexHandle::open(&dir)?)
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

fn run_search(args: SearchArgs) -> Result<u8> {
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

//! The command line: flags, the default index location, and the commands.
//!
//! Each command turns its flags into calls of the library ([`vigie::ingest`],
//! [`vigie::search`], [`vigie::output`]) and returns an exit status:
//! 0 something matched (or the command succeeded), 1 no match, 2 error.

mod bench;
mod exclusion;
mod index;
mod push;
mod remote;
mod rm;
mod search;
mod serve;
mod shell;
mod stats;
mod trend;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use vigie::index::IndexHandle;
use vigie::ingest::{ingest, IngestOptions, IngestSummary, Progress};

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
    #[command(after_help = index::EXAMPLES)]
    Index(index::IndexArgs),
    /// Search the index; print ranked paragraphs with the matched words highlighted.
    #[command(after_help = search::EXAMPLES)]
    Search(search::SearchArgs),
    /// Matching paragraphs and statements per year or month, and their share of the period.
    #[command(after_help = trend::EXAMPLES)]
    Trend(trend::TrendArgs),
    /// Serve the index over HTTP: a search page and a JSON API (127.0.0.1:7700).
    #[command(after_help = serve::EXAMPLES)]
    Serve(serve::ServeArgs),
    /// Show what an index holds: statements, paragraphs, size, versions, sources.
    #[command(after_help = stats::EXAMPLES)]
    Stats(stats::StatsArgs),
    /// Send the index to an OpenSearch cluster (incremental), for `search --opensearch`.
    #[command(after_help = push::EXAMPLES)]
    Push(push::PushArgs),
    /// Remove statements from the index by id.
    #[command(after_help = rm::EXAMPLES)]
    Rm(rm::RmArgs),
    /// Measure search latency over a query file (percentiles per query and per kind).
    #[command(after_help = bench::EXAMPLES)]
    Bench(bench::BenchArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) on stdout.
    #[command(after_help = shell::COMPLETIONS_EXAMPLES)]
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff) on stdout.
    #[command(after_help = shell::MAN_EXAMPLES)]
    Man,
}

impl Cli {
    /// The command line of this process, or the exit clap gives for a bad
    /// one (usage on stderr, exit 2; help and version on stdout, exit 0).
    /// A query word written as an exclusion (`vigie search otan -chine`,
    /// `-hongrie`) is not left to clap, which would read it as options:
    /// the error names the word and says how to search it
    /// ([`exclusion::exclusion_error`]).
    pub fn parse_or_exit() -> Cli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let refuse = |message: String| -> ! {
            eprintln!("vigie: error: {message}");
            std::process::exit(2)
        };
        if let Some(message) = exclusion::exclusion_error(&args, None) {
            refuse(message);
        }
        match Cli::try_parse_from(&args) {
            Ok(cli) => cli,
            Err(e) => match exclusion::exclusion_error(&args, Some(&e)) {
                Some(message) => refuse(message),
                None => e.exit(),
            },
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct IndexLocation {
    /// Index directory [default: $VIGIE_INDEX, else the platform data directory]
    #[arg(long, value_name = "DIR", global = true)]
    pub(crate) index: Option<PathBuf>,
}

/// Runs the parsed command line; returns the exit status.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Trend(args) => trend::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Push(args) => push::run(args),
        Command::Rm(args) => rm::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
    }
}

/// Bad synonym lines printed before the rest are only counted.
const SYNONYM_ERRORS_SHOWN: usize = 20;

/// Prints the bad lines of a synonym file on stderr, one a line.
pub(crate) fn report_synonym_errors(errors: &[vigie::thesaurus::SynonymError]) {
    for e in errors.iter().take(SYNONYM_ERRORS_SHOWN) {
        eprintln!("vigie: error: {e}");
    }
    if errors.len() > SYNONYM_ERRORS_SHOWN {
        eprintln!(
            "vigie: error: … and {} more bad lines",
            errors.len() - SYNONYM_ERRORS_SHOWN
        );
    }
    // A file named by the environment, not on the command line, is named
    // as such: the user may not remember setting it.
    if let Some(env) = std::env::var_os("VIGIE_SYNONYMS").filter(|v| !v.is_empty()) {
        let env = std::path::PathBuf::from(env);
        let shown = env.display().to_string();
        if errors.iter().any(|e| e.to_string().starts_with(&shown)) {
            eprintln!(
                "vigie: note: {shown} is the synonyms file of $VIGIE_SYNONYMS (unset it, or \
                 give --synonyms FILE)"
            );
        }
    }
}

/// Prints the query's notes on stderr, one a line: `vigie: note: query at
/// byte N: …` for a note about one place of the query, `vigie: note: …`
/// for one about the whole query.
pub(crate) fn report_notes(notes: &[vigie::search::query::QueryNote]) {
    for note in notes {
        match note.position {
            Some(_) => eprintln!("vigie: note: query {note}"),
            None => eprintln!("vigie: note: {note}"),
        }
    }
}

/// `"1 statement"`, `"2 statements"`: a count with its noun.
pub(crate) fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Where the index lives, and whether the user chose it (`--index` or
/// `$VIGIE_INDEX`) rather than getting the platform default.
pub(crate) fn resolve_index(location: &IndexLocation) -> Result<(PathBuf, bool)> {
    if let Some(dir) = &location.index {
        return Ok((dir.clone(), true));
    }
    // A location the user chose (flag or variable) is never filled with the
    // bundled sample behind their back: only the platform default is.
    if let Some(dir) = std::env::var_os("VIGIE_INDEX").filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), true));
    }
    Ok((data_dir()?.join("index"), false))
}

pub(crate) fn data_dir() -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy()
        .context("finding the platform data directory (set VIGIE_INDEX)")?;
    Ok(strategy.data_dir().join("vigie"))
}

pub(crate) fn report_problem(e: &dyn std::fmt::Display) {
    eprintln!("vigie: warning: {}", printable(&e.to_string()));
}

/// `text` with its control characters (a file name holding an escape
/// sequence, a newline) written as `\u{1b}`, so that a message never
/// drives the terminal nor forges a line of its own.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

pub(crate) fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub(crate) fn run_ingest(
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
            } => bar.set_message(format!(
                "{}, {}",
                plural(documents, "statement"),
                plural(paragraphs, "paragraph")
            )),
            Progress::Committing => bar.set_message("committing…"),
        },
    )
    .with_context(|| format!("indexing into {}", handle.dir.display()))?;
    bar.finish_and_clear();
    Ok(summary)
}

pub(crate) fn warnings_suffix(s: &IngestSummary) -> String {
    let mut parts = Vec::new();
    if s.warnings > 0 {
        parts.push(plural(s.warnings as u64, "warning"));
    }
    if s.skipped > 0 {
        let named: Vec<String> = s.unknown.iter().map(|p| p.display().to_string()).collect();
        let named = match named.len() {
            0 => String::new(),
            n if n < s.skipped => format!(": {}, …", named.join(", ")),
            _ => format!(": {}", named.join(", ")),
        };
        // A JSON file is most often meant as JSON Lines.
        let json = s.unknown.iter().any(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        });
        let hint = if json {
            "; statements as JSON are read from JSON Lines files, named .jsonl"
        } else {
            ""
        };
        parts.push(format!(
            "{} skipped (not a statement file: unknown extension, pipe, device, or a vigie index's own{named}{hint})",
            plural(s.skipped as u64, "file")
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Opens the index for searching; builds the default index from the
/// bundled corpus when it does not exist yet.
pub(crate) fn open_for_search(location: &IndexLocation) -> Result<IndexHandle> {
    let (dir, explicit) = resolve_index(location)?;
    if !explicit && !vigie::index::exists(&dir) {
        let corpus = bundled_corpus()?;
        eprintln!(
            "vigie: no index at {} yet; indexing the bundled corpus ({}) first",
            dir.display(),
            corpus.display()
        );
        let handle = IndexHandle::open_or_create(&dir)?;
        let s = run_ingest(&handle, &[corpus], &IngestOptions::default())?;
        eprintln!("vigie: indexed {}", written(&s));
        return Ok(handle);
    }
    match IndexHandle::open(&dir) {
        Err(vigie::index::IndexError::Version {
            found_schema,
            found_analyzer,
            ..
        }) if !explicit => rebuild_default_index(&dir, found_schema, found_analyzer),
        opened => Ok(opened?),
    }
}

/// Rebuilds the default index, built by an earlier vigie (`found_schema`,
/// `found_analyzer`), from the files it records (the bundled corpus
/// written again first), when every one of them still exists: vigie made
/// that index, and a rebuild swaps the new one in only once complete. With
/// a recorded file gone, the version error stands, as for any other index.
fn rebuild_default_index(
    dir: &std::path::Path,
    found_schema: u32,
    found_analyzer: u32,
) -> Result<IndexHandle> {
    bundled_corpus()?;
    let manifest = vigie::index::Manifest::read_from_dir(dir).unwrap_or_default();
    let paths: Vec<PathBuf> = manifest.files.keys().map(PathBuf::from).collect();
    if paths.is_empty() || paths.iter().any(|p| !p.exists()) {
        return Ok(IndexHandle::open(dir)?);
    }
    eprintln!(
        "vigie: the default index at {} was built by an earlier vigie (schema v{found_schema} / \
         analyzer v{found_analyzer}); rebuilding it from its {} first",
        dir.display(),
        plural(paths.len() as u64, "file")
    );
    let s = vigie::ingest::rebuild(
        dir,
        &paths,
        &IngestOptions::default(),
        &mut |e| report_problem(e),
        &mut |_| {},
    )
    .with_context(|| format!("rebuilding {}", dir.display()))?;
    eprintln!("vigie: rebuilt {}", written(&s));
    Ok(IndexHandle::open(dir)?)
}

/// The bundled corpus, written into the data directory (see
/// [`vigie::bundled::materialize`]); its path.
fn bundled_corpus() -> Result<PathBuf> {
    vigie::bundled::materialize(&data_dir()?.join("corpus")).context("writing the bundled corpus")
}

/// What an ingest wrote, for the default index's lines on stderr:
/// `1 statement, 4 paragraphs in 0.0 s`, and its warnings.
fn written(s: &IngestSummary) -> String {
    format!(
        "{}, {} in {:.1} s{}",
        plural(s.documents, "statement"),
        plural(s.paragraphs, "paragraph"),
        s.elapsed.as_secs_f64(),
        warnings_suffix(s)
    )
}

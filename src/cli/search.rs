//! `vigie search`: run a query and print the hits.

use std::io::{self, IsTerminal, Write};

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};

use vigie::output::{CsvPrinter, HumanPrinter, JsonPrinter, DEFAULT_WINDOW_CHARS};
use vigie::search::query::{date_interval, DATE_FORMS};
use vigie::search::rank::{RankConfig, RULES};
use vigie::search::{SearchOptions, Searcher, SortOrder};

use super::{open_for_search, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Query syntax (words are ANDed; accents, case, elisions and inflections don't matter):
  cyberdéfense                    one word; cyberdefense and CYBERDÉFENSE find the same
  cyber défense                   both words (also finds cyberdéfense, cyber-défense)
  \"serveurs Microsoft Exchange\"   exact phrase; \"menaces cyber\"~3 allows 3 words between
  otan OR ukraine                 either word
  otan -chine, otan NOT chine     without chine
  (russie OR chine) ingérence     grouping
  sécur*                          prefix: sécurité, sécuritaire…
  compromision~1                  words within 1 edit (typos are also corrected
                                  automatically when a word finds nothing; --exact stops it)
  title:otan  lang:fr  source:nato  ref:\"(2021) 120\"      field filters
  title:hybr*  source:conseil*                             a prefix in a field
  date:2021  date:[2020-01-01 TO 2021-06-30]               date filters

Synonyms: a word or phrase that names an entry of the thesaurus also finds the
entry's other names, acronyms and English terms (ONU → \"Nations unies\", UN,
\"United Nations\"), ranked below the words as typed and marked \"via synonym\".
--explain shows each expansion and its source; --exact turns them off;
--synonyms FILE (or $VIGIE_SYNONYMS) adds your own (Solr format: `a, b, c` or `a => b`).

Examples:
  vigie search \"l'Alliance\" --since 2021
  vigie search --docs rançongiciels          which statements mention it
  vigie search -C 1 '\"droit international\"'  with the paragraph before and after
  vigie search --sort date menaces hybrides   newest first
  vigie search --format csv cyberdéfense > hits.csv
  vigie search --json --explain cyberdefence
  vigie search --parallel cyberespace        with the English version of each paragraph
  vigie search --opensearch http://127.0.0.1:9200 otan
                                             the same words on a cluster filled by `vigie push`
                                             (as --all-words without typo correction, ranked by OpenSearch)

Exit status: 0 if something matched, 1 if nothing did, 2 on error.";

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text (default)
    Human,
    /// JSON Lines: one object per hit, then a summary object
    Json,
    /// CSV with a header: rank, score, title, date, reference, paragraph, url, doc_id, lang, text,
    /// partial, matched_terms, via
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Sort {
    /// Best match first
    Score,
    /// Newest statement first
    Date,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    #[command(flatten)]
    location: IndexLocation,
    // --opensearch URL, --name, --ca-file: search a cluster filled by
    // `vigie push` instead of the local index.
    #[command(flatten)]
    connection: super::remote::Connection,
    /// Number of hits to show
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10,
          allow_negative_numbers = true, value_parser = hit_count)]
    limit: usize,
    /// Skip the N first hits (paging)
    #[arg(long, value_name = "N", default_value_t = 0,
          allow_negative_numbers = true, value_parser = hit_count)]
    offset: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Print only the numbers of matching paragraphs and statements
    #[arg(long)]
    count: bool,
    /// One line per statement: its best paragraph and how many paragraphs match
    #[arg(long)]
    docs: bool,
    /// Show N paragraphs of the same statement before and after each hit
    #[arg(short = 'C', long, value_name = "N", default_value_t = 0)]
    context: usize,
    /// Order of the hits
    #[arg(long, value_enum, default_value = "score")]
    sort: Sort,
    /// Only statements dated on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD, "juillet 2021", "19 juillet 2021", 2021/07/19)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only statements dated on or before DATE (same forms as --since)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only statements in this language (fr, en); default: all, each with its own analyzer
    #[arg(long, value_name = "LANG", value_parser = lang_code)]
    lang: Option<String>,
    /// Show under each hit the matching paragraph of its version in the other language
    #[arg(long)]
    parallel: bool,
    /// Search words only as typed: no synonyms, no automatic typo
    /// correction, and a quoted phrase only as written (not loosened to its
    /// words when it is rare or absent)
    #[arg(long)]
    exact: bool,
    /// Also expand queries with the synonyms of FILE (Solr / Elasticsearch
    /// format: `a, b, c` or `a => b`, `#` comments), added to vigie's
    /// thesaurus and to those stored with the index [default:
    /// $VIGIE_SYNONYMS when set and not empty]
    #[arg(long, value_name = "FILE")]
    synonyms: Option<std::path::PathBuf>,
    /// Only paragraphs holding every word of the query: no partial matches,
    /// no paragraphs found through their statement or their translation,
    /// phrases only as written.
    #[arg(long)]
    all_words: bool,
    /// Turn off one ranking rule, to measure what it buys (bm25, partial,
    /// statement, siblings, language, proximity, twins, loosen, synonyms); repeatable.
    #[arg(long = "without-rule", value_name = "RULE", hide = true)]
    without_rule: Vec<String>,
    /// Colour the output: auto (terminal and NO_COLOR unset), always, never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
    /// Report query syntax problems as errors (exit 2) instead of working around them
    #[arg(long)]
    strict: bool,
    /// Show on stderr how the query was understood, and which terms each hit matched
    #[arg(long)]
    explain: bool,
    /// The query; several words are joined with spaces. Quote it, or put it
    /// after `--`, when it starts with `-` (`vigie search -- -chine otan`)
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
}

/// Whether a search failed because the files it read are gone or damaged:
/// what a rebuild's swap does to a reader of the old index.
fn lost_to_a_swap(e: &vigie::search::SearchError) -> bool {
    matches!(e, vigie::search::SearchError::Tantivy(e) if files_gone_or_damaged(e))
}

/// The Tantivy errors of index files gone or damaged under a reader: a
/// damaged or vanished file, or the reader's lock file that cannot be
/// created because a rebuild swapped the directory away meanwhile.
fn files_gone_or_damaged(e: &tantivy::TantivyError) -> bool {
    use tantivy::directory::error::LockError;
    match e {
        tantivy::TantivyError::DataCorruption(_) | tantivy::TantivyError::OpenReadError(_) => true,
        tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
            io.kind() == std::io::ErrorKind::NotFound
        }
        _ => false,
    }
}

pub(crate) fn use_color(choice: ColorChoice) -> bool {
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

pub(crate) fn date_flag(
    flag: &str,
    value: Option<&str>,
    end: bool,
) -> Result<Option<jiff::civil::Date>> {
    let Some(v) = value else { return Ok(None) };
    match date_interval(v) {
        Some((first, last)) => Ok(Some(if end { last } else { first })),
        None => {
            bail!("{flag} {v:?}: not a date vigie reads (a day that exists, written {DATE_FORMS})")
        }
    }
}

/// How many times a search that lost its files to a rebuild's swap runs
/// again on the new index.
const SWAP_RETRIES: usize = 5;

/// A number of hits for `-n` or `--offset`: a whole number, 0 or more
/// (`-1` is refused as such, not taken for an option).
fn hit_count(value: &str) -> Result<usize, String> {
    let v = value.trim();
    v.parse::<usize>().map_err(|_| {
        if v.starts_with('-') {
            format!("{value} is below 0: give a number of hits, 0 or more")
        } else if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            format!("{value} is more than {} hits", usize::MAX)
        } else {
            format!("{value} is not a whole number of hits (0 or more)")
        }
    })
}

pub(crate) fn run(args: SearchArgs) -> Result<u8> {
    let since = date_flag("--since", args.since.as_deref(), false)?;
    let until = date_flag("--until", args.until.as_deref(), true)?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since {s} is after --until {u}: no date can match");
        }
    }
    let synonyms = synonym_file(args.synonyms.clone(), args.exact);
    let query = args.query.join(" ");
    if args.count && (args.offset > 0 || args.limit != 10) {
        eprintln!("vigie: note: --count counts every match: -n and --offset have no effect");
    }
    if vigie::search::query::is_blank_query(&query) {
        bail!(
            "the query is empty: give the words to search (`vigie search --help` shows the syntax)"
        );
    }
    let format = if args.json { Format::Json } else { args.format };
    if args.parallel && format == Format::Csv {
        eprintln!(
            "vigie: note: --parallel: CSV has no columns for the other language's paragraph; \
             --json or the terminal output show it"
        );
    }
    let options = SearchOptions {
        limit: if args.count { 0 } else { args.limit },
        offset: args.offset,
        strict: args.strict,
        exact: args.exact,
        since,
        until,
        sort: match args.sort {
            Sort::Score => SortOrder::Score,
            Sort::Date => SortOrder::Date,
        },
        group_by_statement: args.docs,
        context: args.context,
        count_statements: args.count,
        lang: args.lang.clone(),
        parallel: args.parallel,
        all_words: args.all_words,
        ranking: ranking_config(&args.without_rule)?,
    };
    let results = if args.connection.opensearch.is_some() {
        if args.parallel {
            bail!("--parallel does not work with --opensearch yet");
        }
        let thesaurus =
            match super::remote::thesaurus(&args.location, synonyms.as_deref(), args.exact)? {
                Ok(t) => t,
                Err(code) => return Ok(code),
            };
        let asked = super::remote::Asked {
            query: &query,
            search: vigie::remote::search::RemoteSearch {
                limit: options.limit,
                offset: options.offset,
                by_date: options.sort == SortOrder::Date,
                count_statements: args.count,
                context: args.context,
                group_by_statement: args.docs,
                filters: super::remote::filters(since, until, args.lang.as_deref()),
                thesaurus: Some(thesaurus),
                synonyms: !args.exact,
                ..Default::default()
            },
            strict: args.strict,
        };
        match super::remote::results(&args.connection, asked) {
            Ok(results) => results,
            Err(code) => return Ok(code),
        }
    } else {
        match run_on_searcher(&args.location, synonyms.as_deref(), |s| {
            s.search(&query, &options)
        })? {
            Ok(results) => results,
            Err(code) => return Ok(code),
        }
    };
    super::report_notes(&results.notes);
    if args.explain {
        for line in &results.explain {
            eprintln!("vigie: explain: {line}");
        }
        for hit in &results.hits {
            let words: Vec<&str> = hit
                .highlights
                .iter()
                .map(|h| &hit.text[h[0]..h[1]])
                .collect();
            eprintln!(
                "vigie: explain: hit {} ({} §{}, score {:.3}) matched: {}",
                hit.rank,
                super::printable(&hit.doc_id),
                hit.paragraph,
                hit.score,
                if words.is_empty() {
                    "(no highlighted word)".to_string()
                } else {
                    super::printable(&words.join(", ")).into_owned()
                }
            );
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.count {
        let statements = results.statements.unwrap_or(0);
        if format == Format::Json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"type": "count", "paragraphs": results.total, "statements": statements})
            )?;
        } else if format == Format::Csv {
            writeln!(out, "paragraphs,statements\n{},{statements}", results.total)?;
        } else {
            writeln!(
                out,
                "{} paragraph{} in {} statement{}",
                results.total,
                if results.total == 1 { "" } else { "s" },
                statements,
                if statements == 1 { "" } else { "s" }
            )?;
        }
    } else {
        match format {
            Format::Json => JsonPrinter.write(&mut out, &results)?,
            Format::Csv => CsvPrinter.write(&mut out, &results)?,
            Format::Human => {
                let printer = HumanPrinter {
                    color: use_color(args.color),
                    width: terminal_width(),
                    window_chars: DEFAULT_WINDOW_CHARS,
                };
                printer.write(&mut out, &results)?;
                let shown = args.offset + results.hits.len();
                let total = results
                    .statements
                    .filter(|_| args.docs)
                    .unwrap_or(results.total);
                let found = results.total + results.partial;
                // As --count counts: the paragraphs holding every part.
                let in_all = if results.partial > 0 {
                    format!(
                        "{found} in all, {} of them holding every part",
                        results.total
                    )
                } else {
                    format!("{found} in all")
                };
                // Paging is news for a reader at a terminal; an empty answer
                // is said wherever stderr goes (stdout stays empty).
                // Pages run through every hit, partial ones too.
                let listed = if args.docs { total } else { found };
                if listed > shown && !results.hits.is_empty() {
                    if io::stderr().is_terminal() {
                        let full = if args.docs || results.partial == 0 {
                            String::new()
                        } else {
                            format!(", {} of them holding every part", results.total)
                        };
                        eprintln!(
                            "vigie: showing {}–{} of {listed}{full} (use -n / --offset for more)",
                            args.offset + 1,
                            shown
                        );
                    }
                } else if results.hits.is_empty() && found == 0 {
                    if args.explain {
                        // The explanation is above already.
                        eprintln!("vigie: no paragraph matches");
                    } else {
                        eprintln!(
                            "vigie: no paragraph matches (--explain shows how the query was read)"
                        );
                    }
                    let root = vigie::search::query::parse(&query).root;
                    if args.lang.as_deref() == Some("en")
                        && vigie::search::language::shown(root.as_ref()) == Some(false)
                    {
                        // A French query kept to English paragraphs finds
                        // them only through the thesaurus and translations.
                        eprintln!(
                            "vigie: note: --lang en keeps English paragraphs, and a French word \
                             reaches them only through the thesaurus's English entries and \
                             the statements' translations: try the English word"
                        );
                    }
                } else if results.hits.is_empty() && args.limit == 0 {
                    eprintln!("vigie: -n 0 shows no hit: {in_all}");
                } else if results.hits.is_empty() {
                    eprintln!(
                        "vigie: no hits on this page: {in_all}; --offset {} is past them",
                        args.offset
                    );
                }
            }
        }
    }
    out.flush()?;
    // --count counts paragraphs holding every part: its exit status says
    // whether that count is zero.
    let found = if args.count {
        results.total
    } else {
        results.total + results.partial
    };
    Ok(if found > 0 { 0 } else { 1 })
}

/// A `--lang` value (see [`vigie::search::lang_code`]).
pub(crate) fn lang_code(text: &str) -> Result<String, String> {
    vigie::search::lang_code(text)
        .ok_or_else(|| format!("{text:?} is not a two-letter language code (fr, en, de…)"))
}

/// The user's synonym file: `--synonyms`, else `$VIGIE_SYNONYMS` when set
/// and not empty; none under `--exact`, which does not even read it.
pub(crate) fn synonym_file(
    flag: Option<std::path::PathBuf>,
    exact: bool,
) -> Option<std::path::PathBuf> {
    let file = flag.or_else(|| {
        std::env::var_os("VIGIE_SYNONYMS")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    });
    file.filter(|_| !exact)
}

/// Opens the index at `location` with the synonyms of `synonyms` added and
/// runs `op` on it. A rebuild may swap a new index in while `op` reads the
/// old one, whose files are then gone: `op` runs again on the new one (a
/// few times, as rebuilds may follow each other).
///
/// Returns `op`'s result, or the exit status after the
/// error was reported on stderr (bad synonym lines, a damaged index).
///
/// # Errors
/// An index that cannot be opened, or `op`'s other errors.
pub(crate) fn run_on_searcher<T>(
    location: &IndexLocation,
    synonyms: Option<&std::path::Path>,
    op: impl Fn(&Searcher) -> Result<T, vigie::search::SearchError>,
) -> Result<Result<T, u8>> {
    let mut tries = 0;
    let (searcher, outcome) = loop {
        let handle = open_for_search(location)?;
        let opened = Searcher::new(handle).and_then(|s| match synonyms {
            Some(path) => s.add_synonyms(path),
            None => Ok(s),
        });
        let searcher = match opened {
            Ok(s) => s,
            Err(e) if lost_to_a_swap(&e) && tries < SWAP_RETRIES => {
                tries += 1;
                continue;
            }
            Err(vigie::search::SearchError::Synonyms(errors)) => {
                super::report_synonym_errors(&errors);
                return Ok(Err(2));
            }
            Err(e) => {
                eprintln!("vigie: error: {}", super::printable(&e.to_string()));
                return Ok(Err(2));
            }
        };
        let outcome = op(&searcher);
        if tries < SWAP_RETRIES && matches!(&outcome, Err(e) if lost_to_a_swap(e)) {
            tries += 1;
            continue;
        }
        break (searcher, outcome);
    };
    match outcome {
        Ok(value) => Ok(Ok(value)),
        Err(vigie::search::SearchError::Synonyms(errors)) => {
            super::report_synonym_errors(&errors);
            Ok(Err(2))
        }
        // Damage found only when a query reads a part of the index (a
        // missing positions file under a phrase) says what to do too.
        Err(vigie::search::SearchError::Tantivy(e)) if files_gone_or_damaged(&e) => {
            let damaged = vigie::index::IndexError::Corrupt {
                dir: searcher.handle().dir.clone(),
                message: e.to_string(),
            };
            eprintln!("vigie: error: {}", super::printable(&damaged.to_string()));
            Ok(Err(2))
        }
        Err(e) => Err(e.into()),
    }
}

/// The shipped ranking with the named rules turned off.
pub(crate) fn ranking_config(without: &[String]) -> Result<RankConfig> {
    let mut config = RankConfig::default();
    if let Ok(tune) = std::env::var("VIGIE_TUNE") {
        for kv in tune.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let v: f32 = v.parse().unwrap_or(0.0);
            match k {
                "k1" => config.bm25.k1 = v,
                "b" => config.bm25.b = v,
                "floor" => config.bm25.floor = v,
                "st" => config.statement = v,
                "sib" => config.siblings = v as usize,
                "share" => config.partial_share = v,
                "other" => config.other_language = v,
                "prox" => config.proximity = v,
                _ => {}
            }
        }
    }
    for rule in without.iter().flat_map(|r| r.split(',')) {
        config = config.without(rule.trim()).map_err(|name| {
            anyhow::anyhow!(
                "--without-rule {name}: unknown rule (expected one of {})",
                RULES.join(", ")
            )
        })?;
    }
    Ok(config)
}

//! `vigie index`: build or update an index from statement files.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use vigie::corpus::CorpusError;
use vigie::index::{IndexHandle, Manifest};
use vigie::ingest::{self, IngestOptions, IngestSummary, Progress, UpdateOptions};

use super::{progress_bar, report_problem, resolve_index, warnings_suffix, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie index ~/statements               every .txt, .md, .html, .jsonl, .jsonl.gz below
  vigie index --index /tmp/idx a.jsonl   into a given index directory
  vigie index --prune ~/statements       also drop statements whose files were deleted
  vigie index --rebuild                  rebuild from the files recorded in the index
  vigie index --strict ~/statements      exit status 2 if any file or record had a problem

Incremental: a file already indexed and unchanged (same size and time, or same
content) is not read again; a changed file's statements replace the old ones;
a statement id read twice in one run is reported (the later one wins).
Files from which no statement can be read (binary, empty, unreadable, only bad
lines) are reported and skipped, and whatever was indexed from them before is
kept. JSON Lines files are streamed (lines up to 64 MiB); .txt, .md and .html
files up to 64 MiB are read whole.
Only one `vigie index` may write to an index at a time; searches keep working
meanwhile, on the last commit. A run that is interrupted leaves the last
commit intact; running it again finishes the work.

A PATH that does not exist is a warning when other paths exist; when none
exists, nothing is indexed and no index is created (exit status 2).

Exit status: 0 done (warnings are reported on stderr and counted),
2 error (such as no PATH that exists), or warnings with --strict.";

/// Problems printed per file before the rest are only counted.
const PROBLEMS_SHOWN_PER_FILE: usize = 20;

#[derive(Debug, Args)]
pub(crate) struct IndexArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Writer memory budget in MiB, all threads together (at most 4 GB a
    /// thread is used)
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    memory: usize,
    /// Indexing threads, 1 to 64 (each takes at least 16 MiB) [default:
    /// number of cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,
    /// Also remove the statements of indexed files that no longer exist
    #[arg(long)]
    prune: bool,
    /// Rebuild from scratch into a new directory, swapped in only when
    /// complete (without PATH: from the files the index was built from)
    #[arg(long, conflicts_with = "prune")]
    rebuild: bool,
    /// Exit with status 2 if any file or record had a problem (the readable
    /// statements are still indexed)
    #[arg(long)]
    strict: bool,
    /// Commit after a file once this many MiB were read since the last
    /// commit, so that an interrupted run resumes from there
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    checkpoint: u64,
    /// Store the synonyms of FILE (Solr / Elasticsearch format) with the
    /// index: every search of it uses them, beside vigie's thesaurus
    /// (replaces those stored before; the file is checked first)
    #[arg(long, value_name = "FILE")]
    synonyms: Option<PathBuf>,
    /// Remove the synonyms stored with the index
    #[arg(long, conflicts_with = "synonyms")]
    no_synonyms: bool,
    /// Files or folders (.txt, .md, .html, .jsonl, .jsonl.gz; folders are walked recursively)
    #[arg(
        value_name = "PATH",
        required_unless_present_any = ["prune", "rebuild", "synonyms", "no_synonyms"]
    )]
    paths: Vec<PathBuf>,
}

/// Prints problems, at most [`PROBLEMS_SHOWN_PER_FILE`] per file.
#[derive(Default)]
struct ProblemPrinter {
    per_file: HashMap<PathBuf, usize>,
}

impl ProblemPrinter {
    fn report(&mut self, e: &CorpusError) {
        let seen = self.per_file.entry(e.path().to_path_buf()).or_default();
        *seen += 1;
        if *seen <= PROBLEMS_SHOWN_PER_FILE {
            report_problem(e);
        }
    }

    fn file_done(&mut self, path: &std::path::Path) {
        if let Some(n) = self.per_file.remove(path) {
            if n > PROBLEMS_SHOWN_PER_FILE {
                report_problem(&format!(
                    "{}: {} not shown",
                    path.display(),
                    super::plural((n - PROBLEMS_SHOWN_PER_FILE) as u64, "more problem")
                ));
            }
        }
    }
}

pub(crate) fn run(args: IndexArgs) -> Result<u8> {
    let (dir, _) = resolve_index(&args.location)?;
    let options = IngestOptions {
        memory_bytes: args.memory.saturating_mul(1024 * 1024),
        threads: args
            .threads
            .map_or_else(|| IngestOptions::default().threads, usize::from),
    };
    let update = UpdateOptions {
        prune: args.prune,
        checkpoint_bytes: args.checkpoint.saturating_mul(1024 * 1024).max(1),
    };
    // Synonyms are checked before anything is indexed.
    let synonyms = match &args.synonyms {
        Some(file) => match read_synonyms(file) {
            Ok(text) => Some(text),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    if args.paths.is_empty() && !args.rebuild && !args.prune {
        let handle = IndexHandle::open(&dir)?;
        store_synonyms(&handle, synonyms.as_ref(), &args)?;
        return Ok(0);
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() && args.rebuild {
        let manifest = Manifest::read_from_dir(&dir).unwrap_or_default();
        if manifest.files.is_empty() {
            bail!(
                "no PATH given, and the index at {} records no source files: \
                 give the files or folders to index",
                dir.display()
            );
        }
        paths = manifest.files.keys().map(PathBuf::from).collect();
        if paths.iter().all(|p| is_missing(p)) {
            bail!(
                "none of the {} recorded as the sources of the index at {} exists any more; \
                 nothing was rebuilt: give the files or folders to index",
                super::plural(paths.len() as u64, "file"),
                dir.display()
            );
        }
    } else if !paths.is_empty() && paths.iter().all(|p| is_missing(p)) {
        // A mistyped path must not look like a successful run (nor create an
        // empty index, nor rebuild one into an empty index); a missing path
        // beside existing ones stays a warning.
        if let [only] = paths.as_slice() {
            if only == std::path::Path::new("-") {
                bail!(
                    "- (standard input) is not read: give files or folders of statements; \
                     nothing was indexed"
                );
            }
            bail!("{} does not exist; nothing was indexed", only.display());
        }
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "none of the given paths exists ({}); nothing was indexed",
            names.join(", ")
        );
    }

    let bar = progress_bar();
    let printer = RefCell::new(ProblemPrinter::default());
    let mut on_problem = |e: &CorpusError| bar.suspend(|| printer.borrow_mut().report(e));
    let mut on_progress = |p: Progress| match p {
        Progress::Discovered { bytes, .. } => bar.set_length(bytes),
        Progress::FileDone { bytes, path } => {
            bar.inc(bytes);
            bar.suspend(|| printer.borrow_mut().file_done(&path));
        }
        Progress::Counts {
            documents,
            paragraphs,
        } => bar.set_message(format!(
            "{}, {}",
            super::plural(documents, "statement"),
            super::plural(paragraphs, "paragraph")
        )),
        Progress::Committing => bar.set_message("committing…"),
    };
    let summary = if args.rebuild {
        ingest::rebuild(&dir, &paths, &options, &mut on_problem, &mut on_progress)
            .with_context(|| format!("rebuilding {}", dir.display()))?
    } else {
        let handle = IndexHandle::open_or_create(&dir)?;
        ingest::ingest_with(
            &handle,
            &paths,
            &options,
            &update,
            &mut on_problem,
            &mut on_progress,
        )
        .with_context(|| format!("indexing into {}", dir.display()))?
    };
    bar.finish_and_clear();
    if synonyms.is_some() || args.no_synonyms {
        store_synonyms(&IndexHandle::open(&dir)?, synonyms.as_ref(), &args)?;
    }

    let mut out = io::stdout().lock();
    writeln!(out, "{}", summary_line(&summary, &args, &dir))?;
    if args.rebuild && dir.file_name().is_none() {
        // The rebuilt index took the place of the directory named `.`:
        // a shell still in the old one sees no index until it moves.
        eprintln!(
            "vigie: note: the rebuilt index replaced the directory {}; a shell whose current \
             directory it was must enter it again (cd \"$PWD\")",
            dir.display()
        );
    }
    if summary.missing > 0 {
        let (files, verb) = if summary.missing == 1 {
            ("1 indexed file no longer exists".to_string(), "its")
        } else {
            (
                format!("{} indexed files no longer exist", summary.missing),
                "their",
            )
        };
        eprintln!("vigie: note: {files}; `vigie index --prune` removes {verb} statements");
    }
    if args.strict && summary.warnings > 0 {
        eprintln!(
            "vigie: error: {} with --strict (the readable statements were indexed)",
            super::plural(summary.warnings as u64, "warning")
        );
        return Ok(2);
    }
    Ok(0)
}

/// The text of the synonym file `file` and its number of groups, once
/// checked; on bad lines they are printed and the exit status returned.
fn read_synonyms(file: &std::path::Path) -> Result<(String, usize), u8> {
    match vigie::thesaurus::Thesaurus::read_text(file) {
        // The text checked is the text stored: the file is read once.
        Ok((text, groups)) => Ok((text, groups.len())),
        Err(errors) => {
            super::report_synonym_errors(&errors);
            eprintln!("vigie: error: nothing was indexed: fix the synonym file first");
            Err(2)
        }
    }
}

/// Stores (or, with `--no-synonyms`, removes) the synonyms kept with the
/// index, and says so on stderr.
fn store_synonyms(
    handle: &IndexHandle,
    synonyms: Option<&(String, usize)>,
    args: &IndexArgs,
) -> Result<()> {
    if let (Some((text, groups)), Some(file)) = (synonyms, &args.synonyms) {
        handle.store_synonyms(text)?;
        eprintln!(
            "vigie: {} of {} stored with the index",
            super::plural(*groups as u64, "synonym group"),
            file.display()
        );
    } else if args.no_synonyms {
        handle.remove_synonyms()?;
        eprintln!("vigie: the index keeps no synonyms of its own now");
    }
    Ok(())
}

/// Whether nothing exists at `path` (a dangling symbolic link included).
/// A path that cannot be checked (permissions) is not called missing: its
/// problem is reported when it is read.
fn is_missing(path: &std::path::Path) -> bool {
    matches!(path.try_exists(), Ok(false))
}

fn summary_line(s: &IngestSummary, args: &IndexArgs, dir: &std::path::Path) -> String {
    let mut files = format!(
        "files: {} added, {} updated, {} unchanged",
        s.added, s.updated, s.unchanged
    );
    if args.prune {
        files.push_str(&format!(
            ", {} pruned ({})",
            s.pruned,
            super::plural(s.pruned_statements, "statement")
        ));
    }
    if s.failed > 0 {
        files.push_str(&format!(", {} unreadable", s.failed));
    }
    format!(
        "{}{files}; {}, {} written in {:.1} s into {}{}",
        if args.rebuild {
            "rebuilt from scratch; "
        } else {
            ""
        },
        super::plural(s.documents, "statement"),
        super::plural(s.paragraphs, "paragraph"),
        s.elapsed.as_secs_f64(),
        dir.display(),
        warnings_suffix(s)
    )
}

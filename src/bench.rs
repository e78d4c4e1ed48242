//! Benchmarking: query files, latency percentiles and corpus samples.
//!
//! This module answers "how fast is a search, and for which kind of query?".
//! It backs `vigie bench`, the criterion benches in `benches/` and the
//! plain-Tantivy peer in `examples/plain_tantivy.rs`, so that every
//! engine is measured by the same code:
//!
//! - [`parse_queries`] reads a query file: one query per line, blank lines
//!   and `#` comments skipped, `# kind: NAME` lines naming the kind of the
//!   queries that follow;
//! - [`measure`] runs every query a number of times (round-robin over the
//!   queries, after warm-up rounds) through any engine given as a closure,
//!   and [`run`] does so with a vigie [`Searcher`];
//! - [`Percentiles`] summarises latencies (nearest-rank p50, p95, p99, max),
//!   per query and per kind, split into search (top-k + count) and
//!   fetch (stored fields + highlights) time;
//! - [`sample_documents`] and [`sample_paragraphs`] take a bounded sample of
//!   large corpus files without reading them whole.
//!
//! All durations are in microseconds; all sizes in bytes.

use std::cell::Cell;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use serde::Serialize;

use crate::corpus::{self, CorpusError, Document, Format};
use crate::search::{SearchError, SearchOptions, Searcher};

/// Kind given to queries that come before any `# kind:` line.
pub const DEFAULT_KIND: &str = "default";

/// One query of a query file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenchQuery {
    /// Kind, from the last `# kind: NAME` line above it ([`DEFAULT_KIND`]
    /// when there is none).
    pub kind: String,
    /// The query, trimmed.
    pub text: String,
    /// 1-based line number in the file.
    pub line: usize,
}

/// Parses a query file: one query per line; blank lines and lines starting
/// with `#` are skipped, except `# kind: NAME`, which sets the kind of the
/// queries that follow it.
pub fn parse_queries(text: &str) -> Vec<BenchQuery> {
    let mut kind = DEFAULT_KIND.to_string();
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(name) = comment.trim_start().strip_prefix("kind:") {
                let name = name.trim();
                kind = if name.is_empty() {
                    DEFAULT_KIND.to_string()
                } else {
                    name.to_string()
                };
            }
            continue;
        }
        out.push(BenchQuery {
            kind: kind.clone(),
            text: line.to_string(),
            line: i + 1,
        });
    }
    out
}

/// Reads and parses the query file at `path` (see [`parse_queries`]).
///
/// # Errors
/// The I/O error when the file cannot be read; [`std::io::ErrorKind::InvalidData`]
/// naming the 1-based line (`line 501: not UTF-8 text`) when it is not
/// UTF-8 text.
pub fn read_queries(path: &Path) -> std::io::Result<Vec<BenchQuery>> {
    let bytes = std::fs::read(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(parse_queries(&text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {line}: not UTF-8 text"),
            ))
        }
    }
}

/// Latency summary of a set of samples, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Number of samples.
    pub samples: usize,
    /// Median, in microseconds.
    pub p50: f64,
    /// 95th percentile, in microseconds.
    pub p95: f64,
    /// 99th percentile, in microseconds.
    pub p99: f64,
    /// Largest sample, in microseconds.
    pub max: f64,
    /// Arithmetic mean, in microseconds.
    pub mean: f64,
}

impl Percentiles {
    /// Summarises `samples` (microseconds, any order) with nearest-rank
    /// percentiles: the p-th percentile is the smallest sample such that at
    /// least p % of the samples are less than or equal to it. All zero for
    /// no samples.
    pub fn of(samples: &[f64]) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let rank = |p: f64| {
            let r = (p / 100.0 * n as f64).ceil() as usize;
            sorted[r.clamp(1, n) - 1]
        };
        Percentiles {
            samples: n,
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: sorted[n - 1],
            mean: sorted.iter().sum::<f64>() / n as f64,
        }
    }
}

/// What one execution of a query reported.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sample {
    /// Matching paragraphs in the whole index.
    pub total: usize,
    /// Hits returned (at most the limit).
    pub returned: usize,
    /// Time to find and count the hits (query parsing and planning
    /// included), in microseconds.
    pub search_micros: f64,
    /// Time to load the returned hits' stored fields and highlight them,
    /// in microseconds.
    pub fetch_micros: f64,
}

/// How many times to run each query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchConfig {
    /// Measured rounds over the whole query list.
    pub runs: usize,
    /// Unmeasured rounds first (to warm caches and page in the index).
    pub warmup: usize,
    /// Hits requested per query (top-k).
    pub limit: usize,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            runs: 20,
            warmup: 3,
            limit: 10,
        }
    }
}

/// Measurements of one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryReport {
    /// Query kind.
    pub kind: String,
    /// The query.
    pub query: String,
    /// Matching paragraphs (from the last run).
    pub hits: usize,
    /// Hits returned (from the last run).
    pub returned: usize,
    /// Wall time of the whole call, in microseconds.
    pub total: Percentiles,
    /// Search time (top-k + count), in microseconds.
    pub search: Percentiles,
    /// Fetch + highlight time, in microseconds.
    pub fetch: Percentiles,
    /// Queries per second (one thread): runs divided by the summed wall time.
    pub qps: f64,
}

/// Measurements pooled over all queries of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindReport {
    /// Query kind (`all` for the overall summary).
    pub kind: String,
    /// Number of distinct queries of this kind.
    pub queries: usize,
    /// Mean number of matching paragraphs per query.
    pub mean_hits: f64,
    /// Wall time of the whole call, in microseconds.
    pub total: Percentiles,
    /// Search time (top-k + count), in microseconds.
    pub search: Percentiles,
    /// Fetch + highlight time, in microseconds.
    pub fetch: Percentiles,
    /// Queries per second (one thread): executions divided by the summed
    /// wall time.
    pub qps: f64,
}

/// A whole benchmark run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// Engine measured (`vigie`, `plain-tantivy`, …).
    pub engine: String,
    /// Measured rounds.
    pub runs: usize,
    /// Warm-up rounds.
    pub warmup: usize,
    /// Hits requested per query.
    pub limit: usize,
    /// One entry per query, in file order.
    pub queries: Vec<QueryReport>,
    /// One entry per kind, in order of first appearance.
    pub kinds: Vec<KindReport>,
    /// All queries together (kind `all`).
    pub overall: KindReport,
}

#[derive(Default)]
struct Series {
    total: Vec<f64>,
    search: Vec<f64>,
    fetch: Vec<f64>,
    last: Sample,
}

fn qps(total_micros: &[f64]) -> f64 {
    let sum: f64 = total_micros.iter().sum();
    if sum > 0.0 {
        total_micros.len() as f64 / (sum / 1e6)
    } else {
        0.0
    }
}

fn pooled(kind: &str, series: &[&Series]) -> KindReport {
    let collect = |f: fn(&Series) -> &Vec<f64>| -> Vec<f64> {
        series.iter().flat_map(|s| f(s).iter().copied()).collect()
    };
    let total = collect(|s| &s.total);
    KindReport {
        kind: kind.to_string(),
        queries: series.len(),
        mean_hits: if series.is_empty() {
            0.0
        } else {
            series.iter().map(|s| s.last.total as f64).sum::<f64>() / series.len() as f64
        },
        total: Percentiles::of(&total),
        search: Percentiles::of(&collect(|s| &s.search)),
        fetch: Percentiles::of(&collect(|s| &s.fetch)),
        qps: qps(&total),
    }
}

/// Runs every query of `queries` through `engine`: `config.warmup` unmeasured
/// rounds, then `config.runs` measured rounds, each round running the
/// queries once in file order (round-robin, so one query's caches do not
/// favour its next run more than real use would). The wall time of each
/// call is measured here; the search/fetch split is what `engine` reports.
///
/// # Errors
/// The first error `engine` returns.
pub fn measure<E>(
    engine_name: &str,
    queries: &[BenchQuery],
    config: &BenchConfig,
    mut engine: impl FnMut(&str) -> Result<Sample, E>,
) -> Result<BenchReport, E> {
    let mut series: Vec<Series> = queries.iter().map(|_| Series::default()).collect();
    for _ in 0..config.warmup {
        for q in queries {
            std::hint::black_box(engine(&q.text)?);
        }
    }
    for _ in 0..config.runs {
        for (q, s) in queries.iter().zip(series.iter_mut()) {
            let start = Instant::now();
            let sample = engine(&q.text)?;
            s.total.push(start.elapsed().as_nanos() as f64 / 1000.0);
            s.search.push(sample.search_micros);
            s.fetch.push(sample.fetch_micros);
            s.last = sample;
        }
    }
    let reports = queries
        .iter()
        .zip(&series)
        .map(|(q, s)| QueryReport {
            kind: q.kind.clone(),
            query: q.text.clone(),
            hits: s.last.total,
            returned: s.last.returned,
            total: Percentiles::of(&s.total),
            search: Percentiles::of(&s.search),
            fetch: Percentiles::of(&s.fetch),
            qps: qps(&s.total),
        })
        .collect();
    let mut kinds: Vec<&str> = Vec::new();
    for q in queries {
        if !kinds.contains(&q.kind.as_str()) {
            kinds.push(&q.kind);
        }
    }
    let kinds = kinds
        .iter()
        .map(|k| {
            let members: Vec<&Series> = queries
                .iter()
                .zip(&series)
                .filter(|(q, _)| q.kind == *k)
                .map(|(_, s)| s)
                .collect();
            pooled(k, &members)
        })
        .collect();
    let all: Vec<&Series> = series.iter().collect();
    Ok(BenchReport {
        engine: engine_name.to_string(),
        runs: config.runs,
        warmup: config.warmup,
        limit: config.limit,
        queries: reports,
        kinds,
        overall: pooled("all", &all),
    })
}

/// Runs `queries` through `searcher` (see [`measure`]), with
/// [`SearchOptions`] asking for `config.limit` hits. Search and fetch times
/// are [`crate::search::SearchResults::search_micros`] and
/// [`crate::search::SearchResults::fetch_micros`] (whole microseconds).
///
/// # Errors
/// The first [`SearchError`] (index read errors; queries are lenient).
pub fn run(
    searcher: &Searcher,
    queries: &[BenchQuery],
    config: &BenchConfig,
) -> Result<BenchReport, SearchError> {
    let options = SearchOptions {
        limit: config.limit,
        ..SearchOptions::default()
    };
    measure("vigie", queries, config, |q| {
        let r = searcher.search(q, &options)?;
        Ok(Sample {
            total: r.total,
            returned: r.hits.len(),
            search_micros: r.search_micros as f64,
            fetch_micros: r.fetch_micros as f64,
        })
    })
}

/// The large benchmark corpus files in `dir` (`large-fr-*.jsonl.gz`),
/// sorted by name; empty when the directory is missing.
pub fn large_corpus_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("large-fr-") && n.ends_with(".jsonl.gz"))
        })
        .collect();
    files.sort();
    files
}

/// A reader that reports end of input once `stop` is set, so a streaming
/// parser can be cut off between records.
struct StopAt<R> {
    inner: R,
    stop: Rc<Cell<bool>>,
}

impl<R: Read> Read for StopAt<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.get() {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

impl<R: BufRead> BufRead for StopAt<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.stop.get() {
            return Ok(&[]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

/// Reads documents from the start of `path` until `enough` says so (it
/// sees each document before it is kept; returning true keeps that one and
/// stops). Only JSON Lines files are read partially; `.txt` files are one
/// document anyway.
fn read_until(path: &Path, mut keep: impl FnMut(Document) -> bool) -> Result<(), CorpusError> {
    let stop = Rc::new(Cell::new(false));
    let flag = Rc::clone(&stop);
    let mut on_document = |doc: Document| {
        if !flag.get() && keep(doc) {
            flag.set(true);
        }
    };
    // Malformed records are skipped: a sample needs no warnings.
    let mut on_problem = |_: CorpusError| {};
    match corpus::format_for_path(path) {
        Some(Format::JsonLines { gzip }) => {
            let reader = StopAt {
                inner: corpus::jsonl::open(path, gzip)?,
                stop,
            };
            corpus::jsonl::read_jsonl(reader, path, &mut on_document, &mut on_problem)?;
        }
        _ => corpus::read_file(path, &mut on_document, &mut on_problem)?,
    }
    Ok(())
}

/// Takes about `max_paragraphs` paragraphs from the start of `files`, the
/// same share from each file (whole documents; the last one of a file may
/// overshoot its share). Large files are not read beyond what is taken.
///
/// Malformed records are skipped.
///
/// # Errors
/// [`CorpusError::Io`] for the first file that cannot be read.
pub fn sample_documents(
    files: &[PathBuf],
    max_paragraphs: usize,
) -> Result<Vec<Document>, CorpusError> {
    let share = max_paragraphs.div_ceil(files.len().max(1));
    let mut out = Vec::new();
    for path in files {
        let mut taken = 0usize;
        read_until(path, |doc| {
            taken += doc.paragraphs.len();
            out.push(doc);
            taken >= share
        })?;
    }
    Ok(out)
}

/// Takes about `max_bytes` bytes of paragraph text from the start of
/// `files`, the same share from each file, one string per paragraph.
///
/// # Errors
/// As [`sample_documents`].
pub fn sample_paragraphs(files: &[PathBuf], max_bytes: usize) -> Result<Vec<String>, CorpusError> {
    let share = max_bytes.div_ceil(files.len().max(1));
    let mut out = Vec::new();
    for path in files {
        let mut taken = 0usize;
        read_until(path, |doc| {
            for p in doc.paragraphs {
                if taken >= share {
                    break;
                }
                taken += p.text.len();
                out.push(p.text);
            }
            taken >= share
        })?;
    }
    Ok(out)
}

/// Writes `docs` to `path` as JSON Lines in the corpus format (see
/// [`crate::corpus::jsonl`]), so a sample can be indexed like any corpus
/// file.
///
/// # Errors
/// The I/O error when the file cannot be written.
pub fn write_jsonl(docs: &[Document], path: &Path) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for d in docs {
        let record = serde_json::json!({
            "id": d.id,
            "title": d.title,
            "date": d.date.map(|date| date.to_string()),
            "reference": d.reference,
            "lang": d.lang,
            "source": d.source,
            "url": d.url,
            "paragraphs": d.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Paragraph count and text size in bytes of `docs`.
pub fn paragraph_stats(docs: &[Document]) -> (u64, u64) {
    docs.iter()
        .flat_map(|d| &d.paragraphs)
        .fold((0, 0), |(n, b), p| (n + 1, b + p.text.len() as u64))
}

/// Total size in bytes of `texts`.
pub fn text_bytes<S: AsRef<str>>(texts: &[S]) -> u64 {
    texts.iter().map(|t| t.as_ref().len() as u64).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_file_that_is_not_utf8_names_its_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("q.txt");
        std::fs::write(&path, b"# kind: rare\notan\nb\xff\n").expect("write");
        let e = read_queries(&path).expect_err("not UTF-8");
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(e.to_string(), "line 3: not UTF-8 text");
    }

    #[test]
    fn query_file_kinds_and_comments() {
        let text = "salarié\n\n# a comment\n# kind: rare\nprud'homal\n  #kind:  and  \n\
                    a b\n# kind:\nx\n";
        let q = parse_queries(text);
        let got: Vec<(&str, &str, usize)> = q
            .iter()
            .map(|q| (q.kind.as_str(), q.text.as_str(), q.line))
            .collect();
        assert_eq!(
            got,
            [
                ("default", "salarié", 1),
                ("rare", "prud'homal", 5),
                ("and", "a b", 7),
                ("default", "x", 9),
            ]
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let p = Percentiles::of(&samples);
        assert_eq!((p.p50, p.p95, p.p99, p.max), (50.0, 95.0, 99.0, 100.0));
        assert_eq!(p.samples, 100);
        assert!((p.mean - 50.5).abs() < 1e-9);
        let one = Percentiles::of(&[7.0]);
        assert_eq!((one.p50, one.p99, one.max), (7.0, 7.0, 7.0));
        assert_eq!(Percentiles::of(&[]), Percentiles::default());
    }

    #[test]
    fn measure_pools_by_kind() {
        let queries = parse_queries("# kind: a\nx\ny\n# kind: b\nz\n");
        let config = BenchConfig {
            runs: 4,
            warmup: 1,
            limit: 10,
        };
        let mut calls = 0;
        let report = measure("fake", &queries, &config, |q| {
            calls += 1;
            Ok::<_, ()>(Sample {
                total: q.len() * 10,
                returned: 1,
                search_micros: 2.0,
                fetch_micros: 1.0,
            })
        })
        .unwrap();
        assert_eq!(calls, 3 * 5);
        assert_eq!(report.queries.len(), 3);
        assert_eq!(report.queries[0].hits, 10);
        assert_eq!(report.queries[0].search.samples, 4);
        let kinds: Vec<(&str, usize, usize)> = report
            .kinds
            .iter()
            .map(|k| (k.kind.as_str(), k.queries, k.search.samples))
            .collect();
        assert_eq!(kinds, [("a", 2, 8), ("b", 1, 4)]);
        assert_eq!(report.overall.total.samples, 12);
        assert_eq!(report.overall.search.p50, 2.0);
    }

    #[test]
    fn samples_stop_early() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let mut text = String::new();
        for i in 0..50 {
            text.push_str(&format!(
                "{{\"id\":\"d{i}\",\"paragraphs\":[\"un deux\",\"trois\"]}}\n"
            ));
        }
        std::fs::write(&path, text).unwrap();
        let docs = sample_documents(std::slice::from_ref(&path), 7).unwrap();
        assert_eq!(docs.len(), 4);
        assert_eq!(paragraph_stats(&docs), (8, 4 * 12));
        let copy = dir.path().join("copy.jsonl");
        write_jsonl(&docs, &copy).unwrap();
        assert_eq!(
            sample_documents(std::slice::from_ref(&copy), 100)
                .unwrap()
                .len(),
            4
        );
        let paras = sample_paragraphs(&[path.clone(), path], 10).unwrap();
        assert_eq!(paras, ["un deux", "un deux"]);
        assert_eq!(text_bytes(&paras), 14);
    }
}

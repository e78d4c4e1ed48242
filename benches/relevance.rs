//! Relevance measurement: nDCG@10 and recall@10 of the judged queries in
//! `benches/relevance/queries.jsonl`, for vigie and a few baselines.
//!
//! Run with `cargo bench --bench relevance`. It indexes
//! `../shared/corpus/statements-fr.jsonl` and `corpus/` (the seed statement),
//! both relative to `CARGO_MANIFEST_DIR`, into temporary indexes, once per
//! configuration:
//!
//! 1. `vigie`: the shipped analyzers, searched through
//!    [`vigie::search::Searcher`] exactly as `vigie search` does;
//! 2. `plain`: a plain Tantivy schema, `SimpleTokenizer` + `LowerCaser`, and
//!    Tantivy's `QueryParser` over the body with AND by default and
//!    `parse_query_lenient`;
//! 3. `stem→fold`: vigie with the French analyzer replaced by
//!    WordTokenizer → ElisionFilter → CompoundFilter → LowerCaser → Snowball
//!    on the accented lowercase word → FoldingFilter, registered under
//!    vigie's analyzer name so the planner uses it on both sides;
//! 4. `no-stem`: vigie with the unstemmed analyzer registered as the French
//!    one too.
//!
//! Relevance is binary; a hit is identified as `doc_id#paragraph`. The
//! formulas are the standard ones: DCG@10 = Σ rel_i / log2(i + 1) over the
//! first 10 ranks, divided by the DCG of an ideal ranking of
//! min(|relevant|, 10) relevant paragraphs; recall@10 = relevant paragraphs
//! in the first 10 / |relevant|. Averages are plain means over queries.
//!
//! Output (stdout): a Markdown table (rows: all queries, then each query
//! kind; columns: configuration × metric), the queries where vigie has
//! recall@10 < 1 with the missing paragraphs and their rank in vigie's full
//! result list, and the queries where the configurations disagree. When the
//! shared corpus is absent, it prints a skip message and exits 0.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    TokenizerManager,
};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use vigie::analysis::compound::CompoundFilter;
use vigie::analysis::elision::ElisionFilter;
use vigie::analysis::fold::FoldingFilter;
use vigie::analysis::stem::stem;
use vigie::analysis::tokenizer::WordTokenizer;
use vigie::analysis::{self, FRENCH, FRENCH_EXACT};
use vigie::index::IndexHandle;
use vigie::ingest::{ingest, IngestOptions};
use vigie::search::{SearchOptions, Searcher};

/// Rank cut-off of the metrics.
const K: usize = 10;

/// Depth of the diagnostic search that locates missed paragraphs.
const DEEP: usize = 1000;

/// Writer memory budget of every temporary index (one indexing thread).
const MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// One judged query of `queries.jsonl`.
#[derive(Debug, Deserialize)]
struct Judged {
    id: String,
    query: String,
    kind: String,
    relevant: Vec<String>,
}

// ---------------------------------------------------------------------------
// Stem-then-fold: Snowball on the accented lowercase word, folding after.
// ---------------------------------------------------------------------------

/// Token filter applying vigie's [`stem`] to the unfolded (lowercased,
/// still accented) token; [`FoldingFilter`] runs after it.
#[derive(Clone, Copy, Debug, Default)]
struct AccentedStemmer;

impl TokenFilter for AccentedStemmer {
    type Tokenizer<T: Tokenizer> = AccentedStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AccentedStemmerTokenizer<T> {
        AccentedStemmerTokenizer(tokenizer)
    }
}

#[derive(Clone)]
struct AccentedStemmerTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for AccentedStemmerTokenizer<T> {
    type TokenStream<'a> = AccentedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AccentedStemmerStream {
            tail: self.0.token_stream(text),
            stemmer: Stemmer::create(Algorithm::French),
        }
    }
}

struct AccentedStemmerStream<S> {
    tail: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for AccentedStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Cow::Owned(stemmed) = stem(&self.stemmer, &token.text) {
            token.text = stemmed;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The stem-then-fold French analyzer.
fn stem_then_fold() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(ElisionFilter)
        .filter(CompoundFilter)
        .filter(LowerCaser)
        .filter(AccentedStemmer)
        .filter(FoldingFilter)
        .build()
}

/// Replaces vigie's stemmed analyzer by [`stem_then_fold`]. The unstemmed
/// one is unchanged: lowercasing then folding is folding.
fn register_stem_then_fold(manager: &TokenizerManager) {
    manager.register(FRENCH, stem_then_fold());
    manager.register(FRENCH_EXACT, analysis::french_exact());
}

/// Registers the unstemmed analyzer under both names.
fn register_no_stem(manager: &TokenizerManager) {
    manager.register(FRENCH, analysis::french_exact());
    manager.register(FRENCH_EXACT, analysis::french_exact());
}

// ---------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------

/// How a configuration's index is built.
enum Config {
    /// vigie's schema, ingestion and searcher; the function, when given,
    /// re-registers the analyzers after `open_or_create`.
    Vigie(Option<fn(&TokenizerManager)>),
    /// The plain Tantivy baseline.
    Plain,
}

/// A configuration under test: gives the ranked hit ids of a query.
trait Engine {
    fn ranked(&self, query: &str, limit: usize) -> Result<Vec<String>>;
}

/// vigie through its own [`Searcher`], as the CLI uses it.
struct VigieEngine {
    searcher: Searcher,
}

impl VigieEngine {
    /// Indexes `paths` into a new index in `dir`; `register`, when given,
    /// replaces the analyzers after `open_or_create` registered vigie's.
    fn build(
        dir: &Path,
        paths: &[PathBuf],
        register: Option<fn(&TokenizerManager)>,
    ) -> Result<VigieEngine> {
        let handle = IndexHandle::open_or_create(dir)?;
        if let Some(register) = register {
            register(handle.index.tokenizers());
        }
        let options = IngestOptions {
            memory_bytes: MEMORY_BYTES,
            threads: 1,
        };
        let mut problems = Vec::new();
        ingest(
            &handle,
            paths,
            &options,
            &mut |e| problems.push(e.to_string()),
            &mut |_| {},
        )?;
        for p in &problems {
            eprintln!("relevance: warning: {p}");
        }
        Ok(VigieEngine {
            searcher: Searcher::new(handle)?,
        })
    }
}

impl Engine for VigieEngine {
    fn ranked(&self, query: &str, limit: usize) -> Result<Vec<String>> {
        // The CLI's defaults (`vigie search -n LIMIT QUERY`).
        let options = SearchOptions {
            limit,
            ..SearchOptions::default()
        };
        let results = self.searcher.search(query, &options)?;
        Ok(results
            .hits
            .iter()
            .map(|h| format!("{}#{}", h.doc_id, h.paragraph))
            .collect())
    }
}

/// Plain Tantivy: `SimpleTokenizer` + `LowerCaser`, `QueryParser` (AND by
/// default, lenient) over the body.
struct PlainEngine {
    reader: tantivy::IndexReader,
    parser: QueryParser,
    doc_id: tantivy::schema::Field,
    paragraph: tantivy::schema::Field,
}

const PLAIN: &str = "plain";

impl PlainEngine {
    fn build(dir: &Path, paths: &[PathBuf]) -> Result<PlainEngine> {
        let mut builder = Schema::builder();
        let doc_id = builder.add_text_field("doc_id", STRING | STORED);
        let paragraph = builder.add_u64_field("paragraph", STORED);
        let body = builder.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PLAIN)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_dir(dir, builder.build())?;
        index.tokenizers().register(
            PLAIN,
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let mut writer: IndexWriter = index.writer_with_num_threads(1, MEMORY_BYTES)?;
        let discovery = vigie::corpus::discover(paths, &mut |e| {
            eprintln!("relevance: warning: {e}");
        });
        let mut failure = None;
        for file in &discovery.files {
            vigie::corpus::read_file(
                file,
                &mut |d| {
                    for p in &d.paragraphs {
                        let added = writer.add_document(doc!(
                            doc_id => d.id.as_str(),
                            paragraph => p.number,
                            body => p.text.as_str(),
                        ));
                        if let Err(e) = added {
                            failure.get_or_insert(e);
                        }
                    }
                },
                &mut |e| eprintln!("relevance: warning: {e}"),
            )?;
        }
        if let Some(e) = failure {
            return Err(e.into());
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        let mut parser = QueryParser::for_index(&index, vec![body]);
        parser.set_conjunction_by_default();
        Ok(PlainEngine {
            reader,
            parser,
            doc_id,
            paragraph,
        })
    }
}

impl Engine for PlainEngine {
    fn ranked(&self, query: &str, limit: usize) -> Result<Vec<String>> {
        let (query, _errors) = self.parser.parse_query_lenient(query);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let id = d
                .get_first(self.doc_id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let n = d
                .get_first(self.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            out.push(format!("{id}#{n}"));
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

/// Binary nDCG@k and recall@k of `ranked` against `relevant`. Repeated ids
/// count once, at their first rank.
fn metrics(ranked: &[String], relevant: &HashSet<&str>, k: usize) -> (f64, f64) {
    if relevant.is_empty() {
        return (0.0, 0.0);
    }
    let mut seen = HashSet::new();
    let mut dcg = 0.0;
    let mut found = 0usize;
    for (i, id) in ranked.iter().take(k).enumerate() {
        if relevant.contains(id.as_str()) && seen.insert(id.as_str()) {
            dcg += 1.0 / ((i + 2) as f64).log2();
            found += 1;
        }
    }
    let ideal: f64 = (0..relevant.len().min(k))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    (dcg / ideal, found as f64 / relevant.len() as f64)
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

fn read_queries(path: &Path) -> Result<Vec<Judged>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let q: Judged =
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        out.push(q);
    }
    if out.is_empty() {
        bail!("{}: no query", path.display());
    }
    Ok(out)
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus/statements-fr.jsonl");
    if !shared.is_file() {
        println!(
            "relevance: skipped: {} not found (the shared corpus is not available)",
            shared.display()
        );
        return Ok(());
    }
    let paths = vec![shared, root.join("corpus")];
    let queries = read_queries(&root.join("benches/relevance/queries.jsonl"))?;
    let tmp = tempfile::tempdir()?;

    let mut names: Vec<&str> = Vec::new();
    let mut engines: Vec<Box<dyn Engine>> = Vec::new();
    let configs = [
        ("vigie", Config::Vigie(None)),
        ("plain", Config::Plain),
        ("stem→fold", Config::Vigie(Some(register_stem_then_fold))),
        ("no-stem", Config::Vigie(Some(register_no_stem))),
    ];
    for (i, (name, config)) in configs.into_iter().enumerate() {
        let start = Instant::now();
        let dir = tmp.path().join(format!("index-{i}"));
        let engine: Box<dyn Engine> = match config {
            Config::Vigie(register) => Box::new(VigieEngine::build(&dir, &paths, register)?),
            Config::Plain => {
                std::fs::create_dir_all(&dir)?;
                Box::new(PlainEngine::build(&dir, &paths)?)
            }
        };
        eprintln!(
            "relevance: indexed `{name}` in {:.2} s",
            start.elapsed().as_secs_f64()
        );
        names.push(name);
        engines.push(engine);
    }

    // scores[config][query] = (nDCG@K, recall@K); runs[config][query] = top K.
    let mut scores: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut runs: Vec<Vec<Vec<String>>> = Vec::new();
    for engine in &engines {
        let mut s = Vec::new();
        let mut r = Vec::new();
        for q in &queries {
            let ranked = engine.ranked(&q.query, K)?;
            let relevant: HashSet<&str> = q.relevant.iter().map(String::as_str).collect();
            s.push(metrics(&ranked, &relevant, K));
            r.push(ranked);
        }
        scores.push(s);
        runs.push(r);
    }

    // Kinds in order of first appearance.
    let mut kinds: Vec<&str> = Vec::new();
    for q in &queries {
        if !kinds.contains(&q.kind.as_str()) {
            kinds.push(&q.kind);
        }
    }

    println!(
        "## nDCG@{K} / recall@{K} ({} judged queries)\n",
        queries.len()
    );
    let mut header = String::from("| queries | n |");
    let mut rule = String::from("|---|--:|");
    for name in &names {
        header.push_str(&format!(" {name} nDCG | {name} R |"));
        rule.push_str("--:|--:|");
    }
    println!("{header}\n{rule}");
    let mut groups: Vec<(String, Vec<usize>)> = vec![("all".into(), (0..queries.len()).collect())];
    for kind in &kinds {
        let members = (0..queries.len())
            .filter(|&i| queries[i].kind == *kind)
            .collect();
        groups.push((kind.to_string(), members));
    }
    for (label, members) in &groups {
        let mut row = format!("| {label} | {} |", members.len());
        for s in &scores {
            let n = mean(members.iter().map(|&i| s[i].0));
            let r = mean(members.iter().map(|&i| s[i].1));
            row.push_str(&format!(" {n:.3} | {r:.3} |"));
        }
        if label == "all" {
            row = row.replace("| all |", "| **all** |");
        }
        println!("{row}");
    }

    // Queries where vigie misses relevant paragraphs in its top K.
    println!("\n## vigie: queries with recall@{K} < 1\n");
    println!(
        "Missing paragraphs with their rank in vigie's full result list \
         (`unmatched` = not matched at all).\n"
    );
    for (qi, q) in queries.iter().enumerate() {
        let (n, r) = scores[0][qi];
        if r >= 1.0 {
            continue;
        }
        let deep = engines[0].ranked(&q.query, DEEP)?;
        let top: HashSet<&str> = runs[0][qi].iter().map(String::as_str).collect();
        let missing: Vec<String> = q
            .relevant
            .iter()
            .filter(|id| !top.contains(String::as_str(id)))
            .map(|id| match deep.iter().position(|d| d == id) {
                Some(p) => format!("{id} (rank {})", p + 1),
                None => format!("{id} (unmatched)"),
            })
            .collect();
        println!(
            "- {} `{}` [{}] nDCG {n:.3} R {r:.3} ({} of {} found; {} hits in all): {}",
            q.id,
            q.query,
            q.kind,
            q.relevant.len() - missing.len(),
            q.relevant.len(),
            deep.len(),
            missing.join(", ")
        );
    }

    // Queries where the configurations disagree.
    println!("\n## Queries where the configurations differ (nDCG@{K} / recall@{K})\n");
    let mut header = String::from("| query | kind |");
    let mut rule = String::from("|---|---|");
    for name in &names {
        header.push_str(&format!(" {name} |"));
        rule.push_str("--:|");
    }
    println!("{header}\n{rule}");
    for (qi, q) in queries.iter().enumerate() {
        let first = scores[0][qi];
        if scores
            .iter()
            .all(|s| (s[qi].0 - first.0).abs() < 1e-9 && (s[qi].1 - first.1).abs() < 1e-9)
        {
            continue;
        }
        let mut row = format!("| {} `{}` | {} |", q.id, q.query, q.kind);
        for s in &scores {
            row.push_str(&format!(" {:.2} / {:.2} |", s[qi].0, s[qi].1));
        }
        println!("{row}");
    }

    for (name, s) in names.iter().zip(&scores) {
        let n = mean(s.iter().map(|x| x.0));
        let r = mean(s.iter().map(|x| x.1));
        eprintln!("relevance: {name}: nDCG@{K} {n:.3}, recall@{K} {r:.3}");
    }
    Ok(())
}

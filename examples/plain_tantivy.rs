//! The plain-Tantivy peer of vigie, for `benches/compare.sh`.
//!
//! What a developer would write with Tantivy alone in an afternoon: one
//! Tantivy document per paragraph, `SimpleTokenizer` + `LowerCaser` +
//! `AsciiFoldingFilter` + Snowball French (rust-stemmers, through the small
//! [`SnowballFrench`] filter below, since Tantivy's `stemmer` feature is off
//! here), the stock `QueryParser` with AND as default operator, and
//! `SnippetGenerator` for highlights. Corpus files are read with vigie's
//! reader so that both engines pay the same JSON parsing.
//!
//! ```text
//! cargo run --release --example plain_tantivy -- index DIR FILES...
//! cargo run --release --example plain_tantivy -- bench DIR QUERYFILE [--runs N] [--warmup N] [--json]
//! cargo run --release --example plain_tantivy -- search DIR QUERY...
//! cargo run --release --example plain_tantivy -- ratio VIGIE.json PLAIN.json
//! ```
//!
//! `ratio` reads two `bench --json` reports (vigie's and this peer's, same
//! query file) and prints, per kind, both engines' search and total p50 /
//! p99 in µs and the vigie ÷ plain Tantivy ratios (below 1: vigie faster).
//!
//! Queries use vigie's syntax (see `benches/queries.txt`) and are translated
//! for `QueryParser` by [`translate`]: a word with an apostrophe (`l'employeur`)
//! becomes a quoted phrase, and `word*` becomes a wildcard on the body field.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rust_stemmers::{Algorithm, Stemmer};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};
use tantivy::{doc, Index, IndexReader, ReloadPolicy, TantivyDocument};

use vigie::bench::{measure, read_queries, BenchConfig, Sample};

/// Name of the analyzer in the tokenizer manager.
const ANALYZER: &str = "plain_fr";

/// Writer memory budget, in bytes (same default as `vigie index`).
const MEMORY_BYTES: usize = 512 * 1024 * 1024;

/// Token filter applying the Snowball French stemmer to every token.
#[derive(Clone, Copy)]
struct SnowballFrench;

impl TokenFilter for SnowballFrench {
    type Tokenizer<T: Tokenizer> = SnowballTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballTokenizer<T> {
        SnowballTokenizer(tokenizer)
    }
}

#[derive(Clone)]
struct SnowballTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for SnowballTokenizer<T> {
    type TokenStream<'a> = SnowballStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SnowballStream {
            tail: self.0.token_stream(text),
            stemmer: Stemmer::create(Algorithm::French),
        }
    }
}

struct SnowballStream<S> {
    tail: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for SnowballStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let std::borrow::Cow::Owned(stem) = self.stemmer.stem(&token.text) {
            token.text = stem;
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

/// The plain French analyzer: simple words, lower case, ASCII folding, Snowball.
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(SnowballFrench)
        .build()
}

struct Fields {
    id: Field,
    paragraph: Field,
    title: Field,
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        paragraph: b.add_u64_field("paragraph", STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> Result<Fields> {
    Ok(Fields {
        id: schema.get_field("id")?,
        paragraph: schema.get_field("paragraph")?,
        title: schema.get_field("title")?,
        body: schema.get_field("body")?,
    })
}

fn open(dir: &Path) -> Result<(Index, Fields)> {
    let index = Index::open_in_dir(dir).with_context(|| format!("opening {}", dir.display()))?;
    index.tokenizers().register(ANALYZER, analyzer());
    let fields = fields_of(&index.schema())?;
    Ok((index, fields))
}

fn index_cmd(dir: &Path, paths: &[PathBuf]) -> Result<()> {
    let start = Instant::now();
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)
        .with_context(|| format!("creating an index in {}", dir.display()))?;
    index.tokenizers().register(ANALYZER, analyzer());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut writer = index.writer_with_num_threads(threads, MEMORY_BYTES)?;
    let discovery = vigie::corpus::discover(paths, &mut |e| eprintln!("warning: {e}"));
    let (mut docs, mut paragraphs, mut bytes) = (0u64, 0u64, 0u64);
    let mut failure = None;
    for path in &discovery.files {
        vigie::corpus::read_file(
            path,
            &mut |d| {
                for p in &d.paragraphs {
                    bytes += p.text.len() as u64;
                    let added = writer.add_document(doc!(
                        f.id => d.id.as_str(),
                        f.paragraph => p.number,
                        f.title => d.title.as_str(),
                        f.body => p.text.as_str(),
                    ));
                    if let Err(e) = added {
                        failure.get_or_insert(e);
                    }
                    paragraphs += 1;
                }
                docs += 1;
            },
            &mut |e| eprintln!("warning: {e}"),
        )?;
        if let Some(e) = failure.take() {
            return Err(e.into());
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "indexed {docs} statements, {paragraphs} paragraphs ({:.1} MB of text) in {secs:.1} s \
         ({:.0} paragraphs/s, {:.1} MB/s)",
        bytes as f64 / 1e6,
        paragraphs as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}

/// Lower-cases and ASCII-folds `word` as the index does (without stemming),
/// keeping only letters and digits, for a regex prefix.
fn fold(word: &str) -> String {
    let mut folder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = folder.token_stream(word);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

/// Rewrites a vigie query for Tantivy's `QueryParser`: words with an
/// apostrophe become quoted phrases (`'` is an operator there); `word*`
/// becomes the regex `body:/word.*/` over the indexed (stemmed) terms,
/// since `QueryParser` has no single-term prefix query. Quoted phrases,
/// `OR`, `AND`, `-word` and parentheses pass unchanged.
fn translate(query: &str) -> String {
    let mut out = Vec::new();
    let mut words = query.split_whitespace();
    while let Some(w) = words.next() {
        if w.starts_with('"') {
            let mut phrase = w.to_string();
            while !(phrase.len() > 1 && phrase.ends_with('"')) {
                match words.next() {
                    Some(next) => {
                        phrase.push(' ');
                        phrase.push_str(next);
                    }
                    None => break,
                }
            }
            out.push(phrase);
        } else if let Some(prefix) = w.strip_suffix('*') {
            out.push(format!("body:/{}.*/", fold(prefix)));
        } else if w.contains(['\'', '’']) {
            out.push(format!("\"{}\"", w.trim_matches('"')));
        } else {
            out.push(w.to_string());
        }
    }
    out.join(" ")
}

struct Engine {
    reader: IndexReader,
    parser: QueryParser,
    fields: Fields,
}

/// One search: top `limit` by BM25 + count, then stored fields and a
/// highlighted snippet of the whole paragraph for each hit.
struct Outcome {
    total: usize,
    hits: Vec<(f32, String, u64, String)>,
    search_micros: f64,
    fetch_micros: f64,
}

impl Engine {
    fn new(dir: &Path) -> Result<Engine> {
        let (index, fields) = open(dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.body]);
        parser.set_conjunction_by_default();
        parser.allow_regexes();
        Ok(Engine {
            reader,
            parser,
            fields,
        })
    }

    fn search(&self, query: &str, limit: usize) -> Result<Outcome> {
        let start = Instant::now();
        let (query, _errors) = self.parser.parse_query_lenient(&translate(query));
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        let search_micros = start.elapsed().as_nanos() as f64 / 1000.0;
        let fetch = Instant::now();
        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
        snippets.set_max_num_chars(100_000);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let id = d
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let paragraph = d
                .get_first(self.fields.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let snippet = snippets.snippet_from_doc(&d);
            hits.push((score, id, paragraph, snippet.to_html()));
        }
        Ok(Outcome {
            total,
            hits,
            search_micros,
            fetch_micros: fetch.elapsed().as_nanos() as f64 / 1000.0,
        })
    }
}

fn bench_cmd(dir: &Path, queries: &Path, config: &BenchConfig, json: bool) -> Result<()> {
    let queries =
        read_queries(queries).with_context(|| format!("reading {}", queries.display()))?;
    let engine = Engine::new(dir)?;
    let report = measure("plain-tantivy", &queries, config, |q| {
        let o = engine.search(q, config.limit)?;
        Ok::<_, anyhow::Error>(Sample {
            total: o.total,
            returned: o.hits.len(),
            search_micros: o.search_micros,
            fetch_micros: o.fetch_micros,
        })
    })?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<40} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "query (µs)", "hits", "search50", "search95", "search99", "fetch50", "total50"
    )?;
    for q in &report.queries {
        writeln!(
            out,
            "{:<40} {:>8} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0}",
            format!("[{}] {}", q.kind, q.query),
            q.hits,
            q.search.p50,
            q.search.p95,
            q.search.p99,
            q.fetch.p50,
            q.total.p50
        )?;
    }
    for k in report.kinds.iter().chain([&report.overall]) {
        writeln!(
            out,
            "{:<40} {:>8.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0}",
            format!("kind {} ({})", k.kind, k.queries),
            k.mean_hits,
            k.search.p50,
            k.search.p95,
            k.search.p99,
            k.fetch.p50,
            k.total.p50
        )?;
    }
    Ok(())
}

fn search_cmd(dir: &Path, query: &str) -> Result<bool> {
    let engine = Engine::new(dir)?;
    let o = engine.search(query, 10)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (i, (score, id, paragraph, snippet)) in o.hits.iter().enumerate() {
        writeln!(
            out,
            "{}. {id} §{paragraph} ({score:.2})\n   {snippet}",
            i + 1
        )?;
    }
    writeln!(out, "{} matching paragraphs", o.total)?;
    out.flush()?;
    Ok(o.total > 0)
}

fn usage() -> &'static str {
    "usage: plain_tantivy index DIR FILES...\n       \
     plain_tantivy bench DIR QUERYFILE [--runs N] [--warmup N] [--limit N] [--json]\n       \
     plain_tantivy search DIR QUERY...\n       \
     plain_tantivy ratio VIGIE.json PLAIN.json"
}

/// The per-kind rows of a `bench --json` report, then its overall row:
/// `(kind, search p50, search p99, total p50, total p99)` in µs.
fn kind_rows(path: &Path) -> Result<Vec<(String, [f64; 4])>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a bench report", path.display()))?;
    let row = |k: &serde_json::Value| -> Option<(String, [f64; 4])> {
        let f = |part: &str, p: &str| k[part][p].as_f64();
        Some((
            k["kind"].as_str()?.to_string(),
            [
                f("search", "p50")?,
                f("search", "p99")?,
                f("total", "p50")?,
                f("total", "p99")?,
            ],
        ))
    };
    let mut rows: Vec<_> = report["kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(row)
        .collect();
    rows.extend(row(&report["overall"]));
    if rows.is_empty() {
        bail!("{}: no kinds in this bench report", path.display());
    }
    Ok(rows)
}

/// Prints the vigie ÷ plain Tantivy table of two bench reports.
fn ratio_cmd(vigie: &Path, plain: &Path) -> Result<()> {
    let (v, p) = (kind_rows(vigie)?, kind_rows(plain)?);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "| kind | vigie search p50 / p99 µs | plain search p50 / p99 µs | **search ratio p50 / p99** | vigie total p50 / p99 µs | plain total p50 / p99 µs | **total ratio p50 / p99** |"
    )?;
    writeln!(out, "|---|--:|--:|--:|--:|--:|--:|")?;
    for (kind, a) in &v {
        let Some((_, b)) = p.iter().find(|(k, _)| k == kind) else {
            continue;
        };
        let r = |i: usize| a[i] / b[i].max(0.001);
        writeln!(
            out,
            "| {kind} | {:.0} / {:.0} | {:.0} / {:.0} | **{:.2} / {:.2}** | {:.0} / {:.0} | {:.0} / {:.0} | **{:.2} / {:.2}** |",
            a[0], a[1], b[0], b[1], r(0), r(1), a[2], a[3], b[2], b[3], r(2), r(3)
        )?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("index") if args.len() >= 3 => {
            let paths: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
            index_cmd(Path::new(&args[1]), &paths)
        }
        Some("bench") if args.len() >= 3 => {
            let mut config = BenchConfig::default();
            let mut json = false;
            let mut rest = args[3..].iter();
            while let Some(a) = rest.next() {
                let mut value =
                    || -> Result<usize> { Ok(rest.next().context("missing value")?.parse()?) };
                match a.as_str() {
                    "--runs" => config.runs = value()?.max(1),
                    "--warmup" => config.warmup = value()?,
                    "--limit" => config.limit = value()?,
                    "--json" => json = true,
                    other => bail!("unknown option {other}\n{}", usage()),
                }
            }
            bench_cmd(Path::new(&args[1]), Path::new(&args[2]), &config, json)
        }
        Some("ratio") if args.len() == 3 => ratio_cmd(Path::new(&args[1]), Path::new(&args[2])),
        Some("search") if args.len() >= 3 => {
            if !search_cmd(Path::new(&args[1]), &args[2..].join(" "))? {
                std::process::exit(1);
            }
            Ok(())
        }
        _ => bail!("{}", usage()),
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn translation() {
        assert_eq!(translate("salarié"), "salarié");
        assert_eq!(translate("Sécur*"), "body:/secur.*/");
        assert_eq!(translate("l'employeur"), "\"l'employeur\"");
        assert_eq!(
            translate("\"période d'essai\" OR x"),
            "\"période d'essai\" OR x"
        );
    }
}

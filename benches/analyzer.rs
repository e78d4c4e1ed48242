//! Analyzer throughput (bytes of paragraph text per second): vigie's French
//! chain next to Tantivy's `SimpleTokenizer` + `LowerCaser` +
//! `AsciiFoldingFilter`, and the same plus Snowball French (the chain of
//! `examples/plain_tantivy.rs`), on the statements and on a ~5 MB sample of
//! the large corpus. Reads `../shared/corpus` (relative to the crate) and
//! does nothing when it is absent.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use vigie::bench::{large_corpus_files, sample_paragraphs, text_bytes};

/// Bytes of paragraph text taken from the large corpus.
const LARGE_SAMPLE_BYTES: usize = 5_000_000;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn simple_chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Snowball French on every token (as in `examples/plain_tantivy.rs`).
#[derive(Clone, Copy)]
struct Snowball;

impl TokenFilter for Snowball {
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

fn snowball_chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Snowball)
        .build()
}

/// Runs `analyzer` over every text and counts the tokens.
fn count_tokens(analyzer: &mut TextAnalyzer, texts: &[String]) -> usize {
    let mut n = 0;
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            n += 1;
        }
    }
    n
}

fn analyzers(c: &mut Criterion) {
    let dir = corpus_dir();
    let mut sets = Vec::new();
    let statements = dir.join("statements-fr.jsonl");
    if statements.is_file() {
        let texts = sample_paragraphs(&[statements], usize::MAX).expect("reading statements");
        sets.push(("statements", texts));
    }
    let large = large_corpus_files(&dir);
    if !large.is_empty() {
        let texts = sample_paragraphs(&large, LARGE_SAMPLE_BYTES).expect("reading the corpus");
        sets.push(("large-5MB", texts));
    }
    if sets.is_empty() {
        eprintln!(
            "analyzer bench skipped: no corpus at {} (statements-fr.jsonl, large-fr-*.jsonl.gz)",
            dir.display()
        );
        return;
    }
    for (name, texts) in &sets {
        let mut group = c.benchmark_group(format!("analyzer/{name}"));
        group.throughput(Throughput::Bytes(text_bytes(texts)));
        if text_bytes(texts) > 1_000_000 {
            group.sampling_mode(SamplingMode::Flat);
        }
        group.bench_function("vigie_french", |b| {
            let mut analyzer = vigie::analysis::french();
            b.iter(|| black_box(count_tokens(&mut analyzer, texts)));
        });
        group.bench_function("tantivy_simple_lower_ascii", |b| {
            let mut analyzer = simple_chain();
            b.iter(|| black_box(count_tokens(&mut analyzer, texts)));
        });
        group.bench_function("tantivy_simple_lower_ascii_snowball", |b| {
            let mut analyzer = snowball_chain();
            b.iter(|| black_box(count_tokens(&mut analyzer, texts)));
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = analyzers
}
criterion_main!(benches);

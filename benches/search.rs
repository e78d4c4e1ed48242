//! Query latency per kind of `benches/queries.txt` (top 10 with count,
//! stored fields and highlights) on a 100 k-paragraph sample of the large
//! corpus, indexed once per run into a temporary directory. One iteration
//! runs every query of a kind once; the throughput line reads as queries
//! per second. Reads `../shared/corpus` (relative to the crate) and does
//! nothing when it is absent.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use vigie::bench::{large_corpus_files, read_queries, sample_documents, write_jsonl};
use vigie::index::IndexHandle;
use vigie::ingest::{ingest, IngestOptions};
use vigie::search::{SearchOptions, Searcher};

/// Paragraphs in the indexed sample.
const PARAGRAPHS: usize = 100_000;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn queries(c: &mut Criterion) {
    let dir = corpus_dir();
    let large = large_corpus_files(&dir);
    if large.is_empty() {
        eprintln!(
            "search bench skipped: no large-fr-*.jsonl.gz in {}",
            dir.display()
        );
        return;
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries.txt");
    let queries = read_queries(&file).expect("reading benches/queries.txt");
    let tmp = tempfile::tempdir().expect("temporary directory");
    let sample = tmp.path().join("sample.jsonl");
    let docs = sample_documents(&large, PARAGRAPHS).expect("reading the corpus");
    write_jsonl(&docs, &sample).expect("writing the sample");
    drop(docs);
    let handle = IndexHandle::open_or_create(&tmp.path().join("index")).expect("creating index");
    ingest(
        &handle,
        &[sample],
        &IngestOptions::default(),
        &mut |e| panic!("{e}"),
        &mut |_| {},
    )
    .expect("indexing");
    let searcher = Searcher::new(handle).expect("opening the index");
    let options = SearchOptions::default();
    let mut kinds: Vec<&str> = Vec::new();
    for q in &queries {
        if !kinds.contains(&q.kind.as_str()) {
            kinds.push(&q.kind);
        }
    }
    let mut group = c.benchmark_group("query");
    for kind in kinds {
        let texts: Vec<&str> = queries
            .iter()
            .filter(|q| q.kind == kind)
            .map(|q| q.text.as_str())
            .collect();
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.bench_function(kind, |b| {
            b.iter(|| {
                for q in &texts {
                    black_box(searcher.search(q, &options).expect("searching"));
                }
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = queries
}
criterion_main!(benches);

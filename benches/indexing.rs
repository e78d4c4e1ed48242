//! Indexing throughput (paragraphs/s and bytes/s) of `vigie::ingest` for a
//! 100 k-paragraph sample of the large corpus, into a fresh temporary index
//! each iteration (default memory budget and threads, commit and merges
//! included). Peak memory is measured by `benches/compare.sh`, not here.
//! Reads `../shared/corpus` (relative to the crate) and does nothing when
//! it is absent.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

use vigie::bench::{large_corpus_files, paragraph_stats, sample_documents, write_jsonl};
use vigie::index::IndexHandle;
use vigie::ingest::{ingest, IngestOptions};

/// Paragraphs in the sample.
const PARAGRAPHS: usize = 100_000;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn indexing(c: &mut Criterion) {
    let dir = corpus_dir();
    let large = large_corpus_files(&dir);
    if large.is_empty() {
        eprintln!(
            "indexing bench skipped: no large-fr-*.jsonl.gz in {}",
            dir.display()
        );
        return;
    }
    let docs = sample_documents(&large, PARAGRAPHS).expect("reading the corpus");
    let (paragraphs, bytes) = paragraph_stats(&docs);
    let tmp = tempfile::tempdir().expect("temporary directory");
    let sample = tmp.path().join("sample.jsonl");
    write_jsonl(&docs, &sample).expect("writing the sample");
    drop(docs);
    let mut group = c.benchmark_group("indexing");
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::ElementsAndBytes {
            elements: paragraphs,
            bytes,
        });
    group.bench_function("vigie_100k_paragraphs", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let target = tempfile::tempdir_in(tmp.path()).expect("temporary directory");
                let start = Instant::now();
                let handle = IndexHandle::open_or_create(target.path()).expect("creating index");
                ingest(
                    &handle,
                    std::slice::from_ref(&sample),
                    &IngestOptions::default(),
                    &mut |e| panic!("{e}"),
                    &mut |_| {},
                )
                .expect("indexing");
                spent += start.elapsed();
            }
            spent
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = indexing
}
criterion_main!(benches);

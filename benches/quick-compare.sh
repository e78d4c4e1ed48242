#!/usr/bin/env bash
# vigie ÷ plain Tantivy on a fresh clone, in minutes, with nothing but Rust
# (issue 14): no ../shared, no network beyond crates.io for the build.
#
# What it does, in order:
#   1. builds the release `vigie` and the examples `gen_corpus` (a generated
#      French corpus) and `plain_tantivy` (Tantivy alone, as a developer
#      would write it in an afternoon: see examples/plain_tantivy.rs);
#   2. generates PARAGRAPHS synthetic French paragraphs (words of the
#      repository's own French texts with prose-like frequencies; the text
#      means nothing) and a query file of the kinds of benches/queries.txt
#      picked from the words it holds;
#   3. indexes them with both engines (wall time of each);
#   4. runs both in-process benches on the same queries (RUNS rounds after
#      WARMUP) and prints the per-kind table of vigie ÷ plain Tantivy ratios
#      (search p50 / p99, and with stored fields and highlights of 10 hits),
#      then the headline: the ratio of the search p50 over all queries.
#
# It writes only under WORK (default target/quick-compare, replaced on each
# run) and never touches BENCHMARKS.md. Figures on generated text are not
# those of the real corpus: BENCHMARKS.md holds those, measured by
# benches/compare.sh on ../shared/corpus (see its header).
#
# Usage: benches/quick-compare.sh            (from anywhere in the checkout)
# Environment: PARAGRAPHS [200000], RUNS [20], WARMUP [3], WORK,
#   PROFILE [release; `dev` reuses the debug binaries `cargo test` built,
#   for a check that the script works, not for figures]
set -euo pipefail
cd "$(dirname "$0")/.."
PARAGRAPHS=${PARAGRAPHS:-200000}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
WORK=${WORK:-target/quick-compare}

log() { printf 'quick-compare: %s\n' "$*" >&2; }

PROFILE=${PROFILE:-release}
case "$PROFILE" in
    release) DIR=${CARGO_TARGET_DIR:-target}/release ;;
    dev) DIR=${CARGO_TARGET_DIR:-target}/debug ;;
    *) echo "error: PROFILE is release or dev, not $PROFILE" >&2; exit 2 ;;
esac
log "building vigie, gen_corpus and plain_tantivy ($PROFILE; the first release build takes a few minutes)"
cargo build --profile "$PROFILE" --quiet --bin vigie --example gen_corpus --example plain_tantivy
V=$DIR/vigie
G=$DIR/examples/gen_corpus
P=$DIR/examples/plain_tantivy

# Only a directory this script made is replaced.
if [ -e "$WORK" ] && [ ! -f "$WORK/.quick-compare" ]; then
    echo "error: $WORK exists and was not made by quick-compare.sh; set WORK to another directory" >&2
    exit 2
fi
rm -rf "$WORK"
mkdir -p "$WORK"
touch "$WORK/.quick-compare"

"$G" --paragraphs "$PARAGRAPHS" --out "$WORK/corpus.jsonl" --queries "$WORK/queries.txt"

seconds() { date +%s.%N; }
log "indexing with vigie"
t0=$(seconds)
"$V" index --index "$WORK/vigie-index" "$WORK/corpus.jsonl" >/dev/null 2>&1
t1=$(seconds)
log "indexing with plain Tantivy"
"$P" index "$WORK/plain-index" "$WORK/corpus.jsonl" >/dev/null 2>&1
t2=$(seconds)

log "benching both ($RUNS rounds after $WARMUP warm-up rounds)"
"$V" bench --index "$WORK/vigie-index" --queries "$WORK/queries.txt" \
    --runs "$RUNS" --warmup "$WARMUP" --json >"$WORK/vigie.json" 2>/dev/null
"$P" bench "$WORK/plain-index" "$WORK/queries.txt" \
    --runs "$RUNS" --warmup "$WARMUP" --json >"$WORK/plain.json" 2>/dev/null

echo "## vigie ÷ plain Tantivy on $PARAGRAPHS generated French paragraphs ($(nproc) CPUs, $(date -u +%Y-%m-%d))"
echo
"$P" ratio "$WORK/vigie.json" "$WORK/plain.json" | tee "$WORK/ratios.md"
echo
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "Indexing: vigie %.1f s, plain Tantivy %.1f s: vigie ÷ plain Tantivy wall time %.2f\n", b - a, c - b, (b - a) / (c - b)
}'
awk -F'|' '$2 ~ /^ all / { gsub(/\*/, "", $5); split($5, r, " / "); printf "Headline: vigie ÷ plain Tantivy search p50 over all queries = %.2f (below 1: vigie faster)\n", r[1] }' "$WORK/ratios.md"

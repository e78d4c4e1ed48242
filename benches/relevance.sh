#!/usr/bin/env bash
# Relevance of vigie's ranking on ../shared/relevance/ (issue 17's compass):
# nDCG@10, recall@10/100 and MRR per kind, on both views of the judgments
# (monolingual: French analysis alone; default: both languages count), then
# one ablation line per ranking rule (the shipped ranking with that rule
# turned off through the hidden `--without-rule` option).
#
# Usage: benches/relevance.sh [--quick]      (from the repository root)
#   --quick   the two views only, no ablation lines
#
# Needs ../shared/relevance/ beside the checkout and python3; builds the
# release binary, indexes corpus.jsonl into a temporary directory, and
# prints Markdown tables to stdout (it never rewrites BENCHMARKS.md; paste
# what it prints there). The old 118-paragraph bench stays in
# `cargo bench --bench relevance` as a regression check.
set -euo pipefail
cd "$(dirname "$0")/.."
REL=../shared/relevance
if [ ! -f "$REL/eval.py" ]; then
    echo "error: $REL/eval.py is missing (../shared is only beside the development checkout)" >&2
    exit 2
fi
cargo build --release --quiet
V=$(realpath "${CARGO_TARGET_DIR:-target}")/release/vigie
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$V" index --index "$TMP/index" "$REL/corpus.jsonl" >/dev/null 2>&1

# eval VIEW [search options…] → the eval.py report
evaluate() {
    local qrels=$1
    shift
    (cd "$REL" && python3 eval.py --qrels "$qrels" --jobs 2 \
        "$V search --index $TMP/index --json -n 100 $* -- {query}")
}

# The ALL line of a report as a Markdown row: nDCG@10 | R@10 | R@100 | MRR
all_row() { awk '$1 == "ALL" { printf "%s | %s | %s | %s", $3, $4, $5, $6 }'; }

echo "### By kind (monolingual view, qrels-monolingual.jsonl)"
echo
echo '| kind | n | nDCG@10 | R@10 | R@100 | MRR |'
echo '|---|--:|--:|--:|--:|--:|'
evaluate qrels-monolingual.jsonl | tee "$TMP/mono.txt" |
    awk 'NF == 7 && $1 != "kind" { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
echo
grep '^no-answer' "$TMP/mono.txt" || true
echo
echo "### Both views"
echo
echo '| view | nDCG@10 | R@10 | R@100 | MRR |'
echo '|---|--:|--:|--:|--:|'
echo "| monolingual | $(all_row < "$TMP/mono.txt") |"
echo "| default (both languages) | $(evaluate qrels.jsonl | all_row) |"
if [ "${1:-}" = "--quick" ]; then
    exit 0
fi
echo
echo "### Ablation (monolingual view): the shipped ranking without one rule"
echo
echo '| ranking | nDCG@10 | R@10 | R@100 | MRR |'
echo '|---|--:|--:|--:|--:|'
echo "| shipped | $(all_row < "$TMP/mono.txt") |"
for rule in bm25 partial statement siblings language proximity twins loosen synonyms related repeats number nearness; do
    echo "| without $rule | $(evaluate qrels-monolingual.jsonl --without-rule "$rule" | all_row) |"
done
echo "| --all-words (strict AND, no lent paragraphs, no phrase fallback) | $(evaluate qrels-monolingual.jsonl --all-words | all_row) |"

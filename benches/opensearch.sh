#!/usr/bin/env bash
# Push throughput and search latency through one OpenSearch node beside the local index, in one
# run (issue 15; figures in BENCHMARKS.md, "OpenSearch (issue 15)").
#
#   benches/opensearch.sh [CORPUS.jsonl] [ROUNDS]
#
# CORPUS defaults to ../shared/relevance/corpus.jsonl; ROUNDS (default 3) passes over its 60
# queries. Uses the release binary (built here), starts one node (HTTP 9250) with G1 + C2 and a
# 1 GiB heap from the jars .ci/opensearch resolved (run it once first), and stops it on exit.
# Prints, for the same corpus and machine: local indexing vs push (paragraphs/s), then per
# query process (`vigie search --json -n 10`, wall time of the whole process) the median and
# p90 of the local search vs the search through the node, and their ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${1:-$ROOT/../shared/relevance/corpus.jsonl}
QUERIES=$ROOT/../shared/relevance/queries.jsonl
ROUNDS=${2:-3}
export OS_HOME="$ROOT/target/opensearch"
. "$ROOT/.ci/opensearch.d/lib.sh"
[ -d "$OS_HOME/launcher/target/lib" ] || { echo "run .ci/opensearch once first (resolves the jars)" >&2; exit 1; }
# Benchmark JVM flags: the default G1 and C2, not the quick-start ones of the tests.
opts=(); for o in "${JVM_OPTS[@]}"; do
  case "$o" in -XX:+UseSerialGC|-XX:TieredStopAtLevel=1) ;; *) opts+=("$o") ;; esac
done
JVM_OPTS=("${opts[@]}")
WORK=$(mktemp -d)
PID="$OS_HOME/bench.pid"
trap 'stop_nodes "$PID"; rm -rf "$WORK"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
cargo build --release -q
VIGIE=${CARGO_TARGET_DIR:-$ROOT/target}/release/vigie
port_free 9250 && port_free 9350 || { echo "127.0.0.1:9250 or :9350 in use" >&2; exit 1; }
rm -rf "$OS_HOME/bench"
start_node "$PID" "$OS_HOME/bench.log" 1g single "$OS_HOME/bench" 9250 9350
wait_health 9250 "wait_for_status=green" 120 "$PID"
URL=http://127.0.0.1:9250
paragraphs=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["paragraphs"]) for l in open(sys.argv[1]) if l.strip()))' "$CORPUS")

t=$(now_ms); "$VIGIE" index --index "$WORK/idx" "$CORPUS" >/dev/null 2>&1; index_ms=$(( $(now_ms) - t ))
t=$(now_ms); "$VIGIE" push --index "$WORK/idx" --opensearch "$URL" --name bench 2>/dev/null; push_ms=$(( $(now_ms) - t ))
t=$(now_ms); "$VIGIE" push --index "$WORK/idx" --opensearch "$URL" --name bench 2>/dev/null; again_ms=$(( $(now_ms) - t ))
# The same push again on a warm JVM (index deleted and created anew).
t=$(now_ms); "$VIGIE" push --index "$WORK/idx" --opensearch "$URL" --name bench --recreate 2>/dev/null; warm_ms=$(( $(now_ms) - t ))
python3 - "$paragraphs" "$index_ms" "$push_ms" "$again_ms" "$warm_ms" <<'EOF'
import sys
n, index_ms, push_ms, again_ms, warm_ms = map(int, sys.argv[1:])
print(f"{n} paragraphs: local index {index_ms} ms ({n / index_ms * 1000:,.0f} paragraphs/s)")
print(f"push, fresh node: {push_ms} ms ({n / push_ms * 1000:,.0f} paragraphs/s), {push_ms / index_ms:.1f} x the local index time")
print(f"push again, warm node (--recreate): {warm_ms} ms ({n / warm_ms * 1000:,.0f} paragraphs/s), {warm_ms / index_ms:.1f} x")
print(f"push with nothing changed: {again_ms} ms")
EOF

python3 - "$VIGIE" "$WORK/idx" "$URL" "$QUERIES" "$ROUNDS" <<'EOF'
import json, statistics, subprocess, sys, time
vigie, index, url, qfile, rounds = sys.argv[1:]
queries = [json.loads(l)["query"] for l in open(qfile) if l.strip()]
def run(args):
    t = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000
sides = {
    "local": lambda q: [vigie, "search", "--index", index, "--json", "-n", "10", "--", q],
    "local --exact --all-words": lambda q: [vigie, "search", "--index", index, "--exact", "--all-words", "--json", "-n", "10", "--", q],
    "cluster": lambda q: [vigie, "search", "--opensearch", url, "--name", "bench", "--json", "-n", "10", "--", q],
}
times = {k: [] for k in sides}
for q in queries:  # warm-up: page cache, JIT, OpenSearch caches
    for k, cmd in sides.items():
        run(cmd(q))
for _ in range(int(rounds)):
    for q in queries:
        for k, cmd in sides.items():  # interleaved, so load affects all alike
            times[k].append(run(cmd(q)))
def p(v, x):
    v = sorted(v); return v[min(len(v) - 1, int(x * len(v)))]
base = statistics.median(times["local"])
for k, v in times.items():
    print(f"{k:28s} median {statistics.median(v):6.1f} ms  p90 {p(v, 0.9):6.1f} ms  "
          f"({len(v)} processes; median {statistics.median(v) / base:.2f} x local)")
EOF

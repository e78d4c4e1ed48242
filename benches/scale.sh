#!/usr/bin/env bash
# How vigie's cost grows with the number of paragraphs (issue 14): for each
# size, a corpus of exactly that many paragraphs is written from the large
# corpus (../shared/corpus/large-fr-*.jsonl.gz, 1.16 M paragraphs), which is
# repeated with distinct statement ids (`ID~2`, `ID~3`…) where it runs out:
# past 1.16 M paragraphs the text repeats, so postings grow as they would,
# but the vocabulary does not. Per size it measures:
#
#   indexing   `vigie index` wall and CPU time, paragraphs/s, peak RSS
#              (GNU time), index size (du)
#   search     `vigie bench` per kind p50 / p99 (in-process, top 10 with
#              highlights), on the query file QUERIES
#   cold       median wall time of COLD_RUNS `vigie search` processes
#              (`salarié`, top 10), index files in the page cache
#
# and writes a Markdown table to $WORK/scale.md (never to BENCHMARKS.md).
# Each size's corpus and index are deleted after it is measured unless
# KEEP=1 (10 M paragraphs take about 1.1 GB of JSON and 2 GB of index).
#
# usage: benches/scale.sh [SIZE...]    default: 100000 1000000 5000000 10000000
# environment: CORPUS_DIR (../shared/corpus), QUERIES (benches/queries.txt),
#   RUNS (10), WARMUP (2), COLD_RUNS (20), WORK (target/scale), KEEP (0)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CORPUS_DIR=${CORPUS_DIR:-$ROOT/../shared/corpus}
QUERIES=${QUERIES:-$ROOT/benches/queries.txt}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
COLD_RUNS=${COLD_RUNS:-20}
WORK=${WORK:-$ROOT/target/scale}
KEEP=${KEEP:-0}
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100000 1000000 5000000 10000000)
export CORPUS_DIR QUERIES RUNS WARMUP COLD_RUNS WORK

ls "$CORPUS_DIR"/large-fr-*.jsonl.gz >/dev/null 2>&1 || {
    echo "scale.sh: no large corpus in $CORPUS_DIR (set CORPUS_DIR)" >&2
    exit 2
}
[[ -x /usr/bin/time ]] || { echo "scale.sh: GNU time is missing (apt-get install time)" >&2; exit 2; }
mkdir -p "$WORK"
cargo build --release --quiet --bin vigie
VIGIE=${CARGO_TARGET_DIR:-$ROOT/target}/release/vigie

for n in "${SIZES[@]}"; do
    corpus=$WORK/corpus-$n.jsonl
    index=$WORK/index-$n
    echo "scale.sh: $n paragraphs: writing the corpus" >&2
    python3 - "$n" "$corpus" <<'PY'
import glob, gzip, json, os, sys
want, out = int(sys.argv[1]), sys.argv[2]
files = sorted(glob.glob(os.path.join(os.environ["CORPUS_DIR"], "large-fr-*.jsonl.gz")))
written, repeat = 0, 1
with open(out, "w", encoding="utf-8") as o:
    while written < want:
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    paragraphs = d.get("paragraphs") or []
                    if not paragraphs:
                        continue
                    if repeat > 1:
                        d["id"] = f"{d['id']}~{repeat}"
                    d["paragraphs"] = paragraphs[: want - written]
                    o.write(json.dumps(d, ensure_ascii=False) + "\n")
                    written += len(d["paragraphs"])
                    if written >= want:
                        break
            if written >= want:
                break
        repeat += 1
json.dump({"paragraphs": written, "repeats": repeat - 1, "bytes": os.path.getsize(out)},
          open(out + ".json", "w"))
PY
    rm -rf "$index"
    echo "scale.sh: $n paragraphs: indexing" >&2
    /usr/bin/time -v -o "$WORK/index-$n.time" "$VIGIE" index --index "$index" "$corpus" >/dev/null 2>"$WORK/index-$n.log"
    du -sb "$index" | cut -f1 >"$WORK/index-$n.size"
    echo "scale.sh: $n paragraphs: searching" >&2
    "$VIGIE" bench --index "$index" --queries "$QUERIES" --runs "$RUNS" --warmup "$WARMUP" --json \
        >"$WORK/bench-$n.json" 2>/dev/null
    python3 - "$VIGIE" "$index" "$WORK/cold-$n.json" <<'PY'
import json, os, statistics, subprocess, sys, time
vigie, index, out = sys.argv[1:4]
cmd = [vigie, "search", "--index", index, "--color", "never", "salarié"]
for _ in range(3):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(int(os.environ["COLD_RUNS"])):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
json.dump({"median_ms": statistics.median(times), "runs": len(times)}, open(out, "w"))
PY
    if [[ "$KEEP" != 1 ]]; then
        rm -rf "$index" "$corpus"
    fi
done

python3 - "${SIZES[@]}" <<'PY'
import json, os, sys
W = os.environ["WORK"]
def timefile(path):
    t = {}
    for line in open(path):
        k, _, v = line.strip().rpartition(": ")
        t[k] = v
    wall = 0.0
    for part in t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return wall, float(t["User time (seconds)"]) + float(t["System time (seconds)"]), int(t["Maximum resident set size (kbytes)"]) / 1024
rows, kinds = [], None
for n in sys.argv[1:]:
    c = json.load(open(f"{W}/corpus-{n}.jsonl.json"))
    wall, cpu, rss = timefile(f"{W}/index-{n}.time")
    size = int(open(f"{W}/index-{n}.size").read())
    b = json.load(open(f"{W}/bench-{n}.json"))
    cold = json.load(open(f"{W}/cold-{n}.json"))
    kinds = kinds or [k["kind"] for k in b["kinds"]]
    rows.append((int(n), c, wall, cpu, rss, size, {k["kind"]: k for k in b["kinds"]}, b["overall"], cold))
out = ["| paragraphs | text MB | repeats | index s | paragraphs/s | peak RSS MiB | index MiB | all p50 µs | all p99 µs | cold ms |",
       "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for n, c, wall, cpu, rss, size, k, o, cold in rows:
    out.append(f"| {n:,} | {c['bytes'] / 1e6:,.0f} | {c['repeats']} | {wall:.1f} | {n / wall:,.0f} | {rss:,.0f} | "
               f"{size / 2**20:,.0f} | {o['total']['p50']:,.0f} | {o['total']['p99']:,.0f} | {cold['median_ms']:.1f} |")
out.append("\nPer kind, total (search + fetch of 10 hits with highlights) p50 / p99 in µs:\n")
out.append("| paragraphs | " + " | ".join(kinds) + " |")
out.append("|---:|" + "---:|" * len(kinds))
for n, c, wall, cpu, rss, size, k, o, cold in rows:
    out.append(f"| {n:,} | " + " | ".join(f"{k[x]['total']['p50']:,.0f} / {k[x]['total']['p99']:,.0f}" for x in kinds) + " |")
open(f"{W}/scale.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY

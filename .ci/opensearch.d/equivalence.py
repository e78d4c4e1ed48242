#!/usr/bin/env python3
"""Equivalence of `vigie search` on the local index and on the cluster.

For each query, runs the local search with `--exact --all-words` (every word
as typed, only paragraphs holding every part: what the cluster search does)
and the cluster search (`--opensearch`), both with `--json -n LIMIT`, and
compares the SETS of (statement id, paragraph) hits and the totals, and the
highlighted byte ranges of every paragraph found on both sides. Prints
one line per difference and a summary line `equivalence: N same, M differ`.

Usage: equivalence.py VIGIE INDEX URL NAME QUERY_FILE [--limit N]
QUERY_FILE: JSON Lines with a "query" field (queries.jsonl, French cases),
or plain text, one query a line.
Exit status: 0 when every query gives the same set, 1 otherwise.
"""
import json, subprocess, sys

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    hits, total = {}, None
    for line in p.stdout.splitlines():
        v = json.loads(line)
        if v.get("type") == "hit":
            hits[(v["doc_id"], v["paragraph"])] = v.get("highlights")
        elif v.get("type") == "summary":
            total = v.get("total")
    return p.returncode, hits, total, p.stderr

def queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("//"):
                continue
            if line.startswith("{"):
                out.append(json.loads(line)["query"])
            else:
                out.append(line)
    return out

def main():
    args = sys.argv[1:]
    limit = "10000"
    if "--limit" in args:
        i = args.index("--limit"); limit = args[i + 1]; del args[i:i + 2]
    vigie, index, url, name, qfile = args
    same = differ = 0
    for q in queries(qfile):
        lc, local, ltotal, lerr = run([vigie, "search", "--index", index, "--exact", "--all-words",
                                       "--json", "-n", limit, "--", q])
        rc, remote, rtotal, rerr = run([vigie, "search", "--opensearch", url, "--name", name,
                                        "--json", "-n", limit, "--", q])
        if rc == 2 or lc == 2:
            differ += 1
            print(f"DIFF {q!r}: exit local {lc} cluster {rc}: {lerr.strip()[:200]} | {rerr.strip()[:200]}")
            continue
        marks = [k for k in local.keys() & remote.keys() if local[k] != remote[k]]
        if marks:
            differ += 1
            k = sorted(marks)[0]
            print(f"DIFF {q!r}: highlights differ on {len(marks)} paragraphs, e.g. {k}: local {local[k]} cluster {remote[k]}")
            continue
        local, remote = set(local), set(remote)
        if local == remote and ltotal == rtotal and lc == rc:
            same += 1
            continue
        if ltotal == rtotal and lc == rc and ltotal is not None and ltotal > len(local):
            # More hits than fetched: the pages differ only by the order of
            # equal scores; the totals are compared.
            same += 1
            print(f"same count {q!r}: {ltotal} (more than the {len(local)} fetched)")
            continue
        differ += 1
        print(f"DIFF {q!r}: local {ltotal} ({len(local)} fetched), cluster {rtotal} ({len(remote)} fetched);"
              f" only local {sorted(local - remote)[:5]}, only cluster {sorted(remote - local)[:5]}")
    print(f"equivalence: {same} same, {differ} differ")
    return 0 if differ == 0 else 1

if __name__ == "__main__":
    sys.exit(main())

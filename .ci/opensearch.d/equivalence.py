#!/usr/bin/env python3
"""Equivalence of `vigie search` on the local index and on the cluster.

Two modes:
- `--exact` (default): the local search with `--exact --all-words` (every
  word as typed, only paragraphs holding every part) against the cluster
  search with `--exact`;
- `--synonyms`: the local search with `--all-words` (thesaurus synonyms
  on) against the cluster search without `--exact` (synonyms on). No flag
  turns typo correction off locally while keeping synonyms, and the
  cluster never corrects typos: a query where the local search corrected
  or widened a word (its `--explain` says "typo" or "no hits for") and
  found other paragraphs is listed as EXPLAINED (typo correction), not
  counted as a difference; every other query must match.
Both with `--json -n LIMIT`; compares the SETS of (statement id,
paragraph) hits and the totals, and the highlighted byte ranges and the
`via` (synonym, related) of every paragraph found on both sides. Prints
one line per difference and a summary line
`equivalence: N same, M differ, E explained`.

Usage: equivalence.py VIGIE INDEX URL NAME QUERY_FILE [--limit N] [--synonyms]
QUERY_FILE: JSON Lines with a "query" field (queries.jsonl, French cases),
or plain text, one query a line.
Exit status: 0 when every query gives the same set (or an explained
one), 1 otherwise.
"""
import json, subprocess, sys

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    hits, total = {}, None
    for line in p.stdout.splitlines():
        v = json.loads(line)
        if v.get("type") == "hit":
            hits[(v["doc_id"], v["paragraph"])] = (v.get("highlights"), v.get("via"))
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
    synonyms = "--synonyms" in args
    if synonyms:
        args.remove("--synonyms")
    vigie, index, url, name, qfile = args
    local_flags = ["--all-words", "--explain"] if synonyms else ["--exact", "--all-words"]
    remote_flags = [] if synonyms else ["--exact"]
    same = differ = explained = 0
    for q in queries(qfile):
        lc, local, ltotal, lerr = run([vigie, "search", "--index", index, *local_flags,
                                       "--json", "-n", limit, "--", q])
        rc, remote, rtotal, rerr = run([vigie, "search", "--opensearch", url, "--name", name,
                                        "--index", index, *remote_flags,
                                        "--json", "-n", limit, "--", q])
        typo = synonyms and ("typo" in lerr or "no hits for" in lerr)
        if rc == 2 or lc == 2:
            differ += 1
            print(f"DIFF {q!r}: exit local {lc} cluster {rc}: {lerr.strip()[:200]} | {rerr.strip()[:200]}")
            continue
        marks = [k for k in local.keys() & remote.keys() if local[k] != remote[k]]
        if marks and typo:
            explained += 1
            print(f"EXPLAINED {q!r} (typo correction, local only): highlights differ on {len(marks)} paragraphs")
            continue
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
        line = (f"{q!r}: local {ltotal} ({len(local)} fetched), cluster {rtotal} ({len(remote)} fetched);"
                f" only local {sorted(local - remote)[:5]}, only cluster {sorted(remote - local)[:5]}")
        if typo:
            explained += 1
            fixes = [l.split("explain: ", 1)[-1] for l in lerr.splitlines() if "typo" in l or "no hits for" in l]
            print(f"EXPLAINED (typo correction, local only: {'; '.join(fixes)[:200]}) {line}")
            continue
        differ += 1
        print(f"DIFF {line}")
    print(f"equivalence: {same} same, {differ} differ, {explained} explained")
    return 0 if differ == 0 else 1

if __name__ == "__main__":
    sys.exit(main())

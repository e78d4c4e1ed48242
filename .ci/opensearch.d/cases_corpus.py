#!/usr/bin/env python3
"""Writes the French cases as a statement corpus: one statement per case
(id `case-ID`, its paragraphs the case's `text`), for the equivalence check.

Usage: cases_corpus.py OUT.jsonl CASES.jsonl...
"""
import json, sys

out, files = sys.argv[1], sys.argv[2:]
with open(out, "w", encoding="utf-8") as w:
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                case = json.loads(line)
                w.write(json.dumps({"id": f"case-{case['id']}", "title": f"Case {case['id']}",
                                    "date": None, "lang": "fr", "source": "vigie tests",
                                    "url": None, "paragraphs": case["text"]}, ensure_ascii=False) + "\n")

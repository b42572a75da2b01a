#!/usr/bin/env python3
"""Re-scores a running server's /api/search against the blind, pooled judgement in
docs/search-review/ (see docs/search.md): nDCG@5, linear gain, normalised by the best
ordering of the pooled grades ("pool-ideal"), per kind and overall.

Usage: scripts/search_review.py BASE_URL [--show]
  e.g. scripts/search_review.py http://127.0.0.1:3000

The grades cover only the two systems judged then; a result nobody graded counts 0 here and
is counted as "unjudged", so a new ranking's score is a floor, to be read with that count.
--show prints each query's grades and unjudged results. Standard library only.
"""
import json, math, os, sys, urllib.parse, urllib.request
from collections import defaultdict

base = sys.argv[1].rstrip("/")
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "search-review")
queries = [json.loads(l) for l in open(os.path.join(here, "queries.jsonl")) if l.strip()]
grades = defaultdict(dict)
for l in open(os.path.join(here, "grades.jsonl")):
    if l.strip():
        r = json.loads(l)
        grades[r["qi"]][int(r["doc"].lstrip("Q"))] = r["grade"]


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


by_kind, unjudged, top_good = defaultdict(list), 0, 0
for qi, q in enumerate(queries):
    url = base + "/api/search?q=" + urllib.parse.quote(q["q"])
    with urllib.request.urlopen(url, timeout=30) as resp:
        ids = [int(str(x["id"]).lstrip("QqKkBb")) for x in json.load(resp).get("results", [])][:5]
    judged = grades[qi]
    gains = [judged.get(i, 0) for i in ids]
    missing = [i for i in ids if i not in judged]
    unjudged += len(missing)
    top_good += bool(gains) and gains[0] >= 2
    ideal = dcg(sorted(judged.values(), reverse=True)[:5])
    score = dcg(gains) / ideal if ideal > 0 else 0.0
    by_kind[q["kind"]].append(score)
    if "--show" in sys.argv:
        print(f"{qi:2d} {score:.2f} {gains} unjudged {missing} {q['q'][:60]}")
every = [s for v in by_kind.values() for s in v]
print(" ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in by_kind.items()))
print(f"overall nDCG@5 {sum(every) / len(every):.3f}  top 1 graded >= 2: {top_good} / {len(every)}"
      f"  unjudged in top 5: {unjudged} of {5 * len(every)}")

#!/usr/bin/env python3
"""The baseline kbfix's search is measured against: a plain FTS5 table of each article's raw
text (one column, the default tokenizer), the query's words quoted and ORed, ranked by bm25.
It serves GET /api/search?q=... like kbfix, so score_queries.py scores both the same way.

Usage: scripts/baseline_search.py [--archive ../shared/corpus/kb-txt.tar.gz] [--port 3912]
                                  [--db target/baseline/plain.db]
Builds the table on the first run (about a minute), then serves until interrupted, e.g.
  scripts/baseline_search.py & ../shared/eval/score_queries.py http://127.0.0.1:3912 \\
      ../shared/eval/dev-queries.jsonl
Standard library only.
"""
import argparse, http.server, json, os, re, sqlite3, tarfile, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("--archive", default="../shared/corpus/kb-txt.tar.gz")
ap.add_argument("--port", type=int, default=3912)
ap.add_argument("--db", default="target/baseline/plain.db")
args = ap.parse_args()

def build(path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    db = sqlite3.connect(tmp)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(text)")
    with tarfile.open(args.archive, "r:gz") as tar:
        for member in tar:
            m = re.search(r"[Qq](\d+)\.[Tt][Xx][Tt]$", member.name)
            if not m or not member.isfile():
                continue
            raw = tar.extractfile(member).read().decode("cp1252", errors="replace")
            db.execute("INSERT INTO docs (rowid, text) VALUES (?, ?)", (int(m.group(1)), raw))
    db.commit()
    db.close()
    os.replace(tmp, path)

if not os.path.exists(args.db):
    build(args.db)
db = sqlite3.connect(args.db, check_same_thread=False)

def search(q):
    words = list(dict.fromkeys(w.lower() for w in re.findall(r"\w+", q)))
    if not words:
        return []
    match = " OR ".join('"%s"' % w for w in words)
    rows = db.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)
    ).fetchall()
    return [{"id": "Q%d" % r[0]} for r in rows]

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query).get("q", [""])[0]
        body = json.dumps({"results": search(q)}).encode()
        self.send_response(200 if url.path == "/api/search" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass

print(f"baseline search on http://127.0.0.1:{args.port}/api/search", flush=True)
http.server.HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()

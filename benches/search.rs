//! Search latency without HTTP: building the in-memory index from the database, then the
//! engine `/api/search` runs (`Searcher::search`, page rows and snippets included), beside the
//! old direct FTS5 statements, and the ugly case (32 common words and an unknown one).
//!
//! The honest baseline (`--raw RAW_DB`, the raw table `cargo bench --bench import -- ARCHIVE
//! --keep DIR` leaves in DIR/raw.db): the plainest FTS5 search of the same text, one
//! synchronous prepared statement through rusqlite (the SQLite build sqlx links), top 20 by
//! bm25 with a snippet each, the query's words ANDed, ORed (as kbfix's engine takes them),
//! and ANDed then ORed when that finds nothing (what a plain search box does). Each says
//! how many queries it answered with nothing.
//! `--queries FILE` takes the queries from a JSON-lines file's `"query"` fields (the dev
//! queries) instead of the built-in mix.
//!
//! `cargo bench --bench search -- DB [--raw RAW_DB] [--queries FILE]`

use kbfix::search::{Filters, Searcher};
use kbfix::store::{SearchFilters, Store, fts_query};
use std::path::{Path, PathBuf};
use std::time::Instant;

const QUERIES: [&str; 12] = [
    "cc:Mail dirsync event 68",
    "event id 1000",
    "access denied",
    "outlook crash",
    "exchange service does not start",
    "printer driver",
    "blue screen stop",
    "setup fails",
    "SQL server login failed",
    "network adapter",
    "IIS 500 error",
    "DNS name resolution",
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let db = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-') && (*i == 0 || !["--raw", "--queries"].contains(&&*args[i - 1]))
        })
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| PathBuf::from("target/bench-web/kbfix.db"));
    anyhow::ensure!(
        db.exists(),
        "{} not found: import the archive first",
        db.display()
    );
    let queries = match opt("--queries") {
        Some(file) => read_queries(&file)?,
        None => QUERIES.map(str::to_string).to_vec(),
    };
    if let Some(raw) = opt("--raw") {
        raw_baseline(&raw, &queries)?;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = Store::open(&db).await?;
        let filters = SearchFilters::default();
        let (mut times, mut stopped) = (Vec::new(), 0);
        for round in 0..rounds(queries.len()) {
            for q in &queries {
                let Some(fts) = fts_query(q, " ", 32) else {
                    continue;
                };
                let start = Instant::now();
                // The store stops a read past its time limit: count those, time the rest.
                match store.search(&fts, &filters, 20, 0).await {
                    Ok(page) if round > 0 => {
                        times.push(start.elapsed().as_secs_f64() * 1000.0);
                        std::hint::black_box(page);
                    }
                    Ok(_) => {}
                    Err(_) => stopped += 1,
                }
            }
        }
        report(
            &format!("kbfix store FTS5, all words (the old statements, sqlx; {stopped} stopped)"),
            &mut times,
        );

        let searcher = Searcher::new(store.clone());
        let start = Instant::now();
        let ix = searcher.index().await?;
        println!(
            "  index build: {} articles in {:.2}s",
            ix.len(),
            start.elapsed().as_secs_f64()
        );
        let ugly = "the computer would not start after installing new program from disk and \
                    then error message said file could found when open window again system \
                    problem with printer network user server work every";
        for (name, queries) in [
            ("own-words engine", queries.clone()),
            (
                "own-words engine, 32 common words + 1 unknown",
                (0..12).map(|i| format!("{ugly} zq{i}xv")).collect(),
            ),
        ] {
            let mut times = Vec::new();
            let mut empty = 0;
            for round in 0..rounds(queries.len()) {
                for q in &queries {
                    let start = Instant::now();
                    let r = searcher.search(q, &Filters::default(), 0, 20).await?;
                    if round > 0 {
                        times.push(start.elapsed().as_secs_f64() * 1000.0);
                    } else if r.results.is_empty() {
                        empty += 1;
                    }
                    std::hint::black_box(r);
                }
            }
            report(name, &mut times);
            println!("    of {} queries, {empty} found nothing", queries.len());
        }
        anyhow::Ok(())
    })
}

fn report(name: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "  {name}: avg {mean:.2}ms p50 {:.2}ms p99 {:.2}ms",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}

/// Enough rounds for a steady figure, fewer for a long query file; the first is a warm-up.
fn rounds(queries: usize) -> usize {
    (240 / queries.max(1)).clamp(3, 20)
}

/// The `"query"` field of each line of a JSON-lines file.
fn read_queries(file: &Path) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| anyhow::anyhow!("{}:{}: {e}", file.display(), n + 1))?;
            v["query"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| anyhow::anyhow!("{}:{}: no \"query\" string", file.display(), n + 1))
        })
        .collect()
}

/// The raw table's statement, words ANDed then ORed: what a plain FTS5 search does.
fn raw_baseline(raw: &Path, queries: &[String]) -> anyhow::Result<()> {
    anyhow::ensure!(
        raw.exists(),
        "{} not found: run `cargo bench --bench import -- ARCHIVE --keep DIR` for DIR/raw.db",
        raw.display()
    );
    let conn =
        rusqlite::Connection::open_with_flags(raw, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare(
        "SELECT rowid, snippet(raw, 0, '<mark>', '</mark>', '…', 16) FROM raw \
         WHERE raw MATCH ?1 ORDER BY bm25(raw) LIMIT 20",
    )?;
    let mut run = |expr: &str| -> anyhow::Result<Vec<(i64, String)>> {
        Ok(stmt
            .query_map([expr], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?)
    };
    for (name, joiner) in [
        ("raw FTS5 statement, words ANDed", Some(" ")),
        ("raw FTS5 statement, words ORed", Some(" OR ")),
        // What a plain search box over FTS5 does to answer every query with something.
        (
            "raw FTS5 statements, ANDed, then ORed when that finds nothing",
            None,
        ),
    ] {
        let mut times = Vec::new();
        // Queries it answers with nothing: ANDed, most sentences find no article at all, so
        // its speed is partly the speed of finding nothing.
        let mut empty = 0;
        for round in 0..rounds(queries.len()) {
            for q in queries {
                let Some(all) = raw_match(q, joiner.unwrap_or(" ")) else {
                    continue;
                };
                let start = Instant::now();
                let mut rows = run(&all)?;
                if joiner.is_none() && rows.is_empty() {
                    rows = run(&raw_match(q, " OR ").unwrap_or(all))?;
                }
                if round > 0 {
                    times.push(start.elapsed().as_secs_f64() * 1000.0);
                } else if rows.is_empty() {
                    empty += 1;
                }
                std::hint::black_box(rows);
            }
        }
        report(name, &mut times);
        println!("    of {} queries, {empty} found nothing", queries.len());
    }
    Ok(())
}

/// The query's distinct words, each quoted (so FTS5 syntax in them is only text).
fn raw_match(query: &str, joiner: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for w in query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !words.contains(&w) {
            words.push(w);
        }
    }
    (!words.is_empty()).then(|| {
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(joiner)
    })
}

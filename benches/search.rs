//! Search latency without HTTP: building the in-memory index from the database, then the
//! engine `/api/search` runs (`Searcher::search`, page rows and snippets included), beside the
//! old direct FTS5 statements, and the ugly case (32 common words and an unknown one).
//!
//! `cargo bench --bench search -- DB`

use kbfix::search::{Filters, Searcher};
use kbfix::store::{SearchFilters, Store, fts_query};
use std::path::PathBuf;
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
    let db = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-web/kbfix.db"));
    anyhow::ensure!(
        db.exists(),
        "{} not found: import the archive first",
        db.display()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let store = Store::open(&db).await?;
        let filters = SearchFilters::default();
        let mut times = Vec::new();
        for round in 0..20 {
            for q in QUERIES {
                let fts = fts_query(q, " ", 32).expect("words");
                let start = Instant::now();
                let page = store.search(&fts, &filters, 20, 0).await?;
                if round > 0 {
                    times.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                std::hint::black_box(page);
            }
        }
        report("direct FTS5, all words (the old statements)", &mut times);

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
            ("own-words engine", QUERIES.map(str::to_string).to_vec()),
            (
                "own-words engine, 32 common words + 1 unknown",
                (0..12).map(|i| format!("{ugly} zq{i}xv")).collect(),
            ),
        ] {
            let mut times = Vec::new();
            for round in 0..20 {
                for q in &queries {
                    let start = Instant::now();
                    let r = searcher.search(q, &Filters::default(), 0, 20).await?;
                    if round > 0 {
                        times.push(start.elapsed().as_secs_f64() * 1000.0);
                    }
                    std::hint::black_box(r);
                }
            }
            report(name, &mut times);
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

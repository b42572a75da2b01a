//! Search latency straight on the database: the same statements `/api/search` runs (count and
//! ranked page), through the same store code, without HTTP. `scripts/bench-web.sh` compares.
//!
//! `cargo bench --bench search -- DB`

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
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "  direct FTS5 (same statements, no HTTP): avg {mean:.2}ms p50 {:.2}ms p99 {:.2}ms",
            times[times.len() / 2],
            times[times.len() * 99 / 100]
        );
        anyhow::Ok(())
    })
}

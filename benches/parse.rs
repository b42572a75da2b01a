//! Parse timings: the fixture articles, a 1 MiB hostile article, and a 256 KiB hostile
//! paste (the largest body the server accepts), each parsed many times; prints per-parse
//! figures. `cargo bench --bench parse`

#[path = "../tests/it/common/hostile.rs"]
mod hostile;

use kbfix::kb::parse_article;
use kbfix::paste::parse_paste;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Runs `f` repeatedly for about a second (at least 5 times) and prints the per-run figures.
fn time(name: &str, bytes: usize, mut f: impl FnMut()) {
    f(); // warm-up
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < 5 || start.elapsed() < Duration::from_secs(1) {
        let t = Instant::now();
        f();
        runs.push(t.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let median = runs[runs.len() / 2];
    println!(
        "  {name:<34} median {:>9.3} ms  max {:>9.3} ms  {:>7.1} MB/s  ({} runs)",
        median * 1e3,
        runs[runs.len() - 1] * 1e3,
        bytes as f64 / median / 1e6,
        runs.len()
    );
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("tests/fixtures")
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    fixtures.sort();
    let total: usize = fixtures.iter().map(Vec::len).sum();
    println!("parse timings");
    time(
        &format!("{} fixture articles", fixtures.len()),
        total,
        || {
            for f in &fixtures {
                black_box(parse_article(black_box(f)).expect("fixture parses"));
            }
        },
    );
    // Several sizes, so that the figures show how the time grows with the input.
    for kib in [256, 512, 1024] {
        let article = hostile::hostile_article_of(kib * 1024);
        time(&format!("{kib} KiB hostile article"), article.len(), || {
            black_box(parse_article(black_box(&article)).ok());
        });
    }
    let paste = hostile::hostile_paste();
    time("256 KiB hostile paste", paste.len(), || {
        black_box(parse_paste(black_box(&paste)));
    });
    let fixture_text: String = fixtures
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    time(
        "fixture articles pasted as text",
        fixture_text.len(),
        || {
            black_box(parse_paste(black_box(&fixture_text)));
        },
    );
}

//! Scores own-words queries straight against the search engine (no HTTP), the way
//! `score_queries.py` does over the API: recall@1, recall@5 and MRR@10, overall, per style
//! and per half (odd and even case numbers, so a rule tuned on one half can be checked on
//! the other). `--misses` prints each miss with the top three titles. `--tune` searches the
//! ranking's weights by coordinate ascent on the odd half, taking a step only when the even
//! half does not get worse, printing both halves each step.
//!
//! `--review=docs/search-review` scores the blind judgement's nDCG@5 instead (see
//! `scripts/search_review.py`, which does so over HTTP).
//!
//! `cargo run --release --example search_eval -- DB QUERIES.jsonl [--misses] [--tune]
//! [--review=DIR] [name=value...]` (weights other than the defaults, e.g. `product=0`), where DB was
//! imported by `kbfix serve --import ...`.

use kbfix::search::{Index, Searcher, Weights, parse, rank_with};
use kbfix::store::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Default)]
struct Tally {
    n: usize,
    at1: usize,
    at5: usize,
    rr: f64,
}

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if let Some(r) = rank {
            self.at1 += usize::from(r == 1);
            self.at5 += usize::from(r <= 5);
            self.rr += 1.0 / r as f64;
        }
    }

    fn get(&self) -> (f64, f64, f64) {
        let n = self.n.max(1) as f64;
        (self.at1 as f64 / n, self.at5 as f64 / n, self.rr / n)
    }

    fn line(&self, name: &str) -> String {
        let (a, b, c) = self.get();
        format!(
            "{name:<12} n={:<4} r@1 {a:.3}  r@5 {b:.3}  mrr {c:.3}",
            self.n
        )
    }
}

struct Case {
    name: String,
    query: String,
    gold: Vec<String>,
    style: String,
    odd: bool,
}

fn load(file: &str) -> anyhow::Result<Vec<Case>> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string(file)?.lines() {
        let case: serde_json::Value = serde_json::from_str(line)?;
        let name = case["case"].as_str().unwrap_or_default().to_string();
        let num: usize = name.trim_start_matches("dev-").parse().unwrap_or(0);
        out.push(Case {
            query: case["query"].as_str().unwrap_or_default().to_string(),
            gold: case["gold"]
                .as_array()
                .map(|g| {
                    g.iter()
                        .filter_map(|v| Some(v.as_str()?.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            style: case["style"].as_str().unwrap_or_default().to_string(),
            odd: num % 2 == 1,
            name,
        });
    }
    Ok(out)
}

/// Tallies by "all", half and style; misses printed when asked.
fn score(ix: &Index, cases: &[Case], w: &Weights, misses: bool) -> BTreeMap<String, Tally> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for c in cases {
        let r = rank_with(ix, &parse(&c.query), &Default::default(), (0, 10), w, &[]);
        let rank = r
            .page
            .iter()
            .position(|h| c.gold.contains(&h.id.to_string()))
            .map(|p| p + 1);
        let half = if c.odd { "half-odd" } else { "half-even" };
        for key in ["all", half, &c.style] {
            tallies.entry(key.to_string()).or_default().add(rank);
        }
        if misses && rank != Some(1) {
            let top: Vec<String> = r.page.iter().take(3).map(|h| h.id.to_string()).collect();
            println!(
                "{} [{}] rank {rank:?} gold {:?}: {}  top {top:?}",
                c.name, c.style, c.gold, c.query
            );
        }
    }
    tallies
}

/// The tuning objective on one half: MRR plus recall@5.
fn objective(t: &BTreeMap<String, Tally>, half: &str) -> f64 {
    let (_, at5, mrr) = t[half].get();
    mrr + at5
}

fn fields(w: &mut Weights) -> Vec<(&'static str, &mut f32)> {
    vec![
        ("title_tf", &mut w.title_tf),
        ("symptoms_tf", &mut w.symptoms_tf),
        ("k1", &mut w.k1),
        ("b", &mut w.b),
        ("alternative", &mut w.alternative),
        ("first", &mut w.first),
        ("in_title", &mut w.in_title),
        ("in_head", &mut w.in_head),
        ("in_any", &mut w.in_any),
        ("phrase", &mut w.phrase),
        ("quoted", &mut w.quoted),
        ("catalogue", &mut w.catalogue),
        ("title_share", &mut w.title_share),
        ("product", &mut w.product),
        ("intent", &mut w.intent),
        ("window", &mut w.window),
        ("typo_df", &mut w.typo_df),
        ("query_words", &mut w.query_words),
        ("lead", &mut w.lead),
        ("pair_share", &mut w.pair_share),
    ]
}

/// nDCG@5 (linear gain, pool-ideal) per kind and overall over the blind judgement in `dir`
/// (docs/search-review: queries.jsonl, grades.jsonl), as `scripts/search_review.py` scores
/// a server; unjudged results count 0 and are counted.
fn review(ix: &Index, dir: &str, w: &Weights) -> anyhow::Result<()> {
    let read = |name: &str| -> anyhow::Result<Vec<serde_json::Value>> {
        let text = std::fs::read_to_string(format!("{dir}/{name}"))?;
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?)
    };
    let mut grades: BTreeMap<(u64, String), f64> = BTreeMap::new();
    for g in read("grades.jsonl")? {
        let doc = g["doc"].as_str().unwrap_or_default().to_string();
        let qi = g["qi"].as_u64().unwrap_or(0);
        grades.insert((qi, doc), g["grade"].as_f64().unwrap_or(0.0));
    }
    let dcg = |g: &[f64]| -> f64 {
        g.iter()
            .enumerate()
            .map(|(i, v)| v / (i as f64 + 2.0).log2())
            .sum()
    };
    let mut kinds: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut unjudged = 0;
    let mut condensed = Vec::new();
    for (qi, q) in read("queries.jsonl")?.iter().enumerate() {
        let qi = qi as u64;
        let text = q["q"].as_str().unwrap_or_default();
        let r = rank_with(ix, &parse(text), &Default::default(), (0, 5), w, &[]);
        let gains: Vec<f64> = r
            .page
            .iter()
            .map(|h| {
                let g = grades.get(&(qi, h.id.to_string())).copied();
                unjudged += usize::from(g.is_none());
                g.unwrap_or(0.0)
            })
            .collect();
        let mut ideal: Vec<f64> = grades
            .range((qi, String::new())..(qi + 1, String::new()))
            .map(|(_, g)| *g)
            .collect();
        ideal.sort_by(|a, b| b.total_cmp(a));
        ideal.truncate(5);
        let best = dcg(&ideal);
        let score = if best > 0.0 { dcg(&gains) / best } else { 0.0 };
        // Condensed: the unjudged results left out, the judged ones moved up (Sakai's
        // condensed lists), so that results the pool never saw neither help nor hurt.
        let judged: Vec<f64> = r
            .page
            .iter()
            .filter_map(|h| grades.get(&(qi, h.id.to_string())).copied())
            .collect();
        condensed.push(if best > 0.0 { dcg(&judged) / best } else { 0.0 });
        let kind = q["kind"].as_str().unwrap_or_default().to_string();
        kinds.entry(kind).or_default().push(score);
    }
    let all: Vec<f64> = kinds.values().flatten().copied().collect();
    for (k, v) in &kinds {
        println!(
            "review {k:<10} nDCG@5 {:.3}",
            v.iter().sum::<f64>() / v.len() as f64
        );
    }
    println!(
        "review overall    nDCG@5 {:.3}  unjudged in top 5: {unjudged}",
        all.iter().sum::<f64>() / all.len().max(1) as f64
    );
    println!(
        "review condensed  nDCG@5 {:.3}  (unjudged results left out)",
        condensed.iter().sum::<f64>() / condensed.len().max(1) as f64
    );
    Ok(())
}

fn tune(ix: &Index, cases: &[Case]) {
    let mut best = Weights::default();
    let mut best_t = score(ix, cases, &best, false);
    for round in 0..3 {
        for f in 0..fields(&mut best.clone()).len() {
            for factor in [0.0f32, 0.5, 0.75, 1.33, 2.0, -1.0] {
                let mut w = best;
                {
                    let mut fs = fields(&mut w);
                    let v = &mut *fs[f].1;
                    *v = if factor < 0.0 { *v + 0.25 } else { *v * factor };
                    if fs[f].0 == "b" {
                        *fs[f].1 = fs[f].1.clamp(0.0, 1.0);
                    }
                }
                let t = score(ix, cases, &w, false);
                // Better on the odd half, and no worse on the even one: the even half stops
                // changes that only fit the odd half's queries.
                if objective(&t, "half-odd") > objective(&best_t, "half-odd") + 1e-9
                    && objective(&t, "half-even") >= objective(&best_t, "half-even") - 1e-9
                {
                    best = w;
                    best_t = t;
                    println!(
                        "round {round} {}: {:?}\n  {}\n  {}",
                        fields(&mut w)[f].0,
                        best,
                        best_t["half-odd"].line("half-odd"),
                        best_t["half-even"].line("half-even")
                    );
                }
            }
        }
    }
    println!("final {best:?}");
    for (k, t) in &best_t {
        println!("{}", t.line(k));
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(db), Some(file)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: search_eval DB QUERIES.jsonl [--misses] [--tune]");
    };
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let store = Store::open(&PathBuf::from(db)).await?;
    let searcher = Searcher::new(store);
    let t = Instant::now();
    let ix = searcher.index().await?;
    eprintln!("index built in {:.1}s", t.elapsed().as_secs_f64());
    let cases = load(file)?;
    if has("--tune") {
        tune(&ix, &cases);
        return Ok(());
    }
    // `name=value` arguments override one weight each.
    let mut w = Weights::default();
    for a in &args[2..] {
        let Some((name, value)) = a.split_once('=').filter(|_| !a.starts_with("--")) else {
            continue;
        };
        let value: f32 = value.parse()?;
        for (n, f) in fields(&mut w) {
            if n == name {
                *f = value;
            }
        }
    }
    if let Some(dir) = args.iter().find_map(|a| a.strip_prefix("--review=")) {
        return review(&ix, dir, &w);
    }
    let mut times = Vec::new();
    for c in &cases {
        let t = Instant::now();
        searcher
            .search(&c.query, &Default::default(), 0, 10)
            .await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    for (k, t) in &score(&ix, &cases, &w, has("--misses")) {
        println!("{}", t.line(k));
    }
    // The ranking alone with these weights, three times over, for comparing weights' cost.
    let mut ranking = Vec::new();
    for _ in 0..3 {
        for c in &cases {
            let t = Instant::now();
            rank_with(&ix, &parse(&c.query), &Default::default(), (0, 10), &w, &[]);
            ranking.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let pct = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 * q) as usize).min(v.len() - 1)]
    };
    println!(
        "latency p50 {:.1} ms  p95 {:.1} ms; ranking alone p50 {:.1} ms  p95 {:.1} ms",
        pct(&mut times, 0.5),
        pct(&mut times, 0.95),
        pct(&mut ranking, 0.5),
        pct(&mut ranking, 0.95)
    );
    Ok(())
}

//! Scoring the matcher on labelled pastes: recall@1, recall@5 and MRR per format, and the
//! latency of matching, measured in-process.

use super::Matcher;
use crate::kb::ArticleId;
use crate::store::StoreError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Instant;

/// One labelled paste, as a line of `dev-pastes.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalCase {
    /// The case name.
    pub case: String,
    /// The format the paste was written in.
    pub format: String,
    /// The pasted text.
    pub text: String,
    /// Every article that is a right answer.
    pub gold: Vec<ArticleId>,
}

/// Ranks of the right answer per format, and matching latencies.
#[derive(Debug, Default)]
pub struct EvalReport {
    ranks: BTreeMap<String, Vec<Option<usize>>>,
    latencies_ms: Vec<f64>,
    /// Cases whose right answer was not first: (case, format, what came first).
    pub misses: Vec<(String, String, Option<ArticleId>)>,
    /// The slowest case and its time in milliseconds.
    pub slowest: Option<(String, f64)>,
}

impl EvalReport {
    /// Overall recall@1.
    pub fn recall_at_1(&self) -> f64 {
        let all: Vec<&Option<usize>> = self.ranks.values().flatten().collect();
        all.iter().filter(|r| ***r == Some(1)).count() as f64 / all.len().max(1) as f64
    }

    /// The table printed by `kbfix eval`: one line per format, then ALL with latencies.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let mut all = Vec::new();
        for (format, ranks) in &self.ranks {
            let _ = writeln!(out, "{}", line(format, ranks));
            all.extend(ranks.iter().copied());
        }
        let mut lat = self.latencies_ms.clone();
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0.0)
        };
        let _ = writeln!(
            out,
            "{} p50={:.2}ms p95={:.2}ms max={:.2}ms",
            line("ALL", &all),
            pct(0.5),
            pct(0.95),
            lat.last().copied().unwrap_or(0.0)
        );
        out
    }
}

fn line(name: &str, ranks: &[Option<usize>]) -> String {
    let n = ranks.len().max(1) as f64;
    let r1 = ranks.iter().filter(|r| **r == Some(1)).count() as f64 / n;
    let r5 = ranks.iter().filter(|r| r.is_some_and(|r| r <= 5)).count() as f64 / n;
    let mrr: f64 = ranks.iter().flatten().map(|r| 1.0 / *r as f64).sum::<f64>() / n;
    format!(
        "{name:12} n={:5} recall@1={r1:.3} recall@5={r5:.3} mrr={mrr:.3}",
        ranks.len()
    )
}

/// Runs every case through the matcher, timing each.
pub async fn evaluate(matcher: &Matcher, cases: &[EvalCase]) -> Result<EvalReport, StoreError> {
    let mut report = EvalReport::default();
    matcher.index().await?;
    for case in cases {
        let start = Instant::now();
        let outcome = matcher.match_text(&case.text).await?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        report.latencies_ms.push(ms);
        if report.slowest.as_ref().is_none_or(|(_, worst)| ms > *worst) {
            report.slowest = Some((case.case.clone(), ms));
        }
        let rank = outcome
            .results
            .iter()
            .position(|r| case.gold.contains(&r.id))
            .map(|i| i + 1);
        if rank != Some(1) {
            report.misses.push((
                case.case.clone(),
                case.format.clone(),
                outcome.results.first().map(|r| r.id),
            ));
        }
        report
            .ranks
            .entry(case.format.clone())
            .or_default()
            .push(rank);
    }
    Ok(report)
}

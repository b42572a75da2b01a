//! Scoring the matcher on labelled pastes: recall@1, recall@5 and MRR per format, and the
//! latency of matching, measured in-process.

use super::{Matcher, Verdict};
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
    /// Every article that is a right answer; none when the archive has no article for it.
    pub gold: Vec<ArticleId>,
    /// The event id the paste states, when it states one (real pastes).
    #[serde(default)]
    pub event_id: Option<u32>,
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
    /// Cases stating an event id, and those whose id was recognised.
    ids: (usize, usize),
    /// Cases the archive has no article for, and those whose verdict was not "match".
    no_article: (usize, usize),
    /// Cases whose stated id was not recognised, and no-article cases called a match.
    pub wrong: Vec<(String, String)>,
}

impl EvalReport {
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
        let share = |(n, k): (usize, usize)| k as f64 * 100.0 / n.max(1) as f64;
        if self.ids.0 > 0 {
            let _ = writeln!(
                out,
                "stated event id recognised: {}/{} ({:.1}%)",
                self.ids.1,
                self.ids.0,
                share(self.ids)
            );
        }
        if self.no_article.0 > 0 {
            let _ = writeln!(
                out,
                "no article in the archive: verdict not \"match\" in {}/{} ({:.1}%)",
                self.no_article.1,
                self.no_article.0,
                share(self.no_article)
            );
        }
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
        if let Some(id) = case.event_id {
            report.ids.0 += 1;
            if outcome.events.iter().any(|e| e.event_id == Some(id)) {
                report.ids.1 += 1;
            } else {
                report
                    .wrong
                    .push((case.case.clone(), format!("event id {id} not recognised")));
            }
        }
        if case.gold.is_empty() {
            report.no_article.0 += 1;
            if outcome.verdict == Verdict::Match {
                let first = outcome.results.first().map(|r| r.id.to_string());
                report.wrong.push((
                    case.case.clone(),
                    format!(
                        "no article, yet \"match\" with {}",
                        first.unwrap_or_default()
                    ),
                ));
            } else {
                report.no_article.1 += 1;
            }
            continue;
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

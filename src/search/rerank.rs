//! The second stage of ranking: the first stage's best hundred re-scored by how much of the
//! query they cover and where (title, symptoms, product lines), phrases, how much of the
//! title is about the query, catalogue demotion and what past sessions learnt. Pure.

use super::index::{HEAD_BREAK, Index};
use super::query::Query;
use super::rank::{Acc, Resolved, Weights, idf};
use std::collections::HashSet;

/// Query words that ask for a catalogue article.
const CATALOGUE_WORDS: &[&str] = &["readme", "list", "buglist", "fixlist", "release"];

/// Adjacent pairs of the query's words found adjacent in an article's head.
fn phrase_hits(head: &[u32], pairs: &[(u32, u32)]) -> usize {
    if pairs.is_empty() {
        return 0;
    }
    let present: HashSet<(u32, u32)> = head
        .windows(2)
        .filter(|w| w[0] != HEAD_BREAK && w[1] != HEAD_BREAK)
        .map(|w| (w[0], w[1]))
        .collect();
    pairs.iter().filter(|p| present.contains(p)).count()
}

/// Whether an article's head holds `phrase` word for word.
pub(super) fn holds_phrase(head: &[u32], phrase: &[u32]) -> bool {
    !phrase.is_empty() && head.windows(phrase.len()).any(|w| w == phrase)
}

/// The share (by idf) of a title's content words that `wanted` holds.
fn title_share(ix: &Index, head: &[u32], wanted: &HashSet<u32>) -> f32 {
    let mut seen = HashSet::new();
    let (mut hit, mut all) = (0f32, 0f32);
    for &t in head.iter().take_while(|&&t| t != HEAD_BREAK) {
        if ix.stop[t as usize] || !seen.insert(t) {
            continue;
        }
        let weight = idf(ix.len(), ix.postings[t as usize].len());
        all += weight;
        if wanted.contains(&t) {
            hit += weight;
        }
    }
    if all > 0.0 { hit / all } else { 0.0 }
}

/// Which groups an article's product lines name (a bit each): any alternative all there.
fn product_mask(ix: &Index, d: usize, resolved: &[(usize, Resolved)]) -> u32 {
    let products = &ix.products[d];
    let mut mask = 0;
    for (bit, (_, r)) in resolved.iter().enumerate() {
        let named = r
            .alternatives
            .iter()
            .any(|(ids, _)| ids.iter().all(|t| products.binary_search(t).is_ok()));
        if named {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Scores the candidates `hits` (article, score), unsorted; `learnt` gives the articles
/// past sessions raise, each with ln(1 + sessions).
pub(super) fn rerank(
    ix: &Index,
    query: &Query,
    resolved: &[(usize, Resolved)],
    acc: &Acc,
    hits: &[u32],
    w: &Weights,
    learnt: &[(u32, f32)],
) -> Vec<(f32, u32)> {
    let idfs: Vec<f32> = resolved.iter().map(|(_, r)| r.idf).collect();
    let total_idf: f32 = idfs.iter().sum::<f32>().max(1e-6);
    let covered = |mask: u32| -> f32 {
        idfs.iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, w)| w)
            .sum::<f32>()
            / total_idf
    };
    let seq: Vec<Option<u32>> = query.sequence.iter().map(|w| ix.term_id(w)).collect();
    let pairs: Vec<(u32, u32)> = seq
        .windows(2)
        .filter_map(|w| Some((w[0]?, w[1]?)))
        .collect();
    let quoted: Vec<Vec<u32>> = resolved
        .iter()
        .filter(|(gi, r)| query.groups[*gi].quoted && !r.alternatives.is_empty())
        .map(|(_, r)| r.alternatives[0].0.clone())
        .collect();
    let wanted: HashSet<u32> = resolved
        .iter()
        .flat_map(|(_, r)| {
            r.alternatives
                .iter()
                .flat_map(|(ids, _)| ids.iter().copied())
        })
        .collect();
    let wants_catalogue = query
        .sequence
        .iter()
        .any(|w| CATALOGUE_WORDS.contains(&w.as_str()));
    let max_first = hits
        .iter()
        .map(|&d| acc.score[d as usize])
        .fold(1e-6f32, f32::max);
    hits.iter()
        .map(|&d| {
            let i = d as usize;
            let head = &ix.heads[i];
            let mut s = w.first * acc.score[i] / max_first
                + w.in_title * covered(acc.title[i])
                + w.in_head * covered(acc.head[i])
                + w.in_any * covered(acc.any[i]);
            s += w.phrase * phrase_hits(head, &pairs).min(3) as f32 / 3.0;
            // A quoted phrase said as such in the title or symptoms, not just its words.
            let said = quoted.iter().filter(|p| holds_phrase(head, p)).count();
            s += w.quoted * said as f32 / quoted.len().max(1) as f32;
            if w.title_share != 0.0 {
                s += w.title_share * title_share(ix, head, &wanted);
            }
            if w.product != 0.0 {
                s += w.product * covered(product_mask(ix, i, resolved));
            }
            if let Some((_, l)) = learnt.iter().find(|(ld, _)| *ld == d) {
                s += w.learnt * l;
            }
            if ix.docs[i].catalogue && !wants_catalogue {
                s -= w.catalogue;
            }
            (s, d)
        })
        .collect()
}

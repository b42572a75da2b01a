//! The second stage of ranking: the first stage's best hundred re-scored by how much of the
//! query they cover and where (title, symptoms, product lines), phrases, how much of the
//! title is about the query, catalogue demotion and what past sessions learnt. Pure.

use super::index::{HEAD_BREAK, Index};
use super::query::Query;
use super::rank::{Acc, Resolved, Weights, idf};
use std::collections::{HashMap, HashSet};

/// Query words that ask for a catalogue article.
const CATALOGUE_WORDS: &[&str] = &["readme", "list", "buglist", "fixlist", "release"];

/// Which of the query's adjacent word pairs (a bit each, the first 64) an article's head
/// says adjacent, title and symptoms not bridged. The pairs are few: scanning them for
/// each of the head's pairs is cheaper than a set of the head's pairs per article.
fn pairs_said(head: &[u32], pairs: &[(u32, u32)]) -> u64 {
    let mut found = 0u64;
    if pairs.is_empty() {
        return found;
    }
    for w in head.windows(2) {
        if w[0] == HEAD_BREAK || w[1] == HEAD_BREAK {
            continue;
        }
        for (k, p) in pairs.iter().take(64).enumerate() {
            if *p == (w[0], w[1]) {
                found |= 1 << k;
            }
        }
    }
    found
}

/// Adjacent pairs of the query's words found adjacent in an article's head.
fn phrase_hits(head: &[u32], pairs: &[(u32, u32)]) -> usize {
    pairs_said(head, pairs).count_ones() as usize
}

/// Whether an article's head holds `phrase` word for word.
pub(super) fn holds_phrase(head: &[u32], phrase: &[u32]) -> bool {
    // The first word first: a slice compare per window is a memcmp call.
    !phrase.is_empty()
        && head
            .windows(phrase.len())
            .any(|w| w[0] == phrase[0] && w == phrase)
}

/// The share (by idf) of a title's content words that `wanted` holds.
fn title_share(ix: &Index, head: &[u32], wanted: &HashSet<u32>) -> f32 {
    let mut seen = HashSet::new();
    let (mut hit, mut all) = (0f32, 0f32);
    for &t in head.iter().take_while(|&&t| t != HEAD_BREAK) {
        if ix.stop[t as usize] || !seen.insert(t) {
            continue;
        }
        let weight = idf(ix.len(), ix.doc_freq(t));
        all += weight;
        if wanted.contains(&t) {
            hit += weight;
        }
    }
    if all > 0.0 { hit / all } else { 0.0 }
}

/// Which groups a sorted word-id set names (a bit each): any alternative all there.
fn set_mask(words: &[u32], resolved: &[(usize, Resolved)]) -> u32 {
    let mut mask = 0;
    for (bit, (_, r)) in resolved.iter().enumerate() {
        let named = r
            .alternatives
            .iter()
            .any(|(ids, _)| ids.iter().all(|t| words.binary_search(t).is_ok()));
        if named {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Words of title or symptoms a proximity window spans.
const WINDOW: usize = 8;

/// The best share (by `idfs`) of distinct groups found within `WINDOW` consecutive words of
/// `head`, the title and symptoms not bridged; `groups` gives each word id's group bits.
fn best_window(head: &[u32], groups: &HashMap<u32, u32>, idfs: &[f32], total: f32) -> f32 {
    let bits: Vec<u32> = head
        .iter()
        .map(|t| groups.get(t).copied().unwrap_or(0))
        .collect();
    let mut best_share = 0f32;
    for (i, &first) in bits.iter().enumerate() {
        if first == 0 {
            continue;
        }
        let mut mask = 0u32;
        for (k, &b) in bits[i..].iter().take(WINDOW).enumerate() {
            if head[i + k] == HEAD_BREAK {
                break;
            }
            mask |= b;
        }
        // One word alone is no proximity: the coverage signals count it.
        if mask.count_ones() > 1 {
            best_share = best_share.max(share_of(mask, idfs, total));
        }
    }
    best_share
}

/// The share (by `idfs`) of the groups in `mask`.
fn share_of(mask: u32, idfs: &[f32], total: f32) -> f32 {
    idfs.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, w)| w)
        .sum::<f32>()
        / total
}

/// The groups (bits of `groups`) of the words in `head` ending at `end` words.
fn groups_within(head: &[u32], end: usize, groups: &HashMap<u32, u32>) -> u32 {
    head.iter()
        .take(end)
        .filter_map(|t| groups.get(t))
        .fold(0, |m, b| m | b)
}

/// The groups (bits of `groups`) of the query's adjacent pairs said so in `head`.
fn pair_groups(head: &[u32], pairs: &[(u32, u32)], groups: &HashMap<u32, u32>) -> u32 {
    let found = pairs_said(head, pairs);
    let bits = |t: &u32| groups.get(t).copied().unwrap_or(0);
    pairs
        .iter()
        .take(64)
        .enumerate()
        .filter(|(k, _)| found & (1 << k) != 0)
        .fold(0, |m, (_, (a, b))| m | bits(a) | bits(b))
}

/// The group bits of each word id the query's single-word alternatives search.
fn word_groups(resolved: &[(usize, Resolved)]) -> HashMap<u32, u32> {
    let mut groups: HashMap<u32, u32> = HashMap::new();
    for (bit, (_, r)) in resolved.iter().enumerate() {
        for (ids, _) in r.alternatives.iter().filter(|(ids, _)| ids.len() == 1) {
            *groups.entry(ids[0]).or_default() |= 1 << bit;
        }
    }
    groups
}

/// What the second stage knows of the query, computed once for all candidates.
struct Signals<'a> {
    ix: &'a Index,
    resolved: &'a [(usize, Resolved)],
    acc: &'a Acc,
    /// Each group's idf, and their sum.
    idfs: Vec<f32>,
    total_idf: f32,
    /// Adjacent pairs of the query's words, as word ids.
    pairs: Vec<(u32, u32)>,
    /// The quoted phrases' word ids.
    quoted: Vec<Vec<u32>>,
    /// Every word id any alternative searched.
    wanted: HashSet<u32>,
    /// The groups (a bit each) each single word id searched stands for.
    groups: HashMap<u32, u32>,
    /// The query asks how to do something.
    howto: bool,
    wants_catalogue: bool,
    /// The best first-stage score among the candidates.
    max_first: f32,
}

impl<'a> Signals<'a> {
    fn new(
        ix: &'a Index,
        query: &Query,
        resolved: &'a [(usize, Resolved)],
        acc: &'a Acc,
        hits: &[u32],
    ) -> Self {
        let idfs: Vec<f32> = resolved.iter().map(|(_, r)| r.idf).collect();
        let seq: Vec<Option<u32>> = query.sequence.iter().map(|w| ix.term_id(w)).collect();
        Self {
            ix,
            resolved,
            acc,
            total_idf: idfs.iter().sum::<f32>().max(1e-6),
            idfs,
            pairs: seq
                .windows(2)
                .filter_map(|w| Some((w[0]?, w[1]?)))
                .collect(),
            quoted: resolved
                .iter()
                .filter(|(gi, r)| query.groups[*gi].quoted && !r.alternatives.is_empty())
                .map(|(_, r)| r.alternatives[0].0.clone())
                .collect(),
            wanted: resolved
                .iter()
                .flat_map(|(_, r)| {
                    r.alternatives
                        .iter()
                        .flat_map(|(ids, _)| ids.iter().copied())
                })
                .collect(),
            groups: word_groups(resolved),
            howto: query.howto,
            wants_catalogue: query
                .sequence
                .iter()
                .any(|w| CATALOGUE_WORDS.contains(&w.as_str())),
            max_first: hits
                .iter()
                .map(|&d| acc.score[d as usize])
                .fold(1e-6f32, f32::max),
        }
    }

    /// The share of the query (by idf) in the groups of `mask`.
    fn covered(&self, mask: u32) -> f32 {
        share_of(mask, &self.idfs, self.total_idf)
    }

    /// The later signals, each skipped at weight 0: query words (off), the lead sentence
    /// and phrase pairs by idf.
    fn extra(&self, d: u32, w: &Weights) -> f32 {
        let (ix, i) = (self.ix, d as usize);
        let head = ix.head(i);
        let mut s = 0.0;
        if w.query_words != 0.0 {
            s += w.query_words * self.covered(set_mask(ix.query_words(i), self.resolved));
        }
        if w.lead != 0.0 {
            let lead = usize::from(ix.docs[i].lead);
            s += w.lead * self.covered(groups_within(head, lead, &self.groups));
        }
        if w.pair_share != 0.0 {
            s += w.pair_share * self.covered(pair_groups(head, &self.pairs, &self.groups));
        }
        s
    }

    /// Article `d`'s second-stage score; `learnt` is ln(1 + sessions) when past sessions
    /// resolved with it.
    fn score(&self, d: u32, w: &Weights, learnt: Option<f32>) -> f32 {
        let (ix, acc, i) = (self.ix, self.acc, d as usize);
        let head = ix.head(i);
        let mut s = w.first * acc.score[i] / self.max_first
            + w.in_title * self.covered(acc.title[i])
            + w.in_head * self.covered(acc.head[i])
            + w.in_any * self.covered(acc.any[i]);
        s += w.phrase * phrase_hits(head, &self.pairs).min(3) as f32 / 3.0;
        // A quoted phrase said as such in the title or symptoms, not just its words.
        let said = self.quoted.iter().filter(|p| holds_phrase(head, p)).count();
        s += w.quoted * said as f32 / self.quoted.len().max(1) as f32;
        if w.title_share != 0.0 {
            s += w.title_share * title_share(ix, head, &self.wanted);
        }
        if w.product != 0.0 {
            s += w.product * self.covered(set_mask(ix.products(i), self.resolved));
        }
        s += w.learnt * learnt.unwrap_or(0.0);
        if w.window != 0.0 {
            s += w.window * best_window(head, &self.groups, &self.idfs, self.total_idf);
        }
        if ix.docs[i].problem != self.howto {
            s += w.intent;
        }
        s += self.extra(d, w);
        if ix.docs[i].catalogue && !self.wants_catalogue {
            s -= w.catalogue;
        }
        s
    }
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
    let signals = Signals::new(ix, query, resolved, acc, hits);
    hits.iter()
        .map(|&d| {
            let l = learnt.iter().find(|(ld, _)| *ld == d).map(|(_, l)| *l);
            (signals.score(d, w, l), d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_words_said_together() {
        const B: u32 = HEAD_BREAK;
        // Words 1, 2, 3 stand for groups 0, 1, 2 of idf 1, 1, 2 (total 4); 9 is filler.
        let groups: HashMap<u32, u32> = [(1, 1), (2, 2), (3, 4)].into_iter().collect();
        let idfs = [1.0, 1.0, 2.0];
        let far = [9; WINDOW];
        let cases: &[(Vec<u32>, f32)] = &[
            (vec![1, 2, 3], 1.0),
            (vec![1, 9, 3, 9], 0.75),
            (vec![1, 2], 0.5),
            (vec![1], 0.0),
            (vec![1, 1, 1], 0.0),
            ([&[1][..], &far, &[3]].concat(), 0.0),
            ([&[1][..], &far[2..], &[3]].concat(), 0.75),
            (vec![1, B, 3], 0.0),
            (vec![], 0.0),
        ];
        for (head, want) in cases {
            let got = best_window(head, &groups, &idfs, 4.0);
            assert!((got - want).abs() < 1e-6, "{head:?}: {got}");
        }
    }

    #[test]
    #[allow(clippy::type_complexity)] // tables of (head, pairs or lead end, groups) cases
    fn lead_and_pair_groups_are_the_query_words_found_there() {
        const B: u32 = HEAD_BREAK;
        // Words 1, 2, 3 stand for groups 0, 1, 2 (bits 1, 2, 4); 9 is filler.
        let groups: HashMap<u32, u32> = [(1, 1), (2, 2), (3, 4)].into_iter().collect();
        // (head, lead end) -> groups within the lead.
        let leads: &[(&[u32], usize, u32)] = &[
            (&[1, 9, B, 2, 9, 3], 4, 1 | 2),
            (&[1, 9, B, 2, 9, 3], 6, 1 | 2 | 4),
            (&[9, B, 9, 3], 2, 0),
            (&[], 3, 0),
        ];
        for (head, end, want) in leads {
            assert_eq!(groups_within(head, *end, &groups), *want, "{head:?} {end}");
        }
        // (head, the query's pairs) -> groups of the pairs said so.
        let pairs: &[(&[u32], &[(u32, u32)], u32)] = &[
            (&[9, 1, 2, 9], &[(1, 2), (2, 3)], 1 | 2),
            (&[1, 2, 3], &[(1, 2), (2, 3)], 1 | 2 | 4),
            (&[2, 1, 9, 3], &[(1, 2), (2, 3)], 0),
            (&[1, B, 2], &[(1, 2)], 0),
            (&[1, 2], &[], 0),
        ];
        for (head, p, want) in pairs {
            assert_eq!(pair_groups(head, p, &groups), *want, "{head:?}");
        }
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table of (words, pairs, count) cases
    fn phrases_are_adjacent_pairs_within_a_part() {
        const B: u32 = HEAD_BREAK;
        let cases: &[(&[u32], &[(u32, u32)], usize)] = &[
            (&[1, 2, 3], &[(1, 2), (2, 3)], 2),
            (&[1, B, 2], &[(1, 2)], 0),
            (&[2, 1], &[(1, 2)], 0),
            (&[1, 2], &[], 0),
        ];
        for (head, pairs, want) in cases {
            assert_eq!(phrase_hits(head, pairs), *want, "{head:?}");
        }
        assert!(holds_phrase(&[5, 1, 2, 6], &[1, 2]));
        assert!(!holds_phrase(&[1, 5, 2], &[1, 2]));
        assert!(!holds_phrase(&[1, 2], &[]));
    }
}

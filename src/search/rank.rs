//! Ranking a query over the index: every word an OR candidate scored BM25F-style (title and
//! symptoms above the rest), then the best hundred re-ranked by how much of the query they
//! cover, where, with phrase bonuses, and catalogue articles demoted. Pure.

use super::index::{Index, Posting, RARE};
use super::query::{Group, MAX_GROUPS, Query, stem};
use super::rerank::{holds_phrase, rerank};
use crate::kb::ArticleId;
use std::collections::HashSet;

/// Articles re-ranked by the second stage.
pub(super) const RERANK: usize = 100;
/// Articles a glued pair of query words must be in to count as the same words.
const JOINED_MIN: usize = 20;
/// Postings one ranking walks at most: beyond them the most common words are left out, as
/// beyond [`MAX_GROUPS`]. The longest own-words dev query walks 266,000; sixteen words
/// every article holds would walk 900,000.
pub const MAX_POSTINGS: usize = 300_000;
/// Unknown words per query given spelling help.
const MAX_CORRECTIONS: usize = 8;

/// The ranking's weights: the first stage's BM25F and the second stage's signals. The
/// defaults are the ones searches use; the `search_eval` example tries others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Part weights inside the BM25 term frequency: title, symptoms (the rest counts 1).
    pub title_tf: f32,
    /// See `title_tf`.
    pub symptoms_tf: f32,
    /// BM25 saturation.
    pub k1: f32,
    /// BM25 length normalisation.
    pub b: f32,
    /// Alternatives other than the word typed (synonyms, split words) count for this much.
    pub alternative: f32,
    /// The first-stage score, scaled to the best candidate's.
    pub first: f32,
    /// Share of the query (by idf) in the title, in title or symptoms, anywhere.
    pub in_title: f32,
    /// See `in_title`.
    pub in_head: f32,
    /// See `in_title`.
    pub in_any: f32,
    /// Adjacent query words adjacent in the head (up to three pairs).
    pub phrase: f32,
    /// Quoted phrases said as such in the head.
    pub quoted: f32,
    /// Taken from catalogue articles unless the query asks for one.
    pub catalogue: f32,
    /// Share of the title's words (by idf) that the query holds: a title about something
    /// else loses to one that is all about what was asked.
    pub title_share: f32,
    /// Share of the query (by idf) in the article's product lines ("applies to").
    pub product: f32,
    /// Per unit of ln(1 + sessions) this article resolved for the same query words.
    pub learnt: f32,
    /// Given to articles that fit what the query is: a problem article (one with SYMPTOMS)
    /// for a described problem, one without for a how-to question.
    pub intent: f32,
    /// A word in at most this many articles may be a typo they share: a far commoner
    /// spelling one edit away is searched too (the typed word first).
    pub typo_df: f32,
    /// The share of the query (by idf) in the best window of a few words of the title or
    /// symptoms: the words said together, not scattered.
    pub window: f32,
    /// Share of the query (by idf) in the article's "Additional query words".
    pub query_words: f32,
    /// Share of the query (by idf) in the title and the symptoms' first sentence.
    pub lead: f32,
    /// Share of the query (by idf) in adjacent pairs of its words said so in the head.
    pub pair_share: f32,
}

impl Default for Weights {
    /// Found by `search_eval --tune` on the odd half of the dev queries, each step checked
    /// on the even half; `product` and `intent` set by hand below a phrase pair, as
    /// tie-breakers (intent 0.5 scored better on the dev queries but lower on the blind
    /// judgement, see `docs/history.md`); `window` off: it lost on the even half. `lead`
    /// and `pair_share` raised both halves' recall@1 without costing recall@5;
    /// `query_words` is off: it helped neither half (`docs/history.md` also gives the
    /// title-F1 and idf-squared signals tried and removed).
    fn default() -> Self {
        Self {
            title_tf: 0.0,
            symptoms_tf: 4.0,
            k1: 1.2,
            b: 1.0,
            alternative: 0.8,
            first: 2.9,
            in_title: 1.0,
            in_head: 1.0,
            in_any: 1.0,
            phrase: 0.3,
            quoted: 1.0,
            catalogue: 0.5,
            title_share: 0.0,
            product: 0.25,
            learnt: 1.0,
            intent: 0.25,
            typo_df: RARE as f32,
            window: 0.0,
            query_words: 0.0,
            lead: 0.25,
            pair_share: 0.4,
        }
    }
}

/// Filters on a ranking (exact values, as the browse pages show them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only this category.
    pub category: Option<String>,
    /// Only this product line.
    pub product: Option<String>,
    /// Only this title kind.
    pub kind: Option<String>,
}

/// A ranked article.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The article.
    pub id: ArticleId,
    /// Relevance, higher is better.
    pub score: f64,
    /// It holds every word searched for.
    pub all_words: bool,
}

/// A ranking's page and what the query became on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Articles holding any of the words (after filters).
    pub total: usize,
    /// Of them, those holding all the words.
    pub exact: usize,
    /// The page asked for.
    pub page: Vec<Ranked>,
    /// Words the archive does not hold, with the spelling searched instead when there is one.
    pub corrected: Vec<(String, Option<String>)>,
    /// Words left out because the query had too many (the most common go first).
    pub dropped: Vec<String>,
    /// Stems to highlight: every alternative's words that were searched.
    pub highlight: HashSet<String>,
}

/// A group resolved against the index: alternatives as term-id sequences.
pub(super) struct Resolved {
    pub alternatives: Vec<(Vec<u32>, f32)>,
    pub idf: f32,
}

pub(super) fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(1e-6)
}

/// Spelling help for group `g`: the alternative to search for a rare word (perhaps a typo
/// the archive shares) or an unknown one (split in two, or corrected), noted in `out`.
/// `Err(())` when the word is unknown and nothing near it is, so the group is left out.
fn fix_spelling(
    ix: &Index,
    typo_df: usize,
    g: &Group,
    alts: &[Vec<String>],
    attempts: &mut usize,
    out: &mut Ranking,
) -> Result<Option<Vec<String>>, ()> {
    let known = |a: &Vec<String>| a.iter().all(|w| ix.term_id(w).is_some());
    let rare = !g.quoted
        && alts.iter().any(known)
        && alts
            .iter()
            .all(|a| a.iter().any(|w| ix.doc_count(w) <= typo_df));
    if rare && *attempts < MAX_CORRECTIONS {
        // Known to a handful of articles only: perhaps a typo they share.
        *attempts += 1;
        let fix = ix.suggest_rare(&g.text, typo_df);
        if let Some(f) = &fix {
            out.corrected.push((g.text.clone(), Some(f.clone())));
        }
        return Ok(fix.map(|f| vec![stem(&f)]));
    }
    if alts.iter().any(known) {
        return Ok(None);
    }
    // Spelling help costs a few hundred look-ups a word: only for the first few.
    *attempts += 1;
    let (fix, alt) = if g.quoted || *attempts > MAX_CORRECTIONS {
        (None, None)
    } else if let Some((a, b)) = ix.split(&g.text) {
        (Some(format!("{a} {b}")), Some(vec![stem(&a), stem(&b)]))
    } else {
        let f = ix.suggest(&g.text);
        let alt = f.as_ref().map(|f| vec![stem(f)]);
        (f, alt)
    };
    out.corrected.push((g.text.clone(), fix));
    alt.map(Some).ok_or(())
}

/// The alternatives of a group that the index holds, as word ids with their weights (the
/// typed one 1, the others `alternative`); their words join the highlights.
fn resolve_alternatives(
    ix: &Index,
    alts: &[Vec<String>],
    alternative: f32,
    out: &mut Ranking,
) -> Resolved {
    let mut r = Resolved {
        alternatives: Vec::new(),
        idf: 0.0,
    };
    for (ai, a) in alts.iter().enumerate() {
        let Some(ids) = a
            .iter()
            .map(|w| ix.term_id(w))
            .collect::<Option<Vec<u32>>>()
        else {
            continue;
        };
        let df = ids.iter().map(|&t| ix.doc_freq(t)).min().unwrap_or(0);
        let weight = if ai == 0 { 1.0 } else { alternative };
        r.idf = r.idf.max(idf(ix.len(), df) * weight);
        out.highlight.extend(a.iter().cloned());
        r.alternatives.push((ids, weight));
    }
    r
}

/// Resolves groups, correcting or splitting words the archive lacks; returns them with the
/// stems to highlight.
fn resolve(ix: &Index, groups: &[Group], w: &Weights, out: &mut Ranking) -> Vec<(usize, Resolved)> {
    let mut resolved = Vec::new();
    let mut attempts = 0;
    for (gi, g) in groups.iter().enumerate() {
        let mut alts: Vec<Vec<String>> = g.alternatives.clone();
        match fix_spelling(ix, w.typo_df as usize, g, &alts, &mut attempts, out) {
            Ok(Some(fix)) => alts.push(fix),
            Ok(None) => {}
            Err(()) => continue,
        }
        // Written as one word in the archive ("lockout" for "locked out"), often enough
        // that it is a word and no accident.
        for j in &g.joined {
            if ix.doc_count(j) >= JOINED_MIN && !alts.iter().any(|a| a.len() == 1 && a[0] == *j) {
                alts.push(vec![j.clone()]);
            }
        }
        resolved.push((gi, resolve_alternatives(ix, &alts, w.alternative, out)));
    }
    resolved
}

/// The postings of an alternative: one word's, or for several words the articles holding
/// all of them, counting the rarest.
fn alternative_postings(ix: &Index, ids: &[u32]) -> Vec<Posting> {
    let mut sorted = ids.to_vec();
    sorted.sort_by_key(|&t| ix.doc_freq(t));
    let mut acc: Vec<Posting> = ix.postings(sorted[0]).collect();
    for &other in &sorted[1..] {
        // Both lists are in article order: one merge walk keeps the shared articles.
        let mut docs = ix.postings(other).map(|p| p.doc).peekable();
        acc.retain(|p| {
            while docs.next_if(|&d| d < p.doc).is_some() {}
            docs.peek() == Some(&p.doc)
        });
    }
    acc
}

/// Per-article accumulators of the first stage: its score and, per query group (a bit
/// each), whether the article holds it anywhere, in title or symptoms, in the title.
pub(super) struct Acc {
    pub score: Vec<f32>,
    pub any: Vec<u32>,
    pub head: Vec<u32>,
    pub title: Vec<u32>,
}

fn accumulate(ix: &Index, resolved: &[(usize, Resolved)], w: &Weights, acc: &mut Acc) {
    let mut best = vec![0f32; ix.len()];
    let mut touched: Vec<u32> = Vec::new();
    for (bit, (_, r)) in resolved.iter().enumerate() {
        let mut walk = Walk {
            ix,
            w,
            bit: 1u32 << bit,
            best: &mut best,
            touched: &mut touched,
            acc,
        };
        for (ids, weight) in &r.alternatives {
            // One word's postings are decoded as they are walked; several words' are joined.
            if let [t] = ids[..] {
                walk.alternative(ids, ix.postings(t), ix.doc_freq(t), *weight);
            } else {
                let joined = alternative_postings(ix, ids);
                walk.alternative(ids, joined.iter().copied(), joined.len(), *weight);
            }
        }
        for d in touched.drain(..) {
            acc.score[d as usize] += best[d as usize];
            best[d as usize] = 0.0;
        }
    }
}

/// One query group's walk over its alternatives' postings: each article keeps its best
/// alternative's score in `best` and the group's bit in `acc`.
struct Walk<'a> {
    ix: &'a Index,
    w: &'a Weights,
    bit: u32,
    best: &'a mut [f32],
    touched: &'a mut Vec<u32>,
    acc: &'a mut Acc,
}

impl Walk<'_> {
    fn alternative(
        &mut self,
        ids: &[u32],
        postings: impl Iterator<Item = Posting>,
        df: usize,
        weight: f32,
    ) {
        let (ix, w, bit) = (self.ix, self.w, self.bit);
        let alt_idf = idf(ix.len(), df) * weight;
        for p in postings {
            let d = p.doc as usize;
            let tf = w.title_tf * f32::from(p.title)
                + w.symptoms_tf * f32::from(p.symptoms)
                + f32::from(p.body);
            let norm = w.k1 * (1.0 - w.b + w.b * ix.docs[d].len as f32 / ix.avg_len);
            let mut s = alt_idf * tf * (w.k1 + 1.0) / (tf + norm);
            // Several words standing for one ("blue screen" for bsod) count in full only
            // where the title or symptoms say them together.
            if ids.len() > 1 && !holds_phrase(ix.head(d), ids) {
                s *= 0.5;
            }
            if self.best[d] == 0.0 {
                self.touched.push(p.doc);
            }
            self.best[d] = self.best[d].max(s);
            self.acc.any[d] |= bit;
            if p.title > 0 || p.symptoms > 0 {
                self.acc.head[d] |= bit;
            }
            if p.title > 0 {
                self.acc.title[d] |= bit;
            }
        }
    }
}

fn passes(ix: &Index, d: usize, f: &Filters) -> bool {
    let info = &ix.docs[d];
    let is = |want: &Option<String>, label: u32| {
        want.as_deref()
            .is_none_or(|w| ix.labels[label as usize] == w)
    };
    is(&f.category, info.category) && is(&f.product, info.product) && is(&f.kind, info.kind)
}

/// What past sessions learnt: an article and how many sessions it resolved for the same
/// query words (see `query::Query::key`).
pub type Learnt = (ArticleId, i64);

/// Sorts `resolved` rarest first and says how many to keep: the rarest words (the most
/// common say least about which article is meant), at most `max_groups` of them and at
/// most `max_postings` postings walked in all; the rarest is always kept.
fn keep_rarest(
    ix: &Index,
    resolved: &mut [(usize, Resolved)],
    max_groups: usize,
    max_postings: usize,
) -> usize {
    resolved.sort_by(|a, b| b.1.idf.total_cmp(&a.1.idf));
    let mut walked = 0;
    let mut keep = 0;
    for (_, r) in resolved.iter() {
        let postings: usize = r
            .alternatives
            .iter()
            .flat_map(|(ids, _)| ids)
            .map(|&t| ix.doc_freq(t))
            .sum();
        if keep == max_groups || (keep > 0 && walked + postings > max_postings) {
            break;
        }
        walked += postings;
        keep += 1;
    }
    keep
}

/// Ranks `query` over `ix` with the default weights: the page at `offset`, `limit` long.
pub fn rank(ix: &Index, query: &Query, filters: &Filters, offset: usize, limit: usize) -> Ranking {
    rank_with(
        ix,
        query,
        filters,
        (offset, limit),
        &Weights::default(),
        &[],
    )
}

/// Resolves the query's groups and keeps the rarest within the bounds on work; the groups
/// left out are noted in `out`. The result is in the order typed.
fn bounded_groups(
    ix: &Index,
    query: &Query,
    w: &Weights,
    out: &mut Ranking,
) -> Vec<(usize, Resolved)> {
    let mut resolved = resolve(ix, &query.groups, w, out);
    let keep = keep_rarest(ix, &mut resolved, MAX_GROUPS, MAX_POSTINGS);
    if keep < resolved.len() {
        for (gi, _) in resolved.drain(keep..) {
            out.dropped.push(query.groups[gi].text.clone());
        }
    }
    resolved.sort_by_key(|(gi, _)| *gi);
    resolved
}

/// The articles passing `filters` that hold any group, counted into `out` (all of them, and
/// those holding every group of `full`), cut to the first stage's best `keep`.
fn candidates(
    ix: &Index,
    acc: &Acc,
    filters: &Filters,
    full: u32,
    keep: usize,
    out: &mut Ranking,
) -> Vec<u32> {
    let mut hits: Vec<u32> = (0..ix.len() as u32)
        .filter(|&d| acc.any[d as usize] != 0 && passes(ix, d as usize, filters))
        .collect();
    out.total = hits.len();
    out.exact = hits
        .iter()
        .filter(|&&d| acc.any[d as usize] == full)
        .count();
    let keep = keep.min(hits.len());
    let by_first = |a: &u32, b: &u32| acc.score[*b as usize].total_cmp(&acc.score[*a as usize]);
    if keep > 0 && keep < hits.len() {
        hits.select_nth_unstable_by(keep - 1, by_first);
    }
    hits.truncate(keep);
    hits
}

/// Articles that resolved past sessions for these words, with ln(1 + sessions): candidates
/// wherever the first stage put them, as long as they hold some of the words and pass the
/// filters. They join `hits`.
fn learnt_candidates(
    ix: &Index,
    acc: &Acc,
    filters: &Filters,
    learnt: &[Learnt],
    hits: &mut Vec<u32>,
) -> Vec<(u32, f32)> {
    let learnt: Vec<(u32, f32)> = learnt
        .iter()
        .filter_map(|&(id, sessions)| Some((ix.doc_of(id)?, (1.0 + sessions.max(0) as f32).ln())))
        .filter(|&(d, _)| acc.any[d as usize] != 0 && passes(ix, d as usize, filters))
        .collect();
    for &(d, _) in &learnt {
        if !hits.contains(&d) {
            hits.push(d);
        }
    }
    learnt
}

/// Ranks `query` over `ix` with weights `w`, the articles in `learnt` raised: the page
/// `(offset, limit)`.
pub fn rank_with(
    ix: &Index,
    query: &Query,
    filters: &Filters,
    (offset, limit): (usize, usize),
    w: &Weights,
    learnt: &[Learnt],
) -> Ranking {
    let mut out = Ranking::default();
    let resolved = bounded_groups(ix, query, w, &mut out);
    if resolved.is_empty() || ix.is_empty() {
        return out;
    }
    let n = ix.len();
    let mut acc = Acc {
        score: vec![0.0; n],
        any: vec![0; n],
        head: vec![0; n],
        title: vec![0; n],
    };
    accumulate(ix, &resolved, w, &mut acc);
    let full = if resolved.len() == 32 {
        u32::MAX
    } else {
        (1u32 << resolved.len()) - 1
    };
    let keep = RERANK.max(offset + limit);
    let mut hits = candidates(ix, &acc, filters, full, keep, &mut out);
    if hits.is_empty() {
        return out;
    }
    let learnt = learnt_candidates(ix, &acc, filters, learnt, &mut hits);
    let mut ranked = rerank(ix, query, &resolved, &acc, &hits, w, &learnt);
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(ix.docs[a.1 as usize].id.cmp(&ix.docs[b.1 as usize].id))
    });
    out.page = ranked
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(s, d)| Ranked {
            id: ix.docs[d as usize].id,
            score: f64::from(s),
            all_words: acc.any[d as usize] == full,
        })
        .collect();
    out
}

#[cfg(test)]
mod tests;

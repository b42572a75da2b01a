//! Which articles to offer when a fix did not work, in the order a helpdesk engineer would
//! try them, and the tie-breaker learnt from past sessions. Pure.

use super::article::same_way_citations;
use crate::kb::{Article, ArticleId};
use crate::store::{ResolutionCount, Summary};
use serde::Serialize;
use std::collections::HashMap;

/// How many past sessions about the same event each article and cause resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    articles: HashMap<ArticleId, i64>,
    causes: HashMap<(ArticleId, usize), i64>,
}

impl Feedback {
    /// Sums the store's per-(article, cause) counts.
    pub fn from_counts(rows: &[ResolutionCount]) -> Self {
        let mut f = Feedback::default();
        for r in rows {
            let Ok(id) = ArticleId::try_from(r.article) else {
                continue;
            };
            *f.articles.entry(id).or_default() += r.sessions;
            if let Some(c) = r.cause.and_then(|c| usize::try_from(c).ok()) {
                *f.causes.entry((id, c)).or_default() += r.sessions;
            }
        }
        f
    }

    /// Sessions this article resolved.
    pub fn article(&self, id: ArticleId) -> i64 {
        self.articles.get(&id).copied().unwrap_or(0)
    }

    /// Sessions this cause of this article resolved.
    pub fn cause(&self, id: ArticleId, index: usize) -> i64 {
        self.causes.get(&(id, index)).copied().unwrap_or(0)
    }

    /// Reorders cause indexes so the ones that resolved the most sessions come first; the
    /// article's order is kept among equals.
    pub fn order_causes(&self, id: ArticleId, indexes: &mut [usize]) {
        indexes.sort_by_key(|&i| std::cmp::Reverse(self.cause(id, i)));
    }
}

/// An article offered after a fix failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedCandidate {
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Why it is offered.
    pub why: String,
    /// Its tier: 0 is offered first.
    pub tier: u8,
}

/// What the store knows around an article, for [`related_candidates`].
#[derive(Debug, Clone, Default)]
pub struct RelatedInputs {
    /// Cited articles that are in the archive: id → title.
    pub present: HashMap<ArticleId, String>,
    /// Articles citing this one.
    pub citing: Vec<Summary>,
    /// Articles with the same title: the same problem for other versions.
    pub siblings: Vec<Summary>,
    /// Articles about events from the same source.
    pub same_source: Vec<Summary>,
    /// That source's name.
    pub source: Option<String>,
}

/// The tier of articles on the same problem for other versions.
pub const SIBLING_TIER: u8 = 2;

/// Sections whose citations are part of the fix.
const FIX_SECTIONS: &[&str] = &["RESOLUTION", "WORKAROUND", "STATUS"];

/// The articles to offer after `article`'s fix failed: those it says to troubleshoot "in
/// the same way" as and those cited in its fix, then its other citations, then the same
/// problem for other versions, then the articles citing it, then articles about the same
/// event source. Only articles in the archive, none of `exclude`, each once; within a tier
/// the ones that resolved more past sessions first, then the article's own order.
pub fn related_candidates(
    article: &Article,
    inputs: &RelatedInputs,
    exclude: &[ArticleId],
    feedback: &Feedback,
) -> Vec<RelatedCandidate> {
    let mut offers = Offers {
        article: article.id,
        exclude,
        present: &inputs.present,
        out: Vec::new(),
    };
    for id in same_way_citations(article) {
        let why = format!("{} says to troubleshoot this in the same way", article.id);
        offers.offer(id, None, why, 0);
    }
    for r in &article.references {
        if FIX_SECTIONS.iter().any(|s| r.section.contains(s)) {
            offers.offer(
                r.id,
                None,
                format!("cited in {}'s {}", article.id, r.section),
                0,
            );
        }
    }
    for r in &article.references {
        offers.offer(
            r.id,
            None,
            format!("cited by {} under {}", article.id, r.section),
            1,
        );
    }
    for s in &inputs.siblings {
        let why = "the same problem, written up for other versions".to_string();
        offers.offer(s.id, Some(&s.title), why, SIBLING_TIER);
    }
    for s in &inputs.citing {
        offers.offer(s.id, Some(&s.title), format!("cites {}", article.id), 3);
    }
    let source = inputs.source.as_deref().unwrap_or("the same source");
    for s in &inputs.same_source {
        offers.offer(
            s.id,
            Some(&s.title),
            format!("about events from {source}"),
            4,
        );
    }
    let mut out = offers.out;
    out.sort_by_key(|c| (c.tier, std::cmp::Reverse(feedback.article(c.id))));
    out
}

/// The candidates gathered so far, and what keeps one out.
struct Offers<'a> {
    article: ArticleId,
    exclude: &'a [ArticleId],
    present: &'a HashMap<ArticleId, String>,
    out: Vec<RelatedCandidate>,
}

impl Offers<'_> {
    /// Adds `id` unless it is the article itself, excluded, already offered, or not in
    /// the archive (no title given and none known).
    fn offer(&mut self, id: ArticleId, title: Option<&str>, why: String, tier: u8) {
        if id == self.article || self.exclude.contains(&id) || self.out.iter().any(|c| c.id == id) {
            return;
        }
        let Some(t) = title.or_else(|| self.present.get(&id).map(String::as_str)) else {
            return;
        };
        self.out.push(RelatedCandidate {
            id,
            title: t.to_string(),
            why,
            tier,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Reference, Section};

    fn article() -> Article {
        Article {
            sections: vec![Section {
                heading: "MORE INFORMATION".into(),
                text: "Troubleshoot it in the same way as event 70:\n\n  Q000030 Thirty".into(),
                blocks: vec![],
            }],
            references: vec![
                Reference {
                    id: ArticleId(20),
                    title: None,
                    section: "CAUSE".into(),
                },
                Reference {
                    id: ArticleId(25),
                    title: None,
                    section: "RESOLUTION".into(),
                },
                Reference {
                    id: ArticleId(30),
                    title: None,
                    section: "MORE INFORMATION".into(),
                },
                Reference {
                    id: ArticleId(99),
                    title: None,
                    section: "CAUSE".into(),
                },
            ],
            ..Article::titled(ArticleId(10), "T")
        }
    }

    fn summary(id: u32) -> Summary {
        Summary {
            id: ArticleId(id),
            title: format!("A{id}"),
        }
    }

    #[test]
    fn orders_by_tier_excludes_and_breaks_ties_by_outcomes() {
        let present: HashMap<ArticleId, String> = [20, 25, 30]
            .into_iter()
            .map(|i| (ArticleId(i), format!("A{i}")))
            .collect();
        let citing = [summary(40), summary(20)];
        let same = [summary(50), summary(10), summary(41)];
        let none = Feedback::default();
        let ids = |c: Vec<RelatedCandidate>| c.into_iter().map(|c| c.id.0).collect::<Vec<_>>();
        let inputs = RelatedInputs {
            present,
            citing: citing.to_vec(),
            siblings: vec![summary(60)],
            same_source: same.to_vec(),
            source: None,
        };
        let got = related_candidates(&article(), &inputs, &[], &none);
        assert_eq!(ids(got), [30, 25, 20, 60, 40, 50, 41]);
        let got = related_candidates(&article(), &inputs, &[ArticleId(30)], &none);
        assert_eq!(ids(got), [25, 20, 60, 40, 50, 41]);
        // Q25 resolved past sessions: it moves ahead of Q30 within its tier, not beyond.
        let fb = Feedback::from_counts(&[ResolutionCount {
            article: 25,
            cause: None,
            sessions: 2,
        }]);
        let got = related_candidates(&article(), &inputs, &[], &fb);
        assert_eq!(ids(got), [25, 30, 20, 60, 40, 50, 41]);
    }

    #[test]
    fn causes_that_resolved_come_first() {
        let fb = Feedback::from_counts(&[ResolutionCount {
            article: 10,
            cause: Some(2),
            sessions: 1,
        }]);
        let mut order = vec![0, 1, 2, 3];
        fb.order_causes(ArticleId(10), &mut order);
        assert_eq!(order, [2, 0, 1, 3]);
    }
}

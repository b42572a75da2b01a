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
    /// The article.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Why it is offered.
    pub why: String,
    /// Its tier: 0 is offered first.
    pub tier: u8,
}

/// The articles to offer after `article`'s fix failed: the ones it says to troubleshoot "in
/// the same way" as, then those it cites under MORE INFORMATION, then its other citations,
/// then the articles citing it, then articles about the same event source. Only articles
/// in `present` (id → title: those in the archive), none of `exclude`, each once; within a
/// tier the ones that resolved more past sessions first, then the article's own order.
pub fn related_candidates(
    article: &Article,
    present: &HashMap<ArticleId, String>,
    citing: &[Summary],
    same_source: &[Summary],
    source: Option<&str>,
    exclude: &[ArticleId],
    feedback: &Feedback,
) -> Vec<RelatedCandidate> {
    let mut out: Vec<RelatedCandidate> = Vec::new();
    let mut offer = |id: ArticleId, title: Option<&str>, why: String, tier: u8| {
        if id == article.id || exclude.contains(&id) || out.iter().any(|c| c.id == id) {
            return;
        }
        let Some(t) = title.or_else(|| present.get(&id).map(String::as_str)) else {
            return;
        };
        out.push(RelatedCandidate {
            id,
            title: t.to_string(),
            why,
            tier,
        });
    };
    for id in same_way_citations(article) {
        if present.contains_key(&id) {
            offer(
                id,
                None,
                format!("{} says to troubleshoot this in the same way", article.id),
                0,
            );
        }
    }
    for r in article
        .references
        .iter()
        .filter(|r| r.section.contains("MORE INFORMATION"))
    {
        if present.contains_key(&r.id) {
            offer(
                r.id,
                None,
                format!("cited by {} under MORE INFORMATION", article.id),
                1,
            );
        }
    }
    for r in &article.references {
        if present.contains_key(&r.id) {
            offer(
                r.id,
                None,
                format!("cited by {} under {}", article.id, r.section),
                2,
            );
        }
    }
    for s in citing {
        offer(s.id, Some(&s.title), format!("cites {}", article.id), 3);
    }
    let source = source.unwrap_or("the same source");
    for s in same_source {
        offer(
            s.id,
            Some(&s.title),
            format!("about events from {source}"),
            4,
        );
    }
    out.sort_by_key(|c| (c.tier, std::cmp::Reverse(feedback.article(c.id))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Reference, Section};

    fn article() -> Article {
        Article {
            id: ArticleId(10),
            title: "T".into(),
            date: "1999-01-01".into(),
            category: "c".into(),
            product: String::new(),
            versions: String::new(),
            os: String::new(),
            keywords: vec![],
            applies_to: vec![],
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
                    section: "CAUSE".into(),
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
            events: vec![],
            query_words: vec![],
            technology: vec![],
            issue_type: None,
            trailer: vec![],
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
        let got = related_candidates(&article(), &present, &citing, &same, None, &[], &none);
        assert_eq!(ids(got), [30, 20, 25, 40, 50, 41]);
        let got = related_candidates(
            &article(),
            &present,
            &citing,
            &same,
            None,
            &[ArticleId(30)],
            &none,
        );
        assert_eq!(ids(got), [20, 25, 40, 50, 41]);
        // Q25 resolved past sessions: it moves ahead of Q20 within its tier, not beyond.
        let fb = Feedback::from_counts(&[ResolutionCount {
            article: 25,
            cause: None,
            sessions: 2,
        }]);
        let got = related_candidates(&article(), &present, &citing, &same, None, &[], &fb);
        assert_eq!(ids(got), [30, 25, 20, 40, 50, 41]);
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

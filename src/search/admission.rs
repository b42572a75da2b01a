//! Admission: what a ranking will cost, counted in postings before it runs, and where it
//! runs. Cheap queries rank at once on the request's task; expensive ones take a slow lane
//! (a few permits, a blocking thread each), so that a burst of long queries occupies one
//! core at most and a normal search never queues behind them.

use super::index::Index;
use super::query::{MAX_GROUPS, Query};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A query walking more postings than this is expensive: it takes the slow lane. Keyword
/// searches walk a few thousand to tens of thousands; half of the own-words dev queries
/// (sentences) walk under 72,000, the longest 266,000; 32 common words walk 186,000.
pub const CHEAP_POSTINGS: usize = 100_000;
/// What an unknown word's spelling help costs, in postings: a few hundred look-ups.
const SPELLING_COST: usize = 2_000;
/// Unknown words given spelling help (as `rank` does).
const SPELLED: usize = 8;

/// Which lane a query took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Ranked at once, on the request's task.
    Cheap,
    /// Waited for a slow-lane permit, ranked on a blocking thread.
    Slow,
}

/// The postings a ranking of `query` walks, estimated from the index before it runs: each
/// group's alternatives' words, the [`MAX_GROUPS`] cheapest groups (rank keeps the rarest),
/// and spelling help for words the index lacks.
pub fn cost(ix: &Index, query: &Query) -> usize {
    let mut unknown = 0;
    let mut groups: Vec<usize> = query
        .groups
        .iter()
        .map(|g| {
            let words = g.alternatives.iter().flatten();
            let n: usize = words.clone().map(|w| ix.doc_count(w)).sum();
            if words.clone().all(|w| ix.term_id(w).is_none()) {
                unknown += 1;
            }
            n
        })
        .collect();
    groups.sort_unstable();
    groups.truncate(MAX_GROUPS);
    groups.iter().sum::<usize>() + unknown.min(SPELLED) * SPELLING_COST
}

/// Where rankings run.
#[derive(Debug)]
pub struct Admission {
    slow: Arc<Semaphore>,
    cheap: usize,
}

impl Default for Admission {
    fn default() -> Self {
        // One slow query per two cores: the rest stay free for cheap queries and pages.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new((cores / 2).max(1), CHEAP_POSTINGS)
    }
}

/// A query's admission: which lane it runs in, holding the slow lane's permit (if any)
/// until the query's page is built.
#[derive(Debug)]
pub struct Ticket {
    permit: Option<OwnedSemaphorePermit>,
}

impl Admission {
    /// Admission with `permits` queries at once in the slow lane, for queries walking more
    /// than `cheap` postings.
    pub fn new(permits: usize, cheap: usize) -> Self {
        Self {
            slow: Arc::new(Semaphore::new(permits.max(1))),
            cheap,
        }
    }

    /// Admits `query`: at once when cheap, after a slow-lane permit when expensive.
    pub async fn admit(&self, ix: &Index, query: &Query) -> Ticket {
        if cost(ix, query) <= self.cheap {
            return Ticket { permit: None };
        }
        // The semaphore is never closed, so the permit always comes.
        let permit = self.slow.clone().acquire_owned().await.ok();
        Ticket { permit }
    }
}

impl Ticket {
    /// The lane taken.
    pub fn lane(&self) -> Lane {
        if self.permit.is_some() {
            Lane::Slow
        } else {
            Lane::Cheap
        }
    }

    /// Runs CPU-bound work of the query (ranking, snippets): inline when cheap, on a
    /// blocking thread in the slow lane, so that the runtime's workers stay free.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> T {
        if self.permit.is_none() {
            return work();
        }
        match tokio::task::spawn_blocking(work).await {
            Ok(out) => out,
            // The work is pure; a panic in it is a bug, passed on to the request's own panic
            // handler as if it had run inline. Only a runtime shutting down cancels a
            // blocking task, and then no one waits for the answer.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("search work cancelled: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::index::IndexDoc;
    use super::super::query::parse;
    use super::*;
    use crate::kb::ArticleId;
    use std::time::Duration;

    /// Ten articles: "printer" in all, "spooler" in two.
    fn index() -> Index {
        let mut ix = Index::new(1);
        for id in 0..10u32 {
            let body = if id < 2 { "printer spooler" } else { "printer" };
            ix.add(&IndexDoc {
                id: ArticleId(900_000 + id),
                title: "A printer problem".into(),
                symptoms: String::new(),
                body: body.into(),
                category: String::new(),
                product: String::new(),
                products: String::new(),
                query_words: String::new(),
                kind: String::new(),
                catalogue: false,
            });
        }
        ix.finish();
        ix
    }

    #[test]
    fn cost_counts_postings_and_unknown_words() {
        let ix = index();
        assert_eq!(cost(&ix, &parse("spooler")), 2);
        assert_eq!(cost(&ix, &parse("printer spooler")), 12);
        assert_eq!(cost(&ix, &parse("spooler zzqqxv")), 2 + SPELLING_COST);
    }

    #[tokio::test]
    async fn expensive_queries_queue_for_the_slow_lane_cheap_ones_do_not() {
        let ix = index();
        let lanes = Admission::new(1, 5);
        let slow = lanes.admit(&ix, &parse("printer")).await;
        assert_eq!(slow.lane(), Lane::Slow);
        assert_eq!(slow.run(|| 6 * 7).await, 42);
        // The one permit is taken: a second expensive query waits, a cheap one does not.
        let printer = parse("printer problem");
        let second = lanes.admit(&ix, &printer);
        tokio::pin!(second);
        let waited = tokio::time::timeout(Duration::from_millis(50), &mut second).await;
        assert!(waited.is_err(), "a second slow query ran beside the first");
        let cheap = lanes.admit(&ix, &parse("spooler")).await;
        assert_eq!((cheap.lane(), cheap.run(|| 1).await), (Lane::Cheap, 1));
        drop(slow);
        assert_eq!(second.await.lane(), Lane::Slow);
    }
}

//! Quoted events: browsing by source and id, and the candidates the matcher ranks.

use super::{Db, Store, StoreError, pg};
use crate::kb::{self, ArticleId};
use serde::Serialize;
use sqlx::FromRow;

/// An event source (folded key and a display spelling) with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct SourceCount {
    /// The source with case and spaces folded, as used in URLs.
    pub key: String,
    /// The most common spelling of the source.
    pub source: String,
    /// Distinct event ids quoted from it.
    pub event_ids: i64,
    /// Articles quoting it.
    pub articles: i64,
}

/// An event id of a source with how many articles quote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct EventIdCount {
    /// The event id.
    pub event_id: i64,
    /// Articles quoting it.
    pub articles: i64,
}

/// An article quoting a given event, with the quote's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct EventArticle {
    /// The article.
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// The quoted description.
    pub description: Option<String>,
}

/// One quoted event of one article, everything the matcher needs to rank it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct EventCandidate {
    /// The quoting article.
    #[sqlx(try_from = "i64")]
    pub article_id: ArticleId,
    /// The article's title.
    pub title: String,
    /// The event id.
    pub event_id: i64,
    /// The source as written.
    pub source: Option<String>,
    /// The folded source.
    pub source_key: String,
    /// The event type.
    #[sqlx(rename = "type")]
    pub kind: Option<String>,
    /// The quoted description.
    pub description: Option<String>,
    /// Whether the description followed a `Description:` label.
    pub description_labelled: bool,
    /// Whether several fields shared a line.
    pub inline_fields: bool,
    /// The article's applies-to list, as JSON (an array of strings).
    pub applies_to: String,
}

/// Articles whose quotes [`Store::all_event_quotes`] reads per query.
const QUOTE_PAGE: i64 = 64;

impl Store {
    /// Every event source with its counts, alphabetical. Quotes without an event id
    /// ([`kb::NO_EVENT_ID`]) are for matching pastes by message, not for browsing: they are
    /// left out here and in [`Store::source_event_ids`].
    pub async fn event_sources(&self) -> Result<Vec<SourceCount>, StoreError> {
        Ok(on_pool!(self, "event_sources", |pool| sqlx::query_as(
            "SELECT source_key AS key, \
               (SELECT source FROM events e2 WHERE e2.source_key = e.source_key \
                GROUP BY source ORDER BY count(*) DESC, source LIMIT 1) AS source, \
               count(DISTINCT event_id) AS event_ids, count(DISTINCT article_id) AS articles \
             FROM events e WHERE source_key != '' AND event_id != $1 \
             GROUP BY source_key ORDER BY source_key",
        )
        .bind(i64::from(kb::NO_EVENT_ID))
        .fetch_all(pool)
        .await)?)
    }

    /// A source's display spelling, or `None` when no article quotes it.
    pub async fn source_name(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, "source_name", |pool| sqlx::query_scalar(
            "SELECT source FROM events WHERE source_key = $1 \
             GROUP BY source ORDER BY count(*) DESC, source LIMIT 1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await)?)
    }

    /// The event ids quoted from a source, with article counts.
    pub async fn source_event_ids(&self, key: &str) -> Result<Vec<EventIdCount>, StoreError> {
        Ok(on_pool!(self, "source_event_ids", |pool| sqlx::query_as(
            "SELECT event_id, count(DISTINCT article_id) AS articles FROM events \
             WHERE source_key = $1 AND event_id != $2 GROUP BY event_id ORDER BY event_id",
        )
        .bind(key)
        .bind(i64::from(kb::NO_EVENT_ID))
        .fetch_all(pool)
        .await)?)
    }

    /// The articles quoting event `event_id` of a source.
    pub async fn event_articles(
        &self,
        key: &str,
        event_id: i64,
    ) -> Result<Vec<EventArticle>, StoreError> {
        Ok(on_pool!(self, "event_articles", |pool| sqlx::query_as(
            "SELECT a.id, a.title, min(e.description) AS description \
             FROM events e JOIN articles a ON a.id = e.article_id \
             WHERE e.source_key = $1 AND e.event_id = $2 GROUP BY a.id ORDER BY a.id",
        )
        .bind(key)
        .bind(event_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Articles quoting any event of the folded source `key`, by article number, for the
    /// wizard's "same event source" candidates.
    pub async fn source_articles(
        &self,
        key: &str,
        limit: i64,
    ) -> Result<Vec<super::Summary>, StoreError> {
        Ok(on_pool!(self, "source_articles", |pool| sqlx::query_as(
            "SELECT a.id, a.title FROM articles a \
             WHERE a.id IN (SELECT article_id FROM events WHERE source_key = $1) \
             ORDER BY a.id LIMIT $2",
        )
        .bind(key)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    /// Every quoted event of the archive, for the matcher's index. Read a page of articles
    /// at a time, so no read holds a connection long (one read of them all, on a cold
    /// cache, held it past the bound).
    pub async fn all_event_quotes(&self) -> Result<Vec<EventCandidate>, StoreError> {
        let mut out: Vec<EventCandidate> = Vec::new();
        loop {
            let after = out.last().map_or(0, |e| i64::from(e.article_id.0));
            let page: Vec<EventCandidate> = on_pool!(self, "all_event_quotes", |pool| {
                sqlx::query_as(
                    "SELECT e.article_id, a.title, e.event_id, e.source, e.source_key, e.type, \
                     e.description, e.description_labelled, e.inline_fields, a.applies_to \
                     FROM events e JOIN articles a ON a.id = e.article_id \
                     WHERE e.article_id IN (SELECT DISTINCT article_id FROM events \
                       WHERE article_id > $1 ORDER BY article_id LIMIT $2) \
                     ORDER BY e.article_id, e.ord",
                )
                .bind(after)
                .bind(QUOTE_PAGE)
                .fetch_all(pool)
                .await
            })?;
            if page.is_empty() {
                return Ok(out);
            }
            out.extend(page);
        }
    }

    /// Articles naming event `event_id` in prose or title, not as a quoted block.
    pub async fn event_mentions(
        &self,
        event_id: i64,
        limit: i64,
    ) -> Result<Vec<(ArticleId, String)>, StoreError> {
        let rows: Vec<(i64, String)> = on_pool!(self, "event_mentions", |pool| sqlx::query_as(
            "SELECT a.id, a.title FROM event_mentions m JOIN articles a ON a.id = m.article_id \
             WHERE m.event_id = $1 ORDER BY a.id LIMIT $2",
        )
        .bind(event_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, t)| Some((ArticleId::try_from(id).ok()?, t)))
            .collect())
    }

    /// A number bumped by every committed write batch, from any process, so in-memory
    /// indexes know when to rebuild.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, "generation", |pool| sqlx::query_scalar(
            "SELECT value FROM meta WHERE key = 'generation'"
        )
        .fetch_one(pool)
        .await)?)
    }
}

/// An article's product line and versions, for weighing the product and version sent with
/// an event.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ArticleProduct {
    /// The article.
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    /// The `PRODUCT` line.
    pub product: String,
    /// The `PROD/VER` line, e.g. `winnt:5.0,5.5`.
    pub versions: String,
    /// The "applies to" lines as a JSON array.
    pub applies_to: String,
}

/// How an article quotes an event: the source as written and the description.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EventQuote {
    /// The quoting article.
    #[sqlx(try_from = "i64")]
    pub article_id: ArticleId,
    /// The source as written.
    pub source: Option<String>,
    /// The folded source; '' when none.
    pub source_key: String,
    /// The quoted description.
    pub description: Option<String>,
}

impl Store {
    /// The product and versions of each of `ids` that is in the archive.
    pub async fn article_products(
        &self,
        ids: &[ArticleId],
    ) -> Result<Vec<ArticleProduct>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::article_products(pool, ids).await,
        };
        let list: Vec<u32> = ids.iter().map(|id| id.0).collect();
        Ok(super::bounded::at(
            "article_products",
            sqlx::query_as(
                "SELECT id, product, versions, applies_to FROM articles \
             WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id",
            )
            .bind(serde_json::to_string(&list)?)
            .fetch_all(pool),
        )
        .await?)
    }

    /// Every quote of event `event_id` in the articles `ids`, in article and quote order.
    pub async fn event_quotes(
        &self,
        event_id: i64,
        ids: &[ArticleId],
    ) -> Result<Vec<EventQuote>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let pool = match &self.db {
            Db::Sqlite(pool) => pool,
            Db::Pg(pool) => return pg::event_quotes(pool, event_id, ids).await,
        };
        let list: Vec<u32> = ids.iter().map(|id| id.0).collect();
        Ok(super::bounded::at(
            "event_quotes",
            sqlx::query_as(
                "SELECT article_id, source, source_key, description FROM events \
             WHERE event_id = $1 AND article_id IN (SELECT value FROM json_each($2)) \
             ORDER BY article_id, ord",
            )
            .bind(event_id)
            .bind(serde_json::to_string(&list)?)
            .fetch_all(pool),
        )
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{EventQuote, NO_EVENT_ID};
    use crate::store::ImportedArticle;

    /// A fixture article renumbered to `id`, quoting `events`.
    fn quoting(id: u32, events: Vec<EventQuote>) -> ImportedArticle {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/Q900068.TXT");
        let bytes = std::fs::read(path).unwrap();
        let mut a = crate::kb::parse_article(&bytes).unwrap();
        a.id = ArticleId(id);
        a.events = events;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        ImportedArticle::new(a, format!("h{id}"), &text, false).unwrap()
    }

    fn quote(event_id: u32, source: &str) -> EventQuote {
        EventQuote {
            event_id,
            source: Some(source.into()),
            kind: None,
            category: None,
            description: Some("The widget could not be started.".into()),
            description_labelled: false,
            inline_fields: false,
        }
    }

    /// Quotes without an id are for matching pastes by message: browsing by source, a
    /// source's event ids and "same event" related articles never show them.
    #[tokio::test]
    async fn quotes_without_an_id_are_not_browsed_as_events() {
        let store = Store::open_in_memory().await.unwrap();
        let (a, b, c) = (900_501, 900_502, 900_503);
        store
            .write_articles(vec![
                quoting(a, vec![quote(NO_EVENT_ID, "Widget"), quote(7, "Gadget")]),
                quoting(b, vec![quote(NO_EVENT_ID, "Widget")]),
                quoting(c, vec![quote(7, "Gadget")]),
            ])
            .await
            .unwrap();
        let sources = store.event_sources().await.unwrap();
        let keys: Vec<_> = sources.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["gadget"], "{sources:?}");
        assert!(store.source_event_ids("widget").await.unwrap().is_empty());
        let ids: Vec<_> = store.source_event_ids("gadget").await.unwrap();
        assert_eq!(ids.iter().map(|e| e.event_id).collect::<Vec<_>>(), [7]);
        let related = store.related(ArticleId(a), 10).await.unwrap();
        let same_event: Vec<_> = related
            .iter()
            .filter(|(_, why)| why == "same event")
            .map(|(s, _)| s.id.0)
            .collect();
        assert_eq!(same_event, [c], "{related:?}");
    }
}

//! Secondary indexes deferred during a bulk load: an import into an empty archive drops the
//! article tables' indexes (their definitions kept in `deferred_indexes`) and builds them
//! again at its end, once, from all rows, instead of rewriting pages all over each of them
//! with every batch.

use super::{Db, Store, StoreError};

/// The article tables: their secondary indexes are deferred (primary keys stay).
const TABLES: &str = "'articles', 'article_refs', 'events', 'event_mentions', 'facets'";

impl Store {
    /// Drops the article tables' secondary indexes, keeping their definitions for
    /// [`Store::build_deferred_indexes`]. For an import into an empty archive only: the
    /// queries that use them still answer meanwhile, by scanning. A no-op on PostgreSQL.
    pub async fn defer_indexes(&self) -> Result<(), StoreError> {
        let Db::Sqlite(pool) = &self.db else {
            return Ok(());
        };
        let _turn = self.writer.lock().await;
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let names: Vec<(String,)> = sqlx::query_as(&format!(
            "INSERT OR REPLACE INTO deferred_indexes (name, sql) \
             SELECT name, sql FROM sqlite_schema \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES}) \
             RETURNING name"
        ))
        .fetch_all(&mut *tx)
        .await?;
        for (name,) in names {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Builds every index [`Store::defer_indexes`] dropped (this import's, or those of an
    /// import that stopped before its end). A no-op when none waits, and on PostgreSQL.
    pub async fn build_deferred_indexes(&self) -> Result<(), StoreError> {
        let Db::Sqlite(pool) = &self.db else {
            return Ok(());
        };
        let _turn = self.writer.lock().await;
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        // One built since (by hand) is left as it is.
        let waiting: Vec<(String,)> = sqlx::query_as(
            "SELECT sql FROM deferred_indexes d WHERE NOT EXISTS \
             (SELECT 1 FROM sqlite_schema s WHERE s.type = 'index' AND s.name = d.name)",
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM deferred_indexes")
            .execute(&mut *tx)
            .await?;
        for (sql,) in &waiting {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

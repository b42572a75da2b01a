//! Group commit for the small writes of wizard sessions: requests that arrive together
//! share one transaction. Each request queues its write and waits for the store's writer
//! turn; whoever gets the turn writes everything queued so far, so under load one commit
//! serves many requests and none sleeps in SQLite's busy handler.

use super::{Db, Store, StoreError};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::oneshot;

/// One session write waiting for its turn.
#[derive(Debug)]
pub(super) enum SessionWrite {
    /// A new session with its first step.
    Create(super::NewSession),
}

type Job = (SessionWrite, oneshot::Sender<Result<(), StoreError>>);

/// The writes queued and not yet taken by a writer.
#[derive(Debug, Default, Clone)]
pub(super) struct Pending(Arc<Mutex<Vec<Job>>>);

impl Pending {
    fn push(&self, job: Job) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(job);
    }

    fn take(&self) -> Vec<Job> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Writes in a group at most: a bound on one transaction's length (and so on how long a
/// request can wait behind others).
const GROUP: usize = 256;

impl Store {
    /// Queues `write` and returns once it is committed (with whatever was queued beside it).
    /// Runs on a task of its own, so a cancelled request cannot abandon a group half-written.
    pub(super) async fn queued(&self, write: SessionWrite) -> Result<(), StoreError> {
        let (tx, rx) = oneshot::channel();
        self.pending.push((write, tx));
        let store = self.clone();
        tokio::spawn(async move {
            let _turn = store.writer.lock().await;
            // Empty when an earlier turn already wrote this request's job.
            let mut jobs = store.pending.take();
            while !jobs.is_empty() {
                let rest = jobs.split_off(jobs.len().min(GROUP));
                store.write_group(jobs).await;
                jobs = rest;
            }
        })
        .await?;
        rx.await.unwrap_or_else(|_| {
            Err(StoreError::Corrupt(
                "a session write was dropped unwritten".into(),
            ))
        })
    }

    /// Writes a group in one transaction; when that fails, each write alone, so that one
    /// bad write fails only its own request.
    async fn write_group(&self, jobs: Vec<Job>) {
        let writes: Vec<&SessionWrite> = jobs.iter().map(|(w, _)| w).collect();
        if jobs.len() > 1 && self.write_all(&writes).await.is_ok() {
            for (_, done) in jobs {
                let _ = done.send(Ok(()));
            }
            return;
        }
        for (write, done) in jobs {
            let _ = done.send(self.write_all(&[&write]).await);
        }
    }

    async fn write_all(&self, writes: &[&SessionWrite]) -> Result<(), StoreError> {
        // IMMEDIATE: wait for the write lock rather than fail beside a running import.
        // Only SQLite's session writes are queued (see `Store::create_session`).
        let Db::Sqlite(pool) = &self.db else {
            return Err(StoreError::Corrupt(
                "a queued session write on PostgreSQL".into(),
            ));
        };
        let mut conn = super::bounded::at("session_write", pool.acquire()).await?;
        // From here the connection is held (the pool's wait is not part of the hold).
        let start = Instant::now();
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
        let begun = start.elapsed();
        for write in writes {
            match write {
                SessionWrite::Create(s) => super::sessions::insert_session(&mut tx, s).await?,
            }
        }
        let written = start.elapsed();
        tx.commit().await?;
        let done = start.elapsed();
        // Which part of a long hold it was: the write lock, the inserts or the commit (which
        // runs SQLite's WAL checkpoint when the log has grown past its limit).
        if done > super::HOLD_LIMIT {
            tracing::info!(
                writes = writes.len(),
                begin_ms = begun.as_millis() as u64,
                inserts_ms = (written - begun).as_millis() as u64,
                commit_ms = (done - written).as_millis() as u64,
                "a session write held its connection over the limit"
            );
        }
        Ok(())
    }
}

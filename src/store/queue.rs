//! Group commit for the small writes of wizard sessions: one writer task serialises them,
//! and the writes that arrive while it is busy share its next transaction. A request hands
//! its write over and waits for its group's commit, so a session exists before the response
//! says so, no request sleeps in SQLite's busy handler, and under load one commit (and one
//! WAL append) serves many requests.
//!
//! On a file database the task writes through a connection of its own, taken out of the
//! pool once: no pool hooks per group, and a page cache that only its own writes change
//! (a pooled connection's is dropped whenever another connection commits).

use super::{NewSession, StoreError};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// One session write waiting for its turn.
#[derive(Debug)]
pub(super) enum SessionWrite {
    /// A new session with its first step.
    Create(NewSession),
}

/// Writes in a group at most: a bound on one transaction's length (and so on how long a
/// request can wait behind others).
const GROUP: usize = 256;

type Reply = oneshot::Sender<Result<(), StoreError>>;

enum Msg<W> {
    Write(W, Reply),
    /// Write what is queued, close the writer and stop.
    Close(oneshot::Sender<()>),
}

/// What writes a group of jobs in one transaction, all or nothing.
pub(super) trait GroupWrite<W>: Send + 'static {
    /// Writes `group` in one transaction.
    fn write(&mut self, group: &[&W]) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Lets go of what the writer holds (its connection).
    fn close(self) -> impl Future<Output = ()> + Send;
}

/// The queue in front of one writer task, started by the first write.
pub(super) struct Queue<W> {
    tx: OnceLock<mpsc::UnboundedSender<Msg<W>>>,
}

impl<W> Default for Queue<W> {
    fn default() -> Self {
        Self {
            tx: OnceLock::new(),
        }
    }
}

impl<W> fmt::Debug for Queue<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("started", &self.tx.get().is_some())
            .finish()
    }
}

/// What a write meets once the writer has stopped: the store was closed.
fn stopped() -> StoreError {
    StoreError::Sqlx(sqlx::Error::PoolClosed)
}

impl<W: Send + Sync + 'static> Queue<W> {
    /// Queues `write` and returns once its group is committed, or with its own error (a
    /// group that fails is retried write by write, so one bad write fails only its own
    /// request). `writer` makes the task's writer, on the first call only. A cancelled
    /// caller cannot abandon a group half-written: the task owns the transaction.
    pub(super) async fn submit<G: GroupWrite<W>>(
        &self,
        write: W,
        writer: impl FnOnce() -> G,
    ) -> Result<(), StoreError> {
        let tx = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(serve(rx, writer()));
            tx
        });
        let (done, rx) = oneshot::channel();
        tx.send(Msg::Write(write, done)).map_err(|_| stopped())?;
        rx.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Writes what is queued, then stops the writer (and closes its connection); later
    /// writes fail as on a closed pool.
    pub(super) async fn close(&self) {
        let Some(tx) = self.tx.get() else { return };
        let (done, rx) = oneshot::channel();
        if tx.send(Msg::Close(done)).is_ok() {
            let _ = rx.await;
        }
    }
}

/// The writer task: takes whatever is queued (up to a group), writes it, answers each.
async fn serve<W: Send + Sync, G: GroupWrite<W>>(
    mut rx: mpsc::UnboundedReceiver<Msg<W>>,
    mut writer: G,
) {
    let mut jobs: Vec<(W, Reply)> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        let mut closing = None;
        while let Some(msg) = next.take() {
            match msg {
                Msg::Write(w, reply) => jobs.push((w, reply)),
                Msg::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if jobs.len() < GROUP {
                next = rx.try_recv().ok();
            }
        }
        write_group(&mut writer, std::mem::take(&mut jobs)).await;
        if let Some(done) = closing {
            rx.close();
            while let Ok(msg) = rx.try_recv() {
                match msg {
                    Msg::Write(_, reply) => drop(reply.send(Err(stopped()))),
                    Msg::Close(other) => drop(other.send(())),
                }
            }
            writer.close().await;
            let _ = done.send(());
            return;
        }
    }
    writer.close().await;
}

/// Writes a group in one transaction; when that fails, each write alone.
async fn write_group<W: Send + Sync, G: GroupWrite<W>>(writer: &mut G, jobs: Vec<(W, Reply)>) {
    if jobs.is_empty() {
        return;
    }
    let all: Vec<&W> = jobs.iter().map(|(w, _)| w).collect();
    let result = writer.write(&all).await;
    if jobs.len() == 1 || result.is_ok() {
        let mut result = Some(result);
        for (_, reply) in jobs {
            let _ = reply.send(result.take().unwrap_or(Ok(())));
        }
        return;
    }
    for (w, reply) in jobs {
        let _ = reply.send(writer.write(&[&w]).await);
    }
}

/// SQLite's session writer: a connection of its own when the pool can spare one, else a
/// pooled one per group (a one-connection pool: an in-memory database).
pub(super) struct SqliteWriter {
    pool: SqlitePool,
    own: Option<SqliteConnection>,
    /// The store's writer turn, shared with imports and answers (`Store::writer`).
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Beside its own connection: what checkpoints the WAL its commits grow.
    checkpoints: Option<Checkpointer>,
}

impl SqliteWriter {
    pub(super) fn new(pool: SqlitePool, turn: Arc<tokio::sync::Mutex<()>>) -> Self {
        Self {
            pool,
            own: None,
            turn,
            checkpoints: None,
        }
    }

    async fn write_on(&mut self, group: &[&SessionWrite]) -> Result<(), StoreError> {
        if self.pool.options().get_max_connections() < 2 {
            let mut conn = super::bounded::at("session_write", self.pool.acquire()).await?;
            return write_all(&mut conn, group).await;
        }
        let conn = match self.own.take() {
            Some(conn) => conn,
            None => self.open_own().await?,
        };
        write_all(self.own.insert(conn), group).await?;
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.wake();
        }
        Ok(())
    }

    /// The writer's own connection, out of the pool for good (the pool may open another
    /// in its place). Its commits never checkpoint: a checkpoint in a commit (SQLite's
    /// automatic one) holds up the whole group behind it, for long when the disk is
    /// busy, so the checkpointer runs them on a connection of its own instead.
    async fn open_own(&mut self) -> Result<SqliteConnection, StoreError> {
        let mut conn = self.pool.acquire().await?.detach();
        if self.checkpoints.is_none() {
            let other = self.pool.acquire().await?.detach();
            self.checkpoints = Some(Checkpointer::start(other));
        }
        sqlx::query("PRAGMA wal_autocheckpoint = 0")
            .execute(&mut conn)
            .await?;
        Ok(conn)
    }
}

/// How long the checkpointer rests after a checkpoint: commits in that time share the next.
const CHECKPOINT_REST: Duration = Duration::from_millis(100);

/// A task that checkpoints the WAL (PASSIVE: it never waits for, nor blocks, the writer
/// or readers) on a connection of its own after session writes, at most once per
/// [`CHECKPOINT_REST`]. The copy to the database file and its fsync run there, off the
/// requests' path.
struct Checkpointer {
    wake: mpsc::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Checkpointer {
    fn start(mut conn: SqliteConnection) -> Self {
        // One slot: wake-ups while a checkpoint runs or rests come to one more.
        let (wake, mut rx) = mpsc::channel::<()>(1);
        let task = tokio::spawn(async move {
            while rx.recv().await.is_some() {
                let done = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&mut conn)
                    .await;
                if let Err(error) = done {
                    tracing::warn!(%error, "the WAL checkpoint failed");
                }
                tokio::time::sleep(CHECKPOINT_REST).await;
            }
            let _ = conn.close().await;
        });
        Self { wake, task }
    }

    /// Asks for a checkpoint soon.
    fn wake(&self) {
        let _ = self.wake.try_send(());
    }

    /// Stops the task (after its current checkpoint) and closes its connection.
    async fn close(self) {
        drop(self.wake);
        let _ = self.task.await;
    }
}

impl GroupWrite<SessionWrite> for SqliteWriter {
    async fn write(&mut self, group: &[&SessionWrite]) -> Result<(), StoreError> {
        let turn = self.turn.clone();
        let _turn = turn.lock().await;
        let result = self.write_on(group).await;
        if result.is_err() {
            // Whatever went wrong, the next group starts on a fresh connection.
            self.own = None;
        }
        result
    }

    async fn close(self) {
        if let Some(conn) = self.own {
            let _ = conn.close().await;
        }
        if let Some(checkpoints) = self.checkpoints {
            checkpoints.close().await;
        }
    }
}

async fn write_all(conn: &mut SqliteConnection, group: &[&SessionWrite]) -> Result<(), StoreError> {
    let start = Instant::now();
    // IMMEDIATE: wait for the write lock rather than fail beside a running import.
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let begun = start.elapsed();
    let creates: Vec<&NewSession> = group
        .iter()
        .map(|w| match w {
            SessionWrite::Create(s) => s,
        })
        .collect();
    super::sessions::insert_sessions(&mut tx, &creates).await?;
    let written = start.elapsed();
    tx.commit().await?;
    let done = start.elapsed();
    // Which part of a long write it was: the write lock, the inserts or the commit (whose
    // WAL append waits, at most, behind a checkpointer's fsync).
    if done > super::HOLD_LIMIT {
        tracing::info!(
            writes = group.len(),
            begin_ms = begun.as_millis() as u64,
            inserts_ms = (written - begun).as_millis() as u64,
            commit_ms = (done - written).as_millis() as u64,
            "a session write took over the hold limit"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A writer that records each transaction's size and fails any group holding a
    /// negative number; its first transaction is slow, so that others queue behind it.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<usize>>>);

    impl GroupWrite<i32> for Recorder {
        async fn write(&mut self, group: &[&i32]) -> Result<(), StoreError> {
            let first = self.0.lock().unwrap().is_empty();
            if first {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            self.0.lock().unwrap().push(group.len());
            match group.iter().find(|w| ***w < 0) {
                Some(bad) => Err(StoreError::Corrupt(format!("bad write {bad}"))),
                None => Ok(()),
            }
        }

        async fn close(self) {}
    }

    #[tokio::test]
    async fn concurrent_writes_share_transactions_and_get_their_own_results() {
        let queue = Arc::new(Queue::<i32>::default());
        let recorder = Recorder::default();
        let mut tasks = Vec::new();
        for w in [1, 2, 3, -4, 5, 6, 7, 8, 9, 10] {
            let (queue, recorder) = (queue.clone(), recorder.clone());
            tasks.push(tokio::spawn(async move {
                (w, queue.submit(w, || recorder).await)
            }));
            if w == 1 {
                // The first write starts the slow transaction; the rest arrive during it.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        for task in tasks {
            let (w, result) = task.await.unwrap();
            match result {
                Err(StoreError::Corrupt(m)) => assert_eq!((w, m.as_str()), (-4, "bad write -4")),
                other => assert!(w > 0 && other.is_ok(), "{w}: {other:?}"),
            }
        }
        let sizes = recorder.0.lock().unwrap().clone();
        // The first alone; the nine behind it in one group, which fails for -4 and so is
        // written again write by write.
        assert_eq!(sizes[..2], [1, 9], "{sizes:?}");
        assert_eq!(sizes.len(), 2 + 9, "{sizes:?}");
    }

    #[tokio::test]
    async fn session_writes_reach_the_database_file_through_the_checkpointer() {
        use crate::store::{NewStep, Origin, StepKind, Store};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kb.db");
        let store = Store::open(&path).await.unwrap();
        let step = format!("{{\"pad\":\"{}\"}}", "x".repeat(3000));
        for i in 0..150 {
            let session = NewSession {
                id: format!("{i:032x}"),
                origin: Origin::Search,
                input: "disk full".into(),
                recognised: "[]".into(),
                event_key: None,
                first: NewStep {
                    kind: StepKind::ChooseArticle,
                    article: None,
                    cause_index: None,
                    step: step.clone(),
                },
                created_at: 1_700_000_000,
                client: None,
            };
            store.create_session(&session).await.unwrap();
        }
        // Far fewer pages of steps than SQLite's automatic checkpoint (1,000 pages): only
        // the checkpointer copies them from the WAL into the file, while the store is open.
        let mut size = 0;
        for _ in 0..300 {
            size = std::fs::metadata(&path).unwrap().len();
            if size > 400_000 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(size > 400_000, "database file still {size} bytes");
        store.close().await;
    }

    #[tokio::test]
    async fn after_close_writes_fail_as_on_a_closed_pool() {
        let queue = Queue::<i32>::default();
        let recorder = Recorder::default();
        queue.submit(1, || recorder.clone()).await.unwrap();
        queue.close().await;
        let late = queue.submit(2, || recorder.clone()).await;
        assert!(
            matches!(late, Err(StoreError::Sqlx(sqlx::Error::PoolClosed))),
            "{late:?}"
        );
        assert_eq!(*recorder.0.lock().unwrap(), [1]);
    }
}

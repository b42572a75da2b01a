//! The archive's generation, watched: one task per store (that is, per server) learns when
//! an import, through this process or any other, moves it, so that the in-memory indexes and
//! the page cache compare a number in memory instead of asking the database on every request.
//!
//! On PostgreSQL every committed write batch sends a notification (`NOTIFY` on
//! [`CHANNEL`], delivered at commit) which the watcher `LISTEN`s for; it still reads the
//! number now and then, because a notification sent while its connection was down is lost.
//! SQLite has no notifications: the watcher reads the number every [`POLL`].

use super::{Db, Store, StoreError};
use sqlx::postgres::{PgListener, PgPool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::watch;

/// The notification channel of generation changes, its payload the new number.
pub(super) const CHANNEL: &str = "kbfix_generation";
/// How often the number is read when nothing tells the watcher of changes (SQLite, or a
/// PostgreSQL listener whose connection is down): an import shows within this.
const POLL: Duration = Duration::from_secs(1);
/// How often a listening watcher reads the number anyway, for notifications it missed.
const POLL_LISTENING: Duration = Duration::from_secs(5);

/// The latest generation seen, shared by every clone of one store.
#[derive(Debug)]
pub(super) struct Generations {
    latest: watch::Sender<Option<i64>>,
    watching: AtomicBool,
}

impl Default for Generations {
    fn default() -> Self {
        Self {
            latest: watch::Sender::new(None),
            watching: AtomicBool::new(false),
        }
    }
}

impl Generations {
    /// Records `generation` when it is newer than the one known: numbers only grow, and a
    /// poll's answer may arrive after a notification's.
    fn note(&self, generation: i64) {
        self.latest.send_if_modified(|known| {
            let newer = known.is_none_or(|k| generation > k);
            if newer {
                *known = Some(generation);
            }
            newer
        });
    }
}

impl Store {
    /// The archive's generation as this server last learnt it (see the module docs): on the
    /// first call it is read from the database and the watcher starts; after that it costs
    /// no query. A write through this store is known at once; one through another process
    /// within a second.
    pub async fn current_generation(&self) -> Result<i64, StoreError> {
        // A write through this store may have noted a number before anyone asked.
        self.watch_generation();
        let known = *self.generations.latest.borrow();
        if let Some(generation) = known {
            return Ok(generation);
        }
        let generation = self.generation().await?;
        self.generations.note(generation);
        Ok(generation)
    }

    /// Changes of [`Store::current_generation`], for work that follows each import (the
    /// receiver sees the value as it was last noted; `None` until first read).
    pub fn generation_changes(&self) -> watch::Receiver<Option<i64>> {
        self.generations.latest.subscribe()
    }

    /// Reads the generation after a write through this store, so its own readers see the
    /// write without waiting for the watcher.
    pub(super) async fn refresh_generation(&self) {
        if let Ok(generation) = self.generation().await {
            self.generations.note(generation);
        }
    }

    /// Starts this store's watcher, once. It stops when the last clone of the store is
    /// dropped or its pool closed.
    fn watch_generation(&self) {
        if self.generations.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let watcher = Watcher {
            generations: Arc::downgrade(&self.generations),
            store: self.clone_without_generations(),
        };
        tokio::spawn(watcher.run());
    }
}

/// The watching task's half: the pool to read from, and the shared number to update
/// (weakly held, so that the task does not keep the store alive).
struct Watcher {
    generations: Weak<Generations>,
    /// A store over the same pool, for reading the number.
    store: Store,
}

impl Watcher {
    async fn run(self) {
        let mut listener = self.listen().await;
        loop {
            match &mut listener {
                Some(l) => match tokio::time::timeout(POLL_LISTENING, next_notified(l)).await {
                    Ok(Some(generation)) => self.note(generation),
                    Ok(None) => listener = None,
                    Err(_) => self.poll().await,
                },
                None => {
                    tokio::time::sleep(POLL).await;
                    self.poll().await;
                    listener = self.listen().await;
                }
            }
            if self.generations.strong_count() == 0 || self.closed() {
                return;
            }
        }
    }

    fn note(&self, generation: i64) {
        if let Some(g) = self.generations.upgrade() {
            g.note(generation);
        }
    }

    async fn poll(&self) {
        match self.store.generation().await {
            Ok(generation) => self.note(generation),
            Err(e) => tracing::debug!("cannot read the archive's generation: {e}"),
        }
    }

    fn closed(&self) -> bool {
        on_pool!(self.store, |pool| pool.is_closed())
    }

    /// A listener on [`CHANNEL`] (PostgreSQL only), or `None` (SQLite, or the database is
    /// away: the watcher polls and tries again).
    async fn listen(&self) -> Option<PgListener> {
        let Db::Pg(pool) = &self.store.db else {
            return None;
        };
        match listener(pool).await {
            Ok(l) => {
                // Whatever moved while no one listened.
                self.poll().await;
                Some(l)
            }
            Err(e) => {
                tracing::debug!("cannot listen for generation changes: {e}");
                None
            }
        }
    }
}

async fn listener(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut l = PgListener::connect_with(pool).await?;
    l.listen(CHANNEL).await?;
    Ok(l)
}

/// The next generation notified, or `None` when the listener's connection failed (the
/// watcher then polls until it can listen again).
async fn next_notified(l: &mut PgListener) -> Option<i64> {
    loop {
        match l.try_recv().await {
            Ok(Some(n)) => match n.payload().parse() {
                Ok(generation) => return Some(generation),
                Err(_) => continue,
            },
            Ok(None) | Err(_) => return None,
        }
    }
}

//! Wizard sessions and their steps: creating, answering (one transaction each), reading
//! back, the outcome counts that order future candidates, and the staff's listings.

use super::queue::{SessionWrite, SqliteWriter};
use super::{BeginWrite, Db, GiveUp, Origin, Outcome, StepKind, Store, StoreError};
use crate::clock::unix_now as now;
use sqlx::FromRow;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionRow {
    /// The session id, 32 hex digits.
    pub id: String,
    /// Unix seconds of creation.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// What it started from.
    pub origin: Origin,
    /// The pasted text, search words or article id it started from.
    pub input: String,
    /// JSON array of lines describing what the paste was recognised as.
    pub recognised: String,
    /// The recognised event, `id:folded-source`.
    pub event_key: Option<String>,
    /// The current step's number.
    pub current_n: i64,
    /// The current step's kind.
    pub current_kind: StepKind,
    /// How it ended; `None` while in progress.
    pub outcome: Option<Outcome>,
    /// The kind of the step whose answer ended the session.
    pub ended_kind: Option<StepKind>,
    /// The article that fixed it.
    pub resolved_article: Option<i64>,
    /// The cause (index within that article) that fixed it.
    pub resolved_cause: Option<i64>,
}

/// One step of a session as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StepRow {
    /// The step's number, from 1.
    pub n: i64,
    /// Its kind.
    pub kind: StepKind,
    /// The article it is about.
    pub article: Option<i64>,
    /// The cause it asks about.
    pub cause_index: Option<i64>,
    /// The step as shown, JSON.
    pub step: String,
    /// Unix seconds it was shown.
    pub shown_at: i64,
    /// The answer given, `None` while current.
    pub answer: Option<String>,
    /// Unix seconds of the answer.
    pub answered_at: Option<i64>,
}

/// A step to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    /// Its kind.
    pub kind: StepKind,
    /// The article it is about.
    pub article: Option<i64>,
    /// The cause it asks about.
    pub cause_index: Option<i64>,
    /// The step as shown, JSON.
    pub step: String,
}

/// A new session with its first step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The id, 32 hex digits.
    pub id: String,
    /// What it started from.
    pub origin: Origin,
    /// What it started from.
    pub input: String,
    /// JSON lines of what was recognised.
    pub recognised: String,
    /// The recognised event key.
    pub event_key: Option<String>,
    /// The first step.
    pub first: NewStep,
    /// Unix seconds of creation (and of the first step).
    pub created_at: i64,
    /// The short hash of the client that started it (see `web::guard`), when known: kept
    /// in the same insert rather than a second write.
    pub client: Option<String>,
}

/// What answering the current step does to the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advance {
    /// The step being answered (must still be current and unanswered).
    pub answered_n: i64,
    /// Whether the change may apply to a finished session (`back` reopens one); otherwise
    /// the update only applies while the session has no outcome.
    pub reopens: bool,
    /// The update only applies while the session's current step is below this number:
    /// the step cap, held by the database whatever route or encoding reached it.
    pub max_n: i64,
    /// The update only applies while the session's steps, with the new one, take at most
    /// this many bytes.
    pub max_bytes: i64,
    /// The answer given.
    pub answer: String,
    /// The step that follows.
    pub next: NewStep,
    /// The outcome after this answer (`None` clears a previous one, e.g. after `back`).
    pub outcome: Option<Outcome>,
    /// The kind of the answered step, kept when an outcome is set.
    pub ended_kind: Option<StepKind>,
    /// The article that fixed it.
    pub resolved_article: Option<i64>,
    /// The cause that fixed it.
    pub resolved_cause: Option<i64>,
    /// An event key learnt on the way (from the first article chosen), kept if none is set.
    pub event_key: Option<String>,
}

/// What the user wrote on the hand-off page for the helpdesk.
#[derive(Debug, Clone, PartialEq, Eq, Default, FromRow)]
pub struct Handoff {
    /// Their name.
    pub name: String,
    /// The machine with the problem.
    pub machine: String,
    /// A phone number or e-mail address.
    pub contact: String,
    /// What they tried, in their words.
    pub tried: String,
    /// Unix seconds it was last saved.
    pub saved_at: i64,
}

/// How many past sessions an article (and cause) resolved.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ResolutionCount {
    pub article: i64,
    /// The cause index, when one was named.
    pub cause: Option<i64>,
    /// Sessions resolved by it.
    pub sessions: i64,
}

/// A count by a label, for the staff insights.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct LabelCount {
    /// What is counted (an article id, a step kind...).
    pub label: String,
    /// An optional second part (a cause index, a title).
    pub detail: Option<String>,
    /// How many sessions.
    pub sessions: i64,
}

/// How many sessions gave up at a kind of step, for the staff insights.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GiveUpCount {
    /// The step they escalated from or left.
    #[sqlx(rename = "label")]
    pub kind: StepKind,
    /// How they gave up.
    pub detail: GiveUp,
    pub sessions: i64,
}

/// Appends a step inside the write transaction `$tx` (a macro: the transaction's type is
/// one per backend).
macro_rules! insert_step {
    ($tx:ident, $id:expr, $n:expr, $step:expr, $t:expr) => {{
        let step: &NewStep = $step;
        sqlx::query(
            "INSERT INTO wizard_steps (session_id, n, kind, article, cause_index, step, shown_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($id)
        .bind($n)
        .bind(step.kind)
        .bind(step.article)
        .bind(step.cause_index)
        .bind(&step.step)
        .bind($t)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Inserts a new session's row, with its client, and its first step inside the write
/// transaction `$tx`, at the session's `created_at` (a macro, as `insert_step!`): for
/// PostgreSQL's `Store::create_session`; SQLite's go in groups (`insert_sessions`).
macro_rules! insert_session {
    ($tx:ident, $s:expr) => {{
        let s: &NewSession = $s;
        let t = s.created_at;
        sqlx::query(
            "INSERT INTO wizard_sessions (id, created_at, updated_at, origin, input, \
             recognised, event_key, current_n, current_kind, client) \
             VALUES ($1, $2, $2, $3, $4, $5, $6, 1, $7, $8)",
        )
        .bind(&s.id)
        .bind(t)
        .bind(s.origin)
        .bind(&s.input)
        .bind(&s.recognised)
        .bind(&s.event_key)
        .bind(s.first.kind)
        .bind(&s.client)
        .execute(&mut *$tx)
        .await?;
        insert_step!($tx, &s.id, 1i64, &s.first, t);
    }};
}

/// Every column of [`SessionRow`], for the queries that read whole sessions.
const SELECT_SESSIONS: &str = "SELECT id, created_at, updated_at, origin, input, recognised, \
     event_key, current_n, current_kind, outcome, ended_kind, resolved_article, \
     resolved_cause FROM wizard_sessions";

/// Sessions counted so that one client's count once a day (a script minting resolved
/// sessions counts as one user); a session with no client counts alone.
const ONCE_A_DAY: &str = "count(DISTINCT coalesce(client || '@' || (updated_at / 86400), id))";

/// Runs a write transaction on a task of its own, so that a request cancelled half-way (the
/// client went away) cannot drop it between `BEGIN` and `COMMIT` and hand the pool a
/// connection still inside a transaction.
async fn detached<T: Send + 'static>(
    write: impl Future<Output = Result<T, StoreError>> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::spawn(write).await?
}

impl Store {
    /// Creates a session with its first step, in one transaction (shared with the session
    /// writes queued beside it: `store::queue`).
    pub async fn create_session(&self, s: &NewSession) -> Result<(), StoreError> {
        match &self.db {
            // SQLite: group-committed with the session writes queued beside it.
            Db::Sqlite(pool) => {
                let writer = || SqliteWriter::new(pool.clone(), self.writer.clone());
                let write = SessionWrite::Create(s.clone());
                self.sessions.submit(write, writer).await
            }
            Db::Pg(pool) => {
                let (pool, s) = (pool.clone(), s.clone());
                detached(async move {
                    let mut tx = super::bounded::at("create_session", pool.begin_write()).await?;
                    insert_session!(tx, &s);
                    tx.commit().await?;
                    Ok(())
                })
                .await
            }
        }
    }

    /// A session, or `None` when there is none with this id.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(on_pool!(self, "session", |pool| sqlx::query_as(&format!(
            "{SELECT_SESSIONS} WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// Every step of a session, in order.
    pub async fn session_steps(&self, id: &str) -> Result<Vec<StepRow>, StoreError> {
        Ok(on_pool!(self, "session_steps", |pool| sqlx::query_as(
            "SELECT n, kind, article, cause_index, step, shown_at, answer, answered_at \
             FROM wizard_steps WHERE session_id = $1 ORDER BY n",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?)
    }

    /// Records the answer to the current step and appends the next one, in one
    /// transaction. Returns `false` (and changes nothing) when the step was no longer the
    /// current one: someone answered it first.
    pub async fn advance_session(&self, id: &str, a: &Advance) -> Result<bool, StoreError> {
        let (store, id, a) = (self.clone(), id.to_string(), a.clone());
        detached(async move { store.write_advance(&id, &a).await }).await
    }

    async fn write_advance(&self, id: &str, a: &Advance) -> Result<bool, StoreError> {
        let _turn = self.writer.lock().await;
        let claimed = self.write_claimed(id, a).await?;
        if claimed {
            // The answer may have resolved the session, or undone its resolution.
            self.resolutions.invalidate();
        }
        Ok(claimed)
    }

    async fn write_claimed(&self, id: &str, a: &Advance) -> Result<bool, StoreError> {
        let t = now();
        on_pool!(self, |pool| {
            let mut tx = super::bounded::at("advance_session", pool.begin_write()).await?;
            // The claim holds every rule a change must keep, so a request that reached
            // around the wizard's own checks still changes nothing: the step is the current
            // one and unanswered, the session open (unless reopened by `back`), under the cap.
            let claimed = sqlx::query(
                "UPDATE wizard_steps SET answer = $3, answered_at = $4 \
             WHERE session_id = $1 AND n = $2 AND answer IS NULL \
               AND n = (SELECT current_n FROM wizard_sessions WHERE id = $1 \
                 AND (outcome IS NULL OR $5) AND current_n < $6) \
               AND (SELECT coalesce(sum(length(step)), 0) FROM wizard_steps \
                 WHERE session_id = $1) + $7 <= $8",
            )
            .bind(id)
            .bind(a.answered_n)
            .bind(&a.answer)
            .bind(t)
            .bind(a.reopens)
            .bind(a.max_n)
            .bind(a.next.step.len() as i64)
            .bind(a.max_bytes)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            let n = a.answered_n + 1;
            insert_step!(tx, id, n, &a.next, t);
            sqlx::query(
                "UPDATE wizard_sessions SET updated_at = $2, current_n = $3, current_kind = $4, \
             outcome = $5, ended_kind = $6, resolved_article = $7, resolved_cause = $8, \
             event_key = coalesce(event_key, $9) WHERE id = $1",
            )
            .bind(id)
            .bind(t)
            .bind(n)
            .bind(a.next.kind)
            .bind(a.outcome)
            .bind(a.ended_kind)
            .bind(a.resolved_article)
            .bind(a.resolved_cause)
            .bind(&a.event_key)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Saves what the user wrote for the helpdesk with the session, replacing what they
    /// wrote before. Returns `false` when there is no such session.
    pub async fn save_handoff(&self, id: &str, h: &Handoff) -> Result<bool, StoreError> {
        let done = on_pool!(self, "save_handoff", |pool| sqlx::query(
            "UPDATE wizard_sessions SET handoff_name = $2, handoff_machine = $3, \
             handoff_contact = $4, handoff_tried = $5, handoff_at = $6 WHERE id = $1"
        )
        .bind(id)
        .bind(&h.name)
        .bind(&h.machine)
        .bind(&h.contact)
        .bind(&h.tried)
        .bind(h.saved_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// What the user wrote for the helpdesk, when they did.
    pub async fn handoff(&self, id: &str) -> Result<Option<Handoff>, StoreError> {
        Ok(on_pool!(self, "handoff", |pool| sqlx::query_as(
            "SELECT handoff_name AS name, handoff_machine AS machine, \
             handoff_contact AS contact, handoff_tried AS tried, handoff_at AS saved_at \
             FROM wizard_sessions WHERE id = $1 AND handoff_at IS NOT NULL"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// Deletes the sessions (with their steps) not changed since `before` (unix seconds),
    /// in batches so that no write waits long behind one; returns how many went. Outcomes
    /// older than the retention stop ordering candidates with them.
    pub async fn prune_sessions(&self, before: i64) -> Result<u64, StoreError> {
        const BATCH: i64 = 500;
        let mut pruned = 0;
        loop {
            let deleted = {
                let _turn = self.writer.lock().await;
                on_pool!(self, |pool| {
                    let mut tx = super::bounded::at("prune_sessions", pool.begin_write()).await?;
                    // The steps go with their session (ON DELETE CASCADE).
                    let n = sqlx::query(
                        "DELETE FROM wizard_sessions WHERE id IN \
                         (SELECT id FROM wizard_sessions WHERE updated_at < $1 LIMIT $2)",
                    )
                    .bind(before)
                    .bind(BATCH)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    tx.commit().await?;
                    Ok::<u64, StoreError>(n)
                })?
            };
            pruned += deleted;
            if deleted < BATCH as u64 {
                break;
            }
        }
        if pruned > 0 {
            self.resolutions.invalidate();
        }
        Ok(pruned)
    }

    /// How many past sessions about `event_key` each article and cause resolved, counting
    /// one client's resolutions once a day: a script minting resolved sessions
    /// counts as one user.
    pub async fn resolution_counts(
        &self,
        event_key: &str,
    ) -> Result<Vec<ResolutionCount>, StoreError> {
        Ok(on_pool!(self, "resolution_counts", |pool| sqlx::query_as(
            &format!(
                "SELECT resolved_article AS article, resolved_cause AS cause, \
               {ONCE_A_DAY} AS sessions \
             FROM wizard_sessions WHERE event_key = $1 AND outcome = $2 \
               AND resolved_article IS NOT NULL \
             GROUP BY resolved_article, resolved_cause"
            )
        )
        .bind(event_key)
        .bind(Outcome::Resolved)
        .fetch_all(pool)
        .await)?)
    }

    /// Files a search session under its words' key (`search::Query::key`): the latest search
    /// of the session, whose results the resolving article was chosen from.
    pub async fn set_search_key(&self, id: &str, key: &str) -> Result<(), StoreError> {
        on_pool!(self, "set_search_key", |pool| sqlx::query(
            "UPDATE wizard_sessions SET search_key = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// How many past sessions filed under the search key `key` each article resolved,
    /// counting one client's resolutions once a day, as [`Store::resolution_counts`] does.
    pub async fn search_resolutions(&self, key: &str) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(on_pool!(self, "search_resolutions", |pool| {
            sqlx::query_as(&format!(
                "SELECT resolved_article, {ONCE_A_DAY} \
             FROM wizard_sessions WHERE search_key = $1 AND outcome = $2 \
               AND resolved_article IS NOT NULL \
             GROUP BY resolved_article"
            ))
            .bind(key)
            .bind(Outcome::Resolved)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The most recently active sessions; only those without a resolution when
    /// `unresolved` is set.
    pub async fn recent_sessions(
        &self,
        unresolved: bool,
        limit: i64,
    ) -> Result<Vec<SessionRow>, StoreError> {
        Ok(on_pool!(self, "recent_sessions", |pool| sqlx::query_as(
            &format!(
                "{SELECT_SESSIONS} WHERE (NOT $1 OR outcome IS NULL OR outcome != $3) \
             ORDER BY updated_at DESC, created_at DESC LIMIT $2"
            )
        )
        .bind(unresolved)
        .bind(limit)
        .bind(Outcome::Resolved)
        .fetch_all(pool)
        .await)?)
    }

    /// The articles and causes that resolved the most sessions, most first.
    pub async fn top_resolutions(&self, limit: i64) -> Result<Vec<LabelCount>, StoreError> {
        Ok(on_pool!(self, "top_resolutions", |pool| sqlx::query_as(
            &format!(
                "SELECT CAST(resolved_article AS TEXT) AS label, \
               CAST(resolved_cause AS TEXT) AS detail, {ONCE_A_DAY} AS sessions \
             FROM wizard_sessions WHERE outcome = $2 AND resolved_article IS NOT NULL \
             GROUP BY resolved_article, resolved_cause \
             ORDER BY sessions DESC, resolved_article, resolved_cause LIMIT $1"
            )
        )
        .bind(limit)
        .bind(Outcome::Resolved)
        .fetch_all(pool)
        .await)?)
    }

    /// Where users give up: escalations by the kind of step they escalated from, and
    /// sessions idle since before `idle_before` (unix seconds) by the step they left.
    pub async fn give_ups(&self, idle_before: i64) -> Result<Vec<GiveUpCount>, StoreError> {
        Ok(on_pool!(self, "give_ups", |pool| sqlx::query_as(
            "SELECT coalesce(ended_kind, current_kind) AS label, $3 AS detail, \
               count(*) AS sessions FROM wizard_sessions WHERE outcome = $2 \
             GROUP BY label \
             UNION ALL \
             SELECT current_kind AS label, $4 AS detail, count(*) AS sessions \
             FROM wizard_sessions WHERE outcome IS NULL AND updated_at < $1 GROUP BY label \
             ORDER BY sessions DESC, label, detail",
        )
        .bind(idle_before)
        .bind(Outcome::Escalated)
        .bind(GiveUp::Escalated)
        .bind(GiveUp::Abandoned)
        .fetch_all(pool)
        .await)?)
    }
}

/// Inserts new sessions' rows and their first steps, one statement per table for the lot
/// (SQLite: `store::queue`'s groups). The statement text depends only on how many.
pub(super) async fn insert_sessions(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    sessions: &[&NewSession],
) -> Result<(), StoreError> {
    let mut rows = sqlx::QueryBuilder::new(
        "INSERT INTO wizard_sessions (id, created_at, updated_at, origin, input, recognised, \
         event_key, current_n, current_kind, client) ",
    );
    rows.push_values(sessions, |mut row, s| {
        row.push_bind(&s.id)
            .push_bind(s.created_at)
            .push_bind(s.created_at)
            .push_bind(s.origin)
            .push_bind(&s.input)
            .push_bind(&s.recognised)
            .push_bind(&s.event_key)
            .push_bind(1i64)
            .push_bind(s.first.kind)
            .push_bind(&s.client);
    });
    rows.build().execute(&mut **tx).await?;
    let mut steps = sqlx::QueryBuilder::new(
        "INSERT INTO wizard_steps (session_id, n, kind, article, cause_index, step, shown_at) ",
    );
    steps.push_values(sessions, |mut row, s| {
        row.push_bind(&s.id)
            .push_bind(1i64)
            .push_bind(s.first.kind)
            .push_bind(s.first.article)
            .push_bind(s.first.cause_index)
            .push_bind(&s.first.step)
            .push_bind(s.created_at);
    });
    steps.build().execute(&mut **tx).await?;
    Ok(())
}

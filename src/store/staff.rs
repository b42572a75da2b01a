//! Staff logins ended before their cookie expired: one row per revoked session, read by
//! every server sharing the database, so a logout on one holds on all; and when the login
//! lock-out was last lifted by an administrator.

use super::{Store, StoreError};

impl Store {
    /// Refuses the staff session `nonce` from now until `expires_at` (unix seconds), when
    /// its cookie would have expired anyway; forgets rows already past that.
    pub async fn revoke_staff_session(
        &self,
        nonce: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM staff_revoked WHERE expires_at < $1")
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query(
                "INSERT INTO staff_revoked (nonce, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (nonce) DO NOTHING",
            )
            .bind(nonce)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Whether the staff session `nonce` was logged out.
    pub async fn staff_session_revoked(&self, nonce: &str) -> Result<bool, StoreError> {
        Ok(on_pool!(self, "staff_session_revoked", |pool| {
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff_revoked WHERE nonce = $1)")
                .bind(nonce)
                .fetch_one(pool)
                .await
        })?)
    }
}

impl Store {
    /// Lifts the staff login lock-out as of `at` (unix seconds): servers sharing the
    /// database read it at their next refused attempt (`kbfix staff unlock`).
    pub async fn unlock_staff_logins(&self, at: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO staff_unlocks (id, at) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET at = excluded.at",
            )
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// When the staff login lock-out was last lifted (unix seconds), if ever.
    pub async fn staff_unlocked_at(&self) -> Result<Option<i64>, StoreError> {
        Ok(on_pool!(self, "staff_unlocked_at", |pool| {
            sqlx::query_scalar("SELECT at FROM staff_unlocks WHERE id = 1")
                .fetch_optional(pool)
                .await
        })?)
    }
}

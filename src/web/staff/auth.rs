//! The staff login's machinery: the password check (argon2, bounded in parallel), the keys
//! that sign cookies and CSRF tokens, login throttling by growing delays, server-side
//! logout, and the `StaffSession` extractor that means "must be logged in".

use super::super::client::Client;
use super::super::state::AppState;
use super::super::{WebError, pages};
use crate::clock::unix_now;
use crate::hex;
use argon2::{Argon2, Block, Params};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The staff session cookie.
pub(super) const COOKIE: &str = "kbfix_staff";
/// The cookie that ties the login form's CSRF token to one browser.
pub(super) const LOGIN_COOKIE: &str = "kbfix_staff_login";
/// How long a staff login lasts.
pub(super) const SESSION_SECS: i64 = 8 * 3600;
/// The cookie a browser gets at a right password: a known browser is not held by the
/// lock-out of the account, so an attack from many addresses does not lock out the staff.
pub(super) const DEVICE_COOKIE: &str = "kbfix_staff_device";
/// How long a browser stays known after its last login.
pub(super) const DEVICE_SECS: i64 = 90 * 24 * 3600;
/// The cookie that says until when a staff session may sit unused: refreshed by every
/// staff page, so a login left open on an unattended screen ends after [`IDLE_SECS`].
pub(super) const SEEN_COOKIE: &str = "kbfix_staff_seen";
/// How long a staff session may sit unused, unless configured otherwise.
pub const IDLE_SECS: i64 = 30 * 60;
/// How long a login form's token pair stays good.
pub(super) const LOGIN_FORM_SECS: i64 = 3600;
/// Failed logins a client may make back to back before each next one must wait.
const FREE_FAILURES: u32 = 5;
/// The wait after the first failure beyond the free ones; it doubles with each further one.
const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest wait: a lock-out this short cannot keep the real staff out for long.
const MAX_DELAY: Duration = Duration::from_secs(60);
/// Failed logins the account takes, from all addresses together, before each next one
/// (from a browser not known by its cookie) must wait. Per address alone, 30 addresses
/// made 150 password checks against the one account.
/// More than a client's own free failures, so that one person's typos (or one client's
/// guesses) never lock the account for everyone.
const ACCOUNT_FREE_FAILURES: u32 = 8;
/// The account's first wait; it doubles with each further failure. Long enough that an
/// attack from many addresses gets a handful of guesses an hour, not a handful a second;
/// the staff's own browsers pass it (`DEVICE_COOKIE`).
const ACCOUNT_FIRST_DELAY: Duration = Duration::from_secs(30);
/// The account's longest wait; `kbfix staff unlock` lifts it at once.
const ACCOUNT_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A client's failures are forgotten this long after its last attempt.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// Password checks that may run at once. Each argon2 run holds its working memory;
/// unbounded, parallel wrong logins multiplied the server's memory.
const PARALLEL_CHECKS: usize = 2;

type HmacSha256 = Hmac<Sha256>;

/// What the staff login needs, built once at startup: the password's argon2 hash (the
/// password itself is not kept), a random per-process key that signs cookies and CSRF
/// tokens, the failed-login delays and the sessions logged out before they expired.
pub struct StaffAuth {
    salt: [u8; 16],
    hash: [u8; 32],
    key: [u8; 32],
    secure_cookies: bool,
    /// How long a session may sit unused (seconds).
    idle_secs: i64,
    failures: Mutex<HashMap<IpAddr, Failures>>,
    /// The account's failures from every address together (locked after `failures`).
    account: Mutex<Option<Failures>>,
    checks: Arc<Semaphore>,
    /// argon2's working memory, kept between checks (at most `PARALLEL_CHECKS` of them) so
    /// that each check does not allocate it afresh on whichever thread runs it.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Logged-out sessions' nonces, with the time their cookie would have expired.
    revoked: Mutex<HashMap<String, i64>>,
}

/// A client's recent failed logins (one account: the staff password).
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    next_at: Instant,
    last: Instant,
}

impl std::fmt::Debug for StaffAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the hash or the key.
        f.debug_struct("StaffAuth")
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

/// Why the staff login could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StaffSetupError {
    /// The password is empty.
    #[error("the staff password is empty")]
    EmptyPassword,
    /// No randomness for the salt or key.
    #[error("no randomness: {0}")]
    Random(String),
    /// Hashing failed.
    #[error("cannot hash the staff password: {0}")]
    Hash(String),
}

fn argon2_hash(password: &[u8], salt: &[u8], memory: &mut [Block]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    Argon2::default()
        .hash_password_into_with_memory(password, salt, &mut out, memory)
        .ok()?;
    Some(out)
}

/// The cookie-signing key of a configured secret: HMAC-SHA256 keyed by the secret over a
/// fixed label, so the secret itself is never used as a key for anything else.
fn derive_key(secret: &str) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(b"kbfix staff cookie signing key v1");
    m.finalize().into_bytes().into()
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How long a client must wait before its next attempt, after `count` failures.
fn delay_after(count: u32) -> Duration {
    growing(count, FREE_FAILURES, FIRST_DELAY, MAX_DELAY)
}

/// How long the account waits before its next attempt, after `count` failures.
fn account_delay_after(count: u32) -> Duration {
    growing(
        count,
        ACCOUNT_FREE_FAILURES,
        ACCOUNT_FIRST_DELAY,
        ACCOUNT_MAX_DELAY,
    )
}

/// No wait for `free` failures, then `first`, doubling each time, up to `max`.
fn growing(count: u32, free: u32, first: Duration, max: Duration) -> Duration {
    match count.checked_sub(free) {
        None => Duration::ZERO,
        Some(extra) => first
            .saturating_mul(1u32.checked_shl(extra).unwrap_or(u32::MAX))
            .min(max),
    }
}

/// Why a login attempt must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wait {
    /// This client failed too often.
    Client(Duration),
    /// The account failed too often, from whatever addresses.
    Account(Duration),
}

impl Failures {
    fn fresh(now: Instant) -> Self {
        Failures {
            count: 0,
            next_at: now,
            last: now,
        }
    }

    /// Starts afresh when the last attempt is long past.
    fn forget_old(&mut self, now: Instant) {
        if now.duration_since(self.last) >= FORGET_AFTER {
            *self = Failures::fresh(now);
        }
    }

    fn claim(&mut self, now: Instant, delay: fn(u32) -> Duration) {
        self.count += 1;
        self.next_at = now + delay(self.count);
        self.last = now;
    }
}

impl StaffAuth {
    /// Hashes `password` with argon2 and draws a fresh signing key. `secure_cookies` marks
    /// cookies Secure on every response (behind a TLS proxy that does not say so).
    pub fn new(password: &str, secure_cookies: bool) -> Result<Self, StaffSetupError> {
        Self::with_secret(password, secure_cookies, None)
    }

    /// As [`StaffAuth::new`], but when `secret` is given the signing key is derived from
    /// it, so that every server configured with the same secret accepts the others'
    /// cookies and CSRF tokens (several servers over one database).
    pub fn with_secret(
        password: &str,
        secure_cookies: bool,
        secret: Option<&str>,
    ) -> Result<Self, StaffSetupError> {
        if password.is_empty() {
            return Err(StaffSetupError::EmptyPassword);
        }
        let mut salt = [0u8; 16];
        let mut key = [0u8; 32];
        getrandom::fill(&mut salt).map_err(|e| StaffSetupError::Random(e.to_string()))?;
        match secret {
            Some(secret) => key = derive_key(secret),
            None => {
                getrandom::fill(&mut key).map_err(|e| StaffSetupError::Random(e.to_string()))?
            }
        }
        let mut memory = vec![Block::default(); Params::DEFAULT.block_count()];
        let hash = argon2_hash(password.as_bytes(), &salt, &mut memory)
            .ok_or_else(|| StaffSetupError::Hash("argon2 refused the input".into()))?;
        Ok(StaffAuth {
            salt,
            hash,
            key,
            secure_cookies,
            idle_secs: IDLE_SECS,
            failures: Mutex::new(HashMap::new()),
            account: Mutex::new(None),
            checks: Arc::new(Semaphore::new(PARALLEL_CHECKS)),
            memory: Arc::new(Mutex::new(vec![memory])),
            revoked: Mutex::new(HashMap::new()),
        })
    }

    /// The same login with sessions ending after `idle` unused (at least a second).
    pub fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_secs = i64::try_from(idle.as_secs()).unwrap_or(i64::MAX).max(1);
        self
    }

    /// How long a session may sit unused, in seconds.
    pub(super) fn idle_secs(&self) -> i64 {
        self.idle_secs
    }

    /// A fresh "seen" cookie value for the session `session` (`expiry.nonce`): `until.tag`.
    pub(super) fn new_seen(&self, session: &str) -> String {
        let until = unix_now().saturating_add(self.idle_secs);
        format!(
            "{until}.{}",
            self.mac("seen", &format!("{session}|{until}"))
        )
    }

    /// Whether `seen` is the session's, signed, and not past its time.
    pub(super) fn seen_ok(&self, session: &str, seen: &str) -> bool {
        let Some((until, tag)) = seen.split_once('.') else {
            return false;
        };
        let fresh = until.parse::<i64>().is_ok_and(|u| u > unix_now());
        fresh && self.check("seen", &format!("{session}|{until}"), tag)
    }

    /// Whether `password` is the staff password. At most `PARALLEL_CHECKS` run at once,
    /// off the async workers; the rest wait their turn.
    pub(super) async fn verify(&self, password: String) -> Result<bool, WebError> {
        let permit = Arc::clone(&self.checks)
            .acquire_owned()
            .await
            .map_err(|e| WebError::Internal(e.into()))?;
        let (salt, hash, memory) = (self.salt, self.hash, Arc::clone(&self.memory));
        tokio::task::spawn_blocking(move || {
            // Held until argon2 is done, even when the request was cancelled meanwhile.
            let _permit = permit;
            let taken = memory.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut blocks =
                taken.unwrap_or_else(|| vec![Block::default(); Params::DEFAULT.block_count()]);
            let ok = argon2_hash(password.as_bytes(), &salt, &mut blocks)
                .is_some_and(|h| same(&h, &hash));
            memory
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(blocks);
            ok
        })
        .await
        .map_err(|e| WebError::Internal(e.into()))
    }

    pub(super) fn mac(&self, purpose: &str, value: &str) -> String {
        let mut m = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        hex::encode(&m.finalize().into_bytes())
    }

    /// Compares in constant time, so a forged tag cannot be found byte by byte.
    pub(super) fn check(&self, purpose: &str, value: &str, tag: &str) -> bool {
        let Some(tag) = hex::decode(tag) else {
            return false;
        };
        let mut m = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(purpose.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        m.verify_slice(&tag).is_ok()
    }

    /// A new signed session cookie value: `expiry.nonce.tag`.
    pub(super) fn new_session(&self) -> Result<String, WebError> {
        let expires = unix_now() + SESSION_SECS;
        let value = format!("{expires}.{}", nonce()?);
        Ok(format!("{value}.{}", self.mac("session", &value)))
    }

    /// The session's value (`expiry.nonce`) when the cookie is signed, not expired and
    /// not logged out.
    pub(super) fn valid_session<'c>(&self, cookie: &'c str) -> Option<&'c str> {
        let (value, tag) = cookie.rsplit_once('.')?;
        let (expires, nonce) = value.split_once('.')?;
        let expires: i64 = expires.parse().ok()?;
        let revoked = || {
            self.revoked
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains_key(nonce)
        };
        (expires > unix_now() && self.check("session", value, tag) && !revoked()).then_some(value)
    }

    /// Ends a session on the server: its cookie is refused from now on, even if kept.
    pub(super) fn revoke(&self, session: &str) {
        let Some((expires, nonce)) = session.split_once('.') else {
            return;
        };
        let expires = expires.parse().unwrap_or(i64::MAX);
        let now = unix_now();
        let mut revoked = self.revoked.lock().unwrap_or_else(|p| p.into_inner());
        // Expired cookies are refused anyway: forget them so the map stays small.
        revoked.retain(|_, until| *until > now);
        revoked.insert(nonce.to_string(), expires);
    }

    /// A login form's token pair: the cookie's value (`expiry.nonce`) and the form's token.
    pub(super) fn new_login_pair(&self) -> Result<(String, String), WebError> {
        let value = format!("{}.{}", unix_now() + LOGIN_FORM_SECS, nonce()?);
        let token = self.mac("login", &value);
        Ok((value, token))
    }

    /// Whether the login cookie and the form's token belong together and are still fresh.
    pub(super) fn valid_login_pair(&self, cookie: &str, token: &str) -> bool {
        let fresh = cookie
            .split_once('.')
            .and_then(|(e, _)| e.parse::<i64>().ok())
            .is_some_and(|e| e > unix_now());
        fresh && self.check("login", cookie, token)
    }

    /// Claims a login attempt for `ip` before the password is checked, counting it as a
    /// failure (of the client and of the account) until it succeeds: parallel attempts
    /// cannot all slip in before the first failure is recorded. A browser `known` by its
    /// device cookie is held only by its own failures, not the account's. `Err` says
    /// which wait applies and how long is left of it.
    pub(super) fn claim_attempt(&self, ip: IpAddr, known: bool) -> Result<(), Wait> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut account = self.account.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 1000 {
            map.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
        }
        let f = map.entry(ip).or_insert(Failures::fresh(now));
        f.forget_old(now);
        if now < f.next_at {
            return Err(Wait::Client(f.next_at - now));
        }
        let a = account.get_or_insert(Failures::fresh(now));
        a.forget_old(now);
        if !known && now < a.next_at {
            return Err(Wait::Account(a.next_at - now));
        }
        f.claim(now, delay_after);
        if !known {
            a.claim(now, account_delay_after);
        }
        Ok(())
    }

    /// Forgets `ip`'s failures and the account's after a right password.
    pub(super) fn clear_failures(&self, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&ip);
        *self.account.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Lifts every lock-out (an administrator's `kbfix staff unlock`) when it was lifted
    /// after the account's last failure; true when it lifted one.
    pub(super) fn lift_if_unlocked_since(&self, unlocked_at: i64) -> bool {
        let mut account = self.account.lock().unwrap_or_else(|p| p.into_inner());
        let Some(a) = *account else {
            return false;
        };
        let ago = i64::try_from(a.last.elapsed().as_secs()).unwrap_or(i64::MAX);
        if unix_now().saturating_sub(ago) > unlocked_at {
            return false;
        }
        *account = None;
        drop(account);
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        true
    }

    /// A new signed device cookie value: `expiry.nonce.tag`.
    pub(super) fn new_device(&self) -> Result<String, WebError> {
        let value = format!("{}.{}", unix_now() + DEVICE_SECS, nonce()?);
        Ok(format!("{value}.{}", self.mac("device", &value)))
    }

    /// Whether a device cookie is ours and not expired.
    pub(super) fn known_device(&self, cookie: &str) -> bool {
        let Some((value, tag)) = cookie.rsplit_once('.') else {
            return false;
        };
        let fresh = value
            .split_once('.')
            .and_then(|(e, _)| e.parse::<i64>().ok())
            .is_some_and(|e| e > unix_now());
        fresh && self.check("device", value, tag)
    }

    /// Whether cookies must be marked Secure for this client.
    pub(super) fn secure(&self, client: &Client) -> bool {
        self.secure_cookies || client.forwarded_https
    }
}

fn nonce() -> Result<String, WebError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(hex::encode(&b))
}

pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub(super) fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let s = format!(
        "{name}={value}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&s).expect("cookie values are hex and digits")
}

/// The staff settings of a state; only reached behind [`staff_enabled`].
pub(super) fn auth(state: &AppState) -> Result<&Arc<StaffAuth>, WebError> {
    state.config.staff.as_ref().ok_or_else(not_found)
}

fn not_found() -> WebError {
    WebError::NotFound(pages::NOT_FOUND.into())
}

/// Without a password the staff pages do not exist: the same 404 as any unknown address,
/// before any extractor can answer otherwise (a malformed query string, say).
pub(super) async fn staff_enabled(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if state.config.staff.is_none() {
        return not_found().into_response();
    }
    next.run(req).await
}

/// A logged-in staff member: as a handler's parameter it means "must be logged in";
/// without a valid session the request is redirected to the login page.
pub struct StaffSession {
    /// The staff login settings.
    pub auth: Arc<StaffAuth>,
    /// The session's value (`expiry.nonce`), which its CSRF tokens are bound to.
    session: String,
}

impl StaffSession {
    /// The CSRF token the session's forms carry.
    pub fn csrf(&self) -> String {
        self.auth.mac("csrf", &self.session)
    }

    /// Whether `token` is this session's CSRF token.
    pub fn csrf_ok(&self, token: &str) -> bool {
        self.auth.check("csrf", &self.session, token)
    }

    /// Logs this session out on the server, and in the database for every other server
    /// that shares it.
    pub async fn revoke(&self, store: &crate::store::Store) -> Result<(), WebError> {
        self.auth.revoke(&self.session);
        if let Some((expires, nonce)) = self.session.split_once('.') {
            let expires = expires.parse().unwrap_or(i64::MAX);
            store
                .revoke_staff_session(nonce, expires, unix_now())
                .await?;
        }
        Ok(())
    }

    /// Whether another server logged this session out (the database's record of logouts).
    async fn revoked_elsewhere(&self, store: &crate::store::Store) -> Result<bool, WebError> {
        let nonce = self.session.split_once('.').map_or("", |(_, n)| n);
        Ok(store.staff_session_revoked(nonce).await?)
    }

    /// The session's value (`expiry.nonce`).
    pub(super) fn value(&self) -> &str {
        &self.session
    }

    /// The session of a request's cookies, when it is valid and was used recently (its
    /// "seen" cookie, refreshed by every staff page, not past its time).
    pub(super) fn from_headers(auth: &Arc<StaffAuth>, headers: &HeaderMap) -> Option<Self> {
        let session = auth.valid_session(cookie(headers, COOKIE)?)?.to_string();
        if !auth.seen_ok(&session, cookie(headers, SEEN_COOKIE)?) {
            return None;
        }
        Some(StaffSession {
            auth: Arc::clone(auth),
            session,
        })
    }
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let auth = auth(state).map_err(IntoResponse::into_response)?;
        let session = StaffSession::from_headers(auth, &parts.headers)
            .ok_or_else(|| Redirect::to("/staff/login").into_response())?;
        match session.revoked_elsewhere(&state.store).await {
            Ok(false) => Ok(session),
            Ok(true) => Err(Redirect::to("/staff/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn servers_with_the_same_secret_accept_each_others_cookies() {
        let a = StaffAuth::with_secret("pw", false, Some("shared secret")).unwrap();
        let b = StaffAuth::with_secret("pw", false, Some("shared secret")).unwrap();
        let c = StaffAuth::with_secret("pw", false, Some("another secret")).unwrap();
        let cookie = a.new_session().unwrap();
        assert!(b.valid_session(&cookie).is_some());
        assert!(c.valid_session(&cookie).is_none());
        let value = a.valid_session(&cookie).unwrap();
        assert!(b.check("csrf", value, &a.mac("csrf", value)));
    }

    #[test]
    fn session_cookies_are_signed_expire_and_can_be_revoked() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let c = auth.new_session().unwrap();
        assert!(auth.valid_session(&c).is_some());
        let other = StaffAuth::new("pw", false).unwrap();
        assert!(other.valid_session(&c).is_none(), "another process's key");
        let (value, tag) = c.rsplit_once('.').unwrap();
        let (_, nonce) = value.split_once('.').unwrap();
        let forged = format!("99999999999.{nonce}.{tag}");
        assert!(auth.valid_session(&forged).is_none());
        let past = format!("1.{nonce}");
        let expired = format!("{past}.{}", auth.mac("session", &past));
        assert!(auth.valid_session(&expired).is_none());
        assert!(auth.valid_session("garbage").is_none());
        auth.revoke(value);
        assert!(auth.valid_session(&c).is_none(), "logged out");
        assert!(auth.valid_session(&auth.new_session().unwrap()).is_some());
    }

    #[test]
    fn login_pairs_match_and_expire() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let (cookie, token) = auth.new_login_pair().unwrap();
        assert!(auth.valid_login_pair(&cookie, &token));
        let (other, _) = auth.new_login_pair().unwrap();
        assert!(!auth.valid_login_pair(&other, &token));
        let old = "1.00ff".to_string();
        assert!(!auth.valid_login_pair(&old, &auth.mac("login", &old)));
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let table = [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (11, 60), (1000, 60)];
        for (count, secs) in table {
            assert_eq!(delay_after(count), Duration::from_secs(secs), "{count}");
        }
    }

    #[test]
    fn attempts_are_claimed_before_checking() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..FREE_FAILURES {
            assert!(auth.claim_attempt(ip, true).is_ok());
        }
        let Err(Wait::Client(wait)) = auth.claim_attempt(ip, true) else {
            panic!("the client waits");
        };
        assert!(wait <= FIRST_DELAY && wait > Duration::ZERO, "{wait:?}");
        assert!(
            auth.claim_attempt(IpAddr::V4(Ipv4Addr::BROADCAST), true)
                .is_ok()
        );
        auth.clear_failures(ip);
        assert!(auth.claim_attempt(ip, true).is_ok());
    }

    #[test]
    fn the_account_waits_for_unknown_browsers_until_unlocked() {
        let auth = StaffAuth::new("pw", false).unwrap();
        let ip = |i: u8| IpAddr::V4(Ipv4Addr::new(192, 0, 2, i));
        for i in 0..ACCOUNT_FREE_FAILURES as u8 {
            assert!(auth.claim_attempt(ip(i), false).is_ok());
        }
        assert!(matches!(
            auth.claim_attempt(ip(100), false),
            Err(Wait::Account(_))
        ));
        // A browser that logged in before is held only by its own failures.
        assert!(auth.claim_attempt(ip(101), true).is_ok());
        // An unlock from before the failures lifts nothing; one after them lifts all.
        assert!(!auth.lift_if_unlocked_since(unix_now() - 3600));
        assert!(auth.lift_if_unlocked_since(unix_now()));
        assert!(auth.claim_attempt(ip(100), false).is_ok());
        let device = auth.new_device().unwrap();
        assert!(auth.known_device(&device));
        assert!(!auth.known_device(&device.replace('.', "0.")));
        assert!(!StaffAuth::new("pw", false).unwrap().known_device(&device));
    }

    #[tokio::test]
    async fn the_right_password_and_only_it_verifies() {
        let auth = StaffAuth::new("pw", false).unwrap();
        assert!(auth.verify("pw".into()).await.unwrap());
        assert!(!auth.verify("pW".into()).await.unwrap());
        assert!(!auth.verify(String::new()).await.unwrap());
    }
}

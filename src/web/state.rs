//! What every handler reaches through `State`: the store, the matcher, the searcher, the settings and the
//! per-process bookkeeping (page cache, rate limits). Kept apart from the router so feature
//! files import state from here, not from the file that imports them.

use super::cache::PageCache;
use super::cpu::CpuPool;
use super::eventviewer::PublicUrl;
use super::limits::Limits;
use super::staff::StaffAuth;
use crate::matcher::Matcher;
use crate::search::Searcher;
use crate::store::Store;
use std::net::IpAddr;
use std::sync::Arc;

/// Settings the handlers read, fixed at startup.
#[derive(Debug, Clone)]
pub struct Config {
    /// Results per page on search and browse pages.
    pub page_size: i64,
    /// The staff login; `None` (no password configured) makes every staff page a 404.
    pub staff: Option<Arc<StaffAuth>>,
    /// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (a reverse proxy
    /// in front of us). From anyone else those headers are ignored: a client could name any
    /// address in them and dodge the per-client limits.
    pub trusted_proxies: Vec<IpAddr>,
    /// Wizard sessions one client may start per minute (a burst of as many, refilled
    /// evenly); 0 turns the limit off.
    pub sessions_per_minute: u32,
    /// Wizard sessions all clients together may start per minute; 0 turns it off.
    pub sessions_per_minute_total: u32,
    /// Refines ("none of these", new words) one client may make per minute; 0: no limit.
    pub refines_per_minute: u32,
    /// Refines all clients together may make per minute; 0: no limit.
    pub refines_per_minute_total: u32,
    /// Costly lookups (matching a paste on `/api/match` or `/troubleshoot`, searching) one
    /// client may make per minute; 0: no limit.
    pub lookups_per_minute: u32,
    /// Costly lookups all clients together may make per minute; 0: no limit.
    pub lookups_per_minute_total: u32,
    /// Whether `/healthz` adds the connection pool's hold times by call site (`--metrics`).
    pub metrics: bool,
    /// Whether every response carries `Strict-Transport-Security` (`--secure-cookies`:
    /// the site is reached over TLS only).
    pub hsts: bool,
    /// This server's address as users reach it, for Event Viewer's registry file; `None`
    /// takes it from each request's `Host`.
    pub public_url: Option<PublicUrl>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            page_size: 20,
            staff: None,
            trusted_proxies: Vec::new(),
            sessions_per_minute: 60,
            sessions_per_minute_total: 600,
            refines_per_minute: 60,
            refines_per_minute_total: 1200,
            lookups_per_minute: 120,
            lookups_per_minute_total: 6000,
            public_url: None,
            metrics: false,
            hsts: false,
        }
    }
}

/// The application's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Paste matching over the store.
    pub matcher: Arc<Matcher>,
    /// Own-words search over the store, with its in-memory index (the search page, the API
    /// and the wizard's "describe it in words"); one per process.
    pub searcher: Arc<Searcher>,
    pub config: Arc<Config>,
    /// Rendered article pages.
    pub pages: Arc<PageCache>,
    /// Per-client counters (session starts) that outlive one request.
    pub limits: Arc<Limits>,
    /// The cores that matching large pastes may take, off the async workers.
    pub cpu: Arc<CpuPool>,
}

impl AppState {
    /// State over `store` with `config`.
    pub fn new(store: Store, config: Config) -> Self {
        Self {
            matcher: Arc::new(Matcher::new(store.clone())),
            searcher: Arc::new(Searcher::new(store.clone())),
            pages: Arc::new(PageCache::default()),
            limits: Arc::new(Limits::default()),
            cpu: Arc::new(CpuPool::default()),
            store,
            config: Arc::new(config),
        }
    }
}

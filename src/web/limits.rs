//! Rate limits that outlive one request, per client and for the whole server: wizard
//! session starts, refines, and the costly lookups (matching a paste, searching). Token
//! buckets from `governor`; the rates come from the settings at each call, so a limiter is
//! kept per rate.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Beyond this many tracked clients, buckets that have refilled are forgotten.
const TRACKED: usize = 10_000;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A new wizard session.
    Start,
    /// A refine ("none of these", new words) on a session.
    Refine,
    /// Matching a paste or searching: CPU work for the server.
    Lookup,
}

/// Who is over a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// This client; wait this long.
    Client(Duration),
    /// The whole server; wait this long.
    Everyone(Duration),
}

impl Over {
    /// How long until the next one is allowed.
    pub fn wait(self) -> Duration {
        match self {
            Over::Client(w) | Over::Everyone(w) => w,
        }
    }
}

type Keyed = DefaultKeyedRateLimiter<IpAddr>;
type Direct = DefaultDirectRateLimiter;

/// The process's rate-limit state.
#[derive(Default)]
pub struct Limits {
    clients: Mutex<HashMap<(Kind, u32), Arc<Keyed>>>,
    everyone: Mutex<HashMap<(Kind, u32), Arc<Direct>>>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

/// `per_minute` a minute, with a burst of as many.
fn quota(per_minute: NonZeroU32) -> Quota {
    Quota::per_minute(per_minute)
}

impl Limits {
    /// Takes one `kind` for `ip`, allowing `per_client` a minute to one client and `total`
    /// a minute to all together (each a burst of as many); 0 is no limit. The client's
    /// limit is checked first, so one client over its own rate does not use up everyone's.
    pub fn take(&self, kind: Kind, ip: IpAddr, per_client: u32, total: u32) -> Result<(), Over> {
        if let Some(rate) = NonZeroU32::new(per_client) {
            let limiter = {
                let mut map = self.clients.lock().unwrap_or_else(|p| p.into_inner());
                Arc::clone(
                    map.entry((kind, per_client))
                        .or_insert_with(|| Arc::new(RateLimiter::keyed(quota(rate)))),
                )
            };
            if limiter.len() >= TRACKED {
                limiter.retain_recent();
            }
            limiter
                .check_key(&ip)
                .map_err(|n| Over::Client(n.wait_time_from(self.clock.now())))?;
        }
        if let Some(rate) = NonZeroU32::new(total) {
            let limiter = {
                let mut map = self.everyone.lock().unwrap_or_else(|p| p.into_inner());
                Arc::clone(
                    map.entry((kind, total))
                        .or_insert_with(|| Arc::new(RateLimiter::direct(quota(rate)))),
                )
            };
            limiter
                .check()
                .map_err(|n| Over::Everyone(n.wait_time_from(self.clock.now())))?;
        }
        Ok(())
    }

    /// Takes one session start for `ip` (see [`Limits::take`]), with no limit for everyone.
    pub fn take_start(&self, ip: IpAddr, per_minute: u32) -> Result<(), Duration> {
        self.take(Kind::Start, ip, per_minute, 0)
            .map_err(Over::wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn a_burst_then_waits_per_client() {
        let limits = Limits::default();
        let a = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let b = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
        for _ in 0..3 {
            assert!(limits.take_start(a, 3).is_ok());
        }
        let wait = limits.take_start(a, 3).unwrap_err();
        assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20));
        assert!(
            limits.take_start(b, 3).is_ok(),
            "another client is not held"
        );
        for _ in 0..100 {
            assert!(limits.take_start(a, 0).is_ok(), "0 is no limit");
        }
    }

    #[test]
    fn everyone_shares_the_total_and_kinds_are_apart() {
        let limits = Limits::default();
        let ip = |i: u8| IpAddr::V4(Ipv4Addr::new(192, 0, 2, i));
        for i in 0..5 {
            assert!(limits.take(Kind::Lookup, ip(i), 10, 5).is_ok());
        }
        assert!(matches!(
            limits.take(Kind::Lookup, ip(9), 10, 5),
            Err(Over::Everyone(_))
        ));
        assert!(limits.take(Kind::Refine, ip(9), 10, 5).is_ok());
        // A client over its own rate is refused before it uses up everyone's.
        for _ in 0..2 {
            assert!(limits.take(Kind::Start, ip(1), 2, 100).is_ok());
        }
        assert!(matches!(
            limits.take(Kind::Start, ip(1), 2, 100),
            Err(Over::Client(_))
        ));
    }
}

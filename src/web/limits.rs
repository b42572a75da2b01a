//! Per-client counters that outlive one request: how many wizard sessions a client may
//! still start, as a token bucket per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Beyond this many tracked clients, buckets that have refilled are forgotten.
const TRACKED: usize = 10_000;

/// The process's rate-limit state.
#[derive(Debug, Default)]
pub struct Limits {
    starts: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refilled(self, per_minute: f64, now: Instant) -> f64 {
        let gained = now.duration_since(self.at).as_secs_f64() * per_minute / 60.0;
        (self.tokens + gained).min(per_minute)
    }
}

impl Limits {
    /// Takes one session start for `ip`, allowing `per_minute` a minute (and a burst of as
    /// many); `Err` says how long until the next one is allowed. 0 means no limit.
    pub fn take_start(&self, ip: IpAddr, per_minute: u32) -> Result<(), Duration> {
        if per_minute == 0 {
            return Ok(());
        }
        let rate = f64::from(per_minute);
        let now = Instant::now();
        let mut map = self.starts.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= TRACKED {
            map.retain(|_, b| b.refilled(rate, now) < rate);
        }
        let bucket = map.entry(ip).or_insert(Bucket {
            tokens: rate,
            at: now,
        });
        let tokens = bucket.refilled(rate, now);
        if tokens < 1.0 {
            return Err(Duration::from_secs_f64((1.0 - tokens) * 60.0 / rate));
        }
        *bucket = Bucket {
            tokens: tokens - 1.0,
            at: now,
        };
        Ok(())
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
}

//! The wall clock as unix seconds, for session and cookie times. A leaf: it imports
//! nothing from the crate, and every layer may use it.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970 (UTC); 0 if the clock is set before then.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

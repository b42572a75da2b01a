//! The process's memory held low: glibc's allocator told to keep fewer arenas and to hand
//! freed pages back. Without these the server's resident memory was set by what the heap
//! once held, not by what it holds (issue 15's memory bound under the load script).

/// Arenas glibc may create: each thread that allocates under contention (eight SQLite
/// workers, the runtime's) otherwise gets one of up to eight per core, each keeping its own
/// freed pages.
const ARENAS: i32 = 2;

/// Keeps the allocator to [`ARENAS`] arenas. Called once, early, by the server.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; it moves no memory.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

/// Returns freed heap pages to the system. Building the search index leaves much
/// freed scratch (per-word buffers, the vocabulary's map) scattered through the heap, where
/// glibc keeps it counted in the server's memory until an allocation reuses it.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; no memory we hold moves.
    unsafe {
        libc::malloc_trim(0);
    }
}

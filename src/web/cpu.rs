//! CPU-heavy work kept off the async workers: parsing and matching a large paste runs on a
//! thread of its own at a lower priority, at most one per core at once, within a time
//! budget. A couple of large pastes on the async workers held up even `/healthz` (issue
//! 26, N2); small pastes stay inline, where a thread would cost more than the work.

use super::WebError;
use axum::http::StatusCode;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, oneshot};

/// Pastes up to this size are matched on the async worker that received them: a few
/// milliseconds of work at most.
pub const INLINE_BYTES: usize = 8 * 1024;
/// The longest one piece of work may take before it is given up (at its next wait on the
/// store); below the request timeout, so the person reads why.
pub const BUDGET: Duration = Duration::from_secs(10);
/// How long work waits for a free core before the request is answered "busy".
const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// The nice value of the work's threads: the async workers (every other request) come
/// first when the cores are short.
const NICE: i32 = 10;

/// The cores CPU-heavy work may use, shared by every request.
#[derive(Debug)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
}

impl Default for CpuPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores)
    }
}

impl CpuPool {
    /// A pool running at most `at_once` pieces of work together.
    pub fn new(at_once: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
        }
    }

    /// Runs `work` (sized `size` bytes of input) inline when small, else on a thread of its
    /// own behind the pool's permits, within [`BUDGET`]. The work still finishes, its permit
    /// held, when the request is cancelled meanwhile.
    pub async fn run<T, F>(&self, size: usize, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
    {
        if size <= INLINE_BYTES {
            return Ok(work.await);
        }
        let permit = tokio::time::timeout(QUEUE_WAIT, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|e| WebError::Internal(e.into()))?;
        let handle = tokio::runtime::Handle::current();
        let (tx, rx) = oneshot::channel();
        std::thread::Builder::new()
            .name("kbfix-cpu".into())
            .spawn(move || {
                let _permit = permit;
                lower_priority();
                // The store's waits inside `work` are driven by the runtime's own I/O and
                // timer drivers; only the computing happens here.
                let out = handle.block_on(async move { tokio::time::timeout(BUDGET, work).await });
                let _ = tx.send(out);
            })
            .map_err(|e| WebError::Internal(e.into()))?;
        match rx.await {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(_)) => Err(WebError::unprocessable(format!(
                "This text took more than {} s to match and was stopped: paste only the \
                 event's lines, or search with a few words instead.",
                BUDGET.as_secs()
            ))),
            Err(_) => Err(WebError::Internal(anyhow::anyhow!(
                "the matching thread ended without an answer"
            ))),
        }
    }
}

fn busy() -> WebError {
    WebError::Refused {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: "The server is busy matching other long pastes; please try again in a moment."
            .into(),
    }
}

/// Lowers this thread's scheduling priority (Linux: the nice value is per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority only read and set this thread's own attributes.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, NICE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn small_work_inline_large_on_a_thread_of_its_own() {
        let pool = CpuPool::new(1);
        let name = || std::thread::current().name().map(str::to_string);
        let here = name();
        assert_eq!(pool.run(10, async move { name() }).await.unwrap(), here);
        let there = pool.run(INLINE_BYTES + 1, async move { name() }).await;
        assert_eq!(there.unwrap().as_deref(), Some("kbfix-cpu"));
    }
}

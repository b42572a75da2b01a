//! The accept loop: hyper's HTTP/1 server with a header-read timeout and caps on open
//! connections, in all and per client address (axum::serve sets none, so a client sending
//! half a request line, or nothing, held its connection forever), and a graceful shutdown
//! on Ctrl-C or SIGTERM. A connection over a cap is answered 503 and closed at once: the
//! loop never stops accepting, so one client holding many sockets cannot make everyone
//! else wait in the listen queue (issue 26, N3).

use super::state::AppState;
use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// How the server treats connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A connection that has not sent a whole request head this long after it opened (or
    /// after its last response) is closed.
    pub header_timeout: Duration,
    /// Connections open at once; beyond it new ones are answered 503 and closed.
    pub max_connections: usize,
    /// Connections one client address may hold open at once; beyond it its new ones are
    /// answered 503 and closed. 0 for no cap.
    pub max_per_client: usize,
    /// Addresses without the per-client cap: a reverse proxy carries many clients' requests
    /// (`--trusted-proxy`).
    pub exempt: Vec<IpAddr>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_per_client: 64,
            exempt: Vec::new(),
        }
    }
}

/// What a connection over a cap is told before it is closed: a whole response, so a
/// browser shows it and a client library retries.
const OVER_CAP: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Retry-After: 5\r\n\
Connection: close\r\n\
Content-Length: 73\r\n\
\r\n\
Too many connections are open from here; close some and try again later.\n";

/// Open connections per client address.
#[derive(Debug, Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

/// One connection counted against its address until dropped.
struct Counted {
    map: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    /// Counts a connection from `ip` unless it already has `cap` open.
    fn admit(self: &Arc<Self>, ip: IpAddr, cap: usize) -> Option<Counted> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let open = map.entry(ip).or_insert(0);
        if *open >= cap {
            return None;
        }
        *open += 1;
        Some(Counted {
            map: Arc::clone(self),
            ip,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut map = self.map.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(open) = map.get_mut(&self.ip) {
            *open -= 1;
            if *open == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Answers a connection over a cap and closes it, without waiting on the client: a
/// fresh socket's send buffer takes the few bytes at once.
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(OVER_CAP);
}

/// How long shutdown waits for in-flight requests before giving up on them.
const DRAIN: Duration = Duration::from_secs(20);

/// Serves the app over `state` on `listener` until Ctrl-C or SIGTERM, then finishes
/// in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
) -> std::io::Result<()> {
    let app = super::app(state);
    let permits = Arc::new(Semaphore::new(options.max_connections));
    let per_client = Arc::new(PerClient::default());
    let (close_tx, close_rx) = watch::channel(());
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = peer.ip();
        let counted = if options.max_per_client == 0 || options.exempt.contains(&ip) {
            None
        } else {
            match per_client.admit(ip, options.max_per_client) {
                Some(c) => Some(c),
                None => {
                    tracing::debug!(%peer, "over the per-client connection cap");
                    refuse(stream);
                    continue;
                }
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tracing::warn!(%peer, "over the connection cap");
            refuse(stream);
            continue;
        };
        let closing = close_rx.clone();
        let held = (permit, counted);
        spawn_connection(&app, stream, peer, held, options.header_timeout, closing);
    }
    drop(close_tx);
    // Every connection holds a permit until it is done.
    let all = u32::try_from(options.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, permits.acquire_many(all)).await;
    Ok(())
}

/// Serves one connection until it ends or `closing` changes, then lets it finish
/// gracefully; `permit` is held until then.
fn spawn_connection(
    app: &Router,
    stream: TcpStream,
    peer: SocketAddr,
    permit: (OwnedSemaphorePermit, Option<Counted>),
    header_timeout: Duration,
    mut closing: watch::Receiver<()>,
) {
    // The peer address reaches handlers for per-client limits.
    let service = app.clone().map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req
    });
    tokio::spawn(async move {
        let _permit = permit;
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        tokio::pin!(conn);
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "connection ended");
                }
            }
            _ = closing.changed() => {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

//! The accept loop: hyper's HTTP/1 server with a header-read timeout and a cap on open
//! connections (axum::serve sets neither, so a client sending half a request line, or
//! nothing, held its connection forever), and a graceful shutdown on Ctrl-C or SIGTERM.

use super::state::AppState;
use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// How the server treats connections.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// A connection that has not sent a whole request head this long after it opened (or
    /// after its last response) is closed.
    pub header_timeout: Duration,
    /// Connections open at once; beyond it new ones wait in the listen queue.
    pub max_connections: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
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
    let (close_tx, close_rx) = watch::channel(());
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
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
        let closing = close_rx.clone();
        spawn_connection(&app, stream, peer, permit, options.header_timeout, closing);
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
    permit: OwnedSemaphorePermit,
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

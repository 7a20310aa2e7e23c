//! A ready server for the ingest router: hyper http1 with a header-read timeout, a request (body-read)
//! timeout, a keep-alive idle timeout and a cap on concurrent connections.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tower_http::timeout::TimeoutLayer;

/// Timeouts and limits of [`serve`]. Every field is public; start from [`Default`] and change what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The longest a client may take to send a request's start line and headers, counted from when the
    /// server starts waiting for them (default 10 s); past it the connection is closed without an answer.
    pub header_read_timeout: Duration,
    /// The longest a request may take from its headers to its answer, reading the body included (default
    /// 30 s); past it the request is answered 408 and the connection closed. A delivery already handed to
    /// the sink still completes (the endpoint runs it on its own task), so the provider's retry is then a
    /// duplicate.
    pub body_read_timeout: Duration,
    /// How long a connection may stay without a byte read or written before it is closed (default 60 s): a
    /// request in progress is answered first.
    pub idle_timeout: Duration,
    /// The most connections served at once (default 1024); further clients wait in the listener's backlog
    /// until one closes.
    pub max_connections: usize,
}

impl ServeOptions {
    /// Default [`header_read_timeout`](Self::header_read_timeout).
    pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default [`body_read_timeout`](Self::body_read_timeout).
    pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default [`idle_timeout`](Self::idle_timeout).
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
    /// Default [`max_connections`](Self::max_connections).
    pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Self::DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: Self::DEFAULT_BODY_READ_TIMEOUT,
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Serves `router` (typically [`WebhookIngest::router`](super::WebhookIngest::router)) on `listener` over
/// HTTP/1.1 with `options`' timeouts and connection cap, until the task is dropped. Unlike `axum::serve`,
/// a client that sends its headers or body slowly, stalls, or keeps an idle connection open is
/// disconnected in bounded time, and the number of connections (so the memory held by bodies being read,
/// each at most the verifier's body limit) is bounded.
///
/// Accept errors (such as running out of file descriptors) are logged and retried after a pause; the
/// function does not return on them.
///
/// ```no_run
/// use spec_runtime::ingest::{serve, InMemoryResolver, ServeOptions, WebhookIngest};
/// use spec_runtime::webhook::{Verifier, VerifierOptions};
/// use spec_core::{Secret, SignatureScheme};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new(VerifierOptions::for_scheme(SignatureScheme::Stripe), &[Secret::new("whsec_…")])?;
/// let (tx, _rx) = tokio::sync::mpsc::channel(64);
/// let app = WebhookIngest::new(verifier, "stripe.", InMemoryResolver::new(), tx).router("/webhooks/stripe");
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// serve(listener, app, ServeOptions { max_connections: 256, ..ServeOptions::default() }).await;
/// # Ok(()) }
/// ```
pub async fn serve(listener: TcpListener, router: Router, options: ServeOptions) {
    let router = router.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        options.body_read_timeout,
    ));
    let permits = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .keep_alive(true);
    loop {
        // Never closed, so acquiring only waits.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let (http, service, idle) = (
            http.clone(),
            TowerToHyperService::new(router.clone()),
            options.idle_timeout,
        );
        tokio::spawn(async move {
            serve_connection(http, stream, service, idle).await;
            drop(permit);
        });
    }
}

async fn serve_connection(
    http: hyper::server::conn::http1::Builder,
    stream: TcpStream,
    service: TowerToHyperService<Router>,
    idle: Duration,
) {
    let activity = Activity::new();
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let conn = http.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "webhook connection closed with an error");
                }
                return;
            }
            () = activity.idle_for(idle), if !closing => {
                tracing::debug!("closing an idle webhook connection");
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}

/// When a connection last read or wrote a byte, in milliseconds since it was accepted.
#[derive(Clone)]
struct Activity {
    since: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Self {
        Self {
            since: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Completes once nothing was read or written for `idle`.
    async fn idle_for(&self, idle: Duration) {
        loop {
            let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let Some(due) = self.since.checked_add(last).and_then(|l| l.checked_add(idle)) else {
                return std::future::pending().await;
            };
            if Instant::now() >= due {
                return;
            }
            tokio::time::sleep_until(due).await;
        }
    }
}

/// A stream that records its activity.
struct Watched {
    inner: TcpStream,
    activity: Activity,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

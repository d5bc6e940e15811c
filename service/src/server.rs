//! Serving: the whole router, the accept loop with graceful shutdown, and
//! [`Running`], a service on a background thread that stops on drop (the
//! tests and the evidence command start one on 127.0.0.1 and a free port).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::JoinSet;

use crate::app::{App, MAX_RECORDING, SharedApp};
use crate::problem;

/// Every route of the service; `extra` adds routes (a test's).
pub fn router(app: SharedApp, extra: Router<SharedApp>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/portal/sessions") }))
        .merge(crate::api::router())
        .merge(crate::portal::router())
        .merge(extra)
        .fallback(|| async { problem::NOT_FOUND })
        .method_not_allowed_fallback(|| async { problem::METHOD_NOT_ALLOWED })
        .layer(DefaultBodyLimit::max(MAX_RECORDING))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            log_request,
        ))
        .with_state(app)
}

/// One log line per request: method, route, status. The route is the
/// pattern the request matched (`/api/ssh-sessions/{session_id}`), never
/// the path or the query it was sent with: what a caller puts in a path (a
/// token pasted where an id goes, a portal ticket, bidirectional-text
/// characters) is not written to the log.
async fn log_request(State(app): State<SharedApp>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    app.log
        .line(&format!("{method} {route} {}", response.status().as_u16()));
    response.into_response()
}

/// What the accept loop bounds: how long a client may take to send a
/// request's headers, and how many connections are served at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A connection that has not sent a whole request head (request line
    /// and headers) this long after it started one, or after its previous
    /// response, is closed (slowloris: a client that trickles its headers
    /// would otherwise hold a connection open for ever).
    pub header_read_timeout: Duration,
    /// Connections served at once; past it the service stops accepting
    /// (new ones wait in the listen backlog) until one closes.
    pub max_connections: usize,
}

impl Limits {
    /// 10 s for the headers (a browser on a slow link sends them in well
    /// under one), 1024 connections.
    pub const DEFAULT: Limits = Limits {
        header_read_timeout: Duration::from_secs(10),
        max_connections: 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Serves `app` on `listener` with [`Limits::DEFAULT`] until `shutdown`
/// resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: SharedApp,
    extra: Router<SharedApp>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, app, extra, shutdown, Limits::DEFAULT).await
}

/// [`serve`] with `limits`. The accept loop is the service's own rather
/// than `axum::serve`'s, which sets no header read timeout (hyper's needs
/// a timer) and accepts without bound. It runs on a tokio runtime with
/// time enabled (`enable_time`), which the timeout needs.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: SharedApp,
    extra: Router<SharedApp>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> io::Result<()> {
    let router = router(app, extra);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Every connection watches this; `true` asks it to finish the request
    // in flight and close.
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                // The semaphore is never closed; if it were, stop serving.
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // A connection that failed before it was accepted, or
                    // out of file descriptors: not the listener's end.
                    // Pause (so a full descriptor table is not spun on)
                    // and go on.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                stream
            }
        };
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let mut closing_seen = closing_seen.clone();
        connections.spawn(async move {
            let _slot = slot;
            let mut connection = std::pin::pin!(connection);
            // An error (a client gone, a header timeout) ends only this
            // connection; hyper has already answered what it could.
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing_seen.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Reap the finished ones, so the set holds only live connections.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// A service running on its own thread and runtime. Dropping it stops the
/// service and waits for it.
pub struct Running {
    addr: SocketAddr,
    app: SharedApp,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Running {
    /// Starts `app` on 127.0.0.1 and a free port, with `extra` routes;
    /// returns once it accepts connections.
    pub fn start(app: App, extra: Router<SharedApp>) -> io::Result<Running> {
        Running::start_with(app, extra, Limits::DEFAULT)
    }

    /// [`Running::start`] with `limits` (a test's short header timeout).
    pub fn start_with(app: App, extra: Router<SharedApp>, limits: Limits) -> io::Result<Running> {
        let app = Arc::new(app);
        // Time as well as I/O: the header read timeout runs on tokio's timer.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .enable_time()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let served = Arc::clone(&app);
        let thread = std::thread::spawn(move || {
            let stopped = async {
                let _ = stopped.await;
            };
            runtime.block_on(serve_with(listener, served, extra, stopped, limits))
        });
        Ok(Running {
            addr,
            app,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The shared state (to mint browser tickets, to act as the operator).
    pub fn app(&self) -> &App {
        &self.app
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

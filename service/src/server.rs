//! Serving: the whole router, the accept loop with graceful shutdown, and
//! [`Running`], a service on a background thread that stops on drop (the
//! tests and the evidence command start one on 127.0.0.1 and a free port).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tokio::sync::oneshot;

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

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: SharedApp,
    extra: Router<SharedApp>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router(app, extra))
        .with_graceful_shutdown(shutdown)
        .await
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
        let app = Arc::new(app);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let served = Arc::clone(&app);
        let thread = std::thread::spawn(move || {
            runtime.block_on(serve(listener, served, extra, async {
                let _ = stopped.await;
            }))
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

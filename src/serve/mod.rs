//! `vigie serve`: the index over HTTP, as a JSON API and a web page.
//!
//! This module answers "how do colleagues who do not live in a shell
//! search the index?". One [`Searcher`] is shared by every request and
//! replaced when `vigie index` commits (or a rebuild swaps a new index
//! in): a watcher compares the index's `meta.json` every
//! [`Limits::reload_every`] and opens the new commit in the background, so
//! requests never wait for it. Searches are CPU work: they run on
//! blocking threads, at most [`Limits::max_concurrent`] at once, each
//! within [`Limits::time_budget`] (503 past it). Connections are served by
//! hyper with a header read timeout, so a client that connects and sends
//! nothing is dropped and never holds a search slot. The routes and their
//! JSON are in [`api`] and described in `src/serve/openapi.yaml`; the page
//! (HTML, CSS and JavaScript embedded in the binary, no CDN) is in
//! [`assets`].
//!
//! The server is built on tokio, hyper and axum: an async server keeps an
//! idle or slow connection as a few hundred bytes of task state instead of
//! a thread, which is what lets a hostile client not stall the others;
//! axum gives typed routing and extraction on top of hyper.

pub mod api;
pub mod assets;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::index::IndexHandle;
use crate::search::{SearchError, Searcher};

/// Bounds on what one request may ask and on the server's work.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest query accepted, in bytes (413 past it).
    pub max_query_bytes: usize,
    /// Largest page of hits (`n`), in hits (400 past it).
    pub max_page: usize,
    /// Largest `offset`, in hits (400 past it).
    pub max_offset: usize,
    /// Largest `context`, in paragraphs on each side (400 past it).
    pub max_context: usize,
    /// Searches running at once; further requests wait for a slot within
    /// their time budget.
    pub max_concurrent: usize,
    /// Open connections at once; further clients wait in the listen
    /// backlog.
    pub max_connections: usize,
    /// Longest a request may take, waiting for a slot included (503 past
    /// it).
    pub time_budget: Duration,
    /// Longest a client may take to send a request's headers before its
    /// connection is closed.
    pub header_timeout: Duration,
    /// How often the index is checked for a new commit.
    pub reload_every: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_query_bytes: 2048,
            max_page: 100,
            max_offset: 10_000,
            max_context: 10,
            max_concurrent: cores.max(2),
            max_connections: 4096,
            time_budget: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            reload_every: Duration::from_millis(500),
        }
    }
}

/// What to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The index directory (it must exist).
    pub index: PathBuf,
    /// A synonym file added to the default thesaurus and the index's own.
    pub synonyms: Option<PathBuf>,
    /// Request and work bounds.
    pub limits: Limits,
    /// The OpenSearch cluster `/api/search` runs on instead of the local
    /// index (`vigie serve --opensearch`); `None`: the local index.
    pub cluster: Option<Arc<Cluster>>,
}

/// The cluster a server searches (`vigie serve --opensearch URL --name
/// INDEX`): `/api/search` runs [`crate::remote::search::search`] there,
/// `/health` asks the cluster; the routes that need the local index's
/// statements (`/api/statements`, `/api/trend`, `/api/stats`) answer 501.
pub struct Cluster {
    /// The client of the cluster.
    pub client: crate::remote::Client,
    /// The paragraph index on the cluster.
    pub name: String,
    /// The thesaurus its searches expand queries with.
    pub thesaurus: Arc<crate::thesaurus::Thesaurus>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("url", &self.client.endpoint().redacted())
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// The index could not be read, or the synonym file has bad lines.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}: {error}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why (shown in the message, not chained as a source).
        error: std::io::Error,
    },
    /// The async runtime could not start.
    #[error("starting the server runtime: {0}")]
    Runtime(std::io::Error),
}

/// What identifies a commit: `meta.json`'s size, modification time and
/// (on Unix) inode, which a rebuild's swap changes too.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint(Option<(u64, SystemTime, u64)>);

impl Fingerprint {
    fn of(dir: &Path) -> Fingerprint {
        let meta = std::fs::metadata(dir.join("meta.json")).ok();
        Fingerprint(meta.and_then(|m| {
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&m);
            #[cfg(not(unix))]
            let inode = 0;
            Some((m.len(), m.modified().ok()?, inode))
        }))
    }
}

/// The searcher of the last commit seen, and how many commits were
/// picked up since the start (0 = the one opened at start).
struct Current {
    searcher: Arc<Searcher>,
    fingerprint: Fingerprint,
    generation: u64,
}

/// State shared by every request.
pub struct AppState {
    config: ServeConfig,
    current: RwLock<Current>,
    slots: Arc<Semaphore>,
}

impl AppState {
    /// Opens the index of `config` (and its synonyms).
    ///
    /// # Errors
    /// [`ServeError::Index`] or [`ServeError::Search`].
    pub fn open(config: ServeConfig) -> Result<AppState, ServeError> {
        let fingerprint = Fingerprint::of(&config.index);
        let searcher = open_searcher(&config)?;
        Ok(AppState {
            slots: Arc::new(Semaphore::new(config.limits.max_concurrent.max(1))),
            current: RwLock::new(Current {
                searcher: Arc::new(searcher),
                fingerprint,
                generation: 0,
            }),
            config,
        })
    }

    /// The searcher of the last commit picked up, and its generation.
    pub fn searcher(&self) -> (Arc<Searcher>, u64) {
        let c = self.current.read().unwrap_or_else(|e| e.into_inner());
        (Arc::clone(&c.searcher), c.generation)
    }

    /// Whether the index's last commit can still be read where it was
    /// opened (`meta.json` is there and readable).
    pub fn index_readable(&self) -> bool {
        std::fs::File::open(self.config.index.join("meta.json")).is_ok()
    }

    /// The request bounds.
    pub fn limits(&self) -> &Limits {
        &self.config.limits
    }

    /// The cluster searched instead of the local index, if any.
    pub fn cluster(&self) -> Option<&Arc<Cluster>> {
        self.config.cluster.as_ref()
    }

    /// Opens the index again when its last commit changed; keeps the
    /// current searcher when the new one cannot be opened yet (a commit
    /// or swap in progress: the next check tries again). Returns whether
    /// a new commit was picked up.
    pub fn reload_if_changed(&self) -> bool {
        let now = Fingerprint::of(&self.config.index);
        if self.current.read().map_or(true, |c| c.fingerprint == now) {
            return false;
        }
        let Ok(searcher) = open_searcher(&self.config) else {
            return false;
        };
        let mut c = self.current.write().unwrap_or_else(|e| e.into_inner());
        c.searcher = Arc::new(searcher);
        c.fingerprint = now;
        c.generation += 1;
        true
    }
}

fn open_searcher(config: &ServeConfig) -> Result<Searcher, ServeError> {
    let handle = IndexHandle::open(&config.index)?;
    let searcher = Searcher::new(handle)?;
    Ok(match &config.synonyms {
        Some(path) => searcher.add_synonyms(path)?,
        None => searcher,
    })
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    state: Arc<AppState>,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    /// Opens the index and binds `addr` (port 0 picks a free port; see
    /// [`Server::local_addr`]).
    ///
    /// # Errors
    /// [`ServeError`] when the index cannot be opened or the address bound.
    pub fn bind(config: ServeConfig, addr: SocketAddr) -> Result<Server, ServeError> {
        let state = Arc::new(AppState::open(config)?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("vigie-serve")
            .build()
            .map_err(ServeError::Runtime)?;
        let listener = runtime
            .block_on(TcpListener::bind(addr))
            .map_err(|error| ServeError::Bind { addr, error })?;
        Ok(Server {
            listener,
            state,
            runtime,
        })
    }

    /// The address the server listens on.
    ///
    /// # Errors
    /// The socket's error, if it has none.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C or SIGTERM, then lets the requests in flight
    /// finish (at most the time budget) and returns.
    pub fn run_until_signal(self) {
        let Server {
            listener,
            state,
            runtime,
        } = self;
        runtime.block_on(async move {
            let watcher = tokio::spawn(watch(Arc::clone(&state)));
            serve_connections(listener, state, shutdown_signal(), true).await;
            watcher.abort();
        });
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
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
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Checks for a new commit every `reload_every`, forever.
async fn watch(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(state.config.limits.reload_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let s = Arc::clone(&state);
        let _ = tokio::task::spawn_blocking(move || s.reload_if_changed()).await;
    }
}

/// Accepts connections until `shutdown`, each served by hyper's HTTP/1
/// with a header read timeout, at most `max_connections` at once. Then
/// closes the listening socket (new clients are refused at once) and lets
/// the requests in flight finish, for at most the time budget, or until a
/// second Ctrl-C / SIGTERM when `second_signal_forces`.
async fn serve_connections(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()>,
    second_signal_forces: bool,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = api::router(Arc::clone(&state));
    let connections = Arc::new(Semaphore::new(state.config.limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.config.limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let Ok(permit) = Arc::clone(&connections).acquire_owned().await else {
            break;
        };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait, then go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    let budget = state.config.limits.time_budget;
    let force = async {
        if second_signal_forces {
            shutdown_signal().await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = tokio::time::timeout(budget, graceful.shutdown()) => {}
        () = force => {}
    }
}

/// Serves `state` on `listener` until `shutdown` resolves, on the current
/// tokio runtime: for embedding the server in another program or a test.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let watcher = tokio::spawn(watch(Arc::clone(&state)));
    serve_connections(listener, state, shutdown, false).await;
    watcher.abort();
}

/// Whether `addr` can only be reached from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

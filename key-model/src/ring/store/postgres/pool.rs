//! The PostgreSQL store's connections: one thread each, all taking jobs
//! from one channel (see the parent module's "Client" and "Pool").

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use postgres::{Client, NoTls, Statement};

use crate::ring::backend::{BackendError, BackendErrorKind};

fn unavailable(detail: &'static str) -> BackendError {
    BackendError::new(BackendErrorKind::Unavailable, detail)
}

/// A connection and the statements prepared on it: each statement is
/// prepared once per connection, not once per call (a round trip saved on
/// every revision check and load).
pub(super) struct Conn {
    pub(super) client: Client,
    prepared: HashMap<&'static str, Statement>,
}

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            prepared: HashMap::new(),
        }
    }

    pub(super) fn prepare(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql, statement.clone());
        Ok(statement)
    }
}

/// Work for a connection's thread.
type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// The connections: one thread each, taking jobs from one channel.
pub(super) struct Pool {
    /// `None` only while dropping: closing the channel stops the threads.
    jobs: Option<Sender<Job>>,
    pub(super) workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// `n` connections to `params`, each on its own thread; fails if any
    /// cannot connect.
    pub(super) fn open(params: &str, n: usize) -> Result<Pool, BackendError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let (ready, connected) = mpsc::channel();
        let mut pool = Pool {
            jobs: Some(jobs),
            workers: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let params = params.to_owned();
            let queue = Arc::clone(&queue);
            let ready = ready.clone();
            let worker = std::thread::Builder::new()
                .name("key-model-postgres".to_owned())
                .spawn(move || {
                    // Connecting here, not on the caller's thread: the
                    // client's runtime must never start inside another.
                    match Client::connect(&params, NoTls) {
                        Ok(client) => {
                            let _ = ready.send(true);
                            serve(&params, Conn::new(client), &queue);
                        }
                        Err(_) => {
                            let _ = ready.send(false);
                        }
                    }
                })
                .map_err(|_| unavailable("cannot start a connection thread"))?;
            pool.workers.push(worker);
        }
        drop(ready);
        for _ in 0..n {
            if !connected.recv().unwrap_or(false) {
                return Err(unavailable("cannot connect to PostgreSQL"));
            }
        }
        Ok(pool)
    }

    /// Runs `f` on a free connection and waits for its answer.
    pub(super) fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Conn) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, BackendError> {
        let (answer, answered) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |conn| {
            let _ = answer.send(f(conn));
        });
        self.jobs
            .as_ref()
            .and_then(|jobs| jobs.send(job).ok())
            .ok_or_else(|| unavailable("the key store's connections are closed"))?;
        // No answer: the job panicked, and its sender was dropped.
        answered
            .recv()
            .unwrap_or_else(|_| Err(unavailable("a PostgreSQL call failed")))
    }
}

/// A connection's thread: takes jobs until the channel closes, reconnecting
/// first when the connection broke.
fn serve(params: &str, mut conn: Conn, queue: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held while waiting, so one idle thread waits on the
        // channel and the others on the lock; each job goes to one thread.
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        if conn.client.is_closed()
            && let Ok(fresh) = Client::connect(params, NoTls)
        {
            conn = Conn::new(fresh);
        }
        // A panic in the client must not take the thread down with it; the
        // caller sees an error (its answer channel is dropped). The
        // connection may be mid-protocol: replace it.
        if catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err()
            && let Ok(fresh) = Client::connect(params, NoTls)
        {
            conn = Conn::new(fresh);
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

//! A throwaway PostgreSQL cluster for tests and benches: `initdb` into a
//! temporary directory, `pg_ctl start` listening on 127.0.0.1 only, on a
//! free port, with trust authentication; stopped (`pg_ctl stop -m
//! immediate`) and deleted when the last handle is dropped, also when a test
//! panics (the handle is dropped while unwinding).
//!
//! The server binaries are looked up in `KEY_MODEL_PG_BIN` (a directory),
//! then Debian's `/usr/lib/postgresql/<major>/bin/` (the newest major), then
//! `PATH`. Not found is a test failure that says how to install them, never
//! a skip: `apt-get install -y postgresql`, or `bash
//! scripts/install-test-deps.sh`.
//!
//! `initdb` refuses to run as root, and tests run as root in CI: as root,
//! the harness runs the server's commands as the `postgres` user (`runuser
//! -u postgres --`, which the Debian package creates) in a directory owned
//! by it; as anyone else, as that user.
//!
//! The harness uses only the standard library and the cluster's own
//! `psql` and `pg_dump`, so it does not depend on the client the store
//! under test uses.

use std::fmt;
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a missing server says: how to get one.
const INSTALL_HINT: &str = "PostgreSQL's server binaries (initdb, pg_ctl, psql, pg_dump) were not found. \
     The PostgreSQL tests start a throwaway server and need them installed: \
     run `bash scripts/install-test-deps.sh` (or `apt-get install -y postgresql` on Debian), \
     or point KEY_MODEL_PG_BIN at the directory that holds them.";

/// Tries at starting a server: the free port is found by binding port 0 and
/// closing it, so another process can take it before the server does.
const START_ATTEMPTS: u32 = 3;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The cluster shared by the tests of one binary while any of them holds it.
static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());

/// A running throwaway PostgreSQL cluster. Dropping it stops the server and
/// deletes its directory.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// `Some(..)` when the server runs as the `postgres` user (we are root).
    run_as: Option<String>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.dir)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// A database in a [`Cluster`], created empty for one test.
#[derive(Debug, Clone)]
pub struct Database {
    cluster: Arc<Cluster>,
    name: String,
}

impl Cluster {
    /// The cluster of this test binary: started by the first caller, shared
    /// while any caller holds it, stopped when the last one drops it. Each
    /// test takes its own [`Database`] in it.
    ///
    /// # Panics
    /// If PostgreSQL is not installed (with how to install it) or does not
    /// start (with its log).
    pub fn shared() -> Arc<Cluster> {
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(cluster) = shared.upgrade() {
            return cluster;
        }
        let cluster = Arc::new(Cluster::start());
        *shared = Arc::downgrade(&cluster);
        cluster
    }

    /// A new cluster of its own.
    ///
    /// # Panics
    /// If PostgreSQL is not installed (with how to install it) or does not
    /// start (with its log).
    pub fn start() -> Cluster {
        let bin = find_bin().unwrap_or_else(|| panic!("{INSTALL_HINT}"));
        let run_as = running_as_root().then(|| "postgres".to_owned());
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            let dir = make_dir(run_as.as_deref());
            let port = free_port();
            let cluster = Cluster {
                bin: bin.clone(),
                dir,
                port,
                run_as: run_as.clone(),
            };
            match cluster.init_and_start() {
                Ok(()) => return cluster,
                // Dropping it stops whatever started and deletes the directory.
                Err(e) => last_error = e,
            }
        }
        panic!("the throwaway PostgreSQL server did not start: {last_error}");
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq connection string for database `dbname`, as user `postgres`.
    pub fn connection_string(&self, dbname: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname={dbname} connect_timeout=10",
            self.port
        )
    }

    /// A new, empty database with a unique name.
    ///
    /// # Panics
    /// If `CREATE DATABASE` fails.
    pub fn database(self: &Arc<Cluster>) -> Database {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let name = format!("km_test_{}_{id}", std::process::id());
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        Database {
            cluster: Arc::clone(self),
            name,
        }
    }

    /// Runs `sql` in `dbname` with `psql` and returns what it printed,
    /// unaligned, tuples only (`-At`).
    ///
    /// # Panics
    /// If the statement fails (with psql's message).
    pub fn psql(&self, dbname: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", dbname])
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql failed on {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("psql prints UTF-8")
    }

    /// `pg_dump` of `dbname`, plain SQL, data and schema.
    ///
    /// # Panics
    /// If `pg_dump` fails.
    pub fn pg_dump(&self, dbname: &str) -> Vec<u8> {
        let out = Command::new(self.bin.join("pg_dump"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "postgres", "--no-password", dbname])
            .stdin(Stdio::null())
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn init_and_start(&self) -> Result<(), String> {
        let data = self.data_dir();
        let data = data.to_str().ok_or("temporary path is not UTF-8")?;
        let out = self.server_command(
            "initdb",
            &[
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        check(&out, "initdb")?;
        // Appended to postgresql.conf, not passed on pg_ctl's command line:
        // no quoting of paths through two shells.
        let socket_dir = self.dir.to_str().ok_or("temporary path is not UTF-8")?;
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{socket_dir}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n",
            self.port
        );
        append(&self.data_dir().join("postgresql.conf"), &conf)?;
        let log = self.log_file();
        let log = log.to_str().ok_or("temporary path is not UTF-8")?;
        let out = self.server_command(
            "pg_ctl",
            &["start", "-w", "-t", "60", "-D", data, "-l", log],
        );
        check(&out, "pg_ctl start").map_err(|e| {
            let server_log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
            format!("{e}\nserver log:\n{server_log}")
        })
    }

    /// Runs one of the server's binaries, as the `postgres` user when we are
    /// root.
    fn server_command(&self, tool: &str, args: &[&str]) -> Output {
        let tool = self.bin.join(tool);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&tool);
                c
            }
            None => Command::new(&tool),
        };
        command
            .args(args)
            // The server's children must not hold the test's pipes open.
            .stdin(Stdio::null())
            .current_dir(&self.dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.data_dir().join("postmaster.pid").exists() {
            let data = self.data_dir();
            let data = data.to_string_lossy();
            let _ = self.server_command("pg_ctl", &["stop", "-w", "-m", "immediate", "-D", &data]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Database {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cluster it lives in.
    pub fn cluster(&self) -> &Arc<Cluster> {
        &self.cluster
    }

    /// A libpq connection string for it.
    pub fn connection_string(&self) -> String {
        self.cluster.connection_string(&self.name)
    }

    /// Runs `sql` in it (see [`Cluster::psql`]).
    pub fn psql(&self, sql: &str) -> String {
        self.cluster.psql(&self.name, sql)
    }

    /// A `pg_dump` of it (see [`Cluster::pg_dump`]).
    pub fn pg_dump(&self) -> Vec<u8> {
        self.cluster.pg_dump(&self.name)
    }
}

fn check(out: &Output, what: &str) -> Result<(), String> {
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn append(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("open {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("write {}: {e}", path.display()))
}

/// The directory of `initdb` and `pg_ctl`, if PostgreSQL is installed.
fn find_bin() -> Option<PathBuf> {
    let has_tools = |dir: &Path| {
        ["initdb", "pg_ctl", "psql", "pg_dump"]
            .iter()
            .all(|t| dir.join(t).is_file())
    };
    if let Some(dir) = std::env::var_os("KEY_MODEL_PG_BIN") {
        let dir = PathBuf::from(dir);
        return has_tools(&dir).then_some(dir);
    }
    // Debian and Ubuntu: one directory per major version; the newest wins.
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse().ok()?;
            Some((major, e.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    debian.sort();
    if let Some((_, dir)) = debian.pop() {
        return Some(dir);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| has_tools(dir))
}

/// Whether this process runs as root: `/proc/self` belongs to the
/// process's effective user.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A fresh directory for one cluster, owned by `owner` when given.
fn make_dir(owner: Option<&str>) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("key-model-pg-{}-{id}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", dir.display()));
    if let Some(user) = owner {
        let (uid, gid) = ids_of(user);
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .unwrap_or_else(|e| panic!("chown {} to {user}: {e}", dir.display()));
    }
    dir
}

/// The user and group ids of `user`, from `id`.
fn ids_of(user: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, user])
            .output()
            .expect("run id");
        assert!(
            out.status.success(),
            "no `{user}` user: the PostgreSQL package creates it. {INSTALL_HINT}"
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("id prints a number")
    };
    (id("-u"), id("-g"))
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free port on 127.0.0.1")
}

//! The throwaway cluster does what the tests rely on: it answers on
//! 127.0.0.1 only, each test gets an empty database of its own, and the
//! server is stopped and its directory deleted when the handle is dropped,
//! also when the test holding it panics.

use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Arc;

use key_model_tests::postgres::Cluster;

/// The server's data directory, read from the server itself.
fn data_directory(cluster: &Cluster) -> PathBuf {
    PathBuf::from(cluster.psql("postgres", "SHOW data_directory").trim())
}

#[test]
fn listens_on_loopback_only_with_a_database_per_test() {
    let cluster = Cluster::shared();
    assert_eq!(
        cluster.psql("postgres", "SHOW listen_addresses").trim(),
        "127.0.0.1"
    );
    let a = cluster.database();
    let b = cluster.database();
    assert_ne!(a.name(), b.name());
    a.psql("CREATE TABLE t (x int); INSERT INTO t VALUES (42)");
    assert_eq!(a.psql("SELECT x FROM t").trim(), "42");
    // b is another database: the table is not there.
    let tables = b.psql("SELECT count(*) FROM pg_tables WHERE tablename = 't'");
    assert_eq!(tables.trim(), "0");
}

#[test]
fn dropping_the_cluster_stops_the_server_and_deletes_its_directory() {
    let cluster = Cluster::start();
    let port = cluster.port();
    let data = data_directory(&cluster);
    assert!(data.is_dir());
    assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
    drop(cluster);
    assert!(!data.exists(), "{} was left behind", data.display());
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server still answers on port {port}"
    );
}

#[test]
fn a_panicking_test_still_stops_its_server() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let cluster = Arc::new(Cluster::start());
        tx.send((cluster.port(), data_directory(&cluster)))
            .expect("send");
        panic!("the test fails while it holds the cluster");
    })
    .join();
    assert!(outcome.is_err(), "the thread was meant to panic");
    let (port, data) = rx.recv().expect("the cluster started");
    assert!(!data.exists(), "{} was left behind", data.display());
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}

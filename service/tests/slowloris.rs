//! The accept loop's header read timeout (slowloris): a connection that
//! sends half a request line and then nothing is closed within the
//! timeout, while a whole request on another connection is answered as
//! usual, during and after.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use key_model_service::app::App;
use key_model_service::evidence::http::request;
use key_model_service::log::Log;
use key_model_service::records::{Records, random_text};
use key_model_service::server::{Limits, Running};

const TIMEOUT: Duration = Duration::from_millis(500);

/// What the test allows on a loaded machine past the timeout.
const SLACK: Duration = Duration::from_secs(3);

/// A service with `limits` on a temporary data directory (removed when
/// the returned guard drops, after the service).
fn start(limits: Limits) -> (Running, TempDir) {
    let dir = std::env::temp_dir().join(format!("km-slowloris-{}", random_text(8)));
    std::fs::create_dir_all(&dir).unwrap();
    let app = App::new(
        key_model_service::keys::open_ring(&dir).unwrap(),
        Records::open(&dir).unwrap(),
        Log::off(),
        false,
    );
    let service = Running::start_with(app, axum::Router::new(), limits).unwrap();
    (service, TempDir(dir))
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Half a request line, on a new connection.
fn slow_client(service: &Running) -> TcpStream {
    let mut s = TcpStream::connect(service.addr()).unwrap();
    s.write_all(b"GET /api/openapi.js").unwrap();
    s.set_read_timeout(Some(TIMEOUT + SLACK)).unwrap();
    s
}

#[test]
fn half_sent_headers_are_cut_off_and_whole_requests_still_served() {
    let limits = Limits {
        header_read_timeout: TIMEOUT,
        ..Limits::DEFAULT
    };
    let (service, _dir) = start(limits);

    // Several slow clients, each half a request line in.
    let mut slow: Vec<TcpStream> = (0..5).map(|_| slow_client(&service)).collect();
    let started = Instant::now();

    // Meanwhile a whole request is answered.
    let r = request(service.addr(), "GET", "/api/openapi.json", &[], b"").unwrap();
    assert_eq!(r.status, 200, "{}", r.text());

    for (i, s) in slow.iter_mut().enumerate() {
        // The service closes it (end of stream, or a reset; hyper may
        // first answer 408): a read timeout here means it was left open.
        let mut rest = Vec::new();
        match s.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!(
                "connection {i}: still open after {:?} (header read timeout {TIMEOUT:?}): {e}",
                started.elapsed()
            ),
        }
        let text = String::from_utf8_lossy(&rest);
        assert!(
            rest.is_empty() || text.starts_with("HTTP/1.1 408"),
            "connection {i}: {text}"
        );
    }
    let took = started.elapsed();
    assert!(
        took >= TIMEOUT.saturating_sub(Duration::from_millis(100)),
        "closed before the timeout: {took:?}"
    );
    assert!(took < TIMEOUT + SLACK, "closed after {took:?}");
    println!("half-sent request lines closed after {took:?} (timeout {TIMEOUT:?})");

    // And after them, the service still answers.
    let r = request(service.addr(), "GET", "/api/openapi.json", &[], b"").unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The bound on connections: with every slot held by a slow client, a
/// new request waits in the backlog until the timeout frees a slot, and
/// is then answered.
#[test]
fn connections_past_the_bound_wait_for_a_free_slot() {
    let limits = Limits {
        header_read_timeout: TIMEOUT,
        max_connections: 2,
    };
    let (service, _dir) = start(limits);
    let _slow: Vec<TcpStream> = (0..2).map(|_| slow_client(&service)).collect();
    let started = Instant::now();
    let r = request(service.addr(), "GET", "/api/openapi.json", &[], b"").unwrap();
    let waited = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        waited >= TIMEOUT.saturating_sub(Duration::from_millis(100)),
        "answered after {waited:?}: the two slow clients did not hold the two slots"
    );
    assert!(waited < TIMEOUT + SLACK, "answered after {waited:?}");
}

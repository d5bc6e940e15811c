//! The load test's server (benches/service-load.sh): the reference
//! service with the demo data, plus one bench-only twin route that sends
//! the same SSH session record with plain `serde_json`, past the sink, so
//! the sink's cost can be compared on the same payload in one run. Prints
//! the address, the token and a session id, then serves until killed.
//! Both routes check the bearer token and read the record the same way.
//!
//! `load_twin raw-aead SECONDS THREADS` instead seals a 4 KiB payload with
//! raw XChaCha20-Poly1305 in a loop on THREADS threads for SECONDS seconds
//! and prints the seals per second: the floor the upload route's
//! throughput is set beside. It is the raw floor of the ring and store
//! benches (key-model/benches/support/raw_floor.rs), the same file.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chacha20poly1305::{KeyInit, XChaCha20Poly1305};

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use key_model_service::app::{App, SharedApp};
use key_model_service::auth::{Tenant, platform_scope};
use key_model_service::log::Log;
use key_model_service::records::Records;
use key_model_service::{demo, keys, server};

async fn plain(
    State(app): State<SharedApp>,
    Tenant(scope): Tenant,
    Path(id): Path<String>,
) -> impl IntoResponse {
    // The same token check and lookup as the API's route, then serde_json
    // directly instead of the sink.
    let record = app
        .session(&scope, &id)
        .expect("the bench's session exists");
    (
        [(CONTENT_TYPE, "application/json")],
        serde_json::to_vec(&record).expect("serializes"),
    )
}

#[path = "../../key-model/benches/support/raw_floor.rs"]
// The benches open what they seal; the load test only seals.
#[allow(dead_code)]
mod raw_floor;

/// The recording size of the load test's uploads.
const PAYLOAD: u32 = 4096;

/// Seals `PAYLOAD` bytes on `threads` threads for `seconds`; prints the
/// seals per second in all and per thread.
fn raw_aead(seconds: u64, threads: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).expect("random source");
                let cipher = XChaCha20Poly1305::new(&key.into());
                let payload = vec![b'x'; PAYLOAD as usize];
                let mut seals = 0u64;
                while Instant::now() < deadline {
                    // A batch between clock reads, so the clock is not the cost.
                    for _ in 0..64 {
                        std::hint::black_box(raw_floor::raw_encrypt(&cipher, &payload));
                    }
                    seals += 64;
                }
                seals
            })
        })
        .collect();
    let seals: u64 = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    // Counts far below 2^52: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let per_second = seals as f64 / seconds as f64;
    let mib_per_second = per_second * f64::from(PAYLOAD) / f64::from(1u32 << 20);
    println!("raw_aead threads={threads} seals/s={per_second:.0} MiB/s={mib_per_second:.1}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("raw-aead") {
        let number = |i: usize, default: u64| {
            args.get(i)
                .map_or(Some(default), |a| a.parse().ok())
                .expect("raw-aead SECONDS THREADS: whole numbers")
        };
        raw_aead(number(1, 5).max(1), number(2, 1).max(1));
        return;
    }
    let dir = std::env::temp_dir().join(format!("km-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ring = keys::open_ring(&dir).expect("ring");
    let app = App::new(
        ring,
        Records::open(&dir).expect("records"),
        Log::off(),
        false,
    );
    let tokens = demo::seed(&app).expect("demo data");
    let scope = platform_scope("acme".parse().expect("tenant"));
    let id = app.records.all_sessions(scope.tenant()).expect("sessions")[0]
        .session_id
        .clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("addr {}", listener.local_addr().expect("addr"));
        println!("token {}", tokens[0].1);
        println!("session {id}");
        let extra = axum::Router::new().route("/bench/plain/{id}", get(plain));
        server::serve(listener, Arc::new(app), extra, std::future::pending())
            .await
            .expect("serve");
    });
}

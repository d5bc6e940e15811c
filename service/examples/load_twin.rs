//! The load test's server (benches/service-load.sh): the reference
//! service with the demo data, plus one bench-only twin route that sends
//! the same SSH session record with plain `serde_json`, past the sink, so
//! the sink's cost can be compared on the same payload in one run. Prints
//! the address, the token and a session id, then serves until killed.
//! Both routes check the bearer token and read the record the same way.

use std::sync::Arc;

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

fn main() {
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

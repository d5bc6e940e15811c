//! `key-model-service`: a thin shell over the library (see `cli::USAGE`).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use key_model::KeyRing;
use key_model_service::app::App;
use key_model_service::cli::{self, Cli};
use key_model_service::log::Log;
use key_model_service::records::Records;
use key_model_service::{demo, evidence, keys, operator, server};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match cli::parse(&args) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli {
        Cli::Help => print!("{}", cli::USAGE),
        Cli::Serve {
            listen,
            data_dir,
            database,
            demo: with_demo,
        } => {
            let (ring, records) = open(&data_dir, database.as_deref())?;
            let app = App::new(ring, records, Log::stderr(), false);
            if with_demo {
                for (tenant, token) in demo::seed(&app).map_err(|e| format!("demo data: {e}"))? {
                    println!("demo tenant {tenant}: sign in with token {token}");
                }
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_io()
                .build()
                .map_err(|e| e.to_string())?;
            runtime
                .block_on(async move {
                    let listener = tokio::net::TcpListener::bind(listen).await?;
                    println!(
                        "serving on http://{}/ (portal: /portal, API docs: /api/docs)",
                        listener.local_addr()?
                    );
                    server::serve(
                        listener,
                        std::sync::Arc::new(app),
                        axum::Router::new(),
                        async {
                            let _ = tokio::signal::ctrl_c().await;
                        },
                    )
                    .await
                })
                .map_err(|e| format!("serve: {e}"))?;
        }
        Cli::Operator {
            data_dir,
            database,
            command,
        } => {
            let (ring, records) = open(&data_dir, database.as_deref())?;
            for line in operator::run(&ring, &records, &command)? {
                println!("{line}");
            }
        }
        Cli::Evidence { out_dir } => {
            let report = evidence::run(&out_dir)?;
            println!("{}", report.summary());
            if !report.passed() {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The key ring and the records of `data_dir`, or of `database` (with the
/// data directory's root key). Errors name the step, never the URL.
fn open(data_dir: &std::path::Path, database: Option<&str>) -> Result<(KeyRing, Records), String> {
    std::fs::create_dir_all(data_dir).map_err(|e| format!("data dir: {e}"))?;
    let ring = keys::open_ring_on(data_dir, database).map_err(|e| format!("keys: {e}"))?;
    let records =
        Records::open_or_connect(data_dir, database).map_err(|e| format!("records: {e}"))?;
    Ok((ring, records))
}

//! Nothing lost on a crash: `serve` is killed (SIGKILL) while four clients
//! upload; the data directory then opens, every upload the service
//! acknowledged is there with its recording (an envelope that opens under
//! the tenant's key), and every stored recording has its audit entry (they
//! are written in one transaction).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use key_model::{Envelope, TenantId};
use key_model_service::auth::platform_scope;
use key_model_service::dto::AuditAction;
use key_model_service::evidence::http::request;
use key_model_service::keys;
use key_model_service::records::{Records, random_text};

mod support;

use support::Serve;

#[test]
fn a_killed_service_loses_no_acknowledged_upload() {
    let dir = std::env::temp_dir().join(format!("km-crash-{}", random_text(8)));
    let serve = Serve::start(&[
        std::ffi::OsStr::new("--demo"),
        "--data-dir".as_ref(),
        dir.as_os_str(),
    ]);
    let (addr, bearer) = (serve.addr, format!("Bearer {}", serve.token("acme")));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (bearer, acknowledged) = (bearer.clone(), Arc::clone(&acknowledged));
            std::thread::spawn(move || {
                for n in 0.. {
                    let text = format!("client {c} upload {n}\n");
                    let headers = [
                        ("Authorization", bearer.as_str()),
                        ("Content-Type", "application/octet-stream"),
                    ];
                    // Once the service is killed, requests fail: the client stops.
                    let Ok(r) =
                        request(addr, "POST", "/api/ssh-sessions", &headers, text.as_bytes())
                    else {
                        return;
                    };
                    if r.status != 201 {
                        return;
                    }
                    let record: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                    let id = record["session_id"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap().push((id, text));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    drop(serve); // SIGKILL, then reaped
    for c in clients {
        c.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 10,
        "only {} uploads before the kill",
        acknowledged.len()
    );

    let records = Records::open(&dir).expect("the records open after the kill");
    let ring = keys::open_ring(&dir).expect("the keys open after the kill");
    let acme: TenantId = "acme".parse().unwrap();
    let scope = platform_scope(acme.clone());
    let stored = records.all_sessions(&acme).unwrap();
    for (id, text) in &acknowledged {
        let record = records
            .session(&acme, id)
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged upload {id} is lost"));
        let envelope = Envelope::from_bytes(&records.recording(&record).unwrap()).unwrap();
        let plain = ring.decrypt(&scope, &envelope, id.as_bytes()).unwrap();
        assert_eq!(plain.as_bytes(), text.as_bytes());
    }
    let audited: Vec<String> = records
        .all_audit(&acme)
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == AuditAction::RecordingUploaded)
        .filter_map(|e| e.event.session_id)
        .collect();
    for record in &stored {
        assert!(
            audited.contains(&record.session_id),
            "{} is stored without its audit entry",
            record.session_id
        );
    }
    println!(
        "{} uploads acknowledged before the kill, {} stored, all audited",
        acknowledged.len(),
        stored.len()
    );
    let _ = std::fs::remove_dir_all(dir);
}

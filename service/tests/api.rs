//! The tenant API against a live service with canary keys: what works,
//! and bad input, which gets a 4xx problem, never a 5xx, never an echo of
//! a token or a secret.

use key_model_service::evidence::Fixture;
use key_model_service::evidence::http::{HttpResponse, request};

fn start() -> Fixture {
    Fixture::start(|_| axum::Router::new()).expect("service starts")
}

fn call(
    f: &Fixture,
    token: Option<&str>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut all = headers.to_vec();
    if let Some(b) = &bearer {
        all.push(("Authorization", b));
    }
    request(f.service.addr(), method, path, &all, body).expect("request")
}

fn token(f: &Fixture, tenant: &str) -> String {
    f.tokens
        .iter()
        .find(|(t, _)| t.as_ref() == tenant)
        .unwrap()
        .1
        .clone()
}

fn assert_problem(r: &HttpResponse, status: u16, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("problem JSON");
    assert_eq!(body["code"], code, "{what}");
    assert_eq!(body["status"], status, "{what}");
    // key-model's problem body, the same for the service's own codes.
    let mut members: Vec<&String> = body.as_object().unwrap().keys().collect();
    members.sort();
    assert_eq!(
        members,
        ["code", "detail", "status", "title", "type"],
        "{what}"
    );
    assert_eq!(body["type"], "about:blank", "{what}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{what}"
    );
}

/// A key-model error leaves with the library's code, status and sentence:
/// a recording under a disabled version is refused with `key_disabled`.
#[test]
fn a_key_model_error_is_the_librarys_problem() {
    use key_model_service::operator::{self, Command};

    let f = start();
    let acme = token(&f, "acme");
    let page = call(
        &f,
        Some(&acme),
        "GET",
        "/api/ssh-sessions?limit=100",
        &[],
        b"",
    );
    let page: serde_json::Value = serde_json::from_slice(&page.body).unwrap();
    // The demo rotates acme's key once: version 1 is not the primary.
    let old = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["encryption_key_ref"]
                .as_str()
                .unwrap()
                .ends_with("/versions/1")
        })
        .expect("a demo record under version 1");
    let key_ref = old["encryption_key_ref"].as_str().unwrap().parse().unwrap();
    let path = format!(
        "/api/ssh-sessions/{}/recording",
        old["session_id"].as_str().unwrap()
    );
    let app = f.service.app();
    operator::run(&app.ring, &app.records, &Command::Disable(key_ref)).unwrap();
    let refused = call(&f, Some(&acme), "GET", &path, &[], b"");
    assert_problem(
        &refused,
        409,
        "key_disabled",
        "playback under a disabled version",
    );
    let body: serde_json::Value = serde_json::from_slice(&refused.body).unwrap();
    assert_eq!(body["detail"], key_model::ErrorCode::KeyDisabled.message());
    assert_eq!(body["title"], "Conflict");
    f.canaries.assert_no_leak(refused.raw());
}

#[test]
fn upload_list_get_and_play_back_a_recording() {
    let f = start();
    let acme = token(&f, "acme");
    let up = call(
        &f,
        Some(&acme),
        "POST",
        "/api/ssh-sessions",
        &[("Content-Type", "application/octet-stream")],
        b"$ whoami\nroot\n",
    );
    assert_eq!(up.status, 201, "{}", up.text());
    let record: serde_json::Value = serde_json::from_slice(&up.body).unwrap();
    let mut fields: Vec<&String> = record.as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "bytes",
            "encryption_key_ref",
            "session_id",
            "started_at",
            "status",
            "tenant"
        ]
    );
    assert_eq!(
        record["encryption_key_ref"],
        "tenants/acme/keys/ssh-session-recording/versions/2"
    );
    let id = record["session_id"].as_str().unwrap();

    let one = call(
        &f,
        Some(&acme),
        "GET",
        &format!("/api/ssh-sessions/{id}"),
        &[],
        b"",
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&one.body).unwrap(),
        record
    );
    let played = call(
        &f,
        Some(&acme),
        "GET",
        &format!("/api/ssh-sessions/{id}/recording"),
        &[],
        b"",
    );
    assert_eq!(played.body, b"$ whoami\nroot\n");
    let audit = call(&f, Some(&acme), "GET", "/api/audit?limit=2", &[], b"");
    let audit: serde_json::Value = serde_json::from_slice(&audit.body).unwrap();
    assert_eq!(audit["items"][0]["action"], "recording_played_back");
    assert_eq!(audit["items"][1]["action"], "recording_uploaded");
    assert_eq!(audit["next_offset"], 2);

    let page = call(
        &f,
        Some(&acme),
        "GET",
        "/api/ssh-sessions?limit=2",
        &[],
        b"",
    );
    let page: serde_json::Value = serde_json::from_slice(&page.body).unwrap();
    assert_eq!(page["items"][0]["session_id"], id);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let csv = call(
        &f,
        Some(&acme),
        "GET",
        "/api/exports/ssh-sessions.csv",
        &[],
        b"",
    );
    assert_eq!(
        csv.text().lines().next(),
        Some("session_id,tenant,status,started_at,bytes,encryption_key_ref")
    );
    assert!(csv.text().contains(id));
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one table of bad requests, read top to bottom"
)]
fn bad_input_gets_a_problem_never_a_5xx_nor_an_echo() {
    let f = start();
    let acme = token(&f, "acme");
    let globex = token(&f, "globex");
    let octets = [("Content-Type", "application/octet-stream")];
    let acme_id = {
        let page = call(&f, Some(&acme), "GET", "/api/ssh-sessions", &[], b"");
        let page: serde_json::Value = serde_json::from_slice(&page.body).unwrap();
        page["items"][0]["session_id"].as_str().unwrap().to_owned()
    };
    let wrong = "kmt_thisisnotatokenofanytenant0000";
    let big = vec![b'x'; 1024 * 1024 + 1];
    let cases: Vec<(&str, HttpResponse, u16, &str)> = vec![
        (
            "no token",
            call(&f, None, "GET", "/api/ssh-sessions", &[], b""),
            401,
            "unauthorized",
        ),
        (
            "wrong token",
            call(&f, Some(wrong), "GET", "/api/audit", &[], b""),
            401,
            "unauthorized",
        ),
        (
            "not bearer",
            call(
                &f,
                None,
                "GET",
                "/api/audit",
                &[("Authorization", &format!("Basic {acme}"))],
                b"",
            ),
            401,
            "unauthorized",
        ),
        (
            "malformed id",
            call(
                &f,
                Some(&acme),
                "GET",
                "/api/ssh-sessions/sess_..%2F..%2Fkeys",
                &[],
                b"",
            ),
            400,
            "invalid_identifier",
        ),
        (
            // Percent-decoded, not UTF-8: axum's own rejection would be
            // `text/plain`, outside the document's problem responses.
            "non-UTF-8 id",
            call(&f, Some(&acme), "GET", "/api/ssh-sessions/%FF", &[], b""),
            400,
            "invalid_identifier",
        ),
        (
            "non-UTF-8 id, recording",
            call(
                &f,
                Some(&acme),
                "GET",
                "/api/ssh-sessions/sess_%C3%28/recording",
                &[],
                b"",
            ),
            400,
            "invalid_identifier",
        ),
        (
            "upper-case id",
            call(
                &f,
                Some(&acme),
                "GET",
                "/api/ssh-sessions/SESS_000000000000",
                &[],
                b"",
            ),
            400,
            "invalid_identifier",
        ),
        (
            "missing id",
            call(
                &f,
                Some(&acme),
                "GET",
                "/api/ssh-sessions/sess_000000000000",
                &[],
                b"",
            ),
            404,
            "not_found",
        ),
        (
            "another tenant's id",
            call(
                &f,
                Some(&globex),
                "GET",
                &format!("/api/ssh-sessions/{acme_id}"),
                &[],
                b"",
            ),
            404,
            "not_found",
        ),
        (
            "another tenant's recording",
            call(
                &f,
                Some(&globex),
                "GET",
                &format!("/api/ssh-sessions/{acme_id}/recording"),
                &[],
                b"",
            ),
            404,
            "not_found",
        ),
        (
            "empty upload",
            call(&f, Some(&acme), "POST", "/api/ssh-sessions", &octets, b""),
            400,
            "empty_upload",
        ),
        (
            "oversized upload",
            call(&f, Some(&acme), "POST", "/api/ssh-sessions", &octets, &big),
            413,
            "payload_too_large",
        ),
        (
            "JSON upload",
            call(
                &f,
                Some(&acme),
                "POST",
                "/api/ssh-sessions",
                &[("Content-Type", "application/json")],
                b"{}",
            ),
            415,
            "unsupported_media_type",
        ),
        (
            "no content type",
            call(&f, Some(&acme), "POST", "/api/ssh-sessions", &[], b"x"),
            415,
            "unsupported_media_type",
        ),
        (
            "bad limit",
            call(
                &f,
                Some(&acme),
                "GET",
                "/api/ssh-sessions?limit=1000",
                &[],
                b"",
            ),
            400,
            "invalid_query",
        ),
        (
            "bad offset",
            call(&f, Some(&acme), "GET", "/api/audit?offset=-1", &[], b""),
            400,
            "invalid_query",
        ),
        (
            "docs path not UTF-8",
            call(&f, None, "GET", "/api/docs/%FF", &[], b""),
            404,
            "not_found",
        ),
        (
            // A token where an id goes (a pasted credential): refused, and
            // kept out of the log with the rest of the path.
            "token in the path",
            call(
                &f,
                Some(&acme),
                "GET",
                &format!("/api/ssh-sessions/{acme}"),
                &[],
                b"",
            ),
            400,
            "invalid_identifier",
        ),
        (
            "token in an unknown route",
            call(&f, Some(&acme), "GET", &format!("/api/{wrong}"), &[], b""),
            404,
            "not_found",
        ),
        (
            "unknown route",
            call(&f, Some(&acme), "GET", "/api/keys", &[], b""),
            404,
            "not_found",
        ),
        (
            "wrong method",
            call(&f, Some(&acme), "DELETE", "/api/ssh-sessions", &[], b""),
            405,
            "method_not_allowed",
        ),
    ];
    for (what, response, status, code) in &cases {
        assert_problem(response, *status, code, what);
        let raw = response.raw();
        let text = String::from_utf8_lossy(&raw);
        for secret in [acme.as_str(), globex.as_str(), wrong, "..%2F", "SESS_"] {
            assert!(
                !text.contains(secret),
                "{what}: the response echoes {secret:?}"
            );
        }
        f.canaries.assert_no_leak(&raw);
    }
    // The same 404 for another tenant's record as for a missing one.
    assert_eq!(cases[7].1.body, cases[8].1.body);
    let log = f.log.contents();
    f.canaries.assert_no_leak(&log);
    let log = String::from_utf8_lossy(&log);
    assert!(
        !log.contains(&acme) && !log.contains(wrong),
        "the log holds a token"
    );
    assert!(!log.contains(" 500"), "a 5xx was logged:\n{log}");
}

/// The portal's paths with a segment that is not UTF-8 once
/// percent-decoded get the portal's error page (HTML, with its security
/// headers), as any other bad id does, never axum's plain-text rejection.
#[test]
fn portal_paths_not_utf8_get_the_error_page() {
    let f = start();
    let tenant: key_model::TenantId = "acme".parse().unwrap();
    let session = f.service.app().start_session(&tenant).unwrap();
    let cookie = format!("{}={session}", key_model_service::auth::SESSION_COOKIE);
    for (path, status) in [
        ("/portal/sessions/%FF", 400),
        ("/portal/sessions/sess_%C3%28/playback", 400),
        ("/portal/exports/%FF", 404),
        ("/portal/ticket/%FF", 404),
    ] {
        let r = call(&f, None, "GET", path, &[("Cookie", &cookie)], b"");
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert!(r.header("content-security-policy").is_some(), "{path}");
        assert!(r.text().contains("Something is not right"), "{path}");
        f.canaries.assert_no_leak(r.raw());
    }
}

/// A tenant the operator added but gave no recording key yet: its upload
/// is refused with the library's `key_not_found`, a status the document
/// lists for the upload (a client reading the document knows it).
#[test]
fn an_upload_before_the_tenant_has_a_key_is_a_documented_problem() {
    let f = start();
    let token = f
        .service
        .app()
        .records
        .add_tenant(&"initech".parse().unwrap())
        .unwrap();
    let octets = [("Content-Type", "application/octet-stream")];
    let r = call(&f, Some(&token), "POST", "/api/ssh-sessions", &octets, b"x");
    assert_problem(&r, 404, "key_not_found", "upload without a key");
    assert!(!r.text().contains(&token));
    let doc = call(&f, None, "GET", "/api/openapi.json", &[], b"");
    let doc: serde_json::Value = serde_json::from_slice(&doc.body).unwrap();
    let upload = &doc["paths"]["/api/ssh-sessions"]["post"]["responses"];
    assert!(
        upload["404"]["content"]["application/problem+json"].is_object(),
        "{upload:#}"
    );
}

/// A stored recording that does not parse or does not decrypt is the
/// service's own data gone bad (the records corrupted or altered behind
/// its back), not the caller's: a 500 with the library's code, in the
/// API and the portal, documented for the playback; never the default
/// 400 that blames the request.
#[test]
fn a_stored_recording_that_fails_to_decrypt_is_a_server_side_problem() {
    let f = start();
    let token = token(&f, "acme");
    let octets = [("Content-Type", "application/octet-stream")];
    let db = rusqlite::Connection::open(f.dir.join("records.sqlite3")).unwrap();
    let flip_tag: fn(&mut Vec<u8>) = |b| *b.last_mut().unwrap() ^= 1;
    let truncate: fn(&mut Vec<u8>) = |b| b.truncate(3);
    for (corrupt, code) in [
        // The last byte is the tag's: the envelope parses, fails to open.
        (flip_tag, "decryption_failed"),
        // Three bytes are no envelope at all.
        (truncate, "malformed_envelope"),
    ] {
        let r = call(
            &f,
            Some(&token),
            "POST",
            "/api/ssh-sessions",
            &octets,
            b"ls -la\n",
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let id = serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["session_id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Behind the service's back, by SQL on its records file.
        let mut bytes: Vec<u8> = db
            .query_row(
                "SELECT recording FROM ssh_sessions WHERE session_id = ?1",
                [&id],
                |row| row.get(0),
            )
            .unwrap();
        corrupt(&mut bytes);
        let sql = "UPDATE ssh_sessions SET recording = ?1 WHERE session_id = ?2";
        assert_eq!(db.execute(sql, rusqlite::params![bytes, id]).unwrap(), 1);
        let path = format!("/api/ssh-sessions/{id}/recording");
        let r = call(&f, Some(&token), "GET", &path, &[], b"");
        assert_problem(&r, 500, code, "playback of a corrupt recording");
        f.canaries.assert_no_leak(r.raw());

        let session = f
            .service
            .app()
            .start_session(&"acme".parse().unwrap())
            .unwrap();
        let cookie = format!("{}={session}", key_model_service::auth::SESSION_COOKIE);
        let page = format!("/portal/sessions/{id}/playback");
        let r = call(&f, None, "GET", &page, &[("Cookie", &cookie)], b"");
        assert_eq!(r.status, 500, "{page}: {}", r.text());
        assert!(r.text().contains("Something is not right"), "{page}");
        assert!(!r.text().contains("ls -la"), "{page}");
    }
    let log = String::from_utf8_lossy(&f.log.contents()).into_owned();
    assert!(
        log.contains("error: records: stored recording does not decrypt"),
        "{log}"
    );
    assert!(
        log.contains("error: records: stored envelope malformed"),
        "{log}"
    );

    let doc = call(&f, None, "GET", "/api/openapi.json", &[], b"");
    let doc: serde_json::Value = serde_json::from_slice(&doc.body).unwrap();
    let playback = &doc["paths"]["/api/ssh-sessions/{session_id}/recording"]["get"]["responses"];
    assert!(
        playback["500"]["content"]["application/problem+json"].is_object(),
        "{playback:#}"
    );
}

/// The service's key ring runs the background refresher, so a request
/// does not wait on the store for the ring's revision check: a second
/// refresher on the same ring is refused as a conflict, which it is only
/// when one already runs. Seen failing with the refresher not started.
#[test]
fn the_key_ring_refreshes_in_the_background() {
    let f = start();
    let e = f.service.app().ring.refresh_in_background().unwrap_err();
    assert_eq!(e.code(), key_model::ErrorCode::BackendConflict, "{e}");
}

//! Portal sessions through HTTP, on a service whose clock the test moves
//! (no test sleeps for half an hour): kept in the records, refused once
//! idle for 30 minutes or 8 hours after sign-in (a redirect to the sign-in
//! page), and ended by sign-out, which deletes the row.

use std::time::Duration;

use key_model::Timestamp;
use key_model_service::app::App;
use key_model_service::evidence::http::{HttpResponse, request};
use key_model_service::log::Log;
use key_model_service::records::{Clock, Records, SessionPolicy, random_text};
use key_model_service::server::Running;
use key_model_service::{demo, keys};

struct Service {
    running: Option<Running>,
    clock: Clock,
    token: String,
    dir: std::path::PathBuf,
}

impl Drop for Service {
    fn drop(&mut self) {
        drop(self.running.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Service {
    fn start() -> Service {
        let dir = std::env::temp_dir().join(format!("km-portal-{}", random_text(8)));
        std::fs::create_dir_all(&dir).unwrap();
        let clock = Clock::manual(Timestamp::from_unix_seconds(1_800_000_000));
        let app = App::new(
            keys::open_ring(&dir).unwrap(),
            Records::open(&dir).unwrap(),
            Log::off(),
            false,
        )
        .with_clock(clock.clone());
        let tokens = demo::seed(&app).unwrap();
        let token = tokens[0].1.clone();
        let running = Running::start(app, axum::Router::new()).unwrap();
        Service {
            running: Some(running),
            clock,
            token,
            dir,
        }
    }

    /// A request as the browser sends it from the portal's own pages (a
    /// POST names the portal's origin).
    fn call(&self, method: &str, path: &str, cookie: Option<&str>, form: &str) -> HttpResponse {
        let origin = self.origin();
        let from = if method == "POST" {
            vec![("Origin", origin.as_str())]
        } else {
            Vec::new()
        };
        self.call_from(method, path, cookie, form, &from)
    }

    /// A request with `from` as its `Origin`/`Referer` headers (none, a
    /// foreign one, the portal's).
    fn call_from(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: &str,
        from: &[(&str, &str)],
    ) -> HttpResponse {
        let cookie = cookie.map(|c| format!("kms_session={c}"));
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
        if let Some(c) = &cookie {
            headers.push(("Cookie", c));
        }
        headers.extend_from_slice(from);
        let addr = self.running.as_ref().unwrap().addr();
        request(addr, method, path, &headers, form.as_bytes()).unwrap()
    }

    /// The service's own origin, `http://127.0.0.1:PORT`.
    fn origin(&self) -> String {
        format!("http://{}", self.running.as_ref().unwrap().addr())
    }

    /// How many portal sessions the records hold (read behind the
    /// service's back, from its records file).
    fn session_rows(&self) -> i64 {
        rusqlite::Connection::open(self.dir.join("records.sqlite3"))
            .unwrap()
            .query_row("SELECT count(*) FROM portal_sessions", [], |r| r.get(0))
            .unwrap()
    }

    /// Signs in with the admin token; returns the session cookie's value.
    fn sign_in(&self) -> String {
        let r = self.call(
            "POST",
            "/portal/sign-in",
            None,
            &format!("token={}", self.token),
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let set = r.header("set-cookie").expect("a session cookie");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        set.strip_prefix("kms_session=")
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned()
    }

    /// Whether the portal serves the sessions page to `cookie` (else it
    /// must send the browser to sign in).
    fn signed_in(&self, cookie: &str) -> bool {
        let r = self.call("GET", "/portal/sessions", Some(cookie), "");
        match r.status {
            200 => true,
            303 => {
                assert_eq!(r.header("location"), Some("/portal/sign-in"));
                false
            }
            other => panic!("GET /portal/sessions: {other}: {}", r.text()),
        }
    }
}

#[test]
fn an_idle_session_is_refused_after_thirty_minutes() {
    let s = Service::start();
    let idle = SessionPolicy::DEFAULT.idle;
    let cookie = s.sign_in();
    assert!(s.signed_in(&cookie));
    // Each request resets the idle clock.
    for _ in 0..3 {
        s.clock.advance(idle.saturating_sub(Duration::from_secs(1)));
        assert!(s.signed_in(&cookie), "refused while in use");
    }
    s.clock.advance(idle);
    assert!(!s.signed_in(&cookie), "an idle session was accepted");
    // And it stays refused: the expired row was deleted.
    assert!(!s.signed_in(&cookie));
}

#[test]
fn a_busy_session_ends_eight_hours_after_sign_in() {
    let s = Service::start();
    let policy = SessionPolicy::DEFAULT;
    let cookie = s.sign_in();
    let step = Duration::from_secs(20 * 60);
    let mut elapsed = Duration::ZERO;
    while elapsed + step < policy.absolute {
        s.clock.advance(step);
        elapsed += step;
        assert!(s.signed_in(&cookie), "refused after {elapsed:?}");
    }
    s.clock.advance(policy.absolute.saturating_sub(elapsed));
    assert!(!s.signed_in(&cookie), "accepted 8 h after sign-in");
    // Signing in again gives a new session.
    assert!(s.signed_in(&s.sign_in()));
}

#[test]
fn sign_out_deletes_the_session() {
    let s = Service::start();
    let cookie = s.sign_in();
    let other = s.sign_in();
    assert!(s.signed_in(&cookie));
    let out = s.call("POST", "/portal/sign-out", Some(&cookie), "");
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    // The old cookie, replayed, is refused: the row is gone, not just the
    // browser's copy of the cookie.
    assert!(!s.signed_in(&cookie));
    // Another session of the same tenant is untouched.
    assert!(s.signed_in(&other));
    // A made-up cookie is refused too.
    assert!(!s.signed_in(&random_text(32)));
}

/// Login CSRF: another site's page posting its own token into the sign-in
/// form (or one with nothing to tell where it came from) is refused with
/// 403 and starts no session; the portal's own form signs in, whether the
/// browser names it in `Origin` or only in `Referer`.
#[test]
fn a_sign_in_posted_from_another_origin_starts_no_session() {
    let s = Service::start();
    let form = format!("token={}", s.token);
    let ours = s.origin();
    let port = ours.rsplit(':').next().unwrap().to_owned();
    let other_port = format!("http://127.0.0.1:{}", port.parse::<u16>().unwrap() ^ 1);
    let referer = format!("{ours}/portal/sign-in");
    let foreign: [&[(&str, &str)]; 6] = [
        &[("Origin", "http://evil.example")],
        &[("Origin", "null")],
        &[("Origin", &other_port)],
        &[("Referer", "http://evil.example/portal/sign-in")],
        &[("Origin", "http://evil.example"), ("Referer", &referer)],
        &[],
    ];
    for from in foreign {
        let r = s.call_from("POST", "/portal/sign-in", None, &form, from);
        assert_eq!(r.status, 403, "{from:?}: {}", r.text());
        assert_eq!(r.header("set-cookie"), None, "{from:?}");
        assert!(!r.text().contains(&s.token), "{from:?}");
        assert_eq!(s.session_rows(), 0, "{from:?}: a session was started");
    }
    for from in [[("Origin", ours.as_str())], [("Referer", referer.as_str())]] {
        let r = s.call_from("POST", "/portal/sign-in", None, &form, &from);
        assert_eq!(r.status, 303, "{from:?}: {}", r.text());
        assert!(r.header("set-cookie").is_some(), "{from:?}");
    }
    assert_eq!(s.session_rows(), 2);
}

/// A sign-out posted from another origin is refused the same way and the
/// session lives on; the portal's own sign-out ends it.
#[test]
fn a_sign_out_posted_from_another_origin_is_refused() {
    let s = Service::start();
    let cookie = s.sign_in();
    let evil = [("Origin", "http://evil.example")];
    let r = s.call_from("POST", "/portal/sign-out", Some(&cookie), "", &evil);
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.header("set-cookie"), None);
    assert!(
        s.signed_in(&cookie),
        "a cross-origin sign-out ended the session"
    );
    let r = s.call("POST", "/portal/sign-out", Some(&cookie), "");
    assert_eq!(r.status, 303);
    assert!(!s.signed_in(&cookie));
}

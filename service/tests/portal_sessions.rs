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

    fn call(&self, method: &str, path: &str, cookie: Option<&str>, form: &str) -> HttpResponse {
        let cookie = cookie.map(|c| format!("kms_session={c}"));
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
        if let Some(c) = &cookie {
            headers.push(("Cookie", c));
        }
        let addr = self.running.as_ref().unwrap().addr();
        request(addr, method, path, &headers, form.as_bytes()).unwrap()
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

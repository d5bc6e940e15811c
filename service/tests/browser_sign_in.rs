//! The portal's own sign-in and sign-out forms, submitted by a real
//! browser (Debian's Chromium, headless, over the `DevTools` protocol),
//! pass the forms' CSRF check (`service/src/portal/origin.rs`): Chromium
//! names the portal's origin in `Origin` on the POST, which the portal's
//! `Referrer-Policy: same-origin` allows (with `no-referrer` it sends
//! `Origin: null`, and the check would refuse the portal's own form).

use std::time::Duration;

use key_model_service::evidence::Fixture;
use key_model_service::evidence::browser::Browser;

#[test]
fn chromium_signs_in_and_out_through_the_portals_forms() {
    let f = Fixture::start(|_| axum::Router::new()).expect("service starts");
    let token = f.tokens[0].1.clone();
    let mut browser = Browser::launch(&f.dir).expect("chromium starts");
    browser
        .open(&f.service.url("/portal/sign-in"))
        .expect("the sign-in page loads");
    let token_js = serde_json::Value::String(token.clone());
    browser
        .evaluate(&format!(
            "document.querySelector('#token').value = {token_js}"
        ))
        .unwrap();
    browser.click("form.signin button[type=submit]").unwrap();
    let signed_in = browser
        .wait_until(
            "location.pathname === '/portal/sessions' && !!document.querySelector('form.signout')",
            Duration::from_secs(10),
        )
        .unwrap();
    let (html, _) = browser.dom().unwrap();
    assert!(signed_in, "the browser did not sign in:\n{html}");
    assert!(!html.contains(&token), "the token is on the page");

    browser.click("form.signout button").unwrap();
    let signed_out = browser
        .wait_until(
            "location.pathname === '/portal/sign-in'",
            Duration::from_secs(10),
        )
        .unwrap();
    let (html, _) = browser.dom().unwrap();
    assert!(signed_out, "the browser did not sign out:\n{html}");
    // The session is gone: the portal sends the browser to sign in again.
    browser.open(&f.service.url("/portal/sessions")).unwrap();
    assert!(
        browser
            .wait_until(
                "location.pathname === '/portal/sign-in'",
                Duration::from_secs(10)
            )
            .unwrap(),
        "still signed in after signing out"
    );
    let log = String::from_utf8_lossy(&f.log.contents()).into_owned();
    assert!(log.contains("POST /portal/sign-in 303"), "{log}");
    assert!(log.contains("POST /portal/sign-out 303"), "{log}");
    assert!(
        !log.contains("refused: not from the portal's origin"),
        "{log}"
    );
}

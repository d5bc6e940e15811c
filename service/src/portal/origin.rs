//! The portal's CSRF defence for the two forms that change who is signed
//! in (sign-in and sign-out): the POST must come from the service's own
//! pages. `SameSite=Strict` keeps the session cookie off another site's
//! requests, but the sign-in form needs no cookie, so another site could
//! post its own token into it and sign the victim's browser in as the
//! attacker (login CSRF). A browser names the page that posted a form in
//! `Origin` (the portal's `Referrer-Policy: same-origin` keeps it there
//! for its own forms; `no-referrer` would make it `null`), or in older
//! browsers only in `Referer`: one of them must name the origin of the
//! `Host` the request was sent to.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN, REFERER};

/// Whether a form POST with these headers was sent from this service's own
/// origin: `Origin` (or, absent, `Referer`) is `http://HOST` or
/// `https://HOST` for the request's `Host`. Nothing to compare (no `Host`,
/// or neither header, or `Origin: null`) is refused: the safe direction,
/// and every browser sends `Origin` on a form POST.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    if host.is_empty() {
        return false;
    }
    let ours = |origin: &str| {
        ["http://", "https://"].iter().any(|scheme| {
            origin
                .strip_prefix(scheme)
                .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
        })
    };
    if let Some(origin) = headers.get(ORIGIN) {
        return origin.to_str().is_ok_and(ours);
    }
    headers
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .is_some_and(|referer| {
            // The origin is what precedes the path (or the whole of a
            // referer without one).
            let after_scheme = referer.find("://").map_or(0, |i| i + 3);
            let end = referer[after_scheme..]
                .find(['/', '?', '#'])
                .map_or(referer.len(), |i| after_scheme + i);
            ours(&referer[..end])
        })
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::same_origin;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_the_services_own_origin_passes() {
        let host = ("host", "127.0.0.1:8080");
        for ok in [
            vec![host, ("origin", "http://127.0.0.1:8080")],
            vec![host, ("origin", "https://127.0.0.1:8080")],
            vec![host, ("referer", "http://127.0.0.1:8080/portal/sign-in")],
            vec![host, ("referer", "http://127.0.0.1:8080")],
            vec![host, ("referer", "http://127.0.0.1:8080?x=1")],
        ] {
            assert!(same_origin(&headers(&ok)), "{ok:?}");
        }
        for bad in [
            vec![host],
            vec![host, ("origin", "null")],
            vec![host, ("origin", "http://evil.example")],
            vec![host, ("origin", "http://127.0.0.1:8081")],
            vec![host, ("origin", "http://127.0.0.1:8080.evil.example")],
            vec![host, ("origin", "ftp://127.0.0.1:8080")],
            // Origin decides when present: a matching Referer does not
            // rescue a foreign Origin.
            vec![
                host,
                ("origin", "http://evil.example"),
                ("referer", "http://127.0.0.1:8080/portal/sign-in"),
            ],
            vec![host, ("referer", "http://127.0.0.1:8080.evil.example/")],
            vec![
                host,
                ("referer", "http://evil.example/http://127.0.0.1:8080"),
            ],
            vec![host, ("referer", "/portal/sign-in")],
            vec![("origin", "http://127.0.0.1:8080")],
            vec![("host", ""), ("origin", "http://")],
        ] {
            assert!(!same_origin(&headers(&bad)), "{bad:?}");
        }
    }
}

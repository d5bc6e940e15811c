//! The page's network traffic as the `DevTools` `Network` domain reports
//! it: every request's address, and every response's status line and
//! headers, kept until the browser reads its body, so the leak scan sees
//! each HTTP response the browser received (redirects included).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use serde_json::Value;

/// One HTTP response the browser received, as a scan reads it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The method, the address and the status.
    pub what: String,
    /// The status line, the headers and the body (empty for a redirect or
    /// a body the browser no longer holds: see [`Captured::body_missing`]).
    pub raw: Vec<u8>,
    /// Why the body could not be read, if it could not.
    pub body_missing: Option<String>,
}

/// A request in flight: its method and address, and the response's head
/// once it came.
#[derive(Debug, Clone)]
pub(super) struct Request {
    method: String,
    url: String,
    head: Option<(u16, Vec<u8>)>,
}

impl Request {
    /// The response as captured so far, with `body` appended.
    pub(super) fn capture(&self, body: &[u8], body_missing: Option<String>) -> Captured {
        let (status, mut raw) = self.head.clone().unwrap_or((0, Vec::new()));
        raw.extend_from_slice(body);
        Captured {
            what: format!("{} {} ({status})", self.method, self.url),
            raw,
            body_missing,
        }
    }

    /// Whether a response (not only a failure) came.
    pub(super) fn answered(&self) -> bool {
        self.head.is_some()
    }
}

/// The traffic of the page since the last [`Network::take`].
#[derive(Debug, Default)]
pub(super) struct Network {
    in_flight: HashMap<String, Request>,
    /// Finished requests whose body is still to be read, by request id.
    pub(super) finished: Vec<(String, Request)>,
    /// Responses complete without a body (redirects).
    pub(super) complete: Vec<Captured>,
    /// Every address requested, in order, for the whole run.
    pub(super) urls: Vec<String>,
    /// Requests that failed (an address the resolver rules refuse, say).
    pub(super) failures: Vec<String>,
    /// When the last network event came.
    pub(super) last_event: Option<Instant>,
}

impl Network {
    /// Whether no request is in flight.
    pub(super) fn idle(&self) -> bool {
        self.in_flight.is_empty()
    }

    /// Handles the event `Network.{name}`.
    pub(super) fn event(&mut self, name: &str, params: &Value) {
        self.last_event = Some(Instant::now());
        let Some(id) = params["requestId"].as_str() else {
            return;
        };
        match name {
            "requestWillBeSent" => {
                // A redirect reuses the request id: the redirect response
                // is complete (it has no body) and a new request starts.
                if let Some(previous) = self.in_flight.remove(id) {
                    let mut redirected = previous;
                    redirected.head = Some(head(&params["redirectResponse"]));
                    self.complete.push(redirected.capture(b"", None));
                }
                let url = params["request"]["url"].as_str().unwrap_or("").to_owned();
                self.urls.push(url.clone());
                self.in_flight.insert(
                    id.to_owned(),
                    Request {
                        method: params["request"]["method"]
                            .as_str()
                            .unwrap_or("GET")
                            .to_owned(),
                        url,
                        head: None,
                    },
                );
            }
            "responseReceived" => {
                if let Some(request) = self.in_flight.get_mut(id) {
                    request.head = Some(head(&params["response"]));
                }
            }
            "loadingFinished" => {
                if let Some(request) = self.in_flight.remove(id) {
                    self.finished.push((id.to_owned(), request));
                }
            }
            "loadingFailed" => {
                if let Some(request) = self.in_flight.remove(id) {
                    let error = params["errorText"].as_str().unwrap_or("failed");
                    self.failures.push(format!("{}: {error}", request.url));
                    if request.answered() {
                        self.finished.push((id.to_owned(), request));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The status line and headers of a `DevTools` `Response` object.
fn head(response: &Value) -> (u16, Vec<u8>) {
    let status = response["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    let mut text = format!(
        "HTTP/1.1 {status} {}\r\n",
        response["statusText"].as_str().unwrap_or("")
    );
    if let Some(headers) = response["headers"].as_object() {
        for (name, value) in headers {
            // Repeated headers come joined by newlines.
            for line in value.as_str().unwrap_or("").split('\n') {
                let _ = write!(text, "{name}: {line}\r\n");
            }
        }
    }
    text.push_str("\r\n");
    (status, text.into_bytes())
}

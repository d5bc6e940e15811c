//! One `DevTools` protocol connection: JSON commands and their results over
//! a blocking WebSocket to Chromium on loopback, and the events that
//! arrive in between, handed to the network capture and counted as page
//! loads as they come (no event is queued and forgotten).

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use super::network::Network;

/// How long one command may take (a full-page screenshot of a tall page
/// is the slowest).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The connection, its page session, and what its events told so far.
#[derive(Debug)]
pub(super) struct Cdp {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// The flattened session of the one page target, once attached.
    pub(super) session: Option<String>,
    /// `Page.loadEventFired` events seen so far.
    pub(super) loads: u64,
    /// Every response the page received.
    pub(super) network: Network,
}

impl Cdp {
    /// Connects to `ws://{addr}{path}` (the browser endpoint
    /// `DevToolsActivePort` names).
    pub(super) fn connect(addr: SocketAddr, path: &str) -> io::Result<Cdp> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        stream.set_nodelay(true)?;
        // A screenshot of a long page is one message of megabytes.
        let config = WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let (ws, _) = tungstenite::client::client_with_config(
            format!("ws://{addr}{path}"),
            stream,
            Some(config),
        )
        .map_err(|e| io::Error::other(format!("DevTools handshake: {e}")))?;
        Ok(Cdp {
            ws,
            next_id: 0,
            session: None,
            loads: 0,
            network: Network::default(),
        })
    }

    /// Sends `method` to the page session (the browser before one is
    /// attached) and waits for its result; an error result is an error.
    pub(super) fn call(&mut self, method: &str, params: &Value) -> io::Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = &self.session {
            message["sessionId"] = Value::String(session.clone());
        }
        self.ws
            .send(Message::text(message.to_string()))
            .map_err(ws_error)?;
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let Some(reply) = self.receive(deadline)? else {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("DevTools did not answer {method} within {CALL_TIMEOUT:?}"),
                ));
            };
            if reply["id"].as_u64() != Some(id) {
                continue;
            }
            if let Some(error) = reply.get("error") {
                return Err(io::Error::other(format!(
                    "{method}: {}",
                    error["message"].as_str().unwrap_or("DevTools error")
                )));
            }
            return Ok(reply["result"].clone());
        }
    }

    /// Handles events until `done` holds or `deadline` passes; whether it
    /// held. Checks `done` at least every 100 ms (it may depend on time).
    pub(super) fn wait(
        &mut self,
        deadline: Instant,
        mut done: impl FnMut(&Cdp) -> bool,
    ) -> io::Result<bool> {
        loop {
            if done(self) {
                return Ok(true);
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            self.receive(deadline.min(now + Duration::from_millis(100)))?;
        }
    }

    /// The next message before `deadline` (`None`: none came), after
    /// handing an event to its handler.
    fn receive(&mut self, deadline: Instant) -> io::Result<Option<Value>> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            // Short reads, so a quiet browser returns control by the
            // deadline; tungstenite keeps a partly read frame buffered.
            self.ws
                .get_mut()
                .set_read_timeout(Some(left.min(Duration::from_millis(100))))?;
            let text = match self.ws.read() {
                Ok(Message::Text(text)) => text,
                Ok(Message::Close(_)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "chromium closed the DevTools connection",
                    ));
                }
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(ws_error(e)),
            };
            let message: Value = serde_json::from_str(text.as_str())
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            if let Some(method) = message["method"].as_str() {
                self.event(method, &message["params"]);
            }
            return Ok(Some(message));
        }
    }

    fn event(&mut self, method: &str, params: &Value) {
        if method == "Page.loadEventFired" {
            self.loads += 1;
        } else if let Some(name) = method.strip_prefix("Network.") {
            self.network.event(name, params);
        }
    }
}

fn ws_error(e: tungstenite::Error) -> io::Error {
    match e {
        tungstenite::Error::Io(e) => e,
        other => io::Error::other(format!("DevTools connection: {other}")),
    }
}

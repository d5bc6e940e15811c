//! The blocking HTTP client of the HTTP root keys (transit, AWS KMS): one
//! `POST` of a JSON body, the status and the body back, every failure a
//! [`BackendError`] with a fixed text.
//!
//! What it never does: follow a redirect (a redirect could carry the
//! credentials elsewhere), use a proxy from the environment (the provider's
//! address is the one the caller gave), or keep a response body beyond the
//! reply (the body may hold unwrapped material: it is zeroized on drop, and
//! no error carries any of it). ureq logs headers only from its allow-list
//! of non-sensitive ones, so the token and the signature never reach a log.

use std::time::Duration;

use zeroize::Zeroizing;

use crate::ring::backend::{BackendError, BackendErrorKind};

/// The largest response body read: a provider's answer is a few hundred
/// bytes; anything larger is refused, not buffered.
const MAX_BODY: u64 = 64 * 1024;

/// A provider's answer: its status and its body (zeroized on drop).
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Zeroizing<Vec<u8>>,
}

/// One agent per root key: it keeps the provider's connection alive.
pub(crate) struct HttpClient {
    agent: ureq::Agent,
}

impl HttpClient {
    /// A client whose every request gives up after `timeout`.
    pub(crate) fn new(timeout: Duration) -> HttpClient {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .build();
        HttpClient {
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// `GET`s `url` with `headers`; failures as for [`HttpClient::post`].
    #[cfg_attr(not(feature = "root-transit"), allow(dead_code))]
    pub(crate) fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Reply, BackendError> {
        let mut request = self.agent.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.call())
    }

    /// `POST`s `body` to `url` with `headers`. A transport failure (refused
    /// connection, timeout, malformed answer) is `Unavailable`; any status
    /// is returned for the caller to classify.
    pub(crate) fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Reply, BackendError> {
        let mut request = self.agent.post(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.send(body))
    }
}

/// The status and the body of `response`, read up to [`MAX_BODY`].
fn read(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Reply, BackendError> {
    let unreachable = |_| {
        BackendError::new(
            BackendErrorKind::Unavailable,
            "root key provider unreachable",
        )
    };
    let mut response = response.map_err(unreachable)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(unreachable)?;
    Ok(Reply {
        status,
        body: Zeroizing::new(body),
    })
}

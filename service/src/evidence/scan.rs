//! The leak scan of a walkthrough: every page's DOM and HTML, every HTTP
//! response and the service's log, each searched for every canary (the
//! root key's and every issued key version's) in every encoding the
//! detector knows.

use key_model::testing::CanaryKeys;

/// Running totals and the leaks found.
#[derive(Debug)]
pub struct Scan {
    canaries: CanaryKeys,
    /// Pages scanned (DOM and HTML of one visit count once).
    pub pages: usize,
    /// HTTP responses scanned: the walkthrough's own calls and the
    /// browser's.
    pub responses: usize,
    /// Of those, the responses the browser received.
    pub browser_responses: usize,
    /// Other outputs scanned (the log).
    pub other: usize,
    /// Bytes scanned.
    pub bytes: usize,
    /// Each leak: where, and what the detector said.
    pub leaks: Vec<String>,
}

/// What a scanned output is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A rendered page (its DOM or its HTML).
    Page,
    /// An HTTP response to the walkthrough's own client.
    Response,
    /// An HTTP response the browser received.
    Browser,
    /// Anything else (the log).
    Other,
}

impl Scan {
    /// A scan for `canaries`.
    pub fn new(canaries: CanaryKeys) -> Scan {
        Scan {
            canaries,
            pages: 0,
            responses: 0,
            browser_responses: 0,
            other: 0,
            bytes: 0,
            leaks: Vec::new(),
        }
    }

    /// How many canaries are searched for now.
    pub fn canaries(&self) -> usize {
        self.canaries.all().len()
    }

    /// Scans `output`, named `what`.
    pub fn scan(&mut self, kind: Kind, what: &str, output: &[u8]) {
        match kind {
            Kind::Page => self.pages += 1,
            Kind::Response => self.responses += 1,
            Kind::Browser => {
                self.responses += 1;
                self.browser_responses += 1;
            }
            Kind::Other => self.other += 1,
        }
        self.bytes += output.len();
        if let Some(leak) = self.canaries.find_leak(output) {
            self.leaks.push(format!("{what}: {leak}"));
        }
    }
}

//! Helpers shared by the leak-canary suites: a labelled collection of
//! outputs scanned for canaries at the end, a `tracing` subscriber that
//! writes into a buffer, panic capture through the panic hook, and the hex
//! rendering careless code would log a key in (to build deliberate leaks).

#![allow(dead_code, unreachable_pub)] // each test module uses a different subset

use std::fmt::{Debug, Display, Write as _};
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

use key_model::testing::{Canary, CanaryKeys, find_leak};

/// Everything one test produced, labelled, to be scanned at the end.
#[derive(Default)]
pub struct Outputs(Vec<(String, Vec<u8>)>);

impl Outputs {
    pub fn push(&mut self, label: impl Into<String>, output: impl Into<Vec<u8>>) {
        self.0.push((label.into(), output.into()));
    }

    /// `{:?}` and `{:#?}`.
    pub fn debug<T: Debug + ?Sized>(&mut self, label: &str, value: &T) {
        self.push(format!("{label} {{:?}}"), format!("{value:?}"));
        self.push(format!("{label} {{:#?}}"), format!("{value:#?}"));
    }

    /// `{:?}`, `{:#?}` and `Display`.
    pub fn debug_display<T: Debug + Display + ?Sized>(&mut self, label: &str, value: &T) {
        self.debug(label, value);
        self.push(format!("{label} Display"), value.to_string());
    }

    /// Compact and pretty JSON.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, label: &str, value: &T) {
        self.push(
            format!("{label} JSON"),
            serde_json::to_vec(value).expect("serializable"),
        );
        self.push(
            format!("{label} pretty JSON"),
            serde_json::to_vec_pretty(value).expect("serializable"),
        );
    }

    /// `{:?}`, `{:#?}` and JSON.
    pub fn debug_json<T: Debug + serde::Serialize + ?Sized>(&mut self, label: &str, value: &T) {
        self.debug(label, value);
        self.json(label, value);
    }

    /// `{:?}`, `{:#?}`, `Display` and JSON.
    pub fn all<T: Debug + Display + serde::Serialize + ?Sized>(&mut self, label: &str, value: &T) {
        self.debug_display(label, value);
        self.json(label, value);
    }

    /// The first output labelled `label`.
    pub fn get(&self, label: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, o)| o.as_slice())
    }

    /// Every output with its label.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.0.iter().map(|(l, o)| (l.as_str(), o.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The total size of the outputs, in bytes.
    pub fn bytes(&self) -> usize {
        self.0.iter().map(|(_, o)| o.len()).sum()
    }

    /// The first output that reveals a canary of `keys` or one of
    /// `others`, with its label and the leak.
    pub fn find_leak(&self, keys: &CanaryKeys, others: &[Canary]) -> Option<String> {
        // One list, scanned in one pass per output: `keys.all()` is the
        // root canary, then the issued ones in order.
        let issued = keys.issued();
        let mut all = keys.all();
        all.extend_from_slice(others);
        for (label, output) in &self.0 {
            if let Some((i, leak)) = find_leak(&all, output) {
                let whose = match i {
                    0 => "root key".to_owned(),
                    i if i <= issued.len() => issued[i - 1].0.to_string(),
                    i => format!("canary #{}", i - issued.len() - 1),
                };
                return Some(format!("{label}: {whose}: {leak}"));
            }
        }
        None
    }

    /// Scans every output for every canary of `keys` (the root key and
    /// every key version issued so far) and each of `others`; names the
    /// channel that leaked.
    #[track_caller]
    pub fn assert_clean(&self, keys: &CanaryKeys, others: &[Canary]) {
        assert!(!self.0.is_empty(), "no output was produced: nothing proven");
        assert!(
            !keys.issued().is_empty(),
            "the ring issued no canary: nothing proven"
        );
        if let Some(leak) = self.find_leak(keys, others) {
            panic!("{leak}");
        }
    }
}

impl Outputs {
    /// Scans every output for each of `canaries`, when there is no ring;
    /// names the channel that leaked.
    #[track_caller]
    pub fn assert_clean_of(&self, canaries: &[Canary]) {
        assert!(!self.0.is_empty(), "no output was produced: nothing proven");
        for (label, output) in &self.0 {
            if let Some((i, leak)) = find_leak(canaries, output) {
                panic!("{label}: canary #{i}: {leak}");
            }
        }
    }
}

/// A writer into a shared buffer, for a `tracing` subscriber.
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    pub fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `f` with a `tracing` subscriber that writes every event at every
/// level, with its spans and their fields, and every span's new, enter,
/// exit and close, into a buffer; returns `f`'s result and what was
/// written.
pub fn capture_tracing<T>(f: impl FnOnce() -> T) -> (T, Vec<u8>) {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let bytes = buffer.lock().clone();
    (out, bytes)
}

/// Runs `f` and returns the message the panic hook received if it
/// panicked (`None` if it did not).
///
/// The hook is process-wide: captures are serialized, and the hook keeps
/// only panics of the capturing thread, so a test panicking on another
/// thread meanwhile is neither swallowed nor mistaken for this one's.
pub fn capture_panic(f: impl FnOnce()) -> Option<String> {
    static HOOK: Mutex<()> = Mutex::new(());
    let _serial = HOOK.lock().unwrap_or_else(PoisonError::into_inner);
    let messages = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = Arc::clone(&messages);
    let me: ThreadId = thread::current().id();
    let previous = Arc::new(panic::take_hook());
    let fallback = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if thread::current().id() == me {
            let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = writeln!(sink, "{info}");
        } else {
            (*fallback)(info);
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    // The hook installed above holds a clone of `previous`; dropping it
    // here leaves the one reference to put back.
    drop(panic::take_hook());
    if let Ok(previous) = Arc::try_unwrap(previous) {
        panic::set_hook(previous);
    }
    let bytes = messages
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    result
        .is_err()
        .then(|| String::from_utf8_lossy(&bytes).into_owned())
}

/// `bytes` in lowercase hex (`{:02x}` per byte), as careless code would log
/// a key or a service would hold a token.
pub fn hex_lower(bytes: &[u8]) -> String {
    hex(bytes, false)
}

/// `bytes` in uppercase hex (`{:02X}` per byte).
pub fn hex_upper(bytes: &[u8]) -> String {
    hex(bytes, true)
}

fn hex(bytes: &[u8], upper: bool) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            // Writing into a `String` cannot fail.
            let _ = if upper {
                write!(s, "{b:02X}")
            } else {
                write!(s, "{b:02x}")
            };
            s
        })
}

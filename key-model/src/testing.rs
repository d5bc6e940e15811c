//! Leak canaries (feature `testing`, never needed in production).
//!
//! A [`Canary`] is key material with known bytes. Put canaries where real
//! keys would be, drive every output channel of a service (logs, events, API
//! responses, exports, panics), and scan what came out with
//! [`Canary::assert_no_leak`]. The detector finds the canary as raw bytes,
//! as lowercase or uppercase hex, as standard or URL-safe base64 (padded or
//! not, at each of the three byte alignments, so a canary inside a longer
//! encoded buffer is found too) and as a list of decimal numbers the way
//! `Debug` prints a byte array or slice (`[12, 34, ...]`, one per line in
//! `{:#?}`, or a JSON array), or a list of hex numbers (`{:x?}`, `{:02X?}`,
//! `{:#x?}`).
//!
//! ```
//! use key_model::testing::{Canary, Encoding};
//!
//! let canary = Canary::new(7);
//! let key = canary.key_material();
//! canary.assert_no_leak(format!("{key:?}")); // prints `KeyMaterial([REDACTED])`
//!
//! // A deliberate leak is found, with its encoding and offset.
//! let leaked = format!("token={:?}", canary.bytes());
//! let leak = canary.find_leak(&leaked).unwrap();
//! assert_eq!(leak.encoding(), Encoding::DecimalList);
//! assert_eq!(leak.offset(), 7);
//! ```
//!
//! A whole key ring can run on canaries: [`canary_ring`] (or
//! [`KeyRing::with_canary_keys`] over a store and root key of your choice)
//! gives every key version the ring generates, after any number of
//! rotations, canary material derived from a seed and the version's
//! reference, and its root key canary material too. [`CanaryKeys`] knows
//! them all and scans an output for every one:
//!
//! ```
//! use key_model::testing::canary_ring;
//! use key_model::{KeyName, TenantScope};
//!
//! let (ring, canaries) = canary_ring(42);
//! let acme = TenantScope::authorized_by_host("acme".parse()?);
//! let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
//! ring.create_key(&acme, &name)?;
//! ring.rotate(&acme, &name)?;
//! let sealed = ring.encrypt(&acme, &name, b"rows", b"")?;
//!
//! // Two versions issued, each with its canary; the root key has one too.
//! assert_eq!(canaries.issued().len(), 2);
//! canaries.assert_no_leak(format!("{ring:?} {sealed} {sealed:?}"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use crate::id::KeyRef;
use crate::material::{KEY_LEN, KeyMaterial};
use crate::ring::{KeyRing, MemoryKeyStore, MemoryRootKey};

/// Key material whose bytes the test knows, and the patterns that would
/// betray them in an output.
#[derive(Clone)]
pub struct Canary {
    bytes: [u8; KEY_LEN],
    /// Each encoding with the exact byte patterns that reveal the canary.
    patterns: Vec<(Encoding, Vec<u8>)>,
}

/// How a leaked canary was written in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// The bytes themselves.
    Raw,
    /// Lowercase hexadecimal (`{:02x}` per byte).
    HexLower,
    /// Uppercase hexadecimal (`{:02X}` per byte).
    HexUpper,
    /// Standard base64 (`+`, `/`), padded or not, at any byte alignment.
    Base64Standard,
    /// URL-safe base64 (`-`, `_`), padded or not, at any byte alignment.
    Base64UrlSafe,
    /// Decimal numbers separated by anything (`[12, 34]` from `Debug`, the
    /// same over several lines from `{:#?}`, a JSON array `[12,34]`).
    DecimalList,
    /// Hex numbers, either case, with or without a `0x` prefix, separated
    /// by anything (`[c, 22]` from `{:x?}`, `[0C, 22]` from `{:02X?}`,
    /// `0xc` per line from `{:#x?}`).
    HexList,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Raw => "raw bytes",
            Encoding::HexLower => "lowercase hex",
            Encoding::HexUpper => "uppercase hex",
            Encoding::Base64Standard => "standard base64",
            Encoding::Base64UrlSafe => "URL-safe base64",
            Encoding::DecimalList => "a list of decimal bytes",
            Encoding::HexList => "a list of hex bytes",
        })
    }
}

/// Where and how a canary was found in an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leak {
    encoding: Encoding,
    offset: usize,
}

impl Leak {
    /// How the canary was written.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The byte offset in the output where the leaked form starts.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for Leak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key material leaked as {} at byte offset {}",
            self.encoding, self.offset
        )
    }
}

impl Canary {
    /// The canary for `seed`: 32 bytes that look random (so no encoding
    /// favours them) and are the same on every run. Different seeds give
    /// different canaries.
    pub fn new(seed: u64) -> Canary {
        // splitmix64: a well-known, well-mixed sequence; the bytes need to be
        // reproducible and unlikely to occur by chance, not secret.
        let mut state = seed ^ 0x6b65_792d_6d6f_6465; // "key-mode"
        let mut bytes = [0u8; KEY_LEN];
        for chunk in bytes.chunks_mut(8) {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes());
        }
        Canary::from_bytes(bytes)
    }

    /// The canary with exactly these bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Canary {
        let mut patterns = vec![
            (Encoding::Raw, bytes.to_vec()),
            (Encoding::HexLower, hex(&bytes, b"0123456789abcdef")),
            (Encoding::HexUpper, hex(&bytes, b"0123456789ABCDEF")),
        ];
        for align in 0..3 {
            patterns.push((
                Encoding::Base64Standard,
                base64_core(&bytes, align, &STANDARD_NO_PAD),
            ));
            patterns.push((
                Encoding::Base64UrlSafe,
                base64_core(&bytes, align, &URL_SAFE_NO_PAD),
            ));
        }
        Canary { bytes, patterns }
    }

    /// The canary's bytes, for building a deliberate leak in a detector test.
    pub fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// Key material holding the canary's bytes.
    pub fn key_material(&self) -> KeyMaterial {
        KeyMaterial::from_array(self.bytes)
    }

    /// The first place `output` reveals the canary, if any.
    pub fn find_leak(&self, output: impl AsRef<[u8]>) -> Option<Leak> {
        scan(&[self], output.as_ref()).map(|(_, leak)| leak)
    }

    /// Checks that `output` does not reveal the canary.
    ///
    /// # Panics
    ///
    /// If it does, saying in which encoding and at which offset.
    #[track_caller]
    pub fn assert_no_leak(&self, output: impl AsRef<[u8]>) {
        if let Some(leak) = self.find_leak(output) {
            panic!("{leak}");
        }
    }
}

impl fmt::Debug for Canary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A canary printed into a scanned output must not report itself.
        f.write_str("Canary([REDACTED])")
    }
}

/// The first of `canaries` (in order) that `output` reveals, with its index
/// and the leak. One pass over the output for all of them: cheaper than
/// asking each canary in turn.
///
/// ```
/// use key_model::testing::{Canary, find_leak};
///
/// let canaries = [Canary::new(1), Canary::new(2)];
/// let output = format!("key {:?}", canaries[1].bytes());
/// let (index, leak) = find_leak(&canaries, &output).unwrap();
/// assert_eq!((index, leak.offset()), (1, 5));
/// assert!(find_leak(&canaries, "clean").is_none());
/// ```
pub fn find_leak(canaries: &[Canary], output: impl AsRef<[u8]>) -> Option<(usize, Leak)> {
    let canaries: Vec<&Canary> = canaries.iter().collect();
    scan(&canaries, output.as_ref())
}

/// Checks that `output` reveals none of `canaries`.
///
/// # Panics
///
/// If it reveals one, saying in which encoding and at which offset.
#[track_caller]
pub fn assert_no_leak(canaries: &[Canary], output: impl AsRef<[u8]>) {
    let canaries: Vec<&Canary> = canaries.iter().collect();
    if let Some((_, leak)) = scan(&canaries, output.as_ref()) {
        panic!("{leak}");
    }
}

/// The first of `canaries` (in order) that `output` reveals, and the leak:
/// for that canary, the first of its encodings (in the order of
/// `Canary::patterns`, then decimal lists, then hex lists) found, at its
/// first offset.
///
/// One pass over `output` serves every pattern of every canary: a bitmap
/// of the patterns' first two bytes skips, in a few operations, the
/// positions where none can start. Test builds are unoptimized, and
/// scanning megabytes of output for tens of canaries one pattern at a
/// time would dominate a property test's run time.
fn scan(canaries: &[&Canary], output: &[u8]) -> Option<(usize, Leak)> {
    // (canary index, encoding, pattern), in priority order.
    let patterns: Vec<(usize, Encoding, &[u8])> = canaries
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.patterns.iter().map(move |(e, p)| (i, *e, p.as_slice())))
        .collect();
    let mut starts = vec![0u64; 1 << 10]; // one bit per two-byte prefix
    for (_, _, pattern) in &patterns {
        if let [a, b, ..] = pattern {
            let k = usize::from(*a) << 8 | usize::from(*b);
            starts[k >> 6] |= 1 << (k & 63);
        }
    }
    let mut first: Vec<Option<usize>> = vec![None; patterns.len()];
    for (offset, pair) in output.windows(2).enumerate() {
        let k = usize::from(pair[0]) << 8 | usize::from(pair[1]);
        if starts[k >> 6] & (1 << (k & 63)) == 0 {
            continue;
        }
        let rest = &output[offset..];
        for (found, (_, _, pattern)) in first.iter_mut().zip(&patterns) {
            if found.is_none() && rest.starts_with(pattern) {
                *found = Some(offset);
            }
        }
    }
    let decimal = numbers(output, &DECIMAL, false);
    let hexadecimal = numbers(output, &HEX, true);
    canaries.iter().enumerate().find_map(|(i, canary)| {
        patterns
            .iter()
            .zip(&first)
            .find_map(|((c, encoding, _), found)| {
                (*c == i).then_some(*found).flatten().map(|offset| Leak {
                    encoding: *encoding,
                    offset,
                })
            })
            .or_else(|| {
                find_list(&decimal, &canary.bytes).map(|offset| Leak {
                    encoding: Encoding::DecimalList,
                    offset,
                })
            })
            .or_else(|| {
                find_list(&hexadecimal, &canary.bytes).map(|offset| Leak {
                    encoding: Encoding::HexList,
                    offset,
                })
            })
            .map(|leak| (i, leak))
    })
}

fn hex(bytes: &[u8], digits: &[u8; 16]) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|b| [digits[usize::from(b >> 4)], digits[usize::from(b & 0xf)]])
        .collect()
}

/// The base64 characters that depend on the canary's bytes alone when the
/// canary starts `align` bytes into a 3-byte group: whatever comes before or
/// after it in a longer buffer, these characters appear verbatim in its
/// encoding (padded or not, since padding only follows the last group).
fn base64_core(bytes: &[u8], align: usize, engine: &base64::engine::GeneralPurpose) -> Vec<u8> {
    let mut shifted = vec![0u8; align];
    shifted.extend_from_slice(bytes);
    let encoded = engine.encode(&shifted).into_bytes();
    let start_bit = 8 * align;
    let end_bit = start_bit + 8 * bytes.len();
    // Character j covers bits [6j, 6j + 6): keep those inside the canary.
    let first = start_bit.div_ceil(6);
    let last = end_bit / 6; // exclusive
    encoded[first..last].to_vec()
}

/// Digit values of each byte in base `radix` (up to 16), `NOT_A_DIGIT`
/// for the others: a table lookup per byte keeps the scan fast in the
/// unoptimized builds tests run in.
#[allow(clippy::cast_possible_truncation)] // `b` < 256
const fn digits(radix: u8) -> [u8; 256] {
    let mut table = [NOT_A_DIGIT; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let value = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => NOT_A_DIGIT,
        };
        if value < radix {
            table[b] = value;
        }
        b += 1;
    }
    table
}

const NOT_A_DIGIT: u8 = 0xff;
static DECIMAL: [u8; 256] = digits(10);
static HEX: [u8; 256] = digits(16);

/// The offset and value of every maximal run of digits (per `table`) in
/// `output`; with `hex`, a `0x` or `0X` before a digit is part of the
/// number. A run too large for a byte has no value, and breaks any list it
/// is in.
fn numbers(output: &[u8], table: &[u8; 256], hex: bool) -> Vec<(usize, Option<u8>)> {
    let base: u32 = if hex { 16 } else { 10 };
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < output.len() {
        if table[usize::from(output[i])] == NOT_A_DIGIT {
            i += 1;
            continue;
        }
        let start = i;
        if hex
            && output[i] == b'0'
            && matches!(output.get(i + 1), Some(b'x' | b'X'))
            && output
                .get(i + 2)
                .is_some_and(|b| table[usize::from(*b)] != NOT_A_DIGIT)
        {
            i += 2;
        }
        let mut value: u32 = 0;
        while let Some(&b) = output.get(i) {
            let d = table[usize::from(b)];
            if d == NOT_A_DIGIT {
                break;
            }
            value = value.saturating_mul(base).saturating_add(u32::from(d));
            i += 1;
        }
        numbers.push((start, u8::try_from(value).ok()));
    }
    numbers
}

/// Finds `bytes` as consecutive numbers of `numbers` (whatever separated
/// them in the output).
fn find_list(numbers: &[(usize, Option<u8>)], bytes: &[u8]) -> Option<usize> {
    numbers
        .windows(bytes.len())
        .find(|w| w.iter().zip(bytes).all(|((_, v), b)| *v == Some(*b)))
        .map(|w| w[0].0)
}

/// The canary material of a key ring: one canary for its root key, and one
/// for each key version it generates, derived from a seed and the version's
/// reference, so the same seed gives the same canaries on every run.
///
/// A ring made with [`KeyRing::with_canary_keys`] (or [`canary_ring`])
/// asks it for the material of every new version instead of the operating
/// system's random source, and it keeps a list of what it issued. Clones
/// share that list: keep one, give the ring another.
///
/// ```
/// use key_model::testing::CanaryKeys;
/// use key_model::ring::MemoryKeyStore;
/// use key_model::{KeyName, KeyRing, TenantScope};
///
/// let canaries = CanaryKeys::new(7);
/// let ring = KeyRing::with_canary_keys(MemoryKeyStore::new(), canaries.root_key(), &canaries);
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// let v1 = ring.create_key(&acme, &name)?.key_ref().clone();
///
/// let (issued_ref, issued) = &canaries.issued()[0];
/// assert_eq!(issued_ref, &v1);
/// assert_eq!(issued.bytes(), canaries.canary_for(&v1).bytes());
///
/// // A deliberate leak names the key whose material leaked.
/// let leak = canaries.find_leak(format!("{:?}", issued.bytes())).unwrap();
/// assert_eq!(leak.key(), &key_model::testing::LeakedKey::Version(v1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CanaryKeys {
    inner: Arc<CanaryKeysInner>,
}

struct CanaryKeysInner {
    seed: u64,
    root: Canary,
    issued: Mutex<Vec<(KeyRef, Canary)>>,
}

/// Which key's canary a [`CanaryKeys`] scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeakedKey {
    /// The root key's.
    Root,
    /// The material of this key version.
    Version(KeyRef),
}

/// A leak found by [`CanaryKeys::find_leak`]: whose material, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLeak {
    key: LeakedKey,
    leak: Leak,
}

impl KeyLeak {
    /// Whose material leaked.
    pub fn key(&self) -> &LeakedKey {
        &self.key
    }

    /// How and where.
    pub fn leak(&self) -> Leak {
        self.leak
    }
}

impl fmt::Display for KeyLeak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            LeakedKey::Root => write!(f, "root key: {}", self.leak),
            LeakedKey::Version(key_ref) => write!(f, "{key_ref}: {}", self.leak),
        }
    }
}

/// The 64-bit FNV-1a hash: a fixed, dependency-free way to turn a key
/// reference into a seed (reproducible across runs and platforms, which
/// `std`'s hasher does not promise).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl CanaryKeys {
    /// The canary material for `seed`. Different seeds give different
    /// canaries, for the root key and for every reference.
    pub fn new(seed: u64) -> CanaryKeys {
        CanaryKeys {
            inner: Arc::new(CanaryKeysInner {
                seed,
                // The root's canary is derived like a version's, from a
                // name no key reference can have (references have no
                // spaces), so it never equals one of them.
                root: Canary::new(seed ^ fnv1a(b"root key")),
                issued: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The seed these canaries derive from.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// The root key's canary.
    pub fn root(&self) -> &Canary {
        &self.inner.root
    }

    /// A [`MemoryRootKey`] whose key is the root canary: material it wraps
    /// is encrypted under bytes the test knows, and must not show them.
    pub fn root_key(&self) -> MemoryRootKey {
        MemoryRootKey::from_material(self.inner.root.key_material())
    }

    /// The canary of `key_ref`, whether or not a ring has generated it yet.
    pub fn canary_for(&self, key_ref: &KeyRef) -> Canary {
        Canary::new(self.inner.seed ^ fnv1a(key_ref.to_string().as_bytes()))
    }

    /// Every key version the rings using these canaries have generated, in
    /// the order they were generated, with its canary.
    pub fn issued(&self) -> Vec<(KeyRef, Canary)> {
        self.lock().clone()
    }

    /// The root canary and every issued one, for [`assert_no_leak`].
    pub fn all(&self) -> Vec<Canary> {
        let mut all = vec![self.inner.root.clone()];
        all.extend(self.lock().iter().map(|(_, c)| c.clone()));
        all
    }

    /// The first place `output` reveals the root canary or an issued one.
    pub fn find_leak(&self, output: impl AsRef<[u8]>) -> Option<KeyLeak> {
        let issued = self.lock();
        let mut canaries = vec![&self.inner.root];
        canaries.extend(issued.iter().map(|(_, c)| c));
        let (i, leak) = scan(&canaries, output.as_ref())?;
        let key = match i.checked_sub(1) {
            None => LeakedKey::Root,
            Some(v) => LeakedKey::Version(issued.get(v)?.0.clone()),
        };
        Some(KeyLeak { key, leak })
    }

    /// Checks that `output` reveals neither the root canary nor an issued
    /// one.
    ///
    /// # Panics
    ///
    /// If it does, naming the key, the encoding and the offset.
    #[track_caller]
    pub fn assert_no_leak(&self, output: impl AsRef<[u8]>) {
        if let Some(leak) = self.find_leak(output) {
            panic!("{leak}");
        }
    }

    /// The material of a new version `key_ref`, recorded as issued. Called
    /// by the key ring, at its one point of key generation.
    pub(crate) fn issue(&self, key_ref: &KeyRef) -> KeyMaterial {
        let canary = self.canary_for(key_ref);
        let material = canary.key_material();
        let mut issued = self.lock();
        // A ring whose store refused a save generates the same version
        // again; the canary is the same, and listed once.
        if !issued.iter().any(|(r, _)| r == key_ref) {
            issued.push((key_ref.clone(), canary));
        }
        material
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(KeyRef, Canary)>> {
        // Pushing one element leaves the list whole even if a holder
        // panicked: reading on is safe.
        self.inner
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for CanaryKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // References only: a debug print of the canaries in a scanned
        // output must not report itself.
        let issued: Vec<String> = self.lock().iter().map(|(r, _)| r.to_string()).collect();
        f.debug_struct("CanaryKeys")
            .field("seed", &self.inner.seed)
            .field("issued", &issued)
            .finish_non_exhaustive()
    }
}

/// A key ring in memory whose root key and generated keys are canaries
/// (see [`CanaryKeys`]), and the canaries.
///
/// ```
/// use key_model::testing::canary_ring;
/// use key_model::{KeyName, TenantScope};
///
/// let (ring, canaries) = canary_ring(1);
/// let acme = TenantScope::authorized_by_host("acme".parse()?);
/// let name: KeyName = "tenants/acme/keys/audit-export".parse()?;
/// ring.create_key(&acme, &name)?;
/// let refused = ring.create_key(&acme, &name).unwrap_err();
/// canaries.assert_no_leak(format!("{refused} {refused:?} {ring:#?}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn canary_ring(seed: u64) -> (KeyRing, CanaryKeys) {
    let canaries = CanaryKeys::new(seed);
    let ring = KeyRing::with_canary_keys(MemoryKeyStore::new(), canaries.root_key(), &canaries);
    (ring, canaries)
}

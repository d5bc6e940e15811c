//! Canaries: key material whose bytes a test knows, the patterns that would
//! betray them in an output, and the detector that looks for them.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use secrecy::SecretBox;

use crate::model::material::{KEY_LEN, KeyMaterial};

/// Key material whose bytes the test knows, and the patterns that would
/// betray them in an output.
#[derive(Clone)]
pub struct Canary {
    pub(super) bytes: [u8; KEY_LEN],
    /// Each encoding with the exact byte patterns that reveal the canary.
    pub(super) patterns: Vec<(Encoding, Vec<u8>)>,
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
    pub(super) encoding: Encoding,
    pub(super) offset: usize,
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
        let bytes = self.bytes;
        KeyMaterial::from_secret(SecretBox::init_with_mut(|b: &mut [u8; KEY_LEN]| {
            *b = bytes;
        }))
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

// ---- the detector ------------------------------------------------------

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
pub(super) fn scan(canaries: &[&Canary], output: &[u8]) -> Option<(usize, Leak)> {
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

//! Self-tests of the leak detector: for every encoding it claims to cover, a
//! deliberately leaking output is caught, with the right encoding and
//! offset. A detector that cannot fail proves nothing.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use key_model::testing::{Canary, Encoding, assert_no_leak};
use proptest::prelude::*;

fn canary() -> Canary {
    Canary::new(42)
}

fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[test]
fn clean_output_passes() {
    let canary = canary();
    canary.assert_no_leak("nothing to see here");
    canary.assert_no_leak(format!("{:?}", canary.key_material()));
    canary.assert_no_leak(format!("{canary:?}"));
    // Another canary's bytes are not this canary.
    canary.assert_no_leak(format!("{:?}", Canary::new(43).bytes()));
    canary.assert_no_leak(b"");
}

#[test]
fn raw_bytes_are_found() {
    let canary = canary();
    let mut output = b"prefix:".to_vec();
    output.extend_from_slice(canary.bytes());
    output.extend_from_slice(b":suffix");
    let leak = canary.find_leak(&output).expect("raw leak");
    assert_eq!((leak.encoding(), leak.offset()), (Encoding::Raw, 7));
}

#[test]
fn hex_is_found_in_both_cases() {
    let canary = canary();
    let lower = format!("key={}", hex_lower(canary.bytes()));
    let leak = canary.find_leak(&lower).expect("lowercase hex leak");
    assert_eq!((leak.encoding(), leak.offset()), (Encoding::HexLower, 4));

    let upper = format!("KEY {}", hex_lower(canary.bytes()).to_uppercase());
    let leak = canary.find_leak(&upper).expect("uppercase hex leak");
    assert_eq!((leak.encoding(), leak.offset()), (Encoding::HexUpper, 4));
}

#[test]
fn base64_is_found_in_every_alphabet_padding_and_alignment() {
    let canary = canary();
    let engines = [
        (&STANDARD, Encoding::Base64Standard),
        (&STANDARD_NO_PAD, Encoding::Base64Standard),
        (&URL_SAFE, Encoding::Base64UrlSafe),
        (&URL_SAFE_NO_PAD, Encoding::Base64UrlSafe),
    ];
    let mut checked = 0;
    for (engine, encoding) in engines {
        for prefix_len in 0..6 {
            for suffix_len in 0..4 {
                let mut buffer = vec![0xA5; prefix_len];
                buffer.extend_from_slice(canary.bytes());
                buffer.extend(std::iter::repeat_n(0x5A, suffix_len));
                let output = format!("blob={}", engine.encode(&buffer));
                let leak = canary
                    .find_leak(&output)
                    .unwrap_or_else(|| panic!("missed {encoding} at prefix {prefix_len}"));
                // Both alphabets agree on most characters; the point is that
                // it is found. Where they differ, the right one is named.
                assert!(
                    matches!(
                        leak.encoding(),
                        Encoding::Base64Standard | Encoding::Base64UrlSafe
                    ),
                    "{leak}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 96);
}

#[test]
fn decimal_lists_are_found_as_debug_prints_them() {
    let canary = canary();
    let compact = format!("Key {{ bytes: {:?} }}", canary.bytes());
    let leak = canary.find_leak(&compact).expect("{:?} leak");
    assert_eq!(
        (leak.encoding(), leak.offset()),
        (Encoding::DecimalList, 14)
    );

    let pretty = format!("{:#?}", canary.bytes().to_vec());
    assert_eq!(
        canary.find_leak(&pretty).map(|l| l.encoding()),
        Some(Encoding::DecimalList)
    );

    let json = serde_json::to_string(canary.bytes()).unwrap();
    assert_eq!(
        canary.find_leak(&json).map(|l| l.encoding()),
        Some(Encoding::DecimalList)
    );
}

#[test]
fn a_partial_list_is_not_reported_as_the_canary() {
    let canary = canary();
    let partial = format!("{:?}", &canary.bytes()[..31]);
    assert_eq!(canary.find_leak(&partial), None);
}

#[test]
#[should_panic(expected = "key material leaked as lowercase hex at byte offset 0")]
fn assert_no_leak_panics_with_the_encoding_and_offset() {
    let canary = canary();
    assert_no_leak(
        &[Canary::new(1), canary],
        hex_lower(Canary::new(42).bytes()),
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever surrounds it, a canary inside a base64-encoded buffer is found.
    #[test]
    fn base64_of_any_surrounding_buffer_is_caught(
        seed in any::<u64>(),
        prefix in prop::collection::vec(any::<u8>(), 0..40),
        suffix in prop::collection::vec(any::<u8>(), 0..40),
        url_safe in any::<bool>(),
        padded in any::<bool>(),
    ) {
        let canary = Canary::new(seed);
        let mut buffer = prefix;
        buffer.extend_from_slice(canary.bytes());
        buffer.extend_from_slice(&suffix);
        let text = match (url_safe, padded) {
            (false, true) => STANDARD.encode(&buffer),
            (false, false) => STANDARD_NO_PAD.encode(&buffer),
            (true, true) => URL_SAFE.encode(&buffer),
            (true, false) => URL_SAFE_NO_PAD.encode(&buffer),
        };
        prop_assert!(canary.find_leak(&text).is_some());
    }

    /// Random text does not trip the detector.
    #[test]
    fn random_output_is_clean(seed in any::<u64>(), noise in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert_eq!(Canary::new(seed).find_leak(&noise), None);
    }
}

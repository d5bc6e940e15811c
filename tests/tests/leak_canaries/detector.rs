//! Self-tests of the leak detector: for every encoding it claims to cover, a
//! deliberately leaking output is caught, with the right encoding and
//! offset. A detector that cannot fail proves nothing.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use key_model::testing::{Canary, Encoding, assert_no_leak};
use proptest::prelude::*;

use crate::support::hex_lower;

fn canary() -> Canary {
    Canary::new(42)
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

/// One leak among many canaries, in each encoding, at any position: the
/// one-pass scan finds it and names the canary (`CanaryKeys` scans the root
/// key's canary and every issued one at once).
fn encode(bytes: &[u8], how: u8) -> Vec<u8> {
    match how % 10 {
        7 => format!("{bytes:x?}").into_bytes(),
        8 => format!("{bytes:02X?}").into_bytes(),
        9 => format!("{bytes:#x?}").into_bytes(),
        0 => bytes.to_vec(),
        1 => hex_lower(bytes).into_bytes(),
        2 => hex_lower(bytes).to_uppercase().into_bytes(),
        3 => STANDARD.encode(bytes).into_bytes(),
        4 => URL_SAFE_NO_PAD.encode(bytes).into_bytes(),
        5 => format!("{bytes:?}").into_bytes(),
        _ => format!("{bytes:#?}").into_bytes(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_leak_among_many_canaries_is_found_and_attributed(
        seeds in prop::collection::hash_set(any::<u64>(), 1..12),
        pick in any::<prop::sample::Index>(),
        how in any::<u8>(),
        prefix in prop::collection::vec(any::<u8>(), 0..64),
        suffix in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let canaries: Vec<Canary> = seeds.into_iter().map(Canary::new).collect();
        let leaked = pick.index(canaries.len());
        let mut output = prefix;
        output.extend(encode(canaries[leaked].bytes(), how));
        output.extend_from_slice(&suffix);
        for (i, canary) in canaries.iter().enumerate() {
            prop_assert_eq!(canary.find_leak(&output).is_some(), i == leaked);
        }
        let caught = std::panic::catch_unwind(|| assert_no_leak(&canaries, &output));
        prop_assert!(caught.is_err());
    }
}

#[test]
fn canary_keys_name_the_key_that_leaked() {
    use key_model::testing::{LeakedKey, canary_ring};
    use key_model::{KeyName, TenantScope};

    let (ring, canaries) = canary_ring(5);
    let acme = TenantScope::authorized_by_host("acme".parse().unwrap());
    let name: KeyName = "tenants/acme/keys/audit-export".parse().unwrap();
    ring.create_key(&acme, &name).unwrap();
    for _ in 0..4 {
        ring.rotate(&acme, &name).unwrap();
    }
    let mut expected = vec![(LeakedKey::Root, canaries.root().clone())];
    expected.extend(
        canaries
            .issued()
            .into_iter()
            .map(|(r, c)| (LeakedKey::Version(r), c)),
    );
    assert_eq!(expected.len(), 6);
    for (key, canary) in &expected {
        for how in 0..10 {
            let mut output = b"log line: ".to_vec();
            output.extend(encode(canary.bytes(), how));
            let leak = canaries.find_leak(&output).expect("found");
            assert_eq!(leak.key(), key, "encoding {how}");
            // Lists are reported at their first number, after the `[`.
            let offset = leak.leak().offset();
            assert!((10..=16).contains(&offset), "{how}: {offset}");
        }
    }
    canaries.assert_no_leak(format!("{ring:#?} {canaries:?}"));
}

#[test]
fn hex_lists_are_found() {
    let canary = canary();
    let bytes = canary.bytes();
    for (output, offset) in [
        (format!("key {bytes:x?}"), 5),
        (format!("key {bytes:X?}"), 5),
        (format!("key {bytes:02x?}"), 5),
        (format!("key {bytes:02X?}"), 5),
        (format!("key {bytes:#x?}"), 10),
        (format!("key {bytes:#04X?}"), 10),
        (format!("key {:x?}", bytes.to_vec()), 5),
    ] {
        let leak = canary.find_leak(&output).expect("hex list leak");
        assert_eq!(
            (leak.encoding(), leak.offset()),
            (Encoding::HexList, offset),
            "{output}"
        );
    }
    // Another canary's list is not this canary.
    canary.assert_no_leak(format!("{:x?}", Canary::new(43).bytes()));
    // Nor is the list cut short by one byte.
    canary.assert_no_leak(format!("{:x?}", &bytes[..31]));
}

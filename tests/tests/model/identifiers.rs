//! Identifiers: canonical text round-trips, and the strict parser rejects
//! every malformed input with the error that names what is wrong.

use key_model::{KeyName, KeyPurpose, KeyRef, KeyVersion, ParseErrorKind, TenantId};
use proptest::prelude::*;

/// Valid slugs (DNS labels): 1 to 63 characters of `[a-z0-9-]`, starting
/// and ending with a letter or digit, without `--` in positions 3 and 4.
fn slug() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
        .prop_filter("`--` in positions 3 and 4 is reserved for IDNA", |s| {
            s.get(2..4) != Some("--")
        })
}

fn tenant() -> impl Strategy<Value = TenantId> {
    slug().prop_map(|s| s.parse().expect("strategy yields valid tenant ids"))
}

fn purpose() -> impl Strategy<Value = KeyPurpose> {
    slug().prop_map(|s| s.parse().expect("strategy yields valid purposes"))
}

fn version() -> impl Strategy<Value = KeyVersion> {
    (1..=u32::MAX).prop_map(|n| KeyVersion::new(n).expect("non-zero"))
}

fn key_ref() -> impl Strategy<Value = KeyRef> {
    (tenant(), purpose(), version()).prop_map(|(t, p, v)| KeyRef::new(t, p, v))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn key_ref_round_trips_through_text(r in key_ref()) {
        let text = r.to_string();
        prop_assert_eq!(text.parse::<KeyRef>(), Ok(r.clone()));
        prop_assert_eq!(
            text,
            format!("tenants/{}/keys/{}/versions/{}", r.tenant(), r.purpose(), r.version())
        );
    }

    #[test]
    fn key_ref_round_trips_through_serde(r in key_ref()) {
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(&json, &format!("\"{r}\""));
        prop_assert_eq!(serde_json::from_str::<KeyRef>(&json).unwrap(), r);
    }

    #[test]
    fn key_name_round_trips(t in tenant(), p in purpose()) {
        let name = KeyName::new(t, p);
        prop_assert_eq!(name.to_string().parse::<KeyName>(), Ok(name.clone()));
        let json = serde_json::to_string(&name).unwrap();
        prop_assert_eq!(serde_json::from_str::<KeyName>(&json).unwrap(), name);
    }

    #[test]
    fn version_round_trips(v in version()) {
        prop_assert_eq!(v.to_string().parse::<KeyVersion>(), Ok(v));
        prop_assert_eq!(serde_json::from_str::<KeyVersion>(&v.get().to_string()).unwrap(), v);
    }

    /// Whatever the input, parsing returns: it never panics, and what it
    /// accepts prints back to exactly the input (no normalisation).
    #[test]
    fn parsing_arbitrary_text_never_panics_and_accepts_only_canonical_text(s in ".{0,90}") {
        if let Ok(r) = s.parse::<KeyRef>() {
            prop_assert_eq!(r.to_string(), s.clone());
        }
        if let Ok(n) = s.parse::<KeyName>() {
            prop_assert_eq!(n.to_string(), s.clone());
        }
        if let Ok(t) = s.parse::<TenantId>() {
            prop_assert_eq!(t.as_str(), s.as_str());
        }
    }

    /// Mutating one byte of a canonical reference either still gives a
    /// canonical reference or an error: no panic, no silent fix-up.
    #[test]
    fn mutated_references_are_rejected_or_canonical(
        r in key_ref(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = r.to_string().into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        if let Ok(text) = String::from_utf8(bytes)
            && let Ok(parsed) = text.parse::<KeyRef>()
        {
            prop_assert_eq!(parsed.to_string(), text);
        }
    }
}

/// Each rejected input, the error kind it must give, the segment it must
/// name (`None` for errors about the whole input), and the exact message.
pub(crate) const REJECTED_KEY_REFS: &[(&str, ParseErrorKind, Option<usize>, &str)] = &[
    (
        "",
        ParseErrorKind::Empty,
        None,
        "invalid key reference: input is empty",
    ),
    (
        " tenants/acme/keys/x/versions/1",
        ParseErrorKind::ExpectedLiteral {
            expected: "tenants",
        },
        Some(1),
        "invalid key reference at segment 1 (`tenants`): expected the literal `tenants`",
    ),
    (
        "tenants/acme/keys/x/versions/1 ",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
    (
        "tenants/acme/keys/x/versions/1\n",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
    (
        "Tenants/acme/keys/x/versions/1",
        ParseErrorKind::ExpectedLiteral {
            expected: "tenants",
        },
        Some(1),
        "invalid key reference at segment 1 (`tenants`): expected the literal `tenants`",
    ),
    (
        "tenants/Acme/keys/x/versions/1",
        ParseErrorKind::InvalidCharacter { position: 0 },
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; offset 0 holds a character outside [a-z0-9-]",
    ),
    (
        "tenants/acme/KEYS/x/versions/1",
        ParseErrorKind::ExpectedLiteral { expected: "keys" },
        Some(3),
        "invalid key reference at segment 3 (`keys`): expected the literal `keys`",
    ),
    (
        "tenants/acme/keys/Audit/versions/1",
        ParseErrorKind::InvalidCharacter { position: 0 },
        Some(4),
        "invalid key reference at segment 4 (key purpose): a key purpose is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; offset 0 holds a character outside [a-z0-9-]",
    ),
    (
        "tenants/acme/keys/x/version/1",
        ParseErrorKind::ExpectedLiteral {
            expected: "versions",
        },
        Some(5),
        "invalid key reference at segment 5 (`versions`): expected the literal `versions`",
    ),
    (
        "tenants/acme/keys/x/versions/07",
        ParseErrorKind::VersionLeadingZero,
        Some(6),
        "invalid key reference at segment 6 (version): version must not have leading zeros",
    ),
    (
        "tenants/acme/keys/x/versions/0",
        ParseErrorKind::VersionZero,
        Some(6),
        "invalid key reference at segment 6 (version): version must not be 0",
    ),
    (
        "tenants/acme/keys/x/versions/00",
        ParseErrorKind::VersionLeadingZero,
        Some(6),
        "invalid key reference at segment 6 (version): version must not have leading zeros",
    ),
    (
        "tenants/acme/keys/x/versions/4294967296",
        ParseErrorKind::VersionOverflow,
        Some(6),
        "invalid key reference at segment 6 (version): version must be at most 4294967295",
    ),
    (
        "tenants/acme/keys/x/versions/99999999999999999999999",
        ParseErrorKind::VersionOverflow,
        Some(6),
        "invalid key reference at segment 6 (version): version must be at most 4294967295",
    ),
    (
        "tenants/acme/keys/x/versions/+1",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
    (
        "tenants/acme/keys/x/versions/-1",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
    (
        "tenants/acme/keys/x/versions/1_000",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
    (
        "tenants/acme/keys/x/versions/",
        ParseErrorKind::TrailingSlash,
        Some(6),
        "invalid key reference at segment 6 (version): trailing `/` is not allowed",
    ),
    (
        "tenants/acme/keys/x/versions/1/",
        ParseErrorKind::TrailingSlash,
        Some(7),
        "invalid key reference at segment 7 (end): trailing `/` is not allowed",
    ),
    (
        "tenants/acme/keys/x/versions/1/extra",
        ParseErrorKind::ExtraSegment,
        Some(7),
        "invalid key reference at segment 7 (end): unexpected extra segment",
    ),
    (
        "tenants/acme/keys/x/versions",
        ParseErrorKind::MissingSegment {
            expected: "version",
        },
        Some(6),
        "invalid key reference at segment 6 (version): input ends before version",
    ),
    (
        "tenants/acme/keys/x",
        ParseErrorKind::MissingSegment {
            expected: "versions",
        },
        Some(5),
        "invalid key reference at segment 5 (`versions`): input ends before versions",
    ),
    (
        "tenants//keys/x/versions/1",
        ParseErrorKind::EmptySegment,
        Some(2),
        "invalid key reference at segment 2 (tenant id): segment is empty",
    ),
    (
        "/tenants/acme/keys/x/versions/1",
        ParseErrorKind::EmptySegment,
        Some(1),
        "invalid key reference at segment 1 (`tenants`): segment is empty",
    ),
    (
        "tenants/acme//keys/x/versions/1",
        ParseErrorKind::EmptySegment,
        Some(3),
        "invalid key reference at segment 3 (`keys`): segment is empty",
    ),
    (
        "tenants/-acme/keys/x/versions/1",
        ParseErrorKind::InvalidStart,
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it starts with `-`",
    ),
    (
        "tenants/acme_corp/keys/x/versions/1",
        ParseErrorKind::InvalidCharacter { position: 4 },
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; offset 4 holds a character outside [a-z0-9-]",
    ),
    (
        "tenants/acme.corp/keys/x/versions/1",
        ParseErrorKind::InvalidCharacter { position: 4 },
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; offset 4 holds a character outside [a-z0-9-]",
    ),
    (
        "tenants/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/keys/x/versions/1",
        ParseErrorKind::TooLong { max: 63, len: 64 },
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has 64",
    ),
    (
        "tenants/acme-/keys/x/versions/1",
        ParseErrorKind::EndsWithHyphen,
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it ends with `-`, which a DNS label may not",
    ),
    (
        "tenants/xn--pple-43d/keys/x/versions/1",
        ParseErrorKind::ReservedHyphens,
        Some(2),
        "invalid key reference at segment 2 (tenant id): a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)",
    ),
    (
        "tenants/acme/keys/audit-/versions/1",
        ParseErrorKind::EndsWithHyphen,
        Some(4),
        "invalid key reference at segment 4 (key purpose): a key purpose is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it ends with `-`, which a DNS label may not",
    ),
    (
        "tenants/acme/keys/ab--export/versions/1",
        ParseErrorKind::ReservedHyphens,
        Some(4),
        "invalid key reference at segment 4 (key purpose): a key purpose is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)",
    ),
    (
        "tenants/acme/keys/-x/versions/1",
        ParseErrorKind::InvalidStart,
        Some(4),
        "invalid key reference at segment 4 (key purpose): a key purpose is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it starts with `-`",
    ),
    (
        "tenants/acmé/keys/x/versions/1",
        ParseErrorKind::NotAscii { position: 11 },
        None,
        "invalid key reference: identifiers are ASCII only; offset 11 holds a byte outside ASCII",
    ),
    (
        "tenants/acme/keys/x/versions/１",
        ParseErrorKind::NotAscii { position: 29 },
        None,
        "invalid key reference: identifiers are ASCII only; offset 29 holds a byte outside ASCII",
    ),
    (
        "tenants\\acme\\keys\\x\\versions\\1",
        ParseErrorKind::ExpectedLiteral {
            expected: "tenants",
        },
        Some(1),
        "invalid key reference at segment 1 (`tenants`): expected the literal `tenants`",
    ),
    (
        "tenants/acme/keys/x/versions/1%2F",
        ParseErrorKind::VersionNotDigits,
        Some(6),
        "invalid key reference at segment 6 (version): version must be a decimal number (digits only)",
    ),
];

#[test]
fn rejected_key_refs_give_the_error_that_names_the_fault() {
    assert!(REJECTED_KEY_REFS.len() >= 25);
    for &(input, kind, segment, message) in REJECTED_KEY_REFS {
        let err = input
            .parse::<KeyRef>()
            .expect_err(&format!("{input:?} must be rejected"));
        assert_eq!(err.kind(), kind, "kind for {input:?}");
        assert_eq!(err.segment(), segment, "segment for {input:?}");
        assert_eq!(err.to_string(), message, "message for {input:?}");
        // serde rejects exactly what the parser rejects.
        let json = serde_json::to_string(input).unwrap();
        let de = serde_json::from_str::<KeyRef>(&json).expect_err("serde must reject it too");
        assert!(
            de.to_string().starts_with(message),
            "serde message for {input:?}: {de}"
        );
    }
}

#[test]
fn rejected_key_names() {
    let cases: &[(&str, ParseErrorKind, Option<usize>)] = &[
        (
            "tenants/acme/keys/x/versions/1",
            ParseErrorKind::ExtraSegment,
            Some(5),
        ),
        (
            "tenants/acme/keys/x/",
            ParseErrorKind::TrailingSlash,
            Some(5),
        ),
        ("tenants/acme/keys/", ParseErrorKind::TrailingSlash, Some(4)),
        (
            "tenants/acme",
            ParseErrorKind::MissingSegment { expected: "keys" },
            Some(3),
        ),
        (
            "tenants",
            ParseErrorKind::MissingSegment {
                expected: "tenant id",
            },
            Some(2),
        ),
    ];
    for &(input, kind, segment) in cases {
        let err = input.parse::<KeyName>().expect_err(input);
        assert_eq!((err.kind(), err.segment()), (kind, segment), "{input:?}");
        assert!(err.to_string().starts_with("invalid key name"), "{err}");
    }
}

/// A wrong character is reported by the rule it breaks and its offset,
/// never by itself: not in `Display`, not in `Debug`, standalone or in a
/// path form.
#[test]
fn an_invalid_character_is_named_by_its_offset_not_echoed() {
    for ch in ['_', '.', '#', 'Q', '!', '@'] {
        let tenant = format!("acme{ch}corp");
        let errors = [
            tenant.parse::<TenantId>().unwrap_err(),
            tenant.parse::<KeyPurpose>().unwrap_err(),
            format!("tenants/{tenant}/keys/x/versions/1")
                .parse::<KeyRef>()
                .unwrap_err(),
            format!("tenants/acme/keys/{tenant}")
                .parse::<KeyName>()
                .unwrap_err(),
        ];
        for e in errors {
            let (text, debug) = (e.to_string(), format!("{e:?} {e:#?}"));
            assert!(
                !text.contains(ch) && !debug.contains(ch),
                "{ch:?}: {text} {debug}"
            );
            assert!(text.contains("1 to 63 characters of [a-z0-9-]"), "{text}");
            assert!(
                text.ends_with("offset 4 holds a character outside [a-z0-9-]"),
                "{text}"
            );
        }
    }
}

#[test]
fn standalone_identifiers_have_no_segment() {
    let err = "".parse::<TenantId>().unwrap_err();
    assert_eq!((err.kind(), err.segment()), (ParseErrorKind::Empty, None));
    assert_eq!(err.to_string(), "invalid tenant id: input is empty");

    let err = "ssh session".parse::<KeyPurpose>().unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::InvalidCharacter { position: 3 });
    assert_eq!(
        err.to_string(),
        "invalid key purpose: a key purpose is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; offset 3 holds a character outside [a-z0-9-]"
    );

    let err = "007".parse::<KeyVersion>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid key version: version must not have leading zeros"
    );
}

#[test]
fn slug_length_limits_are_inclusive() {
    let longest = "a".repeat(63);
    assert_eq!(longest.parse::<TenantId>().unwrap().as_str(), longest);
    assert_eq!(
        "a".repeat(64).parse::<KeyPurpose>().unwrap_err().kind(),
        ParseErrorKind::TooLong { max: 63, len: 64 }
    );
    assert!(
        "0".parse::<TenantId>().is_ok(),
        "a digit may start a tenant id"
    );
}

/// Tenant ids and purposes are DNS labels (RFC 1035 and RFC 5891): no
/// trailing hyphen, and no `--` in positions 3 and 4, the form reserved for
/// IDNA (`xn--pple-43d` shows as a Cyrillic look-alike of `apple`).
#[test]
fn slugs_are_dns_labels() {
    for (input, message) in [
        (
            "acme-",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it ends with `-`, which a DNS label may not",
        ),
        (
            "a-",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it ends with `-`, which a DNS label may not",
        ),
        (
            "-",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it starts with `-`",
        ),
        (
            "xn--pple-43d",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)",
        ),
        (
            "ab--c",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)",
        ),
        (
            "xn--",
            "invalid tenant id: a tenant id is 1 to 63 characters of [a-z0-9-], starting and ending with a letter or digit, without `--` in positions 3 and 4; it has `--` in positions 3 and 4, the form DNS reserves for IDNA (`xn--`)",
        ),
    ] {
        assert_eq!(
            input.parse::<TenantId>().unwrap_err().to_string(),
            message,
            "{input}"
        );
        assert!(input.parse::<KeyPurpose>().is_err(), "{input}");
    }
    // `--` elsewhere, and a hyphen inside, stay valid.
    for ok in ["a--b", "abcd--e", "a-b", "acme-42", "x-n", "xn-a", "0"] {
        assert_eq!(ok.parse::<TenantId>().unwrap().as_str(), ok);
        assert_eq!(ok.parse::<KeyPurpose>().unwrap().as_str(), ok);
    }
    let r = "tenants/acme/keys/xn--ab/versions/1"
        .parse::<KeyRef>()
        .unwrap_err();
    assert_eq!(r.segment(), Some(4));
}

#[test]
fn version_bounds() {
    assert_eq!("4294967295".parse::<KeyVersion>().unwrap().get(), u32::MAX);
    assert_eq!(KeyVersion::new(u32::MAX).unwrap().next(), None);
    assert_eq!(KeyVersion::new(0), None);
    assert!(serde_json::from_str::<KeyVersion>("0").is_err());
    assert!(serde_json::from_str::<KeyVersion>("\"1\"").is_err());
}

#[test]
fn debug_forms_show_the_canonical_text() {
    let r: KeyRef = "tenants/acme/keys/audit-export/versions/2".parse().unwrap();
    assert_eq!(
        format!("{r:?}"),
        r#"KeyRef("tenants/acme/keys/audit-export/versions/2")"#
    );
    assert_eq!(
        format!("{:?}", r.name()),
        r#"KeyName("tenants/acme/keys/audit-export")"#
    );
    assert_eq!(format!("{:?}", r.tenant()), r#"TenantId("acme")"#);
    assert_eq!(format!("{:?}", r.version()), "KeyVersion(2)");
}

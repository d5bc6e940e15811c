//! G7: an envelope is bound to its key reference and context. Tampering
//! with any header field, the ciphertext, the tag or the context, or moving
//! the envelope to another tenant, purpose or version, fails; the binary and
//! text parsers are strict.

use crate::support::{name, scope};
use key_model::{
    Envelope, EnvelopeErrorKind, EnvelopeField, Error, KeyName, KeyRing, KeyVersion, TenantScope,
};

const PLAINTEXT: &[u8] = b"$ sudo systemctl restart nginx";
const CONTEXT: &[u8] = b"session-42";

/// The byte layout of format 1, written out independently of the library
/// (as `docs/key-model.md` documents it) so that the test checks the
/// documented layout, not the code against itself.
#[allow(clippy::struct_field_names)]
struct Layout {
    format: u8,
    algorithm: u8,
    tenant: Vec<u8>,
    purpose: Vec<u8>,
    version: u32,
    nonce: [u8; 24],
    body: Vec<u8>,
}

impl Layout {
    fn parse(bytes: &[u8]) -> Layout {
        let t = usize::from(bytes[2]);
        let p = usize::from(bytes[3 + t]);
        let at = 4 + t + p;
        let body_len = u32::from_be_bytes(bytes[at + 28..at + 32].try_into().unwrap()) as usize;
        assert_eq!(bytes.len(), at + 32 + body_len, "documented length");
        Layout {
            format: bytes[0],
            algorithm: bytes[1],
            tenant: bytes[3..3 + t].to_vec(),
            purpose: bytes[4 + t..at].to_vec(),
            version: u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()),
            nonce: bytes[at + 4..at + 28].try_into().unwrap(),
            body: bytes[at + 32..].to_vec(),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.format, self.algorithm];
        out.push(u8::try_from(self.tenant.len()).unwrap());
        out.extend_from_slice(&self.tenant);
        out.push(u8::try_from(self.purpose.len()).unwrap());
        out.extend_from_slice(&self.purpose);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&u32::try_from(self.body.len()).unwrap().to_be_bytes());
        out.extend_from_slice(&self.body);
        out
    }

    fn header_len(&self) -> usize {
        36 + self.tenant.len() + self.purpose.len()
    }
}

struct World {
    ring: KeyRing,
    acme: TenantScope,
    globex: TenantScope,
    key: KeyName,
    sealed: Envelope,
}

/// acme and globex each have `ssh-session-recording` at versions 1 and 2
/// and acme also has `audit-export`, so every moved envelope names a key
/// version that exists and is enabled: only the binding can refuse it.
fn world() -> World {
    let ring = KeyRing::in_memory().unwrap();
    let (acme, globex) = (scope("acme"), scope("globex"));
    let key = name("acme", "ssh-session-recording");
    for (s, n) in [
        (&acme, key.clone()),
        (&acme, name("acme", "audit-export")),
        (&globex, name("globex", "ssh-session-recording")),
    ] {
        ring.create_key(s, &n).unwrap();
        ring.rotate(s, &n).unwrap();
        ring.set_primary(s, &n.at_version(KeyVersion::FIRST))
            .unwrap();
    }
    let sealed = ring.encrypt(&acme, &key, PLAINTEXT, CONTEXT).unwrap();
    World {
        ring,
        acme,
        globex,
        key,
        sealed,
    }
}

fn parse_err(bytes: &[u8]) -> EnvelopeErrorKind {
    Envelope::from_bytes(bytes).unwrap_err().kind()
}

#[test]
fn the_documented_layout_round_trips() {
    let w = world();
    let layout = Layout::parse(w.sealed.as_bytes());
    assert_eq!(layout.format, 0x01);
    assert_eq!(layout.algorithm, 0x01);
    assert_eq!(layout.tenant, b"acme");
    assert_eq!(layout.purpose, b"ssh-session-recording");
    assert_eq!(layout.version, 1);
    assert_eq!(layout.body.len(), PLAINTEXT.len() + 16);
    assert_eq!(layout.encode(), w.sealed.as_bytes());
    assert_eq!(w.sealed.plaintext_len(), PLAINTEXT.len());
    assert_eq!(
        w.ring
            .decrypt(&w.acme, &w.sealed, CONTEXT)
            .unwrap()
            .as_bytes(),
        PLAINTEXT
    );
}

#[test]
fn every_single_bit_flip_is_refused() {
    let w = world();
    let original = w.sealed.as_bytes();
    let mut checked = 0;
    for i in 0..original.len() {
        for bit in 0..8 {
            let mut bytes = original.to_vec();
            bytes[i] ^= 1 << bit;
            if let Ok(env) = Envelope::from_bytes(&bytes) {
                for s in [&w.acme, &w.globex] {
                    let result = w.ring.decrypt(s, &env, CONTEXT);
                    assert!(result.is_err(), "byte {i} bit {bit} decrypted");
                    assert!(w.ring.reencrypt(s, &env, CONTEXT).is_err());
                }
                checked += 1;
            }
        }
    }
    // Most flips parse (nonce, ciphertext, tag, version...), so decrypt saw
    // them, not just the parser.
    assert!(checked > original.len() * 4, "{checked}");
}

#[test]
fn each_header_field_is_bound() {
    let w = world();
    let original = Layout::parse(w.sealed.as_bytes());
    let decrypt = |layout: &Layout, scope: &TenantScope| {
        let env = Envelope::from_bytes(&layout.encode()).map_err(Error::Envelope)?;
        w.ring
            .decrypt(scope, &env, CONTEXT)
            .map(|p| p.as_bytes().to_vec())
    };
    assert_eq!(decrypt(&original, &w.acme).unwrap(), PLAINTEXT);

    let mut l = Layout::parse(w.sealed.as_bytes());
    l.format = 0x02;
    assert!(matches!(
        decrypt(&l, &w.acme),
        Err(Error::Envelope(e)) if e.kind() == EnvelopeErrorKind::UnknownFormat { format: 2 }
    ));

    let mut l = Layout::parse(w.sealed.as_bytes());
    l.algorithm = 0x02;
    assert!(matches!(
        decrypt(&l, &w.acme),
        Err(Error::Envelope(e)) if e.kind() == EnvelopeErrorKind::UnknownAlgorithm { id: 2 }
    ));

    // Moved to another tenant that has the same purpose and version.
    let mut l = Layout::parse(w.sealed.as_bytes());
    l.tenant = b"globex".to_vec();
    assert_eq!(decrypt(&l, &w.globex), Err(Error::DecryptionFailed));
    assert_eq!(decrypt(&l, &w.acme), Err(Error::KeyNotFound));

    // Moved to another purpose of the same tenant.
    let mut l = Layout::parse(w.sealed.as_bytes());
    l.purpose = b"audit-export".to_vec();
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));

    // Moved to another version of the same key: decrypt tries exactly the
    // version named, which fails; it does not fall back to version 1.
    let mut l = Layout::parse(w.sealed.as_bytes());
    l.version = 2;
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));

    let mut l = Layout::parse(w.sealed.as_bytes());
    l.nonce[23] ^= 0x80;
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));

    // Ciphertext, then tag.
    let mut l = Layout::parse(w.sealed.as_bytes());
    l.body[0] ^= 0x01;
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));
    let mut l = Layout::parse(w.sealed.as_bytes());
    let last = l.body.len() - 1;
    l.body[last] ^= 0x01;
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));

    // Body shortened (and its length with it): the tag no longer matches.
    let mut l = Layout::parse(w.sealed.as_bytes());
    l.body.remove(0);
    assert_eq!(decrypt(&l, &w.acme), Err(Error::DecryptionFailed));

    // The body length itself, on its own: the parser catches it.
    let mut bytes = w.sealed.as_bytes().to_vec();
    let at = original.header_len() - 1;
    bytes[at] = bytes[at].wrapping_add(1);
    assert_eq!(
        parse_err(&bytes),
        EnvelopeErrorKind::Truncated {
            field: EnvelopeField::Body
        }
    );
    bytes[at] = bytes[at].wrapping_sub(2);
    assert_eq!(
        parse_err(&bytes),
        EnvelopeErrorKind::TrailingBytes { count: 1 }
    );
}

#[test]
fn the_context_is_bound() {
    let w = world();
    for other in [&b""[..], b"session-43", b"session-42\0", b"session-4"] {
        assert_eq!(
            w.ring.decrypt(&w.acme, &w.sealed, other).err(),
            Some(Error::DecryptionFailed)
        );
        assert_eq!(
            w.ring.reencrypt(&w.acme, &w.sealed, other),
            Err(Error::DecryptionFailed)
        );
    }
}

#[test]
fn reencrypt_moves_to_the_primary_and_keeps_the_context() {
    let w = world();
    let v2 = w.key.at_version(KeyVersion::new(2).unwrap());
    w.ring.set_primary(&w.acme, &v2).unwrap();
    let moved = w.ring.reencrypt(&w.acme, &w.sealed, CONTEXT).unwrap();
    assert_eq!(moved.key_ref(), &v2);
    assert_ne!(moved.as_bytes(), w.sealed.as_bytes());
    assert_eq!(
        w.ring.decrypt(&w.acme, &moved, CONTEXT).unwrap().as_bytes(),
        PLAINTEXT
    );
    assert_eq!(
        w.ring.decrypt(&w.acme, &moved, b"other").err(),
        Some(Error::DecryptionFailed)
    );
}

#[test]
fn nonces_are_fresh() {
    let w = world();
    let a = Layout::parse(
        w.ring
            .encrypt(&w.acme, &w.key, PLAINTEXT, CONTEXT)
            .unwrap()
            .as_bytes(),
    );
    let b = Layout::parse(
        w.ring
            .encrypt(&w.acme, &w.key, PLAINTEXT, CONTEXT)
            .unwrap()
            .as_bytes(),
    );
    assert_ne!(a.nonce, b.nonce);
    assert_ne!(a.body, b.body);
}

#[test]
fn sizes_from_empty_to_a_mebibyte() {
    let w = world();
    for len in [0, 1, 15, 16, 17, 4096, 1 << 20] {
        let plaintext: Vec<u8> = (0..len).map(|i| u8::try_from(i % 251).unwrap()).collect();
        for context in [&b""[..], CONTEXT] {
            let env = w
                .ring
                .encrypt(&w.acme, &w.key, &plaintext, context)
                .unwrap();
            assert_eq!(env.plaintext_len(), len);
            let text = env.to_string();
            let parsed: Envelope = text.parse().unwrap();
            assert_eq!(
                w.ring
                    .decrypt(&w.acme, &parsed, context)
                    .unwrap()
                    .as_bytes(),
                plaintext
            );
        }
    }
}

#[test]
fn the_parser_names_each_broken_rule() {
    let w = world();
    let original = w.sealed.as_bytes();
    assert_eq!(parse_err(&[]), EnvelopeErrorKind::Empty);

    // Every strict prefix is truncated somewhere, never accepted.
    for len in 1..original.len() {
        let kind = parse_err(&original[..len]);
        assert!(
            matches!(kind, EnvelopeErrorKind::Truncated { .. }),
            "prefix {len}: {kind:?}"
        );
    }
    let mut longer = original.to_vec();
    longer.push(0);
    assert_eq!(
        parse_err(&longer),
        EnvelopeErrorKind::TrailingBytes { count: 1 }
    );

    let mut l = Layout::parse(original);
    l.tenant = vec![];
    assert_eq!(
        parse_err(&l.encode()),
        EnvelopeErrorKind::EmptyField {
            field: EnvelopeField::Tenant
        }
    );
    let mut l = Layout::parse(original);
    l.purpose = vec![];
    assert_eq!(
        parse_err(&l.encode()),
        EnvelopeErrorKind::EmptyField {
            field: EnvelopeField::Purpose
        }
    );
    let mut l = Layout::parse(original);
    l.tenant = vec![b'a'; 64];
    assert_eq!(
        parse_err(&l.encode()),
        EnvelopeErrorKind::FieldTooLong {
            field: EnvelopeField::Tenant,
            len: 64
        }
    );
    for bad in [&b"Acme"[..], b"-acme", b"ac me", b"ac\xc3\xa9", b"\xff"] {
        let mut l = Layout::parse(original);
        l.tenant = bad.to_vec();
        assert!(
            matches!(
                parse_err(&l.encode()),
                EnvelopeErrorKind::InvalidIdentifier {
                    field: EnvelopeField::Tenant,
                    ..
                }
            ),
            "{bad:?}"
        );
    }
    let mut l = Layout::parse(original);
    l.purpose = b"ssh_session".to_vec();
    assert!(matches!(
        parse_err(&l.encode()),
        EnvelopeErrorKind::InvalidIdentifier {
            field: EnvelopeField::Purpose,
            ..
        }
    ));
    let mut l = Layout::parse(original);
    l.version = 0;
    assert_eq!(parse_err(&l.encode()), EnvelopeErrorKind::VersionZero);
    let mut l = Layout::parse(original);
    l.body.truncate(15);
    assert_eq!(
        parse_err(&l.encode()),
        EnvelopeErrorKind::BodyTooShort { len: 15 }
    );
    // A body of exactly a tag (empty plaintext) is well-formed.
    let mut l = Layout::parse(original);
    l.body.truncate(16);
    assert!(Envelope::from_bytes(&l.encode()).is_ok());
}

#[test]
fn the_text_form_is_strict_unpadded_base64url() {
    let w = world();
    let text = w.sealed.to_string();
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{text}"
    );
    assert_eq!(text.parse::<Envelope>().unwrap(), w.sealed);

    // serde uses the text form.
    let json = serde_json::to_string(&w.sealed).unwrap();
    assert_eq!(json, format!("\"{text}\""));
    assert_eq!(serde_json::from_str::<Envelope>(&json).unwrap(), w.sealed);
    assert!(serde_json::from_str::<Envelope>("\"AAAA\"").is_err());
    assert!(serde_json::from_str::<Envelope>("42").is_err());

    let base64 = |s: &str| s.parse::<Envelope>().unwrap_err().kind();
    assert_eq!(base64(""), EnvelopeErrorKind::Empty);
    assert_eq!(base64(&format!("{text}=")), EnvelopeErrorKind::Base64);
    assert_eq!(base64(&format!("{text}==")), EnvelopeErrorKind::Base64);
    assert_eq!(base64(&format!(" {text}")), EnvelopeErrorKind::Base64);
    assert_eq!(base64(&format!("{text}\n")), EnvelopeErrorKind::Base64);
    // The standard alphabet's symbols are not base64url.
    for symbol in ['+', '/'] {
        let other: String = std::iter::once(symbol)
            .chain(text.chars().skip(1))
            .collect();
        assert_eq!(base64(&other), EnvelopeErrorKind::Base64);
    }
    // A final symbol with stray low bits decodes to the same bytes in a lax
    // decoder; the strict one refuses it, so each envelope has one text.
    let bytes = w.sealed.as_bytes();
    if !bytes.len().is_multiple_of(3) {
        let mut chars: Vec<char> = text.chars().collect();
        let last = chars.len() - 1;
        chars[last] = next_symbol(chars[last]);
        let lax: String = chars.into_iter().collect();
        assert_eq!(base64(&lax), EnvelopeErrorKind::Base64);
    }
}

/// The base64url symbol after `c`, which differs from it in the low bits
/// only (the last symbol's low bits are unused when the length is not a
/// multiple of 3).
fn next_symbol(c: char) -> char {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let i = ALPHABET.find(c).unwrap();
    ALPHABET.as_bytes()[i ^ 1] as char
}

#[test]
fn debug_shows_the_reference_not_the_bytes() {
    let w = world();
    let debug = format!("{:?}", w.sealed);
    assert!(debug.contains("tenants/acme/keys/ssh-session-recording/versions/1"));
    assert!(!debug.contains(&w.sealed.to_string()));
}

//! Throughput of envelope encryption through the key ring against the raw
//! `chacha20poly1305` crate, in one run, on 64 B, 4 KiB and 1 MiB.
//!
//! Both sides do what a correct caller must: a fresh random 24-byte nonce
//! from `getrandom` for every message, and the caller's context as
//! associated data. The raw side uses the crate's fastest allocating form
//! (one buffer, encrypted in place, tag appended), with the cipher built
//! once outside the loop: the best case for the raw side. The ring adds the
//! scope check, the key lookup and policy check, the header (bound as
//! associated data too) and, on decryption, zeroizing the plaintext buffer.
//!
//! Run: `cargo bench -p key-model --bench ring`; the ratios are in
//! `docs/key-model.md`.
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::time::Duration;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use key_model::{KeyName, KeyRing, TenantScope};

const SIZES: [(usize, &str); 3] = [(64, "64B"), (4096, "4KiB"), (1 << 20, "1MiB")];
const CONTEXT: &[u8] = b"session-0123456789";

fn nonce() -> XNonce {
    let mut n = [0u8; 24];
    getrandom::fill(&mut n).expect("random source");
    XNonce::from(n)
}

/// Raw encryption: plaintext copied into one buffer, sealed in place, tag
/// appended.
fn raw_encrypt(raw: &XChaCha20Poly1305, nonce: &XNonce, plaintext: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(plaintext.len() + 16);
    out.extend_from_slice(plaintext);
    let tag = raw
        .encrypt_inout_detached(nonce, CONTEXT, out.as_mut_slice().into())
        .expect("encrypt");
    out.extend_from_slice(&tag);
    out
}

/// Raw decryption: ciphertext copied into one buffer, opened in place.
fn raw_decrypt(raw: &XChaCha20Poly1305, nonce: &XNonce, sealed: &[u8]) -> Vec<u8> {
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    let mut out = ciphertext.to_vec();
    raw.decrypt_inout_detached(
        nonce,
        CONTEXT,
        out.as_mut_slice().into(),
        &Tag::try_from(tag).expect("tag"),
    )
    .expect("decrypt");
    out
}

fn setup() -> (KeyRing, TenantScope, KeyName) {
    let ring = KeyRing::in_memory().expect("ring");
    let scope = TenantScope::authorized_by_host("acme".parse().expect("tenant"));
    let name: KeyName = "tenants/acme/keys/ssh-session-recording"
        .parse()
        .expect("name");
    ring.create_key(&scope, &name).expect("create");
    (ring, scope, name)
}

fn raw_cipher() -> XChaCha20Poly1305 {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("random source");
    XChaCha20Poly1305::new(&key.into())
}

fn encrypt(c: &mut Criterion) {
    let (ring, scope, name) = setup();
    let raw = raw_cipher();
    let mut group = c.benchmark_group("encrypt");
    for (size, label) in SIZES {
        let plaintext = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("raw", label), &plaintext, |b, p| {
            b.iter(|| {
                let nonce = nonce();
                let sealed = raw_encrypt(&raw, &nonce, p);
                black_box((nonce, sealed))
            });
        });
        group.bench_with_input(BenchmarkId::new("ring", label), &plaintext, |b, p| {
            b.iter(|| black_box(ring.encrypt(&scope, &name, p, CONTEXT).expect("encrypt")));
        });
    }
    group.finish();
}

fn decrypt(c: &mut Criterion) {
    let (ring, scope, name) = setup();
    let raw = raw_cipher();
    let mut group = c.benchmark_group("decrypt");
    for (size, label) in SIZES {
        let plaintext = vec![0x5au8; size];
        let nonce = nonce();
        let raw_sealed = raw_encrypt(&raw, &nonce, &plaintext);
        let envelope = ring
            .encrypt(&scope, &name, &plaintext, CONTEXT)
            .expect("encrypt");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(BenchmarkId::new("raw", label), |b| {
            b.iter(|| black_box(raw_decrypt(&raw, &nonce, &raw_sealed)));
        });
        group.bench_function(BenchmarkId::new("ring", label), |b| {
            b.iter(|| black_box(ring.decrypt(&scope, &envelope, CONTEXT).expect("decrypt")));
        });
    }
    group.finish();
}

fn config() -> Criterion {
    // Short runs: the machine is small and shared. Criterion compares both
    // sides within the same run, which is what the ratio needs.
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = encrypt, decrypt
}
criterion_main!(benches);

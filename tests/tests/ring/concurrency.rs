//! The key ring under concurrent use: threads encrypt, decrypt and
//! re-encrypt while another rotates, disables and re-enables versions. No
//! panic, no deadlock, and every result is either the right plaintext or the
//! refusal the version's state explains.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use crate::support::{name, scope};
use key_model::{Error, KeyName, KeyRing, KeyVersion, Operation, StateKind, TenantScope};

const WORKERS: usize = 4;
const ROUNDS: u32 = 60;

#[derive(Default)]
struct Tally {
    decrypted: AtomicUsize,
    refused_disabled: AtomicUsize,
    encrypted: AtomicUsize,
}

/// Only a disabled version may refuse: the admin thread never schedules
/// destruction, and the primary is never disabled, so any other error is a
/// bug.
fn check_refusal(e: &Error, op: Operation, tally: &Tally) {
    match e {
        Error::Refused(r) if r.state() == StateKind::Disabled && r.operation() == op => {
            tally.refused_disabled.fetch_add(1, Ordering::Relaxed);
        }
        other => panic!("{op}: unexpected error {other:?}"),
    }
}

#[test]
fn encrypt_decrypt_while_rotating_disabling_and_enabling() {
    let ring = Arc::new(KeyRing::in_memory().unwrap());
    let acme = scope("acme");
    let key = name("acme", "ssh-session-recording");
    ring.create_key(&acme, &key).unwrap();
    let first = ring
        .encrypt(&acme, &key, b"first recording", b"s-1")
        .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let (done_tx, done_rx) = mpsc::channel();

    let mut handles = Vec::new();
    for worker in 0..WORKERS {
        let (ring, acme, key, first) =
            (Arc::clone(&ring), acme.clone(), key.clone(), first.clone());
        let (stop, tally, done_tx) = (Arc::clone(&stop), Arc::clone(&tally), done_tx.clone());
        handles.push(thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let plaintext = format!("worker {worker} message {i}");
                let context = format!("w{worker}-{i}");
                // The primary is always enabled: encryption always works.
                let sealed = ring
                    .encrypt(&acme, &key, plaintext.as_bytes(), context.as_bytes())
                    .expect("the primary always encrypts");
                tally.encrypted.fetch_add(1, Ordering::Relaxed);
                // Its version may have been demoted and disabled since.
                match ring.decrypt(&acme, &sealed, context.as_bytes()) {
                    Ok(p) => {
                        assert_eq!(p.as_bytes(), plaintext.as_bytes());
                        tally.decrypted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => check_refusal(&e, Operation::Decrypt, &tally),
                }
                // Version 1 is toggled by the admin thread.
                match ring.decrypt(&acme, &first, b"s-1") {
                    Ok(p) => assert_eq!(p.as_bytes(), b"first recording"),
                    Err(e) => check_refusal(&e, Operation::Decrypt, &tally),
                }
                match ring.reencrypt(&acme, &first, b"s-1") {
                    Ok(moved) => {
                        // Sealed under the primary of the moment; it may
                        // have been disabled already.
                        match ring.decrypt(&acme, &moved, b"s-1") {
                            Ok(p) => assert_eq!(p.as_bytes(), b"first recording"),
                            Err(e) => check_refusal(&e, Operation::Decrypt, &tally),
                        }
                    }
                    Err(e) => check_refusal(&e, Operation::ReEncrypt, &tally),
                }
            }
            done_tx.send(()).unwrap();
        }));
    }

    let admin = spawn_admin(&ring, &acme, &key, done_tx.clone());

    // Only the threads hold senders now: if they all die, `recv` says so.
    drop(done_tx);
    // A deadlock shows up as a timeout here, not as a hung test run.
    let timeout = Duration::from_secs(120);
    done_rx
        .recv_timeout(timeout)
        .expect("the admin thread finished: no deadlock");
    admin.join().expect("admin thread");
    stop.store(true, Ordering::Relaxed);
    for _ in 0..WORKERS {
        done_rx
            .recv_timeout(timeout)
            .expect("worker finished: no deadlock");
    }
    for h in handles {
        h.join().expect("no worker panicked");
    }

    // Afterwards every version is usable again once enabled, and the state
    // is what the admin thread left.
    let versions = ring.versions(&acme, &key).unwrap();
    assert_eq!(versions.len(), ROUNDS as usize + 1);
    assert_eq!(versions.iter().filter(|m| m.is_primary()).count(), 1);
    assert!(versions.last().unwrap().is_primary());
    assert!(tally.encrypted.load(Ordering::Relaxed) > 0);
    assert!(tally.decrypted.load(Ordering::Relaxed) > 0);
    eprintln!(
        "encrypted {}, decrypted {}, refused (disabled) {}",
        tally.encrypted.load(Ordering::Relaxed),
        tally.decrypted.load(Ordering::Relaxed),
        tally.refused_disabled.load(Ordering::Relaxed),
    );
}

/// Changes from several threads at once are serialized: every rotation gets
/// its own version number, none is lost or reused.
#[test]
fn concurrent_rotations_get_distinct_versions() {
    let ring = Arc::new(KeyRing::in_memory().unwrap());
    let acme = scope("acme");
    let key = name("acme", "audit-export");
    ring.create_key(&acme, &key).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (ring, acme, key) = (Arc::clone(&ring), acme.clone(), key.clone());
            thread::spawn(move || {
                (0..10)
                    .map(|_| ring.rotate(&acme, &key).unwrap().key_ref().version().get())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (2..=41).collect::<Vec<_>>());
    let versions = ring.versions(&acme, &key).unwrap();
    assert_eq!(versions.len(), 41);
    assert_eq!(versions.iter().filter(|m| m.is_primary()).count(), 1);
}

/// The admin thread: rotate, then disable and re-enable the version that
/// just stopped being primary, and version 1.
fn spawn_admin(
    ring: &Arc<KeyRing>,
    acme: &TenantScope,
    key: &KeyName,
    done_tx: mpsc::Sender<()>,
) -> thread::JoinHandle<()> {
    let (ring, acme, key) = (Arc::clone(ring), acme.clone(), key.clone());
    thread::spawn(move || {
        for _ in 0..ROUNDS {
            let new = ring.rotate(&acme, &key).unwrap();
            let previous =
                key.at_version(KeyVersion::new(new.key_ref().version().get() - 1).unwrap());
            ring.disable(&acme, &previous).unwrap();
            let v1 = key.at_version(KeyVersion::FIRST);
            if previous != v1 {
                let _ = ring.disable(&acme, &v1);
            }
            thread::yield_now();
            ring.enable(&acme, &previous).unwrap();
            let _ = ring.enable(&acme, &v1);
            // Leave older versions disabled half the time, so that
            // refusals keep happening.
            if new.key_ref().version().get() % 2 == 0 {
                ring.disable(&acme, &previous).unwrap();
            }
        }
        done_tx.send(()).unwrap();
    })
}

/// Lock scope: the AEAD runs with no lock held. A long decryption is under
/// way while a rotation and a disable of the very version it uses complete;
/// were the read lock held during the AEAD, the changes (which take the
/// write lock) would wait for it to finish. The decryption that had already
/// passed the policy check still completes: it holds the material's `Arc`.
#[test]
fn a_long_decryption_does_not_block_changes() {
    let ring = Arc::new(KeyRing::in_memory().unwrap());
    let acme = scope("acme");
    let key = name("acme", "ssh-session-recording");
    ring.create_key(&acme, &key).unwrap();
    // 4 MiB: over a second unoptimized, milliseconds optimized; the check
    // compares against this machine's own baseline either way.
    let big = vec![0x42u8; 4 << 20];
    let sealed = ring.encrypt(&acme, &key, &big, b"").unwrap();

    // How long one decryption takes on this machine and build.
    let started = std::time::Instant::now();
    ring.decrypt(&acme, &sealed, b"").unwrap();
    let baseline = started.elapsed();

    let barrier = Arc::new(std::sync::Barrier::new(2));
    let reader = {
        let (ring, acme, sealed, barrier) = (
            Arc::clone(&ring),
            acme.clone(),
            sealed.clone(),
            Arc::clone(&barrier),
        );
        thread::spawn(move || {
            barrier.wait();
            let plaintext = ring.decrypt(&acme, &sealed, b"");
            (std::time::Instant::now(), plaintext.map(|p| p.len()))
        })
    };
    barrier.wait();
    // Let the reader get past the lookup and into the AEAD.
    thread::sleep(baseline / 10);
    let changing = std::time::Instant::now();
    ring.rotate(&acme, &key).unwrap();
    ring.disable(&acme, sealed.key_ref()).unwrap();
    let changes_took = changing.elapsed();
    let (decrypted, result) = reader.join().unwrap();
    assert_eq!(result, Ok(big.len()));
    // Were the lock held during the AEAD, the changes would have waited for
    // the rest of the decryption, about nine tenths of the baseline.
    assert!(
        changes_took < baseline / 2,
        "the changes took {changes_took:?}: they waited for the decryption (baseline {baseline:?})"
    );
    assert!(
        decrypted > changing,
        "the decryption overlapped the changes"
    );
    // From now on the disabled version refuses.
    assert!(matches!(
        ring.decrypt(&acme, &sealed, b""),
        Err(Error::Refused(r)) if r.state() == StateKind::Disabled
    ));
}

//! The key model at work: references, a key version's lifecycle, and the
//! fail-closed policy. Run with `cargo run -p key-model --example walkthrough`.

use key_model::{
    KeyMaterial, KeyMetadata, KeyName, KeyOrigin, KeyRef, KeyState, KeyVersion, Operation,
    TenantScope, Timestamp, Transition,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== references: metadata with one canonical text form");
    let name: KeyName = "tenants/acme/keys/ssh-session-recording".parse()?;
    let v1: KeyRef = name.at_version(KeyVersion::FIRST);
    println!("key name      {name}");
    println!("key reference {v1}");
    println!("as JSON       {}", serde_json::to_string(&v1)?);
    for bad in [
        "tenants/Acme/keys/ssh-session-recording/versions/1",
        "tenants/acme/keys/ssh-session-recording/versions/01",
        "tenants/acme/keys/ssh-session-recording/versions/1/",
    ] {
        let err = bad.parse::<KeyRef>().unwrap_err();
        println!("rejected      {bad:?}\n              -> {err}");
    }

    println!("\n== key material: opaque");
    let material = KeyMaterial::generate()?;
    println!("debug form    {material:?}");

    println!("\n== a tenant scope is created by the host's authorization layer only");
    let scope = TenantScope::authorized_by_host(name.tenant().clone());
    let globex: KeyRef = "tenants/globex/keys/ssh-session-recording/versions/1".parse()?;
    println!(
        "scope for {} covers {v1}: {}",
        scope.tenant(),
        scope.covers(&v1)
    );
    println!(
        "scope for {} covers {globex}: {}",
        scope.tenant(),
        scope.covers(&globex)
    );

    println!("\n== lifecycle of version 1, and the fail-closed policy at each step");
    let mut meta = KeyMetadata::new(
        v1.clone(),
        KeyState::Enabled,
        KeyOrigin::PlatformManaged,
        Timestamp::now(),
        true,
    );
    report(&meta);
    match meta.apply(Transition::Disable) {
        Ok(()) => println!("disabled the primary (must not happen)"),
        Err(err) => println!("disable primary -> refused: {err}"),
    }
    // Version 2 becomes primary (a rotation); version 1 may now be disabled.
    meta.set_primary(false)?;
    report(&meta);
    for step in [
        Transition::Disable,
        Transition::ScheduleDestruction {
            at: Timestamp::now().saturating_add(std::time::Duration::from_secs(30 * 86_400)),
        },
        Transition::Restore,
        Transition::ScheduleDestruction {
            at: Timestamp::now(),
        },
        Transition::Destroy,
        Transition::Enable,
    ] {
        match meta.apply(step) {
            Ok(()) => report(&meta),
            Err(err) => println!("{step:?} -> refused: {err}"),
        }
    }

    println!("\n== a state written by a newer version loads and fails closed");
    let future: KeyState = serde_json::from_str(r#""quarantined""#)?;
    let meta = KeyMetadata::new(
        v1,
        future,
        KeyOrigin::PlatformManaged,
        Timestamp::now(),
        false,
    );
    report(&meta);
    Ok(())
}

/// Prints the version's state and what the policy allows in it.
fn report(meta: &KeyMetadata) {
    let verdicts: Vec<String> = Operation::ALL
        .iter()
        .map(|&op| match meta.check(op) {
            Ok(()) => format!("{op}: allowed"),
            Err(_) => format!("{op}: refused"),
        })
        .collect();
    println!(
        "{} state={} primary={} | {}",
        meta.key_ref(),
        serde_json::to_string(meta.state()).unwrap_or_default(),
        meta.is_primary(),
        verdicts.join(", ")
    );
}

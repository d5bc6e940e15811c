// `KeyState` is `#[non_exhaustive]` (G10): code outside key-model must
// handle states added later (bring-your-own-key), so a `match` without a
// wildcard arm does not compile.
use key_model::KeyState;

fn usable(state: &KeyState) -> bool {
    match state {
        KeyState::Enabled => true,
        KeyState::Disabled => false,
        KeyState::DestroyScheduled { .. } => false,
        KeyState::Destroyed => false,
        KeyState::Unrecognized(_) => false,
    }
}

fn main() {
    let _ = usable(&KeyState::Enabled);
}

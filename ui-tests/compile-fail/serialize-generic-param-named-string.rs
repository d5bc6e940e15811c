// A generic parameter named `String` (legal, if unusual) in types that
// derive `Serialize`, `RedactedDisplay` and `RedactedSerialize`: the only
// error is the one about the secret, with no internal name.

use key_model::{KeyMaterial, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDisplay, RedactedSerialize)]
#[display("{name}")]
struct Labeled<String> {
    name: String,
}

fn main() {
    let labeled = Labeled { name: KeyMaterial::generate().unwrap() };
    let _ = serde_json::to_string(&labeled);
}

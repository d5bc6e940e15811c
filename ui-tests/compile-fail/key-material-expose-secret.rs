// secrecy's `ExposeSecret` is implemented for its own wrappers, not for
// `KeyMaterial`.
use secrecy::ExposeSecret;

fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _bytes = key.expose_secret();
}

// The crate-internal accessor to the bytes is not reachable from outside.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _bytes = key.expose();
}

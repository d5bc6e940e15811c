// The field holding the secret is private.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _inner = &key.0;
}

// Key material has no `Clone`: the bytes exist once and are zeroized once.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _copy = key.clone();
}

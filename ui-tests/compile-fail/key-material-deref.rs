// Key material does not implement `Deref`.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _bytes = &*key;
}

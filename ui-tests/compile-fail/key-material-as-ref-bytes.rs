// Key material does not implement `AsRef<[u8]>`.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _bytes: &[u8] = key.as_ref();
}

// Key material has no `Serialize`: it cannot be written into JSON.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    let _ = serde_json::to_string(&key);
}

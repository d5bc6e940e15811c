// Key material has no `PartialEq`: no comparison, so no timing oracle.
fn main() {
    let a = key_model::KeyMaterial::generate().unwrap();
    let b = key_model::KeyMaterial::generate().unwrap();
    let _ = a == b;
}

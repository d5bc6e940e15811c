// Key material has no `Display`: it cannot be formatted into a message.
fn main() {
    let key = key_model::KeyMaterial::generate().unwrap();
    println!("{key}");
}

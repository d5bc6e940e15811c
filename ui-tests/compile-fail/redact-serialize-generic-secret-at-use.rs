// A type parameter written as is gets a `Serialize` bound, so a secret
// passed as the parameter fails where the type is used.
use key_model::{KeyMaterial, RedactedSerialize};

#[derive(RedactedSerialize)]
struct Labeled<T> {
    label: String,
    value: T,
}

fn main() {
    let labeled = Labeled {
        label: "k".to_owned(),
        value: KeyMaterial::generate().unwrap(),
    };
    let _ = serde_json::to_string(&labeled);
}

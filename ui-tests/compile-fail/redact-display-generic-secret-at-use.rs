// A type parameter displayed as is gets a bound that names its field, so a
// secret passed as the parameter fails where the type is used, saying which
// field to mark.
use key_model::{KeyMaterial, RedactedDisplay};

#[derive(RedactedDisplay)]
#[display("{label}: {value}")]
struct Labeled<T> {
    label: String,
    value: T,
}

fn main() {
    let labeled = Labeled {
        label: "k".to_owned(),
        value: KeyMaterial::generate().unwrap(),
    };
    let _ = format!("{labeled}");
}

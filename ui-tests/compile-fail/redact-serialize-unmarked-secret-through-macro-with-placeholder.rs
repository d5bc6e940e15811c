// The redacting derives answer a field type with `_` (which the compiler
// refuses itself) with a stub impl. A `_` among a macro's arguments is the
// macro's, and this macro expands to `KeyMaterial`: the derive once wrote
// the stub, so the unmarked secret field compiled (with a `Serialize` that
// panics). The field is now checked like any other.
macro_rules! ignore_arg {
    ($t:tt) => {
        key_model::KeyMaterial
    };
}

#[derive(key_model::RedactedSerialize)]
struct Login {
    user: String,
    key: ignore_arg!(_),
}

fn main() {}

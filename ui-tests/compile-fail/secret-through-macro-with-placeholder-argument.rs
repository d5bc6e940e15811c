// A field whose type has `_` is left out of the proof (the compiler refuses
// `_` there itself); a `_` among a macro's arguments is the macro's, and
// this macro expands to `KeyMaterial`. The derive once skipped such a field
// and `Leaky` was an `ApiDto` holding key material.
macro_rules! ignore_arg {
    ($t:tt) => {
        key_model::KeyMaterial
    };
}

#[derive(key_model::ApiDto)]
struct Leaky {
    key: ignore_arg!(_),
}

fn main() {}

// The proof is a free function, so the derive writes the type's name for
// `Self`; inside a macro's arguments that changes what the macro sees. This
// macro matches the token `Self`: at the field it expands to `KeyMaterial`,
// for `Leaky` to `u8`. The derive once rewrote the argument and `Leaky`
// was an `ApiDto` holding key material.
macro_rules! by_token {
    (Self) => {
        key_model::KeyMaterial
    };
    ($t:tt) => {
        u8
    };
}

#[derive(key_model::ApiDto)]
struct Leaky {
    key: by_token!(Self),
}

fn main() {}

// A where clause that assumes the impossible (`for<'a> KeyMaterial:
// SecretFree`; the `for<'a>` keeps rustc from rejecting it as trivially
// false) lets the derive's field checks type-check under that assumption,
// but the type can then never be built or used: every use must prove the
// clause, and it is false.
use key_model::{ApiDto, KeyMaterial, SecretFree};

#[derive(ApiDto)]
struct Leaky
where
    for<'a> KeyMaterial: SecretFree,
{
    key: KeyMaterial,
}

fn main() {
    let _leaky = Leaky {
        key: KeyMaterial::generate().unwrap(),
    };
}

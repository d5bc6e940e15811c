// A field type from a macro is expanded where the derive checks it as well
// as at the field. The derive once checked it in a block that imports
// key-model as `key_model_crate`: there this macro's path meant
// `key_model::TenantId` (secret-free), at the field the user's alias of
// `KeyMaterial`, and `Leaky` was an `ApiDto` holding key material. The
// check now runs where every name means what it means at the field.
mod key_model_crate {
    pub type TenantId = key_model::KeyMaterial;
}

macro_rules! looks_plain {
    () => {
        key_model_crate::TenantId
    };
}

#[derive(key_model::ApiDto)]
struct Leaky {
    key: looks_plain!(),
}

fn main() {}

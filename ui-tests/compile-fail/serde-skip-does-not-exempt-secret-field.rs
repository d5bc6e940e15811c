// `#[serde(skip)]` keeps a field out of the JSON, not out of the value: a
// DTO holding key material (read back through a getter, say) does not
// compile even if serde never writes the field.
use key_model::{ApiDto, KeyMaterial};

#[derive(serde::Serialize, ApiDto)]
struct Body {
    id: u64,
    #[serde(skip)]
    key: KeyMaterial,
}

impl Body {
    pub fn key(&self) -> &KeyMaterial {
        &self.key
    }
}

fn main() {}

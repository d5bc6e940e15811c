// A nested type whose hand-written `Serialize` prints something harmless:
// the field is still key material, and the DTO does not compile.

use key_model::{ApiDto, KeyMaterial};

struct Sealed(KeyMaterial);

impl serde::Serialize for Sealed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("sealed")
    }
}

#[derive(serde::Serialize, ApiDto)]
struct KeyResponse {
    id: u64,
    sealed: Sealed,
}

fn main() {}

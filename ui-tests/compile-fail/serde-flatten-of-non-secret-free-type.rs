// `#[serde(flatten)]` of a type that is not proven secret-free.

use key_model::ApiDto;
use secrecy::SecretString;

struct Credentials {
    user: String,
    password: SecretString,
}

impl serde::Serialize for Credentials {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("user", &self.user)?;
        map.end()
    }
}

#[derive(serde::Serialize, ApiDto)]
struct LoginResponse {
    session: String,
    #[serde(flatten)]
    credentials: Credentials,
}

fn main() {}

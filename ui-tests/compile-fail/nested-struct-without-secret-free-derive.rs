// A nested value type that does not derive `SecretFree`: nothing proves
// what it holds, so the DTO cannot include it.

use key_model::ApiDto;

#[derive(serde::Serialize)]
struct Owner {
    name: String,
}

#[derive(serde::Serialize, ApiDto)]
struct SessionResponse {
    id: String,
    owner: Owner,
}

fn main() {}

// `crate = "..."` pointed at a crate that is not key-model: one error, at
// the literal, naming `key_model`, and nothing at the derive, the fields,
// or about a generated module.

#[derive(serde::Serialize, key_model::ApiDto)]
#[key_model(crate = "std")]
struct Response {
    id: u64,
    name: String,
}

#[derive(key_model::RedactedDebug, key_model::RedactedSerialize)]
#[key_model(crate = "crate")]
struct Entry {
    id: u64,
    #[redact]
    secret: String,
}

fn main() {}

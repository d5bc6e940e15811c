// `#[redact(skip = true)]`: `skip` takes no value, and says so.

#[derive(key_model::RedactedDebug)]
struct Entry {
    id: u64,
    #[redact(skip = true)]
    scratch: Vec<u8>,
}

fn main() {}

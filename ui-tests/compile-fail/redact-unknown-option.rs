// An unknown `#[redact(...)]` option is an error at the option.
use key_model::RedactedDebug;

#[derive(RedactedDebug)]
struct Login {
    user: String,
    #[redact(hide)]
    password: String,
}

fn main() {}

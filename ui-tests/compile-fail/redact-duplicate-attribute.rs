// A field marked twice, or with two options, is an error at the second.
use key_model::RedactedDebug;

#[derive(RedactedDebug)]
struct Login {
    #[redact]
    #[redact(skip)]
    password: String,
    #[redact(skip, with = mask)]
    token: String,
}

fn mask(_: &String, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    f.write_str("***")
}

fn main() {}

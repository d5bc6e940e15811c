// Every bad placeholder of a format string is reported, not only the first.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{user} {password} {pasword} {user:.prec$}")]
struct Login {
    user: String,
    #[redact]
    password: String,
}

fn main() {}

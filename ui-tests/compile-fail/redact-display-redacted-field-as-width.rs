// A `#[redact]` field named as a width or a precision (`name$`): its value
// would show as padding or digits. Refused, like `{pin}` itself.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("user {user:>pin$} {user:.pin$}")]
struct Login {
    user: String,
    #[redact]
    pin: usize,
}

fn main() {}

// The fields of a packed struct cannot be borrowed, so it is refused.
use key_model::RedactedDebug;

#[derive(RedactedDebug)]
#[repr(C, packed)]
struct Header {
    tag: u8,
    #[redact]
    key: u64,
}

fn main() {}

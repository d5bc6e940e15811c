// `skip_serializing_if` naming a function of the wrong signature: the
// primary span is the literal the user wrote, not the derive.

use key_model::RedactedSerialize;

fn is_empty(value: &u32) -> bool {
    *value == 0
}

#[derive(RedactedSerialize)]
struct Entry {
    #[serde(skip_serializing_if = "is_empty")]
    name: String,
}

fn main() {}

// serde options that change the shape of the output and that
// RedactedSerialize does not reproduce are refused, not silently ignored;
// options that do not concern serialization are left alone.
use key_model::RedactedSerialize;

#[derive(RedactedSerialize, serde::Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum Event {
    Login {
        #[serde(alias = "username", default)]
        user: String,
        #[redact]
        password: String,
    },
}

fn main() {}

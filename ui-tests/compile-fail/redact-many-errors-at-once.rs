// Every mistake in one type is reported at once, each at its own token.
use key_model::RedactedSerialize;

#[derive(RedactedSerialize)]
#[redact]
#[serde(rename_all = "Snake")]
enum Event {
    #[redact]
    Started,
    Login {
        #[redact(wipe)]
        password: String,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, String>,
    },
}

fn main() {}

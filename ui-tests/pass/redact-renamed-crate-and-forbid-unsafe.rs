// The derives work through a renamed path to key-model (`#[key_model(crate
// = "...")]`), in a crate that forbids unsafe code, without the user naming
// serde.
#![forbid(unsafe_code)]

mod reexport {
    pub use key_model as km;
}

use reexport::km::{RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[key_model(crate = "reexport::km")]
#[display("{user}")]
struct Login {
    user: String,
    #[redact]
    password: String,
}

fn main() {
    let login = Login {
        user: "ada".to_owned(),
        password: "hunter2".to_owned(),
    };
    assert_eq!(format!("{login} {login:?}"), "ada Login { user: \"ada\", password: [REDACTED] }");
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"user":"ada","password":"[REDACTED]"}"#
    );
}

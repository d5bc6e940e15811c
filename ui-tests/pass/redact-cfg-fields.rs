// Fields and variants configured out are gone before the derives run, in
// every output.
use key_model::{RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{user}")]
struct Login {
    user: String,
    #[cfg(any())]
    #[redact]
    password: String,
    #[cfg(all())]
    #[redact]
    token: String,
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
enum Event {
    #[display("on")]
    On,
    #[cfg(any())]
    #[display("gone {0}")]
    Gone(String),
    #[display("off {0}")]
    Off(u8, #[cfg(any())] String),
}

fn main() {
    let login = Login {
        user: "ada".to_owned(),
        token: "t".to_owned(),
    };
    assert_eq!(format!("{login} {login:?}"), "ada Login { user: \"ada\", token: [REDACTED] }");
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"user":"ada","token":"[REDACTED]"}"#
    );
    assert_eq!(format!("{} {:?}", Event::Off(1), Event::On), "off 1 On");
    assert_eq!(serde_json::to_string(&Event::Off(1)).unwrap(), r#"{"Off":1}"#);
}

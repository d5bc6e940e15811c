// Unit, tuple, newtype and struct variants, and an enum with no variant.
use key_model::{KeyMaterial, RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
enum Credential {
    #[display("none")]
    None,
    #[display("token")]
    Token(#[redact] secrecy::SecretString),
    #[display("key for {0}")]
    Key(String, #[redact] KeyMaterial),
    #[display("{user} (password hidden)")]
    Password {
        user: String,
        #[redact]
        password: secrecy::SecretString,
    },
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
enum Never {}

fn main() {
    let credential = Credential::Password {
        user: "ada".to_owned(),
        password: "hunter2".into(),
    };
    assert_eq!(credential.to_string(), "ada (password hidden)");
    assert_eq!(
        format!("{credential:?}"),
        "Password { user: \"ada\", password: [REDACTED] }"
    );
    assert_eq!(
        serde_json::to_string(&credential).unwrap(),
        r#"{"Password":{"user":"ada","password":"[REDACTED]"}}"#
    );
    for credential in [
        Credential::None,
        Credential::Token("t".into()),
        Credential::Key("acme".to_owned(), KeyMaterial::generate().unwrap()),
    ] {
        let _ = (format!("{credential:?} {credential}"), serde_json::to_string(&credential));
    }
    fn assert_impls<T: core::fmt::Debug + core::fmt::Display + serde::Serialize>() {}
    assert_impls::<Never>();
}

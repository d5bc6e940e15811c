// The redacting derives name everything by absolute path (`::core`,
// `::key_model`): a crate with its own `core` module, `Debug` and `Display`
// traits, `write!` macro and `Redacted` type still gets redacted output.
#![allow(dead_code, unused_macros)]

use key_model::{RedactedDebug, RedactedDisplay, RedactedSerialize};

mod core {
    pub mod fmt {
        pub trait Debug {}
        pub trait Display {}
        pub struct Formatter;
        pub type Result = ();
    }
}

trait Debug {}
trait Display {}
struct Redacted;

macro_rules! write {
    ($($t:tt)*) => {
        Ok(())
    };
}

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("login {user}")]
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
    let debug = ::std::format!("{login:?}");
    let display = ::std::format!("{login}");
    let json = serde_json::to_string(&login).unwrap();
    ::std::assert_eq!(debug, r#"Login { user: "ada", password: [REDACTED] }"#);
    ::std::assert_eq!(display, "login ada");
    ::std::assert_eq!(json, r#"{"user":"ada","password":"[REDACTED]"}"#);
}

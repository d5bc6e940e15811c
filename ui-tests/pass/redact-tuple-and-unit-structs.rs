// Tuple, newtype, unit and empty structs.
use key_model::{KeyMaterial, RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{0}/{2}")]
struct Triple(u8, #[redact] KeyMaterial, &'static str);

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("token")]
struct Token(#[redact] secrecy::SecretString);

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("unit")]
struct Unit;

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("empty")]
struct Empty {}

fn main() {
    let triple = Triple(1, KeyMaterial::generate().unwrap(), "x");
    assert_eq!(format!("{triple:?} {triple}"), "Triple(1, [REDACTED], \"x\") 1/x");
    let token = Token("hunter2".into());
    assert_eq!(format!("{token:?} {token}"), "Token([REDACTED]) token");
    assert_eq!(serde_json::to_string(&token).unwrap(), "\"[REDACTED]\"");
    assert_eq!(format!("{Unit:?} {Unit}"), "Unit unit");
    assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
}

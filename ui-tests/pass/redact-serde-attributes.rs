// serde's rename options are honoured, serde options for deserialization
// sit beside RedactedSerialize untouched, and `with` also takes its path in
// a string, as serde writes paths.
use key_model::RedactedSerialize;

#[derive(RedactedSerialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Login {
    #[serde(alias = "username")]
    user_name: String,
    #[redact]
    #[serde(default, rename(serialize = "pw", deserialize = "password"))]
    password: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    otp: Option<u32>,
    #[redact(with = "present")]
    #[serde(default)]
    recovery_code: Option<String>,
}

fn present(code: &Option<String>, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    f.write_str(if code.is_some() { "set" } else { "unset" })
}

fn main() {
    let login: Login = serde_json::from_str(r#"{"username":"ada","password":"hunter2"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"userName":"ada","pw":"[REDACTED]","recoveryCode":"unset"}"#
    );
}

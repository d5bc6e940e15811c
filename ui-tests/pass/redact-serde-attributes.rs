// serde's rename options are honoured, and serde options for
// deserialization sit beside RedactedSerialize untouched.
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
}

fn main() {
    let login: Login = serde_json::from_str(r#"{"username":"ada","password":"hunter2"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"userName":"ada","pw":"[REDACTED]"}"#
    );
}

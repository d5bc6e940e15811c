// The derives compose with serde's derive and attributes.

use std::collections::BTreeMap;

use key_model::{ApiDto, KeyRef, SecretFree};

#[derive(serde::Serialize, serde::Deserialize, SecretFree)]
#[serde(rename_all = "camelCase")]
struct Paging {
    page_size: u32,
    next_token: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize, ApiDto)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListKeysResponse {
    #[serde(rename = "keys")]
    key_refs: Vec<KeyRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
    #[serde(flatten)]
    paging: Paging,
    #[serde(skip)]
    internal_counter: u64,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

fn main() {
    let r = ListKeysResponse {
        key_refs: vec!["tenants/acme/keys/audit-export/versions/1".parse().unwrap()],
        warning: None,
        paging: Paging { page_size: 10, next_token: None },
        internal_counter: 7,
        labels: BTreeMap::new(),
    };
    assert_eq!(
        String::from_utf8(key_model::sink::api_json(&r).unwrap()).unwrap(),
        r#"{"keys":["tenants/acme/keys/audit-export/versions/1"],"pageSize":10,"nextToken":null,"labels":{}}"#
    );
}

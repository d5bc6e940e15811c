// A recursive generic type: bounds are put on the type parameters, so the
// impl does not require itself.
use key_model::{RedactedDebug, RedactedDisplay, RedactedSerialize};

#[derive(RedactedDebug, RedactedDisplay, RedactedSerialize)]
#[display("{label} ({value})")]
struct Tree<T> {
    label: String,
    value: T,
    children: Vec<Tree<T>>,
    #[redact]
    token: String,
}

fn main() {
    let tree = Tree {
        label: "root".to_owned(),
        value: 1u8,
        children: vec![Tree {
            label: "leaf".to_owned(),
            value: 2,
            children: Vec::new(),
            token: "t".to_owned(),
        }],
        token: "t".to_owned(),
    };
    assert_eq!(tree.to_string(), "root (1)");
    assert_eq!(
        format!("{tree:?}"),
        "Tree { label: \"root\", value: 1, children: [Tree { label: \"leaf\", value: 2, children: [], token: [REDACTED] }], token: [REDACTED] }"
    );
    assert_eq!(
        serde_json::to_string(&tree).unwrap(),
        r#"{"label":"root","value":1,"children":[{"label":"leaf","value":2,"children":[],"token":"[REDACTED]"}],"token":"[REDACTED]"}"#
    );
}

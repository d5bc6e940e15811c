// Recursive types compile: the field checks are not where-clauses of the
// impl, so `Vec<Node>` is proven by the impl being written.

use std::collections::BTreeMap;

use key_model::{ApiDto, SecretFree};

#[derive(serde::Serialize, ApiDto)]
struct Node {
    name: String,
    children: Vec<Node>,
}

#[derive(SecretFree)]
enum Expr {
    Lit(i64),
    Add(Box<Expr>, Box<Self>),
    Call { name: String, args: Vec<Expr> },
}

#[derive(SecretFree)]
struct Tree<T> {
    value: T,
    children: BTreeMap<String, Tree<T>>,
}

// Mutual recursion.
#[derive(SecretFree)]
struct Dir {
    entries: Vec<Entry>,
}

#[derive(SecretFree)]
enum Entry {
    File(String),
    Dir(Dir),
}

fn main() {
    fn assert_secret_free<T: SecretFree>() {}
    assert_secret_free::<Expr>();
    assert_secret_free::<Tree<u8>>();
    assert_secret_free::<Entry>();
    let tree = Node { name: "root".into(), children: vec![Node { name: "leaf".into(), children: vec![] }] };
    assert_eq!(
        key_model::sink::api_json(&tree).unwrap(),
        br#"{"name":"root","children":[{"name":"leaf","children":[]}]}"#
    );
}

// A field named like a lowercase type elsewhere (`result`, `stat`) holding
// a secret: the message names the field as written, never a generated
// path.

use key_model::{KeyMaterial, RedactedSerialize};

#[allow(non_camel_case_types, dead_code)]
struct result;

#[derive(RedactedSerialize)]
struct Outcome {
    result: KeyMaterial,
    stat: KeyMaterial,
}

fn main() {}

// A borrowed reference to key material.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyView<'a> {
    key: &'a KeyMaterial,
}

fn main() {}

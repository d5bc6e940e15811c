// Key material shared through an `Arc`.

use std::sync::Arc;

use key_model::{ExportDto, KeyMaterial};

#[derive(ExportDto)]
struct KeyRow {
    key: Arc<KeyMaterial>,
}

fn main() {}

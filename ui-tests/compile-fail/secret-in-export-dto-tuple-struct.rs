// Key material in a tuple struct exported as a row.

use key_model::{ExportDto, KeyMaterial};

#[derive(ExportDto)]
struct KeyRow(u64, KeyMaterial);

fn main() {}

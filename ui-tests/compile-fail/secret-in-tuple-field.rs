// Key material as the second element of a tuple.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct KeyResponse {
    pair: (String, KeyMaterial),
}

fn main() {}

// Key material on the error side of a `Result`.

use key_model::{ApiDto, KeyMaterial};

#[derive(ApiDto)]
struct UnwrapResponse {
    outcome: Result<String, KeyMaterial>,
}

fn main() {}

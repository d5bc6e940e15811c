// Key material imported under another name.

use key_model::ApiDto;
use key_model::KeyMaterial as Checksum;

#[derive(ApiDto)]
struct KeyResponse {
    id: u64,
    checksum: Checksum,
}

fn main() {}

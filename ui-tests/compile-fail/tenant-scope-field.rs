// A tenant-scope capability in a DTO: it is authorization, not data, and
// must never cross a boundary (G5).

use key_model::{ApiDto, TenantScope};

#[derive(ApiDto)]
struct WhoAmI {
    scope: TenantScope,
}

fn main() {}

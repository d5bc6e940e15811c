// `Cell<u64>` holds no secret, but it is not known to be secret-free: the
// message says so, and how to make a type secret-free, rather than calling
// it a secret.

use core::cell::Cell;
use key_model::ApiDto;

#[derive(serde::Serialize, ApiDto)]
struct Counter {
    hits: Cell<u64>,
}

fn main() {}

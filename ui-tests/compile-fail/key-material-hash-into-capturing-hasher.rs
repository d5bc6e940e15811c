// `KeyMaterial` has no `Hash`: were it hashable, a `Hasher` of the
// caller's own would receive the raw bytes in `write`.
use std::hash::{Hash, Hasher};

use key_model::KeyMaterial;

#[derive(Default)]
struct Capture(Vec<u8>);

impl Hasher for Capture {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

fn main() {
    let key = KeyMaterial::generate().unwrap();
    let mut capture = Capture::default();
    key.hash(&mut capture);
}

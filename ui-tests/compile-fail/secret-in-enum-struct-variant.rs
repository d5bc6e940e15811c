// Key material in one struct variant of an enum.

use key_model::{EventDto, KeyMaterial, KeyRef};

#[derive(EventDto)]
enum KeyEvent {
    Rotated { new_primary: KeyRef },
    Imported { material: KeyMaterial },
}

fn main() {}

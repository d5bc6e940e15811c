// Key material in one tuple variant of an enum.

use key_model::{EventDto, KeyMaterial, KeyRef};

#[derive(EventDto)]
enum KeyEvent {
    Rotated(KeyRef),
    Imported(KeyRef, KeyMaterial),
}

fn main() {}

// Key material shared through an `Rc`.

use std::rc::Rc;

use key_model::{EventDto, KeyMaterial};

#[derive(EventDto)]
struct KeyCreated {
    key: Rc<KeyMaterial>,
}

fn main() {}

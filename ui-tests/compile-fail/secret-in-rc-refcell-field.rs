// Shared, mutable state: `Rc<RefCell<_>>` is not secret-free (cells are
// left out), and a secret inside it is refused either way.
use std::cell::RefCell;
use std::rc::Rc;

use key_model::ApiDto;
use secrecy::SecretString;

#[derive(ApiDto)]
struct Body {
    shared: Rc<RefCell<SecretString>>,
}

fn main() {}

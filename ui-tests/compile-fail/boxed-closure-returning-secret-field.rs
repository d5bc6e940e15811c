// A closure that produces a secret when called: closures and trait objects
// are not secret-free.
use key_model::ApiDto;
use secrecy::SecretString;

#[derive(ApiDto)]
struct Body {
    id: u64,
    token: Box<dyn Fn() -> SecretString>,
}

fn main() {}

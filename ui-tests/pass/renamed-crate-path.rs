// `#[key_model(crate = "...")]`: generated code reaches key-model through
// the given path, here a renamed `extern crate` and a re-export.

extern crate key_model as km;

mod facade {
    pub mod boundary {
        pub use km::*;
    }
}

#[derive(km::ApiDto)]
#[key_model(crate = "km")]
struct Renamed {
    key: km::KeyRef,
}

#[derive(facade::boundary::SecretFree)]
#[key_model(crate = "facade::boundary")]
struct ThroughReexport<T> {
    value: T,
}

fn main() {
    fn assert_api<T: km::ApiDto>() {}
    fn assert_secret_free<T: km::SecretFree>() {}
    assert_api::<Renamed>();
    assert_secret_free::<ThroughReexport<u8>>();
}

// `StoreCall`'s field is private: no struct literal makes one.
use key_model::ring::StoreCall;

fn main() {
    let _call = StoreCall { _private: () };
}

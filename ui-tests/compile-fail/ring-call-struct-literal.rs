// `RingCall`'s field is private: no struct literal makes one.
use key_model::ring::RingCall;

fn main() {
    let _call = RingCall { _private: () };
}

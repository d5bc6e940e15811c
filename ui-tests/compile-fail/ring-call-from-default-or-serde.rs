// No generic constructor makes a `RingCall`: not `Default` (nor
// `std::mem::take`, which needs it), not `Deserialize`.
use key_model::ring::RingCall;

fn main() {
    let _made: RingCall = Default::default();
    let _read: RingCall = serde_json::from_str("null").unwrap();
}

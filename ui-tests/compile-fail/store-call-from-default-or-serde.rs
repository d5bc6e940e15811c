// No generic constructor makes a `StoreCall`: not `Default` (nor
// `std::mem::take`, which needs it), not `Deserialize`.
use key_model::ring::StoreCall;

fn main() {
    let _made: StoreCall = Default::default();
    let _read: StoreCall = serde_json::from_str("null").unwrap();
}

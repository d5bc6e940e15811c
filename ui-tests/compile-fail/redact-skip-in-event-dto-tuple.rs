// `#[redact(skip)]` in a tuple struct that derives EventDto and no
// redacting derive: refused with key-model's message, not rustc's
// "cannot find attribute `redact`".

use key_model::EventDto;

#[derive(serde::Serialize, EventDto)]
struct Rotated(u32, #[redact(skip)] String);

fn main() {}

// Two kind derives on one serializable type: the error says to name the
// second kind in `#[key_model(also(...))]`.

#[derive(serde::Serialize, key_model::ApiDto, key_model::EventDto)]
struct KeyRotated {
    version: u32,
}



// The same in two `#[derive]` attributes: the second is reported at its
// name, with key-model's own message.
#[derive(serde::Serialize, key_model::ApiDto)]
#[derive(key_model::AuditDto)]
struct KeyDisabled {
    version: u32,
}
fn main() {}

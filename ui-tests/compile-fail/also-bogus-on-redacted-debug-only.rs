// `also(...)` on a type that derives only `RedactedDebug`: no boundary
// derive reads it, and the derive that sees it still checks what it names.

#[derive(key_model::RedactedDebug)]
#[key_model(also(Bogus))]
struct Entry {
    id: u64,
}

fn main() {}

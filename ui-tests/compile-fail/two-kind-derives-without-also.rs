// Two kind derives on one type each implement `SecretFree` (E0119); the fix
// is `#[key_model(also(EventDto))]`, see `pass/one-type-several-kinds.rs`.

#[derive(key_model::ApiDto, key_model::EventDto)]
struct KeyRotated {
    version: u32,
}

fn main() {}

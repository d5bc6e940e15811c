// `also(EventDto = true)`: `also` takes kind names, and says so.

#[derive(serde::Serialize, key_model::ApiDto)]
#[key_model(also(EventDto = true))]
struct KeyRotated {
    version: u32,
}

fn main() {}

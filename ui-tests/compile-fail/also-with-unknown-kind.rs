// `also` names something that is not a boundary kind.

#[derive(key_model::ApiDto)]
#[key_model(also(EventDto, Debug))]
struct Health {
    ok: bool,
}

fn main() {}

// A misspelled option is reported at its token.

#[derive(key_model::ApiDto)]
#[key_model(crat = "key_model")]
struct Health {
    ok: bool,
}

fn main() {}

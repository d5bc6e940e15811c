// Unions are not supported: a spanned error, not a panic.

#[derive(key_model::ApiDto)]
union Bits {
    int: u64,
    float: f64,
}

fn main() {}

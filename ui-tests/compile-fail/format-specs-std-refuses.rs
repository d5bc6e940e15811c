// The refused rows of the format-spec table
// (`key-model-derive/src/redact/fmt.rs`): each is refused by std's
// `format!` and by the derive alike (the accepted rows are
// `tests/tests/boundary/format_specs.rs`).

#[allow(unused_variables)]
fn std_refuses(x: u32) {
    let _ = format!("{x:> 5}");
    let _ = format!("{ x}");
    let _ = format!("{x:+-}");
    let _ = format!("{x:<<<}");
    let _ = format!("{x:?x}");
    let _ = format!("{x:>}}");
    let _ = format!("{x:>65536}");
    let _ = format!("{_}");
    let _ = format!("{x:q}");
}

#[derive(key_model::RedactedDisplay)]
#[display("{x:> 5}")]
struct A { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{ x}")]
struct B { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:+-}")]
struct C { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:<<<}")]
struct D { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:?x}")]
struct E { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:>}}")]
struct F { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:>65536}")]
struct G { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{_}")]
struct H { x: u32 }
#[derive(key_model::RedactedDisplay)]
#[display("{x:q}")]
struct I { x: u32 }

fn main() {}

// A `#[display]` that is not one format string, or that is repeated, is an
// error at the attribute, and only that: not also "missing `#[display]`".
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display(42)]
struct Number {
    n: u8,
}

#[derive(RedactedDisplay)]
#[display = "x"]
struct Equals;

#[derive(RedactedDisplay)]
#[display("a")]
#[display("b")]
struct Twice;

#[derive(RedactedDisplay)]
enum Variants {
    #[display("a", "b")]
    Two,
    #[display]
    Bare,
}

fn main() {}

// A field typed by an associated type: the bound on the parameter says
// nothing about `I::Item`, so the derive cannot prove it.

use key_model::ApiDto;

#[derive(ApiDto)]
struct Batch<I: Iterator> {
    first: Option<I::Item>,
}

fn main() {}

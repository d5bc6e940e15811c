// `{}` counts positional fields as `format!` does: the third `{}` names a
// third field, which this type does not have.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{} {} {}")]
struct Pair(u8, u8);

fn main() {}

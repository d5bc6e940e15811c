// `{:.*}` takes two positional fields, the precision first; `{:0$}` takes
// field 0 as the width. Field 0 is `#[redact]`: both are refused.
use key_model::RedactedDisplay;

#[derive(RedactedDisplay)]
#[display("{:.*} {1:0$}")]
struct Reading(#[redact] usize, f64);

fn main() {}

// `#[redact(with = ...)]` in an enum variant of an ExportDto beside
// RedactedDebug and RedactedSerialize: the function shapes Debug output,
// never what serde's Serialize writes to the export.

use key_model::{ExportDto, RedactedDebug};

fn last_four(value: &String, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    f.write_str(&value[value.len().saturating_sub(4)..])
}

#[derive(serde::Serialize, ExportDto, RedactedDebug)]
enum Row {
    Card {
        id: u64,
        #[redact(with = last_four)]
        number: String,
    },
    Empty,
}

fn main() {}

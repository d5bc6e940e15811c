// secrecy's `SecretSlice` as a field.

use key_model::ExportDto;
use secrecy::SecretSlice;

#[derive(ExportDto)]
struct BackupRow {
    blob: SecretSlice<u8>,
}

fn main() {}

// Named, tuple and unit structs, and empty ones.

use key_model::{ApiDto, EventDto, ExportDto, KeyRef, SecretFree};

#[derive(SecretFree)]
struct Named {
    id: u64,
    key: KeyRef,
}

#[derive(ApiDto)]
struct Tuple(u64, String, Named);

#[derive(EventDto)]
struct Unit;

#[derive(ExportDto)]
struct Empty {}

#[derive(ApiDto)]
struct EmptyTuple();

fn assert_api<T: key_model::ApiDto>() {}
fn assert_event<T: key_model::EventDto>() {}
fn assert_export<T: key_model::ExportDto>() {}

fn main() {
    assert_api::<Tuple>();
    assert_api::<EmptyTuple>();
    assert_event::<Unit>();
    assert_export::<Empty>();
}

// Lifetimes, where clauses, const generics, defaults and unsized borrows.

use std::borrow::Cow;
use std::fmt::Display;

use key_model::{ApiDto, ExportDto, SecretFree};

#[derive(serde::Serialize, ApiDto)]
struct Borrowed<'a, 'b: 'a> {
    name: &'a str,
    tags: Cow<'b, [String]>,
    notes: Cow<'a, str>,
}

#[derive(ExportDto)]
struct Bounded<T, U = u8>
where
    T: Display + Clone,
    U: Copy,
{
    label: T,
    extra: U,
}

#[derive(SecretFree)]
struct Fixed<const N: usize, T: Default = u32> {
    digits: [u8; N],
    values: [T; N],
}

fn main() {
    fn assert_api<T: key_model::ApiDto>() {}
    fn assert_export<T: key_model::ExportDto>() {}
    fn assert_secret_free<T: SecretFree>() {}
    assert_api::<Borrowed<'static, 'static>>();
    assert_export::<Bounded<String>>();
    assert_secret_free::<Fixed<4>>();
    let tags = [String::from("a")];
    let b = Borrowed { name: "n", tags: Cow::Borrowed(&tags), notes: Cow::Borrowed("x") };
    assert_eq!(
        key_model::sink::api_json(&b).unwrap(),
        br#"{"name":"n","tags":["a"],"notes":"x"}"#
    );
}

// #[derive(ApiDto)] on:
//
//     #[key_model(also(ApiDto, SecretFree), colour = "red")]
//     struct Page { items: Vec<u8> }

::core::compile_error! {
    "unknown key_model option; expected `crate = \"path\"` or `also(...)`"
}
::core::compile_error! {
    "`ApiDto` is the derive itself; remove it from `also`"
}
::core::compile_error! {
    "expected a boundary kind: `ApiDto`, `EventDto`, `ExportDto` or `AuditDto`"
}
